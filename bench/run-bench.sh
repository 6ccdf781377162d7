#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The benchmark. Every measurement runs in its own process (bench_measure / bench_crafted),
# so peak RSS is that measurement's alone.
#
#   bench/run-bench.sh [BUILD_DIR] [--against REV]
#
#  1. sparse dumps of 1, 16 and 64 GiB (types 5 and 1): open + report, random virtual reads
#  2. the 0x13C world (64 GiB, 100,000 resources, 5,000 threads): warm, cold (the dump's
#     pages evicted with posix_fadvise DONTNEED before each run, checked with mincore) and
#     1 ms of simulated latency per read (a network share), each beside the floor: the same
#     pages read in one batch after the same preparation
#  3. world-size scaling (10k/100k/1M resources; 1k/10k/50k threads), default report and
#     --all-locks --all-threads
#  4. crafted lock graphs (the analysis and its JSON), 100,000 contended resources among them
#  5. with --against REV: the warm default report on the world, this build beside REV's
#     (built in a temporary worktree), median of 11 runs of each command
# Needs about 300 MiB of real disk under $TMPDIR (the dumps are sparse files).
set -euo pipefail
build=build
against=""
while [ $# -gt 0 ]; do
  case "$1" in
    --against) against=$2; shift 2 ;;
    *) build=$1; shift ;;
  esac
done
root=$(cd "$(dirname "$0")/.." && pwd)
gen="$build/tests/fixturegen/fixturegen"
measure="$build/bench/bench_measure"
cli="$build/dumpinspect"
[ -x "$gen" ] && [ -x "$measure" ] && [ -x "$build/bench/bench_crafted" ] || { echo "build first: cmake --build $build" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/di-bench.XXXXXX")
cleanup() {
  if [ -n "$against" ] && [ -d "$work/against" ]; then git -C "$root" worktree remove --force "$work/against" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
get() { sed -nE "s/.*\"$1\": ([-0-9.]+).*/\1/p" <<<"$2"; }

# Whole-command time: median of 11 runs of a CLI (process start included).
cli_median_ms() {
  local t=()
  for _ in $(seq 11); do
    local s e
    s=$(date +%s%N); "$1" --compact "$2" >/dev/null 2>&1 || true; e=$(date +%s%N)
    t+=($(( (e - s) / 1000 )))
  done
  printf '%s\n' "${t[@]}" | sort -n | sed -n 6p | awk '{printf "%.2f", $1 / 1000}'
}

world() { # world FILE RESOURCES THREADS
  { cat "$root/tests/scenarios/lock-0x13c.scn"
    printf 'sparse_gib 64\nresources_unheld %s\nthreads_filler pid=4 count=%s\n' "$2" "$3"; } > "$work/w.scn"
  "$gen" "$work/w.scn" "$1"
}

echo "== 1. sparse dumps: open + default report (best of 3), 100,000 random 8-byte virtual reads"
window=0xffffe00000000000
printf '%-6s %-5s %14s %10s %12s %14s\n' size type report_ms cli_ms va_reads_ms peak_rss_kib
for gib in 1 16 64; do
  for type in 5 1; do
    printf 'type %s\nbugcheck 0x13C 0xffffc50f1a2b3080 1 1 0\nsparse_gib %s\ndirect %s 2m\n' \
      "$type" "$gib" "$window" > "$work/s.scn"
    dmp="$work/g${gib}-t${type}.dmp"
    "$gen" "$work/s.scn" "$dmp"
    line=$("$measure" "$dmp" --va "$window" $((gib << 30)) 100000)
    printf '%-6s %-5s %14s %10s %12s %14s\n' "${gib}G" "$type" "$(get best_ms "$line")" "$(cli_median_ms "$cli" "$dmp")" \
      "$(get va_reads_ms "$line")" "$(get peak_rss_kib "$line")"
    rm -f "$dmp"
  done
done

echo
echo "== 2. the 0x13C world (64 GiB, 100,000 resources, 5,000 threads): how the reads wait"
wdmp="$work/world64.dmp"
world "$wdmp" 100000 5000
printf '%-16s %9s %9s %7s %10s %8s %8s %9s %12s %14s\n' mode wall_ms floor_ms ratio pages_read reads batches ahead_hit evicted_ok peak_rss_kib
for mode in warm cold latency-1ms; do
  case $mode in
    warm) args=(--runs 7) ;;
    cold) args=(--cold --runs 15) ;;
    latency-1ms) args=(--latency 1000 --runs 3) ;;
  esac
  line=$("$measure" "$wdmp" "${args[@]}" --baseline)
  wall=$(get median_ms "$line"); floor=$(get baseline_ms "$line")
  ahead=$(get pages_read_ahead "$line"); used=$(get read_ahead_used "$line")
  left=$(get resident_after_evict "$line")
  ok="n/a"; [ "$left" = "-1" ] || { [ "$left" = "0" ] && ok=yes || ok="no ($left left)"; }
  printf '%-16s %9s %9s %7s %10s %8s %8s %8s%% %12s %14s\n' "$mode" "$wall" "$floor" \
    "$(awk -v a="$wall" -v b="$floor" 'BEGIN{printf "%.2f", (b > 0 ? a / b : 0)}')" "$(get pages_read "$line")" \
    "$(get file_reads "$line")" "$(get read_batches "$line")" \
    "$(awk -v u="$used" -v a="$ahead" 'BEGIN{printf "%.1f", (a > 0 ? 100 * u / a : 0)}')" "$ok" "$(get peak_rss_kib "$line")"
