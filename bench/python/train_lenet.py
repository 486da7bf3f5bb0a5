#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Reference PyTorch implementation of the d2l LeNet (Fashion-MNIST) training loop.

The exact seeded algorithm (RNG draw order) is shared with bench/cpp/train_lenet.cpp
and the Java implementation:
  1. torch.set_num_threads(T); torch.manual_seed(S)
  2. build layers in order (default init draws from the global generator)
  3. xavier_uniform_ on each Conv2d/Linear weight, in creation order
  4. each epoch: perm = torch.randperm(60000); mini-batches perm[i:i+B] (last partial)
"""
import argparse
import contextlib
import gzip
import json
import os
import resource
import statistics
import struct
import sys
import time

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

DEFAULT_DATA = "/usr/share/datasets/fashion-mnist"


def read_idx_gz(path):
    """Read a gzip-compressed IDX file into a numpy uint8 array."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path}: unsupported IDX header")
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    return arr.reshape(dims)


def load_split(data_dir, prefix):
    """Return (images float32 [N,1,28,28] in [0,1], labels int64 [N])."""
    imgs = read_idx_gz(os.path.join(data_dir, f"{prefix}-images-idx3-ubyte.gz"))
    labels = read_idx_gz(os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte.gz"))
    x = torch.from_numpy(imgs.copy()).to(torch.float32).div_(255.0).unsqueeze(1).contiguous()
    y = torch.from_numpy(labels.astype(np.int64))
    return x, y


def load_data(data_dir):
    train_x, train_y = load_split(data_dir, "train")
    test_x, test_y = load_split(data_dir, "t10k")
    return train_x, train_y, test_x, test_y


def build_net():
    """Build LeNet; layer creation order determines the RNG draw order."""
    net = nn.Sequential(
        nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.Sigmoid(),
        nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Conv2d(6, 16, kernel_size=5), nn.Sigmoid(),
        nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120), nn.Sigmoid(),
        nn.Linear(120, 84), nn.Sigmoid(),
        nn.Linear(84, 10))
    for m in net:
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(m.weight)
    return net


def setup(seed, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(seed)


def evaluate(net, x, y, batch_size):
    correct = 0
    with torch.no_grad():
        for start in range(0, x.shape[0], batch_size):
            xb = x[start:start + batch_size]
            yb = y[start:start + batch_size]
            correct += int((net(xb).argmax(dim=1) == yb).sum().item())
    return correct / x.shape[0]


def train_epoch(net, opt, train_x, train_y, batch_size, on_batch=None):
    """One epoch; returns (mean loss per sample, train accuracy)."""
    n_total = train_x.shape[0]
    perm = torch.randperm(n_total, device=train_x.device)
    loss_sum = 0.0
    correct = 0
    n = 0
    for start in range(0, n_total, batch_size):
        idx = perm[start:start + batch_size]
        X = train_x.index_select(0, idx)
        y = train_y.index_select(0, idx)
        opt.zero_grad()
        out = net(X)
        l = F.cross_entropy(out, y)
        l.backward()
        opt.step()
        bn = y.shape[0]
        lv = l.item()
        if on_batch is not None:
            on_batch(lv)
        loss_sum += lv * bn
        correct += int((out.argmax(dim=1) == y).sum().item())
        n += bn
    return loss_sum / n, correct / n


def make_optimizer(net, lr, momentum):
    return torch.optim.SGD(net.parameters(), lr=lr, momentum=momentum)


def peak_rss_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def argument_parser(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--lr", type=float, default=0.9)
    p.add_argument("--momentum", type=float, default=0.0)
    p.add_argument("--batch-size", type=int, default=256)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--data", default=DEFAULT_DATA)
    p.add_argument("--json", default=None)
    p.add_argument("--device", default="cpu", help="cpu or cuda[:N]")
    p.add_argument("--profile", default=None,
                   help="write a Chrome trace of every op of the epochs to this file (autograd profiler)")
    return p


@contextlib.contextmanager
def profiled(path):
    """Records the ops run inside into a Chrome trace at path, as ./torchffm train --profile."""
    if path is None:
        yield
        return
    with torch.autograd.profiler.profile() as prof:
        yield
    prof.export_chrome_trace(path)


def parse_args(argv=None):
    return argument_parser("LeNet on Fashion-MNIST (PyTorch reference)").parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    setup(args.seed, args.threads)
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}", flush=True)
    device = torch.device(args.device)
    net = build_net().to(device)
    train_x, train_y, test_x, test_y = (t.to(device) for t in load_data(args.data))
    opt = make_optimizer(net, args.lr, args.momentum)
    epochs = []
    with profiled(args.profile):
        for epoch in range(1, args.epochs + 1):
            t0 = time.perf_counter()
            net.train()
            loss, train_acc = train_epoch(net, opt, train_x, train_y, args.batch_size)
            net.eval()
            test_acc = evaluate(net, test_x, test_y, args.batch_size)
            secs = time.perf_counter() - t0
            print(f"epoch {epoch}, loss {loss:.4f}, train acc {train_acc:.3f}, "
                  f"test acc {test_acc:.3f}, time {secs:.1f} sec", flush=True)
            epochs.append({"epoch": epoch, "loss": loss, "train_acc": train_acc,
                           "test_acc": test_acc, "seconds": secs})
    if args.json:
        result = {
            "impl": "python",
            "config": {"threads": args.threads, "seed": args.seed, "lr": args.lr,
                       "momentum": args.momentum, "batch_size": args.batch_size,
                       "epochs": args.epochs, "data": args.data, "device": args.device,
                       "torch_version": torch.__version__},
            "epochs": epochs,
            "final_test_acc": epochs[-1]["test_acc"] if epochs else None,
            "median_seconds": statistics.median(e["seconds"] for e in epochs) if epochs else None,
            "peak_rss_kb": peak_rss_kb(),
        }
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
