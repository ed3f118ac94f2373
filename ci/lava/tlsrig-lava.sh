#!/usr/bin/env bash
# The rig's side of a LAVA job (docs/ci.md, LAVA). The device dictionary's
# user commands and its connection command call this on the LAVA worker that
# has the board attached:
#   tlsrig-lava.sh flash TLSRIG BOARD ELF BUILDID [BIN] tlsrig flash of an image LAVA downloaded
#   tlsrig-lava.sh run TLSRIG RUN_DIR BOARD [GLOB...]   tlsrig run into RUN_DIR
#   tlsrig-lava.sh cases TLSRIG RUN_DIR                 the run as LAVA test cases
# `flash`: LAVA downloads each image of a flasher deploy into a directory of
# its own; tlsrig flash wants IMAGE.buildid (and IMAGE.bin for a board) beside
# the ELF, so they are put together first. A BIN that LAVA did not substitute
# (the job has no agent_bin image: QEMU) is left out.
# `run` moves an earlier RUN_DIR aside (tlsrig never overwrites a run) and
# exits 0 whatever the scenarios did: their results reach LAVA as test cases,
# and a failed command action would end the job before it reports them; it
# exits 3 when the run reports an infrastructure error or wrote no
# results.jsonl (LAVA: an infrastructure failure, the health check's verdict).
# `cases` prints a start line, `tlsrig report --format lava RUN_DIR`, an end
# line, and stays open: LAVA's monitor test reads the lines as test cases
# between the two markers, then closes the connection.
set -uo pipefail
cmd=${1:-} tlsrig=${2:-} dir=${3:-}
[[ -n "$cmd" && -n "$tlsrig" && -n "$dir" ]] || {
    echo "usage: tlsrig-lava.sh flash|run|cases TLSRIG ..." >&2
    exit 2
}
case "$cmd" in
flash)
    board=$3 elf=${4:?elf} buildid=${5:?buildid} bin=${6:-}
    stage=$(mktemp -d) || exit 3
    trap 'rm -rf "$stage"' EXIT
    name=$(basename "$elf")
    cp "$elf" "$stage/$name" && cp "$buildid" "$stage/$name.buildid" || exit 3
    if [[ -n "$bin" && -f "$bin" ]]; then cp "$bin" "$stage/$name.bin" || exit 3; fi
    "$tlsrig" flash --board "$board" --image "$stage/$name"
    exit $?
    ;;
run)
    board=${4:?board}
    shift 4
    args=(run --board "$board" --out "$dir")
    for g in "$@"; do args+=(--scenario "$g"); done
    [[ -e "$dir" ]] && mv "$dir" "$dir.$(date -u +%Y%m%dT%H%M%SZ).$$"
    mkdir -p "$(dirname "$dir")"
    "$tlsrig" "${args[@]}"
    rc=$?
    echo "tlsrig run exited $rc"
    [[ -f "$dir/results.jsonl" ]] || exit 3
    [[ $rc -eq 3 ]] && exit 3
    exit 0
    ;;
cases)
    echo "tlsrig-lava-cases-begin"
    "$tlsrig" report --format lava "$dir" || echo "lava-test-case tlsrig-report --result fail"
    echo "tlsrig-lava-cases-end"
    exec sleep 600
    ;;
*)
    echo "tlsrig-lava.sh: unknown command '$cmd'" >&2
    exit 2
    ;;
esac
