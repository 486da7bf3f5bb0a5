#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The chapter's LeNet training in PyTorch with the same speedups as torchffm's default trainer.

train_lenet.py is the chapter's code as written; this is what a Python user gets by applying the
speedups torchffm applies by default (dev.torchffm.train.Speedup), so that the comparison can tell
what comes from the speedups and what from Java. Same seed, same random draws, same model:

  channels-last  model.to(memory_format=torch.channels_last) and every input batch likewise
  grad-none      optimizer.zero_grad(set_to_none=True)
  eval-batch     the test set evaluated in batches of 1000 instead of the training batch size
                 (available, off by default in both, as in torchffm)
  cpu-cache      torchffm's CPU buffer cache (dev.torchffm.CpuCache) installed as LibTorch's CPU
                 allocator: Python has no switch for it, so this loads torchffm's shim (built for
                 the same LibTorch) and calls tffm_cpu_cache_enable, as the Java trainer does

Always (as torchffm in both its modes): the epoch's loss sum and correct count stay on the device as
tensors and are read once per epoch, instead of two .item() calls per batch.

    /usr/bin/python3 bench/python/train_lenet_fast.py --epochs 10 [--speedups channels-last,grad-none]
"""
import ctypes
import json
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

import train_lenet as chapter

SPEEDUPS = ("channels-last", "grad-none", "eval-batch", "cpu-cache")
DEFAULT_SPEEDUPS = ("channels-last", "grad-none", "cpu-cache")  # torchffm's default (Speedup.defaults())
SHIM = os.environ.get("TORCHFFM_SHIM", os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..",
    "target", "classes", "dev", "torchffm", "native", "linux-x86_64", "libtorchffm.so"))


class _Ctx(ctypes.Structure):  # tffm_ctx of native/include/torchffm.h
    _fields_ = [("error", ctypes.c_void_p), ("grad_enabled", ctypes.c_int32), ("trust_indices", ctypes.c_int32)]


def enable_cpu_cache():
    """Installs torchffm's CPU buffer cache in this process's LibTorch (the one torch loaded)."""
    if not os.path.exists(SHIM):
        sys.exit(f"cpu-cache: no torchffm shim at {SHIM} (./torchffm version builds it; or set TORCHFFM_SHIM)")
    shim = ctypes.CDLL(SHIM)
    shim.tffm_lib_version.restype = ctypes.c_char_p
    built_for = shim.tffm_lib_version().decode()
    libs = {line.split()[-1] for line in open("/proc/self/maps") if "libc10.so" in line}
    if len(libs) != 1 or not torch.__version__.startswith(built_for.rsplit(".", 1)[0]):
        sys.exit(f"cpu-cache: the shim at {SHIM} runs on LibTorch {built_for} ({', '.join(sorted(libs))}), "
                 f"not on this torch {torch.__version__}")
    ctx = _Ctx(None, 1, 0)
    if shim.tffm_cpu_cache_enable(ctypes.byref(ctx), 1) != 0:
        sys.exit("cpu-cache: tffm_cpu_cache_enable failed")
EVAL_BATCH_SIZE = 1000


def laid_out(x, channels_last):
    return x.contiguous(memory_format=torch.channels_last) if channels_last else x


def train_epoch(net, opt, train_x, train_y, batch_size, speedups):
    channels_last = "channels-last" in speedups
    perm = torch.randperm(train_x.shape[0], device=train_x.device)
    loss_sum = torch.zeros((), dtype=torch.float64, device=train_x.device)
    correct = torch.zeros((), dtype=torch.float64, device=train_x.device)
    for start in range(0, train_x.shape[0], batch_size):
        idx = perm[start:start + batch_size]
        X = laid_out(train_x.index_select(0, idx), channels_last)
        y = train_y.index_select(0, idx)
        opt.zero_grad(set_to_none="grad-none" in speedups)
        out = net(X)
        loss = F.cross_entropy(out, y)
        loss.backward()
        opt.step()
        with torch.no_grad():
            loss_sum += (loss.detach() * y.shape[0]).double()
            correct += (out.argmax(dim=1) == y).sum().double()
    n = train_x.shape[0]
    return loss_sum.item() / n, correct.item() / n


def evaluate(net, x, y, batch_size, speedups):
    channels_last = "channels-last" in speedups
    correct = torch.zeros((), dtype=torch.float64, device=x.device)
    with torch.no_grad():
        for start in range(0, x.shape[0], batch_size):
            xb = laid_out(x[start:start + batch_size], channels_last)
            correct += (net(xb).argmax(dim=1) == y[start:start + batch_size]).sum().double()
    return correct.item() / x.shape[0]


def main(argv=None):
    p = chapter.argument_parser("LeNet on Fashion-MNIST (PyTorch with torchffm's speedups)")
    p.add_argument("--speedups", default=",".join(DEFAULT_SPEEDUPS),
                   help="comma-separated subset of " + ", ".join(SPEEDUPS) + ", all, or none (default: "
                        + ",".join(DEFAULT_SPEEDUPS) + ")")
    args = p.parse_args(argv)
    speedups = (set() if args.speedups == "none" else set(SPEEDUPS) if args.speedups == "all"
                else {s.strip() for s in args.speedups.split(",") if s.strip()})
    unknown = speedups - set(SPEEDUPS)
    if unknown:
        p.error(f"unknown speedup(s) {', '.join(sorted(unknown))}")
    chapter.setup(args.seed, args.threads)
    if "cpu-cache" in speedups and args.device == "cpu":
        enable_cpu_cache()
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, speedups {sorted(speedups)}", flush=True)
    device = torch.device(args.device)
    net = chapter.build_net().to(device)
    if "channels-last" in speedups:
        net = net.to(memory_format=torch.channels_last)
    train_x, train_y, test_x, test_y = (t.to(device) for t in chapter.load_data(args.data))
    opt = chapter.make_optimizer(net, args.lr, args.momentum)
    eval_batch = max(args.batch_size, EVAL_BATCH_SIZE) if "eval-batch" in speedups else args.batch_size
    epochs = []
    with chapter.profiled(args.profile):
        for epoch in range(1, args.epochs + 1):
            t0 = time.perf_counter()
            net.train()
            loss, train_acc = train_epoch(net, opt, train_x, train_y, args.batch_size, speedups)
            net.eval()
            test_acc = evaluate(net, test_x, test_y, eval_batch, speedups)
            secs = time.perf_counter() - t0
            print(f"epoch {epoch}, loss {loss:.4f}, train acc {train_acc:.3f}, "
                  f"test acc {test_acc:.3f}, time {secs:.1f} sec", flush=True)
            epochs.append({"epoch": epoch, "loss": loss, "train_acc": train_acc,
                           "test_acc": test_acc, "seconds": secs})
    if args.json:
        result = {
            "impl": "python-fast",
            "config": {"threads": args.threads, "seed": args.seed, "lr": args.lr,
                       "momentum": args.momentum, "batch_size": args.batch_size,
                       "epochs": args.epochs, "data": args.data, "device": args.device,
                       "speedups": sorted(speedups), "torch_version": torch.__version__},
            "epochs": epochs,
            "final_test_acc": epochs[-1]["test_acc"] if epochs else None,
            "median_seconds": statistics.median(e["seconds"] for e in epochs) if epochs else None,
            "peak_rss_kb": chapter.peak_rss_kb(),
        }
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
