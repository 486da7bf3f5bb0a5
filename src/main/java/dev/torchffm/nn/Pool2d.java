package dev.torchffm.nn;

/** Pooling over square windows: the kernel and stride that AvgPool2d and MaxPool2d share. */
abstract sealed class Pool2d extends Module permits AvgPool2d, MaxPool2d {
    final int kernel;
    final int stride;

    Pool2d(int kernel, int stride) {
        Layers.requirePositive(kernel, "kernel_size");
        Layers.requirePositive(stride, "stride");
        this.kernel = kernel;
        this.stride = stride;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(kernel_size=" + kernel + ", stride=" + stride + ")";
    }
}
