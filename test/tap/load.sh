#!/usr/bin/env bash
# The mixed load (issue 6, "Load"), short: bench/load.sh at scale 0.5, 8 clients,
# 15 s of pgbench, on a throwaway cluster of its own (fsync off; --keep, so that
# the checks below look at the database the load left). Prints TAP. About 40 s.
#
# The load: feeds 70%, comments 20% (a hot set of posts takes most of them),
# subscriptions 5%, publishing 5% (bench/load.sh says which call does what). Every
# id is chosen so that no call breaks a rule of the contract, and pgbench retries
# nothing, so any error is the extension's. Asserted here, each from its own
# source rather than from the driver's summary:
#   every client finished   pgbench exit 0, no client aborted, all 8 clients in the
#                           per-transaction log
#   0 failed transactions   none in the per-transaction log (a deadlock or a
#                           serialization failure would be), and pgbench says 0
#   no ERROR in the server log during the run (and an ERROR made after the run
#                           does reach that log in the form grepped for, so the
#                           check is not blind)
#   0 drift                 reconcile_counters(false) returns no row (and it does
#                           find a counter broken on purpose afterwards)
#   every kind ran          each of the 9 scripts committed transactions; each feed
#                           function was called and returned rows; comments were
#                           added (events) and removed, the hot posts' counters
#                           grew; subscriptions started and cancelled; posts
#                           published, none of the load's left unpublished
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$root/scripts/lib.sh"
PGBIN=$("$PG_CONFIG" --bindir)
PSQL="$PGBIN/psql"

tmp=$(cp_tempdir loadtest)
logs=$tmp/logs
cluster=''
cleanup() {
  [ -z "$cluster" ] && [ -f "$logs/cluster_dir" ] && cluster=$(cat "$logs/cluster_dir")
  if [ -n "$cluster" ]; then
    bash "$root/scripts/cluster.sh" stop "$cluster" >/dev/null 2>&1
    rm -rf -- "$cluster"
  fi
  rm -rf -- "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { if eval "$1"; then ok "$2"; else not_ok "$2"; [ -n "${3:-}" ] && echo "$3" | sed 's/^/# /'; fi; }

echo "1..23"
bash "$root/bench/load.sh" --quick --no-build --no-fsync --keep --scale 0.5 --seconds 15 \
  --logs "$logs" --out "$tmp/block.md" >"$tmp/driver.log" 2>&1
driver_rc=$?
if [ ! -f "$logs/cluster_dir" ] || [ ! -f "$logs/facts" ]; then
  tail -30 "$tmp/driver.log" | sed 's/^/# /'
  echo "Bail out! bench/load.sh did not get to the checks"
  exit 1
fi
cluster=$(cat "$logs/cluster_dir")
# shellcheck disable=SC1091
. "$cluster/env"
export PGHOST PGPORT PGUSER
export PGDATABASE=load
q() { "$PSQL" -X -q -At -v ON_ERROR_STOP=1 "$@"; }
sed -n 's/^\[load .*\] \(pgbench exit\|per-transaction log\)/# \1/p' "$tmp/driver.log"

# -- every client finished -----------------------------------------------------------
xacts() { zcat "$logs"/pgbench/xact.*.gz; }
check "[ \"\$(sed -n 's/^pgbench_rc=//p' '$logs/facts')\" = 0 ] && grep -q '^number of transactions actually processed: [1-9]' '$logs/pgbench/out' \
       && [ \"\$(grep -c 'aborted' '$logs/pgbench/err')\" = 0 ]" \
  "pgbench ran to the end (exit status 0), no client aborted" "$(grep -m5 'aborted\|error' "$logs/pgbench/err")"
check "[ \"\$(xacts | awk '{print \$1}' | sort -u | wc -l)\" = 8 ]" "all 8 clients ran transactions"

# -- 0 failed transactions ------------------------------------------------------------
fails=$(xacts | awk '$3 !~ /^[0-9]+$/' | wc -l)
check "[ $fails = 0 ]" "no failed transaction in the per-transaction log (deadlock, serialization)" \
  "$fails failed: $(grep -o 'got an error in command [0-9]* (SQL) of script [0-9]*; ERROR: .*' "$logs/pgbench/err" | sort | uniq -c | head -5)"
check "grep -q '^number of failed transactions: 0 ' '$logs/pgbench/out'" "pgbench reports 0 failed transactions" \
  "$(grep '^number of .*failures\|^number of failed' "$logs/pgbench/out")"

# -- no ERROR in the server log ---------------------------------------------------------
ERR_RE='^[0-9-]+ [0-9:.]+ [A-Z]+ \[[0-9]+\] .*(ERROR|FATAL|PANIC): '
errs=$(grep -cE "$ERR_RE" "$logs/server-window.log")
check "[ $errs = 0 ]" "no ERROR, FATAL or PANIC in the server log from the start of pgbench to the end of the checks" \
  "$(grep -m5 -E "$ERR_RE" "$logs/server-window.log")"
size=$(stat -c %s "$cluster/server.log")
q -c 'SELECT 1 / 0' >/dev/null 2>&1
sleep 0.2
check "tail -c +$((size + 1)) '$cluster/server.log' | grep -qE \"\$ERR_RE\"" \
  "an ERROR made after the run reaches the server log in the form the check greps for"

# -- 0 drift -----------------------------------------------------------------------------
drift() { q -c 'SELECT count(*) FROM creator_platform.reconcile_counters(false)'; }
check "[ \"\$(drift)\" = 0 ]" "reconcile_counters(false) finds no counter off after the load"

# -- every kind ran and wrote ----------------------------------------------------------------
committed() { # script file: its committed transactions in the per-transaction log (scripts numbered from 0)
  local k
  k=$(tr ' ' '\n' <"$logs/pgbench/command" | grep '\.sql@' | grep -n "/$1@" | cut -d: -f1)
  [ -n "$k" ] || { echo 0; return; }
  xacts | awk -v k="$((k - 1))" '$4 == k && $3 ~ /^[0-9]+$/' | wc -l
}
for s in feed_home feed_creator feed_thread feed_recent comment_add comment_delete subscription publish_now publish_scheduled; do
  c=$(committed "load_$s.sql")
  check "[ $c -gt 0 ]" "load_$s.sql committed transactions ($c)"
done
feeds_called() {
  q -c "SELECT count(*) FROM pg_stat_user_functions f
         WHERE f.schemaname = 'creator_platform' AND f.calls > 0
           AND f.funcname IN ('home_feed', 'creator_posts', 'comment_thread', 'recent_posts')"
}
feeds_rows() {
  q -c "SELECT count(*) FROM (SELECT m[1] FROM pg_stat_statements s
           CROSS JOIN LATERAL regexp_match(s.query, 'creator_platform\.(home_feed|creator_posts|recent_posts|comment_thread)\(') AS m
          WHERE m IS NOT NULL GROUP BY m[1] HAVING sum(s.rows) > 0) AS t"
}
check "[ \"\$(feeds_called)\" = 4 ] && [ \"\$(feeds_rows)\" = 4 ]" "each feed function was called and returned rows"
ev() { q -c "SELECT count(*) FROM creator_platform.events e, bench_load.baseline b WHERE e.id > b.last_event AND e.kind = '$1'"; }
grown() { q -c "SELECT count(*) - b.comments FROM creator_platform.comments, bench_load.baseline b GROUP BY b.comments"; }
added=$(ev comment_added)
check "[ $added -gt 0 ] && [ $added -gt \$(grown) ]" \
  "comments were added ($added comment_added events) and removed (the table grew by $(grown))"
