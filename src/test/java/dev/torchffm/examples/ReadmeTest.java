package dev.torchffm.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.torchffm.data.Idx;
import dev.torchffm.datasets.FashionMnist;
import dev.torchffm.nn.BatchNorm2d;
import dev.torchffm.nn.Conv2d;
import dev.torchffm.nn.Dropout;
import dev.torchffm.nn.Flatten;
import dev.torchffm.nn.Linear;
import dev.torchffm.nn.MaxPool2d;
import dev.torchffm.nn.ReLU;
import dev.torchffm.nn.Sequential;
import dev.torchffm.serialize.StateDict;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README.md's Java snippets are ReadmeExamples' code, verbatim, and they run. */
class ReadmeTest {
    private static final Path DIR = Path.of(System.getProperty("torchffm.project.dir", "."));

    /** The marked regions of ReadmeExamples.java, indentation removed, as README.md must quote them. */
    static List<String> snippets() throws IOException {
        List<String> lines = Files.readAllLines(DIR.resolve("src/test/java/dev/torchffm/examples/ReadmeExamples.java"));
        List<String> out = new ArrayList<>();
        List<String> current = null;
        for (String line : lines) {
            String t = line.strip();
            if (t.equals("// README:end")) {
                out.add(dedent(current));
                current = null;
            } else if (t.startsWith("// README:")) {
                current = new ArrayList<>();
            } else if (current != null) {
                current.add(line);
            }
        }
        return out;
    }

    private static String dedent(List<String> lines) {
        int indent = lines.stream()
                .filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length())
                .min()
                .orElse(0);
        return String.join(
                "\n",
                lines.stream()
                        .map(l -> l.substring(Math.min(l.length(), indent)))
                        .toList());
    }

    @Test
    void theReadmeQuotesEverySnippetVerbatim() throws IOException {
        String readme = Files.readString(DIR.resolve("README.md"));
        List<String> snippets = snippets();
        assertEquals(5, snippets.size(), "snippets in ReadmeExamples.java");
        for (String s : snippets) {
            assertTrue(readme.contains("```java\n" + s + "\n```"), "README.md must quote verbatim:\n" + s);
        }
    }

    @Test
    void fitALineConverges() {
        String out = stdout(ReadmeExamples::fitALine);
        assertEquals("tensor([[3.0000]], requires_grad=True) tensor([2.0000], requires_grad=True)", out.strip());
    }

    @Test
    void theChapterSnippetTrainsAndPrintsShapes() {
        assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "Fashion-MNIST is not installed");
        String out = stdout(ReadmeExamples::trainTheChapter);
        assertTrue(out.startsWith("epoch 1, loss "), out);
        assertTrue(out.strip().endsWith("Linear(in_features=84, out_features=10) [1, 10]"), out);
    }

    @Test
    void aModelScriptedInPythonRuns(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "no /usr/bin/python3");
        Process p = new ProcessBuilder(
                        "/usr/bin/python3",
                        DIR.resolve("src/test/python/gen_script_models.py").toString(),
                        dir.toString())
                .redirectErrorStream(true)
                .start();
        String log = new String(p.getInputStream().readAllBytes());
        assumeTrue(p.waitFor() == 0 || !log.contains("No module named 'torch'"), "python3-torch is not installed");
        assertEquals(0, p.waitFor(), log);
        String out = stdout(() -> ReadmeExamples.runAModelTrainedInPython(dir.resolve("cnn_scripted.pt")));
        assertTrue(out.strip().matches("\\[\\d(, \\d){7}\\]"), out);
    }

    @Test
    void yourOwnModelTrainsAndItsCheckpointLoads(@TempDir Path dir) throws IOException {
        int n = 256;
        Idx.write(dir.resolve("train-images-idx3-ubyte.gz"), Idx.bytes(new int[] {n, 28, 28}, Idx.data(n * 784, 1)));
        Idx.write(dir.resolve("train-labels-idx1-ubyte.gz"), Idx.bytes(new int[] {n}, Idx.labels(n)));
        Idx.write(dir.resolve("t10k-images-idx3-ubyte.gz"), Idx.bytes(new int[] {n, 28, 28}, Idx.data(n * 784, 2)));
        Idx.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), Idx.bytes(new int[] {n}, Idx.labels(n)));
        Path checkpoint = dir.resolve("my-model.pt");
        String out = stdout(() -> ReadmeExamples.trainYourOwnModel(dir, 2, checkpoint));
        assertTrue(out.startsWith("epoch 1: test accuracy ") && out.contains("epoch 2: test accuracy "), out);
        assertTrue(Files.size(checkpoint) > 0);
        try (Sequential again = new Sequential(
                new Conv2d(1, 8, 3, 1, 1),
                new BatchNorm2d(8),
                new ReLU(),
                new MaxPool2d(2, 2),
                new Flatten(),
                new Dropout(0.2),
                new Linear(8 * 14 * 14, 10))) {
            StateDict.load(again, checkpoint);
            assertEquals(
                    2.0 * n / 128,
                    again.stateDict().get("1.num_batches_tracked").item());
        }
    }

    private static String stdout(Runnable r) {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true));
        try {
            r.run();
        } finally {
            System.setOut(saved);
        }
        return bytes.toString();
    }
}
