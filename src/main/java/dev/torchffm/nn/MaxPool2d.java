package dev.torchffm.nn;

import dev.torchffm.Functional;
import dev.torchffm.Tensor;

/** Max pooling over square windows, as torch.nn.MaxPool2d. */
public final class MaxPool2d extends Module {
    private final int kernel, stride;

    public MaxPool2d(int kernel, int stride) {
        Layers.requirePositive(kernel, "kernel_size");
        Layers.requirePositive(stride, "stride");
        this.kernel = kernel;
        this.stride = stride;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.maxPool2d(x, kernel, stride);
    }

    @Override
    public String toString() {
        return "MaxPool2d(kernel_size=" + kernel + ", stride=" + stride + ")";
    }
}
