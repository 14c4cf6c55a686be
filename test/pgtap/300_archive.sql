-- 300_archive: archiving (0.4.0, API.md "Archiving"; docs/reference.md
-- "Archiving"; src/archive.cpp).
--   * the objects: archive_posts(older_than, batch_size DEFAULT 1000) → bigint,
--     the procedure archive_old_posts, restore_post(post_id) → posts, the
--     read-only triggers, the internal flag function (not for PUBLIC);
--   * every bad argument (NULL, batch_size out of 1-100000, a post that is not
--     archived) is 22023 and changes nothing; archive_old_posts inside a
--     transaction block is 25001;
--   * archive_posts moves the oldest published posts older than older_than,
--     batch_size at most, each with all its comments, rows unchanged (ids,
--     paths, depths, counters, placeholders, anonymous placeholders,
--     updated_at), archived_at = now(); drafts, scheduled and newer posts stay;
--     counters exact in both places, no event, creator_activity unchanged,
--     every row in exactly one place;
--   * the archive is read-only: INSERT, UPDATE, DELETE, TRUNCATE of either
--     table are 55000 and change nothing, also right after archive_posts in
--     the same transaction (the extension's flag does not outlive its call);
--   * commenting on an archived post, replying to or deleting an archived
--     comment: 55000;
--   * restore_post brings a post and its comments back exactly as they were
--     (no event, counters exact), the post takes comments again, and a post
--     can be archived and restored again; a published_at in the future
--     survives the round trip;
--   * deleting a user still reaches the archive (their archived posts go,
--     their archived comments become anonymous placeholders);
--   * the functions run with the caller's privileges (42501 without them).
-- The procedure commits, so it is tested from test/tap/archive_procedure.sh;
-- concurrent writers in test/isolation/specs/archive_concurrent.spec.
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(133);

CREATE FUNCTION pg_temp.uid(kind text) RETURNS uuid LANGUAGE sql IMMUTABLE AS $f$
    SELECT md5('300:' || kind)::uuid
$f$;
-- the comments by name (content is the name until a comment becomes a placeholder)
CREATE TEMP TABLE names (name text PRIMARY KEY, id uuid NOT NULL);
CREATE FUNCTION pg_temp.say(post text, author text, name text, parent text DEFAULT NULL) RETURNS void
LANGUAGE sql AS $f$
    INSERT INTO pg_temp.names
    SELECT name, c.id FROM creator_platform.add_comment(pg_temp.uid(post), pg_temp.uid(author), name,
                                                         (SELECT n.id FROM pg_temp.names n WHERE n.name = parent)) c
$f$;
CREATE FUNCTION pg_temp.cid(name text) RETURNS uuid LANGUAGE sql AS $f$
    SELECT n.id FROM pg_temp.names n WHERE n.name = $1
$f$;
-- The archive's counters that disagree with its rows (cp_test.counter_mismatches
-- checks the live tables).
CREATE FUNCTION pg_temp.archive_mismatches() RETURNS TABLE (counter text, id uuid, have integer, want bigint)
LANGUAGE sql AS $f$
    SELECT 'posts_archive.comment_count', p.id, p.comment_count, n.live
      FROM creator_platform.posts_archive p
     CROSS JOIN LATERAL (SELECT count(*) AS live FROM creator_platform.comments_archive c
                          WHERE c.post_id = p.id AND c.deleted_at IS NULL) n
     WHERE p.comment_count <> n.live
    UNION ALL
    SELECT 'comments_archive.reply_count', c.id, c.reply_count, n.replies
      FROM creator_platform.comments_archive c
     CROSS JOIN LATERAL (SELECT count(*) AS replies FROM creator_platform.comments_archive r
                          WHERE r.parent_comment_id = c.id) n
     WHERE c.reply_count <> n.replies
$f$;
-- Rows that are in two places, or whose post or parent is in the other one.
CREATE FUNCTION pg_temp.misplaced() RETURNS TABLE (problem text, id uuid) LANGUAGE sql AS $f$
    SELECT 'post live and archived', p.id FROM creator_platform.posts p
      JOIN creator_platform.posts_archive a ON a.id = p.id
    UNION ALL
    SELECT 'comment live and archived', c.id FROM creator_platform.comments c
      JOIN creator_platform.comments_archive a ON a.id = c.id
    UNION ALL
    SELECT 'live comment of no live post', c.id FROM creator_platform.comments c
     WHERE NOT EXISTS (SELECT 1 FROM creator_platform.posts p WHERE p.id = c.post_id)
    UNION ALL
    SELECT 'archived comment of no archived post', c.id FROM creator_platform.comments_archive c
     WHERE NOT EXISTS (SELECT 1 FROM creator_platform.posts_archive p WHERE p.id = c.post_id)
    UNION ALL
    SELECT 'live reply of no live parent', c.id FROM creator_platform.comments c
     WHERE c.parent_comment_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM creator_platform.comments p WHERE p.id = c.parent_comment_id)
    UNION ALL
    SELECT 'archived reply of no archived parent', c.id FROM creator_platform.comments_archive c
     WHERE c.parent_comment_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM creator_platform.comments_archive p WHERE p.id = c.parent_comment_id)
