"""Prints the GPU run's table: median s/epoch (epochs 2..N), ratio to Python eager, final test accuracy."""
import json
import os
import statistics
import sys

out = sys.argv[1]
runs = [("Java, CUDA graph", "java-graph.json"), ("Java eager", "java-eager.json"),
        ("Python eager", "python-eager.json"), ("C++ eager", "cpp-eager.json")]
rows = {}
for name, file in runs:
    path = os.path.join(out, file)
    if os.path.exists(path):
        with open(path) as f:
            d = json.load(f)
        secs = [e["seconds"] for e in d["epochs"]]
        rows[name] = (statistics.median(secs[1:] if len(secs) > 1 else secs), secs[0], d["final_test_acc"])
base = rows.get("Python eager", (None,))[0]
print("| run | median s/epoch (2..N) | epoch 1 s | x Python eager | final test acc |")
print("|---|---|---|---|---|")
for name, (med, first, acc) in rows.items():
    ratio = f"{med / base:.2f}" if base else "n/a"
    print(f"| {name} | {med:.3f} | {first:.2f} | {ratio} | {acc:.4f} |")
if "C++ eager" in rows and "Java eager" in rows:
    print(f"\nJava eager / C++ eager: {rows['Java eager'][0] / rows['C++ eager'][0]:.3f}")
