#!/usr/bin/env bash
# Backups (issue 6, docs/operations.md "Backups"): pg_dump / pg_restore of a
# database that uses creator_platform brings back every row, the archive, the
# events, the feeds with their cursors, and the maintenance settings. On
# throwaway clusters of its own (scripts/cluster.sh). Prints TAP.
#
#   the data     bench/generate.sql at a tiny scale (drafts, scheduled and
#                published posts, subscribers-only posts, threads with
#                placeholders, cancelled subscriptions, events), plus a post
#                whose scheduled time has passed, a published post with a
#                future published_at, anonymous placeholders (their author
#                deleted), archived posts with their threads, processed events,
#                refreshed statistics, creator_platform.archive_after set on
#                the database, an application role with grants, and the
#                maintenance jobs in pg_cron (inactive)
#   a plain      pg_restore with the triggers on fails, and its errors say how
#   restore      to restore (the hint of the counter guard)
#   -Fc          pg_restore --create -j 2 with session_replication_role =
#                replica: every table equal row for row (ids, counters, paths,
#                timestamps, archived_at, events, the events sequence,
#                creator_activity, cursor_secret), counters exact, every feed
#                the same pages with the same cursors, a cursor of the source
#                continues on the copy, the database setting and the grants
#                back, new events numbered after the old ones, the rules in
#                force again (no restore hint in an ordinary session),
#                statistics equal after refresh_stats()
#   plain        pg_dump | psql with session_replication_role = replica: the
#                same tables and feeds
#   data-only    pg_restore --data-only into a database with the extension:
#                the same tables and feeds (the dumped key replaces the new one)
#   pg_dumpall   into a second cluster: the same tables, the database setting,
#                the role and its grants, and pg_cron's jobs, which
#                schedule_maintenance() there finds as its own
#   no hole      a role that is not a superuser cannot set
#                session_replication_role, by SET nor by PGOPTIONS
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$root/scripts/lib.sh"
PGBIN=$("$PG_CONFIG" --bindir)
export PGTZ=UTC
REPLICA_ROLE='-c session_replication_role=replica'

