-- 200_feed_args: the arguments and cursors of the feeds (0.3.0, API.md
-- "Pagination", "Rules": 22023 for a function argument out of range).
--   * page_size 1-1000 for every list function: NULL, 0, -1, 1001,
--     2147483647, -2147483648 are 22023, 1 and 1000 are accepted; the defaults
--     are 20 (50 for comment_thread);
--   * a required id (creator, reader, post, subscriber) NULL, a status NULL,
--     max_depth negative, a root_comment_id that is not a comment of the
--     post: 22023; unknown ids give no row, not an error;
--   * `after` NULL is the first page; each row carries a cursor; the cursor
--     of a row gives the rows after it, whatever the page size; fewer rows
--     than page_size means the end;
--   * a cursor that is empty, malformed, truncated (every proper prefix),
--     extended, tampered with (every character changed into every other
--     character of the alphabet), random garbage, made by another function
--     (every pair, including pairs whose arguments encode alike) or for other
--     arguments (other creator, viewer, reader, post, max_depth, root, status)
--     is 22023, and the backend survives all of them;
--   * post_view: no row for an absent, draft or scheduled post; its cursor is NULL;
--   * no feed writes anything.
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(193);

--------------------------------------------------------------------------------
-- data
--------------------------------------------------------------------------------
-- c1, c2 creators, a1 admin, e1 e2 readers; 25 creators ...2xx and 25
-- readers ...1xx to fill default pages. c1 has 25 published posts (b01 ...),
-- a draft and a scheduled post; c2 two posts. Post b01 has 60 comments (c01
-- ... with replies), b02 one. e1 follows c1 and the 25 extra creators, and
-- followed c2 (cancelled); c1 follows c2; the 25 extra readers and e2 follow c1.
INSERT INTO users (id, email, username, role) VALUES
    ('00000000-0000-7000-8000-0000000000c1', 'c1@feeds.test', 'creator_one', 'creator'),
    ('00000000-0000-7000-8000-0000000000c2', 'c2@feeds.test', 'creator_two', 'creator'),
    ('00000000-0000-7000-8000-0000000000a1', 'a1@feeds.test', 'the_admin', 'admin'),
    ('00000000-0000-7000-8000-0000000000e1', 'e1@feeds.test', 'reader_one', 'reader'),
    ('00000000-0000-7000-8000-0000000000e2', 'e2@feeds.test', 'reader_two', 'reader');
INSERT INTO users (id, email, username, role)
SELECT format('00000000-0000-7000-8000-000000000%s', 100 + n)::uuid, format('r%s@feeds.test', n), format('extra_reader_%s', n), 'reader'::user_role
  FROM generate_series(1, 25) n
UNION ALL
SELECT format('00000000-0000-7000-8000-000000000%s', 200 + n)::uuid, format('k%s@feeds.test', n), format('extra_creator_%s', n), 'creator'
  FROM generate_series(1, 25) n;
INSERT INTO posts (id, creator_id, title, content, status, visibility, published_at)
SELECT format('00000000-0000-7000-8000-000000000b%s', lpad(n::text, 2, '0'))::uuid, '00000000-0000-7000-8000-0000000000c1',
       format('post %s', n), format('content %s', n), 'published',
       CASE WHEN n % 2 = 0 THEN 'subscribers' ELSE 'public' END::post_visibility,
       now() - n * interval '1 hour'
  FROM generate_series(1, 25) n;
INSERT INTO posts (id, creator_id, title, status, published_at) VALUES
    ('00000000-0000-7000-8000-000000000d01', '00000000-0000-7000-8000-0000000000c1', 'a draft', 'draft', NULL),
    ('00000000-0000-7000-8000-000000000d02', '00000000-0000-7000-8000-0000000000c1', 'scheduled', 'scheduled', now() + interval '1 day'),
    ('00000000-0000-7000-8000-000000000f01', '00000000-0000-7000-8000-0000000000c2', 'two one', 'published', now() - interval '30 minutes'),
    ('00000000-0000-7000-8000-000000000f02', '00000000-0000-7000-8000-0000000000c2', 'two two', 'published', now() - interval '90 minutes');
INSERT INTO comments (id, post_id, user_id, content, created_at)
SELECT format('00000000-0000-7000-8000-0000000c%s', lpad(n::text, 4, '0'))::uuid, '00000000-0000-7000-8000-000000000b01',
       '00000000-0000-7000-8000-0000000000e1', format('comment %s', n), now() - interval '1 hour' + n * interval '1 second'
  FROM generate_series(1, 50) n;
