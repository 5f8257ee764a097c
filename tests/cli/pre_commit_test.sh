#!/usr/bin/env bash
# End to end with Debian's pre-commit: a scratch repository uses this checkout's
# .pre-commit-hooks.yaml; a bad Dockerfile fails the hook, a fixed one passes.
# Usage: pre_commit_test.sh SOURCE_DIR DLINT_BINARY
set -euo pipefail
src="$1"
dlint_dir="$(dirname "$2")"
if ! command -v pre-commit >/dev/null; then
  echo "SKIP: pre-commit is not installed"; exit 77
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/cache" HOME="$work" PATH="$dlint_dir:$PATH"
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t
# pre-commit installs hooks from a git repository at a revision: snapshot the hook file.
hooks="$work/hooks"
mkdir -p "$hooks"
cp "$src/.pre-commit-hooks.yaml" "$hooks/"
git -C "$hooks" init -q && git -C "$hooks" add . && git -C "$hooks" commit -qm hooks
rev="$(git -C "$hooks" rev-parse HEAD)"
repo="$work/repo"
mkdir -p "$repo" && cd "$repo" && git init -q
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $hooks
    rev: $rev
    hooks:
      - id: dlint
        args: [--no-context]
YAML
printf 'FROM alpine:3.20\nADD app.sh /app.sh\nUSER 1000\nCMD ["/app.sh"]\n' > Dockerfile
git add . 
if pre-commit run --all-files > "$work/out1.txt" 2>&1; then
  cat "$work/out1.txt"; echo "FAIL: the hook passed a Dockerfile with ADD"; exit 1
fi
grep -q "add-instead-of-copy" "$work/out1.txt" || { cat "$work/out1.txt"; echo "FAIL: no finding shown"; exit 1; }
printf 'FROM alpine:3.20\nCOPY app.sh /app.sh\nUSER 1000\nCMD ["/app.sh"]\n' > Dockerfile
git add .
pre-commit run --all-files > "$work/out2.txt" 2>&1 || { cat "$work/out2.txt"; echo "FAIL: the hook failed a clean Dockerfile"; exit 1; }
grep -q "dlint.*Passed" "$work/out2.txt" || { cat "$work/out2.txt"; echo "FAIL: hook did not run"; exit 1; }
printf 'version: "3"\nservices:\n  web:\n    image: nginx:1.27\n' > compose.yaml
git add .
if pre-commit run --all-files > "$work/out3.txt" 2>&1; then
  cat "$work/out3.txt"; echo "FAIL: the hook passed a compose file with version"; exit 1
fi
grep -q "compose-obsolete-version" "$work/out3.txt" || { cat "$work/out3.txt"; echo "FAIL: no compose finding shown"; exit 1; }
printf 'services:\n  web:\n    image: nginx:1.27\n' > compose.yaml
git add .
pre-commit run --all-files > "$work/out4.txt" 2>&1 || { cat "$work/out4.txt"; echo "FAIL: the hook failed a clean compose file"; exit 1; }
echo "pre-commit hook: fails on a bad Dockerfile or compose file, passes on fixed ones"
