package dev.torchffm.nn;

import dev.torchffm.DType;
import dev.torchffm.Device;
import dev.torchffm.Functional;
import dev.torchffm.Tensor;
import java.util.Arrays;

/**
 * Batch normalization over the channels of [N,C,H,W] inputs, as torch.nn.BatchNorm2d (affine, with
 * running statistics). In training mode it normalizes with the batch's statistics and updates the
 * running mean and variance (by {@code momentum}) and the batch count; in eval mode it normalizes
 * with the running statistics and changes nothing. The state_dict holds {@code weight},
 * {@code bias}, {@code running_mean}, {@code running_var} and {@code num_batches_tracked}, as
 * PyTorch's.
 */
public final class BatchNorm2d extends Module {
    private final int channels;
    private final double eps, momentum;
    private final Parameter weight, bias, runningMean, runningVar, numBatchesTracked;

    /** PyTorch's defaults: eps 1e-5, momentum 0.1. */
    public BatchNorm2d(int channels) {
        this(channels, 1e-5, 0.1);
    }

    public BatchNorm2d(int channels, double eps, double momentum) {
        Layers.requirePositive(channels, "num_features");
        if (!(eps > 0)) {
            throw new IllegalArgumentException("eps must be > 0, got " + eps);
        }
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1], got " + momentum);
        }
        this.channels = channels;
        this.eps = eps;
        this.momentum = momentum;
        weight = register("weight", Tensor.ones(DType.FLOAT32, Device.CPU, channels));
        bias = register("bias", Tensor.zeros(DType.FLOAT32, Device.CPU, channels));
        runningMean = registerBuffer("running_mean", Tensor.zeros(DType.FLOAT32, Device.CPU, channels));
        runningVar = registerBuffer("running_var", Tensor.ones(DType.FLOAT32, Device.CPU, channels));
        numBatchesTracked = registerBuffer("num_batches_tracked", Tensor.zeros(DType.INT64, Device.CPU));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 4 || x.size(1) != channels) {
            throw new IllegalArgumentException("BatchNorm2d(" + channels + ") expects [N, " + channels + ", H, W], got "
                    + Arrays.toString(x.shape()));
        }
        return Functional.batchNorm(
                x,
                weight.tensor(),
                bias.tensor(),
                runningMean.tensor(),
                runningVar.tensor(),
                numBatchesTracked.tensor(),
                isTraining(),
                momentum,
                eps);
    }

    public Tensor runningMean() {
        return runningMean.tensor().share();
    }

    public Tensor runningVar() {
        return runningVar.tensor().share();
    }

    @Override
    public BatchNorm2d to(Device device) {
        super.to(device);
        return this;
    }

    @Override
    public BatchNorm2d train() {
        super.train();
        return this;
    }

    @Override
    public BatchNorm2d eval() {
        super.eval();
        return this;
    }

    @Override
    public String toString() {
        return "BatchNorm2d(" + channels + ", eps=" + eps + ", momentum=" + momentum + ")";
    }
}
