#!/usr/bin/env python3
"""Lower the heap_peak of the first result that has one, in place: a baseline
the run in the same pipeline grew from (tests/ci/gitlab_pipeline.sh)."""
import json
import sys

path = sys.argv[1]
lines = open(path, encoding="utf-8").read().splitlines()
out, done = [], False
for line in lines:
    obj = json.loads(line)
    if not done and "record" not in obj and isinstance(obj.get("heap_peak"), int) and obj["heap_peak"] > 100:
        obj["heap_peak"] -= 100
        done = True
    out.append(json.dumps(obj, separators=(",", ":")))
if not done:
    sys.exit(f"{path}: no result with a heap_peak")
open(path, "w", encoding="utf-8").write("\n".join(out) + "\n")
