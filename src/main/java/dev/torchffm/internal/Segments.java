package dev.torchffm.internal;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Checks of caller memory and shapes made before any downcall, so that each misuse ends in one
 * clear exception (a generated binding would wrap a closed segment's exception in an {@code
 * AssertionError}) and no size computation overflows past a check.
 */
public final class Segments {
    private Segments() {}

    /**
     * Checks that {@code s} can be read (or, with {@code write}, written) by a downcall from the
     * calling thread: its arena is open and the thread may access it.
     */
    public static void requireAccessible(MemorySegment s, String what, boolean write) {
        if (!s.scope().isAlive()) {
            throw new IllegalStateException(what + ": the segment's arena is closed");
        }
        if (!s.isAccessibleBy(Thread.currentThread())) {
            throw new WrongThreadException(what + ": the segment belongs to a confined arena of another thread");
        }
        if (write && s.isReadOnly()) {
            throw new IllegalArgumentException(what + ": the segment is read-only");
        }
    }

    /** The number of elements of {@code shape}; negative sizes and overflow are refused. */
    public static long numel(long[] shape) {
        long n = 1;
        for (long s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative size in shape " + Arrays.toString(shape));
            }
            if (s != 0 && n > Long.MAX_VALUE / s) {
                throw new IllegalArgumentException(
                        "shape " + Arrays.toString(shape) + " has more than 2^63-1 elements");
            }
            n *= s;
        }
        return n;
    }

    /** The bytes {@code shape} takes at {@code elementSize} bytes each, refusing overflow. */
    public static long byteSize(long[] shape, int elementSize) {
        long n = numel(shape);
        if (n > Long.MAX_VALUE / elementSize) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs more than 2^63-1 bytes");
        }
        return n * elementSize;
    }
}
