package dev.torchffm.train;

import dev.torchffm.TensorScope;
import dev.torchffm.Torch;
import dev.torchffm.TrustedIndices;
import dev.torchffm.data.Batch;
import dev.torchffm.data.Batches;
import dev.torchffm.data.FashionMnist;
import dev.torchffm.nn.Module;
import dev.torchffm.optim.SGD;
import java.util.ArrayList;
import java.util.List;

/**
 * The chapter's training loop (d2l {@code train_ch6}): mini-batch SGD on cross-entropy, one shuffle
 * per epoch, then test accuracy. Figures are accumulated on the device and read once per epoch. On
 * CUDA with {@link TrainConfig#cudaGraph()} the step is captured once and replayed per batch.
 */
public final class Trainer {
    private final TrainConfig config;
    private final Progress progress;

    public Trainer(TrainConfig config, Progress progress) {
        this.config = config;
        this.progress = progress;
    }

    /** Trains {@code net} (already on the config's device) and returns each epoch's figures. */
    public List<EpochStats> fit(Module net, FashionMnist data) {
        List<EpochStats> history = new ArrayList<>();
        SGD.Options options = SGD.Options.lr(config.lr()).withMomentum(config.momentum())
                .withWeightDecay(config.weightDecay());
        var device = data.trainImages().device();
        try (SGD sgd = new SGD(net.parameters(), options);
                Counter lossSum = new Counter(device);
                Counter correct = new Counter(device)) {
            TrainStep step = new TrainStep(net, sgd, lossSum, correct);
            try (GraphedStep graphed = config.cudaGraph() && device.isCuda()
                    ? new GraphedStep(step, config.batchSize(), device) : null) {
                for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                    EpochStats stats = epoch(epoch, net, step, graphed, data, lossSum, correct);
                    history.add(stats);
                    progress.epochDone(stats);
                }
            }
        }
        return history;
    }

    private EpochStats epoch(int epoch, Module net, TrainStep step, GraphedStep graphed, FashionMnist data,
            Counter lossSum, Counter correct) {
        long start = System.nanoTime();
        net.train();
        lossSum.reset();
        correct.reset();
        // Labels were range-checked when the data set loaded and batch indices come from a
        // permutation: no step needs the CUDA range checks, so no step waits for the GPU.
        try (TensorScope epochScope = TensorScope.open(); TrustedIndices trusted = Torch.trustIndices()) {
            Batches batches = Batches.shuffled(data.trainImages(), data.trainLabels(), config.batchSize());
            progress.epochStarted(epoch, batches.count());
            long n = 0;
            long steps = 0;
            for (Batch b : batches) {
                try (b) {
                    if (graphed != null) {
                        graphed.run(b);
                    } else {
                        step.run(b.x(), b.y());
                    }
                    n += b.size();
                }
                progress.stepDone(epoch, ++steps);
            }
            double loss = lossSum.value() / n;
            double trainAcc = correct.value() / n;
            double testAcc = Evaluation.accuracy(net, data.testImages(), data.testLabels(), config.batchSize());
            return new EpochStats(epoch, loss, trainAcc, testAcc, (System.nanoTime() - start) / 1e9);
        }
    }
}
