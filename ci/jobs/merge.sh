#!/usr/bin/env bash
# The merge job: one report (with the host x board matrix) from every board's run.
#   bash ci/jobs/merge.sh OUT RUN_DIR...
# Run directories without results.jsonl (a job that died before its run began)
# are named and left out. Exit: tlsrig merge's; 1 when no run is there.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
(($# >= 2)) || { say "usage: merge.sh OUT RUN_DIR..."; exit 2; }
out=$1
shift
runs=()
for d in "$@"; do
    if [[ -f "$d/results.jsonl" ]]; then
        runs+=("$d")
    else
        say "no run in $d (its job failed before tlsrig run began): left out"
    fi
done
((${#runs[@]} > 0)) || { say "no run to merge"; exit 1; }
tlsrig=$(tlsrig_bin)
say "tlsrig merge ${runs[*]} --out $out"
"$tlsrig" merge "${runs[@]}" --out "$out"
cat "$out/summary.md"
