#!/usr/bin/env bash
# Prepares .gpu/ (git-ignored) for bench/gpu/run.sh on a machine that has a CUDA PyTorch but no Java,
# no Maven and no network: a small Java runtime (jlink), the compiled classes and jars, the JUnit
# console launcher and Fashion-MNIST. Everything must fit the 64 MiB a device call can carry.
# Usage (here, from the repository root): bench/gpu/prepare.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${JAVA_HOME:?set JAVA_HOME to a JDK >= 22 (./torchffm bench sets it)}"
export PATH="$JAVA_HOME/bin:$PATH"
out=.gpu
data=${TORCHFFM_DATA:-/usr/share/datasets/fashion-mnist}
junit=1.14.1   # junit-platform-console-standalone matching JUnit Jupiter 5.14

mvn -B -ntp -q -DskipTests package test-compile dependency:copy-dependencies -DincludeScope=test \
  -DoutputDirectory="$PWD/target/gpu-deps"
mvn -B -ntp -q dependency:copy -Dartifact="org.junit.platform:junit-platform-console-standalone:$junit" \
  -DoutputDirectory="$PWD/target/gpu-deps"

rm -rf "$out" && mkdir -p "$out/lib" "$out/data"
(cd target/classes && jar --create --file "../../$out/lib/app.jar" .)
(cd target/cli-classes && jar --create --file "../../$out/lib/cli.jar" .)
(cd target/test-classes && jar --create --file "../../$out/lib/tests.jar" .)
# Runtime jars only (no AWT charts on the device); JUnit goes in through the console launcher.
for j in target/gpu-deps/*.jar; do
  case "$(basename "$j")" in
    jfreechart-*|junit-*|opentest4j-*|apiguardian-*) ;;
    *) cp "$j" "$out/lib/" ;;
  esac
done
cp target/gpu-deps/junit-platform-console-standalone-$junit.jar "$out/lib/junit-console.jar"
rm -f "$out/lib/libtorchffm.so"
cp "$data"/*-ubyte.gz "$out/data/"

# java.base for the library, java.logging and java.management for JUnit, jdk.unsupported for gson.
rm -rf target/gpu-jre
jlink --add-modules java.base,java.logging,java.management,jdk.unsupported --strip-debug --no-header-files \
  --no-man-pages --compress=zip-9 --output target/gpu-jre
tar -C target/gpu-jre -czf "$out/jre.tgz" .

kib=$(( $(du -sk "$out" | cut -f1) + $(git ls-files -z | xargs -0 du -ck 2>/dev/null | tail -1 | cut -f1) ))
echo "prepared $out; with the working tree $((kib / 1024)) MiB travel (limit 64 MiB)"
du -sh "$out"/* | sort -h
(( kib < 62 * 1024 )) || { echo "prepare.sh: too large to carry" >&2; exit 1; }
