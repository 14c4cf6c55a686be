-- 220_feed_visibility: who sees the content of a subscribers-only post, and
-- who may call the feeds (0.3.0, API.md "Pagination").
--   * a `subscribers` post has content NULL and locked true unless the viewer
--     is its creator, an admin, or an active subscriber of its creator; a
--     public post is never locked; title, visibility, published_at and
--     comment_count of a locked post are shown. The whole matrix for
--     creator_posts, recent_posts and post_view: the creator, an admin, an
--     active subscriber, a cancelled subscriber, one who cancelled and
--     subscribed again, a stranger, another creator, an unknown id and no
--     viewer (NULL), on live and archived posts;
--   * home_feed locks nothing: the reader actively subscribes to every
--     creator in it; a cancel takes the creator's posts out of it at once
--     and locks them elsewhere; subscribing again gives them back;
--   * drafts and scheduled posts are never shown, whoever looks;
--   * privileges: cursor_secret is readable by nobody but its owner, yet a
--     role with SELECT on the tables the feeds read (and no privilege on
--     cursor_secret) gets the same rows and cursors as the owner; an app role
--     that may only write posts keeps creator_activity up to date (SECURITY
--     DEFINER trigger).
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(83);

--------------------------------------------------------------------------------
-- data
--------------------------------------------------------------------------------
-- c1 the creator, c2 another creator, a1 an admin; readers: e1 active
-- subscriber of c1, e2 cancelled, e3 cancelled then active again, e4 a stranger.
-- c1: ...b01 public, ...b02 subscribers, ...b03 subscribers archived,
-- ...b04 public archived, a subscribers draft and a scheduled post;
-- c2: ...b21 subscribers, ...b22 public.
INSERT INTO users (id, email, username, role) VALUES
    ('00000000-0000-7000-8000-0000000000c1', 'c1@vis.test', 'the_creator', 'creator'),
    ('00000000-0000-7000-8000-0000000000c2', 'c2@vis.test', 'other_creator', 'creator'),
    ('00000000-0000-7000-8000-0000000000a1', 'a1@vis.test', 'the_admin', 'admin'),
    ('00000000-0000-7000-8000-0000000000e1', 'e1@vis.test', 'subscriber', 'reader'),
    ('00000000-0000-7000-8000-0000000000e2', 'e2@vis.test', 'cancelled', 'reader'),
    ('00000000-0000-7000-8000-0000000000e3', 'e3@vis.test', 'came_back', 'reader'),
    ('00000000-0000-7000-8000-0000000000e4', 'e4@vis.test', 'stranger', 'reader');
INSERT INTO posts (id, creator_id, title, content, status, visibility, published_at) VALUES
    ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000c1', 'c1 public', 'for everyone', 'published', 'public', now() - interval '1 hour'),
    ('00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000c1', 'c1 members', 'for members', 'published', 'subscribers', now() - interval '2 hours'),
    ('00000000-0000-7000-8000-000000000b03', '00000000-0000-7000-8000-0000000000c1', 'c1 old members', 'old, for members', 'published', 'subscribers', now() - interval '3 years'),
    ('00000000-0000-7000-8000-000000000b04', '00000000-0000-7000-8000-0000000000c1', 'c1 old public', 'old, for everyone', 'published', 'public', now() - interval '4 years'),
    ('00000000-0000-7000-8000-000000000b05', '00000000-0000-7000-8000-0000000000c1', 'c1 draft', 'unfinished', 'draft', 'subscribers', NULL),
    ('00000000-0000-7000-8000-000000000b06', '00000000-0000-7000-8000-0000000000c1', 'c1 scheduled', 'tomorrow', 'scheduled', 'public', now() + interval '1 day'),
    ('00000000-0000-7000-8000-000000000b21', '00000000-0000-7000-8000-0000000000c2', 'c2 members', 'for c2 members', 'published', 'subscribers', now() - interval '90 minutes'),
    ('00000000-0000-7000-8000-000000000b22', '00000000-0000-7000-8000-0000000000c2', 'c2 public', 'c2 for everyone', 'published', 'public', now() - interval '150 minutes');
INSERT INTO comments (post_id, user_id, content) VALUES
    ('00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000e1', 'members talk'),
    ('00000000-0000-7000-8000-000000000b03', '00000000-0000-7000-8000-0000000000e1', 'old members talk');
