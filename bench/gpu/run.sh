#!/usr/bin/env bash
# The GPU check: run on a machine with a CUDA PyTorch (no Java, no Maven), after bench/gpu/prepare.sh
# here. It builds the shim against that PyTorch's LibTorch, runs the CUDA tests with the JUnit
# console launcher, trains LeNet with the chapter's configuration in Java (CUDA graph and eager),
# in Python PyTorch eager and in plain C++ eager on the same GPU, and prints epoch times and accuracies.
# Usage: bench/gpu/run.sh [EPOCHS]   (results under $OUT, or /tmp/gpu-out)
#   TORCHFFM_GPU_DRY_RUN=1 runs the same steps on the CPU with Debian's LibTorch (a check of the script).
set -euo pipefail
cd "$(dirname "$0")/../.."
epochs=${1:-10}
out=${OUT:-/tmp/gpu-out}
mkdir -p "$out"
log() { echo "== $*" | tee -a "$out/steps.log"; }
device=cuda:0
[[ "${TORCHFFM_GPU_DRY_RUN:-0}" == 1 ]] && device=cpu
py=$(command -v python3)
[[ "$device" == cpu ]] && py=/usr/bin/python3

log "LibTorch of the PyTorch installation"
if [[ "$device" == cpu ]]; then
  prefix=""
else
  prefix=$("$py" -c 'import torch;print(torch.utils.cmake_prefix_path)')
  "$py" -c 'import torch;print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.get_device_name(0))'
fi

log "building the shim ($([[ -n "$prefix" ]] && echo "$prefix" || echo Debian))"
t0=$(date +%s)
native/build.sh /tmp/tffm-build .gpu/native "$prefix" >"$out/native-build.log" 2>&1 || { tail -30 "$out/native-build.log"; exit 1; }
grep -E 'torchffm:|libtorch_cuda' "$out/native-build.log" || true
echo "shim built in $(( $(date +%s) - t0 )) s"

log "Java runtime"
jre=/tmp/tffm-jre
rm -rf "$jre" && mkdir -p "$jre" && tar -C "$jre" -xzf .gpu/jre.tgz
java=("$jre/bin/java" --enable-native-access=ALL-UNNAMED -Dtorchffm.library=.gpu/native/libtorchffm.so)
cp=".gpu/lib/app.jar:$(ls .gpu/lib/*.jar | grep -v -e junit-console -e tests.jar | tr '\n' ':')"
# native/runtime.env's settings, as ./torchffm sets them (no JDK here to run it).
while IFS='=' read -r key value; do
  [[ "$key" =~ ^[A-Z_][A-Z0-9_]*$ ]] || continue
  export "$key=$value"
done <native/runtime.env
"${java[@]}" -cp "$cp" dev.torchffm.cli.Main doctor | tee "$out/doctor.txt"

log "CUDA tests (JUnit console)"
"${java[@]}" -Dtorchffm.golden.dir=src/test/resources/golden -Dtorchffm.project.dir=. \
  -jar .gpu/lib/junit-console.jar execute --class-path "$cp:.gpu/lib/tests.jar" \
  --select-class dev.torchffm.CudaTest --select-class dev.torchffm.BadInputTest \
  --select-class dev.torchffm.GoldenOpsTest --select-class dev.torchffm.OwnershipTest \
  --details=tree --disable-banner 2>&1 | tee "$out/tests.txt" || echo "TESTS FAILED"

log "C++ reference"
cpp=""
if TORCH_CMAKE_PREFIX="$prefix" bench/cpp/build.sh >"$out/cpp-build.log" 2>&1; then
  cpp=bench/cpp/build/train_lenet
else
  echo "C++ reference did not build (see cpp-build.log); skipping it"
fi

common=(--epochs "$epochs" --seed 42 --data .gpu/data)
log "training: Java (CUDA graph), Java eager, Python eager, C++ eager; $epochs epochs each"
"${java[@]}" -cp "$cp" dev.torchffm.cli.Main train "${common[@]}" --device "$device" --json "$out/java-graph.json" | tee "$out/java-graph.txt"
"${java[@]}" -cp "$cp" dev.torchffm.cli.Main train "${common[@]}" --device "$device" --no-cuda-graph --json "$out/java-eager.json" | tee "$out/java-eager.txt"
"$py" bench/python/train_lenet.py "${common[@]}" --device "$device" --json "$out/python-eager.json" | tee "$out/python-eager.txt"
[[ -n "$cpp" ]] && "$cpp" "${common[@]}" --device "$device" --json "$out/cpp-eager.json" | tee "$out/cpp-eager.txt"

log "summary"
"$py" bench/gpu/summary.py "$out" | tee "$out/summary.md"