INSERT INTO comments (id, post_id, user_id, parent_comment_id, content)
SELECT format('00000000-0000-7000-8000-0000000c%s', lpad((100 + n)::text, 4, '0'))::uuid, '00000000-0000-7000-8000-000000000b01',
       '00000000-0000-7000-8000-0000000000e2', '00000000-0000-7000-8000-0000000c0001', format('reply %s', n)
  FROM generate_series(1, 10) n;
INSERT INTO comments (id, post_id, user_id, content) VALUES
    ('00000000-0000-7000-8000-0000000d0001', '00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000e1', 'on b02');
INSERT INTO subscriptions (subscriber_id, creator_id, status, subscribed_at, cancelled_at) VALUES
    ('00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000c1', 'active', now() - interval '1 day', NULL),
    ('00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000c2', 'cancelled', now() - interval '2 days', now() - interval '1 day'),
    ('00000000-0000-7000-8000-0000000000e2', '00000000-0000-7000-8000-0000000000c1', 'active', now() - interval '3 days', NULL),
    ('00000000-0000-7000-8000-0000000000c1', '00000000-0000-7000-8000-0000000000c2', 'active', now() - interval '3 days', NULL);
INSERT INTO subscriptions (subscriber_id, creator_id, subscribed_at)
SELECT format('00000000-0000-7000-8000-000000000%s', 100 + n)::uuid, '00000000-0000-7000-8000-0000000000c1', now() - n * interval '1 minute'
  FROM generate_series(1, 25) n
UNION ALL
SELECT '00000000-0000-7000-8000-0000000000e1', format('00000000-0000-7000-8000-000000000%s', 200 + n)::uuid, now() - n * interval '1 minute'
  FROM generate_series(1, 25) n;

