#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan+UBSan) and runs the Dockerfile fuzzer for N seconds,
# seeded from ../shared/corpus. Usage: scripts/fuzz.sh [SECONDS]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-60}"
build="$root/build-fuzz"
if [ ! -f "$build/CMakeCache.txt" ]; then
  CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DDOCKIT_SANITIZE=ON -DDOCKIT_FUZZ=ON -DDOCKIT_TESTS=OFF -DDOCKIT_BENCH=OFF >/dev/null
fi
cmake --build "$build" --target fuzz_dockerfile -- --quiet
work="$build/fuzz-corpus"
mkdir -p "$work" "$root/fuzz/artifacts"
shared="$root/../shared/corpus"
echo "fuzz: running fuzz_dockerfile for ${seconds}s (seeds: $shared)"
"$build/fuzz/fuzz_dockerfile" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
  -dict="$root/fuzz/dockerfile.dict" -artifact_prefix="$root/fuzz/artifacts/" -print_final_stats=1 \
  "$work" "$shared" 2>"$build/fuzz.log" || {
  tail -40 "$build/fuzz.log"
  echo "fuzz: FAILED (artifacts in fuzz/artifacts/; reproduce: $build/fuzz/fuzz_dockerfile ARTIFACT)"
  exit 1; }
grep -E "^stat::number_of_executed_units|^Done" "$build/fuzz.log" | sed 's/^/fuzz: /'
