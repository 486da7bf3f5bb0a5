package dev.torchffm.serialize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.torchffm.DType;
import dev.torchffm.Device;
import dev.torchffm.Tensor;
import dev.torchffm.TensorScope;
import dev.torchffm.Torch;
import dev.torchffm.models.LeNet;
import dev.torchffm.nn.Linear;
import dev.torchffm.nn.Sequential;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints round-trip in Java and cross to and from Python PyTorch. */
class StateDictTest {
    // The chapter's net in Python, with the same state_dict keys as LeNet.classic().
    private static final String PY_NET = """
            import sys, torch
            from torch import nn
            net = nn.Sequential(nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.Sigmoid(), nn.AvgPool2d(2, stride=2),
                nn.Conv2d(6, 16, kernel_size=5), nn.Sigmoid(), nn.AvgPool2d(2, stride=2), nn.Flatten(),
                nn.Linear(400, 120), nn.Sigmoid(), nn.Linear(120, 84), nn.Sigmoid(), nn.Linear(84, 10))
            x = torch.arange(784, dtype=torch.float32).reshape(1, 1, 28, 28) / 784
            """;

    @TempDir
    Path dir;

    @Test
    void roundTripInJava() {
        Path file = dir.resolve("lenet.pt");
        try (Sequential a = LeNet.classic();
                Sequential b = LeNet.classic();
                TensorScope s = TensorScope.open()) {
            StateDict.save(a, file);
            StateDict.load(b, file);
            Tensor x = Tensor.rand(DType.FLOAT32, Device.CPU, 2, 1, 28, 28);
            assertArrayEquals(a.forward(x).toFloatArray(), b.forward(x).toFloatArray());
        }
    }

    @Test
    void mismatchedCheckpointsAreRejectedByName() {
        Path file = dir.resolve("linear.pt");
        try (Linear small = new Linear(3, 2);
                Sequential net = LeNet.classic()) {
            StateDict.save(small, file);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StateDict.load(net, file));
            assertTrue(e.getMessage().contains("missing 0.weight"), e.getMessage());
            assertTrue(e.getMessage().contains("unexpected weight"), e.getMessage());
        }
    }

    @Test
    void unreadableFilesGiveJavaExceptionsNamingTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.pt"), "not a checkpoint");
        Path absent = dir.resolve("absent.pt");
        try (Sequential net = LeNet.classic()) {
            IllegalArgumentException bad =
                    assertThrows(IllegalArgumentException.class, () -> StateDict.load(net, file));
            assertTrue(bad.getMessage().contains(file.toString()), bad.getMessage());
            UncheckedIOException missing = assertThrows(UncheckedIOException.class, () -> StateDict.load(net, absent));
            assertTrue(missing.getMessage().contains(absent.toString()), missing.getMessage());
        }
    }

    @Test
    void pythonReadsWhatJavaSaves() throws Exception {
        assumeTrue(pythonTorch(), "python3-torch is not installed");
        Path file = dir.resolve("from-java.pt");
        try (Sequential net = LeNet.classic();
                TensorScope s = TensorScope.open()) {
            StateDict.save(net, file);
            float[] expected = net.forward(pythonInput()).toFloatArray();
            String out = python(PY_NET + """
                    net.load_state_dict(torch.load(sys.argv[1], weights_only=True))  # the safe default of PyTorch 2.6+
                    print(' '.join(repr(v) for v in net(x).detach().flatten().tolist()))
                    """, file.toString());
            assertClose(parse(out), expected);
        }
    }

    @Test
    void javaReadsWhatPythonSaves() throws Exception {
        assumeTrue(pythonTorch(), "python3-torch is not installed");
        Path file = dir.resolve("from-python.pt");
        String out = python(PY_NET + """
                torch.manual_seed(7)
                for m in net:
                    if hasattr(m, 'weight'): nn.init.normal_(m.weight)
                torch.save(net.state_dict(), sys.argv[1])
                print(' '.join(repr(v) for v in net(x).detach().flatten().tolist()))
                """, file.toString());
        try (Sequential net = LeNet.classic();
                TensorScope s = TensorScope.open()) {
            StateDict.load(net, file);
            assertClose(parse(out), net.forward(pythonInput()).toFloatArray());
        }
    }

    // torch.testing.assert_close's float32 tolerance (rtol 1.3e-6, atol 1e-5): the Python side may run
    // another LibTorch version than the shim (native/check-libtorch.sh), whose kernels round differently.
    private static void assertClose(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, "element count");
        for (int i = 0; i < expected.length; i++) {
            double tolerance = 1e-5 + 1.3e-6 * Math.abs(expected[i]);
            assertEquals(expected[i], actual[i], tolerance, "element " + i);
        }
    }

    // torch.arange(784).reshape(1, 1, 28, 28) / 784, as PY_NET's x.
    private static Tensor pythonInput() {
        float[] x = new float[784];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) i / 784f;
        }
        return Tensor.of(x, 1, 1, 28, 28);
    }

    private static float[] parse(String line) {
        String[] parts = line.trim().split(" ");
        float[] v = new float[parts.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = Float.parseFloat(parts[i]);
        }
        return v;
    }

    static boolean pythonTorch() {
        try {
            return run(List.of("/usr/bin/python3", "-c", "import torch")).exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String python(String script, String arg) throws Exception {
        Process p = run(List.of("/usr/bin/python3", "-c", script, arg));
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.exitValue(), () -> "python failed:\n" + out);
        return out.lines().reduce((a, b) -> b).orElse("");
    }

    private static Process run(List<String> cmd) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(cmd.get(0)))) {
            throw new IOException("no " + cmd.get(0));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + cmd);
        }
        return p;
    }

    static {
        Torch.version(); // load the shim before the first test
    }
}
