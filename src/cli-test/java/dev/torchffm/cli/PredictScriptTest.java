package dev.torchffm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.torchffm.datasets.FashionMnist;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code predict --model} takes a TorchScript file as well as a checkpoint and says which it read. */
class PredictScriptTest {
    @TempDir
    static Path dir;

    private static String predict(Path model) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        try {
            assertEquals(0, Main.run("predict", "--weights", model.toString(), "--device", "cpu"));
            return out.toString();
        } finally {
            System.setOut(saved);
        }
    }

    @Test
    void readsTorchScriptAndCheckpoints() throws Exception {
        assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "Fashion-MNIST is not installed");
        assumeTrue(
                new ProcessBuilder("/usr/bin/python3", "-c", "import torch")
                                .start()
                                .waitFor()
                        == 0,
                "python3-torch is not installed");
        Process p = new ProcessBuilder("/usr/bin/python3", "src/test/python/gen_script_models.py", dir.toString())
                .redirectErrorStream(true)
                .start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), log);

        String script = predict(dir.resolve("lenet_scripted.pt"));
        assertTrue(script.contains("read TorchScript model") && script.contains("of 8 correct"), script);
        String checkpoint = predict(dir.resolve("lenet_state_dict.pt"));
        assertTrue(
                checkpoint.contains("read state_dict checkpoint") && checkpoint.contains("of 8 correct"), checkpoint);
        // The same untrained weights in both files: the same predictions.
        assertEquals(
                script.lines().filter(l -> l.startsWith("pred:")).findFirst(),
                checkpoint.lines().filter(l -> l.startsWith("pred:")).findFirst());
    }
}
