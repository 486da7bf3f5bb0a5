package dev.torchffm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchffm.CpuCache;
import dev.torchffm.DType;
import dev.torchffm.Device;
import dev.torchffm.MemoryFormat;
import dev.torchffm.Tensor;
import dev.torchffm.TensorScope;
import dev.torchffm.Torch;
import dev.torchffm.data.Batches;
import dev.torchffm.data.TrainTestData;
import dev.torchffm.models.LeNet;
import dev.torchffm.nn.Sequential;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The speedups compute the chapter's training, only faster: on a small random data set each one
 * alone, and all together, follow the reference run's losses, accuracies and weights.
 */
class SpeedupsTest {
    private static Tensor trainX;
    private static Tensor trainY;
    private static Tensor testX;
    private static Tensor testY;

    @BeforeAll
    static void data() {
        Torch.manualSeed(7);
        trainX = Tensor.rand(DType.FLOAT32, Device.CPU, 600, 1, 28, 28).keep();
        testX = Tensor.rand(DType.FLOAT32, Device.CPU, 300, 1, 28, 28).keep();
        try (TensorScope s = TensorScope.open()) {
            // Labels from the mean brightness, so that there is something to learn.
            trainY = label(trainX).keep();
            testY = label(testX).keep();
        }
    }

    private static Tensor label(Tensor x) {
        return x.reshape(x.size(0), -1).argmax(1, false).mul(10.0 / 784).to(DType.INT64);
    }

    @AfterAll
    static void close() {
        List.of(trainX, trainY, testX, testY).forEach(Tensor::close);
    }

    private static final TrainTestData DATA = new TrainTestData() {
        @Override
        public Batches trainBatches(int batchSize) {
            return Batches.shuffled(trainX, trainY, batchSize);
        }

        @Override
        public Batches testBatches(int batchSize) {
            return Batches.sequential(testX, testY, batchSize);
        }
    };

    private record Run(List<EpochStats> history, float[] weights) {}

    private static Run train(Set<Speedup> speedups) {
        TrainConfig config = new TrainConfig(2, 64, 0.9, 0, 0, Device.CPU, false, speedups);
        Torch.manualSeed(3);
        try (Sequential net = LeNet.classic()) {
            List<EpochStats> history = new Trainer(config, Progress.NONE).fit(net, DATA);
            for (Tensor p : net.parameters()) {
                if (p.dim() == 4) {
                    assertTrue(p.isContiguous(MemoryFormat.CONTIGUOUS), "weights leave in the layout they came in");
                }
            }
            Tensor first = net.parameters().get(0);
            return new Run(history, first.toFloatArray());
        }
    }

    private static void assertSameTraining(Run expected, Run actual, double tolerance) {
        for (int i = 0; i < expected.history().size(); i++) {
            EpochStats e = expected.history().get(i);
            EpochStats a = actual.history().get(i);
            assertEquals(e.loss(), a.loss(), tolerance, "loss of epoch " + (i + 1));
            assertEquals(e.trainAcc(), a.trainAcc(), tolerance == 0 ? 0 : 2.0 / 600, "train accuracy");
            assertEquals(e.testAcc(), a.testAcc(), tolerance == 0 ? 0 : 2.0 / 300, "test accuracy");
        }
        float[] w = expected.weights();
        float[] v = actual.weights();
        for (int i = 0; i < w.length; i++) {
            assertEquals(w[i], v[i], tolerance, "conv1 weight " + i);
        }
    }

    @Test
    void gradNoneAndEvalBatchGiveTheReferenceNumbersExactly() {
        Run reference = train(Set.of());
        assertSameTraining(reference, train(EnumSet.of(Speedup.GRAD_NONE)), 0);
        assertSameTraining(reference, train(EnumSet.of(Speedup.EVAL_BATCH)), 0);
    }

    @Test
    void cpuCacheGivesTheReferenceNumbersExactlyAndIsOffAfterwards() {
        Run reference = train(Set.of());
        assertFalse(CpuCache.isEnabled());
        long hits = CpuCache.stats().hits();
        assertSameTraining(reference, train(EnumSet.of(Speedup.CPU_CACHE)), 0);
        assertTrue(CpuCache.stats().hits() > hits, "the steps reused cached buffers");
        assertFalse(CpuCache.isEnabled(), "fit restores the allocator it found");
    }

    @Test
    void channelsLastAndAllSpeedupsFollowTheReferenceToRounding() {
        Run reference = train(Set.of());
        assertSameTraining(reference, train(EnumSet.of(Speedup.CHANNELS_LAST)), 1e-4);
        assertSameTraining(reference, train(Speedup.all()), 1e-4);
    }

    @Test
    void configDefaultsToTheDefaultSpeedupsAndReferenceHasNone() {
        TrainConfig chapter = TrainConfig.chapter(Device.CPU);
        assertEquals(Speedup.defaults(), chapter.speedups());
        assertTrue(chapter.reference().speedups().isEmpty());
        assertEquals(Speedup.CHANNELS_LAST, Speedup.parse("channels-last"));
        assertThrows(IllegalArgumentException.class, () -> Speedup.parse("turbo"));
        assertThrows(NullPointerException.class, () -> chapter.withSpeedups(null));
    }
}
