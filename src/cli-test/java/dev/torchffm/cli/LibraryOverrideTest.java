package dev.torchffm.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A -Dtorchffm.library that names no file ends the CLI with one message that names it. */
class LibraryOverrideTest {
    @Test
    void aWrongOverrideIsReported() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(
                        java.toString(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-Dtorchffm.library=/nonexistent/libtorchffm.so",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.torchffm.cli.Main",
                        "doctor")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        assertTrue(out.contains("does not exist: /nonexistent/libtorchffm.so"), out);
    }
}
