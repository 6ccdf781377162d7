#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Seed corpus for the fuzz targets, written with the fixture generator:
#   tests/fuzz/make-seeds.sh BUILD_DIR OUT_DIR
# BUILD_DIR holds tests/fixturegen/fixturegen (any build with the tests). Writes into OUT_DIR:
#   seed-NAME[-tN].dmp  tests/fuzz/seed-scenarios/NAME.scn
#   scn-NAME[-tN].dmp   tests/scenarios/NAME.scn
#   quick-tN.dmp        fixturegen's built-in world (`--type N`), when small enough
#   triage-*.dmp        minimal triage dumps (DumpType 4) from BUILD_DIR/tests/fuzz/triage_seed
# Each scenario is written as its own dump type, and also as the other five types (-tN) when
# that first dump is at most SEED_SMALL bytes (default 256 KiB): the kernel worlds are larger
# and their dump type matters little to the walkers. A dump larger than SEED_MAX (default
# 1 MiB) is shrunk (its 1 GiB / 2 MiB / direct maps dropped, then its writes too) or skipped:
# large seeds slow every execution, and run-fuzz.sh's -max_len is 4 MiB.
# Seeds are regenerated, never committed; the few handmade ones live in tests/fuzz/seeds/.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 BUILD_DIR OUT_DIR" >&2
  exit 2
fi
build=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
fg="$build/tests/fixturegen/fixturegen"
max=${SEED_MAX:-1048576}
small=${SEED_SMALL:-262144}
types="1 5 6 8 9 10"

if [ ! -x "$fg" ]; then
  echo "make-seeds: $fg not found (build the tests first)" >&2
  exit 1
fi
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

made=0
skipped=0
kept=

size_of() { wc -c <"$1" | tr -d ' '; }

# keep FILE NAME: move a generated dump into the corpus if it is small enough.
keep() {
  local f=$1 name=$2 n
  n=$(size_of "$f")
  if [ "$n" -le "$max" ]; then
    mv "$f" "$out/$name"
    made=$((made + 1))
    return 0
  fi
  rm -f "$f"
  return 1
}

# gen NAME SCENARIO [TYPE]: generate (as TYPE, or the scenario's own type), shrinking a
# scenario whose dump is too large. Returns 1 (the first attempt's error in $tmp/err1) when no
# small enough dump could be made; sets $kept to the seed's path otherwise.
gen() {
  local name=$1 scn=$2 f="$tmp/gen.dmp"
  local topt=()
  [ $# -lt 3 ] || topt=(--type "$3")
  if "$fg" "$scn" "$f" "${topt[@]}" 2>"$tmp/err1" && keep "$f" "$name.dmp"; then
    kept="$out/$name.dmp"
    return 0
  fi
  [ -s "$tmp/err1" ] || echo "the dump is larger than $max bytes" >"$tmp/err1"
  # Large mappings make large dumps: drop them (and, if the scenario then fails, its writes).
  grep -Ev '^[[:space:]]*(map[[:space:]]+(1g|2m)|direct|sparse_gib|sparse_mib)([[:space:]]|$)' "$scn" >"$tmp/shrunk.scn" || true
  if "$fg" "$tmp/shrunk.scn" "$f" "${topt[@]}" 2>/dev/null && keep "$f" "$name-shrunk.dmp"; then
    kept="$out/$name-shrunk.dmp"
    return 0
  fi
  grep -Ev '^[[:space:]]*write([[:space:]]|$)' "$tmp/shrunk.scn" >"$tmp/shrunk2.scn" || true
  if "$fg" "$tmp/shrunk2.scn" "$f" "${topt[@]}" 2>/dev/null && keep "$f" "$name-shrunk.dmp"; then
    kept="$out/$name-shrunk.dmp"
    return 0
  fi
  return 1
}

for scn in "$here"/seed-scenarios/*.scn "$src"/tests/scenarios/*.scn; do
  [ -f "$scn" ] || continue
  base=$(basename "$scn" .scn)
  case "$scn" in
    "$here"/*) prefix=seed ;;
    *) prefix=scn ;;
  esac
  if ! gen "$prefix-$base" "$scn"; then
    echo "make-seeds: skipped $prefix-$base: $(head -n 1 "$tmp/err1" | cut -c1-200)" >&2
    skipped=$((skipped + 1))
    continue
  fi
  [ "$(size_of "$kept")" -le "$small" ] || continue
  own=$(sed -n 's/^[[:space:]]*type[[:space:]]\{1,\}\([0-9]\{1,\}\).*/\1/p' "$scn" | tail -n 1)
  for t in $types; do
    [ "$t" != "$own" ] || continue
    gen "$prefix-$base-t$t" "$scn" "$t" || skipped=$((skipped + 1))
  done
done

for t in $types; do
  if "$fg" --type "$t" "$tmp/quick.dmp" 2>/dev/null && keep "$tmp/quick.dmp" "quick-t$t.dmp"; then
    :
  else
    skipped=$((skipped + 1))
  fi
done

# Triage dumps: the fixture generator does not write DumpType 4; the tests' own writer does.
ts="$build/tests/fuzz/triage_seed"
if [ -x "$ts" ] && "$ts" "$out"; then
  made=$((made + 2))
else
  echo "make-seeds: no triage seeds ($ts missing or failed)" >&2
  skipped=$((skipped + 2))
fi

total=$(du -sk "$out" | cut -f1)
echo "make-seeds: $made seeds in $out (${total} KiB), $skipped skipped"
