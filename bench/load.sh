#!/usr/bin/env bash
# The mixed load (issue 6, "Load"): pgbench with the platform's calls mixed as an
# app would make them, 8 clients for a bounded time on data of bench/generate.sql,
# on a throwaway durable cluster; then the checks: every client finished, 0 failed
# transactions, no ERROR in the server log during the run, 0 counter drift
# (reconcile_counters(false)), every post the load wrote published. Writes the load
# block (section 5) of docs/benchmarks.md.
#
#   bash bench/load.sh            full: scale 10 (100k users, 200k posts, 600k comments),
#                                 60 s of pgbench; about 3 minutes. Run it on a quiet machine.
#   bash bench/load.sh --quick    scale 1, 12 s: a smoke test of the whole run (under a minute);
#                                 writes build/load-logs/ only, never docs/
#   options: --scale N  --seconds N  --clients N (8)  --jobs N (pgbench threads, 2)
#            --hot N (hot posts, 10)  --out FILE (the page that gets the block; default
#            docs/benchmarks.md, quick: build/load-logs/benchmarks-load-quick.md)
#            --logs DIR (default build/load-logs)  --no-build (use the installed extension)
#            --no-fsync (fsync and synchronous_commit off: for tests, not for figures)
#            --keep (leave the cluster running; its directory is in LOGS/cluster_dir)
#
# The load (pgbench -n -M prepared -c 8 -j 2 -T seconds, weights in % of transactions):
#   feeds 70          home_feed 28, creator_posts 17, comment_thread 17 (half of them on the hot
#                     posts), recent_posts 8: page 1, then page 2 from the last row's cursor
#   comments 20       add_comment 16 (60% on the hot posts: top-level, or replies to a few
#                     comments of each), delete_comment 4 (comments the client just wrote on the
#                     hot posts: a leaf reply, or a placeholder and its reply)
#   subscriptions 5   subscribe / cancel_subscription of pairs that repeat
#   publishing 5      a draft then publish_post 3; publish_due_posts, then a draft scheduled one
#                     second ahead with schedule_post 2
# Every id comes from the lookup tables of bench/load_setup.sql, chosen so that no call can
# break a rule of the contract: any error is the extension's. pgbench retries nothing
# (--max-tries 1): a deadlock or serialization failure counts as a failed transaction.
#
# Figures (bench/load_pgbench.sql from pgbench's per-transaction log, bench/load_report.sql):
# TPS and latency (mean, p50, p95, p99, max) overall, per kind and per script; failures by
# type and by statement; rows written (from the outbox and the tables), server-side calls per
# function (pg_stat_user_functions, track_functions = all) and rows the feeds returned
# (pg_stat_statements). Logs and raw results: build/load-logs/ (LOGS/facts: the checks'
# inputs as key=value, read by test/tap/load.sh).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../scripts/lib.sh"
cd "$CP_ROOT"

mode=full scale='' seconds='' clients='' jobs='' hot='' out='' logs='' build=1 fsync=1 keep=0
usage() {
  echo "usage: bash bench/load.sh [--quick] [--scale N] [--seconds N] [--clients N] [--jobs N] [--hot N]" >&2
  echo "                          [--out FILE] [--logs DIR] [--no-build] [--no-fsync] [--keep]" >&2
  exit 2
}
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) mode=quick; shift ;;
    --scale) [ $# -ge 2 ] || usage; scale=$2; shift 2 ;;
    --seconds) [ $# -ge 2 ] || usage; seconds=$2; shift 2 ;;
    --clients) [ $# -ge 2 ] || usage; clients=$2; shift 2 ;;
    --jobs) [ $# -ge 2 ] || usage; jobs=$2; shift 2 ;;
    --hot) [ $# -ge 2 ] || usage; hot=$2; shift 2 ;;
    --out) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
    --logs) [ $# -ge 2 ] || usage; logs=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --no-fsync) fsync=0; shift ;;
    --keep) keep=1; shift ;;
    *) usage ;;
  esac
