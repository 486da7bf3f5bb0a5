package dev.torchffm;

import dev.torchffm.internal.CallContext;

/**
 * A region without CUDA range checks of labels and indices; see {@link Torch#trustIndices()}. Close
 * on the same thread, innermost first (see {@link #close()}).
 */
public final class TrustedIndices extends Region {
    private static final ThreadLocal<Region> INNERMOST = new ThreadLocal<>();

    TrustedIndices() {
        super(true);
    }

    @Override
    ThreadLocal<Region> innermost() {
        return INNERMOST;
    }

    @Override
    boolean mode(CallContext c) {
        return c.trustIndices();
    }

    @Override
    void mode(CallContext c, boolean trust) {
        c.trustIndices(trust);
    }
}
