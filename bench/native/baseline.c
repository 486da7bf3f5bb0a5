/* Native baselines for the Downcall and PerOp benchmarks. They live here, not in the library's
 * header: users never call them. bench/run.sh builds this file into libtffmbench.so beside its copy
 * of the shim, and the benchmarks call it through downcall handles of their own (Baseline.java). */
#include "torchffm.h"

#include <stddef.h>

/* Does nothing: the cost of a bare call. */
void tffm_baseline_noop(void) {}

/* Runs tffm_sigmoid on x `iterations` times and frees each result, through the public C API: the
 * work of Java's x.sigmoid() and close() without the Java side and the FFM crossing. Returns
 * TFFM_OK, or the failing call's error kind (the error stays in ctx for the caller to free). */
int32_t tffm_baseline_sigmoid_loop(tffm_ctx *ctx, const tffm_tensor *x, int64_t iterations) {
    for (int64_t i = 0; i < iterations; i++) {
        tffm_tensor *y = tffm_sigmoid(ctx, x);
        if (y == NULL) {
            return tffm_error_kind(ctx->error);
        }
        tffm_tensor_free(y);
    }
    return TFFM_OK;
}
