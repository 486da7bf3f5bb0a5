package dev.torchffm.nn;

import dev.torchffm.Functional;
import dev.torchffm.Tensor;

/** Average pooling over square windows, as torch.nn.AvgPool2d. */
public final class AvgPool2d extends Module {
    private final int kernel, stride;

    public AvgPool2d(int kernel, int stride) {
        Layers.requirePositive(kernel, "kernel_size");
        Layers.requirePositive(stride, "stride");
        this.kernel = kernel;
        this.stride = stride;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.avgPool2d(x, kernel, stride);
    }

    @Override
    public String toString() {
        return "AvgPool2d(kernel_size=" + kernel + ", stride=" + stride + ")";
    }
}