$f$;
CREATE FUNCTION pg_temp.events_digest() RETURNS text LANGUAGE sql AS $f$
    SELECT md5(coalesce(string_agg(e::text, ',' ORDER BY e.id), '')) FROM creator_platform.events e
$f$;
-- Runs the deferred foreign-key checks now (every pgTAP file rolls back), then defers them again.
CREATE FUNCTION pg_temp.fks_hold() RETURNS void LANGUAGE plpgsql AS $f$
BEGIN
    SET CONSTRAINTS ALL IMMEDIATE;
    SET CONSTRAINTS ALL DEFERRED;
END
$f$;

--------------------------------------------------------------------------------
-- the objects
--------------------------------------------------------------------------------
SELECT function_returns('creator_platform', 'archive_posts', ARRAY['timestamp with time zone', 'integer'], 'bigint',
                        'archive_posts(timestamptz, integer) returns bigint');
SELECT is(pg_catalog.pg_get_function_arguments('creator_platform.archive_posts(timestamptz, integer)'::regprocedure),
          'older_than timestamp with time zone, batch_size integer DEFAULT 1000',
          'archive_posts: argument names and default as in the contract');
SELECT is((SELECT p.prokind::text FROM pg_catalog.pg_proc p
            WHERE p.oid = 'creator_platform.archive_old_posts(timestamptz, integer)'::regprocedure),
          'p', 'archive_old_posts is a procedure (CALL)');
SELECT is(pg_catalog.pg_get_function_arguments('creator_platform.archive_old_posts(timestamptz, integer)'::regprocedure),
          'IN older_than timestamp with time zone, IN batch_size integer DEFAULT 1000',
          'archive_old_posts: argument names and default as in the contract');
SELECT function_returns('creator_platform', 'restore_post', ARRAY['uuid'], 'posts', 'restore_post(uuid) returns posts');
SELECT is(pg_catalog.pg_get_function_arguments('creator_platform.restore_post(uuid)'::regprocedure), 'post_id uuid',
          'restore_post: argument name as in the contract');
SELECT is_empty($$
    SELECT p.oid::regprocedure::text FROM pg_catalog.pg_proc p
     WHERE p.oid IN ('creator_platform.archive_posts(timestamptz, integer)'::regprocedure,
                     'creator_platform.archive_old_posts(timestamptz, integer)'::regprocedure,
                     'creator_platform.restore_post(uuid)'::regprocedure)
       AND (p.prosecdef OR p.proisstrict)
  $$, 'archive_posts, archive_old_posts, restore_post: SECURITY INVOKER, not STRICT (NULL arguments raise 22023)');
SELECT set_eq($$
    SELECT c.relname::text, t.tgname::text,
           CASE WHEN t.tgtype & 1 <> 0 THEN 'row' ELSE 'statement' END,
           concat_ws(' or ', CASE WHEN t.tgtype & 4 <> 0 THEN 'insert' END,
                             CASE WHEN t.tgtype & 16 <> 0 THEN 'update' END,
                             CASE WHEN t.tgtype & 8 <> 0 THEN 'delete' END,
                             CASE WHEN t.tgtype & 32 <> 0 THEN 'truncate' END)
      FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
     WHERE t.tgfoid = 'creator_platform.archive_read_only()'::regprocedure AND t.tgtype & 2 <> 0
  $$, $$ VALUES
    ('posts_archive', 'posts_archive_read_only', 'row', 'insert or update or delete'),
    ('posts_archive', 'posts_archive_read_only_truncate', 'statement', 'truncate'),
    ('comments_archive', 'comments_archive_read_only', 'row', 'insert or update or delete'),
    ('comments_archive', 'comments_archive_read_only_truncate', 'statement', 'truncate')
  $$, 'BEFORE triggers make both archive tables read-only: rows, and TRUNCATE');
SELECT is(pg_catalog.has_function_privilege('public', 'creator_platform._internal_write_active()', 'EXECUTE'), false,
          'EXECUTE on _internal_write_active() is revoked from PUBLIC');
