-- bench/archive_setup.sql: fixtures of bench/archive.sh, run once in the
-- template database right after bench/generate.sql (every measured run works on
-- a CREATE DATABASE ... TEMPLATE copy of it, so every side starts from the same
-- rows, ids included).
--
--   psql -X -v ON_ERROR_STOP=1 -v days=180 -f bench/archive_setup.sql
--
-- Schema bench_arch:
--   params                   older_than = now() - :days days (the retention), fixed once
--   readers, creators, threads   numbered ids (n = 1..N) that the pgbench scripts
--                            (bench/archive_feed_*.sql) draw from uniformly
--   fingerprint()            what a run left: archive rows (every column but
--                            archived_at), live ids, counts; equal for every side
--   prewarm()                every table and index of the extension (but events)
--                            and of bench_arch into shared_buffers

\set ON_ERROR_STOP on
SET client_min_messages = warning;

CREATE EXTENSION IF NOT EXISTS pg_prewarm;
CREATE SCHEMA bench_arch;

CREATE TABLE bench_arch.params (
    days       int NOT NULL,
    older_than timestamptz NOT NULL
);
INSERT INTO bench_arch.params (days, older_than) VALUES (:days, now() - make_interval(days => :days));

-- home_feed: readers with at least one active subscription
CREATE TABLE bench_arch.readers (n int PRIMARY KEY, id uuid NOT NULL);
INSERT INTO bench_arch.readers (n, id)
SELECT row_number() OVER (ORDER BY s.subscriber_id)::int, s.subscriber_id
  FROM (SELECT DISTINCT sub.subscriber_id FROM creator_platform.subscriptions sub
         WHERE sub.status = 'active') AS s;

-- creator_posts: creators with at least one published post
CREATE TABLE bench_arch.creators (n int PRIMARY KEY, id uuid NOT NULL);
INSERT INTO bench_arch.creators (n, id)
SELECT row_number() OVER (ORDER BY c.creator_id)::int, c.creator_id
  FROM (SELECT DISTINCT p.creator_id FROM creator_platform.posts p WHERE p.status = 'published') AS c;

-- comment_thread: published posts with at least one comment, old (archived
-- during the run) and new alike
CREATE TABLE bench_arch.threads (n int PRIMARY KEY, id uuid NOT NULL);
INSERT INTO bench_arch.threads (n, id)
SELECT row_number() OVER (ORDER BY p.id)::int, p.id
  FROM creator_platform.posts p
 WHERE p.status = 'published' AND p.comment_count > 0;

ANALYZE bench_arch.params, bench_arch.readers, bench_arch.creators, bench_arch.threads;

-- What a run leaves, comparable between databases: the archived rows with
-- every column but archived_at (the time of the moving transaction), the ids
-- left live, and counts. A hash of each row's text, then of those in id order.
CREATE FUNCTION bench_arch.fingerprint()
RETURNS TABLE (posts_archived bigint, comments_archived bigint, posts_live bigint, comments_live bigint, digest text)
LANGUAGE sql STABLE AS $$
    SELECT (SELECT count(*) FROM creator_platform.posts_archive),
           (SELECT count(*) FROM creator_platform.comments_archive),
           (SELECT count(*) FROM creator_platform.posts),
           (SELECT count(*) FROM creator_platform.comments),
           md5(concat_ws('/',
               (SELECT md5(string_agg(md5(row(a.id, a.creator_id, a.title, a.content, a.status, a.visibility,
                                              a.published_at, a.created_at, a.updated_at, a.comment_count)::text),
                                      '' ORDER BY a.id))
                  FROM creator_platform.posts_archive a),
               (SELECT md5(string_agg(md5(row(a.id, a.post_id, a.user_id, a.parent_comment_id, a.content,
                                              a.created_at, a.depth, a.reply_count, a.deleted_at, a.path)::text),
                                      '' ORDER BY a.id))
                  FROM creator_platform.comments_archive a),
               (SELECT md5(string_agg(p.id::text, '' ORDER BY p.id)) FROM creator_platform.posts p),
               (SELECT md5(string_agg(c.id::text, '' ORDER BY c.id)) FROM creator_platform.comments c)))
$$;

CREATE FUNCTION bench_arch.prewarm() RETURNS bigint LANGUAGE sql AS $$
    SELECT coalesce(sum(pg_prewarm(r.oid)), 0)::bigint
      FROM (SELECT c.oid FROM pg_class c
             WHERE c.relnamespace IN ('creator_platform'::regnamespace, 'bench_arch'::regnamespace)
               AND c.relkind IN ('r', 'i') AND c.relname !~ '^events'
            UNION ALL   -- the long comments' TOAST
            SELECT c.reltoastrelid FROM pg_class c
             WHERE c.relnamespace = 'creator_platform'::regnamespace AND c.relkind = 'r'
               AND c.relname !~ '^events' AND c.reltoastrelid <> 0) AS r
$$;
