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
# Waits until TEXT appears at least COUNT times on the screen (slow machines, sanitizers).
wait_for() {
  local count="${2:-1}"
  for _ in $(seq 1 300); do
    if [ "$(tmux capture-pane -p -t "$session" | grep -cF -- "$1")" -ge "$count" ]; then
      return 0
    fi
    sleep 0.1
  done
  echo "FAIL: \"$1\" never appeared $count times:" >&2
  tmux capture-pane -p -t "$session" >&2
  exit 1
}
wait_for "docker>"
tmux send-keys -t "$session" "run alpine echo first-run" Enter
wait_for "first-run" 2   # the typed line, then the container's output
wait_for "docker>" 2     # the next prompt: the line editor is reading again
# Up: the same line again; Ctrl-A to its start, Ctrl-E to its end, then edit its argument.
tmux send-keys -t "$session" Up C-a C-e BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace \
  BSpace "second-run" Enter
wait_for "second-run" 2
wait_for "docker>" 3
tmux send-keys -t "$session" "exit" Enter
for _ in $(seq 1 50); do [ -f "$state" ] && break; sleep 0.1; done
out="$("$dexec" --sim --state "$state" ps -a)"
grep -q '"echo first-run"' <<<"$out" || { echo "FAIL: the world was not saved: $out" >&2; exit 1; }
grep -q '"echo second-run"' <<<"$out" || { echo "FAIL: the edited line did not run: $out" >&2; exit 1; }
echo "shell in a terminal: ok"
