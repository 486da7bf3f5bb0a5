package dev.torchffm;

import dev.torchffm.internal.CallContext;

/**
 * A region in which the current thread's operations record no autograd history, as {@code
 * torch.no_grad()}. Obtain with {@link Torch#noGrad()}; regions nest; close on the same thread.
 */
public final class NoGrad implements AutoCloseable {
    private final CallContext context;
    private final boolean previous;
    private boolean closed;

    NoGrad() {
        context = CallContext.get();
        previous = context.gradEnabled();
        context.gradEnabled(false);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            context.gradEnabled(previous);
        }
    }
}
