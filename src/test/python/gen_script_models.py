"""Writes TorchScript models and their outputs for ScriptModuleTest (run at test time).

For a LeNet and a small CNN with BatchNorm (in eval mode, with running statistics that are not the
defaults), each both scripted (torch.jit.script) and traced (torch.jit.trace), saved with
torch.jit.save as <dir>/<name>.pt, plus a scripted model that returns a tuple. <dir>/expected.json
holds the input (seeded) and every model's output on it, as Python computes them.

    /usr/bin/python3 src/test/python/gen_script_models.py <dir>
"""
import json
import os
import sys
from typing import Tuple

import torch
from torch import nn


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.Sigmoid(), nn.AvgPool2d(2, 2),
        nn.Conv2d(6, 16, kernel_size=5), nn.Sigmoid(), nn.AvgPool2d(2, 2),
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120), nn.Sigmoid(),
        nn.Linear(120, 84), nn.Sigmoid(),
        nn.Linear(84, 10))


def cnn():
    net = nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.25), nn.Linear(16 * 7 * 7, 10))
    # A few training-mode passes give the BatchNorm layers non-default running statistics.
    net.train()
    with torch.no_grad():
        for _ in range(3):
            net(torch.rand(16, 1, 28, 28) * 2 + 0.5)
    return net


class TwoHeads(nn.Module):
    """Returns (logits, features): a model whose forward gives a tuple."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 32), nn.ReLU())
        self.head = nn.Linear(32, 10)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        f = self.features(x)
        return self.head(f), f


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(7)
    x = torch.rand(4, 1, 28, 28)
    expected = {"input": {"shape": list(x.shape), "data": x.flatten().tolist()}, "outputs": {}}
    models = {"lenet": lenet(), "cnn": cnn(), "two_heads": TwoHeads()}
    for name, net in models.items():
        net.eval()
        kinds = {"scripted": torch.jit.script(net)}
        if name != "two_heads":
            kinds["traced"] = torch.jit.trace(net, x)
        for kind, module in kinds.items():
            torch.jit.save(module, os.path.join(out, f"{name}_{kind}.pt"))
        with torch.no_grad():
            y = net(x)
        ys = list(y) if isinstance(y, tuple) else [y]
        expected["outputs"][name] = [{"shape": list(t.shape), "data": t.flatten().tolist()} for t in ys]
    torch.save(models["lenet"].state_dict(), os.path.join(out, "lenet_state_dict.pt"))
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f)


if __name__ == "__main__":
    main()
