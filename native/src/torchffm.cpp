// The torchffm shim: torchffm.h implemented over LibTorch's C++ API (shared helpers in shim.h).
#include "shim.h"

using namespace tffm;

namespace {

// LibTorch records a C++ backtrace in every c10::Error it constructs. Under the JVM that walk runs
// into JIT-compiled and virtual-thread frames, which crashed the process (seen with LibTorch 1.13 on
// virtual threads), and it costs milliseconds per error. The shim reports LibTorch's message without
// the backtrace anyway, so errors raised in this process carry none.
const bool backtraces_off = [] {
    c10::SetStackTraceFetcher(std::function<std::string()>([] { return std::string(); }));
    return true;
}();

} // namespace

extern "C" {

// ---- errors -------------------------------------------------------------------------------

const char *tffm_error_message(const tffm_error *error) {
    return error == nullptr ? "" : error->message.c_str();
}

int32_t tffm_error_kind(const tffm_error *error) { return error == nullptr ? TFFM_OK : error->kind; }

void tffm_error_free(tffm_error *error) {
    if (error != &out_of_memory_error) delete error;
}

// ---- library facts ------------------------------------------------------------------------

const char *tffm_lib_version(void) {
#ifdef TORCH_VERSION
    return TORCH_VERSION;
#else
    static const std::string v = std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) +
                                 "." + std::to_string(TORCH_VERSION_PATCH);
    return v.c_str();
#endif
}

int32_t tffm_lib_cuda_compiled(void) {
#ifdef TFFM_WITH_CUDA
    return 1;
#else
    return 0;
#endif
}

int32_t tffm_lib_cuda_available(void) {
    try {
        return torch::cuda::is_available() ? 1 : 0;
    } catch (...) {
        return 0;
    }
}

int32_t tffm_lib_cuda_device_count(void) {
    try {
        return static_cast<int32_t>(torch::cuda::device_count());
    } catch (...) {
        return 0;
    }
}

void tffm_lib_manual_seed(int64_t seed) {
    try {
        torch::manual_seed(static_cast<uint64_t>(seed));
    } catch (...) {
    }
}

int32_t tffm_lib_set_num_threads(tffm_ctx *ctx, int32_t n) {
    return guard(ctx, [&] {
        if (n < 1) invalid("thread count must be >= 1, got " + std::to_string(n));
        at::set_num_threads(n);
    });
}

int32_t tffm_lib_get_num_threads(void) { return at::get_num_threads(); }

int64_t tffm_lib_live_tensors(void) { return live_tensors.load(std::memory_order_relaxed); }

int32_t tffm_lib_cuda_memory(tffm_ctx *ctx, int32_t device_index, int64_t *out) {
    return guard(ctx, [&] {
        if (out == nullptr) invalid("out is NULL");
#ifdef TFFM_WITH_CUDA
        device(TFFM_DEVICE_CUDA, device_index);
        auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(static_cast<c10::DeviceIndex>(device_index));
        // Index 0 is StatType::AGGREGATE in every LibTorch version (the enum moved namespaces in 2.x).
        out[0] = stats.allocated_bytes[0].current;
        out[1] = stats.reserved_bytes[0].current;
        c10::cuda::CUDAGuard g(static_cast<c10::DeviceIndex>(device_index));
        size_t free_bytes = 0, total_bytes = 0;
        if (cudaMemGetInfo(&free_bytes, &total_bytes) != cudaSuccess) invalid("cudaMemGetInfo failed");
        out[2] = static_cast<int64_t>(total_bytes);
#else
        (void)device_index;
        invalid("this torchffm shim was built without CUDA");
#endif
    });
}

int32_t tffm_lib_cuda_empty_cache(tffm_ctx *ctx) {
    return guard(ctx, [&] {
#ifdef TFFM_WITH_CUDA
        c10::cuda::CUDACachingAllocator::emptyCache();
#endif
    });
}

int32_t tffm_lib_cuda_synchronize(tffm_ctx *ctx, int32_t device_index) {
    return guard(ctx, [&] {
#ifdef TFFM_WITH_CUDA
        device(TFFM_DEVICE_CUDA, device_index);
        c10::cuda::CUDAGuard g(static_cast<c10::DeviceIndex>(device_index));
        c10::cuda::device_synchronize();
#else
        (void)device_index;
#endif
    });
}

// ---- tensor creation ----------------------------------------------------------------------

