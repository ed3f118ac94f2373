#!/bin/sh
# TEST: under the fake VCP, the first `tlsrig flash --board sim-serial` programs the board
# (no agent answered), the second finds the same build running and skips flashing (0 s),
# then the board still answers with that build.
# usage: flash-skip.sh TLSRIG (run under tests/serial/fake-vcp)
set -u
tlsrig=$1
first=$("$tlsrig" flash --board sim-serial 2>&1) || { echo "first flash failed: $first"; exit 1; }
echo "$first"
echo "$first" | grep -q '^flash: programmed, no agent answered HELLO' || { echo "FAIL: first flash did not program"; exit 1; }
second=$("$tlsrig" flash --board sim-serial 2>&1) || { echo "second flash failed: $second"; exit 1; }
echo "$second"
echo "$second" | grep -q '^flash: skipped, build already running (0.0 s)' || { echo "FAIL: second flash did not skip"; exit 1; }
echo "$second" | grep -q '^sim-serial runs .*tlsrig-agent-sim-sw-full: build ' || { echo "FAIL: no HELLO after the skip"; exit 1; }
other=$("$tlsrig" flash --board sim-serial --backend hw 2>&1) || { echo "hw flash failed: $other"; exit 1; }
echo "$other"
echo "$other" | grep -q '^flash: programmed, the board ran sim build .* (sw/full)' || { echo "FAIL: another build was not reflashed"; exit 1; }
