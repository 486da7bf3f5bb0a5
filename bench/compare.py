#!/usr/bin/python3
"""Whole LeNet/Fashion-MNIST training runs: Java (torchffm) vs Python (PyTorch) vs C++ (LibTorch).

Runs the trainers alternately, R rounds (the order rotates each round), all with the same seed,
thread count and environment, and writes bench/results/train.json and train.md. Contenders: java
(./torchffm train, its default speedups), java-ref (--reference: the chapter's op order), python (the
chapter's code), python-fast (the chapter's code with torchffm's speedups), cpp (plain LibTorch), and
java:NAME / python-fast:NAME (one speedup alone).

    /usr/bin/python3 bench/compare.py                        # short: --epochs 4 --rounds 3
    /usr/bin/python3 bench/compare.py --epochs 10 --rounds 3 # the full comparison
    /usr/bin/python3 bench/compare.py --levers               # each speedup alone: levers.json, levers.md

Each trainer times its own epochs (training + test evaluation) and writes a JSON file with
"epochs": [{"epoch", "loss", "train_acc", "test_acc", "seconds"}], "final_test_acc" and
"peak_rss_kb". Epoch 1 is reported apart: it includes JIT compilation and allocator warm-up.
"""
import argparse
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
NAMES = {"java": "Java (torchffm), default", "java-ref": "Java (torchffm), --reference",
         "python": "Python (PyTorch), chapter code", "python-fast": "Python (PyTorch), same speedups",
         "cpp": "C++ (LibTorch)"}
SPEEDUPS = ("channels-last", "grad-none", "eval-batch", "cpu-cache")
DEFAULT_CONTENDERS = "java,java-ref,python,python-fast,cpp"
LEVER_CONTENDERS = ",".join(["java-ref"] + [f"java:{s}" for s in SPEEDUPS] + ["java"])


def name(key):
    """The display name of a contender key; java:NAME and python-fast:NAME run one speedup alone."""
    base, _, speedup = key.partition(":")
    return f"{NAMES[base].split(',')[0]}, {speedup} only" if speedup else NAMES[key]


def valid(key):
    base, _, speedup = key.partition(":")
    return base in NAMES and (not speedup or (base in ("java", "python-fast") and speedup in SPEEDUPS))


def command(key, args):
    flags = ["--epochs", str(args.epochs), "--threads", str(args.threads), "--seed", str(args.seed)]
    base, _, speedup = key.partition(":")
    only = ["--speedups", speedup] if speedup else []
    return {
        "java": lambda: shlex.split(args.java_cmd) + flags + only,
        "java-ref": lambda: shlex.split(args.java_cmd) + flags + ["--reference"],
        "python": lambda: [args.python, os.path.join(BENCH, "python", "train_lenet.py")] + flags,
        "python-fast": lambda: [args.python, os.path.join(BENCH, "python", "train_lenet_fast.py")] + flags + only,
        "cpp": lambda: [os.path.join(BENCH, "cpp", "build", "train_lenet")] + flags,
    }[base]()