tffm_tensor *tffm_tensor_from_data(tffm_ctx *ctx, const void *data, int64_t data_bytes, int32_t dtype,
                                   const int64_t *shape, int64_t ndim, int32_t device_type,
                                   int32_t device_index) {
    return guard_tensor(ctx, [&] {
        auto type = scalar_type(dtype);
        auto dims = sizes(shape, ndim);
        auto dev = device(device_type, device_index);
        int64_t n = numel_of(dims);
        check_bytes(n, type, data_bytes, "data");
        if (n > 0 && data == nullptr) invalid("data is NULL");
        auto cpu = at::empty(dims, at::TensorOptions().dtype(type));
        if (n > 0) std::memcpy(cpu.data_ptr(), data, static_cast<size_t>(data_bytes));
        return dev.is_cpu() ? cpu : cpu.to(dev);
    });
}

tffm_tensor *tffm_tensor_borrow(tffm_ctx *ctx, void *data, int64_t data_bytes, int32_t dtype, const int64_t *shape,
                                int64_t ndim) {
    return guard_tensor(ctx, [&] {
        auto type = scalar_type(dtype);
        auto dims = sizes(shape, ndim);
        check_bytes(numel_of(dims), type, data_bytes, "data");
        if (data == nullptr) invalid("data is NULL");
        return at::from_blob(data, dims, at::TensorOptions().dtype(type));
    });
}


tffm_tensor *tffm_tensor_zeros(tffm_ctx *ctx, int32_t dtype, const int64_t *shape, int64_t ndim,
                               int32_t device_type, int32_t device_index) {
    return factory(ctx, dtype, shape, ndim, device_type, device_index,
                   [](const std::vector<int64_t> &s, const at::TensorOptions &o) { return torch::zeros(s, o); });
}

tffm_tensor *tffm_tensor_ones(tffm_ctx *ctx, int32_t dtype, const int64_t *shape, int64_t ndim, int32_t device_type,
                              int32_t device_index) {
    return factory(ctx, dtype, shape, ndim, device_type, device_index,
                   [](const std::vector<int64_t> &s, const at::TensorOptions &o) { return torch::ones(s, o); });
}

tffm_tensor *tffm_tensor_rand(tffm_ctx *ctx, int32_t dtype, const int64_t *shape, int64_t ndim, int32_t device_type,
                              int32_t device_index, tffm_generator *gen) {
    return factory(ctx, dtype, shape, ndim, device_type, device_index,
                   [&](const std::vector<int64_t> &s, const at::TensorOptions &o) {
                       return at::rand(s, generator(gen), o);
                   });
}

tffm_tensor *tffm_tensor_randperm(tffm_ctx *ctx, int64_t n, int32_t device_type, int32_t device_index,
                                  tffm_generator *gen) {
    return guard_tensor(ctx, [&] {
        if (n < 0) invalid("randperm needs n >= 0, got " + std::to_string(n));
        return at::randperm(n, generator(gen),
                            at::TensorOptions().dtype(at::kLong).device(device(device_type, device_index)));
    });
}

tffm_tensor *tffm_tensor_shallow_clone(tffm_ctx *ctx, const tffm_tensor *t) {
    return guard_tensor(ctx, [&] { return ref(t, "t"); });
}

void tffm_tensor_free(tffm_tensor *t) {
    if (t == nullptr) return;
    delete t;
    live_tensors.fetch_sub(1, std::memory_order_relaxed);
}

// ---- queries ------------------------------------------------------------------------------

int64_t tffm_tensor_ndim(const tffm_tensor *t) { return t->t.dim(); }

int64_t tffm_tensor_numel(const tffm_tensor *t) { return t->t.numel(); }

int64_t tffm_tensor_shape(const tffm_tensor *t, int64_t *shape, int64_t capacity) {
    int64_t n = t->t.dim();
    for (int64_t i = 0; i < n && i < capacity; i++) shape[i] = t->t.size(i);
    return n;
}

int32_t tffm_tensor_dtype(const tffm_tensor *t) { return static_cast<int32_t>(t->t.scalar_type()); }

int32_t tffm_tensor_device_type(const tffm_tensor *t) { return static_cast<int32_t>(t->t.device().type()); }

int32_t tffm_tensor_device_index(const tffm_tensor *t) {
    return t->t.is_cuda() ? static_cast<int32_t>(t->t.device().index()) : -1;
}

int32_t tffm_tensor_requires_grad(const tffm_tensor *t) { return t->t.requires_grad() ? 1 : 0; }

