#!/bin/bash
# Usage: build_kill_test.sh DEXEC SOURCE_DIR [TIMES]
# Interrupted builds: `dexec build --no-cache` of examples/busybox-app (plus a RUN that takes
# 0.3 s, so that many kills land while a step's upper directory is being written) killed with
# SIGKILL at a random point of its run, TIMES times (default 20); after each, `dexec system
# check` must find the store consistent (debris of the killed step under tmp/ is harmless and
# reported as such); at least one kill must have left such debris, or the test did not
# interrupt anything mid-step; at the end a build must succeed, clear the debris and its image
# run. Exit 77 (a visible skip) without root, overlayfs or busybox.
set -uo pipefail
dexec=$(realpath "$1")
src=$(realpath "$2")
times=${3:-20}
[ "$(id -u)" = 0 ] || { echo "SKIPPED: needs root"; exit 77; }
grep -qw overlay /proc/filesystems || { echo "SKIPPED: no overlayfs"; exit 77; }
[ -x /bin/busybox ] || { echo "SKIPPED: no /bin/busybox (busybox-static)"; exit 77; }

# overlayfs takes no upper directory on overlayfs: where /tmp is one, work in /dev/shm.
tmp=/tmp
[ "$(stat -f -c %T /tmp)" = overlayfs ] && tmp=/dev/shm
work=$(mktemp -d "$tmp/dexec-kill-XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/root
d() { "$dexec" --root "$root" "$@"; }
fail() { echo "FAIL: $*"; exit 1; }
"$src/tests/runtime/make_busybox_rootfs.sh" "$work/busybox.tar" || fail "busybox rootfs"
d import "$work/busybox.tar" busybox:latest >/dev/null || fail "dexec import"
ctx=$work/app
cp -r "$src/examples/busybox-app" "$ctx"
# The background sleep outlives the step's shell by far unless the container dies with it: a
# killed build whose container lived on would leave it running.
echo 'RUN echo slow > /srv/slow && (sleep 31.5 &) && sleep 0.3 && echo done >> /srv/slow' >>"$ctx/Dockerfile"

# How long a full build takes here, so the kills land all over it.
start=$(date +%s%N)
d build --no-cache -t app:k "$ctx" 2>/dev/null || fail "a full build"
duration_us=$((($(date +%s%N) - start) / 1000))
echo "a full build takes $((duration_us / 1000)) ms"
d rmi app:k >/dev/null 2>&1

debris=0
for i in $(seq 1 "$times"); do
  delay_us=$((RANDOM * 32768 + RANDOM))
  delay_us=$((delay_us % (duration_us + 1)))
  # dexec itself, not the shell function `d`: a function in the background is a subshell, and
  # killing that would leave dexec running.
  "$dexec" --root "$root" build --no-cache -t app:k "$ctx" >/dev/null 2>&1 &
  pid=$!
  sleep "$(printf '%d.%06d' $((delay_us / 1000000)) $((delay_us % 1000000)))"
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  # The killed build's containers die with it (within a moment: the kernel delivers the
  # parent-death signals), and no process holds one of its mounts.
  for _ in $(seq 1 20); do pgrep -f "sleep 31.5" >/dev/null || break; sleep 0.05; done
  pgrep -f "sleep 31.5" >/dev/null && fail "kill $i: a killed build's container is still running"
  held=$(grep -l "$root" /proc/[0-9]*/mountinfo 2>/dev/null | head -1)
  [ -z "$held" ] || fail "kill $i: $held still has a mount of the killed build"
  d system check >"$work/check.out" 2>&1 || { cat "$work/check.out"; fail "kill $i (after ${delay_us} us): store inconsistent"; }
  grep -q "debris of an interrupted write" "$work/check.out" && debris=$((debris + 1))
done
echo "$debris of $times kills left debris of an interrupted step"
[ "$debris" -gt 0 ] || fail "no kill landed inside a step: the test interrupted nothing"
d build -t app:k "$ctx" 2>"$work/final.err" || { cat "$work/final.err"; fail "the build after the kills"; }
[ "$(d run app:k)" = "hello from dockit on busybox" ] || fail "the image after the kills does not run"
d system check >"$work/check.out" 2>&1 || fail "final check"
grep -q "debris" "$work/check.out" && fail "the build after the kills left the debris"
echo "PASS: $times kills"
