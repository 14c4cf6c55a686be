-- 140_threading: comment threading (0.2.0, API.md "Rules"; the C++ BEFORE
-- INSERT / BEFORE UPDATE row triggers of src/comments.cpp).
--   * a comment goes on a published post only (55000; an archived post 55000,
--     no post 23503), a reply's parent exists (23503), is on the same post
--     (23514), is not a deleted placeholder (55000) nor archived (55000);
--   * depth = parent's depth + 1 (0 at top level) and path = parent's path ||
--     24-byte key (created_at as big-endian microseconds since 2000 with the
--     sign bit flipped, then the 16 id bytes) are set by the database,
--     whatever the application gives; depth at most
--     creator_platform.max_comment_depth (default 64, 0-100) else 54000;
--   * ORDER BY post_id, path is the thread depth-first with siblings by
--     (created_at, id), checked against a recursive CTE on a generated thread
--     of 400 comments with equal and back-dated created_at;
--   * a new comment is not a placeholder (23514), has reply_count 0 (23514), an
--     author (23502);
--   * id, post_id, parent_comment_id, created_at, depth, path, reply_count and
--     user_id never change (55000);
--   * every rule holds for a single INSERT, a multi-row INSERT, INSERT ...
--     SELECT and add_comment(), and a failing row fails the whole statement,
--     at once (not at commit, although the foreign keys are deferred).
-- Every rejected statement is followed by a check that no table changed.
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(137);

-- Users: creator ...c1, readers ...e1, ...e2. Posts: ...b01 and ...b02
-- published, ...b03 a draft, ...b04 scheduled, ...b05 published then taken
-- back to draft; ...a01 an archived post with an archived comment ...ac1.
INSERT INTO users (id, email, username, role) VALUES
    ('00000000-0000-7000-8000-0000000000c1', 'creator@x.io', 'the_creator', 'creator'),
    ('00000000-0000-7000-8000-0000000000e1', 'reader@x.io', 'the_reader', 'reader'),
    ('00000000-0000-7000-8000-0000000000e2', 'other@x.io', 'other_reader', 'reader');
INSERT INTO posts (id, creator_id, title, status, published_at) VALUES
    ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000c1', 'post one', 'published', now() - interval '1 hour'),
    ('00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000c1', 'post two', 'published', now() - interval '1 hour'),
    ('00000000-0000-7000-8000-000000000b03', '00000000-0000-7000-8000-0000000000c1', 'a draft', 'draft', NULL),
    ('00000000-0000-7000-8000-000000000b04', '00000000-0000-7000-8000-0000000000c1', 'scheduled', 'scheduled', now() + interval '1 day'),
    ('00000000-0000-7000-8000-000000000b05', '00000000-0000-7000-8000-0000000000c1', 'taken back', 'published', now() - interval '1 hour');
-- ...a01 and its comment are archived the one way rows enter the archive
INSERT INTO posts (id, creator_id, title, status, published_at) VALUES
    ('00000000-0000-7000-8000-000000000a01', '00000000-0000-7000-8000-0000000000c1', 'archived', 'published', now() - interval '3 years');
INSERT INTO comments (id, post_id, user_id, content) VALUES
    ('00000000-0000-7000-8000-000000000ac1', '00000000-0000-7000-8000-000000000a01',
     '00000000-0000-7000-8000-0000000000e1', 'an archived comment');
SELECT FROM archive_posts(now() - interval '2 years');

