package dev.torchffm.nn;

import dev.torchffm.Tensor;

/** Flattens all dimensions but the first (the batch), as torch.nn.Flatten(). */
public final class Flatten extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.flatten(1, -1);
    }
}
