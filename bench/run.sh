#!/usr/bin/env bash
# Builds the benchmarks in Release (-O2, no sanitizers) in build-bench and runs them; the binary
# ends with a summary of the figures against the targets. Extra arguments go to Google Benchmark,
# e.g. bench/run.sh --benchmark_filter=Generated. Usage: bench/run.sh [benchmark args...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build-bench"
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_FLAGS_RELEASE="-O2 -DNDEBUG" -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
    -DDOCKIT_SANITIZE=OFF -DDOCKIT_FUZZ=OFF -DDOCKIT_TESTS=OFF -DDOCKIT_BENCH=ON >/dev/null
fi
cmake --build "$build" --target bench_parser -- --quiet
# One core: the targets are single-threaded figures. Five repetitions, medians reported.
exec "$build/bench/bench_parser" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  "$@"
