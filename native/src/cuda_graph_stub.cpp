// CUDA graphs (family tffm_graph_) for a shim built without CUDA: every call fails with one clear
// message and no graph is ever made. CMake compiles this file or cuda_graph.cpp, never both.
#include "shim.h"

using namespace tffm;

struct tffm_graph {};

namespace {

template <typename... Unused> int32_t no_cuda(tffm_ctx *ctx, Unused...) {
    return guard(ctx, [] { invalid("CUDA graphs need a torchffm shim built against a CUDA LibTorch"); });
}

} // namespace

extern "C" {

tffm_graph *tffm_graph_new(tffm_ctx *ctx, int32_t device_index) {
    no_cuda(ctx, device_index);
    return nullptr;
}

int32_t tffm_graph_warmup_begin(tffm_ctx *ctx, tffm_graph *graph) { return no_cuda(ctx, graph); }

int32_t tffm_graph_warmup_end(tffm_ctx *ctx, tffm_graph *graph) { return no_cuda(ctx, graph); }

int32_t tffm_graph_capture_begin(tffm_ctx *ctx, tffm_graph *graph) { return no_cuda(ctx, graph); }

int32_t tffm_graph_capture_end(tffm_ctx *ctx, tffm_graph *graph) { return no_cuda(ctx, graph); }

int32_t tffm_graph_replay(tffm_ctx *ctx, tffm_graph *graph) { return no_cuda(ctx, graph); }

void tffm_graph_free(tffm_graph *graph) { delete graph; }

} // extern "C"
