#!/usr/bin/env bash
# `make bench`: the benchmarks of creator_platform, side by side in one run, on a
# throwaway durable cluster; writes docs/benchmarks.md.
#
#   bench/run.sh            full sizes (about 15 minutes on 2 cores)
#   bench/run.sh --quick    small sizes and short runs, a smoke test (2-3 minutes)
#   options: --out FILE (default docs/benchmarks.md; --quick: build/bench-logs/benchmarks-quick.md,
#            a quick run never writes the documented figures)   --keep (leave the cluster running)
#   env:     BENCH_SECONDS, BENCH_REPS, BENCH_BULK_REPS, BENCH_UUID_ROWS, BENCH_UUID_SECONDS
#            override the sizes of the chosen mode
#
# 1. Adding a comment, the whole path: creator_platform.comments with its C++
#    triggers (A) against a plain table with the same columns, constraints,
#    indexes and foreign keys and no triggers (B), against a copy with the same
#    rules in PL/pgSQL (C, bench/plpgsql_threading.sql), and against B's INSERT
#    plus a NOTIFY (D, what NOTIFY costs by itself): single-comment INSERTs with
#    pgbench (1 and 4 clients, what the sessions wait for sampled from
#    pg_stat_activity), a bulk INSERT ... SELECT (A, B, C), and an EXPLAIN
#    ANALYZE breakdown per trigger. Fixtures: bench/setup.sql.
# 2. uuid_generate_v7() against gen_random_uuid() as a primary key: bulk load and
#    single-row pgbench inserts with shared_buffers smaller than the index.
#
# Raw measurements stay in table bench.results of the run's database until the
# cluster is removed; logs go to build/bench-logs/.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../scripts/lib.sh"
cd "$CP_ROOT"

mode=full out='' keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) mode=quick; shift ;;
    --out) out=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: bench/run.sh [--quick] [--out FILE] [--keep]" >&2; exit 2 ;;
  esac
done
if [ -z "$out" ]; then
  if [ $mode = quick ]; then out=$CP_ROOT/build/bench-logs/benchmarks-quick.md; else out=$CP_ROOT/docs/benchmarks.md; fi
