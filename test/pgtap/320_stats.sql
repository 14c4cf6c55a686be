-- 320_stats: the statistics views and refresh_stats() (API.md "Statistics";
-- docs/reference.md "Statistics").
--   * creator_stats and trending_posts: columns and types, a unique index each
--     (trending_posts also on rank), contents equal to plain aggregates over the
--     tables on a fixture with live and archived posts, placeholders, drafts,
--     scheduled posts, cancelled subscriptions, a creator with nothing;
--   * trending_posts: the score formula (now() is fixed in a transaction, so
--     every weight is exact), the 7-day window, ranks 1..n, ties;
--   * refresh_stats(): the views are stale until it runs, it runs twice, it
--     refreshes CONCURRENTLY (the views keep their relfilenode), it populates a
--     view left WITH NO DATA, it records each run in maintenance_log; a role
--     without EXECUTE gets 42501, one with it (grant_maintenance, 0.5.0)
--     refreshes the views it does not own (SECURITY DEFINER).
-- The isolation spec refresh_stats_concurrent shows that writers and readers
-- are not blocked by a refresh.
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(40);

CREATE FUNCTION pg_temp.uid(kind text) RETURNS uuid LANGUAGE sql IMMUTABLE AS $f$
    SELECT md5('320:' || kind)::uuid
$f$;

-- Moves the published posts older than `older_than` with their comments into
-- the archive.
CREATE FUNCTION pg_temp.archive(older_than timestamptz) RETURNS void LANGUAGE sql AS $f$
    SELECT FROM creator_platform.archive_posts(older_than, 1000);
$f$;

-- The views' contents computed from the tables with plain aggregates,
-- counting comments rather than reading the counters.
CREATE FUNCTION pg_temp.expected_creator_stats()
RETURNS TABLE (creator_id uuid, username text, active_subscribers bigint, published_posts bigint,
               comments_received bigint, last_published_at timestamptz) LANGUAGE sql AS $f$
    WITH published AS (
        SELECT id, creator_id, published_at FROM creator_platform.posts WHERE status = 'published'
        UNION ALL SELECT id, creator_id, published_at FROM creator_platform.posts_archive),
    comments AS (
        SELECT post_id FROM creator_platform.comments WHERE deleted_at IS NULL
        UNION ALL SELECT post_id FROM creator_platform.comments_archive WHERE deleted_at IS NULL)
    SELECT u.id, u.username,
           (SELECT count(*) FROM creator_platform.subscriptions s WHERE s.creator_id = u.id AND s.status = 'active'),
           (SELECT count(*) FROM published p WHERE p.creator_id = u.id),
           (SELECT count(*) FROM comments c JOIN published p ON p.id = c.post_id WHERE p.creator_id = u.id),
           (SELECT max(p.published_at) FROM published p WHERE p.creator_id = u.id)
      FROM creator_platform.users u WHERE u.role IN ('creator', 'admin')
$f$;
CREATE FUNCTION pg_temp.expected_scores() RETURNS TABLE (post_id uuid, score double precision) LANGUAGE sql AS $f$
    SELECT a.post_id, sum(a.w)
      FROM (SELECT c.post_id, 0.5 ^ (greatest(extract(epoch FROM now() - c.created_at), 0) / 86400)::double precision AS w
              FROM creator_platform.comments c
             WHERE c.deleted_at IS NULL AND c.created_at > now() - interval '7 days'
            UNION ALL
            SELECT p.id, 2 * 0.5 ^ (greatest(extract(epoch FROM now() - p.published_at), 0) / 86400)::double precision
              FROM creator_platform.posts p
             WHERE p.status = 'published' AND p.published_at > now() - interval '7 days') a
      JOIN creator_platform.posts p ON p.id = a.post_id AND p.status = 'published'
     GROUP BY a.post_id
$f$;

--------------------------------------------------------------------------------
-- shape
--------------------------------------------------------------------------------
SELECT has_materialized_view('creator_platform', 'creator_stats', 'creator_stats is a materialized view');
SELECT has_materialized_view('creator_platform', 'trending_posts', 'trending_posts is a materialized view');
SELECT results_eq($$
    SELECT attname::text COLLATE "default", format_type(atttypid, atttypmod) FROM pg_catalog.pg_attribute
     WHERE attrelid = 'creator_platform.creator_stats'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum
  $$, $$ VALUES ('creator_id', 'uuid'), ('username', 'text'), ('active_subscribers', 'bigint'),
                ('published_posts', 'bigint'), ('comments_received', 'bigint'),
                ('last_published_at', 'timestamp with time zone') $$,
  'creator_stats: the contract''s columns and types, in order');