const void *tffm_tensor_storage_data(const tffm_tensor *t) {
    return t->t.has_storage() ? t->t.storage().data() : nullptr;
}

int32_t tffm_tensor_has_grad(const tffm_tensor *t) { return t->t.grad().defined() ? 1 : 0; }

// ---- copies and conversions ---------------------------------------------------------------

int32_t tffm_tensor_copy_to(tffm_ctx *ctx, const tffm_tensor *t, void *dst, int64_t dst_bytes) {
    return guard(ctx, [&] {
        const auto &src = ref(t, "t");
        check_bytes(src.numel(), src.scalar_type(), dst_bytes, "destination");
        if (src.numel() == 0) return;
        if (dst == nullptr) invalid("destination is NULL");
        auto cpu = src.detach().to(at::kCPU).contiguous();
        std::memcpy(dst, cpu.data_ptr(), static_cast<size_t>(dst_bytes));
    });
}

int32_t tffm_tensor_item(tffm_ctx *ctx, const tffm_tensor *t, double *out) {
    return guard(ctx, [&] {
        if (out == nullptr) invalid("out is NULL");
        const auto &x = ref(t, "t");
        if (x.numel() != 1) invalid("item() needs a tensor with one element, got " + std::to_string(x.numel()));
        *out = x.item<double>();
    });
}

tffm_tensor *tffm_tensor_to_device(tffm_ctx *ctx, const tffm_tensor *t, int32_t device_type, int32_t device_index) {
    return guard_tensor(ctx, [&] { return ref(t, "t").to(device(device_type, device_index)); });
}

tffm_tensor *tffm_tensor_to_dtype(tffm_ctx *ctx, const tffm_tensor *t, int32_t dtype) {
    return guard_tensor(ctx, [&] { return ref(t, "t").to(scalar_type(dtype)); });
}

tffm_tensor *tffm_tensor_detach(tffm_ctx *ctx, const tffm_tensor *t) {
    return guard_tensor(ctx, [&] { return ref(t, "t").detach(); });
}

tffm_tensor *tffm_tensor_clone(tffm_ctx *ctx, const tffm_tensor *t) {
    return guard_tensor(ctx, [&] { return ref(t, "t").clone(); });
}

int32_t tffm_tensor_copy_from(tffm_ctx *ctx, tffm_tensor *t, const tffm_tensor *src) {
    return guard(ctx, [&] {
        auto &dst = const_cast<at::Tensor &>(ref(t, "t"));
        const auto &s = ref(src, "src");
        if (dst.sizes() != s.sizes()) {
            invalid("copy_from needs equal shapes, got " + c10::str(dst.sizes()) + " and " + c10::str(s.sizes()));
        }
        at::NoGradGuard no_grad;
        dst.copy_(s);
    });
}

// ---- views and indexing -------------------------------------------------------------------

tffm_tensor *tffm_tensor_reshape(tffm_ctx *ctx, const tffm_tensor *t, const int64_t *shape, int64_t ndim) {
    return guard_tensor(ctx, [&] {
        if (ndim < 0 || (ndim > 0 && shape == nullptr)) invalid("bad shape");
        return ref(t, "t").reshape(at::IntArrayRef(shape, static_cast<size_t>(ndim)));
    });
}

tffm_tensor *tffm_tensor_flatten(tffm_ctx *ctx, const tffm_tensor *t, int64_t start_dim, int64_t end_dim) {
    return guard_tensor(ctx, [&] { return ref(t, "t").flatten(start_dim, end_dim); });
}

tffm_tensor *tffm_tensor_narrow(tffm_ctx *ctx, const tffm_tensor *t, int64_t dim, int64_t start, int64_t length) {
    return guard_tensor(ctx, [&] { return ref(t, "t").narrow(dim, start, length); });
}

tffm_tensor *tffm_tensor_index_select(tffm_ctx *ctx, const tffm_tensor *t, int64_t dim, const tffm_tensor *index) {
    return guard_tensor(ctx, [&] {
        const auto &x = ref(t, "t");
        const auto &i = ref(index, "index");
        // On CUDA an index out of range is a device-side assert that poisons the context: check
        // first (one host sync), except while capturing a CUDA graph.
        if (i.is_cuda() && i.numel() > 0 && x.dim() > 0 && ctx->trust_indices == 0 && !capturing()) {
            int64_t size = x.size(at::maybe_wrap_dim(dim, x.dim()));
            auto range = at::aminmax(i);
            int64_t lo = std::get<0>(range).item<int64_t>(), hi = std::get<1>(range).item<int64_t>();
            if (lo < -size || hi >= size) {
                invalid("index_select: indices span [" + std::to_string(lo) + ", " + std::to_string(hi) +
                        "] but dimension " + std::to_string(dim) + " has size " + std::to_string(size));
            }
        }
        return x.index_select(dim, i);
    });
}

