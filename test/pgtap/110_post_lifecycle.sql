-- 110_post_lifecycle: the 0.2.0 rules on posts (API.md "Rules", "Functions"):
-- the owner of a post has role creator or admin and such a user cannot become
-- a reader (23514); the status transitions (55000 for published -> scheduled);
-- published_at as the lifecycle sets it (now() when a draft or a scheduled post
-- whose time has not come is published, kept when a scheduled post's time has
-- come, cleared on the way back to draft, future for scheduled: 23514);
-- publish_post, schedule_post and publish_due_posts. Every rejected statement
-- is followed by a check that no table changed (cp_test.rejects).
--
-- Inside one transaction now() stands still, so a scheduled post never becomes
-- due here. Posts "whose time has come" are loaded the way they look once time
-- has passed: with session_replication_role = replica, which skips the
-- (non-replica) triggers for that INSERT only.
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(146);

-- creators ...c1, ...c2, admin ...a1, readers ...e1, ...e2
INSERT INTO users (id, email, username, role) VALUES
    ('00000000-0000-7000-8000-0000000000c1', 'c1@x.io', 'creator_one', 'creator'),
    ('00000000-0000-7000-8000-0000000000c2', 'c2@x.io', 'creator_two', 'creator'),
    ('00000000-0000-7000-8000-0000000000a1', 'a1@x.io', 'admin_one', 'admin'),
    ('00000000-0000-7000-8000-0000000000e1', 'e1@x.io', 'reader_one', 'reader'),
    ('00000000-0000-7000-8000-0000000000e2', 'e2@x.io', 'reader_two', 'reader');
-- posts of creator_one: ...b01 draft, ...b02 scheduled tomorrow, ...b03 published an hour ago
INSERT INTO posts (id, creator_id, title, status, published_at) VALUES
    ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000c1', 'draft', 'draft', NULL),
    ('00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000c1', 'scheduled', 'scheduled',
     now() + interval '1 day'),
    ('00000000-0000-7000-8000-000000000b03', '00000000-0000-7000-8000-0000000000c1', 'published', 'published',
     now() - interval '1 hour');

--------------------------------------------------------------------------------
-- catalog: functions and triggers
--------------------------------------------------------------------------------
SELECT has_function('creator_platform', 'publish_post', ARRAY['uuid'], 'publish_post(uuid) exists');
SELECT function_returns('creator_platform', 'publish_post', ARRAY['uuid'], 'posts',
                        'publish_post(uuid) returns posts');
SELECT has_function('creator_platform', 'schedule_post', ARRAY['uuid', 'timestamp with time zone'],
                    'schedule_post(uuid, timestamptz) exists');
SELECT function_returns('creator_platform', 'schedule_post', ARRAY['uuid', 'timestamp with time zone'], 'posts',
                        'schedule_post(uuid, timestamptz) returns posts');
SELECT has_function('creator_platform', 'publish_due_posts', ARRAY[]::name[], 'publish_due_posts() exists');
SELECT function_returns('creator_platform', 'publish_due_posts', ARRAY[]::name[], 'integer',
                        'publish_due_posts() returns integer');
SELECT isnt_strict('creator_platform', f::name, a::name[], format('%s is not STRICT (NULL raises 22023)', f))
  FROM (VALUES ('publish_post', ARRAY['uuid']),
               ('schedule_post', ARRAY['uuid', 'timestamp with time zone'])) AS v(f, a);
SELECT is(
    (SELECT array_agg(p.proname::text || CASE WHEN p.prosecdef THEN ' (SECURITY DEFINER)' ELSE '' END ORDER BY p.proname)
       FROM pg_catalog.pg_proc p
      WHERE p.pronamespace = 'creator_platform'::regnamespace
        AND p.proname IN ('publish_post', 'schedule_post', 'publish_due_posts')
        AND p.provolatile = 'v'
        AND 'search_path=pg_catalog, pg_temp' = ANY (p.proconfig)),
    ARRAY['publish_due_posts (SECURITY DEFINER)', 'publish_post', 'schedule_post'],
    'the post functions are VOLATILE with search_path pinned to pg_catalog, pg_temp; SECURITY INVOKER but publish_due_posts (0.5.0: it must see every due post under row-level security)');
