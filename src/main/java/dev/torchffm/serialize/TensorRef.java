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

    /**
     * The dimensions, largest stride first, in which this view is a dense row-major block of its
     * storage: the identity for a contiguous view, a permutation for a transposed or permuted one;
     * null when the view skips or repeats elements (steps, stride-0 expansions, overlaps).
     */
    int[] denseOrder() {
        int[] identity = identity(size.length);
        if (dense(identity)) {
            return identity;
        }
        int[] order = java.util.stream.IntStream.range(0, size.length)
                .boxed()
                .sorted((a, b) -> Long.compare(stride[b], stride[a]))
                .mapToInt(Integer::intValue)
                .toArray();
        return dense(order) ? order : null;
    }

    // Whether the dimensions in `order` are row-major contiguous (size-1 dimensions may have any stride).
    private boolean dense(int[] order) {
        long expected = 1;
        for (int k = order.length - 1; k >= 0; k--) {
            int d = order[k];
            if (size[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= size[d];
        }
        return true;
    }

    static int[] identity(int n) {
        return java.util.stream.IntStream.range(0, n).toArray();
    }
}
