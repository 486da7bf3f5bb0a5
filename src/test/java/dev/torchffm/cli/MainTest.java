package dev.torchffm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User errors end with one message and exit code 2; no stack traces. */
class MainTest {
    @TempDir
    Path dir;

    private record Result(int code, String err) {}

    private static Result run(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        try {
            return new Result(Main.run(args), err.toString());
        } finally {
            System.setErr(saved);
        }
    }

    @Test
    void aMissingDataFolderIsOneLineAndExitCodeTwo() {
        Result r = run("train", "--epochs", "1", "--data", dir.resolve("absent").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("train-images-idx3-ubyte"), r.err());
        assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void aFileWithTheWrongMagicNamesTheFile() throws Exception {
        for (String name : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte"}) {
            Files.write(dir.resolve(name), new byte[] {0, 0, 9, 9, 0, 0, 0, 1, 0});
        }
        Result r = run("train", "--epochs", "1", "--data", dir.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("train-images-idx3-ubyte"), r.err());
    }

    @Test
    void badFlagsAreUserErrors() {
        assertEquals(2, run("train", "--model", "resnet").code());
        assertEquals(2, run("train", "--epochs", "0").code());
        assertEquals(2, run("train", "--device", "cuda:9").code());
        assertEquals(2, run("train", "--no-such-flag").code());
        assertEquals(2, run("predict", "--model", dir.resolve("none.pt").toString()).code());
    }

    @Test
    void summaryAndDoctorRun() {
        assertEquals(0, run("summary").code());
        assertEquals(0, run("doctor").code());
    }
}
