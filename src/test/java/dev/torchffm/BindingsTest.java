package dev.torchffm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The committed bindings were generated from the header as it is now (bindings/generate.sh). */
class BindingsTest {
    @Test
    void bindingsMatchTheHeader() throws Exception {
        Path root = Path.of(System.getProperty("torchffm.project.dir", "."));
        byte[] header = Files.readAllBytes(root.resolve("native/include/torchffm.h"));
        String actual =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(header));
        String recorded =
                Files.readString(root.resolve("bindings/header.sha256")).trim();
        assertEquals(
                recorded,
                actual,
                "native/include/torchffm.h changed since the bindings were generated: run bindings/generate.sh");
    }

    @Test
    void libraryFactsAreReported() {
        assertEquals(Torch.cudaCompiled() ? Torch.cudaDeviceCount() > 0 : false, Torch.cudaAvailable());
        org.junit.jupiter.api.Assertions.assertTrue(Torch.version().matches("\\d+\\.\\d+\\.\\d+.*"), Torch.version());
        org.junit.jupiter.api.Assertions.assertTrue(Torch.diagnostics().stream().anyMatch(l -> l.contains("libtorch")));
    }
}
