package dev.torchffm.serialize;

import dev.torchffm.DType;
import dev.torchffm.Device;
import dev.torchffm.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of one storage record, held off-heap in chunks of at most {@value #CHUNK} bytes that are
 * allocated only as data arrives, so a record costs what it really holds, whatever its zip header
 * declares. Closing frees them.
 */
final class StorageData implements AutoCloseable {
    static final int CHUNK = 1 << 20; // a multiple of every element size: no element straddles two chunks

    private final DType dtype;
    private final Arena arena = Arena.ofConfined();
    private final List<MemorySegment> chunks = new ArrayList<>();
    private long size;

    StorageData(DType dtype) {
        this.dtype = dtype;
    }

    /** Reads up to {@code limit} bytes of {@code in}; returns how many it got (fewer only at its end). */
    long readFrom(InputStream in, long limit) throws IOException {
        byte[] buffer = new byte[(int) Math.min(64 << 10, Math.max(limit, 1))];
        while (size < limit) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - size));
            if (n < 0) {
                break;
            }
            for (int done = 0; done < n; ) {
                long inChunk = size % CHUNK;
                if (inChunk == 0) {
                    chunks.add(arena.allocate(Math.min(CHUNK, limit - size), 8));
                }
                MemorySegment chunk = chunks.get(chunks.size() - 1);
                int m = (int) Math.min(n - done, chunk.byteSize() - inChunk);
                MemorySegment.copy(buffer, done, chunk, ValueLayout.JAVA_BYTE, inChunk, m);
                done += m;
                size += m;
            }
        }
        return size;
    }

    long byteSize() {
        return size;
    }

    /** Copies {@code n} bytes from byte {@code from} of the record to {@code dst} at {@code at}. */
    void copy(long from, MemorySegment dst, long at, long n) {
        while (n > 0) {
            MemorySegment chunk = chunks.get((int) (from / CHUNK));
            long inChunk = from % CHUNK;
            long m = Math.min(n, chunk.byteSize() - inChunk);
            MemorySegment.copy(chunk, inChunk, dst, at, m);
            from += m;
            at += m;
            n -= m;
        }
    }

    /** A new 1-d CPU tensor holding the first {@code elements} elements. */
    Tensor toTensor(long elements) {
        long es = dtype.byteSize();
        if (chunks.size() == 1) {
            return Tensor.copyOf(chunks.get(0).asSlice(0, elements * es), dtype, Device.CPU, elements);
        }
        Tensor out = Tensor.zeros(dtype, Device.CPU, elements);
        try {
            long done = 0;
            for (MemorySegment chunk : chunks) {
                long n = Math.min(chunk.byteSize() / es, elements - done);
                if (n <= 0) {
                    break;
                }
                try (Tensor src = Tensor.borrow(chunk.asSlice(0, n * es), dtype, n);
                        Tensor dst = out.narrow(0, done, n)) {
                    dst.assign(src);
                }
                done += n;
            }
            return out;
        } catch (RuntimeException | Error e) {
            out.close();
            throw e;
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
