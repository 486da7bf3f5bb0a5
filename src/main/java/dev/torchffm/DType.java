package dev.torchffm;

import dev.torchffm.internal.bindings.TorchFfm;

/** Element types; codes are the C API's {@code TFFM_DTYPE_*} (equal to LibTorch's {@code c10::ScalarType}). */
public enum DType {
    UINT8(TorchFfm.TFFM_DTYPE_UINT8(), 1),
    INT8(TorchFfm.TFFM_DTYPE_INT8(), 1),
    INT32(TorchFfm.TFFM_DTYPE_INT32(), 4),
    INT64(TorchFfm.TFFM_DTYPE_INT64(), 8),
    FLOAT32(TorchFfm.TFFM_DTYPE_FLOAT32(), 4),
    FLOAT64(TorchFfm.TFFM_DTYPE_FLOAT64(), 8),
    BOOL(TorchFfm.TFFM_DTYPE_BOOL(), 1);

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