done
LOGS=${logs:-$CP_ROOT/build/load-logs}
case "$LOGS" in /*) ;; *) LOGS=$PWD/$LOGS ;; esac
# A quick run never writes the documented figures.
if [ $mode = quick ]; then
  out=${out:-$LOGS/benchmarks-load-quick.md}
  SCALE=${scale:-1} SECONDS_RUN=${seconds:-12} SHARED_BUFFERS=512MB
else
  out=${out:-$CP_ROOT/docs/benchmarks.md}
  SCALE=${scale:-10} SECONDS_RUN=${seconds:-60} SHARED_BUFFERS=2GB
fi
case "$out" in /*) ;; *) out=$PWD/$out ;; esac
CLIENTS=${clients:-8} JOBS=${jobs:-2} HOT=${hot:-10} HOT_PARENTS=5 PAIRS=2000
[[ "$SCALE" =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "load: --scale takes a number, not '$SCALE'" >&2; exit 2; }
for v in SECONDS_RUN CLIENTS JOBS HOT; do
  if ! [[ "${!v}" =~ ^[0-9]+$ ]] || [ "${!v}" -lt 1 ]; then echo "load: ${v,,} takes a whole number >= 1, not '${!v}'" >&2; exit 2; fi
done
[ "$JOBS" -le "$CLIENTS" ] || { echo "load: --jobs ($JOBS) must not exceed --clients ($CLIENTS)" >&2; exit 2; }
cmdline=${CP_BENCH_CMD:-bash bench/load.sh}
[ $mode = quick ] && cmdline="$cmdline --quick"
[ -n "$scale" ] && cmdline="$cmdline --scale $scale"
[ -n "$seconds" ] && cmdline="$cmdline --seconds $seconds"
[ -n "$clients" ] && cmdline="$cmdline --clients $clients"
[ -n "$jobs" ] && cmdline="$cmdline --jobs $jobs"
[ -n "$hot" ] && cmdline="$cmdline --hot $hot"
[ $fsync = 0 ] && cmdline="$cmdline --no-fsync"

# The scripts: file, kind, weight (% of transactions), what it does (for the report)
SCRIPTS=(
  "load_feed_home.sql|feeds|28|home_feed of a reader with subscriptions, pages 1-2"
  "load_feed_creator.sql|feeds|17|creator_posts of a creator seen by a reader, pages 1-2"
  "load_feed_thread.sql|feeds|17|comment_thread of a post with comments (half hot), pages 1-2 of 50"
  "load_feed_recent.sql|feeds|8|recent_posts seen by a reader, pages 1-2"
  "load_comment_add.sql|comments|16|add_comment: 60% on the hot posts (half replies), 40% anywhere"
  "load_comment_delete.sql|comments|4|add_comment then delete_comment on the hot posts"
  "load_subscription.sql|subscriptions|5|subscribe 60% / cancel_subscription 40% of repeating pairs"
  "load_publish_now.sql|publishing|3|a draft, then publish_post"
  "load_publish_scheduled.sql|publishing|2|publish_due_posts, then a draft and schedule_post(+1 s)"
)

# LOGS is emptied: only a directory this script made (it carries a marker) or a new one
if [ -e "$LOGS" ] && [ -n "$(ls -A "$LOGS" 2>/dev/null)" ] && [ ! -f "$LOGS/.bench-load-logs" ]; then
  echo "load: $LOGS exists and was not made by bench/load.sh; give --logs a new directory" >&2; exit 2
fi
rm -rf "$LOGS"; mkdir -p "$LOGS"; : >"$LOGS/.bench-load-logs"
t_begin=$(date +%s)
t_stage=$t_begin
stages=()
say() { printf '[load %4ds] %s\n' $(( $(date +%s) - t_begin )) "$*"; }
stage_done() { # name: how long the stage since the last call took
  local now; now=$(date +%s)
  stages+=("$1=$(( now - t_stage ))")
  t_stage=$now
}

loadavg_start=$(cut -d' ' -f1-3 /proc/loadavg)
say "mode $mode: scale $SCALE, pgbench -c $CLIENTS -j $JOBS -T $SECONDS_RUN, $HOT hot posts; load average $loadavg_start"
if [ $build = 1 ]; then
  say "dependencies, build, install (log: ${LOGS#"$CP_ROOT"/}/build.log)"
  cp_build_and_install >"$LOGS/build.log" 2>&1 || { tail -40 "$LOGS/build.log" >&2; exit 1; }
fi
stage_done build

PGBIN=$("$PG_CONFIG" --bindir)
export PGBIN
PSQL="$PGBIN/psql -X -q -v ON_ERROR_STOP=1"
PGBENCH=$PGBIN/pgbench
SO=$("$PG_CONFIG" --pkglibdir)/creator_platform.so
so_start=$(cp_bench_so_md5)

CLUSTER=$(cp_tempdir load)
finish() {
  local rc=$?
  cp_cluster_done "$CLUSTER" "$LOGS" "$keep"
  [ $rc = 0 ] || echo "load: FAILED (exit $rc); logs in ${LOGS#"$CP_ROOT"/}/" >&2
  exit $rc
}
trap finish EXIT
trap 'exit 130' INT TERM

if [ $fsync = 1 ]; then
  say "cluster (durable: fsync, synchronous_commit and full_page_writes on), shared_buffers $SHARED_BUFFERS"
  durable=1
else
  say "cluster (NOT durable: fsync and synchronous_commit off), shared_buffers $SHARED_BUFFERS"
  durable=0
fi
# postgresql.auto.conf (ALTER SYSTEM) and a restart. No checkpoint of its own
# during the run: max_wal_size above its WAL, checkpoint_timeout above its length.
CP_CLUSTER_DURABLE=$durable cp_bench_cluster "$CLUSTER" "$LOGS/cluster.log" "$SHARED_BUFFERS" <<SQL
ALTER SYSTEM SET max_wal_size = '8GB';
ALTER SYSTEM SET checkpoint_timeout = '30min';
ALTER SYSTEM SET track_functions = 'all';
SQL
echo "$CLUSTER" >"$LOGS/cluster_dir"
SERVER_LOG=$CLUSTER/server.log
$PSQL -d postgres -c 'CREATE DATABASE loadres' -c 'CREATE DATABASE load'
$PSQL -d load -c 'CREATE EXTENSION creator_platform CASCADE' -c 'CREATE EXTENSION pg_stat_statements'
$PSQL -d loadres <<'SQL'
CREATE TABLE notes (key text PRIMARY KEY, value text);
CREATE TABLE scripts (script int PRIMARY KEY, file text NOT NULL, kind text NOT NULL, weight int NOT NULL, what text NOT NULL);
CREATE TABLE per_script (script int PRIMARY KEY, xacts bigint, failed bigint, deadlocks bigint, serialization bigint,
                         other_failures bigint, secs float8, lat_mean_ms float8, lat_p50_ms float8, lat_p95_ms float8,
                         lat_p99_ms float8, lat_max_ms float8);
CREATE TABLE per_kind (kind text PRIMARY KEY, xacts bigint, failed bigint, secs float8, lat_mean_ms float8,
                       lat_p50_ms float8, lat_p95_ms float8, lat_p99_ms float8, lat_max_ms float8);
CREATE TABLE per_client (client int PRIMARY KEY, xacts bigint, failed bigint, first_end float8, last_end float8);
CREATE TABLE per_second (sec int PRIMARY KEY, xacts bigint);
CREATE TABLE written (ord int PRIMARY KEY, item text NOT NULL, n numeric NOT NULL);
CREATE TABLE calls (fn text PRIMARY KEY, calls bigint, total_ms float8, self_ms float8);
CREATE TABLE feed_rows (fn text PRIMARY KEY, calls bigint, rows bigint);
CREATE TABLE commands (script int, command int, lat_ms float8, failures bigint, text text, PRIMARY KEY (script, command));
CREATE TABLE failures (script int, command int, message text, n bigint);
CREATE TABLE log_errors (ord int PRIMARY KEY, line text);
CREATE TABLE checks (ord int PRIMARY KEY, item text NOT NULL, value text NOT NULL, ok boolean NOT NULL);
SQL
stage_done cluster

ql() { $PSQL -d load -At -c "$1"; }     # one value from the load database
qr() { $PSQL -d loadres -At -c "$1"; }  # one value from the results

say "data: bench/generate.sql at scale $SCALE"
$PSQL -d load -v scale="$SCALE" -f bench/generate.sql 2>&1 | tee "$LOGS/generate.log" | sed -u 's/^/    /'
[ "${PIPESTATUS[0]}" = 0 ] || exit 1
stage_done generate
say "fixtures: bench/load_setup.sql ($HOT hot posts, $HOT_PARENTS hot comments each); VACUUM ANALYZE, pg_prewarm, CHECKPOINT"
$PSQL -d load -v hot="$HOT" -v hot_parents="$HOT_PARENTS" -v pairs="$PAIRS" -f bench/load_setup.sql >"$LOGS/setup.log" 2>&1 \
  || { cat "$LOGS/setup.log" >&2; exit 1; }
$PSQL -d load -c 'VACUUM ANALYZE' -c 'SELECT bench_load.prewarm()' -c 'CHECKPOINT' >/dev/null
defines=()
lookup=()
for t in followers readers creators posts threads hot_posts parents hot_parents pairs; do
  n=$(ql "SELECT count(*) FROM bench_load.$t")
  var=n_$t
  [ "$t" = hot_posts ] && var=n_hot
  defines+=(-D "$var=$n")
  lookup+=("$t $n")
done
lookup_text=$(IFS=','; echo "${lookup[*]}")
lookup_text=${lookup_text//,/, }
say "    lookup tables: $lookup_text"
data=$(ql "SELECT format('%s users, %s posts (%s published), %s comments, %s subscriptions (%s active); database %s',
                         (SELECT count(*) FROM creator_platform.users), b.posts, b.published, b.comments,
                         b.subscriptions, b.active_subscriptions, pg_size_pretty(pg_database_size(current_database())))
             FROM bench_load.baseline b")
hot_text=$(ql "SELECT format('%s posts with %s to %s comments; %s comments of theirs take the hot replies',
                             count(*), min(h.comments_before), max(h.comments_before),
                             (SELECT count(*) FROM bench_load.hot_parents))
                 FROM bench_load.hot_posts h")
say "    $data"
say "    hot set: $hot_text"
stage_done fixtures

# ---- the run ------------------------------------------------------------------------
ARGS=()
i=0
for s in "${SCRIPTS[@]}"; do
  IFS='|' read -r file kind weight what <<<"$s"
  ARGS+=(-f "bench/$file@$weight")
  $PSQL -d loadres -v s="$i" -v f="$file" -v k="$kind" -v w="$weight" -v x="$what" >/dev/null <<'SQL'
INSERT INTO scripts (script, file, kind, weight, what) VALUES (:s, :'f', :'k', :w, :'x');
SQL
  i=$((i + 1))
done
ql 'SELECT pg_stat_reset()' >/dev/null
ql 'SELECT pg_stat_statements_reset()' >/dev/null
wal_start=$(ql 'SELECT pg_current_wal_lsn()')
log_start=$(stat -c %s "$SERVER_LOG")
mkdir -p "$LOGS/pgbench"
pgb_cmd=("$PGBENCH" -n -M prepared -c "$CLIENTS" -j "$JOBS" -T "$SECONDS_RUN" -r --failures-detailed --verbose-errors
         -l --log-prefix="$LOGS/pgbench/xact" "${defines[@]}" "${ARGS[@]}" load)
echo "${pgb_cmd[*]}" >"$LOGS/pgbench/command"
say "pgbench -n -M prepared -c $CLIENTS -j $JOBS -T $SECONDS_RUN -r --failures-detailed, 9 scripts (log: ${LOGS#"$CP_ROOT"/}/pgbench/)"
set +e
"${pgb_cmd[@]}" >"$LOGS/pgbench/out" 2>"$LOGS/pgbench/err"
pgb_rc=$?
set -e
sleep 1   # pgbench's backends flush their statistics when they exit
stage_done pgbench

# ---- after the run ------------------------------------------------------------------
# scheduled posts of the load come due one second after their transaction began
sleep 1.2
due_after=$(ql 'SELECT creator_platform.publish_due_posts()')
drift=$(ql 'SELECT count(*) FROM creator_platform.reconcile_counters(false)')
if [ "$drift" != 0 ]; then
  ql 'SELECT * FROM creator_platform.reconcile_counters(false)' >"$LOGS/drift.txt" 2>&1 || true
fi
unpublished=$(ql "SELECT count(*) FROM creator_platform.posts p WHERE p.title LIKE 'load: %' AND p.status <> 'published'")
wal_bytes=$(ql "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '$wal_start')")
log_end=$(stat -c %s "$SERVER_LOG")
# The server log of the window: from before pgbench to after the checks above.
tail -c +"$((log_start + 1))" "$SERVER_LOG" | head -c "$((log_end - log_start))" >"$LOGS/server-window.log"
grep -E '^[0-9-]+ [0-9:.]+ [A-Z]+ \[[0-9]+\] .*(ERROR|FATAL|PANIC): ' "$LOGS/server-window.log" >"$LOGS/server-errors.log" || true
log_errors=$(wc -l <"$LOGS/server-errors.log")
# The client side: aborted clients, and every error pgbench printed (--verbose-errors)
aborted=$(grep -c 'aborted in command' "$LOGS/pgbench/err" || true)
pgb_failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$LOGS/pgbench/out")
pgb_tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$LOGS/pgbench/out")
pgb_xacts=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$LOGS/pgbench/out")

say "    pgbench exit $pgb_rc: ${pgb_xacts:-?} transactions, ${pgb_tps:-?} tps, ${pgb_failed:-?} failed, $aborted clients aborted"
line=$(cat "$LOGS"/pgbench/xact.* | awk '{print $1, $2, $3, $4, $5, $6}' | $PSQL -d loadres -At -f bench/load_pgbench.sql)
gzip -f "$LOGS"/pgbench/xact.*
say "    per-transaction log: $line"
# pgbench -r: latency and failures per command (meta commands included), numbered from 0 per script
awk '/^SQL script [0-9]+:/ {s = $3 + 0 - 1; on = 0; k = 0; next}
     /statement latencies in milliseconds/ {on = 1; next}
     on && /^ +[0-9.]+ +[0-9]+  / {t = $0; sub(/^ +[0-9.]+ +[0-9]+  /, "", t); gsub(/\\/, "\\\\\\\\", t);
                                    print s "\t" k "\t" $1 "\t" $2 "\t" t; k++; next}
     {on = 0}' "$LOGS/pgbench/out" >"$LOGS/commands.txt"
$PSQL -d loadres -c "\\copy commands FROM '$LOGS/commands.txt'"
# errors pgbench reported, per script and command (both numbered from 0 in these messages)
grep -o 'client [0-9]* got an error in command [0-9]* (SQL) of script [0-9]*; ERROR: .*' "$LOGS/pgbench/err" \
  | sed 's/^client [0-9]* got an error in command \([0-9]*\) (SQL) of script \([0-9]*\); ERROR:  */\2|\1|/' \
  | sort | uniq -c | awk '{n = $1; sub(/^ *[0-9]+ /, ""); print $0 "|" n}' >"$LOGS/failures.txt" || true
