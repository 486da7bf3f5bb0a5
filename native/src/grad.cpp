// grad.cpp: dropping gradients instead of zeroing them (PyTorch's zero_grad(set_to_none=True)).
// The next backward then writes each gradient once instead of adding into a zeroed buffer.
#include "shim.h"

using namespace tffm;

extern "C" {

int32_t tffm_sgd_clear_grad(tffm_ctx *ctx, tffm_sgd *sgd) {
    return guard(ctx, [&] {
        if (sgd == nullptr) invalid("sgd is NULL");
        for (auto &group : sgd->optimizer.param_groups()) {
            for (auto &p : group.params()) {
                p.mutable_grad().reset();
            }
        }
    });
}

} // extern "C"
