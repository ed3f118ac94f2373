#!/usr/bin/env bash
# A fuzz campaign: every libFuzzer target of the ASan+UBSan build (or the ones
# named) for a given number of executions, one after the other, one process,
# each on a copy of its kept corpus. Prints per target: executions, exec/s,
# coverage (cov, ft), corpus size and crashes with their artifact paths.
# docs/fuzzing.md explains the options and how to read the table.
#
# Exit: 0 no target crashed; 1 a target crashed (or leaked, timed out, ran out
# of memory); 2 usage error; 3 infrastructure error (build, missing binary).
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

usage() {
  cat <<'EOF'
usage: ci/fuzz-campaign.sh [--runs N] [--max-time S] [--merge] [--nice N] [--build-dir DIR]
                           [--work-dir DIR] [--list] [TARGET...]
  --runs N        executions per target (default 1000000)
  --max-time S    also stop a target after S seconds (default: no limit)
  --merge         afterwards, add the inputs that found new coverage to fuzz/corpus/<target>
                  (libFuzzer -merge=1; without it the committed corpus is never touched)
  --nice N        scheduling niceness of the fuzzers (default 10)
  --build-dir DIR ASan+UBSan+libFuzzer build (default build-asan; configured and built if missing)
  --work-dir DIR  corpus copies, logs and crash artifacts (default BUILD/fuzz-campaign/<UTC time>)
  --list          print the targets and exit
  TARGET...       only these targets (default: every target the build registers)
EOF
}

say() { printf '[fuzz] %s\n' "$*" >&2; }
die_usage() { say "$*"; usage >&2; exit 2; }
die_infra() { say "$*"; exit 3; }

runs=1000000
max_time=0
merge=0
niceness=10
build_dir=$root/build-asan
work_dir=
list_only=0
targets=()
while [ $# -gt 0 ]; do
  case $1 in
    --runs) [ $# -ge 2 ] || die_usage "--runs needs a value"; runs=$2; shift 2 ;;
    --max-time) [ $# -ge 2 ] || die_usage "--max-time needs a value"; max_time=$2; shift 2 ;;
    --merge) merge=1; shift ;;
    --nice) [ $# -ge 2 ] || die_usage "--nice needs a value"; niceness=$2; shift 2 ;;
    --build-dir) [ $# -ge 2 ] || die_usage "--build-dir needs a value"; build_dir=$2; shift 2 ;;
    --work-dir) [ $# -ge 2 ] || die_usage "--work-dir needs a value"; work_dir=$2; shift 2 ;;
    --list) list_only=1; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) die_usage "unknown option $1" ;;
    *) targets+=("$1"); shift ;;
  esac
done
for v in "$runs" "$max_time" "$niceness"; do
  [[ $v =~ ^[0-9]+$ ]] || die_usage "not a non-negative integer: $v"
done
[ "$runs" -gt 0 ] || die_usage "--runs must be at least 1"

# The build: configured exactly as ci/test.sh configures build-asan.
if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  say "configuring $build_dir (clang, ASan+UBSan, libFuzzer)"
  CC=clang cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Debug -DTLSRIG_SANITIZE=ON \
    -DTLSRIG_FUZZ=ON -DTLSRIG_CROSS=OFF -DTLSRIG_CONFIG_PROFILES=full >/dev/null ||
    die_infra "configuring $build_dir failed"
fi
grep -q '^TLSRIG_FUZZ:BOOL=ON' "$build_dir/CMakeCache.txt" ||
  die_usage "$build_dir is not a TLSRIG_FUZZ=ON build"

# Targets by convention: tlsrig_fuzzer(<name>) in fuzz/<dir>/CMakeLists.txt
# registers the ctest "<name>-fuzz-smoke" running fuzz_<name> on fuzz/corpus/<name>.
mapfile -t known < <(ctest --test-dir "$build_dir" -N 2>/dev/null |
  sed -n 's/^ *Test *#[0-9]*: \(.*\)-fuzz-smoke$/\1/p' | sort)
