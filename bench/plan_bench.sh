#!/usr/bin/env bash
# dexec plan's speed (issue targets: <= 10 ms for the examples/ app; a 10,000-file, 1 GB
# context hashed cold and warm in MB/s, and a warm re-plan of it in under 50 ms).
# Usage: bench/plan_bench.sh [WORKDIR]   (builds build-bench in Release first; the generated
# context, about 1 GB, goes to WORKDIR, default /tmp/dockit-plan-bench, and is kept for reruns)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build-bench"
work="${1:-/tmp/dockit-plan-bench}"
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDOCKIT_TESTS=OFF >/dev/null
fi
cmake --build "$build" --target dexec -- --quiet
command -v hyperfine >/dev/null || { echo "bench: needs hyperfine (apt-get install hyperfine)"; exit 2; }
dexec="$build/dexec"
state="$work/state"
mkdir -p "$state"

# 1. The example app, warm (digests cached), as a user re-running the plan sees it.
"$dexec" plan --root "$state" "$root/examples/hello" >/dev/null
hyperfine --warmup 5 --runs 50 -N --export-json "$work/example.json" \
  "$dexec plan --root $state $root/examples/hello" >/dev/null 2>&1
python3 - "$work/example.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))['results'][0]
print(f"examples/hello plan: median {r['median']*1000:.2f} ms (target <= 10 ms)")
PY

# 2. A 10,000-file, 1 GB context: 100 folders of 100 files of ~100 kB (random bytes).
ctx="$work/context"
if [ ! -f "$ctx/.complete" ]; then
  rm -rf "$ctx"
  mkdir -p "$ctx"
  python3 - "$ctx" <<'PY'
import os, sys
root = sys.argv[1]
for d in range(100):
    os.makedirs(f"{root}/d{d:03}", exist_ok=True)
    for f in range(100):
        with open(f"{root}/d{d:03}/f{f:03}.bin", "wb") as out:
            out.write(os.urandom(104857))
PY
  printf 'FROM scratch\nCOPY . /data/\n' > "$ctx/Dockerfile"
  touch "$ctx/.complete"
  sleep 1.2  # let every file age past the digest cache's racy window
fi
bytes=$(du -sb "$ctx" | cut -f1)
cold_state="$work/cold"
rm -rf "$cold_state"
start=$(date +%s.%N)
"$dexec" plan --root "$cold_state" "$ctx" >/dev/null
end=$(date +%s.%N)
python3 - "$bytes" "$start" "$end" <<'PY'
import sys
b, s, e = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
print(f"10,000-file context ({b/1e6:.0f} MB), cold (every file hashed): {e-s:.2f} s, {b/1e6/(e-s):.0f} MB/s")
PY
hyperfine --warmup 2 --runs 20 -N --export-json "$work/warm.json" \
  "$dexec plan --root $cold_state $ctx" >/dev/null 2>&1
python3 - "$work/warm.json" "$bytes" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))['results'][0]
b = int(sys.argv[2])
print(f"10,000-file context, warm re-plan: median {r['median']*1000:.1f} ms "
      f"({b/1e6/r['median']:.0f} MB/s effective; target < 50 ms)")
PY
