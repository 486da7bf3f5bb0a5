package dev.torchffm.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A shim that cannot load yields one message naming the file, the missing dependency and the fix. */
class NativeLoaderTest {
    @Test
    void aMissingDependencyIsNamedWithTheFix() {
        String message = NativeLoader.explain(Path.of("/opt/x/libtorchffm.so"),
                "/opt/x/libtorchffm.so: libtorch_cpu.so.1.13: cannot open shared object file: No such file or directory");
        assertTrue(message.contains("/opt/x/libtorchffm.so"), message);
        assertTrue(message.contains("its dependency libtorch_cpu.so.1.13 was not found"), message);
        assertTrue(message.contains("apt-get install libtorch-dev"), message);
        assertTrue(message.contains("-Dtorchffm.torch.prefix"), message);
    }

    @Test
    void otherFailuresSayHowToRebuildOrOverride() {
        String message = NativeLoader.explain(Path.of("/opt/x/libtorchffm.so"), "invalid ELF header");
        assertTrue(message.contains("invalid ELF header"), message);
        assertTrue(message.contains("-Dtorchffm.library"), message);
    }
}