SELECT is(_internal_write_active(), false, 'SQL never runs with the internal-write flag set');

--------------------------------------------------------------------------------
-- the fixture: c1 and c2 creators, e1-e4 readers (e4's account is deleted,
-- leaving an anonymous placeholder), posts of every age and status
--------------------------------------------------------------------------------
INSERT INTO users (id, email, username, role)
SELECT pg_temp.uid(u), u || '@archive300.test', 'archive300_' || u,
       CASE WHEN u LIKE 'c%' THEN 'creator' ELSE 'reader' END::user_role
  FROM unnest(ARRAY['c1', 'c2', 'e1', 'e2', 'e3', 'e4']) AS u;
INSERT INTO subscriptions (subscriber_id, creator_id) VALUES (pg_temp.uid('e1'), pg_temp.uid('c1'));
-- P1 5 years old with a thread; P2 4 years, subscribers-only, no comment;
-- Q1 (c2) 3.5 years; P3 3 years; P4 a day; Q2 (c2) 10 days; a draft; a
-- scheduled post
INSERT INTO posts (id, creator_id, title, content, status, visibility, published_at) VALUES
    (pg_temp.uid('P1'), pg_temp.uid('c1'), 'P1', 'five years old', 'published', 'public', now() - interval '5 years'),
    (pg_temp.uid('P2'), pg_temp.uid('c1'), 'P2', 'four years old', 'published', 'subscribers', now() - interval '4 years'),
    (pg_temp.uid('Q1'), pg_temp.uid('c2'), 'Q1', 'three and a half', 'published', 'public', now() - interval '42 months'),
    (pg_temp.uid('P3'), pg_temp.uid('c1'), 'P3', 'three years old', 'published', 'public', now() - interval '3 years'),
    (pg_temp.uid('P4'), pg_temp.uid('c1'), 'P4', 'yesterday', 'published', 'public', now() - interval '1 day'),
    (pg_temp.uid('Q2'), pg_temp.uid('c2'), 'Q2', 'ten days', 'published', 'public', now() - interval '10 days'),
    (pg_temp.uid('D1'), pg_temp.uid('c1'), 'D1', 'a draft', 'draft', 'public', NULL),
    (pg_temp.uid('S1'), pg_temp.uid('c1'), 'S1', 'tomorrow', 'scheduled', 'public', now() + interval '1 day');
-- P1: t1 e1 ─ r1 e2 ─ r2 e1;  t2 e2 (placeholder) ─ r3 e3;  t3 e4 (anonymous placeholder) ─ r4 e1
SELECT pg_temp.say('P1', 'e1', 't1');
SELECT pg_temp.say('P1', 'e2', 'r1', 't1');
SELECT pg_temp.say('P1', 'e1', 'r2', 'r1');
SELECT pg_temp.say('P1', 'e2', 't2');
SELECT pg_temp.say('P1', 'e3', 'r3', 't2');
SELECT pg_temp.say('P1', 'e4', 't3');
SELECT pg_temp.say('P1', 'e1', 'r4', 't3');
SELECT FROM delete_comment(pg_temp.cid('t2'));
DELETE FROM users WHERE id = pg_temp.uid('e4');
SELECT pg_temp.say('P3', 'e2', 'p3a');
SELECT pg_temp.say('P3', 'e3', 'p3b', 'p3a');
SELECT pg_temp.say('Q1', 'c1', 'q1a');
SELECT pg_temp.say('P4', 'e1', 'p4a');
-- updated_at a month ago, so that an edit (which sets now()) would show
SET LOCAL session_replication_role = replica;
UPDATE posts SET updated_at = now() - interval '1 month';
SET LOCAL session_replication_role = origin;

CREATE TEMP TABLE before_posts AS SELECT p.id, to_jsonb(p) AS row FROM posts p;
CREATE TEMP TABLE before_comments AS SELECT c.id, c.post_id, to_jsonb(c) AS row FROM comments c;
CREATE TEMP TABLE before_activity AS SELECT a.creator_id, a.last_published_at FROM creator_activity a;
CREATE TEMP TABLE before_thread AS
SELECT t.comment_id, t.parent_comment_id, t.user_id, t.username, t.content, t.depth, t.reply_count, t.created_at,
       t.deleted, t.cursor
  FROM comment_thread(pg_temp.uid('P1'), 100) t;
CREATE TEMP TABLE before_events AS SELECT pg_temp.events_digest() AS digest;
CREATE TEMP TABLE old_posts (id uuid) ;
INSERT INTO old_posts VALUES (pg_temp.uid('P1')), (pg_temp.uid('P2')), (pg_temp.uid('Q1')), (pg_temp.uid('P3'));

