package dev.torchffm.nn;

import dev.torchffm.Tensor;

/** Pooling over square windows: AvgPool2d and MaxPool2d differ only in the function they apply. */
abstract sealed class Pool2d extends Module permits AvgPool2d, MaxPool2d {
    /** A pooling function of {@code dev.torchffm.Functional}: (x, kernel, stride). */
    interface Function {
        Tensor apply(Tensor x, int kernel, int stride);
    }

    private final int kernel;
    private final int stride;
    private final Function function;

    Pool2d(int kernel, int stride, Function function) {
        Layers.requirePositive(kernel, "kernel_size");
        Layers.requirePositive(stride, "stride");
        this.kernel = kernel;
        this.stride = stride;
        this.function = function;
    }

    @Override
    public Tensor forward(Tensor x) {
        return function.apply(x, kernel, stride);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(kernel_size=" + kernel + ", stride=" + stride + ")";
    }
}
