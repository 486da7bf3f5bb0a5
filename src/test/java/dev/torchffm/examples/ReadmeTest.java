package dev.torchffm.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.torchffm.datasets.FashionMnist;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

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
        assertEquals(3, snippets.size(), "snippets in ReadmeExamples.java");
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