def run_one(name, cmd, json_path, log_path, env):
    """Runs one trainer; returns its record (its JSON plus wall time and peak RSS seen from outside)."""
    if os.path.exists(json_path):
        os.remove(json_path)
    full = cmd + ["--json", json_path]
    print(f"  {name:<6} {' '.join(shlex.quote(c) for c in full)}", flush=True)
    load = loadavg()
    start = time.perf_counter()
    with open(log_path, "w") as log:
        proc = subprocess.Popen(full, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    record = {"command": full, "exit_code": proc.returncode, "wall_seconds": wall, "loadavg_before": load,
              # ru_maxrss of the process tree as the kernel saw it (includes launcher children).
              "external_peak_rss_kb": usage.ru_maxrss, "log": os.path.relpath(log_path, ROOT),
              # CPU seconds of the process tree: less disturbed than wall time when others share the cores.
              "cpu_seconds": usage.ru_utime + usage.ru_stime}
    if proc.returncode != 0 or not os.path.exists(json_path):
        record["error"] = f"exit code {proc.returncode}, see {record['log']}"
        print(f"         FAILED: {record['error']}", flush=True)
        return record
    with open(json_path) as f:
        record["result"] = json.load(f)
    secs = [e["seconds"] for e in record["result"]["epochs"]]
    print(f"         {len(secs)} epochs, s/epoch {' '.join(f'{s:.2f}' for s in secs)}, "
          f"test acc {record['result'].get('final_test_acc')}, wall {wall:.1f} s", flush=True)
    return record


def loadavg():
    """The 1-minute load average (other work on the machine skews the timings), or None."""
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def summarize(records):
    """Per-contender figures over all successful rounds."""
    ok = [r["result"] for r in records if "result" in r]
    if not ok:
        return {"rounds_ok": 0, "rounds_failed": len(records)}
    first = [e["seconds"] for res in ok for e in res["epochs"] if e["epoch"] == 1]
    steady = [e["seconds"] for res in ok for e in res["epochs"] if e["epoch"] >= 2]
    accs = [res["final_test_acc"] for res in ok if res.get("final_test_acc") is not None]
    rss = [res.get("peak_rss_kb") for res in ok if res.get("peak_rss_kb")]
    ext = [r["external_peak_rss_kb"] for r in records if "result" in r]
    return {
        "rounds_ok": len(ok),
        "rounds_failed": len(records) - len(ok),
        "median_epoch_seconds_2_to_E": statistics.median(steady) if steady else None,
        "min_epoch_seconds_2_to_E": min(steady) if steady else None,
        "median_epoch1_seconds": statistics.median(first) if first else None,
        "median_wall_seconds": statistics.median(r["wall_seconds"] for r in records if "result" in r),
        "median_cpu_seconds": statistics.median(r.get("cpu_seconds", 0) for r in records if "result" in r),
        "final_test_acc": accs,
        "median_peak_rss_kb": int(statistics.median(rss)) if rss else None,
        "median_external_peak_rss_kb": int(statistics.median(ext)) if ext else None,
    }


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def fmt(v, spec):
    return "n/a" if v is None else format(v, spec)


def fmt_acc(accs):
    if not accs:
        return "n/a"
    lo, hi = min(accs), max(accs)
    return f"{lo:.4f}" if lo == hi else f"{lo:.4f}–{hi:.4f}"


# (numerator, denominator, label) of the ratios reported, where both contenders ran.
RATIOS = [
    ("java", "python", "Java default / Python chapter code"),
    ("java", "python-fast", "Java default / Python with the same speedups"),
    ("java", "cpp", "Java default / C++"),
    ("java-ref", "python", "Java --reference / Python chapter code"),
    ("java-ref", "cpp", "Java --reference / C++"),
    ("python-fast", "python", "Python with the speedups / Python chapter code"),
    ("java", "java-ref", "Java default / Java --reference"),
]


def markdown(report):
    cfg = report["config"]
    s = report["summary"]
    lines = [
        f"LeNet (sigmoid, avg-pool) on Fashion-MNIST, batch 256, lr 0.9, seed {cfg['seed']}, "
        f"{cfg['threads']} ATen threads, {cfg['epochs']} epochs x {cfg['rounds']} rounds per contender "
        f"(alternating). {report['machine']}.",
        "",
        "| contender | median s/epoch (epochs 2..E) | best s/epoch (2..E) | epoch 1 s | wall s/run | CPU s/run "
        "| final test acc | peak RSS kB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key in cfg["contenders"]:
        v = s.get(key, {})
        if not v.get("rounds_ok"):
            lines.append(f"| {name(key)} | failed | | | | | | |")
            continue
        lines.append(f"| {name(key)} | {fmt(v['median_epoch_seconds_2_to_E'], '.3f')} "
                     f"| {fmt(v['min_epoch_seconds_2_to_E'], '.3f')} | {fmt(v['median_epoch1_seconds'], '.3f')} | {fmt(v['median_wall_seconds'], '.1f')} "
                     f"| {fmt(v.get('median_cpu_seconds'), '.1f')} "
                     f"| {fmt_acc(v['final_test_acc'])} | {fmt(v['median_peak_rss_kb'], 'd')} |")
    loads = [rec.get("loadavg_before") for runs in report["runs"].values() for rec in runs]
    loads = [x for x in loads if x is not None]
    lines.append("")
    for r in report["ratios"]:
        lines.append(f"- {r['label']}, median s/epoch (2..E): {fmt(r['median'], '.3f')}; "
                     f"best: {fmt(r['best'], '.3f')}; epoch 1: {fmt(r['epoch1'], '.3f')}; CPU s/run: {fmt(r.get('cpu'), '.3f')}")
    if report.get("levers"):
        ref = report["levers"]["reference"]
        lines += ["", f"Each speedup alone, against {name(ref)}:", "",
                  "| lever | median s/epoch (2..E) | ratio | best s/epoch | ratio (best) | CPU s/run ratio |",
                  "|---|---:|---:|---:|---:|---:|"]
        for row in report["levers"]["rows"]:
            lines.append(f"| {row['lever']} | {fmt(row['median'], '.3f')} | {fmt(row['ratio'], '.3f')} "
                         f"| {fmt(row['best'], '.3f')} | {fmt(row['ratio_best'], '.3f')} | {fmt(row.get('ratio_cpu'), '.3f')} |")
    lines += ["",
              "Epoch time = one pass over the 60,000 training images plus test-set evaluation, timed by "
              "each trainer itself; wall s/run adds process start, data loading and model creation. "
              "Best s/epoch (the minimum) is the figure least disturbed by other load on the machine. "
              "CPU s/run is the process tree's user + system time for the whole run (start-up included), "
              "less disturbed than wall time when other work shares the cores. "
              "Peak RSS is each process's own ru_maxrss / VmHWM as it reports it."
              + (f" 1-minute load average before each run: {min(loads):.2f}–{max(loads):.2f} "
                 "(about 2 of it is the previous run; more means other work shared the 2 cores)." if loads else ""), ""]
    return "\n".join(lines)


def machine():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "")
    except OSError:
        pass
    distro = ""
    try:
        with open("/etc/os-release") as f:
            distro = next((l.split("=", 1)[1].strip().strip('"') for l in f if l.startswith("PRETTY_NAME")), "")
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({cpu}), {distro or platform.platform()}"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="\n".join(__doc__.splitlines()[2:]))
    p.add_argument("--epochs", type=int, default=4, help="epochs per run (default 4)")
    p.add_argument("--rounds", type=int, default=3, help="runs per contender (default 3)")
    p.add_argument("--threads", type=int, default=2, help="ATen intra-op threads (default 2)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--only", default=DEFAULT_CONTENDERS,
                   help=f"comma-separated contenders (default {DEFAULT_CONTENDERS}; also java:NAME, python-fast:NAME "
                        f"for one speedup alone, NAME in {', '.join(SPEEDUPS)})")
    p.add_argument("--levers", action="store_true",
                   help=f"each speedup alone: contenders {LEVER_CONTENDERS}, results in levers.json/levers.md")
    p.add_argument("--java-cmd", default=os.path.join(ROOT, "torchffm") + " train",
                   help="the Java trainer command before its flags (default: ./torchffm train)")
    p.add_argument("--python", default="/usr/bin/python3", help="a python with torch (default /usr/bin/python3)")
    p.add_argument("--out-dir", default=os.path.join(BENCH, "results"))
    p.add_argument("--from-json", metavar="FILE",
                   help="run nothing: recompute train.json and train.md in --out-dir from an earlier train.json")
    args = p.parse_args(argv)
    if args.from_json:
        with open(args.from_json) as f:
            old = json.load(f)
        os.makedirs(args.out_dir, exist_ok=True)
        return write(build_report(old["config"], old["runs"], old["machine"], old["date"]), args.out_dir)
    only = LEVER_CONTENDERS if args.levers else args.only
    contenders = [c.strip() for c in only.split(",") if c.strip()]
    for c in contenders:
        if not valid(c):
            p.error(f"unknown contender {c!r}")
    if args.epochs < 1 or args.rounds < 1:
        p.error("--epochs and --rounds must be >= 1")

    runs_dir = os.path.join(args.out_dir, "runs")
    os.makedirs(runs_dir, exist_ok=True)
    env = dict(os.environ)
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    env.setdefault("GOMP_SPINCOUNT", "300000")
    cmds = {c: command(c, args) for c in contenders}
    records = {c: [] for c in contenders}
    for rnd in range(1, args.rounds + 1):
        k = (rnd - 1) % len(contenders)
        order = contenders[k:] + contenders[:k]
        print(f"round {rnd}/{args.rounds}: {', '.join(order)}", flush=True)
        for c in order:
            base = os.path.join(runs_dir, f"{c}-r{rnd}")
            records[c].append(run_one(c, cmds[c], base + ".json", base + ".log", env))

    config = {"epochs": args.epochs, "rounds": args.rounds, "threads": args.threads, "seed": args.seed,
              "contenders": contenders, "output": "levers" if args.levers else "train",
              "env": {k: env.get(k) for k in ("OPENBLAS_NUM_THREADS", "OMP_WAIT_POLICY", "GOMP_SPINCOUNT", "MALLOC_ARENA_MAX", "MALLOC_MMAP_THRESHOLD_",
                                                "MALLOC_TRIM_THRESHOLD_")}}
    report = build_report(config, records, machine(), time.strftime("%Y-%m-%d %H:%M:%S %z"))
    return write(report, args.out_dir)


def build_report(config, records, machine_text, date):
    contenders = config["contenders"]
    summary = {c: summarize(records[c]) for c in contenders}
    med = lambda c, k: summary.get(c, {}).get(k)
    steady, first, best = "median_epoch_seconds_2_to_E", "median_epoch1_seconds", "min_epoch_seconds_2_to_E"
    ratios = [{"numerator": a, "denominator": b, "label": label, "median": ratio(med(a, steady), med(b, steady)),
               "best": ratio(med(a, best), med(b, best)), "epoch1": ratio(med(a, first), med(b, first)),
               "cpu": ratio(med(a, "median_cpu_seconds"), med(b, "median_cpu_seconds"))}
              for a, b, label in RATIOS if a in contenders and b in contenders]
    report = {"config": config, "machine": machine_text, "date": date, "summary": summary, "ratios": ratios,
              "runs": records}
    ref = next((c for c in ("java-ref", "python") if c in contenders), None)
    levers = [c for c in contenders if ":" in c or c in ("java", "python-fast")]
    if config.get("output") == "levers" and ref:
        report["levers"] = {"reference": ref, "rows": [
            {"lever": "none (" + name(ref) + ")", "median": med(ref, steady), "ratio": 1.0, "best": med(ref, best),
             "ratio_best": 1.0, "ratio_cpu": 1.0}] + [
            {"lever": c.partition(":")[2] or "all (" + name(c) + ")", "median": med(c, steady),
             "ratio": ratio(med(c, steady), med(ref, steady)), "best": med(c, best),
             "ratio_best": ratio(med(c, best), med(ref, best)),
             "ratio_cpu": ratio(med(c, "median_cpu_seconds"), med(ref, "median_cpu_seconds"))} for c in levers]}
    return report


def write(report, out_dir):
    summary = report["summary"]
    stem = report["config"].get("output", "train")
    with open(os.path.join(out_dir, stem + ".json"), "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    md = markdown(report)
    with open(os.path.join(out_dir, stem + ".md"), "w") as f:
        f.write(md)
    print()
    print(md)
    print(f"wrote {os.path.join(out_dir, stem + '.json')} and {stem}.md")
    failed = sum(v.get("rounds_failed", 0) for v in summary.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
