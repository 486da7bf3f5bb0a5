package dev.torchffm.bench;

import dev.torchffm.internal.bindings.TorchFfm;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Raw tensor handles made through the bindings, for the benchmarks that bypass {@code Tensor}. */
final class Raw {
    private Raw() {}

    /** A new float32 CPU tensor handle holding {@code values}; free it with tffm_tensor_free. */
    static MemorySegment tensor(MemorySegment ctx, float[] values, long... shape) {
        long[] dims = shape.length == 0 ? new long[] {values.length} : shape;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocateFrom(ValueLayout.JAVA_FLOAT, values);
            MemorySegment h = TorchFfm.tffm_tensor_from_data(
                    ctx,
                    data,
                    data.byteSize(),
                    TorchFfm.TFFM_DTYPE_FLOAT32(),
                    arena.allocateFrom(ValueLayout.JAVA_LONG, dims),
                    dims.length,
                    TorchFfm.TFFM_DEVICE_CPU(),
                    0);
            if (h.address() == 0) {
                throw new IllegalStateException("tffm_tensor_from_data failed");
            }
            return h;
        }
    }
}
