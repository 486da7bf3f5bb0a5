/*
 * torchffm.h: the C ABI of the torchffm shim over LibTorch.
 *
 * This header is the only input jextract reads; the Java bindings in bindings/ are generated from it.
 *
 * Conventions (they hold for every function below unless its comment says otherwise):
 *
 * Types.  Fixed-width integers, double and pointers only. Handles are opaque.
 *
 * Ownership.  "owned" results belong to the caller and must be released with the free function of
 *   their family (tffm_tensor_free, tffm_error_free, tffm_sgd_free, tffm_script_free, tffm_optim_free). "borrowed" arguments are only
 *   read during the call; the callee keeps no reference after it returns, except where stated.
 *
 * Errors.  Every function that can fail takes a tffm_ctx* as its first argument. On failure it
 *   stores an owned tffm_error* in ctx->error and returns NULL (functions returning a handle) or a
 *   nonzero tffm_error_kind (functions returning int32_t). On success ctx->error is left untouched,
 *   so the caller reads it only after a failure and must free it (and reset the field) before reuse.
 *   No C++ exception ever leaves the library. The error is returned through the caller's own ctx,
 *   never through thread-local state, so a caller may move between OS threads between two calls.
 *
 * Gradient mode.  ctx->grad_enabled == 0 runs the call as if inside torch::NoGradGuard: no autograd
 *   graph is recorded. The mode belongs to the caller's ctx, not to the OS thread.
 *
 * Range checks.  On CUDA an out-of-range class label or index is a device-side assert that leaves the
 *   CUDA context unusable, so tffm_cross_entropy and tffm_tensor_index_select check the range first,
 *   which waits for the device. ctx->trust_indices != 0 skips that check (and the wait) for callers
 *   whose labels and indices are valid by construction; CPU ops always check, at no cost.
 *
 * Threads.  Distinct ctx objects may be used concurrently from distinct threads; one ctx must not be
 *   used by two threads at once. Tensors may be read concurrently; a tensor must not be freed or
 *   modified in place (backward, SGD step, init) while another thread uses it (the Java side holds a
 *   handle for the duration of every call from a thread other than its owner, and frees it only
 *   after the last such call returned).
 *
 * Sizes.  Every element and byte count computed from a shape is checked for int64_t overflow before
 *   it is compared with a buffer's size.
 *
 * Units.  Sizes and shapes in elements, byte counts in bytes, memory statistics in bytes.
 */
#ifndef TORCHFFM_H
#define TORCHFFM_H

#include <stdint.h>

/* The ABI is exactly what this header declares: the shim is compiled with hidden visibility, and
 * TFFM_API_BEGIN/TFFM_API_END give every declaration between them default (exported) visibility. */
#if defined(__GNUC__) || defined(__clang__)
#define TFFM_API_BEGIN _Pragma("GCC visibility push(default)")
#define TFFM_API_END _Pragma("GCC visibility pop")
#else
#define TFFM_API_BEGIN
#define TFFM_API_END
#endif

