package dev.torchffm.train;

import dev.torchffm.Functional;
import dev.torchffm.Tensor;
import dev.torchffm.TensorScope;
import dev.torchffm.data.Batch;
import dev.torchffm.data.Batches;
import dev.torchffm.data.FashionMnist;
import dev.torchffm.nn.Module;
import dev.torchffm.optim.SGD;
import java.util.ArrayList;
import java.util.List;

/**
 * The chapter's training loop (d2l {@code train_ch6}): mini-batch SGD on cross-entropy, one shuffle
 * per epoch, then test accuracy. Figures are accumulated on the device and read once per epoch.
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
        try (SGD sgd = new SGD(net.parameters(), options)) {
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                EpochStats stats = epoch(epoch, net, sgd, data);
                history.add(stats);
                progress.epochDone(stats);
            }
        }
        return history;
    }

    private EpochStats epoch(int epoch, Module net, SGD sgd, FashionMnist data) {
        long start = System.nanoTime();
        net.train();
        Tensor images = data.trainImages();
        try (TensorScope epochScope = TensorScope.open();
                Counter lossSum = new Counter(images.device());
                Counter correct = new Counter(images.device())) {
            Batches batches = Batches.shuffled(images, data.trainLabels(), config.batchSize());
            progress.epochStarted(epoch, batches.count());
            long step = 0;
            for (Batch b : batches) {
                try (TensorScope stepScope = TensorScope.open()) {
                    sgd.zeroGrad();
                    Tensor logits = net.forward(b.x());
                    Tensor loss = Functional.crossEntropy(logits, b.y());
                    loss.backward();
                    sgd.step();
                    lossSum.add(loss.detach().mul(b.size()));
                    correct.add(Metrics.correct(logits.detach(), b.y()));
                    b.close();
                }
                progress.stepDone(epoch, ++step);
            }
            long n = images.size(0);
            double loss = lossSum.value() / n;
            double trainAcc = correct.value() / n;
            double testAcc = Evaluation.accuracy(net, data.testImages(), data.testLabels(), config.batchSize());
            return new EpochStats(epoch, loss, trainAcc, testAcc, (System.nanoTime() - start) / 1e9);
        }
    }
}