-- The expected key of a comment, computed exactly (extract() is numeric).
CREATE FUNCTION pg_temp.key(created_at timestamptz, id uuid) RETURNS bytea LANGUAGE sql IMMUTABLE AS $f$
    SELECT int8send(((extract(epoch FROM created_at) * 1000000)::bigint - 946684800000000)
                    # (-9223372036854775808)::bigint) || uuid_send(id)
$f$;
-- Comments whose depth or path is not what its ancestors make it (0 rows when right).
CREATE FUNCTION pg_temp.bad_paths() RETURNS TABLE (id uuid, depth int, want_depth int) LANGUAGE sql AS $f$
    WITH RECURSIVE t (id, depth, path, want_path, want_depth) AS (
        SELECT c.id, c.depth, c.path, pg_temp.key(c.created_at, c.id), 0
          FROM creator_platform.comments c WHERE c.parent_comment_id IS NULL
        UNION ALL
        SELECT c.id, c.depth, c.path, t.want_path || pg_temp.key(c.created_at, c.id), t.want_depth + 1
          FROM creator_platform.comments c JOIN t ON c.parent_comment_id = t.id
    )
    SELECT t.id, t.depth, t.want_depth FROM t WHERE t.path <> t.want_path OR t.depth <> t.want_depth
    UNION ALL  -- and every comment must be reachable from a top-level one
    SELECT c.id, c.depth, NULL FROM creator_platform.comments c WHERE c.id NOT IN (SELECT t.id FROM t)
$f$;

--------------------------------------------------------------------------------
-- a comment goes on a published post only
--------------------------------------------------------------------------------
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, content)
      VALUES ('00000000-0000-7000-8000-000000000b03', '00000000-0000-7000-8000-0000000000e1', 'on a draft')$$,
    '55000', 'a comment on a draft');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, content)
      VALUES ('00000000-0000-7000-8000-000000000b04', '00000000-0000-7000-8000-0000000000e1', 'on a scheduled post')$$,
    '55000', 'a comment on a scheduled post');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, content)
      VALUES ('00000000-0000-7000-8000-000000000a01', '00000000-0000-7000-8000-0000000000e1', 'on an archived post')$$,
    '55000', 'a comment on an archived post');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, content)
      VALUES ('00000000-0000-7000-8000-00000000dead', '00000000-0000-7000-8000-0000000000e1', 'on no post')$$,
    '23503', 'a comment on no post: reported at once, although the foreign key is deferred');
SELECT * FROM cp_test.rejects(
    $$SELECT add_comment('00000000-0000-7000-8000-000000000b03', '00000000-0000-7000-8000-0000000000e1', 'on a draft')$$,
    '55000', 'add_comment() on a draft');
SELECT * FROM cp_test.rejects(
    $$SELECT add_comment('00000000-0000-7000-8000-000000000a01', '00000000-0000-7000-8000-0000000000e1', 'archived')$$,
    '55000', 'add_comment() on an archived post');
SELECT * FROM cp_test.rejects(
    $$SELECT add_comment('00000000-0000-7000-8000-00000000dead', '00000000-0000-7000-8000-0000000000e1', 'no post')$$,
    '23503', 'add_comment() on no post');

-- a post taken back to draft takes no new comment, not even a reply
INSERT INTO comments (id, post_id, user_id, content) VALUES
    ('00000000-0000-7000-8000-000000000c51', '00000000-0000-7000-8000-000000000b05',
     '00000000-0000-7000-8000-0000000000e1', 'said while it was published');
UPDATE posts SET status = 'draft', published_at = NULL WHERE id = '00000000-0000-7000-8000-000000000b05';
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, parent_comment_id, content)
      VALUES ('00000000-0000-7000-8000-000000000b05', '00000000-0000-7000-8000-0000000000e1',
              '00000000-0000-7000-8000-000000000c51', 'a reply under a post taken back')$$,
    '55000', 'a reply on a post that went back to draft');

--------------------------------------------------------------------------------
-- the parent of a reply
--------------------------------------------------------------------------------
-- ...c01 top level on b01, ...c02 its reply; ...c03 top level on b02;
-- ...c04 on b01 with reply ...c05, then ...c04 deleted to a placeholder
INSERT INTO comments (id, post_id, user_id, content) VALUES
    ('00000000-0000-7000-8000-000000000c01', '00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', 'one'),
    ('00000000-0000-7000-8000-000000000c03', '00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000e1', 'three'),
    ('00000000-0000-7000-8000-000000000c04', '00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', 'four');
INSERT INTO comments (id, post_id, user_id, parent_comment_id, content) VALUES
    ('00000000-0000-7000-8000-000000000c02', '00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e2',
     '00000000-0000-7000-8000-000000000c01', 'two'),
    ('00000000-0000-7000-8000-000000000c05', '00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e2',
     '00000000-0000-7000-8000-000000000c04', 'five');
SELECT delete_comment('00000000-0000-7000-8000-000000000c04');

SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, parent_comment_id, content)
      VALUES ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1',
              '00000000-0000-7000-8000-00000000dead', 'no parent')$$,
    '23503', 'a reply to no comment: reported at once, although the foreign key is deferred');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, parent_comment_id, content)
      VALUES ('00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000e1',
              '00000000-0000-7000-8000-000000000c01', 'parent on post one, reply on post two')$$,
    '23514', 'a reply whose parent is on another post');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, parent_comment_id, content)
      VALUES ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1',
              '00000000-0000-7000-8000-000000000c04', 'to a placeholder')$$,
    '55000', 'a reply to a deleted placeholder');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, parent_comment_id, content)
      VALUES ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1',
              '00000000-0000-7000-8000-000000000ac1', 'to an archived comment')$$,
    '55000', 'a reply to an archived comment');
