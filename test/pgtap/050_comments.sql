-- 050_comments: the rules on comments that are plain constraints in 0.1.0
-- (API.md "Rules"): content 1-20,000 characters, not blank (23514); a deleted
-- placeholder has content '' (23514 otherwise), and since 0.2.0 only an
-- existing comment becomes one (a new one cannot, 23514); post, user and
-- parent must exist (23503); deleting a comment deletes its replies (0.2.0,
-- ON DELETE CASCADE); depth is the database's (0.2.0: whatever the app gives
-- is replaced), reply_count too (a new comment has 0, 23514; an UPDATE of it,
-- 55000); NOT NULL (23502). The threading rules themselves are in
-- 140_threading, the counters in 150_counters.
-- Every rejected statement is followed by a check that no table changed.
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(69);


-- a creator, a reader, two published posts and a draft, one top-level comment
INSERT INTO users (id, email, username, role) VALUES
    ('00000000-0000-7000-8000-0000000000c1', 'creator@x.io', 'the_creator', 'creator'),
    ('00000000-0000-7000-8000-0000000000e1', 'reader@x.io', 'the_reader', 'reader');
INSERT INTO posts (id, creator_id, title, status, published_at) VALUES
    ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000c1', 'post one', 'published', now() - interval '1 hour'),
    ('00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000c1', 'post two', 'published', now() - interval '1 hour'),
    ('00000000-0000-7000-8000-000000000b03', '00000000-0000-7000-8000-0000000000c1', 'a draft', 'draft', NULL);
INSERT INTO comments (id, post_id, user_id, content) VALUES
    ('00000000-0000-7000-8000-000000000c01', '00000000-0000-7000-8000-000000000b01',
     '00000000-0000-7000-8000-0000000000e1', 'first!');

--------------------------------------------------------------------------------
-- content: 1-20,000 characters, not blank
--------------------------------------------------------------------------------
SELECT cp_test.rejects(
    format('INSERT INTO comments (post_id, user_id, content) VALUES (%L, %L, %L)',
           '00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', t),
    '23514', format('content %s is rejected', d))
  FROM (VALUES ('', 'empty'), ('   ', 'of spaces'), (E'\n\t \r\n', 'of whitespace'),
               (repeat('x', 20001), 'of 20,001 characters'), (repeat('é', 20001), 'of 20,001 two-byte characters'))
       AS v(t, d);
SELECT * FROM cp_test.rejects(
    $$UPDATE comments SET content = ' ' WHERE id = '00000000-0000-7000-8000-000000000c01'$$,
    '23514', 'UPDATE content to blank');

SELECT lives_ok(
    format('INSERT INTO comments (post_id, user_id, content) VALUES (%L, %L, %L)',
           '00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', t),
    format('content %s is accepted', d))
  FROM (VALUES ('x', 'of 1 character'), (repeat('x', 20000), 'of 20,000 characters'),
               (repeat('é', 20000), 'of 20,000 two-byte characters (characters, not bytes)'),
               (E'  line one\nline two  ', 'of two lines with surrounding spaces'))
       AS v(t, d);

--------------------------------------------------------------------------------
-- placeholders: deleted_at set, content ''
--------------------------------------------------------------------------------
INSERT INTO comments (id, post_id, user_id, parent_comment_id, depth, content) VALUES
    ('00000000-0000-7000-8000-000000000c02', '00000000-0000-7000-8000-000000000b01',
     '00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-000000000c01', 1, 'a reply');
SELECT lives_ok(
    $$UPDATE comments SET deleted_at = now(), content = '' WHERE id = '00000000-0000-7000-8000-000000000c01'$$,
    'a comment becomes a placeholder: deleted_at set and content emptied');
