#!/usr/bin/env bash
# The whole test suite, as CI runs it: dependencies, an ASan+UBSan build with g++, the
# libFuzzer target for FUZZ_SECONDS (default 60) under ASan+UBSan with clang, then ctest.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh" "$root/build-asan" -DDOCKIT_SANITIZE=ON -DDOCKIT_BENCH=OFF
"$root/scripts/fuzz.sh" "${FUZZ_SECONDS:-60}"
cd "$root/build-asan"
ctest --output-on-failure -j"$(nproc)"
