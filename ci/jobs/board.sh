#!/usr/bin/env bash
# One board's job: run the scenarios on BOARD into OUT (JUnit, reports,
# results.jsonl), against BASELINE_DIR when it holds a run of this job.
#   bash ci/jobs/board.sh BOARD BACKEND OUT [BASELINE_DIR]
# Env: TLSRIG_SCENARIOS (globs; empty: the catalog), REPEAT (samples, default 1),
# TLSRIG_BIN (a prebuilt tlsrig). Exit: tlsrig run's (0 met, 1 not met or a
# regression, 2 configuration, 3 infrastructure).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
(($# >= 3)) || { say "usage: board.sh BOARD BACKEND OUT [BASELINE_DIR]"; exit 2; }
board=$1 backend=$2 out=$3 baseline=${4:-}
tlsrig=$(tlsrig_bin)
mapfile -t sel < <(scenario_args)
args=(run --board "$board" --backend "$backend" --repeat "${REPEAT:-1}" --out "$out" "${sel[@]}")
if [[ -n "$baseline" && -f "$baseline/results.jsonl" ]]; then
    args+=(--baseline "$baseline")
fi
say "tlsrig ${args[*]}"
exec "$tlsrig" "${args[@]}"
