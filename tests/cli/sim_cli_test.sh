#!/usr/bin/env bash
# dexec --sim end to end: the state file carries the world from one command to the next, the
# global options work before and after the verb (and stay the program's after `run IMAGE`),
# the shell reads commands and saves the world, a damaged state file is refused and kept, and
# `dexec plan --sim` predicts from the simulated build record.
# Usage: sim_cli_test.sh DEXEC SOURCE_DIR
set -euo pipefail
dexec="$1"
src="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
state="$work/state.json"
fail() { echo "FAIL: $*" >&2; exit 1; }
has() { grep -qF -- "$2" <<<"$1" || fail "expected \"$2\" in: $1"; }

"$dexec" --sim --state "$state" run -d --name web -p 8080:80 nginx >/dev/null
out="$("$dexec" ps --sim --state "$state")"
has "$out" "0.0.0.0:8080->80/tcp"
"$dexec" --state "$state" stop --sim web >/dev/null
out="$("$dexec" --sim --state "$state" ps -a)"
has "$out" "Exited"
out="$("$dexec" --sim --state "$state" run --rm alpine echo --sim --state x)"
has "$out" "--sim --state x"

out="$(printf 'docker run --name s alpine echo from-the-shell\nwait 1m\nps -a\nexit\n' |
  "$dexec" --sim --state "$state" shell)"
has "$out" "from-the-shell"
has "$out" "About a minute ago"
out="$("$dexec" --sim --state "$state" ps -a)"
has "$out" " s"

echo "not a state file" >"$work/damaged.json"
if "$dexec" --sim --state "$work/damaged.json" ps 2>"$work/err"; then fail "a damaged state was used"; fi
has "$(cat "$work/err")" "damaged.json"
[ "$(cat "$work/damaged.json")" = "not a state file" ] || fail "the damaged state file was changed"

cd "$src"
"$dexec" --sim --state "$state" build -t hello examples/hello 2>/dev/null
out="$("$dexec" plan --sim --state "$state" examples/hello)"
has "$out" "HIT"
if grep -q "MISS" <<<"$out"; then fail "a step misses after the simulated build: $out"; fi
echo "sim cli: ok"
