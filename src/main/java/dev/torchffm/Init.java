package dev.torchffm;

import dev.torchffm.internal.bindings.TorchFfm;

/**
 * In-place initialisers, as {@code torch.nn.init}; none records autograd history. Each draws from
 * the given {@link Generator}, or from LibTorch's default generator when it is null or omitted (then
 * drawing exactly what PyTorch draws after the same {@code manual_seed}). A read-only tensor is
 * refused before any native call.
 */
public final class Init {
    private Init() {}

    /** As {@code xavier_uniform_(t, gain)}. */
    public static void xavierUniform(Tensor t, double gain) {
        xavierUniform(t, gain, null);
    }

    /** As {@code xavier_uniform_(t, gain, generator)}. */
    public static void xavierUniform(Tensor t, double gain, Generator generator) {
        Generator.draw(generator, g -> {
            Tensor.update(t, "Init.xavierUniform", (ctx, h) -> TorchFfm.tffm_init_xavier_uniform(ctx, h, gain, g));
            return null;
        });
    }

    /** As {@code kaiming_uniform_(t, a)} (fan-in, leaky ReLU); PyTorch's default weight init uses a = sqrt(5). */
    public static void kaimingUniform(Tensor t, double a) {
        kaimingUniform(t, a, null);
    }

    /** As {@code kaiming_uniform_(t, a, generator=generator)}. */
    public static void kaimingUniform(Tensor t, double a, Generator generator) {
        Generator.draw(generator, g -> {
            Tensor.update(t, "Init.kaimingUniform", (ctx, h) -> TorchFfm.tffm_init_kaiming_uniform(ctx, h, a, g));
            return null;
        });
    }

    /** As {@code uniform_(t, low, high)}. */
    public static void uniform(Tensor t, double low, double high) {
        uniform(t, low, high, null);
    }

    /** As {@code uniform_(t, low, high, generator)}. */
    public static void uniform(Tensor t, double low, double high, Generator generator) {
        Generator.draw(generator, g -> {
            Tensor.update(t, "Init.uniform", (ctx, h) -> TorchFfm.tffm_init_uniform(ctx, h, low, high, g));
            return null;
        });
    }

    /** As {@code zeros_(t)}. */
    public static void zeros(Tensor t) {
        Tensor.update(t, "Init.zeros", TorchFfm::tffm_init_zeros);
    }
}