SELECT results_eq($$
    SELECT attname::text COLLATE "default", format_type(atttypid, atttypmod) FROM pg_catalog.pg_attribute
     WHERE attrelid = 'creator_platform.trending_posts'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum
  $$, $$ VALUES ('post_id', 'uuid'), ('creator_id', 'uuid'), ('title', 'text'), ('score', 'double precision'),
                ('rank', 'bigint') $$,
  'trending_posts: the contract''s columns and types, in order');
-- the unique indexes REFRESH ... CONCURRENTLY needs: plain columns, no predicate
CREATE FUNCTION pg_temp.unique_keys(rel regclass) RETURNS SETOF text LANGUAGE sql AS $f$
    SELECT string_agg(a.attname::text, ', ' ORDER BY k.ord) COLLATE "default"
      FROM pg_catalog.pg_index i
     CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
      JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
     WHERE i.indrelid = rel AND i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL
     GROUP BY i.indexrelid ORDER BY 1
$f$;
SELECT results_eq($$ SELECT pg_temp.unique_keys('creator_platform.creator_stats') $$, $$ VALUES ('creator_id') $$,
                  'creator_stats has a unique index on creator_id (no predicate, no expression)');
SELECT results_eq($$ SELECT pg_temp.unique_keys('creator_platform.trending_posts') $$,
                  $$ VALUES ('post_id'), ('rank') $$,
                  'trending_posts has unique indexes on post_id and on rank');

--------------------------------------------------------------------------------
-- the fixture
--------------------------------------------------------------------------------
INSERT INTO users (id, email, username, role) VALUES
    (pg_temp.uid('c1'), 'c1@stats.test', 'stats_c1', 'creator'),
    (pg_temp.uid('c2'), 'c2@stats.test', 'stats_c2', 'creator'),
    (pg_temp.uid('a1'), 'a1@stats.test', 'stats_a1', 'admin'),
    (pg_temp.uid('r1'), 'r1@stats.test', 'stats_r1', 'reader'),
    (pg_temp.uid('r2'), 'r2@stats.test', 'stats_r2', 'reader'),
    (pg_temp.uid('r3'), 'r3@stats.test', 'stats_r3', 'reader'),
    (pg_temp.uid('r4'), 'r4@stats.test', 'stats_r4', 'reader');
SELECT subscribe(pg_temp.uid(r), pg_temp.uid('c1')) FROM unnest(ARRAY['r1', 'r2', 'r3', 'r4']) r;
SELECT subscribe(pg_temp.uid(r), pg_temp.uid('a1')) FROM unnest(ARRAY['r1', 'r2']) r;
SELECT cancel_subscription(pg_temp.uid('r4'), pg_temp.uid('c1'));
SELECT cancel_subscription(pg_temp.uid('r2'), pg_temp.uid('a1'));

INSERT INTO posts (id, creator_id, title, status, published_at) VALUES
    (pg_temp.uid('old1'), pg_temp.uid('c1'), 'old one', 'published', now() - interval '3 years'),
    (pg_temp.uid('p2'), pg_temp.uid('c1'), 'two days old', 'published', now() - interval '2 days'),
    (pg_temp.uid('p3'), pg_temp.uid('c1'), 'a draft', 'draft', NULL),
    (pg_temp.uid('p4'), pg_temp.uid('c1'), 'scheduled', 'scheduled', now() + interval '1 day'),
    (pg_temp.uid('p5'), pg_temp.uid('c1'), 'an hour old', 'published', now() - interval '1 hour'),
    (pg_temp.uid('q1'), pg_temp.uid('a1'), 'ten days old', 'published', now() - interval '10 days'),
    (pg_temp.uid('q2'), pg_temp.uid('a1'), 'a month old', 'published', now() - interval '30 days'),
    (pg_temp.uid('q4'), pg_temp.uid('a1'), 'tie a', 'published', now() - interval '3 days'),
    (pg_temp.uid('q5'), pg_temp.uid('a1'), 'tie b', 'published', now() - interval '3 days');
