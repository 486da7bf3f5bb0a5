package dev.torchffm.train;

import dev.torchffm.Device;
import dev.torchffm.optim.SGD;
import java.util.Objects;

/**
 * What a training run does. {@link #chapter(Device)} is the d2l LeNet chapter's configuration: 10
 * epochs, batch 256, plain SGD with lr 0.9. The trainer runs on {@code device}: it moves the model
 * there, and the data's batches must be there. {@code cudaGraph} replays the training step as a CUDA
 * graph when the device is a GPU (ignored on the CPU). The optimizer's hyper-parameters follow
 * {@link SGD.Options}' rules. For a reproducible run, seed LibTorch's generator with
 * {@link dev.torchffm.Torch#manualSeed} before building the model: the model's initialisation and the
 * trainer's shuffles then draw from it in PyTorch's order.
 */
public record TrainConfig(int epochs, int batchSize, double lr, double momentum, double weightDecay, Device device,
        boolean cudaGraph) {
    public TrainConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        Objects.requireNonNull(device, "device");
        sgd(lr, momentum, weightDecay); // validates with the optimizer's own rules
    }

    /** The optimizer's hyper-parameters. */
    public SGD.Options sgd() {
        return sgd(lr, momentum, weightDecay);
    }

    private static SGD.Options sgd(double lr, double momentum, double weightDecay) {
        return SGD.Options.lr(lr).withMomentum(momentum).withWeightDecay(weightDecay);
    }

    /** The chapter's configuration on {@code device}. */
    public static TrainConfig chapter(Device device) {
        return new TrainConfig(10, 256, 0.9, 0, 0, device, true);
    }

    public TrainConfig withEpochs(int n) {
        return new TrainConfig(n, batchSize, lr, momentum, weightDecay, device, cudaGraph);
    }
}
