// shim.h: what every source file of the shim shares (not part of the C API; jextract never reads it).
//
// Every exported function runs its body inside guard / guard_tensor, which catch every C++
// exception and turn it into a tffm_error stored in the caller's ctx: no exception ever unwinds into
// the JVM. Only calls stable across LibTorch 1.13 and 2.x are used.
#ifndef TORCHFFM_SHIM_H
#define TORCHFFM_SHIM_H
#include "torchffm.h"

#include <torch/torch.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <utility>
#include <vector>

#ifdef TFFM_WITH_CUDA
#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDAGraphsC10Utils.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAFunctions.h>
#include <cuda_runtime_api.h>
#endif

struct tffm_tensor {
    at::Tensor t;
};

struct tffm_error {
    std::string message;
    int32_t kind;
};

struct tffm_sgd {
    torch::optim::SGD optimizer;
};

struct tffm_generator {
    at::Generator generator;
};
namespace tffm {
inline std::atomic<int64_t> live_tensors{0};

inline tffm_tensor *wrap(at::Tensor &&t) {
    auto *handle = new tffm_tensor{std::move(t)};
    live_tensors.fetch_add(1, std::memory_order_relaxed);
    return handle;
}

// The error stored when an error object cannot be allocated; tffm_error_free never frees it.
inline tffm_error out_of_memory_error{"out of memory (the error message could not be allocated)",
                                      TFFM_ERR_OUT_OF_MEMORY};

// Stores an error in ctx and returns its kind. Allocation failure of the error itself is
// reported through the static out_of_memory_error so that the condition is still visible.
inline int32_t fail(tffm_ctx *ctx, int32_t kind, const char *message) {
    if (ctx != nullptr) {
        tffm_error_free(ctx->error);
        try {
            ctx->error = new tffm_error{message, kind};
        } catch (...) {
            ctx->error = &out_of_memory_error;
            return TFFM_ERR_OUT_OF_MEMORY;
        }
    }
    return kind;
}

// LibTorch's messages end with a C++ backtrace ("Exception raised from ..."): keep the first part.
inline std::string brief(const c10::Error &e) {
    std::string msg = e.what_without_backtrace();
    return msg;
}

[[noreturn]] inline void invalid(const std::string &message) { throw std::invalid_argument(message); }

inline at::ScalarType scalar_type(int32_t dtype) {
    switch (dtype) {
    case TFFM_DTYPE_UINT8: return at::kByte;
    case TFFM_DTYPE_INT8: return at::kChar;
    case TFFM_DTYPE_INT32: return at::kInt;
    case TFFM_DTYPE_INT64: return at::kLong;
    case TFFM_DTYPE_FLOAT32: return at::kFloat;
    case TFFM_DTYPE_FLOAT64: return at::kDouble;
    case TFFM_DTYPE_BOOL: return at::kBool;
    default: invalid("unsupported dtype code " + std::to_string(dtype));
    }
}

inline at::Device device(int32_t type, int32_t index) {
    if (type == TFFM_DEVICE_CPU) return at::Device(at::kCPU);
    if (type == TFFM_DEVICE_CUDA) {
        int64_t count = torch::cuda::device_count();
        if (index < 0 || index >= count) {
            invalid("CUDA device " + std::to_string(index) + " is not available (" + std::to_string(count) +
                    " CUDA device(s))");
        }
        return at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(index));
    }
    invalid("unsupported device type code " + std::to_string(type));
}

inline std::vector<int64_t> sizes(const int64_t *shape, int64_t ndim) {
    if (ndim < 0) invalid("ndim must be >= 0, got " + std::to_string(ndim));
    if (ndim > 0 && shape == nullptr) invalid("shape is NULL");
    std::vector<int64_t> v(shape, shape + ndim);
    for (int64_t s : v) {
        if (s < 0) invalid("negative size " + std::to_string(s) + " in shape");
    }
    return v;
}

inline int64_t numel_of(const std::vector<int64_t> &v) {
    int64_t n = 1;
    for (int64_t s : v) {
        if (__builtin_mul_overflow(n, s, &n)) invalid("shape has more than 2^63-1 elements");
    }
    return n;
}

// The generator argument of a random function: NULL means LibTorch's default generator.
inline c10::optional<at::Generator> generator(const tffm_generator *g) {
    if (g == nullptr) return c10::nullopt;
    return g->generator;
}

