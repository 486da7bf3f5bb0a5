package dev.torchffm.nn;

import dev.torchffm.DType;
import dev.torchffm.Device;
import dev.torchffm.Generator;
import dev.torchffm.Init;
import dev.torchffm.Tensor;

/** The weight and bias of Linear and Conv2d, made and handed out alike. */
abstract sealed class WeightedLayer extends Module permits Conv2d, Linear {
    final Parameter weight, bias;

    /**
     * PyTorch's default init, drawn in its order (weight, then bias) from {@code generator}, or
     * LibTorch's default generator when it is null: kaiming_uniform_(a = sqrt(5)), then a bias of
     * weightShape[0] values uniform in +-1/sqrt(fan_in), where fan_in is the product of the other
     * weight dimensions.
     */
    WeightedLayer(long[] weightShape, Generator generator) {
        Tensor w = Tensor.zeros(DType.FLOAT32, Device.CPU, weightShape);
        Init.kaimingUniform(w, Math.sqrt(5), generator);
        long fanIn = 1;
        for (int i = 1; i < weightShape.length; i++) {
            fanIn *= weightShape[i];
        }
        Tensor b = Tensor.zeros(DType.FLOAT32, Device.CPU, weightShape[0]);
        double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
        Init.uniform(b, -bound, bound, generator);
        weight = register("weight", w);
        bias = register("bias", b);
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
}