SELECT * FROM cp_test.rejects(
    $$SELECT add_comment('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', 'x',
                         '00000000-0000-7000-8000-00000000dead')$$,
    '23503', 'add_comment() replying to no comment');
SELECT * FROM cp_test.rejects(
    $$SELECT add_comment('00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000e1', 'x',
                         '00000000-0000-7000-8000-000000000c01')$$,
    '23514', 'add_comment() replying to a comment of another post');
SELECT * FROM cp_test.rejects(
    $$SELECT add_comment('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', 'x',
                         '00000000-0000-7000-8000-000000000c04')$$,
    '55000', 'add_comment() replying to a placeholder');
-- a parent deleted earlier in the same transaction is gone for the trigger too
SAVEPOINT parent_gone;
DELETE FROM comments WHERE id = '00000000-0000-7000-8000-000000000c02';
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, parent_comment_id, content)
      VALUES ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1',
              '00000000-0000-7000-8000-000000000c02', 'to a comment deleted a moment ago')$$,
    '23503', 'a reply to a comment deleted earlier in the transaction');
ROLLBACK TO SAVEPOINT parent_gone;
-- the parent must exist before the statement: a multi-row INSERT cannot carry
-- a comment and its reply (the trigger does not see rows of its own statement)
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (id, post_id, user_id, parent_comment_id, content) VALUES
        ('00000000-0000-7000-8000-000000000c61', '00000000-0000-7000-8000-000000000b01',
         '00000000-0000-7000-8000-0000000000e1', NULL, 'parent'),
        ('00000000-0000-7000-8000-000000000c62', '00000000-0000-7000-8000-000000000b01',
         '00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-000000000c61', 'its reply, same statement')$$,
    '23503', 'a reply to a comment inserted by the same statement');

--------------------------------------------------------------------------------
-- what a new comment may not be: a placeholder, counted, anonymous
--------------------------------------------------------------------------------
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, content, deleted_at)
      VALUES ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', '', now())$$,
    '23514', 'a new comment with deleted_at set');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, content, deleted_at)
      VALUES ('00000000-0000-7000-8000-000000000b01', NULL, '', now())$$,
    '23502', 'a new anonymous placeholder (user_id is checked first)');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, content, reply_count)
      VALUES ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', 'counted', 1)$$,
    '23514', 'a new comment with reply_count 1');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, content)
      VALUES ('00000000-0000-7000-8000-000000000b01', NULL, 'anonymous')$$,
    '23502', 'a new comment without user_id');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, content)
      VALUES (NULL, '00000000-0000-7000-8000-0000000000e1', 'nowhere')$$,
    '23502', 'a new comment without post_id');

-- add_comment(): NULL where a value is needed is 22023
SELECT * FROM cp_test.rejects(
    $$SELECT add_comment(NULL, '00000000-0000-7000-8000-0000000000e1', 'x')$$, '22023', 'add_comment() post_id NULL');
SELECT * FROM cp_test.rejects(
    $$SELECT add_comment('00000000-0000-7000-8000-000000000b01', NULL, 'x')$$, '22023', 'add_comment() user_id NULL');
SELECT * FROM cp_test.rejects(
    $$SELECT add_comment('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', NULL)$$,
    '22023', 'add_comment() content NULL');
SELECT * FROM cp_test.rejects(
    $$SELECT add_comment('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', '  ')$$,
    '23514', 'add_comment() blank content');

