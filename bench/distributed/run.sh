#!/usr/bin/env bash
# Data-parallel runs through the real launcher (see bench/README.md, "Data-parallel").
#
#   bench/distributed/run.sh check [EPOCHS]          one process vs `train --nproc 2`: per-epoch loss and
#                                                     test accuracy must agree within 1e-4 (default 2 epochs)
#   bench/distributed/run.sh time [EPOCHS] [ROUNDS]  alternates `--nproc 2 --threads 1`, `--nproc 1
#                                                     --threads 2` and Python DDP (2 x 1 thread), ROUNDS
#                                                     times (default 3 epochs, 1 round); writes
#                                                     bench/results/distributed.md
#
# Every contender runs with the launcher's settings (OpenBLAS 1 thread, passive OpenMP, fixed malloc).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1} OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-1}
export MALLOC_MMAP_THRESHOLD_=${MALLOC_MMAP_THRESHOLD_:-33554432} MALLOC_TRIM_THRESHOLD_=${MALLOC_TRIM_THRESHOLD_:-134217728}
py=/usr/bin/python3
out=$root/target/distributed
mkdir -p "$out"
port=$((29600 + RANDOM % 300))

mode=${1:-check}
case "$mode" in
  check)
    epochs=${2:-2}
    ./torchffm train --epochs "$epochs" --threads 1 --json "$out/one.json"
    ./torchffm train --epochs "$epochs" --threads 1 --nproc 2 --master "127.0.0.1:$port" --json "$out/two.json"
    "$py" - "$out/one.json" "$out/two.json" <<'PY'
import json, sys
one, two = (json.load(open(p))["epochs"] for p in sys.argv[1:3])
worst = 0.0
for a, b in zip(one, two, strict=True):
    d = max(abs(a[k] - b[k]) for k in ("loss", "train_acc", "test_acc"))
    worst = max(worst, d)
    print(f"epoch {a['epoch']}: loss {a['loss']:.6f} vs {b['loss']:.6f}, test acc {a['test_acc']:.4f} vs {b['test_acc']:.4f}")
print(f"largest difference {worst:.2e} (limit 1e-4)")
sys.exit(0 if worst <= 1e-4 else 1)
PY
    ;;
  time)
    epochs=${2:-3}
    rounds=${3:-1}
    load_before=$(cut -d' ' -f1-3 /proc/loadavg)
    for ((r = 1; r <= rounds; r++)); do
      ./torchffm train --epochs "$epochs" --threads 1 --nproc 2 --master "127.0.0.1:$port" --json "$out/java-2x1-$r.json"
      ./torchffm train --epochs "$epochs" --threads 2 --json "$out/java-1x2-$r.json"
      "$py" bench/python/train_lenet_ddp.py --epochs "$epochs" --nproc 2 --threads 1 --port "$((port + 1))" \
        --json "$out/python-2x1-$r.json"
    done
    load_after=$(cut -d' ' -f1-3 /proc/loadavg)
    "$py" - "$out" "$rounds" "$load_before" "$load_after" <<'PY' | tee bench/results/distributed.md
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
names = {"java-2x1": "Java, `--nproc 2 --threads 1` (Gloo)", "java-1x2": "Java, `--nproc 1 --threads 2`",
         "python-2x1": "Python DDP, 2 processes x 1 thread (Gloo)"}
med = {}
for key in names:
    secs = [e["seconds"] for r in range(1, rounds + 1) for e in json.load(open(f"{out}/{key}-{r}.json"))["epochs"][1:]]
    med[key] = statistics.median(secs)
print("| contender | median s/epoch (epochs 2+) | vs Python DDP |")
print("|---|---|---|")
for key, name in names.items():
    print(f"| {name} | {med[key]:.2f} | {med[key] / med['python-2x1']:.3f} |")
print()
print(f"{rounds} alternating round(s); load average (1/5/15 min) before: {sys.argv[3]}; after: {sys.argv[4]}.")
PY
    ;;
  *)
    echo "usage: bench/distributed/run.sh check [EPOCHS] | time [EPOCHS] [ROUNDS]" >&2
    exit 2
    ;;
esac