dir=$(cp_tempdir backup)
cleanup() {
  bash "$root/scripts/cluster.sh" stop "$dir/a" >/dev/null 2>&1
  bash "$root/scripts/cluster.sh" stop "$dir/b" >/dev/null 2>&1
  rm -rf -- "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { if eval "$1"; then ok "$2"; else not_ok "$2"; [ -n "${3:-}" ] && echo "$3" | sed 's/^/# /'; fi; }
is() { # got expected name
  if [ "$1" = "$2" ]; then ok "$3"; else
    not_ok "$3"; printf '#   got:      %s\n#   expected: %s\n' "$1" "$2" | cut -c1-400
  fi
}

echo "1..57"
mkdir -p "$dir/a" "$dir/b"
if ! bash "$root/scripts/cluster.sh" start "$dir/a" >"$dir/a.log" 2>&1; then
  sed 's/^/# /' "$dir/a.log"; echo "Bail out! could not start a cluster"; exit 1
fi
. "$dir/a/env"
export PGHOST PGPORT PGUSER
A_HOST=$PGHOST A_PORT=$PGPORT
qa() { "$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$A_HOST" -p "$A_PORT" "$@"; } # qa -d DB -c SQL
qb() { "$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$B_HOST" -p "$B_PORT" "$@"; }

# --- the source database -------------------------------------------------------------
qa -d postgres -c 'CREATE EXTENSION pg_cron' -c 'CREATE DATABASE cpsrc' >/dev/null \
  && qa -d cpsrc -c 'CREATE EXTENSION creator_platform CASCADE' -c 'CREATE EXTENSION dblink' >/dev/null \
  && "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -v scale=0.02 -d cpsrc -f "$root/bench/generate.sql" >"$dir/generate.log" 2>&1 \
  || { sed 's/^/# /' "$dir/generate.log"; echo "Bail out! could not make the source database"; exit 1; }

# The maintenance jobs, made inactive at once: the copies of this database must
# not change while they are compared, and nothing is due yet.
qa -d cpsrc -c 'SELECT count(*) FROM creator_platform.schedule_maintenance()' >/dev/null \
  && qa -d postgres -c "SELECT count(cron.alter_job(j.jobid, active => false)) FROM cron.job j" >/dev/null \
  || { echo "Bail out! could not schedule the maintenance jobs"; exit 1; }

qa -d cpsrc >"$dir/fixture.log" 2>&1 <<'SQL'
SET search_path = creator_platform, public;
DO $$
DECLARE
    creator uuid := (SELECT id FROM users WHERE username = 'demo_creator');
    author uuid;
    replier uuid;
    leaver uuid;
    old_post uuid;
    new_post uuid;
    top uuid;
    c uuid;
BEGIN
    INSERT INTO users (email, username) VALUES ('bk_a@backup.test', 'bk_author') RETURNING id INTO author;
    INSERT INTO users (email, username) VALUES ('bk_b@backup.test', 'bk_replier') RETURNING id INTO replier;
    INSERT INTO users (email, username) VALUES ('bk_c@backup.test', 'bk_leaver') RETURNING id INTO leaver;
    -- threads with a placeholder and an anonymous placeholder, on an old post
    -- (archived below) and on a new one
    INSERT INTO posts (creator_id, title, content, status, published_at)
    VALUES (creator, 'backup: an old thread', 'old', 'published', now() - interval '3 years') RETURNING id INTO old_post;
    INSERT INTO posts (creator_id, title, content, status, visibility)
    VALUES (creator, 'backup: a new thread', 'new', 'published', 'subscribers') RETURNING id INTO new_post;
    FOREACH c IN ARRAY ARRAY[old_post, new_post] LOOP
        top := (add_comment(c, author, 'to be deleted')).id;
        PERFORM add_comment(c, replier, 'a reply', top);
        PERFORM delete_comment(top);
        top := (add_comment(c, leaver, 'by someone who leaves')).id;
        PERFORM add_comment(c, replier, 'a reply to them', (add_comment(c, author, 'a reply', top)).id);
    END LOOP;
    DELETE FROM users WHERE id = leaver;
    -- a published post whose published_at was edited into the future
    UPDATE posts SET published_at = now() + interval '1 day'
     WHERE id = (SELECT id FROM posts WHERE status = 'published' AND creator_id = creator
                  ORDER BY published_at DESC, id LIMIT 1);
    -- a post scheduled a moment from now: its time has passed when the dump is made
    INSERT INTO posts (creator_id, title) VALUES (creator, 'backup: due') RETURNING id INTO c;
    PERFORM schedule_post(c, clock_timestamp() + interval '1 second');
END
$$;
SELECT count(*) FROM archive_posts(now() - interval '2 years', 100000);
SELECT count(*) FROM claim_events(500);
SELECT refresh_stats();
SELECT count(*) FROM reconcile_counters(true);
ALTER DATABASE cpsrc SET creator_platform.archive_after = '18 months';
-- an application role and its grants on the extension's objects
CREATE ROLE bk_app LOGIN;
GRANT USAGE ON SCHEMA creator_platform TO bk_app;
GRANT SELECT, INSERT ON creator_platform.posts TO bk_app;
GRANT EXECUTE ON FUNCTION creator_platform.recent_posts(uuid, integer, text) TO bk_app;
SQL
[ $? -eq 0 ] || { sed 's/^/# /' "$dir/fixture.log"; echo "Bail out! the fixture failed"; exit 1; }

# cp_walk: every read function walked page by page (dumped and restored with
# the rest, as any schema of the database)
qa -d cpsrc -f "$root/test/sql/walk_feeds.sql" >"$dir/walk.log" 2>&1 \
  || { sed 's/^/# /' "$dir/walk.log"; echo "Bail out! could not create the walks"; exit 1; }

sleep 1.2   # the scheduled post is due now
check "[ \"\$(qa -d cpsrc -c \"SELECT count(*) FROM creator_platform.posts WHERE status = 'scheduled' AND published_at < now()\")/\$(qa -d cpsrc -c \"SELECT count(*) FROM creator_platform.posts WHERE status = 'published' AND published_at > now()\")/\$(qa -d cpsrc -c 'SELECT count(*) FROM creator_platform.comments_archive WHERE user_id IS NULL')\" = 1/1/1 ]" \
  "the source holds a due scheduled post, a published post dated in the future and an archived anonymous placeholder"

KINDS="creator_posts recent_posts home_feed post_view comment_thread subscriptions_of subscribers_of uuid_v7_timestamp"
snapshot() { # q-function db file: every table and every read, without and with cursors
  { "$1" -d "$2" -c 'SELECT * FROM cp_walk.tables()'
    for k in $KINDS; do echo "$k rows $("$1" -d "$2" -c "SELECT cp_walk.digest('$k', false)")"; done
    for k in $KINDS; do echo "$k cursors $("$1" -d "$2" -c "SELECT cp_walk.digest('$k', true)")"; done
  } >"$3" 2>&1
}
line() { grep -m1 "^$2 " "$1"; } # file key
snapshot qa cpsrc "$dir/src.snap"
check "! grep -qE '( 0 rows,|^[a-z_]+ (rows|cursors) 0 lines)' '$dir/src.snap' && [ \"\$(wc -l <'$dir/src.snap')\" = 26 ]" \
  "the comparisons are not vacuous: every table and every kind of read has rows" "$(cat "$dir/src.snap")"
orig_max_event=$(qa -d cpsrc -c 'SELECT max(id) FROM creator_platform.events')
orig_stats=$(qa -d cpsrc -c "SELECT cp_walk.digest('creator_stats')")
orig_trending=$(qa -d cpsrc -c "SELECT cp_walk.digest('trending_posts')")

# --- the dumps ------------------------------------------------------------------------
"$PGBIN/pg_dump" -h "$A_HOST" -p "$A_PORT" -Fc -d cpsrc -f "$dir/cpsrc.dump" 2>"$dir/dump.err" \
  && "$PGBIN/pg_dump" -h "$A_HOST" -p "$A_PORT" -d cpsrc -f "$dir/cpsrc.sql" 2>>"$dir/dump.err" \
  && "$PGBIN/pg_dumpall" -h "$A_HOST" -p "$A_PORT" -f "$dir/all.sql" 2>>"$dir/dump.err" \
  || { sed 's/^/# /' "$dir/dump.err"; echo "Bail out! pg_dump failed"; exit 1; }
"$PGBIN/pg_restore" -l "$dir/cpsrc.dump" >"$dir/toc.txt"
check "grep -q 'TABLE DATA creator_platform cursor_secret' '$dir/toc.txt' && grep -q 'TABLE DATA creator_platform creator_activity' '$dir/toc.txt' && ! grep -q 'TABLE DATA creator_platform maintenance_log' '$dir/toc.txt'" \
  "the dump holds cursor_secret and creator_activity, not maintenance_log" "$(grep 'TABLE DATA' "$dir/toc.txt")"

# --- a plain pg_restore: the triggers fire and refuse the rows -------------------------
qa -d postgres -c 'CREATE DATABASE cp_default' >/dev/null
"$PGBIN/pg_restore" -h "$A_HOST" -p "$A_PORT" -d cp_default "$dir/cpsrc.dump" >/dev/null 2>"$dir/default.err"
rc=$?
check "[ $rc -ne 0 ] && grep -q 'errors ignored on restore' '$dir/default.err'" \
  "pg_restore without session_replication_role = replica fails (the triggers refuse restored rows)" "$(head -5 "$dir/default.err")"
check "grep -q 'comment_count of a new row must be 0' '$dir/default.err' && grep -q \"HINT:  if this is a restore of a dump, restore it as a superuser with PGOPTIONS='-c session_replication_role=replica'\" '$dir/default.err'" \
  "... and its error says how to restore" "$(grep -m3 -A2 'ERROR' "$dir/default.err")"
qa -d postgres -c 'DROP DATABASE cp_default' >/dev/null

# --- -Fc, pg_restore --create -j 2 as a superuser with session_replication_role = replica
qa -d postgres -c 'ALTER DATABASE cpsrc RENAME TO cpsrc_orig' >/dev/null
PGOPTIONS="$REPLICA_ROLE" "$PGBIN/pg_restore" -h "$A_HOST" -p "$A_PORT" --create -j 2 -d postgres "$dir/cpsrc.dump" \
  >"$dir/fc.out" 2>"$dir/fc.err"
check "[ $? -eq 0 ] && [ ! -s '$dir/fc.err' ]" \
  "pg_restore --create -j 2 with PGOPTIONS='-c session_replication_role=replica' succeeds without an error" "$(head -20 "$dir/fc.err")"
snapshot qa cpsrc "$dir/fc.snap"
fc_fresh="$(qa -d cpsrc -c 'SELECT count(*) FROM creator_platform.maintenance_log')/$(qa -d cpsrc -c "SELECT cp_walk.digest('creator_stats')")"
for t in users posts comments subscriptions posts_archive comments_archive events events_id_seq creator_activity cursor_secret; do
  is "$(line "$dir/fc.snap" "$t")" "$(line "$dir/src.snap" "$t")" "-Fc: $t equal, every row and column"
done
is "$(qa -d cpsrc -c 'SELECT count(*) FROM creator_platform.reconcile_counters(false)')" 0 \
  "-Fc: reconcile_counters(false) finds no drift"
for k in $KINDS; do
  is "$(line "$dir/fc.snap" "$k rows")" "$(line "$dir/src.snap" "$k rows")" "-Fc: $k returns the same pages"
done
# (subscriptions_of and subscribers_of bind the status by its label since
# 0.5.0: by its pg_enum OID, which a restored database does not share, their
# cursors were refused after a restore)
for k in creator_posts recent_posts home_feed comment_thread subscriptions_of subscribers_of; do
  is "$(line "$dir/fc.snap" "$k cursors")" "$(line "$dir/src.snap" "$k cursors")" "-Fc: $k gives the same cursors"
done
after=$(qa -d cpsrc_orig -c "SELECT cursor FROM creator_platform.recent_posts(NULL, 5) OFFSET 4")
is "$(qa -d cpsrc -c "SELECT string_agg(post_id || cursor, ',') FROM creator_platform.recent_posts(NULL, 5, '$after')")" \
   "$(qa -d cpsrc_orig -c "SELECT string_agg(post_id || cursor, ',') FROM creator_platform.recent_posts(NULL, 5, '$after')")" \
   "-Fc: a cursor handed out by the source continues the walk on the restored database"
is "$(qa -d cpsrc -c 'SHOW creator_platform.archive_after')" "18 months" \
   "-Fc: creator_platform.archive_after set on the database is back (--create)"
grants="SELECT concat_ws(' ', has_schema_privilege('bk_app', 'creator_platform', 'USAGE'),
                         has_table_privilege('bk_app', 'creator_platform.posts', 'SELECT, INSERT'),
                         has_table_privilege('bk_app', 'creator_platform.posts', 'UPDATE'),
                         has_function_privilege('bk_app', 'creator_platform.recent_posts(uuid, integer, text)', 'EXECUTE'))"
