#!/usr/bin/env bash
# dexec --sim shell in a real terminal (tmux): a typed command runs, the Up arrow brings it back
# from the history and Ctrl-A/Ctrl-E edit the line (libedit), `exit` saves the world.
# Usage: sim_shell_tty_test.sh DEXEC   (skips with 77 without tmux)
set -euo pipefail
dexec="$1"
command -v tmux >/dev/null || { echo "SKIPPED: tmux is not installed"; exit 77; }
work="$(mktemp -d)"
session="dexec-shell-$$"
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$work"' EXIT
state="$work/state.json"
tmux new-session -d -s "$session" -x 160 -y 40 "$dexec --sim --state $state shell"
wait_for() {
  for _ in $(seq 1 100); do
    if tmux capture-pane -p -t "$session" | grep -qF -- "$1"; then return 0; fi
    sleep 0.1
  done
  echo "FAIL: \"$1\" never appeared:" >&2
  tmux capture-pane -p -t "$session" >&2
  exit 1
}
wait_for "docker>"
tmux send-keys -t "$session" "run alpine echo first-run" Enter
wait_for "first-run"
# Up: the same line again; Ctrl-A to its start, Ctrl-E to its end, then edit its argument.
tmux send-keys -t "$session" Up C-a C-e BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace \
  BSpace "second-run" Enter
for _ in $(seq 1 100); do
  [ "$(tmux capture-pane -p -t "$session" | grep -c "second-run")" -ge 2 ] && break
  sleep 0.1
done
tmux send-keys -t "$session" "exit" Enter
for _ in $(seq 1 50); do [ -f "$state" ] && break; sleep 0.1; done
out="$("$dexec" --sim --state "$state" ps -a)"
grep -q '"echo first-run"' <<<"$out" || { echo "FAIL: the world was not saved: $out" >&2; exit 1; }
grep -q '"echo second-run"' <<<"$out" || { echo "FAIL: the edited line did not run: $out" >&2; exit 1; }
echo "shell in a terminal: ok"
