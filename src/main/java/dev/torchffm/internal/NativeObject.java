package dev.torchffm.internal;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One native handle and its lifetime: the base of every handle-backed object (tensors, optimizers,
 * CUDA graphs, generators), after onnxruntime-java's {@code NativeObject} and the JDK's {@code
 * SharedSession}.
 *
 * <p>The thread that made the object owns it and alone may close it. Its own calls read the handle
 * with no atomic operation. A call from any other thread holds the object for the duration of the
 * native call: {@link #acquire()} counts it in, {@link #release()} counts it out. The owner's close
 * never waits and never fails because of such users: it marks the object closed at once (every later
 * acquire fails), and the native free is deferred to the last user's release. So no thread ever runs
 * a native call on a freed handle, and closing is still deterministic once the calls in flight end.
 */
public abstract class NativeObject {
    private static final int CLOSED = 1 << 30;
    private static final VarHandle USERS;

    static {
        try {
            USERS = MethodHandles.lookup().findVarHandle(NativeObject.class, "users", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MemorySegment handle;
    private final Thread owner;
    private boolean closed; // the owner's view, written by the owner only
    @SuppressWarnings("unused") // through USERS: calls of other threads in flight, plus CLOSED once closed
    private volatile int users;

    /** Takes ownership of {@code handle} (a live, non-NULL handle just returned by the shim). */
    protected NativeObject(MemorySegment handle) {
        this.handle = handle;
        this.owner = Thread.currentThread();
    }

    /** What this object is called in messages ("tensor", "SGD optimizer"). */
    protected abstract String kind();

    /** Frees the native handle; runs exactly once, on the owner's or the last user's thread. */
    protected abstract void free(MemorySegment handle);

    /**
     * The handle for one native call by the calling thread, which must call {@link #release()}
     * afterwards (in a {@code finally}). The owner pays a field read and a thread comparison.
     *
     * @throws IllegalStateException once closed
     */
    protected final MemorySegment acquire() {
        if (Thread.currentThread() == owner) {
            if (closed) {
                throw closedException();
            }
            return handle;
        }
        int u;
        do {
            u = (int) USERS.getVolatile(this);
            if ((u & CLOSED) != 0) {
                throw closedException();
            }
        } while (!USERS.compareAndSet(this, u, u + 1));
        return handle;
    }

    /** Ends the call begun by {@link #acquire()}; the last user of a closed object frees it. */
    protected final void release() {
        if (Thread.currentThread() != owner && (int) USERS.getAndAdd(this, -1) - 1 == CLOSED) {
            free(handle);
        }
    }

    /** {@link #acquire()} of another object, for subclasses in other packages. */
    protected static MemorySegment acquire(NativeObject o) {
        return o.acquire();
    }

    /** {@link #release()} of another object. */
    protected static void release(NativeObject o) {
        o.release();
    }

    /**
     * Closes this object: frees the handle now, or when the last call of another thread in flight
     * returns. Harmless when already closed. Returns false when it was closed already.
     *
     * @throws WrongThreadException if called from a thread other than the owner
     */
    protected final boolean closeHandle() {
        if (isClosed()) {
            return false;
        }
        requireOwner("close");
        closed = true;
        if ((int) USERS.getAndAdd(this, CLOSED) == 0) {
            free(handle);
        }
        return true;
    }

    /** Whether {@link #closeHandle()} has run (the handle may still be in use by a call in flight). */
    public final boolean isClosed() {
        return Thread.currentThread() == owner ? closed : ((int) USERS.getVolatile(this) & CLOSED) != 0;
    }

    /** Whether the calling thread owns this object. */
    protected final boolean isOwnerThread() {
        return Thread.currentThread() == owner;
    }

    /** @throws WrongThreadException unless the calling thread owns this object */
    protected final void requireOwner(String what) {
        if (Thread.currentThread() != owner) {
            throw new WrongThreadException(kind() + " " + what + "() from " + Thread.currentThread()
                    + " but it is owned by " + owner);
        }
    }

    protected final IllegalStateException closedException() {
        return new IllegalStateException(kind() + " is closed");
    }
}
