#!/usr/bin/env bash
# The baseline job: compare the merged run NEW with BASE (the merged run of
# the last good pipeline on the default branch), rules of docs/reports.md;
# OUT gets compare.txt, compare.json and exit-code (the artifact).
#   bash ci/jobs/compare.sh BASE NEW OUT
# No BASE run (the first pipeline, or the default branch itself): says so in
# OUT/compare.txt and exits 0. Exit: tlsrig compare's (0 no regression,
# 1 a regression, 2 unreadable run).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
(($# == 3)) || { say "usage: compare.sh BASE NEW OUT"; exit 2; }
base=$1 new=$2 out=$3
mkdir -p "$out"
if [[ ! -f "$base/results.jsonl" ]]; then
    say "no baseline run in '$base': nothing to compare against" 2>&1 | tee "$out/compare.txt"
    exit 0
fi
tlsrig=$(tlsrig_bin)
say "tlsrig compare $base $new"
rc=0
"$tlsrig" compare "$base" "$new" | tee "$out/compare.txt" || rc=${PIPESTATUS[0]}
"$tlsrig" compare --json "$base" "$new" >"$out/compare.json" || true
echo "$rc" >"$out/exit-code"
exit "$rc"
