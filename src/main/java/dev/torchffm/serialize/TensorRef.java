package dev.torchffm.serialize;

/**
 * A tensor a checkpoint declares: the elements of {@code storage} at {@code offset}, {@code size}
 * and {@code stride} (all in elements), as {@code torch._utils._rebuild_tensor_v2} takes them.
 */
record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {
    /** The number of elements; {@link ArithmeticException} when it overflows. */
    long numel() {
        long n = 1;
        for (long s : size) {
            n = Math.multiplyExact(n, s);
        }
        return n;
    }

    /**
     * How many elements of the storage this view reaches: one past its last element (0 when empty).
     * {@link ArithmeticException} when that overflows.
     */
    long reach() {
        if (numel() == 0) {
            return 0;
        }
        long last = offset;
        for (int d = 0; d < size.length; d++) {
            last = Math.addExact(last, Math.multiplyExact(size[d] - 1, stride[d]));
        }
        return Math.addExact(last, 1);
    }

    /** Whether the elements lie back to back in row-major order (size-1 dimensions may have any stride). */
    boolean contiguous() {
        long expected = 1;
        for (int d = size.length - 1; d >= 0; d--) {
            if (size[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= size[d];
        }
        return true;
    }
}