INSERT INTO comments (id, post_id, user_id, parent_comment_id, content, created_at) VALUES
    -- old1: 2 top-level, a reply to the first, which then becomes a placeholder: 2 count
    (pg_temp.uid('o1'), pg_temp.uid('old1'), pg_temp.uid('r1'), NULL, 'o1', now() - interval '3 years'),
    (pg_temp.uid('o2'), pg_temp.uid('old1'), pg_temp.uid('r2'), NULL, 'o2', now() - interval '3 years'),
    -- p2: weights k1 1/2, k2 1, k3 0 (8 days old), k4 1/2, k5 0 (placeholder), k6 1
    (pg_temp.uid('k1'), pg_temp.uid('p2'), pg_temp.uid('r1'), NULL, 'k1', now() - interval '1 day'),
    (pg_temp.uid('k2'), pg_temp.uid('p2'), pg_temp.uid('r2'), NULL, 'k2', now()),
    (pg_temp.uid('k3'), pg_temp.uid('p2'), pg_temp.uid('r3'), NULL, 'k3', now() - interval '8 days'),
    (pg_temp.uid('k5'), pg_temp.uid('p2'), pg_temp.uid('r1'), NULL, 'k5', now()),
    -- q1: only old activity; q2: one comment 12 hours old (weight 2^-1/2)
    (pg_temp.uid('m1'), pg_temp.uid('q1'), pg_temp.uid('r1'), NULL, 'm1', now() - interval '9 days'),
    (pg_temp.uid('m2'), pg_temp.uid('q2'), pg_temp.uid('r1'), NULL, 'm2', now() - interval '12 hours');
INSERT INTO comments (id, post_id, user_id, parent_comment_id, content, created_at) VALUES
    (pg_temp.uid('o3'), pg_temp.uid('old1'), pg_temp.uid('r3'), pg_temp.uid('o1'), 'o3', now() - interval '3 years'),
    (pg_temp.uid('k4'), pg_temp.uid('p2'), pg_temp.uid('r2'), pg_temp.uid('k1'), 'k4', now() - interval '1 day'),
    (pg_temp.uid('k6'), pg_temp.uid('p2'), pg_temp.uid('r3'), pg_temp.uid('k5'), 'k6', now());
SELECT delete_comment(pg_temp.uid('o1'));
SELECT delete_comment(pg_temp.uid('k5'));

SELECT pg_temp.archive(now() - interval '1 year');
SELECT results_eq($$ SELECT id FROM posts_archive $$, $$ VALUES (pg_temp.uid('old1')) $$,
                  'fixture: the 3-year-old post is archived');
SELECT results_eq($$ SELECT count(*), count(*) FILTER (WHERE deleted_at IS NOT NULL) FROM comments_archive $$,
                  $$ VALUES (3::bigint, 1::bigint) $$, 'fixture: its 3 comments (1 placeholder) with it');

--------------------------------------------------------------------------------
-- creator_stats
--------------------------------------------------------------------------------
CREATE TEMP TABLE files AS SELECT relname::text COLLATE "default" AS v, relfilenode FROM pg_catalog.pg_class
 WHERE relnamespace = 'creator_platform'::regnamespace AND relname IN ('creator_stats', 'trending_posts');
SELECT is_empty($$ SELECT 1 FROM creator_stats WHERE creator_id IN (pg_temp.uid('c1'), pg_temp.uid('c2'), pg_temp.uid('a1'))
                   UNION ALL SELECT 1 FROM trending_posts WHERE creator_id IN (pg_temp.uid('c1'), pg_temp.uid('a1')) $$,
                'before refresh_stats() the views do not show the new rows');
SELECT lives_ok('SELECT creator_platform.refresh_stats()', 'refresh_stats() runs');
SELECT set_eq('SELECT * FROM creator_stats', 'SELECT * FROM pg_temp.expected_creator_stats()',
              'creator_stats = plain aggregates over the live and archive tables');
SELECT results_eq($$
    SELECT username, active_subscribers, published_posts, comments_received, last_published_at
      FROM creator_stats WHERE creator_id IN (pg_temp.uid('c1'), pg_temp.uid('c2'), pg_temp.uid('a1')) ORDER BY username
  $$, $$ VALUES ('stats_a1', 1::bigint, 4::bigint, 2::bigint, now() - interval '3 days'),
                ('stats_c1', 3::bigint, 3::bigint, 7::bigint, now() - interval '1 hour'),
                ('stats_c2', 0::bigint, 0::bigint, 0::bigint, NULL::timestamptz) $$,
  'creator_stats: cancelled subscriptions, drafts, scheduled posts and placeholders do not count; archived posts and their comments do; a creator with nothing has zeros');
