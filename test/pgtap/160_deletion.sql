-- 160_deletion: what deleting does (docs/deletion.md, 0.2.0).
--   * DELETE of a comment removes its whole subtree (ON DELETE CASCADE);
--   * DELETE of a post removes its comments; their events stay;
--   * DELETE of a user removes their subscriptions (as subscriber and as
--     creator), their posts (live and archived) with every comment on them,
--     and their comments on other posts: those with replies become anonymous
--     placeholders (content '', deleted_at set, user_id NULL), the rest are
--     removed, leaves first;
--   * after each: no orphan, every thread whole (each parent exists on the same
--     post, depth and path agree with it), user_id NULL only on placeholders,
--     every counter exact (cp_test.counter_mismatches()), the deferred foreign
--     keys hold at commit (SET CONSTRAINTS ALL IMMEDIATE), events kept.
-- Also: one DELETE of several users whose comments meet, the deletion of a
-- creator with the foreign keys made immediate, and the archived comments of
-- a deleted user (anonymous placeholders, as live ones).
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(64);

-- Everything that should not be: one row per problem.
CREATE FUNCTION pg_temp.broken() RETURNS TABLE (problem text, id uuid) LANGUAGE sql AS $f$
    SELECT 'comment on no post', c.id FROM creator_platform.comments c
     WHERE NOT EXISTS (SELECT 1 FROM creator_platform.posts p WHERE p.id = c.post_id)
    UNION ALL
    SELECT 'comment of no user', c.id FROM creator_platform.comments c
     WHERE c.user_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM creator_platform.users u WHERE u.id = c.user_id)
    UNION ALL
    SELECT 'anonymous comment that is not a placeholder', c.id FROM creator_platform.comments c
     WHERE c.user_id IS NULL AND c.deleted_at IS NULL
    UNION ALL
    SELECT 'reply to no comment', c.id FROM creator_platform.comments c
     WHERE c.parent_comment_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM creator_platform.comments p WHERE p.id = c.parent_comment_id)
    UNION ALL
    SELECT 'reply on another post than its parent, or at the wrong depth or path', c.id
      FROM creator_platform.comments c JOIN creator_platform.comments p ON p.id = c.parent_comment_id
     WHERE p.post_id <> c.post_id OR c.depth <> p.depth + 1
        OR length(c.path) <> length(p.path) + 24 OR substring(c.path FROM 1 FOR length(p.path)) <> p.path
    UNION ALL
    SELECT 'top-level comment at the wrong depth or path', c.id FROM creator_platform.comments c
     WHERE c.parent_comment_id IS NULL AND (c.depth <> 0 OR length(c.path) <> 24)
    UNION ALL
    SELECT 'post of no user', p.id FROM creator_platform.posts p
     WHERE NOT EXISTS (SELECT 1 FROM creator_platform.users u WHERE u.id = p.creator_id)
    UNION ALL
    SELECT 'subscription of no user', s.id FROM creator_platform.subscriptions s
     WHERE NOT EXISTS (SELECT 1 FROM creator_platform.users u WHERE u.id = s.subscriber_id)
        OR NOT EXISTS (SELECT 1 FROM creator_platform.users u WHERE u.id = s.creator_id)
    UNION ALL
    SELECT 'archived post of no user', p.id FROM creator_platform.posts_archive p
     WHERE NOT EXISTS (SELECT 1 FROM creator_platform.users u WHERE u.id = p.creator_id)
    UNION ALL
    SELECT 'archived comment on no archived post, or of no parent', c.id FROM creator_platform.comments_archive c
     WHERE NOT EXISTS (SELECT 1 FROM creator_platform.posts_archive p WHERE p.id = c.post_id)
        OR (c.parent_comment_id IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM creator_platform.comments_archive p WHERE p.id = c.parent_comment_id))
