#!/usr/bin/env bash
# Streaming replicas (issue 6, docs/operations.md "Streaming replicas"): a
# standby made with pg_basebackup -R serves every read function with the rows
# of the primary, refuses every write and maintenance function with a clear
# error (SQLSTATE 25006, never a crash), and runs no maintenance job. On a
# primary of its own (scripts/cluster.sh) and a standby it starts beside it.
# Prints TAP.
#
#   set-up       the primary (pg_cron in database postgres, a probe job every
#                minute), a database with bench/generate.sql at a tiny scale,
#                archived posts, processed events, refreshed statistics and
#                cp_walk (read-only walks of every read function, as in
#                test/tap/backup.sh); pg_basebackup -R, the standby on its own
#                port, waited for until it has replayed the primary's LSN
#   reads        every table, creator_posts, recent_posts, home_feed,
#                post_view, comment_thread, subscriptions_of, subscribers_of
#                walked page by page with several arguments and page sizes,
#                uuid_v7_timestamp of every id, creator_stats, trending_posts,
#                the health view: the same output on both servers, cursors
#                included; a cursor of the primary continues on the standby;
#                uuid_generate_v7 and reconcile_counters(false) work there
#   writes       every write and maintenance function, direct INSERT, UPDATE,
#                DELETE and COPY: 25006 with "cannot execute ... in a read-only
#                transaction" ("... during recovery" for COPY; schedule_maintenance /
#                unschedule_maintenance:
#                "cannot change pg_cron jobs on a standby server" and a hint),
#                the session goes on, nothing changed, no backend crashed
#   pg_cron      the primary runs pg_cron's launcher, the standby none (pg_cron
#                starts it only when recovery ends); the probe job runs on the
#                primary, every run recorded there (replicated to the standby,
#                which records none of its own)
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$root/scripts/lib.sh"
PGBIN=$("$PG_CONFIG" --bindir)
export PGTZ=UTC

