package dev.torchffm.data;

import dev.torchffm.Tensor;

/**
 * One mini-batch: inputs {@code x} and labels {@code y}, both with the batch along dimension 0.
 * Closing it frees both tensors (they may also be left to their {@link dev.torchffm.TensorScope}).
 */
public record Batch(Tensor x, Tensor y) implements AutoCloseable {
    /** The number of examples. */
    public long size() {
        return x.size(0);
    }

    @Override
    public void close() {
        x.close();
        y.close();
    }
}
