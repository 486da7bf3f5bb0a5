#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Golden numbers for one LeNet epoch (seed 42, 1 thread), for cross-checking the Java port.

Usage: golden_epoch.py OUT.json [--data DIR]
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_lenet as tl  # noqa: E402

SEED = 42
THREADS = 1
BATCH_SIZE = 256
LR = 0.9


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("out")
    p.add_argument("--data", default=tl.DEFAULT_DATA)
    args = p.parse_args(argv)

    tl.setup(SEED, THREADS)
    net = tl.build_net()
    params = {name: float(t.detach().double().sum().item())
              for name, t in net.named_parameters()}
    train_x, train_y, test_x, test_y = tl.load_data(args.data)
    opt = tl.make_optimizer(net, LR, 0.0)
    batch_losses = []
    net.train()
    loss, train_acc = tl.train_epoch(net, opt, train_x, train_y, BATCH_SIZE,
                                     on_batch=batch_losses.append)
    net.eval()
    test_acc = tl.evaluate(net, test_x, test_y, BATCH_SIZE)
    result = {
        "seed": SEED, "threads": THREADS, "batch_size": BATCH_SIZE, "lr": LR,
        "torch_version": tl.torch.__version__,
        "loss": loss, "train_acc": train_acc, "test_acc": test_acc,
        "first_batch_loss": batch_losses[0],
        "params_after_init": {f"{k}_sum": v for k, v in params.items()},
    }
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