-- archive b03 and b04 (with b03's comment): the posts older than 2 years
SELECT FROM archive_posts(now() - interval '2 years');
INSERT INTO subscriptions (subscriber_id, creator_id, status, subscribed_at, cancelled_at) VALUES
    ('00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000c1', 'active', now() - interval '10 days', NULL),
    ('00000000-0000-7000-8000-0000000000e2', '00000000-0000-7000-8000-0000000000c1', 'cancelled', now() - interval '10 days', now() - interval '5 days'),
    ('00000000-0000-7000-8000-0000000000e3', '00000000-0000-7000-8000-0000000000c1', 'cancelled', now() - interval '10 days', now() - interval '5 days'),
    ('00000000-0000-7000-8000-0000000000e3', '00000000-0000-7000-8000-0000000000c1', 'active', now() - interval '2 days', NULL),
    -- a cancelled subscription to c2 does not unlock c2's posts for e1
    ('00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000c2', 'cancelled', now() - interval '10 days', now() - interval '1 day');

--------------------------------------------------------------------------------
-- the matrix: for each viewer, whether c1's and c2's subscribers-only posts
-- are open to them
--------------------------------------------------------------------------------
CREATE TEMP TABLE viewers (who text, id uuid, sees_c1 boolean, sees_c2 boolean) ON COMMIT DROP;
INSERT INTO viewers VALUES
    ('the creator',                     '00000000-0000-7000-8000-0000000000c1', true,  false),
    ('an admin',                        '00000000-0000-7000-8000-0000000000a1', true,  true),
    ('an active subscriber',            '00000000-0000-7000-8000-0000000000e1', true,  false),
    ('a cancelled subscriber',          '00000000-0000-7000-8000-0000000000e2', false, false),
    ('a subscriber who came back',      '00000000-0000-7000-8000-0000000000e3', true,  false),
    ('a stranger',                      '00000000-0000-7000-8000-0000000000e4', false, false),
    ('another creator',                 '00000000-0000-7000-8000-0000000000c2', false, true),
    ('an unknown id',                   '00000000-0000-7000-8000-00000000dead', false, false),
    ('no viewer (NULL)',                NULL,                                   false, false);
-- what each viewer must see of each published post (the rule, spelled out)
CREATE TEMP TABLE published (id uuid, creator uuid, title text, content text, visibility post_visibility) ON COMMIT DROP;
INSERT INTO published VALUES
    ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000c1', 'c1 public', 'for everyone', 'public'),
    ('00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000c1', 'c1 members', 'for members', 'subscribers'),
    ('00000000-0000-7000-8000-000000000b03', '00000000-0000-7000-8000-0000000000c1', 'c1 old members', 'old, for members', 'subscribers'),
    ('00000000-0000-7000-8000-000000000b04', '00000000-0000-7000-8000-0000000000c1', 'c1 old public', 'old, for everyone', 'public'),
    ('00000000-0000-7000-8000-000000000b21', '00000000-0000-7000-8000-0000000000c2', 'c2 members', 'for c2 members', 'subscribers'),
    ('00000000-0000-7000-8000-000000000b22', '00000000-0000-7000-8000-0000000000c2', 'c2 public', 'c2 for everyone', 'public');
CREATE FUNCTION pg_temp.expected(viewer text, creator uuid DEFAULT NULL, post uuid DEFAULT NULL) RETURNS text LANGUAGE sql AS $f$
    SELECT format($q$
        SELECT p.title, CASE WHEN p.visibility = 'public' OR s.sees THEN p.content END,
               p.visibility = 'subscribers' AND NOT s.sees
          FROM pg_temp.published p
         CROSS JOIN LATERAL (SELECT CASE p.creator WHEN '00000000-0000-7000-8000-0000000000c1' THEN v.sees_c1 ELSE v.sees_c2 END
                               FROM pg_temp.viewers v WHERE v.who = %L) s(sees)
         WHERE (%L::uuid IS NULL OR p.creator = %L) AND (%L::uuid IS NULL OR p.id = %L)
         ORDER BY p.title$q$, viewer, creator, creator, post, post)
$f$;

SELECT results_eq(
    format('SELECT title, content, locked FROM creator_platform.creator_posts(%L, %L, 100) ORDER BY title',
           '00000000-0000-7000-8000-0000000000c1', v.id),
    pg_temp.expected(v.who, '00000000-0000-7000-8000-0000000000c1'),
    format('creator_posts(c1) seen by %s', v.who))
  FROM viewers v;
SELECT results_eq(
    format('SELECT title, content, locked FROM creator_platform.recent_posts(%L, 100) ORDER BY title', v.id),
    pg_temp.expected(v.who),
    format('recent_posts seen by %s', v.who))
  FROM viewers v;
SELECT results_eq(
    format($q$SELECT q.title, q.content, q.locked FROM pg_temp.published p
               CROSS JOIN LATERAL creator_platform.post_view(p.id, %L) q ORDER BY q.title$q$, v.id),
    pg_temp.expected(v.who),
    format('post_view of each post seen by %s', v.who))
  FROM viewers v;

-- what a locked row still shows
SELECT results_eq(
    $$SELECT post_id, creator_username, title, content, visibility, locked, published_at, comment_count
        FROM creator_platform.post_view('00000000-0000-7000-8000-000000000b02')$$,
    $$SELECT id, 'the_creator', title, NULL::text, visibility, true, published_at, 1
        FROM creator_platform.posts WHERE id = '00000000-0000-7000-8000-000000000b02'$$,
    'a locked post shows everything but its content (comment_count included)');
SELECT results_eq(
    $$SELECT post_id, content, locked, comment_count
        FROM creator_platform.post_view('00000000-0000-7000-8000-000000000b03', '00000000-0000-7000-8000-0000000000e4')$$,
    $$VALUES ('00000000-0000-7000-8000-000000000b03'::uuid, NULL::text, true, 1)$$,
    'an archived subscribers-only post is locked for a stranger and keeps its comment_count');
SELECT is((SELECT count(*) FROM (SELECT * FROM recent_posts(NULL, 1000)
                                  UNION ALL SELECT * FROM creator_posts('00000000-0000-7000-8000-0000000000c1', NULL, 1000)) t
            WHERE visibility = 'public' AND (locked OR content IS NULL)), 0::bigint,
          'a public post is never locked');

-- drafts and scheduled posts: never, whoever looks
SELECT is_empty(format($q$SELECT 1 FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000000c1', %L, 1000)
                            WHERE title IN ('c1 draft', 'c1 scheduled')
                           UNION ALL
                           SELECT 1 FROM creator_platform.recent_posts(%L, 1000) WHERE title IN ('c1 draft', 'c1 scheduled')
                           UNION ALL
                           SELECT 1 FROM creator_platform.post_view('00000000-0000-7000-8000-000000000b05', %L)
                           UNION ALL
                           SELECT 1 FROM creator_platform.post_view('00000000-0000-7000-8000-000000000b06', %L)
                           UNION ALL
                           SELECT 1 FROM creator_platform.home_feed(%L, 1000) WHERE title IN ('c1 draft', 'c1 scheduled')$q$,
                       v.id, v.id, v.id, v.id, coalesce(v.id, '00000000-0000-7000-8000-0000000000e1')),
                format('drafts and scheduled posts are never shown to %s', v.who))
  FROM viewers v WHERE v.who IN ('the creator', 'an admin', 'an active subscriber');

--------------------------------------------------------------------------------
-- home_feed: nothing is locked; cancel and subscribe again
--------------------------------------------------------------------------------
SELECT results_eq(
    $$SELECT title, content, locked FROM creator_platform.home_feed('00000000-0000-7000-8000-0000000000e1', 100)$$,
    $$VALUES ('c1 public', 'for everyone', false), ('c1 members', 'for members', false),
             ('c1 old members', 'old, for members', false), ('c1 old public', 'old, for everyone', false)$$,
    'home_feed of an active subscriber: every post of c1, live and archived, nothing locked, newest first');
SELECT results_eq(
    $$SELECT title, content, locked FROM creator_platform.home_feed('00000000-0000-7000-8000-0000000000e3', 100)$$,
    $$VALUES ('c1 public', 'for everyone', false), ('c1 members', 'for members', false),
             ('c1 old members', 'old, for members', false), ('c1 old public', 'old, for everyone', false)$$,
    'home_feed of a subscriber who came back: the same');
SELECT is_empty($$SELECT * FROM creator_platform.home_feed('00000000-0000-7000-8000-0000000000e2', 100)$$,
                'home_feed of a cancelled subscriber: empty');
SELECT is_empty($$SELECT * FROM creator_platform.home_feed('00000000-0000-7000-8000-0000000000a1', 100)$$,
                'home_feed of an admin who follows nobody: empty (an admin sees everything, but follows nobody)');

SELECT is((SELECT status FROM cancel_subscription('00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000c1')),
          'cancelled'::subscription_status, 'e1 cancels');
SELECT is_empty($$SELECT * FROM creator_platform.home_feed('00000000-0000-7000-8000-0000000000e1', 100)$$,
                'after the cancel, c1''s posts leave e1''s home_feed at once');
SELECT results_eq(
    $$SELECT title, content, locked FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000000c1',
                                                                         '00000000-0000-7000-8000-0000000000e1', 100)$$,
    $$VALUES ('c1 public', 'for everyone', false), ('c1 members', NULL, true),
             ('c1 old members', NULL, true), ('c1 old public', 'old, for everyone', false)$$,
    'after the cancel, c1''s subscribers-only posts are locked for e1');