SELECT has_trigger('creator_platform', 'posts', t::name, format('posts has trigger %s', t))
  FROM unnest(ARRAY['posts_lifecycle_insert', 'posts_lifecycle_update', 'posts_owner_role_insert',
                    'posts_owner_role_update', 'posts_published_event_insert',
                    'posts_published_event_update']) AS t;
SELECT has_trigger('creator_platform', 'users', 'users_reader_demotion', 'users has trigger users_reader_demotion');
-- the hot path: counter updates of posts must not call any of these row triggers
SELECT is_empty($$
    SELECT t.tgname FROM pg_catalog.pg_trigger t
     WHERE t.tgrelid = 'creator_platform.posts'::regclass AND NOT t.tgisinternal
       AND (t.tgtype & 1) = 1          -- FOR EACH ROW
       AND (t.tgtype & 16) = 16        -- ON UPDATE
       AND t.tgqual IS NULL
       AND t.tgname <> 'posts_set_updated_at'
  $$, 'every row-level UPDATE trigger on posts but posts_set_updated_at has a WHEN clause');

--------------------------------------------------------------------------------
-- owner role (23514)
--------------------------------------------------------------------------------
SELECT * FROM cp_test.rejects(
    $$INSERT INTO posts (creator_id, title) VALUES ('00000000-0000-7000-8000-0000000000e1', 'by a reader')$$,
    '23514', 'a reader cannot own a draft');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO posts (creator_id, title, status) VALUES ('00000000-0000-7000-8000-0000000000e1', 'by a reader', 'published')$$,
    '23514', 'a reader cannot own a published post');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO posts (creator_id, title) VALUES
        ('00000000-0000-7000-8000-0000000000c1', 'fine'),
        ('00000000-0000-7000-8000-0000000000e1', 'by a reader'),
        ('00000000-0000-7000-8000-0000000000a1', 'fine too')$$,
    '23514', 'a multi-row INSERT with one post by a reader fails as a whole');
SELECT * FROM cp_test.rejects(
    $$UPDATE posts SET creator_id = '00000000-0000-7000-8000-0000000000e1'
       WHERE id = '00000000-0000-7000-8000-000000000b01'$$,
    '23514', 'a post cannot be given to a reader');
SELECT throws_ok(
    $$INSERT INTO posts (creator_id, title) VALUES ('00000000-0000-7000-8000-0000000000e1', 'by a reader')$$,
    '23514', 'user 00000000-0000-7000-8000-0000000000e1 has role reader and cannot own a post',
    'the message names the user');
SELECT * FROM cp_test.rejects(
    $$UPDATE users SET role = 'reader' WHERE id = '00000000-0000-7000-8000-0000000000c1'$$,
    '23514', 'a creator who owns posts cannot become a reader');
SELECT throws_ok(
    $$UPDATE users SET role = 'reader' WHERE id = '00000000-0000-7000-8000-0000000000c1'$$,
    '23514', 'user 00000000-0000-7000-8000-0000000000c1 owns posts and cannot become a reader',
    'the message names the user');
SELECT * FROM cp_test.rejects(
    $$UPDATE users SET role = 'reader' WHERE role IN ('creator', 'admin')$$,
    '23514', 'a multi-row role change in which one user owns posts fails as a whole');

SELECT lives_ok(
    $$UPDATE posts SET creator_id = '00000000-0000-7000-8000-0000000000a1'
       WHERE id = '00000000-0000-7000-8000-000000000b01'$$,
    'a post can be given to an admin');
SELECT lives_ok(
    $$UPDATE posts SET creator_id = '00000000-0000-7000-8000-0000000000c1'
       WHERE id = '00000000-0000-7000-8000-000000000b01'$$,
    'and back to a creator');
SELECT lives_ok(
    $$UPDATE users SET role = 'admin' WHERE id = '00000000-0000-7000-8000-0000000000c1'$$,
    'a creator who owns posts may become an admin');
SELECT lives_ok(
    $$UPDATE users SET role = 'creator' WHERE id = '00000000-0000-7000-8000-0000000000c1'$$,
    'and a creator again');
SELECT lives_ok(
    $$UPDATE users SET role = 'reader' WHERE id = '00000000-0000-7000-8000-0000000000c2'$$,
    'a creator with no posts and no subscribers may become a reader');
