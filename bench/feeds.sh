#!/usr/bin/env bash
# The feed benchmarks: creator_platform's C++ feeds against the best plain SQL
# for the same rows, side by side in one run, on a throwaway cluster; writes
# docs/benchmarks-feeds.md.
#
#   bash bench/feeds.sh              full: bench/generate.sql at scale 50 (~1M posts,
#                                    3M comments, 500k subscriptions); 20-40 minutes on 2 cores,
#                                    most of it generating the data. Run it on a quiet machine.
#   bash bench/feeds.sh --quick      scale 2, a smoke test of the whole run (about a minute)
#   options: --scale N (override the mode's scale)   --reps N (measured runs per side, >= 7)
#            --out FILE (default docs/benchmarks-feeds.md; quick: build/feeds-logs/)
#            --summary FILE|none (the page that gets the goals in its feeds block;
#            default docs/benchmarks.md; quick: none)   --keep (leave the cluster running)
#
# 1. home_feed for readers following 10, 100 and 1,000 creators, page 1 and page
#    50, against (a) IN + ORDER BY + LIMIT with a keyset condition (whole rows, and
#    keys first), (b) a LATERAL top-20 per followed creator, (c) OFFSET 980.
# 2. creator_posts page 1 and page 1,000 of a creator with 21,000 posts, against
#    the raw keyset SELECT.
# 3. comment_thread page 1 and page 1,000 of a 51,000-comment post, against the
#    raw keyset SELECT over (post_id, path); page 1 and 100 of a 10,200-comment
#    post, against recursive CTEs that do without the path column.
# Every SQL side is checked to return the function's ids in the function's order.
# Medians of EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON): "Execution Time"
# and the top plan node's shared buffers (hit + read). Where the functions spend
# their time: pg_stat_statements (track = all) of one call.
# Fixtures and measuring procedures: bench/feeds_setup.sql; cases:
# bench/feeds_cases.sql; the page: bench/feeds_report.sql. Logs, plans and raw
# results: build/feeds-logs/. `make bench` runs this after bench/run.sh; the
# goals and the command also go into the feeds block of docs/benchmarks.md.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../scripts/lib.sh"
cd "$CP_ROOT"

