package dev.torchffm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchffm.MalformedFileException;
import dev.torchffm.TorchException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User errors end with one message and exit code 2; no stack traces. */
class MainTest {
    @TempDir
    Path dir;

    private record Result(int code, String err, String out) {}

    private static Result run(String... args) {
        PrintStream savedErr = System.err;
        PrintStream savedOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        System.setOut(new PrintStream(out, true));
        try {
            return new Result(Main.run(args), err.toString(), out.toString());
        } finally {
            System.setErr(savedErr);
            System.setOut(savedOut);
        }
    }

    private static void assertOneLine(Result r) {
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    private static int occurrences(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
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
        for (String name : new String[] {
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"
        }) {
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
        assertEquals(
                2, run("predict", "--model", dir.resolve("none.pt").toString()).code());
    }

    @Test
    void summaryAndDoctorRun() {
        assertEquals(0, run("summary").code());
        assertEquals(0, run("doctor").code());
    }

    @Test
    void threadsZeroIsAUserError() {
        Result r =
                run("train", "--threads", "0", "--data", dir.resolve("absent").toString());
        assertOneLine(r);
        assertTrue(r.err().contains("thread"), r.err());
    }

    @Test
    void outputPathsAreCheckedBeforeTraining() {
        String data = dir.resolve("absent").toString(); // training would fail on it: the path check must come first
        for (String flag : new String[] {"--save", "--json", "--plot"}) {
            String file = dir.resolve("no-such-folder").resolve("out.png").toString();
            Result r = run("train", "--epochs", "1", "--data", data, flag, file);
            assertOneLine(r);
            assertTrue(r.err().contains(flag) && r.err().contains("folder does not exist"), r.err());
            assertFalse(r.err().contains("train-images"), "checked before the data: " + r.err());
            assertEquals(1, occurrences(r.err(), file), "the path once: " + r.err());
        }
        Result folder = run("train", "--data", data, "--save", dir.toString());
        assertOneLine(folder);
        assertTrue(folder.err().contains("is a folder"), folder.err());
    }

    @Test
    void plotNeedsAnImageTypeItCanWrite() {
        Result r = run(
                "train",
                "--data",
                dir.resolve("absent").toString(),
                "--plot",
                dir.resolve("run.gif").toString());
        assertOneLine(r);
        assertTrue(r.err().contains("unsupported image type"), r.err());
    }

    @Test
    void versionEverywhere() {
        for (String[] args : new String[][] {
            {"--version"}, {"version"}, {"train", "-V"}, {"train", "--version"}, {"predict", "--version"}
        }) {
            Result r = run(args);
            assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(
                    r.out().startsWith("torchffm ") && r.out().contains("LibTorch"),
                    String.join(" ", args) + ": " + r.out());
        }
    }

    @Test
    void everyCommandHasHelp() {
        for (String cmd : new String[] {"train", "predict", "summary", "doctor", "version"}) {
            Result r = run(cmd, "--help");
            assertEquals(0, r.code(), cmd + ": " + r.err());
            assertTrue(r.out().contains("Usage: torchffm " + cmd), cmd + ": " + r.out());
        }
    }

    @Test
    void predictCountIsBounded() throws Exception {
        Path weights = Files.createFile(dir.resolve("w.pt"));
        for (String count : new String[] {"0", "100000"}) {
            Result r = run("predict", "--weights", weights.toString(), "--count", count);
            assertOneLine(r);
            assertTrue(r.err().contains("--count must be between 1 and " + PredictCommand.MAX_COUNT), r.err());
        }
    }

    @Test
    void predictTakesWeightsNotModel() {
        Result r = run("predict", "--weights", dir.resolve("none.pt").toString());
        assertOneLine(r);
        assertTrue(r.err().contains("no weights file"), r.err());
        Result missing = run("predict");
        assertOneLine(missing);
        assertTrue(missing.err().contains("--weights"), missing.err());
        assertFalse(run("predict", "--help").out().contains("--model"), "--model is a hidden alias in predict");
    }

    @Test
    void onlyUserErrorsLoseTheirStackTrace() {
        StringWriter text = new StringWriter();
        PrintWriter err = new PrintWriter(text, true);
        assertEquals(2, Main.report(new UserInputException("bad flag"), err));
        assertEquals(2, Main.report(new MalformedFileException(Path.of("x.pt"), "bad file"), err));
        assertEquals(2, Main.report(new TorchException(TorchException.Kind.OUT_OF_MEMORY, "CUDA out of memory"), err));
        assertEquals(3, text.toString().lines().count(), text.toString());
        assertFalse(text.toString().contains("\tat "), text.toString());
        for (RuntimeException bug : new RuntimeException[] {
            new IllegalArgumentException("library bug"),
            new IllegalStateException("library bug"),
            new TorchException(TorchException.Kind.INVALID_ARGUMENT, "shape")
        }) {
            StringWriter trace = new StringWriter();
            assertEquals(1, Main.report(bug, new PrintWriter(trace, true)));
            assertTrue(trace.toString().contains("\tat "), "stack trace kept: " + trace);
        }
    }

    @Test
    void aDamagedWeightsFileIsOneLineNamingIt() throws Exception {
        Path weights = Files.writeString(dir.resolve("damaged.pt"), "not a checkpoint");
        Result r = run(
                "predict",
                "--weights",
                weights.toString(),
                "--data",
                dir.resolve("absent").toString());
        assertOneLine(r);
        assertTrue(r.err().contains("damaged.pt"), "names the weights file, checked before the data: " + r.err());
    }
}
