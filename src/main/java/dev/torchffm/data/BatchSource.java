package dev.torchffm.data;

/**
 * The mini-batches of one split, as a training loop consumes them: each {@link #iterator()} is one
 * pass (one epoch), which may draw a new order. {@link Batches} is the in-memory implementation; a
 * loader over any data set can be another.
 *
 * <p>Ownership: each {@link Batch} belongs to the {@link dev.torchffm.TensorScope} current when
 * {@code next()} made it (or to the caller when none is open); the consumer closes it.
 */
public interface BatchSource extends Iterable<Batch> {
    /** The number of batches one pass yields. */
    long count();

    /** The number of examples one pass yields. */
    long examples();
}
