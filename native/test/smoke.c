/* C smoke test of the public header: a forward and backward pass, an SGD step, and error values. */
#include "torchffm.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int failures = 0;

#define CHECK(cond, what)                                                                          \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "FAILED: %s (line %d)\n", what, __LINE__);                             \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

int main(void) {
    tffm_ctx ctx = {NULL, 1, 0};
    printf("LibTorch %s, CUDA compiled %d, available %d\n", tffm_lib_version(), tffm_lib_cuda_compiled(),
           tffm_lib_cuda_available());

    float xs[4] = {1, 2, 3, 4};
    int64_t shape[2] = {2, 2};
    tffm_tensor *x = tffm_tensor_from_data(&ctx, xs, sizeof xs, TFFM_DTYPE_FLOAT32, shape, 2, TFFM_DEVICE_CPU, 0);
    CHECK(x != NULL, "from_data");
    CHECK(tffm_tensor_numel(x) == 4 && tffm_tensor_ndim(x) == 2, "numel and ndim");
    CHECK(tffm_tensor_set_requires_grad(&ctx, x, 1) == TFFM_OK, "requires_grad");

    tffm_tensor *y = tffm_sigmoid(&ctx, x);
    tffm_tensor *loss = tffm_sum(&ctx, y);
    double value = 0;
    CHECK(tffm_tensor_item(&ctx, loss, &value) == TFFM_OK, "item");
    double expected = 0;
    for (int i = 0; i < 4; i++) expected += 1.0 / (1.0 + exp(-xs[i]));
    CHECK(fabs(value - expected) < 1e-5, "sigmoid sum");

    CHECK(tffm_backward(&ctx, loss) == TFFM_OK, "backward");
    CHECK(tffm_tensor_has_grad(x) == 1, "has grad");

    tffm_sgd *sgd = tffm_sgd_new(&ctx, &x, 1, 0.5, 0, 0, 0, 0);
    CHECK(sgd != NULL, "sgd_new");
    CHECK(tffm_sgd_step(&ctx, sgd) == TFFM_OK, "sgd_step");
    float after[4];
    CHECK(tffm_tensor_copy_to(&ctx, x, after, sizeof after) == TFFM_OK, "copy_to");
    double s = 1.0 / (1.0 + exp(-1.0));
    CHECK(fabs(after[0] - (1.0 - 0.5 * s * (1 - s))) < 1e-5, "sgd arithmetic");

    /* An error comes back as a value with LibTorch's message. */
    int64_t bad_shape[1] = {3};
    tffm_tensor *w = tffm_tensor_zeros(&ctx, TFFM_DTYPE_FLOAT32, bad_shape, 1, TFFM_DEVICE_CPU, 0);
    tffm_tensor *bad = tffm_matmul(&ctx, x, w);
    CHECK(bad == NULL, "matmul shape error returns NULL");
    CHECK(ctx.error != NULL && tffm_error_kind(ctx.error) == TFFM_ERR_INVALID_ARGUMENT, "error kind");
    if (ctx.error != NULL) printf("expected error: %s\n", tffm_error_message(ctx.error));
    tffm_error_free(ctx.error);
    ctx.error = NULL;

    tffm_sgd_free(sgd);
    tffm_tensor_free(w);
    tffm_tensor_free(loss);
    tffm_tensor_free(y);
    tffm_tensor_free(x);
    CHECK(tffm_lib_live_tensors() == 0, "no live tensors");
    printf("%s\n", failures == 0 ? "smoke: ok" : "smoke: FAILED");
    return failures == 0 ? 0 : 1;
}
