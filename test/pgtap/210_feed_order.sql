-- 210_feed_order: every feed walked page by page against plain SQL (0.3.0,
-- API.md "Pagination"; src/feeds.cpp).
--
-- On a data set generated here (450 users: 80 creators, 4 of them admins,
-- with Zipf-like output, 70 "bursty" creators with one post newer than all
-- others and one older than all others, 3 admins who do not post, 297
-- readers; about 770 published posts with many equal published_at, a quarter of them moved to
-- posts_archive, interleaved in time with the live ones, drafts, scheduled
-- posts and posts taken back to draft that must never show; subscriptions
-- active and cancelled, several rows per pair; a thread of a few hundred
-- comments up to depth 6 with equal created_at, placeholders and an anonymous
-- placeholder; a thread on an archived post; a chain of depth 100), each
-- function is walked through ALL its pages, passing the last row's cursor as
-- `after` until a page is shorter than page_size, with page sizes 1, 7, 100
-- and 1000, and the whole sequence of rows (every column but the cursor) must
-- equal the same rows from an ORDER BY query:
--   * creator_posts / home_feed / recent_posts: published posts, live and
--     archived, by (published_at DESC, post_id DESC), content locked as the
--     viewer may see it;
--   * home_feed for readers with 0, 1, 10, 70 and all 80 creators, cancelled
--     subscriptions not followed; readers of the 70 bursty creators (with
--     and without creator 1): deep pages have more than 64 followed creators
--     with posts newer than the position, so home_feed walks the global
--     index (docs/architecture.md), and with page size 1 its budget runs out
--     among posts of creators they do not follow, so the merge takes over;
--   * subscriptions_of / subscribers_of: by (subscribed_at DESC, subscription_id DESC), both statuses;
--   * comment_thread: depth-first, siblings by (created_at, id), computed by a
--     recursive CTE (not from the path column), with max_depth and
--     root_comment_id (the subtree, its root first).
-- The walker also fails a walk whose page holds more than page_size rows or
-- whose row has no cursor.
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(169);

--------------------------------------------------------------------------------
-- helpers
--------------------------------------------------------------------------------
-- deterministic ids in no particular order (md5), so that ties on time are
-- broken by ids unrelated to insertion order
CREATE FUNCTION pg_temp.uid(kind text, n int) RETURNS uuid LANGUAGE sql IMMUTABLE AS $f$
    SELECT md5(kind || ':' || n)::uuid
$f$;

-- Walks all pages of `call` (a statement with $1 = page_size, $2 = after)
-- and returns every row without its cursor, numbered. A page longer than
-- page_size, a row without a cursor or a walk that does not end gives an
-- 'error' row, which no expected result contains.
CREATE FUNCTION pg_temp.walk(call text, page_size int, OUT ord bigint, OUT item jsonb)
RETURNS SETOF record LANGUAGE plpgsql AS $f$
DECLARE
    after text;
    r record;
    n int;
    pages int := 0;
BEGIN
    ord := 0;
    LOOP
        n := 0;
        pages := pages + 1;
        FOR r IN EXECUTE call USING page_size, after LOOP
            n := n + 1;
            ord := ord + 1;
            item := to_jsonb(r) - 'cursor';
            RETURN NEXT;
            IF r.cursor IS NULL THEN
                item := jsonb_build_object('error', format('row %s has no cursor', ord));
                RETURN NEXT;
                RETURN;
            END IF;
            after := r.cursor;
        END LOOP;
        IF n > page_size THEN
            item := jsonb_build_object('error', format('page %s has %s rows, page_size %s', pages, n, page_size));
            RETURN NEXT;
            RETURN;
        END IF;
        EXIT WHEN n < page_size;
        IF pages > 20000 THEN
            item := jsonb_build_object('error', 'the walk does not end');
            RETURN NEXT;
            RETURN;
        END IF;
    END LOOP;
END
$f$;

-- A walk with page sizes 1, 7, 100 and 1000 against `expected` (ord, item): 4 tests.
CREATE FUNCTION pg_temp.walks_eq(call text, expected text, what text) RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
    ps int;
BEGIN
    FOREACH ps IN ARRAY ARRAY[1, 7, 100, 1000] LOOP
        RETURN NEXT results_eq(format('SELECT ord, item FROM pg_temp.walk(%L, %s) ORDER BY ord', call, ps),
                               expected, format('%s: page_size %s', what, ps));
    END LOOP;
END
$f$;

