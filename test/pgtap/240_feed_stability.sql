-- 240_feed_stability: pages never skip or repeat a row that existed for the
-- whole walk, whatever changes between pages (0.3.0, API.md "Pagination").
-- Each walk below runs page by page and changes the data between pages
-- (inside this one transaction, where now() is constant: new rows get an
-- explicit time, or now(), which is newer than all the data):
--   * a row newer than the walk's position (published / subscribed / a reply
--     that sorts before the cursor) does not appear in later pages ("behind");
--     one that sorts after the cursor appears in its place ("ahead"),
--     including rows with exactly the cursor's time, on either side of its id;
--   * a row deleted, unpublished or cancelled ahead of the cursor does not
--     appear; one moved to the archive still does;
--   * the cursor's own row may be deleted, unpublished, archived (or, in a
--     thread, removed or made a placeholder): the next page continues right
--     after it;
--   * home_feed: a creator followed in the middle of the walk contributes
--     the posts ahead of the position; a backdated post of a followed creator
--     ahead of the position appears although the creator's newest post is newer;
--   * creator_activity (what home_feed prunes with) is an upper bound of each
--     creator's newest published_at, kept by the triggers for single-row,
--     multi-row and COPY inserts, publishing, edits and moves between creators.
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(31);

--------------------------------------------------------------------------------
-- helpers
--------------------------------------------------------------------------------
-- the last row a walk returned, for the statements run between pages
CREATE TEMP TABLE walk_last (item jsonb) ON COMMIT DROP;

-- All pages of `call` ($1 page_size, $2 after); after page i, runs hooks[i]
-- (if any), with the page's last row in walk_last. Every row without its
-- cursor, numbered; an 'error' row for a page longer than page_size or a walk
-- that does not end.
CREATE FUNCTION pg_temp.walk_with(call text, page_size int, hooks text[], OUT ord bigint, OUT item jsonb)
RETURNS SETOF record LANGUAGE plpgsql AS $f$
DECLARE
    after text;
    r record;
    n int;
    pages int := 0;
    last jsonb;
BEGIN
    ord := 0;
    LOOP
        n := 0;
        pages := pages + 1;
        FOR r IN EXECUTE call USING page_size, after LOOP
            n := n + 1;
            ord := ord + 1;
            item := to_jsonb(r) - 'cursor';
            last := item;
            RETURN NEXT;
            after := r.cursor;
        END LOOP;
        IF n > page_size OR pages > 1000 THEN
            item := jsonb_build_object('error', format('page %s has %s rows', pages, n));
            RETURN NEXT;
            RETURN;
        END IF;
        EXIT WHEN n < page_size;
        IF pages <= coalesce(array_length(hooks, 1), 0) AND hooks[pages] IS NOT NULL THEN
            DELETE FROM pg_temp.walk_last;
            INSERT INTO pg_temp.walk_last VALUES (last);
            EXECUTE hooks[pages];
        END IF;
    END LOOP;
END
$f$;

CREATE TEMP TABLE walks (what text, ord bigint, item jsonb) ON COMMIT DROP;

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

-- Published posts, live and archived, newest first: (ord, title).
CREATE FUNCTION pg_temp.posts_in_order(filter text) RETURNS text LANGUAGE sql AS $f$
    SELECT format($q$SELECT row_number() OVER (ORDER BY p.published_at DESC, p.id DESC), p.title
                       FROM (SELECT id, creator_id, title, published_at FROM creator_platform.posts WHERE status = 'published'
                             UNION ALL
                             SELECT id, creator_id, title, published_at FROM creator_platform.posts_archive) p
                      WHERE %s ORDER BY 1$q$, filter)
$f$;

--------------------------------------------------------------------------------
-- users
--------------------------------------------------------------------------------
INSERT INTO users (id, email, username, role)
SELECT format('00000000-0000-7000-8000-0000000000c%s', k)::uuid, format('c%s@stable.test', k), format('creator_%s', k),
       'creator'::user_role
  FROM generate_series(1, 9) k
UNION ALL
SELECT format('00000000-0000-7000-8000-0000000000e%s', k)::uuid, format('e%s@stable.test', k), format('reader_%s', k), 'reader'
  FROM generate_series(1, 9) k;