--------------------------------------------------------------------------------
-- a failing row fails the whole statement: multi-row INSERT, INSERT ... SELECT
--------------------------------------------------------------------------------
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, parent_comment_id, content) VALUES
        ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', NULL, 'fine'),
        ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-000000000c01', 'fine'),
        ('00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-000000000c01', 'other post')$$,
    '23514', 'multi-row INSERT whose last row replies across posts');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, content) VALUES
        ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', 'fine'),
        ('00000000-0000-7000-8000-000000000b03', '00000000-0000-7000-8000-0000000000e1', 'on a draft')$$,
    '55000', 'multi-row INSERT with one row on a draft');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, parent_comment_id, content) VALUES
        ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-000000000c01', 'fine'),
        ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-000000000c04', 'to the placeholder')$$,
    '55000', 'multi-row INSERT with one reply to a placeholder');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, parent_comment_id, content)
      SELECT '00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1',
             CASE WHEN g = 150 THEN '00000000-0000-7000-8000-00000000dead'::uuid
                  ELSE '00000000-0000-7000-8000-000000000c01'::uuid END,
             'bulk reply ' || g
        FROM generate_series(1, 200) AS g$$,
    '23503', 'INSERT ... SELECT of 200 replies whose 150th has no parent');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, content)
      SELECT CASE WHEN g = 200 THEN '00000000-0000-7000-8000-000000000b04'::uuid
                  ELSE '00000000-0000-7000-8000-000000000b02'::uuid END,
             '00000000-0000-7000-8000-0000000000e1', 'bulk ' || g
        FROM generate_series(1, 200) AS g$$,
    '55000', 'INSERT ... SELECT of 200 comments whose last is on a scheduled post');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, content, reply_count)
      SELECT '00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000e1', 'bulk ' || g,
             CASE WHEN g = 7 THEN 3 ELSE 0 END
        FROM generate_series(1, 200) AS g$$,
    '23514', 'INSERT ... SELECT of 200 comments whose 7th claims 3 replies');

--------------------------------------------------------------------------------
-- depth and path: set by the database
--------------------------------------------------------------------------------
SELECT results_eq(
    $$SELECT depth, length(path), path = pg_temp.key(created_at, id) FROM comments
       WHERE id = '00000000-0000-7000-8000-000000000c01'$$,
    $$VALUES (0, 24, true)$$,
    'a top-level comment: depth 0, path = its own 24-byte key (created_at, id)');
SELECT results_eq(
    $$SELECT r.depth, length(r.path), r.path = p.path || pg_temp.key(r.created_at, r.id)
        FROM comments r JOIN comments p ON p.id = r.parent_comment_id
       WHERE r.id = '00000000-0000-7000-8000-000000000c02'$$,
    $$VALUES (1, 48, true)$$,
    'a reply: depth 1, path = the parent''s path || its own key');

-- whatever the application gives for depth and path is replaced
INSERT INTO comments (id, post_id, user_id, parent_comment_id, content, depth, path) VALUES
    ('00000000-0000-7000-8000-000000000c06', '00000000-0000-7000-8000-000000000b01',
     '00000000-0000-7000-8000-0000000000e1', NULL, 'lies about its place', 9, '\xdeadbeef'::bytea);
INSERT INTO comments (id, post_id, user_id, parent_comment_id, content, depth, path) VALUES
    ('00000000-0000-7000-8000-000000000c07', '00000000-0000-7000-8000-000000000b01',
     '00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-000000000c02', 'lies too', 0, NULL);
SELECT results_eq(
    $$SELECT id, depth, length(path) FROM comments
       WHERE id IN ('00000000-0000-7000-8000-000000000c06', '00000000-0000-7000-8000-000000000c07') ORDER BY id$$,
    $$VALUES ('00000000-0000-7000-8000-000000000c06'::uuid, 0, 24), ('00000000-0000-7000-8000-000000000c07'::uuid, 2, 72)$$,
    'depth 9 and path \xdeadbeef given for a top-level comment, depth 0 and path NULL for a reply at depth 2: replaced');

-- add_comment() returns the row as stored
SELECT results_eq(
    $$SELECT r.depth, r.reply_count, r.deleted_at, r.parent_comment_id, length(r.path), r.content
        FROM add_comment('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e2',
                         'deep reply', '00000000-0000-7000-8000-000000000c07') AS r$$,
    $$VALUES (3, 0, NULL::timestamptz, '00000000-0000-7000-8000-000000000c07'::uuid, 96, 'deep reply'::text)$$,
    'add_comment() returns the new row: depth 3, no replies, not deleted, its parent, a 4-key path');
SELECT is((SELECT count(*) FROM comments WHERE content = 'deep reply' AND depth = 3 AND length(path) = 96), 1::bigint,
          'add_comment() stored the row it returned');
SELECT results_eq(
    $$SELECT r.depth, r.parent_comment_id FROM add_comment('00000000-0000-7000-8000-000000000b02',
                         '00000000-0000-7000-8000-0000000000e2', 'top level by default') AS r$$,
    $$VALUES (0, NULL::uuid)$$,
    'add_comment() without parent_comment_id adds a top-level comment');

