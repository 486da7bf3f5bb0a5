#!/usr/bin/python3
"""Generate golden torch.optim.SGD trajectories -> src/test/resources/golden/sgd.json.

Deterministic: parameter and gradient come from fixed formulas; the same
gradient is assigned to p.grad before each of 3 steps.
"""
import json
import os

import torch

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
OUT = os.path.join(ROOT, "src", "test", "resources", "golden", "sgd.json")

INITIAL = ((torch.arange(5) * 37 % 17) - 8) / 10.0
GRAD = ((torch.arange(5) % 7) - 3) / 4.0 + 0.1

CONFIGS = [
    ("plain", dict(lr=0.1)),
    ("momentum", dict(lr=0.1, momentum=0.9)),
    ("weight_decay", dict(lr=0.1, weight_decay=0.01)),
    ("momentum_dampening_wd", dict(lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01)),
    ("nesterov", dict(lr=0.1, momentum=0.9, nesterov=True)),
]

cases = []
for name, cfg in CONFIGS:
    full = dict(lr=0.1, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False)
    full.update(cfg)
    p = torch.nn.Parameter(INITIAL.clone().to(torch.float32))
    opt = torch.optim.SGD([p], **full)
    steps = []
    for _ in range(3):
        p.grad = GRAD.clone().to(torch.float32)
        opt.step()
        steps.append([float(v) for v in p.detach().tolist()])
    cases.append({
        "name": name,
        "lr": full["lr"], "momentum": full["momentum"], "dampening": full["dampening"],
        "weight_decay": full["weight_decay"], "nesterov": full["nesterov"],
        "initial": [float(v) for v in INITIAL.to(torch.float32).tolist()],
        "grad": [float(v) for v in GRAD.to(torch.float32).tolist()],
        "steps": steps,
    })

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump({"torch_version": torch.__version__, "generator": "src/test/python/gen_sgd_golden.py",
               "cases": cases}, f, indent=1)
    f.write("\n")
print("wrote %s (%d cases)" % (OUT, len(cases)))
