-- 421_rls_writes: with row-level security on, every write path of the
-- contract still works for the application role, and every rule still holds
-- (issue 6, "Row-level security"; docs/security.md).
--   * the application writes as its viewer: a creator writes and publishes
--     its drafts, schedules, comments; a subscriber comments on a subscribers
--     post; a stranger comments on a public post; publish_due_posts publishes
--     every due post whoever the viewer (it must see them all); subscriptions
--     are not under row security; an admin edits a published post; users are
--     deleted with their comments on posts the viewer cannot see (the
--     deletion triggers run as the owner), live and archived;
--   * what a viewer may not see it may not write either (42501: a comment on a
--     subscribers post by a stranger, a draft for someone else, a post an admin
--     would turn into someone else's draft), or does not find (UPDATE, DELETE,
--     delete_comment of a hidden row change nothing); nothing changes then;
--   * the rules keep their SQLSTATEs whatever the viewer sees: a comment on a
--     draft or an archived post 55000, a reply on another post 23514, a
--     reader's post 23514;
--   * the counters are exact (also on posts the writer could not see), every
--     comment and publication has its event, and claim_events works.
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(37);

CREATE FUNCTION pg_temp.as_viewer(role text, viewer text, query text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
    result text;
BEGIN
    BEGIN
        EXECUTE format('SET LOCAL ROLE %I', role);
        PERFORM set_config('creator_platform.viewer_id', coalesce(viewer, ''), true);
        EXECUTE query INTO result;
        PERFORM set_config('creator_platform.viewer_id', '', true);
        RESET ROLE;
        RETURN coalesce(result, 'NULL');
    EXCEPTION WHEN OTHERS THEN
        RETURN 'ERROR ' || SQLSTATE;
    END;
END
$f$;
-- as_viewer, and whether the database is unchanged afterwards
CREATE FUNCTION pg_temp.refused(viewer text, query text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
    before text := cp_test.db_state();
    result text := pg_temp.as_viewer('cp_421_app', viewer, query);
BEGIN
    RETURN result || CASE WHEN cp_test.db_state() = before THEN ', nothing changed' ELSE ', CHANGED' END;
END
$f$;

--------------------------------------------------------------------------------
-- data: creators c1, c2; admin a1; readers e1 (subscriber of c1), e2, e3
-- c1: pub, sub (subscribers), draft, due (scheduled, its time has come),
--     asub (subscribers, archived); c2: sub2 (subscribers), pub2
-- comments: e1 on sub; e2 on sub (a leaf), on sub2 (c2 replied), on asub
--------------------------------------------------------------------------------
INSERT INTO users (id, email, username, role) VALUES
    ('00000000-0000-7000-8000-0000000421c1', 'c1@421.test', 'u421_c1', 'creator'),
    ('00000000-0000-7000-8000-0000000421c2', 'c2@421.test', 'u421_c2', 'creator'),
    ('00000000-0000-7000-8000-0000000421a1', 'a1@421.test', 'u421_a1', 'admin'),
    ('00000000-0000-7000-8000-0000000421e1', 'e1@421.test', 'u421_e1', 'reader'),
    ('00000000-0000-7000-8000-0000000421e2', 'e2@421.test', 'u421_e2', 'reader'),
    ('00000000-0000-7000-8000-0000000421e3', 'e3@421.test', 'u421_e3', 'reader');
INSERT INTO posts (id, creator_id, title, status, visibility, published_at) VALUES
    ('00000000-0000-7000-8000-000000421b01', '00000000-0000-7000-8000-0000000421c1', 'pub', 'published', 'public', now() - interval '1 hour'),
    ('00000000-0000-7000-8000-000000421b02', '00000000-0000-7000-8000-0000000421c1', 'sub', 'published', 'subscribers', now() - interval '2 hours'),
    ('00000000-0000-7000-8000-000000421b03', '00000000-0000-7000-8000-0000000421c1', 'draft', 'draft', 'public', NULL),
    ('00000000-0000-7000-8000-000000421b06', '00000000-0000-7000-8000-0000000421c1', 'asub', 'published', 'subscribers', now() - interval '3 years'),
    ('00000000-0000-7000-8000-000000421b21', '00000000-0000-7000-8000-0000000421c2', 'sub2', 'published', 'subscribers', now() - interval '3 hours'),
    ('00000000-0000-7000-8000-000000421b22', '00000000-0000-7000-8000-0000000421c2', 'pub2', 'published', 'public', now() - interval '4 hours');
INSERT INTO comments (id, post_id, user_id, content) VALUES
    ('00000000-0000-7000-8000-00000421c002', '00000000-0000-7000-8000-000000421b02', '00000000-0000-7000-8000-0000000421e1', 'e1 on sub'),
    ('00000000-0000-7000-8000-00000421c003', '00000000-0000-7000-8000-000000421b02', '00000000-0000-7000-8000-0000000421e2', 'e2 on sub'),
    ('00000000-0000-7000-8000-00000421c021', '00000000-0000-7000-8000-000000421b21', '00000000-0000-7000-8000-0000000421e2', 'e2 on sub2'),
    ('00000000-0000-7000-8000-00000421c006', '00000000-0000-7000-8000-000000421b06', '00000000-0000-7000-8000-0000000421e2', 'e2 on asub');
INSERT INTO comments (id, post_id, user_id, parent_comment_id, content) VALUES
    ('00000000-0000-7000-8000-00000421c022', '00000000-0000-7000-8000-000000421b21', '00000000-0000-7000-8000-0000000421c2',
     '00000000-0000-7000-8000-00000421c021', 'c2 replies');
SELECT is(archive_posts(now() - interval '2 years'), 1::bigint, 'fixture: asub is archived');
SET LOCAL session_replication_role = replica;
INSERT INTO posts (id, creator_id, title, status, published_at) VALUES
    ('00000000-0000-7000-8000-000000421b04', '00000000-0000-7000-8000-0000000421c1', 'due', 'scheduled', now() - interval '1 minute');
SET LOCAL session_replication_role = origin;
DO $$
BEGIN
    PERFORM creator_platform.subscribe('00000000-0000-7000-8000-0000000421e1', '00000000-0000-7000-8000-0000000421c1');
END
$$;
DELETE FROM events;
SET CONSTRAINTS ALL IMMEDIATE;  -- (no deferred trigger event may be pending for ALTER TABLE)
SELECT creator_platform.enable_row_security();
CREATE ROLE cp_421_app NOLOGIN;
SELECT creator_platform.grant_usage('cp_421_app');

--------------------------------------------------------------------------------
-- the creator
--------------------------------------------------------------------------------
SELECT is(pg_temp.as_viewer('cp_421_app', '00000000-0000-7000-8000-0000000421c1', $$
    WITH p AS (INSERT INTO creator_platform.posts (id, creator_id, title)
               VALUES ('00000000-0000-7000-8000-000000421b07', '00000000-0000-7000-8000-0000000421c1', 'new draft') RETURNING status)
    SELECT string_agg(status::text, ',') FROM p$$), 'draft', 'the creator inserts a draft (and reads it back: RETURNING)');
SELECT is(pg_temp.as_viewer('cp_421_app', '00000000-0000-7000-8000-0000000421c1', $$
    WITH p AS (UPDATE creator_platform.posts SET title = 'new draft, edited' WHERE id = '00000000-0000-7000-8000-000000421b07' RETURNING 1)
    SELECT count(*)::text FROM p$$), '1', 'edits it');
SELECT is(pg_temp.as_viewer('cp_421_app', '00000000-0000-7000-8000-0000000421c1',
    $$SELECT status::text FROM creator_platform.schedule_post('00000000-0000-7000-8000-000000421b03', now() + interval '1 day')$$),
    'scheduled', 'schedules another with schedule_post');
SELECT is(pg_temp.as_viewer('cp_421_app', '00000000-0000-7000-8000-0000000421c1',
    $$SELECT status::text FROM creator_platform.publish_post('00000000-0000-7000-8000-000000421b07')$$),
    'published', 'publishes the new one with publish_post');
SELECT is(pg_temp.as_viewer('cp_421_app', '00000000-0000-7000-8000-0000000421c1',
    $$SELECT depth::text FROM creator_platform.add_comment('00000000-0000-7000-8000-000000421b02', '00000000-0000-7000-8000-0000000421c1',
                                                            'c1 replies', '00000000-0000-7000-8000-00000421c002')$$),
    '1', 'replies to a comment on its subscribers post');

--------------------------------------------------------------------------------
-- a subscriber, a stranger, anonymous
--------------------------------------------------------------------------------
SELECT is(pg_temp.as_viewer('cp_421_app', '00000000-0000-7000-8000-0000000421e1',
    $$SELECT depth::text FROM creator_platform.add_comment('00000000-0000-7000-8000-000000421b02', '00000000-0000-7000-8000-0000000421e1', 'e1 again')$$),
    '0', 'a subscriber comments on a subscribers post');
SELECT is(pg_temp.as_viewer('cp_421_app', '00000000-0000-7000-8000-0000000421e3',
    $$SELECT depth::text FROM creator_platform.add_comment('00000000-0000-7000-8000-000000421b01', '00000000-0000-7000-8000-0000000421e3', 'e3 on pub')$$),
    '0', 'a stranger comments on a public post');
SELECT is(pg_temp.as_viewer('cp_421_app', NULL, $$
    WITH c AS (INSERT INTO creator_platform.comments (post_id, user_id, content)
               SELECT '00000000-0000-7000-8000-000000421b22', u.id, 'bulk ' || u.username FROM creator_platform.users u
                WHERE u.username IN ('u421_e1', 'u421_e3')
               RETURNING 1)
    SELECT count(*)::text FROM c$$), '2', 'an anonymous multi-row INSERT ... SELECT of comments on a public post');
SELECT is(pg_temp.as_viewer('cp_421_app', NULL, $$SELECT creator_platform.publish_due_posts()::text$$), '1',
          'publish_due_posts without a viewer publishes the due post nobody but its creator may see');
SELECT is((SELECT status::text FROM posts WHERE id = '00000000-0000-7000-8000-000000421b04'), 'published', '... it is published');
SELECT is(pg_temp.as_viewer('cp_421_app', '00000000-0000-7000-8000-0000000421e3',
    $$SELECT status::text FROM creator_platform.subscribe('00000000-0000-7000-8000-0000000421e3', '00000000-0000-7000-8000-0000000421c2')$$),
    'active', 'subscribe (subscriptions are not under row security)');
SELECT is(pg_temp.as_viewer('cp_421_app', '00000000-0000-7000-8000-0000000421e3',
    $$SELECT depth::text FROM creator_platform.add_comment('00000000-0000-7000-8000-000000421b21', '00000000-0000-7000-8000-0000000421e3',
                                                            'e3 subscribed', '00000000-0000-7000-8000-00000421c022')$$),
    '2', '... and the new subscriber replies on c2''s subscribers post');
SELECT is(pg_temp.as_viewer('cp_421_app', '00000000-0000-7000-8000-0000000421e3',
    $$SELECT (cancelled_at IS NOT NULL)::text FROM creator_platform.cancel_subscription('00000000-0000-7000-8000-0000000421e3', '00000000-0000-7000-8000-0000000421c2')$$),
    'true', 'cancel_subscription');
SELECT is(pg_temp.as_viewer('cp_421_app', '00000000-0000-7000-8000-0000000421a1', $$
    WITH p AS (UPDATE creator_platform.posts SET title = 'sub2, moderated' WHERE id = '00000000-0000-7000-8000-000000421b21' RETURNING 1)
    SELECT count(*)::text FROM p$$), '1', 'an admin edits someone''s published subscribers post');
SELECT is(pg_temp.as_viewer('cp_421_app', '00000000-0000-7000-8000-0000000421c2', $$
    WITH p AS (UPDATE creator_platform.posts SET status = 'draft' WHERE id = '00000000-0000-7000-8000-000000421b22' RETURNING 1)
    SELECT count(*)::text FROM p$$), '1', 'a creator takes its own post back to draft');

--------------------------------------------------------------------------------
-- not seen, not written
--------------------------------------------------------------------------------
SELECT is(pg_temp.refused('00000000-0000-7000-8000-0000000421e2',
    $$SELECT count(*)::text FROM creator_platform.add_comment('00000000-0000-7000-8000-000000421b02', '00000000-0000-7000-8000-0000000421e2', 'let me in')$$),
    'ERROR 42501, nothing changed', 'a cancelled subscriber cannot comment on a subscribers post it cannot see: 42501');
SELECT is(pg_temp.refused('00000000-0000-7000-8000-0000000421e2', $$
    WITH c AS (INSERT INTO creator_platform.comments (post_id, user_id, content)
               VALUES ('00000000-0000-7000-8000-000000421b02', '00000000-0000-7000-8000-0000000421e2', 'let me in') RETURNING 1)
    SELECT count(*)::text FROM c$$), 'ERROR 42501, nothing changed', '... nor by a direct INSERT');
SELECT is(pg_temp.refused('00000000-0000-7000-8000-0000000421e3', $$
    WITH p AS (INSERT INTO creator_platform.posts (creator_id, title) VALUES ('00000000-0000-7000-8000-0000000421c1', 'planted') RETURNING 1)
    SELECT count(*)::text FROM p$$), 'ERROR 42501, nothing changed', 'a viewer cannot write a draft it could not see (someone else''s)');
SELECT is(pg_temp.refused('00000000-0000-7000-8000-0000000421a1', $$
    WITH p AS (UPDATE creator_platform.posts SET status = 'draft' WHERE id = '00000000-0000-7000-8000-000000421b01' RETURNING 1)
    SELECT count(*)::text FROM p$$), 'ERROR 42501, nothing changed', 'an admin cannot make someone''s post a draft it would no longer see');
SELECT is(pg_temp.refused('00000000-0000-7000-8000-0000000421e3', $$
    WITH p AS (UPDATE creator_platform.posts SET title = 'defaced' WHERE id = '00000000-0000-7000-8000-000000421b03' RETURNING 1)
    SELECT count(*)::text FROM p$$), '0, nothing changed', 'an UPDATE of a hidden draft finds nothing');
SELECT is(pg_temp.refused('00000000-0000-7000-8000-0000000421e3', $$
    WITH c AS (DELETE FROM creator_platform.comments WHERE post_id = '00000000-0000-7000-8000-000000421b02' RETURNING 1)
    SELECT count(*)::text FROM c$$), '0, nothing changed', 'a DELETE of the comments of a hidden post finds nothing');
SELECT is(pg_temp.refused('00000000-0000-7000-8000-0000000421e3',
    $$SELECT creator_platform.delete_comment('00000000-0000-7000-8000-00000421c003')::text$$),
    ', nothing changed', 'delete_comment of a hidden comment: nothing, as for a comment that is gone');
-- the rules, whatever the viewer sees
SELECT is(pg_temp.refused('00000000-0000-7000-8000-0000000421e3',
    $$SELECT count(*)::text FROM creator_platform.add_comment('00000000-0000-7000-8000-000000421b03', '00000000-0000-7000-8000-0000000421e3', 'on a draft')$$),
    'ERROR 55000, nothing changed', 'a comment on a draft the viewer cannot see: still 55000 (the threading check sees every post)');
SELECT is(pg_temp.refused('00000000-0000-7000-8000-0000000421e3',
    $$SELECT count(*)::text FROM creator_platform.add_comment('00000000-0000-7000-8000-000000421b06', '00000000-0000-7000-8000-0000000421e3', 'on asub')$$),
    'ERROR 55000, nothing changed', 'a comment on an archived post: 55000');
SELECT is(pg_temp.refused('00000000-0000-7000-8000-0000000421e3',
    $$SELECT count(*)::text FROM creator_platform.add_comment('00000000-0000-7000-8000-000000421b01', '00000000-0000-7000-8000-0000000421e3',
                                                               'misplaced', '00000000-0000-7000-8000-00000421c002')$$),
    'ERROR 23514, nothing changed', 'a reply whose parent is on another (hidden) post: 23514');
SELECT is(pg_temp.refused('00000000-0000-7000-8000-0000000421e3', $$
    WITH p AS (INSERT INTO creator_platform.posts (creator_id, title, status) VALUES ('00000000-0000-7000-8000-0000000421e3', 'mine', 'published') RETURNING 1)
    SELECT count(*)::text FROM p$$), 'ERROR 23514, nothing changed', 'a reader''s (visible, public) post: 23514');

--------------------------------------------------------------------------------
-- deleting users whose rows the viewer cannot see
--------------------------------------------------------------------------------
SELECT is(pg_temp.as_viewer('cp_421_app', NULL, $$
    WITH u AS (DELETE FROM creator_platform.users WHERE id = '00000000-0000-7000-8000-0000000421e2' RETURNING 1)
    SELECT count(*)::text FROM u$$), '1',
    'an anonymous viewer deletes e2, whose comments are all on posts it cannot see');
SELECT is((SELECT string_agg(concat_ws('|', content, user_id IS NULL, deleted_at IS NOT NULL), ',' ORDER BY id) FROM comments
            WHERE id IN ('00000000-0000-7000-8000-00000421c003', '00000000-0000-7000-8000-00000421c021')),
          '|t|t', '... the leaf on sub is removed, the one with a reply on sub2 is an anonymous placeholder');
SELECT is((SELECT concat_ws('|', content, user_id IS NULL, deleted_at IS NOT NULL) FROM comments_archive
            WHERE id = '00000000-0000-7000-8000-00000421c006'),
          '|t|t', '... and the archived one too');
SELECT is(pg_temp.as_viewer('cp_421_app', '00000000-0000-7000-8000-0000000421e1', $$
    WITH u AS (DELETE FROM creator_platform.users WHERE id = '00000000-0000-7000-8000-0000000421c2' RETURNING 1)
    SELECT count(*)::text FROM u$$), '1', 'a subscriber of c1 deletes c2, whose posts and draft it cannot see');
SELECT is((SELECT count(*) FROM posts WHERE creator_id = '00000000-0000-7000-8000-0000000421c2'), 0::bigint,
          '... all of them go');

--------------------------------------------------------------------------------
-- counters, events, the outbox
--------------------------------------------------------------------------------
SELECT is_empty('SELECT * FROM cp_test.counter_mismatches()', 'every counter is exact');
SELECT is_empty('SELECT * FROM creator_platform.reconcile_counters(false)', '... live and archived');
SELECT is((SELECT count(*) FROM events WHERE kind = 'comment_added'), 6::bigint,
          'a comment_added event for each of the six comments written');
SELECT is((SELECT count(*) FROM events WHERE kind = 'post_published'), 2::bigint,
          'a post_published event for publish_post and for publish_due_posts');
SELECT is(pg_temp.as_viewer('cp_421_app', NULL, $$SELECT count(*)::text FROM creator_platform.claim_events(100)$$),
          (SELECT count(*)::text FROM events), 'claim_events claims them all');

SELECT * FROM finish();
ROLLBACK;
