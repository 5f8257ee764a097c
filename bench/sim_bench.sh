#!/usr/bin/env bash
# The simulator's speed (issue 5 targets): simulated builds of every Dockerfile in the real corpus
# in under 2 s in total, and each lesson in under 50 ms.
# Usage: bench/sim_bench.sh   (builds build-bench in Release first; needs hyperfine)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build-bench"
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDOCKIT_TESTS=OFF >/dev/null
fi
cmake --build "$build" --target dexec bench_sim_corpus -- --quiet
command -v hyperfine >/dev/null || { echo "bench: needs hyperfine (apt-get install hyperfine)"; exit 2; }

# 1. The corpus, three passes (the figure is each pass's total).
for i in 1 2 3; do "$build/bench/bench_sim_corpus"; done

# 2. Each lesson, graded, as a student runs it (process start included).
json="$(mktemp)"
trap 'rm -f "$json"' EXIT
for lesson in "$root"/examples/lessons/*.lesson; do
  hyperfine --warmup 2 --runs 20 -N --export-json "$json" \
    "$build/dexec --sim lesson --check $lesson" >/dev/null 2>&1
  python3 - "$json" "$(basename "$lesson")" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))['results'][0]
print(f"{sys.argv[2]}: median {r['median']*1000:.1f} ms (target < 50 ms)")
PY
done