is "$(qa -d cpsrc -c "$grants")" "t t f t" "-Fc: the grants to an application role on the extension's objects are back"
is "$(qa -d cpsrc -c "SELECT count(*) FROM creator_platform.posts WHERE status = 'scheduled' AND published_at < now()")/$(qa -d cpsrc -c "SELECT count(*) FROM creator_platform.posts WHERE status = 'published' AND published_at > now()")" \
   "1/1" "-Fc: the due scheduled post is still scheduled, the future published_at untouched"
is "$fc_fresh" "0/0 lines, md5 -" "-Fc: maintenance_log and the statistics start empty (not dumped; refresh_stats() fills them)"
qa -d cpsrc -c 'SELECT creator_platform.refresh_stats()' >/dev/null
is "$(qa -d cpsrc -c "SELECT cp_walk.digest('creator_stats')")" "$orig_stats" "-Fc: after refresh_stats(), creator_stats equal"
is "$(qa -d cpsrc -c "SELECT cp_walk.digest('trending_posts')")" "$orig_trending" "-Fc: after refresh_stats(), trending_posts ranks the same posts"
new_event=$(qa -d cpsrc -c "BEGIN" \
  -c "INSERT INTO creator_platform.posts (creator_id, title, status) SELECT id, 'after the restore', 'published' FROM creator_platform.users WHERE username = 'demo_creator'" \
  -c "SELECT max(id) FROM creator_platform.events" -c "ROLLBACK")
