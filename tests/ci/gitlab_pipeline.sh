#!/usr/bin/env bash
# ctest ci_gitlab_pipeline: run ci/gitlab/.gitlab-ci.yml under gitlab-ci-local
# (pinned, installed under the build tree) with the shell executor, on a copy
# of the repository and this build's binaries, with the sim and QEMU boards
# standing in for attached boards; then check what it left: the JUnit files,
# the merged report over both boards, the comparison with a baseline (and that
# a regression fails the pipeline).
#   gitlab_pipeline.sh SOURCE_DIR BUILD_DIR
# Exit 0 checked; 1 a check failed; 77 skipped (node, npm, rsync or git missing).
set -euo pipefail
src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
here=$(dirname "${BASH_SOURCE[0]}")
source "$here/node_tool.sh"
GCL_VERSION=4.55.0 # the newest without the native re2 module (4.56 on): npm compiles re2 from source here (about 5 min of CPU) since its prebuilt binary cannot be downloaded; 4.75 needs a newer Node than Debian's 20

for tool in rsync git; do
    command -v "$tool" >/dev/null || skip "$tool not installed (gitlab-ci-local's shell executor needs it; bash ci/bootstrap.sh)"
done
[[ -x "$build/tlsrig" ]] || skip "no $build/tlsrig"
[[ -n "$(ls "$build"/images/tlsrig-agent-qemu-f405-sw-full* 2>/dev/null)" ]] ||
    skip "no QEMU image in $build/images (configure with -DTLSRIG_CROSS=ON)"
gcl=$(node_tool "$build/tools/gitlab-ci-local" "gitlab-ci-local@$GCL_VERSION" gitlab-ci-local)
t0=$SECONDS

# The project as a fresh clone would have it (tracked and new files, no build trees).
work="$build/tests-ci/gitlab"
rm -rf "$work"
mkdir -p "$work/src" "$work/home"
(cd "$src" && git ls-files -z --cached --others --exclude-standard) |
    (cd "$src" && rsync -a --from0 --files-from=- ./ "$work/src/")
(
    cd "$work/src"
    git init -q -b main
    git -c user.name=tlsrig -c user.email=tlsrig@localhost add -A
    git -c user.name=tlsrig -c user.email=tlsrig@localhost commit -q -m pipeline
    git remote add origin https://gitlab.invalid/tlsrig/tlsrig.git # read, never contacted
)

# The tiny selection CI can afford: one scenario on each board, sw and hw on sim.
scenario=happy-ecdhe-ecdsa-aes128-gcm-p256
gcl_run() {
    (cd "$work/src" && "$gcl" --file ci/gitlab/.gitlab-ci.yml --home "$work/home" \
        --shell-executor-no-image --no-color --max-job-name-padding 0 \
        --variable "TLSRIG_BIN=$build/tlsrig" --variable "TLSRIG_SCENARIOS=$scenario" \
        --variable "TLSRIG_SKIP_BOARDS=nucleo-f439zi" --variable "TLSRIG_HOST=runner-host-a" "$@")
}

echo "== pipeline (boards: sim, qemu-f405; scenario $scenario)"
gcl_run --variable "TLSRIG_BASELINE_DIR=" >"$work/pipeline.log" 2>&1 || {
    cat "$work/pipeline.log"
    echo "FAIL: the pipeline did not run green"
    exit 1
}
t_pipeline=$((SECONDS - t0))

# The baseline: this pipeline's merged run, as the default branch's pipeline
# would have left it. A copy with one heap peak lowered stands for a baseline
# the new run regressed from (exact counters: TEST ONLY seeds on sim and QEMU).
cp -a "$work/src/merged" "$work/baseline-same"
cp -a "$work/src/merged" "$work/baseline-smaller"
python3 "$here/lower_heap_peak.py" "$work/baseline-smaller/results.jsonl"

echo "== compare job against an equal baseline"
gcl_run compare --variable "TLSRIG_BASELINE_DIR=$work/baseline-same" >"$work/compare-same.log" 2>&1 || {
    cat "$work/compare-same.log"
    echo "FAIL: the compare job failed against an equal baseline"
    exit 1
}
cp -a "$work/src/compare" "$work/compare-same"
echo "== compare job against a baseline with a smaller heap peak (must fail)"
if gcl_run compare --variable "TLSRIG_BASELINE_DIR=$work/baseline-smaller" >"$work/compare-regressed.log" 2>&1; then
    cat "$work/compare-regressed.log"
    echo "FAIL: the pipeline passed a regression"
    exit 1
fi
cp -a "$work/src/compare" "$work/compare-regressed"

python3 "$here/check_pipeline.py" --src "$work/src" --scenario "$scenario" \
    --compare-same "$work/compare-same" --compare-regressed "$work/compare-regressed" \
    --log "$work/pipeline.log"
echo "pipeline ${t_pipeline} s, whole test $((SECONDS - t0)) s after the install (gitlab-ci-local $GCL_VERSION, node $(node --version))"