-- multi-row INSERT and INSERT ... SELECT compute depth and path per row
INSERT INTO comments (post_id, user_id, parent_comment_id, content) VALUES
    ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', NULL, 'multi top'),
    ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-000000000c01', 'multi d1'),
    ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-000000000c02', 'multi d2'),
    ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-000000000c07', 'multi d3'),
    ('00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-000000000c03', 'multi other post');
SELECT results_eq(
    $$SELECT content, depth FROM comments WHERE content LIKE 'multi %' ORDER BY content$$,
    $$VALUES ('multi d1'::text, 1), ('multi d2', 2), ('multi d3', 3), ('multi other post', 1), ('multi top', 0)$$,
    'a multi-row INSERT at several depths and posts: each row gets its own depth');
INSERT INTO comments (post_id, user_id, parent_comment_id, content)
SELECT c.post_id, '00000000-0000-7000-8000-0000000000e2', c.id, 'bulk under ' || c.content
  FROM comments c WHERE c.deleted_at IS NULL AND c.content LIKE 'multi %';
SELECT results_eq(
    $$SELECT r.content, r.depth - p.depth FROM comments r JOIN comments p ON p.id = r.parent_comment_id
       WHERE r.content LIKE 'bulk under %' ORDER BY r.content$$,
    $$VALUES ('bulk under multi d1'::text, 1), ('bulk under multi d2', 1), ('bulk under multi d3', 1),
             ('bulk under multi other post', 1), ('bulk under multi top', 1)$$,
    'INSERT ... SELECT of replies to comments at several depths: each one parent depth + 1');
SELECT is_empty($$SELECT * FROM pg_temp.bad_paths()$$,
    'every comment so far: depth and path agree with its ancestors (single, multi-row, INSERT ... SELECT, add_comment)');

--------------------------------------------------------------------------------
-- path order is the thread depth-first, siblings by (created_at, id): a
-- generated thread of 400 comments on post ...b02
--------------------------------------------------------------------------------
-- Each comment i replies to an earlier one picked by a fixed formula (or is
-- top level); its created_at comes from a small set, so that many siblings
-- share it, and runs from 1900 to 2100 (before and after the 2000 origin of
-- the keys, so negative offsets too); a reply is often older than its parent
-- (created_at given explicitly). Ids are pseudo-random (md5) for half the
-- comments, uuid_generate_v7() for the others: id order is not insertion order.
-- Inserted one statement each (a parent must exist before its reply), in
-- batches of varying shape: single rows, and INSERT ... SELECT of siblings.
CREATE TEMP TABLE gen (i int PRIMARY KEY, id uuid, parent int, created_at timestamptz);
INSERT INTO gen
SELECT i,
       CASE WHEN i % 2 = 0 THEN md5('thread ' || i)::uuid END,
       CASE WHEN i <= 6 OR i % 13 = 0 THEN NULL ELSE 1 + (i * 7919) % (i - 1) END,
       CASE i % 7
            WHEN 0 THEN timestamptz '2024-01-01 00:00:00+00'
            WHEN 1 THEN timestamptz '2024-01-01 00:00:00+00'
            WHEN 2 THEN timestamptz '2024-01-01 00:00:00+00' + (i % 3) * interval '1 microsecond'
            WHEN 3 THEN timestamptz '1999-12-31 23:59:59.999999+00'
            WHEN 4 THEN timestamptz '1900-01-01 00:00:00+00' + (i % 4) * interval '1 day'
            WHEN 5 THEN timestamptz '2100-12-31 23:59:59.999999+00' - (i % 2) * interval '1 microsecond'
            ELSE now()
       END
  FROM generate_series(1, 400) AS i;
DO $$
DECLARE
    g record;
BEGIN
    FOR g IN SELECT * FROM gen ORDER BY i LOOP
        INSERT INTO creator_platform.comments (id, post_id, user_id, parent_comment_id, content, created_at)
        VALUES (COALESCE(g.id, creator_platform.uuid_generate_v7()), '00000000-0000-7000-8000-000000000b02',
                CASE WHEN g.i % 3 = 0 THEN '00000000-0000-7000-8000-0000000000e1'::uuid
                     ELSE '00000000-0000-7000-8000-0000000000e2'::uuid END,
                (SELECT p.id FROM gen p WHERE p.i = g.parent),
                'gen ' || g.i, g.created_at)
        RETURNING id INTO g.id;
        UPDATE gen SET id = g.id WHERE i = g.i;
    END LOOP;