SELECT lives_ok(
    $$UPDATE users SET role = 'creator' WHERE id = '00000000-0000-7000-8000-0000000000c2'$$,
    'and a creator again');
SELECT lives_ok(
    $$UPDATE users SET bio = 'hello', role = 'reader' WHERE id = '00000000-0000-7000-8000-0000000000e1'$$,
    'an UPDATE that leaves a reader a reader is not refused');

-- an archived post counts as owned (archived with archive_posts, the only
-- way into the archive; then restored and deleted, with its event)
INSERT INTO posts (id, creator_id, title, status, published_at)
VALUES ('00000000-0000-7000-8000-00000000ab01', '00000000-0000-7000-8000-0000000000c2', 'archived', 'published',
        now() - interval '3 years');
SELECT FROM archive_posts(now() - interval '2 years');
SELECT * FROM cp_test.rejects(
    $$UPDATE users SET role = 'reader' WHERE id = '00000000-0000-7000-8000-0000000000c2'$$,
    '23514', 'a creator whose only post is archived cannot become a reader');
SELECT FROM restore_post('00000000-0000-7000-8000-00000000ab01');
DELETE FROM posts WHERE id = '00000000-0000-7000-8000-00000000ab01';
DELETE FROM events WHERE payload ->> 'post_id' = '00000000-0000-7000-8000-00000000ab01';

