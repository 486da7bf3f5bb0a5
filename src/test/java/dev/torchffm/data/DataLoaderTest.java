package dev.torchffm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchffm.DType;
import dev.torchffm.Device;
import dev.torchffm.Generator;
import dev.torchffm.Tensor;
import dev.torchffm.TensorScope;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DataLoader: batches, per-epoch shuffling deterministic for a seed, prefetching, every source kind. */
class DataLoaderTest {
    private static final int N = 10;

    // Example i has the input [i, 10 i] and the label i.
    private static Dataset arrays() {
        float[] x = new float[2 * N];
        long[] y = new long[N];
        for (int i = 0; i < N; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = 10 * i;
            y[i] = i;
        }
        return Dataset.of(x, new long[] {2}, y);
    }

    /** The label sequence of one epoch, checking each input against its label. */
    private static List<long[]> epoch(Iterable<Batch> loader) {
        List<long[]> out = new ArrayList<>();
        for (Batch b : loader) {
            try (b) {
                long[] y = b.y().toLongArray();
                float[] x = b.x().toFloatArray();
                assertArrayEquals(new long[] {y.length, 2}, b.x().shape());
                for (int i = 0; i < y.length; i++) {
                    assertEquals(y[i], x[2 * i]);
                    assertEquals(10 * y[i], x[2 * i + 1]);
                }
                out.add(y);
            }
        }
        return out;
    }

    private static long[] flat(List<long[]> batches) {
        return batches.stream().flatMapToLong(Arrays::stream).toArray();
    }