if [ -s "$LOGS/failures.txt" ]; then $PSQL -d loadres -c "\\copy failures FROM '$LOGS/failures.txt' WITH (DELIMITER '|')"; fi
head -20 "$LOGS/server-errors.log" | awk '{print NR "\t" $0}' | $PSQL -d loadres -c '\copy log_errors FROM pstdin'

# What the load wrote, from the outbox and the tables
ql "COPY (SELECT ord, item, n FROM (VALUES
  (1,  'comments added (comment_added events)', (SELECT count(*) FROM creator_platform.events e, bench_load.baseline b WHERE e.id > b.last_event AND e.kind = 'comment_added')),
  (2,  'comments removed (added minus the growth of the table)', (SELECT count(*) FILTER (WHERE e.kind = 'comment_added') FROM creator_platform.events e, bench_load.baseline b WHERE e.id > b.last_event) - ((SELECT count(*) FROM creator_platform.comments) - (SELECT b.comments FROM bench_load.baseline b))),
  (3,  'placeholders, net', (SELECT count(*) FROM creator_platform.comments c WHERE c.deleted_at IS NOT NULL) - (SELECT b.placeholders FROM bench_load.baseline b)),
  (4,  'comments on the hot posts, net (comment_count)', (SELECT sum(p.comment_count) - sum(h.comments_before) FROM bench_load.hot_posts h JOIN creator_platform.posts p ON p.id = h.id)),
  (5,  'posts written', (SELECT count(*) FROM creator_platform.posts p WHERE p.title LIKE 'load: %')),
  (6,  'posts published (post_published events)', (SELECT count(*) FROM creator_platform.events e, bench_load.baseline b WHERE e.id > b.last_event AND e.kind = 'post_published')),
  (7,  'of which by the publish_due_posts after the run', $due_after),
  (8,  'subscriptions started (subscription_started events)', (SELECT count(*) FROM creator_platform.events e, bench_load.baseline b WHERE e.id > b.last_event AND e.kind = 'subscription_started')),
  (9,  'subscriptions cancelled (subscription_cancelled events)', (SELECT count(*) FROM creator_platform.events e, bench_load.baseline b WHERE e.id > b.last_event AND e.kind = 'subscription_cancelled')),
  (10, 'events appended to the outbox', (SELECT count(*) FROM creator_platform.events e, bench_load.baseline b WHERE e.id > b.last_event)),
  (11, 'WAL (bytes)', $wal_bytes)) AS w(ord, item, n)) TO STDOUT" | $PSQL -d loadres -c '\copy written FROM pstdin'
