package dev.torchffm.train;

import dev.torchffm.DType;
import dev.torchffm.Device;
import dev.torchffm.Tensor;
import dev.torchffm.TensorScope;

/**
 * A running float64 sum kept on the device: adding never synchronises with the host; only {@link
 * #value()} does. The sum survives the step scopes it is added from and must be read (or closed)
 * inside the scope that was current when it was made.
 */
final class Counter implements AutoCloseable {
    private Tensor sum;

    Counter(Device device) {
        sum = Tensor.zeros(DType.FLOAT64, device).keep();
    }

    /** Adds a one-element tensor (converted to float64, so the sum matches Python's float arithmetic). */
    void add(Tensor value) {
        try (TensorScope s = TensorScope.open()) {
            Tensor next = sum.add(value.to(DType.FLOAT64)).keep();
            sum.close();
            sum = next;
        }
    }

    double value() {
        return sum.item();
    }

    @Override
    public void close() {
        sum.close();
    }
}
