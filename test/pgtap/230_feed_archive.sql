-- 230_feed_archive: archiving never changes what a reader sees (0.3.0,
-- API.md "Pagination": archived posts and their comments are still listed).
-- Rows are archived with archive_posts (0.4.0): each post moves to
-- posts_archive (with its comment_count), its comments to comments_archive.
--   * every feed of a generated data set (creator_posts with and without a
--     viewer who unlocks, home_feed of readers following 1, 6 and all
--     creators, recent_posts, post_view of every post, comment_thread whole,
--     with max_depth and from a subtree's root) is walked with page sizes 1,
--     7 and 1000 before archiving, after archiving the older half of the
--     posts (live and archived rows then interleave in every feed, one post's
--     thread archived, others' not), and after archiving everything: the
--     rows, their order and even their cursors are identical;
--   * a cursor handed out before the archiving continues the walk after it
--     exactly where it stopped;
--   * the archived rows really are in the archive, and nothing is left live.
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(45);

--------------------------------------------------------------------------------
-- helpers
--------------------------------------------------------------------------------
CREATE FUNCTION pg_temp.uid(kind text, n int) RETURNS uuid LANGUAGE sql IMMUTABLE AS $f$
    SELECT md5(kind || ':' || n)::uuid
$f$;

--------------------------------------------------------------------------------
-- data: 30 creators (ceil(40/k) posts each, equal published_at in pairs and
-- across creators, every third for subscribers), 60 readers; r:1 follows
-- creator 1, r:2 six creators, r:3 all; threads on the posts of creator 1
--------------------------------------------------------------------------------
INSERT INTO users (id, email, username, role)
SELECT pg_temp.uid('c', k), format('creator%s@archive.test', k), format('creator_%s', k), 'creator'::user_role
  FROM generate_series(1, 30) k
UNION ALL
SELECT pg_temp.uid('r', k), format('reader%s@archive.test', k), format('reader_%s', k), 'reader'
  FROM generate_series(1, 60) k;
INSERT INTO posts (id, creator_id, title, content, status, visibility, published_at)
SELECT pg_temp.uid('p', k * 1000 + n), pg_temp.uid('c', k), format('post %s/%s', k, n), format('content %s/%s', k, n),
       'published', CASE WHEN (n + k) % 3 = 0 THEN 'subscribers' ELSE 'public' END::post_visibility,
       date_trunc('minute', now()) - interval '1 day' - ((n / 2) * 29 + k * 7) % 400 * interval '1 minute'
  FROM generate_series(1, 30) k CROSS JOIN LATERAL generate_series(1, ceil(40.0 / k)::int) n;
INSERT INTO posts (creator_id, title, status, published_at)
SELECT pg_temp.uid('c', k), 'a draft', 'draft'::post_status, NULL::timestamptz FROM generate_series(1, 30, 7) k;
INSERT INTO subscriptions (subscriber_id, creator_id, subscribed_at)
SELECT pg_temp.uid('r', 1), pg_temp.uid('c', 1), now() - interval '1 day'
UNION ALL SELECT pg_temp.uid('r', 2), pg_temp.uid('c', k), now() - interval '1 day' FROM unnest(ARRAY[1, 2, 5, 9, 17, 30]) k
UNION ALL SELECT pg_temp.uid('r', 3), pg_temp.uid('c', k), now() - interval '1 day' FROM generate_series(1, 30) k
UNION ALL SELECT pg_temp.uid('r', k), pg_temp.uid('c', 1), now() - interval '1 day' FROM generate_series(10, 20) k;
-- threads: on every fourth post of creator 1, 10 top-level comments and
-- three levels of replies (0-2 each), equal created_at among siblings; some
-- deleted to placeholders or removed
INSERT INTO comments (id, post_id, user_id, content, created_at)
SELECT md5(p.id::text || i)::uuid, p.id, pg_temp.uid('r', i + 20), format('top %s', i),
       now() - interval '12 hours' + (i % 4) * interval '1 minute'
  FROM posts p CROSS JOIN generate_series(1, 10) i
 WHERE p.creator_id = pg_temp.uid('c', 1) AND p.status = 'published' AND abs(hashtext(p.id::text)) % 4 = 0;
INSERT INTO comments (id, post_id, user_id, content, created_at)
SELECT md5(pg_temp.uid('p', 1001)::text || i)::uuid, pg_temp.uid('p', 1001), pg_temp.uid('r', i + 20), format('top %s', i),
       now() - interval '12 hours' + (i % 4) * interval '1 minute'
  FROM generate_series(1, 10) i
ON CONFLICT DO NOTHING;
DO $$
BEGIN
    FOR d IN 1..3 LOOP
        INSERT INTO creator_platform.comments (id, post_id, user_id, parent_comment_id, content, created_at)
        SELECT md5(p.id::text || '/' || g)::uuid, p.post_id, pg_temp.uid('r', abs(hashtext(p.id::text || g)) % 60 + 1),
               p.id, format('reply %s', g), p.created_at + (abs(hashtext(p.id::text || g)) % 3) * interval '1 minute'
          FROM creator_platform.comments p
         CROSS JOIN LATERAL generate_series(1, abs(hashtext(p.id::text)) % 3) g
         WHERE p.depth = d - 1;
    END LOOP;
    PERFORM creator_platform.delete_comment(c.id) FROM creator_platform.comments c
      WHERE abs(hashtext(c.id::text || 'del')) % 7 = 0;
END
$$;

SELECT cmp_ok((SELECT count(*) FROM comments WHERE post_id = pg_temp.uid('p', 1001)), '>', 20::bigint,
              'the thread of post 1/1 has more than 20 comments');
SELECT cmp_ok((SELECT count(DISTINCT post_id) FROM comments), '>', 4::bigint, 'more than 4 posts have comments');
SELECT cmp_ok((SELECT count(*) FROM comments WHERE deleted_at IS NOT NULL), '>', 0::bigint, 'there are placeholders');

--------------------------------------------------------------------------------
-- the walks
--------------------------------------------------------------------------------
CREATE TEMP TABLE calls (what text PRIMARY KEY, call text NOT NULL) ON COMMIT DROP;
INSERT INTO calls VALUES
    ('creator_posts(creator 1)', format('SELECT * FROM creator_platform.creator_posts(%L, NULL, $1, $2)', pg_temp.uid('c', 1))),
    ('creator_posts(creator 1, a subscriber)',
     format('SELECT * FROM creator_platform.creator_posts(%L, %L, $1, $2)', pg_temp.uid('c', 1), pg_temp.uid('r', 1))),
    ('creator_posts(creator 3)', format('SELECT * FROM creator_platform.creator_posts(%L, NULL, $1, $2)', pg_temp.uid('c', 3))),
    ('creator_posts(creator 30)', format('SELECT * FROM creator_platform.creator_posts(%L, NULL, $1, $2)', pg_temp.uid('c', 30))),
    ('home_feed(following 1)', format('SELECT * FROM creator_platform.home_feed(%L, $1, $2)', pg_temp.uid('r', 1))),
    ('home_feed(following 6)', format('SELECT * FROM creator_platform.home_feed(%L, $1, $2)', pg_temp.uid('r', 2))),
    ('home_feed(following all)', format('SELECT * FROM creator_platform.home_feed(%L, $1, $2)', pg_temp.uid('r', 3))),
    ('recent_posts(anonymous)', 'SELECT * FROM creator_platform.recent_posts(NULL, $1, $2)'),
    ('recent_posts(following 6)', format('SELECT * FROM creator_platform.recent_posts(%L, $1, $2)', pg_temp.uid('r', 2))),
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
     CROSS JOIN unnest(CASE WHEN c.what LIKE '%every%' THEN ARRAY[1000000] ELSE ARRAY[1, 7, 1000] END) ps
     CROSS JOIN LATERAL cp_test.walk(c.call, ps) w
$f$;
-- one test per call: the stage's walks with every page size equal the
-- walks before any archiving
CREATE FUNCTION pg_temp.same_as_before(stage text) RETURNS SETOF text LANGUAGE sql AS $f$
    SELECT results_eq(
        format($q$SELECT page_size, ord, item, cursor FROM pg_temp.snap WHERE stage = %L AND what = %L ORDER BY 1, 2$q$, stage, c.what),
        format($q$SELECT page_size, ord, item, cursor FROM pg_temp.snap WHERE stage = 'before' AND what = %L ORDER BY 1, 2$q$, c.what),
        format('%s: %s', stage, c.what))
      FROM pg_temp.calls c ORDER BY c.what
$f$;

SELECT pg_temp.snapshot('before');
SELECT is((SELECT count(*) FROM snap WHERE what = c.what AND page_size IN (1, 1000000)), n,
          format('before: %s lists %s rows', c.what, n))
  FROM (VALUES ('recent_posts(anonymous)', (SELECT count(*) FROM posts WHERE status = 'published')),
               ('comment_thread(post 1/1)', (SELECT count(*) FROM comments WHERE post_id = pg_temp.uid('p', 1001))),
               ('every comment_thread', (SELECT count(*) FROM comments))) AS c(what, n);
-- cursors handed out before: the one at row 5 of each walk with page size 7
CREATE TEMP TABLE held ON COMMIT DROP AS
SELECT what, cursor FROM snap WHERE stage = 'before' AND page_size = 7 AND ord = 5;

-- Moves the published posts older than older_than (and their comments) into
-- the archive.
CREATE FUNCTION pg_temp.archive(older_than timestamptz) RETURNS void LANGUAGE sql AS $f$
    SELECT FROM creator_platform.archive_posts(older_than, 100000);
$f$;

--------------------------------------------------------------------------------
-- archive the older half: live and archived rows interleave everywhere
--------------------------------------------------------------------------------
CREATE TEMP TABLE older_half ON COMMIT DROP AS
SELECT id FROM posts
 WHERE status = 'published'
   AND published_at < (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY published_at) FROM posts WHERE status = 'published');
SELECT pg_temp.archive((SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY published_at) FROM posts WHERE status = 'published'));
SELECT is((SELECT count(*) FROM posts_archive), (SELECT count(*) FROM older_half), 'half: the older half is in posts_archive');
SELECT is((SELECT count(*) FROM posts WHERE id IN (SELECT id FROM older_half)), 0::bigint, 'half: and not live any more');
SELECT ok((SELECT count(*) FROM comments_archive) > 0 AND (SELECT count(*) FROM comments) > 0,
          'half: some comments are archived, some live');
