package dev.torchffm.train;

import dev.torchffm.DType;
import dev.torchffm.Device;
import dev.torchffm.Init;
import dev.torchffm.NoGrad;
import dev.torchffm.Tensor;
import dev.torchffm.TensorScope;
import dev.torchffm.Torch;

/**
 * A running float64 sum kept in one fixed tensor on the device: adding never synchronises with the
 * host (only {@link #value()} does), and because the tensor is updated in place the additions can
 * be captured in a CUDA graph.
 */
final class Counter implements AutoCloseable {
    private final Tensor sum;

    Counter(Device device) {
        sum = Tensor.zeros(DType.FLOAT64, device).keep();
    }

    /** Adds a one-element tensor, converted to float64 so that the sum matches Python's float arithmetic. */
    void add(Tensor value) {
        try (TensorScope s = TensorScope.open();
                NoGrad g = Torch.noGrad()) {
            sum.addInPlace(value.to(DType.FLOAT64));
        }
    }

    double value() {
        return sum.item();
    }

    void reset() {
        Init.zeros(sum);
    }

    @Override
    public void close() {
        sum.close();
    }
}
