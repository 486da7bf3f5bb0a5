package dev.torchffm.nn;

import dev.torchffm.Tensor;

/** Element-wise max(x, 0). */
public final class ReLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.relu();
    }
}
