// TorchScript inference (family tffm_script_): torch::jit::load and forward.
#include "shim.h"

#include <torch/script.h>

#include <fstream>

struct tffm_script {
    torch::jit::Module module;
    std::string path;
};

using namespace tffm;

namespace {
// LibTorch's messages for a failure inside a TorchScript method carry the script's traceback; the
// last line names what went wrong ("RuntimeError: ..."), which is what a caller needs.
std::string last_line(const std::string &message) {
    size_t end = message.find_last_not_of(" \n");
    if (end == std::string::npos) return message;
    size_t start = message.find_last_of('\n', end);
    std::string line = message.substr(start == std::string::npos ? 0 : start + 1, end + 1 - (start == std::string::npos ? 0 : start + 1));
    const std::string prefix = "RuntimeError: ";
    if (line.rfind(prefix, 0) == 0) line = line.substr(prefix.size());
    return line;
}

std::string message(const std::exception &e) {
    if (auto *c10 = dynamic_cast<const c10::Error *>(&e)) return brief(*c10);
    return e.what();
}

std::string describe(const std::vector<torch::jit::IValue> &inputs) {
    std::string s;
    for (size_t i = 0; i < inputs.size(); i++) {
        const at::Tensor &t = inputs[i].toTensor();
        if (i > 0) s += ", ";
        s += std::string(c10::toString(t.scalar_type())) + " " + c10::str(t.sizes());
    }
    return s;
}

void flatten(const torch::jit::IValue &value, std::vector<at::Tensor> &out) {
    if (value.isTensor()) {
        out.push_back(value.toTensor());
    } else if (value.isTuple()) {
        for (const auto &e : value.toTupleRef().elements()) flatten(e, out);
    } else if (value.isList()) {
        for (const auto &e : value.toListRef()) flatten(e, out);
    } else {
        invalid("forward returned a " + value.tagKind() + "; only tensors and tuples or lists of tensors are supported");
    }
}
} // namespace

extern "C" {

tffm_script *tffm_script_load(tffm_ctx *ctx, const char *path, int32_t device_type, int32_t device_index) {
    tffm_script *out = nullptr;
    guard(ctx, [&] {
        if (path == nullptr) invalid("path is NULL");
        at::Device dev = device(device_type, device_index);
        if (!std::ifstream(path).good()) invalid(std::string(path) + ": no such file or not readable");
        torch::jit::Module module;
        try {
            module = torch::jit::load(path, dev);
        } catch (const c10::OutOfMemoryError &) {
            throw;
        } catch (const std::exception &e) {
            invalid(std::string(path) + " is not a TorchScript file (torch.jit.save writes those; a state_dict "
                    "checkpoint is not one): " + last_line(message(e)));
        }
        if (!module.find_method("forward")) invalid(std::string(path) + ": the TorchScript module has no forward method");
        module.eval();
        out = new tffm_script{std::move(module), path};
    });
    return out;
}

int32_t tffm_script_num_inputs(tffm_ctx *ctx, const tffm_script *script, int64_t *out) {
    return guard(ctx, [&] {
        if (script == nullptr) invalid("script is NULL");
        if (out == nullptr) invalid("out is NULL");
        auto method = script->module.get_method("forward");
        *out = static_cast<int64_t>(method.function().getSchema().arguments().size()) - 1; // minus self
    });
}

int32_t tffm_script_forward(tffm_ctx *ctx, tffm_script *script, tffm_tensor *const *inputs, int64_t n,
                            tffm_tensor **outputs, int64_t capacity, int64_t *n_out, int32_t *single) {
    return guard(ctx, [&] {
        if (script == nullptr) invalid("script is NULL");
        if (outputs == nullptr || n_out == nullptr || single == nullptr) invalid("output arguments are NULL");
        auto method = script->module.get_method("forward");
        const auto &args = method.function().getSchema().arguments();
        int64_t expected = static_cast<int64_t>(args.size()) - 1;
        int64_t required = 0;
        for (size_t i = 1; i < args.size(); i++) {
            if (!args[i].default_value()) required++;
        }
        if (n < required || n > expected) {
            std::string names;
            for (size_t i = 1; i < args.size(); i++) names += (i > 1 ? ", " : "") + args[i].name();
            invalid("forward of " + script->path + " takes " + std::to_string(expected) + " input(s) (" + names +
                    "), got " + std::to_string(n));
        }
        std::vector<torch::jit::IValue> values;
        for (const at::Tensor &t : tensors(inputs, n)) values.emplace_back(t);
        torch::jit::IValue result;
        {
            torch::NoGradGuard no_grad;
            try {
                result = script->module.forward(values);
            } catch (const c10::OutOfMemoryError &) {
                throw;
            } catch (const std::exception &e) {
                invalid("forward of " + script->path + " failed for input(s) " + describe(values) + ": " +
                        last_line(message(e)));
            }
        }
        std::vector<at::Tensor> flat;
        flatten(result, flat);
        if (static_cast<int64_t>(flat.size()) > capacity) {
            invalid("forward returned " + std::to_string(flat.size()) + " tensors, more than " + std::to_string(capacity));
        }
        *single = result.isTensor() ? 1 : 0;
        *n_out = static_cast<int64_t>(flat.size());
        for (size_t i = 0; i < flat.size(); i++) outputs[i] = nullptr;
        for (size_t i = 0; i < flat.size(); i++) outputs[i] = wrap(std::move(flat[i]));
    });
}

void tffm_script_free(tffm_script *script) { delete script; }

} // extern "C"