SELECT is((SELECT status FROM subscribe('00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000c1')),
          'active'::subscription_status, 'e1 subscribes again');
SELECT results_eq(
    $$SELECT title, content, locked FROM creator_platform.post_view('00000000-0000-7000-8000-000000000b02',
                                                                     '00000000-0000-7000-8000-0000000000e1')$$,
    $$VALUES ('c1 members', 'for members', false)$$,
    'subscribed again, e1 sees the content');
SELECT is((SELECT count(*) FROM home_feed('00000000-0000-7000-8000-0000000000e1', 100)), 4::bigint,
          'subscribed again, c1''s posts are back in e1''s home_feed');

-- a role change counts at once: the admin made a creator no longer sees
UPDATE users SET role = 'creator' WHERE id = '00000000-0000-7000-8000-0000000000a1';
SELECT results_eq(
    $$SELECT content, locked FROM creator_platform.post_view('00000000-0000-7000-8000-000000000b02',
                                                              '00000000-0000-7000-8000-0000000000a1')$$,
    $$VALUES (NULL::text, true)$$,
    'an admin made a creator no longer sees subscribers-only content');
UPDATE users SET role = 'admin' WHERE id = '00000000-0000-7000-8000-0000000000a1';

--------------------------------------------------------------------------------
-- privileges
--------------------------------------------------------------------------------
SELECT is(has_table_privilege('public', 'creator_platform.cursor_secret', 'SELECT'), false,
          'PUBLIC cannot read cursor_secret');
