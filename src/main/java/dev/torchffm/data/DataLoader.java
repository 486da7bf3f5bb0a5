package dev.torchffm.data;

import dev.torchffm.Device;
import dev.torchffm.Generator;
import dev.torchffm.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Mini-batches of a {@link Dataset}, in order or shuffled per epoch, with the next batch read on a
 * background virtual thread while the caller trains on the current one.
 *
 * <pre>{@code
 * DataLoader train = DataLoader.of(Dataset.idx(images, labels), 128).shuffled(42).on(Device.best());
 * for (int epoch = 0; epoch < 10; epoch++) {
 *     for (Batch b : train) {
 *         try (b; TensorScope step = TensorScope.open()) { ... }
 *     }
 * }
 * }</pre>
 *
 * <p>Order: each {@link #iterator()} is one epoch. Shuffled with a seed, epoch {@code e} (counting
 * iterators from 0) visits the examples in a permutation that depends only on the seed and
 * {@code e}, drawn in Java; shuffled with a {@link Generator}, each epoch draws one
 * {@code randperm(n)} from it, as PyTorch's {@code DataLoader(..., generator=g)} does. Either way a
 * seed gives the same batches whatever other threads do. The last batch holds the remainder when
 * the batch size does not divide the size.
 *
 * <p>Threads and ownership: the background thread only fills a buffer through
 * {@link Dataset#readBatch}; the batch's tensors are made from it by {@code next()} on the calling
 * thread, so they belong to that thread's current {@link dev.torchffm.TensorScope} like any new
 * tensor. An error of the data set is thrown by the {@code next()} that needed the batch.
 */
public final class DataLoader implements BatchSource {
    private final Dataset data;
    private final int batchSize;
    private final Long seed; // null: in order, or the generator's order
    private final Generator generator; // null: in order, or the seed's order
    private final Device device;
    private final boolean prefetch;
    private int epoch;

    private DataLoader(Dataset data, int batchSize, Long seed, Generator generator, Device device, boolean prefetch) {
        this.data = Objects.requireNonNull(data, "data");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        this.seed = seed;
        this.generator = generator;
        this.device = Objects.requireNonNull(device, "device");
        this.prefetch = prefetch;
    }

    /** Batches of {@code data} in order, on the CPU, prefetched. */
    public static DataLoader of(Dataset data, int batchSize) {
        return new DataLoader(data, batchSize, null, null, Device.CPU, true);
    }

    /** This loader, shuffling every epoch with permutations drawn from {@code seed}. */
    public DataLoader shuffled(long seed) {
        return new DataLoader(data, batchSize, seed, null, device, prefetch);
    }

    /**
     * This loader, shuffling every epoch with one {@code randperm} drawn from {@code generator} (a
     * CPU generator, used on the thread that iterates).
     */
    public DataLoader shuffled(Generator generator) {
        Objects.requireNonNull(generator, "generator");
        if (!generator.device().equals(Device.CPU)) {
            throw new IllegalArgumentException("the loader draws its permutations on the CPU: use Generator.cpu(seed),"
                    + " not a generator of " + generator.device());
        }
        return new DataLoader(data, batchSize, null, generator, device, prefetch);
    }

    /** This loader, making the batches' tensors on {@code device}. */
    public DataLoader on(Device device) {
        return new DataLoader(data, batchSize, seed, generator, device, prefetch);
    }

    /** This loader, reading each batch on the calling thread when it is needed (no background thread). */
    public DataLoader withoutPrefetch() {
        return new DataLoader(data, batchSize, seed, generator, device, false);
    }

    @Override
    public long count() {
        return (data.size() + batchSize - 1) / batchSize;
    }

    @Override
    public long examples() {
        return data.size();
    }

    public int batchSize() {
        return batchSize;
    }

    /** The order of epoch {@code epoch}'s examples: 0..n-1, or a permutation from the seed or the generator. */
    long[] order(int epoch) {
        long n = data.size();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("data sets of more than 2^31 examples are not supported");
        }
        if (generator != null) {
            try (Tensor perm = Tensor.randperm(n, Device.CPU, generator).keep()) {
                return perm.toLongArray();
            }
        }
        long[] order = new long[(int) n];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (seed != null) {
            // SplittableRandom's split of a seed gives independent streams per epoch; Fisher-Yates.
            SplittableRandom random = new SplittableRandom(seed);
            for (int e = 0; e < epoch; e++) {
                random = random.split();
            }
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                long t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    /** One epoch. Reading the first batch starts now (in the background when prefetching). */
    @Override
    public Iterator<Batch> iterator() {
        return new Epoch(order(epoch++));
    }

    private final class Epoch implements Iterator<Batch> {
        private final long[] order;
        private final MemorySegment inputs, labels;
        private long start;
        private CompletableFuture<Void> pending; // filling the buffer with the batch at `start`

        Epoch(long[] order) {
            this.order = order;
            // One buffer: the next batch is read into it only after next() copied the current one out.
            Arena arena = Arena.ofAuto();
            long rows = Math.min(batchSize, order.length);
            inputs = arena.allocate(Math.max(1, rows * data.input().byteSize()), 8);
            labels = arena.allocate(Math.max(1, rows * data.label().byteSize()), 8);
            fill();
        }

        private long length() {
            return Math.min(batchSize, order.length - start);
        }

        private void fill() {
            if (start >= order.length) {
                return;
            }
            long[] indices = java.util.Arrays.copyOfRange(order, (int) start, (int) (start + length()));
            MemorySegment x = inputs.asSlice(0, indices.length * data.input().byteSize());
            MemorySegment y = labels.asSlice(0, indices.length * data.label().byteSize());
            Runnable read = () -> data.readBatch(indices, x, y);
            if (prefetch) {
                CompletableFuture<Void> f = new CompletableFuture<>();
                Thread.ofVirtual().name("torchffm-prefetch").start(() -> {
                    try {
                        read.run();
                        f.complete(null);
                    } catch (Throwable t) {
                        f.completeExceptionally(t);
                    }
                });
                pending = f;
            } else {
                read.run();
                pending = CompletableFuture.completedFuture(null);
            }
        }

        @Override
        public boolean hasNext() {
            return start < order.length;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            try {
                pending.join();
            } catch (CompletionException e) {
                start = order.length; // the epoch ends with the data set's error
                if (e.getCause() instanceof WrongThreadException w) {
                    throw new IllegalStateException(
                            "the data set's memory can only be read by the thread that made "
                                    + "it (a confined arena), but the loader reads on a background thread: allocate it from "
                                    + "a shared or automatic arena, or use withoutPrefetch()",
                            w);
                }
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw e;
            }
            long n = length();
            Tensor x = Tensor.copyOf(
                    inputs.asSlice(0, n * data.input().byteSize()),
                    data.input().dtype(),
                    device,
                    data.input().batchShape(n));
            Tensor y;
            try {
                y = Tensor.copyOf(
                        labels.asSlice(0, n * data.label().byteSize()),
                        data.label().dtype(),
                        device,
                        data.label().batchShape(n));
            } catch (RuntimeException e) {
                x.close();
                throw e;
            }
            start += n;
            fill();
            return new Batch(x, y);
        }
    }

    @Override
    public String toString() {
        return "DataLoader[" + data.size() + " examples, batch " + batchSize
                + (seed != null
                        ? ", shuffled (seed " + seed + ")"
                        : generator != null ? ", shuffled (" + generator + ")" : ", in order")
                + ", on " + device + "]";
    }
}