-- the owner check needs no privilege beyond INSERT on posts (it runs as the
-- extension's owner, like a foreign key check)
CREATE ROLE cp_test_poster NOLOGIN;
GRANT USAGE ON SCHEMA creator_platform TO cp_test_poster;
GRANT INSERT ON creator_platform.posts TO cp_test_poster;
GRANT EXECUTE ON FUNCTION creator_platform.uuid_generate_v7() TO cp_test_poster;  -- the default of posts.id (0.5.0: not for PUBLIC)
-- (pgTAP's own temp tables are not the role's: run the statements in DO
-- blocks and test their outcome after RESET ROLE)
SET LOCAL ROLE cp_test_poster;
DO $$
BEGIN
    INSERT INTO creator_platform.posts (id, creator_id, title, status)
    VALUES ('00000000-0000-7000-8000-000000000bf1', '00000000-0000-7000-8000-0000000000c2', 'from the app', 'published');
    PERFORM set_config('cp_test.outcome_ok', 'ok', true);
EXCEPTION WHEN OTHERS THEN
    PERFORM set_config('cp_test.outcome_ok', SQLSTATE || ' ' || SQLERRM, true);
END
$$;
DO $$
BEGIN
    INSERT INTO creator_platform.posts (creator_id, title) VALUES ('00000000-0000-7000-8000-0000000000e1', 'x');
    PERFORM set_config('cp_test.outcome_reader', 'ok', true);
EXCEPTION WHEN OTHERS THEN
    PERFORM set_config('cp_test.outcome_reader', SQLSTATE, true);
END
$$;
RESET ROLE;
SELECT is(current_setting('cp_test.outcome_ok'), 'ok',
          'a role with only INSERT on posts inserts a published post (owner check and outbox need no more)');
SELECT is(current_setting('cp_test.outcome_reader'), '23514',
          'and gets 23514 for a reader''s post like everyone');
SELECT is((SELECT count(*) FROM events WHERE payload ->> 'post_id' = '00000000-0000-7000-8000-000000000bf1'),
          1::bigint, 'its post_published event was written');
DELETE FROM events;
DELETE FROM posts WHERE id = '00000000-0000-7000-8000-000000000bf1';

--------------------------------------------------------------------------------
-- transitions: every pair of distinct statuses, by UPDATE
--------------------------------------------------------------------------------
-- one post per transition, each starting in its from-status
INSERT INTO posts (id, creator_id, title, status, published_at) VALUES
    ('00000000-0000-7000-8000-000000000d01', '00000000-0000-7000-8000-0000000000c1', 'd->s', 'draft', NULL),
    ('00000000-0000-7000-8000-000000000d02', '00000000-0000-7000-8000-0000000000c1', 'd->p', 'draft', NULL),
    ('00000000-0000-7000-8000-000000000d03', '00000000-0000-7000-8000-0000000000c1', 's->d', 'scheduled', now() + interval '2 days'),
    ('00000000-0000-7000-8000-000000000d04', '00000000-0000-7000-8000-0000000000c1', 's->p', 'scheduled', now() + interval '2 days'),
    ('00000000-0000-7000-8000-000000000d05', '00000000-0000-7000-8000-0000000000c1', 'p->d', 'published', now() - interval '2 days'),
    ('00000000-0000-7000-8000-000000000d06', '00000000-0000-7000-8000-0000000000c1', 'p->s', 'published', now() - interval '2 days');

SELECT lives_ok(
    $$UPDATE posts SET status = 'scheduled', published_at = now() + interval '3 days'
       WHERE id = '00000000-0000-7000-8000-000000000d01'$$, 'draft -> scheduled is allowed');
SELECT results_eq(
    $$SELECT status, published_at FROM posts WHERE id = '00000000-0000-7000-8000-000000000d01'$$,
    $$VALUES ('scheduled'::post_status, now() + interval '3 days')$$,
    'draft -> scheduled keeps the future published_at given');
SELECT lives_ok(
    $$UPDATE posts SET status = 'published' WHERE id = '00000000-0000-7000-8000-000000000d02'$$,
    'draft -> published is allowed');
SELECT results_eq(
    $$SELECT status, published_at FROM posts WHERE id = '00000000-0000-7000-8000-000000000d02'$$,
    $$VALUES ('published'::post_status, now())$$,
    'draft -> published: the database sets published_at = now()');
SELECT lives_ok(
    $$UPDATE posts SET status = 'draft' WHERE id = '00000000-0000-7000-8000-000000000d03'$$,
    'scheduled -> draft is allowed');
SELECT results_eq(
    $$SELECT status, published_at FROM posts WHERE id = '00000000-0000-7000-8000-000000000d03'$$,
    $$VALUES ('draft'::post_status, NULL::timestamptz)$$,
    'scheduled -> draft: the database clears published_at');
SELECT lives_ok(
    $$UPDATE posts SET status = 'published' WHERE id = '00000000-0000-7000-8000-000000000d04'$$,
    'scheduled -> published is allowed');
SELECT results_eq(
    $$SELECT status, published_at FROM posts WHERE id = '00000000-0000-7000-8000-000000000d04'$$,
    $$VALUES ('published'::post_status, now())$$,
    'early publish: a scheduled post whose time has not come gets published_at = now()');
SELECT lives_ok(
    $$UPDATE posts SET status = 'draft' WHERE id = '00000000-0000-7000-8000-000000000d05'$$,
    'published -> draft is allowed');
SELECT results_eq(
    $$SELECT status, published_at FROM posts WHERE id = '00000000-0000-7000-8000-000000000d05'$$,
    $$VALUES ('draft'::post_status, NULL::timestamptz)$$,
    'back to draft: the database clears published_at');
SELECT * FROM cp_test.rejects(
    $$UPDATE posts SET status = 'scheduled', published_at = now() + interval '1 day'
       WHERE id = '00000000-0000-7000-8000-000000000d06'$$,
    '55000', 'published -> scheduled is refused');
SELECT throws_ok(
    $$UPDATE posts SET status = 'scheduled', published_at = now() + interval '1 day'
       WHERE id = '00000000-0000-7000-8000-000000000d06'$$,
    '55000', 'post 00000000-0000-7000-8000-000000000d06 cannot go from published to scheduled',
    'the message names the post and both statuses');
SELECT * FROM cp_test.rejects(
    $$UPDATE posts SET status = 'scheduled' WHERE id = '00000000-0000-7000-8000-000000000d06'$$,
    '55000', 'published -> scheduled keeping the past published_at is refused as a transition');
SELECT * FROM cp_test.rejects(
    $$UPDATE posts SET status = 'scheduled', published_at = now() + interval '1 day'
       WHERE id IN ('00000000-0000-7000-8000-000000000d06', '00000000-0000-7000-8000-000000000d01')$$,
    '55000', 'a multi-row UPDATE with one published -> scheduled fails as a whole');
-- the way back to scheduled goes through draft
SELECT lives_ok(
    $$UPDATE posts SET status = 'draft' WHERE id = '00000000-0000-7000-8000-000000000d06'$$,
    'published -> draft, then');
SELECT lives_ok(
    $$UPDATE posts SET status = 'scheduled', published_at = now() + interval '1 day'
       WHERE id = '00000000-0000-7000-8000-000000000d06'$$,
    'draft -> scheduled');

-- the same status is not a transition
SELECT lives_ok(
    $$UPDATE posts SET status = 'published' WHERE id = '00000000-0000-7000-8000-000000000b03'$$,
    'published -> published is no transition and is accepted');
SELECT is((SELECT published_at FROM posts WHERE id = '00000000-0000-7000-8000-000000000b03'),
          now() - interval '1 hour', 'and keeps published_at');
SELECT lives_ok(
    $$UPDATE posts SET status = 'draft', title = 'draft, edited' WHERE id = '00000000-0000-7000-8000-000000000b01'$$,
    'draft -> draft is accepted');
SELECT lives_ok(
    $$UPDATE posts SET status = 'scheduled' WHERE id = '00000000-0000-7000-8000-000000000b02'$$,
    'scheduled -> scheduled with the same time is accepted');

-- any initial status on INSERT
SELECT lives_ok(
    format($$INSERT INTO posts (creator_id, title, status, published_at) VALUES (%L, %L, %L, %s)$$,
           '00000000-0000-7000-8000-0000000000c1', 'new ' || s, s, d),
    format('INSERT as %s is allowed', s))
  FROM (VALUES ('draft', 'NULL'), ('scheduled', $$now() + interval '1 hour'$$), ('published', 'NULL')) AS v(s, d);

--------------------------------------------------------------------------------
-- published_at
--------------------------------------------------------------------------------
-- INSERT as published
INSERT INTO posts (id, creator_id, title, status, published_at) VALUES
    ('00000000-0000-7000-8000-000000000e01', '00000000-0000-7000-8000-0000000000c1', 'no date', 'published', NULL),
    ('00000000-0000-7000-8000-000000000e02', '00000000-0000-7000-8000-0000000000c1', 'backdated', 'published',
     '2020-02-02 12:00+00'),
    ('00000000-0000-7000-8000-000000000e03', '00000000-0000-7000-8000-0000000000c1', 'future', 'published',
     now() + interval '1 day');
SELECT is((SELECT published_at FROM posts WHERE id = '00000000-0000-7000-8000-000000000e01'), now(),
          'INSERT published without published_at: now()');
SELECT is((SELECT published_at FROM posts WHERE id = '00000000-0000-7000-8000-000000000e02'),
          '2020-02-02 12:00+00'::timestamptz, 'INSERT published with a past published_at keeps it (imports)');
SELECT is((SELECT published_at FROM posts WHERE id = '00000000-0000-7000-8000-000000000e03'), now(),
          'INSERT published with a future published_at: now() (a published post is not dated in the future)');

-- INSERT as scheduled needs a future published_at
SELECT cp_test.rejects(
    format($$INSERT INTO posts (creator_id, title, status, published_at) VALUES (%L, 'late', 'scheduled', %s)$$,
           '00000000-0000-7000-8000-0000000000c1', d),
    '23514', format('INSERT scheduled with published_at %s is refused', w))
  FROM (VALUES ($$now() - interval '1 minute'$$, 'in the past'), ('now()', 'now()'), ('NULL', 'NULL')) AS v(d, w);
SELECT throws_like(
    $$INSERT INTO posts (id, creator_id, title, status, published_at)
      VALUES ('00000000-0000-7000-8000-000000000e09', '00000000-0000-7000-8000-0000000000c1', 'late', 'scheduled', '2020-06-01+00')$$,
    'post 00000000-0000-7000-8000-000000000e09 is scheduled but its published_at 2020-06-01 % is not in the future',
    'the message names the post and the time');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO posts (creator_id, title, status, published_at)
      SELECT '00000000-0000-7000-8000-0000000000c1', 'bulk ' || g, 'scheduled',
             now() + (500 - g) * interval '1 minute'
        FROM generate_series(1, 1000) AS g$$,
    '23514', 'INSERT ... SELECT of 1000 scheduled posts of which half are due: refused as a whole');