-- Every published post, live or archived, as `viewer` may see it (the
-- contract's rule, in plain SQL), in the columns of the post feeds.
CREATE FUNCTION pg_temp.visible_posts(viewer uuid)
RETURNS TABLE (post_id uuid, creator_id uuid, creator_username text, title text, content text,
               visibility creator_platform.post_visibility, locked boolean, published_at timestamptz,
               comment_count int)
LANGUAGE sql STABLE AS $f$
    SELECT p.id, p.creator_id, u.username, p.title, CASE WHEN l.locked THEN NULL ELSE p.content END,
           p.visibility, l.locked, p.published_at, p.comment_count
      FROM (SELECT id, creator_id, title, content, visibility, published_at, comment_count
              FROM creator_platform.posts WHERE status = 'published'
            UNION ALL
            SELECT id, creator_id, title, content, visibility, published_at, comment_count
              FROM creator_platform.posts_archive WHERE status = 'published') p
      JOIN creator_platform.users u ON u.id = p.creator_id
     CROSS JOIN LATERAL (
        SELECT p.visibility = 'subscribers' AND NOT coalesce(
                   viewer = p.creator_id
                   OR EXISTS (SELECT 1 FROM creator_platform.users a WHERE a.id = viewer AND a.role = 'admin')
                   OR EXISTS (SELECT 1 FROM creator_platform.subscriptions s
                               WHERE s.subscriber_id = viewer AND s.creator_id = p.creator_id
                                 AND s.status = 'active'), false)) AS l(locked)
$f$;

-- Expected pages of the post feeds: `filter` is a condition on x (a visible_posts row).
CREATE FUNCTION pg_temp.expected_posts(viewer uuid, filter text) RETURNS text LANGUAGE sql AS $f$
    SELECT format($q$SELECT row_number() OVER (ORDER BY x.published_at DESC, x.post_id DESC), to_jsonb(x)
                       FROM pg_temp.visible_posts(%L::uuid) x WHERE %s ORDER BY 1$q$, viewer, filter)
$f$;

-- A thread in the contract's order, computed without the path column:
-- depth-first, siblings by (created_at, id); the sort key is the chain of
-- fixed-width (microseconds, uuid text) pairs from the top. Live and archived
-- comments alike; max_depth limits depth; root limits to root's subtree.
CREATE FUNCTION pg_temp.thread(post uuid, max_depth int DEFAULT NULL, root uuid DEFAULT NULL)
RETURNS TABLE (ord bigint, item jsonb) LANGUAGE sql STABLE AS $f$
    WITH RECURSIVE c AS (
        SELECT id, parent_comment_id, user_id, content, depth, reply_count, created_at, deleted_at
          FROM creator_platform.comments WHERE post_id = post
        UNION ALL
        SELECT id, parent_comment_id, user_id, content, depth, reply_count, created_at, deleted_at
          FROM creator_platform.comments_archive WHERE post_id = post
    ), t AS (
        SELECT c.*, lpad(((extract(epoch FROM c.created_at) * 1000000)::bigint)::text, 20, '0') || c.id::text AS k
          FROM c WHERE (root IS NULL AND c.parent_comment_id IS NULL) OR c.id = root
        UNION ALL
        SELECT c.*, t.k || lpad(((extract(epoch FROM c.created_at) * 1000000)::bigint)::text, 20, '0') || c.id::text
          FROM c JOIN t ON c.parent_comment_id = t.id
    )
    SELECT row_number() OVER (ORDER BY x.k COLLATE "C"), to_jsonb(x) - 'k'
      FROM (SELECT t.id AS comment_id, t.parent_comment_id, t.user_id, u.username, t.content, t.depth,
                   t.reply_count, t.created_at, t.deleted_at IS NOT NULL AS deleted, t.k
              FROM t LEFT JOIN creator_platform.users u ON u.id = t.user_id
             WHERE max_depth IS NULL OR t.depth <= max_depth) x
     ORDER BY 1
$f$;

CREATE FUNCTION pg_temp.expected_subscriptions(who text, id uuid, st creator_platform.subscription_status)
RETURNS text LANGUAGE sql AS $f$
    SELECT CASE who
      WHEN 'subscriber' THEN format($q$
        SELECT row_number() OVER (ORDER BY x.subscribed_at DESC, x.subscription_id DESC), to_jsonb(x)
          FROM (SELECT s.id AS subscription_id, s.creator_id, u.username AS creator_username, s.status,
                       s.subscribed_at, s.cancelled_at
                  FROM creator_platform.subscriptions s JOIN creator_platform.users u ON u.id = s.creator_id
                 WHERE s.subscriber_id = %L AND s.status = %L) x ORDER BY 1$q$, id, st)
      ELSE format($q$
        SELECT row_number() OVER (ORDER BY x.subscribed_at DESC, x.subscription_id DESC), to_jsonb(x)
          FROM (SELECT s.id AS subscription_id, s.subscriber_id, u.username AS subscriber_username, s.status,
                       s.subscribed_at, s.cancelled_at
                  FROM creator_platform.subscriptions s JOIN creator_platform.users u ON u.id = s.subscriber_id
                 WHERE s.creator_id = %L AND s.status = %L) x ORDER BY 1$q$, id, st)
    END
$f$;

--------------------------------------------------------------------------------
-- the data set
--------------------------------------------------------------------------------
-- creators c:1..80 (every 20th an admin), admins a:1..3 who never post,
-- readers r:1..297; pg_temp.uid(kind, n) is each one's id
INSERT INTO users (id, email, username, role)
SELECT pg_temp.uid('c', k), format('creator%s@feeds.test', k), format('creator_%s', k),
       CASE WHEN k % 20 = 0 THEN 'admin' ELSE 'creator' END::user_role
  FROM generate_series(1, 80) k
UNION ALL
SELECT pg_temp.uid('b', k), format('bursty%s@feeds.test', k), format('bursty_%s', k), 'creator'
  FROM generate_series(1, 70) k
UNION ALL
SELECT pg_temp.uid('a', k), format('admin%s@feeds.test', k), format('admin_%s', k), 'admin'
  FROM generate_series(1, 3) k
UNION ALL
SELECT pg_temp.uid('r', k), format('reader%s@feeds.test', k), format('reader_%s', k), 'reader'
  FROM generate_series(1, 297) k;

-- Zipf-like output: creator k writes ceil(120 / k) posts. Creators 1-10
-- publish over the last 10 hours, the quiet ones (11-80) a day earlier, in
-- whole minutes, so many posts share a published_at (pairs within a creator
-- and across creators); every third post is for subscribers.
INSERT INTO posts (id, creator_id, title, content, status, visibility, published_at)
SELECT pg_temp.uid('p', k * 1000 + n), pg_temp.uid('c', k), format('post %s/%s', k, n), format('content %s/%s', k, n),
       'published', CASE WHEN (n + k) % 3 = 0 THEN 'subscribers' ELSE 'public' END::post_visibility,
       date_trunc('minute', now()) - interval '1 hour'
         - CASE WHEN k <= 10 THEN ((n / 2) * 37 + k * 11) % 600 * interval '1 minute'
                ELSE interval '1 day' + ((n / 2) * 13 + k * 7) % 900 * interval '1 minute' END
  FROM generate_series(1, 80) k CROSS JOIN LATERAL generate_series(1, ceil(120.0 / k)::int) n;
-- the bursty creators: one post 20 minutes ago (newer than all others), one
-- 30 days ago (older than all others)
INSERT INTO posts (id, creator_id, title, content, status, published_at)
SELECT pg_temp.uid('bp', k * 10 + n), pg_temp.uid('b', k), format('bursty %s/%s', k, n), 'burst', 'published',
       CASE n WHEN 1 THEN now() - interval '20 minutes' - k * interval '1 second'
              ELSE now() - interval '30 days' - k * interval '1 minute' END
  FROM generate_series(1, 70) k CROSS JOIN generate_series(1, 2) n;
-- never listed: drafts, scheduled posts, posts taken back to draft
INSERT INTO posts (creator_id, title, content, status, published_at)
SELECT pg_temp.uid('c', k), 'a draft', 'secret', 'draft'::post_status, NULL::timestamptz FROM generate_series(1, 80, 3) k
UNION ALL
SELECT pg_temp.uid('c', k), 'scheduled', 'later', 'scheduled', now() + interval '1 day' FROM generate_series(1, 80, 4) k;
INSERT INTO posts (id, creator_id, title, content, status, published_at)
SELECT pg_temp.uid('q', k), pg_temp.uid('c', k), 'taken back', 'regret', 'published', now() - interval '5 minutes'
  FROM generate_series(1, 80, 5) k;
UPDATE posts SET status = 'draft' WHERE id IN (SELECT pg_temp.uid('q', k) FROM generate_series(1, 80, 5) k);

-- Subscriptions. r:1 follows nobody, r:2 creator 1 (and cancelled 2), r:3
-- ten creators spread over the range (and cancelled others), r:4 all 80, r:5
-- the 70 quiet ones (11-80), a:1 follows five; every other reader follows
-- creator k with probability about 1/(k+2), some of those cancelled, some
-- cancelled and followed again (r:6 and r:7 follow the bursty creators,
-- below). subscribed_at in whole minutes: many ties.
CREATE TEMP TABLE follows (subscriber int, creator int, status subscription_status, nth int) ON COMMIT DROP;
INSERT INTO follows
SELECT 2, 1, 'active'::subscription_status, 0 UNION ALL SELECT 2, 2, 'cancelled', 0
UNION ALL SELECT 3, (k * 7) % 80 + 1, 'active', 0 FROM generate_series(1, 10) k
UNION ALL SELECT 3, (k * 7) % 80 + 1, 'cancelled', 0 FROM generate_series(11, 15) k
UNION ALL SELECT 3, (k * 7) % 80 + 1, 'cancelled', -1 FROM generate_series(1, 3) k
UNION ALL SELECT 4, k, 'active', 0 FROM generate_series(1, 80) k
UNION ALL SELECT 5, k, 'active', 0 FROM generate_series(11, 80) k
UNION ALL SELECT 7, 1, 'active', 0
UNION ALL
SELECT r, k, CASE WHEN abs(hashtext(r || '/' || k)) % 5 = 0 THEN 'cancelled' ELSE 'active' END::subscription_status, 0
  FROM generate_series(8, 297) r CROSS JOIN generate_series(1, 80) k
 WHERE abs(hashtext(r || ':' || k)) % (k + 2) = 0
UNION ALL  -- followed again after the cancel
SELECT r, k, 'active', 1
  FROM generate_series(8, 297) r CROSS JOIN generate_series(1, 80) k
 WHERE abs(hashtext(r || ':' || k)) % (k + 2) = 0 AND abs(hashtext(r || '/' || k)) % 5 = 0
   AND abs(hashtext(r || '-' || k)) % 2 = 0;
INSERT INTO subscriptions (id, subscriber_id, creator_id, status, subscribed_at, cancelled_at)
SELECT pg_temp.uid('s', f.subscriber * 10000 + f.creator * 10 + f.nth + 1), pg_temp.uid('r', f.subscriber),
       pg_temp.uid('c', f.creator), f.status,
       date_trunc('minute', now()) - interval '2 days'
         + ((f.subscriber * 31 + f.creator * 17) % 500 + f.nth * 600) * interval '1 minute',
       CASE WHEN f.status = 'cancelled' THEN date_trunc('minute', now()) - interval '2 days'
         + ((f.subscriber * 31 + f.creator * 17) % 500 + f.nth * 600 + 1) * interval '1 minute' END
  FROM follows f;
INSERT INTO subscriptions (subscriber_id, creator_id, subscribed_at)
SELECT pg_temp.uid('a', 1), pg_temp.uid('c', k), now() - interval '3 days' FROM generate_series(1, 5) k
UNION ALL  -- r:6 and r:7 follow the 70 bursty creators (r:7 also creator 1)
SELECT pg_temp.uid('r', r), pg_temp.uid('b', k), now() - interval '3 days' FROM generate_series(6, 7) r, generate_series(1, 70) k;
-- creators follow creators too: c:1 follows c:2-c:30
INSERT INTO subscriptions (id, subscriber_id, creator_id, subscribed_at)
SELECT pg_temp.uid('t', k), pg_temp.uid('c', 1), pg_temp.uid('c', k), now() - (k % 4) * interval '1 hour'
  FROM generate_series(2, 30) k;

-- The thread: post 1/1 (p:1001). 40 top-level comments, then six levels of
-- replies, each comment with 0-2 replies (the first of a level always one),
-- created_at in whole minutes (ties among siblings). The first top-level
-- comment is by r:297, who then deletes their account: an anonymous placeholder.
INSERT INTO comments (id, post_id, user_id, content, created_at)
SELECT pg_temp.uid('m', i), pg_temp.uid('p', 1001), pg_temp.uid('r', CASE WHEN i = 1 THEN 297 ELSE i END),
       format('top %s', i), date_trunc('minute', now()) - interval '3 hours' + (i % 13) * interval '1 minute'
  FROM generate_series(1, 40) i;
DO $$
BEGIN
    FOR d IN 1..6 LOOP
        INSERT INTO creator_platform.comments (id, post_id, user_id, parent_comment_id, content, created_at)
        SELECT md5(p.id::text || '/' || g)::uuid, p.post_id,
               pg_temp.uid('r', abs(hashtext(p.id::text || g)) % 296 + 1), p.id,
               format('reply %s to %s', g, p.content), p.created_at + (abs(hashtext(p.id::text || g)) % 4) * interval '1 minute'
          FROM (SELECT c.*, row_number() OVER (ORDER BY c.id) AS rn FROM creator_platform.comments c
                 WHERE c.post_id = pg_temp.uid('p', 1001) AND c.depth = d - 1) p
         CROSS JOIN LATERAL generate_series(1, CASE WHEN p.rn = 1 OR p.user_id = pg_temp.uid('r', 297) THEN 1
                                                    ELSE abs(hashtext(p.id::text)) % 3 END) g;
    END LOOP;
END
$$;
-- placeholders (deleted comments with replies) and removed leaves
DO $$
BEGIN
    PERFORM creator_platform.delete_comment(c.id) FROM creator_platform.comments c
      WHERE c.post_id = pg_temp.uid('p', 1001) AND abs(hashtext(c.id::text || 'del')) % 9 = 0;
END
$$;
DELETE FROM users WHERE id = pg_temp.uid('r', 297);
-- a few comments on other posts
INSERT INTO comments (post_id, user_id, content)
SELECT pg_temp.uid('p', k * 1000 + 2), pg_temp.uid('r', k), 'elsewhere' FROM generate_series(1, 12) k;

-- A smaller thread on post 2/1 (p:2001), which is then archived with it.
INSERT INTO comments (id, post_id, user_id, content, created_at)
SELECT pg_temp.uid('n', i), pg_temp.uid('p', 2001), pg_temp.uid('r', i), format('old top %s', i),
       now() - interval '20 hours' + (i % 3) * interval '1 minute'
  FROM generate_series(1, 8) i;
INSERT INTO comments (id, post_id, user_id, parent_comment_id, content, created_at)
SELECT pg_temp.uid('n', 100 + i), pg_temp.uid('p', 2001), pg_temp.uid('r', i + 20), pg_temp.uid('n', i % 4 + 1),
       format('old reply %s', i), now() - interval '19 hours' + (i % 2) * interval '1 minute'
  FROM generate_series(1, 12) i;
INSERT INTO comments (id, post_id, user_id, parent_comment_id, content, created_at)
SELECT pg_temp.uid('n', 200 + i), pg_temp.uid('p', 2001), pg_temp.uid('r', i + 40), pg_temp.uid('n', 100 + i),
       format('old reply %s', i), now() - interval '18 hours'
  FROM generate_series(1, 6) i;
DO $$ BEGIN PERFORM creator_platform.delete_comment(pg_temp.uid('n', 2)); END $$;

-- A chain of depth 100 (the deepest max_comment_depth allows) on post 3/1.
SET LOCAL creator_platform.max_comment_depth = 100;
DO $$
BEGIN
    FOR d IN 0..100 LOOP
        INSERT INTO creator_platform.comments (id, post_id, user_id, parent_comment_id, content, created_at)
        VALUES (pg_temp.uid('chain', d), pg_temp.uid('p', 3001), pg_temp.uid('r', d + 1),
                CASE WHEN d > 0 THEN pg_temp.uid('chain', d - 1) END, format('level %s', d),
                now() - interval '2 hours' + d * interval '1 second');
    END LOOP;
END
$$;
-- and a sibling branch half-way down
INSERT INTO comments (id, post_id, user_id, parent_comment_id, content, created_at)
VALUES (pg_temp.uid('chain', 1000), pg_temp.uid('p', 3001), pg_temp.uid('r', 1), pg_temp.uid('chain', 49),
        'a branch at depth 50', now() - interval '3 hours');

-- Archive a quarter of the posts, interleaved in time with the live ones,
-- post 2/1 with its thread among them (each post with its comment_count and
-- its comments).
-- Moves exactly the posts `ids` (and their comments) into the archive through
-- the functions of 0.4.0, the only way into it: archive_posts moves every
-- published post, restore_post brings back the ones that were live and are
-- not in `ids` (unchanged, without events).
CREATE FUNCTION pg_temp.archive(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $f$
DECLARE
    keep uuid[] := ARRAY(SELECT p.id FROM creator_platform.posts p
                          WHERE p.status = 'published' AND p.id <> ALL (ids));
BEGIN
    PERFORM creator_platform.archive_posts('infinity', 100000);
    PERFORM creator_platform.restore_post(k) FROM unnest(keep) AS k;
END
$f$;
CREATE TEMP TABLE to_archive ON COMMIT DROP AS
SELECT id FROM posts WHERE status = 'published' AND (abs(hashtext(id::text)) % 4 = 0 OR id = pg_temp.uid('p', 2001))
   AND id NOT IN (pg_temp.uid('p', 1001), pg_temp.uid('p', 3001));
SELECT pg_temp.archive(ARRAY(SELECT id FROM to_archive));

--------------------------------------------------------------------------------
-- the data set is what it should be (else the walks below prove little)
--------------------------------------------------------------------------------
SELECT cmp_ok((SELECT count(*) FROM posts WHERE status = 'published'), '>', 400::bigint, 'more than 400 live published posts');
SELECT cmp_ok((SELECT count(*) FROM posts_archive), '>', 120::bigint, 'more than 120 archived posts');
SELECT cmp_ok((SELECT count(*) FROM (SELECT published_at FROM pg_temp.visible_posts(NULL) GROUP BY 1 HAVING count(*) > 1) t),
              '>', 50::bigint, 'more than 50 published_at values are shared by several posts');
SELECT cmp_ok((SELECT count(*) FROM comments WHERE post_id = pg_temp.uid('p', 1001)), '>', 200::bigint,
              'the thread has more than 200 comments');
SELECT is((SELECT max(depth) FROM comments WHERE post_id = pg_temp.uid('p', 1001)), 6, 'the thread reaches depth 6');
SELECT cmp_ok((SELECT count(*) FROM comments WHERE post_id = pg_temp.uid('p', 1001) AND deleted_at IS NOT NULL),
              '>', 5::bigint, 'the thread has placeholders');
SELECT is((SELECT count(*) FROM comments WHERE post_id = pg_temp.uid('p', 1001) AND user_id IS NULL), 1::bigint,
          'the thread has an anonymous placeholder');
SELECT cmp_ok((SELECT count(*) FROM (SELECT 1 FROM comments WHERE post_id = pg_temp.uid('p', 1001)
                                      GROUP BY parent_comment_id, created_at HAVING count(*) > 1) t),
              '>', 10::bigint, 'siblings share created_at');
SELECT is((SELECT count(*) FROM comments_archive WHERE post_id = pg_temp.uid('p', 2001)), 26::bigint,
          'the archived thread has its 26 comments in comments_archive');
SELECT cmp_ok((SELECT count(DISTINCT creator_id) FROM posts WHERE status = 'published'), '>=', 140::bigint,
              'at least 140 of the 150 creators have live posts');
SELECT cmp_ok((SELECT count(*) FROM subscriptions WHERE status = 'cancelled'), '>', 50::bigint,
              'more than 50 cancelled subscriptions');

--------------------------------------------------------------------------------
-- creator_posts: the prolific, the middle, the quiet, an admin who posts,
-- with and without a viewer who may unlock
--------------------------------------------------------------------------------
SELECT pg_temp.walks_eq(
    format('SELECT * FROM creator_platform.creator_posts(%L, NULL, $1, $2)', pg_temp.uid('c', k)),
    pg_temp.expected_posts(NULL, format('x.creator_id = %L', pg_temp.uid('c', k))),
    format('creator_posts(creator %s), anonymous', k))
  FROM unnest(ARRAY[1, 7, 20, 80]) k;
SELECT pg_temp.walks_eq(
    format('SELECT * FROM creator_platform.creator_posts(%L, %L, $1, $2)', pg_temp.uid('c', 1), pg_temp.uid('r', 2)),
    pg_temp.expected_posts(pg_temp.uid('r', 2), format('x.creator_id = %L', pg_temp.uid('c', 1))),
    'creator_posts(creator 1) seen by an active subscriber');
SELECT pg_temp.walks_eq(
    format('SELECT * FROM creator_platform.creator_posts(%L, %L, $1, $2)', pg_temp.uid('c', 2), pg_temp.uid('r', 2)),
    pg_temp.expected_posts(pg_temp.uid('r', 2), format('x.creator_id = %L', pg_temp.uid('c', 2))),
    'creator_posts(creator 2) seen by a cancelled subscriber');
SELECT pg_temp.walks_eq(
    format('SELECT * FROM creator_platform.creator_posts(%L, %L, $1, $2)', pg_temp.uid('c', 3), pg_temp.uid('c', 3)),
    pg_temp.expected_posts(pg_temp.uid('c', 3), format('x.creator_id = %L', pg_temp.uid('c', 3))),
    'creator_posts(creator 3) seen by the creator');
SELECT ok((SELECT count(*) FROM creator_posts(pg_temp.uid('c', 1), NULL, 1000)) = 120,
          'creator_posts(creator 1): 120 posts, live and archived, in one page of 1000');

--------------------------------------------------------------------------------
-- home_feed: 0, 1, 10, the 70 quiet, all 80 creators, five of them by an admin
--------------------------------------------------------------------------------
SELECT pg_temp.walks_eq(
    format('SELECT * FROM creator_platform.home_feed(%L, $1, $2)', pg_temp.uid(kind, n)),
    pg_temp.expected_posts(pg_temp.uid(kind, n),
        format($q$x.creator_id IN (SELECT s.creator_id FROM creator_platform.subscriptions s
                                    WHERE s.subscriber_id = %L AND s.status = 'active')$q$, pg_temp.uid(kind, n))),
    format('home_feed(%s)', what))
  FROM (VALUES ('r', 1, 'a reader who follows nobody'), ('r', 2, 'a reader who follows 1 creator'),
               ('r', 3, 'a reader who follows 10 creators'), ('r', 5, 'a reader who follows the 70 quiet creators'),
               ('r', 4, 'a reader who follows all 80 creators'), ('a', 1, 'an admin who follows 5 creators'),
               ('r', 6, 'a reader who follows the 70 bursty creators'),
               ('r', 7, 'a reader who follows the 70 bursty creators and creator 1'))
       AS v(kind, n, what);
SELECT is((SELECT count(*) FROM home_feed(pg_temp.uid('r', 1), 1000)), 0::bigint, 'home_feed of a reader who follows nobody is empty');
SELECT is((SELECT count(*) FROM home_feed(pg_temp.uid('r', 4), 1000)),
          (SELECT count(*) FROM pg_temp.visible_posts(NULL) x WHERE x.creator_username LIKE 'creator\_%'),
          'home_feed of a reader who follows all 80: every published post of theirs');
SELECT is((SELECT count(*) FROM home_feed(pg_temp.uid('r', 4), 1000) WHERE locked OR content IS NULL), 0::bigint,
          'home_feed: nothing is locked');

--------------------------------------------------------------------------------
-- recent_posts: anonymous, a reader with subscriptions, an admin
--------------------------------------------------------------------------------
SELECT pg_temp.walks_eq(
    'SELECT * FROM creator_platform.recent_posts(NULL, $1, $2)',
    pg_temp.expected_posts(NULL, 'true'), 'recent_posts(anonymous)');
SELECT pg_temp.walks_eq(
    format('SELECT * FROM creator_platform.recent_posts(%L, $1, $2)', pg_temp.uid('r', 3)),
    pg_temp.expected_posts(pg_temp.uid('r', 3), 'true'), 'recent_posts(a reader following 10)');
SELECT results_eq(
    format('SELECT ord, item FROM pg_temp.walk(%L, 50) ORDER BY ord',
           format('SELECT * FROM creator_platform.recent_posts(%L, $1, $2)', pg_temp.uid('a', 2))),
    pg_temp.expected_posts(pg_temp.uid('a', 2), 'true'), 'recent_posts(an admin): page_size 50, nothing locked');

--------------------------------------------------------------------------------
-- comment_thread: whole threads, max_depth, subtrees
--------------------------------------------------------------------------------
SELECT pg_temp.walks_eq(
    format('SELECT * FROM creator_platform.comment_thread(%L, $1, $2)', pg_temp.uid('p', 1001)),
    format('SELECT ord, item FROM pg_temp.thread(%L) ORDER BY ord', pg_temp.uid('p', 1001)),
    'comment_thread(the thread)');
SELECT pg_temp.walks_eq(
    format('SELECT * FROM creator_platform.comment_thread(%L, $1, $2, %s)', pg_temp.uid('p', 1001), d),
    format('SELECT ord, item FROM pg_temp.thread(%L, %s) ORDER BY ord', pg_temp.uid('p', 1001), d),
    format('comment_thread(the thread, max_depth %s)', d))
  FROM unnest(ARRAY[0, 2]) d;
-- subtrees: the anonymous placeholder's, the first comment of depth 1 and of
-- depth 3 in path order, a leaf
SELECT pg_temp.walks_eq(
    format('SELECT * FROM creator_platform.comment_thread(%L, $1, $2, NULL, %L)', pg_temp.uid('p', 1001), r.id),
    format('SELECT ord, item FROM pg_temp.thread(%L, NULL, %L) ORDER BY ord', pg_temp.uid('p', 1001), r.id),
    format('comment_thread(the thread, root at depth %s with %s replies)', r.depth, r.reply_count))
  FROM (SELECT id, depth, reply_count FROM comments WHERE user_id IS NULL
        UNION ALL
        (SELECT id, depth, reply_count FROM comments WHERE post_id = pg_temp.uid('p', 1001) AND depth = 1 ORDER BY path LIMIT 1)
        UNION ALL
        (SELECT id, depth, reply_count FROM comments WHERE post_id = pg_temp.uid('p', 1001) AND depth = 3 AND reply_count > 0
          ORDER BY path LIMIT 1)
        UNION ALL
        (SELECT id, depth, reply_count FROM comments WHERE post_id = pg_temp.uid('p', 1001) AND reply_count = 0
          ORDER BY path DESC LIMIT 1)) r;
SELECT results_eq(
    format('SELECT ord, item FROM pg_temp.walk(%L, 3) ORDER BY ord',
           format('SELECT * FROM creator_platform.comment_thread(%L, $1, $2, 3, %L)', pg_temp.uid('p', 1001), r.id)),
    format('SELECT ord, item FROM pg_temp.thread(%L, 3, %L) ORDER BY ord', pg_temp.uid('p', 1001), r.id),
    'comment_thread(subtree of a top-level comment, max_depth 3): page_size 3')
  FROM (SELECT id FROM comments WHERE post_id = pg_temp.uid('p', 1001) AND parent_comment_id IS NULL
         ORDER BY reply_count DESC, id LIMIT 1) r;
SELECT is((SELECT count(*) FROM comment_thread(pg_temp.uid('p', 1001), 1000, NULL, 0, r.id)), 0::bigint,
          'comment_thread: a root deeper than max_depth gives no row')
  FROM (SELECT id FROM comments WHERE post_id = pg_temp.uid('p', 1001) AND depth = 1 LIMIT 1) r;
-- the archived thread
SELECT pg_temp.walks_eq(
    format('SELECT * FROM creator_platform.comment_thread(%L, $1, $2)', pg_temp.uid('p', 2001)),
    format('SELECT ord, item FROM pg_temp.thread(%L) ORDER BY ord', pg_temp.uid('p', 2001)),
    'comment_thread(an archived post)');
SELECT results_eq(
    format('SELECT ord, item FROM pg_temp.walk(%L, 2) ORDER BY ord',
           format('SELECT * FROM creator_platform.comment_thread(%L, $1, $2, NULL, %L)',
                  pg_temp.uid('p', 2001), pg_temp.uid('n', 2))),
    format('SELECT ord, item FROM pg_temp.thread(%L, NULL, %L) ORDER BY ord', pg_temp.uid('p', 2001), pg_temp.uid('n', 2)),
    'comment_thread(an archived post, subtree of an archived placeholder): page_size 2');
-- the chain of depth 100: cursors of the longest paths
SELECT pg_temp.walks_eq(
    format('SELECT * FROM creator_platform.comment_thread(%L, $1, $2)', pg_temp.uid('p', 3001)),
    format('SELECT ord, item FROM pg_temp.thread(%L) ORDER BY ord', pg_temp.uid('p', 3001)),
    'comment_thread(a chain of depth 100 with a branch)');
SELECT results_eq(
    format('SELECT ord, item FROM pg_temp.walk(%L, 1) ORDER BY ord',
           format('SELECT * FROM creator_platform.comment_thread(%L, $1, $2, NULL, %L)',
                  pg_temp.uid('p', 3001), pg_temp.uid('chain', 40))),
    format('SELECT ord, item FROM pg_temp.thread(%L, NULL, %L) ORDER BY ord', pg_temp.uid('p', 3001), pg_temp.uid('chain', 40)),
    'comment_thread(the chain from depth 40): page_size 1');
SELECT results_eq(
    format('SELECT ord, item FROM pg_temp.walk(%L, 4) ORDER BY ord',
           format('SELECT * FROM creator_platform.comment_thread(%L, $1, $2, 50, %L)',
                  pg_temp.uid('p', 3001), pg_temp.uid('chain', 40))),
    format('SELECT ord, item FROM pg_temp.thread(%L, 50, %L) ORDER BY ord', pg_temp.uid('p', 3001), pg_temp.uid('chain', 40)),
    'comment_thread(the chain from depth 40, max_depth 50): page_size 4');
SELECT is((SELECT max(length(cursor)) FROM comment_thread(pg_temp.uid('p', 3001), 1000)), 3248,
          'the cursor of a comment at depth 100 has 3,248 characters');

--------------------------------------------------------------------------------
-- subscriptions_of / subscribers_of, both statuses
--------------------------------------------------------------------------------
SELECT pg_temp.walks_eq(
    format('SELECT * FROM creator_platform.subscriptions_of(%L, %L, $1, $2)', pg_temp.uid(kind, n), st),
    pg_temp.expected_subscriptions('subscriber', pg_temp.uid(kind, n), st::subscription_status),
    format('subscriptions_of(%s, %s)', what, st))
  FROM (VALUES ('r', 4, 'the reader following all', 'active'), ('r', 3, 'the reader following 10', 'active'),
               ('r', 3, 'the reader following 10', 'cancelled'), ('c', 1, 'a creator following creators', 'active'),
               ('r', 1, 'a reader following nobody', 'active')) AS v(kind, n, what, st);
SELECT pg_temp.walks_eq(
    format('SELECT * FROM creator_platform.subscribers_of(%L, %L, $1, $2)', pg_temp.uid('c', k), st),
    pg_temp.expected_subscriptions('creator', pg_temp.uid('c', k), st::subscription_status),
    format('subscribers_of(creator %s, %s)', k, st))
  FROM (VALUES (1, 'active'), (1, 'cancelled'), (2, 'active'), (60, 'active')) AS v(k, st);
SELECT cmp_ok((SELECT count(*) FROM subscribers_of(pg_temp.uid('c', 1), 'active', 1000)), '>', 80::bigint,
              'subscribers_of(creator 1): more than 80 active subscribers');

--------------------------------------------------------------------------------
-- TOASTed values: content stored out of line comes back whole
--------------------------------------------------------------------------------
-- 64 kB of md5 text: too big to stay in the row even compressed.
INSERT INTO posts (id, creator_id, title, content, status, visibility, published_at)
SELECT pg_temp.uid('toast', 1), pg_temp.uid('c', 1), 'big', string_agg(md5(g::text), '' ORDER BY g),
       'published', 'public', '2100-01-01'
  FROM generate_series(1, 2048) g;
INSERT INTO comments (id, post_id, user_id, content)
SELECT pg_temp.uid('toast', 2), pg_temp.uid('toast', 1), pg_temp.uid('r', 1), string_agg(md5(g::text), '' ORDER BY g)
  FROM generate_series(1, 600) g; -- 19,200 characters (the limit is 20,000)
SELECT cmp_ok((SELECT pg_relation_size(reltoastrelid) FROM pg_class WHERE oid = 'creator_platform.posts'::regclass),
              '>', 0::bigint, 'the big post''s content is stored out of line (in the TOAST table)');
SELECT cmp_ok((SELECT pg_relation_size(reltoastrelid) FROM pg_class WHERE oid = 'creator_platform.comments'::regclass),
              '>', 0::bigint, 'the big comment''s content is stored out of line (in the TOAST table)');
SELECT is((SELECT md5(content) FROM creator_posts(pg_temp.uid('c', 1), NULL, 1)),
          (SELECT md5(content) FROM posts WHERE id = pg_temp.uid('toast', 1)),
          'creator_posts returns out-of-line content whole');
SELECT is((SELECT md5(content) FROM recent_posts(NULL, 1)),
          (SELECT md5(content) FROM posts WHERE id = pg_temp.uid('toast', 1)),
          'recent_posts returns out-of-line content whole');
SELECT is((SELECT md5(content) FROM post_view(pg_temp.uid('toast', 1))),
          (SELECT md5(content) FROM posts WHERE id = pg_temp.uid('toast', 1)),
          'post_view returns out-of-line content whole');
SELECT is((SELECT md5(content) FROM comment_thread(pg_temp.uid('toast', 1))),
          (SELECT md5(content) FROM comments WHERE id = pg_temp.uid('toast', 2)),
          'comment_thread returns out-of-line content whole');

SELECT * FROM finish();
ROLLBACK;
