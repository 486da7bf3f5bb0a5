package dev.torchffm.train;

import dev.torchffm.Device;

/**
 * What a training run does. {@link #chapter()} is the d2l LeNet chapter's configuration: 10 epochs,
 * batch 256, plain SGD with lr 0.9. {@code cudaGraph} replays the training step as a CUDA graph when
 * the device is a GPU (ignored on the CPU).
 */
public record TrainConfig(int epochs, int batchSize, double lr, double momentum, double weightDecay, long seed,
        Device device, boolean cudaGraph) {
    public TrainConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (!(lr > 0)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + lr);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        }
    }

    /** The chapter's configuration on {@code device} with seed 42. */
    public static TrainConfig chapter(Device device) {
        return new TrainConfig(10, 256, 0.9, 0, 0, 42, device, true);
    }

    public TrainConfig withEpochs(int n) {
        return new TrainConfig(n, batchSize, lr, momentum, weightDecay, seed, device, cudaGraph);
    }
}
