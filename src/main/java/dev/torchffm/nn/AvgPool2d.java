package dev.torchffm.nn;

import dev.torchffm.Functional;

/** Average pooling over square windows, as torch.nn.AvgPool2d. */
public final class AvgPool2d extends Pool2d {
    public AvgPool2d(int kernel, int stride) {
        super(kernel, stride, Functional::avgPool2d);
    }
}
