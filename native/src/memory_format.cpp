// memory_format.cpp: memory formats (family tffm_tensor_, "memory formats" in torchffm.h). Channels-last
// lets oneDNN's convolutions and ATen's pooling kernels run without reordering their inputs: the
// CPU training fast path lays out the convolution weights and each input batch this way.
#include "shim.h"

using namespace tffm;

namespace {
at::MemoryFormat memory_format(int32_t code) {
    switch (code) {
    case TFFM_FORMAT_CONTIGUOUS: return at::MemoryFormat::Contiguous;
    case TFFM_FORMAT_CHANNELS_LAST: return at::MemoryFormat::ChannelsLast;
    default: invalid("unsupported memory format code " + std::to_string(code));
    }
}

const at::Tensor &checked(const tffm_tensor *t, at::MemoryFormat format) {
    const at::Tensor &x = ref(t, "t");
    if (format == at::MemoryFormat::ChannelsLast && x.dim() != 4) {
        invalid("channels-last needs a 4-d tensor, got " + std::to_string(x.dim()) + " dimension(s)");
    }
    return x;
}
} // namespace

extern "C" {

tffm_tensor *tffm_tensor_contiguous(tffm_ctx *ctx, const tffm_tensor *t, int32_t format) {
    return guard_tensor(ctx, [&] {
        at::MemoryFormat f = memory_format(format);
        return checked(t, f).contiguous(f);
    });
}

int32_t tffm_tensor_is_contiguous(tffm_ctx *ctx, const tffm_tensor *t, int32_t format, int32_t *out) {
    return guard(ctx, [&] {
        if (out == nullptr) invalid("out is NULL");
        at::MemoryFormat f = memory_format(format);
        *out = checked(t, f).is_contiguous(f) ? 1 : 0;
    });
}

int32_t tffm_tensor_set_memory_format(tffm_ctx *ctx, tffm_tensor *t, int32_t format) {
    return guard(ctx, [&] {
        at::MemoryFormat f = memory_format(format);
        at::Tensor &x = const_cast<at::Tensor &>(checked(t, f));
        // As PyTorch's module.to(memory_format=...), which copies unless the tensor is laid out so
        // and its strides also suggest the format. is_contiguous alone would not do: a weight with
        // one input channel ([out, 1, kh, kw]) is contiguous in both formats, yet oneDNN picks its
        // layout from the suggested format, so only channels-last strides make the first
        // convolution run channels-last.
        if (x.is_contiguous(f) && x.suggest_memory_format() == f) return;
        // set_data swaps the storage under the same TensorImpl, so every other reference (an
        // optimizer's) sees the new layout, and the tensor stays the same autograd leaf.
        at::Tensor relaid;
        {
            at::NoGradGuard no_grad;
            relaid = x.detach().clone(f);
        }
        x.set_data(relaid);
    });
}

} // extern "C"
