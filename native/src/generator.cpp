// Random number generators (family tffm_generator_): one per model or thread, so that what a model
// draws does not depend on what other threads draw from LibTorch's one default generator.
#include "shim.h"

#include <ATen/CPUGeneratorImpl.h>
#ifdef TFFM_WITH_CUDA
#include <ATen/cuda/CUDAGeneratorImpl.h>
#endif

using namespace tffm;

namespace {
void seed(at::Generator &g, int64_t value) {
    std::lock_guard<std::mutex> lock(g.mutex());
    g.set_current_seed(static_cast<uint64_t>(value));
}
} // namespace

extern "C" {

tffm_generator *tffm_generator_new(tffm_ctx *ctx, int64_t seed_value, int32_t device_type, int32_t device_index) {
    return guard_new(ctx, [&] {
        at::Device dev = device(device_type, device_index);
        at::Generator g;
        if (dev.is_cpu()) {
            g = at::detail::createCPUGenerator();
        } else {
#ifdef TFFM_WITH_CUDA
            g = at::cuda::detail::createCUDAGenerator(dev.index());
#else
            invalid("CUDA generators need a torchffm shim built against a CUDA LibTorch");
#endif
        }
        seed(g, seed_value);
        return new tffm_generator{std::move(g)};
    });
}

int32_t tffm_generator_manual_seed(tffm_ctx *ctx, tffm_generator *generator, int64_t seed_value) {
    return guard(ctx, [&] {
        if (generator == nullptr) invalid("generator is NULL");
        seed(generator->generator, seed_value);
    });
}

void tffm_generator_free(tffm_generator *generator) { delete generator; }

} // extern "C"
