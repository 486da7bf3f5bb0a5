package dev.torchffm;

import dev.torchffm.internal.CallContext;
import dev.torchffm.internal.Critical;
import dev.torchffm.internal.bindings.TorchFfm;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A LibTorch tensor held through a native handle.
 *
 * <p>Ownership: a new tensor belongs to the current thread's innermost {@link TensorScope} and is
 * freed when that scope closes; with no open scope it belongs to its creator, who must {@link
 * #close()} it. Closing frees the handle at once (the storage goes when no other tensor views it);
 * closing twice is harmless; any other use after close throws {@link IllegalStateException}.
 *
 * <p>Threads: a tensor may be read from several threads at once. It may be closed, kept or changed
 * in place only by the thread that owns it (see {@link #close()}).
 */
public final class Tensor implements AutoCloseable {
    private MemorySegment handle;
    private Thread owner;
    private TensorScope scope;
    int scopeSlot = -1;
    private final MemorySegment borrowed; // caller memory a zero-copy tensor views, or null

    private Tensor(CallContext c, MemorySegment handle, MemorySegment borrowed) {
        this.handle = handle;
        this.borrowed = borrowed;
        this.owner = Thread.currentThread();
        TensorScope current = TensorScope.current(c);
        if (current != null) {
            scope = current;
            current.adopt(this);
        }
        LeakTracker.created(this);
    }

    /** Wraps a handle just returned by the shim (owned). */
    static Tensor wrap(CallContext c, MemorySegment handle) {
        return new Tensor(c, handle, null);
    }

    // A result that may share this tensor's storage: if that storage is borrowed caller memory, the
    // result checks the memory's liveness too, so no view can read it after its arena closed.
    private Tensor view(CallContext c, MemorySegment handle) {
        return new Tensor(c, handle, borrowed);
    }

    // ---- creation --------------------------------------------------------------------------------

    /** A 1-d float32 tensor on the CPU holding a copy of {@code data}. */
    public static Tensor of(float[] data) {
        return of(data, data.length);
    }

    /** A 1-d float64 tensor on the CPU holding a copy of {@code data}. */
    public static Tensor of(double[] data) {
        return of(data, data.length);
    }

    /** A 1-d int64 tensor on the CPU holding a copy of {@code data}. */
    public static Tensor of(long[] data) {
        return of(data, data.length);
    }

    /** A 1-d int32 tensor on the CPU holding a copy of {@code data}. */
    public static Tensor of(int[] data) {
        return of(data, data.length);
    }

    /**
     * A float32 tensor on the CPU holding a copy of {@code data} with the given shape; an empty shape
     * ({@code new long[0]}) makes a scalar.
     */
    public static Tensor of(float[] data, long... shape) {
        return fromArray(MemorySegment.ofArray(data), DType.FLOAT32, shape, Device.CPU);
    }

    /** A float64 tensor on the CPU holding a copy of {@code data}. */
    public static Tensor of(double[] data, long... shape) {
        return fromArray(MemorySegment.ofArray(data), DType.FLOAT64, shape, Device.CPU);
    }

    /** An int64 tensor on the CPU holding a copy of {@code data}. */
    public static Tensor of(long[] data, long... shape) {
        return fromArray(MemorySegment.ofArray(data), DType.INT64, shape, Device.CPU);
    }

    /** An int32 tensor on the CPU holding a copy of {@code data}. */
    public static Tensor of(int[] data, long... shape) {
        return fromArray(MemorySegment.ofArray(data), DType.INT32, shape, Device.CPU);
    }

    /** A tensor of {@code dtype} holding a copy of {@code data} (uint8, int8 or bool bytes). */
    public static Tensor of(byte[] data, DType dtype, long... shape) {
        if (dtype.byteSize() != 1) {
            throw new IllegalArgumentException("byte[] data needs a one-byte dtype, got " + dtype);
        }
        return fromArray(MemorySegment.ofArray(data), dtype, shape, Device.CPU);
    }

    /** A 1-d tensor of {@code dtype} holding a copy of {@code data} (uint8, int8 or bool bytes). */
    public static Tensor of(byte[] data, DType dtype) {
        return of(data, dtype, data.length);
    }

    /** A scalar (0-dim) float32 tensor. */
    public static Tensor scalar(float value) {
        return of(new float[] {value}, new long[0]);
    }

    private static Tensor fromArray(MemorySegment heap, DType dtype, long[] shape, Device device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment copy = arena.allocate(heap.byteSize(), 8);
            copy.copyFrom(heap);
            return copyOf(copy, dtype, device, shape);
        }
    }

    /**
     * A new tensor on {@code device} holding a copy of {@code data}, which must hold exactly
     * numel(shape) elements of {@code dtype} in native byte order.
     */
    public static Tensor copyOf(MemorySegment data, DType dtype, Device device, long... shape) {
        Objects.requireNonNull(data, "data");
        checkShape(shape);
        CallContext c = CallContext.get();
        return wrap(c, c.check(TorchFfm.tffm_tensor_from_data(c.ctx, data, data.byteSize(), dtype.code(),
                c.longs(shape), shape.length, device.typeCode(), device.indexCode())));
    }

    /**
     * A CPU tensor that views {@code data} without copying. The segment must be native; the tensor
     * fails with {@link IllegalStateException} once the segment's arena is closed, and views derived
     * from it must not be used after that.
     */
    public static Tensor borrow(MemorySegment data, DType dtype, long... shape) {
        Objects.requireNonNull(data, "data");
        if (!data.isNative()) {
            throw new IllegalArgumentException("borrow needs a native (off-heap) segment");
        }
        checkShape(shape);
        CallContext c = CallContext.get();
        MemorySegment h = c.check(TorchFfm.tffm_tensor_borrow(c.ctx, data, data.byteSize(), dtype.code(),
                c.longs(shape), shape.length));
        return new Tensor(c, h, data);
    }

    /** A tensor of zeros. */
    public static Tensor zeros(DType dtype, Device device, long... shape) {
        checkShape(shape);
        CallContext c = CallContext.get();
        return wrap(c, c.check(TorchFfm.tffm_tensor_zeros(c.ctx, dtype.code(), c.longs(shape), shape.length,
                device.typeCode(), device.indexCode())));
    }

    /** A tensor of ones. */
    public static Tensor ones(DType dtype, Device device, long... shape) {
        checkShape(shape);
        CallContext c = CallContext.get();
        return wrap(c, c.check(TorchFfm.tffm_tensor_ones(c.ctx, dtype.code(), c.longs(shape), shape.length,
                device.typeCode(), device.indexCode())));
    }

    /** Uniform random values in [0, 1) from LibTorch's default generator. */
    public static Tensor rand(DType dtype, Device device, long... shape) {
        checkShape(shape);
        CallContext c = CallContext.get();
        return wrap(c, c.check(TorchFfm.tffm_tensor_rand(c.ctx, dtype.code(), c.longs(shape), shape.length,
                device.typeCode(), device.indexCode())));
    }

    /** A random permutation of 0..n-1 (int64), as {@code torch.randperm(n)}. */
    public static Tensor randperm(long n, Device device) {
        CallContext c = CallContext.get();
        return wrap(c, c.check(TorchFfm.tffm_tensor_randperm(c.ctx, n, device.typeCode(), device.indexCode())));
    }

    private static void checkShape(long[] shape) {
        Objects.requireNonNull(shape, "shape");
        for (long s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative size in shape " + Arrays.toString(shape));
            }
        }
    }

    // ---- ownership -----------------------------------------------------------------------------

    /** The live native handle; {@link IllegalStateException} once closed. */
    public MemorySegment handle() {
        MemorySegment h = handle;
        if (h == null) {
            throw new IllegalStateException("tensor is closed");
        }
        if (borrowed != null && !borrowed.scope().isAlive()) {
            throw new IllegalStateException("the memory this borrowed tensor views has been freed");
        }
        return h;
    }

    /** Whether {@link #close()} has been called (or the owning scope has closed). */
    public boolean isClosed() {
        return handle == null;
    }

    /**
     * Takes this tensor out of its scope: it survives the scope, and the calling thread, which must
     * be its owner, becomes responsible for closing it. Returns this tensor.
     */
    public Tensor keep() {
        handle();
        checkOwner("keep");
        if (scope != null) {
            scope.forget(this);
            scope = null;
        }
        return this;
    }

    /** Moves this tensor into {@code target} (which must be open on this thread). Returns this tensor. */
    public Tensor moveTo(TensorScope target) {
        keep();
        if (!target.isOwnerThread()) {
            throw new WrongThreadException("the target scope belongs to another thread");
        }
        scope = target;
        target.adopt(this);
        return this;
    }

    /**
     * Frees the native handle now. Harmless when already closed.
     *
     * @throws WrongThreadException if called from a thread other than the owner
     */
    @Override
    public void close() {
        if (handle == null) {
            return;
        }
        checkOwner("close");
        if (scope != null) {
            scope.forget(this);
            scope = null;
        }
        free();
    }

    void releaseFromScope() {
        scope = null;
        if (handle != null) {
            free();
        }
    }

    private void free() {
        MemorySegment h = handle;
        handle = null;
        LeakTracker.closed(this);
        // A plain downcall: freeing through a critical handle measured 50% slower training (bench/).
        TorchFfm.tffm_tensor_free(h);
    }

    private void checkOwner(String what) {
        if (Thread.currentThread() != owner) {
            throw new WrongThreadException("tensor " + what + "() from " + Thread.currentThread()
                    + " but it is owned by " + owner);
        }
    }

    // ---- queries -------------------------------------------------------------------------------

    public int dim() {
        return (int) Critical.ndim(handle());
    }

    public long numel() {
        return Critical.numel(handle());
    }

    public long[] shape() {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        MemorySegment buf = c.scratch();
        int n = (int) TorchFfm.tffm_tensor_shape(h, buf, 64);
        if (n > 64) {
            buf = Arena.ofAuto().allocate(ValueLayout.JAVA_LONG, n);
            TorchFfm.tffm_tensor_shape(h, buf, n);
        }
        return buf.asSlice(0, n * 8L).toArray(ValueLayout.JAVA_LONG);
    }

    /** The size of dimension {@code d} (negative counts from the end). */
    public long size(int d) {
        long[] s = shape();
        int i = d < 0 ? d + s.length : d;
        if (i < 0 || i >= s.length) {
            throw new IndexOutOfBoundsException("dimension " + d + " of a " + s.length + "-d tensor");
        }
        return s[i];
    }

    public DType dtype() {
        return DType.of(Critical.dtype(handle()));
    }

    public Device device() {
        MemorySegment h = handle();
        return Device.of(TorchFfm.tffm_tensor_device_type(h), TorchFfm.tffm_tensor_device_index(h));
    }

    public boolean requiresGrad() {
        return TorchFfm.tffm_tensor_requires_grad(handle()) != 0;
    }

    // ---- copies out ----------------------------------------------------------------------------

    /** Writes the elements, in row-major order, into {@code dst}, which must be exactly as large. */
    public void writeTo(MemorySegment dst) {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        c.check(TorchFfm.tffm_tensor_copy_to(c.ctx, h, dst, dst.byteSize()));
    }

    public float[] toFloatArray() {
        requireDType(DType.FLOAT32, "toFloatArray");
        return copyOut().toArray(ValueLayout.JAVA_FLOAT);
    }

    public double[] toDoubleArray() {
        requireDType(DType.FLOAT64, "toDoubleArray");
        return copyOut().toArray(ValueLayout.JAVA_DOUBLE);
    }

    public long[] toLongArray() {
        requireDType(DType.INT64, "toLongArray");
        return copyOut().toArray(ValueLayout.JAVA_LONG);
    }

    public int[] toIntArray() {
        requireDType(DType.INT32, "toIntArray");
        return copyOut().toArray(ValueLayout.JAVA_INT);
    }

    /** The raw bytes of a one-byte dtype (uint8, int8, bool as 0/1). */
    public byte[] toByteArray() {
        DType t = dtype();
        if (t.byteSize() != 1) {
            throw new IllegalArgumentException("toByteArray needs a one-byte dtype, got " + t);
        }
        return copyOut().toArray(ValueLayout.JAVA_BYTE);
    }

    private MemorySegment copyOut() {
        long bytes = numel() * dtype().byteSize();
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor too large for a Java array: " + bytes + " bytes");
        }
        MemorySegment out = Arena.ofAuto().allocate(Math.max(bytes, 1), 8).asSlice(0, bytes);
        writeTo(out);
        return out;
    }

    private void requireDType(DType expected, String what) {
        DType t = dtype();
        if (t != expected) {
            throw new IllegalArgumentException(what + " needs a " + expected + " tensor, got " + t);
        }
    }

    /** The value of a one-element tensor as a double. */
    public double item() {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        MemorySegment out = c.scratch();
        c.check(TorchFfm.tffm_tensor_item(c.ctx, h, out));
        return out.get(ValueLayout.JAVA_DOUBLE, 0);
    }

    // ---- conversions ---------------------------------------------------------------------------

    /** This tensor on {@code device} (a copy, or a new handle to the same tensor if it is there already). */
    public Tensor to(Device device) {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        return view(c, c.check(TorchFfm.tffm_tensor_to_device(c.ctx, h, device.typeCode(), device.indexCode())));
    }

    /** This tensor converted to {@code dtype}. */
    public Tensor to(DType dtype) {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        return view(c, c.check(TorchFfm.tffm_tensor_to_dtype(c.ctx, h, dtype.code())));
    }

    /** The same values, detached from the autograd graph (shares storage). */
    public Tensor detach() {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        return view(c, c.check(TorchFfm.tffm_tensor_detach(c.ctx, h)));
    }

    /**
     * A copy with its own storage, as {@code torch.clone}: recorded by autograd, so gradients flow
     * back to this tensor.
     */
    public Tensor deepCopy() {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        return wrap(c, c.check(TorchFfm.tffm_tensor_clone(c.ctx, h)));
    }

    /** Another handle to this very tensor (same storage and autograd identity), owned separately. */
    public Tensor share() {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        return view(c, c.check(TorchFfm.tffm_tensor_shallow_clone(c.ctx, h)));
    }

    /**
     * Overwrites this tensor's values with {@code src}'s, in place (same shape; dtype and device are
     * converted), as {@code torch.Tensor.copy_}.
     */
    public void assign(Tensor src) {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        c.check(TorchFfm.tffm_tensor_copy_from(c.ctx, h, arg(src, "src")));
    }

    // ---- views and indexing --------------------------------------------------------------------

    /** The same elements in a new shape; one size may be -1. */
    public Tensor reshape(long... shape) {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        return view(c, c.check(TorchFfm.tffm_tensor_reshape(c.ctx, h, c.longs(shape), shape.length)));
    }

    /** Flattens dimensions {@code start..end} (inclusive; negative counts from the end) into one. */
    public Tensor flatten(long start, long end) {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        return view(c, c.check(TorchFfm.tffm_tensor_flatten(c.ctx, h, start, end)));
    }

    /** Elements {@code start .. start+length-1} along {@code dim}, as a view. */
    public Tensor narrow(long dim, long start, long length) {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        return view(c, c.check(TorchFfm.tffm_tensor_narrow(c.ctx, h, dim, start, length)));
    }

    /** The entries along {@code dim} picked by the int64 tensor {@code index} (a copy). */
    public Tensor indexSelect(long dim, Tensor index) {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        return wrap(c, c.check(TorchFfm.tffm_tensor_index_select(c.ctx, h, dim, arg(index, "index"))));
    }

    // ---- element-wise and reductions -----------------------------------------------------------

    public Tensor sigmoid() {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        return wrap(c, c.check(TorchFfm.tffm_sigmoid(c.ctx, h)));
    }

    public Tensor relu() {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        return wrap(c, c.check(TorchFfm.tffm_relu(c.ctx, h)));
    }

    public Tensor add(Tensor other) {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        return wrap(c, c.check(TorchFfm.tffm_add(c.ctx, h, arg(other, "other"))));
    }

    public Tensor sub(Tensor other) {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        return wrap(c, c.check(TorchFfm.tffm_sub(c.ctx, h, arg(other, "other"))));
    }

    public Tensor mul(Tensor other) {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        return wrap(c, c.check(TorchFfm.tffm_mul(c.ctx, h, arg(other, "other"))));
    }

    public Tensor add(double value) {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        return wrap(c, c.check(TorchFfm.tffm_add_scalar(c.ctx, h, value)));
    }

    public Tensor mul(double value) {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        return wrap(c, c.check(TorchFfm.tffm_mul_scalar(c.ctx, h, value)));
    }

    /** In place: this += other (other broadcast to this tensor's shape). Returns this tensor. */
    public Tensor addInPlace(Tensor other) {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        c.check(TorchFfm.tffm_add_inplace(c.ctx, h, arg(other, "other")));
        return this;
    }

    /** Element-wise equality (bool tensor, broadcasting). */
    public Tensor eq(Tensor other) {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        return wrap(c, c.check(TorchFfm.tffm_eq(c.ctx, h, arg(other, "other"))));
    }

    /** Sum of all elements (0-dim). */
    public Tensor sum() {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        return wrap(c, c.check(TorchFfm.tffm_sum(c.ctx, h)));
    }

    /** Mean of all elements (0-dim); needs a floating dtype. */
    public Tensor mean() {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        return wrap(c, c.check(TorchFfm.tffm_mean(c.ctx, h)));
    }

    /** Indices (int64) of the maxima along {@code dim}. */
    public Tensor argmax(long dim, boolean keepDim) {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        return wrap(c, c.check(TorchFfm.tffm_argmax(c.ctx, h, dim, keepDim ? 1 : 0)));
    }

    public Tensor matmul(Tensor other) {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        return wrap(c, c.check(TorchFfm.tffm_matmul(c.ctx, h, arg(other, "other"))));
    }

    // ---- more ops: arithmetic, softmax, dimensions, joining, randn (native/src/ops_extra.cpp) ----

    /** Element-wise this / other (broadcasting); true division, so integer tensors give floats. */
    public Tensor div(Tensor other) {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        return wrap(c, c.check(TorchFfm.tffm_div(c.ctx, h, arg(other, "other"))));
    }

    /** Element-wise this / value. */
    public Tensor div(double value) {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        return wrap(c, c.check(TorchFfm.tffm_div_scalar(c.ctx, h, value)));
    }

    /** Element-wise e^x. */
    public Tensor exp() {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        return wrap(c, c.check(TorchFfm.tffm_exp(c.ctx, h)));
    }

    /** Element-wise natural logarithm. */
    public Tensor log() {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        return wrap(c, c.check(TorchFfm.tffm_log(c.ctx, h)));
    }

    /** Softmax along {@code dim} (negative counts from the end); needs a floating dtype. */
    public Tensor softmax(long dim) {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        return wrap(c, c.check(TorchFfm.tffm_softmax(c.ctx, h, dim)));
    }

    /** Log of the softmax along {@code dim}, computed stably; needs a floating dtype. */
    public Tensor logSoftmax(long dim) {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        return wrap(c, c.check(TorchFfm.tffm_log_softmax(c.ctx, h, dim)));
    }

    /** A view with dimensions {@code dim0} and {@code dim1} swapped. */
    public Tensor transpose(long dim0, long dim1) {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        return view(c, c.check(TorchFfm.tffm_tensor_transpose(c.ctx, h, dim0, dim1)));
    }

    /** A view with the dimensions reordered: dimension i of the result is dimension {@code dims[i]} of this. */
    public Tensor permute(long... dims) {
        Objects.requireNonNull(dims, "dims");
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        return view(c, c.check(TorchFfm.tffm_tensor_permute(c.ctx, h, c.longs(dims), dims.length)));
    }

    /** The tensors joined along the existing dimension {@code dim} (their other sizes must match). */
    public static Tensor cat(List<Tensor> tensors, long dim) {
        return join(tensors, dim, false);
    }

    /** The tensors, all of the same shape, stacked along a new dimension {@code dim}. */
    public static Tensor stack(List<Tensor> tensors, long dim) {
        return join(tensors, dim, true);
    }

    private static Tensor join(List<Tensor> tensors, long dim, boolean stack) {
        Objects.requireNonNull(tensors, "tensors");
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException((stack ? "stack" : "cat") + " needs at least one tensor");
        }
        CallContext c = CallContext.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment list = arena.allocate(ValueLayout.ADDRESS, tensors.size());
            for (int i = 0; i < tensors.size(); i++) {
                list.setAtIndex(ValueLayout.ADDRESS, i, arg(tensors.get(i), "tensors[" + i + "]"));
            }
            return wrap(c, c.check(stack ? TorchFfm.tffm_stack(c.ctx, list, tensors.size(), dim)
                    : TorchFfm.tffm_cat(c.ctx, list, tensors.size(), dim)));
        }
    }

    /** Standard normal values from LibTorch's default generator, as {@code torch.randn}; a floating dtype. */
    public static Tensor randn(DType dtype, Device device, long... shape) {
        checkShape(shape);
        CallContext c = CallContext.get();
        return wrap(c, c.check(TorchFfm.tffm_tensor_randn(c.ctx, dtype.code(), c.longs(shape), shape.length,
                device.typeCode(), device.indexCode())));
    }

    // ---- autograd ------------------------------------------------------------------------------

    /** Sets whether autograd records operations on this leaf tensor. Returns this tensor. */
    public Tensor requiresGrad(boolean requiresGrad) {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        c.check(TorchFfm.tffm_tensor_set_requires_grad(c.ctx, h, requiresGrad ? 1 : 0));
        return this;
    }

    /** Backpropagates from this one-element tensor into the leaves' gradients. */
    public void backward() {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        c.check(TorchFfm.tffm_backward(c.ctx, h));
    }

    /** Zeroes the accumulated gradient in place, if there is one (as {@code t.grad.zero_()}). */
    public void zeroGrad() {
        MemorySegment h = handle();
        CallContext c = CallContext.get();
        MemorySegment list = c.scratch();
        list.set(java.lang.foreign.ValueLayout.ADDRESS, 0, h);
        c.check(TorchFfm.tffm_zero_grad(c.ctx, list, 1));
    }

    /** Whether a gradient has been accumulated. */
    public boolean hasGrad() {
        return TorchFfm.tffm_tensor_has_grad(handle()) != 0;
    }

    /** The accumulated gradient (a new handle sharing its storage), if any. */
    public Optional<Tensor> grad() {
        MemorySegment h = handle();
        if (TorchFfm.tffm_tensor_has_grad(h) == 0) {
            return Optional.empty();
        }
        CallContext c = CallContext.get();
        return Optional.of(wrap(c, c.check(TorchFfm.tffm_tensor_grad(c.ctx, h))));
    }

    static MemorySegment arg(Tensor t, String name) {
        if (t == null) {
            throw new NullPointerException(name + " is null");
        }
        return t.handle();
    }

    /** The handle of an optional tensor argument: NULL for null. */
    static MemorySegment optionalArg(Tensor t) {
        return t == null ? MemorySegment.NULL : t.handle();
    }

    /**
     * The values as PyTorch prints them, e.g. {@code tensor([[0.1000, 0.2000], [0.3000, 0.4000]])} (one
     * row per line), summarised beyond 1,000 elements; {@code tensor(closed)} once closed.
     */
    @Override
    public String toString() {
        return TensorFormat.format(this);
    }
}
