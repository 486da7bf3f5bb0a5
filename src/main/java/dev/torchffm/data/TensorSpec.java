package dev.torchffm.data;

import dev.torchffm.DType;
import java.util.Arrays;
import java.util.Objects;

/** The element type and shape of one example's input or label (without the batch dimension). */
public record TensorSpec(DType dtype, long... shape) {
    public TensorSpec {
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
        for (long s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative size in shape " + Arrays.toString(shape));
            }
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Elements of one example. */
    public long numel() {
        long n = 1;
        for (long s : shape) {
            n = Math.multiplyExact(n, s);
        }
        return n;
    }

    /** Bytes of one example. */
    public long byteSize() {
        return Math.multiplyExact(numel(), dtype.byteSize());
    }

    /** The shape of a batch of {@code n} such examples: n, then this shape. */
    long[] batchShape(long n) {
        long[] out = new long[shape.length + 1];
        out[0] = n;
        System.arraycopy(shape, 0, out, 1, shape.length);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && t.dtype == dtype && Arrays.equals(t.shape, shape);
    }

    @Override
    public int hashCode() {
        return dtype.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return dtype + " " + Arrays.toString(shape);
    }
}