check "[ -n '$new_event' ] && [ '$new_event' -gt '$orig_max_event' ]" \
  "-Fc: a new event gets an id above the old maximum ($new_event > $orig_max_event)"
err=$("$PGBIN/psql" -X -q -At -h "$A_HOST" -p "$A_PORT" -d cpsrc -v VERBOSITY=verbose \
  -c "INSERT INTO creator_platform.posts (creator_id, title, comment_count) SELECT id, 'x', 3 FROM creator_platform.users WHERE username = 'demo_creator'" 2>&1)
is "$(sed -nE 's/^ERROR:  ([0-9A-Z]{5}):.*/\1/p' <<<"$err")" 23514 \
   "-Fc: in an ordinary session of the restored database the rules hold again (a counter set by hand: 23514)"
check "! grep -q 'restore of a dump' <<<\"\$err\"" "... and the error has no restore hint there (row_security is on)" "$err"

# --- plain format: pg_dump | psql ---------------------------------------------------------
qa -d postgres -c 'CREATE DATABASE cp_plain' >/dev/null
PGOPTIONS="$REPLICA_ROLE" "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$A_HOST" -p "$A_PORT" -d cp_plain \
  -f "$dir/cpsrc.sql" >"$dir/plain.out" 2>"$dir/plain.err"