-- UPDATE while scheduled, or into scheduled
SELECT * FROM cp_test.rejects(
    $$UPDATE posts SET published_at = now() - interval '1 minute' WHERE id = '00000000-0000-7000-8000-000000000b02'$$,
    '23514', 're-scheduling into the past is refused');
SELECT * FROM cp_test.rejects(
    $$UPDATE posts SET published_at = NULL WHERE id = '00000000-0000-7000-8000-000000000b02'$$,
    '23514', 'a scheduled post cannot lose its published_at');
SELECT * FROM cp_test.rejects(
    $$UPDATE posts SET status = 'scheduled', published_at = now() WHERE id = '00000000-0000-7000-8000-000000000b01'$$,
    '23514', 'draft -> scheduled for now() is refused (not in the future)');
SELECT * FROM cp_test.rejects(
    $$UPDATE posts SET status = 'scheduled' WHERE id = '00000000-0000-7000-8000-000000000b01'$$,
    '23514', 'draft -> scheduled without published_at is refused');
SELECT lives_ok(
    $$UPDATE posts SET published_at = now() + interval '5 days' WHERE id = '00000000-0000-7000-8000-000000000b02'$$,
    're-scheduling to another future time is allowed');
SELECT is((SELECT published_at FROM posts WHERE id = '00000000-0000-7000-8000-000000000b02'),
          now() + interval '5 days', 'and sets it');

