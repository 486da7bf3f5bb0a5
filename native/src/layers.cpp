// Layers with a train/eval mode and gradient clipping: tffm_batch_norm, tffm_dropout,
// tffm_clip_grad_norm.
#include "shim.h"

using namespace tffm;

extern "C" {

tffm_tensor *tffm_batch_norm(tffm_ctx *ctx, const tffm_tensor *x, const tffm_tensor *weight, const tffm_tensor *bias,
                             tffm_tensor *running_mean, tffm_tensor *running_var, tffm_tensor *num_batches_tracked,
                             int32_t training, double momentum, double eps) {
    return guard_tensor(ctx, [&] {
        if (!(momentum >= 0 && momentum <= 1)) invalid("momentum must be in [0, 1], got " + std::to_string(momentum));
        if (!(eps > 0)) invalid("eps must be > 0, got " + std::to_string(eps));
        const at::Tensor &input = ref(x, "x");
        if (input.dim() < 2) invalid("batch norm needs an input of at least 2 dimensions, got " + std::to_string(input.dim()));
        at::Tensor w = weight ? ref(weight, "weight") : at::Tensor();
        at::Tensor b = bias ? ref(bias, "bias") : at::Tensor();
        at::Tensor mean = running_mean ? ref(running_mean, "running_mean") : at::Tensor();
        at::Tensor var = running_var ? ref(running_var, "running_var") : at::Tensor();
        if (training != 0 && input.numel() / input.size(1) <= 1) {
            invalid("batch norm in training needs more than 1 value per channel, got input of size " +
                    c10::str(input.sizes()));
        }
        at::Tensor out = at::batch_norm(input, w, b, mean, var, training != 0, momentum, eps, true);
        if (training != 0 && num_batches_tracked != nullptr) {
            at::NoGradGuard no_grad;
            num_batches_tracked->t.add_(1);
        }
        return out;
    });
}

tffm_tensor *tffm_dropout(tffm_ctx *ctx, const tffm_tensor *x, double p, int32_t training) {
    return guard_tensor(ctx, [&] {
        if (!(p >= 0 && p <= 1)) invalid("dropout probability must be in [0, 1], got " + std::to_string(p));
        return at::dropout(ref(x, "x"), p, training != 0);
    });
}

int32_t tffm_clip_grad_norm(tffm_ctx *ctx, tffm_tensor *const *params, int64_t n, double max_norm, double norm_type,
                            double *total_norm) {
    return guard(ctx, [&] {
        if (!(max_norm >= 0)) invalid("max_norm must be >= 0, got " + std::to_string(max_norm));
        if (!(norm_type > 0)) invalid("norm_type must be > 0, got " + std::to_string(norm_type));
        if (total_norm == nullptr) invalid("total_norm is NULL");
        *total_norm = torch::nn::utils::clip_grad_norm_(tensors(params, n), max_norm, norm_type);
    });
}

} // extern "C"
