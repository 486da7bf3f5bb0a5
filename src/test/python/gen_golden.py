#!/usr/bin/python3
"""Generate golden forward outputs and gradients for torchffm op tests.

Writes src/test/resources/golden/ops.json. Fully deterministic: inputs come
from fixed arithmetic formulas, never from an RNG.
"""
import json
import os

import torch
import torch.nn.functional as F

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
OUT = os.path.join(ROOT, "src", "test", "resources", "golden", "ops.json")

DTYPES = {torch.float32: "float32", torch.int64: "int64", torch.bool: "bool", torch.uint8: "uint8"}


def fx(shape, mul=37, mod=17, off=8, scale=10.0):
    """Varied, reproducible float32 values in roughly [-off/scale, off/scale]."""
    n = 1
    for s in shape:
        n *= s
    t = ((torch.arange(n) * mul % mod) - off) / scale
    return t.to(torch.float32).reshape(shape)


def distinct(shape, mul=37):
    """All-distinct float32 values (mul must be coprime with numel): no ties."""
    n = 1
    for s in shape:
        n *= s
    t = ((torch.arange(n) * mul % n) - n // 2) / 10.0
    return t.to(torch.float32).reshape(shape)


def enc(t):
    t = t.detach()
    if t.dtype == torch.bool:
        data = t.to(torch.int64).reshape(-1).tolist()
    elif t.dtype.is_floating_point:
        data = [float(v) for v in t.reshape(-1).tolist()]
    else:
        data = [int(v) for v in t.reshape(-1).tolist()]
    return {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data": data}


def upstream_for(out):
    n = out.numel()
    return (((torch.arange(n) % 7) - 3) / 4.0).to(torch.float32).reshape(out.shape)


cases = []


def case(name, op, fn, inputs, args=None, differentiable=True):
    ins = {k: (v.clone().requires_grad_(True) if differentiable and v.dtype.is_floating_point else v.clone())
           for k, v in inputs.items()}
    out = fn(**ins)
    grads = {}
    g = None
    if differentiable:
        g = upstream_for(out)
        (out * g).sum().backward()
        for k, v in ins.items():
            if v.requires_grad:
                grads[k] = enc(v.grad)
    cases.append({
        "name": name,
        "op": op,
        "args": args or {},
        "inputs": {k: enc(v) for k, v in ins.items()},
        "output": enc(out),
        "upstream": enc(g) if g is not None else None,
        "grads": grads,
    })


# elementwise unary
case("sigmoid", "sigmoid", lambda x: torch.sigmoid(x), {"x": fx([3, 4])})
# relu: input shifted by 0.05 so no element is exactly 0 (avoids the x == 0 subgradient choice)
case("relu", "relu", lambda x: torch.relu(x), {"x": fx([3, 4]) + 0.05})

# elementwise binary (same shape)
A = fx([3, 4])
B = fx([3, 4], mul=11, mod=13, off=6, scale=4.0)
case("add", "add", lambda a, b: torch.add(a, b), {"a": A, "b": B})
case("sub", "sub", lambda a, b: torch.sub(a, b), {"a": A, "b": B})
case("mul", "mul", lambda a, b: torch.mul(a, b), {"a": A, "b": B})

# scalar ops
case("add_scalar", "add_scalar", lambda x: torch.add(x, 1.5), {"x": fx([3, 4])}, {"value": 1.5})
case("mul_scalar", "mul_scalar", lambda x: torch.mul(x, -0.5), {"x": fx([3, 4])}, {"value": -0.5})

# reductions (scalar output: shape [], upstream is the single value -0.75);
# input offset by 0.25 so the result is not ~0 (pure cancellation)
case("sum", "sum", lambda x: torch.sum(x), {"x": fx([3, 4]) + 0.25})
case("mean", "mean", lambda x: torch.mean(x), {"x": fx([3, 4]) + 0.25})

# matmul
case("matmul", "matmul", lambda a, b: torch.matmul(a, b),
     {"a": fx([3, 4]), "b": fx([4, 5], mul=11, mod=13, off=6, scale=4.0)})

# linear
case("linear_bias", "linear", lambda x, weight, bias: F.linear(x, weight, bias),
     {"x": fx([2, 4]), "weight": fx([3, 4], mul=11, mod=13, off=6, scale=4.0),
      "bias": fx([3], mul=5, mod=7, off=3, scale=5.0)})
case("linear_nobias", "linear", lambda x, weight: F.linear(x, weight),
     {"x": fx([2, 4]), "weight": fx([3, 4], mul=11, mod=13, off=6, scale=4.0)})

# conv2d
case("conv2d_pad1_bias", "conv2d",
     lambda x, weight, bias: F.conv2d(x, weight, bias, stride=1, padding=1),
     {"x": fx([2, 2, 6, 6]), "weight": fx([3, 2, 3, 3], mul=11, mod=13, off=6, scale=10.0),
      "bias": fx([3], mul=5, mod=7, off=3, scale=5.0)},
     {"stride": [1, 1], "padding": [1, 1]})
case("conv2d_stride2_nobias", "conv2d",
     lambda x, weight: F.conv2d(x, weight, None, stride=2, padding=0),
     {"x": fx([2, 2, 6, 6]), "weight": fx([3, 2, 3, 3], mul=11, mod=13, off=6, scale=10.0)},
     {"stride": [2, 2], "padding": [0, 0]})

# pooling (max_pool2d input has all-distinct values: no ties)
case("avg_pool2d", "avg_pool2d", lambda x: F.avg_pool2d(x, kernel_size=2, stride=2),
     {"x": fx([1, 2, 6, 6])}, {"kernel": [2, 2], "stride": [2, 2]})
case("max_pool2d", "max_pool2d", lambda x: F.max_pool2d(x, kernel_size=2, stride=2),
     {"x": distinct([1, 2, 6, 6], mul=37)}, {"kernel": [2, 2], "stride": [2, 2]})

# cross entropy (mean reduction, int64 class-index labels)
case("cross_entropy", "cross_entropy", lambda logits, labels: F.cross_entropy(logits, labels),
     {"logits": fx([4, 5]), "labels": torch.tensor([0, 3, 4, 1], dtype=torch.int64)},
     {"reduction": "mean"})

# shape ops
case("reshape", "reshape", lambda x: torch.reshape(x, (4, -1)), {"x": fx([2, 3, 4])}, {"shape": [4, -1]})
case("flatten", "flatten", lambda x: torch.flatten(x, 1, -1), {"x": fx([2, 3, 2, 2])}, {"start": 1, "end": -1})

# non-differentiable
case("argmax", "argmax", lambda x: torch.argmax(x, dim=1, keepdim=False),
     {"x": distinct([3, 5], mul=7)}, {"dim": 1, "keepdim": False}, differentiable=False)
case("eq", "eq", lambda a, b: torch.eq(a, b),
     {"a": torch.arange(12, dtype=torch.int64).reshape(3, 4) % 5,
      "b": torch.arange(12, dtype=torch.int64).reshape(3, 4) % 3},
     differentiable=False)

# ---- more ops (native/src/ops_extra.cpp) ----
# the divisor is offset by 1/8 so that no element is 0
case("div", "div", lambda a, b: torch.div(a, b), {"a": A, "b": B + 0.125})
case("div_scalar", "div_scalar", lambda x: torch.div(x, 2.5), {"x": fx([3, 4])}, {"value": 2.5})
case("exp", "exp", lambda x: torch.exp(x), {"x": fx([3, 4])})
case("log", "log", lambda x: torch.log(x), {"x": fx([3, 4]) + 1.0})
case("softmax", "softmax", lambda x: torch.softmax(x, dim=1), {"x": fx([3, 4])}, {"dim": 1})
case("log_softmax", "log_softmax", lambda x: torch.log_softmax(x, dim=0), {"x": fx([3, 4])}, {"dim": 0})
case("transpose", "transpose", lambda x: torch.transpose(x, 0, 2), {"x": fx([2, 3, 4])}, {"dim0": 0, "dim1": 2})
case("permute", "permute", lambda x: x.permute(2, 0, 1), {"x": fx([2, 3, 4])}, {"dims": [2, 0, 1]})
case("cat", "cat", lambda a, b: torch.cat([a, b], dim=1),
     {"a": fx([2, 3]), "b": fx([2, 2], mul=11, mod=13, off=6, scale=4.0)}, {"dim": 1})
case("stack", "stack", lambda a, b: torch.stack([a, b], dim=1),
     {"a": fx([2, 3]), "b": fx([2, 3], mul=11, mod=13, off=6, scale=4.0)}, {"dim": 1})
case("mse_loss", "mse_loss", lambda input, target: F.mse_loss(input, target),
     {"input": fx([3, 4]), "target": B})
case("bce_with_logits", "bce_with_logits",
     lambda logits, target: F.binary_cross_entropy_with_logits(logits, target),
     {"logits": fx([3, 4]) * 3, "target": ((torch.arange(12) % 5) / 4.0).reshape(3, 4)})


def randn_seed7():
    torch.manual_seed(7)
    return torch.randn(2, 3)


case("randn", "randn", randn_seed7, {}, {"seed": 7, "shape": [2, 3]}, differentiable=False)

names = [c["name"] for c in cases]
assert len(names) == len(set(names)), "case names must be unique"

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump({"torch_version": torch.__version__, "generator": "src/test/python/gen_golden.py",
               "cases": cases}, f, indent=1)
    f.write("\n")
print("wrote %s (%d cases)" % (OUT, len(cases)))
