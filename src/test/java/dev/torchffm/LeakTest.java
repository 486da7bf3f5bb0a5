package dev.torchffm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchffm.models.LeNet;
import dev.torchffm.nn.Sequential;
import dev.torchffm.optim.SGD;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** 300 training steps leave live native tensors at baseline and resident memory flat. */
class LeakTest {
    private static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        throw new AssertionError("no VmRSS");
    }

    private static void steps(int n, Sequential net, SGD sgd, Tensor images, Tensor labels) {
        for (int i = 0; i < n; i++) {
            try (TensorScope step = TensorScope.open()) {
                long start = (i * 64L) % (images.size(0) - 64);
                sgd.zeroGrad();
                Tensor loss =
                        Functional.crossEntropy(net.forward(images.narrow(0, start, 64)), labels.narrow(0, start, 64));
                loss.backward();
                sgd.step();
                loss.item();
            }
        }
    }

    @Test
    void trainingStepsLeakNothing() throws Exception {
        long baseline = Torch.liveTensors();
        try (Tensor images = Tensor.rand(DType.FLOAT32, Device.CPU, 1024, 1, 28, 28);
                Tensor labels = randomLabels(1024);
                Sequential net = LeNet.classic();
                SGD sgd = new SGD(net.parameters(), SGD.Options.lr(0.9))) {
            long withModel = Torch.liveTensors();
            steps(50, net, sgd, images, labels); // warm-up: allocator caches, JIT
            long rssWarm = rssKb();
            steps(300, net, sgd, images, labels);
            long rssAfter = rssKb();
            assertEquals(withModel, Torch.liveTensors(), "live native tensors back to baseline");
            assertTrue(rssAfter < rssWarm * 1.05, "RSS grew from " + rssWarm + " kB to " + rssAfter + " kB");
        }
        assertEquals(baseline, Torch.liveTensors());
    }

    @Test
    void theLeakTrackerNamesWhereAnOpenTensorWasMade() throws Exception {
        // Tracking is opt-in (-Dtorchffm.trackLeaks=true); run a child JVM with it on.
        Process p = new ProcessBuilder(ChildJvm.command(LeakyProgram.class, "-Dtorchffm.trackLeaks=true"))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("1 open tensor(s)"), out);
        assertTrue(out.contains("LeakyProgram.leak"), out);
        assertTrue(out.contains("torchffm: tensors never closed: 1 open tensor(s)"), "reported at exit: " + out);
    }

    /** Makes one tensor it never closes and prints the tracker's report. */
    public static final class LeakyProgram {
        static Tensor leak() {
            return Tensor.ones(DType.FLOAT32, Device.CPU, 3);
        }

        public static void main(String[] args) {
            Tensor closed = Tensor.ones(DType.FLOAT32, Device.CPU, 2);
            closed.close();
            leak();
            System.out.println(LeakTracker.report());
        }
    }

    /** Random class labels 0..9 (int64); the intermediates are freed with their scope. */
    static Tensor randomLabels(long n) {
        try (TensorScope s = TensorScope.open()) {
            return Tensor.rand(DType.FLOAT32, Device.CPU, n)
                    .mul(10)
                    .to(DType.INT64)
                    .keep();
        }
    }
}
