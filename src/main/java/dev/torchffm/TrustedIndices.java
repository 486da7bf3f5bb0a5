package dev.torchffm;

import dev.torchffm.internal.CallContext;

/** A region without CUDA range checks of labels and indices; see {@link Torch#trustIndices()}. */
public final class TrustedIndices implements AutoCloseable {
    private final CallContext context;
    private final boolean previous;
    private boolean closed;

    TrustedIndices() {
        context = CallContext.get();
        previous = context.trustIndices();
        context.trustIndices(true);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            context.trustIndices(previous);
        }
    }
}
