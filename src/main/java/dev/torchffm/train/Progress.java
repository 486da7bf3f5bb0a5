package dev.torchffm.train;

/** Receives a training run's progress; every method has a no-op default. */
public interface Progress {
    /** An epoch of {@code batches} steps starts. */
    default void epochStarted(int epoch, long batches) {}

    /** A training step finished. */
    default void stepDone(int epoch, long step) {}

    /** An epoch finished. */
    default void epochDone(EpochStats stats) {}

    Progress NONE = new Progress() {};
}
