package dev.torchffm.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.torchffm.Device;
import dev.torchffm.Generator;
import dev.torchffm.Tensor;
import dev.torchffm.Torch;
import dev.torchffm.data.Batches;
import dev.torchffm.models.LeNet;
import dev.torchffm.nn.Sequential;
import dev.torchffm.train.EpochStats;
import dev.torchffm.train.Progress;
import dev.torchffm.train.TrainConfig;
import dev.torchffm.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Two ranks (threads of this JVM) training LeNet data-parallel on synthetic data give the epoch
 * figures of one process training on the whole batches, and end with identical parameters. Each
 * shuffles with its own generator of the same seed, as separate processes seeded alike do.
 */
class DataParallelTrainingTest {
    private static final int TRAIN = 300; // batches of 64: four full, then 44 (22 per rank)
    private static final int TEST = 90;
    private static final TrainConfig CONFIG = new TrainConfig(2, 64, 0.9, 0, 0, Device.CPU, false);
    private static final Object INIT = new Object(); // layers draw from the default generator: one model at a time

    record Run(List<EpochStats> history, List<float[]> parameters) {}

    @Test
    void twoRanksMatchOneProcess() throws Exception {
        Run single = train(null);
        int port = Ranks.freePort();
        List<Run> ranks = Ranks.run(2, rank -> {
            try (ProcessGroup g = Ranks.join(port, rank, 2)) {
                return train(g);
            }
        });
        for (Run r : ranks) {
            assertEquals(CONFIG.epochs(), r.history().size());
            for (int e = 0; e < CONFIG.epochs(); e++) {
                EpochStats one = single.history().get(e);
                EpochStats dp = r.history().get(e);
                assertEquals(one.loss(), dp.loss(), 1e-4, "loss, epoch " + (e + 1));
                assertEquals(one.trainAcc(), dp.trainAcc(), 1e-4, "train accuracy, epoch " + (e + 1));
                assertEquals(one.testAcc(), dp.testAcc(), 1e-4, "test accuracy, epoch " + (e + 1));
            }
        }
        for (int i = 0; i < single.parameters().size(); i++) {
            assertArrayEquals(
                    ranks.get(0).parameters().get(i), ranks.get(1).parameters().get(i), "parameter " + i);
            assertArrayEquals(
                    single.parameters().get(i), ranks.get(0).parameters().get(i), 1e-4f, "parameter " + i);
        }
    }

    private static Run train(ProcessGroup group) {
        Sequential net;
        synchronized (INIT) {
            Torch.manualSeed(7);
            net = LeNet.classic();
        }
        List<Tensor> data = synthetic();
        try (net;
                Generator shuffle = Generator.cpu(100)) {
            DistributedDataParallel ddp = group == null ? null : new DistributedDataParallel(net, group);
            List<EpochStats> history = new Trainer(CONFIG, Progress.NONE, ddp)
                    .fit(
                            net,
                            Batches.shuffled(data.get(0), data.get(1), CONFIG.batchSize(), shuffle),
                            Batches.sequential(data.get(2), data.get(3), CONFIG.batchSize()));
            List<float[]> params = new ArrayList<>();
            for (Tensor p : net.parameters()) {
                params.add(p.toFloatArray());
            }
            return new Run(history, params);
        } finally {
            data.forEach(Tensor::close);
        }
    }

    /** Train images and labels, then test images and labels: noise plus a bright row that depends on the class. */
    private static List<Tensor> synthetic() {
        Random r = new Random(3);
        int n = TRAIN + TEST;
        float[] x = new float[n * 28 * 28];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(10);
            for (int j = 0; j < 28 * 28; j++) {
                x[i * 784 + j] = r.nextFloat() * 0.5f + (j / 28 == 2 * y[i] + 3 ? 1f : 0f);
            }
        }
        List<Tensor> parts = new ArrayList<>();
        try (Tensor images = Tensor.of(x, n, 1, 28, 28);
                Tensor labels = Tensor.of(y)) {
            for (long[] part : new long[][] {{0, TRAIN}, {TRAIN, TEST}}) {
                parts.add(images.narrow(0, part[0], part[1]).keep());
                parts.add(labels.narrow(0, part[0], part[1]).keep());
            }
        }
        return parts;
    }
}
