package dev.torchffm.serialize;

import dev.torchffm.Device;
import dev.torchffm.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Gathers the elements a strided view selects from a storage record into a new dense tensor. */
final class StridedCopy {
    private StridedCopy() {}

    /** A dense CPU tensor of {@code ref}'s elements, which lie within {@code storage} (checked by the caller). */
    static Tensor gather(TensorRef ref, StorageData storage) {
        var dtype = ref.storage().dtype();
        long es = dtype.byteSize();
        long numel = ref.numel();
        long[] size = ref.size();
        long[] stride = ref.stride();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dense = arena.allocate(numel * es, 8);
            int nd = size.length;
            if (nd == 0) {
                storage.copy(ref.offset() * es, dense, 0, es);
            } else {
                int last = nd - 1;
                long row = size[last];
                long[] index = new long[nd];
                long to = 0;
                for (long r = numel / row; r > 0; r--) {
                    long base = ref.offset();
                    for (int d = 0; d < last; d++) {
                        base += index[d] * stride[d];
                    }
                    if (stride[last] == 1) {
                        storage.copy(base * es, dense, to, row * es);
                        to += row * es;
                    } else {
                        for (long j = 0; j < row; j++, to += es) {
                            storage.copy((base + j * stride[last]) * es, dense, to, es);
                        }
                    }
                    for (int d = last - 1; d >= 0; d--) {
                        if (++index[d] < size[d]) {
                            break;
                        }
                        index[d] = 0;
                    }
                }
            }
            return Tensor.copyOf(dense, dtype, Device.CPU, size);
        }
    }
}