// ---- element-wise and reductions ----------------------------------------------------------

tffm_tensor *tffm_sigmoid(tffm_ctx *ctx, const tffm_tensor *x) {
    return guard_tensor(ctx, [&] { return torch::sigmoid(ref(x, "x")); });
}

tffm_tensor *tffm_relu(tffm_ctx *ctx, const tffm_tensor *x) {
    return guard_tensor(ctx, [&] { return torch::relu(ref(x, "x")); });
}

tffm_tensor *tffm_add(tffm_ctx *ctx, const tffm_tensor *a, const tffm_tensor *b) {
    return guard_tensor(ctx, [&] { return ref(a, "a") + ref(b, "b"); });
}

tffm_tensor *tffm_sub(tffm_ctx *ctx, const tffm_tensor *a, const tffm_tensor *b) {
    return guard_tensor(ctx, [&] { return ref(a, "a") - ref(b, "b"); });
}

tffm_tensor *tffm_mul(tffm_ctx *ctx, const tffm_tensor *a, const tffm_tensor *b) {
    return guard_tensor(ctx, [&] { return ref(a, "a") * ref(b, "b"); });
}

tffm_tensor *tffm_add_scalar(tffm_ctx *ctx, const tffm_tensor *x, double value) {
    return guard_tensor(ctx, [&] { return ref(x, "x") + value; });
}

tffm_tensor *tffm_mul_scalar(tffm_ctx *ctx, const tffm_tensor *x, double value) {
    return guard_tensor(ctx, [&] { return ref(x, "x") * value; });
}

tffm_tensor *tffm_eq(tffm_ctx *ctx, const tffm_tensor *a, const tffm_tensor *b) {
    return guard_tensor(ctx, [&] { return ref(a, "a").eq(ref(b, "b")); });
}

tffm_tensor *tffm_sum(tffm_ctx *ctx, const tffm_tensor *x) {
    return guard_tensor(ctx, [&] { return ref(x, "x").sum(); });
}

tffm_tensor *tffm_mean(tffm_ctx *ctx, const tffm_tensor *x) {
    return guard_tensor(ctx, [&] { return ref(x, "x").mean(); });
}

tffm_tensor *tffm_argmax(tffm_ctx *ctx, const tffm_tensor *x, int64_t dim, int32_t keepdim) {
    return guard_tensor(ctx, [&] { return ref(x, "x").argmax(dim, keepdim != 0); });
}

tffm_tensor *tffm_matmul(tffm_ctx *ctx, const tffm_tensor *a, const tffm_tensor *b) {
    return guard_tensor(ctx, [&] { return ref(a, "a").matmul(ref(b, "b")); });
}

int32_t tffm_add_inplace(tffm_ctx *ctx, tffm_tensor *t, const tffm_tensor *other) {
    return guard(ctx, [&] { const_cast<at::Tensor &>(ref(t, "t")).add_(ref(other, "other")); });
}

// ---- neural-network ops -------------------------------------------------------------------

tffm_tensor *tffm_conv2d(tffm_ctx *ctx, const tffm_tensor *x, const tffm_tensor *weight, const tffm_tensor *bias,
                         int64_t stride_h, int64_t stride_w, int64_t padding_h, int64_t padding_w) {
    return guard_tensor(ctx, [&] {
        at::Tensor b = bias == nullptr ? at::Tensor() : bias->t;
        return at::conv2d(ref(x, "x"), ref(weight, "weight"), b, {stride_h, stride_w}, {padding_h, padding_w});
    });
}

tffm_tensor *tffm_avg_pool2d(tffm_ctx *ctx, const tffm_tensor *x, int64_t kernel_h, int64_t kernel_w,
                             int64_t stride_h, int64_t stride_w) {
    return guard_tensor(ctx,
                        [&] { return at::avg_pool2d(ref(x, "x"), {kernel_h, kernel_w}, {stride_h, stride_w}); });
}

tffm_tensor *tffm_max_pool2d(tffm_ctx *ctx, const tffm_tensor *x, int64_t kernel_h, int64_t kernel_w,
                             int64_t stride_h, int64_t stride_w) {
    return guard_tensor(ctx,
                        [&] { return at::max_pool2d(ref(x, "x"), {kernel_h, kernel_w}, {stride_h, stride_w}); });
}

