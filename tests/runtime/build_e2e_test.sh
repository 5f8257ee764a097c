#!/bin/bash
# Usage: build_e2e_test.sh DEXEC SOURCE_DIR
# The real runtime from the command line, as the issue's proof asks: a busybox base imported
# from Debian's busybox-static, examples/busybox-app built, a no-op rebuild all CACHED, an
# edit rebuilding exactly what `dexec plan` predicted, `dexec run`, the image validated by
# skopeo and umoci, and the bad inputs (failing RUN, missing COPY source, symlink out of the
# context, hostile layer tars), device nodes kept through save and load, two builds at once on
# one store. The store's path has a ',' and a ':', which overlayfs's options must escape.
# Exit 77 (a visible skip) without root, overlayfs or busybox.
set -uo pipefail
dexec=$(realpath "$1")
src=$(realpath "$2")
[ "$(id -u)" = 0 ] || { echo "SKIPPED: needs root"; exit 77; }
grep -qw overlay /proc/filesystems || { echo "SKIPPED: no overlayfs"; exit 77; }
[ -x /bin/busybox ] || { echo "SKIPPED: no /bin/busybox (busybox-static)"; exit 77; }

# overlayfs takes no upper directory on overlayfs: where /tmp is one, work in /dev/shm.
tmp=/tmp
[ "$(stat -f -c %T /tmp)" = overlayfs ] && tmp=/dev/shm
work=$(mktemp -d "$tmp/dexec-e2e-XXXXXX")
trap 'rm -rf "$work"' EXIT
root="$work/st,ore:1"
d() { "$dexec" --root "$root" "$@"; }
fail() { echo "FAIL: $*"; exit 1; }
check_store() {
  d system check >"$work/check.out" 2>&1 || { cat "$work/check.out"; fail "system check after $1"; }
}

"$src/tests/runtime/make_busybox_rootfs.sh" "$work/busybox.tar" || fail "busybox rootfs"
d import "$work/busybox.tar" busybox:latest >/dev/null || fail "dexec import"

# --- the example app: build, no-op rebuild, edit --------------------------------------------
ctx=$work/app
cp -r "$src/examples/busybox-app" "$ctx"
d build -t app:1 "$ctx" 2>"$work/build1.err" || { cat "$work/build1.err"; fail "first build"; }
grep -q "naming to docker.io/library/app:1 done" "$work/build1.err" || fail "no naming line"
d build -t app:1 "$ctx" 2>"$work/build2.err" || fail "rebuild"
steps=$(grep -cE '^#[0-9]+ \[[0-9]+/[0-9]+\] (COPY|RUN|WORKDIR)' "$work/build2.err")
cached=$(grep -cE '^#[0-9]+ CACHED$' "$work/build2.err")
[ "$steps" -gt 0 ] && [ "$steps" = "$cached" ] || { cat "$work/build2.err"; fail "rebuild: $cached of $steps cached"; }
grep -q rebuilding "$work/build2.err" && fail "a no-op rebuild rebuilt something"

