package dev.torchffm.optim;

import dev.torchffm.Tensor;
import dev.torchffm.internal.bindings.TorchFfm;
import java.util.List;

/**
 * Adam with PyTorch's semantics (torch.optim.Adam: L2 weight decay added to the gradient, optional
 * AMSGrad). Each {@link #step()} updates every parameter in one native call. Close it.
 */
public final class Adam extends NativeOptimizer {
    public Adam(List<Tensor> parameters, AdamOptions o) {
        super("Adam", parameters, o.lr(), adam(o, TorchFfm::tffm_optim_adam_new));
    }
}
