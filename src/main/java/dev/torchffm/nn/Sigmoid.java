package dev.torchffm.nn;

import dev.torchffm.Tensor;

/** Element-wise logistic sigmoid. */
public final class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.sigmoid();
    }
}
