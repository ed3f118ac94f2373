#!/usr/bin/env bash
# ctest ci_lava: the LAVA files of ci/lava with Debian's lava-dispatcher,
# without a LAVA server (docs/ci.md, LAVA):
# 1. every device dictionary renders (jinja2, as lava-server would) and every
#    shipped job passes `lava-run --validate` against its device;
# 2. validation refuses a job whose device lacks the user command it names;
# 3. jobs/qemu-f405.yaml runs for real: LAVA's flasher deploy has the rig flash
#    the QEMU image, a command action runs `tlsrig run --board qemu-f405` on one
#    scenario, and the run's `tlsrig report --format lava` lines become LAVA
#    test cases with measurements; the job passes;
# 4. jobs/qemu-f405-lava-boot.yaml (LAVA's own qemu boot method) gets as far as
#    docs/ci.md says: the image deployed and QEMU started, then no prompt.
#   lava_jobs.sh SOURCE_DIR BUILD_DIR
# Exit 0 checked; 1 a check failed; 77 skipped (lava-run, jinja2 or the QEMU image missing).
set -euo pipefail
src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
skip() {
    echo "SKIPPED: $*"
    exit 77
}
command -v lava-run >/dev/null ||
    skip "lava-run not installed (Debian: apt-get install --no-install-recommends lava-dispatcher; docs/ci.md)"
py=/usr/bin/python3 # lava-dispatcher's python, with jinja2 and yaml
"$py" -c 'import jinja2, yaml' 2>/dev/null || skip "python3-jinja2 or python3-yaml missing"
image="$build/images/tlsrig-agent-qemu-f405-sw-full"
[[ -f "$image" ]] || skip "no $image (configure with -DTLSRIG_CROSS=ON)"
lava="$src/ci/lava"
work="$build/tests-ci/lava"
rm -rf "$work"
mkdir -p "$work"
fail=0
t0=$SECONDS
paths=("tlsrig=$build/tlsrig" "tlsrig_lava=$lava/tlsrig-lava.sh")

# Prints the result objects of a lava-run log (one JSON object a line), one per line.
results() { "$py" "$here/lava_results.py" "$1"; }

render() { # device out [VAR=VALUE...]
    "$py" "$here/lava_render.py" "$lava" "$@"
}

validate() { # job device.yaml name
    local id=$((RANDOM + 1000))
    if lava-run --job-id "$id" --output-dir "$work/validate-$3" --device "$2" --validate "$1" >"$work/validate-$3.log" 2>&1; then
        echo "valid: $3"
    else
        echo "FAIL: $3 does not validate:"
        results "$work/validate-$3.log" | tail -n 3
        fail=1
    fi
}

echo "== render the device dictionaries"
render nucleo-f439zi-01 "$work/nucleo-f439zi-01.yaml" "${paths[@]}" "run_dir=$work/nucleo-run"
render tlsrig-qemu-01 "$work/tlsrig-qemu-01.yaml" "${paths[@]}" "run_dir=$work/qemu-run"

echo "== lava-run --validate of every shipped job"
sed "s|AGENT|$image|" "$lava/jobs/qemu-f405.yaml" >"$work/qemu-f405.yaml"
sed "s|KERNEL|$image|" "$lava/jobs/qemu-f405-lava-boot.yaml" >"$work/qemu-f405-lava-boot.yaml"
# Validation reads the flasher's images: the NUCLEO jobs' urls (the worker's
# /opt/tlsrig/build) point into this build, at the NUCLEO image's files when
# they were built, else at the QEMU image as a stand-in (only presence is checked).
shipped=/opt/tlsrig/build/images/tlsrig-agent-nucleo-f439zi-sw-full
for j in nucleo-f439zi nucleo-f439zi-health; do
    cp "$lava/jobs/$j.yaml" "$work/$j.yaml"
    for suffix in .bin .buildid ""; do
        local_file="$build/images/tlsrig-agent-nucleo-f439zi-sw-full$suffix"
        [[ -f "$local_file" ]] || local_file=$image
        sed -i "s|file://$shipped$suffix\$|file://$local_file|" "$work/$j.yaml"
    done
    if grep -q "file:///opt" "$work/$j.yaml"; then
        echo "FAIL: $j.yaml: a flasher url this test does not know"
        fail=1
    fi
    validate "$work/$j.yaml" "$work/nucleo-f439zi-01.yaml" "$j"
done
validate "$work/qemu-f405.yaml" "$work/tlsrig-qemu-01.yaml" qemu-f405
validate "$work/qemu-f405-lava-boot.yaml" "$work/tlsrig-qemu-01.yaml" qemu-f405-lava-boot
n_jobs=$(ls "$lava"/jobs/*.yaml | wc -l)
[[ $n_jobs -eq 4 ]] || { echo "FAIL: $n_jobs jobs in ci/lava/jobs, this test validates 4: add the new one here"; fail=1; }

echo "== validation refuses a user command the device lacks"
sed 's/name: tlsrig_run_smoke/name: tlsrig_run_nothing/' "$work/qemu-f405.yaml" >"$work/missing-command.yaml"
if lava-run --job-id 9 --output-dir "$work/validate-missing" --device "$work/tlsrig-qemu-01.yaml" --validate "$work/missing-command.yaml" >"$work/validate-missing.log" 2>&1; then
    echo "FAIL: a job naming a command the device lacks validated"
    fail=1
else
    echo "refused: tlsrig_run_nothing"
fi

echo "== a real local job on the QEMU target"
t1=$SECONDS
set +e
lava-run --job-id 19 --output-dir "$work/job" --device "$work/tlsrig-qemu-01.yaml" "$work/qemu-f405.yaml" >"$work/job.log" 2>&1
rc=$?
set -e
results "$work/job.log" >"$work/job.results"
echo "lava-run exited $rc in $((SECONDS - t1)) s"
"$py" "$here/check_lava.py" job "$work/job.results" "$work/qemu-run" || fail=1
# What the rig printed inside the job: the flash checked by HELLO, then the run.
for want in "qemu-f405 runs " "Running user command 'tlsrig_run_smoke'" "tlsrig run exited 0"; do
    grep -qF "$want" "$work/job.log" || { echo "FAIL: the job log lacks '$want'"; fail=1; }
done

echo "== LAVA's own qemu boot method"
t1=$SECONDS
lava-run --job-id 20 --output-dir "$work/boot" --device "$work/tlsrig-qemu-01.yaml" "$work/qemu-f405-lava-boot.yaml" >"$work/boot.log" 2>&1 || true
results "$work/boot.log" >"$work/boot.results"
echo "(took $((SECONDS - t1)) s)"
"$py" "$here/check_lava.py" boot "$work/boot.results" || fail=1
echo "lava test $((SECONDS - t0)) s"
exit $fail
