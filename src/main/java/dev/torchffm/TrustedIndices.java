package dev.torchffm;

import dev.torchffm.internal.CallContext;

/**
 * A region without CUDA range checks of labels and indices; see {@link Torch#trustIndices()}. Close
 * on the same thread, innermost first (see {@link #close()}).
 */
public final class TrustedIndices extends Region {
    private static final Mode TRUST_INDICES = new Mode(CallContext::trustIndices, CallContext::trustIndices);

    TrustedIndices() {
        super(TRUST_INDICES, true);
    }
}
