#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run every fuzz target for a bounded time, one after the other (one core at a time):
#   tests/fuzz/run-fuzz.sh BUILD_DIR SECONDS_PER_TARGET [TARGET...]
# BUILD_DIR is a clang build configured with -DDI_FUZZ=ON and built with `--target fuzzers`.
# Seeds are regenerated with make-seeds.sh; each target grows its own corpus in
# WORK/corpus/TARGET (WORK = $FUZZ_WORK or BUILD_DIR/fuzz-work, kept between runs) and
# writes crashers to WORK/crashes/TARGET/. Prints executions, coverage (cov) and features
# (ft) per target from libFuzzer's final stats, and exits 1 on any crash, leak, timeout,
# out-of-memory or sanitizer report (the first lines of each failing log are shown).
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 BUILD_DIR SECONDS_PER_TARGET [TARGET...]" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
secs=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_open fuzz_physmap fuzz_translate fuzz_model fuzz_report fuzz_triage fuzz_unwind)
work=${FUZZ_WORK:-$build/fuzz-work}
max_len=${FUZZ_MAX_LEN:-4194304}

for t in "${targets[@]}"; do
  if [ ! -x "$build/tests/fuzz/$t" ]; then
    echo "run-fuzz: $build/tests/fuzz/$t not built (configure with -DDI_FUZZ=ON, build --target fuzzers)" >&2
    exit 2
  fi
done

mkdir -p "$work/logs"
rm -rf "$work/seeds"
"$here/make-seeds.sh" "$build" "$work/seeds"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=0
table=$(printf '%-16s %6s %12s %8s %8s %8s %7s  %s' target secs execs exec/s cov ft corpus result)
for t in "${targets[@]}"; do
  corpus="$work/corpus/$t"
  crashes="$work/crashes/$t"
  log="$work/logs/$t.log"
  mkdir -p "$corpus" "$crashes"
  # Crashers of earlier runs move aside: the crashes folder shows this run's findings.
  if [ -n "$(ls -A "$crashes")" ]; then
    mkdir -p "$work/crashes-earlier/$t"
    mv "$crashes"/* "$work/crashes-earlier/$t/"
  fi
  echo "== $t: ${secs}s"
  set +e
  # Single process (no -jobs/-workers): libFuzzer then runs in this process and exits with
  # its error code on the first crash, leak, timeout or OOM.
  "$build/tests/fuzz/$t" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 -detect_leaks=1 \
    -max_total_time="$secs" -print_final_stats=1 -artifact_prefix="$crashes/" \
    "$corpus" "$work/seeds" "$here/seeds" "$here/regressions/$t" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p' <<<"$last")
  artifacts=$(find "$crashes" -type f | wc -l | tr -d ' ')
  result=ok
  if [ "$rc" -ne 0 ] || [ "$artifacts" -ne 0 ] || grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' "$log"; then
    result="FAILED (exit $rc, $artifacts artifact(s) in $crashes)"
    failed=1
    echo "-- $t failed; from $log:"
    grep -E -A30 'ERROR: |runtime error:|invariant broken' "$log" | head -60 || tail -40 "$log"
  fi
  line=$(printf '%-16s %6s %12s %8s %8s %8s %7s  %s' "$t" "$secs" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" \
    "${corp:-?}" "$result")
  echo "$line"
  table+=$'\n'"$line"
done

echo
echo "$table"
if [ "$failed" -ne 0 ]; then
  echo "run-fuzz: FAILED (crashers are in $work/crashes; see tests/fuzz/README.md to keep one as a regression)"
  exit 1
fi
echo "run-fuzz: all targets clean"