[ ${#known[@]} -gt 0 ] || die_infra "no <name>-fuzz-smoke tests registered in $build_dir"
if [ $list_only = 1 ]; then
  printf '%s\n' "${known[@]}"
  exit 0
fi
if [ ${#targets[@]} -eq 0 ]; then
  targets=("${known[@]}")
fi
for t in "${targets[@]}"; do
  printf '%s\n' "${known[@]}" | grep -qx -- "$t" ||
    die_usage "unknown target '$t' (known: ${known[*]})"
  [ -d "$root/fuzz/corpus/$t" ] || die_infra "no corpus directory fuzz/corpus/$t"
done

build_targets=()
for t in "${targets[@]}"; do build_targets+=(--target "fuzz_$t"); done
say "building ${targets[*]} in $build_dir"
nice -n "$niceness" cmake --build "$build_dir" -j"$(nproc)" "${build_targets[@]}" >/dev/null ||
  die_infra "building the fuzzers failed (cmake --build $build_dir ${build_targets[*]})"

work_dir=${work_dir:-$build_dir/fuzz-campaign/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$work_dir" || die_infra "cannot create $work_dir"
summary=$work_dir/summary.tsv
printf 'target\texecutions\texec_per_s\tseconds\tcov\tft\tcorpus\tnew_units\tcrashes\tartifacts\n' \
  >"$summary" || die_infra "cannot write $summary"

child=
# shellcheck disable=SC2317 # reached through the traps below
on_signal() {
  [ -n "$child" ] && kill "$child" 2>/dev/null
  say "interrupted; partial results in $work_dir"
  exit "$1"
}
trap 'on_signal 130' INT
trap 'on_signal 143' TERM

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

count_files() { find "$1" -maxdepth 1 -type f | wc -l; }
stat_of() { sed -n "s/^stat::$1: *\([0-9]*\).*/\1/p" "$2" | tail -1; }

crashed_targets=0
for t in "${targets[@]}"; do
  bin=$(find "$build_dir/fuzz" -type f -name "fuzz_$t" -perm -u+x | head -1)
  [ -n "$bin" ] || die_infra "fuzz_$t not found under $build_dir/fuzz"
  tdir=$work_dir/$t
  mkdir -p "$tdir/corpus" "$tdir/artifacts" || die_infra "cannot create $tdir"
  cp -a "$root/fuzz/corpus/$t/." "$tdir/corpus/" || die_infra "cannot copy fuzz/corpus/$t"
  args=(-runs="$runs" -print_final_stats=1 -timeout=10 -artifact_prefix="$tdir/artifacts/")
  [ "$max_time" -gt 0 ] && args+=(-max_total_time="$max_time")
  say "$t: up to $runs executions ($(count_files "$tdir/corpus") seed inputs), log $tdir/fuzz.log"
  start=$(date +%s.%N)
  nice -n "$niceness" "$bin" "${args[@]}" "$tdir/corpus" >"$tdir/fuzz.log" 2>&1 &
  child=$!
  wait "$child"
  rc=$?
  child=
  seconds=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }')
  execs=$(stat_of number_of_executed_units "$tdir/fuzz.log")
  speed=$(stat_of average_exec_per_sec "$tdir/fuzz.log")
  new_units=$(stat_of new_units_added "$tdir/fuzz.log")
  # Coverage: the last libFuzzer status line ("#N  DONE  cov: C ft: F corp: U/...").
  last=$(grep -E '^#[0-9]+.*cov: ' "$tdir/fuzz.log" | tail -1)
  cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.*ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.*corp: \([0-9]*\).*/\1/p' <<<"$last")
  mapfile -t artifacts < <(find "$tdir/artifacts" -type f | sort)
  crashes=${#artifacts[@]}
  if [ "$rc" -ne 0 ] && [ "$crashes" -eq 0 ]; then
    crashes=1 # died without an artifact (e.g. killed): still not clean
    artifacts=("(none written; see $tdir/fuzz.log, exit $rc)")
  fi
  [ "$crashes" -gt 0 ] && crashed_targets=$((crashed_targets + 1))
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "${execs:-?}" "${speed:-?}" "$seconds" \
    "${cov:-?}" "${ft:-?}" "${corp:-?}" "${new_units:-?}" "$crashes" "${artifacts[*]:-}" \
    >>"$summary" || die_infra "cannot write $summary"
  if [ $merge = 1 ] && [ "$crashes" -eq 0 ]; then
    before=$(count_files "$root/fuzz/corpus/$t")
    nice -n "$niceness" "$bin" -merge=1 "$root/fuzz/corpus/$t" "$tdir/corpus" \
      >"$tdir/merge.log" 2>&1 || die_infra "merging into fuzz/corpus/$t failed ($tdir/merge.log)"
    say "$t: merged $(($(count_files "$root/fuzz/corpus/$t") - before)) new inputs into fuzz/corpus/$t"
  fi
done

printf '\n%-14s %12s %9s %7s %6s %7s %7s %7s\n' target executions exec/s seconds cov ft corpus crashes
tail -n +2 "$summary" | while IFS=$'\t' read -r t e s secs c f corp _new cr arts; do
  printf '%-14s %12s %9s %7s %6s %7s %7s %7s\n' "$t" "$e" "$s" "$secs" "$c" "$f" "$corp" "$cr"
  [ "$cr" != 0 ] && printf '  artifacts: %s\n' "$arts"

done
printf '\nlogs, corpus copies and artifacts: %s\n' "$work_dir"
if [ "$crashed_targets" -gt 0 ]; then
  say "$crashed_targets target(s) crashed"
  exit 1
fi
exit 0
