// CUDA graphs (family tffm_graph_), for a shim built against a CUDA LibTorch. CMake compiles this
// file or cuda_graph_stub.cpp, never both.
#include "shim.h"

#include <ATen/cuda/CUDAEvent.h>
#include <ATen/cuda/CUDAGraph.h>

using namespace tffm;

struct tffm_graph {
    c10::DeviceIndex device;
    at::cuda::CUDAGraph graph;
    c10::cuda::CUDAStream side;
    c10::optional<c10::cuda::CUDAStreamGuard> on_side; // engaged between begin and end
    bool captured = false;

    explicit tffm_graph(c10::DeviceIndex d) : device(d), side(c10::cuda::getStreamFromPool(false, d)) {}
};

namespace {

// Makes `waiter` wait for the work queued so far on `done` (Python's Stream.wait_stream).
void wait_stream(const c10::cuda::CUDAStream &waiter, const c10::cuda::CUDAStream &done) {
    at::cuda::CUDAEvent event;
    event.record(done);
    event.block(waiter);
}

tffm_graph &graph_ref(tffm_graph *g) {
    if (g == nullptr) invalid("graph is NULL");
    return *g;
}

} // namespace

extern "C" {

tffm_graph *tffm_graph_new(tffm_ctx *ctx, int32_t device_index) {
    return guard_new(ctx, [&] {
        device(TFFM_DEVICE_CUDA, device_index);
        return new tffm_graph(static_cast<c10::DeviceIndex>(device_index));
    });
}

int32_t tffm_graph_warmup_begin(tffm_ctx *ctx, tffm_graph *graph) {
    return guard(ctx, [&] {
        auto &g = graph_ref(graph);
        if (g.on_side) invalid("graph: a warm-up or capture is already in progress");
        wait_stream(g.side, c10::cuda::getCurrentCUDAStream(g.device));
        g.on_side.emplace(g.side);
    });
}

int32_t tffm_graph_warmup_end(tffm_ctx *ctx, tffm_graph *graph) {
    return guard(ctx, [&] {
        auto &g = graph_ref(graph);
        if (!g.on_side) invalid("graph: no warm-up in progress");
        g.on_side.reset();
        wait_stream(c10::cuda::getCurrentCUDAStream(g.device), g.side);
    });
}

int32_t tffm_graph_capture_begin(tffm_ctx *ctx, tffm_graph *graph) {
    return guard(ctx, [&] {
        auto &g = graph_ref(graph);
        if (g.on_side) invalid("graph: a warm-up or capture is already in progress");
        if (g.captured) invalid("graph: already captured");
        c10::cuda::device_synchronize();
        g.on_side.emplace(g.side);
        try {
            g.graph.capture_begin();
        } catch (...) {
            g.on_side.reset();
            throw;
        }
    });
}

int32_t tffm_graph_capture_end(tffm_ctx *ctx, tffm_graph *graph) {
    return guard(ctx, [&] {
        auto &g = graph_ref(graph);
        if (!g.on_side) invalid("graph: no capture in progress");
        try {
            g.graph.capture_end();
        } catch (...) {
            g.on_side.reset();
            throw;
        }
        g.on_side.reset();
        g.captured = true;
    });
}

int32_t tffm_graph_replay(tffm_ctx *ctx, tffm_graph *graph) {
    return guard(ctx, [&] {
        auto &g = graph_ref(graph);
        if (!g.captured) invalid("graph: nothing captured yet");
        g.graph.replay();
    });
}

void tffm_graph_free(tffm_graph *graph) {
    try {
        delete graph;
    } catch (...) {
    }
}

} // extern "C"
