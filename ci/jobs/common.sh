# Sourced by the CI job scripts (ci/jobs/*.sh), which both pipeline files
# (ci/gitlab/.gitlab-ci.yml, ci/github/tlsrig.yml) call: the commands a
# pipeline runs live here once, so the two cannot drift (tests/ci checks
# that each pipeline calls these scripts and runs tlsrig nowhere else).
set -euo pipefail
say() { printf '[ci] %s\n' "$*" >&2; }

# The tlsrig binary: $TLSRIG_BIN when set (a prebuilt tree: the local
# pipeline test, a farm that builds once per host), else build/ of this
# checkout, configured and built on first use.
tlsrig_bin() {
    if [[ -n "${TLSRIG_BIN:-}" ]]; then
        [[ -x "$TLSRIG_BIN" ]] || { say "TLSRIG_BIN=$TLSRIG_BIN is not an executable"; return 2; }
        printf '%s\n' "$TLSRIG_BIN"
        return 0
    fi
    if [[ ! -x build/tlsrig ]]; then
        bash ci/bootstrap.sh >&2
        say "configure and build (build/)"
        cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTLSRIG_STACK36_PROFILES=full \
            -DTLSRIG_BOARD_PROFILES=full >/dev/null
        cmake --build build -j"$(nproc)" >&2
    fi
    printf '%s\n' "$PWD/build/tlsrig"
}

# The scenario selection as --scenario options: $TLSRIG_SCENARIOS, space-separated
# globs (unexpanded by the shell); empty: the whole catalog.
scenario_args() {
    local s
    set -f
    for s in ${TLSRIG_SCENARIOS:-}; do
        printf -- '--scenario\n%s\n' "$s"
    done
    set +f
}
