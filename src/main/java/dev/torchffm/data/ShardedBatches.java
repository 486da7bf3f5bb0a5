package dev.torchffm.data;

import java.util.Iterator;
import java.util.Objects;

/**
 * One rank's share of every batch of a source, for data-parallel training: when every rank iterates
 * the same global batches (a shuffled {@link Batches} draws the same permutation on every rank that
 * seeded LibTorch alike), rank {@code r} of {@code w} takes rows {@code [len*r/w, len*(r+1)/w)} of
 * each batch of {@code len} rows, so the shares of all ranks together are the global batch and the
 * global batch size stays what one process would use. Shares are views of the global batch (no
 * copy) and differ in size by at most one row.
 */
public final class ShardedBatches implements BatchSource {
    private final BatchSource global;
    private final int batchSize;
    private final int rank;
    private final int worldSize;

    /**
     * @param global yields batches of {@code batchSize} rows, the last one possibly smaller, as
     *     {@link Batches} does
     * @throws IllegalArgumentException if some batch would leave a rank without a row
     */
    public ShardedBatches(BatchSource global, int batchSize, int rank, int worldSize) {
        this.global = Objects.requireNonNull(global, "global");
        if (worldSize < 1 || rank < 0 || rank >= worldSize) {
            throw new IllegalArgumentException("rank " + rank + " is outside a world of " + worldSize);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        long count = global.count();
        long last = count == 0 ? batchSize : global.examples() - (count - 1) * batchSize;
        if (last < 1 || last > batchSize) {
            throw new IllegalArgumentException(global + " does not yield batches of " + batchSize);
        }
        if (Math.min(last, batchSize) < worldSize) {
            throw new IllegalArgumentException("a batch of " + Math.min(last, batchSize) + " rows cannot be shared by "
                    + worldSize + " ranks; use fewer ranks or another batch size");
        }
        this.batchSize = batchSize;
        this.rank = rank;
        this.worldSize = worldSize;
    }

    @Override
    public long count() {
        return global.count();
    }

    /** The number of rows this rank takes in one pass. */
    @Override
    public long examples() {
        long count = global.count();
        if (count == 0) {
            return 0;
        }
        long last = global.examples() - (count - 1) * batchSize;
        return (count - 1) * share(batchSize) + share(last);
    }

    private long start(long len) {
        return len * rank / worldSize;
    }

    private long share(long len) {
        return len * (rank + 1) / worldSize - start(len);
    }

    /** A pass over the global source, yielding this rank's share of each batch. */
    @Override
    public Iterator<Batch> iterator() {
        Iterator<Batch> batches = global.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return batches.hasNext();
            }

            @Override
            public Batch next() {
                try (Batch b = batches.next()) {
                    long len = b.size();
                    if (len > batchSize) {
                        throw new IllegalStateException(
                                "a batch of " + len + " rows from a source of batch size " + batchSize);
                    }
                    return new Batch(b.x().narrow(0, start(len), share(len)), b.y().narrow(0, start(len), share(len)));
                }
            }
        };
    }

    @Override
    public String toString() {
        return "ShardedBatches[rank " + rank + " of " + worldSize + ", " + global + "]";
    }
}
