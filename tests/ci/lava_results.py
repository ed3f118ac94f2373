#!/usr/bin/env python3
"""The result objects of a lava-run log (its stdout: one JSON object a line;
lava-run prints some values YAML-style, as `! "null"`), one JSON a line."""
import json
import re
import sys

for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    if '"lvl": "results"' not in line:
        continue
    line = re.sub(r'! ("[^"]*")', r"\1", line)
    try:
        msg = json.loads(line)["msg"]
    except (json.JSONDecodeError, KeyError):
        print(json.dumps({"unparsed": line.strip()}))
        continue
    print(json.dumps(msg, sort_keys=True))
