#!/usr/bin/env python3
"""The commands the two pipeline files run, normalised, and the check that
they are the same: each calls the shared job scripts (ci/jobs/*.sh) with the
same arguments for the same boards, and neither runs tlsrig outside them.
  pipeline_commands.py GITLAB_YML GITHUB_YML      exit 0 same, 1 differ
Boards and backends come from each file's own jobs (GitLab: one job per
board; GitHub: the matrix), so a board added to one file only is caught."""
import re
import shlex
import sys

import yaml

JOB_SCRIPT = re.compile(r"bash (ci/jobs/[a-z_]+\.sh)((?: +(?:\"[^\"]*\"|[^\s\"]+))*)")
DIRECT_TLSRIG = re.compile(r"(^|[\s/])tlsrig (run|merge|compare|report|flash)\b")


def lines_of(script):
    if isinstance(script, str):
        return script.splitlines()
    return [l for s in script or [] for l in str(s).splitlines()]


def invocations(text, subst):
    """Each 'bash ci/jobs/X.sh ARGS' in the text, variables replaced by subst."""
    out = []
    for line in text:
        if line.lstrip().startswith("#"):
            continue
        for m in JOB_SCRIPT.finditer(line):
            args = shlex.split(m.group(2))
            out.append(" ".join([m.group(1)] + [subst(a) for a in args]))
    return out


def direct_tlsrig(text):
    return [l for l in text if DIRECT_TLSRIG.search(l) and not l.lstrip().startswith("#")]


def gitlab(path):
    doc = yaml.safe_load(open(path, encoding="utf-8"))
    cmds, boards, direct = set(), set(), []
    for name, job in doc.items():
        if not isinstance(job, dict) or name.startswith(".") or "script" not in job and "extends" not in job:
            continue
        script = job.get("script") or doc[job["extends"]].get("script")
        text = lines_of(script)
        direct += direct_tlsrig(text)
        v = job.get("variables", {})
        if "BOARD" in v:
            boards.add((v["BOARD"], v["BACKEND"]))

        def subst(a, v=v):
            a = a.replace("$BOARD", "<board>").replace("$BACKEND", "<backend>")
            return "<baseline>" if a.startswith("${base") else a

        cmds |= set(invocations(text, subst))
    return cmds, boards, direct


def github(path):
    doc = yaml.safe_load(open(path, encoding="utf-8"))
    cmds, boards, direct = set(), set(), []
    for job in doc["jobs"].values():
        for inc in job.get("strategy", {}).get("matrix", {}).get("include", []):
            boards.add((inc["board"], inc["backend"]))
        for step in job.get("steps", []):
            text = lines_of(step.get("run", ""))
            direct += direct_tlsrig(text)

            def subst(a):
                a = re.sub(r"\$\{\{ *matrix\.board *\}\}", "<board>", a)
                a = re.sub(r"\$\{\{ *matrix\.backend *\}\}", "<backend>", a)
                return "<baseline>" if a == "baseline" else a

            cmds |= set(invocations(text, subst))
    return cmds, boards, direct


def main():
    gl, gh = gitlab(sys.argv[1]), github(sys.argv[2])
    ok = True
    for what, i in (("job commands", 0), ("boards and backends", 1)):
        if gl[i] != gh[i]:
            ok = False
            print(f"FAIL: {what} differ\n  GitLab only: {sorted(gl[i] - gh[i])}\n  GitHub only: {sorted(gh[i] - gl[i])}")
        else:
            print(f"same {what}: {sorted(gl[i])}")
    for name, d in (("GitLab", gl[2]), ("GitHub", gh[2])):
        if d:
            ok = False
            print(f"FAIL: {name} runs tlsrig outside ci/jobs/*.sh: {d}")
    if not gl[0]:
        ok = False
        print("FAIL: no ci/jobs command found")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
