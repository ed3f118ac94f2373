#!/usr/bin/env bash
# ctest ci_github_workflow: ci/github/tlsrig.yml checked as far as it can be
# without GitHub: against GitHub's workflow schema (SchemaStore's, as built
# into the pinned npm package @action-validator/cli, installed under the build
# tree; offline), a broken copy must be refused (the validator validates), and
# the commands it runs for each board are those of the GitLab pipeline that
# ci_gitlab_pipeline runs (tests/ci/pipeline_commands.py).
#   github_workflow.sh SOURCE_DIR BUILD_DIR
# Exit 0 checked; 1 a check failed; 77 skipped (node/npm or PyYAML missing).
set -euo pipefail
src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
here=$(dirname "${BASH_SOURCE[0]}")
source "$here/node_tool.sh"
AV_VERSION=0.6.0

py=python3
[[ -x /usr/bin/python3 ]] && py=/usr/bin/python3 # Debian's, with python3-yaml
"$py" -c 'import yaml' 2>/dev/null || skip "PyYAML missing (Debian: apt-get install python3-yaml)"
validator=$(node_tool "$build/tools/action-validator" "@action-validator/cli@$AV_VERSION" action-validator)
work="$build/tests-ci/github"
rm -rf "$work"
mkdir -p "$work"
fail=0

echo "== schema: ci/github/tlsrig.yml"
(cd "$src" && "$validator" ci/github/tlsrig.yml) || { echo "FAIL: the workflow does not validate"; fail=1; }

# The validator must refuse what GitHub refuses: an unknown step key and a job without runs-on.
sed 's/^      - name: Run the scenarios$/      - name: Run the scenarios\n        bogus-key: 1/' \
    "$src/ci/github/tlsrig.yml" >"$work/unknown-key.yml"
grep -v '^    runs-on: \[self-hosted, tlsrig\]$' "$src/ci/github/tlsrig.yml" >"$work/no-runs-on.yml"
for bad in unknown-key no-runs-on; do
    cmp -s "$src/ci/github/tlsrig.yml" "$work/$bad.yml" && { echo "FAIL: $bad: the edit did not apply"; fail=1; }
    if "$validator" "$work/$bad.yml" >"$work/$bad.out" 2>&1; then
        echo "FAIL: the validator accepted $bad.yml"
        fail=1
    else
        echo "refused as it should be: $bad.yml"
    fi
done

echo "== the same commands as the GitLab pipeline"
"$py" "$here/pipeline_commands.py" "$src/ci/gitlab/.gitlab-ci.yml" "$src/ci/github/tlsrig.yml" || fail=1
exit $fail