END
$$;
-- and one INSERT ... SELECT of 40 siblings under comment 1, all with one
-- created_at, ids pseudo-random
INSERT INTO comments (id, post_id, user_id, parent_comment_id, content, created_at)
SELECT md5('sibling ' || s)::uuid, '00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000e1',
       (SELECT id FROM gen WHERE i = 1), 'sibling ' || s, timestamptz '2024-01-01 00:00:00+00'
  FROM generate_series(1, 40) AS s;

CREATE TYPE pg_temp.thread_key AS (created_at timestamptz, id uuid);
SELECT is((SELECT count(*) FROM comments WHERE content LIKE 'gen %' OR content LIKE 'sibling %'), 440::bigint,
          'the generated thread has 440 comments');
SELECT cmp_ok((SELECT max(depth) FROM comments WHERE content LIKE 'gen %'), '>=', 4,
              'the generated thread is several levels deep');
SELECT cmp_ok((SELECT count(*) FROM (SELECT 1 FROM comments WHERE post_id = '00000000-0000-7000-8000-000000000b02'
                                      GROUP BY parent_comment_id, created_at HAVING count(*) > 1) AS d)::int, '>=', 10,
              'many groups of siblings share their created_at');
SELECT ok(EXISTS (SELECT 1 FROM comments r JOIN comments p ON p.id = r.parent_comment_id
                   WHERE r.content LIKE 'gen %' AND r.created_at < p.created_at),
          'some replies are older than their parent');
SELECT results_eq(
    $$SELECT id FROM comments WHERE post_id = '00000000-0000-7000-8000-000000000b02' ORDER BY post_id, path$$,
    $$WITH RECURSIVE t (id, sort_key) AS (
          SELECT c.id, ARRAY[ROW(c.created_at, c.id)::pg_temp.thread_key]
            FROM comments c
           WHERE c.post_id = '00000000-0000-7000-8000-000000000b02' AND c.parent_comment_id IS NULL
          UNION ALL
          SELECT c.id, t.sort_key || ROW(c.created_at, c.id)::pg_temp.thread_key
            FROM comments c JOIN t ON c.parent_comment_id = t.id
      )
      SELECT id FROM t ORDER BY sort_key$$,
    'ORDER BY post_id, path = depth-first with siblings by (created_at, id), from a recursive CTE (post two, 450 comments)');
SELECT results_eq(
    $$SELECT id FROM comments ORDER BY post_id, path$$,
    $$WITH RECURSIVE t (post_id, id, sort_key) AS (
          SELECT c.post_id, c.id, ARRAY[ROW(c.created_at, c.id)::pg_temp.thread_key]
            FROM comments c WHERE c.parent_comment_id IS NULL
          UNION ALL
          SELECT c.post_id, c.id, t.sort_key || ROW(c.created_at, c.id)::pg_temp.thread_key
            FROM comments c JOIN t ON c.parent_comment_id = t.id
      )
      SELECT id FROM t ORDER BY post_id, sort_key$$,
    'the same over every post (placeholders included)');
SELECT is_empty($$SELECT * FROM pg_temp.bad_paths()$$,
    'every comment of the generated thread: depth and path agree with its ancestors, bytes as specified');
-- a subtree is a range of paths
SELECT results_eq(
    $$SELECT s.id FROM comments r JOIN comments s
          ON s.post_id = r.post_id AND s.path >= r.path
         AND s.path < r.path || '\xffffffffffffffffffffffffffffffffffffffffffffffffff'::bytea
       WHERE r.id = (SELECT id FROM gen WHERE i = 1) ORDER BY s.path$$,
    $$WITH RECURSIVE t (id, sort_key) AS (
          SELECT c.id, ARRAY[ROW(c.created_at, c.id)::pg_temp.thread_key]
            FROM comments c WHERE c.id = (SELECT id FROM gen WHERE i = 1)
          UNION ALL
          SELECT c.id, t.sort_key || ROW(c.created_at, c.id)::pg_temp.thread_key
            FROM comments c JOIN t ON c.parent_comment_id = t.id
      )
      SELECT id FROM t ORDER BY sort_key$$,
    'a comment''s subtree is the path range [path, path || 0xFF x 25), in depth-first order');

