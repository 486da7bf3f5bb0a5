package dev.torchffm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchffm.models.LeNet;
import dev.torchffm.nn.Sequential;
import dev.torchffm.optim.SGD;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The threading model: models train concurrently, errors stay with the thread that caused them. */
class ThreadsTest {
    private static final int STEPS = 20;

    /** Trains a fresh LeNet on fixed batches (no shared random state) and returns its weights. */
    private static float[] train(long seedOffset, Tensor images, Tensor labels) throws Exception {
        Sequential net;
        synchronized (ThreadsTest.class) { // the default generator is process-wide: draw inits one at a time
            Torch.manualSeed(7 + seedOffset);
            net = LeNet.classic();
        }
        try (net;
                SGD sgd = new SGD(net.parameters(), SGD.Options.lr(0.9))) {
            for (int i = 0; i < STEPS; i++) {
                try (TensorScope step = TensorScope.open()) {
                    long start = (i * 32L) % (images.size(0) - 32);
                    sgd.zeroGrad();
                    Functional.crossEntropy(net.forward(images.narrow(0, start, 32)), labels.narrow(0, start, 32))
                            .backward();
                    sgd.step();
                }
            }
            return net.parameters().get(0).toFloatArray();
        }
    }

    @Test
    void twoModelsTrainedAtOnceMatchTrainingThemOneAfterTheOther() throws Exception {
        try (Tensor images = Tensor.rand(DType.FLOAT32, Device.CPU, 256, 1, 28, 28);
                Tensor labels = randomLabels(256)) {
            float[] a = train(0, images, labels);
            float[] b = train(1, images, labels);
            try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
                Future<float[]> fa = pool.submit(() -> train(0, images, labels));
                Future<float[]> fb = pool.submit(() -> train(1, images, labels));
                assertArrayEquals(a, fa.get());
                assertArrayEquals(b, fb.get());
            }
        }
    }

    @Test
    void errorsReachTheVirtualThreadThatCausedThemAcrossCarriers() throws Exception {
        try (ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                int n = 2 + i % 50;
                results.add(vts.submit((Callable<String>) () -> {
                    try (TensorScope s = TensorScope.open()) {
                        Tensor a = Tensor.ones(DType.FLOAT32, Device.CPU, n, 3);
                        Thread.yield(); // invite a move to another carrier
                        try {
                            a.matmul(Tensor.ones(DType.FLOAT32, Device.CPU, n + 4, 3));
                            return "no error";
                        } catch (TorchException e) {
                            Thread.yield();
                            assertEquals(3.0 * n, a.sum().item()); // the thread's context is clean again
                            return e.getMessage();
                        }
                    }
                }));
            }
            for (int i = 0; i < results.size(); i++) {
                int n = 2 + i % 50;
                String message = results.get(i).get();
                assertTrue(message.contains("(" + n + "x3 and " + (n + 4) + "x3)"), "thread " + i + " got: " + message);
            }
        }
    }

    @Test
    void gradModeBelongsToTheThread() throws Exception {
        try (NoGrad g = Torch.noGrad()) {
            Thread other = Thread.ofVirtual().start(() -> assertTrue(Torch.isGradEnabled()));
            other.join();
            assertTrue(!Torch.isGradEnabled());
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
