#!/usr/bin/python3
"""Record LibTorch CPU generator draws -> src/test/resources/golden/init.json.

Sequence (one generator, seeded once with 123, CPU float32):
  kaiming_uniform_(w[6,1,5,5], a=sqrt(5)); uniform_(b[6], -0.2, 0.2);
  xavier_uniform_(w); randperm(10).
A Java test replaying the same calls must get identical numbers.
"""
import json
import math
import os

import torch

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
OUT = os.path.join(ROOT, "src", "test", "resources", "golden", "init.json")


def enc(t):
    return {"dtype": "float32", "shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


torch.manual_seed(123)
w = torch.empty(6, 1, 5, 5, dtype=torch.float32)
torch.nn.init.kaiming_uniform_(w, a=math.sqrt(5))
kaiming = enc(w)
b = torch.empty(6, dtype=torch.float32)
torch.nn.init.uniform_(b, -0.2, 0.2)
uniform = enc(b)
torch.nn.init.xavier_uniform_(w)
xavier = enc(w)
perm = [int(v) for v in torch.randperm(10).tolist()]

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump({"torch_version": torch.__version__, "generator": "src/test/python/gen_init_golden.py",
               "seed": 123,
               "notes": "kaiming_uniform_(a=sqrt(5)): fan_in=25, bound=1/sqrt(25)=0.2; "
                        "xavier_uniform_(gain=1): fan_in=25, fan_out=150, bound=sqrt(6/175)",
               "kaiming": kaiming, "uniform": uniform, "xavier": xavier, "randperm": perm}, f, indent=1)
    f.write("\n")
print("wrote %s" % OUT)
