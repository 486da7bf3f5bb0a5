package dev.torchffm.optim;

import dev.torchffm.Tensor;
import dev.torchffm.internal.CallContext;
import dev.torchffm.internal.NativeObject;
import dev.torchffm.internal.bindings.TorchFfm;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * Stochastic gradient descent over a fixed list of parameters, with PyTorch's semantics
 * (torch.optim.SGD: momentum, dampening, weight decay, Nesterov). Each {@link #step()} updates every
 * parameter in a single native call. Holds native state (momentum buffers): close it. Read-only
 * tensors (views of read-only memory) are refused as parameters.
 */
public final class SGD extends NativeObject implements Optimizer {
    private double lr;
    private final List<Tensor> parameters;

    /**
     * Hyper-parameters, as torch.optim.SGD's, validated here once for every caller (the trainer's
     * config and the CLI use these rules too): each is a finite number >= 0, and Nesterov momentum
     * needs momentum > 0 and dampening 0.
     */
    public record Options(double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        public Options {
            requireNonNegative("learning rate", lr);
            requireNonNegative("momentum", momentum);
            requireNonNegative("dampening", dampening);
            requireNonNegative("weight decay", weightDecay);
            if (nesterov && (momentum <= 0 || dampening != 0)) {
                throw new IllegalArgumentException("Nesterov momentum needs momentum > 0 and dampening 0, got momentum "
                        + momentum + " and dampening " + dampening);
            }
        }

        // Names the bad value itself: in a compact constructor the record's fields are not yet set.
        private static void requireNonNegative(String name, double value) {
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("SGD " + name + " must be a finite number >= 0, got " + value);
            }
        }

        /** Plain SGD with learning rate {@code lr}. */
        public static Options lr(double lr) {
            return new Options(lr, 0, 0, 0, false);
        }

        public Options withMomentum(double m) {
            return new Options(lr, m, dampening, weightDecay, nesterov);
        }

        public Options withDampening(double d) {
            return new Options(lr, momentum, d, weightDecay, nesterov);
        }

        public Options withWeightDecay(double wd) {
            return new Options(lr, momentum, dampening, wd, nesterov);
        }

        public Options withNesterov(boolean n) {
            return new Options(lr, momentum, dampening, weightDecay, n);
        }
    }

    public SGD(List<Tensor> parameters, Options options) {
        super(create(parameters, options), "SGD optimizer", TorchFfm::tffm_sgd_free);
        lr = options.lr();
        this.parameters = List.copyOf(parameters);
    }

    // The native optimizer; each parameter is held while its handle is read (the optimizer keeps
    // its own references to the tensors afterwards).
    private static MemorySegment create(List<Tensor> parameters, Options options) {
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("SGD needs at least one parameter");
        }
        for (Tensor p : parameters) {
            if (p.isReadOnly()) {
                throw new IllegalStateException(
                        "SGD: a parameter views read-only memory, which a step would write;" + " deepCopy() it first");
            }
        }
        CallContext c = CallContext.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment array = arena.allocate(ValueLayout.ADDRESS, parameters.size());
            int held = 0;
            try {
                for (; held < parameters.size(); held++) {
                    array.setAtIndex(ValueLayout.ADDRESS, held, acquire(parameters.get(held)));
                }
                return c.check(TorchFfm.tffm_sgd_new(
                        c.ctx(),
                        array,
                        parameters.size(),
                        options.lr(),
                        options.momentum(),
                        options.dampening(),
                        options.weightDecay(),
                        options.nesterov() ? 1 : 0));
            } finally {
                for (int i = 0; i < held; i++) {
                    release(parameters.get(i));
                }
            }
        }
    }

    /**
     * One update of every parameter that has a gradient.
     *
     * @throws IllegalStateException if a parameter was closed or replaced (as {@code Module.to} does)
     *     since this optimizer was made: create the optimizer after moving the module
     */
    public void step() {
        for (Tensor p : parameters) {
            if (p.isClosed()) {
                throw new IllegalStateException("a parameter of this optimizer was closed or moved to another device"
                        + " after the optimizer was created; create the optimizer after Module.to(device)");
            }
        }
        call(TorchFfm::tffm_sgd_step);
    }

    /** Zeroes every parameter's gradient. */
    public void zeroGrad() {
        call(TorchFfm::tffm_sgd_zero_grad);
    }

    /**
     * Drops every parameter's gradient, as PyTorch's {@code zero_grad(set_to_none=True)}: the next
     * backward writes the gradients afresh instead of adding into zeroed ones, which saves a fill and
     * an addition per parameter.
     */
    public void clearGrad() {
        call(TorchFfm::tffm_sgd_clear_grad);
    }

    public double lr() {
        return lr;
    }

    public void lr(double lr) {
        call((ctx, h) -> TorchFfm.tffm_sgd_set_lr(ctx, h, lr));
        this.lr = lr;
    }
}
