#!/usr/bin/env bash
# CALL creator_platform.archive_old_posts (0.4.0, API.md "Archiving"): the
# procedure commits after every batch, so it runs outside pgTAP's transaction,
# here, on a throwaway cluster of its own (scripts/cluster.sh; it is killed
# with SIGKILL below). Prints TAP.
#
#   a run        one NOTICE per batch and a final one; every old post with its
#                comments in the archive, one transaction per batch (xmin),
#                each comment moved in its post's transaction; counters exact,
#                no event written; a second run finds nothing to do
#   concurrency  a run slowed down by a test trigger (pg_sleep per batch): a
#                second CALL meanwhile returns at once with a NOTICE and moves
#                nothing; another session watching sees the archive grow by
#                whole batches only, every row in exactly one place at every
#                look
#   an error     a run cancelled by statement_timeout keeps the batches it
#                committed, releases its lock, and the next run finishes
#   a crash      the backend of a run is killed (SIGKILL: the server restarts
#                and recovers): only whole batches are archived, every row is in
#                exactly one place, counters are exact, and a new run (no lock
#                left behind) archives the rest
#   yielding     with another session running a statement, a run pauses after
#                its batches (creator_platform.archive_duty_cycle) and says so;
#                alone, or with the duty cycle 1, it never pauses; a pause ends
#                at once when the run is cancelled
# The sections before "yielding" run with archive_duty_cycle = 1 (PGOPTIONS):
# their watchers and second sessions run statements, and pauses would only
# slow them down.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$root/scripts/lib.sh"
PGBIN=$("$PG_CONFIG" --bindir)
PSQL="$PGBIN/psql"