SELECT pg_temp.snapshot('half');
SELECT pg_temp.same_as_before('half');

-- the cursors handed out before continue where they stopped
SELECT results_eq(
    format('SELECT ord + 5, item FROM cp_test.walk(%L, 7, %L) ORDER BY 1', c.call, h.cursor),
    format($q$SELECT ord, item FROM pg_temp.snap WHERE stage = 'before' AND page_size = 7 AND what = %L AND ord > 5 ORDER BY 1$q$, c.what),
    format('half: a cursor of %s from before the archiving continues the walk', c.what))
  FROM calls c JOIN held h USING (what)
 WHERE c.what IN ('creator_posts(creator 1)', 'home_feed(following all)', 'recent_posts(following 6)',
                  'comment_thread(post 1/1)', 'comment_thread(post 1/1, a subtree)')
 ORDER BY c.what;

--------------------------------------------------------------------------------
-- archive everything that is left
--------------------------------------------------------------------------------
SELECT pg_temp.archive('infinity');
SELECT is((SELECT count(*) FROM posts WHERE status = 'published'), 0::bigint, 'all: no published post is live');
SELECT is((SELECT count(*) FROM comments), 0::bigint, 'all: no comment is live');
SELECT pg_temp.snapshot('all');
SELECT pg_temp.same_as_before('all');
SELECT is(
    (SELECT count(*) FROM creator_platform.comment_thread(pg_temp.uid('p', 1001), 1000)),
    (SELECT count(*) FROM comments_archive WHERE post_id = pg_temp.uid('p', 1001)),
    'all: the archived thread lists every archived comment of the post');

SELECT * FROM finish();
ROLLBACK;
