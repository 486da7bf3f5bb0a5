package dev.torchffm.nn;

import dev.torchffm.Device;
import dev.torchffm.Functional;
import dev.torchffm.Tensor;

/**
 * Dropout, as torch.nn.Dropout: in training mode each element is zeroed with probability {@code p}
 * (drawn from LibTorch's generator) and the rest are scaled by 1 / (1 - p); in eval mode the output
 * equals the input. No parameters.
 */
public final class Dropout extends Module {
    private final double p;

    /** PyTorch's default, p = 0.5. */
    public Dropout() {
        this(0.5);
    }

    public Dropout(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1], got " + p);
        }
        this.p = p;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.dropout(x, p, isTraining());
    }

    @Override
    public Dropout to(Device device) {
        super.to(device);
        return this;
    }

    @Override
    public Dropout train() {
        super.train();
        return this;
    }

    @Override
    public Dropout eval() {
        super.eval();
        return this;
    }

    @Override
    public String toString() {
        return "Dropout(p=" + p + ")";
    }
}