SELECT results_eq(
    $$SELECT c.content, c.user_id IS NULL, c.deleted_at IS NOT NULL, c.reply_count
        FROM comments c WHERE c.id IN (pg_temp.cid('t2'), pg_temp.cid('t3')) ORDER BY c.id = pg_temp.cid('t3')$$,
    $$VALUES (''::text, false, true, 1), ('', true, true, 1)$$,
    'the fixture: P1 has a placeholder and an anonymous placeholder, each with a reply');
SELECT is_empty($$SELECT * FROM cp_test.counter_mismatches()$$, 'the fixture: every counter exact');

--------------------------------------------------------------------------------
-- bad arguments: 22023, nothing changes
--------------------------------------------------------------------------------
SELECT * FROM cp_test.rejects($$SELECT archive_posts(NULL, 10)$$, '22023', 'archive_posts: older_than NULL');
SELECT * FROM cp_test.rejects($$SELECT archive_posts(now(), NULL)$$, '22023', 'archive_posts: batch_size NULL');
SELECT * FROM cp_test.rejects($$SELECT archive_posts(now(), 0)$$, '22023', 'archive_posts: batch_size 0');
SELECT * FROM cp_test.rejects($$SELECT archive_posts(now(), -5)$$, '22023', 'archive_posts: a negative batch_size');
SELECT * FROM cp_test.rejects($$SELECT archive_posts(now(), 100001)$$, '22023', 'archive_posts: batch_size above 100000');
SELECT * FROM cp_test.rejects($$SELECT restore_post(NULL)$$, '22023', 'restore_post: post_id NULL');
SELECT * FROM cp_test.rejects(format('SELECT restore_post(%L)', pg_temp.uid('P4')), '22023',
                              'restore_post of a live post');
SELECT * FROM cp_test.rejects(format('SELECT restore_post(%L)', pg_temp.uid('nothing')), '22023',
                              'restore_post of a post that does not exist');
SELECT throws_ok(format('SELECT restore_post(%L)', pg_temp.uid('P4')), '22023',
                 format('post %s is not archived', pg_temp.uid('P4')), 'restore_post: the message names the post');
SELECT * FROM cp_test.rejects($$CALL archive_old_posts(now() - interval '2 years', 10)$$, '25001',
                              'archive_old_posts inside a transaction block (it commits)');
SELECT * FROM cp_test.rejects($$CALL archive_old_posts(NULL, 10)$$, '22023', 'archive_old_posts: older_than NULL');
SELECT * FROM cp_test.rejects($$CALL archive_old_posts(now(), 0)$$, '22023', 'archive_old_posts: batch_size 0');
SELECT is(archive_posts(now() - interval '10 years'), 0::bigint, 'archive_posts with nothing that old moves nothing');
SELECT is((SELECT count(*) FROM posts_archive), 0::bigint, '... and the archive is still empty');

--------------------------------------------------------------------------------
-- archive_posts: the oldest first, batch_size at most, everything unchanged
--------------------------------------------------------------------------------
SELECT is(archive_posts(now() - interval '2 years', 2), 2::bigint, 'a batch of 2 moves 2 posts');
SELECT set_eq($$SELECT id FROM posts_archive$$, ARRAY[pg_temp.uid('P1'), pg_temp.uid('P2')],
              '... the two oldest published ones, P1 and P2');
SELECT is((SELECT count(*) FROM comments_archive WHERE post_id = pg_temp.uid('P1')), 7::bigint,
          '... P1 with its 7 comments, placeholders included');
SELECT is((SELECT count(*) FROM comments WHERE post_id = pg_temp.uid('P1')), 0::bigint, '... none of them live any more');
SELECT is(archive_posts(now() - interval '2 years'), 2::bigint, 'the next batch (default size) moves the other 2');
SELECT is(archive_posts(now() - interval '2 years'), 0::bigint, 'then nothing is left');
SELECT set_eq($$SELECT id FROM posts_archive$$, $$SELECT id FROM old_posts$$,
              'the archive holds exactly the published posts older than older_than');
SELECT set_eq($$SELECT id FROM posts$$,
              ARRAY[pg_temp.uid('P4'), pg_temp.uid('Q2'), pg_temp.uid('D1'), pg_temp.uid('S1')],
              'newer posts, the draft and the scheduled post stay live');
SELECT set_eq($$SELECT id, to_jsonb(a) - 'archived_at' FROM posts_archive a$$,
              $$SELECT id, row FROM before_posts WHERE id IN (SELECT id FROM old_posts)$$,
              'every archived post is its live row unchanged (comment_count, updated_at, visibility, ...)');
