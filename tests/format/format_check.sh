#!/usr/bin/env bash
# ctest format: every C file of the repository is formatted by the project's .clang-format
# (third-party sources are not in the repository).
#   format_check.sh SOURCE_DIR CLANG_FORMAT
# Exit 0 formatted; 1 a file is not (the files and the command that fixes them are printed);
# 77 skipped (not a git checkout).
set -euo pipefail
src=$1
clang_format=$2
git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1 || {
    echo "SKIPPED: $src is not a git checkout (the files to check are git's)"
    exit 77
}
mapfile -d '' files < <(git -C "$src" ls-files -z -- '*.c' '*.h')
cd "$src"
bad=$("$clang_format" --dry-run -Werror "${files[@]}" 2>&1 | grep -oE '^[^:]+:[0-9]+:[0-9]+: error' |
    cut -d: -f1 | sort -u || true)
if [[ -n "$bad" ]]; then
    echo "not clang-formatted:"
    echo "$bad" | sed 's/^/  /'
    echo "fix: (cd $src && clang-format -i $(echo $bad))"
    exit 1
fi
echo "${#files[@]} C files formatted"
