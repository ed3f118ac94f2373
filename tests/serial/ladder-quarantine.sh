#!/bin/sh
# TEST: the recovery ladder on a board behind the fake VCP (run under tests/serial/fake-vcp).
# 1. The agent crashes and the board restarts it (as a watchdog would): the resync rung
#    brings it back (a new session epoch). The agent hangs: resync finds no agent, the
#    probe reset brings it back. Each result names its rung.
# 2. The board stops answering its probe: every rung fails (power cycle skipped, no hub),
#    the board is quarantined, the rest of the run is not-run, exit 3; the next run is
#    refused (exit 3) until `tlsrig unquarantine`.
# usage: ladder-quarantine.sh TLSRIG SOURCE_DIR WORK_DIR
set -u
tlsrig=$1
src=$2
work=$3
rm -rf "$work" && mkdir -p "$work/state" || exit 1
export TLSRIG_STATE_DIR="$work/state"
fail() { echo "FAIL: $*"; exit 1; }
rung_of() { # rung_of RESULTS SCENARIO -> recovered_by of that scenario's result
    python3 - "$1" "$2" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("scenario") == sys.argv[2]:
        print((r.get("recovery") or {}).get("recovered_by", "none"))
PY
}

"$tlsrig" run --board sim-serial --backend sw --config full --scenarios-dir "$src/tests/fixtures/robustness" \
    --scenario 'r[1-4]-*' --retries 0 --quiet --out "$work/run1" >"$work/run1.txt" 2>&1
rc=$?
[ "$rc" = 3 ] || { cat "$work/run1.txt"; fail "run 1 exit $rc, expected 3 (the infra-errors of r1 and r3)"; }
[ "$(rung_of "$work/run1/results.jsonl" r1-crash)" = resync ] || fail "r1-crash not recovered by resync"
[ "$(rung_of "$work/run1/results.jsonl" r3-hang)" = probe-reset ] || fail "r3-hang not recovered by probe-reset"
grep -q '"scenario": *"r4-after-hang".*"outcome": *"pass"' "$work/run1/results.jsonl" ||
    python3 -c "import json,sys; rs=[json.loads(l) for l in open(sys.argv[1])]; sys.exit(0 if any(r.get('scenario')=='r4-after-hang' and r.get('outcome')=='pass' for r in rs) else 1)" "$work/run1/results.jsonl" ||
    fail "r4-after-hang did not pass after the probe reset"

# One reset still works: the one of run 2's start (the build is already running).
fake-board-ctl --serial 0669FF555052836687031234 brick-on-reset 1 || fail "fake-board-ctl brick-on-reset"
"$tlsrig" run --board sim-serial --backend sw --config full --scenarios-dir "$src/tests/fixtures/robustness" \
    --scenario 'r[3-4]-*' --retries 0 --quiet --out "$work/run2" >"$work/run2.txt" 2>&1
rc=$?
cat "$work/run2.txt"
[ "$rc" = 3 ] || fail "run 2 exit $rc, expected 3"
python3 - "$work/run2/results.jsonl" <<'PY' || fail "run 2 results"
import json, sys
rs = [json.loads(l) for l in open(sys.argv[1])]
hang = [r for r in rs if r.get("scenario") == "r3-hang"][0]
rec = hang["recovery"]
assert rec["quarantined"] is True and rec["recovered_by"] == "quarantine", rec
rungs = {s["rung"]: s["result"] for s in rec["steps"]}
assert rungs == {"resync": "failed", "probe-reset": "failed", "power-cycle": "skipped",
                 "rediscover": "failed"}, rungs
after = [r for r in rs if r.get("scenario") == "r4-after-hang"][0]
assert after["outcome"] == "not-run", after
PY
ls "$work/state/quarantine/sim-serial.json" >/dev/null || fail "no quarantine file"
"$tlsrig" list | grep -q 'sim-serial.*QUARANTINED' || fail "tlsrig list does not show the quarantine"

"$tlsrig" run --board sim-serial --backend sw --config full --quiet --out "$work/run3" >"$work/run3.txt" 2>&1
rc=$?
cat "$work/run3.txt"
[ "$rc" = 3 ] || fail "run 3 on a quarantined board: exit $rc, expected 3"
grep -q 'tlsrig unquarantine sim-serial' "$work/run3.txt" || fail "run 3 does not say how to unquarantine"
[ ! -e "$work/run3/results.jsonl" ] || fail "run 3 ran something on a quarantined board"
"$tlsrig" unquarantine sim-serial || fail "unquarantine"
[ ! -e "$work/state/quarantine/sim-serial.json" ] || fail "quarantine file still there"
echo "ladder-quarantine: ok"
