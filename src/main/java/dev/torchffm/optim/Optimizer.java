package dev.torchffm.optim;

/**
 * An optimizer over a fixed list of parameters whose update runs in one native call per step:
 * {@link SGD}, {@link Adam}, {@link AdamW}. Holds native state (moment buffers): close it.
 */
public interface Optimizer extends AutoCloseable {
    /** One update of every parameter that has a gradient. */
    void step();

    /** Zeroes every parameter's gradient. */
    void zeroGrad();

    /** The current learning rate. */
    double lr();

    /** Sets the learning rate of every parameter (what a {@link LrScheduler} does). */
    void lr(double lr);

    @Override
    void close();
}
