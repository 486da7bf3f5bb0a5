package dev.torchffm.nn;

import dev.torchffm.Device;
import dev.torchffm.Functional;
import dev.torchffm.Generator;
import dev.torchffm.Tensor;

/** Fully connected layer y = x W^T + b, as torch.nn.Linear. */
public final class Linear extends Module {
    private final int in, out;
    private final Parameter weight, bias;

    public Linear(int in, int out) {
        this(in, out, null);
    }

    /** As {@link #Linear(int, int)}, drawing the initial parameters from {@code generator} (null: the default). */
    public Linear(int in, int out, Generator generator) {
        Layers.requirePositive(in, "in_features");
        Layers.requirePositive(out, "out_features");
        this.in = in;
        this.out = out;
        Tensor[] wb = Layers.defaultInit(new long[] {out, in}, out, in, true, generator);
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