$f$;
-- Runs the deferred foreign key checks now (they would otherwise wait for a
-- commit that never comes: every pgTAP file rolls back), then defers them again.
CREATE FUNCTION pg_temp.fks_hold() RETURNS void LANGUAGE plpgsql AS $f$
BEGIN
    SET CONSTRAINTS ALL IMMEDIATE;
    SET CONSTRAINTS ALL DEFERRED;
END
$f$;
-- the named comments: content is the name until a comment becomes a placeholder
CREATE TEMP TABLE ids (name text PRIMARY KEY, id uuid);
CREATE FUNCTION pg_temp.remember() RETURNS void LANGUAGE sql AS $f$
    INSERT INTO ids SELECT content, id FROM creator_platform.comments WHERE content ~ '^[a-z][0-9]$'
    ON CONFLICT DO NOTHING
$f$;
CREATE FUNCTION pg_temp.id(n text) RETURNS uuid LANGUAGE sql AS $f$ SELECT id FROM ids WHERE name = n $f$;
-- which named comments exist, by name
CREATE FUNCTION pg_temp.present(names text[]) RETURNS text[] LANGUAGE sql AS $f$
    SELECT coalesce(array_agg(i.name ORDER BY i.name), '{}') FROM ids i
     WHERE i.name = ANY (names) AND EXISTS (SELECT 1 FROM creator_platform.comments c WHERE c.id = i.id)
$f$;
-- a reply: post, author (e1 v, e2 w, c2 u), parent name, own name
CREATE FUNCTION pg_temp.say(post text, author text, parent text, name text) RETURNS void LANGUAGE sql AS $f$
    SELECT FROM creator_platform.add_comment(('00000000-0000-7000-8000-000000000' || post)::uuid,
        CASE author WHEN 'v' THEN '00000000-0000-7000-8000-0000000000e1'::uuid
                    WHEN 'w' THEN '00000000-0000-7000-8000-0000000000e2'::uuid
                    WHEN 'u' THEN '00000000-0000-7000-8000-0000000000c2'::uuid
                    WHEN 'c' THEN '00000000-0000-7000-8000-0000000000c1'::uuid END,
        name, pg_temp.id(parent));
    SELECT pg_temp.remember();
$f$;

-- c the creator (...c1), u the creator who will delete their account (...c2),
-- readers v (...e1) and w (...e2)
INSERT INTO users (id, email, username, role) VALUES
    ('00000000-0000-7000-8000-0000000000c1', 'c@x.io', 'creator_c', 'creator'),
    ('00000000-0000-7000-8000-0000000000c2', 'u@x.io', 'creator_u', 'creator'),
    ('00000000-0000-7000-8000-0000000000e1', 'v@x.io', 'reader_v', 'reader'),
    ('00000000-0000-7000-8000-0000000000e2', 'w@x.io', 'reader_w', 'reader');