dir=$(cp_tempdir replica)
cleanup() {
  [ -f "$dir/standby/data/postmaster.pid" ] \
    && cp_as_owner "$PGBIN/pg_ctl" -D "$dir/standby/data" -m fast -w -t 60 stop >/dev/null 2>&1
  bash "$root/scripts/cluster.sh" stop "$dir/primary" >/dev/null 2>&1
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
wait_for() { # condition, tenths of a second
  local i; for ((i = 0; i < $2; i++)); do eval "$1" && return 0; sleep 0.1; done; return 1
}
port_free() { # as scripts/cluster.sh
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && [ ! -e "/tmp/.s.PGSQL.$1" ] \
    && [ ! -e "/var/run/postgresql/.s.PGSQL.$1" ]
}

echo "1..46"
mkdir -p "$dir/primary" "$dir/standby"
if ! bash "$root/scripts/cluster.sh" start "$dir/primary" >"$dir/primary.log" 2>&1; then
  sed 's/^/# /' "$dir/primary.log"; echo "Bail out! could not start the primary"; exit 1
fi
P_HOST=$(. "$dir/primary/env"; echo "$PGHOST") P_PORT=$(. "$dir/primary/env"; echo "$PGPORT")
S_HOST=$dir/standby S_PORT=
export PGUSER=postgres
qp() { "$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$P_HOST" -p "$P_PORT" "$@"; } # qp -d DB -c SQL
qs() { "$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$S_HOST" -p "$S_PORT" "$@"; }

# --- the primary: a pg_cron probe, then the data ----------------------------------------
# The probe job runs every minute, from now on, wherever pg_cron runs jobs.
qp -d postgres >"$dir/cron.log" 2>&1 <<'SQL'
CREATE EXTENSION pg_cron;
CREATE TABLE public.cron_probe (ran_at timestamptz NOT NULL DEFAULT now(), port integer NOT NULL,
                                in_recovery boolean NOT NULL);
SELECT cron.schedule('cp_replica_probe', '* * * * *',
    $$INSERT INTO public.cron_probe (port, in_recovery) SELECT current_setting('port')::integer, pg_is_in_recovery()$$);
SQL
[ $? -eq 0 ] || { sed 's/^/# /' "$dir/cron.log"; echo "Bail out! could not schedule the probe job"; exit 1; }
probe_scheduled=$(date +%s)

qp -d postgres -c 'CREATE DATABASE cprep' >/dev/null \
  && qp -d cprep -c 'CREATE EXTENSION creator_platform CASCADE' -c 'CREATE EXTENSION dblink' >/dev/null \
  && "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$P_HOST" -p "$P_PORT" -v scale=0.02 -d cprep \
       -f "$root/bench/generate.sql" >"$dir/generate.log" 2>&1 \
  && qp -d cprep >>"$dir/generate.log" 2>&1 <<'SQL'
SELECT count(*) FROM creator_platform.archive_posts(now() - interval '2 years', 100000);
SELECT count(*) FROM creator_platform.claim_events(500);
SELECT creator_platform.refresh_stats();
SELECT count(*) FROM creator_platform.reconcile_counters(true);
SQL
[ $? -eq 0 ] || { sed 's/^/# /' "$dir/generate.log"; echo "Bail out! could not make the database"; exit 1; }

qp -d cprep -f "$root/test/sql/walk_feeds.sql" >"$dir/walk.log" 2>&1
[ $? -eq 0 ] || { sed 's/^/# /' "$dir/walk.log"; echo "Bail out! could not create the walks"; exit 1; }

# --- the standby ---------------------------------------------------------------------------
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir/standby"
if ! cp_as_owner "$PGBIN/pg_basebackup" -h "$P_HOST" -p "$P_PORT" -U postgres -D "$dir/standby/data" \
       -R -X stream -c fast >"$dir/basebackup.log" 2>&1; then
  sed 's/^/# /' "$dir/basebackup.log"; echo "Bail out! pg_basebackup failed"; exit 1
fi
started=0
for _ in 1 2 3 4 5 6 7 8; do
  S_PORT=$(( 20000 + (RANDOM % 20000) ))
  port_free "$S_PORT" || continue
  # later lines of postgresql.auto.conf win: the standby's own port and socket
  cat >>"$dir/standby/data/postgresql.auto.conf" <<CONF
# written by test/tap/replica.sh
port = $S_PORT
unix_socket_directories = '$dir/standby'
shared_buffers = '64MB'
log_min_messages = log
CONF
  if cp_as_owner "$PGBIN/pg_ctl" -D "$dir/standby/data" -l "$dir/standby/server.log" -w -t 60 start \
       >/dev/null 2>&1; then started=1; break; fi
done
[ $started = 1 ] || { tail -20 "$dir/standby/server.log" | sed 's/^/# /'; echo "Bail out! the standby did not start"; exit 1; }
lsn=$(qp -d cprep -c 'SELECT pg_current_wal_lsn()')
wait_for "[ \"\$(qs -d cprep -c \"SELECT pg_last_wal_replay_lsn() >= '$lsn'\" 2>/dev/null)\" = t ]" 600
is "$(qs -d cprep -c "SELECT pg_is_in_recovery() AND pg_last_wal_replay_lsn() >= '$lsn'")" t \
   "the standby is in recovery and has replayed the primary's WAL up to $lsn"

# --- reads: the same output on both ----------------------------------------------------------
both() { # name sql: the same output on the primary and the standby
  local p s
  p=$(qp -d cprep -c "$2" 2>&1) s=$(qs -d cprep -c "$2" 2>&1)
  if [ "$p" = "$s" ] && [ -n "$p" ]; then ok "$1"; else
    not_ok "$1"; echo "# primary: ${p:0:300}"; echo "# standby: ${s:0:300}"
  fi
}
both "every table of the extension, row for row" 'SELECT string_agg(t, E'"'"'\n'"'"') FROM cp_walk.tables() t'
for k in creator_posts recent_posts home_feed post_view comment_thread subscriptions_of subscribers_of uuid_v7_timestamp \
         creator_stats trending_posts; do
  both "$k: the same output on both (lists: every page, cursors included)" "SELECT cp_walk.digest('$k')"
done
check "! qp -d cprep -c \"SELECT k, cp_walk.digest(k) FROM unnest(ARRAY['creator_posts', 'recent_posts', 'home_feed', 'post_view', 'comment_thread', 'subscriptions_of', 'subscribers_of', 'uuid_v7_timestamp', 'creator_stats', 'trending_posts']) k\" | grep -q '| 0 lines'" \
  "the comparisons are not vacuous: every kind of read has rows"
continue_sql() { # call with \$1 = after: page 2 from the cursor of page 1 taken on the primary
  local after
  after=$(qp -d cprep -c "SELECT cursor FROM ($(printf "$1" NULL)) f OFFSET 2 LIMIT 1")
  echo "$(printf "$1" "'$after'")"
}
for f in home_feed subscriptions_of comment_thread; do
  case $f in
    home_feed) call="SELECT * FROM creator_platform.home_feed((SELECT id FROM creator_platform.users WHERE username = 'demo_reader'), 3, %s)" ;;
    subscriptions_of) call="SELECT * FROM creator_platform.subscriptions_of((SELECT id FROM creator_platform.users WHERE username = 'demo_reader'), 'active', 3, %s)" ;;
    comment_thread) call="SELECT * FROM creator_platform.comment_thread((SELECT post_id FROM creator_platform.comments GROUP BY post_id ORDER BY count(*) DESC, post_id LIMIT 1), 3, %s)" ;;
  esac
  page2=$(continue_sql "$call")
  both "$f: a cursor handed out by the primary continues the walk on the standby" \
       "SELECT string_agg(f::text, E'\n') FROM ($page2) f"