mode=full scale='' reps='' out='' summary='' keep=0
usage() { echo "usage: bash bench/feeds.sh [--quick] [--scale N] [--reps N] [--out FILE] [--summary FILE|none] [--keep]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) mode=quick; shift ;;
    --scale) [ $# -ge 2 ] || usage; scale=$2; shift 2 ;;
    --reps) [ $# -ge 2 ] || usage; reps=$2; shift 2 ;;
    --out) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
    --summary) [ $# -ge 2 ] || usage; summary=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) usage ;;
  esac
done
# A quick run never overwrites the documented figures.
if [ $mode = quick ]; then out=${out:-$CP_ROOT/build/feeds-logs/benchmarks-feeds-quick.md} summary=${summary:-none}
else out=${out:-$CP_ROOT/docs/benchmarks-feeds.md} summary=${summary:-$CP_ROOT/docs/benchmarks.md}; fi
case "$out" in /*) ;; *) out=$PWD/$out ;; esac
case "$summary" in /*|none) ;; *) summary=$PWD/$summary ;; esac
if [ $mode = quick ]; then SCALE=${scale:-2} REPS=${reps:-7} QUICK=1; else SCALE=${scale:-50} REPS=${reps:-11} QUICK=0; fi
WARMUPS=2
[[ "$SCALE" =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "feeds: --scale takes a number, not '$SCALE'" >&2; exit 2; }
if ! [[ "$REPS" =~ ^[0-9]+$ ]] || [ "$REPS" -lt 7 ]; then echo "feeds: --reps takes a number >= 7, not '$REPS'" >&2; exit 2; fi
SHARED_BUFFERS=1GB
DB=bench
cmdline=${CP_BENCH_CMD:-bash bench/feeds.sh}
[ $mode = quick ] && cmdline="$cmdline --quick"
[ -n "$scale" ] && cmdline="$cmdline --scale $scale"
[ -n "$reps" ] && cmdline="$cmdline --reps $reps"

LOGS=$CP_ROOT/build/feeds-logs
rm -rf "$LOGS"; mkdir -p "$LOGS"
t_begin=$(date +%s)
t_stage=$t_begin
stages=()
say() { printf '[feeds %5ds] %s\n' $(( $(date +%s) - t_begin )) "$*"; }
stage_done() { # name: record how long the stage since the last call took
  local now; now=$(date +%s)
  stages+=("$1=$(( now - t_stage ))")
  t_stage=$now
}

say "mode $mode: scale $SCALE, $WARMUPS warm-ups + $REPS measured runs per side, shared_buffers $SHARED_BUFFERS; load average $(cut -d' ' -f1-3 /proc/loadavg)"
loadavg_start=$(cut -d' ' -f1-3 /proc/loadavg)
say "dependencies, build, install (log: build/feeds-logs/build.log)"
cp_build_and_install >"$LOGS/build.log" 2>&1 || { tail -40 "$LOGS/build.log" >&2; exit 1; }
stage_done build

PGBIN=$("$PG_CONFIG" --bindir)
export PGBIN
# Every case runs in a new backend, which loads the installed library: if
# something else installs another build meanwhile, the report says so.
SO=$("$PG_CONFIG" --pkglibdir)/creator_platform.so
so_start=$(cp_bench_so_md5)
PSQL="$PGBIN/psql -X -q -v ON_ERROR_STOP=1"

CLUSTER=$(cp_tempdir feeds)
finish() {
  local rc=$?
  cp_cluster_done "$CLUSTER" "$LOGS" "$keep"
  [ $rc = 0 ] || echo "feeds: FAILED (exit $rc); logs in build/feeds-logs/" >&2
  exit $rc
}
trap finish EXIT
trap 'exit 130' INT TERM


say "cluster: shared_buffers $SHARED_BUFFERS, pg_stat_statements, track_io_timing, autovacuum off, jit off, no parallel workers"
# the settings go through ALTER SYSTEM (postgresql.auto.conf) and a restart
cp_bench_cluster "$CLUSTER" "$LOGS/cluster.log" "$SHARED_BUFFERS" <<SQL
ALTER SYSTEM SET track_io_timing = on;
ALTER SYSTEM SET max_parallel_workers_per_gather = 0;
ALTER SYSTEM SET max_wal_size = '4GB';
SQL
$PSQL -d postgres -c "CREATE DATABASE $DB"
$PSQL -d $DB -c 'CREATE EXTENSION creator_platform CASCADE' -c 'CREATE EXTENSION pg_stat_statements'
stage_done cluster

q() { $PSQL -d $DB -At -c "$1"; }          # one value

say "data: bench/generate.sql at scale $SCALE$( [ $mode = full ] && echo ' (several minutes)')"
$PSQL -d $DB -v scale="$SCALE" -f bench/generate.sql 2>&1 | tee "$LOGS/generate.log" | sed -u 's/^/    /'
[ "${PIPESTATUS[0]}" = 0 ] || exit 1
stage_done generate

say "fixtures: bench/feeds_setup.sql (readers, a creator with 21,000 posts, threads of 10,200 and 51,000 comments)"
$PSQL -d $DB -v quick=$QUICK -f bench/feeds_setup.sql 2>&1 | tee "$LOGS/setup.log" | sed -u 's/^/    /'
[ "${PIPESTATUS[0]}" = 0 ] || exit 1
stage_done fixtures

# Index-only scans need the pages all-visible. The CHECKPOINT first flushes the
# WAL of the (asynchronously committed) loads, whose commit hint bits VACUUM
# needs; INDEX_CLEANUP ON, because VACUUM otherwise leaves the dead line
# pointers of the counters' updates (and the page not all-visible) when they
# are on under 2% of the pages; a second VACUUM marks what the first left.
# pg_visibility reads the visibility map itself: VACUUM again while pages are left.
vm_tables="'creator_platform.posts', 'creator_platform.comments', 'creator_platform.subscriptions', 'creator_platform.creator_activity', 'creator_platform.users'"
vm_left() { q "SELECT coalesce(string_agg(t.rel, ' ' ORDER BY t.rel), '') FROM (SELECT r AS rel FROM unnest(ARRAY[$vm_tables]) AS r
                WHERE (SELECT m.all_visible FROM pg_visibility_map_summary(r::regclass) AS m) < pg_relation_size(r::regclass) / current_setting('block_size')::int) AS t"; }
vm_state() { q "SELECT string_agg(CASE WHEN x.vis >= x.pages THEN format('%s all %s pages', x.t, x.pages)
                                        ELSE format('%s %s of %s pages', x.t, x.vis, x.pages) END, ', ')
                  FROM (SELECT replace(r, 'creator_platform.', '') AS t,
                               (SELECT m.all_visible FROM pg_visibility_map_summary(r::regclass) AS m) AS vis,
                               pg_relation_size(r::regclass) / current_setting('block_size')::int AS pages
                          FROM unnest(ARRAY[$vm_tables]) AS r) AS x"; }
say "CHECKPOINT, VACUUM ANALYZE, VACUUM, CHECKPOINT"
$PSQL -d $DB -c 'CREATE EXTENSION pg_visibility' -c 'CHECKPOINT' -c 'VACUUM (ANALYZE, INDEX_CLEANUP ON)' \
             -c 'VACUUM (INDEX_CLEANUP ON)' -c 'CHECKPOINT'
for round in 1 2 3 4 5; do
  left=$(vm_left)
  [ -z "$left" ] && break
  say "pages not all-visible yet in: $left; VACUUM again ($round)"
  sleep 1
  for t in $left; do $PSQL -d $DB -c "VACUUM (INDEX_CLEANUP ON, VERBOSE) $t" -c 'CHECKPOINT' >>"$LOGS/vacuum.log" 2>&1; done
done
[ -z "$(vm_left)" ] || say "WARNING: pages left not all-visible (see build/feeds-logs/vacuum.log): index-only scans will visit the heap there"
say "pages all-visible (index-only scans): $(vm_state)"
stage_done vacuum

say "cases: bench/feeds_cases.sql (deep-page cursors by walking the pages, SQL sides, same ids checked)"
$PSQL -d $DB -f bench/feeds_cases.sql 2>&1 | tee "$LOGS/cases.log" | sed -u 's/^/    /'
[ "${PIPESTATUS[0]}" = 0 ] || exit 1
stage_done cases
allvisible_measure=$(vm_state)

# one session per group of cases (both pages of one reader, creator or thread):
# measure, then the plans and a profile of one call (pg_stat_statements)
groups=$(q "SELECT bench || ' ' || grp FROM bench_feeds.cases GROUP BY bench, grp
            ORDER BY min(CASE bench WHEN 'home_feed' THEN 1 WHEN 'creator_posts' THEN 2 WHEN 'thread_50k' THEN 3 ELSE 4 END), min(case_ord)")
n_groups=$(wc -l <<<"$groups")
i=0
while read -r bench grp; do
  i=$((i + 1))
  what=$(q "SELECT string_agg(x.case_key || ' (' || x.sides || ')', ', ' ORDER BY x.o)
              FROM (SELECT case_key, min(case_ord) AS o, string_agg(side, ' ' ORDER BY side_ord) AS sides
                      FROM bench_feeds.cases WHERE bench = '$bench' AND grp = '$grp' GROUP BY case_key) AS x")
  say "measure $i/$n_groups: $bench $what"
  $PSQL -d $DB -c "CALL bench_feeds.measure('$bench', '$grp', $WARMUPS, $REPS)" \
               -c "CALL bench_feeds.capture_plans('$bench', '$grp')" \
               -c "CALL bench_feeds.profile_spi('$bench', '$grp')" >>"$LOGS/measure.log" 2>&1 \
    || { tail -20 "$LOGS/measure.log" >&2; exit 1; }
  q "SELECT format('%s: %s', x.case_key, string_agg(format('%s %s ms / %s buffers', x.side, to_char(x.ms, 'FM99990.000'), x.blks),
                                                     ';  ' ORDER BY x.ord))
       FROM (SELECT r.case_key, r.side, min(c.case_ord * 100 + c.side_ord) AS ord,
                    percentile_cont(0.5) WITHIN GROUP (ORDER BY r.exec_ms) AS ms,
                    percentile_cont(0.5) WITHIN GROUP (ORDER BY r.hit + r.read) AS blks
               FROM bench_feeds.results r JOIN bench_feeds.cases c USING (bench, case_key, side)
              WHERE r.bench = '$bench' AND c.grp = '$grp' AND NOT r.warmup GROUP BY r.case_key, r.side) AS x
      GROUP BY x.case_key ORDER BY min(x.ord)" | sed -u 's/^/    /'
done <<<"$groups"
stage_done measure

say "check: a Function Scan's buffers include what the function read (EXPLAIN vs pg_stat_statements)"
for c in "home_feed s1000_p1 function" "home_feed s1000_p50 function" "creator_posts p1000 function" \
         "thread_50k p1000 function" "home_feed s1000_p1 sql_lateral"; do
  read -r c_bench c_case c_side <<<"$c"
  $PSQL -d $DB -c "CALL bench_feeds.check_buffers('$c_bench', '$c_case', '$c_side')" >>"$LOGS/measure.log" 2>&1 \
    || { tail -20 "$LOGS/measure.log" >&2; exit 1; }
done
q "SELECT format('%s %s %s: EXPLAIN top node %s buffers, pg_stat_statements %s',
                 bench, case_key, side, explain_blks, pgss_blks) FROM bench_feeds.buffer_check" | sed -u 's/^/    /'
stage_done checks

note() { # key value
  $PSQL -d $DB -v k="$1" -v v="$2" >/dev/null <<'SQL'
SELECT bench_feeds.note(:'k', :'v');
SQL
}
cp_bench_build_notes q
note scale "$SCALE"
note reps "$REPS"
note warmups "$WARMUPS"
note loadavg_start "$loadavg_start"
note loadavg_end "$(cut -d' ' -f1-3 /proc/loadavg)"
note settings "$(q "SELECT string_agg(name || ' = ' || setting || coalesce(' ' || unit, ''), ', ' ORDER BY name) FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost', 'jit', 'autovacuum', 'max_parallel_workers_per_gather', 'track_io_timing', 'fsync', 'synchronous_commit')")"
note db_size "$(q "SELECT pg_size_pretty(pg_database_size(current_database()))")"
allvisible_end=$(vm_state)
if [ "$allvisible_measure" = "$allvisible_end" ]; then note allvisible "$allvisible_measure"
else note allvisible "$allvisible_measure when the measurements began, $allvisible_end at the end"; fi
cp_bench_library_note "$so_start"
stage_done notes
note stages "$(IFS=' '; echo "${stages[*]}")"

say "report -> ${out#"$CP_ROOT"/}"
mkdir -p "$(dirname "$out")" "$LOGS"
note duration "$(( ($(date +%s) - t_begin) / 60 )) min $(( ($(date +%s) - t_begin) % 60 )) s"
$PSQL -d $DB -At -f bench/feeds_report.sql >"$out.tmp"
mv "$out.tmp" "$out"
if [ "$summary" != none ]; then
  # The feeds block of the summary page: the run's header table and the goals;
  # everything else stays in the full report.
  rel_out=${out#"$CP_ROOT"/}
  {
    echo '<!-- feeds:begin -->'
    echo '## 3. Feeds: keyset pages against the best plain SQL'
    echo
    echo "The goals of the feed functions, from the run that wrote $rel_out (the cases, every SQL formulation,"
    echo "the tables per case and the plans are there). Run it alone with \`bash bench/feeds.sh\` (~7 minutes);"
    echo "\`make bench\` runs it after the benchmarks above."
    echo
    awk '/^Made by /{on=1} /^## Data/{on=0} on' "$out"
    awk '/^## Goals/{on=1; print "### Goals"; next} /^## 1\./{on=0} on' "$out"
    echo '<!-- feeds:end -->'
  } >"$LOGS/feeds-block.md"
  cp_doc_block_put "$summary" feeds "$LOGS/feeds-block.md"
  say "goals -> ${summary#"$CP_ROOT"/} (feeds block)"
fi
for t in results cases plans spi buffer_check readers fixture notes goals; do
  q "COPY (SELECT * FROM bench_feeds.$t) TO STDOUT WITH (FORMAT csv, HEADER)" >"$LOGS/$t.csv"
done
q "SELECT format('%s %s', goal, CASE WHEN met THEN 'met' ELSE 'MISSED' END) FROM bench_feeds.goals ORDER BY ord" 2>/dev/null | sed 's/^/    goal: /' || true
say "done in $(( ($(date +%s) - t_begin) / 60 )) min $(( ($(date +%s) - t_begin) % 60 )) s; raw results, plans and call profiles in build/feeds-logs/"