SELECT set_eq($$SELECT id, to_jsonb(a) - 'archived_at' FROM comments_archive a$$,
              $$SELECT id, row FROM before_comments WHERE post_id IN (SELECT id FROM old_posts)$$,
              'every archived comment is its live row unchanged (path, depth, reply_count, deleted_at, user_id NULL)');
SELECT set_eq($$SELECT id, row FROM before_comments WHERE post_id NOT IN (SELECT id FROM old_posts)$$,
              $$SELECT id, to_jsonb(c) FROM comments c$$, 'the comments of live posts are untouched');
SELECT is((SELECT count(*) FROM posts_archive WHERE archived_at <> now())
          + (SELECT count(*) FROM comments_archive WHERE archived_at <> now()), 0::bigint,
          'archived_at is the time of the archiving transaction');
SELECT is_empty($$SELECT * FROM cp_test.counter_mismatches()$$, 'live counters exact');
SELECT is_empty($$SELECT * FROM pg_temp.archive_mismatches()$$, 'archived counters exact');
SELECT is_empty($$SELECT * FROM pg_temp.misplaced()$$, 'every row in exactly one place, every thread whole');
SELECT is(pg_temp.events_digest(), (SELECT digest FROM before_events), 'archiving writes no event and changes none');
SELECT set_eq($$SELECT creator_id, last_published_at FROM creator_activity$$,
              $$SELECT creator_id, last_published_at FROM before_activity$$,
              'creator_activity is left as it was (an upper bound)');
SELECT lives_ok($$SELECT pg_temp.fks_hold()$$, 'the deferred foreign keys hold');
SELECT results_eq(
    format('SELECT post_id, comment_count, locked FROM post_view(%L)', pg_temp.uid('P1')),
    format($$VALUES (%L::uuid, 5, false)$$, pg_temp.uid('P1')),
    'post_view of an archived post: still there, with its comment_count');
SELECT results_eq(
    format('SELECT comment_id, parent_comment_id, user_id, username, content, depth, reply_count, created_at, deleted, cursor FROM comment_thread(%L, 100)', pg_temp.uid('P1')),
    $$SELECT comment_id, parent_comment_id, user_id, username, content, depth, reply_count, created_at, deleted, cursor FROM before_thread$$,
    'comment_thread of an archived post: the same rows, cursors included');

--------------------------------------------------------------------------------
-- the archive is read-only
--------------------------------------------------------------------------------
SELECT * FROM cp_test.rejects(format(
    $$INSERT INTO posts_archive (creator_id, title, status, published_at) VALUES (%L, 'sneaked in', 'published', now())$$,
    pg_temp.uid('c1')), '55000', 'INSERT INTO posts_archive');
SELECT * FROM cp_test.rejects($$UPDATE posts_archive SET title = 'changed'$$, '55000', 'UPDATE of posts_archive');
SELECT * FROM cp_test.rejects(format($$UPDATE posts_archive SET comment_count = 0 WHERE id = %L$$, pg_temp.uid('P1')),
                              '55000', 'UPDATE of an archived comment_count');
SELECT * FROM cp_test.rejects(format($$DELETE FROM posts_archive WHERE id = %L$$, pg_temp.uid('P2')), '55000',
                              'DELETE FROM posts_archive');
SELECT * FROM cp_test.rejects($$TRUNCATE posts_archive, comments_archive$$, '55000', 'TRUNCATE of the archive');
SELECT * FROM cp_test.rejects(format(
    $$INSERT INTO comments_archive (post_id, user_id, content, path) VALUES (%L, %L, 'sneaked in', '\x00')$$,
    pg_temp.uid('P2'), pg_temp.uid('e1')), '55000', 'INSERT INTO comments_archive');
SELECT * FROM cp_test.rejects(format($$UPDATE comments_archive SET content = 'changed' WHERE id = %L$$, pg_temp.cid('r2')),
                              '55000', 'UPDATE of comments_archive');
SELECT * FROM cp_test.rejects(format($$DELETE FROM comments_archive WHERE id = %L$$, pg_temp.cid('r2')), '55000',
                              'DELETE FROM comments_archive');
SELECT * FROM cp_test.rejects($$TRUNCATE comments_archive$$, '55000', 'TRUNCATE comments_archive');
SELECT throws_ok(format($$UPDATE posts_archive SET title = 'changed' WHERE id = %L$$, pg_temp.uid('P1')), '55000',
                 format('archived post %s is read-only', pg_temp.uid('P1')), 'the message names the archived post');
