#!/usr/bin/env bash
# Builds the shim against a given LibTorch, runs the whole suite against it (./torchffm test), and
# checks that the process maps that LibTorch's libraries only.
# Usage: native/check-libtorch.sh PREFIX|PYTHON [mvn args]
#   PREFIX: a LibTorch CMake prefix (the folder holding Torch/TorchConfig.cmake, e.g. a pip torch's
#           torch/share/cmake); PYTHON: an interpreter whose torch package to use.
# The build replaces target/ (the launcher rebuilds for the default LibTorch when it next runs).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
what=${1:?usage: native/check-libtorch.sh PREFIX|PYTHON [mvn args]}
shift
if [[ -d "$what" ]]; then
  launcher=(env TORCHFFM_TORCH_PREFIX="$what" ./torchffm)
else
  launcher=(./torchffm --torch-python "$what")
fi

echo "== the suite against $what" >&2
"${launcher[@]}" test "$@"

echo "== libraries mapped into the JVM (./torchffm doctor)" >&2
doctor=$("${launcher[@]}" doctor)
echo "$doctor"
torch_dirs=$(grep -E '/lib(torch|c10)[^/]*\.so' <<<"$doctor" | grep -v libtorchffm | sed -E 's|^ *||; s|/[^/]*$||' | sort -u)
if [[ $(wc -l <<<"$torch_dirs") -ne 1 ]]; then
  echo "check-libtorch: LibTorch libraries from more than one folder are mapped:" >&2
  echo "$torch_dirs" >&2
  exit 1
fi
echo "check-libtorch: the suite passed; every libtorch/libc10 mapped comes from $torch_dirs" >&2
