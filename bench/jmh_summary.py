#!/usr/bin/python3
"""Summarises a JMH JSON result file (bench/results/jmh.json): a table and the key ratios.

    /usr/bin/python3 bench/jmh_summary.py bench/results/jmh.json [--md bench/results/jmh.md]
"""
import argparse
import json
import sys

# What each benchmark measures (short), keyed by "Class.method".
NOTES = {
    "Downcall.binding": "empty C function, jextract-shaped binding",
    "Downcall.handleDefault": "empty C function, own static final handle",
    "Downcall.handleCritical": "empty C function, handle with critical(false)",
    "Downcall.javaNoInline": "empty Java method, not inlined",
    "JniNoop.jni": "empty C function, JNI static native",
    "Getter.tensorDim": "Tensor.dim()",
    "Getter.tensorNumel": "Tensor.numel()",
    "Getter.rawNdim": "TorchFfm.tffm_tensor_ndim(handle)",
    "Getter.rawNdimCritical": "tffm_tensor_ndim, critical(false) handle",
    "PerOp.javaSigmoid": "try (Tensor y = x.sigmoid()) {}, 1 element",
    "PerOp.javaSigmoidNonOwner": "the same, on a tensor another thread made",
    "PerOp.rawSigmoid": "tffm_sigmoid + tffm_tensor_free via bindings",
    "PerOp.cppSigmoid": "tffm_sigmoid + free in a C loop, per op",
    "PerOp.cppSigmoidOnce": "the C loop with one iteration: one downcall per op",
    "LeNetBench.forwardBatch1": "LeNet forward, batch 1, no grad",
    "LeNetBench.forwardBatch256": "LeNet forward, batch 256, no grad",
    "LeNetBench.trainStepBatch256": "LeNet train step, batch 256",
}


def load(path):
    with open(path) as f:
        runs = json.load(f)
    results = {}
    for r in runs:
        name = ".".join(r["benchmark"].split(".")[-2:])
        params = r.get("params") or {}
        if params:
            name += "[" + ",".join(f"{k}={v}" for k, v in sorted(params.items())) + "]"
        m = r["primaryMetric"]
        results[name] = {"score": m["score"], "error": m.get("scoreError"), "unit": m["scoreUnit"],
                         "mode": r["mode"], "jvm": r.get("jdkVersion"), "forks": r.get("forks"),
                         "iterations": r.get("measurementIterations")}
    return runs, results


def find(results, key):
    for name, v in results.items():
        if name == key or name.startswith(key + "["):
            return v
    return None


def to_ns(v):
    unit = v["unit"].split("/")[0]
    scale = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}.get(unit)
    return None if scale is None else v["score"] * scale


def fmt_score(v):
    s, e = v["score"], v["error"]
    try:
        e = float(e)
    except (TypeError, ValueError):
        e = None  # JMH writes "NaN" when there are too few iterations for an interval
    spec = ",.0f" if abs(s) >= 1000 else ".1f" if abs(s) >= 100 else ".2f"
    err = "" if e is None or e != e else f" ± {format(e, spec)}"
    return f"{format(s, spec)}{err}"


def ratios(results):
    lines = []

    def ns(key):
        v = find(results, key)
        return None if v is None else to_ns(v)

    def ratio(label, a, b, form="x"):
        if a is None or b is None or b == 0:
            lines.append(f"{label}: n/a")
        elif form == "pct":
            lines.append(f"{label}: Java adds {100 * (a - b) / b:.0f}% ({a - b:.1f} ns per op)")
        else:
            lines.append(f"{label}: {a / b:.2f}x ({a:.2f} vs {b:.2f} ns)")

    ratio("FFM noop (binding) / JNI noop", ns("Downcall.binding"), ns("JniNoop.jni"))
    ratio("FFM noop (own handle) / JNI noop", ns("Downcall.handleDefault"), ns("JniNoop.jni"))
    ratio("critical / default (noop handles)", ns("Downcall.handleCritical"), ns("Downcall.handleDefault"))
    ratio("critical / default (tffm_tensor_ndim)", ns("Getter.rawNdimCritical"), ns("Getter.rawNdim"))
    ratio("Tensor.dim() / raw tffm_tensor_ndim", ns("Getter.tensorDim"), ns("Getter.rawNdim"))
    ratio("Java sigmoid per op vs C++ per op", ns("PerOp.javaSigmoid"), ns("PerOp.cppSigmoid"), "pct")
    ratio("raw FFM sigmoid per op vs C++ per op", ns("PerOp.rawSigmoid"), ns("PerOp.cppSigmoid"), "pct")
    ratio("one downcall per op (loop of 1) vs C++ per op", ns("PerOp.cppSigmoidOnce"), ns("PerOp.cppSigmoid"), "pct")
    return lines


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("json")
    p.add_argument("--md", help="also write the summary as Markdown to this file")
    p.add_argument("--note", help="a line to add to the Markdown (e.g. the machine's load)")
    args = p.parse_args(argv)
    runs, results = load(args.json)
    if not results:
        print("no JMH results in " + args.json, file=sys.stderr)
        return 1
    width = max(len(n) for n in results)
    print()
    print(f"{'benchmark':<{width}}  {'score':>18}  unit")
    for name, v in results.items():
        print(f"{name:<{width}}  {fmt_score(v):>18}  {v['unit']}")
    print()
    rl = ratios(results)
    for line in rl:
        print(line)
    if args.md:
        first = next(iter(results.values()))
        with open(args.md, "w") as f:
            f.write(f"JMH {runs[0].get('jmhVersion', '')}, JDK {first['jvm']}, average time, "
                    f"{first['forks']} fork x {first['iterations']} measurement iterations "
                    f"(± is JMH's 99.9% confidence interval).\n\n")
            if args.note:
                f.write(args.note + "\n\n")
            f.write("| benchmark | measures | score | unit |\n|---|---|---:|---|\n")
            for name, v in results.items():
                note = NOTES.get(name.split("[")[0], "")
                f.write(f"| `{name}` | {note} | {fmt_score(v)} | {v['unit']} |\n")
            f.write("\n")
            for line in rl:
                f.write(f"- {line}\n")
        print(f"\nwrote {args.md}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
