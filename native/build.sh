#!/usr/bin/env bash
# Configures, builds and smoke-tests the shim, then copies libtorchffm.so where Java finds it.
# Usage: native/build.sh BUILD_DIR OUTPUT_DIR [TORCH_PREFIX]
#   TORCH_PREFIX (or $TORCHFFM_TORCH_PREFIX): a CMake prefix holding another LibTorch, e.g. the
#   output of `python3 -c 'import torch;print(torch.utils.cmake_prefix_path)'`. Default: Debian's.
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)
build=${1:?build dir}
output=${2:?output dir}
prefix=${3:-${TORCHFFM_TORCH_PREFIX:-}}
[[ "$prefix" == \$\{* ]] && prefix=""   # an unset Maven property arrives as the literal ${...}

for tool in cmake g++; do
  command -v "$tool" >/dev/null || { echo "native/build.sh: '$tool' is missing (apt-get install cmake g++)" >&2; exit 2; }
done

# A build folder configured for another LibTorch keeps that one's libraries in its CMake cache.
if [[ -f "$build/CMakeCache.txt" && "$(cat "$build/.torch-prefix" 2>/dev/null)" != "$prefix" ]]; then
  echo "native/build.sh: LibTorch prefix changed to '${prefix:-Debian}': configuring $build afresh" >&2
  rm -rf "$build"
fi
mkdir -p "$build"
printf '%s' "$prefix" >"$build/.torch-prefix"
args=(-S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release)
[[ -n "$prefix" ]] && args+=("-DCMAKE_PREFIX_PATH=$prefix")
if ! cmake "${args[@]}" >"$build.configure.log" 2>&1; then
  cat "$build.configure.log" >&2
  echo "native/build.sh: CMake could not configure the shim. Is LibTorch installed (apt-get install libtorch-dev)," \
       "or does TORCHFFM_TORCH_PREFIX / -Dtorchffm.torch.prefix point at a LibTorch CMake prefix?" >&2
  exit 2
fi
grep 'torchffm:' "$build.configure.log" || true
cmake --build "$build" -j"$(nproc)"
(cd "$build" && ctest --output-on-failure)
mkdir -p "$output"
# Replace atomically: overwriting a library that a running JVM has mapped would crash that JVM.
cp "$build/libtorchffm.so" "$output/.libtorchffm.so.tmp"
mv -f "$output/.libtorchffm.so.tmp" "$output/libtorchffm.so"
