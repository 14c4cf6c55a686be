#!/usr/bin/env bash
# libFuzzer runs of the pure C++ core (no PostgreSQL needed).
#
#   scripts/fuzz.sh                          every target, 100,000 executions each
#   scripts/fuzz.sh --runs 1000000           `make fuzz`
#   scripts/fuzz.sh --seconds 600            time-bounded instead (both bounds apply if both are given)
#   scripts/fuzz.sh --target cursor_fuzz     one target (cursor_fuzz, position_fuzz, path_fuzz,
#                                            uuid_fuzz); repeatable
#
# Builds test/fuzz with clang (clang++-14, or $CP_FUZZ_CXX) into build/fuzz with
# ASan + UBSan, regenerates the seed corpora (build/fuzz/seeds/<target>, from
# test/fuzz/seed_gen.cpp), and runs each target over its working corpus
# build/fuzz/corpus/<target> (kept between runs) plus the seeds. Prints one line
# per target, `PASS <target> ...` or `FAIL <target> ... crash input: <path>`;
# logs are in build/fuzz/logs/. Exit status is non-zero on any finding or if the
# build fails. Reproduce a finding with: build/fuzz/<target> <crash input>
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$CP_ROOT"

runs='' seconds='' targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --target) targets+=("$2"); shift 2 ;;
    *) echo "usage: fuzz.sh [--runs N] [--seconds S] [--target NAME]..." >&2; exit 2 ;;
  esac
done
[ -z "$runs" ] && [ -z "$seconds" ] && runs=100000
for v in "$runs" "$seconds"; do
  case "$v" in ''|*[!0-9]*) [ -z "$v" ] || { echo "fuzz.sh: --runs and --seconds take a whole number" >&2; exit 2; } ;; esac
done
all_targets=(cursor_fuzz position_fuzz path_fuzz uuid_fuzz)
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
  case " ${all_targets[*]} " in *" $t "*) ;; *) echo "fuzz.sh: unknown target $t" >&2; exit 2 ;; esac
done

OUT=$CP_ROOT/build/fuzz
mkdir -p "$OUT/logs"

CXX=${CP_FUZZ_CXX:-}
if [ -z "$CXX" ]; then
  for c in clang++-14 clang++; do command -v "$c" >/dev/null 2>&1 && { CXX=$(command -v "$c"); break; }; done
fi
if [ -z "$CXX" ]; then
  echo "FAIL build: no clang++ found (install clang-14 and libclang-rt-14-dev, or set CP_FUZZ_CXX)"
  exit 1
fi

echo "== build ($CXX, ASan + UBSan + libFuzzer) into ${OUT#"$CP_ROOT"/}"
if ! { cmake -S test/fuzz -B "$OUT" -DCMAKE_CXX_COMPILER="$CXX" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
       && cmake --build "$OUT" -j"$(nproc 2>/dev/null || echo 2)"; } >"$OUT/logs/build.log" 2>&1; then
  tail -n 40 "$OUT/logs/build.log"
  echo "FAIL build: see ${OUT#"$CP_ROOT"/}/logs/build.log"
  exit 1
fi

rm -rf "$OUT/seeds"
if ! "$OUT/seed_gen" "$OUT/seeds" >"$OUT/logs/seeds.log" 2>&1; then
  cat "$OUT/logs/seeds.log"; echo "FAIL seeds: seed_gen failed"; exit 1
fi

# Inputs a little past each codec's limits: a cursor over 4,096 characters,
# a cursor body whose text is over 4,096 characters (3,072 bytes), a path
# over 101 keys of 24 bytes; for uuids, 16 bytes and a few hundred clock steps.
max_len() { case "$1" in cursor_fuzz) echo 4200 ;; position_fuzz) echo 3200 ;; path_fuzz) echo 2600 ;; uuid_fuzz) echo 1024 ;; esac; }

failed=0
for t in "${targets[@]}"; do
  corpus=$OUT/corpus/$t artifacts=$OUT/artifacts/$t/ log=$OUT/logs/$t.log
  mkdir -p "$corpus" "$artifacts"
  args=(-max_len="$(max_len "$t")" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
        -artifact_prefix="$artifacts")
  [ -n "$runs" ] && args+=(-runs="$runs")
  [ -n "$seconds" ] && args+=(-max_total_time="$seconds")
  start=$(date +%s.%N)
  "$OUT/$t" "${args[@]}" "$corpus" "$OUT/seeds/$t" >"$log" 2>&1
  rc=$?
  secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$log" | tail -1)
  rate=$(awk -v n="${execs:-0}" -v s="$secs" 'BEGIN { printf "%d", (s > 0 ? n / s : 0) }')
  files=$(find "$corpus" -type f | wc -l)
  if [ $rc -eq 0 ] && [ -n "$execs" ]; then
    echo "PASS $t: $execs executions in ${secs}s ($rate/s), no finding; corpus $files files"
  else
    failed=1
    crash=$(sed -nE 's/.*Test unit written to (.*)$/\1/p' "$log" | tail -1)
    echo "FAIL $t: exit $rc after ${execs:-?} executions; crash input: ${crash:-none written (see the log)}"
    echo "---- ${log#"$CP_ROOT"/} (last 40 lines) ----"
    grep -v '^#\|^"' "$log" | tail -n 40
    echo "----"
    [ -n "$crash" ] && echo "reproduce: ${OUT#"$CP_ROOT"/}/$t $crash"
  fi
done
exit $failed
