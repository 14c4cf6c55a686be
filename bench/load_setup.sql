-- bench/load_setup.sql: fixtures of bench/load.sh (the mixed load), run once in
-- the database right after bench/generate.sql.
--
--   psql -X -v ON_ERROR_STOP=1 -v hot=10 -v hot_parents=5 -v pairs=2000 -f bench/load_setup.sql
--
-- Schema bench_load, numbered ids (n = 1..N) that the pgbench scripts
-- (bench/load_*.sql but this one and the report) draw from uniformly. They are
-- chosen so that no call of the load can break a rule of the contract by
-- construction: a failure under the load is a failure of the extension.
--
--   followers    readers (role reader) with an active subscription: home_feed
--   readers      every user with role reader: comment authors, viewers,
--                subscribers (a reader is never a creator: no self-subscription)
--   creators     creators (role creator) with a published post: creator_posts,
--                authors of new posts, subscription targets
--   posts        published posts (live; nothing is archived during the load, and
--                nobody unpublishes): top-level comments
--   threads      published posts with comments: comment_thread
--   hot_posts    the :hot published posts with the most comments: the hot set, on
--                which a large share of the comments lands, so that counters race
--   parents      live comments (not placeholders) of published posts: replies.
--                The load never deletes a comment it did not write itself, so
--                every parent stays live and on its post
--   hot_parents  per hot post, the :hot_parents live comments with the most
--                replies: replies to them race on a few reply_counts
--   pairs        (subscriber, creator) pairs for subscribe / cancel_subscription:
--                up to :pairs pairs active at setup, and :pairs random
--                (reader, creator) pairs
--   baseline     counts taken at the end of setup, before the load
--   prewarm()    every table and index of the extension and of bench_load into
--                shared_buffers

\set ON_ERROR_STOP on
SET client_min_messages = warning;
\if :{?hot}
\else
\set hot 10
\endif
\if :{?hot_parents}
\else
\set hot_parents 5
\endif
\if :{?pairs}
\else
\set pairs 2000
\endif

CREATE EXTENSION IF NOT EXISTS pg_prewarm;
CREATE SCHEMA bench_load;
SELECT setseed(0.17) AS seeded \gset

CREATE TABLE bench_load.followers (n int PRIMARY KEY, id uuid NOT NULL);
INSERT INTO bench_load.followers (n, id)
SELECT row_number() OVER (ORDER BY s.subscriber_id)::int, s.subscriber_id
  FROM (SELECT DISTINCT sub.subscriber_id
          FROM creator_platform.subscriptions sub
          JOIN creator_platform.users u ON u.id = sub.subscriber_id
         WHERE sub.status = 'active' AND u.role = 'reader') AS s;

CREATE TABLE bench_load.readers (n int PRIMARY KEY, id uuid NOT NULL);
INSERT INTO bench_load.readers (n, id)
SELECT row_number() OVER (ORDER BY u.id)::int, u.id
  FROM creator_platform.users u WHERE u.role = 'reader';

CREATE TABLE bench_load.creators (n int PRIMARY KEY, id uuid NOT NULL);
INSERT INTO bench_load.creators (n, id)
SELECT row_number() OVER (ORDER BY c.creator_id)::int, c.creator_id
  FROM (SELECT DISTINCT p.creator_id
          FROM creator_platform.posts p
          JOIN creator_platform.users u ON u.id = p.creator_id
         WHERE p.status = 'published' AND u.role = 'creator') AS c;

CREATE TABLE bench_load.posts (n int PRIMARY KEY, id uuid NOT NULL);
INSERT INTO bench_load.posts (n, id)
SELECT row_number() OVER (ORDER BY p.id)::int, p.id
  FROM creator_platform.posts p WHERE p.status = 'published';

CREATE TABLE bench_load.threads (n int PRIMARY KEY, id uuid NOT NULL);
INSERT INTO bench_load.threads (n, id)
SELECT row_number() OVER (ORDER BY p.id)::int, p.id
  FROM creator_platform.posts p WHERE p.status = 'published' AND p.comment_count > 0;

CREATE TABLE bench_load.hot_posts (n int PRIMARY KEY, id uuid NOT NULL, comments_before int NOT NULL);
INSERT INTO bench_load.hot_posts (n, id, comments_before)
SELECT row_number() OVER (ORDER BY p.comment_count DESC, p.id)::int, p.id, p.comment_count
  FROM creator_platform.posts p
 WHERE p.status = 'published' AND p.comment_count > 0
 ORDER BY p.comment_count DESC, p.id
 LIMIT :hot;

