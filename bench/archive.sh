#!/usr/bin/env bash
# The archiving benchmark (issue 5): CALL creator_platform.archive_old_posts
# against the best single SQL statement that moves the same rows into the same
# archive tables, and the feeds under pgbench with and without archiving running
# alongside; on a throwaway durable cluster. Writes the archive block (section 4)
# of docs/benchmarks.md.
#
#   bash bench/archive.sh            full: bench/generate.sql at scale 13 (260k posts, 780k
#                                    comments); ~100k posts with ~440k comments move per run;
#                                    about 12 minutes on 2 cores. Run it on a quiet machine.
#   bash bench/archive.sh --quick    scale 1, a smoke test of the whole run (~1-2 minutes);
#                                    writes build/archive-logs/ only, never docs/
#   options: --scale N   --reps N (runs per side, >= 3)   --days N (retention: older_than =
#            now() - N days at setup, default 180)   --out FILE (the page that gets the block;
#            default docs/benchmarks.md, quick: build/archive-logs/benchmarks-archive-quick.md)
#            --keep (leave the cluster running)
#
# Every run works on its own CREATE DATABASE ... TEMPLATE copy of one template
# database (bench/generate.sql + bench/archive_setup.sql), so every side starts
# from the same rows and ids; sides take turns (A1000 A5000 B R, then A5000 B R
# A1000, ...), each run after pg_prewarm of every table and index and a CHECKPOINT.
#
# 1. Moving rows (bench/archive_side.sql), client-side wall time of:
#    A1000, A5000  CALL creator_platform.archive_old_posts(older_than, 1000 | 5000)
#    B             WITH DELETE posts RETURNING, DELETE comments RETURNING, INSERT INTO
#                  posts_archive, INSERT INTO comments_archive: one statement, with the
#                  archive's read-only triggers and the comment counter trigger disabled
#                  (ALTER TABLE ... DISABLE TRIGGER; foreign keys checked as on side A)
#    R             the same statement under session_replication_role = replica (no
#                  trigger at all: no foreign-key checks or cascades either)
#    After each run: the archive rows (every column but archived_at), the live ids and
#    the counts must equal those of the first run, and reconcile_counters(false) must
#    return no row; otherwise the run fails.
#    Where side A's time goes: one more A1000 run with pg_stat_statements (track = all)
#    on another copy, which then becomes the template tmpl_archived.
# 2. Feeds under archiving: pgbench, 40% home_feed, 25% creator_posts, 25% comment_thread,
#    10% recent_posts (bench/archive_feed_*.sql, page 1, random readers, creators and
#    posts), 2 clients (then 1), -T fixed: alone; with CALL archive_old_posts(older_than,
#    1000) started a few seconds after pgbench in another session (cancelled if still
#    running when pgbench ends: its committed batches stay), TPS and latency over the
#    window where both ran, from pgbench's per-transaction log
#    (bench/archive_pgbench_load.sql), once as it runs by default (it pauses while
#    other sessions are busy: creator_platform.archive_duty_cycle = 0.1) and once
#    unpaced (archive_duty_cycle = 1, for information); and alone on a copy of
#    tmpl_archived (the feeds reading a full archive).
# The page: bench/archive_report.sql. Logs and raw results: build/archive-logs/.
# `make bench` runs this after bench/feeds.sh.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../scripts/lib.sh"
cd "$CP_ROOT"

mode=full scale='' reps='' days='' out='' keep=0
usage() { echo "usage: bash bench/archive.sh [--quick] [--scale N] [--reps N] [--days N] [--out FILE] [--keep]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) mode=quick; shift ;;
    --scale) [ $# -ge 2 ] || usage; scale=$2; shift 2 ;;
    --reps) [ $# -ge 2 ] || usage; reps=$2; shift 2 ;;
    --days) [ $# -ge 2 ] || usage; days=$2; shift 2 ;;
    --out) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) usage ;;
  esac
done
LOGS=$CP_ROOT/build/archive-logs
# A quick run never writes the documented figures.
if [ $mode = quick ]; then
  out=${out:-$LOGS/benchmarks-archive-quick.md}
  SCALE=${scale:-1} REPS=${reps:-3} PGB_SECONDS=6 PGB_DELAY=1 PGB_REPS=1
