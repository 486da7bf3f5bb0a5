package dev.torchffm;

import dev.torchffm.internal.bindings.TorchFfm;
import java.lang.foreign.MemorySegment;

/** Neural-network operations as functions of tensors, as {@code torch.nn.functional}. */
public final class Functional {
    // Argument names for messages; null marks an optional argument.
    private static final String[] X = {"x"};
    private static final String[] WEIGHT_BIAS = {"x", "weight", null};
    private static final String[] LOGITS_LABELS = {"logits", "labels"};
    private static final String[] INPUT_TARGET = {"input", "target"};
    private static final String[] LOGITS_TARGET = {"logits", "target"};
    private static final String[] BATCH_NORM = {"x", null, null, null, null, null};

    private Functional() {}

    /** 2-d convolution of x [N,C,H,W] with weight [O,C,kH,kW] and an optional bias [O]. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        requirePositive(stride, "stride");
        if (padding < 0) {
            throw new IllegalArgumentException("padding must be >= 0, got " + padding);
        }
        return Tensor.compute(
                new Tensor[] {x, weight, bias},
                WEIGHT_BIAS,
                (ctx, h) -> TorchFfm.tffm_conv2d(ctx, h[0], h[1], h[2], stride, stride, padding, padding));
    }

    /** Average pooling over kernel x kernel windows. */
    public static Tensor avgPool2d(Tensor x, int kernel, int stride) {
        return pool2d(x, kernel, stride, TorchFfm::tffm_avg_pool2d);
    }

    /** Max pooling over kernel x kernel windows. */
    public static Tensor maxPool2d(Tensor x, int kernel, int stride) {
        return pool2d(x, kernel, stride, TorchFfm::tffm_max_pool2d);
    }

    /** A shim pooling function: (ctx, x, kernel h, kernel w, stride h, stride w). */
    private interface PoolOp {
        MemorySegment call(MemorySegment ctx, MemorySegment x, long kh, long kw, long sh, long sw);
    }

    private static Tensor pool2d(Tensor x, int kernel, int stride, PoolOp pool) {
        requirePositive(kernel, "kernel");
        requirePositive(stride, "stride");
        return Tensor.compute(new Tensor[] {x}, X, (ctx, h) -> pool.call(ctx, h[0], kernel, kernel, stride, stride));
    }

    /** x @ weight^T + bias, with weight [out, in] and an optional bias [out]. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return Tensor.compute(
                new Tensor[] {x, weight, bias}, WEIGHT_BIAS, (ctx, h) -> TorchFfm.tffm_linear(ctx, h[0], h[1], h[2]));
    }

    /**
     * Mean cross-entropy of logits [N,C] against int64 class labels [N], each in 0..C-1 on every
     * device. Unlike PyTorch's default, no label value is ignored: -100 is out of range like any other
     * (see {@link #crossEntropy(Tensor, Tensor, long)}).
     */
    public static Tensor crossEntropy(Tensor logits, Tensor labels) {
        return Tensor.compute(
                new Tensor[] {logits, labels}, LOGITS_LABELS, (ctx, h) -> TorchFfm.tffm_cross_entropy(ctx, h[0], h[1]));
    }

    /**
     * As {@link #crossEntropy(Tensor, Tensor)}, but labels equal to {@code ignoreIndex} are skipped,
     * as PyTorch's {@code ignore_index} (whose default is -100): they add nothing to the loss, and the
     * mean is over the other labels (NaN when all are ignored). Every other label must be in 0..C-1.
     */
    public static Tensor crossEntropy(Tensor logits, Tensor labels, long ignoreIndex) {
        return Tensor.compute(
                new Tensor[] {logits, labels},
                LOGITS_LABELS,
                (ctx, h) -> TorchFfm.tffm_cross_entropy_ignoring(ctx, h[0], h[1], ignoreIndex));
    }

    /** Mean squared error of {@code input} against {@code target} (same shape), as {@code F.mse_loss}. */
    public static Tensor mseLoss(Tensor input, Tensor target) {
        return Tensor.compute(
                new Tensor[] {input, target}, INPUT_TARGET, (ctx, h) -> TorchFfm.tffm_mse_loss(ctx, h[0], h[1]));
    }

    /**
     * Mean binary cross-entropy of {@code logits} against targets in [0, 1] of the same shape, computed
     * stably from the logits, as {@code F.binary_cross_entropy_with_logits}.
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor target) {
        return Tensor.compute(
                new Tensor[] {logits, target},
                LOGITS_TARGET,
                (ctx, h) -> TorchFfm.tffm_bce_with_logits(ctx, h[0], h[1]));
    }

    /**
     * Batch normalization of x [N,C,...] over its channels, as torch.nn.functional.batch_norm. In
     * training it uses the batch's statistics and updates {@code runningMean}, {@code runningVar}
     * (by {@code momentum}) and the int64 scalar {@code numBatchesTracked} in place; otherwise it uses
     * the running statistics. Every tensor but x may be null.
     */
    public static Tensor batchNorm(
            Tensor x,
            Tensor weight,
            Tensor bias,
            Tensor runningMean,
            Tensor runningVar,
            Tensor numBatchesTracked,
            boolean training,
            double momentum,
            double eps) {
        return Tensor.compute(
                new Tensor[] {x, weight, bias, runningMean, runningVar, numBatchesTracked},
                BATCH_NORM,
                (ctx, h) -> TorchFfm.tffm_batch_norm(
                        ctx, h[0], h[1], h[2], h[3], h[4], h[5], training ? 1 : 0, momentum, eps));
    }

    /**
     * Dropout, as torch.nn.functional.dropout: in training each element is zeroed with probability
     * {@code p} and the rest scaled by 1 / (1 - p); otherwise the result has x's values.
     */
    public static Tensor dropout(Tensor x, double p, boolean training) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1], got " + p);
        }
        return Tensor.compute(new Tensor[] {x}, X, (ctx, h) -> TorchFfm.tffm_dropout(ctx, h[0], p, training ? 1 : 0));
    }

    private static void requirePositive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
    }
}
