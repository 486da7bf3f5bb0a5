package dev.torchffm.nn;

import dev.torchffm.Device;
import dev.torchffm.Functional;
import dev.torchffm.Generator;
import dev.torchffm.Tensor;

/** Fully connected layer y = x W^T + b, as torch.nn.Linear. */
public final class Linear extends WeightedLayer {
    private final int in, out;

    public Linear(int in, int out) {
        this(in, out, null);
    }

    /** As {@link #Linear(int, int)}, drawing the initial parameters from {@code generator} (null: the default). */
    public Linear(int in, int out, Generator generator) {
        super(weightShape(in, out), generator);
        this.in = in;
        this.out = out;
    }

    private static long[] weightShape(int in, int out) {
        Layers.requirePositive(in, "in_features");
        Layers.requirePositive(out, "out_features");
        return new long[] {out, in};
    }

    @Override
    public Linear to(Device device) {
        super.to(device);
        return this;
    }

    @Override
    public Linear train() {
        super.train();
        return this;
    }

    @Override
    public Linear eval() {
        super.eval();
        return this;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.linear(x, weight.tensor(), bias.tensor());
    }

    @Override
    public String toString() {
        return "Linear(in_features=" + in + ", out_features=" + out + ")";
    }
}