echo "from an edited source" >"$ctx/src/greeting.txt"
d plan "$ctx" >"$work/plan.out" || fail "dexec plan"
d build -t app:1 "$ctx" 2>"$work/build3.err" || fail "build after an edit"
# The plan's table (STEP ... CACHE ... REASON) against the build's verdicts, step by step.
n=0
while read -r step _ rest; do
  [ "$step" = STEP ] && continue
  [[ "$step" =~ ^[0-9]+$ ]] || continue
  n=$((n + 1))
  id="#$((step + 2))"
  if grep -qE "^$id CACHED\$" "$work/build3.err"; then got=HIT; else got=MISS; fi
  if [[ "$rest" == *" HIT "* ]]; then want=HIT; else want=MISS; fi
  [ "$step" = 1 ] && continue  # FROM: the plan says HIT, the build prints DONE
  [ "$got" = "$want" ] || { cat "$work/plan.out" "$work/build3.err"; fail "step $step: plan $want, build $got"; }
  if [ "$want" = MISS ]; then
    reason=${rest##*MISS }
    reason=$(echo "$reason" | sed -E 's/^ *[^ ]+ +//')  # drop the SIZE column
    grep -qF "$id rebuilding: $reason" "$work/build3.err" || { cat "$work/plan.out" "$work/build3.err"; fail "step $step: reason \"$reason\" not in the build"; }
  fi
done <"$work/plan.out"
[ "$n" -gt 3 ] || fail "the plan table had $n steps"
[ "$(grep -c rebuilding "$work/build3.err")" = 2 ] || fail "an edit of src/ must rebuild 2 steps"

# --- dexec run: CMD from the config, the exit code is the container's -------------------------
out=$(d run --rm app:1) || fail "dexec run app:1"
[ "$out" = "hello from an edited source" ] || fail "dexec run printed \"$out\""
d run app:1 sh -c 'exit 3'
[ $? = 3 ] || fail "dexec run exit code"
[ "$(d run -e GREETING=hi -w /srv/app/build app:1 sh -c 'echo $GREETING; pwd; cat bundle | head -1')" = "hi
/srv/app/build
from an edited source" ] || fail "dexec run -e -w"

mkdir -p "$work/vol" && echo from-host >"$work/vol/in"
d run -v "$work/vol:/vol" app:1 sh -c 'cat /vol/in > /vol/out' || fail "dexec run -v"
[ "$(cat "$work/vol/out")" = from-host ] || fail "dexec run -v: the volume was not written"
d run -v "$work/vol:/vol:ro" app:1 sh -c 'echo x > /vol/ro' >/dev/null 2>&1 && fail "dexec run -v :ro wrote"
[ -e "$work/vol/ro" ] && fail "a read-only volume was written"

# --- the image through skopeo and umoci -------------------------------------------------------
# scripts/setup.sh installs both: missing, they are a failure, not a skip.
command -v skopeo >/dev/null && command -v umoci >/dev/null || fail "skopeo or umoci is not installed"
if true; then
  d save -o "$work/app.tar" app:1 || fail "dexec save"
  skopeo inspect "oci-archive:$work/app.tar" >"$work/inspect.json" || fail "skopeo inspect"
  layers=$(grep -c '"sha256:' <(sed -n '/"Layers"/,/]/p' "$work/inspect.json"))
  [ "$layers" = 6 ] || { cat "$work/inspect.json"; fail "skopeo sees $layers layers, want 6"; }
  skopeo copy -q "oci-archive:$work/app.tar" "oci:$work/oci:app" || fail "skopeo copy"
  umoci unpack --image "$work/oci:app" "$work/bundle" >/dev/null || fail "umoci unpack"
  rootfs=$work/bundle/rootfs
  [ "$(cat "$rootfs/srv/app/build/bundle" | head -1)" = "from an edited source" ] || fail "umoci: bundle"
  [ "$(readlink "$rootfs/srv/app/build/run")" = "../src/main.sh" ] || fail "umoci: symlink"
  [ ! -e "$rootfs/srv/app/deps/status" ] || fail "umoci: a deleted file is back"
  [ "$(stat -c %a "$rootfs/tmp")" = 1777 ] || fail "umoci: /tmp mode"
  # The same archive as docker's format (its manifest.json), as `docker load` reads it.
  skopeo inspect "docker-archive:$work/app.tar" >"$work/inspect-docker.json" || fail "skopeo inspect docker-archive"
  grep -q '"Architecture": "amd64"' "$work/inspect-docker.json" || fail "docker-archive: no architecture"
  skopeo copy -q "docker-archive:$work/app.tar" "oci:$work/oci-from-docker:app" || fail "skopeo copy docker-archive"
fi

# --- device nodes and fifos: made by a RUN, kept through save and load, unusable as devices ----
dev=$work/dev
mkdir -p "$dev"
printf 'FROM busybox
RUN mkfifo /p && mknod /n c 1 3 && (echo x > /n) 2>/dev/null; echo open=$?
' >"$dev/Dockerfile"
d build -t dev:1 "$dev" 2>"$work/dev.err" || { cat "$work/dev.err"; fail "a RUN that makes device nodes"; }
grep -q "open=1" "$work/dev.err" || { cat "$work/dev.err"; fail "a device node made in a step could be opened"; }
d save -o "$work/dev.tar" dev:1 || fail "save of an image with device nodes"
"$dexec" --root "$work/other" load -i "$work/dev.tar" >/dev/null || fail "load of an image with device nodes"
"$dexec" --root "$work/other" run dev:1 sh -c 'test -p /p && test -c /n' || fail "the loaded image lost its fifo or device"

# --- two builds at once on one store ---------------------------------------------------------
ctx2=$work/app2
cp -r "$src/examples/busybox-app" "$ctx2"
echo "the second app" >"$ctx2/src/greeting.txt"
d build --no-cache -t par:1 "$ctx" >/dev/null 2>"$work/par1.err" &
p1=$!
d build --no-cache -t par:2 "$ctx2" >/dev/null 2>"$work/par2.err" &
p2=$!
wait $p1 || { cat "$work/par1.err"; fail "the first of two concurrent builds"; }
wait $p2 || { cat "$work/par2.err"; fail "the second of two concurrent builds"; }
[ "$(d run par:1)" = "hello from an edited source" ] || fail "concurrent build 1 made the wrong image"
[ "$(d run par:2)" = "hello the second app" ] || fail "concurrent build 2 made the wrong image"
check_store "two concurrent builds"

# --- bad input ----------------------------------------------------------------------------------
bad=$work/bad
mkdir -p "$bad"
printf 'FROM busybox\nRUN echo one && echo two && exit 7\n' >"$bad/Dockerfile"
d build -t bad:1 "$bad" 2>"$work/bad.err" && fail "a failing RUN built"
grep -q "Dockerfile:2:1" "$work/bad.err" || { cat "$work/bad.err"; fail "failing RUN: no position"; }
grep -q "exit code: 7" "$work/bad.err" || fail "failing RUN: no exit code"
grep -q "^two$" "$work/bad.err" || fail "failing RUN: no last lines"
d images | grep -q "^bad " && fail "a failed build tagged its image"
check_store "a failing RUN"

printf 'FROM busybox\nCOPY missing.txt /x\n' >"$bad/Dockerfile"
d build -t bad:1 "$bad" 2>"$work/bad.err" && fail "a missing COPY source built"
grep -q "Dockerfile:2" "$work/bad.err" || { cat "$work/bad.err"; fail "missing source: no position"; }

echo "host secret" >"$work/secret"
ln -s "$work/secret" "$bad/leak"
printf 'FROM busybox\nCOPY leak /leak\n' >"$bad/Dockerfile"
# As BuildKit: a source symlink is resolved inside the context, where its target does not exist.
d build -t leak:1 "$bad" 2>"$work/bad.err" && fail "COPY of a symlink out of the context built"
grep -q '"/leak": not found' "$work/bad.err" || { cat "$work/bad.err"; fail "symlink source: wrong error"; }
# Copied as part of a folder, the symlink stays a symlink: never the outside file's content.
printf 'FROM busybox\nCOPY . /ctx/\n' >"$bad/Dockerfile"
d build -t leak:2 "$bad" 2>"$work/bad.err" || { cat "$work/bad.err"; fail "COPY . with an outward symlink"; }
got=$(d run leak:2 sh -c 'readlink /ctx/leak; cat /ctx/leak 2>&1 >/dev/null | grep -c "No such file"')
[ "$got" = "$work/secret
1" ] || fail "a symlink out of the context: the image has \"$got\""
rm "$bad/leak"

mkdir -p "$work/evil/x"
echo pwned >"$work/evil/x/f"
tar -C "$work/evil" -cf "$work/dotdot.tar" --transform 's,^x,../../x,' x
d import "$work/dotdot.tar" evil:1 2>/dev/null && fail "import of a ../ tar"
[ -z "$(find "$work" -path '*/x/f' -not -path "$work/evil/*")" ] || fail "a ../ entry escaped"
mkdir -p "$work/chain" && ln -s /etc "$work/chain/a" && ln -s a "$work/chain/b"
tar -C "$work/chain" -cf "$work/chain.tar" a b
mkdir -p "$work/chain2/b" && echo pwned >"$work/chain2/b/passwd-dexec-test"
tar -C "$work/chain2" -rf "$work/chain.tar" b/passwd-dexec-test
d import "$work/chain.tar" evil:2 2>/dev/null && fail "import of a tar writing through a symlink chain"
d images | grep -q "^evil" && fail "a refused import tagged an image"
[ -e /etc/passwd-dexec-test ] && { rm -f /etc/passwd-dexec-test; fail "a symlink chain wrote to the host"; }
check_store "hostile tars"

# --- not root: a clear error naming what is missing and pointing to --sim ---------------------
if command -v setpriv >/dev/null; then
  chmod 755 "$work" && chmod -R a+rX "$ctx"
  mkdir -p "$work/nonroot" && chown 65534:65534 "$work/nonroot"
  setpriv --reuid 65534 --regid 65534 --clear-groups "$dexec" --root "$work/nonroot" build "$ctx" \
    2>"$work/nonroot.err" && fail "a build as nobody succeeded"
  grep -q "needs root" "$work/nonroot.err" && grep -q -- "--sim build" "$work/nonroot.err" ||
    { cat "$work/nonroot.err"; fail "not root: unclear error"; }
fi
echo "PASS"
