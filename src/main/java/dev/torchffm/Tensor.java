package dev.torchffm;

import dev.torchffm.internal.CallContext;
import dev.torchffm.internal.Critical;
import dev.torchffm.internal.NativeObject;
import dev.torchffm.internal.Segments;
import dev.torchffm.internal.bindings.TorchFfm;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * A LibTorch tensor held through a native handle.
 *
 * <p>Ownership: a new tensor belongs to the current thread's innermost {@link TensorScope} and is
 * freed when that scope closes; with no open scope it belongs to its creator, who must {@link
 * #close()} it. Closing frees the handle at once (the storage goes when no other tensor views it);
 * closing twice is harmless; any other use after close throws {@link IllegalStateException}.
 *
 * <p>Threads: a tensor may be read from several threads at once. It may be closed, kept or changed
 * in place only by the thread that owns it (see {@link #close()}). A call from another thread holds
 * the tensor until it returns: the owner may close the tensor meanwhile, and the native memory is
 * then freed when the last such call returns; calls that start after the close throw
 * {@link IllegalStateException}.
 *
 * <p>Read-only memory: a tensor that views a read-only segment ({@link #borrow}), and every view of
 * it, is read-only: each method that would write into it throws {@link IllegalStateException}
 * before any native call.
 */
public final class Tensor extends NativeObject implements AutoCloseable {
    private TensorScope scope;
    int scopeSlot = -1;
    private final MemorySegment borrowed; // caller memory this tensor views, or null
    private final boolean readOnly;

    private Tensor(CallContext c, MemorySegment handle, MemorySegment borrowed) {
        super(handle);
        this.borrowed = borrowed;
        this.readOnly = borrowed != null && borrowed.isReadOnly();
        TensorScope current = c.scope();
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

    // A result computed from this tensor. If this tensor views caller memory and the result's storage
    // lies in it (a view, not a copy), the result checks that memory's liveness and read-only state too.
    private Tensor result(CallContext c, MemorySegment handle) {
        MemorySegment b = borrowed;
        if (b != null) {
            long offset = TorchFfm.tffm_tensor_storage_data(handle).address() - b.address();
            if (offset < 0 || (offset >= b.byteSize() && offset != 0)) {
                b = null;
            }
        }
        return new Tensor(c, handle, b);
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
        return copyOf(MemorySegment.ofArray(data), DType.FLOAT32, Device.CPU, shape);
    }

    /** A float64 tensor on the CPU holding a copy of {@code data}. */
    public static Tensor of(double[] data, long... shape) {
        return copyOf(MemorySegment.ofArray(data), DType.FLOAT64, Device.CPU, shape);
    }

    /** An int64 tensor on the CPU holding a copy of {@code data}. */
    public static Tensor of(long[] data, long... shape) {
        return copyOf(MemorySegment.ofArray(data), DType.INT64, Device.CPU, shape);
    }

    /** An int32 tensor on the CPU holding a copy of {@code data}. */
    public static Tensor of(int[] data, long... shape) {
        return copyOf(MemorySegment.ofArray(data), DType.INT32, Device.CPU, shape);
    }

    /** A tensor of {@code dtype} holding a copy of {@code data} (uint8, int8 or bool bytes). */
    public static Tensor of(byte[] data, DType dtype, long... shape) {
        if (dtype.byteSize() != 1) {
            throw new IllegalArgumentException("byte[] data needs a one-byte dtype, got " + dtype);
        }
        return copyOf(MemorySegment.ofArray(data), dtype, Device.CPU, shape);
    }

    /** A 1-d tensor of {@code dtype} holding a copy of {@code data} (uint8, int8 or bool bytes). */
    public static Tensor of(byte[] data, DType dtype) {
        return of(data, dtype, data.length);
    }

    /** A scalar (0-dim) float32 tensor. */
    public static Tensor scalar(float value) {
        return of(new float[] {value}, new long[0]);
    }

    /**
     * A new tensor on {@code device} holding a copy of {@code data}, which must hold exactly
     * numel(shape) elements of {@code dtype} in native byte order (heap or native memory).
     */
    public static Tensor copyOf(MemorySegment data, DType dtype, Device device, long... shape) {
        Objects.requireNonNull(data, "data");
        Segments.requireAccessible(data, "copyOf", false);
        checkShape(shape); // the shim compares the byte count, overflow-checked
        if (!data.isNative()) {
            try (Arena arena = Arena.ofConfined()) {
                return copyOf(arena.allocate(data.byteSize(), 8).copyFrom(data), dtype, device, shape);
            }
        }
        CallContext c = CallContext.get();
        return wrap(
                c,
                c.check(TorchFfm.tffm_tensor_from_data(
                        c.ctx(),
                        data,
                        data.byteSize(),
                        dtype.code(),
                        c.longs(shape),
                        shape.length,
                        device.typeCode(),
                        device.indexCode())));
    }

    /**
     * A CPU tensor that views {@code data} without copying. The segment must be native, open,
     * accessible from this thread and aligned to the element size; a read-only segment (such as a
     * {@code FileChannel.map(READ_ONLY, ...)} mapping) gives a read-only tensor. The tensor, and every
     * view of it, fails with {@link IllegalStateException} once the segment's arena is closed; a
     * segment of a confined arena is usable only from that arena's thread. Memory of a shared arena
     * must not be closed while another thread is inside a call on the tensor.
     */
    public static Tensor borrow(MemorySegment data, DType dtype, long... shape) {
        Objects.requireNonNull(data, "data");
        Segments.requireAccessible(data, "borrow", false);
        if (!data.isNative()) {
            throw new IllegalArgumentException(
                    "borrow needs a native (off-heap) segment, got a heap segment;" + " use copyOf for heap memory");
        }
        if (data.address() % dtype.byteSize() != 0) {
            throw new IllegalArgumentException("borrow needs memory aligned to the " + dtype.byteSize()
                    + "-byte elements of " + dtype + ", got address 0x" + Long.toHexString(data.address()));
        }
        checkShape(shape); // the shim compares the byte count, overflow-checked
        CallContext c = CallContext.get();
        MemorySegment h = c.check(TorchFfm.tffm_tensor_borrow(
                c.ctx(), data, data.byteSize(), dtype.code(), c.longs(shape), shape.length));
        return new Tensor(c, h, data);
    }

    /** A tensor of zeros. */
    public static Tensor zeros(DType dtype, Device device, long... shape) {
        return create(dtype, device, shape, TorchFfm::tffm_tensor_zeros);
    }

    /** A tensor of ones. */
    public static Tensor ones(DType dtype, Device device, long... shape) {
        return create(dtype, device, shape, TorchFfm::tffm_tensor_ones);
    }

    /** Uniform random values in [0, 1) from LibTorch's default generator. */
    public static Tensor rand(DType dtype, Device device, long... shape) {
        return rand(dtype, device, null, shape);
    }

    /**
     * Uniform random values in [0, 1) drawn from {@code generator} (a generator of the device's type),
     * or from LibTorch's default generator when it is null.
     */
    public static Tensor rand(DType dtype, Device device, Generator generator, long... shape) {
        return random(dtype, device, generator, shape, TorchFfm::tffm_tensor_rand);
    }

    /** A random permutation of 0..n-1 (int64), as {@code torch.randperm(n)}. */
    public static Tensor randperm(long n, Device device) {
        return randperm(n, device, null);
    }

    /** A random permutation of 0..n-1 drawn from {@code generator} (null: the default generator). */
    public static Tensor randperm(long n, Device device, Generator generator) {
        CallContext c = CallContext.get();
        return Generator.draw(
                generator,
                g -> wrap(
                        c,
                        c.check(TorchFfm.tffm_tensor_randperm(c.ctx(), n, device.typeCode(), device.indexCode(), g))));
    }

    /** A shim function that makes a tensor of a dtype, shape and device. */
    @FunctionalInterface
    private interface Factory {
        MemorySegment create(
                MemorySegment ctx, int dtype, MemorySegment shape, long ndim, int deviceType, int deviceIndex);
    }

    /** As {@link Factory}, drawing from a generator (NULL: the default one). */
    @FunctionalInterface
    private interface RandomFactory {
        MemorySegment create(
                MemorySegment ctx,
                int dtype,
                MemorySegment shape,
                long ndim,
                int deviceType,
                int deviceIndex,
                MemorySegment generator);
    }

    private static Tensor create(DType dtype, Device device, long[] shape, Factory factory) {
        checkShape(shape);
        CallContext c = CallContext.get();
        return wrap(
                c,
                c.check(factory.create(
                        c.ctx(), dtype.code(), c.longs(shape), shape.length, device.typeCode(), device.indexCode())));
    }

    private static Tensor random(DType dtype, Device device, Generator generator, long[] shape, RandomFactory factory) {
        return Generator.draw(
                generator,
                g -> create(
                        dtype,
                        device,
                        shape,
                        (ctx, d, s, n, type, index) -> factory.create(ctx, d, s, n, type, index, g)));
    }

    private static void checkShape(long[] shape) {
        Objects.requireNonNull(shape, "shape");
        Segments.numel(shape);
    }

    // ---- ownership -----------------------------------------------------------------------------

    @Override
    protected String kind() {
        return "tensor";
    }

    // The handle for one call by this thread; release() when it returns. Borrowed memory is checked
    // on every call: its arena may have closed since the last one.
    private MemorySegment use() {
        MemorySegment h = acquire();
        MemorySegment b = borrowed;
        if (b != null && (!b.scope().isAlive() || !b.isAccessibleBy(Thread.currentThread()))) {
            release();
            throw b.scope().isAlive()
                    ? new WrongThreadException(
                            "the memory this borrowed tensor views belongs to a confined arena" + " of another thread")
                    : new IllegalStateException("the memory this borrowed tensor views has been freed");
        }
        return h;
    }

    // As use(), for a call that writes into this tensor's memory.
    private MemorySegment useForWrite(String what) {
        if (readOnly) {
            throw new IllegalStateException(what + ": this tensor views read-only memory; deepCopy() it first");
        }
        return use();
    }

    /** Whether this tensor views read-only memory, so that every write into it is refused. */
    public boolean isReadOnly() {
        return readOnly;
    }

    /**
     * Takes this tensor out of its scope: it survives the scope, and the calling thread, which must
     * be its owner, becomes responsible for closing it. Returns this tensor.
     */
    public Tensor keep() {
        if (isClosed()) {
            throw closedException();
        }
        requireOwner("keep");
        if (scope != null) {
            scope.forget(this);
            scope = null;
        }
        return this;
    }

    /**
     * Moves this tensor into {@code target}, which must be open and belong to this thread. Returns
     * this tensor.
     */
    public Tensor moveTo(TensorScope target) {
        Objects.requireNonNull(target, "target");
        if (!target.isOwnerThread()) {
            throw new WrongThreadException("the target scope belongs to another thread");
        }
        if (target.isClosed()) {
            throw new IllegalStateException("the target scope is closed");
        }
        keep();
        scope = target;
        target.adopt(this);
        return this;
    }

    /**
     * Frees the native handle now, or, while calls of other threads on this tensor are running, when
     * the last of them returns (no new call can start). Harmless when already closed.
     *
     * @throws WrongThreadException if called from a thread other than the owner
     */
    @Override
    public void close() {
        if (isClosed()) {
            return;
        }
        requireOwner("close");
        if (scope != null) {
            scope.forget(this);
            scope = null;
        }
        closeHandle();
    }

    void releaseFromScope() {
        scope = null;
        closeHandle();
    }

    @Override
    protected void free(MemorySegment handle) {
        LeakTracker.closed(this);
        // A plain downcall: freeing through a critical handle measured 50% slower training (bench/).
        TorchFfm.tffm_tensor_free(handle);
    }

    // ---- one native call per op --------------------------------------------------------------

    @FunctionalInterface
    private interface Op {
        MemorySegment call(MemorySegment ctx, MemorySegment self);
    }

    @FunctionalInterface
    private interface BinaryOp {
        MemorySegment call(MemorySegment ctx, MemorySegment self, MemorySegment other);
    }

    @FunctionalInterface
    interface Action {
        int call(MemorySegment ctx, MemorySegment self);
    }

    @FunctionalInterface
    private interface BinaryAction {
        int call(MemorySegment ctx, MemorySegment self, MemorySegment other);
    }

    // A new tensor computed from this one.
    private Tensor apply(Op op) {
        MemorySegment h = use();
        try {
            CallContext c = CallContext.get();
            return result(c, c.check(op.call(c.ctx(), h)));
        } finally {
            release();
        }
    }

    // A new tensor computed from this one and another.
    private Tensor apply(Tensor other, String name, BinaryOp op) {
        Tensor o = requireArg(other, name);
        MemorySegment h = use();
        try {
            MemorySegment oh = o.use();
            try {
                CallContext c = CallContext.get();
                return result(c, c.check(op.call(c.ctx(), h, oh)));
            } finally {
                o.release();
            }
        } finally {
            release();
        }
    }

    // An in-place call that writes into this tensor (the operation `what`) and reads `other`.
    private void writeWith(Tensor other, String name, String what, BinaryAction action) {
        Tensor o = requireArg(other, name);
        MemorySegment h = useForWrite(what);
        try {
            MemorySegment oh = o.use();
            try {
                CallContext c = CallContext.get();
                c.check(action.call(c.ctx(), h, oh));
            } finally {
                o.release();
            }
        } finally {
            release();
        }
    }

    // A call on this tensor's handle that returns a status; h is from use() or useForWrite().
    private void run(MemorySegment h, Action action) {
        try {
            CallContext c = CallContext.get();
            c.check(action.call(c.ctx(), h));
        } finally {
            release();
        }
    }

    private long query(ToLongFunction<MemorySegment> getter) {
        MemorySegment h = use();
        try {
            return getter.applyAsLong(h);
        } finally {
            release();
        }
    }

    // ---- queries -------------------------------------------------------------------------------

    public int dim() {
        return (int) query(Critical::ndim);
    }

    public long numel() {
        return query(Critical::numel);
    }

    public long[] shape() {
        MemorySegment h = use();
        try {
            MemorySegment buf = CallContext.get().scratch();
            int n = (int) TorchFfm.tffm_tensor_shape(h, buf, 64);
            if (n > 64) {
                buf = Arena.ofAuto().allocate(ValueLayout.JAVA_LONG, n);
                TorchFfm.tffm_tensor_shape(h, buf, n);
            }
            return buf.asSlice(0, n * 8L).toArray(ValueLayout.JAVA_LONG);
        } finally {
            release();
        }
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
        return DType.of((int) query(Critical::dtype));
    }

    public Device device() {
        MemorySegment h = use();
        try {
            return Device.of(TorchFfm.tffm_tensor_device_type(h), TorchFfm.tffm_tensor_device_index(h));
        } finally {
            release();
        }
    }

    public boolean requiresGrad() {
        return query(TorchFfm::tffm_tensor_requires_grad) != 0;
    }

    // ---- copies out ----------------------------------------------------------------------------

    /**
     * Writes the elements, in row-major order, into {@code dst} (heap or native, writable, open),
     * which must be exactly as large.
     */
    public void writeTo(MemorySegment dst) {
        Objects.requireNonNull(dst, "dst");
        Segments.requireAccessible(dst, "writeTo", true);
        if (!dst.isNative()) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment tmp = arena.allocate(dst.byteSize(), 8);
                writeTo(tmp);
                dst.copyFrom(tmp);
                return;
            }
        }
        run(use(), (ctx, h) -> TorchFfm.tffm_tensor_copy_to(ctx, h, dst, dst.byteSize()));
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
        MemorySegment out = CallContext.get().scratch();
        run(use(), (ctx, h) -> TorchFfm.tffm_tensor_item(ctx, h, out));
        return out.get(ValueLayout.JAVA_DOUBLE, 0);
    }

    // ---- conversions ---------------------------------------------------------------------------

    /** This tensor on {@code device} (a copy, or a new handle to the same tensor if it is there already). */
    public Tensor to(Device device) {
        return apply((ctx, h) -> TorchFfm.tffm_tensor_to_device(ctx, h, device.typeCode(), device.indexCode()));
    }

    /** This tensor converted to {@code dtype}. */
    public Tensor to(DType dtype) {
        return apply((ctx, h) -> TorchFfm.tffm_tensor_to_dtype(ctx, h, dtype.code()));
    }

    /** The same values, detached from the autograd graph (shares storage). */
    public Tensor detach() {
        return apply(TorchFfm::tffm_tensor_detach);
    }

    /**
     * A copy with its own storage, as {@code torch.clone}: recorded by autograd, so gradients flow
     * back to this tensor.
     */
    public Tensor deepCopy() {
        return apply(TorchFfm::tffm_tensor_clone);
    }

    /** Another handle to this very tensor (same storage and autograd identity), owned separately. */
    public Tensor share() {
        return apply(TorchFfm::tffm_tensor_shallow_clone);
    }

    /**
     * Overwrites this tensor's values with {@code src}'s, in place (same shape; dtype and device are
     * converted), as {@code torch.Tensor.copy_}.
     */
    public void assign(Tensor src) {
        writeWith(src, "src", "assign", TorchFfm::tffm_tensor_copy_from);
    }

    /**
     * This tensor laid out in {@code format}: a new handle to the same storage when it already is, else
     * a copy that autograd records. {@link MemoryFormat#CHANNELS_LAST} needs a 4-d tensor.
     */
    public Tensor contiguous(MemoryFormat format) {
        int code = checkFormat(format);
        return apply((ctx, h) -> TorchFfm.tffm_tensor_contiguous(ctx, h, code));
    }

    /** Whether the elements are laid out contiguously in {@code format}. */
    public boolean isContiguous(MemoryFormat format) {
        int code = checkFormat(format);
        MemorySegment out = CallContext.get().scratch();
        run(use(), (ctx, h) -> TorchFfm.tffm_tensor_is_contiguous(ctx, h, code, out));
        return out.get(ValueLayout.JAVA_INT, 0) != 0;
    }

    /**
     * Re-lays out this tensor's elements in {@code format} in place, as PyTorch's {@code
     * module.to(memory_format=...)} does to a parameter: shape, values, requires-grad and identity
     * stay, so an optimizer holding the tensor sees the new layout. Owner thread only.
     */
    public void setMemoryFormat(MemoryFormat format) {
        int code = checkFormat(format);
        run(useForWrite("setMemoryFormat"), (ctx, h) -> TorchFfm.tffm_tensor_set_memory_format(ctx, h, code));
    }

    // The format's code, once the format is known to fit this tensor's rank.
    private int checkFormat(MemoryFormat format) {
        Objects.requireNonNull(format, "format");
        if (format == MemoryFormat.CHANNELS_LAST && dim() != 4) {
            throw new IllegalArgumentException(
                    "channels-last needs a 4-d tensor, got shape " + Arrays.toString(shape()));
        }
        return format.code();
    }

    // ---- views and indexing --------------------------------------------------------------------

    /** The same elements in a new shape; one size may be -1. */
    public Tensor reshape(long... shape) {
        Objects.requireNonNull(shape, "shape");
        MemorySegment dims = CallContext.get().longs(shape);
        return apply((ctx, h) -> TorchFfm.tffm_tensor_reshape(ctx, h, dims, shape.length));
    }

    /** Flattens dimensions {@code start..end} (inclusive; negative counts from the end) into one. */
    public Tensor flatten(long start, long end) {
        return apply((ctx, h) -> TorchFfm.tffm_tensor_flatten(ctx, h, start, end));
    }

    /** Elements {@code start .. start+length-1} along {@code dim}, as a view. */
    public Tensor narrow(long dim, long start, long length) {
        return apply((ctx, h) -> TorchFfm.tffm_tensor_narrow(ctx, h, dim, start, length));
    }

    /** The entries along {@code dim} picked by the int64 tensor {@code index} (a copy). */
    public Tensor indexSelect(long dim, Tensor index) {
        return apply(index, "index", (ctx, h, i) -> TorchFfm.tffm_tensor_index_select(ctx, h, dim, i));
    }

    // ---- element-wise and reductions -----------------------------------------------------------

    public Tensor sigmoid() {
        return apply(TorchFfm::tffm_sigmoid);
    }

    public Tensor relu() {
        return apply(TorchFfm::tffm_relu);
    }

    public Tensor add(Tensor other) {
        return apply(other, "other", TorchFfm::tffm_add);
    }

    public Tensor sub(Tensor other) {
        return apply(other, "other", TorchFfm::tffm_sub);
    }

    public Tensor mul(Tensor other) {
        return apply(other, "other", TorchFfm::tffm_mul);
    }

    public Tensor add(double value) {
        return apply((ctx, h) -> TorchFfm.tffm_add_scalar(ctx, h, value));
    }

    public Tensor mul(double value) {
        return apply((ctx, h) -> TorchFfm.tffm_mul_scalar(ctx, h, value));
    }

    /** In place: this += other (other broadcast to this tensor's shape). Returns this tensor. */
    public Tensor addInPlace(Tensor other) {
        writeWith(other, "other", "addInPlace", TorchFfm::tffm_add_inplace);
        return this;
    }

    /** Element-wise equality (bool tensor, broadcasting). */
    public Tensor eq(Tensor other) {
        return apply(other, "other", TorchFfm::tffm_eq);
    }

    /** Sum of all elements (0-dim). */
    public Tensor sum() {
        return apply(TorchFfm::tffm_sum);
    }

    /** Mean of all elements (0-dim); needs a floating dtype. */
    public Tensor mean() {
        return apply(TorchFfm::tffm_mean);
    }

    /** Indices (int64) of the maxima along {@code dim}. */
    public Tensor argmax(long dim, boolean keepDim) {
        return apply((ctx, h) -> TorchFfm.tffm_argmax(ctx, h, dim, keepDim ? 1 : 0));
    }

    public Tensor matmul(Tensor other) {
        return apply(other, "other", TorchFfm::tffm_matmul);
    }

    // ---- more ops: arithmetic, softmax, dimensions, joining, randn (native/src/ops_extra.cpp) ----

    /** Element-wise this / other (broadcasting); true division, so integer tensors give floats. */
    public Tensor div(Tensor other) {
        return apply(other, "other", TorchFfm::tffm_div);
    }

    /** Element-wise this / value. */
    public Tensor div(double value) {
        return apply((ctx, h) -> TorchFfm.tffm_div_scalar(ctx, h, value));
    }

    /** Element-wise e^x. */
    public Tensor exp() {
        return apply(TorchFfm::tffm_exp);
    }

    /** Element-wise natural logarithm. */
    public Tensor log() {
        return apply(TorchFfm::tffm_log);
    }

    /** Softmax along {@code dim} (negative counts from the end); needs a floating dtype. */
    public Tensor softmax(long dim) {
        return apply((ctx, h) -> TorchFfm.tffm_softmax(ctx, h, dim));
    }

    /** Log of the softmax along {@code dim}, computed stably; needs a floating dtype. */
    public Tensor logSoftmax(long dim) {
        return apply((ctx, h) -> TorchFfm.tffm_log_softmax(ctx, h, dim));
    }

    /** A view with dimensions {@code dim0} and {@code dim1} swapped. */
    public Tensor transpose(long dim0, long dim1) {
        return apply((ctx, h) -> TorchFfm.tffm_tensor_transpose(ctx, h, dim0, dim1));
    }

    /** A view with the dimensions reordered: dimension i of the result is dimension {@code dims[i]} of this. */
    public Tensor permute(long... dims) {
        Objects.requireNonNull(dims, "dims");
        MemorySegment order = CallContext.get().longs(dims);
        return apply((ctx, h) -> TorchFfm.tffm_tensor_permute(ctx, h, order, dims.length));
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
        Tensor[] args = tensors.toArray(new Tensor[0]);
        String[] names = new String[args.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = "tensors[" + i + "]";
        }
        return compute(args, names, (ctx, handles) -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment list = arena.allocate(ValueLayout.ADDRESS, handles.length);
                for (int i = 0; i < handles.length; i++) {
                    list.setAtIndex(ValueLayout.ADDRESS, i, handles[i]);
                }
                return stack
                        ? TorchFfm.tffm_stack(ctx, list, handles.length, dim)
                        : TorchFfm.tffm_cat(ctx, list, handles.length, dim);
            }
        });
    }

    /** Standard normal values from LibTorch's default generator, as {@code torch.randn}; a floating dtype. */
    public static Tensor randn(DType dtype, Device device, long... shape) {
        return randn(dtype, device, null, shape);
    }

    /** Standard normal values drawn from {@code generator} (null: the default generator). */
    public static Tensor randn(DType dtype, Device device, Generator generator, long... shape) {
        return random(dtype, device, generator, shape, TorchFfm::tffm_tensor_randn);
    }

    // ---- autograd ------------------------------------------------------------------------------

    /**
     * Sets whether autograd records operations on this leaf tensor. Returns this tensor. A read-only
     * tensor cannot require grad: an optimizer would write into it.
     */
    public Tensor requiresGrad(boolean requiresGrad) {
        MemorySegment h = requiresGrad ? useForWrite("requiresGrad(true)") : use();
        run(h, (ctx, self) -> TorchFfm.tffm_tensor_set_requires_grad(ctx, self, requiresGrad ? 1 : 0));
        return this;
    }

    /** Backpropagates from this one-element tensor into the leaves' gradients. */
    public void backward() {
        run(use(), TorchFfm::tffm_backward);
    }

    /** Zeroes the accumulated gradient in place, if there is one (as {@code t.grad.zero_()}). */
    public void zeroGrad() {
        MemorySegment list = CallContext.get().scratch();
        run(useForWrite("zeroGrad"), (ctx, h) -> {
            list.set(ValueLayout.ADDRESS, 0, h);
            return TorchFfm.tffm_zero_grad(ctx, list, 1);
        });
    }

    /** Whether a gradient has been accumulated. */
    public boolean hasGrad() {
        return query(TorchFfm::tffm_tensor_has_grad) != 0;
    }

    /** The accumulated gradient (a new handle sharing its storage), if any. */
    public Optional<Tensor> grad() {
        MemorySegment h = use();
        try {
            if (TorchFfm.tffm_tensor_has_grad(h) == 0) {
                return Optional.empty();
            }
            CallContext c = CallContext.get();
            return Optional.of(wrap(c, c.check(TorchFfm.tffm_tensor_grad(c.ctx(), h))));
        } finally {
            release();
        }
    }

    // ---- handles for the other classes of this package ----------------------------------------

    private static Tensor requireArg(Tensor t, String name) {
        if (t == null) {
            throw new NullPointerException(name + " is null");
        }
        return t;
    }

    /** A native call that makes a tensor from the handles of its arguments. */
    @FunctionalInterface
    interface Compute {
        MemorySegment call(MemorySegment ctx, MemorySegment[] args);
    }

    /**
     * A new tensor made by one native call from {@code args}, each held for the duration of the
     * call; an argument whose name is null is optional and passed as NULL when absent.
     */
    static Tensor compute(Tensor[] args, String[] names, Compute call) {
        MemorySegment[] handles = new MemorySegment[args.length];
        int held = 0;
        try {
            for (; held < args.length; held++) {
                if (args[held] == null) {
                    if (names[held] != null) {
                        throw new NullPointerException(names[held] + " is null");
                    }
                    handles[held] = MemorySegment.NULL;
                } else {
                    handles[held] = args[held].use();
                }
            }
            CallContext c = CallContext.get();
            return wrap(c, c.check(call.call(c.ctx(), handles)));
        } finally {
            for (int i = 0; i < held; i++) {
                if (args[i] != null) {
                    args[i].release();
                }
            }
        }
    }

    /** Runs a native call that writes into {@code target} (named {@code what} in errors). */
    static void update(Tensor target, String what, Action call) {
        requireArg(target, "t").run(target.useForWrite(what), call);
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