-- the extension's flag does not outlive its own statements
SELECT is(_internal_write_active(), false, 'after archive_posts in this transaction, the flag is not set');
SELECT * FROM cp_test.rejects(format($$UPDATE posts SET comment_count = 7 WHERE id = %L$$, pg_temp.uid('P4')),
                              '55000', 'and comment_count is still the database''s to write');

--------------------------------------------------------------------------------
-- no comment goes on an archived post, no archived comment is answered or deleted
--------------------------------------------------------------------------------
SELECT * FROM cp_test.rejects(format($$SELECT add_comment(%L, %L, 'too late')$$, pg_temp.uid('P3'), pg_temp.uid('e1')),
                              '55000', 'add_comment on an archived post');
SELECT * FROM cp_test.rejects(format($$INSERT INTO comments (post_id, user_id, content) VALUES (%L, %L, 'too late')$$,
                                     pg_temp.uid('P3'), pg_temp.uid('e1')),
                              '55000', 'INSERT of a comment on an archived post');
SELECT * FROM cp_test.rejects(format($$SELECT add_comment(%L, %L, 'a reply', %L)$$, pg_temp.uid('P4'), pg_temp.uid('e1'),
                                     pg_temp.cid('p3a')),
                              '55000', 'a reply (on a live post) to an archived comment');
SELECT * FROM cp_test.rejects(format($$SELECT delete_comment(%L)$$, pg_temp.cid('p3b')), '55000',
                              'delete_comment of an archived comment');

--------------------------------------------------------------------------------
-- restore_post: the post and its comments come back exactly as they were
--------------------------------------------------------------------------------
SELECT is((SELECT to_jsonb(r) FROM restore_post(pg_temp.uid('P1')) r),
          (SELECT row FROM before_posts WHERE id = pg_temp.uid('P1')),
          'restore_post returns the post as it was before archiving');
SELECT is((SELECT to_jsonb(p) FROM posts p WHERE p.id = pg_temp.uid('P1')),
          (SELECT row FROM before_posts WHERE id = pg_temp.uid('P1')), '... and it is live again, unchanged');
SELECT set_eq($$SELECT id, to_jsonb(c) FROM comments c WHERE c.post_id = pg_temp.uid('P1')$$,
              $$SELECT id, row FROM before_comments WHERE post_id = pg_temp.uid('P1')$$,
              '... with its 7 comments, unchanged (paths, counters, placeholders)');
SELECT is((SELECT count(*) FROM posts_archive WHERE id = pg_temp.uid('P1'))
          + (SELECT count(*) FROM comments_archive WHERE post_id = pg_temp.uid('P1')), 0::bigint,
          '... and nothing of it is left in the archive');
SELECT is(pg_temp.events_digest(), (SELECT digest FROM before_events), 'restoring writes no event');
SELECT is_empty($$SELECT * FROM cp_test.counter_mismatches()$$, 'after restore_post: live counters exact');
SELECT is_empty($$SELECT * FROM pg_temp.archive_mismatches()$$, 'after restore_post: archived counters exact');
SELECT is_empty($$SELECT * FROM pg_temp.misplaced()$$, 'after restore_post: every row in exactly one place');
SELECT lives_ok($$SELECT pg_temp.fks_hold()$$, 'after restore_post: the deferred foreign keys hold');
SELECT results_eq(
    format('SELECT comment_id, parent_comment_id, user_id, username, content, depth, reply_count, created_at, deleted, cursor FROM comment_thread(%L, 100)', pg_temp.uid('P1')),
    $$SELECT comment_id, parent_comment_id, user_id, username, content, depth, reply_count, created_at, deleted, cursor FROM before_thread$$,
    'comment_thread of the restored post: the same rows, cursors included');
SELECT * FROM cp_test.rejects(format('SELECT restore_post(%L)', pg_temp.uid('P1')), '22023',
                              'restore_post of a post restored already');
-- a restored post is a post again
SELECT lives_ok(format($$SELECT pg_temp.say('P1', 'e2', 'r5', 'r2')$$), 'a reply on the restored post');
SELECT results_eq(
    format($$SELECT (SELECT comment_count FROM posts WHERE id = %L), (SELECT reply_count FROM comments WHERE id = %L)$$,
           pg_temp.uid('P1'), pg_temp.cid('r2')),
    $$VALUES (6, 1)$$, '... counted in comment_count and in its parent''s reply_count');
SELECT is((SELECT count(*) FROM events WHERE kind = 'comment_added' AND payload ->> 'comment_id' = pg_temp.cid('r5')::text),
          1::bigint, '... with its comment_added event');