check "[ $? -eq 0 ]" "plain pg_dump | psql with session_replication_role = replica succeeds" "$(head -20 "$dir/plain.err")"
snapshot qa cp_plain "$dir/plain.snap"
is "$(grep -v ' cursors ' "$dir/plain.snap" | md5sum)" "$(grep -v ' cursors ' "$dir/src.snap" | md5sum)" \
   "plain: every table equal, every read the same pages"
is "$(grep -E '^(creator_posts|recent_posts|home_feed|comment_thread) cursors' "$dir/plain.snap")" \
   "$(grep -E '^(creator_posts|recent_posts|home_feed|comment_thread) cursors' "$dir/src.snap")" "plain: the same cursors"
is "$(qa -d cp_plain -c 'SELECT count(*) FROM creator_platform.reconcile_counters(false)')" 0 "plain: no drift"

# --- a data-only restore into a database where the extension is created ----------------------
qa -d postgres -c 'CREATE DATABASE cp_data' >/dev/null
qa -d cp_data -c 'CREATE EXTENSION creator_platform CASCADE' -f "$root/test/sql/walk_feeds.sql" >/dev/null
PGOPTIONS="$REPLICA_ROLE" "$PGBIN/pg_restore" -h "$A_HOST" -p "$A_PORT" --data-only -d cp_data "$dir/cpsrc.dump" \
  >"$dir/data.out" 2>"$dir/data.err"
check "[ $? -eq 0 ] && [ ! -s '$dir/data.err' ]" \
  "pg_restore --data-only into a database with the extension, session_replication_role = replica, succeeds" "$(head -20 "$dir/data.err")"
snapshot qa cp_data "$dir/data.snap"
is "$(grep -v ' cursors ' "$dir/data.snap" | md5sum)" "$(grep -v ' cursors ' "$dir/src.snap" | md5sum)" \
   "data-only: every table equal (its own new key replaced by the dumped one), every read the same pages"
