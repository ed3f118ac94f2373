#!/usr/bin/env python3
"""Checks what ci/gitlab/.gitlab-ci.yml left after a run under gitlab-ci-local
(tests/ci/gitlab_pipeline.sh): each board's JUnit file parses and holds the
selected scenario for each backend the board runs, the merged report covers
both boards (and has the host x board matrix), and the compare job's exit code
and text say what the baseline called for. Exit 1 naming every failed check."""
import argparse
import json
import os
import sys
import xml.etree.ElementTree as ET

BOARDS = {"sim": ["sw", "hw"], "qemu-f405": ["sw"]}
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def junit_cases(path):
    root = ET.parse(path).getroot()
    return [(tc.get("classname", ""), tc.get("name", ""), [c.tag for c in tc]) for tc in root.iter("testcase")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", required=True)
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--compare-same", required=True)
    ap.add_argument("--compare-regressed", required=True)
    ap.add_argument("--log", required=True)
    a = ap.parse_args()

    for board, backends in BOARDS.items():
        path = os.path.join(a.src, "out", board, "junit.xml")
        if not check(os.path.isfile(path), f"{path}: missing (the board job's JUnit artifact)"):
            continue
        cases = junit_cases(path)
        for backend in backends:
            hits = [c for c in cases if c[1] == a.scenario and c[0].startswith(f"{board}.{backend}.")]
            check(len(hits) == 1, f"{path}: want one testcase {a.scenario} for {board}.{backend}, got {hits}")
            for c in hits:
                check(not set(c[2]) & {"failure", "error", "skipped"}, f"{path}: {c} is not a pass")
        scen = {c[1] for c in cases if c[1] != "crypto-selftest"}
        check(scen == {a.scenario}, f"{path}: scenarios {sorted(scen)} beyond the selection")

    merged = os.path.join(a.src, "merged")
    report = json.load(open(os.path.join(merged, "report.json"), encoding="utf-8"))
    check(sorted(report["meta"]["boards"]) == sorted(BOARDS), f"merged boards {report['meta']['boards']}")
    totals = report["totals"]
    check(totals["met"] == totals["applicable"] and totals["applicable"] > 0, f"merged totals {totals}")
    check(report["meta"]["completeness"]["status"] == "complete", "merged run not complete")
    farm = report.get("farm", {})
    check(sorted(farm.get("boards", [])) == sorted(BOARDS), f"farm boards {farm.get('boards')}")
    # The runner's TLSRIG_HOST names the host of every run (docs/ci.md).
    check(farm.get("hosts") == ["runner-host-a"], f"farm hosts {farm.get('hosts')}")
    mj = junit_cases(os.path.join(merged, "junit.xml"))
    for board, backends in BOARDS.items():
        for backend in backends:
            check(any(c[1] == a.scenario and c[0].startswith(f"{board}.{backend}.") for c in mj),
                  f"merged junit.xml lacks {board}.{backend} {a.scenario}")
    summary = open(os.path.join(merged, "summary.md"), encoding="utf-8").read()
    check("### Farm: 1 host(s) x 2 board(s)" in summary, "merged summary.md has no farm matrix")

    def compare_result(d):
        rc = open(os.path.join(d, "exit-code")).read().strip()
        return rc, open(os.path.join(d, "compare.txt"), encoding="utf-8").read(), json.load(open(os.path.join(d, "compare.json")))

    rc, text, js = compare_result(a.compare_same)
    check(rc == "0", f"compare against an equal baseline exited {rc}")
    check("no regression" in text and not js["regression"], "compare against an equal baseline: " + text)
    check(any(r.get("rule") == "exact" and r.get("compared", 0) > 0 for r in js.get("rules", [])),
          "the equal baseline was not compared by the exact rule")
    rc, text, js = compare_result(a.compare_regressed)
    check(rc == "1", f"compare against a smaller heap peak exited {rc}, want 1")
    check(js["regression"] and any(c.get("field") == "heap_peak" or "heap_peak" in json.dumps(c) for c in js.get("counters", [])),
          "the heap peak growth is not the regression: " + text)

    log = open(a.log, encoding="utf-8").read()
    for cmd in ("tlsrig run --board sim --backend both", "tlsrig run --board qemu-f405 --backend sw", "tlsrig merge"):
        check(cmd in log, f"the pipeline log does not show '{cmd}'")
    check("nucleo-f439zi" not in [l.split()[0] for l in log.splitlines() if l.strip()], "nucleo job ran")

    for f in failures:
        print("FAIL:", f)
    if not failures:
        print("pipeline artifacts checked: JUnit of sim (sw, hw) and qemu-f405 (sw), merged report over both boards, compare exit 0 and 1")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