SELECT is_empty($$ SELECT 1 FROM creator_stats s JOIN users u ON u.id = s.creator_id WHERE u.role = 'reader' $$,
                'creator_stats has no row for readers');

--------------------------------------------------------------------------------
-- trending_posts
--------------------------------------------------------------------------------
SELECT results_eq($$ SELECT post_id, rank FROM trending_posts ORDER BY rank $$,
    $$ VALUES (pg_temp.uid('p2'), 1::bigint), (pg_temp.uid('p5'), 2::bigint), (pg_temp.uid('q2'), 3::bigint),
              (GREATEST(pg_temp.uid('q4'), pg_temp.uid('q5')), 4::bigint),
              (LEAST(pg_temp.uid('q4'), pg_temp.uid('q5')), 5::bigint) $$,
    'trending_posts: the posts with activity in 7 days, by score; equal scores and publication times by post_id, highest first');
SELECT is((SELECT score FROM trending_posts WHERE post_id = pg_temp.uid('p2')), 3.5::double precision,
          'score of a post: 2 x 2^-2 for its publication 2 days ago + 1/2 + 1 + 1/2 + 1 for its comments (old ones and placeholders not counted)');
SELECT ok(abs((SELECT score FROM trending_posts WHERE post_id = pg_temp.uid('p5')) - 2 * 0.5 ^ (1.0 / 24)) < 1e-12,
          'score of a post published an hour ago without comments: 2 x 2^(-1/24)');
SELECT ok(abs((SELECT score FROM trending_posts WHERE post_id = pg_temp.uid('q2')) - 0.5 ^ 0.5) < 1e-12,
          'score of an old post with a comment 12 hours old: 2^(-1/2)');
SELECT is((SELECT array_agg(score) FROM trending_posts WHERE post_id IN (pg_temp.uid('q4'), pg_temp.uid('q5'))),
          ARRAY[0.25, 0.25]::double precision[], 'posts published 3 days ago: 0.25 each');
SELECT ok((SELECT bool_and(abs(t.score - e.score) < 1e-12) AND count(*) = (SELECT count(*) FROM pg_temp.expected_scores())
             FROM trending_posts t JOIN pg_temp.expected_scores() e USING (post_id)),
          'every score is the documented formula, computed independently');
SELECT is_empty($$ SELECT post_id FROM trending_posts
                    WHERE post_id IN (pg_temp.uid('old1'), pg_temp.uid('p3'), pg_temp.uid('p4'), pg_temp.uid('q1')) $$,
                'not trending: archived posts, drafts, scheduled posts, posts with activity older than 7 days');
SELECT results_eq($$ SELECT array_agg(rank ORDER BY score DESC, rank) FROM trending_posts $$,
                  $$ SELECT array_agg(n) FROM generate_series(1::bigint, (SELECT count(*) FROM trending_posts)) n $$,
                  'ranks are 1..n in score order');
SELECT results_eq($$ SELECT t.creator_id, t.title FROM trending_posts t WHERE t.post_id = pg_temp.uid('q2') $$,
                  $$ VALUES (pg_temp.uid('a1'), 'a month old') $$, 'trending_posts carries the creator and the title');

--------------------------------------------------------------------------------
-- refresh: stale until refresh_stats, then current; CONCURRENTLY; recorded
--------------------------------------------------------------------------------
SELECT add_comment(pg_temp.uid('p5'), pg_temp.uid(r), 'new') FROM unnest(ARRAY['r1', 'r2']) r;
SELECT subscribe(pg_temp.uid('r3'), pg_temp.uid('a1'));
SELECT results_eq($$ SELECT comments_received FROM creator_stats WHERE creator_id = pg_temp.uid('c1') $$,
                  $$ VALUES (7::bigint) $$, 'new comments do not show before the next refresh');
SELECT is((SELECT rank FROM trending_posts WHERE post_id = pg_temp.uid('p5')), 2::bigint, 'nor in trending_posts');
SELECT lives_ok('SELECT creator_platform.refresh_stats()', 'refresh_stats() runs a second time');
SELECT set_eq('SELECT * FROM creator_stats', 'SELECT * FROM pg_temp.expected_creator_stats()',
              'after the second refresh creator_stats = the plain aggregates again');
