#!/usr/bin/env bash
# The demo: a throwaway PostgreSQL 15 cluster with creator_platform and generated data.
#
#   scripts/demo.sh start    (make demo)       build and install the extension, start
#                                              the demo cluster (or reuse it), re-create
#                                              database creator_demo, generate data
#                                              (SCALE=N, default 1), run a few examples
#   scripts/demo.sh stop     (make demo-stop)  stop the cluster and remove its directory
#
# The cluster lives in .demo/ in the repo. As root, when the postgres user cannot
# reach the repo (e.g. under /root), it lives in a temporary directory instead and
# .demo/location records where.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DEMO=$CP_ROOT/.demo
DB=creator_demo
cmd=${1:-start}

say() { echo "demo: $*"; }

# The directory of the demo cluster, if there is one.
current_dir() {
  if [ -f "$DEMO/location" ]; then
    local d; d=$(cat "$DEMO/location")
    # only ever a directory made by cp_tempdir
    case "$d" in */creator_platform.demo.*) [ -d "$d" ] && echo "$d" ;; esac
  elif [ -d "$DEMO/data" ]; then
    echo "$DEMO"
  fi
  return 0
}

# Can the server use $DEMO? As root it runs as postgres, which must be able to walk
# the whole path (path resolution needs search permission on every ancestor), and
# the socket path must fit in sun_path (107 bytes).
repo_dir_usable() {
  [ $(( ${#DEMO} + 20 )) -le 100 ] || return 1
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- test -x "$CP_ROOT" 2>/dev/null || return 1
  fi
  return 0
}

stop_demo() {
  local d; d=$(current_dir)
  if [ -n "$d" ]; then
    bash "$CP_ROOT/scripts/cluster.sh" stop "$d"
    [ "$d" != "$DEMO" ] && rm -rf -- "$d"
  fi
  rm -rf -- "$DEMO"
  if [ -n "$d" ]; then say "stopped and removed $d"; else say "no demo cluster was running"; fi
}

start_demo() {
  local scale=${SCALE:-1}

  say "installing dependencies if missing, building and installing the extension"
  cp_build_and_install
  PGBIN=$(dirname "$(readlink -f "$(command -v /usr/lib/postgresql/15/bin/postgres || command -v postgres)")")
  export PGBIN
  local psql=$PGBIN/psql

  local dir; dir=$(current_dir)
  if [ -z "$dir" ]; then
    rm -rf -- "$DEMO"
    if repo_dir_usable; then
      dir=$DEMO
      mkdir -p "$dir"
    else
      dir=$(cp_tempdir demo)
      mkdir -p "$DEMO"
      echo "$dir" >"$DEMO/location"
    fi
  fi
  local out; out=$(bash "$CP_ROOT/scripts/cluster.sh" start "$dir")
  # shellcheck disable=SC1091
  source "$dir/env"
  say "${out#cluster }"

  PGOPTIONS='-c client_min_messages=warning' "$psql" -X -q -v ON_ERROR_STOP=1 -d postgres \
    -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
  "$psql" -X -q -v ON_ERROR_STOP=1 -d "$DB" -c 'CREATE EXTENSION creator_platform CASCADE'
  say "generating data at scale $scale (SCALE=N to change)"
  "$psql" -X -v ON_ERROR_STOP=1 -v scale="$scale" -d "$DB" -f "$CP_ROOT/bench/generate.sql"

  echo
  "$psql" -X -q -v ON_ERROR_STOP=1 -d "$DB" <<'SQL'
\pset pager off
\pset footer off
\pset null '-'

\echo '== Rows per table'
SELECT t.table_name, t.row_count, t.detail
  FROM (SELECT 1 AS ord, 'users' AS table_name, count(*) AS row_count,
               format('%s readers, %s creators, %s admins',
                      count(*) FILTER (WHERE u.role = 'reader'), count(*) FILTER (WHERE u.role = 'creator'),
                      count(*) FILTER (WHERE u.role = 'admin')) AS detail
          FROM creator_platform.users u
        UNION ALL
        SELECT 2, 'posts', count(*),
               format('%s published (%s for subscribers), %s drafts, %s scheduled',
                      count(*) FILTER (WHERE p.status = 'published'),
                      count(*) FILTER (WHERE p.status = 'published' AND p.visibility = 'subscribers'),
                      count(*) FILTER (WHERE p.status = 'draft'), count(*) FILTER (WHERE p.status = 'scheduled'))
          FROM creator_platform.posts p
        UNION ALL
        SELECT 3, 'comments', count(*),
               format('%s top level, %s replies (deepest %s), %s deleted placeholders',
                      count(*) FILTER (WHERE c.parent_comment_id IS NULL),
                      count(*) FILTER (WHERE c.parent_comment_id IS NOT NULL), max(c.depth),
                      count(*) FILTER (WHERE c.deleted_at IS NOT NULL))
          FROM creator_platform.comments c
        UNION ALL
        SELECT 4, 'subscriptions', count(*),
               format('%s active, %s cancelled',
                      count(*) FILTER (WHERE s.status = 'active'), count(*) FILTER (WHERE s.status = 'cancelled'))
          FROM creator_platform.subscriptions s
        UNION ALL
        SELECT 5, 'posts_archive', count(*), '' FROM creator_platform.posts_archive
        UNION ALL
        SELECT 6, 'comments_archive', count(*), '' FROM creator_platform.comments_archive
        UNION ALL
        SELECT 7, 'events', count(*), '' FROM creator_platform.events) AS t
 ORDER BY t.ord;

\echo '== Top creators by published posts'
SELECT u.username AS creator, n.published_posts, n.subscribers_only,
       (SELECT count(*) FROM creator_platform.subscriptions s
         WHERE s.creator_id = u.id AND s.status = 'active') AS active_subscribers,
       n.last_published_at::date AS last_published
  FROM (SELECT p.creator_id, count(*) AS published_posts,
               count(*) FILTER (WHERE p.visibility = 'subscribers') AS subscribers_only,
               max(p.published_at) AS last_published_at
          FROM creator_platform.posts p
         WHERE p.status = 'published'
         GROUP BY p.creator_id
         ORDER BY count(*) DESC, p.creator_id
         LIMIT 10) AS n
  JOIN creator_platform.users u ON u.id = n.creator_id
 ORDER BY n.published_posts DESC, u.username;

\echo '== demo_reader''s home feed, page 1: home_feed(reader, 5) (C++ k-way merge over the followed creators)'
SELECT r.id AS reader_id FROM creator_platform.users r WHERE r.username = 'demo_reader' \gset
SELECT f.published_at::timestamp(0) AS published_at, f.creator_username AS creator, left(f.title, 40) AS title,
       f.visibility, f.locked, f.comment_count AS comments, left(f.cursor, 16) || '...' AS cursor
  FROM creator_platform.home_feed(:'reader_id', 5) AS f;
SELECT f.cursor AS after FROM creator_platform.home_feed(:'reader_id', 5) AS f OFFSET 4 LIMIT 1 \gset
\echo '== page 2: home_feed(reader, 5, <the last row''s cursor>): continues exactly where page 1 stopped'
SELECT f.published_at::timestamp(0) AS published_at, f.creator_username AS creator, left(f.title, 40) AS title,
       f.visibility, f.locked, f.comment_count AS comments
  FROM creator_platform.home_feed(:'reader_id', 5, :'after') AS f;
\echo '== a tampered cursor is refused (22023):'
\set ON_ERROR_STOP 0
SELECT count(*) FROM creator_platform.home_feed(:'reader_id', 5, 'x' || :'after');
\set ON_ERROR_STOP 1

SELECT p.id AS post_id, p.title, p.comment_count
  FROM creator_platform.posts p
  JOIN creator_platform.users u ON u.id = p.creator_id
 WHERE u.username = 'demo_creator' AND p.status = 'published'
 ORDER BY p.comment_count DESC, p.published_at DESC, p.id DESC
 LIMIT 1 \gset thread_
\echo '== comment_thread(post, 15): depth first, siblings oldest first (first 15 of' :thread_comment_count 'comments)'
\echo '  ' :thread_title
SELECT repeat('  ', t.depth) || CASE WHEN t.depth > 0 THEN '└ ' ELSE '' END
       || CASE WHEN t.deleted THEN '(deleted)' ELSE left(t.content, 50) END AS comment,
       CASE WHEN NOT t.deleted THEN t.username END AS author,
       t.depth, t.reply_count AS replies, t.created_at::timestamp(0) AS created_at
  FROM creator_platform.comment_thread(:'thread_post_id', 15) AS t;

\echo '== Locked posts: a subscribers-only post shows its content to subscribers only (creator_posts(creator, viewer, 4))'
SELECT u.id AS creator_id FROM creator_platform.users u WHERE u.username = 'demo_creator' \gset lock_
SELECT s.subscriber_id AS subscriber FROM creator_platform.subscriptions s
 WHERE s.creator_id = :'lock_creator_id' AND s.status = 'active' ORDER BY s.subscribed_at LIMIT 1 \gset lock_
SELECT u.id AS stranger FROM creator_platform.users u
 WHERE u.role = 'reader' AND u.id <> :'lock_subscriber'
   AND NOT EXISTS (SELECT FROM creator_platform.subscriptions s
                    WHERE s.subscriber_id = u.id AND s.creator_id = :'lock_creator_id' AND s.status = 'active')
 ORDER BY u.username LIMIT 1 \gset lock_
SELECT v.viewer, left(f.title, 32) AS title, f.visibility, f.locked, left(coalesce(f.content, '(content NULL)'), 24) AS content
  FROM (VALUES ('a stranger', :'lock_stranger'::uuid), ('a subscriber', :'lock_subscriber'::uuid)) AS v(viewer, id)
 CROSS JOIN LATERAL creator_platform.creator_posts(:'lock_creator_id', v.id, 4) AS f;

\echo '== Events: every change writes its event to the outbox in the same transaction (NOTIFY creator_platform_events)'
SELECT max(e.id) AS events_before FROM creator_platform.events e \gset
SELECT (creator_platform.subscribe(:'lock_stranger', :'lock_creator_id')).status AS subscription;
INSERT INTO creator_platform.posts (creator_id, title, content, status)
VALUES (:'lock_creator_id', 'Written during the demo', 'Hello, new subscriber!', 'published') RETURNING id AS demo_post \gset
SELECT (creator_platform.add_comment(:'demo_post', :'lock_stranger', 'First!')).id IS NOT NULL AS commented;
SELECT e.id, e.kind, e.payload->>'post_id' IS NOT NULL AS about_a_post, e.processed_at IS NULL AS unprocessed
  FROM creator_platform.events e WHERE e.id > coalesce(:'events_before'::bigint, 0) ORDER BY e.id;
\echo '   a worker claims a batch (FOR UPDATE SKIP LOCKED, oldest first) in the transaction that handles it:'
BEGIN;
SELECT c.id, c.kind FROM creator_platform.claim_events(3) AS c;
ROLLBACK;
\echo '   (rolled back here: the events stay unprocessed for the next claim, at-least-once delivery)'

\echo '== Least privilege: an application role gets the whole contract with one call (grant_usage), and nothing else (42501)'
SET client_min_messages = warning;
DROP ROLE IF EXISTS demo_app;
RESET client_min_messages;
CREATE ROLE demo_app NOLOGIN;
SELECT 'demo_app' AS granted_usage_to FROM (SELECT creator_platform.grant_usage('demo_app')) AS g;
SET ROLE demo_app;
SELECT count(*) AS home_feed_rows_as_demo_app FROM creator_platform.home_feed(:'reader_id', 5);
\set ON_ERROR_STOP 0
SELECT creator_platform.archive_posts(now() - interval '2 years');
\set ON_ERROR_STOP 1
RESET ROLE;

\echo '== Statistics: refresh_stats() refreshes the materialized views CONCURRENTLY'
SELECT creator_platform.refresh_stats();
\echo '   creator_stats, the five creators with the most active subscribers'
SELECT s.username, s.active_subscribers, s.published_posts, s.comments_received,
       s.last_published_at::timestamp(0) AS last_published_at
  FROM creator_platform.creator_stats s
 ORDER BY s.active_subscribers DESC, s.username
 LIMIT 5;
\echo '   trending_posts, the top five of the last 7 days'
SELECT t.rank, left(t.title, 40) AS title, round(t.score::numeric, 2) AS score
  FROM creator_platform.trending_posts t
 ORDER BY t.rank
 LIMIT 5;
\echo '== Archiving: CALL archive_old_posts(now() - 2 years, 1000) moves old posts with all their comments, batch by batch'
SELECT u.id AS creator_id FROM creator_platform.users u WHERE u.username = 'demo_creator' \gset demo_
SELECT md5(string_agg(f.post_id::text || f.cursor, ',')) AS before, count(*) AS n
  FROM creator_platform.creator_posts(:'demo_creator_id', NULL, 1000) AS f \gset feed_
CALL creator_platform.archive_old_posts(now() - interval '2 years', 1000);
SELECT (SELECT count(*) FROM creator_platform.posts) AS live_posts,
       (SELECT count(*) FROM creator_platform.posts_archive) AS archived_posts,
       (SELECT count(*) FROM creator_platform.comments_archive) AS archived_comments;
\echo '   readers see no difference: demo_creator''s posts (creator_posts), rows and cursors, before and after'
SELECT :feed_n AS posts, md5(string_agg(f.post_id::text || f.cursor, ',')) = :'feed_before' AS identical,
       (SELECT count(*) FROM creator_platform.posts_archive a WHERE a.creator_id = :'demo_creator_id') AS of_them_archived
  FROM creator_platform.creator_posts(:'demo_creator_id', NULL, 1000) AS f;

\echo '== Counters: reconcile_counters(false) recounts every comment_count and reply_count (drifted rows):'
SELECT count(*) AS drifted_counters FROM creator_platform.reconcile_counters(false);
\echo '== health: the unprocessed event backlog and the last maintenance runs'
SELECT h.kind, h.name, h.value
  FROM creator_platform.health h
 WHERE h.kind IN ('events', 'job', 'statistics')
 ORDER BY h.kind, h.name;

\echo '== UUIDv7: time-ordered ids (every id column defaults to uuid_generate_v7())'
WITH ids AS MATERIALIZED (
    SELECT g AS n, creator_platform.uuid_generate_v7() AS id FROM generate_series(1, 3) AS g
)
SELECT ids.n, ids.id, creator_platform.uuid_v7_timestamp(ids.id) AS embedded_time,
       ids.id > lag(ids.id) OVER (ORDER BY ids.n) AS greater_than_previous
  FROM ids
 ORDER BY ids.n;
SQL

  cat <<EOF
Demo database ready (scale $scale). Connect with:

    psql -h $PGHOST -p $PGPORT -U postgres $DB

Try for example:  SELECT username, role FROM creator_platform.users WHERE username LIKE 'demo%';
Stop it with:     make demo-stop
EOF
}

case "$cmd" in
  start) start_demo ;;
  stop)  stop_demo ;;
  *) echo "usage: scripts/demo.sh start|stop" >&2; exit 2 ;;
esac
