package dev.torchffm.train;

import dev.torchffm.Device;
import dev.torchffm.optim.SGD;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a training run does. {@link #chapter(Device)} is the d2l LeNet chapter's configuration: 10
 * epochs, batch 256, plain SGD with lr 0.9. The trainer runs on {@code device}: it moves the model
 * there, and the data's batches must be there. {@code cudaGraph} replays the training step as a CUDA
 * graph when the device is a GPU (ignored on the CPU). The optimizer's hyper-parameters follow
 * {@link SGD.Options}' rules. {@code speedups} are the departures from the chapter's op order that
 * make training faster ({@link Speedup#defaults()} unless asked otherwise); {@link #reference()} has none. For a
 * reproducible run, seed LibTorch's generator with {@link dev.torchffm.Torch#manualSeed} before
 * building the model: the model's initialisation and the trainer's shuffles then draw from it in
 * PyTorch's order, and without speedups the run reproduces PyTorch's chapter code.
 */
public record TrainConfig(
        int epochs,
        int batchSize,
        double lr,
        double momentum,
        double weightDecay,
        Device device,
        boolean cudaGraph,
        Set<Speedup> speedups) {
    /** The evaluation batch size under {@link Speedup#EVAL_BATCH}. */
    public static final int EVAL_BATCH_SIZE = 1000;

    public TrainConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        Objects.requireNonNull(device, "device");
        sgd(lr, momentum, weightDecay); // validates with the optimizer's own rules
        Objects.requireNonNull(speedups, "speedups");
        speedups = Collections.unmodifiableSet(
                speedups.isEmpty() ? EnumSet.noneOf(Speedup.class) : EnumSet.copyOf(speedups));
    }

    /** A configuration with the {@linkplain Speedup#defaults() default speedups}. */
    public TrainConfig(
            int epochs,
            int batchSize,
            double lr,
            double momentum,
            double weightDecay,
            Device device,
            boolean cudaGraph) {
        this(epochs, batchSize, lr, momentum, weightDecay, device, cudaGraph, Speedup.defaults());
    }

    /** The optimizer's hyper-parameters. */
    public SGD.Options sgd() {
        return sgd(lr, momentum, weightDecay);
    }

    private static SGD.Options sgd(double lr, double momentum, double weightDecay) {
        return SGD.Options.lr(lr).withMomentum(momentum).withWeightDecay(weightDecay);
    }

    /** The chapter's configuration on {@code device}, with the default speedups. */
    public static TrainConfig chapter(Device device) {
        return new TrainConfig(10, 256, 0.9, 0, 0, device, true);
    }

    public TrainConfig withEpochs(int n) {
        return new TrainConfig(n, batchSize, lr, momentum, weightDecay, device, cudaGraph, speedups);
    }

    public TrainConfig withSpeedups(Set<Speedup> s) {
        return new TrainConfig(epochs, batchSize, lr, momentum, weightDecay, device, cudaGraph, s);
    }

    /** This configuration without speedups: the chapter's op order, so a seeded run matches PyTorch's. */
    public TrainConfig reference() {
        return withSpeedups(Set.of());
    }

    /** Whether {@code s} is on. */
    public boolean has(Speedup s) {
        return speedups.contains(s);
    }
}
