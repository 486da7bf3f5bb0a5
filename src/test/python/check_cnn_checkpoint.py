#!/usr/bin/python3
"""Checks a checkpoint written by `./torchffm train --model cnn --save FILE` in Python.

Loads FILE with torch.load(weights_only=True) into the equivalent nn.Sequential (load_state_dict
is strict: every name and shape must match, BatchNorm's running statistics and
num_batches_tracked included), evaluates it in eval mode on the Fashion-MNIST test split and
prints the accuracy. With --expect ACC, or --json RUN.json (what `train --json` wrote: its
final_test_acc), it exits 1 unless the accuracy equals Java's to 4 decimals.

    ./torchffm train --model cnn --save cnn.pt --json cnn.json
    /usr/bin/python3 src/test/python/check_cnn_checkpoint.py cnn.pt --json cnn.json
"""
import argparse
import gzip
import json
import os
import struct
import sys

import numpy as np
import torch
from torch import nn


def cnn():
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.25), nn.Linear(32 * 7 * 7, 10))


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("checkpoint")
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--expect", type=float)
    ap.add_argument("--json")
    args = ap.parse_args()
    if args.json:
        with open(args.json) as f:
            args.expect = json.load(f)["final_test_acc"]
    net = cnn()
    net.load_state_dict(torch.load(args.checkpoint, weights_only=True))
    net.eval()
    x = torch.from_numpy(read_idx(os.path.join(args.data, "t10k-images-idx3-ubyte.gz")).copy())
    x = x.to(torch.float32).div_(255.0).unsqueeze(1)
    y = torch.from_numpy(read_idx(os.path.join(args.data, "t10k-labels-idx1-ubyte.gz")).astype(np.int64))
    with torch.no_grad():
        correct = sum(int((net(x[i:i + 1000]).argmax(1) == y[i:i + 1000]).sum()) for i in range(0, len(y), 1000))
    acc = correct / len(y)
    tracked = [int(v) for k, v in net.state_dict().items() if k.endswith("num_batches_tracked")]
    print(f"python: test accuracy {acc:.4f} ({correct}/{len(y)}), num_batches_tracked {tracked}")
    if args.expect is not None:
        if round(acc, 4) != round(args.expect, 4):
            print(f"MISMATCH: Java reported {args.expect:.4f}")
            sys.exit(1)
        print(f"same as Java's {args.expect:.4f}")


if __name__ == "__main__":
    main()
