package dev.torchffm.nn;

import dev.torchffm.Device;
import dev.torchffm.NoGrad;
import dev.torchffm.Tensor;
import dev.torchffm.Torch;

/**
 * A trainable tensor of a module, or a buffer (saved state that is not trained, see
 * {@link Module#registerBuffer}). The holder stays fixed while the tensor inside can be replaced
 * (moving to another device, loading a checkpoint), so layers keep a reference to the holder.
 */
public final class Parameter {
    private Tensor tensor;
    private final boolean trainable;

    Parameter(Tensor tensor) {
        this(tensor, true);
    }

    private Parameter(Tensor tensor, boolean trainable) {
        this.trainable = trainable;
        this.tensor = trainable ? tensor.keep().requiresGrad(true) : tensor.keep();
    }

    static Parameter buffer(Tensor tensor) {
        return new Parameter(tensor, false);
    }

    /** The current tensor (owned by the module: do not close it). */
    public Tensor tensor() {
        return tensor;
    }

    /** Moves the value to {@code device}, keeping it a leaf that requires grad. */
    void to(Device device) {
        if (tensor.device().equals(device)) {
            return;
        }
        Tensor moved;
        try (NoGrad g = Torch.noGrad()) {
            moved = tensor.to(device).keep();
        }
        if (trainable) {
            moved.requiresGrad(true);
        }
        tensor.close();
        tensor = moved;
    }

    void close() {
        tensor.close();
    }
}