tffm_tensor *tffm_linear(tffm_ctx *ctx, const tffm_tensor *x, const tffm_tensor *weight, const tffm_tensor *bias) {
    return guard_tensor(ctx, [&] {
        at::Tensor b = bias == nullptr ? at::Tensor() : bias->t;
        return at::linear(ref(x, "x"), ref(weight, "weight"), b);
    });
}

namespace {
// Cross-entropy with PyTorch's semantics, except that labels outside 0..C-1 are refused on every
// device unless they equal ignore_index (when ignoring). On CUDA an out-of-range label would be a
// device-side assert that poisons the context, so the check runs first there too (one host sync),
// except under trust_indices or while a CUDA graph is being captured (a sync is illegal then).
at::Tensor cross_entropy(tffm_ctx *ctx, const tffm_tensor *logits, const tffm_tensor *labels, bool ignoring,
                         int64_t ignore_index) {
    const auto &x = ref(logits, "logits");
    const auto &y = ref(labels, "labels");
    if (x.dim() != 2) invalid("cross_entropy needs logits of shape [N, C], got " + c10::str(x.sizes()));
    if (y.scalar_type() != at::kLong) {
        invalid(std::string("cross_entropy needs int64 labels, got ") + c10::toString(y.scalar_type()));
    }
    if (y.dim() != 1 || y.size(0) != x.size(0)) {
        invalid("cross_entropy needs labels of shape [" + std::to_string(x.size(0)) + "], got " +
                c10::str(y.sizes()));
    }
    bool check = !y.is_cuda() || (ctx->trust_indices == 0 && !capturing());
    if (check && y.numel() > 0) {
        auto bad = y.lt(0).logical_or(y.ge(x.size(1)));
        if (ignoring) bad.logical_and_(y.ne(ignore_index));
        if (bad.any().item<bool>()) {
            int64_t label = y.masked_select(bad)[0].item<int64_t>();
            invalid("cross_entropy: label " + std::to_string(label) + " is out of bounds: there are " +
                    std::to_string(x.size(1)) + " classes (labels must be in 0.." + std::to_string(x.size(1) - 1) +
                    (ignoring ? " or equal ignore_index " + std::to_string(ignore_index) : std::string()) + ")");
        }
    }
    // Without ignoring, every label was checked to be in range, so LibTorch's ignore_index (which
    // must be some int64_t) can never match one.
    return at::cross_entropy_loss(x, y, {}, at::Reduction::Mean, ignoring ? ignore_index : INT64_MIN);
}
} // namespace

tffm_tensor *tffm_cross_entropy(tffm_ctx *ctx, const tffm_tensor *logits, const tffm_tensor *labels) {
    return guard_tensor(ctx, [&] { return cross_entropy(ctx, logits, labels, false, 0); });
}

tffm_tensor *tffm_cross_entropy_ignoring(tffm_ctx *ctx, const tffm_tensor *logits, const tffm_tensor *labels,
                                         int64_t ignore_index) {
    return guard_tensor(ctx, [&] { return cross_entropy(ctx, logits, labels, true, ignore_index); });
}

// ---- autograd -----------------------------------------------------------------------------

int32_t tffm_tensor_set_requires_grad(tffm_ctx *ctx, tffm_tensor *t, int32_t requires_grad) {
    return guard(ctx, [&] { const_cast<at::Tensor &>(ref(t, "t")).set_requires_grad(requires_grad != 0); });
}

int32_t tffm_backward(tffm_ctx *ctx, const tffm_tensor *loss) {
    return guard(ctx, [&] {
        const auto &l = ref(loss, "loss");
        if (l.numel() != 1) invalid("backward needs a one-element tensor, got shape " + c10::str(l.sizes()));
        if (!l.requires_grad()) invalid("backward: the tensor does not require grad and has no grad_fn");
        l.backward();
    });
}

tffm_tensor *tffm_tensor_grad(tffm_ctx *ctx, const tffm_tensor *t) {
    return guard_tensor(ctx, [&] {
        auto g = ref(t, "t").grad();
        if (!g.defined()) invalid("the tensor has no gradient");
        return g;
    });
}

int32_t tffm_zero_grad(tffm_ctx *ctx, tffm_tensor *const *params, int64_t n) {
    return guard(ctx, [&] {
        for (auto &p : tensors(params, n)) {
            auto &g = p.mutable_grad();
            if (g.defined()) g.zero_();
        }
    });
}