--------------------------------------------------------------------------------
-- creator_platform.max_comment_depth
--------------------------------------------------------------------------------
-- A chain on post ...b01 under ...c01: chain(n) is at depth n.
CREATE FUNCTION pg_temp.extend_chain(upto int) RETURNS int LANGUAGE plpgsql AS $f$
DECLARE
    last_id uuid;
    last_depth int;
BEGIN
    SELECT c.id, c.depth INTO last_id, last_depth FROM creator_platform.comments c
     WHERE c.content LIKE 'chain %' OR c.id = '00000000-0000-7000-8000-000000000c01'
     ORDER BY c.depth DESC LIMIT 1;
    WHILE last_depth < upto LOOP
        INSERT INTO creator_platform.comments (post_id, user_id, parent_comment_id, content)
        VALUES ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', last_id,
                'chain ' || (last_depth + 1))
        RETURNING id, depth INTO last_id, last_depth;
    END LOOP;
    RETURN last_depth;
END
$f$;
CREATE FUNCTION pg_temp.chain(n int) RETURNS uuid LANGUAGE sql AS $f$
    SELECT CASE WHEN n = 0 THEN '00000000-0000-7000-8000-000000000c01'::uuid
                ELSE (SELECT c.id FROM creator_platform.comments c WHERE c.content = 'chain ' || n) END
$f$;

SELECT is(current_setting('creator_platform.max_comment_depth'), '64', 'max_comment_depth is 64 by default');
SELECT is(pg_temp.extend_chain(64), 64, 'by default a reply may be at depth 64');
SELECT * FROM cp_test.rejects(
    format($$INSERT INTO comments (post_id, user_id, parent_comment_id, content)
             VALUES ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', %L, 'depth 65')$$,
           pg_temp.chain(64)),
    '54000', 'by default a reply at depth 65');
SELECT * FROM cp_test.rejects(
    format($$SELECT add_comment('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1',
                                'depth 65', %L)$$, pg_temp.chain(64)),
    '54000', 'add_comment() at depth 65');
SELECT * FROM cp_test.rejects(
    format($$INSERT INTO comments (post_id, user_id, parent_comment_id, content)
             SELECT '00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', p, 'bulk'
               FROM unnest(ARRAY[%L, %L]::uuid[]) AS p$$, pg_temp.chain(10), pg_temp.chain(64)),
    '54000', 'INSERT ... SELECT with one row at depth 65');

SET LOCAL creator_platform.max_comment_depth = 3;
SELECT lives_ok(
    format($$INSERT INTO comments (post_id, user_id, parent_comment_id, content)
             VALUES ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', %L, 'at 3')$$,
           pg_temp.chain(2)),
    'SET LOCAL max_comment_depth = 3: a reply at depth 3 goes in');
SELECT * FROM cp_test.rejects(
    format($$INSERT INTO comments (post_id, user_id, parent_comment_id, content)
             VALUES ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', %L, 'at 4')$$,
           pg_temp.chain(3)),
    '54000', 'SET LOCAL max_comment_depth = 3: a reply at depth 4');
SELECT * FROM cp_test.rejects(
    format($$INSERT INTO comments (post_id, user_id, parent_comment_id, content)
             VALUES ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', %L, 'deeper')$$,
           pg_temp.chain(40)),
    '54000', 'SET LOCAL max_comment_depth = 3: a reply under a comment already deeper than the limit');
SELECT is((SELECT count(*) FROM comments WHERE content LIKE 'chain %'), 64::bigint,
          'lowering the limit leaves deeper comments that exist in place');

SET LOCAL creator_platform.max_comment_depth = 0;
SELECT lives_ok(
    $$INSERT INTO comments (post_id, user_id, content)
      VALUES ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', 'top level at limit 0')$$,
    'max_comment_depth = 0: a top-level comment goes in');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, parent_comment_id, content)
      VALUES ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1',
              '00000000-0000-7000-8000-000000000c01', 'no replies at all')$$,
    '54000', 'max_comment_depth = 0: any reply');

SELECT throws_ok($$SET LOCAL creator_platform.max_comment_depth = 101$$, '22023', NULL,
                 'max_comment_depth cannot be set above 100');
SELECT throws_ok($$SET LOCAL creator_platform.max_comment_depth = -1$$, '22023', NULL,
                 'max_comment_depth cannot be set below 0');