is "$(grep -E '^(creator_posts|recent_posts|home_feed|comment_thread) cursors' "$dir/data.snap")" \
   "$(grep -E '^(creator_posts|recent_posts|home_feed|comment_thread) cursors' "$dir/src.snap")" "data-only: the same cursors"

# --- pg_dumpall into a new cluster ------------------------------------------------------------
if bash "$root/scripts/cluster.sh" start "$dir/b" >"$dir/b.log" 2>&1; then
  B_HOST=$(. "$dir/b/env"; echo "$PGHOST") B_PORT=$(. "$dir/b/env"; echo "$PGPORT")
  PGOPTIONS="$REPLICA_ROLE" "$PGBIN/psql" -X -q -h "$B_HOST" -p "$B_PORT" -d postgres -f "$dir/all.sql" \
    >"$dir/all.out" 2>"$dir/all.err"
  check "[ \"\$(grep -c 'ERROR' '$dir/all.err')\" = 1 ] && grep -q 'ERROR:  role \"postgres\" already exists' '$dir/all.err'" \
    "pg_dumpall | psql into a new cluster: the only error is the existing role postgres" "$(grep -A3 ERROR "$dir/all.err" | head -20)"
  snapshot qb cpsrc "$dir/all.snap"
  is "$(grep -v ' cursors ' "$dir/all.snap" | md5sum)" "$(grep -v ' cursors ' "$dir/src.snap" | md5sum)" \
     "pg_dumpall: every table equal, every read the same pages"
  is "$(qb -d cpsrc -c 'SHOW creator_platform.archive_after')" "18 months" "pg_dumpall: archive_after is back"
  is "$(qb -d cpsrc -c "$grants")" "t t f t" "pg_dumpall: the application role and its grants are back"
  jobs_sql="SELECT string_agg(concat_ws(' ', jobid, jobname, schedule, command, database, username, active), E'\n' ORDER BY jobid) FROM cron.job"
  is "$(qb -d postgres -c "$jobs_sql")" "$(qa -d postgres -c "$jobs_sql")" \
     "pg_dumpall: pg_cron's jobs are back, with pg_cron's database"
  is "$(qb -d cpsrc -c "SELECT string_agg(s.id::text, ',' ORDER BY s.n) FROM creator_platform.schedule_maintenance() WITH ORDINALITY AS s(id, n)")" \
     "$(qa -d postgres -c "SELECT string_agg(jobid::text, ',' ORDER BY jobname) FROM cron.job WHERE jobname LIKE 'creator_platform:%'")" \
     "pg_dumpall: schedule_maintenance() on the new cluster finds the restored jobs (the same ids)"
  is "$(qb -d cpsrc -c 'SELECT count(*) FROM creator_platform.reconcile_counters(false)')" 0 "pg_dumpall: no drift"
else
  sed 's/^/# /' "$dir/b.log"
  for _ in 1 2 3 4 5 6 7; do not_ok "pg_dumpall: a second cluster could not be started"; done
fi

# --- no hole: only a superuser restores with the triggers off --------------------------------
out=$(PGOPTIONS="$REPLICA_ROLE" "$PGBIN/psql" -X -At -h "$A_HOST" -p "$A_PORT" -U bk_app -d cpsrc -c 'SELECT 1' 2>&1)
check "grep -q 'permission denied to set parameter \"session_replication_role\"' <<<\"\$out\"" \
  "a role that is not a superuser cannot connect with session_replication_role = replica" "$out"
out=$("$PGBIN/psql" -X -At -h "$A_HOST" -p "$A_PORT" -U bk_app -d cpsrc -v VERBOSITY=verbose \
  -c 'SET session_replication_role = replica' 2>&1)
check "grep -q 'ERROR:  42501: permission denied to set parameter' <<<\"\$out\"" \
  "... nor SET it (42501)" "$out"

echo "# $failed of $n failed"
[ "$failed" -eq 0 ]