-- draft and published
SELECT * FROM cp_test.rejects(
    $$UPDATE posts SET published_at = now() - interval '1 day' WHERE id = '00000000-0000-7000-8000-000000000b01'$$,
    '23514', 'a draft that stays a draft cannot get a published_at');
SELECT * FROM cp_test.rejects(
    $$UPDATE posts SET published_at = NULL WHERE id = '00000000-0000-7000-8000-000000000b03'$$,
    '23514', 'a published post cannot lose its published_at');
SELECT lives_ok(
    $$UPDATE posts SET published_at = '2021-01-01+00' WHERE id = '00000000-0000-7000-8000-000000000e02'$$,
    'the date of a published post may be corrected');
SELECT is((SELECT published_at FROM posts WHERE id = '00000000-0000-7000-8000-000000000e02'),
          '2021-01-01+00'::timestamptz, 'and is kept');
SELECT lives_ok(
    $$UPDATE posts SET status = 'draft', published_at = '2021-06-01+00' WHERE id = '00000000-0000-7000-8000-000000000e02'$$,
    'back to draft while writing a published_at');
SELECT is((SELECT published_at FROM posts WHERE id = '00000000-0000-7000-8000-000000000e02'), NULL,
          'back to draft clears published_at whatever the UPDATE wrote');
SELECT lives_ok(
    $$UPDATE posts SET status = 'published', published_at = '2019-09-09+00' WHERE id = '00000000-0000-7000-8000-000000000e02'$$,
    'draft -> published with a past published_at given');
SELECT is((SELECT published_at FROM posts WHERE id = '00000000-0000-7000-8000-000000000e02'),
          '2019-09-09+00'::timestamptz, 'keeps it (backdating)');
SELECT lives_ok(
    $$UPDATE posts SET status = 'draft' WHERE id = '00000000-0000-7000-8000-000000000e02'$$, 'back to draft');
SELECT lives_ok(
    $$UPDATE posts SET status = 'published', published_at = now() + interval '1 hour'
       WHERE id = '00000000-0000-7000-8000-000000000e02'$$,
    'draft -> published with a future published_at given');
SELECT is((SELECT published_at FROM posts WHERE id = '00000000-0000-7000-8000-000000000e02'), now(),
          'gets now()');

-- scheduled posts whose time has come (see the header)
SET LOCAL session_replication_role = replica;
INSERT INTO posts (id, creator_id, title, status, published_at) VALUES
    ('00000000-0000-7000-8000-000000000f01', '00000000-0000-7000-8000-0000000000c1', 'due 1', 'scheduled', now() - interval '3 hours'),
    ('00000000-0000-7000-8000-000000000f02', '00000000-0000-7000-8000-0000000000c1', 'due 2', 'scheduled', now() - interval '2 hours'),
    ('00000000-0000-7000-8000-000000000f03', '00000000-0000-7000-8000-0000000000c2', 'due 3', 'scheduled', now() - interval '1 hour'),
    ('00000000-0000-7000-8000-000000000f04', '00000000-0000-7000-8000-0000000000c2', 'due 4', 'scheduled', now() - interval '30 minutes');
SET LOCAL session_replication_role = origin;
SELECT lives_ok(
    $$UPDATE posts SET title = 'due 1, edited' WHERE id = '00000000-0000-7000-8000-000000000f01'$$,
    'an UPDATE of other columns of a due scheduled post does not run the lifecycle check');
