package dev.torchffm.internal;

import dev.torchffm.internal.bindings.TorchFfm;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Downcalls to shim functions that always return at once and never call back into Java (reading a
 * tensor's metadata), linked with {@code Linker.Option.critical(false)}: that skips the thread-state
 * transition and costs about a third of a plain downcall (bench/ Downcall, Getter). Freeing is not
 * among them: it can release large buffers, and a critical free made whole training runs slower.
 * The generated bindings stay as jextract wrote them; these handles reuse their addresses and
 * descriptors.
 */
public final class Critical {
    private static final MethodHandle NDIM =
            link(TorchFfm.tffm_tensor_ndim$address(), TorchFfm.tffm_tensor_ndim$descriptor());
    private static final MethodHandle NUMEL =
            link(TorchFfm.tffm_tensor_numel$address(), TorchFfm.tffm_tensor_numel$descriptor());
    private static final MethodHandle DTYPE =
            link(TorchFfm.tffm_tensor_dtype$address(), TorchFfm.tffm_tensor_dtype$descriptor());

    private Critical() {}

    private static MethodHandle link(MemorySegment address, java.lang.foreign.FunctionDescriptor descriptor) {
        return Linker.nativeLinker().downcallHandle(address, descriptor, Linker.Option.critical(false));
    }

    /** {@code tffm_tensor_ndim}. */
    public static long ndim(MemorySegment tensor) {
        try {
            return (long) NDIM.invokeExact(tensor);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    /** {@code tffm_tensor_numel}. */
    public static long numel(MemorySegment tensor) {
        try {
            return (long) NUMEL.invokeExact(tensor);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    /** {@code tffm_tensor_dtype}. */
    public static int dtype(MemorySegment tensor) {
        try {
            return (int) DTYPE.invokeExact(tensor);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }
}