done
health_sql="SELECT string_agg(concat_ws(' ', h.kind, h.name, CASE h.kind
       WHEN 'index' THEN (h.detail - 'bytes' - 'scans')::text
       WHEN 'job' THEN h.detail::text
       WHEN 'statistics' THEN (h.detail - 'age_seconds')::text
       WHEN 'events' THEN (h.detail - 'oldest_age_seconds')::text
       WHEN 'cron' THEN h.value END), E'\n' ORDER BY h.kind, h.name)
  FROM creator_platform.health h"
both "the health view: the same items, and the same jobs, statistics, backlog and index state (sizes and activity are each server's own)" "$health_sql"
both "reconcile_counters(false) works on the standby: no drift on either" \
     "SELECT count(*) || ' drifted' FROM creator_platform.reconcile_counters(false)"
is "$(qs -d cprep -c "WITH g AS (SELECT i, creator_platform.uuid_generate_v7() AS u FROM generate_series(1, 1000) i)
                      SELECT count(*) FROM (SELECT u, lag(u) OVER (ORDER BY i) AS prev FROM g) s
                       WHERE u > prev AND substr(u::text, 15, 1) = '7'
                         AND creator_platform.uuid_v7_timestamp(u) BETWEEN now() - interval '1 minute' AND clock_timestamp()")" 999 \
   "uuid_generate_v7 works on the standby: version 7, now, strictly increasing"

# --- writes and maintenance: 25006, a clear message, the session goes on -------------------------
attempt() { # sql [stdin]: "SQLSTATE|message|hint|alive" of sql on the standby, then SELECT 'alive' in the same session
  local out err
  out=$(printf '%s' "${2:-}" | "$PGBIN/psql" -X -q -At -h "$S_HOST" -p "$S_PORT" -d cprep -v VERBOSITY=verbose \
          -c "$1" -c "SELECT 'alive'" 2>"$dir/attempt.err")
  err=$(cat "$dir/attempt.err")
  echo "$(sed -nE 's/^ERROR:  ([0-9A-Z]{5}): (.*)$/\1|\2/p' <<<"$err" | head -1)|$(sed -nE 's/^HINT:  (.*)$/\1/p' <<<"$err" | head -1)|$(tail -1 <<<"$out")"
}
refused() { # name sql [stdin]
  local r; r=$(attempt "$2" "${3:-}")
  if [[ "$r" =~ ^25006\|cannot\ execute\ [A-Za-z_\ \(\)=\>]+\ (in\ a\ read-only\ transaction|during\ recovery)\|[^|]*\|alive$ ]]; then ok "$1"
  else not_ok "$1"; echo "#   got: $r"; fi
}
ids=$(qp -d cprep -c "SELECT concat_ws(' ',
   (SELECT id FROM creator_platform.posts WHERE status = 'draft' ORDER BY id LIMIT 1),
   (SELECT id FROM creator_platform.posts WHERE status = 'published' ORDER BY id LIMIT 1),
   (SELECT id FROM creator_platform.users WHERE username = 'demo_reader'),
   (SELECT id FROM creator_platform.users WHERE username = 'demo_creator'),
   (SELECT id FROM creator_platform.posts_archive ORDER BY id LIMIT 1),
   (SELECT id FROM creator_platform.comments ORDER BY id LIMIT 1))")