SELECT lives_ok(
    $$UPDATE posts SET status = 'published' WHERE id = '00000000-0000-7000-8000-000000000f04'$$,
    'a due scheduled post is published by UPDATE');
SELECT is((SELECT published_at FROM posts WHERE id = '00000000-0000-7000-8000-000000000f04'),
          now() - interval '30 minutes', 'a scheduled post whose time has come keeps its scheduled time');

--------------------------------------------------------------------------------
-- publish_post
--------------------------------------------------------------------------------
SELECT * FROM cp_test.rejects($$SELECT publish_post(NULL)$$, '22023', 'publish_post(NULL)');
SELECT throws_ok($$SELECT publish_post(NULL)$$, '22023', 'post_id must not be NULL', 'publish_post(NULL): the message');
SELECT * FROM cp_test.rejects($$SELECT publish_post('00000000-0000-7000-8000-00000000dead')$$, '22023',
                              'publish_post of a post that does not exist');
SELECT throws_ok($$SELECT publish_post('00000000-0000-7000-8000-00000000dead')$$, '22023',
                 'post 00000000-0000-7000-8000-00000000dead does not exist', 'the message names the post');

INSERT INTO posts (id, creator_id, title) VALUES
    ('00000000-0000-7000-8000-000000000a01', '00000000-0000-7000-8000-0000000000c1', 'to publish');
SELECT results_eq(
    $$SELECT id, status, published_at, title FROM publish_post('00000000-0000-7000-8000-000000000a01')$$,
    $$VALUES ('00000000-0000-7000-8000-000000000a01'::uuid, 'published'::post_status, now(), 'to publish'::text)$$,
    'publish_post of a draft returns it published at now()');
INSERT INTO posts (id, creator_id, title, visibility, content) VALUES
    ('00000000-0000-7000-8000-000000000a03', '00000000-0000-7000-8000-0000000000c1', 'to publish too', 'subscribers', 'body');
CREATE TEMP TABLE published_result AS
    SELECT r FROM publish_post('00000000-0000-7000-8000-000000000a03') AS r;
SELECT results_eq(
    $$SELECT r FROM published_result$$,
    $$SELECT p FROM posts AS p WHERE p.id = '00000000-0000-7000-8000-000000000a03'$$,
    'publish_post returns the row as stored, every column in table order');
UPDATE posts SET published_at = now() - interval '1 day' WHERE id = '00000000-0000-7000-8000-000000000a01';
SELECT is((publish_post('00000000-0000-7000-8000-000000000a01')).published_at, now() - interval '1 day',
          'publish_post of a published post returns it unchanged (idempotent)');
SELECT is((SELECT count(*) FROM posts WHERE id = '00000000-0000-7000-8000-000000000a01' AND status = 'published'),
          1::bigint, 'and it is still published');
SELECT is((publish_post('00000000-0000-7000-8000-000000000f03')).published_at, now() - interval '1 hour',
          'publish_post of a due scheduled post keeps its scheduled time');
SELECT is((publish_post('00000000-0000-7000-8000-000000000b02')).published_at, now(),
          'publish_post of a scheduled post whose time has not come: now()');

--------------------------------------------------------------------------------
-- schedule_post
--------------------------------------------------------------------------------
INSERT INTO posts (id, creator_id, title) VALUES
    ('00000000-0000-7000-8000-000000000a02', '00000000-0000-7000-8000-0000000000c1', 'to schedule');
SELECT * FROM cp_test.rejects($$SELECT schedule_post(NULL, now() + interval '1 day')$$, '22023',
                              'schedule_post with post_id NULL');
SELECT * FROM cp_test.rejects($$SELECT schedule_post('00000000-0000-7000-8000-000000000a02', NULL)$$, '22023',
                              'schedule_post with publish_at NULL');
SELECT throws_ok($$SELECT schedule_post('00000000-0000-7000-8000-000000000a02', NULL)$$, '22023',
                 'publish_at must not be NULL', 'the message names the argument');
SELECT * FROM cp_test.rejects($$SELECT schedule_post('00000000-0000-7000-8000-000000000a02', now() - interval '1 second')$$,
                              '22023', 'schedule_post for the past (argument out of range)');