#ifdef __cplusplus
extern "C" {
#endif
TFFM_API_BEGIN

/* ---- constants ------------------------------------------------------------------------------ */

/* Element types. The values equal c10::ScalarType's. */
#define TFFM_DTYPE_UINT8 0
#define TFFM_DTYPE_INT8 1
#define TFFM_DTYPE_INT32 3
#define TFFM_DTYPE_INT64 4
#define TFFM_DTYPE_FLOAT32 6
#define TFFM_DTYPE_FLOAT64 7
#define TFFM_DTYPE_BOOL 11

/* Device types. The values equal c10::DeviceType's. */
#define TFFM_DEVICE_CPU 0
#define TFFM_DEVICE_CUDA 1

/* Error kinds, as returned by tffm_error_kind and by failing int32_t functions. */
#define TFFM_OK 0
#define TFFM_ERR_INVALID_ARGUMENT 1 /* c10::Error and friends: bad shape, dtype, device, index */
#define TFFM_ERR_OUT_OF_MEMORY 2    /* c10::OutOfMemoryError, std::bad_alloc */
#define TFFM_ERR_INTERNAL 3         /* any other std::exception */
#define TFFM_ERR_UNKNOWN 4          /* a throw of a non-std::exception type */

/* ---- opaque handles ------------------------------------------------------------------------- */

typedef struct tffm_tensor tffm_tensor; /* an at::Tensor (a reference to shared storage) */
typedef struct tffm_error tffm_error;   /* an error message and kind */
typedef struct tffm_sgd tffm_sgd;       /* a torch::optim::SGD over a fixed parameter list */
typedef struct tffm_graph tffm_graph;   /* a captured CUDA graph (at::cuda::CUDAGraph) */
typedef struct tffm_generator tffm_generator; /* a random number generator (at::Generator) */
typedef struct tffm_pg tffm_pg;         /* a c10d process group and its TCPStore */
typedef struct tffm_script tffm_script; /* a loaded TorchScript module (torch::jit::Module) */
typedef struct tffm_optim tffm_optim;   /* a torch::optim::Adam or AdamW over a fixed parameter list */
typedef struct tffm_profile tffm_profile; /* LibTorch's autograd profiler running on one thread */

/* ---- call context --------------------------------------------------------------------------- */

/* Caller-allocated, caller-owned. Initialise with error = NULL, grad_enabled = 1, trust_indices = 0. */
typedef struct tffm_ctx {
    tffm_error *error;     /* out: set by a failing call (owned by the caller) */
    int32_t grad_enabled;  /* in: 0 runs calls without recording autograd history */
    int32_t trust_indices; /* in: nonzero skips the CUDA range checks (see "Range checks") */
} tffm_ctx;

/* ---- errors (family tffm_error_) ------------------------------------------------------------ */

/* The message, valid until tffm_error_free. Never NULL. */
const char *tffm_error_message(const tffm_error *error);
/* One of TFFM_ERR_*. */
int32_t tffm_error_kind(const tffm_error *error);
/* Frees an owned error; NULL is ignored. */
void tffm_error_free(tffm_error *error);

/* ---- library facts (family tffm_lib_): thread-safe, never fail -------------------------------- */

/* LibTorch's version, e.g. "1.13.1"; static storage. */
const char *tffm_lib_version(void);
/* 1 if the shim was compiled against a LibTorch with CUDA, else 0. */
int32_t tffm_lib_cuda_compiled(void);
/* 1 if CUDA is compiled in and at least one device is usable, else 0. */
int32_t tffm_lib_cuda_available(void);
/* Number of usable CUDA devices (0 without CUDA). */
int32_t tffm_lib_cuda_device_count(void);
/* Seeds LibTorch's default CPU generator and, where present, every CUDA generator. */
void tffm_lib_manual_seed(int64_t seed);
/* Intra-op thread count of ATen's thread pool (process-wide). n must be >= 1. */
int32_t tffm_lib_set_num_threads(tffm_ctx *ctx, int32_t n);
int32_t tffm_lib_get_num_threads(void);
/* Number of tffm_tensor handles created and not yet freed (process-wide). */
int64_t tffm_lib_live_tensors(void);
/* CUDA caching allocator statistics for a device, in bytes: out[0] allocated, out[1] reserved,
 * out[2] total device memory. out must hold 3 values. Fails without CUDA or for a bad index. */
int32_t tffm_lib_cuda_memory(tffm_ctx *ctx, int32_t device_index, int64_t *out);
/* Returns cached, unused CUDA memory to the driver. A no-op without CUDA. */
int32_t tffm_lib_cuda_empty_cache(tffm_ctx *ctx);
/* Waits for all work queued on a CUDA device. A no-op without CUDA. */
int32_t tffm_lib_cuda_synchronize(tffm_ctx *ctx, int32_t device_index);

/* ---- tensor creation (family tffm_tensor_) ------------------------------------------------- */

/* Copies numel(shape) elements of dtype from data (borrowed, CPU memory, native byte order) into
 * a new owned tensor on the device. ndim may be 0 (a scalar); shape is borrowed. data_bytes must
 * equal numel * element size: it is checked. */
tffm_tensor *tffm_tensor_from_data(tffm_ctx *ctx, const void *data, int64_t data_bytes, int32_t dtype,
                                   const int64_t *shape, int64_t ndim, int32_t device_type,
                                   int32_t device_index);
/* Zero-copy: a new owned CPU tensor that views the caller's contiguous memory. The memory is NOT
 * copied and NOT freed by the tensor: the caller must keep it alive and unmoved until this tensor
 * and every view derived from it are freed. Writes through the tensor are visible in the memory; if
 * the memory is read-only, the caller must not write through the tensor or its views (in-place ops,
 * copy_from, init, SGD, zero_grad): the Java API refuses those before calling. */
tffm_tensor *tffm_tensor_borrow(tffm_ctx *ctx, void *data, int64_t data_bytes, int32_t dtype,
                                const int64_t *shape, int64_t ndim);
/* New owned tensors filled with zeros, ones, or uniform random values in [0,1). rand draws from
 * generator (borrowed; it must be on the tensor's device type), or from LibTorch's default generator
 * of the device when generator is NULL. */
tffm_tensor *tffm_tensor_zeros(tffm_ctx *ctx, int32_t dtype, const int64_t *shape, int64_t ndim,
                               int32_t device_type, int32_t device_index);
tffm_tensor *tffm_tensor_ones(tffm_ctx *ctx, int32_t dtype, const int64_t *shape, int64_t ndim,
                              int32_t device_type, int32_t device_index);
tffm_tensor *tffm_tensor_rand(tffm_ctx *ctx, int32_t dtype, const int64_t *shape, int64_t ndim,
                              int32_t device_type, int32_t device_index, tffm_generator *generator);
/* A random permutation of 0..n-1 (int64), as torch.randperm(n, generator=generator); NULL draws from
 * the default generator. */
tffm_tensor *tffm_tensor_randperm(tffm_ctx *ctx, int64_t n, int32_t device_type, int32_t device_index,
                                  tffm_generator *generator);
/* A new owned handle to the same tensor (shares storage and autograd identity). */
tffm_tensor *tffm_tensor_shallow_clone(tffm_ctx *ctx, const tffm_tensor *t);
/* Frees the handle (the storage goes when its last reference does). NULL is ignored. */
void tffm_tensor_free(tffm_tensor *t);

/* ---- tensor queries: t must be a live handle; never fail ------------------------------------ */

int64_t tffm_tensor_ndim(const tffm_tensor *t);
int64_t tffm_tensor_numel(const tffm_tensor *t);
/* Writes min(ndim, capacity) sizes into shape; returns ndim. */
int64_t tffm_tensor_shape(const tffm_tensor *t, int64_t *shape, int64_t capacity);
int32_t tffm_tensor_dtype(const tffm_tensor *t);
int32_t tffm_tensor_device_type(const tffm_tensor *t);
/* -1 for CPU tensors. */
int32_t tffm_tensor_device_index(const tffm_tensor *t);
int32_t tffm_tensor_requires_grad(const tffm_tensor *t);
/* 1 if the tensor has an accumulated gradient. */
int32_t tffm_tensor_has_grad(const tffm_tensor *t);
/* The start of the tensor's storage (NULL when it has none): equal for tensors that share storage,
 * so a caller can tell a view of its borrowed memory from a copy. */
const void *tffm_tensor_storage_data(const tffm_tensor *t);

/* ---- copies and conversions ---------------------------------------------------------------- */

/* Copies the tensor's elements, in row-major order and its own dtype, into dst (borrowed, CPU
 * memory of dst_bytes bytes, which must equal numel * element size). Works for any device. */
int32_t tffm_tensor_copy_to(tffm_ctx *ctx, const tffm_tensor *t, void *dst, int64_t dst_bytes);
/* The single element of a one-element tensor, converted to double, stored in *out. */
int32_t tffm_tensor_item(tffm_ctx *ctx, const tffm_tensor *t, double *out);
/* New owned tensors: on another device; converted to another dtype; detached from the graph;
 * a contiguous copy. */
tffm_tensor *tffm_tensor_to_device(tffm_ctx *ctx, const tffm_tensor *t, int32_t device_type,
                                   int32_t device_index);
tffm_tensor *tffm_tensor_to_dtype(tffm_ctx *ctx, const tffm_tensor *t, int32_t dtype);
tffm_tensor *tffm_tensor_detach(tffm_ctx *ctx, const tffm_tensor *t);
tffm_tensor *tffm_tensor_clone(tffm_ctx *ctx, const tffm_tensor *t);
/* In place: copies src's values into t (shapes must match; dtype and device are converted). */
int32_t tffm_tensor_copy_from(tffm_ctx *ctx, tffm_tensor *t, const tffm_tensor *src);

/* ---- views and indexing: results are new owned tensors ------------------------------------- */

/* shape may contain one -1. */
tffm_tensor *tffm_tensor_reshape(tffm_ctx *ctx, const tffm_tensor *t, const int64_t *shape, int64_t ndim);
tffm_tensor *tffm_tensor_flatten(tffm_ctx *ctx, const tffm_tensor *t, int64_t start_dim, int64_t end_dim);
/* Elements start..start+length-1 along dim (a view). */
tffm_tensor *tffm_tensor_narrow(tffm_ctx *ctx, const tffm_tensor *t, int64_t dim, int64_t start, int64_t length);
/* Rows of t along dim picked by the int64 tensor index (a copy). Indices are range-checked (see
 * "Range checks"). */
tffm_tensor *tffm_tensor_index_select(tffm_ctx *ctx, const tffm_tensor *t, int64_t dim, const tffm_tensor *index);

/* ---- element-wise and reductions ------------------------------------------------------------ */

tffm_tensor *tffm_sigmoid(tffm_ctx *ctx, const tffm_tensor *x);
tffm_tensor *tffm_relu(tffm_ctx *ctx, const tffm_tensor *x);
tffm_tensor *tffm_add(tffm_ctx *ctx, const tffm_tensor *a, const tffm_tensor *b);
tffm_tensor *tffm_sub(tffm_ctx *ctx, const tffm_tensor *a, const tffm_tensor *b);
tffm_tensor *tffm_mul(tffm_ctx *ctx, const tffm_tensor *a, const tffm_tensor *b);
tffm_tensor *tffm_add_scalar(tffm_ctx *ctx, const tffm_tensor *x, double value);
tffm_tensor *tffm_mul_scalar(tffm_ctx *ctx, const tffm_tensor *x, double value);
/* Boolean tensor of a == b (broadcasting). */
tffm_tensor *tffm_eq(tffm_ctx *ctx, const tffm_tensor *a, const tffm_tensor *b);
/* Sum and mean of all elements (0-dim results). mean needs a floating dtype. */
tffm_tensor *tffm_sum(tffm_ctx *ctx, const tffm_tensor *x);
tffm_tensor *tffm_mean(tffm_ctx *ctx, const tffm_tensor *x);
/* Indices (int64) of the maxima along dim; keepdim != 0 keeps that dim with size 1. */
tffm_tensor *tffm_argmax(tffm_ctx *ctx, const tffm_tensor *x, int64_t dim, int32_t keepdim);
tffm_tensor *tffm_matmul(tffm_ctx *ctx, const tffm_tensor *a, const tffm_tensor *b);
/* In place: t += other (broadcasting other to t's shape). t must not be a leaf that requires grad
 * unless ctx->grad_enabled is 0. */
int32_t tffm_add_inplace(tffm_ctx *ctx, tffm_tensor *t, const tffm_tensor *other);

/* ---- neural-network ops --------------------------------------------------------------------- */

/* x [N,C,H,W], weight [O,C,kH,kW], bias [O] or NULL. */
tffm_tensor *tffm_conv2d(tffm_ctx *ctx, const tffm_tensor *x, const tffm_tensor *weight,
                         const tffm_tensor *bias, int64_t stride_h, int64_t stride_w,
                         int64_t padding_h, int64_t padding_w);
tffm_tensor *tffm_avg_pool2d(tffm_ctx *ctx, const tffm_tensor *x, int64_t kernel_h, int64_t kernel_w,
                             int64_t stride_h, int64_t stride_w);
tffm_tensor *tffm_max_pool2d(tffm_ctx *ctx, const tffm_tensor *x, int64_t kernel_h, int64_t kernel_w,
                             int64_t stride_h, int64_t stride_w);
/* x [..., in], weight [out, in], bias [out] or NULL: x @ weight^T + bias. */
tffm_tensor *tffm_linear(tffm_ctx *ctx, const tffm_tensor *x, const tffm_tensor *weight, const tffm_tensor *bias);
/* Mean cross-entropy of logits [N,C] against int64 class labels [N] in 0..C-1, on every device
 * (range-checked, see "Range checks"; unlike PyTorch's default, -100 is not ignored). */
tffm_tensor *tffm_cross_entropy(tffm_ctx *ctx, const tffm_tensor *logits, const tffm_tensor *labels);
/* As tffm_cross_entropy, but labels equal to ignore_index are skipped (PyTorch's ignore_index: they
 * add nothing to the loss and the mean is over the other labels); every other label must be in
 * 0..C-1. All labels ignored gives NaN, as in PyTorch. */
tffm_tensor *tffm_cross_entropy_ignoring(tffm_ctx *ctx, const tffm_tensor *logits, const tffm_tensor *labels,
                                         int64_t ignore_index);

/* ---- more tensor ops (ops_extra.cpp): results are new owned tensors -------------------------- */

/* Element-wise a / b (broadcasting) and x / value: true division, so integer inputs give floats. */
tffm_tensor *tffm_div(tffm_ctx *ctx, const tffm_tensor *a, const tffm_tensor *b);
tffm_tensor *tffm_div_scalar(tffm_ctx *ctx, const tffm_tensor *x, double value);
/* Element-wise e^x and natural logarithm (integer inputs give floats). */
tffm_tensor *tffm_exp(tffm_ctx *ctx, const tffm_tensor *x);
tffm_tensor *tffm_log(tffm_ctx *ctx, const tffm_tensor *x);
/* Softmax and log-softmax along dim (negative counts from the end); x must be floating-point. */
tffm_tensor *tffm_softmax(tffm_ctx *ctx, const tffm_tensor *x, int64_t dim);
tffm_tensor *tffm_log_softmax(tffm_ctx *ctx, const tffm_tensor *x, int64_t dim);
/* Views: dimensions dim0 and dim1 swapped; dimensions reordered by dims (borrowed, ndim entries, a
 * permutation of 0..ndim-1, negative entries counting from the end). */
tffm_tensor *tffm_tensor_transpose(tffm_ctx *ctx, const tffm_tensor *t, int64_t dim0, int64_t dim1);
tffm_tensor *tffm_tensor_permute(tffm_ctx *ctx, const tffm_tensor *t, const int64_t *dims, int64_t ndim);
/* n >= 1 tensors (borrowed array) joined along the existing dimension dim (cat: other sizes equal)
 * or along a new dimension dim (stack: all shapes equal). */
tffm_tensor *tffm_cat(tffm_ctx *ctx, tffm_tensor *const *tensors, int64_t n, int64_t dim);
tffm_tensor *tffm_stack(tffm_ctx *ctx, tffm_tensor *const *tensors, int64_t n, int64_t dim);
/* Standard normal values, as torch.randn(shape, generator=generator); NULL draws from the default
 * generator. dtype must be floating-point. */
tffm_tensor *tffm_tensor_randn(tffm_ctx *ctx, int32_t dtype, const int64_t *shape, int64_t ndim, int32_t device_type,
                               int32_t device_index, tffm_generator *generator);
/* Mean squared error, and mean binary cross-entropy of logits against targets in [0, 1] (as
 * F.mse_loss and F.binary_cross_entropy_with_logits with reduction 'mean'). Both arguments must have
 * the same shape; the first must be floating-point. 0-dim results. */
tffm_tensor *tffm_mse_loss(tffm_ctx *ctx, const tffm_tensor *input, const tffm_tensor *target);
tffm_tensor *tffm_bce_with_logits(tffm_ctx *ctx, const tffm_tensor *logits, const tffm_tensor *target);

/* ---- autograd ------------------------------------------------------------------------------- */

/* Sets the requires-grad flag of a leaf tensor in place. */
int32_t tffm_tensor_set_requires_grad(tffm_ctx *ctx, tffm_tensor *t, int32_t requires_grad);
/* Backpropagates from a one-element tensor, accumulating into the leaves' gradients. */
int32_t tffm_backward(tffm_ctx *ctx, const tffm_tensor *loss);
/* A new owned handle to t's accumulated gradient; fails if it has none (see tffm_tensor_has_grad). */
tffm_tensor *tffm_tensor_grad(tffm_ctx *ctx, const tffm_tensor *t);
/* Zeroes the gradients of n tensors (borrowed array of handles) in one call; tensors without a
 * gradient are skipped. */
int32_t tffm_zero_grad(tffm_ctx *ctx, tffm_tensor *const *params, int64_t n);

/* ---- initialisation, in place, without recording history ------------------------------------ */

/* The random initialisers draw from generator (borrowed), or from the default generator when it is
 * NULL; with the default generator they draw exactly what torch.nn.init draws. */
/* As torch.nn.init.xavier_uniform_(t, gain). */
int32_t tffm_init_xavier_uniform(tffm_ctx *ctx, tffm_tensor *t, double gain, tffm_generator *generator);
/* As torch.nn.init.kaiming_uniform_(t, a) with fan_in and leaky_relu: PyTorch's default for the
 * weights of Linear and Conv2d (with a = sqrt(5)). */
int32_t tffm_init_kaiming_uniform(tffm_ctx *ctx, tffm_tensor *t, double a, tffm_generator *generator);
/* As torch.nn.init.uniform_(t, low, high). */
int32_t tffm_init_uniform(tffm_ctx *ctx, tffm_tensor *t, double low, double high, tffm_generator *generator);
/* As torch.nn.init.zeros_(t). */
int32_t tffm_init_zeros(tffm_ctx *ctx, tffm_tensor *t);

/* ---- SGD (family tffm_sgd_): torch::optim::SGD ---------------------------------------------- */

/* An owned optimizer over n parameters (the array is borrowed; the optimizer keeps its own
 * references to the tensors). Hyper-parameters as torch.optim.SGD; all must be >= 0, and
 * nesterov != 0 needs momentum > 0 and dampening == 0. */
tffm_sgd *tffm_sgd_new(tffm_ctx *ctx, tffm_tensor *const *params, int64_t n, double lr, double momentum,
                       double dampening, double weight_decay, int32_t nesterov);
/* One update of every parameter that has a gradient, in a single call. */
int32_t tffm_sgd_step(tffm_ctx *ctx, tffm_sgd *sgd);
/* Zeroes (not frees) the gradients of every parameter. */
int32_t tffm_sgd_zero_grad(tffm_ctx *ctx, tffm_sgd *sgd);
int32_t tffm_sgd_set_lr(tffm_ctx *ctx, tffm_sgd *sgd, double lr);
void tffm_sgd_free(tffm_sgd *sgd);

/* ---- CUDA graphs (family tffm_graph_) ------------------------------------------------------- */

/* Records the CUDA work queued between capture_begin and capture_end once, then replays it with one
 * launch: the net's static shapes make the whole training step (forward, loss, backward, SGD
 * update) replayable, with inputs copied into fixed tensors before each replay. Every call below
 * fails (TFFM_ERR_INVALID_ARGUMENT) when the shim was built without CUDA.
 *
 * Threads: capture_begin makes a side stream current on the calling OS thread until capture_end, so
 * begin, the captured calls and end must all run on the same OS thread (not a virtual thread). */
tffm_graph *tffm_graph_new(tffm_ctx *ctx, int32_t device_index);
int32_t tffm_graph_capture_begin(tffm_ctx *ctx, tffm_graph *graph);
int32_t tffm_graph_capture_end(tffm_ctx *ctx, tffm_graph *graph);
/* Queues one replay on the current stream of the graph's device; does not wait for it. */
int32_t tffm_graph_replay(tffm_ctx *ctx, tffm_graph *graph);
/* Runs warm-up work on the graph's side stream: between warmup_begin and warmup_end the calling OS
 * thread's current stream is the side stream (PyTorch warms up on a side stream before capture). */
int32_t tffm_graph_warmup_begin(tffm_ctx *ctx, tffm_graph *graph);
int32_t tffm_graph_warmup_end(tffm_ctx *ctx, tffm_graph *graph);
void tffm_graph_free(tffm_graph *graph);

/* ---- random number generators (family tffm_generator_) ---------------------------------------- */

/* An owned generator of the given device seeded with seed, as torch.Generator(device).manual_seed(seed):
 * the same seed draws the same numbers as LibTorch's default generator after torch.manual_seed(seed).
 * A generator may be used from several threads (LibTorch locks it per draw), but draws interleaved
 * from several threads come in no defined order: give each thread its own for reproducible results. */
tffm_generator *tffm_generator_new(tffm_ctx *ctx, int64_t seed, int32_t device_type, int32_t device_index);
/* Reseeds the generator, as Generator.manual_seed(seed). */
int32_t tffm_generator_manual_seed(tffm_ctx *ctx, tffm_generator *generator, int64_t seed);
void tffm_generator_free(tffm_generator *generator);

/* ---- process groups (family tffm_pg_): c10d data-parallel collectives -------------------------- */

/* A c10d process group (ProcessGroupGloo on CPU tensors, ProcessGroupNCCL on CUDA tensors) joined
 * through a c10d::TCPStore. Rank 0 hosts the store at host:port; every other rank connects to it.
 *
 * Rendezvous protocol (a peer in another language joins by doing the same with its own TCPStore):
 *   1. every rank adds 1 to "torchffm/rank/<rank>"; a result > 1 means two processes claim the rank;
 *   2. every rank sets "torchffm/proc/<rank>" to "<hostname> <pid>" (so that a survivor can name a
 *      rank on its machine that exited), then "torchffm/size/<rank>" to its world size (decimal text);
 *   3. rank 0 waits for "torchffm/size/<r>" of every r > 0 and compares it with its own, then sets
 *      "torchffm/verdict" to "ok" or to the error message; every other rank reads "torchffm/size/0"
 *      and "torchffm/verdict", adds 1 to "torchffm/acks", and fails unless the size is its own and
 *      the verdict "ok" (after a failing verdict rank 0 waits up to 5 s for the acks);
 *   4. the backend's process group is created over PrefixStore("torchffm/pg", store).
 *
 * Errors.  Failures of the rendezvous or of a collective (a peer that died or did not answer
 *   within the timeout) are TFFM_ERR_DISTRIBUTED; bad arguments are TFFM_ERR_INVALID_ARGUMENT.
 *   Every blocking call returns within timeout_ms, so nothing waits forever on a dead peer.
 *
 * Threads.  One group must not be used by two threads at once; collectives must be issued in the
 *   same order on every rank. */
#define TFFM_ERR_DISTRIBUTED 5 /* rendezvous or collective failure: peer gone, timeout, port taken */

#define TFFM_PG_BACKEND_GLOO 0 /* CPU tensors; always compiled where LibTorch has c10d and gloo */
#define TFFM_PG_BACKEND_NCCL 1 /* CUDA tensors; only in CUDA builds with NCCL */

#define TFFM_REDUCE_SUM 0
#define TFFM_REDUCE_AVG 1 /* the sum divided by the world size */

/* Joins a group of world_size processes as `rank`, waiting up to timeout_ms for all of them.
 * host (borrowed, NUL-terminated) is the store's address; rank 0 listens on port (1..65535), the
 * others connect to it. Returns an owned group, or NULL with TFFM_ERR_DISTRIBUTED when the port is
 * taken, the master cannot be reached, the ranks disagree on the world size, or a rank does not
 * join in time. */
tffm_pg *tffm_pg_new(tffm_ctx *ctx, const char *host, int32_t port, int32_t rank, int32_t world_size,
                     int32_t backend, int64_t timeout_ms);
/* This process's rank and the group's size; never fail. */
int32_t tffm_pg_rank(const tffm_pg *pg);
int32_t tffm_pg_size(const tffm_pg *pg);
/* 1 if the backend was compiled into this shim, else 0. */
int32_t tffm_pg_backend_available(int32_t backend);
/* Replaces t's values (in place, t is borrowed) with root's on every rank. t must be contiguous. */
int32_t tffm_pg_broadcast(tffm_ctx *ctx, tffm_pg *pg, tffm_tensor *t, int32_t root);
/* Reduces t across ranks in place with op (TFFM_REDUCE_*). t must be contiguous. */
int32_t tffm_pg_all_reduce(tffm_ctx *ctx, tffm_pg *pg, tffm_tensor *t, int32_t op);
/* Returns when every rank has called it. */
int32_t tffm_pg_barrier(tffm_ctx *ctx, tffm_pg *pg);
/* Copies root's values of n tensors (borrowed, same dtype and device) into every rank's, with one
 * broadcast per bucket of at most bucket_bytes bytes (the tensors are flattened into a buffer). */
int32_t tffm_pg_broadcast_coalesced(tffm_ctx *ctx, tffm_pg *pg, tffm_tensor *const *tensors, int64_t n,
                                    int32_t root, int64_t bucket_bytes);
/* Averages the gradients of n parameters (borrowed, same dtype and device) across ranks: one
 * all-reduce per bucket of at most bucket_bytes bytes of flattened gradients. A parameter without a
 * gradient contributes zeros and gets one, so that every rank issues the same collectives. */
int32_t tffm_pg_average_gradients(tffm_ctx *ctx, tffm_pg *pg, tffm_tensor *const *parameters, int64_t n,
                                  int64_t bucket_bytes);
/* Frees the group (closes its connections). NULL is ignored. */
void tffm_pg_free(tffm_pg *pg);

/* ---- memory formats and gradient dropping (the CPU training fast path) ----------------------- */

/* Memory formats, as at::MemoryFormat's Contiguous and ChannelsLast (NHWC order of a 4-d tensor). */
#define TFFM_FORMAT_CONTIGUOUS 0
#define TFFM_FORMAT_CHANNELS_LAST 1

/* t with its elements laid out in `format` (owned; shares t's storage when t already is, else a copy
 * that autograd records). Channels-last needs a 4-d tensor. */
tffm_tensor *tffm_tensor_contiguous(tffm_ctx *ctx, const tffm_tensor *t, int32_t format);
/* Stores 1 in *out if t is laid out contiguously in `format`, else 0. */
int32_t tffm_tensor_is_contiguous(tffm_ctx *ctx, const tffm_tensor *t, int32_t format, int32_t *out);
/* Re-lays out t's elements in `format` in place, as PyTorch's module.to(memory_format=...) does to a
 * parameter: values, shape, requires-grad and autograd identity stay, and every other reference to
 * the tensor (an optimizer's) sees the new layout. Not while t is part of a recorded graph. */
int32_t tffm_tensor_set_memory_format(tffm_ctx *ctx, tffm_tensor *t, int32_t format);
/* Drops (frees) the gradient of every parameter, as torch.optim's zero_grad(set_to_none=True): the
 * next backward writes the gradients afresh instead of adding into zeroed ones. */
int32_t tffm_sgd_clear_grad(tffm_ctx *ctx, tffm_sgd *sgd);

/* ---- TorchScript (family tffm_script_): torch::jit::load and forward --------------------------- */

/* Loads a file written by torch.jit.save onto a device and switches it to eval mode. Owned; free with
 * tffm_script_free. Fails (TFFM_ERR_INVALID_ARGUMENT, message naming the path) when the file is
 * missing or unreadable, is not TorchScript (a state_dict checkpoint, any other file), or has no
 * forward method. */
tffm_script *tffm_script_load(tffm_ctx *ctx, const char *path, int32_t device_type, int32_t device_index);
/* The number of inputs forward declares (not counting self), stored in *out. */
int32_t tffm_script_num_inputs(tffm_ctx *ctx, const tffm_script *script, int64_t *out);
/* Runs forward on n input tensors (borrowed) without recording autograd history. The result, a tensor
 * or a (nested) tuple or list of tensors, is flattened into outputs[0..*n_out) as owned handles;
 * *single is 1 when forward returned one tensor, 0 for a tuple or list. Fails, with nothing stored in
 * outputs, when n does not fit forward's inputs, when forward fails (the message names the inputs'
 * dtypes and shapes and the model's own error), when it returns anything else, or when it returns
 * more than capacity tensors. */
int32_t tffm_script_forward(tffm_ctx *ctx, tffm_script *script, tffm_tensor *const *inputs, int64_t n,
                            tffm_tensor **outputs, int64_t capacity, int64_t *n_out, int32_t *single);
void tffm_script_free(tffm_script *script);

/* ---- layers with a train/eval mode, gradient clipping -------------------------------------------- */

/* As torch.nn.functional.batch_norm: x [N,C,...]; weight, bias, running_mean, running_var [C] or NULL.
 * training != 0 normalizes with the batch's statistics and, in place and without recording history,
 * updates running_mean and running_var (new = (1 - momentum) old + momentum batch, the variance
 * unbiased) and adds 1 to the int64 scalar num_batches_tracked (may be NULL); training == 0 uses the
 * running statistics and changes nothing. momentum in [0, 1], eps > 0. Training needs more than one
 * value per channel. */
tffm_tensor *tffm_batch_norm(tffm_ctx *ctx, const tffm_tensor *x, const tffm_tensor *weight, const tffm_tensor *bias,
                             tffm_tensor *running_mean, tffm_tensor *running_var, tffm_tensor *num_batches_tracked,
                             int32_t training, double momentum, double eps);
/* As torch.nn.functional.dropout: with training != 0, zeroes each element with probability p in [0, 1]
 * (drawn from the default generator) and scales the rest by 1 / (1 - p); otherwise returns x's values. */
tffm_tensor *tffm_dropout(tffm_ctx *ctx, const tffm_tensor *x, double p, int32_t training);
/* As torch.nn.utils.clip_grad_norm_: scales the gradients of n tensors (borrowed array) in place so
 * that their joint norm_type-norm is at most max_norm; tensors without a gradient are skipped. The
 * norm before clipping is stored in *total_norm. */
int32_t tffm_clip_grad_norm(tffm_ctx *ctx, tffm_tensor *const *params, int64_t n, double max_norm, double norm_type,
                            double *total_norm);

/* ---- Adam and AdamW (family tffm_optim_): torch::optim::Adam, torch::optim::AdamW --------------- */

/* Owned optimizers over n parameters (the array is borrowed; the optimizer keeps its own references).
 * Hyper-parameters as torch.optim.Adam / AdamW: lr, eps, weight_decay >= 0, betas in [0, 1). Adam adds
 * weight_decay * p to the gradient; AdamW multiplies p by 1 - lr * weight_decay before the update. */
tffm_optim *tffm_optim_adam_new(tffm_ctx *ctx, tffm_tensor *const *params, int64_t n, double lr, double beta1,
                                double beta2, double eps, double weight_decay, int32_t amsgrad);
tffm_optim *tffm_optim_adamw_new(tffm_ctx *ctx, tffm_tensor *const *params, int64_t n, double lr, double beta1,
                                 double beta2, double eps, double weight_decay, int32_t amsgrad);
/* One update of every parameter that has a gradient, in a single call. */
int32_t tffm_optim_step(tffm_ctx *ctx, tffm_optim *optim);
/* Zeroes (not frees) the gradients of every parameter. */
int32_t tffm_optim_zero_grad(tffm_ctx *ctx, tffm_optim *optim);
/* Sets the learning rate of every parameter group; lr >= 0. */
int32_t tffm_optim_set_lr(tffm_ctx *ctx, tffm_optim *optim, double lr);
void tffm_optim_free(tffm_optim *optim);

/* ---- profiling (family tffm_profile_): LibTorch's autograd profiler ------------------------------ */

/* Starts recording every LibTorch op the calling thread runs (forward and, on the CPU, backward), with
 * its CPU time, as torch.autograd.profiler.profile. Fails when path cannot be written or when this
 * thread is profiled already. */
tffm_profile *tffm_profile_start(tffm_ctx *ctx, const char *path);
/* Stops recording and writes the ops to the path given at start as a Chrome trace (chrome://tracing,
 * ui.perfetto.dev); frees the profile. Must run on the thread that started it. */
int32_t tffm_profile_stop(tffm_ctx *ctx, tffm_profile *profile);

/* ---- CPU buffer cache (family tffm_cpu_cache_): reuse of large CPU tensor buffers -------------- */

/* Installs (enable != 0) or removes, process-wide, an allocator for new CPU tensors that keeps freed
 * buffers of 128 KiB to 64 MiB for reuse by the next request of the same size, so that a training
 * step writes into the pages of the last one instead of faulting in fresh ones. Cached plus live
 * bytes never grow past their earlier peak: a request that misses frees the least recently freed
 * buffers first. Removing it frees the cache; buffers still alive return to malloc when freed. */
int32_t tffm_cpu_cache_enable(tffm_ctx *ctx, int32_t enable);
/* 1 while the cache is LibTorch's CPU allocator, else 0. */
int32_t tffm_cpu_cache_enabled(void);
/* Returns every cached, unused buffer to malloc. */
void tffm_cpu_cache_trim(void);
/* One figure of the cache (since the process started): bytes cached and unused, bytes handed out and
 * alive, requests served from the cache, requests that were not. -1 for an unknown figure. */
#define TFFM_CPU_CACHE_CACHED_BYTES 0
#define TFFM_CPU_CACHE_LIVE_BYTES 1
#define TFFM_CPU_CACHE_HITS 2
#define TFFM_CPU_CACHE_MISSES 3
int64_t tffm_cpu_cache_stat(int32_t which);

TFFM_API_END
#ifdef __cplusplus
}
#endif

#endif /* TORCHFFM_H */
