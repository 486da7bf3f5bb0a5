package dev.torchffm.train;

import dev.torchffm.Tensor;

/** Per-batch figures computed on the device, so that no step waits for the host. */
final class Metrics {
    private Metrics() {}

    /** The number of rows of {@code logits} whose argmax equals the label (0-dim int64). */
    static Tensor correct(Tensor logits, Tensor labels) {
        return logits.argmax(1, false).eq(labels).sum();
    }
}