dir=$(cp_tempdir archive)
bg_pids=()
cleanup() {
  local p
  for p in "${bg_pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  bash "$root/scripts/cluster.sh" stop "$dir" >/dev/null 2>&1
  rm -rf -- "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { if eval "$1"; then ok "$2"; else not_ok "$2"; [ -n "${3:-}" ] && echo "$3" | sed 's/^/# /'; fi; }

echo "1..42"
if ! bash "$root/scripts/cluster.sh" start "$dir" >"$dir/cluster.log" 2>&1; then
  sed 's/^/# /' "$dir/cluster.log"
  echo "Bail out! could not start a cluster"
  exit 1
fi
. "$dir/env"
export PGHOST PGPORT PGUSER
export PGDATABASE=archtest
export PGOPTIONS='-c creator_platform.archive_duty_cycle=1'
q() { "$PSQL" -X -q -At -v ON_ERROR_STOP=1 "$@"; }
"$PSQL" -X -q -d postgres -c 'CREATE DATABASE archtest' >/dev/null

# 5 creators, 20 readers; 250 posts published 3 years ago (one minute apart),
# 30 of last week; on every 5th old post a thread of 4 (a reply chain, one
# placeholder). knobs.sleep: seconds the test trigger sleeps per batch.
q <<'SQL' >/dev/null
CREATE EXTENSION creator_platform CASCADE;
SET search_path = creator_platform, public;
INSERT INTO users (email, username, role)
SELECT format('c%s@archtest.test', k), format('arch_creator_%s', k), 'creator'::user_role FROM generate_series(1, 5) k
UNION ALL
SELECT format('r%s@archtest.test', k), format('arch_reader_%s', k), 'reader' FROM generate_series(1, 20) k;
INSERT INTO posts (creator_id, title, status, published_at)
SELECT (SELECT id FROM users WHERE username = format('arch_creator_%s', n % 5 + 1)), format('old %s', n), 'published',
       now() - interval '3 years' - n * interval '1 minute'
  FROM generate_series(1, 250) n;
INSERT INTO posts (creator_id, title, status, published_at)
SELECT (SELECT id FROM users WHERE username = format('arch_creator_%s', n % 5 + 1)), format('new %s', n), 'published',
       now() - n * interval '1 hour'
  FROM generate_series(1, 30) n;
DO $$
DECLARE
    p record;
    a uuid;
    b uuid;
BEGIN
    FOR p IN SELECT id FROM creator_platform.posts WHERE title ~ '^old ' AND substr(title, 5)::int % 5 = 0 LOOP
        a := (creator_platform.add_comment(p.id, (SELECT id FROM creator_platform.users WHERE username = 'arch_reader_1'), 'a')).id;
        b := (creator_platform.add_comment(p.id, (SELECT id FROM creator_platform.users WHERE username = 'arch_reader_2'), 'b', a)).id;
        PERFORM creator_platform.add_comment(p.id, (SELECT id FROM creator_platform.users WHERE username = 'arch_reader_3'), 'c', b);
        PERFORM creator_platform.add_comment(p.id, (SELECT id FROM creator_platform.users WHERE username = 'arch_reader_4'), 'd');
        PERFORM creator_platform.delete_comment(a);
    END LOOP;
END
$$;
CREATE TABLE public.knobs (sleep float8 NOT NULL);
INSERT INTO public.knobs VALUES (0);
CREATE FUNCTION public.slow_batch() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
    PERFORM pg_catalog.pg_sleep(k.sleep) FROM public.knobs k;
    RETURN NULL;
END
$f$;
CREATE TRIGGER zz_slow_batch AFTER INSERT ON creator_platform.posts_archive
    FOR EACH STATEMENT EXECUTE FUNCTION public.slow_batch();
-- the move runs with session_replication_role = replica: only ALWAYS triggers fire
ALTER TABLE creator_platform.posts_archive ENABLE ALWAYS TRIGGER zz_slow_batch;
-- every post and comment of the fixture, and the events it wrote
CREATE TABLE public.all_posts AS SELECT id FROM creator_platform.posts;
CREATE TABLE public.all_comments AS SELECT id FROM creator_platform.comments;
CREATE TABLE public.events_before AS SELECT count(*) AS n, max(id) AS last FROM creator_platform.events;
-- what must hold at every commit: 0 rows
CREATE VIEW public.broken AS
SELECT 'post in both places' AS problem, p.id FROM creator_platform.posts p JOIN creator_platform.posts_archive a USING (id)
UNION ALL SELECT 'comment in both places', c.id FROM creator_platform.comments c JOIN creator_platform.comments_archive a USING (id)
UNION ALL SELECT 'live comment of no live post', c.id FROM creator_platform.comments c
           WHERE NOT EXISTS (SELECT FROM creator_platform.posts p WHERE p.id = c.post_id)
UNION ALL SELECT 'archived comment of no archived post', c.id FROM creator_platform.comments_archive c
           WHERE NOT EXISTS (SELECT FROM creator_platform.posts_archive p WHERE p.id = c.post_id)
UNION ALL SELECT 'post counter', p.id FROM creator_platform.posts p
           WHERE p.comment_count <> (SELECT count(*) FROM creator_platform.comments c WHERE c.post_id = p.id AND c.deleted_at IS NULL)
UNION ALL SELECT 'archived post counter', p.id FROM creator_platform.posts_archive p
           WHERE p.comment_count <> (SELECT count(*) FROM creator_platform.comments_archive c WHERE c.post_id = p.id AND c.deleted_at IS NULL)
UNION ALL SELECT 'reply counter', c.id FROM creator_platform.comments c
           WHERE c.reply_count <> (SELECT count(*) FROM creator_platform.comments r WHERE r.parent_comment_id = c.id)
UNION ALL SELECT 'archived reply counter', c.id FROM creator_platform.comments_archive c
           WHERE c.reply_count <> (SELECT count(*) FROM creator_platform.comments_archive r WHERE r.parent_comment_id = c.id)
UNION ALL SELECT 'missing post', x.id FROM (SELECT id FROM public.all_posts) x
           WHERE NOT EXISTS (SELECT FROM creator_platform.posts p WHERE p.id = x.id)
             AND NOT EXISTS (SELECT FROM creator_platform.posts_archive p WHERE p.id = x.id)
UNION ALL SELECT 'missing comment', x.id FROM (SELECT id FROM public.all_comments) x
           WHERE NOT EXISTS (SELECT FROM creator_platform.comments c WHERE c.id = x.id)
             AND NOT EXISTS (SELECT FROM creator_platform.comments_archive c WHERE c.id = x.id);
SQL
[ $? -eq 0 ] || { echo "Bail out! the fixture failed"; exit 1; }

CALL_SQL="CALL creator_platform.archive_old_posts(now() - interval '2 years', 40)"
old_posts() { q -c "SELECT count(*) FROM creator_platform.posts_archive"; }
broken() { q -c "SELECT count(*) FROM public.broken"; }
events_same() { [ "$(q -c 'SELECT count(*) = b.n AND max(e.id) IS NOT DISTINCT FROM b.last FROM creator_platform.events e, public.events_before b GROUP BY b.n, b.last')" = t ]; }
restore_all() { q -c "SELECT count(*) FROM (SELECT id FROM creator_platform.posts_archive) a CROSS JOIN LATERAL creator_platform.restore_post(a.id) r"; }
set_sleep() { q -c "UPDATE public.knobs SET sleep = $1" >/dev/null; }
lock_holders() { q -c "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 1668308833 AND objid = 1919117430 AND objsubid = 1 AND granted"; }
wait_for() { # condition, tenths of a second
  local i; for ((i = 0; i < $2; i++)); do eval "$1" && return 0; sleep 0.1; done; return 1
}

# -- a run ------------------------------------------------------------------------
q -c "$CALL_SQL" >"$dir/run1.out" 2>"$dir/run1.err"
check "[ $? -eq 0 ]" "a run of archive_old_posts(now() - 2 years, 40) succeeds" "$(cat "$dir/run1.err")"
check "[ \"\$(grep -c 'NOTICE:  archive_old_posts: batch [0-9]*: ' '$dir/run1.err')\" = 7 ]" \
  "one progress NOTICE per batch: 7 batches for 250 posts" "$(cat "$dir/run1.err")"
check "grep -q 'batch 7: 10 posts and 8 comments archived, 250 posts and 200 comments so far' '$dir/run1.err'" \
  "the NOTICEs count posts and comments, per batch and so far"
check "grep -q 'NOTICE:  archive_old_posts: done: 250 posts and 200 comments archived in 7 batches' '$dir/run1.err'" \
  "a final NOTICE with the totals"
check "[ \"\$(q -c \"SELECT count(*) FROM creator_platform.posts_archive\")/\$(q -c \"SELECT count(*) FROM creator_platform.comments_archive\")/\$(q -c \"SELECT count(*) FROM creator_platform.posts WHERE status = 'published'\")\" = 250/200/30 ]" \
  "every old post is archived with its comments; the 30 new ones stay live"
check "[ \"\$(q -c 'SELECT count(DISTINCT xmin::text) FROM creator_platform.posts_archive')\" = 7 ]" \
  "the archived posts were written by 7 transactions: one commit per batch"
check "[ \"\$(q -c 'SELECT max(n) FROM (SELECT count(*) AS n FROM creator_platform.posts_archive GROUP BY xmin::text) t')\" = 40 ]" \
  "no transaction moved more than batch_size posts"
check "[ \"\$(q -c 'SELECT count(*) FROM creator_platform.comments_archive c JOIN creator_platform.posts_archive p ON p.id = c.post_id WHERE c.xmin::text <> p.xmin::text')\" = 0 ]" \
  "every comment was archived in its post's transaction"
check "[ \"\$(broken)\" = 0 ]" "after the run: every row in exactly one place, every counter exact"
check "events_same" "archiving wrote no event"
q -c "$CALL_SQL" >"$dir/run2.out" 2>"$dir/run2.err"
check "[ $? -eq 0 ] && grep -q 'done: 0 posts and 0 comments archived in 0 batches' '$dir/run2.err' && ! grep -q 'batch 1' '$dir/run2.err'" \
  "a second run finds nothing to do" "$(cat "$dir/run2.err")"
check "[ \"\$(restore_all)\" = 250 ] && [ \"\$(broken)\" = 0 ]" "restore_post brings all 250 back, every row in one place"

# -- concurrency: a slow run, a second CALL, a watcher ---------------------------
set_sleep 0.4
q -c "$CALL_SQL" >"$dir/slow.out" 2>"$dir/slow.err" &
slow=$!; bg_pids+=("$slow")
: >"$dir/watch.log"
( for _ in $(seq 1 100); do
    q -c "SELECT (SELECT count(*) FROM creator_platform.posts_archive) || ' ' || (SELECT count(*) FROM public.broken)" \
      >>"$dir/watch.log" 2>/dev/null
    kill -0 "$slow" 2>/dev/null || break
    sleep 0.05
  done ) &
watcher=$!; bg_pids+=("$watcher")
if wait_for "[ \"\$(old_posts)\" -ge 40 ] && [ \"\$(lock_holders)\" = 1 ]" 100; then
  q -c "$CALL_SQL" >"$dir/second.out" 2>"$dir/second.err"; second_rc=$?
  kill -0 "$slow" 2>/dev/null; slow_alive=$?
  after_second=$(old_posts)
else
  second_rc=x slow_alive=x after_second=x
fi
wait "$slow"; slow_rc=$?
wait "$watcher"
check "[ '$second_rc' = 0 ] && grep -q 'NOTICE:  archive_old_posts is already running in another session: nothing to do' '$dir/second.err'" \
  "a second CALL while a run is going returns with a NOTICE" "$(cat "$dir/second.err" 2>/dev/null)"
check "! grep -q 'batch' '$dir/second.err'" "... and archives nothing itself"
check "[ '$slow_alive' = 0 ]" "... and it returned while the first run was still going"
check "[ '$after_second' != x ] && [ '$after_second' -lt 250 ]" "the first run had not finished when the second returned"
check "[ $slow_rc -eq 0 ] && grep -q 'done: 250 posts and 200 comments archived in 7 batches' '$dir/slow.err'" \
  "the first run finishes undisturbed" "$(cat "$dir/slow.err")"
check "awk '\$1 > 0 && \$1 < 250 { found = 1 } END { exit !found }' '$dir/watch.log'" \
  "another session sees the archive grow while the run goes on (a commit per batch)" "$(tr '\n' ' ' <"$dir/watch.log")"
check "awk '\$1 % 40 != 0 && \$1 != 250 { bad = 1 } END { exit bad }' '$dir/watch.log'" \
  "... by whole batches of 40 only" "$(tr '\n' ' ' <"$dir/watch.log")"
check "[ -s '$dir/watch.log' ] && awk '\$2 != 0 { bad = 1 } END { exit bad }' '$dir/watch.log'" \
  "... and at every look every row is in exactly one place with exact counters"
check "[ \"\$(lock_holders)\" = 0 ]" "the run released its lock"
restore_all >/dev/null

# -- an error: cancelled by statement_timeout ------------------------------------
q -v ON_ERROR_STOP=0 -c "SET statement_timeout = '1500ms'" -c "$CALL_SQL" \
  -c "SELECT 'locks ' || count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()" \
  >"$dir/cancel.out" 2>"$dir/cancel.err"
check "grep -q 'ERROR:  canceling statement due to statement timeout' '$dir/cancel.err'" \
  "a run stopped by statement_timeout ends with its error" "$(cat "$dir/cancel.err")"
check "grep -qx 'locks 0' '$dir/cancel.out'" "... and has released the lock in its session" "$(cat "$dir/cancel.out")"
partial=$(old_posts)
check "[ $partial -gt 0 ] && [ $partial -lt 250 ] && [ \$(($partial % 40)) -eq 0 ]" \
  "the batches it committed stay archived: $partial posts, whole batches"
check "[ \"\$(broken)\" = 0 ]" "after the error: every row in exactly one place, every counter exact"
set_sleep 0
q -c "$CALL_SQL" >"$dir/rest.out" 2>"$dir/rest.err"
check "[ $? -eq 0 ] && [ \"\$(old_posts)\" = 250 ]" "the next run archives the rest" "$(cat "$dir/rest.err")"
restore_all >/dev/null

# -- a crash: SIGKILL of the backend in the middle of a run ----------------------
# (synchronous_commit on for this run: the cluster runs with it off, and a
# crash may then lose the last commits, whole, before the WAL writer flushed them)
set_sleep 0.4
PGOPTIONS="$PGOPTIONS -c synchronous_commit=on" q -c "$CALL_SQL" >"$dir/crash.out" 2>"$dir/crash.err" &
crashing=$!; bg_pids+=("$crashing")
pid=
if wait_for "[ \"\$(old_posts)\" -ge 80 ]" 100; then
  pid=$(q -c "SELECT pid FROM pg_stat_activity WHERE query LIKE 'CALL creator_platform.archive_old_posts%' AND pid <> pg_backend_pid()")
fi
check "[ -n '$pid' ] && kill -9 $pid" "the backend of a run is killed with SIGKILL after two batches"
wait "$crashing"; crash_rc=$?
check "[ $crash_rc -ne 0 ]" "its client loses the connection"
wait_for "q -d postgres -c 'SELECT 1' >/dev/null 2>&1" 300
check "[ \"\$(q -c 'SELECT 1' 2>/dev/null)\" = 1 ]" "the server recovers from the crash"
survived=$(old_posts)
check "[ $survived -ge 80 ] && [ $survived -lt 250 ] && [ \$(($survived % 40)) -eq 0 ]" \
  "after the crash the committed batches are archived, whole, and nothing of the batch it was in: $survived posts"
check "[ \"\$(broken)\" = 0 ]" "after the crash: every row in exactly one place, every counter exact"
check "[ \"\$(lock_holders)\" = 0 ]" "no lock outlives the killed session"
set_sleep 0
q -c "$CALL_SQL" >"$dir/after.out" 2>"$dir/after.err"
check "[ $? -eq 0 ] && grep -q 'done: ' '$dir/after.err' && [ \"\$(old_posts)\" = 250 ]" \
  "a new run after the crash archives the rest" "$(cat "$dir/after.err")"
check "[ \"\$(broken)\" = 0 ] && events_same" "finally: every row in one place, counters exact, no event written"

restore_all >/dev/null

# -- yielding: pauses while another session is running a statement ---------------
# Batches of 40 take 0.3 s each (the test trigger); a session running
# pg_sleep(60) meanwhile is the "other session".
set_sleep 0.3
yield_run() { # name duty_cycle: a run with that duty cycle
  PGOPTIONS="-c creator_platform.archive_duty_cycle=$2" q -c "$CALL_SQL" >"$dir/$1.out" 2>"$dir/$1.err"
}
paused() { sed -n 's/.*Paused \([0-9.]*\) s in all.*/\1/p' "$dir/$1.err"; }
t0=$(date +%s.%N)
yield_run alone 0.5; alone_rc=$?
t1=$(date +%s.%N)
check "[ $alone_rc -eq 0 ] && [ \"\$(old_posts)\" = 250 ] && [ -z \"\$(paused alone)\" ]" \
  "with no other session busy, a run with archive_duty_cycle = 0.5 never pauses" "$(cat "$dir/alone.err")"
restore_all >/dev/null
q -d postgres -c "SELECT pg_sleep(60)" >/dev/null 2>&1 &
sleeper=$!; bg_pids+=("$sleeper")
wait_for "[ \"\$(q -c \"SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60)' AND state = 'active'\")\" = 1 ]" 50
t2=$(date +%s.%N)
yield_run loaded 0.5; loaded_rc=$?
t3=$(date +%s.%N)
p=$(paused loaded)
check "[ $loaded_rc -eq 0 ] && [ \"\$(old_posts)\" = 250 ] && [ \"\$(broken)\" = 0 ]" \
  "with another session busy, a run with archive_duty_cycle = 0.5 still archives everything" "$(cat "$dir/loaded.err")"
check "[ -n '$p' ] && awk 'BEGIN { exit !($p >= 1.5) }'" \
  "... and pauses about as long as its batches took (0.5): $p s for 7 batches of 0.3 s" "$(cat "$dir/loaded.err")"
check "awk 'BEGIN { exit !(($t3 - $t2) - ($t1 - $t0) >= 1.5) }'" \
  "... which makes it longer than the run alone by about that: $(awk "BEGIN { printf \"%.1f s against %.1f s\", $t3 - $t2, $t1 - $t0 }")"
restore_all >/dev/null
yield_run full 1; full_rc=$?
check "[ $full_rc -eq 0 ] && [ \"\$(old_posts)\" = 250 ] && [ -z \"\$(paused full)\" ]" \
  "with another session busy, a run with archive_duty_cycle = 1 never pauses" "$(cat "$dir/full.err")"
restore_all >/dev/null
# a pause of up to 10 s (0.3 s of work at 0.03) ends at once on a cancel
PGOPTIONS="-c creator_platform.archive_duty_cycle=0.03 -c statement_timeout=2500ms" \
  q -v ON_ERROR_STOP=0 -c "$CALL_SQL" >"$dir/cancel2.out" 2>"$dir/cancel2.err" &
canceled=$!; bg_pids+=("$canceled")
t4=$(date +%s.%N)
wait "$canceled"
t5=$(date +%s.%N)
check "grep -q 'canceling statement due to statement timeout' '$dir/cancel2.err' && awk 'BEGIN { exit !(($t5 - $t4) < 5) }'" \
  "statement_timeout ends a run in its pause: after $(awk "BEGIN { printf \"%.1f\", $t5 - $t4 }") s (timeout 2.5 s, pause about 9.7 s)" "$(cat "$dir/cancel2.err")"
check "[ \"\$(broken)\" = 0 ] && [ \"\$(lock_holders)\" = 0 ]" "... leaving every row in one place and no lock behind"
kill "$sleeper" 2>/dev/null; q -d postgres -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60)'" >/dev/null
# (LOAD first: before the library is loaded, a SET makes a placeholder that nothing checks)
low=$(q -c "LOAD 'creator_platform'" -c 'SET creator_platform.archive_duty_cycle = 0' 2>&1)
high=$(q -c "LOAD 'creator_platform'" -c 'SET creator_platform.archive_duty_cycle = 1.5' 2>&1)
check "grep -q 'outside the valid range' <<<\"\$low\" && grep -q 'outside the valid range' <<<\"\$high\"" \
  "archive_duty_cycle takes values from 0.01 to 1 only"
set_sleep 0

if [ $failed -ne 0 ]; then
  echo "# server log (last lines):"; tail -20 "$dir/server.log" 2>/dev/null | sed 's/^/# /'
fi
exit $failed
