#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Configure and build bench/cpp into bench/cpp/build.
# Optional: TORCH_CMAKE_PREFIX=/path/to/libtorch (passed as -DCMAKE_PREFIX_PATH).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
args=(-S "$here" -B "$here/build" -DCMAKE_BUILD_TYPE=Release)
if [[ -n "${TORCH_CMAKE_PREFIX:-}" ]]; then
  args+=("-DCMAKE_PREFIX_PATH=${TORCH_CMAKE_PREFIX}")
fi
cmake "${args[@]}"
cmake --build "$here/build" -j "$(nproc 2>/dev/null || echo 2)"
echo "built: $here/build/train_lenet"
