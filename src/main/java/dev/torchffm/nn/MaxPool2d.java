package dev.torchffm.nn;

import dev.torchffm.Functional;
import dev.torchffm.Tensor;

/** Max pooling over square windows, as torch.nn.MaxPool2d. */
public final class MaxPool2d extends Pool2d {
    public MaxPool2d(int kernel, int stride) {
        super(kernel, stride);
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.maxPool2d(x, kernel, stride);
    }
}
