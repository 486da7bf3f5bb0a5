package dev.torchffm.models;

import dev.torchffm.Init;
import dev.torchffm.Tensor;
import dev.torchffm.nn.AvgPool2d;
import dev.torchffm.nn.Conv2d;
import dev.torchffm.nn.Flatten;
import dev.torchffm.nn.Linear;
import dev.torchffm.nn.MaxPool2d;
import dev.torchffm.nn.Module;
import dev.torchffm.nn.ReLU;
import dev.torchffm.nn.Sequential;
import dev.torchffm.nn.Sigmoid;
import java.util.function.Supplier;

/** LeNet-5 for 1x28x28 images and 10 classes, as in the d2l chapter. */
public final class LeNet {
    private LeNet() {}

    /**
     * The chapter's net: sigmoid activations and average pooling, with Xavier-uniform weights.
     * Draws from LibTorch's generator in PyTorch's order: each layer's default init in creation
     * order, then Xavier on every Conv2d and Linear weight.
     */
    public static Sequential classic() {
        return lenet(Sigmoid::new, () -> new AvgPool2d(2, 2));
    }

    /** The modern variant: ReLU activations and max pooling, same shapes, Xavier-uniform weights. */
    public static Sequential modern() {
        return lenet(ReLU::new, () -> new MaxPool2d(2, 2));
    }

    // The one architecture; the arguments are evaluated in order, so the layers draw in creation order.
    private static Sequential lenet(Supplier<Module> activation, Supplier<Module> pool) {
        Sequential net = new Sequential(
                new Conv2d(1, 6, 5, 1, 2),
                activation.get(),
                pool.get(),
                new Conv2d(6, 16, 5),
                activation.get(),
                pool.get(),
                new Flatten(),
                new Linear(16 * 5 * 5, 120),
                activation.get(),
                new Linear(120, 84),
                activation.get(),
                new Linear(84, 10));
        xavier(net);
        return net;
    }

    private static void xavier(Sequential net) {
        for (Module m : net) {
            try (Tensor w = m instanceof Conv2d c ? c.weight() : m instanceof Linear l ? l.weight() : null) {
                if (w != null) {
                    Init.xavierUniform(w, 1.0);
                }
            }
        }
    }
}
