package dev.torchffm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchffm.internal.CallContext;
import dev.torchffm.internal.bindings.TorchFfm;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Caller memory given to borrow, copyOf and copyTo: each misuse ends in one clear exception, and no
 * size computation overflows past a check, in Java or in the shim.
 */
class SegmentTest {
    private static final long TWO_62 = 1L << 62;

    @Test
    void closedArenaGivesOneClearException() {
        Arena arena = Arena.ofConfined();
        MemorySegment s = arena.allocate(16, 8);
        arena.close();
        for (Runnable call : new Runnable[] {
            () -> Tensor.borrow(s, DType.FLOAT32, 4),
            () -> Tensor.copyOf(s, DType.FLOAT32, Device.CPU, 4),
            () -> Tensor.zeros(DType.FLOAT32, Device.CPU, 4).writeTo(s)
        }) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call::run);
            assertTrue(e.getMessage().contains("arena is closed"), e.getMessage());
        }
    }

    @Test
    void borrowedTensorFailsOnceItsArenaCloses() {
        Arena arena = Arena.ofShared();
        MemorySegment s = arena.allocateFrom(ValueLayout.JAVA_FLOAT, 1, 2, 3, 4);
        try (Tensor t = Tensor.borrow(s, DType.FLOAT32, 4);
                Tensor view = t.narrow(0, 1, 2)) {
            assertEquals(10.0, t.sum().item(), 0);
            arena.close();
            for (Runnable use : new Runnable[] {
                t::sum,
                view::sum,
                t::shape,
                view::dim,
                () -> Tensor.ones(DType.FLOAT32, Device.CPU, 4).add(t)
            }) {
                IllegalStateException e = assertThrows(IllegalStateException.class, use::run);
                assertTrue(e.getMessage().contains("freed"), e.getMessage());
            }
        }
    }

    @Test
    void misalignedAndHeapSegmentsAreRefusedByBorrow() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(64, 8);
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> Tensor.borrow(s.asSlice(2, 16), DType.FLOAT32, 4));
            assertTrue(e.getMessage().contains("aligned"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Tensor.borrow(s.asSlice(4, 16), DType.INT64, 2));
            try (Tensor bytes = Tensor.borrow(s.asSlice(3, 4), DType.UINT8, 4)) { // one-byte elements: any address
                assertEquals(4, bytes.numel());
            }
        }
        float[] heap = {1, 2, 3};
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Tensor.borrow(MemorySegment.ofArray(heap), DType.FLOAT32, 3));
        assertTrue(e.getMessage().contains("heap"), e.getMessage());
        try (Tensor copy = Tensor.copyOf(MemorySegment.ofArray(heap), DType.FLOAT32, Device.CPU, 3)) {
            assertArrayEquals(heap, copy.toFloatArray());
        }
    }

    @Test
    void aConfinedArenaOfAnotherThreadIsRefused() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocateFrom(ValueLayout.JAVA_FLOAT, 1, 2);
            Tensor t = Tensor.borrow(s, DType.FLOAT32, 2);
            AtomicReference<Throwable> seen = new AtomicReference<>();
            Thread other = new Thread(() -> {
                try {
                    Tensor.borrow(s, DType.FLOAT32, 2);
                } catch (Throwable e) {
                    seen.set(e);
                }
                try {
                    t.sum();
                } catch (Throwable e) {
                    seen.set(seen.get() instanceof WrongThreadException ? e : seen.get());
                }
            });
            other.start();
            other.join();
            assertTrue(seen.get() instanceof WrongThreadException, String.valueOf(seen.get()));
            t.close();
        }
    }

    @Test
    void overflowingShapesAreRefusedInJava() {
        MemorySegment empty = Arena.ofAuto().allocate(0);
        for (long[] shape :
                new long[][] {{TWO_62, 4}, {Long.MAX_VALUE, 2}, {1L << 32, 1L << 32}, {3, Long.MAX_VALUE / 2}}) {
            assertThrows(IllegalArgumentException.class, () -> Tensor.borrow(empty, DType.FLOAT32, shape));
            assertThrows(IllegalArgumentException.class, () -> Tensor.copyOf(empty, DType.FLOAT32, Device.CPU, shape));
            assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(DType.FLOAT32, Device.CPU, shape));
        }
        // 2^62 elements fit in a long, their 2^64 bytes do not: the shim refuses the byte count.
        for (DType t : new DType[] {DType.FLOAT32, DType.INT64, DType.INT32}) {
            TorchException e = assertThrows(TorchException.class, () -> Tensor.borrow(empty, t, TWO_62));
            assertTrue(e.getMessage().contains("2^63-1 bytes"), e.getMessage());
            assertThrows(TorchException.class, () -> Tensor.copyOf(empty, t, Device.CPU, TWO_62));
            assertThrows(TorchException.class, () -> Tensor.zeros(t, Device.CPU, TWO_62));
            assertThrows(TorchException.class, () -> Tensor.borrow(empty, t, 1L << 31, 1L << 31));
        }
    }

    @Test
    void theShimChecksSizesItself() {
        // Straight through the bindings, past every Java check.
        CallContext c = CallContext.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(16, 8);
            long[][] shapes = {{TWO_62}, {1L << 40, 1L << 40}, {-1}, {Long.MAX_VALUE, 3}, {1L << 61, 1L << 2}};
            for (long[] shape : shapes) {
                MemorySegment dims = arena.allocateFrom(ValueLayout.JAVA_LONG, shape);
                for (long bytes : new long[] {0, 16, -16}) {
                    assertThrows(
                            TorchException.class,
                            () -> c.check(TorchFfm.tffm_tensor_borrow(
                                    c.ctx(), data, bytes, DType.FLOAT32.code(), dims, shape.length)));
                    assertThrows(
                            TorchException.class,
                            () -> c.check(TorchFfm.tffm_tensor_from_data(
                                    c.ctx(), data, bytes, DType.FLOAT32.code(), dims, shape.length, 0, 0)));
                }
                assertThrows(
                        TorchException.class,
                        () -> c.check(
                                TorchFfm.tffm_tensor_zeros(c.ctx(), DType.FLOAT64.code(), dims, shape.length, 0, 0)));
            }
            MemorySegment dst = arena.allocate(16, 8);
            try (Tensor t = Tensor.zeros(DType.FLOAT32, Device.CPU, 4)) {
                assertThrows(TorchException.class, () -> t.writeTo(dst.asSlice(0, 12)));
            }
        }
    }
}
