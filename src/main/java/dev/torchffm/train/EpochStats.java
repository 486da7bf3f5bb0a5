package dev.torchffm.train;

import java.util.Locale;

/** One epoch's figures: mean loss per training example, accuracies, and wall seconds. */
public record EpochStats(int epoch, double loss, double trainAcc, double testAcc, double seconds) {
    /** The chapter's line: {@code epoch 1, loss 2.2881, train acc 0.120, test acc 0.277, time 5.5 sec}. */
    public String line() {
        return String.format(
                Locale.ROOT,
                "epoch %d, loss %.4f, train acc %.3f, test acc %.3f, time %.1f sec",
                epoch,
                loss,
                trainAcc,
                testAcc,
                seconds);
    }
}