// ---- initialisation -----------------------------------------------------------------------

namespace {
// torch::nn::init's fans (which take no generator): in = size(1) * receptive field, out = size(0) * it.
std::pair<int64_t, int64_t> fans(const at::Tensor &t) {
    if (t.dim() < 2) {
        invalid("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
    }
    int64_t receptive = t.dim() > 2 ? t[0][0].numel() : 1;
    return {t.size(1) * receptive, t.size(0) * receptive};
}

// As torch::nn::init's uniform initialisers, with the same arithmetic, drawing from g.
void init_uniform(at::Tensor &t, double low, double high, tffm_generator *g) {
    at::NoGradGuard no_grad;
    t.uniform_(low, high, generator(g));
}
} // namespace

int32_t tffm_init_xavier_uniform(tffm_ctx *ctx, tffm_tensor *t, double gain, tffm_generator *g) {
    return guard(ctx, [&] {
        auto &x = const_cast<at::Tensor &>(ref(t, "t"));
        auto fan = fans(x);
        const double std = gain * std::sqrt(2.0 / static_cast<double>(fan.first + fan.second));
        const double a = std::sqrt(3.0) * std;
        init_uniform(x, -a, a, g);
    });
}

int32_t tffm_init_kaiming_uniform(tffm_ctx *ctx, tffm_tensor *t, double a, tffm_generator *g) {
    return guard(ctx, [&] {
        auto &x = const_cast<at::Tensor &>(ref(t, "t"));
        const double gain = std::sqrt(2.0 / (1 + std::pow(a, 2)));
        const double std = gain / std::sqrt(static_cast<double>(fans(x).first));
        const double bound = std::sqrt(3.0) * std;
        init_uniform(x, -bound, bound, g);
    });
}

int32_t tffm_init_uniform(tffm_ctx *ctx, tffm_tensor *t, double low, double high, tffm_generator *g) {
    return guard(ctx, [&] {
        auto &x = const_cast<at::Tensor &>(ref(t, "t"));
        if (!(low <= high)) invalid("uniform init needs low <= high");
        init_uniform(x, low, high, g);
    });
}

int32_t tffm_init_zeros(tffm_ctx *ctx, tffm_tensor *t) {
    return guard(ctx, [&] {
        ref(t, "t");
        torch::nn::init::zeros_(t->t);
    });
}

// ---- SGD ----------------------------------------------------------------------------------

tffm_sgd *tffm_sgd_new(tffm_ctx *ctx, tffm_tensor *const *params, int64_t n, double lr, double momentum,
                       double dampening, double weight_decay, int32_t nesterov) {
    return guard_new(ctx, [&] {
        if (!(lr >= 0) || !(momentum >= 0) || !(dampening >= 0) || !(weight_decay >= 0)) {
            invalid("SGD hyper-parameters must be >= 0");
        }
        if (nesterov != 0 && (momentum <= 0 || dampening != 0)) {
            invalid("Nesterov momentum requires a momentum and zero dampening");
        }
        auto options = torch::optim::SGDOptions(lr).momentum(momentum).dampening(dampening).weight_decay(
            weight_decay).nesterov(nesterov != 0);
        return new tffm_sgd{torch::optim::SGD(tensors(params, n), options)};
    });
}

int32_t tffm_sgd_step(tffm_ctx *ctx, tffm_sgd *sgd) {
    return guard(ctx, [&] {
        if (sgd == nullptr) invalid("sgd is NULL");
        sgd->optimizer.step();
    });
}

int32_t tffm_sgd_zero_grad(tffm_ctx *ctx, tffm_sgd *sgd) {
    return guard(ctx, [&] {
        if (sgd == nullptr) invalid("sgd is NULL");
        for (auto &group : sgd->optimizer.param_groups()) {
            for (auto &p : group.params()) {
                auto &g = p.mutable_grad();
                if (g.defined()) g.zero_();
            }
        }
    });
}

int32_t tffm_sgd_set_lr(tffm_ctx *ctx, tffm_sgd *sgd, double lr) {
    return guard(ctx, [&] {
        if (sgd == nullptr) invalid("sgd is NULL");
        if (!(lr >= 0)) invalid("learning rate must be >= 0");
        for (auto &group : sgd->optimizer.param_groups()) {
            static_cast<torch::optim::SGDOptions &>(group.options()).lr(lr);
        }
    });
}

void tffm_sgd_free(tffm_sgd *sgd) { delete sgd; }

} // extern "C"
