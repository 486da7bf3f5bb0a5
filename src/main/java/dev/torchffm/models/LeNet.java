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

/** LeNet-5 for 1x28x28 images and 10 classes, as in the d2l chapter. */
public final class LeNet {
    private LeNet() {}

    /**
     * The chapter's net: sigmoid activations and average pooling, with Xavier-uniform weights.
     * Draws from LibTorch's generator in PyTorch's order: each layer's default init in creation
     * order, then Xavier on every Conv2d and Linear weight.
     */
    public static Sequential classic() {
        Sequential net = new Sequential(
                new Conv2d(1, 6, 5, 1, 2),
                new Sigmoid(),
                new AvgPool2d(2, 2),
                new Conv2d(6, 16, 5),
                new Sigmoid(),
                new AvgPool2d(2, 2),
                new Flatten(),
                new Linear(16 * 5 * 5, 120),
                new Sigmoid(),
                new Linear(120, 84),
                new Sigmoid(),
                new Linear(84, 10));
        xavier(net);
        return net;
    }

    /** The modern variant: ReLU activations and max pooling, same shapes, Xavier-uniform weights. */
    public static Sequential modern() {
        Sequential net = new Sequential(
                new Conv2d(1, 6, 5, 1, 2),
                new ReLU(),
                new MaxPool2d(2, 2),
                new Conv2d(6, 16, 5),
                new ReLU(),
                new MaxPool2d(2, 2),
                new Flatten(),
                new Linear(16 * 5 * 5, 120),
                new ReLU(),
                new Linear(120, 84),
                new ReLU(),
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