CREATE TABLE bench_load.parents (n int PRIMARY KEY, post_id uuid NOT NULL, id uuid NOT NULL);
INSERT INTO bench_load.parents (n, post_id, id)
SELECT row_number() OVER (ORDER BY c.id)::int, c.post_id, c.id
  FROM creator_platform.comments c
  JOIN creator_platform.posts p ON p.id = c.post_id
 WHERE p.status = 'published' AND c.deleted_at IS NULL
   AND c.depth < 50;   -- far below max_comment_depth (64): a reply is never too deep

-- per hot post, the :hot_parents live comments with the most replies: replies
-- crowd onto a few comments, as they do under a popular comment
CREATE TABLE bench_load.hot_parents (n int PRIMARY KEY, post_id uuid NOT NULL, id uuid NOT NULL);
INSERT INTO bench_load.hot_parents (n, post_id, id)
SELECT row_number() OVER (ORDER BY r.post_id, r.id)::int, r.post_id, r.id
  FROM (SELECT c.post_id, c.id,
               row_number() OVER (PARTITION BY c.post_id ORDER BY c.reply_count DESC, c.id) AS rk
          FROM creator_platform.comments c
          JOIN bench_load.hot_posts h ON h.id = c.post_id
         WHERE c.deleted_at IS NULL AND c.depth < 50) AS r
 WHERE r.rk <= :hot_parents;

CREATE TABLE bench_load.pairs (n int PRIMARY KEY, subscriber_id uuid NOT NULL, creator_id uuid NOT NULL);
INSERT INTO bench_load.pairs (n, subscriber_id, creator_id)
SELECT row_number() OVER (ORDER BY x.src, x.r)::int, x.subscriber_id, x.creator_id
  FROM (SELECT 1 AS src, random() AS r, s.subscriber_id, s.creator_id
          FROM (SELECT sub.subscriber_id, sub.creator_id
                  FROM creator_platform.subscriptions sub
                 WHERE sub.status = 'active'
                 ORDER BY random()
                 LIMIT :pairs) AS s
        UNION ALL
        SELECT 2, random(), r.id, c.id
          FROM generate_series(1, :pairs) AS g(k)
          JOIN bench_load.readers r ON r.n = 1 + ((g.k * 7919) % (SELECT count(*) FROM bench_load.readers))::int
          JOIN bench_load.creators c ON c.n = 1 + ((g.k * 104729) % (SELECT count(*) FROM bench_load.creators))::int
       ) AS x;

-- The pgbench scripts would fail on an empty table (random(1, 0)): say which one.
DO $$
DECLARE
    t text;
    n bigint;
BEGIN
    FOREACH t IN ARRAY ARRAY['followers', 'readers', 'creators', 'posts', 'threads', 'hot_posts', 'parents',
                             'hot_parents', 'pairs'] LOOP
        EXECUTE format('SELECT count(*) FROM bench_load.%I', t) INTO n;
        IF n = 0 THEN
            RAISE EXCEPTION 'load_setup: bench_load.% is empty: generate more data (a larger scale)', t;
        END IF;
    END LOOP;
END
$$;

-- What the database held before the load.
CREATE TABLE bench_load.baseline AS
SELECT (SELECT count(*) FROM creator_platform.posts) AS posts,
       (SELECT count(*) FROM creator_platform.posts WHERE status = 'published') AS published,
       (SELECT count(*) FROM creator_platform.comments) AS comments,
       (SELECT count(*) FROM creator_platform.comments WHERE deleted_at IS NOT NULL) AS placeholders,
       (SELECT count(*) FROM creator_platform.subscriptions) AS subscriptions,
       (SELECT count(*) FROM creator_platform.subscriptions WHERE status = 'active') AS active_subscriptions,
       (SELECT coalesce(max(e.id), 0) FROM creator_platform.events e) AS last_event;

ANALYZE bench_load.followers, bench_load.readers, bench_load.creators, bench_load.posts, bench_load.threads,
        bench_load.hot_posts, bench_load.parents, bench_load.hot_parents, bench_load.pairs;

CREATE FUNCTION bench_load.prewarm() RETURNS bigint LANGUAGE sql AS $$
    SELECT coalesce(sum(pg_prewarm(r.oid)), 0)::bigint
      FROM (SELECT c.oid FROM pg_class c
             WHERE c.relnamespace IN ('creator_platform'::regnamespace, 'bench_load'::regnamespace)
               AND c.relkind IN ('r', 'i')
            UNION ALL   -- the long comments' TOAST
            SELECT c.reltoastrelid FROM pg_class c
             WHERE c.relnamespace = 'creator_platform'::regnamespace AND c.relkind = 'r'
               AND c.reltoastrelid <> 0) AS r
$$;
