// Adam and AdamW (family tffm_optim_): torch::optim::Adam and AdamW behind one handle, so that one
// set of step / zero_grad / set_lr / free functions serves both.
#include "shim.h"

#include <memory>

struct tffm_optim {
    std::unique_ptr<torch::optim::Optimizer> optimizer;
};

using namespace tffm;

namespace {
void check_adam(double lr, double beta1, double beta2, double eps, double weight_decay) {
    if (!(lr >= 0)) invalid("learning rate must be >= 0, got " + std::to_string(lr));
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
        invalid("betas must be in [0, 1), got (" + std::to_string(beta1) + ", " + std::to_string(beta2) + ")");
    }
    if (!(eps >= 0)) invalid("eps must be >= 0, got " + std::to_string(eps));
    if (!(weight_decay >= 0)) invalid("weight decay must be >= 0, got " + std::to_string(weight_decay));
}

// Adam and AdamW take the same options under different types.
template <typename Algorithm, typename Options>
tffm_optim *make_adam(tffm_ctx *ctx, tffm_tensor *const *params, int64_t n, double lr, double beta1, double beta2,
                      double eps, double weight_decay, int32_t amsgrad) {
    return guard_new(ctx, [&] {
        check_adam(lr, beta1, beta2, eps, weight_decay);
        auto options = Options(lr).betas({beta1, beta2}).eps(eps).weight_decay(weight_decay).amsgrad(amsgrad != 0);
        return new tffm_optim{std::make_unique<Algorithm>(tensors(params, n), options)};
    });
}

torch::optim::Optimizer &optimizer(tffm_optim *o) {
    if (o == nullptr) invalid("optimizer is NULL");
    return *o->optimizer;
}
} // namespace

extern "C" {

tffm_optim *tffm_optim_adam_new(tffm_ctx *ctx, tffm_tensor *const *params, int64_t n, double lr, double beta1,
                                double beta2, double eps, double weight_decay, int32_t amsgrad) {
    return make_adam<torch::optim::Adam, torch::optim::AdamOptions>(ctx, params, n, lr, beta1, beta2, eps,
                                                                     weight_decay, amsgrad);
}

tffm_optim *tffm_optim_adamw_new(tffm_ctx *ctx, tffm_tensor *const *params, int64_t n, double lr, double beta1,
                                 double beta2, double eps, double weight_decay, int32_t amsgrad) {
    return make_adam<torch::optim::AdamW, torch::optim::AdamWOptions>(ctx, params, n, lr, beta1, beta2, eps,
                                                                       weight_decay, amsgrad);
}

int32_t tffm_optim_step(tffm_ctx *ctx, tffm_optim *o) {
    return guard(ctx, [&] { optimizer(o).step(); });
}

int32_t tffm_optim_zero_grad(tffm_ctx *ctx, tffm_optim *o) {
    return guard(ctx, [&] {
        for (auto &group : optimizer(o).param_groups()) {
            for (auto &p : group.params()) {
                auto &g = p.mutable_grad();
                if (g.defined()) g.zero_();
            }
        }
    });
}

int32_t tffm_optim_set_lr(tffm_ctx *ctx, tffm_optim *o, double lr) {
    return guard(ctx, [&] {
        if (!(lr >= 0)) invalid("learning rate must be >= 0, got " + std::to_string(lr));
        for (auto &group : optimizer(o).param_groups()) group.options().set_lr(lr);
    });
}

void tffm_optim_free(tffm_optim *o) { delete o; }

} // extern "C"
