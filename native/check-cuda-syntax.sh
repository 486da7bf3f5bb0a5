#!/usr/bin/env bash
# Compiles the shim's CUDA code paths for syntax and types only, on a machine without a CUDA
# LibTorch: uses LibTorch's own CUDA headers (Debian ships them) and the CUDA toolkit's headers,
# with empty stand-ins for the CUDA math-library headers those include. Nothing is linked.
# Usage: native/check-cuda-syntax.sh [CUDA_INCLUDE_DIR [NCCL_INCLUDE_DIR]]
# With a folder holding nccl.h (e.g. the nvidia-nccl wheel's nvidia/nccl/include), the NCCL process
# group path of native/src/distributed.cpp is checked too.
set -euo pipefail
cd "$(dirname "$0")"
cuda_inc=${1:-$(ls -d /usr/local/cuda*/targets/x86_64-linux/include 2>/dev/null | head -1)}
[[ -d "$cuda_inc" ]] || { echo "no CUDA toolkit headers found; pass their folder" >&2; exit 2; }
stubs=$(mktemp -d)
trap 'rm -rf "$stubs"' EXIT
mkdir -p "$stubs/c10/cuda/impl"
echo '#pragma once' >"$stubs/c10/cuda/impl/cuda_cmake_macros.h"
printf '#pragma once\ntypedef struct cusparseContext *cusparseHandle_t;\ntypedef int cusparseStatus_t;\n' >"$stubs/cusparse.h"
printf '#pragma once\ntypedef struct cublasContext *cublasHandle_t;\ntypedef int cublasStatus_t;\n' >"$stubs/cublas_v2.h"
printf '#pragma once\ntypedef struct cublasLtContext *cublasLtHandle_t;\n' >"$stubs/cublasLt.h"
printf '#pragma once\ntypedef struct cusolverDnContext *cusolverDnHandle_t;\n' >"$stubs/cusolverDn.h"
printf '#pragma once\ntypedef int cusolverStatus_t;\n' >"$stubs/cusolver_common.h"
for f in src/*.cpp; do
  [[ "$f" == *_stub.cpp ]] && continue   # the stubs stand in for the CUDA sources without CUDA
  g++ -std=c++17 -fsyntax-only -Wall -DTFFM_WITH_CUDA=1 -D_GLIBCXX_USE_CXX11_ABI=1 -Iinclude -I"$stubs" \
    -I/usr/include/torch/csrc/api/include -I"$cuda_inc" "$f"
done
echo "CUDA code paths of native/src/*.cpp compile (syntax and types only)"
nccl_inc=${2:-}
if [[ -n "$nccl_inc" && -f "$nccl_inc/nccl.h" ]]; then
  gloo=()
  [[ -f /usr/include/gloo/context.h ]] && gloo=(-DTFFM_WITH_GLOO=1 -DUSE_C10D_GLOO=1)
  g++ -std=c++17 -fsyntax-only -Wall -DTFFM_WITH_CUDA=1 -DTFFM_WITH_NCCL=1 -DUSE_C10D_NCCL=1 "${gloo[@]}" \
    -D_GLIBCXX_USE_CXX11_ABI=1 -Iinclude -I"$stubs" -I/usr/include/torch/csrc/api/include -I"$cuda_inc" \
    -I"$nccl_inc" src/distributed.cpp
  echo "NCCL code path of native/src/distributed.cpp compiles (syntax and types only)"
fi