SELECT results_eq($$ SELECT active_subscribers, comments_received FROM creator_stats
                      WHERE creator_id IN (pg_temp.uid('c1'), pg_temp.uid('a1')) ORDER BY username $$,
                  $$ VALUES (2::bigint, 2::bigint), (3::bigint, 9::bigint) $$,
                  'the new comments and subscription are counted');
SELECT results_eq($$ SELECT post_id, rank FROM trending_posts WHERE rank <= 2 ORDER BY rank $$,
                  $$ VALUES (pg_temp.uid('p5'), 1::bigint), (pg_temp.uid('p2'), 2::bigint) $$,
                  'the post with two new comments (score 2 x 2^(-1/24) + 2) moves to rank 1');
SELECT results_eq($$ SELECT c.relname::text COLLATE "default", c.relfilenode FROM pg_catalog.pg_class c
                      WHERE c.relnamespace = 'creator_platform'::regnamespace
                        AND c.relname IN ('creator_stats', 'trending_posts') ORDER BY 1 $$,
                  $$ SELECT v, relfilenode FROM files ORDER BY 1 $$,
                  'refresh_stats() refreshes CONCURRENTLY: the views keep their storage (a plain REFRESH swaps it)');
SELECT ok((SELECT last_finished_at >= last_started_at AND runs >= 2
                  AND (last_result #>> '{creator_stats,rows}')::bigint = (SELECT count(*) FROM creator_stats)
                  AND (last_result #>> '{trending_posts,rows}')::bigint = (SELECT count(*) FROM trending_posts)
                  AND (last_result #>> '{trending_posts,concurrently}')::boolean
             FROM maintenance_log WHERE job = 'refresh_stats'),
          'each run is recorded in maintenance_log (times, runs, rows per view)');

-- a view left WITH NO DATA cannot be refreshed CONCURRENTLY: refresh_stats
-- refreshes it plainly
REFRESH MATERIALIZED VIEW creator_platform.trending_posts WITH NO DATA;
SELECT throws_ok('SELECT count(*) FROM creator_platform.trending_posts', '55000', NULL,
                 'a view WITH NO DATA cannot be read');
SELECT lives_ok('SELECT creator_platform.refresh_stats()', 'refresh_stats() refreshes a view left WITH NO DATA');
SELECT ok((SELECT relispopulated FROM pg_catalog.pg_class WHERE oid = 'creator_platform.trending_posts'::regclass)
          AND NOT (SELECT (last_result #>> '{trending_posts,concurrently}')::boolean
                     FROM maintenance_log WHERE job = 'refresh_stats'),
          'it is populated again, by a plain refresh (recorded as not concurrent)');
SELECT is((SELECT count(*) FROM trending_posts), (SELECT count(*) FROM pg_temp.expected_scores()),
          'with every trending post');

--------------------------------------------------------------------------------
-- who may refresh
--------------------------------------------------------------------------------
SELECT is(has_function_privilege('public', 'creator_platform.refresh_stats()', 'EXECUTE'), false,
          'EXECUTE on refresh_stats() is revoked from PUBLIC');
SELECT ok((SELECT p.prosecdef AND 'search_path=pg_catalog, pg_temp' = ANY (p.proconfig)
             FROM pg_catalog.pg_proc p WHERE p.oid = 'creator_platform.refresh_stats()'::regprocedure),
          'refresh_stats() is SECURITY DEFINER (REFRESH needs the views'' owner; 0.5.0) with search_path pinned');
CREATE ROLE cp_320_app;
GRANT USAGE ON SCHEMA creator_platform TO cp_320_app;
SET LOCAL ROLE cp_320_app;
SELECT throws_ok('SELECT creator_platform.refresh_stats()', '42501', NULL,
                 'a role without EXECUTE cannot run refresh_stats() (42501)');
RESET ROLE;
GRANT EXECUTE ON FUNCTION creator_platform.refresh_stats() TO cp_320_app;
SET LOCAL ROLE cp_320_app;
SELECT lives_ok('SELECT creator_platform.refresh_stats()',
                'with EXECUTE (grant_maintenance gives it) a role that does not own the views refreshes them (0.5.0)');
RESET ROLE;
SELECT throws_ok('SELECT creator_platform.refresh_stats(1)', '42883', NULL, 'refresh_stats takes no argument');
SELECT is((SELECT count(*) FROM pg_catalog.pg_proc WHERE pronamespace = 'creator_platform'::regnamespace
              AND proname = 'refresh_stats'), 1::bigint, 'one refresh_stats (no overloads)');

SELECT * FROM finish();
ROLLBACK;
