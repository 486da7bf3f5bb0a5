#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Data-parallel twin of train_lenet.py: the Python side of `./torchffm train --nproc N`.

N local processes (torch.multiprocessing), Gloo over loopback, torch.nn.parallel.DistributedDataParallel
(LeNet's gradients fit one 25 MiB bucket: one all-reduce per step). The seeded algorithm is train_lenet.py's,
and every rank draws the same permutation each epoch; rank r takes rows [len*r/N, len*(r+1)/N) of each
global batch of len rows, so the global batch stays --batch-size. Epoch figures are summed over the ranks;
rank 0 prints them and writes --json.
"""
import argparse
import datetime
import json
import os
import statistics
import sys
import time

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_lenet import DEFAULT_DATA, build_net, load_data, setup  # noqa: E402


def share(length, rank, world):
    return length * rank // world, length * (rank + 1) // world


def worker(rank, args):
    setup(args.seed, args.threads)
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{args.port}", rank=rank,
                            world_size=args.nproc, timeout=datetime.timedelta(seconds=60))
    world = args.nproc
    net = build_net()
    model = DistributedDataParallel(net)
    train_x, train_y, test_x, test_y = load_data(args.data)
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum)
    epochs = []
    n_total = train_x.shape[0]
    for epoch in range(1, args.epochs + 1):
        t0 = time.perf_counter()
        model.train()
        perm = torch.randperm(n_total)
        loss_sum, correct, n = 0.0, 0, 0
        for start in range(0, n_total, args.batch_size):
            batch = perm[start:start + args.batch_size]
            lo, hi = share(batch.shape[0], rank, world)
            idx = batch[lo:hi]
            X = train_x.index_select(0, idx)
            y = train_y.index_select(0, idx)
            opt.zero_grad()
            out = model(X)
            l = F.cross_entropy(out, y)
            l.backward()
            opt.step()
            loss_sum += l.item() * y.shape[0]
            correct += int((out.argmax(dim=1) == y).sum().item())
            n += y.shape[0]
        model.eval()
        test_correct, test_n = 0, 0
        with torch.no_grad():
            for start in range(0, test_x.shape[0], args.batch_size):
                lo, hi = share(min(args.batch_size, test_x.shape[0] - start), rank, world)
                xb = test_x[start + lo:start + hi]
                yb = test_y[start + lo:start + hi]
                test_correct += int((net(xb).argmax(dim=1) == yb).sum().item())
                test_n += yb.shape[0]
        sums = torch.tensor([loss_sum, correct, n, test_correct, test_n], dtype=torch.float64)
        dist.all_reduce(sums)
        secs = time.perf_counter() - t0
        loss, train_acc, test_acc = (sums[0] / sums[2]).item(), (sums[1] / sums[2]).item(), (sums[3] / sums[4]).item()
        if rank == 0:
            print(f"epoch {epoch}, loss {loss:.4f}, train acc {train_acc:.3f}, "
                  f"test acc {test_acc:.3f}, time {secs:.1f} sec", flush=True)
        epochs.append({"epoch": epoch, "loss": loss, "train_acc": train_acc, "test_acc": test_acc, "seconds": secs})
    if rank == 0 and args.json:
        with open(args.json, "w") as f:
            json.dump({"impl": "python-ddp", "config": {"nproc": world, "threads": args.threads, "seed": args.seed,
                                                         "lr": args.lr, "batch_size": args.batch_size,
                                                         "torch_version": torch.__version__},
                       "epochs": epochs, "median_seconds": statistics.median(e["seconds"] for e in epochs)},
                      f, indent=2)
            f.write("\n")
    dist.destroy_process_group()


def main():
    p = argparse.ArgumentParser(description="LeNet on Fashion-MNIST, data-parallel (PyTorch DDP reference)")
    p.add_argument("--nproc", type=int, default=2)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--lr", type=float, default=0.9)
    p.add_argument("--momentum", type=float, default=0.0)
    p.add_argument("--batch-size", type=int, default=256)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--data", default=DEFAULT_DATA)
    p.add_argument("--port", type=int, default=29511)
    p.add_argument("--json", default=None)
    args = p.parse_args()
    mp.spawn(worker, args=(args,), nprocs=args.nproc, join=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