else
  out=${out:-$CP_ROOT/docs/benchmarks.md}
  SCALE=${scale:-13} REPS=${reps:-3} PGB_SECONDS=15 PGB_DELAY=3 PGB_REPS=3
fi
case "$out" in /*) ;; *) out=$PWD/$out ;; esac
DAYS=${days:-180}
[[ "$SCALE" =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "archive: --scale takes a number, not '$SCALE'" >&2; exit 2; }
if ! [[ "$REPS" =~ ^[0-9]+$ ]] || [ "$REPS" -lt 3 ]; then echo "archive: --reps takes a number >= 3, not '$REPS'" >&2; exit 2; fi
[[ "$DAYS" =~ ^[0-9]+$ ]] || { echo "archive: --days takes a whole number, not '$DAYS'" >&2; exit 2; }
SIDES=(A1000 A5000 B R)
PGB_CLIENTS="2 1"
SHARED_BUFFERS=2GB
cmdline=${CP_BENCH_CMD:-bash bench/archive.sh}
[ $mode = quick ] && cmdline="$cmdline --quick"
[ -n "$scale" ] && cmdline="$cmdline --scale $scale"
[ -n "$reps" ] && cmdline="$cmdline --reps $reps"
[ -n "$days" ] && cmdline="$cmdline --days $days"

rm -rf "$LOGS"; mkdir -p "$LOGS/pgbench"
t_begin=$(date +%s)
t_stage=$t_begin
stages=()
say() { printf '[archive %4ds] %s\n' $(( $(date +%s) - t_begin )) "$*"; }
stage_done() { # name: how long the stage since the last call took
  local now; now=$(date +%s)
  stages+=("$1=$(( now - t_stage ))")
  t_stage=$now
}

loadavg_start=$(cut -d' ' -f1-3 /proc/loadavg)
say "mode $mode: scale $SCALE, retention $DAYS days, $REPS runs per side (${SIDES[*]}), pgbench ${PGB_SECONDS}s x $PGB_REPS per kind and client count ($PGB_CLIENTS); load average $loadavg_start"
say "dependencies, build, install (log: build/archive-logs/build.log)"
cp_build_and_install >"$LOGS/build.log" 2>&1 || { tail -40 "$LOGS/build.log" >&2; exit 1; }
stage_done build

PGBIN=$("$PG_CONFIG" --bindir)
export PGBIN
PSQL="$PGBIN/psql -X -q -v ON_ERROR_STOP=1"
PGBENCH=$PGBIN/pgbench
SO=$("$PG_CONFIG" --pkglibdir)/creator_platform.so
so_start=$(cp_bench_so_md5)

CLUSTER=$(cp_tempdir archive)
arch_pid=''
finish() {
  local rc=$?
  if [ -n "$arch_pid" ]; then kill "$arch_pid" 2>/dev/null || true; fi
  cp_cluster_done "$CLUSTER" "$LOGS" "$keep"
  [ $rc = 0 ] || echo "archive: FAILED (exit $rc); logs in build/archive-logs/" >&2
  exit $rc
}
trap finish EXIT
trap 'exit 130' INT TERM

say "cluster (durable: fsync, synchronous_commit and full_page_writes on), shared_buffers $SHARED_BUFFERS"
# postgresql.auto.conf (ALTER SYSTEM) and a restart. No checkpoint of its own
# during a run: max_wal_size above a run's WAL, checkpoint_timeout above its length.
CP_CLUSTER_DURABLE=1 cp_bench_cluster "$CLUSTER" "$LOGS/cluster.log" "$SHARED_BUFFERS" <<SQL
ALTER SYSTEM SET max_parallel_workers_per_gather = 0;
ALTER SYSTEM SET max_wal_size = '8GB';
ALTER SYSTEM SET checkpoint_timeout = '30min';
SQL
$PSQL -d postgres -c 'CREATE DATABASE archbench' -c 'CREATE DATABASE tmpl'
$PSQL -d tmpl -c 'CREATE EXTENSION creator_platform CASCADE' -c 'CREATE EXTENSION pg_stat_statements'
$PSQL -d archbench <<'SQL'
CREATE TABLE notes (key text PRIMARY KEY, value text);
CREATE TABLE runs (ord serial PRIMARY KEY, side text NOT NULL, rep int NOT NULL, secs float8 NOT NULL,
                   wal_bytes numeric NOT NULL, posts bigint NOT NULL, comments bigint NOT NULL,
                   posts_live bigint NOT NULL, comments_live bigint NOT NULL, digest text NOT NULL,
                   drift bigint NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp());
CREATE TABLE profile (item text PRIMARY KEY, calls bigint, total_ms float8, rows bigint, wal_bytes numeric);
CREATE TABLE pgb_runs (clients int, kind text, rep int, t_launch float8, t_first float8, t_end float8,
                       win_start float8, win_end float8, arch_start float8, arch_end float8,
                       arch_cancelled boolean, arch_posts bigint, arch_comments bigint, xacts_total bigint,
                       PRIMARY KEY (clients, kind, rep));
CREATE TABLE pgb_results (clients int, kind text, rep int, script int, phase text, xacts bigint, secs float8,
                          lat_mean_ms float8, lat_p50_ms float8, lat_p95_ms float8, lat_p99_ms float8,
                          PRIMARY KEY (clients, kind, rep, script, phase));
SQL
stage_done cluster

qt() { $PSQL -d tmpl -At -c "$1"; }      # one value from the template
qr() { $PSQL -d archbench -At -c "$1"; } # one value from the results

say "data: bench/generate.sql at scale $SCALE$( [ $mode = full ] && echo ' (about a minute and a half)')"
$PSQL -d tmpl -v scale="$SCALE" -f bench/generate.sql 2>&1 | tee "$LOGS/generate.log" | sed -u 's/^/    /'
[ "${PIPESTATUS[0]}" = 0 ] || exit 1
stage_done generate
say "fixtures: bench/archive_setup.sql (older_than = now() - $DAYS days, ids for pgbench); VACUUM ANALYZE, CHECKPOINT"
$PSQL -d tmpl -v days="$DAYS" -f bench/archive_setup.sql >"$LOGS/setup.log" 2>&1 || { cat "$LOGS/setup.log" >&2; exit 1; }
$PSQL -d tmpl -c 'VACUUM ANALYZE' -c 'CHECKPOINT'
OLDER_THAN=$(qt "SELECT older_than FROM bench_arch.params")
N_READERS=$(qt 'SELECT count(*) FROM bench_arch.readers')
N_CREATORS=$(qt 'SELECT count(*) FROM bench_arch.creators')
N_THREADS=$(qt 'SELECT count(*) FROM bench_arch.threads')
data=$(qt "SELECT format('%s users, %s posts (%s published), %s comments, %s subscriptions; database %s',
                         (SELECT count(*) FROM creator_platform.users), (SELECT count(*) FROM creator_platform.posts),
                         (SELECT count(*) FROM creator_platform.posts WHERE status = 'published'),
                         (SELECT count(*) FROM creator_platform.comments),
                         (SELECT count(*) FROM creator_platform.subscriptions),
                         pg_size_pretty(pg_database_size(current_database())))")
to_move=$(qt "SELECT format('%s of %s published posts (%s%%) with %s of %s comments (%s%%)', o.p, a.p,
                            round(100.0 * o.p / a.p), o.c, a.c, round(100.0 * o.c / nullif(a.c, 0)))
                FROM (SELECT count(*) AS p, sum(x.n) AS c FROM creator_platform.posts p
                       CROSS JOIN LATERAL (SELECT count(*) AS n FROM creator_platform.comments c WHERE c.post_id = p.id) AS x
                       WHERE p.status = 'published' AND p.published_at < '$OLDER_THAN') AS o,
                     (SELECT (SELECT count(*) FROM creator_platform.posts WHERE status = 'published') AS p,
                             (SELECT count(*) FROM creator_platform.comments) AS c) AS a")
say "older_than $OLDER_THAN: $to_move to move"
stage_done fixtures

run_no=0
new_copy() { # [template] -> the name of a fresh copy of the template (tmpl by default)
  run_no=$((run_no + 1))
  local db=run_$run_no
  $PSQL -d postgres -c "CREATE DATABASE $db TEMPLATE ${1:-tmpl} STRATEGY FILE_COPY"
  echo "$db"
}
drop_copy() { $PSQL -d postgres -c "DROP DATABASE $1"; }

# ---- 1. moving the rows ----------------------------------------------------------
rotate() { # rep side... -> the sides in the order of that repetition (rotated by rep - 1)
  local rep=$1; shift
  local sides=("$@") n=$# i
  for ((i = 0; i < n; i++)); do printf '%s ' "${sides[$(( (i + rep - 1) % n ))]}"; done
}
first_digest=''
run_side() { # side rep
  local side=$1 rep=$2 db res fp kind=${1:0:1} batch=0
  [ "$kind" = A ] && batch=${side:1}
  db=$(new_copy)
  res=$($PSQL -d "$db" -At -v side="$kind" -v batch="$batch" -f bench/archive_side.sql 2>>"$LOGS/sides.log") \
    || { tail -20 "$LOGS/sides.log" >&2; exit 1; }
  fp=$($PSQL -d "$db" -At -c "SELECT format('%s|%s|%s|%s|%s|%s', f.posts_archived, f.comments_archived, f.posts_live,
                                            f.comments_live, f.digest,
                                            (SELECT count(*) FROM creator_platform.reconcile_counters(false)))
                                FROM bench_arch.fingerprint() f")
  drop_copy "$db"
  local secs=${res%%|*} wal=${res#*|}
  IFS='|' read -r posts comments posts_live comments_live digest drift <<<"$fp"
  $PSQL -d archbench -c "INSERT INTO runs (side, rep, secs, wal_bytes, posts, comments, posts_live, comments_live, digest, drift)
                         VALUES ('$side', $rep, $secs, $wal, $posts, $comments, $posts_live, $comments_live, '$digest', $drift)"
  say "    $side: $(awk -v s="$secs" -v r=$((posts + comments)) 'BEGIN {printf "%.2f s, %.0f rows/s", s, r / s}'), $posts posts + $comments comments archived; digest ${digest:0:12}, counter drift $drift"
  if [ "$drift" != 0 ]; then echo "archive: side $side left $drift counters wrong (reconcile_counters)" >&2; exit 1; fi
  if [ -z "$first_digest" ]; then first_digest=$digest
  elif [ "$digest" != "$first_digest" ]; then
    echo "archive: side $side left other rows than the first run (digest $digest, not $first_digest)" >&2; exit 1
  fi
}
for rep in $(seq 1 "$REPS"); do
  for side in $(rotate "$rep" "${SIDES[@]}"); do
    say "move: side $side, run $rep/$REPS"
    run_side "$side" "$rep"
  done
done
stage_done move

# One more A1000 run on its own copy, with pg_stat_statements tracking the
# statements inside the procedure (track = all): where its time goes. The copy,
# archived, vacuumed and checked, is then the template of the feed runs "archived".
say "profile: CALL archive_old_posts(older_than, 1000) with pg_stat_statements track = all; the result becomes template tmpl_archived"
$PSQL -d postgres -c "CREATE DATABASE tmpl_archived TEMPLATE tmpl STRATEGY FILE_COPY"
$PSQL -d tmpl_archived -v older_than="$OLDER_THAN" >"$LOGS/profile.log" 2>&1 <<'SQL' || { tail -20 "$LOGS/profile.log" >&2; exit 1; }
SET client_min_messages = warning;
SELECT bench_arch.prewarm();
CHECKPOINT;
SET pg_stat_statements.track = 'all';
SELECT pg_stat_statements_reset();
CALL creator_platform.archive_old_posts(:'older_than', 1000);
SET pg_stat_statements.track = 'top';
SQL
$PSQL -d tmpl_archived -At -c "COPY (
  SELECT x.item, sum(s.calls), sum(s.total_exec_time), sum(s.rows), sum(s.wal_bytes)
    FROM pg_stat_statements s
   CROSS JOIN LATERAL (SELECT CASE
                 WHEN s.toplevel AND s.query ~ 'archive_old_posts' THEN 'call'
                 WHEN s.query ~ 'LIMIT \\\$2' AND s.query ~ 'SKIP LOCKED' THEN 'pick'
                 WHEN s.query ~ 'locked_comments' THEN 'check'
                 WHEN s.query ~ 'moved_posts' THEN 'move'
                 WHEN s.query ~ '^SELECT [^ ]+ FROM ONLY .* FOR KEY SHARE OF x' THEN 'fk_check'
                 WHEN s.query ~ '^DELETE FROM ONLY' THEN 'fk_cascade'
                 ELSE 'other' END AS item) AS x
   WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
     AND s.query !~ 'pg_stat_statements|prewarm|^SET|^CHECKPOINT'
   GROUP BY x.item) TO STDOUT" | $PSQL -d archbench -c '\copy profile FROM pstdin'
fp=$($PSQL -d tmpl_archived -At -c "SELECT f.digest FROM bench_arch.fingerprint() f")
[ "$fp" = "$first_digest" ] || { echo "archive: the profiled run left other rows than the first run" >&2; exit 1; }
$PSQL -d tmpl_archived -c 'VACUUM ANALYZE' -c 'CHECKPOINT'
say "    $(qr "SELECT format('%s s in all (with the tracking''s overhead); %s batches', round((max(total_ms) FILTER (WHERE item = 'call') / 1000)::numeric, 2), max(calls) FILTER (WHERE item = 'move')) FROM profile")"
stage_done profile

# ---- 2. feeds under archiving -------------------------------------------------------
run_feeds() { # clients kind rep; kind: alone, archiving (alongside, default pacing), unpaced (alongside,
              # creator_platform.archive_duty_cycle = 1: no pauses), archived (alone, after archiving)
  local c=$1 kind=$2 rep=$3 db prefix t_launch pgb arch_out cancelled=false
  local arch_start='' arch_end=Infinity arch_posts=0 arch_comments=0 win_start
  if [ "$kind" = archived ]; then db=$(new_copy tmpl_archived); else db=$(new_copy); fi
  $PSQL -d "$db" -c 'SELECT bench_arch.prewarm()' -c 'CHECKPOINT' >/dev/null
  prefix=$LOGS/pgbench/c$c-$kind-r$rep
  arch_out=$prefix.archive
  t_launch=$(date +%s.%N)
  "$PGBENCH" -n -M prepared -c "$c" -j "$c" -T "$PGB_SECONDS" \
    -D n_readers="$N_READERS" -D n_creators="$N_CREATORS" -D n_threads="$N_THREADS" \
    -f bench/archive_feed_home.sql@40 -f bench/archive_feed_creator.sql@25 \
    -f bench/archive_feed_thread.sql@25 -f bench/archive_feed_recent.sql@10 \
    -l --log-prefix="$prefix.log" "$db" >"$prefix.out" 2>&1 &
  pgb=$!
  if [ "$kind" = archiving ] || [ "$kind" = unpaced ]; then
    local duty=0.1
    [ "$kind" = unpaced ] && duty=1
    sleep "$PGB_DELAY"
    PGAPPNAME=cp_archive_bench $PSQL -d "$db" -At -v older_than="$OLDER_THAN" -v duty="$duty" >"$arch_out" 2>&1 <<'SQL' &
SET client_min_messages = warning;
SET creator_platform.archive_duty_cycle = :duty;
SELECT 'start|' || extract(epoch FROM clock_timestamp());
CALL creator_platform.archive_old_posts(:'older_than', 1000);
SELECT 'end|' || extract(epoch FROM clock_timestamp());
SQL
    arch_pid=$!
  fi
  wait "$pgb" || { tail -20 "$prefix.out" >&2; echo "pgbench failed: $prefix.out" >&2; exit 1; }
  if [ "$kind" = archiving ] || [ "$kind" = unpaced ]; then
    if ! grep -q '^end|' "$arch_out"; then
      arch_end=$(date +%s.%N)
      $PSQL -d postgres -At -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity
                                 WHERE application_name = 'cp_archive_bench' AND datname = '$db'" >/dev/null
    fi
    wait "$arch_pid" || true
    arch_pid=''
    if grep -q '^end|' "$arch_out"; then arch_end=$(sed -n 's/^end|//p' "$arch_out")
    elif grep -q 'canceling statement due to user request' "$arch_out"; then cancelled=true
    else cat "$arch_out" >&2; echo "archive_old_posts failed under pgbench: $arch_out" >&2; exit 1
    fi
    arch_start=$(sed -n 's/^start|//p' "$arch_out")
    [ -n "$arch_start" ] || { cat "$arch_out" >&2; exit 1; }
    win_start=$arch_start
    read -r arch_posts arch_comments <<<"$($PSQL -d "$db" -At -F' ' -c 'SELECT (SELECT count(*) FROM creator_platform.posts_archive), (SELECT count(*) FROM creator_platform.comments_archive)')"
  else
    win_start=$(awk -v t="$t_launch" -v d="$PGB_DELAY" 'BEGIN {printf "%.6f", t + d}')
  fi
  drop_copy "$db"
  local line
  line=$(cat "$prefix".log.* | $PSQL -d archbench -At -v clients="$c" -v kind="$kind" -v rep="$rep" \
           -v t_launch="$t_launch" -v win_start="$win_start" -v arch_start="$arch_start" -v arch_end="$arch_end" \
           -v arch_cancelled="$cancelled" -v arch_posts="$arch_posts" -v arch_comments="$arch_comments" \
           -f bench/archive_pgbench_load.sql)
  gzip -f "$prefix".log.*
  if [ "$kind" = archiving ] || [ "$kind" = unpaced ]; then
    say "    $line; archiving moved $arch_posts posts + $arch_comments comments$( [ $cancelled = true ] && echo ', cancelled when pgbench ended')"
  else
    say "    $line"
  fi
}
for c in $PGB_CLIENTS; do
  for rep in $(seq 1 "$PGB_REPS"); do
    for kind in $(rotate "$rep" alone archiving unpaced archived); do
      say "feeds: pgbench -c $c, $kind, run $rep/$PGB_REPS (${PGB_SECONDS}s)"
      run_feeds "$c" "$kind" "$rep"
    done
  done
done
stage_done feeds

# ---- report ---------------------------------------------------------------------------
note() { # key value
  $PSQL -d archbench -v k="$1" -v v="$2" >/dev/null <<'SQL'
INSERT INTO notes (key, value) VALUES (:'k', :'v') ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;
SQL
}
cp_bench_build_notes qt
cp_bench_library_note "$so_start"
note settings "$(qt "SELECT string_agg(name || ' = ' || setting || coalesce(' ' || unit, ''), ', ' ORDER BY name) FROM pg_settings WHERE name IN ('shared_buffers', 'fsync', 'synchronous_commit', 'full_page_writes', 'wal_level', 'max_wal_size', 'checkpoint_timeout', 'autovacuum', 'jit', 'work_mem', 'max_parallel_workers_per_gather')")"
note scale "$SCALE"
note days "$DAYS"
note older_than "$OLDER_THAN"
note data "$data"
note to_move "$to_move"
note reps "$REPS"
note pgb_seconds "$PGB_SECONDS"
note pgb_delay "$PGB_DELAY"
note pgb_reps "$PGB_REPS"
note lookup "$N_READERS readers with an active subscription, $N_CREATORS creators with a published post, $N_THREADS published posts with comments"
note loadavg_start "$loadavg_start"
note loadavg_end "$(cut -d' ' -f1-3 /proc/loadavg)"
stage_done notes
note stages "$(IFS=' '; echo "${stages[*]}")"
note duration "$(( ($(date +%s) - t_begin) / 60 )) min $(( ($(date +%s) - t_begin) % 60 )) s"

block=$LOGS/archive-block.md
{
  echo '<!-- archive:begin -->'
  $PSQL -d archbench -At -f bench/archive_report.sql
  echo '<!-- archive:end -->'
} >"$block"
mkdir -p "$(dirname "$out")"
cp_doc_block_put "$out" archive "$block"
say "report -> ${out#"$CP_ROOT"/} (archive block)"
for t in notes runs profile pgb_runs pgb_results; do
  qr "COPY (SELECT * FROM $t) TO STDOUT WITH (FORMAT csv, HEADER)" >"$LOGS/$t.csv"
done
qr "SELECT format('goal: %s: %s', goal, CASE WHEN met THEN 'met' ELSE 'NOT met' END) FROM goals ORDER BY ord" | sed 's/^/    /'
say "done in $(( ($(date +%s) - t_begin) / 60 )) min $(( ($(date +%s) - t_begin) % 60 )) s; raw results in build/archive-logs/"
