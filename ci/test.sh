#!/usr/bin/env bash
# The whole test suite: install what is missing, build (gcc), run every test;
# then the ASan+UBSan build (clang) with the fuzzers, and run every test again
# there, fuzz smoke runs included. Idempotent; safe to run as root in CI.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
say() { printf '[test] %s\n' "$*"; }
jobs=$(nproc)
# Tests wait more than they compute (agents, servers, QEMU, timeouts): twice as many as
# cores keeps the cores busy (measured: the gcc tests took 104 s at -j4 on 2 cores, 174 s at -j2).
test_jobs=$((jobs * 2))

# One build, its output in DIR/build.log: the errors and warnings printed, the log kept.
# (A second `cmake --build` only to get the exit status cost a minute of make's checks.)
build() {
  local dir=$1
  if ! cmake --build "$dir" -j"$jobs" >"$dir/build.log" 2>&1; then
    grep -E 'error:|Error [0-9]|undefined reference' "$dir/build.log" | head -n 40 || true
    say "build of $dir/ failed: the whole output is in $dir/build.log"
    exit 1
  fi
  grep -E 'warning:' "$dir/build.log" || true
}

bash ci/bootstrap.sh
say "configure and build (build/, gcc)"
# Both mbedTLS stacks; 3.6 for the `full` profile only (sim, QEMU and NUCLEO images), and the
# NUCLEO images of both stacks for `full` only, to stay inside CI's time budget
# (docs/stacks.md: the 3.6 catalog with every profile is `bash ci/main.sh --stack all`);
# the 2.28 QEMU images for `full` only (the QEMU tests run `full` scenarios); the TLS
# libraries built from source without debug information (a tenth of their compile).
# No per-object progress lines (CMAKE_RULE_MESSAGES=OFF): each was a `cmake -E` process, about
# 40 ms of CPU, some 150 s over the 3,800 objects of this build; the log needs none of them.
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTLSRIG_STACK36_PROFILES=full \
  -DTLSRIG_BOARD_PROFILES=full -DTLSRIG_QEMU_PROFILES=full -DTLSRIG_THIRD_PARTY_DEBUG_INFO=OFF \
  -DTLSRIG_WOLFSSL_CROSS_PROFILES=full -DCMAKE_RULE_MESSAGES=OFF >/dev/null
build build
say "tests (build/)"
ctest --test-dir build --output-on-failure -j"$test_jobs" --timeout 600

say "configure and build (build-asan/, clang, ASan+UBSan, libFuzzer)"
CC=clang cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DTLSRIG_SANITIZE=ON -DTLSRIG_FUZZ=ON \
  -DTLSRIG_CROSS=OFF -DTLSRIG_CONFIG_PROFILES=full -DTLSRIG_STACKS=mbedtls-2.28 -DTLSRIG_FUZZ_RUNS=8000 \
  -DCMAKE_RULE_MESSAGES=OFF >/dev/null
build build-asan
say "tests (build-asan/, fuzz smoke runs included)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$test_jobs" --timeout 900
say "all tests passed"
