package dev.torchffm.cli;

import dev.torchffm.Torch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Prints what torchffm found: LibTorch, CUDA, devices, loaded libraries, JDK. */
@Command(name = "doctor", description = "Print LibTorch, CUDA, device, library and JDK diagnostics.")
final class DoctorCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        Torch.diagnostics().forEach(System.out::println);
        return 0;
    }
}