fi
case "$out" in /*) ;; *) out=$PWD/$out ;; esac

if [ $mode = quick ]; then
  SECONDS_RUN=${BENCH_SECONDS:-3}  REPS=${BENCH_REPS:-3}  BULK_REPS=${BENCH_BULK_REPS:-3}
  UUID_ROWS=${BENCH_UUID_ROWS:-200000}  UUID_SECONDS=${BENCH_UUID_SECONDS:-3}  PROFILE_N=50
else
  SECONDS_RUN=${BENCH_SECONDS:-25}  REPS=${BENCH_REPS:-3}  BULK_REPS=${BENCH_BULK_REPS:-5}
  UUID_ROWS=${BENCH_UUID_ROWS:-5000000}  UUID_SECONDS=${BENCH_UUID_SECONDS:-20}  PROFILE_N=200
fi
SCALE=1 BULK_ROWS=10000 UUID_BATCH=10000 UUID_REPS=$REPS UUID_CLIENTS=4 CLIENTS="1 4"
SHARED_BUFFERS=128MB
DB=bench

if [ $mode = quick ]; then cmdline="bash bench/run.sh --quick"; else cmdline="make bench"; fi
LOGS=$CP_ROOT/build/bench-logs
rm -rf "$LOGS"; mkdir -p "$LOGS"
t_begin=$(date +%s)
say() { printf '[bench %4ds] %s\n' $(( $(date +%s) - t_begin )) "$*"; }

say "mode $mode: ${SECONDS_RUN}s x $REPS runs per side and client count, bulk $BULK_ROWS rows x $BULK_REPS, uuid $UUID_ROWS rows"
say "dependencies, build, install (log: build/bench-logs/build.log)"
cp_build_and_install >"$LOGS/build.log" 2>&1 || { tail -40 "$LOGS/build.log" >&2; exit 1; }

PGBIN=$("$PG_CONFIG" --bindir)
export PGBIN
PSQL="$PGBIN/psql -X -q -v ON_ERROR_STOP=1"
PGBENCH=$PGBIN/pgbench

CLUSTER=$(cp_tempdir bench)
finish() {
  local rc=$?
  cp_cluster_done "$CLUSTER" "$LOGS" "$keep"
  [ $rc = 0 ] || echo "bench: FAILED (exit $rc); logs in build/bench-logs/" >&2
  exit $rc
}
trap finish EXIT
trap 'exit 130' INT TERM


say "cluster (durable: fsync, synchronous_commit and full_page_writes on)"
# the settings go through ALTER SYSTEM (postgresql.auto.conf) and a restart
CP_CLUSTER_DURABLE=1 cp_bench_cluster "$CLUSTER" "$LOGS/cluster.log" "$SHARED_BUFFERS" </dev/null
$PSQL -d postgres -c "CREATE DATABASE $DB"
$PSQL -d $DB -c 'CREATE EXTENSION creator_platform CASCADE' -c 'CREATE EXTENSION pg_stat_statements'

q() { $PSQL -d $DB -At -c "$1"; }          # one value
sql() { $PSQL -d $DB -c "$1" >/dev/null; }

say "data: bench/generate.sql at scale $SCALE"
$PSQL -d $DB -v scale=$SCALE -f bench/generate.sql >"$LOGS/generate.log"
say "fixtures: bench/setup.sql, bench/plpgsql_threading.sql, bench/uuid_setup.sql"
$PSQL -d $DB -v bulk_rows=$BULK_ROWS -f bench/setup.sql >"$LOGS/setup.log"
$PSQL -d $DB -f bench/plpgsql_threading.sql >>"$LOGS/setup.log"
$PSQL -d $DB -f bench/uuid_setup.sql >>"$LOGS/setup.log"

note() { # key value
  $PSQL -d $DB -v k="$1" -v v="$2" <<'SQL'
INSERT INTO bench.notes (key, value) VALUES (:'k', :'v') ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;
SQL
}
cp_bench_build_notes q
note loadavg_start "$(cut -d' ' -f1-3 /proc/loadavg)"
note settings "$(q "SELECT string_agg(name || ' = ' || setting || coalesce(' ' || unit, ''), ', ' ORDER BY name) FROM pg_settings WHERE name IN ('shared_buffers', 'fsync', 'synchronous_commit', 'full_page_writes', 'wal_level', 'max_wal_size', 'checkpoint_timeout', 'autovacuum', 'jit', 'work_mem')")"
note sizes "seconds=$SECONDS_RUN reps=$REPS bulk_rows=$BULK_ROWS bulk_reps=$BULK_REPS uuid_rows=$UUID_ROWS uuid_batch=$UUID_BATCH uuid_seconds=$UUID_SECONDS uuid_clients=$UUID_CLIENTS profile_n=$PROFILE_N scale=$SCALE"
note data "$(q "SELECT format('%s users, %s posts (%s published), %s comments', (SELECT count(*) FROM creator_platform.users), (SELECT count(*) FROM creator_platform.posts), (SELECT count(*) FROM creator_platform.posts WHERE status = 'published'), (SELECT count(*) FROM creator_platform.comments))")"
note triggers_A "$(q "SELECT string_agg(x.l, '; ' ORDER BY x.relname) FROM (SELECT c.relname, c.relname || ': ' || string_agg(t.tgname, ', ' ORDER BY t.tgname) AS l FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal AND c.relnamespace = 'creator_platform'::regnamespace AND c.relname IN ('comments', 'posts') GROUP BY c.relname) AS x")"
note triggers_C "$(q "SELECT string_agg(x.l, '; ' ORDER BY x.relname) FROM (SELECT c.relname, c.relname || ': ' || string_agg(t.tgname, ', ' ORDER BY t.tgname) AS l FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal AND c.relnamespace = 'bench_plpgsql'::regnamespace GROUP BY c.relname) AS x")"

N_TOP=$(q 'SELECT count(*) FROM bench.top_targets')
N_REPLY=$(q 'SELECT count(*) FROM bench.reply_targets')
N_USERS=$(q 'SELECT count(*) FROM bench.user_ids')

# Back to the rows of setup, vacuumed, and a checkpoint: every run starts alike.
reset_all() {
  sql 'CALL bench.reset()'
  sql 'VACUUM creator_platform.comments, creator_platform.posts, creator_platform.events, bench.comments_plain, bench_plpgsql.comments, bench_plpgsql.posts, bench_plpgsql.events'
  sql 'CHECKPOINT'
}

# ---- 1. single-comment INSERTs ---------------------------------------------------
rotate() { # rep side... -> the sides in the order of that repetition (rotated by rep - 1)
  local rep=$1; shift
  local sides=("$@") n=$# i
  for ((i = 0; i < n; i++)); do printf '%s ' "${sides[$(( (i + rep - 1) % n ))]}"; done
}
script_of() { # side kind
  echo "bench/pgbench/$(tr 'ABCD' 'abcd' <<<"$1")_$2.sql"
}
run_single() { # side clients rep
  local side=$1 c=$2 rep=$3 log="$LOGS/single-$1-c$2-r$3.log"
  reset_all
  sql 'SELECT pg_stat_statements_reset()'
  local w0; w0=$(q 'SELECT pg_current_wal_lsn()')
  # beside pgbench: what its backends wait for, 20 samples a second
  $PSQL -d $DB -c "CALL bench.sample_waits('$side', $c, $rep, $SECONDS_RUN)" >"$LOGS/waits.log" 2>&1 &
  local sampler=$!
  if ! "$PGBENCH" -n -M prepared -r -c "$c" -j "$c" -T "$SECONDS_RUN" \
       -D n_top="$N_TOP" -D n_reply="$N_REPLY" -D n_users="$N_USERS" \
       -f "$(script_of "$side" top)@1" -f "$(script_of "$side" reply)@1" $DB >"$log" 2>&1; then
    wait "$sampler" || true
    tail -20 "$log" >&2; echo "pgbench failed: $log" >&2; return 1
  fi
  wait "$sampler" || { cat "$LOGS/waits.log" >&2; return 1; }
  local w1; w1=$(q 'SELECT pg_current_wal_lsn()')
  # tps, transactions, failures, and the client-side latency of each statement
  local vals
  vals=$(awk -v s="$side" -v c="$c" -v r="$rep" '
    function row(m, v) { printf "(\047single\047, \047%s\047, %s, %s, \047%s\047, %s),\n", s, c, r, m, v }
    /^tps = / { row("tps", $3) }
    /^number of transactions actually processed:/ { split($NF, a, "/"); row("xacts", a[1]) }
    /^number of failed transactions:/ { row("failed", $5) }
    /^SQL script [0-9]+:/ { kind = ($0 ~ /_top\.sql/) ? "top" : "reply" }
    /^ +[0-9.]+ +[0-9]+ +(INSERT|WITH)/ { row("lat_insert_" kind, $1) }
    /^ +[0-9.]+ +[0-9]+ +SELECT/ { row("lat_lookup_" kind, $1) }
  ' "$log")
  # server side, from pg_stat_statements: the INSERTs of this run, by kind
  $PSQL -d $DB -v side="$side" -v c="$c" -v r="$rep" -v w0="$w0" -v w1="$w1" <<SQL >/dev/null
INSERT INTO bench.results (bench, side, clients, rep, metric, value) VALUES
$vals
('single', :'side', :c, :r, 'wal_bytes_total', pg_wal_lsn_diff(:'w1', :'w0'));
INSERT INTO bench.results (bench, side, clients, rep, metric, value)
SELECT 'single', :'side', :c, :r, m.metric || '_' || s.kind, m.value
  FROM (SELECT CASE WHEN p.query LIKE '%parent_comment_id%' THEN 'reply' ELSE 'top' END AS kind, p.*
          FROM pg_stat_statements p
         WHERE p.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND p.query ~ 'INSERT INTO [a-z_.]*comments' AND p.calls > 0) AS s
 CROSS JOIN LATERAL (VALUES ('exec_ms', s.mean_exec_time),
                            ('calls', s.calls::float8),
                            ('blks_per_call', (s.shared_blks_hit + s.shared_blks_read)::float8 / s.calls),
                            ('blks_read_per_call', s.shared_blks_read::float8 / s.calls),
                            ('wal_bytes_per_call', s.wal_bytes::float8 / s.calls),
                            ('wal_fpi_per_call', s.wal_fpi::float8 / s.calls)) AS m(metric, value);
SQL
}

# D (side B's INSERT + NOTIFY) isolates what NOTIFY costs by itself
for c in $CLIENTS; do
  for rep in $(seq 1 "$REPS"); do
    for side in $(rotate "$rep" A B C D); do
      say "single INSERTs: side $side, $c client(s), run $rep/$REPS (${SECONDS_RUN}s)"
      run_single "$side" "$c" "$rep"
    done
  done
done

say "EXPLAIN ANALYZE breakdown of $PROFILE_N single top-level + $PROFILE_N reply INSERTs per side"
for side in A B C; do
  reset_all
  sql "INSERT INTO bench.results (bench, side, clients, metric, value)
       SELECT 'profile_single', '$side', p.n, p.kind || ':' || p.item, p.median_ms FROM bench.profile_single('$side', $PROFILE_N) p"
done

# ---- bulk INSERT ... SELECT --------------------------------------------------------
for rep in $(seq 1 "$BULK_REPS"); do
  for side in $(rotate "$rep" A B C); do
    say "bulk INSERT ... SELECT of $BULK_ROWS comments: side $side, run $rep/$BULK_REPS"
    reset_all
    sql "CALL bench.bulk_once('$side', $rep)"
  done
done
say "EXPLAIN ANALYZE breakdown of one bulk INSERT per side"
for side in A B C; do
  reset_all
  sql "INSERT INTO bench.results (bench, side, metric, value)
       SELECT 'profile_bulk', '$side', p.item, p.ms FROM bench.profile_bulk('$side') p"
done
reset_all

# ---- 2. UUIDv7 vs gen_random_uuid ---------------------------------------------------
# Counters before and after: WAL position and full-page images, index and heap
# buffer hits/reads, checkpoints, buffers written by backends (evictions).
uuid_snapshot() { # side phase -> results rows (bench uuid_stats)
  $PSQL -d $DB -v side="$1" -v phase="$2" <<'SQL' >/dev/null
INSERT INTO bench.results (bench, side, metric, value)
SELECT 'uuid_stats', :'side', :'phase' || ':' || m.metric, m.value
  FROM (SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0') AS lsn,
               (SELECT w.wal_fpi FROM pg_stat_wal w) AS fpi,
               (SELECT i.idx_blks_hit FROM pg_statio_user_indexes i
                 WHERE i.indexrelid = format('bench_uuid.t_%s_pkey', :'side')::regclass) AS idx_hit,
               (SELECT i.idx_blks_read FROM pg_statio_user_indexes i
                 WHERE i.indexrelid = format('bench_uuid.t_%s_pkey', :'side')::regclass) AS idx_read,
               (SELECT t.heap_blks_hit FROM pg_statio_user_tables t
                 WHERE t.relid = format('bench_uuid.t_%s', :'side')::regclass) AS heap_hit,
               (SELECT t.heap_blks_read FROM pg_statio_user_tables t
                 WHERE t.relid = format('bench_uuid.t_%s', :'side')::regclass) AS heap_read,
               (SELECT b.checkpoints_timed + b.checkpoints_req FROM pg_stat_bgwriter b) AS checkpoints,
               (SELECT b.buffers_backend FROM pg_stat_bgwriter b) AS buffers_backend,
               (SELECT b.buffers_checkpoint + b.buffers_clean + b.buffers_backend FROM pg_stat_bgwriter b) AS buffers_written) AS s
 CROSS JOIN LATERAL (VALUES ('lsn', s.lsn), ('fpi', s.fpi), ('idx_hit', s.idx_hit), ('idx_read', s.idx_read),
                            ('heap_hit', s.heap_hit), ('heap_read', s.heap_read), ('checkpoints', s.checkpoints),
                            ('buffers_backend', s.buffers_backend), ('buffers_written', s.buffers_written))
       AS m(metric, value);
SQL
}

for side in v7 v4; do
  say "uuid: load $UUID_ROWS rows into the $side table in batches of $UUID_BATCH"
  sql 'CHECKPOINT'
  sleep 1
  uuid_snapshot "$side" load_before
  # the loading session flushes its statistics before the snapshot after it
  $PSQL -d $DB -v side="$side" -v rows="$UUID_ROWS" -v batch="$UUID_BATCH" >"$LOGS/uuid-load-$side.log" <<'SQL'
CALL bench.load_uuid(:'side', :rows, :batch);
SELECT pg_stat_force_next_flush();
SQL
  sleep 1
  uuid_snapshot "$side" load_after
  sql "INSERT INTO bench.results (bench, side, metric, value) VALUES
       ('uuid_load', '$side', 'index_bytes', pg_relation_size('bench_uuid.t_${side}_pkey')),
       ('uuid_load', '$side', 'table_bytes', pg_relation_size('bench_uuid.t_$side')),
       ('uuid_load', '$side', 'shared_buffers_bytes', pg_size_bytes(current_setting('shared_buffers')))"
done

for rep in $(seq 1 "$UUID_REPS"); do
  for side in $( [ $((rep % 2)) = 1 ] && echo "v7 v4" || echo "v4 v7"); do
    say "uuid: single-row INSERTs into the $side table, $UUID_CLIENTS clients, run $rep/$UUID_REPS (${UUID_SECONDS}s)"
    sql 'CHECKPOINT'
    sleep 1
    uuid_snapshot "$side" "pgb${rep}_before"
    log="$LOGS/uuid-pgbench-$side-r$rep.log"
    "$PGBENCH" -n -M prepared -c "$UUID_CLIENTS" -j "$UUID_CLIENTS" -T "$UUID_SECONDS" \
      -f "bench/pgbench/uuid_$side.sql" $DB >"$log" 2>&1 || { tail -20 "$log" >&2; exit 1; }
    sleep 1   # pgbench's backends flush their statistics when they exit
    uuid_snapshot "$side" "pgb${rep}_after"
    tps=$(awk '/^tps = / {print $3}' "$log")
    xacts=$(awk '/^number of transactions actually processed:/ {split($NF, a, "/"); print a[1]}' "$log")
    sql "INSERT INTO bench.results (bench, side, clients, rep, metric, value) VALUES
         ('uuid_pgbench', '$side', $UUID_CLIENTS, $rep, 'tps', $tps),
         ('uuid_pgbench', '$side', $UUID_CLIENTS, $rep, 'rows', $xacts)"
  done
done
sql "INSERT INTO bench.results (bench, side, metric, value)
     SELECT 'uuid_final', s, 'index_bytes', pg_relation_size(format('bench_uuid.t_%s_pkey', s)) FROM unnest(ARRAY['v7', 'v4']) s"

# ---- report ---------------------------------------------------------------------------
note loadavg_end "$(cut -d' ' -f1-3 /proc/loadavg)"
note duration "$(( ($(date +%s) - t_begin) / 60 )) min $(( ($(date +%s) - t_begin) % 60 )) s"
say "report -> ${out#"$CP_ROOT"/}"
mkdir -p "$(dirname "$out")"
# bench/feeds.sh, bench/archive.sh and bench/load.sh keep their summaries in blocks of the
# same page: carry them over, in that order
for block in feeds archive load; do
  cp_doc_block_get "$out" "$block" >"$LOGS/$block-block.md"
done
$PSQL -d $DB -At -f bench/report.sql >"$out.tmp"
mv "$out.tmp" "$out"
for block in feeds archive load; do
  if [ -s "$LOGS/$block-block.md" ]; then cp_doc_block_put "$out" "$block" "$LOGS/$block-block.md"; fi
done
$PSQL -d $DB -At -c "COPY (SELECT bench, side, clients, rep, metric, value, at FROM bench.results ORDER BY at) TO STDOUT WITH (FORMAT csv, HEADER)" >"$LOGS/results.csv"
say "done in $(( ($(date +%s) - t_begin) / 60 )) min $(( ($(date +%s) - t_begin) % 60 )) s; raw results in build/bench-logs/results.csv"
