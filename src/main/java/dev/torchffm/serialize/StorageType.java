package dev.torchffm.serialize;

import dev.torchffm.DType;

/**
 * The {@code torch.<Name>Storage} types a checkpoint names, with the dtype torchffm maps each to
 * ({@code null} for one it does not support), named once for reading and writing.
 */
enum StorageType {
    FLOAT("FloatStorage", DType.FLOAT32, "float32"),
    DOUBLE("DoubleStorage", DType.FLOAT64, "float64"),
    LONG("LongStorage", DType.INT64, "int64"),
    INT("IntStorage", DType.INT32, "int32"),
    BYTE("ByteStorage", DType.UINT8, "uint8"),
    CHAR("CharStorage", DType.INT8, "int8"),
    BOOL("BoolStorage", DType.BOOL, "bool"),
    HALF("HalfStorage", null, "float16"),
    BFLOAT16("BFloat16Storage", null, "bfloat16"),
    SHORT("ShortStorage", null, "int16"),
    COMPLEX_FLOAT("ComplexFloatStorage", null, "complex64"),
    COMPLEX_DOUBLE("ComplexDoubleStorage", null, "complex128"),
    QINT8("QInt8Storage", null, "qint8"),
    QUINT8("QUInt8Storage", null, "quint8"),
    QINT32("QInt32Storage", null, "qint32"),
    QUINT4X2("QUInt4x2Storage", null, "quint4x2"),
    QUINT2X4("QUInt2x4Storage", null, "quint2x4"),
    UNTYPED("UntypedStorage", null, "untyped");

    /** The class name in module {@code torch}. */
    final String className;
    /** torchffm's dtype, or null when unsupported. */
    final DType dtype;
    /** PyTorch's name of the dtype, for error messages. */
    final String torchDType;

    StorageType(String className, DType dtype, String torchDType) {
        this.className = className;
        this.dtype = dtype;
        this.torchDType = torchDType;
    }

    /** The type named {@code torch.<className>}, or null. */
    static StorageType named(String className) {
        for (StorageType t : values()) {
            if (t.className.equals(className)) {
                return t;
            }
        }
        return null;
    }

    /** The storage type that holds {@code dtype}. */
    static StorageType of(DType dtype) {
        for (StorageType t : values()) {
            if (t.dtype == dtype) {
                return t;
            }
        }
        throw new IllegalArgumentException("no storage type for " + dtype);
    }
}