SELECT is_empty($$SELECT * FROM cp_test.counter_mismatches()$$, '... and every counter exact');
-- the rest back, then archive and restore everything once more
SELECT is((SELECT count(*) FROM posts_archive a CROSS JOIN LATERAL restore_post(a.id) r), 3::bigint,
          'restore_post of the three other archived posts');
SELECT is((SELECT count(*) FROM posts_archive) + (SELECT count(*) FROM comments_archive), 0::bigint, 'the archive is empty');
SELECT set_eq($$SELECT id, to_jsonb(p) FROM posts p$$, $$SELECT id, row FROM before_posts WHERE id <> pg_temp.uid('P1')
                                                         UNION ALL SELECT id, to_jsonb(p) FROM posts p WHERE id = pg_temp.uid('P1')$$,
              'every other post is as it was before archiving');
SELECT is((SELECT to_jsonb(p) - 'comment_count' FROM posts p WHERE id = pg_temp.uid('P1')),
          (SELECT row - 'comment_count' FROM before_posts WHERE id = pg_temp.uid('P1')),
          'and P1 too, but for the comment it got while live');
SELECT set_eq($$SELECT id, to_jsonb(c) - 'reply_count' FROM comments c WHERE c.id <> pg_temp.cid('r5')$$,
              $$SELECT id, row - 'reply_count' FROM before_comments$$,
              'every comment is as it was before archiving (but r2''s reply_count, for r5)');
SELECT is(archive_posts(now() - interval '2 years'), 4::bigint, 'archived again: the same four posts');
SELECT is((SELECT count(*) FROM comments_archive), 11::bigint, '... with their 11 comments, the new one included');
SELECT is((SELECT count(*) FROM posts_archive a CROSS JOIN LATERAL restore_post(a.id) r), 4::bigint,
          'and restored again');
SELECT is_empty($$SELECT * FROM cp_test.counter_mismatches()$$, 'after two round trips: every counter exact');
SELECT is_empty($$SELECT * FROM pg_temp.misplaced()$$, 'after two round trips: every row in exactly one place');

--------------------------------------------------------------------------------
-- a published post whose published_at was moved into the future: archived
-- when older_than is later still, restored with its own published_at (a post
-- inserted as published would get now())
--------------------------------------------------------------------------------
UPDATE posts SET published_at = now() + interval '1 day' WHERE id = pg_temp.uid('P4');
SELECT is(archive_posts(now() + interval '2 days'), 6::bigint,
          'archive_posts with older_than in the future moves every published post');
SELECT is((SELECT published_at FROM restore_post(pg_temp.uid('P4'))), now() + interval '1 day',
          'restore_post keeps a published_at in the future');
SELECT is((SELECT count(*) FROM posts_archive a CROSS JOIN LATERAL restore_post(a.id) r), 5::bigint,
          'the other five back');

--------------------------------------------------------------------------------
-- deleting a user reaches the archive, although it is read-only
--------------------------------------------------------------------------------
SELECT is(archive_posts(now() - interval '2 years'), 4::bigint, 'the four old posts archived once more');
SELECT lives_ok(format('DELETE FROM users WHERE id = %L', pg_temp.uid('e1')),
                'DELETE of a reader with comments in archived threads');
SELECT results_eq(
    format($$SELECT c.user_id, c.content, c.deleted_at IS NOT NULL FROM comments_archive c WHERE c.id IN (%L, %L) ORDER BY c.id = %L$$,
           pg_temp.cid('t1'), pg_temp.cid('r2'), pg_temp.cid('r2')),
    $$VALUES (NULL::uuid, ''::text, true), (NULL, '', true)$$,
    'their archived comments are anonymous placeholders now');
SELECT is_empty($$SELECT * FROM pg_temp.archive_mismatches()$$, '... and the archived counters follow');
SELECT lives_ok(format('DELETE FROM users WHERE id = %L', pg_temp.uid('c2')), 'DELETE of a creator with an archived post');
SELECT is((SELECT count(*) FROM posts_archive WHERE id = pg_temp.uid('Q1'))
          + (SELECT count(*) FROM comments_archive WHERE post_id = pg_temp.uid('Q1')), 0::bigint,
          'their archived post is gone with its comment');
SELECT is_empty($$SELECT * FROM pg_temp.misplaced()$$, 'after the deletions: every row in exactly one place');
SELECT is_empty($$SELECT * FROM cp_test.counter_mismatches()$$, 'after the deletions: live counters exact');
SELECT lives_ok($$SELECT pg_temp.fks_hold()$$, 'after the deletions: the foreign keys hold');
SELECT is((SELECT to_jsonb(r) - 'comment_count' FROM restore_post(pg_temp.uid('P1')) r),
          (SELECT row - 'comment_count' FROM before_posts WHERE id = pg_temp.uid('P1')),
          'a thread with the deleted user''s placeholders is restored');