SELECT results_eq(
    $$SELECT content, deleted_at FROM comments WHERE id = '00000000-0000-7000-8000-000000000c01'$$,
    $$VALUES (''::text, now())$$,
    'the placeholder row has empty content and deleted_at');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, content, deleted_at)
      VALUES ('00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000e1', '', now())$$,
    '23514', 'a new comment cannot be a placeholder, even a well-formed one (deleted_at set, content '''')');
SELECT * FROM cp_test.rejects(
    $$UPDATE comments SET deleted_at = now() WHERE id = '00000000-0000-7000-8000-000000000c02'$$,
    '23514', 'deleted_at set while content is kept');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, content, deleted_at)
      VALUES ('00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000e1', 'still here', now())$$,
    '23514', 'a placeholder with non-empty content');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, content, deleted_at)
      VALUES ('00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000e1', ' ', now())$$,
    '23514', 'a placeholder with blank content');
SELECT * FROM cp_test.rejects(
    $$UPDATE comments SET content = 'back again' WHERE id = '00000000-0000-7000-8000-000000000c01'$$,
    '23514', 'a placeholder cannot get content back while deleted_at is set');

--------------------------------------------------------------------------------
-- references (23503)
--------------------------------------------------------------------------------
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, content)
      VALUES ('00000000-0000-7000-8000-00000000dead', '00000000-0000-7000-8000-0000000000e1', 'no post')$$,
    '23503', 'post_id of no post');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, content)
      VALUES ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-00000000dead', 'no user')$$,
    '23503', 'user_id of no user');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, parent_comment_id, depth, content)
      VALUES ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1',
              '00000000-0000-7000-8000-00000000dead', 1, 'no parent')$$,
    '23503', 'parent_comment_id of no comment');
-- 0.2.0: a DELETE of a comment with replies removes its replies with it
-- (ON DELETE CASCADE; delete_comment is the path that keeps a placeholder)
INSERT INTO comments (id, post_id, user_id, parent_comment_id, content) VALUES
    ('00000000-0000-7000-8000-000000000c03', '00000000-0000-7000-8000-000000000b02',
     '00000000-0000-7000-8000-0000000000e1', NULL, 'to be deleted');
INSERT INTO comments (id, post_id, user_id, parent_comment_id, content) VALUES
    ('00000000-0000-7000-8000-000000000c04', '00000000-0000-7000-8000-000000000b02',
     '00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-000000000c03', 'its reply');
INSERT INTO comments (id, post_id, user_id, parent_comment_id, content) VALUES
    ('00000000-0000-7000-8000-000000000c05', '00000000-0000-7000-8000-000000000b02',
     '00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-000000000c04', 'a reply to the reply');
SELECT lives_ok(
    $$DELETE FROM comments WHERE id = '00000000-0000-7000-8000-000000000c03'$$,
    'deleting a comment that has replies succeeds');
SELECT is(
    (SELECT count(*) FROM comments WHERE id IN ('00000000-0000-7000-8000-000000000c03',
        '00000000-0000-7000-8000-000000000c04', '00000000-0000-7000-8000-000000000c05')),
    0::bigint, 'the comment and its replies, at every depth, are gone');
-- the parent of a new comment is looked up first: its own id is no comment yet
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (id, post_id, user_id, parent_comment_id, depth, content)
      VALUES ('00000000-0000-7000-8000-000000000c09', '00000000-0000-7000-8000-000000000b01',
              '00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-000000000c09', 1, 'my own parent')$$,
    '23503', 'a comment cannot be its own parent (on INSERT the parent does not exist)');
SELECT * FROM cp_test.rejects(
    $$UPDATE comments SET parent_comment_id = id WHERE id = '00000000-0000-7000-8000-000000000c02'$$,
    '55000', 'a comment cannot be made its own parent (parent_comment_id never changes)');

--------------------------------------------------------------------------------
-- depth and reply_count are the database's; NOT NULL
--------------------------------------------------------------------------------
-- depth given by the app (negative, wrong, NULL) is replaced by the real one
SELECT lives_ok(
    $$INSERT INTO comments (id, post_id, user_id, content, depth)
      VALUES ('00000000-0000-7000-8000-000000000c11', '00000000-0000-7000-8000-000000000b01',
              '00000000-0000-7000-8000-0000000000e1', 'neg depth', -1)$$,
    'a top-level comment given depth -1 is accepted');
SELECT lives_ok(
    $$INSERT INTO comments (id, post_id, user_id, parent_comment_id, content, depth)
      VALUES ('00000000-0000-7000-8000-000000000c12', '00000000-0000-7000-8000-000000000b01',
              '00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-000000000c11', 'wrong depth', 7)$$,
    'a reply given depth 7 is accepted');
SELECT lives_ok(
    $$INSERT INTO comments (id, post_id, user_id, parent_comment_id, content, depth)
      VALUES ('00000000-0000-7000-8000-000000000c13', '00000000-0000-7000-8000-000000000b01',
              '00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-000000000c12', 'null depth', NULL)$$,
    'a reply given depth NULL is accepted');
SELECT results_eq(
    $$SELECT depth FROM comments WHERE id IN ('00000000-0000-7000-8000-000000000c11',
        '00000000-0000-7000-8000-000000000c12', '00000000-0000-7000-8000-000000000c13') ORDER BY depth$$,
    $$VALUES (0), (1), (2)$$,
    'the database set their depths to 0, 1 and 2');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, content, reply_count)
      VALUES ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', 'neg replies', -1)$$,
    '23514', 'reply_count negative on INSERT');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, content, reply_count)
      VALUES ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', 'many replies', 2)$$,
    '23514', 'reply_count other than 0 on INSERT');
SELECT lives_ok(
    $$INSERT INTO comments (id, post_id, user_id, content, reply_count)
      VALUES ('00000000-0000-7000-8000-000000000c14', '00000000-0000-7000-8000-000000000b01',
              '00000000-0000-7000-8000-0000000000e1', 'null replies', NULL)$$,
    'reply_count NULL on INSERT is accepted (the database sets it)');
SELECT is((SELECT reply_count FROM comments WHERE id = '00000000-0000-7000-8000-000000000c14'), 0,
          'reply_count NULL on INSERT becomes 0');
SELECT * FROM cp_test.rejects(
    $$UPDATE comments SET reply_count = -1 WHERE id = '00000000-0000-7000-8000-000000000c02'$$,
    '55000', 'reply_count negative on UPDATE (an application cannot set it at all)');
SELECT * FROM cp_test.rejects(
    $$UPDATE comments SET depth = -1 WHERE id = '00000000-0000-7000-8000-000000000c02'$$,
    '55000', 'depth negative on UPDATE (an application cannot set it at all)');
SELECT cp_test.rejects(
    format('INSERT INTO comments (post_id, user_id, content, %I) VALUES (%L, %L, %L, NULL)',
           c, '00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', 'null ' || c),
    '23502', format('%s NULL', c))
  FROM unnest(ARRAY['id', 'created_at']) AS c;
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, content) VALUES (NULL, '00000000-0000-7000-8000-0000000000e1', 'x')$$,
    '23502', 'post_id NULL');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, content) VALUES ('00000000-0000-7000-8000-000000000b01', NULL, 'x')$$,
    '23502', 'user_id NULL');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, content) VALUES ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', NULL)$$,
    '23502', 'content NULL');

SELECT results_eq(
    $$SELECT parent_comment_id, depth, reply_count, deleted_at, created_at
        FROM comments WHERE content = 'x'$$,
    $$VALUES (NULL::uuid, 0, 0, NULL::timestamptz, now())$$,
    'defaults: top level, reply_count 0, not deleted, created now()');

--------------------------------------------------------------------------------
-- a statement with one bad row fails as a whole
--------------------------------------------------------------------------------
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, content)
      SELECT '00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000e1',
             CASE WHEN g = 777 THEN '' ELSE 'bulk ' || g END
        FROM generate_series(1, 1000) AS g$$,
    '23514', 'INSERT ... SELECT of 1000 comments with one empty');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, content) VALUES
        ('00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000e1', 'fine'),
        ('00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-00000000dead', 'no user')$$,
    '23503', 'multi-row INSERT with one row of no user');

SELECT * FROM finish();
ROLLBACK;