--------------------------------------------------------------------------------
-- recent_posts, page size 3: t01 ... t30 a minute apart (t11 at t10's time,
-- after it), by c1-c3; the expected walk is spelled out
--------------------------------------------------------------------------------
INSERT INTO posts (id, creator_id, title, status, published_at)
SELECT format('00000000-0000-7000-8000-%s', lpad(to_hex(1000 - n), 12, '0'))::uuid,
       format('00000000-0000-7000-8000-0000000000c%s', n % 3 + 1)::uuid, format('t%s', lpad(n::text, 2, '0')), 'published',
       date_trunc('minute', now()) - interval '1 hour' - CASE WHEN n = 11 THEN 10 ELSE n END * interval '1 minute'
  FROM generate_series(1, 30) n;
INSERT INTO walks
SELECT 'recent_posts', ord, item FROM pg_temp.walk_with('SELECT * FROM creator_platform.recent_posts(NULL, $1, $2)', 3, ARRAY[
    -- after t01-t03: a post newer than everything
    $$INSERT INTO creator_platform.posts (creator_id, title, status, published_at)
      VALUES ('00000000-0000-7000-8000-0000000000c1', 'newest', 'published', now())$$,
    -- after t04-t06: a backdated post between t25 and t26
    $$INSERT INTO creator_platform.posts (creator_id, title, status, published_at)
      SELECT '00000000-0000-7000-8000-0000000000c2', 'backdated', 'published', published_at - interval '30 seconds'
        FROM creator_platform.posts WHERE title = 't25'$$,
    -- after t07-t09: two posts at t09's very time, one with a greater id (before t09), one with a smaller (after)
    $$INSERT INTO creator_platform.posts (id, creator_id, title, status, published_at)
      SELECT v.id, '00000000-0000-7000-8000-0000000000c3', v.title, 'published', (w.item->>'published_at')::timestamptz
        FROM pg_temp.walk_last w,
             (VALUES ('00000000-0000-7000-8001-000000000000'::uuid, 'tie behind'),
                     ('00000000-0000-7000-7fff-000000000000'::uuid, 'tie ahead')) v(id, title)$$,
    -- after 'tie ahead', t10, t11: the cursor's own row t11 is deleted, and t20 ahead
    $$DELETE FROM creator_platform.posts
       WHERE id = (SELECT (item->>'post_id')::uuid FROM pg_temp.walk_last) OR title = 't20'$$,
    -- after t12-t14: t22 (ahead) and t02 (behind) go back to draft
    $$UPDATE creator_platform.posts SET status = 'draft' WHERE title IN ('t22', 't02')$$,
    -- after t15-t17: the cursor's row t17 and t24 (ahead) are archived
    $$SELECT pg_temp.archive(ARRAY[(SELECT (item->>'post_id')::uuid FROM pg_temp.walk_last),
                                   (SELECT id FROM creator_platform.posts WHERE title = 't24')])$$]);
SELECT is((SELECT array_agg(item->>'title' ORDER BY ord) FROM walks WHERE what = 'recent_posts'),
          ARRAY['t01', 't02', 't03', 't04', 't05', 't06', 't07', 't08', 't09', 'tie ahead', 't10', 't11',
                't12', 't13', 't14', 't15', 't16', 't17', 't18', 't19', 't21', 't23', 't24', 't25',
                'backdated', 't26', 't27', 't28', 't29', 't30'],
          'recent_posts, page size 3, changes between pages: every row that stayed, once, in order; new rows ahead in their place');
SELECT is((SELECT count(*) FROM posts WHERE title IN ('newest', 'tie behind', 'tie ahead', 'backdated')), 4::bigint,
          'the rows inserted during the walk are there (newest and tie behind only sort before the cursor)');
SELECT is((SELECT count(*) FROM posts_archive WHERE title IN ('t17', 't24')), 2::bigint, 't17 and t24 were archived during the walk');

--------------------------------------------------------------------------------
-- creator_posts with a viewer, page size 4: the viewer subscribes mid-walk
--------------------------------------------------------------------------------
INSERT INTO posts (creator_id, title, content, visibility, status, published_at)
SELECT '00000000-0000-7000-8000-0000000000c9', format('m%s', lpad(n::text, 2, '0')), format('members %s', n), 'subscribers',
       'published', date_trunc('minute', now()) - interval '3 hours' - n * interval '1 minute'
  FROM generate_series(1, 10) n;
