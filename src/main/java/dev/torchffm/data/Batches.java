package dev.torchffm.data;

import dev.torchffm.Generator;
import dev.torchffm.Tensor;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The mini-batches of one split, in order or shuffled; the last batch holds the remainder when the
 * batch size does not divide the number of examples.
 *
 * <p>Ownership: each {@link Batch} is created by {@link Iterator#next()} and, like every new tensor,
 * belongs to the {@link dev.torchffm.TensorScope} current at that call (or to the caller when none
 * is open). Close each batch, or call {@code next()} inside a per-step scope, so that an epoch does
 * not keep all its batches alive:
 *
 * <pre>{@code
 * for (Batch b : Batches.shuffled(data.trainImages(), data.trainLabels(), 256)) {
 *     try (b; var step = TensorScope.open()) { ... }
 * }
 * }</pre>
 */
public final class Batches implements BatchSource {
    private final Tensor images;
    private final Tensor labels;
    private final int batchSize;
    private final boolean shuffle;
    private final Generator generator;
    private final long n;

    private Batches(Tensor images, Tensor labels, int batchSize, boolean shuffle, Generator generator) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        long ni = images.size(0);
        long nl = labels.size(0);
        if (ni != nl) {
            throw new IllegalArgumentException(ni + " images but " + nl + " labels");
        }
        this.images = images;
        this.labels = labels;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.generator = generator;
        this.n = ni;
    }

    /**
     * Batches in a random order. Every iteration (each {@link #iterator()} call, so each epoch of a
     * for-each loop) draws exactly one {@code Tensor.randperm(n, images.device())} from LibTorch's
     * default generator, as the Python reference's one {@code torch.randperm(n)} per epoch, and
     * gathers batch i as rows {@code perm[i*b .. i*b+b)} with {@code indexSelect}.
     */
    public static Batches shuffled(Tensor images, Tensor labels, int batchSize) {
        return new Batches(images, labels, batchSize, true, null);
    }

    /**
     * As {@link #shuffled(Tensor, Tensor, int)}, drawing each iteration's permutation from {@code
     * generator} (a generator of the images' device) instead of the default generator.
     */
    public static Batches shuffled(Tensor images, Tensor labels, int batchSize, Generator generator) {
        return new Batches(images, labels, batchSize, true, java.util.Objects.requireNonNull(generator, "generator"));
    }

    /** Batches in order, as views ({@code narrow}) of the split: for evaluation. */
    public static Batches sequential(Tensor images, Tensor labels, int batchSize) {
        return new Batches(images, labels, batchSize, false, null);
    }

    /** The number of batches, {@code ceil(n / batchSize)}. */
    @Override
    public long count() {
        return (n + batchSize - 1) / batchSize;
    }

    /** The number of examples. */
    @Override
    public long examples() {
        return n;
    }

    public int batchSize() {
        return batchSize;
    }

    /**
     * A pass over the batches. For {@link #shuffled} this draws the permutation now; the
     * permutation tensor belongs to the scope current now and is also closed when the pass ends.
     */
    @Override
    public Iterator<Batch> iterator() {
        Tensor perm = shuffle && n > 0 ? Tensor.randperm(n, images.device(), generator) : null;
        return new Iterator<>() {
            private long start;

            @Override
            public boolean hasNext() {
                return start < n;
            }

            @Override
            public Batch next() {
                if (start >= n) {
                    throw new NoSuchElementException();
                }
                long len = Math.min(batchSize, n - start);
                Batch b;
                if (perm == null) {
                    b = new Batch(images.narrow(0, start, len), labels.narrow(0, start, len));
                } else {
                    try (Tensor idx = perm.narrow(0, start, len)) {
                        b = new Batch(images.indexSelect(0, idx), labels.indexSelect(0, idx));
                    }
                }
                start += len;
                if (start >= n && perm != null) {
                    perm.close();
                }
                return b;
            }
        };
    }

    @Override
    public String toString() {
        return "Batches[" + n + " examples, batch " + batchSize + (shuffle ? ", shuffled" : ", sequential") + "]";
    }
}
