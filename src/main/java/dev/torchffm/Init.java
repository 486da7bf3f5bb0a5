package dev.torchffm;

import dev.torchffm.internal.CallContext;
import dev.torchffm.internal.bindings.TorchFfm;

/**
 * In-place initialisers drawing from LibTorch's default generator, as {@code torch.nn.init}; none
 * records autograd history.
 */
public final class Init {
    private Init() {}

    /** As {@code xavier_uniform_(t, gain)}. */
    public static void xavierUniform(Tensor t, double gain) {
        CallContext c = CallContext.get();
        c.check(TorchFfm.tffm_init_xavier_uniform(c.ctx, Tensor.arg(t, "t"), gain));
    }

    /** As {@code kaiming_uniform_(t, a)} (fan-in, leaky ReLU); PyTorch's default weight init uses a = sqrt(5). */
    public static void kaimingUniform(Tensor t, double a) {
        CallContext c = CallContext.get();
        c.check(TorchFfm.tffm_init_kaiming_uniform(c.ctx, Tensor.arg(t, "t"), a));
    }

    /** As {@code uniform_(t, low, high)}. */
    public static void uniform(Tensor t, double low, double high) {
        CallContext c = CallContext.get();
        c.check(TorchFfm.tffm_init_uniform(c.ctx, Tensor.arg(t, "t"), low, high));
    }

    /** As {@code zeros_(t)}. */
    public static void zeros(Tensor t) {
        CallContext c = CallContext.get();
        c.check(TorchFfm.tffm_init_zeros(c.ctx, Tensor.arg(t, "t")));
    }
}
