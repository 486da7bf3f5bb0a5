package dev.torchffm.nn;

import dev.torchffm.Functional;
import dev.torchffm.Tensor;

/** Average pooling over square windows, as torch.nn.AvgPool2d. */
public final class AvgPool2d extends Pool2d {
    public AvgPool2d(int kernel, int stride) {
        super(kernel, stride);
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.avgPool2d(x, kernel, stride);
    }
}
