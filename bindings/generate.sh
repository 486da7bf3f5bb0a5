#!/usr/bin/env bash
# Regenerates the Panama bindings in bindings/java from native/include/torchffm.h.
#
# Needs a jextract (openjdk/jextract, output compatible with --release 22) given as $JEXTRACT or
# found on PATH; torchffm does not ship one. Usage: bindings/generate.sh [--check]
#   --check  regenerate into a temporary folder and fail if it differs from the committed files.
set -euo pipefail
cd "$(dirname "$0")/.."

jextract_bin=${JEXTRACT:-$(command -v jextract || true)}
if [[ -z "$jextract_bin" || ! -x "$jextract_bin" ]]; then
  echo "generate.sh: no jextract found: set JEXTRACT=/path/to/jextract or put it on PATH" >&2
  exit 2
fi

header=native/include/torchffm.h
package=dev.torchffm.internal.bindings
out=bindings/java
if [[ "${1:-}" == "--check" ]]; then
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi

# The symbols file lists what the header itself declares (not what it includes), sorted, with no
# machine-specific paths, so a regeneration diff shows only real changes of the API.
tmp=$(mktemp)
"$jextract_bin" --dump-includes "$tmp" "$header" >/dev/null 2>&1
grep -E '^--include-[a-z]+ +tffm_|^--include-[a-z]+ +TFFM_' "$tmp" | sed -E 's/ *#.*$//; s/ +/ /' | LC_ALL=C sort >bindings/symbols.txt.new
rm -f "$tmp"
if [[ "${1:-}" == "--check" ]]; then
  diff -u bindings/symbols.txt bindings/symbols.txt.new || { rm -f bindings/symbols.txt.new; echo "symbols.txt is stale" >&2; exit 1; }
  rm -f bindings/symbols.txt.new
else
  mv bindings/symbols.txt.new bindings/symbols.txt
  rm -rf "$out"
fi

# No -l: dev.torchffm.internal.NativeLoader loads the library and reports failures itself.
"$jextract_bin" --output "$out" --target-package "$package" --header-class-name TorchFfm \
  @bindings/symbols.txt "$header" 2>&1 | grep -v 'is not supported' || true

if [[ "${1:-}" == "--check" ]]; then
  diff -ru bindings/java "$out" && echo "bindings are up to date"
else
  sha256sum "$header" | cut -d' ' -f1 >bindings/header.sha256
  echo "generated $(find "$out" -name '*.java' | wc -l) files in $out"
fi
