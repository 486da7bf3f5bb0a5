package dev.torchffm;

import dev.torchffm.internal.CallContext;

/**
 * Owns the tensors created on its thread while it is the innermost open scope, and frees every one
 * of them that is still open when it closes. Scopes nest; each is confined to the thread that
 * opened it and must be closed there, innermost first (try-with-resources does both).
 *
 * <pre>{@code
 * try (var step = TensorScope.open()) {
 *     Tensor loss = Functional.crossEntropy(net.forward(x), y);   // temporaries of this step
 *     loss.backward();
 * }                                                                // all freed here
 * }</pre>
 *
 * A tensor created outside any scope is owned by its creator, who must close it. {@link Tensor#keep()}
 * takes a tensor out of its scope so that it survives it.
 */
public final class TensorScope implements AutoCloseable {
    private final TensorScope parent;
    private final CallContext context;
    private final Thread thread;
    private Tensor[] owned = new Tensor[32];
    private int size;
    private int live;
    private boolean closed;

    private TensorScope(CallContext context) {
        this.context = context;
        this.parent = context.scope();
        this.thread = Thread.currentThread();
    }

    /** Opens a scope that becomes the current thread's innermost one. */
    public static TensorScope open() {
        CallContext c = CallContext.get();
        TensorScope scope = new TensorScope(c);
        c.scope(scope);
        return scope;
    }

    /** Number of open tensors this scope owns. */
    public int size() {
        return live;
    }

    /** Frees every tensor this scope still owns. Closing twice is harmless. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != thread) {
            throw new WrongThreadException("a TensorScope must be closed by the thread that opened it");
        }
        if (context.scope() != this) {
            throw new IllegalStateException("TensorScopes must be closed innermost first");
        }
        closed = true;
        context.scope(parent);
        for (int i = 0; i < size; i++) {
            Tensor t = owned[i];
            if (t != null) {
                owned[i] = null;
                t.releaseFromScope();
            }
        }
        size = 0;
        live = 0;
    }

    void adopt(Tensor t) {
        if (size == owned.length) {
            compactOrGrow();
        }
        owned[size] = t;
        t.scopeSlot = size++;
        live++;
    }

    void forget(Tensor t) {
        int slot = t.scopeSlot;
        if (slot >= 0 && slot < size && owned[slot] == t) {
            owned[slot] = null;
            live--;
        }
    }

    boolean isClosed() {
        return closed;
    }

    boolean isOwnerThread() {
        return Thread.currentThread() == thread;
    }

    // Long-lived scopes whose tensors are closed one by one would otherwise keep growing.
    private void compactOrGrow() {
        if (live < size / 2) {
            int n = 0;
            for (int i = 0; i < size; i++) {
                Tensor t = owned[i];
                if (t != null) {
                    owned[n] = t;
                    t.scopeSlot = n++;
                }
            }
            java.util.Arrays.fill(owned, n, size, null);
            size = n;
        } else {
            owned = java.util.Arrays.copyOf(owned, owned.length * 2);
        }
    }

    @Override
    public String toString() {
        return "TensorScope[" + live + " tensors" + (closed ? ", closed" : "") + "]";
    }
}