read -r draft published reader creator archived comment <<<"$ids"
before=$(qs -d cprep -c 'SELECT string_agg(t, E'"'"'\n'"'"') FROM cp_walk.tables() t')
refused "publish_post: 25006, cannot execute UPDATE in a read-only transaction" "SELECT creator_platform.publish_post('$draft')"
refused "schedule_post: 25006" "SELECT creator_platform.schedule_post('$draft', now() + interval '1 day')"
refused "publish_due_posts: 25006" "SELECT creator_platform.publish_due_posts()"
refused "add_comment: 25006" "SELECT creator_platform.add_comment('$published', '$reader', 'from the standby')"
refused "delete_comment: 25006" "SELECT creator_platform.delete_comment('$comment')"
refused "subscribe: 25006" "SELECT creator_platform.subscribe('$reader', '$creator')"
refused "cancel_subscription: 25006" "SELECT creator_platform.cancel_subscription('$reader', '$creator')"
refused "claim_events: 25006" "SELECT * FROM creator_platform.claim_events(10)"
refused "INSERT into users: 25006" "INSERT INTO creator_platform.users (email, username) VALUES ('s@standby.test', 'standby_user')"
refused "UPDATE of posts: 25006" "UPDATE creator_platform.posts SET title = 'x' WHERE id = '$published'"
refused "DELETE of comments: 25006" "DELETE FROM creator_platform.comments WHERE id = '$comment'"
refused "COPY into users: 25006, cannot execute COPY during recovery" "COPY creator_platform.users (email, username) FROM STDIN" $'s@standby.test\tstandby_user\n\\.\n'
refused "archive_posts: 25006" "SELECT creator_platform.archive_posts(now(), 10)"
refused "CALL archive_old_posts: 25006" "CALL creator_platform.archive_old_posts(now(), 10)"
refused "restore_post: 25006" "SELECT creator_platform.restore_post('$archived')"
refused "refresh_stats: 25006" "SELECT creator_platform.refresh_stats()"
refused "reconcile_counters(true): 25006" "SELECT * FROM creator_platform.reconcile_counters(true)"
refused "purge_processed_events: 25006" "SELECT creator_platform.purge_processed_events()"
for f in schedule_maintenance unschedule_maintenance; do
  r=$(attempt "SELECT creator_platform.$f()")
  check "[[ \"\$r\" == '25006|cannot change pg_cron jobs on a standby server|call creator_platform.schedule_maintenance() or unschedule_maintenance() on the primary;'*'|alive' ]]" \
    "$f (dblink installed): 25006, cannot change pg_cron jobs on a standby server, with a hint" "got: $r"
done
is "$(qs -d cprep -c 'SELECT string_agg(t, E'"'"'\n'"'"') FROM cp_walk.tables() t')" "$before" \
   "after every attempt the standby holds the same rows"
check "! grep -qE 'terminated by signal|was terminated|PANIC|TRAP' '$dir/standby/server.log'" \
  "no backend of the standby crashed" "$(grep -E 'terminated|PANIC|TRAP' "$dir/standby/server.log" | head -5)"

# --- pg_cron: jobs run on the primary only ----------------------------------------------------
launcher="SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'pg_cron launcher'"
is "$(qp -d postgres -c "$launcher")/$(qs -d postgres -c "$launcher")" "1/0" \
   "pg_cron's launcher runs on the primary, not on the standby (it starts when recovery ends)"
is "$(qs -d postgres -c "SELECT count(*) FROM cron.job WHERE jobname = 'cp_replica_probe' AND active")" 1 \
   "the standby has the probe job in its copy of cron.job"
deadline=$((probe_scheduled + 80))
while [ "$(date +%s)" -lt "$deadline" ] \
      && [ "$(qp -d postgres -c "SELECT count(*) FROM cron.job_run_details WHERE status = 'succeeded'")" = 0 ]; do
  sleep 1
done
is "$(qp -d postgres -c "SELECT count(*) > 0 AND bool_and(port = $P_PORT AND NOT in_recovery) FROM public.cron_probe")" t \
   "the probe job ran, on the primary (its port, not in recovery), within 80 s of being scheduled"
# no run may start or end between the looks at the two servers
qp -d postgres -c "SELECT cron.unschedule('cp_replica_probe')" >/dev/null
wait_for "[ \"\$(qp -d postgres -c \"SELECT count(*) FROM cron.job_run_details WHERE status NOT IN ('succeeded', 'failed')\")\" = 0 ]" 300
lsn=$(qp -d postgres -c 'SELECT pg_current_wal_lsn()')
wait_for "[ \"\$(qs -d postgres -c \"SELECT pg_last_wal_replay_lsn() >= '$lsn'\" 2>/dev/null)\" = t ]" 300
runs="SELECT (SELECT string_agg(concat_ws(' ', r.runid, r.status, r.start_time), ',' ORDER BY r.runid) FROM cron.job_run_details r)
             || ' / ' || (SELECT string_agg(concat_ws(' ', p.ran_at, p.port, p.in_recovery), ',' ORDER BY p.ran_at) FROM public.cron_probe p)"
is "$(qs -d postgres -c "$runs")" "$(qp -d postgres -c "$runs")" \
   "the standby knows only the primary's runs (replicated), and ran none of its own"
check "! grep -qiE 'pg_cron|cron job' '$dir/standby/server.log'" \
  "the standby's log (log_min_messages = log) has no line of pg_cron" "$(grep -iE 'pg_cron|cron job' "$dir/standby/server.log" | head -5)"

echo "# $failed of $n failed"
[ "$failed" -eq 0 ]
