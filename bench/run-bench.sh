#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Benchmark: sparse dumps of 1, 16 and 64 GiB (types 5 and 1), each measured by
# bench_measure in its own process. Usage: bench/run-bench.sh [BUILD_DIR]
# Needs about 1 MiB of real disk per dump (the files are sparse) under $TMPDIR.
set -euo pipefail
build=${1:-build}
gen="$build/tests/fixturegen/fixturegen"
measure="$build/bench/bench_measure"
cli="$build/dumpinspect"
[ -x "$gen" ] && [ -x "$measure" ] && [ -x "$build/bench/bench_crafted" ] || { echo "build first: cmake --build $build" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/di-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
window=0xffffe00000000000
# Whole-command time: median of 11 runs of the CLI (process start included).
cli_median_ms() {
  local t=()
  for _ in $(seq 11); do
    local s e
    s=$(date +%s%N); "$cli" --compact "$1" >/dev/null 2>&1 || true; e=$(date +%s%N)
    t+=($(( (e - s) / 1000 )))
  done
  printf '%s\n' "${t[@]}" | sort -n | sed -n 6p | awk '{printf "%.2f", $1 / 1000}'
}
printf '%-6s %-5s %16s %10s %14s %12s %14s\n' size type open+report_ms cli_ms reads reads_ms peak_rss_kib
for gib in 1 16 64; do
  for type in 5 1; do
    scn="$work/s.scn"
    printf 'type %s\nbugcheck 0x13C 0xffffc50f1a2b3080 1 1 0\nsparse_gib %s\ndirect %s 2m\n' \
      "$type" "$gib" "$window" > "$scn"
    dmp="$work/g${gib}-t${type}.dmp"
    "$gen" "$scn" "$dmp"
    line=$("$measure" "$dmp" "$window" $((gib << 30)) 100000)
    ms=$(sed -E 's/.*"open_report_ms": ([0-9.]+).*/\1/' <<<"$line")
    rms=$(sed -E 's/.*"reads_ms": ([0-9.]+).*/\1/' <<<"$line")
    rss=$(sed -E 's/.*"peak_rss_kib": ([0-9]+).*/\1/' <<<"$line")
    cms=$(cli_median_ms "$dmp")
    printf '%-6s %-5s %16s %10s %14s %12s %14s\n' "${gib}G" "$type" "$ms" "$cms" 100000 "$rms" "$rss"
    rm -f "$dmp"
  done
done

# The kernel model at scale: the 0x13C world in a 64 GiB sparse dump with 100,000
# executive resources and 5,000 threads; the full report (JSON) from open to close.
scn="$work/world.scn"
cat "$(dirname "$0")/../tests/scenarios/lock-0x13c.scn" > "$scn"
printf 'sparse_gib 64\nresources_unheld 100000\nthreads_filler pid=4 count=5000\n' >> "$scn"
dmp="$work/world64.dmp"
"$gen" "$scn" "$dmp"
line=$("$measure" "$dmp" 0xffffc50f00000000 4096 0)
ms=$(sed -E 's/.*"open_report_ms": ([0-9.]+).*/\1/' <<<"$line")
rss=$(sed -E 's/.*"peak_rss_kib": ([0-9]+).*/\1/' <<<"$line")
pages=$(sed -E 's/.*"report_pages_read": ([0-9]+).*/\1/' <<<"$line")
hits=$(sed -E 's/.*"report_cache_hits": ([0-9]+).*/\1/' <<<"$line")
freads=$(sed -E 's/.*"report_file_reads": ([0-9]+).*/\1/' <<<"$line")
cms=$(cli_median_ms "$dmp")
printf '\n%-34s %16s %10s %14s %12s %12s %12s\n' "world (64 GiB, 100k res, 5k thr)" full_report_ms cli_ms \
  peak_rss_kib pages_read cache_hits file_reads
printf '%-34s %16s %10s %14s %12s %12s %12s\n' "type 6" "$ms" "$cms" "$rss" "$pages" "$hits" "$freads"

# Crafted lock graphs that once cost gigabytes or tens of seconds (the analysis plus the
# findings and locks JSON, each case in its own process).
printf '\n%-8s %10s %10s %9s %12s %10s %14s\n' case findings cut json_bytes edges_cut ms peak_rss_kib
for c in edges orphans abba; do
  line=$("$build/bench/bench_crafted" "$c")
  get() { sed -E "s/.*\"$1\": ([0-9.]+).*/\1/" <<<"$line"; }
  printf '%-8s %10s %10s %9s %12s %10s %14s\n' "$c" "$(get findings)" "$(get findings_cut)" "$(get json_bytes)" \
    "$(get edges_cut)" "$(get ms)" "$(get peak_rss_kib)"
done
