package dev.torchffm.optim;

import dev.torchffm.Tensor;
import dev.torchffm.internal.CallContext;
import dev.torchffm.internal.NativeObject;
import dev.torchffm.internal.bindings.TorchFfm;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/** The handle, parameter checks and close of the optimizers behind the shim's {@code tffm_optim_} family. */
abstract sealed class NativeOptimizer extends NativeObject implements Optimizer permits Adam, AdamW {
    /** Makes the native optimizer from the parameters' handle array. */
    interface Factory {
        MemorySegment create(MemorySegment ctx, MemorySegment params, long n);
    }

    /** The shim's constructor of one Adam variant (tffm_optim_adam_new, tffm_optim_adamw_new). */
    interface AdamVariant {
        MemorySegment create(
                MemorySegment ctx,
                MemorySegment params,
                long n,
                double lr,
                double beta1,
                double beta2,
                double eps,
                double weightDecay,
                int amsgrad);
    }

    /** A factory that passes {@code o} to {@code variant}. */
    static Factory adam(AdamOptions o, AdamVariant variant) {
        return (ctx, params, n) -> variant.create(
                ctx, params, n, o.lr(), o.beta1(), o.beta2(), o.eps(), o.weightDecay(), o.amsgrad() ? 1 : 0);
    }

    /** A native call on the handles of a list of tensors. */
    interface OnTensors {
        int call(MemorySegment ctx, MemorySegment handles, long n);
    }

    private final String name;
    private final List<Tensor> parameters;
    private double lr;

    NativeOptimizer(String name, List<Tensor> parameters, double lr, Factory factory) {
        super(create(name, parameters, factory), name + " optimizer", TorchFfm::tffm_optim_free);
        this.name = name;
        this.parameters = List.copyOf(parameters);
        this.lr = lr;
    }

    private static MemorySegment create(String name, List<Tensor> parameters, Factory factory) {
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException(name + " needs at least one parameter");
        }
        for (Tensor p : parameters) {
            if (p.isReadOnly()) {
                throw new IllegalStateException(name + ": a parameter views read-only memory, which a step would"
                        + " write; deepCopy() it first");
            }
        }
        MemorySegment[] out = new MemorySegment[1];
        withHandles(parameters, (ctx, handles, n) -> {
            out[0] = factory.create(ctx, handles, n);
            return out[0].address() == 0 ? -1 : TorchFfm.TFFM_OK();
        });
        return out[0];
    }

    /**
     * Runs {@code call} on the handles of {@code tensors}, each held for the duration of the call (no
     * other thread can free one under it); a nonzero status becomes the context's exception.
     */
    static void withHandles(List<Tensor> tensors, OnTensors call) {
        CallContext c = CallContext.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment array = arena.allocate(ValueLayout.ADDRESS, Math.max(1, tensors.size()));
            int held = 0;
            try {
                for (; held < tensors.size(); held++) {
                    array.setAtIndex(ValueLayout.ADDRESS, held, acquire(tensors.get(held)));
                }
                c.check(call.call(c.ctx(), array, tensors.size()));
            } finally {
                for (int i = 0; i < held; i++) {
                    release(tensors.get(i));
                }
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if a parameter was closed since this optimizer was made
     */
    @Override
    public void step() {
        for (Tensor p : parameters) {
            if (p.isClosed()) {
                throw new IllegalStateException(
                        "a parameter of this " + name + " optimizer was closed after the" + " optimizer was created");
            }
        }
        call(TorchFfm::tffm_optim_step);
    }

    @Override
    public void zeroGrad() {
        call(TorchFfm::tffm_optim_zero_grad);
    }

    @Override
    public double lr() {
        return lr;
    }

    @Override
    public void lr(double lr) {
        call((ctx, h) -> TorchFfm.tffm_optim_set_lr(ctx, h, lr));
        this.lr = lr;
    }
}
