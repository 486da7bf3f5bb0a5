package dev.torchffm.nn;

import dev.torchffm.Functional;

/** Max pooling over square windows, as torch.nn.MaxPool2d. */
public final class MaxPool2d extends Pool2d {
    public MaxPool2d(int kernel, int stride) {
        super(kernel, stride, Functional::maxPool2d);
    }
}
