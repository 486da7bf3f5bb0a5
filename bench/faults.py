#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Page faults and peak memory of profiled Java training runs, with and without CpuCache.

The profiler's event blocks land in the holes that a step's freed activation buffers leave in
malloc's heap, so without the cache every step takes fresh pages for its largest activations
(bench/README.md, "The slow first sigmoid"). This runs `./torchffm train --profile` alternately with
the default speedups and with the same speedups less cpu-cache, and prints each run's minor page
faults and peak resident memory (the JVM's own rusage) and its epoch times.

    ./torchffm env > /tmp/env && . /tmp/env && /usr/bin/python3 bench/faults.py [--epochs 2] [--rounds 2]
"""
import argparse
import os
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODES = {"cache": "channels-last,grad-none,cpu-cache", "no cache": "channels-last,grad-none"}


def run(speedups, epochs, trace, log):
    """One training run: its minor page faults, peak RSS in MB and epoch times (s)."""
    with open(log, "w") as out:
        child = subprocess.Popen([os.path.join(ROOT, "torchffm"), "train", "--epochs", str(epochs),
                                  "--speedups", speedups, "--profile", trace], stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)  # the launcher execs java: this is the JVM's own usage
    child.returncode = os.waitstatus_to_exitcode(status)
    with open(log) as f:
        lines = f.read().splitlines()
    if child.returncode != 0:
        raise SystemExit("\n".join(lines[-20:]) + f"\ntraining failed ({child.returncode})")
    times = [float(line.rsplit("time ", 1)[1].split()[0]) for line in lines if line.startswith("epoch ")]
    return usage.ru_minflt, usage.ru_maxrss / 1024, times


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--rounds", type=int, default=2)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        trace, log = os.path.join(tmp, "trace.json"), os.path.join(tmp, "train.log")
        for r in range(1, args.rounds + 1):
            for mode, speedups in MODES.items():
                faults, peak, times = run(speedups, args.epochs, trace, log)
                print(f"round {r}, {mode:8s}: {faults:9d} minor page faults, peak RSS {peak:6.0f} MB, "
                      f"s/epoch {' '.join(f'{t:.1f}' for t in times)}", flush=True)


if __name__ == "__main__":
    main()
