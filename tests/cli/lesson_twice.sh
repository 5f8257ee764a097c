#!/usr/bin/env bash
# A lesson graded twice prints byte-identical output (issue 5: "running a lesson twice gives
# byte-identical output"). Usage: lesson_twice.sh DEXEC LESSON
set -euo pipefail
dexec="$1"
lesson="$2"
first="$(mktemp)"
second="$(mktemp)"
trap 'rm -f "$first" "$second"' EXIT
"$dexec" --sim lesson --check "$lesson" >"$first" 2>&1
"$dexec" --sim lesson --check "$lesson" >"$second" 2>&1
cmp "$first" "$second"
