# Sourced by the tests/ci scripts: pinned npm tools installed under the build
# tree, once (later runs reuse them), never globally.
#   node_tool DIR PACKAGE@VERSION BIN  -> prints the path of BIN
# Exits 77 (ctest: skipped) with the reason when node or npm is missing or the
# registry cannot be reached; the install's time is printed on stderr.
skip() {
    echo "SKIPPED: $*"
    exit 77
}

node_tool() {
    local dir=$1 spec=$2 bin=$3
    local stamp="$dir/.installed-${spec//\//_}"
    command -v node >/dev/null || skip "node not installed (Debian: apt-get install nodejs npm)"
    command -v npm >/dev/null || skip "npm not installed (Debian: apt-get install npm)"
    mkdir -p "$dir"
    (
        # One install at a time: ctest -j may start two tests that need the tool.
        flock 9
        if [[ ! -f "$stamp" || ! -x "$dir/node_modules/.bin/$bin" ]]; then
            local t0=$SECONDS
            echo "installing $spec into $dir (once; node $(node --version))" >&2
            if ! npm install --prefix "$dir" --no-audit --no-fund --no-save "$spec" >"$dir/npm-install.log" 2>&1; then
                tail -n 20 "$dir/npm-install.log" >&2
                exit 77
            fi
            touch "$stamp"
            echo "installed $spec in $((SECONDS - t0)) s" >&2
        fi
    ) 9>"$dir.lock" || skip "npm install $spec failed (registry unreachable? see $dir/npm-install.log)"
    printf '%s\n' "$dir/node_modules/.bin/$bin"
}
