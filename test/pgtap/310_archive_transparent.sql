-- 310_archive_transparent: readers see no difference (0.4.0, API.md
-- "Archiving" and "Pagination"): every feed walked page by page gives the same
-- rows in the same order before archiving, after archive_posts moved part of
-- the posts in small batches, after restore_post brought every other one of
-- them back (live and archived rows interleave in every feed, and inside one
-- creator's feed), after everything was archived, and after everything was
-- restored. The walks:
--   creator_posts (anonymous, and a subscriber who unlocks), home_feed of
--   readers following 1, 5 and all creators, recent_posts (anonymous and a
--   subscriber), comment_thread of a deep thread (whole, max_depth 1, a
--   subtree) and of every post, post_view of every post (anonymous and a
--   subscriber), with page sizes 1, 3, 10 and 1000; rows are compared without
--   their cursor column.
-- Cursors handed out before archiving continue the walk after archiving and
-- after restoring; after the full round trip the posts and comments are the
-- rows they were.
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(80);

CREATE FUNCTION pg_temp.uid(kind text, n int) RETURNS uuid LANGUAGE sql IMMUTABLE AS $f$
    SELECT md5('310:' || kind || ':' || n)::uuid
$f$;

--------------------------------------------------------------------------------
-- data: 20 creators (ceil(30/k) posts each over the last 4 years, equal
-- published_at in pairs and across creators, every third for subscribers),
-- 40 readers; r:1 follows creator 1, r:2 five creators, r:3 all; threads of
-- three levels on every third post of creators 1-3, one deep thread on post 1/1
--------------------------------------------------------------------------------
INSERT INTO users (id, email, username, role)
SELECT pg_temp.uid('c', k), format('creator%s@transparent.test', k), format('t310_creator_%s', k), 'creator'::user_role
  FROM generate_series(1, 20) k
UNION ALL
SELECT pg_temp.uid('r', k), format('reader%s@transparent.test', k), format('t310_reader_%s', k), 'reader'
  FROM generate_series(1, 40) k;
INSERT INTO posts (id, creator_id, title, content, status, visibility, published_at)
SELECT pg_temp.uid('p', k * 1000 + n), pg_temp.uid('c', k), format('post %s/%s', k, n), format('content %s/%s', k, n),
       'published', CASE WHEN (n + k) % 3 = 0 THEN 'subscribers' ELSE 'public' END::post_visibility,
       date_trunc('day', now()) - ((n / 2) * 97 + k * 37) % 1460 * interval '1 day'
  FROM generate_series(1, 20) k CROSS JOIN LATERAL generate_series(1, ceil(30.0 / k)::int) n;
INSERT INTO posts (creator_id, title, status, published_at)
SELECT pg_temp.uid('c', k), 'a draft', 'draft'::post_status, NULL::timestamptz FROM generate_series(1, 20, 6) k;
INSERT INTO subscriptions (subscriber_id, creator_id, subscribed_at)
SELECT pg_temp.uid('r', 1), pg_temp.uid('c', 1), now() - interval '1 day'
UNION ALL SELECT pg_temp.uid('r', 2), pg_temp.uid('c', k), now() - interval '1 day' FROM unnest(ARRAY[1, 2, 4, 9, 20]) k
UNION ALL SELECT pg_temp.uid('r', 3), pg_temp.uid('c', k), now() - interval '1 day' FROM generate_series(1, 20) k;
INSERT INTO comments (id, post_id, user_id, content, created_at)
SELECT md5(p.id::text || i)::uuid, p.id, pg_temp.uid('r', i + 10), format('top %s', i),
       now() - interval '12 hours' + (i % 3) * interval '1 minute'
  FROM posts p CROSS JOIN generate_series(1, 6) i
 WHERE p.creator_id IN (pg_temp.uid('c', 1), pg_temp.uid('c', 2), pg_temp.uid('c', 3)) AND p.status = 'published'
   AND (abs(hashtext(p.id::text)) % 3 = 0 OR p.id = pg_temp.uid('p', 1001));
DO $$
BEGIN
    FOR d IN 1..4 LOOP
        INSERT INTO creator_platform.comments (id, post_id, user_id, parent_comment_id, content, created_at)
        SELECT md5(p.id::text || '/' || g)::uuid, p.post_id, pg_temp.uid('r', abs(hashtext(p.id::text || g)) % 40 + 1),
               p.id, format('reply %s', g), p.created_at + (abs(hashtext(p.id::text || g)) % 3) * interval '1 minute'
          FROM creator_platform.comments p
         CROSS JOIN LATERAL generate_series(1, abs(hashtext(p.id::text)) % 3) g
         WHERE p.depth = d - 1 AND (d < 4 OR p.post_id = pg_temp.uid('p', 1001));
    END LOOP;
    PERFORM creator_platform.delete_comment(c.id) FROM creator_platform.comments c
      WHERE abs(hashtext(c.id::text || 'del')) % 6 = 0;
END
$$;

SELECT cmp_ok((SELECT count(*) FROM comments WHERE post_id = pg_temp.uid('p', 1001)), '>', 20::bigint,
              'the thread of post 1/1 has more than 20 comments');
SELECT cmp_ok((SELECT count(DISTINCT post_id) FROM comments), '>', 5::bigint, 'more than 5 posts have comments');
SELECT cmp_ok((SELECT count(*) FROM comments WHERE deleted_at IS NOT NULL), '>', 0::bigint, 'there are placeholders');

CREATE TEMP TABLE original_posts ON COMMIT DROP AS SELECT p.id, to_jsonb(p) AS row FROM posts p;
CREATE TEMP TABLE original_comments ON COMMIT DROP AS SELECT c.id, to_jsonb(c) AS row FROM comments c;

--------------------------------------------------------------------------------
-- the walks
--------------------------------------------------------------------------------
CREATE TEMP TABLE calls (what text PRIMARY KEY, call text NOT NULL) ON COMMIT DROP;
INSERT INTO calls VALUES
    ('creator_posts(creator 1)', format('SELECT * FROM creator_platform.creator_posts(%L, NULL, $1, $2)', pg_temp.uid('c', 1))),
    ('creator_posts(creator 1, a subscriber)',
     format('SELECT * FROM creator_platform.creator_posts(%L, %L, $1, $2)', pg_temp.uid('c', 1), pg_temp.uid('r', 1))),
    ('creator_posts(creator 4)', format('SELECT * FROM creator_platform.creator_posts(%L, NULL, $1, $2)', pg_temp.uid('c', 4))),
    ('home_feed(following 1)', format('SELECT * FROM creator_platform.home_feed(%L, $1, $2)', pg_temp.uid('r', 1))),
    ('home_feed(following 5)', format('SELECT * FROM creator_platform.home_feed(%L, $1, $2)', pg_temp.uid('r', 2))),
    ('home_feed(following all)', format('SELECT * FROM creator_platform.home_feed(%L, $1, $2)', pg_temp.uid('r', 3))),
    ('recent_posts(anonymous)', 'SELECT * FROM creator_platform.recent_posts(NULL, $1, $2)'),
    ('recent_posts(following 5)', format('SELECT * FROM creator_platform.recent_posts(%L, $1, $2)', pg_temp.uid('r', 2))),
    ('comment_thread(post 1/1)', format('SELECT * FROM creator_platform.comment_thread(%L, $1, $2)', pg_temp.uid('p', 1001))),
    ('comment_thread(post 1/1, max_depth 1)',
     format('SELECT * FROM creator_platform.comment_thread(%L, $1, $2, 1)', pg_temp.uid('p', 1001))),
    ('comment_thread(post 1/1, a subtree)',
     format('SELECT * FROM creator_platform.comment_thread(%L, $1, $2, NULL, %L)', pg_temp.uid('p', 1001),
            (SELECT id FROM comments WHERE post_id = pg_temp.uid('p', 1001) AND depth = 0 ORDER BY reply_count DESC, id LIMIT 1))),
    ('every comment_thread',
     -- (ORDER BY the thread's own order too: a sort by post_id alone may
     -- shuffle the rows of one thread)
     $$SELECT t.comment_id, t.parent_comment_id, t.user_id, t.username, t.content, t.depth, t.reply_count,
              t.created_at, t.deleted, t.cursor
         FROM (SELECT DISTINCT post_id FROM (SELECT post_id FROM creator_platform.comments
                                             UNION ALL SELECT post_id FROM creator_platform.comments_archive) a) p
         CROSS JOIN LATERAL creator_platform.comment_thread(p.post_id, 1000) WITH ORDINALITY t
        WHERE $1 > 0 AND $2 IS NULL ORDER BY p.post_id, t.ordinality$$),
    ('post_view of every post, anonymous and by a subscriber',
     format($$SELECT v.* FROM (SELECT id FROM creator_platform.posts UNION ALL SELECT id FROM creator_platform.posts_archive) p
               CROSS JOIN unnest(ARRAY[NULL, %L]::uuid[]) viewer
               CROSS JOIN LATERAL creator_platform.post_view(p.id, viewer) v
              WHERE $1 > 0 AND $2 IS NULL ORDER BY p.id, viewer NULLS FIRST$$, pg_temp.uid('r', 1)));

CREATE TEMP TABLE snap (stage text, what text, page_size int, ord bigint, item jsonb, cursor text) ON COMMIT DROP;
CREATE FUNCTION pg_temp.snapshot(stage text) RETURNS void LANGUAGE sql AS $f$
    INSERT INTO pg_temp.snap
    SELECT stage, c.what, ps, w.ord, w.item, w.cursor
      FROM pg_temp.calls c
     CROSS JOIN unnest(CASE WHEN c.what LIKE '%every%' THEN ARRAY[1000000] ELSE ARRAY[1, 3, 10, 1000] END) ps
     CROSS JOIN LATERAL cp_test.walk(c.call, ps) w
$f$;
-- one test per call: the stage's walks with every page size, without the
-- cursors, equal the walks before any archiving
CREATE FUNCTION pg_temp.same_as_before(stage text) RETURNS SETOF text LANGUAGE sql AS $f$
    SELECT results_eq(
        format($q$SELECT page_size, ord, item FROM pg_temp.snap WHERE stage = %L AND what = %L ORDER BY 1, 2$q$, stage, c.what),
        format($q$SELECT page_size, ord, item FROM pg_temp.snap WHERE stage = 'before' AND what = %L ORDER BY 1, 2$q$, c.what),
        format('%s: %s', stage, c.what))
      FROM pg_temp.calls c ORDER BY c.what
$f$;
-- a cursor handed out before any archiving (row 4 of the walk with page size
-- 3) continues the walk exactly where it stopped
CREATE FUNCTION pg_temp.held_cursors_continue(stage text) RETURNS SETOF text LANGUAGE sql AS $f$
    SELECT results_eq(
        format('SELECT ord + 4, item FROM cp_test.walk(%L, 3, %L) ORDER BY 1', c.call, h.cursor),
        format($q$SELECT ord, item FROM pg_temp.snap WHERE stage = 'before' AND page_size = 3 AND what = %L AND ord > 4 ORDER BY 1$q$, c.what),
        format('%s: a cursor of %s from before the archiving continues the walk', $1, c.what))
      FROM pg_temp.calls c
      JOIN pg_temp.snap h ON h.what = c.what AND h.stage = 'before' AND h.page_size = 3 AND h.ord = 4
     WHERE c.what IN ('creator_posts(creator 1)', 'home_feed(following all)', 'recent_posts(following 5)',
                      'comment_thread(post 1/1)')
     ORDER BY c.what
$f$;

SELECT pg_temp.snapshot('before');
SELECT is((SELECT count(*) FROM snap WHERE what = c.what AND page_size IN (1, 1000000)), n,
          format('before: %s lists %s rows', c.what, n))
  FROM (VALUES ('recent_posts(anonymous)', (SELECT count(*) FROM posts WHERE status = 'published')),
               ('comment_thread(post 1/1)', (SELECT count(*) FROM comments WHERE post_id = pg_temp.uid('p', 1001))),
               ('every comment_thread', (SELECT count(*) FROM comments))) AS c(what, n);

--------------------------------------------------------------------------------
-- part: the posts older than 2 years, by archive_posts in batches of 3
--------------------------------------------------------------------------------
CREATE TEMP TABLE batches ON COMMIT DROP AS SELECT 0 AS n, 0::bigint AS moved;
DO $$
DECLARE
    got bigint;
BEGIN
    LOOP
        got := creator_platform.archive_posts(now() - interval '2 years', 3);
        INSERT INTO batches SELECT max(b.n) + 1, got FROM batches b;
        EXIT WHEN got = 0;
    END LOOP;
END
$$;
SELECT cmp_ok((SELECT count(*) FROM batches WHERE moved = 3), '>', 3::bigint, 'part: more than 3 full batches of 3');
SELECT is((SELECT count(*) FROM posts WHERE status = 'published' AND published_at < now() - interval '2 years'), 0::bigint,
          'part: no live published post older than 2 years is left');
SELECT ok((SELECT count(*) FROM posts_archive) > 0 AND (SELECT count(*) FROM posts WHERE status = 'published') > 0
          AND (SELECT count(*) FROM comments_archive) > 0 AND (SELECT count(*) FROM comments) > 0,
          'part: posts and comments are both live and archived');
SELECT pg_temp.snapshot('part');
SELECT pg_temp.same_as_before('part');
SELECT pg_temp.held_cursors_continue('part');

--------------------------------------------------------------------------------
-- interleaved: every other archived post (by id) back
--------------------------------------------------------------------------------
SELECT cmp_ok((SELECT count(*) FROM (SELECT a.id FROM posts_archive a WHERE abs(hashtext(a.id::text)) % 2 = 0) s
                CROSS JOIN LATERAL restore_post(s.id) r), '>', 5::bigint,
              'interleaved: more than 5 archived posts restored');
SELECT ok((SELECT count(*) FROM posts_archive) > 5, 'interleaved: and more than 5 still archived');
SELECT ok(EXISTS (SELECT 1 FROM posts p JOIN posts_archive a USING (creator_id)
                   WHERE p.status = 'published' AND p.published_at < a.published_at),
          'interleaved: a creator has a live post older than an archived one');
SELECT pg_temp.snapshot('interleaved');
SELECT pg_temp.same_as_before('interleaved');
SELECT pg_temp.held_cursors_continue('interleaved');

--------------------------------------------------------------------------------
-- all archived
--------------------------------------------------------------------------------
SELECT cmp_ok(archive_posts('infinity', 1000), '>', 0::bigint, 'all: archive_posts of everything');
SELECT is((SELECT count(*) FROM posts WHERE status = 'published') + (SELECT count(*) FROM comments), 0::bigint,
          'all: no published post and no comment is live');
SELECT pg_temp.snapshot('all');
SELECT pg_temp.same_as_before('all');

--------------------------------------------------------------------------------
-- all restored: the walks, and the rows themselves, as before
--------------------------------------------------------------------------------
SELECT is((SELECT count(*) FROM (SELECT a.id FROM posts_archive a) s CROSS JOIN LATERAL restore_post(s.id) r),
          (SELECT count(*) FROM original_posts WHERE row ->> 'status' = 'published'),
          'restored: restore_post of every archived post');
SELECT is((SELECT count(*) FROM posts_archive) + (SELECT count(*) FROM comments_archive), 0::bigint,
          'restored: the archive is empty');
SELECT pg_temp.snapshot('restored');
SELECT pg_temp.same_as_before('restored');
SELECT results_eq(
    $$SELECT what, page_size, ord, cursor FROM pg_temp.snap WHERE stage = 'restored' ORDER BY 1, 2, 3$$,
    $$SELECT what, page_size, ord, cursor FROM pg_temp.snap WHERE stage = 'before' ORDER BY 1, 2, 3$$,
    'restored: even the cursors are the ones handed out before');
SELECT set_eq($$SELECT p.id, to_jsonb(p) FROM posts p$$, $$SELECT id, row FROM original_posts$$,
              'restored: every post is the row it was');
SELECT set_eq($$SELECT c.id, to_jsonb(c) FROM comments c$$, $$SELECT id, row FROM original_comments$$,
              'restored: every comment is the row it was');
SELECT is_empty($$SELECT * FROM cp_test.counter_mismatches()$$, 'restored: every counter exact');

SELECT * FROM finish();
ROLLBACK;
