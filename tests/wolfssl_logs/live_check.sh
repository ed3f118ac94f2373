#!/usr/bin/env bash
# Records the golden cases afresh (fixtures/wolfssl-logs/record.sh: the wolfSSL 5.7.2 client
# against tlsrig serve) into a temporary folder and checks that `tlsrig explain` gives each
# fresh log the verdict fixtures/wolfssl-logs/expected.yaml names for its golden: the goldens
# stay what today's wolfSSL and server produce.
#   live_check.sh BUILD_DIR
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bash "$root/fixtures/wolfssl-logs/record.sh" "$build" "$tmp"
python3 - "$root/fixtures/wolfssl-logs/expected.yaml" "$tmp" "$build/tlsrig" <<'PY'
import json, subprocess, sys
expected, tmp, tlsrig = sys.argv[1:4]
cases, cur = [], None
for line in open(expected, encoding="utf-8"):
    s = line.strip()
    if s.startswith("- file: "):
        cur = {"file": s[8:]}
        cases.append(cur)
    elif cur is not None and ":" in s and not s.startswith("#"):
        k, v = s.split(":", 1)
        cur[k.strip()] = v.strip()
bad = 0
fresh = [c for c in cases if not c["file"].startswith("degraded/")]
for c in fresh:
    out = subprocess.run([tlsrig, "explain", "--json", tmp + "/" + c["file"]],
                         capture_output=True, text=True)
    j = json.loads(out.stdout) if out.returncode == 0 else {}
    got = j.get("verdict")
    top = (j.get("candidates") or [{"id": "none"}])[0]["id"]
    ok = got == c["verdict"] and ("top" not in c or top == c["top"])
    print("%-40s %-26s %s" % (c["file"], got, "ok" if ok else "EXPECTED " + c["verdict"]))
    bad += not ok
if len(fresh) < 7:
    print("only %d fresh cases" % len(fresh)); bad += 1
sys.exit(1 if bad else 0)
PY
