package dev.torchffm;

import dev.torchffm.internal.CallContext;
import dev.torchffm.internal.bindings.TorchFfm;
import java.lang.foreign.MemorySegment;

/** Neural-network operations as functions of tensors, as {@code torch.nn.functional}. */
public final class Functional {
    private Functional() {}

    /** 2-d convolution of x [N,C,H,W] with weight [O,C,kH,kW] and an optional bias [O]. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        requirePositive(stride, "stride");
        if (padding < 0) {
            throw new IllegalArgumentException("padding must be >= 0, got " + padding);
        }
        MemorySegment xh = Tensor.arg(x, "x");
        MemorySegment wh = Tensor.arg(weight, "weight");
        MemorySegment bh = Tensor.optionalArg(bias);
        CallContext c = CallContext.get();
        return Tensor.wrap(c, c.check(TorchFfm.tffm_conv2d(c.ctx, xh, wh, bh, stride, stride, padding, padding)));
    }

    /** Average pooling over kernel x kernel windows. */
    public static Tensor avgPool2d(Tensor x, int kernel, int stride) {
        requirePositive(kernel, "kernel");
        requirePositive(stride, "stride");
        MemorySegment xh = Tensor.arg(x, "x");
        CallContext c = CallContext.get();
        return Tensor.wrap(c, c.check(TorchFfm.tffm_avg_pool2d(c.ctx, xh, kernel, kernel, stride, stride)));
    }

    /** Max pooling over kernel x kernel windows. */
    public static Tensor maxPool2d(Tensor x, int kernel, int stride) {
        requirePositive(kernel, "kernel");
        requirePositive(stride, "stride");
        MemorySegment xh = Tensor.arg(x, "x");
        CallContext c = CallContext.get();
        return Tensor.wrap(c, c.check(TorchFfm.tffm_max_pool2d(c.ctx, xh, kernel, kernel, stride, stride)));
    }

    /** x @ weight^T + bias, with weight [out, in] and an optional bias [out]. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        MemorySegment xh = Tensor.arg(x, "x");
        MemorySegment wh = Tensor.arg(weight, "weight");
        MemorySegment bh = Tensor.optionalArg(bias);
        CallContext c = CallContext.get();
        return Tensor.wrap(c, c.check(TorchFfm.tffm_linear(c.ctx, xh, wh, bh)));
    }

    /** Mean cross-entropy of logits [N,C] against int64 class labels [N] in 0..C-1. */
    public static Tensor crossEntropy(Tensor logits, Tensor labels) {
        MemorySegment lh = Tensor.arg(logits, "logits");
        MemorySegment yh = Tensor.arg(labels, "labels");
        CallContext c = CallContext.get();
        return Tensor.wrap(c, c.check(TorchFfm.tffm_cross_entropy(c.ctx, lh, yh)));
    }

    /** Mean squared error of {@code input} against {@code target} (same shape), as {@code F.mse_loss}. */
    public static Tensor mseLoss(Tensor input, Tensor target) {
        MemorySegment xh = Tensor.arg(input, "input");
        MemorySegment yh = Tensor.arg(target, "target");
        CallContext c = CallContext.get();
        return Tensor.wrap(c, c.check(TorchFfm.tffm_mse_loss(c.ctx, xh, yh)));
    }

    /**
     * Mean binary cross-entropy of {@code logits} against targets in [0, 1] of the same shape, computed
     * stably from the logits, as {@code F.binary_cross_entropy_with_logits}.
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor target) {
        MemorySegment xh = Tensor.arg(logits, "logits");
        MemorySegment yh = Tensor.arg(target, "target");
        CallContext c = CallContext.get();
        return Tensor.wrap(c, c.check(TorchFfm.tffm_bce_with_logits(c.ctx, xh, yh)));
    }

    private static void requirePositive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
    }
}
