// profiler.cpp: LibTorch's autograd profiler (family tffm_profile_, "profiling" in torchffm.h), so that
// a Java run can be profiled op by op exactly as a Python run with torch.autograd.profiler.profile.
#include "shim.h"

#include <torch/csrc/autograd/profiler_legacy.h>

#include <fstream>
#include <memory>

using namespace tffm;
namespace profiler = torch::autograd::profiler;

struct tffm_profile {
    std::ofstream out;
    std::unique_ptr<profiler::RecordProfile> record; // enabled on construction, written on destruction
    std::thread::id thread = std::this_thread::get_id();
};

extern "C" {

tffm_profile *tffm_profile_start(tffm_ctx *ctx, const char *path) {
    tffm_profile *result = nullptr;
    guard(ctx, [&] {
        if (path == nullptr) invalid("path is NULL");
        auto p = std::make_unique<tffm_profile>();
        p->out.open(path, std::ios::out | std::ios::trunc);
        if (!p->out) invalid(std::string("cannot write the profile to ") + path);
        // Fails ("already enabled") when this thread is profiled already.
        p->record = std::make_unique<profiler::RecordProfile>(p->out);
        result = p.release();
    });
    return result;
}

int32_t tffm_profile_stop(tffm_ctx *ctx, tffm_profile *profile) {
    std::unique_ptr<tffm_profile> p(profile);
    return guard(ctx, [&] {
        if (!p) invalid("profile is NULL");
        // The profiler's state is the starting thread's: stopping elsewhere would stop nothing and
        // leave that thread profiling.
        if (p->thread != std::this_thread::get_id()) {
            p.release(); // the owner thread may still stop it
            invalid("a profile must be stopped on the thread that started it");
        }
        p->record.reset(); // disables the profiler and writes the trace
        p->out.close();
        if (p->out.fail()) invalid("writing the profile failed");
    });
}

} // extern "C"