-- posts of c: ...b01, ...b02; of u: ...b11 published, ...b12 a draft;
-- archived: ...a11 of u, ...a01 of c
-- (archived the one way rows enter the archive: as live posts, with their
-- comments, then archive_posts; before first_event, so that the events
-- counted below are the live fixture's)
INSERT INTO posts (id, creator_id, title, status, published_at) VALUES
    ('00000000-0000-7000-8000-000000000a11', '00000000-0000-7000-8000-0000000000c2', 'u archived', 'published', now() - interval '3 years'),
    ('00000000-0000-7000-8000-000000000a01', '00000000-0000-7000-8000-0000000000c1', 'c archived', 'published', now() - interval '3 years');
INSERT INTO comments (id, post_id, user_id, content) VALUES
    ('00000000-0000-7000-8000-00000000ac11', '00000000-0000-7000-8000-000000000a11',
     '00000000-0000-7000-8000-0000000000e1', 'v on the archived post of u'),
    ('00000000-0000-7000-8000-00000000ac01', '00000000-0000-7000-8000-000000000a01',
     '00000000-0000-7000-8000-0000000000c2', 'u on the archived post of c');
SELECT FROM archive_posts(now() - interval '2 years');
CREATE TEMP TABLE first_event AS SELECT coalesce(max(id), 0) AS id FROM events;
INSERT INTO posts (id, creator_id, title, status, published_at) VALUES
    ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000c1', 'c one', 'published', now() - interval '1 day'),
    ('00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000c1', 'c two', 'published', now() - interval '1 day'),
    ('00000000-0000-7000-8000-000000000b11', '00000000-0000-7000-8000-0000000000c2', 'u one', 'published', now() - interval '1 day'),
    ('00000000-0000-7000-8000-000000000b12', '00000000-0000-7000-8000-0000000000c2', 'u draft', 'draft', NULL);
-- u subscribes to c; v subscribes to u (active), w did (cancelled); v to c
INSERT INTO subscriptions (subscriber_id, creator_id, status, cancelled_at) VALUES
    ('00000000-0000-7000-8000-0000000000c2', '00000000-0000-7000-8000-0000000000c1', 'active', NULL),
    ('00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000c2', 'active', NULL),
    ('00000000-0000-7000-8000-0000000000e2', '00000000-0000-7000-8000-0000000000c2', 'cancelled', now()),
    ('00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000c1', 'active', NULL);

-- Threads on b01 (c's post), by author:
--   a1 v ─ a2 u (leaf)
--        └ a3 u ─ a4 w ─ a5 u (leaf)
--   b1 u ─ b2 u ─ b3 u            (only u: goes entirely, leaves first)
--   d1 u ─ d2 v ─ d3 u (leaf)
--   e1 u (deleted earlier: a placeholder) ─ e2 v
--   f1 v (deleted earlier: a placeholder) ─ f2 u (its only reply)
--   g1 u (leaf)
-- on b02: h1 u (leaf); h2 u ─ h3 w
-- on b11 (u's post): k1 v ─ k2 w; k3 u
SELECT pg_temp.say('b01', 'v', NULL, 'a1');
SELECT pg_temp.say('b01', 'u', 'a1', 'a2');
SELECT pg_temp.say('b01', 'u', 'a1', 'a3');
SELECT pg_temp.say('b01', 'w', 'a3', 'a4');
SELECT pg_temp.say('b01', 'u', 'a4', 'a5');
SELECT pg_temp.say('b01', 'u', NULL, 'b1');
SELECT pg_temp.say('b01', 'u', 'b1', 'b2');
SELECT pg_temp.say('b01', 'u', 'b2', 'b3');
SELECT pg_temp.say('b01', 'u', NULL, 'd1');
SELECT pg_temp.say('b01', 'v', 'd1', 'd2');
SELECT pg_temp.say('b01', 'u', 'd2', 'd3');
SELECT pg_temp.say('b01', 'u', NULL, 'e1');
SELECT pg_temp.say('b01', 'v', 'e1', 'e2');
SELECT pg_temp.say('b01', 'v', NULL, 'f1');
SELECT pg_temp.say('b01', 'u', 'f1', 'f2');
SELECT pg_temp.say('b01', 'u', NULL, 'g1');
SELECT pg_temp.say('b02', 'u', NULL, 'h1');
SELECT pg_temp.say('b02', 'u', NULL, 'h2');
SELECT pg_temp.say('b02', 'w', 'h2', 'h3');
SELECT pg_temp.say('b11', 'v', NULL, 'k1');
SELECT pg_temp.say('b11', 'w', 'k1', 'k2');
SELECT pg_temp.say('b11', 'u', NULL, 'k3');
SELECT delete_comment(pg_temp.id('e1'));
SELECT delete_comment(pg_temp.id('f1'));
CREATE TEMP TABLE events_before AS SELECT id, kind, payload FROM events WHERE id > (SELECT id FROM first_event);

SELECT is((SELECT count(*) FROM ids), 22::bigint, 'the fixture: 22 named comments');
SELECT is((SELECT count(*) FROM events_before WHERE kind = 'comment_added'), 22::bigint, 'one comment_added event each');
SELECT is_empty($$SELECT * FROM pg_temp.broken()$$, 'the fixture: nothing broken');
SELECT is_empty($$SELECT * FROM cp_test.counter_mismatches()$$, 'the fixture: every counter exact');

--------------------------------------------------------------------------------
-- deleting a comment removes its subtree
--------------------------------------------------------------------------------
SAVEPOINT comment_delete;
SELECT lives_ok($$DELETE FROM comments WHERE id = pg_temp.id('a3')$$, 'DELETE of a comment with replies two levels deep');
SELECT is(pg_temp.present(ARRAY['a1', 'a2', 'a3', 'a4', 'a5']), ARRAY['a1', 'a2'],
          'the comment and its subtree (a3, a4, a5) are gone, its parent and sibling stay');
SELECT is_empty($$SELECT * FROM pg_temp.broken()$$, 'after a subtree DELETE: nothing broken');
SELECT is_empty($$SELECT * FROM cp_test.counter_mismatches()$$, 'after a subtree DELETE: every counter exact');
SELECT lives_ok($$SELECT pg_temp.fks_hold()$$, 'after a subtree DELETE: the deferred foreign keys hold');
SELECT lives_ok($$DELETE FROM comments WHERE id IN (pg_temp.id('e2'), pg_temp.id('e1'), pg_temp.id('d2'))$$,
                'one DELETE of a placeholder with its reply, and of a comment in the middle of a chain');
SELECT is(pg_temp.present(ARRAY['d1', 'd2', 'd3', 'e1', 'e2']), ARRAY['d1'], '... they and their subtrees are gone');
SELECT is_empty($$SELECT * FROM pg_temp.broken()$$, '... nothing broken');
SELECT is_empty($$SELECT * FROM cp_test.counter_mismatches()$$, '... every counter exact');
ROLLBACK TO SAVEPOINT comment_delete;

--------------------------------------------------------------------------------
-- deleting a post removes its comments; their events stay
--------------------------------------------------------------------------------
SAVEPOINT post_delete;
SELECT lives_ok($$DELETE FROM posts WHERE id = '00000000-0000-7000-8000-000000000b01'$$, 'DELETE of a post with 16 comments');
SELECT is((SELECT count(*) FROM comments WHERE post_id = '00000000-0000-7000-8000-000000000b01'), 0::bigint,
          'its comments are gone');
SELECT is((SELECT count(*) FROM comments), 6::bigint, 'the comments of other posts stay');
SELECT set_eq($$SELECT id, kind, payload FROM events WHERE id > (SELECT id FROM first_event)$$,
              $$SELECT id, kind, payload FROM events_before$$,
              'every event stays, including the comment_added of the comments that went');
SELECT is_empty($$SELECT * FROM pg_temp.broken()$$, 'after a post DELETE: nothing broken');
SELECT is_empty($$SELECT * FROM cp_test.counter_mismatches()$$, 'after a post DELETE: every counter exact');
SELECT lives_ok($$SELECT pg_temp.fks_hold()$$, 'after a post DELETE: the deferred foreign keys hold');
ROLLBACK TO SAVEPOINT post_delete;

--------------------------------------------------------------------------------
-- deleting a user
--------------------------------------------------------------------------------
SELECT lives_ok($$DELETE FROM users WHERE id = '00000000-0000-7000-8000-0000000000c2'$$,
                'DELETE of a user with posts, subscriptions both ways, comments everywhere');
SELECT is((SELECT count(*) FROM subscriptions WHERE '00000000-0000-7000-8000-0000000000c2' IN (subscriber_id, creator_id)),
          0::bigint, 'their subscriptions, as subscriber and as creator, active and cancelled, are gone');
SELECT results_eq($$SELECT subscriber_id, creator_id FROM subscriptions$$,
                  $$VALUES ('00000000-0000-7000-8000-0000000000e1'::uuid, '00000000-0000-7000-8000-0000000000c1'::uuid)$$,
                  'the subscriptions between other users stay');
SELECT is((SELECT count(*) FROM posts WHERE creator_id = '00000000-0000-7000-8000-0000000000c2'), 0::bigint,
          'their posts, published and draft, are gone');
SELECT is(pg_temp.present(ARRAY['k1', 'k2', 'k3']), '{}'::text[], 'every comment on their posts, by anyone, is gone');
SELECT is((SELECT count(*) FROM posts_archive WHERE creator_id = '00000000-0000-7000-8000-0000000000c2'), 0::bigint,
          'their archived posts are gone');
SELECT is((SELECT count(*) FROM comments_archive WHERE post_id = '00000000-0000-7000-8000-000000000a11'), 0::bigint,
          '... with the archived comments on them');
SELECT is(pg_temp.present(ARRAY['a2', 'a5', 'b1', 'b2', 'b3', 'd3', 'f2', 'g1', 'h1']), '{}'::text[],
          'their comments without replies are gone, and so are chains of only their comments (b1-b2-b3), leaves first');
SELECT results_eq(
    $$SELECT i.name, c.user_id, c.content, c.deleted_at IS NOT NULL, c.reply_count
        FROM ids i JOIN comments c ON c.id = i.id WHERE i.name IN ('a3', 'd1', 'e1', 'h2') ORDER BY i.name$$,
    $$VALUES ('a3'::text, NULL::uuid, ''::text, true, 1), ('d1', NULL, '', true, 1),
             ('e1', NULL, '', true, 1), ('h2', NULL, '', true, 1)$$,
    'their comments with replies stay as anonymous placeholders: user_id NULL, content '''', deleted_at set, replies kept');
SELECT results_eq(
    $$SELECT i.name, c.user_id FROM ids i JOIN comments c ON c.id = i.id
       WHERE i.name IN ('a1', 'a4', 'd2', 'e2', 'h3') ORDER BY i.name$$,
    $$VALUES ('a1'::text, '00000000-0000-7000-8000-0000000000e1'::uuid), ('a4', '00000000-0000-7000-8000-0000000000e2'),
             ('d2', '00000000-0000-7000-8000-0000000000e1'), ('e2', '00000000-0000-7000-8000-0000000000e1'),
             ('h3', '00000000-0000-7000-8000-0000000000e2')$$,
    'the replies of others stay in place, with their authors');
-- f1 is v's placeholder whose only reply was u's: it stays, with no reply
-- left (delete_comment(f1) would now remove it)
SELECT results_eq(
    $$SELECT c.user_id, c.deleted_at IS NOT NULL, c.reply_count FROM comments c WHERE c.id = pg_temp.id('f1')$$,
    $$VALUES ('00000000-0000-7000-8000-0000000000e1'::uuid, true, 0)$$,
    'another user''s placeholder whose only reply was theirs stays, with reply_count 0');
SELECT results_eq(
    $$SELECT id, comment_count FROM posts ORDER BY id$$,
    $$VALUES ('00000000-0000-7000-8000-000000000b01'::uuid, 4), ('00000000-0000-7000-8000-000000000b02'::uuid, 1)$$,
    'comment counts: b01 keeps a1, a4, d2, e2; b02 keeps h3');
SELECT is_empty($$SELECT * FROM pg_temp.broken()$$, 'after a user DELETE: no orphan, every thread whole');
SELECT is_empty($$SELECT * FROM cp_test.counter_mismatches()$$, 'after a user DELETE: every counter exact');
SELECT lives_ok($$SELECT pg_temp.fks_hold()$$, 'after a user DELETE: the deferred foreign keys hold');
SELECT set_eq($$SELECT id, kind, payload FROM events WHERE id > (SELECT id FROM first_event)$$,
              $$SELECT id, kind, payload FROM events_before$$,
              'every event stays');
SELECT results_eq(
    $$SELECT string_agg(i.name, ',' ORDER BY c.path) FROM ids i JOIN comments c ON c.id = i.id
       WHERE c.post_id = '00000000-0000-7000-8000-000000000b01'$$,
    $$VALUES ('a1,a3,a4,d1,d2,e1,e2,f1'::text)$$,
    'the thread of b01 in path order: every remaining reply under its parent');
-- an anonymous placeholder cannot come back: it has no author
SELECT * FROM cp_test.rejects(
    $$UPDATE comments SET deleted_at = NULL, content = 'back' WHERE id = pg_temp.id('a3')$$,
    '23514', 'an anonymous placeholder cannot be restored to a live comment');
SELECT * FROM cp_test.rejects(
    $$UPDATE comments SET user_id = '00000000-0000-7000-8000-0000000000e1' WHERE id = pg_temp.id('a3')$$,
    '55000', 'an anonymous placeholder cannot be given an author');
-- the anonymous placeholders still behave as placeholders
SELECT lives_ok($$SELECT delete_comment(pg_temp.id('a4'))$$, 'delete_comment() of the reply under an anonymous placeholder');
SELECT lives_ok($$SELECT delete_comment(pg_temp.id('a3'))$$, 'then delete_comment() of the anonymous placeholder');
SELECT is(pg_temp.present(ARRAY['a1', 'a3', 'a4']), ARRAY['a1'], '... both are gone');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, parent_comment_id, content)
      VALUES ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', pg_temp.id('d1'), 'x')$$,
    '55000', 'no reply to an anonymous placeholder');

-- archived comments of the deleted user on others' archived posts
SELECT is((SELECT count(*) FROM comments_archive WHERE user_id = '00000000-0000-7000-8000-0000000000c2'), 0::bigint,
          'no archived comment keeps their id');
SELECT is_empty(
    $$SELECT id FROM comments_archive WHERE user_id IS NULL AND deleted_at IS NULL$$,
    'no archived comment is left with no author and its content (it could not be restored: comments_author_or_placeholder)');

--------------------------------------------------------------------------------
-- deleting two users at once, who replied to each other
--------------------------------------------------------------------------------
SELECT pg_temp.say('b01', 'v', NULL, 'm1');
SELECT pg_temp.say('b01', 'w', 'm1', 'm2');
SELECT pg_temp.say('b01', 'v', 'm2', 'm3');
SELECT pg_temp.say('b01', 'c', 'm3', 'm4');
SELECT pg_temp.say('b01', 'w', 'm4', 'm5');
SELECT pg_temp.say('b02', 'c', NULL, 'n1');
SELECT pg_temp.say('b02', 'v', 'n1', 'n2');
SELECT pg_temp.say('b02', 'w', 'n2', 'n3');
-- Both in one DELETE: the second user's BEFORE DELETE trigger updates
-- comments of the first (placeholders, reply counts) before the first one's
-- ON DELETE SET NULL has run, and those rows, already updated in this
-- transaction, get their user_id foreign key re-checked: 23503 (reported to
-- the lead; one user per statement works, below).
SAVEPOINT two_at_once;
SELECT lives_ok($$DELETE FROM users WHERE id IN ('00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000e2')$$,
                'one DELETE of two users who replied to each other');
SELECT is((SELECT count(*) FROM comments WHERE user_id IS NOT NULL), 2::bigint, 'only the comments of c keep an author (m4, n1)');
SELECT is(pg_temp.present(ARRAY['m1', 'm2', 'm3', 'm4', 'm5', 'n1', 'n3']), ARRAY['m1', 'm2', 'm3', 'm4', 'n1'],
          'the comments above c''s m4 stay as placeholders, the leaves m5 and n3 are gone');
SELECT is_empty($$SELECT * FROM pg_temp.broken()$$, 'after deleting two users at once: no orphan, every thread whole');
SELECT is_empty($$SELECT * FROM cp_test.counter_mismatches()$$, 'after deleting two users at once: every counter exact');
ROLLBACK TO SAVEPOINT two_at_once;

-- one after the other
SELECT lives_ok($$DELETE FROM users WHERE id = '00000000-0000-7000-8000-0000000000e1'$$, 'DELETE of v');
SELECT lives_ok($$DELETE FROM users WHERE id = '00000000-0000-7000-8000-0000000000e2'$$, 'then DELETE of w, who replied to v');
SELECT is((SELECT count(*) FROM comments WHERE user_id IS NOT NULL), 2::bigint, 'only the comments of c keep an author (m4, n1)');
SELECT is(pg_temp.present(ARRAY['m1', 'm2', 'm3', 'm4', 'm5', 'n1', 'n2', 'n3']), ARRAY['m1', 'm2', 'm3', 'm4', 'n1', 'n2'],
          'the comments above c''s m4 stay as placeholders; v''s n2 too (it had a reply when v went); the leaves m5, n3 are gone');
SELECT is_empty($$SELECT * FROM pg_temp.broken()$$, 'after deleting v then w: no orphan, every thread whole');
SELECT is_empty($$SELECT * FROM cp_test.counter_mismatches()$$, 'after deleting v then w: every counter exact');
SELECT lives_ok($$SELECT pg_temp.fks_hold()$$, 'after deleting v then w: the deferred foreign keys hold');

-- With the foreign keys checked immediately (an application may SET
-- CONSTRAINTS ALL IMMEDIATE), deleting a creator whose own comment on their
-- own post has replies: users_before_delete makes it a placeholder, the
-- ON DELETE SET NULL of comments_user_id_fkey updates it again, and the
-- re-check of comments_post_id_fkey queued by that update runs after
-- posts_creator_id_fkey deleted the post but before the post's cascade
-- deleted the comment: 23503 (reported to the lead).
SAVEPOINT immediate;
INSERT INTO users (id, email, username, role) VALUES
    ('00000000-0000-7000-8000-0000000000c3', 'z@x.io', 'creator_z', 'creator');
INSERT INTO posts (id, creator_id, title, status, published_at) VALUES
    ('00000000-0000-7000-8000-000000000b31', '00000000-0000-7000-8000-0000000000c3', 'z one', 'published', now() - interval '1 day');
SELECT pg_temp.say('b31', 'c', NULL, 'z1');
INSERT INTO comments (post_id, user_id, content) VALUES
    ('00000000-0000-7000-8000-000000000b31', '00000000-0000-7000-8000-0000000000c3', 'z2');
SELECT pg_temp.remember();
SELECT pg_temp.say('b31', 'c', 'z2', 'z3');
SET CONSTRAINTS ALL IMMEDIATE;
SELECT lives_ok($$DELETE FROM users WHERE id = '00000000-0000-7000-8000-0000000000c3'$$,
                'SET CONSTRAINTS ALL IMMEDIATE, then DELETE of a creator who answered on their own post and got a reply');
ROLLBACK TO SAVEPOINT immediate;
SET CONSTRAINTS ALL DEFERRED;

--------------------------------------------------------------------------------
-- and the last one: nothing is left
--------------------------------------------------------------------------------
SELECT lives_ok($$DELETE FROM users$$, 'DELETE of every user');
SELECT is((SELECT count(*) FROM comments) + (SELECT count(*) FROM posts) + (SELECT count(*) FROM subscriptions)
          + (SELECT count(*) FROM posts_archive) + (SELECT count(*) FROM comments_archive), 0::bigint,
          'no comment, post, subscription or archived row is left');
SELECT is((SELECT count(*) FROM events WHERE kind = 'comment_added' AND id > (SELECT id FROM first_event)), 30::bigint,
          'the 30 comment_added events stay');

SELECT * FROM finish();
ROLLBACK;
