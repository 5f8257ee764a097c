#!/bin/sh
# dlint --fix on files: the file gets exactly the text --fix prints for stdin, keeps its mode,
# no temporary file is left, and a file that cannot be replaced is left intact with exit 2.
set -eu
source_dir=$1
dlint=$2
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
cp "$source_dir/tests/cli/fix-input.txt" "$work/Dockerfile"
chmod 640 "$work/Dockerfile"

"$dlint" --fix --stdin-filename Dockerfile - <"$work/Dockerfile" >"$work/expected" 2>/dev/null || true
status=0
"$dlint" --fix "$work/Dockerfile" >/dev/null || status=$?
[ "$status" = 1 ] || { echo "want exit 1 (findings without a fix remain), got $status"; exit 1; }
cmp "$work/expected" "$work/Dockerfile" || { echo "fixed file differs from the stdin result"; exit 1; }
[ "$(stat -c %a "$work/Dockerfile")" = 640 ] || { echo "mode not kept"; exit 1; }
[ -z "$(ls "$work" | grep dlint-tmp || true)" ] || { echo "temporary file left"; exit 1; }

# Fixing again changes nothing.
cp "$work/Dockerfile" "$work/once"
"$dlint" --fix "$work/Dockerfile" >/dev/null || true
cmp "$work/once" "$work/Dockerfile" || { echo "--fix is not idempotent"; exit 1; }

# A folder where the fixed file cannot be written: exit 2, original untouched.
if [ "$(id -u)" != 0 ]; then
  mkdir "$work/ro"
  cp "$source_dir/tests/cli/fix-input.txt" "$work/ro/Dockerfile"
  chmod 555 "$work/ro"
  status=0
  "$dlint" --fix "$work/ro/Dockerfile" >/dev/null 2>&1 || status=$?
  [ "$status" = 2 ] || { echo "want exit 2 for an unwritable folder, got $status"; exit 1; }
  cmp "$source_dir/tests/cli/fix-input.txt" "$work/ro/Dockerfile" || { echo "original changed"; exit 1; }
fi
echo ok
