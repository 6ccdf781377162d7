#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The whole test suite: a normal build (gcc) and a sanitizer build (clang, ASan + UBSan),
# each running every ctest (unit, end-to-end, table regeneration checks, fuzz regressions),
# then every fuzz target for a bounded time (clang, libFuzzer).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

echo "== build and test (gcc, -Werror)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

echo "== build and test under AddressSanitizer + UndefinedBehaviorSanitizer (clang)"
cmake -S . -B build-asan -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DDI_SANITIZE=ON >/dev/null
cmake --build build-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs"

# Fuzz targets (tests/fuzz/README.md): each for FUZZ_SECONDS (default 30; 0 skips), one at a
# time; any crash, leak, timeout, out-of-memory or sanitizer report fails the run.
fuzz_seconds=${FUZZ_SECONDS:-30}
if [ "$fuzz_seconds" -gt 0 ]; then
  echo "== fuzz targets (clang, libFuzzer + ASan + UBSan), ${fuzz_seconds}s each"
  cmake -S . -B build-fuzz -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDI_FUZZ=ON >/dev/null
  cmake --build build-fuzz -j "$jobs" --target fuzzers
  tests/fuzz/run-fuzz.sh build-fuzz "$fuzz_seconds"
fi
