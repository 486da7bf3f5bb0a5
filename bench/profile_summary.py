#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Sums a Chrome trace of LibTorch ops per op name: calls, total and self CPU time.

Reads what `./torchffm train --profile FILE` and bench/python/train_lenet*.py --profile FILE write
(LibTorch's autograd profiler), so that a Java and a Python run can be compared op by op:

    /usr/bin/python3 bench/profile_summary.py java.trace.json python.trace.json [--top 30]

Self time is an op's time minus that of the ops it called on the same thread.
"""
import argparse
import collections
import json


def load(path):
    with open(path) as f:
        data = json.load(f)
    events = data["traceEvents"] if isinstance(data, dict) else data
    return [e for e in events if e.get("ph") == "X" and "dur" in e]


def summarize(events):
    """{name: [calls, total_us, self_us]}, self time computed from nesting per thread."""
    by_thread = collections.defaultdict(list)
    for e in events:
        by_thread[(e.get("pid"), e.get("tid"))].append(e)
    out = collections.defaultdict(lambda: [0, 0.0, 0.0])
    for evs in by_thread.values():
        evs.sort(key=lambda e: (e["ts"], -e["dur"]))
        stack = []  # [end, name, child_us]
        def pop():
            end, name, child, dur = stack.pop()
            out[name][2] += dur - child
        for e in evs:
            ts, dur = float(e["ts"]), float(e["dur"])
            while stack and stack[-1][0] <= ts:
                pop()
            if stack:
                stack[-1][2] += dur
            out[e["name"]][0] += 1
            out[e["name"]][1] += dur
            stack.append([ts + dur, e["name"], 0.0, dur])
        while stack:
            pop()
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("traces", nargs="+")
    p.add_argument("--top", type=int, default=30)
    args = p.parse_args()
    sums = [summarize(load(t)) for t in args.traces]
    names = sorted(set().union(*sums), key=lambda n: -max(s[n][2] if n in s else 0 for s in sums))
    head = "op".ljust(44) + "".join(f"{'calls':>9}{'self ms':>10}" for _ in sums)
    print("columns: " + ", ".join(args.traces))
    print(head)
    for n in names[:args.top]:
        row = n[:43].ljust(44)
        for s in sums:
            c, _, self_us = s.get(n, [0, 0, 0])
            row += f"{c:>9}{self_us / 1000:>10.0f}"
        print(row)
    print("total".ljust(44) + "".join(f"{'':>9}{sum(v[2] for v in s.values()) / 1000:>10.0f}" for s in sums))


if __name__ == "__main__":
    main()