hot_growth() { q -c 'SELECT sum(p.comment_count) - sum(h.comments_before) FROM bench_load.hot_posts h JOIN creator_platform.posts p ON p.id = h.id'; }
check "[ \"\$(hot_growth)\" -gt 0 ]" "the hot posts' comment counts grew ($(hot_growth))"
check "[ \"\$(ev subscription_started)\" -gt 0 ] && [ \"\$(ev subscription_cancelled)\" -gt 0 ]" \
  "subscriptions were started and cancelled ($(ev subscription_started) and $(ev subscription_cancelled) events)"
unpublished() { q -c "SELECT count(*) FROM creator_platform.posts WHERE title LIKE 'load: %' AND status <> 'published'"; }
check "[ \"\$(ev post_published)\" -gt 0 ] && [ \"\$(unpublished)\" = 0 ]" \
  "posts were published ($(ev post_published) events), and every post the load wrote is published"

# the drift check is not blind: a counter broken on purpose (triggers off) is found
q -c "SET session_replication_role = replica;
      UPDATE creator_platform.posts SET comment_count = comment_count + 1
       WHERE id = (SELECT h.id FROM bench_load.hot_posts h WHERE h.n = 1)" >/dev/null
check "[ \"\$(drift)\" = 1 ]" "reconcile_counters(false) does find a counter broken on purpose"

# -- the driver's own verdict ---------------------------------------------------------------
check "[ $driver_rc = 0 ] && grep -q 'Checks: \*\*passed\*\*' '$tmp/block.md'" \
  "bench/load.sh passed its checks and wrote its block" "$(grep -A9 '^### Checks' "$tmp/block.md" 2>/dev/null)"

[ $failed = 0 ]