--------------------------------------------------------------------------------
-- helpers
--------------------------------------------------------------------------------
-- The SQLSTATE of running `call` ($1 = after), or 'ok'.
CREATE FUNCTION pg_temp.outcome(call text, after text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
    n bigint;
BEGIN
    EXECUTE format('SELECT count(*) FROM (%s) q', call) INTO n USING after;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END
$f$;
-- How the afters fared: 'SQLSTATE xN' per outcome, e.g. '22023 x47'.
CREATE FUNCTION pg_temp.outcomes(call text, afters text[]) RETURNS text LANGUAGE sql AS $f$
    SELECT string_agg(o || ' x' || n, ', ' ORDER BY o)
      FROM (SELECT pg_temp.outcome(call, a) AS o, count(*) AS n FROM unnest(afters) a GROUP BY 1) t
$f$;
-- Every proper prefix of a cursor, the empty one included.
CREATE FUNCTION pg_temp.prefixes(c text) RETURNS text[] LANGUAGE sql AS $f$
    SELECT array_agg(left(c, n)) FROM generate_series(0, length(c) - 1) n
$f$;
-- Every cursor that differs from c in one character of the base64url alphabet.
CREATE FUNCTION pg_temp.one_char_off(c text) RETURNS text[] LANGUAGE sql AS $f$
    SELECT array_agg(overlay(c PLACING a FROM i FOR 1))
      FROM generate_series(1, length(c)) i
     CROSS JOIN regexp_split_to_table('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', '') a
     WHERE a <> substr(c, i, 1)
$f$;

-- One valid cursor of each function: the first row's, for these arguments.
CREATE TEMP TABLE cur (fn text PRIMARY KEY, call text NOT NULL, cursor text) ON COMMIT DROP;
INSERT INTO cur (fn, call) VALUES
    ('creator_posts',    $$SELECT * FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000000c1', NULL, 5, $1)$$),
    ('home_feed',        $$SELECT * FROM creator_platform.home_feed('00000000-0000-7000-8000-0000000000e1', 5, $1)$$),
    ('recent_posts',     $$SELECT * FROM creator_platform.recent_posts('00000000-0000-7000-8000-0000000000e1', 5, $1)$$),
    ('comment_thread',   $$SELECT * FROM creator_platform.comment_thread('00000000-0000-7000-8000-000000000b01', 5, $1)$$),
    ('subscriptions_of', $$SELECT * FROM creator_platform.subscriptions_of('00000000-0000-7000-8000-0000000000c1', 'active', 5, $1)$$),
    ('subscribers_of',   $$SELECT * FROM creator_platform.subscribers_of('00000000-0000-7000-8000-0000000000c1', 'active', 5, $1)$$);
DO $$
DECLARE
    f record;
    c text;
BEGIN
    FOR f IN SELECT fn, call FROM cur LOOP
        EXECUTE format('SELECT q.cursor FROM (%s) q LIMIT 1', f.call) INTO c USING NULL::text;
        UPDATE cur SET cursor = c WHERE fn = f.fn;
    END LOOP;
    -- a reply's cursor for comment_thread: a longer position (two path keys)
    SELECT q.cursor INTO c FROM creator_platform.comment_thread('00000000-0000-7000-8000-000000000b01', 1000) q
     WHERE q.depth = 1 LIMIT 1;
    INSERT INTO cur VALUES ('comment_thread reply',
        $q$SELECT * FROM creator_platform.comment_thread('00000000-0000-7000-8000-000000000b01', 5, $1)$q$, c);
END
$$;
SELECT is((SELECT count(*) FROM cur WHERE cursor IS NOT NULL), 7::bigint, 'a first-page cursor of every function');

CREATE TEMP TABLE state_before ON COMMIT DROP AS SELECT cp_test.db_state() AS s;

--------------------------------------------------------------------------------
-- page_size
--------------------------------------------------------------------------------
CREATE TEMP TABLE lists (fn text, call text) ON COMMIT DROP;  -- %s is the page size
INSERT INTO lists VALUES
    ('creator_posts',    $$SELECT * FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000000c1', NULL, %s)$$),
    ('home_feed',        $$SELECT * FROM creator_platform.home_feed('00000000-0000-7000-8000-0000000000e1', %s)$$),
    ('recent_posts',     $$SELECT * FROM creator_platform.recent_posts(NULL, %s)$$),
    ('comment_thread',   $$SELECT * FROM creator_platform.comment_thread('00000000-0000-7000-8000-000000000b01', %s)$$),
    ('subscriptions_of', $$SELECT * FROM creator_platform.subscriptions_of('00000000-0000-7000-8000-0000000000e1', 'active', %s)$$),
    ('subscribers_of',   $$SELECT * FROM creator_platform.subscribers_of('00000000-0000-7000-8000-0000000000c1', 'active', %s)$$);

SELECT throws_ok(format(l.call, ps), '22023', NULL, format('%s: page_size %s is 22023', l.fn, ps))
  FROM lists l CROSS JOIN unnest(ARRAY['NULL', '0', '-1', '1001', '2147483647', '-2147483648']) ps;
SELECT lives_ok(format(l.call, ps), format('%s: page_size %s is accepted', l.fn, ps))
  FROM lists l CROSS JOIN unnest(ARRAY['1', '1000']) ps;
SELECT throws_ok($$SELECT * FROM creator_platform.recent_posts(NULL, 0)$$, '22023',
                 'page_size must be between 1 and 1000', 'the message says what is wrong');
SELECT is((SELECT count(*) FROM creator_posts('00000000-0000-7000-8000-0000000000c1')), 20::bigint,
          'creator_posts: page_size defaults to 20');
SELECT is((SELECT count(*) FROM home_feed('00000000-0000-7000-8000-0000000000e1')), 20::bigint,
          'home_feed: page_size defaults to 20');
SELECT is((SELECT count(*) FROM recent_posts()), 20::bigint, 'recent_posts: page_size defaults to 20');
SELECT is((SELECT count(*) FROM comment_thread('00000000-0000-7000-8000-000000000b01')), 50::bigint,
          'comment_thread: page_size defaults to 50');
SELECT is((SELECT count(*) FROM subscriptions_of('00000000-0000-7000-8000-0000000000e1')), 20::bigint,
          'subscriptions_of: page_size defaults to 20, status to active');
SELECT is((SELECT count(*) FROM subscribers_of('00000000-0000-7000-8000-0000000000c1')), 20::bigint,
          'subscribers_of: page_size defaults to 20, status to active');

--------------------------------------------------------------------------------
-- required arguments, max_depth, root_comment_id
--------------------------------------------------------------------------------
SELECT throws_ok(stmt, '22023', NULL, what)
  FROM (VALUES
    ($$SELECT * FROM creator_platform.creator_posts(NULL)$$, 'creator_posts: creator_id NULL'),
    ($$SELECT * FROM creator_platform.creator_posts(NULL, '00000000-0000-7000-8000-0000000000e1')$$, 'creator_posts: creator_id NULL with a viewer'),
    ($$SELECT * FROM creator_platform.home_feed(NULL)$$, 'home_feed: reader_id NULL'),
    ($$SELECT * FROM creator_platform.comment_thread(NULL)$$, 'comment_thread: post_id NULL'),
    ($$SELECT * FROM creator_platform.post_view(NULL)$$, 'post_view: post_id NULL'),
    ($$SELECT * FROM creator_platform.post_view(NULL, '00000000-0000-7000-8000-0000000000e1')$$, 'post_view: post_id NULL with a viewer'),
    ($$SELECT * FROM creator_platform.subscriptions_of(NULL)$$, 'subscriptions_of: subscriber_id NULL'),
    ($$SELECT * FROM creator_platform.subscribers_of(NULL)$$, 'subscribers_of: creator_id NULL'),
    ($$SELECT * FROM creator_platform.subscriptions_of('00000000-0000-7000-8000-0000000000e1', NULL)$$, 'subscriptions_of: status NULL'),
    ($$SELECT * FROM creator_platform.subscribers_of('00000000-0000-7000-8000-0000000000c1', NULL)$$, 'subscribers_of: status NULL'),
    ($$SELECT * FROM creator_platform.comment_thread('00000000-0000-7000-8000-000000000b01', 50, NULL, -1)$$, 'comment_thread: max_depth -1'),
    ($$SELECT * FROM creator_platform.comment_thread('00000000-0000-7000-8000-000000000b01', 50, NULL, -2147483648)$$, 'comment_thread: max_depth -2147483648'),
    ($$SELECT * FROM creator_platform.comment_thread('00000000-0000-7000-8000-000000000b01', 50, NULL, NULL,
                                                     '00000000-0000-7000-8000-0000000d0001')$$, 'comment_thread: root_comment_id of another post'),
    ($$SELECT * FROM creator_platform.comment_thread('00000000-0000-7000-8000-000000000b01', 50, NULL, NULL,
                                                     '00000000-0000-7000-8000-00000000dead')$$, 'comment_thread: root_comment_id that is no comment'),
    ($$SELECT * FROM creator_platform.comment_thread('00000000-0000-7000-8000-000000000b01', 50, NULL, NULL,
                                                     '00000000-0000-7000-8000-000000000b01')$$, 'comment_thread: root_comment_id that is the post''s id')
  ) AS v(stmt, what);
SELECT throws_ok($$SELECT * FROM creator_platform.home_feed(NULL)$$, '22023', 'reader_id must not be NULL',
                 'the message names the argument');
SELECT is((SELECT array_agg(depth ORDER BY depth) FROM (SELECT DISTINCT depth FROM comment_thread('00000000-0000-7000-8000-000000000b01', 1000, NULL, 0)) d),
          ARRAY[0], 'comment_thread: max_depth 0 is accepted and gives the top level only');
SELECT is((SELECT count(*) FROM comment_thread('00000000-0000-7000-8000-000000000b01', 1000, NULL, 2147483647)), 60::bigint,
          'comment_thread: max_depth 2147483647 is accepted');

--------------------------------------------------------------------------------
-- unknown ids: no row, no error; post_view of what is not published
--------------------------------------------------------------------------------
SELECT is_empty(stmt, what)
  FROM (VALUES
    ($$SELECT * FROM creator_platform.creator_posts('00000000-0000-7000-8000-00000000dead')$$, 'creator_posts of an unknown creator'),
    ($$SELECT * FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000000e1')$$, 'creator_posts of a reader'),
    ($$SELECT * FROM creator_platform.creator_posts('00000000-0000-7000-8000-000000000201')$$, 'creator_posts of a creator without posts'),
    ($$SELECT * FROM creator_platform.home_feed('00000000-0000-7000-8000-00000000dead')$$, 'home_feed of an unknown reader'),
    ($$SELECT * FROM creator_platform.home_feed('00000000-0000-7000-8000-0000000000a1')$$, 'home_feed of a user who follows nobody'),
    ($$SELECT * FROM creator_platform.comment_thread('00000000-0000-7000-8000-00000000dead')$$, 'comment_thread of an unknown post'),
    ($$SELECT * FROM creator_platform.comment_thread('00000000-0000-7000-8000-000000000d01')$$, 'comment_thread of a draft'),
    ($$SELECT * FROM creator_platform.comment_thread('00000000-0000-7000-8000-000000000b03')$$, 'comment_thread of a post without comments'),
    ($$SELECT * FROM creator_platform.comment_thread('00000000-0000-7000-8000-00000000dead', 50, NULL, NULL,
                                                     '00000000-0000-7000-8000-0000000c0001')$$,
     'comment_thread of an unknown post with a root_comment_id: the post is looked at first'),
    ($$SELECT * FROM creator_platform.subscriptions_of('00000000-0000-7000-8000-00000000dead')$$, 'subscriptions_of an unknown user'),
    ($$SELECT * FROM creator_platform.subscribers_of('00000000-0000-7000-8000-00000000dead')$$, 'subscribers_of an unknown user'),
    ($$SELECT * FROM creator_platform.subscribers_of('00000000-0000-7000-8000-0000000000a1')$$, 'subscribers_of a user nobody follows'),
    ($$SELECT * FROM creator_platform.subscriptions_of('00000000-0000-7000-8000-0000000000e2', 'cancelled')$$,
     'subscriptions_of with no row of that status'),
    ($$SELECT * FROM creator_platform.post_view('00000000-0000-7000-8000-00000000dead')$$, 'post_view of an unknown post'),
    ($$SELECT * FROM creator_platform.post_view('00000000-0000-7000-8000-000000000d01')$$, 'post_view of a draft'),
    ($$SELECT * FROM creator_platform.post_view('00000000-0000-7000-8000-000000000d02', '00000000-0000-7000-8000-0000000000c1')$$,
     'post_view of a scheduled post, even for its creator'),
    ($$SELECT * FROM creator_platform.post_view('00000000-0000-7000-8000-000000000d01', '00000000-0000-7000-8000-0000000000a1')$$,
     'post_view of a draft, even for an admin')
  ) AS v(stmt, what);
SELECT results_eq(
    $$SELECT post_id, locked, content IS NULL, cursor IS NULL
        FROM creator_platform.post_view('00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-00000000dead')$$,
    $$VALUES ('00000000-0000-7000-8000-000000000b02'::uuid, true, true, true)$$,
    'post_view for an unknown viewer: the row, locked, cursor NULL');
SELECT is((SELECT count(*) FROM recent_posts('00000000-0000-7000-8000-00000000dead', 1000)), 27::bigint,
          'recent_posts for an unknown viewer: every published post');
SELECT is((SELECT count(*) FROM recent_posts('00000000-0000-7000-8000-00000000dead', 1000) WHERE locked), 12::bigint,
          'recent_posts for an unknown viewer: subscribers-only posts locked');

--------------------------------------------------------------------------------
-- pages: after NULL is the first page, cursors continue, a short page ends
--------------------------------------------------------------------------------
SELECT results_eq(
    $$SELECT title FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000000c1', NULL, 2, NULL)$$,
    $$VALUES ('post 1'), ('post 2')$$, 'creator_posts: after NULL is the first page');
SELECT is((SELECT count(*) FROM creator_posts('00000000-0000-7000-8000-0000000000c1', NULL, 1000) WHERE cursor IS NULL),
          0::bigint, 'creator_posts: every row has a cursor');
SELECT is((SELECT count(DISTINCT cursor) FROM creator_posts('00000000-0000-7000-8000-0000000000c1', NULL, 1000)),
          25::bigint, 'creator_posts: every row has its own cursor');
SELECT is(
    (SELECT count(*) FROM (SELECT cursor FROM home_feed('00000000-0000-7000-8000-0000000000e1', 1000) WHERE cursor IS NULL
                           UNION ALL SELECT cursor FROM recent_posts(NULL, 1000) WHERE cursor IS NULL
                           UNION ALL SELECT cursor FROM comment_thread('00000000-0000-7000-8000-000000000b01', 1000) WHERE cursor IS NULL
                           UNION ALL SELECT cursor FROM subscriptions_of('00000000-0000-7000-8000-0000000000e1', 'active', 1000) WHERE cursor IS NULL
                           UNION ALL SELECT cursor FROM subscribers_of('00000000-0000-7000-8000-0000000000c1', 'active', 1000) WHERE cursor IS NULL) t),
    0::bigint, 'home_feed, recent_posts, comment_thread, subscriptions_of, subscribers_of: every row has a cursor');
-- the 24 cursors of rows 1..24 of a page of 1000, each given back with page
-- size 1, give rows 2..25: a cursor does not depend on the page size
SELECT results_eq(
    $$SELECT (SELECT n.post_id FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000000c1', NULL, 1, p.cursor) n)
        FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000000c1', NULL, 1000) WITH ORDINALITY p
       WHERE p.ordinality < 25 ORDER BY p.ordinality$$,
    $$SELECT p.post_id FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000000c1', NULL, 1000) WITH ORDINALITY p
       WHERE p.ordinality > 1 ORDER BY p.ordinality$$,
    'creator_posts: the cursor of row n with page size 1 gives row n + 1');
SELECT results_eq(
    $$SELECT p.cursor FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000000c1', NULL, 7) p$$,
    $$SELECT p.cursor FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000000c1', NULL, 1000) p LIMIT 7$$,
    'a row''s cursor is the same whatever the page size');
SELECT is((SELECT count(*) FROM creator_posts('00000000-0000-7000-8000-0000000000c1', NULL, 10,
                                               (SELECT cursor FROM creator_posts('00000000-0000-7000-8000-0000000000c1', NULL, 1000) OFFSET 19 LIMIT 1))),
          5::bigint, 'after row 20 of 25 a page of 10 has the last 5: fewer rows than page_size, the end');
SELECT is_empty($$SELECT * FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000000c1', NULL, 10,
                    (SELECT cursor FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000000c1', NULL, 1000) OFFSET 24))$$,
                'after the last row: an empty page');
SELECT is_empty($$SELECT * FROM creator_platform.comment_thread('00000000-0000-7000-8000-000000000b01', 10,
                    (SELECT cursor FROM creator_platform.comment_thread('00000000-0000-7000-8000-000000000b01', 1000) OFFSET 59))$$,
                'comment_thread: after the last comment, an empty page');

--------------------------------------------------------------------------------
-- malformed, truncated, extended, tampered cursors: 22023, every one
--------------------------------------------------------------------------------
SELECT is(pg_temp.outcomes(c.call, ARRAY[
            '', ' ', 'not a cursor', '!!!!', 'AAAA', 'A', '====', c.cursor || '=', c.cursor || '==',
            replace(replace(c.cursor, '-', '+'), '_', '/') || '+/', ' ' || c.cursor, c.cursor || ' ', c.cursor || E'\n',
            upper(c.cursor), lower(c.cursor), reverse(c.cursor), c.cursor || c.cursor, c.cursor || 'A', c.cursor || 'AA',
            'é' || c.cursor, repeat('A', 4096), repeat('A', 4097), repeat('_', 100000), repeat(c.cursor, 100),
            'AQEYgAME', 'AQ', 'AA', 'AQE', translate(c.cursor, 'A', 'B')]),
          '22023 x29', format('%s: 29 malformed cursors are 22023', c.fn))
  FROM cur c ORDER BY c.fn;
SELECT is(pg_temp.outcomes(c.call, pg_temp.prefixes(c.cursor)), format('22023 x%s', length(c.cursor)),
          format('%s: every proper prefix of a cursor (%s) is 22023', c.fn, length(c.cursor)))
  FROM cur c ORDER BY c.fn;
SELECT is(pg_temp.outcomes(c.call, pg_temp.one_char_off(c.cursor)), format('22023 x%s', 63 * length(c.cursor)),
          format('%s: every cursor with one character changed (%s) is 22023', c.fn, 63 * length(c.cursor)))
  FROM cur c ORDER BY c.fn;
-- random garbage: 300 strings of printable ASCII and 300 of the cursor
-- alphabet, of random lengths
DO $$ BEGIN PERFORM setseed(0.2003); END $$;
SELECT is(pg_temp.outcomes(c.call, (SELECT array_agg(s) FROM (
            SELECT (SELECT string_agg(chr(32 + (random() * 94)::int), '') FROM generate_series(1, (random() * 80)::int + 1 + g * 0)) s
              FROM generate_series(1, 300) g
            UNION ALL
            SELECT (SELECT string_agg(substr('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
                                             (random() * 63)::int + 1, 1), '')
                      FROM generate_series(1, (random() * 120)::int + 1 + g * 0)) s
              FROM generate_series(1, 300) g) t)),
          '22023 x600', format('%s: 600 random strings are 22023', c.fn))
  FROM cur c WHERE c.fn IN ('creator_posts', 'comment_thread') ORDER BY c.fn;
-- a bad cursor is rejected also where the rest of the call would give no row
SELECT throws_ok($$SELECT * FROM creator_platform.creator_posts('00000000-0000-7000-8000-00000000dead', NULL, 5, 'garbage')$$,
                 '22023', NULL, 'creator_posts: a bad cursor for an unknown creator is still 22023');
SELECT throws_ok($$SELECT * FROM creator_platform.comment_thread('00000000-0000-7000-8000-00000000dead', 5, 'garbage')$$,
                 '22023', NULL, 'comment_thread: a bad cursor for an unknown post is still 22023');

--------------------------------------------------------------------------------
-- a cursor made by another function: every pair. Pairs whose other arguments
-- encode alike: recent_posts(e1) / home_feed(e1), subscriptions_of(c1, active)
-- / subscribers_of(c1, active).
--------------------------------------------------------------------------------
SELECT is(pg_temp.outcomes(target.call, ARRAY[source.cursor]), '22023 x1',
          format('a cursor of %s given to %s is 22023', source.fn, target.fn))
  FROM cur source CROSS JOIN cur target
 WHERE split_part(source.fn, ' ', 1) <> split_part(target.fn, ' ', 1)
   AND target.fn <> 'comment_thread reply'
 ORDER BY source.fn, target.fn;
SELECT is(pg_temp.outcomes($$SELECT * FROM creator_platform.home_feed('00000000-0000-7000-8000-0000000000e1', 5, $1)$$,
                           ARRAY[(SELECT cursor FROM recent_posts('00000000-0000-7000-8000-0000000000e1', 5)
                                   WHERE creator_id = '00000000-0000-7000-8000-0000000000c1' LIMIT 1)]),
          '22023 x1', 'recent_posts(e1) cursor of a post that is also in home_feed(e1) is 22023 there');

--------------------------------------------------------------------------------
-- a cursor made for other arguments
--------------------------------------------------------------------------------
CREATE TEMP TABLE other_args (what text, source text, target text) ON COMMIT DROP;
INSERT INTO other_args VALUES
    ('creator_posts: other creator',
     $$SELECT * FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000000c1', NULL, 1)$$,
     $$SELECT * FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000000c2', NULL, 5, $1)$$),
    ('creator_posts: no viewer, then a viewer',
     $$SELECT * FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000000c1', NULL, 1)$$,
     $$SELECT * FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000000c1', '00000000-0000-7000-8000-0000000000e1', 5, $1)$$),
    ('creator_posts: a viewer, then another',
     $$SELECT * FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000000c1', '00000000-0000-7000-8000-0000000000e1', 1)$$,
     $$SELECT * FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000000c1', '00000000-0000-7000-8000-0000000000e2', 5, $1)$$),
    ('creator_posts: a viewer, then none',
     $$SELECT * FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000000c1', '00000000-0000-7000-8000-0000000000e1', 1)$$,
     $$SELECT * FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000000c1', NULL, 5, $1)$$),
    ('creator_posts: a reader viewer, then an admin',
     $$SELECT * FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000000c1', '00000000-0000-7000-8000-0000000000e2', 1)$$,
     $$SELECT * FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000000c1', '00000000-0000-7000-8000-0000000000a1', 5, $1)$$),
    ('home_feed: other reader (who follows the same creator)',
     $$SELECT * FROM creator_platform.home_feed('00000000-0000-7000-8000-0000000000e1', 1)$$,
     $$SELECT * FROM creator_platform.home_feed('00000000-0000-7000-8000-0000000000e2', 5, $1)$$),
    ('recent_posts: no viewer, then a viewer',
     $$SELECT * FROM creator_platform.recent_posts(NULL, 1)$$,
     $$SELECT * FROM creator_platform.recent_posts('00000000-0000-7000-8000-0000000000e1', 5, $1)$$),
    ('recent_posts: a viewer, then none',
     $$SELECT * FROM creator_platform.recent_posts('00000000-0000-7000-8000-0000000000e1', 1)$$,
     $$SELECT * FROM creator_platform.recent_posts(NULL, 5, $1)$$),
    ('recent_posts: a viewer, then another',
     $$SELECT * FROM creator_platform.recent_posts('00000000-0000-7000-8000-0000000000e1', 1)$$,
     $$SELECT * FROM creator_platform.recent_posts('00000000-0000-7000-8000-0000000000e2', 5, $1)$$),
    ('comment_thread: other post',
     $$SELECT * FROM creator_platform.comment_thread('00000000-0000-7000-8000-000000000b01', 1)$$,
     $$SELECT * FROM creator_platform.comment_thread('00000000-0000-7000-8000-000000000b02', 5, $1)$$),
    ('comment_thread: no max_depth, then max_depth 5',
     $$SELECT * FROM creator_platform.comment_thread('00000000-0000-7000-8000-000000000b01', 1)$$,
     $$SELECT * FROM creator_platform.comment_thread('00000000-0000-7000-8000-000000000b01', 5, $1, 5)$$),
    ('comment_thread: max_depth 1, then 2',
     $$SELECT * FROM creator_platform.comment_thread('00000000-0000-7000-8000-000000000b01', 1, NULL, 1)$$,
     $$SELECT * FROM creator_platform.comment_thread('00000000-0000-7000-8000-000000000b01', 5, $1, 2)$$),
    ('comment_thread: max_depth 0, then none',
     $$SELECT * FROM creator_platform.comment_thread('00000000-0000-7000-8000-000000000b01', 1, NULL, 0)$$,
     $$SELECT * FROM creator_platform.comment_thread('00000000-0000-7000-8000-000000000b01', 5, $1)$$),
    ('comment_thread: a root, then no root',
     $$SELECT * FROM creator_platform.comment_thread('00000000-0000-7000-8000-000000000b01', 1, NULL, NULL, '00000000-0000-7000-8000-0000000c0001')$$,
     $$SELECT * FROM creator_platform.comment_thread('00000000-0000-7000-8000-000000000b01', 5, $1)$$),
    ('comment_thread: no root, then a root (the cursor''s own comment)',
     $$SELECT * FROM creator_platform.comment_thread('00000000-0000-7000-8000-000000000b01', 1)$$,
     $$SELECT * FROM creator_platform.comment_thread('00000000-0000-7000-8000-000000000b01', 5, $1, NULL, '00000000-0000-7000-8000-0000000c0001')$$),
    ('comment_thread: a root, then another',
     $$SELECT * FROM creator_platform.comment_thread('00000000-0000-7000-8000-000000000b01', 1, NULL, NULL, '00000000-0000-7000-8000-0000000c0001')$$,
     $$SELECT * FROM creator_platform.comment_thread('00000000-0000-7000-8000-000000000b01', 5, $1, NULL, '00000000-0000-7000-8000-0000000c0002')$$),
    ('subscriptions_of: other subscriber',
     $$SELECT * FROM creator_platform.subscriptions_of('00000000-0000-7000-8000-0000000000e1', 'active', 1)$$,
     $$SELECT * FROM creator_platform.subscriptions_of('00000000-0000-7000-8000-0000000000e2', 'active', 5, $1)$$),
    ('subscriptions_of: active, then cancelled',
     $$SELECT * FROM creator_platform.subscriptions_of('00000000-0000-7000-8000-0000000000e1', 'active', 1)$$,
     $$SELECT * FROM creator_platform.subscriptions_of('00000000-0000-7000-8000-0000000000e1', 'cancelled', 5, $1)$$),
    ('subscriptions_of: cancelled, then active',
     $$SELECT * FROM creator_platform.subscriptions_of('00000000-0000-7000-8000-0000000000e1', 'cancelled', 1)$$,
     $$SELECT * FROM creator_platform.subscriptions_of('00000000-0000-7000-8000-0000000000e1', 'active', 5, $1)$$),
    ('subscribers_of: other creator',
     $$SELECT * FROM creator_platform.subscribers_of('00000000-0000-7000-8000-0000000000c1', 'active', 1)$$,
     $$SELECT * FROM creator_platform.subscribers_of('00000000-0000-7000-8000-0000000000c2', 'active', 5, $1)$$),
    ('subscribers_of: active, then cancelled',
     $$SELECT * FROM creator_platform.subscribers_of('00000000-0000-7000-8000-0000000000c1', 'active', 1)$$,
     $$SELECT * FROM creator_platform.subscribers_of('00000000-0000-7000-8000-0000000000c1', 'cancelled', 5, $1)$$);
DO $$
DECLARE
    o record;
    c text;
BEGIN
    FOR o IN SELECT what, source FROM other_args LOOP
        EXECUTE format('SELECT q.cursor FROM (%s) q', o.source) INTO c;
        IF c IS NULL THEN RAISE EXCEPTION 'no cursor from %', o.source; END IF;
        UPDATE other_args SET source = c WHERE what = o.what;
    END LOOP;
END
$$;
SELECT is(pg_temp.outcomes(o.target, ARRAY[o.source]), '22023 x1', format('a cursor of %s is 22023', o.what))
  FROM other_args o ORDER BY o.what;
-- and the same cursors work where they were made
SELECT is(pg_temp.outcomes(c.call, ARRAY[c.cursor]), 'ok x1', format('%s: its own cursor is accepted', c.fn))
  FROM cur c ORDER BY c.fn;

--------------------------------------------------------------------------------
-- reading changes nothing
--------------------------------------------------------------------------------
SELECT is(cp_test.db_state(), (SELECT s FROM state_before), 'no feed call above changed a row');

SELECT * FROM finish();
ROLLBACK;
