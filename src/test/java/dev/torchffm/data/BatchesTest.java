package dev.torchffm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.torchffm.Tensor;
import dev.torchffm.TensorScope;
import dev.torchffm.Torch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class BatchesTest {
    // x[i] = {i, 100+i} so a row identifies its example; y[i] = 1000+i.
    private static Tensor images(int n) {
        float[] x = new float[2 * n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = 100 + i;
        }
        return Tensor.of(x, n, 2);
    }

    private static Tensor labels(int n) {
        return Tensor.of(LongStream.range(1000, 1000 + n).toArray(), n);
    }

    private static List<long[]> collect(Batches batches) {
        List<long[]> out = new ArrayList<>();
        for (Batch b : batches) {
            try (b) {
                float[] x = b.x().toFloatArray();
                long[] y = b.y().toLongArray();
                assertEquals(y.length, b.size());
                long[] ids = new long[y.length];
                for (int i = 0; i < y.length; i++) {
                    ids[i] = y[i] - 1000;
                    assertEquals(ids[i], (long) x[2 * i], "x row matches its label");
                    assertEquals(100 + ids[i], (long) x[2 * i + 1]);
                }
                out.add(ids);
            }
        }
        return out;
    }

    @Test
    void sizesIncludeTheLastPartialBatch() {
        try (TensorScope scope = TensorScope.open()) {
            for (Batches b : List.of(
                    Batches.shuffled(images(10), labels(10), 4), Batches.sequential(images(10), labels(10), 4))) {
                assertEquals(3, b.count());
                assertEquals(
                        List.of(4, 4, 2), collect(b).stream().map(a -> a.length).toList());
            }
            assertEquals(1, Batches.sequential(images(3), labels(3), 4).count());
            assertEquals(2, Batches.sequential(images(8), labels(8), 4).count());
            assertEquals(0, Batches.shuffled(images(0), labels(0), 4).count());
            assertEquals(List.of(), collect(Batches.shuffled(images(0), labels(0), 4)));
        }
    }

    @Test
    void sequentialKeepsOrder() {
        try (TensorScope scope = TensorScope.open()) {
            List<long[]> got = collect(Batches.sequential(images(10), labels(10), 4));
            assertArrayEquals(new long[] {0, 1, 2, 3}, got.get(0));
            assertArrayEquals(new long[] {4, 5, 6, 7}, got.get(1));
            assertArrayEquals(new long[] {8, 9}, got.get(2));
        }
    }

    @Test
    void shuffledCoversEveryIndexOnceAndIsTheDrawnPermutation() {
        try (TensorScope scope = TensorScope.open()) {
            Batches batches = Batches.shuffled(images(103), labels(103), 16);
            Torch.manualSeed(7);
            long[] order =
                    collect(batches).stream().flatMapToLong(LongStream::of).toArray();
            long[] sorted = order.clone();
            Arrays.sort(sorted);
            assertArrayEquals(LongStream.range(0, 103).toArray(), sorted);
            // Exactly one randperm per pass, in batch order.
            Torch.manualSeed(7);
            assertArrayEquals(Tensor.randperm(103, dev.torchffm.Device.CPU).toLongArray(), order);
            // A second pass draws a new permutation from the generator.
            long[] again =
                    collect(batches).stream().flatMapToLong(LongStream::of).toArray();
            Torch.manualSeed(7);
            Tensor.randperm(103, dev.torchffm.Device.CPU);
            assertArrayEquals(Tensor.randperm(103, dev.torchffm.Device.CPU).toLongArray(), again);
        }
    }

    @Test
    void closedBatchesLeaveNoTensors() {
        try (TensorScope scope = TensorScope.open()) {
            Batches batches = Batches.shuffled(images(10), labels(10), 3);
            int before = scope.size();
            collect(batches);
            assertEquals(before, scope.size(), "batches, index views and the permutation are all closed");
        }
    }

    @Test
    void rejectsBadArguments() {
        try (TensorScope scope = TensorScope.open()) {
            assertThrows(IllegalArgumentException.class, () -> Batches.sequential(images(3), labels(4), 2));
            assertThrows(IllegalArgumentException.class, () -> Batches.shuffled(images(3), labels(3), 0));
        }
    }
}
