// ops_extra.cpp: the basic tensor ops beyond the chapter's (arithmetic, softmax, shape, joining,
// randn, losses); see the "more tensor ops" section of torchffm.h.
#include "shim.h"

using namespace tffm;

namespace {
void require_floating(const at::Tensor &t, const char *op) {
    if (!at::isFloatingType(t.scalar_type())) {
        invalid(std::string(op) + " needs a floating-point tensor, got " + c10::toString(t.scalar_type()));
    }
}

void require_same_shape(const at::Tensor &a, const at::Tensor &b, const char *op) {
    if (!a.sizes().equals(b.sizes())) {
        invalid(std::string(op) + " needs input and target of the same shape, got " + c10::str(a.sizes()) + " and " +
                c10::str(b.sizes()));
    }
}
// Dimension indices (negative ones count from the end, as LibTorch's).
at::IntArrayRef dims_of(const int64_t *dims, int64_t n) {
    if (n < 0) invalid("negative dimension count");
    if (n > 0 && dims == nullptr) invalid("dims is NULL");
    return at::IntArrayRef(dims, static_cast<size_t>(n));
}
} // namespace

extern "C" {

tffm_tensor *tffm_div(tffm_ctx *ctx, const tffm_tensor *a, const tffm_tensor *b) {
    return guard_tensor(ctx, [&] { return at::div(ref(a, "a"), ref(b, "b")); });
}

tffm_tensor *tffm_div_scalar(tffm_ctx *ctx, const tffm_tensor *x, double value) {
    return guard_tensor(ctx, [&] { return at::div(ref(x, "x"), value); });
}

tffm_tensor *tffm_exp(tffm_ctx *ctx, const tffm_tensor *x) {
    return guard_tensor(ctx, [&] { return at::exp(ref(x, "x")); });
}

tffm_tensor *tffm_log(tffm_ctx *ctx, const tffm_tensor *x) {
    return guard_tensor(ctx, [&] { return at::log(ref(x, "x")); });
}

tffm_tensor *tffm_softmax(tffm_ctx *ctx, const tffm_tensor *x, int64_t dim) {
    return guard_tensor(ctx, [&] {
        const auto &t = ref(x, "x");
        require_floating(t, "softmax");
        return at::softmax(t, dim);
    });
}

tffm_tensor *tffm_log_softmax(tffm_ctx *ctx, const tffm_tensor *x, int64_t dim) {
    return guard_tensor(ctx, [&] {
        const auto &t = ref(x, "x");
        require_floating(t, "log_softmax");
        return at::log_softmax(t, dim);
    });
}

tffm_tensor *tffm_tensor_transpose(tffm_ctx *ctx, const tffm_tensor *t, int64_t dim0, int64_t dim1) {
    return guard_tensor(ctx, [&] { return ref(t, "t").transpose(dim0, dim1); });
}

tffm_tensor *tffm_tensor_permute(tffm_ctx *ctx, const tffm_tensor *t, const int64_t *dims, int64_t ndim) {
    return guard_tensor(ctx, [&] { return ref(t, "t").permute(dims_of(dims, ndim)); });
}

tffm_tensor *tffm_cat(tffm_ctx *ctx, tffm_tensor *const *list, int64_t n, int64_t dim) {
    return guard_tensor(ctx, [&] {
        if (n < 1) invalid("cat needs at least one tensor");
        return at::cat(tensors(list, n), dim);
    });
}

tffm_tensor *tffm_stack(tffm_ctx *ctx, tffm_tensor *const *list, int64_t n, int64_t dim) {
    return guard_tensor(ctx, [&] {
        if (n < 1) invalid("stack needs at least one tensor");
        return at::stack(tensors(list, n), dim);
    });
}

tffm_tensor *tffm_tensor_randn(tffm_ctx *ctx, int32_t dtype, const int64_t *shape, int64_t ndim, int32_t device_type,
                               int32_t device_index, tffm_generator *gen) {
    return factory(ctx, dtype, shape, ndim, device_type, device_index,
                   [&](const std::vector<int64_t> &s, const at::TensorOptions &o) {
                       if (!at::isFloatingType(c10::typeMetaToScalarType(o.dtype()))) {
                           invalid("randn needs a floating-point dtype");
                       }
                       return at::randn(s, generator(gen), o);
                   });
}

tffm_tensor *tffm_mse_loss(tffm_ctx *ctx, const tffm_tensor *input, const tffm_tensor *target) {
    return guard_tensor(ctx, [&] {
        const auto &x = ref(input, "input");
        const auto &y = ref(target, "target");
        require_floating(x, "mse_loss");
        require_same_shape(x, y, "mse_loss");
        return at::mse_loss(x, y, at::Reduction::Mean);
    });
}

tffm_tensor *tffm_bce_with_logits(tffm_ctx *ctx, const tffm_tensor *logits, const tffm_tensor *target) {
    return guard_tensor(ctx, [&] {
        const auto &x = ref(logits, "logits");
        const auto &y = ref(target, "target");
        require_floating(x, "binary_cross_entropy_with_logits");
        require_same_shape(x, y, "binary_cross_entropy_with_logits");
        return at::binary_cross_entropy_with_logits(x, y, {}, {}, at::Reduction::Mean);
    });
}

} // extern "C"