INSERT INTO walks
SELECT 'creator_posts', ord, item
  FROM pg_temp.walk_with($$SELECT * FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000000c9',
                                                                        '00000000-0000-7000-8000-0000000000e9', $1, $2)$$, 4, ARRAY[
    $$SELECT creator_platform.subscribe('00000000-0000-7000-8000-0000000000e9', '00000000-0000-7000-8000-0000000000c9')$$,
    $$INSERT INTO creator_platform.posts (creator_id, title, content, visibility, status, published_at)
      VALUES ('00000000-0000-7000-8000-0000000000c9', 'm00', 'new members post', 'subscribers', 'published', now())$$]);
SELECT results_eq(
    $$SELECT item->>'title', item->>'content', (item->>'locked')::boolean FROM walks WHERE what = 'creator_posts' ORDER BY ord$$,
    $$VALUES ('m01', NULL, true), ('m02', NULL, true), ('m03', NULL, true), ('m04', NULL, true),
             ('m05', 'members 5', false), ('m06', 'members 6', false), ('m07', 'members 7', false), ('m08', 'members 8', false),
             ('m09', 'members 9', false), ('m10', 'members 10', false)$$,
    'creator_posts: locked until the viewer subscribes, unlocked from the next page on, no row skipped or repeated');

--------------------------------------------------------------------------------
-- home_feed, page size 2: e1 follows c4 and c5 (u01 ... u20 alternately);
-- c6 (v1 ... v5, older than every u) is followed in the middle of the walk.
-- Expected: the final feed without the rows titled 'behind ...'.
--------------------------------------------------------------------------------
INSERT INTO posts (creator_id, title, status, published_at)
SELECT format('00000000-0000-7000-8000-0000000000c%s', 4 + n % 2)::uuid, format('u%s', lpad(n::text, 2, '0')), 'published'::post_status,
       date_trunc('minute', now()) - interval '1 day' - n * interval '1 minute'
  FROM generate_series(1, 20) n
UNION ALL
SELECT '00000000-0000-7000-8000-0000000000c6', format('v%s', n), 'published',
       date_trunc('minute', now()) - interval '1 day' - (100 + n) * interval '1 minute'
  FROM generate_series(1, 5) n;
INSERT INTO subscriptions (subscriber_id, creator_id) VALUES
    ('00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000c4'),
    ('00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000c5');
