package dev.torchffm.cli;

import dev.torchffm.Torch;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: torchffm's and LibTorch's versions. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String own = Main.class.getPackage().getImplementationVersion();
        return new String[] {"torchffm " + (own == null ? "(development build)" : own) + ", LibTorch " + Torch.version()
        };
    }
}
