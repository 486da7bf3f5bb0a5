package dev.torchffm;

import dev.torchffm.internal.CallContext;

/**
 * A region in which the current thread's operations record no autograd history, as {@code
 * torch.no_grad()}. Obtain with {@link Torch#noGrad()}; regions nest; close on the same thread,
 * innermost first (see {@link #close()}).
 */
public final class NoGrad extends Region {
    private static final Mode GRAD_ENABLED = new Mode(CallContext::gradEnabled, CallContext::gradEnabled);

    NoGrad() {
        super(GRAD_ENABLED, false);
    }
}