SET LOCAL creator_platform.max_comment_depth = 100;
SELECT is(pg_temp.extend_chain(100), 100, 'max_comment_depth = 100: a reply may be at depth 100 (its path fits the index)');
SELECT is((SELECT length(path) FROM comments WHERE id = pg_temp.chain(100)), 2424,
          'the path at depth 100 is 101 keys, 2,424 bytes');
SELECT * FROM cp_test.rejects(
    format($$INSERT INTO comments (post_id, user_id, parent_comment_id, content)
             VALUES ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', %L, 'at 101')$$,
           pg_temp.chain(100)),
    '54000', 'max_comment_depth = 100: a reply at depth 101');
RESET creator_platform.max_comment_depth;
SELECT is(current_setting('creator_platform.max_comment_depth'), '64', 'RESET brings back 64');
SELECT is_empty($$SELECT * FROM pg_temp.bad_paths()$$, 'the chain: depth and path agree with its ancestors');

--------------------------------------------------------------------------------
-- immutable columns (55000), each on its own and in a multi-row UPDATE
--------------------------------------------------------------------------------
SELECT cp_test.rejects(format('UPDATE comments SET %s WHERE id = %L', s, '00000000-0000-7000-8000-000000000c02'),
                       '55000', format('UPDATE of %s', d))
  FROM (VALUES
    ('id = ''00000000-0000-7000-8000-00000000beef''', 'id'),
    ('post_id = ''00000000-0000-7000-8000-000000000b02''', 'post_id (to another published post)'),
    ('parent_comment_id = NULL', 'parent_comment_id (to top level)'),
    ('parent_comment_id = ''00000000-0000-7000-8000-000000000c06''', 'parent_comment_id (to another comment of the post)'),
    ('created_at = created_at - interval ''1 day''', 'created_at'),
    ('depth = 0', 'depth'),
    ('path = ''\x00''::bytea', 'path'),
    ('path = substring(path from 1 for 24)', 'path (to its parent''s)'),
    ('reply_count = reply_count + 1', 'reply_count'),
    ('user_id = ''00000000-0000-7000-8000-0000000000e1''', 'user_id (to another user)'),
    ('user_id = NULL', 'user_id (to NULL, on a comment that is not a placeholder)')
  ) AS v(s, d);
SELECT * FROM cp_test.rejects(
    $$UPDATE comments SET user_id = '00000000-0000-7000-8000-0000000000e2' WHERE id = '00000000-0000-7000-8000-000000000c04'$$,
    '55000', 'UPDATE of a placeholder''s user_id to another user');
-- the one change of user_id allowed: a placeholder may be made anonymous
-- (user_id NULL), as account deletion does (160_deletion)
SAVEPOINT anonymize;
SELECT lives_ok(
    $$UPDATE comments SET user_id = NULL WHERE id = '00000000-0000-7000-8000-000000000c04'$$,
    'a placeholder may be made anonymous (user_id NULL)');
SELECT is((SELECT user_id FROM comments WHERE id = '00000000-0000-7000-8000-000000000c04'), NULL::uuid,
    'the anonymous placeholder has no author');
ROLLBACK TO SAVEPOINT anonymize;
SELECT * FROM cp_test.rejects(
    $$UPDATE comments SET content = content || ' (edited)',
                          created_at = CASE WHEN id = '00000000-0000-7000-8000-000000000c07'
                                            THEN created_at - interval '1 second' ELSE created_at END
       WHERE post_id = '00000000-0000-7000-8000-000000000b01' AND deleted_at IS NULL$$,
    '55000', 'a multi-row UPDATE in which one row changes created_at');
SELECT lives_ok(
    $$UPDATE comments SET content = 'one (edited)', id = id, post_id = post_id, user_id = user_id,
                          parent_comment_id = parent_comment_id, created_at = created_at, depth = depth,
                          path = path, reply_count = reply_count
       WHERE id = '00000000-0000-7000-8000-000000000c01'$$,
    'an UPDATE that names every guarded column but keeps its value, and edits the content');
SELECT is((SELECT content FROM comments WHERE id = '00000000-0000-7000-8000-000000000c01'), 'one (edited)',
          'content can be edited');

-- the foreign keys of comments are deferred to commit, which a pgTAP file
-- never reaches: check them now
SELECT lives_ok($$SET CONSTRAINTS ALL IMMEDIATE$$, 'every comment inserted here passes the deferred foreign key checks');

SELECT * FROM finish();
ROLLBACK;
