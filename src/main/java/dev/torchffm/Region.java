package dev.torchffm;

import dev.torchffm.internal.CallContext;

/**
 * A per-thread mode switched on for a block and restored when the block's region closes, checked
 * like a {@link TensorScope}: a region belongs to the thread that opened it, and regions of one kind
 * close innermost first. A wrong close throws and changes no mode, so a misuse cannot leave the
 * thread in the wrong mode or change another thread's.
 */
abstract sealed class Region implements AutoCloseable permits NoGrad, TrustedIndices {
    private final CallContext context;
    private final Thread thread;
    private final Region parent;
    private final boolean previous;
    private boolean closed;

    Region(boolean value) {
        context = CallContext.get();
        thread = Thread.currentThread();
        parent = innermost().get();
        previous = mode(context);
        mode(context, value);
        innermost().set(this);
    }

    /** The innermost open region of this kind, per thread (static in each subclass). */
    abstract ThreadLocal<Region> innermost();

    abstract boolean mode(CallContext c);

    abstract void mode(CallContext c, boolean value);

    /**
     * Restores the mode that was in force when this region opened. Closing twice is harmless.
     *
     * @throws WrongThreadException from a thread other than the one that opened it
     * @throws IllegalStateException if a region of the same kind opened inside it is still open
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != thread) {
            throw new WrongThreadException(getClass().getSimpleName() + " region opened by " + thread + " closed from "
                    + Thread.currentThread());
        }
        if (innermost().get() != this) {
            throw new IllegalStateException(
                    getClass().getSimpleName() + " regions must be closed innermost first; an inner one is still open");
        }
        closed = true;
        mode(context, previous);
        innermost().set(parent);
    }
}