    @Test
    void inOrderWithARemainder() {
        DataLoader loader = DataLoader.of(arrays(), 4);
        assertEquals(3, loader.count());
        assertEquals(N, loader.examples());
        List<long[]> batches = epoch(loader);
        assertEquals(List.of(4, 4, 2), batches.stream().map(b -> b.length).toList());
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, flat(batches));
    }

    @Test
    void shuffledIsAPermutationPerEpochDeterministicForTheSeed() {
        DataLoader a = DataLoader.of(arrays(), 3).shuffled(42);
        DataLoader b = DataLoader.of(arrays(), 3).shuffled(42);
        long[] a1 = flat(epoch(a));
        long[] a2 = flat(epoch(a));
        assertArrayEquals(
                new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
                Arrays.stream(a1).sorted().toArray());
        assertArrayEquals(
                new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
                Arrays.stream(a2).sorted().toArray());
        assertTrue(!Arrays.equals(a1, a2), "a new order each epoch");
        assertArrayEquals(a1, flat(epoch(b)), "the same seed gives the same epochs");
        assertArrayEquals(a2, flat(epoch(b)));
        assertNotEquals(
                Arrays.toString(a1),
                Arrays.toString(flat(epoch(DataLoader.of(arrays(), 3).shuffled(7)))));
        assertArrayEquals(
                a1,
                flat(epoch(DataLoader.of(arrays(), 3).shuffled(42).withoutPrefetch())),
                "prefetching does not change the batches");
    }

    @Test
    void shuffledWithAGeneratorDrawsOneRandpermPerEpoch() {
        try (Generator g = Generator.cpu(5);
                Generator same = Generator.cpu(5);
                Generator reference = Generator.cpu(5)) {
            DataLoader loader = DataLoader.of(arrays(), 4).shuffled(g);
            long[] e1 = flat(epoch(loader));
            long[] e2 = flat(epoch(loader));
            try (Tensor p1 = Tensor.randperm(N, Device.CPU, reference).keep();
                    Tensor p2 = Tensor.randperm(N, Device.CPU, reference).keep()) {
                assertArrayEquals(p1.toLongArray(), e1);
                assertArrayEquals(p2.toLongArray(), e2);
            }
            DataLoader again = DataLoader.of(arrays(), 4).shuffled(same);
            assertArrayEquals(e1, flat(epoch(again)));
        }
    }

    @Test
    void readsOnAVirtualThreadAndTheCallerOwnsTheBatch() {
        AtomicBoolean virtual = new AtomicBoolean();
        Dataset base = arrays();
        Dataset watched = new Dataset() {
            public long size() {
                return base.size();
            }

            public TensorSpec input() {
                return base.input();
            }

            public TensorSpec label() {
                return base.label();
            }

            public void read(long i, MemorySegment x, MemorySegment y) {
                virtual.set(Thread.currentThread().isVirtual());
                base.read(i, x, y);
            }
        };
        try (TensorScope scope = TensorScope.open()) {
            Batch b = DataLoader.of(watched, 4).iterator().next();
            assertTrue(virtual.get());
            b.close(); // no WrongThreadException: made on this thread
        }
    }

    @Test
    void aReadErrorIsThrownByNext() {
        Dataset base = arrays();
        IllegalStateException boom = new IllegalStateException("example 5 is unreadable");
        Dataset failing = new Dataset() {
            public long size() {
                return base.size();
            }

            public TensorSpec input() {
                return base.input();
            }

            public TensorSpec label() {
                return base.label();
            }

            public void read(long i, MemorySegment x, MemorySegment y) {
                if (i == 5) {
                    throw boom;
                }
                base.read(i, x, y);
            }
        };
        var it = DataLoader.of(failing, 4).iterator();
        it.next().close();
        assertSame(boom, assertThrows(IllegalStateException.class, it::next));
        assertTrue(!it.hasNext());
    }

    @Test
    void tensorsAndSegmentsGiveTheSameBatches() {
        long[] expected = flat(epoch(DataLoader.of(arrays(), 4).shuffled(1)));
        try (TensorScope scope = TensorScope.open()) {
            float[] x = new float[2 * N];
            long[] y = new long[N];
            for (int i = 0; i < N; i++) {
                x[2 * i] = i;
                x[2 * i + 1] = 10 * i;
                y[i] = i;
            }
            Dataset tensors = Dataset.of(Tensor.of(x, N, 2), Tensor.of(y, N));
            assertEquals(new TensorSpec(DType.FLOAT32, 2), tensors.input());
            assertArrayEquals(expected, flat(epoch(DataLoader.of(tensors, 4).shuffled(1))));
            try (Arena arena = Arena.ofShared()) {
                Dataset segments = Dataset.of(
                        arena.allocateFrom(ValueLayout.JAVA_FLOAT, x),
                        new TensorSpec(DType.FLOAT32, 2),
                        arena.allocateFrom(ValueLayout.JAVA_LONG, y),
                        new TensorSpec(DType.INT64));
                assertArrayEquals(
                        expected, flat(epoch(DataLoader.of(segments, 4).shuffled(1))));
            }
            try (Arena arena = Arena.ofConfined()) {
                Dataset confined = Dataset.of(
                        arena.allocateFrom(ValueLayout.JAVA_FLOAT, x),
                        new TensorSpec(DType.FLOAT32, 2),
                        arena.allocateFrom(ValueLayout.JAVA_LONG, y),
                        new TensorSpec(DType.INT64));
                var e = assertThrows(
                        IllegalStateException.class,
                        () -> DataLoader.of(confined, 4).iterator().next());
                assertTrue(e.getMessage().contains("withoutPrefetch"), e.getMessage());
                assertArrayEquals(
                        expected,
                        flat(epoch(DataLoader.of(confined, 4).shuffled(1).withoutPrefetch())));
            }
        }
    }

    @Test
    void idxFiles(@TempDir Path dir) throws Exception {
        int n = 5;
        byte[] pixels = Idx.data(n * 4 * 3, 9);
        Path images = Idx.write(dir.resolve("img.gz"), Idx.bytes(new int[] {n, 4, 3}, pixels));
        Path labels = Idx.write(dir.resolve("lbl"), Idx.bytes(new int[] {n}, Idx.labels(n)));
        Dataset data = Dataset.idx(images, labels);
        assertEquals(new TensorSpec(DType.FLOAT32, 1, 4, 3), data.input());
        try (TensorScope scope = TensorScope.open()) {
            Batch b = DataLoader.of(data, n).on(Device.CPU).iterator().next();
            assertArrayEquals(new long[] {n, 1, 4, 3}, b.x().shape());
            float[] x = b.x().toFloatArray();
            for (int i = 0; i < x.length; i++) {
                assertEquals((pixels[i] & 0xff) / 255f, x[i]);
            }
            long[] y = b.y().toLongArray();
            for (int i = 0; i < n; i++) {
                assertEquals(Idx.labels(n)[i], y[i]);
            }
        }
        Path fewer = Idx.write(dir.resolve("lbl4"), Idx.bytes(new int[] {4}, Idx.labels(4)));
        var e = assertThrows(dev.torchffm.MalformedFileException.class, () -> Dataset.idx(images, fewer));
        assertTrue(e.getMessage().contains("lbl4"), e.getMessage());
    }

    @Test
    void badArguments() {
        assertThrows(IllegalArgumentException.class, () -> DataLoader.of(arrays(), 0));
        assertThrows(IllegalArgumentException.class, () -> Dataset.of(new float[5], new long[] {2}, new long[3]));
        try (TensorScope scope = TensorScope.open()) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> Dataset.of(
                            Tensor.zeros(DType.FLOAT32, Device.CPU, 3, 2), Tensor.zeros(DType.INT64, Device.CPU, 4)));
        }
    }
}
