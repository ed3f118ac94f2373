#!/usr/bin/env python3
"""Checks the results of the local LAVA jobs (tests/ci/lava_jobs.sh).
  check_lava.py job RESULTS RUN_DIR   the QEMU job: passed, every result of the
      rig's run is a LAVA test case with the right result and measurement
  check_lava.py boot RESULTS          LAVA's qemu boot method: how far it got"""
import json
import os
import socket
import sys


def load(path):
    return [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]


def by_case(results, definition=None):
    return {r.get("extra", {}).get("test_case_id", r.get("case")): r for r in results
            if definition is None or r.get("definition") == definition}


fail = []


def check(cond, what):
    if not cond:
        fail.append(what)


def job(results, run_dir):
    lava = by_case(results, "lava")
    check(lava.get("job", {}).get("result") == "pass", f"job result {lava.get('job')}")
    bad = [r for r in results if r.get("definition") == "lava" and r.get("result") == "fail"]
    check(not bad, f"LAVA actions failed: {bad}")
    check(lava.get("lava-test-monitor", {}).get("result") == "pass", "the monitor did not pass")
    downloads = {r.get("extra", {}).get("label") for r in results if r.get("case") == "file-download"}
    check(downloads == {"agent", "buildid"}, f"flasher images downloaded: {downloads}")
    cases = by_case(results, "tlsrig")
    # The rig's own account of the run, against what reached LAVA.
    lines = [json.loads(l) for l in open(os.path.join(run_dir, "results.jsonl")) if l.strip()]
    rig = [r for r in lines if "record" not in r]
    start = [r for r in lines if r.get("record") == "run-start"]
    # Without TLSRIG_HOST the run records the machine's name.
    check(start and start[0].get("host") == (os.environ.get("TLSRIG_HOST") or socket.gethostname()),
          f"run-start host {start and start[0].get('host')}, machine {socket.gethostname()}")
    check(len(rig) >= 2, f"the run has {len(rig)} results")
    for r in rig:
        name = f"{r['scenario']}.{r['backend']}"
        c = cases.get(name)
        if c is None:
            fail.append(f"no LAVA test case {name} (cases: {sorted(cases)})")
            continue
        want = "pass" if r.get("expect_met") and r.get("outcome") not in ("skipped", "not-run") else "fail"
        check(c["result"] == want, f"{name}: LAVA says {c['result']}, the rig {r.get('outcome')}")
        if "target_duration_us" in r:
            check(c.get("units") == "ms" and abs(float(c["measurement"]) - r["target_duration_us"] / 1000) < 0.01,
                  f"{name}: measurement {c.get('measurement')} {c.get('units')}, rig {r['target_duration_us']} us")
        if "heap_peak" in r:
            h = cases.get(name + ".heap-peak")
            check(h is not None and float(h["measurement"]) == r["heap_peak"] and h.get("units") == "bytes",
                  f"{name}.heap-peak: {h}")
    check(cases.get("tlsrig-run-complete", {}).get("result") == "pass", "tlsrig-run-complete not pass")
    if not fail:
        print(f"LAVA job passed; {len(cases)} LAVA test cases match the rig's {len(rig)} results")


def boot(results):
    r = by_case(results, "lava")
    check(r.get("file-download", {}).get("result") == "pass", f"file-download: {r.get('file-download')}")
    check(r.get("execute-qemu", {}).get("result") == "pass", f"execute-qemu: {r.get('execute-qemu')}")
    login = r.get("auto-login-action", {})
    # The 3 s boot timeout ends it inside the prompt wait ("wait for prompt timed out") or, on
    # a busy machine, at the action's own deadline ("login-action timed out after 3 seconds");
    # both mean no prompt came. A prompt would pass the action.
    said = json.dumps(login)
    check(login.get("result") == "fail" and ("prompt" in said or "login-action timed out" in said),
          f"auto-login-action: {login} (docs/ci.md says: no prompt; update it if this changed)")
    check(r.get("job", {}).get("result") == "fail", "the boot job passed: docs/ci.md says it cannot")
    if not fail:
        print("LAVA's qemu boot method: image deployed, QEMU started, then no prompt (as docs/ci.md says)")


if __name__ == "__main__":
    res = load(sys.argv[2])
    if sys.argv[1] == "job":
        job(res, sys.argv[3])
    else:
        boot(res)
    for f in fail:
        print("FAIL:", f)
    sys.exit(1 if fail else 0)
