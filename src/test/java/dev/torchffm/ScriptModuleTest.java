package dev.torchffm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TorchScript models scripted and traced by Python (src/test/python/gen_script_models.py, run here)
 * give Python's outputs in Java; bad files and bad inputs give clear errors.
 */
class ScriptModuleTest {
    @TempDir
    static Path dir;

    static JsonObject expected;

    @BeforeAll
    static void generate() throws Exception {
        assumeTrue(pythonTorch(), "python3-torch is not installed");
        Process p = new ProcessBuilder("/usr/bin/python3", "src/test/python/gen_script_models.py", dir.toString())
                .redirectErrorStream(true)
                .start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), () -> "gen_script_models.py failed:\n" + log);
        expected = JsonParser.parseString(Files.readString(dir.resolve("expected.json")))
                .getAsJsonObject();
    }

    static boolean pythonTorch() {
        try {
            return new ProcessBuilder("/usr/bin/python3", "-c", "import torch")
                            .start()
                            .waitFor()
                    == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Tensor input() {
        JsonObject in = expected.getAsJsonObject("input");
        return Tensor.of(Golden.floats(in.getAsJsonArray("data")), Golden.shape(in));
    }

    private static JsonArray outputs(String model) {
        return expected.getAsJsonObject("outputs").getAsJsonArray(model);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet_scripted", "lenet_traced", "cnn_scripted", "cnn_traced"})
    void givesPythonsOutputs(String name) {
        try (ScriptModule model = ScriptModule.load(dir.resolve(name + ".pt"), Device.CPU);
                TensorScope scope = TensorScope.open()) {
            assertEquals(1, model.inputCount());
            Tensor y = model.forward(input());
            JsonObject want =
                    outputs(name.substring(0, name.indexOf('_'))).get(0).getAsJsonObject();
            assertArrayEquals(Golden.shape(want), y.shape());
            assertArrayEquals(Golden.floats(want.getAsJsonArray("data")), y.toFloatArray(), 1e-5f);
            assertTrue(!y.requiresGrad(), "inference records no autograd history");
        }
    }

    @Test
    void tupleOutputsComeBackInOrder() {
        try (ScriptModule model = ScriptModule.load(dir.resolve("two_heads_scripted.pt"), Device.CPU);
                TensorScope scope = TensorScope.open()) {
            List<Tensor> ys = model.forwardAll(input());
            JsonArray want = outputs("two_heads");
            assertEquals(want.size(), ys.size());
            for (int i = 0; i < ys.size(); i++) {
                JsonObject w = want.get(i).getAsJsonObject();
                assertArrayEquals(Golden.shape(w), ys.get(i).shape());
                assertArrayEquals(
                        Golden.floats(w.getAsJsonArray("data")), ys.get(i).toFloatArray(), 1e-5f);
            }
            var e = assertThrows(IllegalArgumentException.class, () -> model.forward(input()));
            assertTrue(e.getMessage().contains("forwardAll"), e.getMessage());
        }
    }

    @Test
    void tellsTorchScriptFromCheckpoints() throws IOException {
        assertTrue(ScriptModule.isTorchScript(dir.resolve("lenet_scripted.pt")));
        assertTrue(ScriptModule.isTorchScript(dir.resolve("cnn_traced.pt")));
        assertTrue(!ScriptModule.isTorchScript(dir.resolve("lenet_state_dict.pt")));
        assertTrue(!ScriptModule.isTorchScript(Files.writeString(dir.resolve("plain.txt"), "text")));
    }

    @Test
    void missingFile() {
        var e = assertThrows(UncheckedIOException.class, () -> ScriptModule.load(dir.resolve("nope.pt"), Device.CPU));
        assertInstanceOf(NoSuchFileException.class, e.getCause());
        assertTrue(e.getMessage().contains("nope.pt"), e.getMessage());
    }

    @Test
    void stateDictIsNotTorchScript() {
        Path file = dir.resolve("lenet_state_dict.pt");
        var e = assertThrows(IllegalArgumentException.class, () -> ScriptModule.load(file, Device.CPU));
        assertTrue(
                e.getMessage().contains(file.toString()) && e.getMessage().contains("not a TorchScript file"),
                e.getMessage());
    }

    @Test
    void arbitraryFileIsNotTorchScript() throws IOException {
        Path file = Files.writeString(dir.resolve("text.pt"), "not a model");
        var e = assertThrows(IllegalArgumentException.class, () -> ScriptModule.load(file, Device.CPU));
        assertTrue(e.getMessage().contains("not a TorchScript file"), e.getMessage());
    }

    @Test
    void wrongInputCount() {
        try (ScriptModule model = ScriptModule.load(dir.resolve("lenet_scripted.pt"), Device.CPU);
                TensorScope scope = TensorScope.open()) {
            Tensor x = input();
            var e = assertThrows(IllegalArgumentException.class, () -> model.forward(x, x));
            assertTrue(e.getMessage().contains("takes 1 input(s), got 2"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> model.forward());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet_scripted", "lenet_traced"})
    void wrongShape(String name) {
        try (ScriptModule model = ScriptModule.load(dir.resolve(name + ".pt"), Device.CPU);
                TensorScope scope = TensorScope.open()) {
            Tensor x = Tensor.zeros(DType.FLOAT32, Device.CPU, 2, 3, 28, 28);
            var e = assertThrows(TorchException.class, () -> model.forward(x));
            assertTrue(
                    e.getMessage().contains("failed for input(s) Float [2, 3, 28, 28]")
                            && e.getMessage().contains("channels"),
                    e.getMessage());
            assertTrue(!e.getMessage().contains("Traceback"), "only the model's own error: " + e.getMessage());
        }
    }

    @Test
    void wrongDtype() {
        try (ScriptModule model = ScriptModule.load(dir.resolve("lenet_scripted.pt"), Device.CPU);
                TensorScope scope = TensorScope.open()) {
            Tensor x = Tensor.zeros(DType.FLOAT64, Device.CPU, 1, 1, 28, 28);
            var e = assertThrows(TorchException.class, () -> model.forward(x));
            assertTrue(e.getMessage().contains("failed for input(s) Double [1, 1, 28, 28]"), e.getMessage());
        }
    }

    @Test
    void closedModelAndClosedInput() {
        ScriptModule model = ScriptModule.load(dir.resolve("lenet_scripted.pt"), Device.CPU);
        Tensor x = input();
        x.close();
        assertThrows(IllegalStateException.class, () -> model.forward(x));
        model.close();
        model.close();
        try (Tensor y = input()) {
            assertThrows(IllegalStateException.class, () -> model.forward(y));
        }
    }
}