SELECT table_privs_are('creator_platform', 'cursor_secret', 'public', ARRAY[]::text[],
                       'PUBLIC has no privilege at all on cursor_secret');
SELECT is(has_table_privilege('public', 'creator_platform.creator_activity', 'INSERT')
          OR has_table_privilege('public', 'creator_platform.creator_activity', 'UPDATE')
          OR has_table_privilege('public', 'creator_platform.creator_activity', 'DELETE'), false,
          'PUBLIC cannot write creator_activity');
SELECT is(has_function_privilege('public', 'creator_platform.track_creator_activity()', 'EXECUTE'), false,
          'PUBLIC cannot call track_creator_activity()');
SELECT is(has_function_privilege('public', f::regprocedure, 'EXECUTE'), false, format('PUBLIC may not call %s (0.5.0: grant_usage gives EXECUTE)', f))
  FROM unnest(ARRAY['creator_platform.creator_posts(uuid, uuid, integer, text)',
                    'creator_platform.home_feed(uuid, integer, text)',
                    'creator_platform.recent_posts(uuid, integer, text)',
                    'creator_platform.post_view(uuid, uuid)',
                    'creator_platform.comment_thread(uuid, integer, text, integer, uuid)',
                    'creator_platform.subscriptions_of(uuid, creator_platform.subscription_status, integer, text)',
                    'creator_platform.subscribers_of(uuid, creator_platform.subscription_status, integer, text)']) f;

-- an application role: SELECT on what the feeds read, nothing on cursor_secret
CREATE ROLE cp_test_feed_app NOLOGIN;
GRANT USAGE ON SCHEMA creator_platform TO cp_test_feed_app;
GRANT SELECT ON creator_platform.users, creator_platform.posts, creator_platform.posts_archive,
                creator_platform.comments, creator_platform.comments_archive, creator_platform.subscriptions,
                creator_platform.creator_activity TO cp_test_feed_app;
