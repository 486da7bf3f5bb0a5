package dev.torchffm.internal;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;
import java.util.function.ToIntBiFunction;

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
 *
 * <p>The owner's close takes no atomic instruction either while no other thread has ever used the
 * object (the common case: a temporary of one thread). The first other thread to use it marks it
 * shared and runs {@link Membarrier} (a barrier on every thread, the owner's included) before it
 * reads the closed flag, so that either it sees the owner's close, or the owner sees the mark and
 * closes through the use count. Where that system call is missing, every close uses the use count.
 */
public abstract class NativeObject implements AutoCloseable {
    private static final int CLOSED = 1 << 30;
    private static final int UNSHARED = 0, SHARING = 1, SHARED = 2;
    private static final VarHandle USERS, SHARE, CLOSED_FLAG;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            USERS = lookup.findVarHandle(NativeObject.class, "users", int.class);
            SHARE = lookup.findVarHandle(NativeObject.class, "share", int.class);
            CLOSED_FLAG = lookup.findVarHandle(NativeObject.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MemorySegment handle;
    private final Thread owner;
    private final Family family; // one field, not two: a tensor stays at 48 bytes
    private boolean closed; // written by the owner only; other threads read it through CLOSED_FLAG

    @SuppressWarnings("unused") // through USERS: calls of other threads in flight, plus CLOSED once closed
    private volatile int users;
    // UNSHARED until another thread first uses the object; SHARED once such a thread has run the
    // barrier and found the object open (from then on the owner's close goes through USERS).
    @SuppressWarnings("unused")
    private volatile int share;

    /**
     * Takes ownership of {@code handle} (a live, non-NULL handle just returned by the shim), called
     * {@code kind} in messages ("SGD optimizer") and freed by {@code free} (the family's free function).
     */
    protected NativeObject(MemorySegment handle, String kind, Consumer<MemorySegment> free) {
        this.handle = handle;
        this.owner = Thread.currentThread();
        this.family = kind == null ? null : new Family(kind, free);
    }

    /** As the other constructor, for a subclass that overrides {@link #kind()} and {@link #free}. */
    protected NativeObject(MemorySegment handle) {
        this(handle, null, null);
    }

    /** What this object is called in messages ("tensor", "SGD optimizer"). */
    protected String kind() {
        return family.kind;
    }

    /** Frees the native handle; runs exactly once, on the owner's or the last user's thread. */
    protected void free(MemorySegment handle) {
        family.free.accept(handle);
    }

    private record Family(String kind, Consumer<MemorySegment> free) {}

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
        if ((int) SHARE.getVolatile(this) != SHARED) {
            markShared();
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

    // The first uses by other threads: after the barrier, the owner's close is visible here, or this
    // mark is visible to the owner's close, which then goes through USERS.
    private void markShared() {
        if (!Membarrier.AVAILABLE) {
            SHARE.setVolatile(this, SHARED); // the owner's close always uses USERS then
            return;
        }
        SHARE.compareAndSet(this, UNSHARED, SHARING);
        Membarrier.run();
        if ((boolean) CLOSED_FLAG.getVolatile(this)) {
            throw closedException();
        }
        SHARE.setVolatile(this, SHARED);
    }

    /** Ends the call begun by {@link #acquire()}; the last user of a closed object frees it. */
    protected final void release() {
        if (Thread.currentThread() != owner && (int) USERS.getAndAdd(this, -1) - 1 == CLOSED) {
            free(handle);
        }
    }

    /** One native call on the handle, held meanwhile; a failing status becomes an exception. */
    protected final void call(ToIntBiFunction<MemorySegment, MemorySegment> action) {
        MemorySegment h = acquire();
        try {
            CallContext c = CallContext.get();
            c.check(action.applyAsInt(c.ctx(), h));
        } finally {
            release();
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
        // Keeps the compiler from moving the read below above the store (the CPU side is the user's
        // membarrier); on x86 this emits no instruction.
        VarHandle.releaseFence();
        if (Membarrier.AVAILABLE && (int) SHARE.getVolatile(this) == UNSHARED) {
            free(handle); // no other thread has begun to use it, and any that does now sees `closed`
        } else if ((int) USERS.getAndAdd(this, CLOSED) == 0) {
            free(handle);
        }
        return true;
    }

    /**
     * Frees the native object now, or, while calls of other threads on it are running, when the last
     * of them returns (no new call can start). Harmless when already closed.
     *
     * @throws WrongThreadException if called from a thread other than the one that made it
     */
    @Override
    public void close() {
        closeHandle();
    }

    /** Whether {@link #closeHandle()} has run (the handle may still be in use by a call in flight). */
    public final boolean isClosed() {
        return Thread.currentThread() == owner
                ? closed
                : (boolean) CLOSED_FLAG.getVolatile(this) || ((int) USERS.getVolatile(this) & CLOSED) != 0;
    }

    /** Whether the calling thread owns this object. */
    protected final boolean isOwnerThread() {
        return Thread.currentThread() == owner;
    }

    /** @throws WrongThreadException unless the calling thread owns this object */
    protected final void requireOwner(String what) {
        if (Thread.currentThread() != owner) {
            throw new WrongThreadException(
                    kind() + " " + what + "() from " + Thread.currentThread() + " but it is owned by " + owner);
        }
    }

    protected final IllegalStateException closedException() {
        return new IllegalStateException(kind() + " is closed");
    }
}