INSERT INTO walks
SELECT 'home_feed', ord, item FROM pg_temp.walk_with($$SELECT * FROM creator_platform.home_feed('00000000-0000-7000-8000-0000000000e1', $1, $2)$$, 2, ARRAY[
    -- after u01 u02: new posts newer than everything, of c4 and of c6 (not followed yet)
    $$INSERT INTO creator_platform.posts (creator_id, title, status, published_at) VALUES
        ('00000000-0000-7000-8000-0000000000c4', 'behind newest', 'published', now()),
        ('00000000-0000-7000-8000-0000000000c6', 'behind c6 newest', 'published', now())$$,
    -- after u03 u04: e1 follows c6: its old posts are ahead
    $$SELECT creator_platform.subscribe('00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000c6')$$,
    -- after u05 u06: a backdated post of c5 ahead (c5's newest post is newer)
    $$INSERT INTO creator_platform.posts (creator_id, title, status, published_at)
      SELECT '00000000-0000-7000-8000-0000000000c5', 'ahead backdated', 'published', published_at - interval '30 seconds'
        FROM creator_platform.posts WHERE title = 'u15'$$,
    -- after u07 u08: at the cursor's time, on both sides of its id
    $$INSERT INTO creator_platform.posts (id, creator_id, title, status, published_at)
      SELECT v.id, '00000000-0000-7000-8000-0000000000c4', v.title, 'published', (w.item->>'published_at')::timestamptz
        FROM pg_temp.walk_last w,
             (VALUES ('ffffffff-ffff-7fff-bfff-ffffffffffff'::uuid, 'behind tie'),
                     ('00000000-0000-7000-8000-000000000000'::uuid, 'ahead tie')) v(id, title)$$,
    -- after 'ahead tie', u09: u13 deleted, u16 archived, u18 unpublished (all ahead); the cursor's row archived
    $$DELETE FROM creator_platform.posts WHERE title = 'u13';
      SELECT pg_temp.archive(ARRAY(SELECT id FROM creator_platform.posts
                                    WHERE title = 'u16' OR id = (SELECT (item->>'post_id')::uuid FROM pg_temp.walk_last)));
      UPDATE creator_platform.posts SET status = 'draft' WHERE title = 'u18'$$]);
SELECT results_eq(
    $$SELECT ord, item->>'title' FROM walks WHERE what = 'home_feed' ORDER BY ord$$,
    pg_temp.posts_in_order($$p.creator_id IN (SELECT creator_id FROM creator_platform.subscriptions
                                                WHERE subscriber_id = '00000000-0000-7000-8000-0000000000e1' AND status = 'active')
                              AND p.title NOT LIKE 'behind%'$$),
    'home_feed, page size 2, changes between pages: the final feed without the rows that sort before the cursor');
SELECT is((SELECT array_agg(item->>'title' ORDER BY ord) FROM walks WHERE what = 'home_feed' AND item->>'title' !~ '^u'),
          ARRAY['ahead tie', 'ahead backdated', 'v1', 'v2', 'v3', 'v4', 'v5'],
          'home_feed: the rows that came ahead of the cursor are in the walk');
SELECT is((SELECT count(*) FROM walks WHERE what = 'home_feed' AND item->>'title' IN ('u13', 'u18')), 0::bigint,
          'home_feed: rows deleted or unpublished ahead of the cursor are not');
SELECT is((SELECT count(*) FROM walks WHERE what = 'home_feed' AND item->>'title' = 'u16'), 1::bigint,
          'home_feed: a row archived ahead of the cursor is');

--------------------------------------------------------------------------------
-- comment_thread, page size 4: T1 ... T6 a minute apart, each with replies
-- Ri1, Ri2 (R11 with a reply RR11). Expected: the final thread without the
-- comments 'behind ...'.
--------------------------------------------------------------------------------
INSERT INTO posts (id, creator_id, title, status, published_at) VALUES
    ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000c7', 'the thread', 'published', now() - interval '1 day'),
    ('00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000c7', 'the small thread', 'published', now() - interval '1 day');
INSERT INTO comments (id, post_id, user_id, content, created_at)
SELECT format('00000000-0000-7000-8000-00000000c%s00', i)::uuid, '00000000-0000-7000-8000-000000000b01',
       '00000000-0000-7000-8000-0000000000e2', format('T%s', i), date_trunc('minute', now()) - interval '5 hours' + i * interval '1 minute'
  FROM generate_series(1, 6) i;
INSERT INTO comments (id, post_id, user_id, parent_comment_id, content, created_at)
SELECT format('00000000-0000-7000-8000-00000000c%s%s0', i, j)::uuid, '00000000-0000-7000-8000-000000000b01',
       '00000000-0000-7000-8000-0000000000e3', format('00000000-0000-7000-8000-00000000c%s00', i)::uuid, format('R%s%s', i, j),
       date_trunc('minute', now()) - interval '5 hours' + i * interval '1 minute' + j * interval '10 seconds'
  FROM generate_series(1, 6) i CROSS JOIN generate_series(1, 2) j;
INSERT INTO comments (id, post_id, user_id, parent_comment_id, content, created_at) VALUES
    ('00000000-0000-7000-8000-00000000c111', '00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e4',
     '00000000-0000-7000-8000-00000000c110', 'RR11', date_trunc('minute', now()) - interval '4 hours');

-- reply (content, parent's content): now() is later than every comment
CREATE FUNCTION pg_temp.reply(content text, parent text) RETURNS void LANGUAGE sql AS $f$
    SELECT NULL FROM creator_platform.add_comment('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e5',
        content, (SELECT id FROM creator_platform.comments WHERE post_id = '00000000-0000-7000-8000-000000000b01'
                                                             AND comments.content = parent))
$f$;
INSERT INTO walks
SELECT 'comment_thread', ord, item
  FROM pg_temp.walk_with($$SELECT * FROM creator_platform.comment_thread('00000000-0000-7000-8000-000000000b01', $1, $2)$$, 4, ARRAY[
    -- after T1 R11 RR11 R12: a reply to R11 (walked) sorts before R12; one to T1 after R12
    $$SELECT pg_temp.reply('behind reply to R11', 'R11'), pg_temp.reply('ahead reply to T1', 'T1')$$,
    -- after 'ahead reply to T1' T2 R21 R22: replies to the cursor's comment R22 and to T2 are ahead;
    -- to R21 and T1 behind
    $$SELECT pg_temp.reply('ahead reply to R22', 'R22'), pg_temp.reply('ahead reply to T2', 'T2'),
             pg_temp.reply('behind reply to R21', 'R21'), pg_temp.reply('behind second reply to T1', 'T1')$$,
    -- after 'ahead reply to R22' 'ahead reply to T2' T3 R31: a new top-level comment (last), a
    -- backdated reply to T5 (before R51), T4 becomes a placeholder, the cursor's R31 is removed
    $$SELECT creator_platform.add_comment('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e5',
                                          'ahead new top');
      INSERT INTO creator_platform.comments (post_id, user_id, parent_comment_id, content, created_at)
      SELECT post_id, '00000000-0000-7000-8000-0000000000e6', id, 'ahead backdated reply to T5', created_at + interval '1 second'
        FROM creator_platform.comments WHERE content = 'T5';
      SELECT creator_platform.delete_comment(id) FROM creator_platform.comments WHERE content IN ('T4', 'R31')$$]);
SELECT is((SELECT array_agg(coalesce(nullif(item->>'content', ''), '(deleted)') ORDER BY ord) FROM walks WHERE what = 'comment_thread'),
          ARRAY['T1', 'R11', 'RR11', 'R12', 'ahead reply to T1', 'T2', 'R21', 'R22', 'ahead reply to R22', 'ahead reply to T2',
                'T3', 'R31', 'R32', '(deleted)', 'R41', 'R42', 'T5', 'ahead backdated reply to T5', 'R51', 'R52',
                'T6', 'R61', 'R62', 'ahead new top'],
          'comment_thread, page size 4, replies between pages: new replies ahead of the cursor in their place, none behind, no comment skipped or repeated');
SELECT results_eq(
    $$SELECT item->>'content' FROM walks WHERE what = 'comment_thread' AND item->>'content' <> 'R31' ORDER BY ord$$,
    $$SELECT content FROM creator_platform.comments
       WHERE post_id = '00000000-0000-7000-8000-000000000b01' AND content NOT LIKE 'behind%' ORDER BY path$$,
    'comment_thread: the walk is the final thread without the replies behind the cursor (and the removed R31)');
SELECT is((SELECT count(*) FROM comments WHERE content LIKE 'behind%'), 3::bigint, 'the replies behind the cursor exist');

-- the small thread: A (with A1, A2), B, C; page size 1
INSERT INTO comments (id, post_id, user_id, content, created_at) VALUES
    ('00000000-0000-7000-8000-00000000d100', '00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000e2', 'A', now() - interval '3 hours'),
    ('00000000-0000-7000-8000-00000000d200', '00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000e2', 'B', now() - interval '2 hours'),
    ('00000000-0000-7000-8000-00000000d300', '00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000e2', 'C', now() - interval '1 hour');
INSERT INTO comments (id, post_id, user_id, parent_comment_id, content, created_at) VALUES
    ('00000000-0000-7000-8000-00000000d110', '00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000e3',
     '00000000-0000-7000-8000-00000000d100', 'A1', now() - interval '170 minutes'),
    ('00000000-0000-7000-8000-00000000d120', '00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000e3',
     '00000000-0000-7000-8000-00000000d100', 'A2', now() - interval '160 minutes');
INSERT INTO walks
SELECT 'small thread', ord, item
  FROM pg_temp.walk_with($$SELECT * FROM creator_platform.comment_thread('00000000-0000-7000-8000-000000000b02', $1, $2)$$, 1, ARRAY[
    -- after A: A becomes a placeholder (it has replies)
    $$SELECT creator_platform.delete_comment('00000000-0000-7000-8000-00000000d100')$$,
    -- after A1: the cursor's A1 is removed (no replies), A2 (ahead) too
    $$DELETE FROM creator_platform.comments WHERE id IN ('00000000-0000-7000-8000-00000000d110', '00000000-0000-7000-8000-00000000d120')$$,
    -- after B: the post goes back to draft, its thread with it
    $$UPDATE creator_platform.posts SET status = 'draft' WHERE id = '00000000-0000-7000-8000-000000000b02'$$]);
SELECT is((SELECT array_agg(item->>'content' ORDER BY ord) FROM walks WHERE what = 'small thread'),
          ARRAY['A', 'A1', 'B'],
          'comment_thread, page size 1: the cursor''s comment made a placeholder, then removed: the walk goes on; a post unpublished: it ends');

--------------------------------------------------------------------------------
-- subscriptions_of(e8), page size 2: creators k1 ... k8 subscribed an hour
-- apart; subscribers_of(c8, cancelled), page size 2
--------------------------------------------------------------------------------
INSERT INTO users (id, email, username, role)
SELECT format('00000000-0000-7000-8000-0000000f%s00', lpad(k::text, 2, '0'))::uuid, format('k%s@stable.test', k), name, 'creator'::user_role
  FROM unnest(ARRAY['kk1', 'kk2', 'kk3', 'kk4', 'kk5', 'kk6', 'kk7', 'kk8', 'behind_new', 'ahead_old']) WITH ORDINALITY AS v(name, k)
UNION ALL
SELECT format('00000000-0000-7000-8000-0000000f%s01', lpad(k::text, 2, '0'))::uuid, format('w%s@stable.test', k), name, 'reader'
  FROM unnest(ARRAY['ww1', 'behind_ww2', 'ww3', 'ww4', 'ww5', 'ahead_ww6', 'ww7', 'ww8']) WITH ORDINALITY AS v(name, k);
INSERT INTO subscriptions (subscriber_id, creator_id, subscribed_at)
SELECT '00000000-0000-7000-8000-0000000000e8', format('00000000-0000-7000-8000-0000000f%s00', lpad(k::text, 2, '0'))::uuid,
       date_trunc('minute', now()) - k * interval '1 hour'
  FROM generate_series(1, 8) k;
INSERT INTO walks
SELECT 'subscriptions_of', ord, item
  FROM pg_temp.walk_with($$SELECT * FROM creator_platform.subscriptions_of('00000000-0000-7000-8000-0000000000e8', 'active', $1, $2)$$, 2, ARRAY[
    $$SELECT creator_platform.subscribe('00000000-0000-7000-8000-0000000000e8', '00000000-0000-7000-8000-0000000f0900')$$,
    $$INSERT INTO creator_platform.subscriptions (subscriber_id, creator_id, subscribed_at)
      VALUES ('00000000-0000-7000-8000-0000000000e8', '00000000-0000-7000-8000-0000000f1000', now() - interval '330 minutes');
      SELECT creator_platform.cancel_subscription('00000000-0000-7000-8000-0000000000e8', '00000000-0000-7000-8000-0000000f0700')$$]);
SELECT is((SELECT array_agg(item->>'creator_username' ORDER BY ord) FROM walks WHERE what = 'subscriptions_of'),
          ARRAY['kk1', 'kk2', 'kk3', 'kk4', 'kk5', 'ahead_old', 'kk6', 'kk8'],
          'subscriptions_of, page size 2: a new subscription (newest) not, an older one ahead in its place, one cancelled ahead gone');
SELECT results_eq(
    $$SELECT item->>'creator_username' FROM walks WHERE what = 'subscriptions_of' ORDER BY ord$$,
    $$SELECT u.username FROM creator_platform.subscriptions s JOIN creator_platform.users u ON u.id = s.creator_id
       WHERE s.subscriber_id = '00000000-0000-7000-8000-0000000000e8' AND s.status = 'active' AND u.username NOT LIKE 'behind%'
       ORDER BY s.subscribed_at DESC, s.id DESC$$,
    'subscriptions_of: the walk is the final list without the subscription behind the cursor');

INSERT INTO subscriptions (subscriber_id, creator_id, status, subscribed_at, cancelled_at)
SELECT format('00000000-0000-7000-8000-0000000f%s01', lpad(k::text, 2, '0'))::uuid, '00000000-0000-7000-8000-0000000000c8',
       CASE WHEN k % 2 = 1 THEN 'cancelled' ELSE 'active' END::subscription_status,
       date_trunc('minute', now()) - k * interval '1 hour',
       CASE WHEN k % 2 = 1 THEN date_trunc('minute', now()) - k * interval '1 hour' + interval '1 minute' END
  FROM generate_series(1, 8) k;
INSERT INTO walks
SELECT 'subscribers_of', ord, item
  FROM pg_temp.walk_with($$SELECT * FROM creator_platform.subscribers_of('00000000-0000-7000-8000-0000000000c8', 'cancelled', $1, $2)$$, 2, ARRAY[
    -- after w1 w3: behind_w2 (newer than w3) and ahead_w6 cancel
    $$SELECT creator_platform.cancel_subscription(s, '00000000-0000-7000-8000-0000000000c8')
        FROM unnest(ARRAY['00000000-0000-7000-8000-0000000f0201', '00000000-0000-7000-8000-0000000f0601']::uuid[]) s$$]);
SELECT is((SELECT array_agg(item->>'subscriber_username' ORDER BY ord) FROM walks WHERE what = 'subscribers_of'),
          ARRAY['ww1', 'ww3', 'ww5', 'ahead_ww6', 'ww7'],
          'subscribers_of(cancelled), page size 2: a cancel ahead of the cursor appears in its place, one behind does not');
SELECT results_eq(
    $$SELECT item->>'subscriber_username' FROM walks WHERE what = 'subscribers_of' ORDER BY ord$$,
    $$SELECT u.username FROM creator_platform.subscriptions s JOIN creator_platform.users u ON u.id = s.subscriber_id
       WHERE s.creator_id = '00000000-0000-7000-8000-0000000000c8' AND s.status = 'cancelled' AND u.username NOT LIKE 'behind%'
       ORDER BY s.subscribed_at DESC, s.id DESC$$,
    'subscribers_of: the walk is the final list without the cancel behind the cursor');

--------------------------------------------------------------------------------
-- the walks never repeat a row and run strictly in order
--------------------------------------------------------------------------------
SELECT is_empty($$SELECT what, coalesce(item->>'post_id', item->>'comment_id', item->>'subscription_id') FROM walks
                   GROUP BY 1, 2 HAVING count(*) > 1$$, 'no walk above returned a row twice');
SELECT is_empty($$SELECT w.what, w.ord FROM walks w JOIN walks n ON n.what = w.what AND n.ord = w.ord + 1
                   WHERE w.what IN ('recent_posts', 'home_feed', 'creator_posts')
                     AND ((n.item->>'published_at')::timestamptz, (n.item->>'post_id')::uuid)
                         >= ((w.item->>'published_at')::timestamptz, (w.item->>'post_id')::uuid)$$,
                'the post walks run strictly by (published_at, post_id) descending');
SELECT is_empty($$SELECT w.what, w.ord FROM walks w JOIN walks n ON n.what = w.what AND n.ord = w.ord + 1
                   WHERE w.what IN ('subscriptions_of', 'subscribers_of')
                     AND ((n.item->>'subscribed_at')::timestamptz, (n.item->>'subscription_id')::uuid)
                         >= ((w.item->>'subscribed_at')::timestamptz, (w.item->>'subscription_id')::uuid)$$,
                'the subscription walks run strictly by (subscribed_at, subscription_id) descending');
SELECT is((SELECT count(*) FROM walks WHERE item ? 'error'), 0::bigint, 'no page was longer than page_size');

--------------------------------------------------------------------------------
-- creator_activity: an upper bound of each creator's newest published_at
--------------------------------------------------------------------------------
CREATE FUNCTION pg_temp.activity(creator text) RETURNS timestamptz LANGUAGE sql AS $f$
    SELECT a.last_published_at FROM creator_platform.creator_activity a JOIN creator_platform.users u ON u.id = a.creator_id
     WHERE u.username = creator
$f$;
INSERT INTO users (id, email, username, role)
SELECT format('00000000-0000-7000-8000-00000000ab0%s', k)::uuid, format('x%s@stable.test', k), format('xx%s', k), 'creator'::user_role
  FROM generate_series(1, 5) k;
INSERT INTO posts (creator_id, title, status, published_at) VALUES
    ('00000000-0000-7000-8000-00000000ab01', 'draft', 'draft', NULL),
    ('00000000-0000-7000-8000-00000000ab01', 'scheduled', 'scheduled', now() + interval '1 hour');
SELECT is(pg_temp.activity('xx1'), NULL, 'a creator with a draft and a scheduled post only has no activity row');
INSERT INTO posts (creator_id, title, status, published_at)
SELECT u.id, format('x%s', n), 'published', now() - n * interval '1 day'
  FROM users u CROSS JOIN generate_series(1, 3) n WHERE u.username IN ('xx2', 'xx3');
SELECT results_eq($$SELECT pg_temp.activity('xx2'), pg_temp.activity('xx3')$$,
                  $$SELECT now() - interval '1 day', now() - interval '1 day'$$,
                  'a multi-row INSERT of published posts: the newest published_at of each creator');
UPDATE posts SET status = 'published' WHERE creator_id = '00000000-0000-7000-8000-00000000ab01' AND title = 'draft';
SELECT is(pg_temp.activity('xx1'), now(), 'publishing a draft: now()');
UPDATE posts SET published_at = now() - interval '1 hour'
 WHERE creator_id = '00000000-0000-7000-8000-00000000ab02' AND title = 'x3';
SELECT is(pg_temp.activity('xx2'), now() - interval '1 hour', 'a published_at edited to a later time raises it');
UPDATE posts SET published_at = now() - interval '10 days'
 WHERE creator_id = '00000000-0000-7000-8000-00000000ab02' AND title = 'x3';
SELECT is(pg_temp.activity('xx2'), now() - interval '1 hour', 'edited back to an earlier time: it stays (an upper bound)');
UPDATE posts SET status = 'draft' WHERE creator_id = '00000000-0000-7000-8000-00000000ab01';
DELETE FROM posts WHERE creator_id = '00000000-0000-7000-8000-00000000ab01';
SELECT is(pg_temp.activity('xx1'), now(), 'unpublishing and deleting posts leave it');
UPDATE posts SET creator_id = '00000000-0000-7000-8000-00000000ab04'
 WHERE creator_id = '00000000-0000-7000-8000-00000000ab02' AND title = 'x3';
SELECT is(pg_temp.activity('xx4'), now() - interval '10 days', 'a published post given to another creator sets the other''s');
COPY posts (creator_id, title, status, published_at) FROM STDIN;
00000000-0000-7000-8000-00000000ab05	copied one	published	2020-01-01 00:00:00+00
00000000-0000-7000-8000-00000000ab05	copied two	published	2020-01-02 00:00:00+00
00000000-0000-7000-8000-00000000ab05	copied three	draft	\N
\.
SELECT is(pg_temp.activity('xx5'), '2020-01-02 00:00:00+00'::timestamptz, 'COPY of published posts: the newest of them');
DELETE FROM users WHERE username = 'xx3';
SELECT is((SELECT count(*) FROM creator_activity WHERE creator_id = '00000000-0000-7000-8000-00000000ab03'), 0::bigint,
          'a deleted creator''s row goes with them');
SELECT is_empty($$
    SELECT p.creator_id FROM (SELECT creator_id, published_at FROM creator_platform.posts WHERE status = 'published'
                              UNION ALL SELECT creator_id, published_at FROM creator_platform.posts_archive) p
      LEFT JOIN creator_platform.creator_activity a ON a.creator_id = p.creator_id
     GROUP BY p.creator_id, a.last_published_at
    HAVING a.last_published_at IS NULL OR a.last_published_at < max(p.published_at)$$,
    'after everything in this file: every creator with a published post has a bound at or after their newest one');


-- Known gap (TODO until fixed, reported): creator_activity is kept by triggers
-- only, and home_feed skips a followed creator without a row. Posts written
-- while triggers do not fire (a data-only pg_restore --disable-triggers, the
-- apply worker of a logical replica, a bulk load under
-- session_replication_role = replica) are missing from home_feed, though
-- creator_posts and recent_posts list them.
INSERT INTO users (id, email, username, role) VALUES
    ('00000000-0000-7000-8000-00000000ab06', 'x6@stable.test', 'xx6', 'creator');
INSERT INTO subscriptions (subscriber_id, creator_id) VALUES
    ('00000000-0000-7000-8000-0000000000e7', '00000000-0000-7000-8000-00000000ab06');
SET LOCAL session_replication_role = replica;
INSERT INTO posts (creator_id, title, status, published_at) VALUES
    ('00000000-0000-7000-8000-00000000ab06', 'loaded without triggers', 'published', now() - interval '1 day');
SET LOCAL session_replication_role = origin;
SELECT results_eq(
    $$SELECT title FROM creator_platform.home_feed('00000000-0000-7000-8000-0000000000e7')$$,
    $$SELECT title FROM creator_platform.creator_posts('00000000-0000-7000-8000-00000000ab06')$$,
    'home_feed lists a followed creator''s post that was loaded with triggers off, as creator_posts does');

SELECT * FROM finish();
ROLLBACK;
