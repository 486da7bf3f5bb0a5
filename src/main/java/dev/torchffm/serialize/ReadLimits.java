package dev.torchffm.serialize;

/**
 * Upper limits for reading a checkpoint, where PyTorch itself has none, taken from system properties
 * at each read:
 *
 * <ul>
 *   <li>{@code torchffm.checkpoint.maxPickleBytes} (default 16 MiB): the largest {@code data.pkl}
 *       read. A state_dict's pickle takes about 150 bytes per tensor.
 *   <li>{@code torchffm.checkpoint.copyAllowanceBytes} (default 1 MiB): how many bytes the copies
 *       of non-contiguous tensors (transposed, strided, expanded views) may take beyond the
 *       tensor data the file holds.
 * </ul>
 */
record ReadLimits(long maxPickleBytes, long copyAllowanceBytes) {
    static final String MAX_PICKLE_BYTES = "torchffm.checkpoint.maxPickleBytes";
    static final String COPY_ALLOWANCE_BYTES = "torchffm.checkpoint.copyAllowanceBytes";

    static ReadLimits fromSystemProperties() {
        return new ReadLimits(
                bytes(MAX_PICKLE_BYTES, 16L << 20, Integer.MAX_VALUE - 8),
                bytes(COPY_ALLOWANCE_BYTES, 1L << 20, Long.MAX_VALUE));
    }

    private static long bytes(String property, long defaultValue, long max) {
        String value = System.getProperty(property);
        if (value == null) {
            return defaultValue;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n >= 0 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                "system property " + property + "=" + value + " is not a byte count between 0 and " + max);
    }
}
