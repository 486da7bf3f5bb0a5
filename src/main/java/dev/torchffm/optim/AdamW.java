package dev.torchffm.optim;

import dev.torchffm.Tensor;
import dev.torchffm.internal.bindings.TorchFfm;
import java.util.List;

/**
 * AdamW with PyTorch's semantics (torch.optim.AdamW: decoupled weight decay, each step multiplies
 * the parameters by 1 - lr * weight_decay). Each {@link #step()} updates every parameter in one
 * native call. Close it.
 */
public final class AdamW extends NativeOptimizer {
    public AdamW(List<Tensor> parameters, AdamOptions o) {
        super("AdamW", parameters, o.lr(), adam(o, TorchFfm::tffm_optim_adamw_new));
    }

    /** PyTorch's AdamW defaults with learning rate {@code lr}: those of Adam, and weight decay 0.01. */
    public static AdamOptions defaults(double lr) {
        return AdamOptions.lr(lr).withWeightDecay(0.01);
    }
}
