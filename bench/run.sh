#!/usr/bin/env bash
# Benchmarks of torchffm (see bench/README.md). Usually started as `./torchffm bench [...]`, which
# installs the Debian packages and sets JAVA_HOME first.
#
#   bench/run.sh [all]            JMH micro-benchmarks, then whole training runs (default)
#   bench/run.sh jmh [JMH args]   JMH only, e.g. `jmh PerOp -f 2 -i 10`; writes results/jmh.json, jmh.md
#   bench/run.sh train [args]     Java vs Python vs C++ training (bench/compare.py --help);
#                                 writes results/train.json, train.md
#   bench/run.sh train --levers   each training speedup alone; writes results/levers.json, levers.md
#
# Environment: JAVA_HOME and native/runtime.env's settings (./torchffm env), each overridable.
set -euo pipefail
bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$bench")
cd "$root"

die() { echo "bench: $*" >&2; exit 2; }

# A JDK >= 22 and native/runtime.env's thread and malloc settings, for every contender alike.
exports=$("$root/torchffm" env) || die "no JDK >= 22: set JAVA_HOME"
eval "$exports"
export PATH="$JAVA_HOME/bin:$PATH"
py=/usr/bin/python3 # Debian's, which has python3-torch (a pyenv python3 on PATH may not)

mvn_args=(-B -ntp -q)
[[ -n "${TORCHFFM_TORCH_PREFIX:-}" ]] && mvn_args+=("-Dtorchffm.torch.prefix=$TORCHFFM_TORCH_PREFIX")

jni_dir=$bench/target/jni
shim=$root/target/classes/dev/torchffm/native/linux-x86_64/libtorchffm.so
# The forks load a private copy of the shim: a rebuild of the root project while JMH runs must not
# replace the file a running JVM has mapped.
shim_copy=$bench/target/native/libtorchffm.so
# Downcall's and PerOp's native baselines (bench/native/baseline.c), linked against that copy.
baseline=$bench/target/native/libtffmbench.so

build_java() {
  echo "bench: building torchffm (mvn install) and the benchmarks" >&2
  mvn "${mvn_args[@]}" -Dmaven.test.skip=true install || die "torchffm build failed"
  mvn "${mvn_args[@]}" -f "$bench/pom.xml" package || die "benchmark build failed"
  mkdir -p "$jni_dir"
  gcc -shared -fPIC -O2 -I"$JAVA_HOME/include" -I"$JAVA_HOME/include/linux" \
    -o "$jni_dir/libtffmjni.so" "$bench/jni/noop.c" || die "JNI library build failed"
  [[ -f "$shim" ]] || die "no $shim after the build"
  mkdir -p "$(dirname "$shim_copy")"
  cp "$shim" "$shim_copy.tmp" && mv -f "$shim_copy.tmp" "$shim_copy"
  gcc -shared -fPIC -O2 -I"$root/native/include" -o "$baseline" "$bench/native/baseline.c" \
    -L"$(dirname "$shim_copy")" -ltorchffm -Wl,-rpath,'$ORIGIN' || die "baseline library build failed"
}

build_cpp() {
  echo "bench: building the C++ reference trainer" >&2
  bash "$bench/cpp/build.sh" >/dev/null || die "bench/cpp build failed"
}

run_jmh() {
  mkdir -p "$bench/results"
  local jvm=(--enable-native-access=ALL-UNNAMED "-Djava.library.path=$jni_dir"
    "-Dtorchffm.bench.jni=$jni_dir/libtffmjni.so" "-Dtorchffm.bench.baseline=$baseline"
    "-Dtorchffm.library=$shim_copy")
  # JMH forks inherit the host JVM's flags above (no benchmark sets @Fork(jvmArgs)).
  local load_before load_after
  load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
  java "${jvm[@]}" -jar "$bench/target/benchmarks.jar" -rf json -rff "$bench/results/jmh.json" "$@"
  load_after=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
  "$py" "$bench/jmh_summary.py" "$bench/results/jmh.json" --md "$bench/results/jmh.md" \
    --note "Load average (1/5/15 min) before: $load_before; after: $load_after (a benchmark fork adds about 1)."
}

run_train() {
  "$py" "$bench/compare.py" --out-dir "$bench/results" "$@"
}

cmd=${1:-all}
[[ $# -gt 0 ]] && shift
case "$cmd" in
  jmh)
    build_java
    run_jmh "$@"
    ;;
  train)
    # The Java contender is ./torchffm train, which builds torchffm itself when needed.
    mvn "${mvn_args[@]}" -Dmaven.test.skip=true package || die "torchffm build failed"
    build_cpp
    run_train "$@"
    ;;
  all)
    (($# == 0)) || die "'all' takes no arguments; pass them to 'jmh' or 'train'"
    build_java
    build_cpp
    run_jmh
    run_train
    ;;
  -h | --help | help)
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
    ;;
  *)
    die "unknown command '$cmd' (jmh, train or all)"
    ;;
esac