GRANT INSERT, UPDATE ON creator_platform.posts TO cp_test_feed_app;
GRANT EXECUTE ON FUNCTION creator_platform.uuid_generate_v7() TO cp_test_feed_app;  -- the default of posts.id (0.5.0: not for PUBLIC)
GRANT EXECUTE ON FUNCTION creator_platform.creator_posts(uuid, uuid, integer, text),
                          creator_platform.home_feed(uuid, integer, text),
                          creator_platform.recent_posts(uuid, integer, text),
                          creator_platform.post_view(uuid, uuid),
                          creator_platform.comment_thread(uuid, integer, text, integer, uuid),
                          creator_platform.subscriptions_of(uuid, creator_platform.subscription_status, integer, text),
                          creator_platform.subscribers_of(uuid, creator_platform.subscription_status, integer, text)
   TO cp_test_feed_app;
SELECT is(has_table_privilege('cp_test_feed_app', 'creator_platform.cursor_secret', 'SELECT'), false,
          'the app role cannot read cursor_secret');

-- Runs `query` (one text value) as `role`; the SQLSTATE if it fails. SET ROLE
-- is undone on return (and rolled back with the block on an error).
CREATE FUNCTION pg_temp.as_role(role text, query text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
    result text;
BEGIN
    BEGIN
        EXECUTE format('SET LOCAL ROLE %I', role);
        EXECUTE query INTO result;
        RESET ROLE;
        RETURN result;
    EXCEPTION WHEN OTHERS THEN
        RETURN 'ERROR ' || SQLSTATE;
    END;
END
$f$;

-- the same rows and the same cursors as the owner gets
CREATE TEMP TABLE calls (what text, query text) ON COMMIT DROP;
INSERT INTO calls VALUES
    ('creator_posts', $$SELECT string_agg(concat_ws('|', post_id, content, locked, cursor), ',') FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000000c1', '00000000-0000-7000-8000-0000000000e1', 3)$$),
    ('creator_posts, second page', $$SELECT string_agg(concat_ws('|', post_id, cursor), ',') FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000000c1', NULL, 2,
        (SELECT cursor FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000000c1', NULL, 2) OFFSET 1))$$),
    ('home_feed', $$SELECT string_agg(concat_ws('|', post_id, content, locked, cursor), ',') FROM creator_platform.home_feed('00000000-0000-7000-8000-0000000000e1')$$),
    ('recent_posts', $$SELECT string_agg(concat_ws('|', post_id, content, locked, cursor), ',') FROM creator_platform.recent_posts('00000000-0000-7000-8000-0000000000e2')$$),
    ('post_view', $$SELECT string_agg(concat_ws('|', post_id, content, locked, cursor), ',') FROM creator_platform.post_view('00000000-0000-7000-8000-000000000b03', '00000000-0000-7000-8000-0000000000a1')$$),
    ('comment_thread', $$SELECT string_agg(concat_ws('|', comment_id, content, cursor), ',') FROM creator_platform.comment_thread('00000000-0000-7000-8000-000000000b02')$$),
    ('comment_thread of an archived post', $$SELECT string_agg(concat_ws('|', comment_id, content, cursor), ',') FROM creator_platform.comment_thread('00000000-0000-7000-8000-000000000b03')$$),
    ('subscriptions_of', $$SELECT string_agg(concat_ws('|', subscription_id, cursor), ',') FROM creator_platform.subscriptions_of('00000000-0000-7000-8000-0000000000e3', 'cancelled')$$),
    ('subscribers_of', $$SELECT string_agg(concat_ws('|', subscription_id, cursor), ',') FROM creator_platform.subscribers_of('00000000-0000-7000-8000-0000000000c1')$$);
SELECT is(pg_temp.as_role('cp_test_feed_app', c.query), r.owner_result,
          format('%s: the app role gets what the owner gets, cursors included', c.what))
  FROM calls c CROSS JOIN LATERAL (SELECT pg_temp.as_role(current_user, c.query) AS owner_result) r
 ORDER BY c.what;
SELECT ok((SELECT bool_and(pg_temp.as_role(current_user, c.query) IS NOT NULL
                           AND pg_temp.as_role(current_user, c.query) NOT LIKE 'ERROR%') FROM calls c),
          'and those calls give rows');
SELECT is(pg_temp.as_role('cp_test_feed_app',
            $$SELECT count(*)::text FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000000c1', NULL, 5, 'not-a-cursor')$$),
          'ERROR 22023', 'the app role: a bad cursor is 22023');
SELECT is(pg_temp.as_role('cp_test_feed_app', 'SELECT secret::text FROM creator_platform.cursor_secret'),
          'ERROR 42501', 'the app role cannot read cursor_secret');
SELECT is(pg_temp.as_role('cp_test_feed_app', 'WITH u AS (UPDATE creator_platform.cursor_secret SET created_at = now() RETURNING 1) SELECT count(*)::text FROM u'),
          'ERROR 42501', 'the app role cannot change cursor_secret');
SELECT is(pg_temp.as_role('cp_test_feed_app', 'SELECT count(*)::text FROM creator_platform.cursor_secret'),
          'ERROR 42501', 'the app role cannot count cursor_secret either');

-- The feeds read the tables through their indexes, not through SQL, yet check
-- privileges as a statement would: a role that may execute the functions but
-- not read posts (or comments, or users) gets 42501 and nothing else.
CREATE ROLE cp_test_feed_blind NOLOGIN;
GRANT USAGE ON SCHEMA creator_platform TO cp_test_feed_blind;
GRANT SELECT ON creator_platform.users, creator_platform.posts_archive, creator_platform.comments_archive,
                creator_platform.subscriptions, creator_platform.creator_activity TO cp_test_feed_blind;
GRANT EXECUTE ON FUNCTION creator_platform.creator_posts(uuid, uuid, integer, text),
                          creator_platform.home_feed(uuid, integer, text),
                          creator_platform.recent_posts(uuid, integer, text),
                          creator_platform.post_view(uuid, uuid),
                          creator_platform.comment_thread(uuid, integer, text, integer, uuid)
   TO cp_test_feed_blind;
SELECT is(pg_temp.as_role('cp_test_feed_blind', c.query), 'ERROR 42501',
          format('%s: a role without SELECT on posts gets 42501', c.what))
  FROM calls c
 WHERE c.what IN ('creator_posts', 'home_feed', 'recent_posts', 'post_view', 'comment_thread')
 ORDER BY c.what;
GRANT SELECT ON creator_platform.posts TO cp_test_feed_blind;
SELECT is(pg_temp.as_role('cp_test_feed_blind', c.query), 'ERROR 42501',
          'comment_thread: a role without SELECT on comments gets 42501')
  FROM calls c WHERE c.what = 'comment_thread';
REVOKE SELECT ON creator_platform.users FROM cp_test_feed_blind;
SELECT is(pg_temp.as_role('cp_test_feed_blind', c.query), 'ERROR 42501',
          'creator_posts: a role without SELECT on users gets 42501')
  FROM calls c WHERE c.what = 'creator_posts';
-- column privileges on every column are as good as the table's
GRANT SELECT (id, username, role) ON creator_platform.users TO cp_test_feed_blind;
SELECT is(pg_temp.as_role('cp_test_feed_blind', c.query), 'ERROR 42501',
          'creator_posts: SELECT on some columns of users is not enough')
  FROM calls c WHERE c.what = 'creator_posts';

-- the app role publishes: creator_activity follows, though the role may not write it
SELECT is(pg_temp.as_role('cp_test_feed_app',
            $$WITH p AS (INSERT INTO creator_platform.posts (creator_id, title, status, published_at)
                         VALUES ('00000000-0000-7000-8000-0000000000c2', 'by the app', 'published', now())
                         RETURNING id) SELECT count(*)::text FROM p$$),
          '1', 'the app role inserts a published post');
SELECT is((SELECT last_published_at FROM creator_activity WHERE creator_id = '00000000-0000-7000-8000-0000000000c2'),
          now(), 'creator_activity of c2 is raised to the new post''s published_at');
SELECT is(pg_temp.as_role('cp_test_feed_app',
            $$WITH p AS (UPDATE creator_platform.posts SET status = 'published'
                          WHERE id = '00000000-0000-7000-8000-000000000b05' RETURNING id) SELECT count(*)::text FROM p$$),
          '1', 'the app role publishes c1''s draft');
SELECT is((SELECT last_published_at FROM creator_activity WHERE creator_id = '00000000-0000-7000-8000-0000000000c1'),
          now(), 'creator_activity of c1 is raised to now()');
SELECT is(pg_temp.as_role('cp_test_feed_app',
            $$SELECT string_agg(title, ',') FROM creator_platform.home_feed('00000000-0000-7000-8000-0000000000e1', 2)$$),
          'c1 draft,c1 public', 'and it heads e1''s home_feed, unlocked');

SELECT * FROM finish();
ROLLBACK;