SELECT results_eq(
    format($$SELECT c.user_id IS NULL, c.deleted_at IS NOT NULL FROM comments c WHERE c.id = %L$$, pg_temp.cid('t1')),
    $$VALUES (true, true)$$, '... with them as anonymous placeholders');
SELECT is_empty($$SELECT * FROM cp_test.counter_mismatches()$$, '... and its counters exact');

--------------------------------------------------------------------------------
-- privileges: the caller's (SECURITY INVOKER)
--------------------------------------------------------------------------------
CREATE ROLE cp_test_archive_reader NOLOGIN;
GRANT USAGE ON SCHEMA creator_platform TO cp_test_archive_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA creator_platform TO cp_test_archive_reader;
SET LOCAL ROLE cp_test_archive_reader;
DO $$
BEGIN
    PERFORM creator_platform.archive_posts(now() - interval '2 years');
    PERFORM set_config('cp_test.archive_outcome', 'ok', true);
EXCEPTION WHEN OTHERS THEN
    PERFORM set_config('cp_test.archive_outcome', SQLSTATE, true);
END
$$;
DO $$
BEGIN
    PERFORM creator_platform.restore_post(md5('300:P3')::uuid);
    PERFORM set_config('cp_test.restore_outcome', 'ok', true);
EXCEPTION WHEN OTHERS THEN
    PERFORM set_config('cp_test.restore_outcome', SQLSTATE, true);
END
$$;
RESET ROLE;
SELECT is(current_setting('cp_test.archive_outcome'), '42501', 'archive_posts by a role that may only read: 42501');
SELECT is(current_setting('cp_test.restore_outcome'), '42501', 'restore_post by a role that may only read: 42501');

--------------------------------------------------------------------------------
-- the move's foreign keys (src/archive.cpp, q_move): it runs with
-- session_replication_role = replica, so no foreign-key trigger checks or
-- cascades it; it holds them by construction instead (a post moves with every
-- comment, a reply's parent is on its post, the users are locked by the
-- check). A new foreign key on these tables must be reviewed there first.
--------------------------------------------------------------------------------
SELECT bag_eq(
    $$SELECT r.relname::text AS tbl, f.relname::text AS refs, c.confdeltype::text AS on_delete
        FROM pg_catalog.pg_constraint c
        JOIN pg_catalog.pg_class r ON r.oid = c.conrelid
        JOIN pg_catalog.pg_class f ON f.oid = c.confrelid
       WHERE c.contype = 'f'
         AND (c.conrelid IN ('creator_platform.posts'::regclass, 'creator_platform.comments'::regclass,
                             'creator_platform.posts_archive'::regclass, 'creator_platform.comments_archive'::regclass)
              OR c.confrelid IN ('creator_platform.posts'::regclass, 'creator_platform.comments'::regclass,
                                 'creator_platform.posts_archive'::regclass, 'creator_platform.comments_archive'::regclass))$$,
    $$VALUES ('posts', 'users', 'c'),
             ('comments', 'posts', 'c'),
             ('comments', 'users', 'n'),
             ('comments', 'comments', 'c'),
             ('posts_archive', 'users', 'c'),
             ('comments_archive', 'posts_archive', 'c'),
             ('comments_archive', 'users', 'n'),
             ('comments_archive', 'comments_archive', 'c')$$,
    'the foreign keys from and to posts, comments and the archive are the ones archive_posts was written for');
SELECT is((SELECT pg_catalog.count(*)::int FROM creator_platform.comments_archive c
            WHERE NOT EXISTS (SELECT FROM creator_platform.posts_archive p WHERE p.id = c.post_id)
               OR (c.parent_comment_id IS NOT NULL
                   AND NOT EXISTS (SELECT FROM creator_platform.comments_archive r WHERE r.id = c.parent_comment_id))
               OR (c.user_id IS NOT NULL AND NOT EXISTS (SELECT FROM creator_platform.users u WHERE u.id = c.user_id))),
          0, 'every archived comment''s post, parent and author exist, though no foreign-key trigger checked them');
SELECT is((SELECT pg_catalog.count(*)::int FROM creator_platform.posts_archive p
            WHERE NOT EXISTS (SELECT FROM creator_platform.users u WHERE u.id = p.creator_id)),
          0, 'every archived post''s creator exists');

SELECT * FROM finish();
ROLLBACK;