// Whether the current CUDA stream is capturing a graph (never without CUDA).
inline bool capturing() {
#ifdef TFFM_WITH_CUDA
    return c10::cuda::currentStreamCaptureStatusMayInitCtx() != c10::cuda::CaptureStatus::None;
#else
    return false;
#endif
}

inline const at::Tensor &ref(const tffm_tensor *t, const char *name) {
    if (t == nullptr) invalid(std::string(name) + " is NULL");
    return t->t;
}

inline std::vector<at::Tensor> tensors(tffm_tensor *const *handles, int64_t n) {
    if (n < 0) invalid("negative tensor count");
    if (n > 0 && handles == nullptr) invalid("tensor array is NULL");
    std::vector<at::Tensor> v;
    v.reserve(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; i++) v.push_back(ref(handles[i], "tensor in array"));
    return v;
}

// numel elements of type in bytes, refusing int64_t overflow.
inline int64_t byte_size(int64_t numel, at::ScalarType type) {
    int64_t bytes = 0;
    if (__builtin_mul_overflow(numel, static_cast<int64_t>(c10::elementSize(type)), &bytes)) {
        invalid("tensor of " + std::to_string(numel) + " elements needs more than 2^63-1 bytes");
    }
    return bytes;
}

inline void check_bytes(int64_t numel, at::ScalarType type, int64_t bytes, const char *what) {
    int64_t expected = byte_size(numel, type);
    if (bytes != expected) {
        invalid(std::string(what) + " holds " + std::to_string(bytes) + " bytes but the tensor needs " +
                std::to_string(expected));
    }
}

inline int32_t translate(tffm_ctx *ctx, std::exception_ptr ex) {
    try {
        std::rethrow_exception(std::move(ex));
    } catch (const c10::OutOfMemoryError &e) {
        return fail(ctx, TFFM_ERR_OUT_OF_MEMORY, brief(e).c_str());
    } catch (const c10::Error &e) {
        return fail(ctx, TFFM_ERR_INVALID_ARGUMENT, brief(e).c_str());
    } catch (const std::invalid_argument &e) {
        return fail(ctx, TFFM_ERR_INVALID_ARGUMENT, e.what());
    } catch (const std::out_of_range &e) {
        return fail(ctx, TFFM_ERR_INVALID_ARGUMENT, e.what());
    } catch (const std::runtime_error &e) {
        // LibTorch reports some argument errors (e.g. reshape's infer_size) as plain runtime_error.
        return fail(ctx, TFFM_ERR_INVALID_ARGUMENT, e.what());
    } catch (const std::bad_alloc &e) {
        return fail(ctx, TFFM_ERR_OUT_OF_MEMORY, "out of memory (std::bad_alloc)");
    } catch (const std::exception &e) {
        return fail(ctx, TFFM_ERR_INTERNAL, e.what());
    } catch (...) {
        return fail(ctx, TFFM_ERR_UNKNOWN, "unknown C++ exception");
    }
}

// Runs body with the ctx's gradient mode; any exception becomes an error in ctx.
template <typename F> int32_t guard(tffm_ctx *ctx, F &&body) {
    try {
        if (ctx == nullptr) return TFFM_ERR_INVALID_ARGUMENT;
        bool grad = ctx->grad_enabled != 0;
        if (c10::GradMode::is_enabled() == grad) {
            body(); // the common case: no thread-local write and restore
        } else {
            c10::AutoGradMode mode(grad);
            body();
        }
        return TFFM_OK;
    } catch (...) {
        return translate(ctx, std::current_exception());
    }
}

// As guard, for functions that return a new owned handle made by body (NULL on failure).
template <typename F> auto guard_new(tffm_ctx *ctx, F &&body) -> decltype(body()) {
    decltype(body()) out = nullptr;
    guard(ctx, [&] { out = body(); });
    return out;
}

// As guard_new, for functions that return a new tensor handle.
template <typename F> tffm_tensor *guard_tensor(tffm_ctx *ctx, F &&body) {
    return guard_new(ctx, [&] { return wrap(body()); });
}

template <typename F>
tffm_tensor *factory(tffm_ctx *ctx, int32_t dtype, const int64_t *shape, int64_t ndim, int32_t device_type,
                     int32_t device_index, F &&make) {
    return guard_tensor(ctx, [&] {
        auto type = scalar_type(dtype);
        auto dims = sizes(shape, ndim);
        byte_size(numel_of(dims), type);
        return make(dims, at::TensorOptions().dtype(type).device(device(device_type, device_index)));
    });
}

} // namespace tffm

#endif // TORCHFFM_SHIM_H
