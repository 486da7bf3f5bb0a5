package dev.torchffm;

import dev.torchffm.internal.CallContext;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * A per-thread mode switched on for a block and restored when the block's region closes, checked
 * like a {@link TensorScope}: a region belongs to the thread that opened it, and regions of one kind
 * close innermost first. A wrong close throws and changes no mode, so a misuse cannot leave the
 * thread in the wrong mode or change another thread's.
 */
abstract sealed class Region implements AutoCloseable permits NoGrad, TrustedIndices {
    /** One kind of region: the mode it switches, and its innermost open region per thread. */
    static final class Mode {
        private final Predicate<CallContext> get;
        private final BiConsumer<CallContext, Boolean> set;
        private final ThreadLocal<Region> innermost = new ThreadLocal<>();

        Mode(Predicate<CallContext> get, BiConsumer<CallContext, Boolean> set) {
            this.get = get;
            this.set = set;
        }
    }

    private final Mode mode;
    private final CallContext context;
    private final Thread thread;
    private final Region parent;
    private final boolean previous;
    private boolean closed;

    Region(Mode mode, boolean value) {
        this.mode = mode;
        context = CallContext.get();
        thread = Thread.currentThread();
        parent = mode.innermost.get();
        previous = mode.get.test(context);
        mode.set.accept(context, value);
        mode.innermost.set(this);
    }

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
        if (mode.innermost.get() != this) {
            throw new IllegalStateException(
                    getClass().getSimpleName() + " regions must be closed innermost first; an inner one is still open");
        }
        closed = true;
        mode.set.accept(context, previous);
        mode.innermost.set(parent);
    }
}
