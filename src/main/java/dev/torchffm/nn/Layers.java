package dev.torchffm.nn;

import dev.torchffm.DType;
import dev.torchffm.Device;
import dev.torchffm.Generator;
import dev.torchffm.Init;
import dev.torchffm.Tensor;

/** Parameter creation shared by the layers with weights. */
final class Layers {
    private Layers() {}

    /**
     * PyTorch's default init for Linear and Conv2d weights and biases, drawn in its order (weight,
     * then bias) from {@code generator}, or LibTorch's default generator when it is null:
     * kaiming_uniform_(a = sqrt(5)), then bias uniform in +-1/sqrt(fan_in).
     */
    static Tensor[] defaultInit(long[] weightShape, long outFeatures, long fanIn, boolean bias, Generator generator) {
        Tensor w = Tensor.zeros(DType.FLOAT32, Device.CPU, weightShape);
        Init.kaimingUniform(w, Math.sqrt(5), generator);
        if (!bias) {
            return new Tensor[] {w};
        }
        Tensor b = Tensor.zeros(DType.FLOAT32, Device.CPU, outFeatures);
        double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
        Init.uniform(b, -bound, bound, generator);
        return new Tensor[] {w, b};
    }

    static void requirePositive(long value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
    }
}
