#!/usr/bin/env bash
# Whole-process time of dlint, as a pre-commit hook or CI job sees it (issue targets: <= 3 ms for
# one ~40-line Dockerfile, <= 0.5 s for every Dockerfile of ../shared/corpus/real in one process).
# Uses hyperfine (Debian package); prints hadolint side by side when it is installed.
# Usage: bench/dlint_bench.sh   (builds build-bench in Release first)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build-bench"
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDOCKIT_TESTS=OFF >/dev/null
fi
cmake --build "$build" --target dlint -- --quiet
command -v hyperfine >/dev/null || { echo "bench: needs hyperfine (apt-get install hyperfine)"; exit 2; }
dlint="$build/dlint"
corpus="$root/../shared/corpus/real/dockerfile"
# A ~40-line Dockerfile from the corpus, closest to 40 lines.
one=$(python3 -c '
import os, sys
d = sys.argv[1]
files = sorted(os.path.join(d, f) for f in os.listdir(d))
print(min(files, key=lambda f: abs(sum(1 for _ in open(f, "rb")) - 40)))' "$corpus")
echo "one file: $one ($(wc -l < "$one") lines); corpus: $(ls "$corpus" | wc -l) files"
runs=(--warmup 5 --runs 50 -N --ignore-failure --export-json /tmp/dlint-bench.json)
cmds=("$dlint --no-context $one")
names=(dlint-one-file)
if command -v hadolint >/dev/null; then cmds+=("hadolint $one"); names+=(hadolint-one-file); fi
hyperfine "${runs[@]}" "${cmds[@]}" >/dev/null 2>&1 || true
python3 - "$@" <<'PY'
import json
d = json.load(open('/tmp/dlint-bench.json'))
for r in d['results']:
    print(f"  {r['command']:.60s}: median {r['median']*1000:.2f} ms (target <= 3 ms for dlint)")
if len(d['results']) > 1:
    print(f"  ratio hadolint/dlint: {d['results'][1]['median']/d['results'][0]['median']:.1f}x")
PY
hyperfine --warmup 1 --runs 10 --ignore-failure --export-json /tmp/dlint-bench2.json \
  "$dlint --no-context $corpus" >/dev/null 2>&1 || true
python3 - <<'PY'
import json
r = json.load(open('/tmp/dlint-bench2.json'))['results'][0]
print(f"  whole corpus in one process: median {r['median']*1000:.1f} ms (target <= 500 ms)")
PY