SELECT * FROM cp_test.rejects($$SELECT schedule_post('00000000-0000-7000-8000-000000000a02', now())$$,
                              '22023', 'schedule_post for now()');
SELECT * FROM cp_test.rejects($$SELECT schedule_post('00000000-0000-7000-8000-00000000dead', now() + interval '1 day')$$,
                              '22023', 'schedule_post of a post that does not exist');
SELECT * FROM cp_test.rejects($$SELECT schedule_post('00000000-0000-7000-8000-000000000b03', now() + interval '1 day')$$,
                              '55000', 'schedule_post of a published post');
SELECT results_eq(
    $$SELECT id, status, published_at FROM schedule_post('00000000-0000-7000-8000-000000000a02', now() + interval '1 day')$$,
    $$VALUES ('00000000-0000-7000-8000-000000000a02'::uuid, 'scheduled'::post_status, now() + interval '1 day')$$,
    'schedule_post of a draft returns it scheduled');
SELECT results_eq(
    $$SELECT id, status, published_at FROM schedule_post('00000000-0000-7000-8000-000000000a02', now() + interval '2 days')$$,
    $$VALUES ('00000000-0000-7000-8000-000000000a02'::uuid, 'scheduled'::post_status, now() + interval '2 days')$$,
    'schedule_post of a scheduled post re-schedules it');
CREATE TEMP TABLE scheduled_result AS
    SELECT r FROM schedule_post('00000000-0000-7000-8000-000000000a02', now() + interval '3 days') AS r;
SELECT results_eq(
    $$SELECT r FROM scheduled_result$$,
    $$SELECT p FROM posts AS p WHERE p.id = '00000000-0000-7000-8000-000000000a02'$$,
    'schedule_post returns the row as stored, every column in table order');

--------------------------------------------------------------------------------
-- publish_due_posts
--------------------------------------------------------------------------------
-- due now: f01, f02 (f03, f04 were published above); not due: a02, d01, d06
DELETE FROM events;
SELECT is(publish_due_posts(), 2, 'publish_due_posts publishes the two due posts');
SELECT results_eq(
    $$SELECT id, status, published_at FROM posts
       WHERE id IN ('00000000-0000-7000-8000-000000000f01', '00000000-0000-7000-8000-000000000f02') ORDER BY id$$,
    $$VALUES ('00000000-0000-7000-8000-000000000f01'::uuid, 'published'::post_status, now() - interval '3 hours'),
             ('00000000-0000-7000-8000-000000000f02'::uuid, 'published'::post_status, now() - interval '2 hours')$$,
    'each keeps its scheduled time');
SELECT is((SELECT count(*) FROM posts WHERE status = 'scheduled'), 4::bigint,
          'the posts whose time has not come are still scheduled');
SELECT is((SELECT count(*) FROM events WHERE kind = 'post_published'), 2::bigint, 'one post_published event each');
SELECT is(publish_due_posts(), 0, 'a second run finds nothing (idempotent)');
SELECT is((SELECT count(*) FROM events), 2::bigint, 'and writes no event');

-- many due posts at once
SET LOCAL session_replication_role = replica;
INSERT INTO posts (creator_id, title, status, published_at)
SELECT CASE WHEN g % 2 = 0 THEN '00000000-0000-7000-8000-0000000000c1' ELSE '00000000-0000-7000-8000-0000000000c2' END::uuid,
       'due bulk ' || g, 'scheduled', now() - g * interval '1 second'
  FROM generate_series(1, 500) AS g;
SET LOCAL session_replication_role = origin;
SELECT is(publish_due_posts(), 500, 'publish_due_posts publishes 500 due posts in one call');
SELECT is((SELECT count(*) FROM posts WHERE title LIKE 'due bulk %' AND status = 'published'
             AND published_at = now() - (substr(title, 10)::int * interval '1 second')),
          500::bigint, 'all 500 published at their scheduled time');
SELECT is(publish_due_posts(), 0, 'and the next run publishes none');

-- a statement with NULL status or creator is still refused by NOT NULL (23502)
SELECT * FROM cp_test.rejects(
    $$UPDATE posts SET status = NULL WHERE id = '00000000-0000-7000-8000-000000000b03'$$,
    '23502', 'status NULL is a NOT NULL violation, not a transition');

SELECT * FROM finish();
ROLLBACK;
