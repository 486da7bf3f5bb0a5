package dev.torchffm.internal;

import dev.torchffm.TensorScope;
import dev.torchffm.TorchException;
import dev.torchffm.internal.bindings.TorchFfm;
import dev.torchffm.internal.bindings.tffm_ctx;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The per-thread native state every downcall uses: the {@code tffm_ctx} that carries the error of
 * a failing call and the gradient mode, plus a scratch buffer for small arrays (shapes, handle
 * lists). One per Java thread, virtual threads included, so an error is always read by the thread
 * whose call produced it, whichever carrier ran it.
 */
public final class CallContext {
    private static final int SCRATCH_LONGS = 64;
    private static final ThreadLocal<CallContext> CURRENT = ThreadLocal.withInitial(CallContext::new);

    static {
        NativeLoader.load();
    }

    private final MemorySegment ctx;
    // The thread's innermost open TensorScope, kept here so that an op needs one thread-local lookup.
    private TensorScope scope;
    private final MemorySegment scratch;
    private final MemorySegment owner; // keeps the memory of ctx and scratch alive as long as this context

    private CallContext() {
        owner = Arena.ofAuto().allocate(tffm_ctx.layout().byteSize() + 8L * SCRATCH_LONGS, 8);
        // Downcalls acquire the session of every segment argument; an automatic arena's session is
        // shared, so each acquire is an atomic update. Passing global-scope views of the same memory
        // avoids that cost on every call; `owner` keeps the memory reachable while this context is.
        MemorySegment global = MemorySegment.ofAddress(owner.address()).reinterpret(owner.byteSize());
        ctx = global.asSlice(0, tffm_ctx.layout());
        scratch = global.asSlice(tffm_ctx.layout().byteSize(), 8L * SCRATCH_LONGS, 8);
        tffm_ctx.grad_enabled(ctx, 1);
    }

    /** The calling thread's context. */
    public static CallContext get() {
        return CURRENT.get();
    }

    /** The native {@code tffm_ctx*}, the first argument of every call that can fail. */
    public MemorySegment ctx() {
        return ctx;
    }

    /** The thread's innermost open {@link TensorScope}, or null. */
    public TensorScope scope() {
        return scope;
    }

    /** Sets the innermost open scope; for {@link TensorScope} only. */
    public void scope(TensorScope innermost) {
        scope = innermost;
    }

    public boolean gradEnabled() {
        return tffm_ctx.grad_enabled(ctx) != 0;
    }

    public void gradEnabled(boolean enabled) {
        tffm_ctx.grad_enabled(ctx, enabled ? 1 : 0);
    }

    public boolean trustIndices() {
        return tffm_ctx.trust_indices(ctx) != 0;
    }

    public void trustIndices(boolean trust) {
        tffm_ctx.trust_indices(ctx, trust ? 1 : 0);
    }

    /** Copies values into the scratch buffer (or a new automatic segment if they do not fit). */
    public MemorySegment longs(long[] values) {
        if (values.length > SCRATCH_LONGS) {
            return Arena.ofAuto().allocateFrom(ValueLayout.JAVA_LONG, values);
        }
        MemorySegment.copy(values, 0, scratch, ValueLayout.JAVA_LONG, 0, values.length);
        return scratch;
    }

    /** The scratch buffer, for outputs of up to 64 longs. */
    public MemorySegment scratch() {
        return scratch;
    }

    /** Returns {@code result}, or throws the error the failed call left in the context. */
    public MemorySegment check(MemorySegment result) {
        if (result.address() == 0) {
            throw takeError(TorchFfm.TFFM_ERR_OUT_OF_MEMORY());
        }
        return result;
    }

    /** Throws the error the failed call left in the context when {@code status} is nonzero. */
    public void check(int status) {
        if (status != TorchFfm.TFFM_OK()) {
            throw takeError(status);
        }
    }

    /** Frees an error a failed call left in the context without throwing it (for clean-up paths). */
    public void discardError() {
        MemorySegment error = tffm_ctx.error(ctx);
        if (error.address() != 0) {
            tffm_ctx.error(ctx, MemorySegment.NULL);
            TorchFfm.tffm_error_free(error);
        }
    }

    // A failed call without an error object could not allocate one: that is the kind it returned,
    // or (for a call returning a handle) out of memory, the only way to fail without an error.
    private TorchException takeError(int kindWithoutError) {
        MemorySegment error = tffm_ctx.error(ctx);
        if (error.address() == 0) {
            return new TorchException(
                    TorchException.Kind.of(kindWithoutError),
                    "torchffm: the call failed and its error could not be allocated (out of memory)");
        }
        tffm_ctx.error(ctx, MemorySegment.NULL);
        try {
            String message = TorchFfm.tffm_error_message(error)
                    .reinterpret(Long.MAX_VALUE)
                    .getString(0);
            return new TorchException(TorchException.Kind.of(TorchFfm.tffm_error_kind(error)), message);
        } finally {
            TorchFfm.tffm_error_free(error);
        }
    }
}
