package dev.torchffm.data;

/**
 * A labelled data set with a training and a test split, batched at the size the caller asks for:
 * what {@link dev.torchffm.train.Trainer#fit(dev.torchffm.nn.Module, TrainTestData)} trains on.
 */
public interface TrainTestData {
    /** The training split, in a new random order on every pass. */
    BatchSource trainBatches(int batchSize);

    /** The test split, in order. */
    BatchSource testBatches(int batchSize);
}
