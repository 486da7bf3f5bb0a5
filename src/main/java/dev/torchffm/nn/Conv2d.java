package dev.torchffm.nn;

import dev.torchffm.Device;
import dev.torchffm.Functional;
import dev.torchffm.Generator;
import dev.torchffm.Tensor;

/** 2-d convolution with a square kernel, as torch.nn.Conv2d (with bias). */
public final class Conv2d extends Module {
    private final int in, out, kernel, stride, padding;
    private final Parameter weight, bias;

    public Conv2d(int in, int out, int kernel) {
        this(in, out, kernel, 1, 0);
    }

    public Conv2d(int in, int out, int kernel, int stride, int padding) {
        this(in, out, kernel, stride, padding, null);
    }

    /** As {@link #Conv2d(int, int, int, int, int)}, drawing the initial parameters from {@code generator} (null: the default). */
    public Conv2d(int in, int out, int kernel, int stride, int padding, Generator generator) {
        Layers.requirePositive(in, "in_channels");
        Layers.requirePositive(out, "out_channels");
        Layers.requirePositive(kernel, "kernel_size");
        Layers.requirePositive(stride, "stride");
        if (padding < 0) {
            throw new IllegalArgumentException("padding must be >= 0, got " + padding);
        }
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        Tensor[] wb = Layers.defaultInit(
                new long[] {out, in, kernel, kernel}, out, (long) in * kernel * kernel, true, generator);
        weight = register("weight", wb[0]);
        bias = register("bias", wb[1]);
    }

    /**
     * A new handle to the weight (same storage and autograd identity), owned by the caller or the
     * current scope like any tensor a method returns: closing it leaves the module's parameter intact.
     */
    public Tensor weight() {
        return weight.tensor().share();
    }

    /** A new handle to the bias; see {@link #weight()}. */
    public Tensor bias() {
        return bias.tensor().share();
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
