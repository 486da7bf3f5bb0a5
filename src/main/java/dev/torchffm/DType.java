package dev.torchffm;

/** Element types; codes equal LibTorch's {@code c10::ScalarType}. */
public enum DType {
    UINT8(0, 1),
    INT8(1, 1),
    INT32(3, 4),
    INT64(4, 8),
    FLOAT32(6, 4),
    FLOAT64(7, 8),
    BOOL(11, 1);

    private final int code;
    private final int byteSize;

    DType(int code, int byteSize) {
        this.code = code;
        this.byteSize = byteSize;
    }

    /** The {@code TFFM_DTYPE_*} code. */
    public int code() {
        return code;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    public boolean isFloatingPoint() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /** The type with this code; {@link IllegalArgumentException} for a type torchffm does not map. */
    public static DType of(int code) {
        for (DType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("LibTorch dtype code " + code + " is not supported by torchffm");
    }

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
