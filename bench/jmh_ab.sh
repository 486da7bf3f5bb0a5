#!/usr/bin/env bash
# JMH A/B: the benchmarks of an earlier revision against this checkout's, alternating in one run, so
# that both see the same machine state. Builds the old revision in a temporary clone with its own
# Maven repository (a copy of ~/.m2), so this checkout's installed snapshot stays as it is.
#
#   bench/jmh_ab.sh REV [REGEX] [ROUNDS]
#   e.g. bench/jmh_ab.sh 264325e 'Getter.tensorDim$|Getter.tensorNumel$|PerOp.javaSigmoid$' 3
#
# Prints per benchmark the scores of each round and the ratio of the medians (new / old). Needs the
# benchmarks to exist under the same names in both revisions.
set -euo pipefail
bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$bench")
rev=${1:?usage: bench/jmh_ab.sh REV [REGEX] [ROUNDS]}
regex=${2:-'Getter.tensorDim$|Getter.tensorNumel$|PerOp.javaSigmoid$'}
rounds=${3:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

git clone -q "$root" "$work/old"
git -C "$work/old" checkout -q "$rev"
cp -r "$HOME/.m2/repository" "$work/m2"
echo "jmh_ab: building $rev and this checkout" >&2
# A one-iteration run builds each side's jar, JNI stub and shim copy through its own bench/run.sh.
(cd "$work/old" && MAVEN_OPTS="-Dmaven.repo.local=$work/m2" ./torchffm bench jmh 'Getter.tensorDim$' -f 1 -wi 0 -i 1 -r 1 >"$work/old.build.log" 2>&1) \
  || { tail -20 "$work/old.build.log" >&2; exit 1; }
(cd "$root" && ./torchffm bench jmh 'Getter.tensorDim$' -f 1 -wi 0 -i 1 -r 1 >"$work/new.build.log" 2>&1) \
  || { tail -20 "$work/new.build.log" >&2; exit 1; }
git -C "$root" checkout -q -- bench/results/jmh.md 2>/dev/null || true

eval "$("$root/torchffm" env)"
export PATH="$JAVA_HOME/bin:$PATH"
run() { # side bench-dir round
  local b=$2
  java --enable-native-access=ALL-UNNAMED "-Djava.library.path=$b/target/jni" \
    "-Dtorchffm.bench.jni=$b/target/jni/libtffmjni.so" "-Dtorchffm.library=$b/target/native/libtorchffm.so" \
    "-Dtorchffm.bench.baseline=$b/target/native/libtffmbench.so" \
    -jar "$b/target/benchmarks.jar" "$regex" -f 1 -wi 3 -i 5 -w 1 -r 1 \
    -rf json -rff "$work/$1-$3.json" >"$work/$1-$3.log" 2>&1
}
for r in $(seq 1 "$rounds"); do
  run old "$work/old/bench" "$r"
  run new "$bench" "$r"
done
/usr/bin/python3 - "$work" <<'PY'
import collections, glob, json, os, statistics, sys
res = collections.defaultdict(list)
for f in sorted(glob.glob(os.path.join(sys.argv[1], "*-*.json"))):
    side = os.path.basename(f).split("-")[0]
    for b in json.load(open(f)):
        name = ".".join(b["benchmark"].split(".")[-2:])
        res[(name, side)].append(b["primaryMetric"]["score"])
for name in sorted({k[0] for k in res}):
    o, n = res[(name, "old")], res[(name, "new")]
    print(f"{name:22s} old {' '.join(f'{x:.2f}' for x in o)}  new {' '.join(f'{x:.2f}' for x in n)}"
          f"  median new/old {statistics.median(n) / statistics.median(o):.3f}")
PY
