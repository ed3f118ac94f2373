#!/usr/bin/env bash
# The main job: install what is missing, build, run the scenario suite on the
# sim target, write the reports. Idempotent; safe to run as root in CI.
#   bash ci/main.sh [extra `tlsrig run` options]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
say() { printf '[main] %s\n' "$*"; }

bash ci/bootstrap.sh
say "configure (build/)"
cfg_log=$(mktemp)
# Every profile on both mbedTLS stacks and board images for every profile (ci/test.sh
# narrows 3.6 and the NUCLEO images to `full`), so that
# `bash ci/main.sh --stack all` finds every image (docs/stacks.md).
# The cache keeps what ci/test.sh narrowed for CI; reset every such variable here.
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTLSRIG_STACK36_PROFILES= -DTLSRIG_BOARD_PROFILES= \
  -DTLSRIG_QEMU_PROFILES= -DTLSRIG_THIRD_PARTY_DEBUG_INFO=ON >"$cfg_log" 2>&1 || { cat "$cfg_log"; rm -f "$cfg_log"; exit 2; }
rm -f "$cfg_log"
say "build"
cmake --build build -j"$(nproc)" 2>&1 | tail -n 3
out="reports/$(date -u +%Y%m%d-%H%M%S)-sim"
say "run the scenario suite on the sim target -> $out"
set +e
# The run history next to the runs (docs/history.md): an explicit --out alone records nothing.
./build/tlsrig run --board sim --out "$out" --history reports/history.sqlite "$@"
rc=$?
set -e
ln -sfn "$(basename "$out")" reports/latest
say "reports: $out (also reports/latest); exit $rc"
exit $rc
