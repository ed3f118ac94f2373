#!/usr/bin/env bash
# Mutation testing of the hw crypto drivers (target/crypto/hw): every mutant applied alone in a
# scratch copy of this tree (build-mutation/src, built in build-mutation/build; the work tree and
# build/ are never written), rebuilt, and run against the killers (hw self-tests, the hwcrypto
# driver tests, the sim catalog's sw/hw parity on a subset). Prints progress and the score;
# reports land in build-mutation/runs/<UTC time>/mutation.{md,json}. Not part of ci/test.sh
# (a full run takes hours on 2 cores); see docs/hw-crypto.md.
#
#   bash ci/mutation.sh                       # every mutant of every driver
#   bash ci/mutation.sh --driver rng_hw.c     # one driver (repeatable)
#   bash ci/mutation.sh --max 40 [--seed S]   # a seeded sample of 40 mutants (quick run)
#   bash ci/mutation.sh --only ID             # one mutant (ids: --list)
#   bash ci/mutation.sh --list                # list the mutants, run nothing
#   bash ci/mutation.sh --killers selftest,unit --min-score 95
# Exit: 0 done (score >= --min-score), 1 below, 2 usage, 3 infrastructure.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
say() { printf '[mutation] %s\n' "$*"; }

if [[ " $* " != *" --list "* ]]; then
    bash ci/bootstrap.sh
fi
if [[ -z "${MBEDTLS_SOURCE_DIR:-}" ]]; then
    # The same cached Debian source as the main build (ci/fetch-tls-source.sh, .cache/).
    MBEDTLS_SOURCE_DIR=$(TLSRIG_CACHE_DIR="$root/.cache" bash ci/fetch-tls-source.sh)
fi
export MBEDTLS_SOURCE_DIR
work="${TLSRIG_MUTATION_DIR:-$root/build-mutation}"
say "scratch tree and build: $work (nice -n 10)"
exec nice -n 10 python3 tools/mutation/run.py --repo "$root" --work "$work" "$@"
