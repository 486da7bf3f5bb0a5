package dev.torchffm;

import dev.torchffm.internal.bindings.TorchFfm;

/**
 * How a tensor's elements are laid out in memory (LibTorch's {@code at::MemoryFormat}). The shape and
 * the values are the same in every format; kernels may be faster in one of them.
 */
public enum MemoryFormat {
    /** Row-major in the order of the dimensions: NCHW for an image batch. */
    CONTIGUOUS(TorchFfm.TFFM_FORMAT_CONTIGUOUS()),
    /**
     * A 4-d tensor {@code [N,C,H,W]} stored in NHWC order: the channels of one pixel side by side, the
     * layout oneDNN's convolutions and ATen's pooling kernels prefer on the CPU.
     */
    CHANNELS_LAST(TorchFfm.TFFM_FORMAT_CHANNELS_LAST());

    private final int code;

    MemoryFormat(int code) {
        this.code = code;
    }

    /** The {@code TFFM_FORMAT_*} code. */
    int code() {
        return code;
    }
}
