package dev.torchffm.nn;

import dev.torchffm.Device;
import dev.torchffm.Functional;
import dev.torchffm.Generator;
import dev.torchffm.Tensor;

/** 2-d convolution with a square kernel, as torch.nn.Conv2d (with bias). */
public final class Conv2d extends WeightedLayer {
    private final int in, out, kernel, stride, padding;

    public Conv2d(int in, int out, int kernel) {
        this(in, out, kernel, 1, 0);
    }

    public Conv2d(int in, int out, int kernel, int stride, int padding) {
        this(in, out, kernel, stride, padding, null);
    }

    /** As {@link #Conv2d(int, int, int, int, int)}, drawing the initial parameters from {@code generator} (null: the default). */
    public Conv2d(int in, int out, int kernel, int stride, int padding, Generator generator) {
        super(weightShape(in, out, kernel, stride, padding), generator);
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    private static long[] weightShape(int in, int out, int kernel, int stride, int padding) {
        Layers.requirePositive(in, "in_channels");
        Layers.requirePositive(out, "out_channels");
        Layers.requirePositive(kernel, "kernel_size");
        Layers.requirePositive(stride, "stride");
        if (padding < 0) {
            throw new IllegalArgumentException("padding must be >= 0, got " + padding);
        }
        return new long[] {out, in, kernel, kernel};
    }

    @Override
    public Conv2d to(Device device) {
        super.to(device);
        return this;
    }

    @Override
    public Conv2d train() {
        super.train();
        return this;
    }

    @Override
    public Conv2d eval() {
        super.eval();
        return this;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.conv2d(x, weight.tensor(), bias.tensor(), stride, padding);
    }

    @Override
    public String toString() {
        return "Conv2d(" + in + ", " + out + ", kernel_size=" + kernel + ", stride=" + stride + ", padding=" + padding
                + ")";
    }
}
