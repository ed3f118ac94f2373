#!/bin/sh
# TEST: `tlsrig flash --board nucleo-f439zi` with no probe attached (an empty umockdev
# testbed) exits 3 and names the probe serial it looked for; with other probes attached
# (the fake VCP's two) it names them too.
# usage: flash-no-probe.sh TLSRIG FAKE_VCP
set -u
tlsrig=$1
fake_vcp=$2
out=$(umockdev-run -- "$tlsrig" flash --board nucleo-f439zi 2>&1)
rc=$?
echo "$out"
[ "$rc" = 3 ] || { echo "FAIL: exit $rc, expected 3"; exit 1; }
echo "$out" | grep -q 'no probe with serial FILL-IN-YOUR-PROBE-SERIAL' || { echo "FAIL: serial not named"; exit 1; }
echo "$out" | grep -q 'placeholder' || { echo "FAIL: placeholder not explained"; exit 1; }
out=$("$fake_vcp" "$tlsrig" flash --board nucleo-f439zi 2>&1)
rc=$?
echo "$out"
[ "$rc" = 3 ] || { echo "FAIL: exit $rc under fake-vcp, expected 3"; exit 1; }
echo "$out" | grep -q 'attached: stlink-v2-1 0669FF555052836687031234, stlink-v2-1 0669FF555052836687035678' || { echo "FAIL: attached probes not named"; exit 1; }
