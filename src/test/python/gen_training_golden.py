#!/usr/bin/python3
"""Generate golden values for the training additions -> src/test/resources/golden/training.json.

BatchNorm2d (training: output, input and parameter gradients, running statistics after two
batches; eval: output with given running statistics), Adam and AdamW trajectories (3 steps, as
gen_sgd_golden.py), StepLR and CosineAnnealingLR learning rates, clip_grad_norm_. Deterministic:
every input comes from a fixed formula.
"""
import json
import os

import torch
from torch import nn

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
OUT = os.path.join(ROOT, "src", "test", "resources", "golden", "training.json")


def formula(shape, a, b, c):
    n = 1
    for s in shape:
        n *= s
    return (((torch.arange(n) * a % b) - b // 2) / c).to(torch.float32).reshape(shape)


def t(x):
    x = x.detach()
    return {"dtype": str(x.dtype).replace("torch.", ""), "shape": list(x.shape), "data": x.flatten().tolist()}


def batch_norm():
    bn = nn.BatchNorm2d(3, momentum=0.2, eps=1e-3)
    with torch.no_grad():
        bn.weight.copy_(torch.tensor([1.5, -0.5, 2.0]))
        bn.bias.copy_(torch.tensor([0.1, 0.2, -0.3]))
    x1 = formula((4, 3, 2, 2), 37, 17, 5.0).requires_grad_(True)
    x2 = formula((4, 3, 2, 2), 11, 13, 3.0)
    g = formula((4, 3, 2, 2), 7, 11, 4.0)
    bn.train()
    y1 = bn(x1)
    (y1 * g).sum().backward()
    bn(x2)
    train = {"x1": t(x1), "x2": t(x2), "g": t(g), "y1": t(y1), "x1_grad": t(x1.grad),
             "weight_grad": t(bn.weight.grad), "bias_grad": t(bn.bias.grad),
             "running_mean": t(bn.running_mean), "running_var": t(bn.running_var),
             "num_batches_tracked": int(bn.num_batches_tracked)}
    bn.eval()
    x3 = formula((2, 3, 2, 2), 5, 9, 2.0)
    y3 = bn(x3)
    return {"momentum": 0.2, "eps": 1e-3, "weight": t(bn.weight), "bias": t(bn.bias), "train": train,
            "eval": {"x": t(x3), "y": t(y3)}, "state_dict_keys": list(bn.state_dict().keys())}


INITIAL = ((torch.arange(5) * 37 % 17) - 8) / 10.0
GRAD = ((torch.arange(5) % 7) - 3) / 4.0 + 0.1

ADAM = [
    ("adam", "adam", dict(lr=0.1)),
    ("adam_wd_betas", "adam", dict(lr=0.05, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
    ("adam_amsgrad", "adam", dict(lr=0.1, amsgrad=True)),
    ("adamw", "adamw", dict(lr=0.1)),
    ("adamw_wd_amsgrad", "adamw", dict(lr=0.05, weight_decay=0.3, amsgrad=True)),
]


def adam():
    cases = []
    for name, kind, cfg in ADAM:
        p = torch.nn.Parameter(INITIAL.clone().to(torch.float32))
        opt = (torch.optim.Adam if kind == "adam" else torch.optim.AdamW)([p], **cfg)
        d = opt.defaults
        steps = []
        for i in range(3):
            p.grad = (GRAD * (1 + i)).to(torch.float32)  # a different gradient each step
            opt.step()
            steps.append(p.detach().tolist())
        cases.append({"name": name, "kind": kind, "lr": d["lr"], "beta1": d["betas"][0], "beta2": d["betas"][1],
                      "eps": d["eps"], "weight_decay": d["weight_decay"], "amsgrad": d["amsgrad"],
                      "initial": INITIAL.to(torch.float32).tolist(), "grad": GRAD.to(torch.float32).tolist(),
                      "steps": steps})
    return cases


def schedules():
    out = {}
    for name, make in [("step", lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5)),
                       ("cosine", lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=7, eta_min=0.01))]:
        opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.4)
        sched = make(opt)
        lrs = []
        for _ in range(10):
            opt.step()
            sched.step()
            lrs.append(sched.get_last_lr()[0])
        out[name] = {"base_lr": 0.4, "lrs": lrs}
    out["step"].update(step_size=3, gamma=0.5)
    out["cosine"].update(t_max=7, eta_min=0.01)
    return out


def clip():
    cases = []
    for max_norm in (1.0, 100.0):
        a = torch.nn.Parameter(torch.zeros(2, 3))
        b = torch.nn.Parameter(torch.zeros(4))
        a.grad = formula((2, 3), 5, 7, 2.0)
        b.grad = formula((4,), 3, 5, 1.0)
        total = torch.nn.utils.clip_grad_norm_([a, b], max_norm)
        cases.append({"max_norm": max_norm, "grads_before": [t(formula((2, 3), 5, 7, 2.0)), t(formula((4,), 3, 5, 1.0))],
                      "total_norm": float(total), "grads_after": [t(a.grad), t(b.grad)]})
    return cases


def main():
    data = {"torch_version": torch.__version__, "generator": "src/test/python/gen_training_golden.py",
            "batch_norm": batch_norm(), "adam": adam(), "schedules": schedules(), "clip_grad_norm": clip()}
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    print("wrote " + OUT)


if __name__ == "__main__":
    main()
