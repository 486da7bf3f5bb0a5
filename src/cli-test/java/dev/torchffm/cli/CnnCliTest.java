package dev.torchffm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchffm.data.Idx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --model cnn}: trains with AdamW and a cosine schedule, saves, and predicts from its checkpoint. */
class CnnCliTest {
    @TempDir
    Path dir;

    private static String run(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        try {
            assertEquals(0, Main.run(args), () -> out.toString());
            return out.toString();
        } finally {
            System.setOut(saved);
        }
    }

    @Test
    void trainsSavesAndPredicts() throws Exception {
        Idx.fashion(dir, 300, 50, ".gz");
        Path weights = dir.resolve("cnn.pt");
        String train = run(
                "train",
                "--model",
                "cnn",
                "--epochs",
                "1",
                "--device",
                "cpu",
                "--data",
                dir.toString(),
                "--save",
                weights.toString());
        assertTrue(train.contains("AdamW with a cosine schedule") && train.contains("epoch 1,"), train);
        assertTrue(Files.size(weights) > 0);
        String predict = run(
                "predict",
                "--weights",
                weights.toString(),
                "--arch",
                "cnn",
                "--device",
                "cpu",
                "--data",
                dir.toString());
        assertTrue(predict.contains("read state_dict checkpoint") && predict.contains("of 8 correct"), predict);
        assertTrue(run("summary", "--model", "cnn").contains("BatchNorm2d"));
    }
}
