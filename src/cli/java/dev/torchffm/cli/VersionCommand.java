package dev.torchffm.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code torchffm version}: the same line as {@code --version}. */
@Command(name = "version", description = "Print torchffm's and LibTorch's versions.")
final class VersionCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        for (String line : new VersionProvider().getVersion()) {
            System.out.println(line);
        }
        return 0;
    }
}