ql "COPY (SELECT f.funcname, sum(f.calls), sum(f.total_time), sum(f.self_time) FROM pg_stat_user_functions f
           WHERE f.schemaname = 'creator_platform' GROUP BY f.funcname) TO STDOUT" | $PSQL -d loadres -c '\copy calls FROM pstdin'
ql "COPY (SELECT m[1], sum(s.calls), sum(s.rows) FROM pg_stat_statements s
           CROSS JOIN LATERAL regexp_match(s.query, 'creator_platform\\.(home_feed|creator_posts|recent_posts|comment_thread)\\(') AS m
           WHERE m IS NOT NULL AND s.toplevel AND s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
           GROUP BY m[1]) TO STDOUT" | $PSQL -d loadres -c '\copy feed_rows FROM pstdin'
stage_done checks

# ---- the checks ---------------------------------------------------------------------
n_clients_logged=$(qr 'SELECT count(*) FROM per_client')
n_failed=$(qr "SELECT coalesce(failed, 0) FROM per_kind WHERE kind = 'all'")
n_failed=${n_failed:-0}
fact_lines=(
  "clients=$CLIENTS" "pgbench_rc=$pgb_rc" "aborted=$aborted" "clients_logged=$n_clients_logged"
  "pgbench_failed=${pgb_failed:-missing}" "log_failed=$n_failed" "log_errors=$log_errors" "drift=$drift"
  "unpublished=$unpublished" "seconds=$SECONDS_RUN"
)
while IFS='|' read -r k v; do fact_lines+=("$k=$v"); done < <(qr "
  SELECT 'xacts_' || regexp_replace(s.file, '^load_|\\.sql$', '', 'g'), coalesce(p.xacts, 0) FROM scripts s LEFT JOIN per_script p USING (script)
  UNION ALL SELECT 'rows_' || f.fn, f.rows FROM feed_rows f
  UNION ALL SELECT 'calls_' || c.fn, c.calls FROM calls c
  UNION ALL SELECT 'written_' || w.ord, w.n FROM written w")
printf '%s\n' "${fact_lines[@]}" >"$LOGS/facts"
fact() { sed -n "s/^$1=//p" "$LOGS/facts"; }
check() { # ord item value ok(true|false)
  $PSQL -d loadres -v o="$1" -v i="$2" -v v="$3" -v k="$4" >/dev/null <<'SQL'
INSERT INTO checks (ord, item, value, ok) VALUES (:o, :'i', :'v', :'k');
SQL
}
tf() { if eval "$1"; then echo true; else echo false; fi; }
check 1 'every client finished' "$n_clients_logged of $CLIENTS clients ran transactions; $aborted aborted; pgbench exit status $pgb_rc" \
  "$(tf "[ $pgb_rc = 0 ] && [ $aborted = 0 ] && [ $n_clients_logged = $CLIENTS ]")"
check 2 '0 failed transactions' "$n_failed in the per-transaction log; pgbench reports ${pgb_failed:-nothing}" \
  "$(tf "[ $n_failed = 0 ] && [ '${pgb_failed:-x}' = 0 ]")"
check 3 'no ERROR in the server log during the run' "$log_errors ERROR, FATAL or PANIC lines" "$(tf "[ $log_errors = 0 ]")"
check 4 '0 counter drift afterwards' "reconcile_counters(false) returned $drift rows" "$(tf "[ $drift = 0 ]")"
check 5 'every post of the load published' "$unpublished left as draft or scheduled" "$(tf "[ $unpublished = 0 ]")"
kinds_ok=$(qr "SELECT bool_and(coalesce(p.xacts, 0) > 0) FROM scripts s LEFT JOIN per_script p USING (script)")
rows_ok=$(qr "SELECT count(*) = 4 AND bool_and(f.rows > 0) FROM feed_rows f")
writes_ok=$(qr "SELECT bool_and(w.n > 0) FROM written w WHERE w.ord IN (1, 2, 5, 6, 8, 9)")
check 6 'every script ran; feeds returned rows; comments, subscriptions and posts were written' \
  "scripts: $kinds_ok, feed rows: $rows_ok, writes: $writes_ok" \
  "$(tf "[ '$kinds_ok' = t ] && [ '$rows_ok' = t ] && [ '$writes_ok' = t ]")"
verdict=$(qr "SELECT CASE WHEN bool_and(ok) THEN 'passed' ELSE 'FAILED' END FROM checks")

# ---- report -------------------------------------------------------------------------
note() { # key value
  $PSQL -d loadres -v k="$1" -v v="$2" >/dev/null <<'SQL'
INSERT INTO notes (key, value) VALUES (:'k', :'v') ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;
SQL
}
cp_bench_build_notes ql
cp_bench_library_note "$so_start"
note durable "$durable"
note settings "$(ql "SELECT string_agg(name || ' = ' || setting || coalesce(' ' || unit, ''), ', ' ORDER BY name) FROM pg_settings WHERE name IN ('shared_buffers', 'fsync', 'synchronous_commit', 'full_page_writes', 'wal_level', 'max_wal_size', 'checkpoint_timeout', 'autovacuum', 'jit', 'work_mem', 'track_functions', 'deadlock_timeout', 'default_transaction_isolation')")"
note scale "$SCALE"
note data "$data"
note hot "$hot_text"
note lookup "$lookup_text"
note seconds "$SECONDS_RUN"
note clients "$CLIENTS"
note jobs "$JOBS"
note pgbench_rc "$pgb_rc"
note pgbench_tps "${pgb_tps:-}"
note verdict "$verdict"
note loadavg_start "$loadavg_start"
note loadavg_end "$(cut -d' ' -f1-3 /proc/loadavg)"
stage_done notes
note stages "$(IFS=' '; echo "${stages[*]}")"
note duration "$(( ($(date +%s) - t_begin) / 60 )) min $(( ($(date +%s) - t_begin) % 60 )) s"

block=$LOGS/load-block.md
{
  echo '<!-- load:begin -->'
  $PSQL -d loadres -At -f bench/load_report.sql
  echo '<!-- load:end -->'
} >"$block"
mkdir -p "$(dirname "$out")"
cp_doc_block_put "$out" load "$block"
say "report -> ${out#"$CP_ROOT"/} (load block)"
for t in notes scripts per_script per_kind per_client per_second commands written calls feed_rows failures checks; do
  qr "COPY (SELECT * FROM $t) TO STDOUT WITH (FORMAT csv, HEADER)" >"$LOGS/$t.csv"
done
qr "SELECT format('check: %s: %s (%s)', c.item, CASE WHEN c.ok THEN 'ok' ELSE 'FAILED' END, c.value) FROM checks c ORDER BY c.ord" | sed 's/^/    /'
say "done in $(( ($(date +%s) - t_begin) / 60 )) min $(( ($(date +%s) - t_begin) % 60 )) s; raw results in ${LOGS#"$CP_ROOT"/}/"
if [ "$verdict" != passed ]; then
  echo "load: checks FAILED (see above; pgbench: ${LOGS#"$CP_ROOT"/}/pgbench/err, server: ${LOGS#"$CP_ROOT"/}/server-errors.log)" >&2
  exit 1
fi
