#!/usr/bin/env bash
# Whole-process time of dlint, as a pre-commit hook or CI job sees it (issue targets: <= 3 ms for
# one ~40-line Dockerfile, <= 0.5 s for every Dockerfile of ../shared/corpus/real in one process).
# The targets are for dlint's own rules (--no-shellcheck); the same runs with ShellCheck (one
# shellcheck process per Dockerfile, files in parallel) are printed next to them when shellcheck
# is installed. Uses hyperfine (Debian package); prints hadolint side by side when it is installed.
# Usage: bench/dlint_bench.sh   (builds build-bench in Release first; DLINT=path uses that binary)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build-bench"
dlint="${DLINT:-$build/dlint}"
if [ -z "${DLINT:-}" ]; then
  if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDOCKIT_TESTS=OFF >/dev/null
  fi
  cmake --build "$build" --target dlint -- --quiet
fi
command -v hyperfine >/dev/null || { echo "bench: needs hyperfine (apt-get install hyperfine)"; exit 2; }
have_shellcheck=$(command -v shellcheck >/dev/null && echo 1 || echo 0)
corpus="$root/../shared/corpus/real/dockerfile"
# A ~40-line Dockerfile from the corpus, closest to 40 lines.
one=$(python3 -c '
import os, sys
d = sys.argv[1]
files = sorted(os.path.join(d, f) for f in os.listdir(d))
print(min(files, key=lambda f: abs(sum(1 for _ in open(f, "rb")) - 40)))' "$corpus")
echo "one file: $one ($(wc -l < "$one") lines); corpus: $(ls "$corpus" | wc -l) files"
runs=(--warmup 5 --runs 50 -N --ignore-failure --export-json /tmp/dlint-bench.json)
cmds=("$dlint --no-context --no-shellcheck $one")
names=(dlint-one-file)
if [ "$have_shellcheck" = 1 ]; then cmds+=("$dlint --no-context $one"); names+=(with-shellcheck); fi
if command -v hadolint >/dev/null; then cmds+=("hadolint $one"); names+=(hadolint-one-file); fi
hyperfine "${runs[@]}" "${cmds[@]}" >/dev/null 2>&1 || true
python3 - "$@" <<'PY'
import json
d = json.load(open('/tmp/dlint-bench.json'))
for r in d['results']:
    target = " (target <= 3 ms)" if "--no-shellcheck" in r['command'] else ""
    words = r['command'].split()
    label = " ".join(["dlint" if w.endswith("/dlint") else w for w in words[:-1]])
    print(f"  {label:45s}: median {r['median']*1000:.2f} ms{target}")
hadolint = [r for r in d['results'] if r['command'].startswith('hadolint')]
if hadolint:
    print(f"  ratio hadolint/dlint: {hadolint[0]['median']/d['results'][0]['median']:.1f}x")
PY
corpus_cmds=("$dlint --no-context --no-shellcheck $corpus")
[ "$have_shellcheck" = 0 ] || corpus_cmds+=("$dlint --no-context $corpus")
hyperfine --warmup 1 --runs 5 --ignore-failure --export-json /tmp/dlint-bench2.json \
  "${corpus_cmds[@]}" >/dev/null 2>&1 || true
python3 - <<'PY'
import json
for r in json.load(open('/tmp/dlint-bench2.json'))['results']:
    if "--no-shellcheck" in r['command']:
        print(f"  whole corpus in one process: median {r['median']*1000:.1f} ms (target <= 500 ms)")
    else:
        print(f"  whole corpus with shellcheck (one process per file, files in parallel): "
              f"median {r['median']*1000:.1f} ms, user+sys {1000*(r['user']+r['system']):.0f} ms")
PY
