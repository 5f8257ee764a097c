#!/usr/bin/env bash
# dexec build's speed on examples/busybox-app (issue 6 targets: a no-op rebuild <= 20 ms, the
# overhead of one `RUN true` step <= 10 ms), side by side with BuildKit (docker build) and
# buildah when ../shared/tools/reference-builders.sh has set them up (a peer that is not there
# is skipped with a message). Every builder gets the same busybox base, made from Debian's
# busybox-static by tests/runtime/make_busybox_rootfs.sh. Needs root and hyperfine.
# Usage: bench/dexec_bench.sh [WORKDIR]   (builds build-bench in Release first, unless
# DEXEC=path/to/dexec says which binary to measure)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build-bench"
work="${1:-/tmp/dockit-dexec-bench}"
if [ -z "${DEXEC:-}" ]; then
  if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDOCKIT_TESTS=OFF \
      -DDOCKIT_BENCH=OFF >/dev/null
  fi
  cmake --build "$build" --target dexec -- --quiet
fi
command -v hyperfine >/dev/null || { echo "bench: needs hyperfine (apt-get install hyperfine)"; exit 2; }
[ "$(id -u)" = 0 ] || { echo "bench: dexec build needs root"; exit 2; }
dexec=$(realpath "${DEXEC:-$build/dexec}")
rm -rf "$work"
mkdir -p "$work"
droot="$work/dexec-root"
"$root/tests/runtime/make_busybox_rootfs.sh" "$work/busybox.tar"
"$dexec" --root "$droot" import "$work/busybox.tar" busybox:latest >/dev/null

app="$work/app"
cp -r "$root/examples/busybox-app" "$app"
true_ctx="$work/run-true"
base_ctx="$work/no-run"
mkdir -p "$true_ctx" "$base_ctx"
printf 'FROM busybox\nENV X=1\nRUN true\n' >"$true_ctx/Dockerfile"
printf 'FROM busybox\nENV X=1\n' >"$base_ctx/Dockerfile"

# One row: NAME and the commands for full, no-op, edit, run-true, no-run (a peer's).
median_ms() {  # hyperfine JSON -> median in ms
  sed -n 's/.*"median": *\([0-9.e+-]*\).*/\1/p' "$1" | head -1 | awk '{printf "%.1f", $1 * 1000}'
}
bench() {  # NAME LABEL PREPARE CMD
  local json="$work/$1-$2.json"
  if [ -n "$3" ]; then
    hyperfine -N --warmup 2 --runs "${RUNS:-10}" --prepare "$3" --export-json "$json" "$4" >/dev/null 2>&1 || { echo "-"; return; }
  else
    hyperfine -N --warmup 2 --runs "${RUNS:-10}" --export-json "$json" "$4" >/dev/null 2>&1 || { echo "-"; return; }
  fi
  median_ms "$json"
}
row() {  # NAME BUILD-PREFIX (a command that takes: [--no-cache] -t TAG CONTEXT)
  local name=$1 cmd=$2
  local full noop edit runtrue norun
  full=$(bench "$name" full "" "$cmd --no-cache -t app:bench $app")
  $cmd -t app:bench "$app" >/dev/null 2>&1 || true
  noop=$(bench "$name" noop "" "$cmd -t app:bench $app")
  # An edit before every run: the COPY of src/ and the RUN after it miss.
  edit=$(bench "$name" edit "sh -c 'date +%s%N > $app/src/stamp.txt'" "$cmd -t app:bench $app")
  runtrue=$(bench "$name" runtrue "" "$cmd --no-cache -t t:bench $true_ctx")
  norun=$(bench "$name" norun "" "$cmd --no-cache -t n:bench $base_ctx")
  local overhead="-"
  if [ "$runtrue" != "-" ] && [ "$norun" != "-" ]; then
    overhead=$(awk -v a="$runtrue" -v b="$norun" 'BEGIN{printf "%.1f", a - b}')
  fi
  printf '%-10s %12s %12s %12s %16s\n' "$name" "$full" "$noop" "$edit" "$overhead"
  last_noop=$noop last_overhead=$overhead
}
# "met" or "MISSED" for a figure against a target in ms ("-": the builder failed).
verdict() {
  [ "$1" = "-" ] && { echo "FAILED (see $work/*.json)"; return; }
  awk -v v="$1" -v t="$2" 'BEGIN{print (v <= t) ? "met" : "MISSED"}'
}

printf '%-10s %12s %12s %12s %16s\n' builder "full (ms)" "no-op (ms)" "edit (ms)" "RUN true (ms)"
row dexec "$dexec --root $droot build"
echo "targets: no-op <= 20 ms: $(verdict "$last_noop" 20); RUN true <= 10 ms: $(verdict "$last_overhead" 10) (BuildKit's no-op about 107 ms here)"

# Debian's docker.io client (20.10) has BuildKit built in; a newer client elsewhere in PATH may
# need a buildx plugin that is not installed.
docker=docker
[ -x /usr/bin/docker ] && docker=/usr/bin/docker
if $docker info >/dev/null 2>&1; then
  $docker import "$work/busybox.tar" busybox:latest >/dev/null
  row buildkit "env DOCKER_BUILDKIT=1 $docker build -q --network none"
else
  echo "buildkit: skipped (no dockerd: run ../shared/tools/reference-builders.sh)"
fi
if command -v buildah >/dev/null && buildah --version >/dev/null 2>&1; then
  export CONTAINERS_CONF=${CONTAINERS_CONF:-/tmp/containers.conf}
  if buildah from --name dexec-bench-import scratch >/dev/null 2>&1; then
    mnt=$(buildah mount dexec-bench-import)
    tar -C "$mnt" -xf "$work/busybox.tar"
    buildah umount dexec-bench-import >/dev/null
    buildah commit -q dexec-bench-import localhost/busybox:latest >/dev/null
    buildah rm dexec-bench-import >/dev/null
    # chroot isolation has no network namespace: --network host is the only mode it takes.
    row buildah "buildah build -q --isolation chroot --network host --layers"
  else
    echo "buildah: skipped (buildah from scratch failed)"
  fi
else
  echo "buildah: skipped (not installed)"
fi
