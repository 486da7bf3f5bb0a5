package dev.torchffm.distributed;

import dev.torchffm.internal.bindings.TorchFfm;

/** How an all-reduce combines the ranks' tensors. */
public enum ReduceOp {
    SUM(TorchFfm.TFFM_REDUCE_SUM()),
    /** The sum divided by the group's size (floating-point tensors only). */
    AVERAGE(TorchFfm.TFFM_REDUCE_AVG());

    final int code;

    ReduceOp(int code) {
        this.code = code;
    }
}
