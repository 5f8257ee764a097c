#!/usr/bin/env bash
# Installs every dependency (Debian packages, the pinned npm grammar), configures and builds.
# Idempotent and quiet when there is nothing to do. Usage: scripts/setup.sh [BUILD_DIR] [cmake args...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
shift || true

packages=(build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev
  libtree-sitter-dev libre2-dev libboost-graph-dev libarchive-dev catch2 librapidcheck-dev
  nlohmann-json3-dev libcli11-dev libfmt-dev libyaml-cpp-dev libssl-dev libbenchmark-dev
  libedit-dev tmux git pre-commit hyperfine shellcheck libseccomp-dev libcap-dev
  busybox-static skopeo umoci)
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The grammar's C sources come from npm; scripts are not run (no node bindings are built).
grammars="$root/parser/grammars"
stamp="$grammars/node_modules/.dockit-lock"
if ! cmp -s "$grammars/package-lock.json" "$stamp" 2>/dev/null; then
  echo "setup: npm ci (tree-sitter-bash)"
  (cd "$grammars" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
  cp "$grammars/package-lock.json" "$stamp"
fi

if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
fi
# Quiet when there is nothing to do; everything the compiler says is shown when there is.
out=$(cmake --build "$build" -- --quiet 2>&1) || { printf '%s\n' "$out"; exit 1; }
[ -z "$out" ] || [ "$out" = "ninja: no work to do." ] || printf '%s\n' "$out"
