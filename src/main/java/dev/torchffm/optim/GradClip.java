package dev.torchffm.optim;

import dev.torchffm.Tensor;
import dev.torchffm.internal.bindings.TorchFfm;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/** Gradient clipping, as torch.nn.utils.clip_grad_norm_. */
public final class GradClip {
    private GradClip() {}

    /**
     * Scales the gradients of {@code parameters} in place so that their joint 2-norm is at most
     * {@code maxNorm}, in one native call; parameters without a gradient are skipped.
     *
     * @return the joint norm before clipping
     */
    public static double clipNorm(List<Tensor> parameters, double maxNorm) {
        if (!(maxNorm >= 0)) {
            throw new IllegalArgumentException("max norm must be >= 0, got " + maxNorm);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment norm = arena.allocate(ValueLayout.JAVA_DOUBLE);
            NativeOptimizer.withHandles(
                    parameters, (ctx, handles, n) -> TorchFfm.tffm_clip_grad_norm(ctx, handles, n, maxNorm, 2.0, norm));
            return norm.get(ValueLayout.JAVA_DOUBLE, 0);
        }
    }
}