done
line=$("$measure" "$wdmp" --runs 7 --no-read-ahead)
printf '%-16s %9s %9s %7s %10s %8s %8s %9s %12s %14s\n' "warm, no r-ahead" "$(get median_ms "$line")" - - \
  "$(get pages_read "$line")" "$(get file_reads "$line")" "$(get read_batches "$line")" - n/a "$(get peak_rss_kib "$line")"

echo
echo "== 3. world-size scaling (64 GiB sparse dumps; one run each; 999,995 + the world's own 5 make"
echo "   1,000,000 resources, the default list_steps limit)"
printf '%-10s %-8s %-22s %10s %12s %10s %8s %14s\n' resources threads report wall_ms json_bytes pages_read reads peak_rss_kib
for rt in "10000 5000" "100000 5000" "999995 5000" "100000 1000" "100000 10000" "100000 50000"; do
  set -- $rt
  sdmp="$work/scale.dmp"
  world "$sdmp" "$1" "$2"
  for report in default all; do
    extra=(); [ $report = all ] && extra=(--all)
    line=$("$measure" "$sdmp" --runs 1 "${extra[@]}")
    printf '%-10s %-8s %-22s %10s %12s %10s %8s %14s\n' "$1" "$2" \
      "$([ $report = all ] && echo "--all-locks --all-threads" || echo default)" "$(get median_ms "$line")" \
      "$(get json_bytes "$line")" "$(get pages_read "$line")" "$(get file_reads "$line")" "$(get peak_rss_kib "$line")"
  done
  rm -f "$sdmp"
done

echo
echo "== 4. crafted lock graphs: the analysis, then the findings and locks JSON"
printf '%-10s %9s %9s %10s %12s %11s %10s %14s\n' case resources findings cut json_bytes analysis_ms total_ms peak_rss_kib
for c in edges orphans abba contended; do
  line=$("$build/bench/bench_crafted" "$c")
  printf '%-10s %9s %9s %10s %12s %11s %10s %14s\n' "$c" "$(get resources "$line")" "$(get findings "$line")" \
    "$(get findings_cut "$line")" "$(get json_bytes "$line")" "$(get analysis_ms "$line")" "$(get ms "$line")" \
    "$(get peak_rss_kib "$line")"
done

if [ -n "$against" ]; then
  echo
  echo "== 5. warm default report on the world: this build beside $against"
  git -C "$root" worktree add --detach "$work/against" "$against" >/dev/null 2>&1
  cmake -S "$work/against" -B "$work/against/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$work/against/build" --target dumpinspect >/dev/null
  # Interleaved, so drift in the machine's load touches both alike.
  a=() b=()
  for _ in 1 2 3; do
    a+=("$(cli_median_ms "$work/against/build/dumpinspect" "$wdmp")")
    b+=("$(cli_median_ms "$cli" "$wdmp")")
  done
  printf '%-24s %s\n' "$against" "${a[*]} ms (median of 11, three rounds)"
  printf '%-24s %s\n' "this build" "${b[*]} ms"
fi
