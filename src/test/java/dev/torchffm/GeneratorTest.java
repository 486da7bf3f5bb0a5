package dev.torchffm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchffm.data.Batch;
import dev.torchffm.data.Batches;
import dev.torchffm.nn.Conv2d;
import dev.torchffm.nn.Linear;
import dev.torchffm.nn.ReLU;
import dev.torchffm.nn.Sequential;
import dev.torchffm.optim.SGD;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Generators: seeded, independent of the default generator and of each other, accepted everywhere. */
class GeneratorTest {
    private static float[] rand(Generator g, long n) {
        try (Tensor t = Tensor.rand(DType.FLOAT32, Device.CPU, g, n)) {
            return t.toFloatArray();
        }
    }

    @Test
    void aNewGeneratorDrawsWhatTheDefaultDrawsAfterTheSameSeed() {
        Torch.manualSeed(7);
        float[] fromDefault = rand(null, 10);
        long[] permDefault;
        try (Tensor p = Tensor.randperm(20, Device.CPU)) {
            permDefault = p.toLongArray();
        }
        try (Generator g = Generator.cpu(7);
                Tensor p2 = Tensor.rand(DType.FLOAT32, Device.CPU, g, 10);
                Tensor perm = Tensor.randperm(20, Device.CPU, g)) {
            assertArrayEquals(fromDefault, p2.toFloatArray());
            assertArrayEquals(permDefault, perm.toLongArray());
            assertEquals(Device.CPU, g.device());
        }
    }

    @Test
    void generatorsAreIndependentAndReseedable() {
        try (Generator a = Generator.cpu(1);
                Generator b = Generator.cpu(1);
                Generator c = Generator.cpu(2)) {
            float[] a1 = rand(a, 8);
            rand(null, 100); // draws from the default generator change nothing
            rand(c, 100);
            assertArrayEquals(a1, rand(b, 8));
            float[] a2 = rand(a, 8);
            assertFalse(java.util.Arrays.equals(a1, a2), "a generator advances");
            a.manualSeed(1);
            assertArrayEquals(a1, rand(a, 8));
            assertFalse(java.util.Arrays.equals(a1, rand(Generator.cpu(3), 8)));
        }
    }

    @Test
    void initialisersAndLayersTakeAGenerator() {
        try (Generator g1 = Generator.cpu(5);
                Generator g2 = Generator.cpu(5);
                TensorScope scope = TensorScope.open()) {
            Tensor w1 = Tensor.zeros(DType.FLOAT32, Device.CPU, 4, 3);
            Tensor w2 = Tensor.zeros(DType.FLOAT32, Device.CPU, 4, 3);
            Init.kaimingUniform(w1, Math.sqrt(5), g1);
            Init.xavierUniform(w1, 1.0, g1);
            Init.uniform(w1, -1, 1, g1);
            Init.kaimingUniform(w2, Math.sqrt(5), g2);
            Init.xavierUniform(w2, 1.0, g2);
            Init.uniform(w2, -1, 1, g2);
            assertArrayEquals(w1.toFloatArray(), w2.toFloatArray());

            // With the default generator the same seed gives the same parameters as a generator.
            Torch.manualSeed(11);
            try (Linear byDefault = new Linear(6, 4);
                    Generator g = Generator.cpu(11);
                    Linear own = new Linear(6, 4, g);
                    Conv2d c1 = new Conv2d(2, 3, 3, 1, 1, g1);
                    Conv2d c2 = new Conv2d(2, 3, 3, 1, 1, g2)) {
                assertArrayEquals(
                        byDefault.weight().toFloatArray(), own.weight().toFloatArray());
                assertArrayEquals(c1.weight().toFloatArray(), c2.weight().toFloatArray());
            }
        }
    }

    @Test
    void shuffledBatchesTakeAGenerator() {
        try (TensorScope scope = TensorScope.open();
                Generator g1 = Generator.cpu(3);
                Generator g2 = Generator.cpu(3)) {
            Tensor x = Tensor.of(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 10, 1);
            Tensor y = Tensor.of(new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 10);
            List<Long> first = order(Batches.shuffled(x, y, 3, g1));
            rand(null, 5);
            assertEquals(first, order(Batches.shuffled(x, y, 3, g2)));
            assertEquals(10, first.stream().distinct().count());
            assertThrows(NullPointerException.class, () -> Batches.shuffled(x, y, 3, null));
        }
    }

    private static List<Long> order(Batches batches) {
        List<Long> labels = new ArrayList<>();
        for (Batch b : batches) {
            try (b) {
                for (long l : b.y().toLongArray()) {
                    labels.add(l);
                }
            }
        }
        return labels;
    }

    @Test
    void closedGeneratorIsRefused() {
        Generator g = Generator.cpu(1);
        g.close();
        assertThrows(IllegalStateException.class, () -> Tensor.rand(DType.FLOAT32, Device.CPU, g, 2));
        assertThrows(IllegalStateException.class, () -> g.manualSeed(2));
        g.close();
        assertTrue(g.isClosed());
    }

    @Test
    void cudaGeneratorNeedsCuda() {
        if (!Torch.cudaAvailable()) {
            assertThrows(RuntimeException.class, () -> Generator.of(new Device(Device.Type.CUDA, 0), 1));
        }
    }

    // A small model built, and trained on data drawn, from its own generator only.
    private static float[] trainWithOwnGenerator(long seed) {
        try (Generator g = Generator.cpu(seed);
                TensorScope scope = TensorScope.open();
                Sequential net = new Sequential(new Linear(4, 8, g), new ReLU(), new Linear(8, 3, g))) {
            Tensor x = Tensor.rand(DType.FLOAT32, Device.CPU, g, 64, 4);
            Tensor y = x.narrow(1, 0, 3).argmax(1, false);
            try (SGD sgd = new SGD(net.parameters(), SGD.Options.lr(0.5).withMomentum(0.9))) {
                for (int epoch = 0; epoch < 3; epoch++) {
                    for (Batch b : Batches.shuffled(x, y, 16, g)) {
                        try (b;
                                TensorScope step = TensorScope.open()) {
                            sgd.zeroGrad();
                            Functional.crossEntropy(net.forward(b.x()), b.y()).backward();
                            sgd.step();
                        }
                    }
                }
            }
            List<Float> all = new ArrayList<>();
            for (Tensor p : net.parameters()) {
                for (float v : p.toFloatArray()) {
                    all.add(v);
                }
            }
            float[] out = new float[all.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = all.get(i);
            }
            return out;
        }
    }

    @Test
    void eightVirtualThreadsTrainingSameSeedModelsMatchOneRunAlone() throws Exception {
        float[] alone = trainWithOwnGenerator(42);
        try (ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<float[]>> runs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                runs.add(vts.submit(() -> trainWithOwnGenerator(42)));
            }
            for (int i = 0; i < 20; i++) {
                rand(null, 1000); // meanwhile, this thread draws from the default generator
            }
            for (Future<float[]> run : runs) {
                assertArrayEquals(alone, run.get());
            }
        }
        assertFalse(java.util.Arrays.equals(alone, trainWithOwnGenerator(43)));
    }
}
