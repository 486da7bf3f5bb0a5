"""Writes src/test/resources/checkpoints/mixed.pt, a checkpoint saved by Python's torch.save.

TorchZipReaderTest reads it without Python. It is a state_dict (an OrderedDict with _metadata)
of nn.Linear(3, 2) plus entries that cover each dtype torchffm maps and the storage layouts
torch.save writes: a view with an offset and a step into a shared storage, a transpose, a
permutation, a stride-0 expansion, a 0-dim tensor, an empty tensor and an nn.Parameter.
All values come from fixed formulas; the expected values are written out in the test.

Run from the repository root with Debian's Python, which has torch:
    /usr/bin/python3 src/test/python/gen_checkpoints.py
"""
import os

import torch
from torch import nn

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "checkpoints", "mixed.pt")


def main():
    net = nn.Linear(3, 2)
    with torch.no_grad():
        net.weight.copy_(torch.arange(6.0).reshape(2, 3) / 4 - 0.5)
        net.bias.copy_(torch.tensor([0.25, -1.5]))
    sd = net.state_dict()  # OrderedDict with _metadata
    base = torch.arange(10, dtype=torch.float64) * 0.5
    sd["float64"] = base
    sd["view"] = base[2:9:3]  # offset 2, stride 3 into float64's storage
    sd["transposed"] = torch.arange(12.0).reshape(3, 4).t()  # strides (1, 4)
    sd["permuted"] = torch.arange(24, dtype=torch.int32).reshape(2, 3, 4).permute(2, 0, 1)
    sd["expanded"] = torch.tensor([1.5, -2.0]).expand(3, 2)  # strides (0, 1)
    sd["int64"] = torch.tensor([-(2**40), -1, 0, 7, 2**62])
    sd["int8"] = torch.tensor([-128, -1, 0, 127], dtype=torch.int8)
    sd["uint8"] = torch.tensor([0, 1, 255], dtype=torch.uint8)
    sd["bool"] = torch.tensor([True, False, True])
    sd["scalar"] = torch.tensor(3.5)
    sd["empty"] = torch.zeros(0, 3)
    sd["param"] = nn.Parameter(torch.tensor([1.0, 2.0]))
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    torch.save(sd, OUT)
    print("wrote", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
