-- 040_posts: the rules on posts that are plain constraints in 0.1.0
-- (API.md "Rules"): title 1-300 characters, not blank (23514); creator_id
-- references users (23503), and deleting a user deletes their posts (0.2.0,
-- docs/deletion.md); published_at agrees with status (23514); comment_count
-- never negative (23514), 0 on a new post (23514) and kept by the database
-- (an application UPDATE of it: 55000, since 0.2.0); NOT NULL (23502);
-- defaults; and a multi-row INSERT or INSERT ... SELECT with one bad row fails
-- as a whole.
-- Every rejected statement is followed by a check that no table changed.
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(84);

-- Runs a statement and tells how it ended: 'ok' or the SQLSTATE it raised.
CREATE FUNCTION pg_temp.outcome(stmt text) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN
    EXECUTE stmt;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END
$f$;

INSERT INTO users (id, email, username, role) VALUES
    ('00000000-0000-7000-8000-0000000000c1', 'creator@x.io', 'the_creator', 'creator'),
    ('00000000-0000-7000-8000-0000000000a1', 'admin@x.io', 'the_admin', 'admin'),
    ('00000000-0000-7000-8000-0000000000e1', 'reader@x.io', 'the_reader', 'reader'),
    ('00000000-0000-7000-8000-0000000000c2', 'leaving@x.io', 'the_leaving_creator', 'creator');
INSERT INTO posts (id, creator_id, title) VALUES
    ('00000000-0000-7000-8000-000000000d01', '00000000-0000-7000-8000-0000000000c1', 'a draft'),
    ('00000000-0000-7000-8000-000000000d21', '00000000-0000-7000-8000-0000000000c2', 'a draft of the leaving creator'),
    ('00000000-0000-7000-8000-000000000d22', '00000000-0000-7000-8000-0000000000c2', 'another draft of theirs');

--------------------------------------------------------------------------------
-- title: 1-300 characters, not blank
--------------------------------------------------------------------------------
SELECT cp_test.rejects(
    format('INSERT INTO posts (creator_id, title) VALUES (%L, %L)', '00000000-0000-7000-8000-0000000000c1', t),
    '23514', format('title %s is rejected', d))
  FROM (VALUES ('', 'empty'), ('   ', 'of spaces'), (E'\t\n', 'of tab and newline'),
               (repeat('x', 301), 'of 301 characters'), (repeat('é', 301), 'of 301 two-byte characters'))
       AS v(t, d);
SELECT * FROM cp_test.rejects(
    $$UPDATE posts SET title = ' ' WHERE id = '00000000-0000-7000-8000-000000000d01'$$,
    '23514', 'UPDATE title to blank');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO posts (creator_id, title) VALUES ('00000000-0000-7000-8000-0000000000c1', NULL)$$,
    '23502', 'title NULL');

SELECT lives_ok(format('INSERT INTO posts (creator_id, title) VALUES (%L, %L)', '00000000-0000-7000-8000-0000000000c1', t),
                format('title %s is accepted', d))
  FROM (VALUES ('x', 'of 1 character'), (repeat('x', 300), 'of 300 characters'),
               (repeat('é', 300), 'of 300 two-byte characters (characters, not bytes)'),
               ('  padded  ', 'with surrounding spaces'))
       AS v(t, d);

--------------------------------------------------------------------------------
-- creator_id references users (23503); NOT NULL (23502); enum input (22P02)
--------------------------------------------------------------------------------
SELECT * FROM cp_test.rejects(
    $$INSERT INTO posts (creator_id, title) VALUES ('00000000-0000-7000-8000-00000000dead', 'orphan')$$,
    '23503', 'creator_id of no user');
SELECT * FROM cp_test.rejects(
    $$UPDATE posts SET creator_id = '00000000-0000-7000-8000-00000000dead' WHERE id = '00000000-0000-7000-8000-000000000d01'$$,
    '23503', 'UPDATE creator_id to no user');
-- 0.2.0: deleting a user who owns posts deletes the posts with them (the
-- whole of docs/deletion.md is in 160_deletion)
SELECT lives_ok(
    $$DELETE FROM users WHERE id = '00000000-0000-7000-8000-0000000000c2'$$,
    'deleting a user who owns posts succeeds');
SELECT is((SELECT count(*) FROM posts WHERE creator_id = '00000000-0000-7000-8000-0000000000c2'), 0::bigint,
          'the deleted user''s posts are gone with them');
SELECT is((SELECT count(*) FROM posts WHERE id = '00000000-0000-7000-8000-000000000d01'), 1::bigint,
          'the posts of other creators stay');
SELECT cp_test.rejects(
    format('INSERT INTO posts (creator_id, title, %I) VALUES (%L, %L, NULL)',
           c, '00000000-0000-7000-8000-0000000000c1', 'null ' || c),
    '23502', format('%s NULL', c))
  FROM unnest(ARRAY['id', 'content', 'status', 'visibility', 'created_at', 'updated_at',
                    'comment_count']) AS c;
SELECT * FROM cp_test.rejects(
    $$INSERT INTO posts (creator_id, title) VALUES (NULL, 'no creator')$$,
    '23502', 'creator_id NULL');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO posts (creator_id, title, status) VALUES ('00000000-0000-7000-8000-0000000000c1', 'bad', 'deleted')$$,
    '22P02', 'status outside post_status');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO posts (creator_id, title, visibility) VALUES ('00000000-0000-7000-8000-0000000000c1', 'bad', 'private')$$,
    '22P02', 'visibility outside post_visibility');

--------------------------------------------------------------------------------
-- published_at agrees with status
--------------------------------------------------------------------------------
SELECT * FROM cp_test.rejects(
    $$INSERT INTO posts (creator_id, title, status, published_at)
      VALUES ('00000000-0000-7000-8000-0000000000c1', 'draft with date', 'draft', now())$$,
    '23514', 'a draft cannot carry published_at');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO posts (creator_id, title, status, published_at)
      VALUES ('00000000-0000-7000-8000-0000000000c1', 'scheduled without date', 'scheduled', NULL)$$,
    '23514', 'a scheduled post needs published_at');
SELECT * FROM cp_test.rejects(
    $$UPDATE posts SET status = 'scheduled' WHERE id = '00000000-0000-7000-8000-000000000d01'$$,
    '23514', 'a draft cannot become scheduled without published_at');
SELECT * FROM cp_test.rejects(
    $$UPDATE posts SET published_at = now() WHERE id = '00000000-0000-7000-8000-000000000d01'$$,
    '23514', 'a draft cannot be given a published_at');

SELECT lives_ok(
    $$INSERT INTO posts (id, creator_id, title, status, published_at)
      VALUES ('00000000-0000-7000-8000-000000000d02', '00000000-0000-7000-8000-0000000000c1',
              'scheduled', 'scheduled', now() + interval '1 day')$$,
    'a scheduled post with a future published_at is accepted');
SELECT lives_ok(
    $$INSERT INTO posts (id, creator_id, title, status, published_at)
      VALUES ('00000000-0000-7000-8000-000000000d03', '00000000-0000-7000-8000-0000000000c1',
              'published', 'published', now() - interval '1 hour')$$,
    'a published post with published_at is accepted');
SELECT lives_ok(
    $$INSERT INTO posts (creator_id, title, status, published_at)
      VALUES ('00000000-0000-7000-8000-0000000000a1', 'by an admin', 'published', now())$$,
    'an admin may own a post');

-- A published post always has a published_at. In 0.1.0 a published row without
-- one is rejected with 23514; from 0.2.0 the database fills in now() instead.
-- Either way no published post may end up without published_at.
SELECT ok(pg_temp.outcome(
             $$INSERT INTO posts (creator_id, title, status, published_at)
               VALUES ('00000000-0000-7000-8000-0000000000c1', 'published, no date', 'published', NULL)$$)
          IN ('23514', 'ok'),
          'INSERT of a published post without published_at is rejected (23514) or filled in');
SELECT ok(pg_temp.outcome(
             $$UPDATE posts SET status = 'published', published_at = NULL
                WHERE id = '00000000-0000-7000-8000-000000000d02'$$)
          IN ('23514', 'ok'),
          'UPDATE to published without published_at is rejected (23514) or filled in');
SELECT is((SELECT count(*) FROM posts WHERE status = 'published' AND published_at IS NULL), 0::bigint,
          'no published post is without published_at');
SELECT is((SELECT count(*) FROM posts WHERE status = 'scheduled' AND published_at IS NULL), 0::bigint,
          'no scheduled post is without published_at');
SELECT is((SELECT count(*) FROM posts WHERE status = 'draft' AND published_at IS NOT NULL), 0::bigint,
          'no draft carries published_at');

--------------------------------------------------------------------------------
-- comment_count: never negative, 0 on a new post, kept by the database
--------------------------------------------------------------------------------
SELECT * FROM cp_test.rejects(
    $$INSERT INTO posts (creator_id, title, comment_count) VALUES ('00000000-0000-7000-8000-0000000000c1', 'neg', -1)$$,
    '23514', 'comment_count negative on INSERT');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO posts (creator_id, title, comment_count) VALUES ('00000000-0000-7000-8000-0000000000c1', 'pos', 3)$$,
    '23514', 'comment_count other than 0 on INSERT');
SELECT lives_ok(
    $$INSERT INTO posts (creator_id, title, comment_count) VALUES ('00000000-0000-7000-8000-0000000000c1', 'zero', 0)$$,
    'comment_count 0 given explicitly on INSERT');
SELECT * FROM cp_test.rejects(
    $$UPDATE posts SET comment_count = -1 WHERE id = '00000000-0000-7000-8000-000000000d01'$$,
    '55000', 'comment_count negative on UPDATE (an application cannot set it at all)');
SELECT * FROM cp_test.rejects(
    $$UPDATE posts SET comment_count = 5 WHERE id = '00000000-0000-7000-8000-000000000d01'$$,
    '55000', 'comment_count set by an application UPDATE');
SELECT lives_ok(
    $$UPDATE posts SET comment_count = 0, title = 'a draft' WHERE id = '00000000-0000-7000-8000-000000000d01'$$,
    'an UPDATE that names comment_count but keeps its value');

--------------------------------------------------------------------------------
-- defaults
--------------------------------------------------------------------------------
SELECT results_eq(
    $$SELECT status, visibility, content, comment_count, published_at, created_at, updated_at
        FROM posts WHERE id = '00000000-0000-7000-8000-000000000d01'$$,
    $$VALUES ('draft'::post_status, 'public'::post_visibility, ''::text, 0, NULL::timestamptz, now(), now())$$,
    'defaults: draft, public, empty content, 0 comments, no published_at, created/updated now()');

--------------------------------------------------------------------------------
-- a statement with one bad row fails as a whole
--------------------------------------------------------------------------------
SELECT * FROM cp_test.rejects(
    $$INSERT INTO posts (creator_id, title) VALUES
        ('00000000-0000-7000-8000-0000000000c1', 'good one'),
        ('00000000-0000-7000-8000-0000000000c1', ''),
        ('00000000-0000-7000-8000-0000000000c1', 'good two')$$,
    '23514', 'multi-row INSERT with one blank title');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO posts (creator_id, title) VALUES
        ('00000000-0000-7000-8000-0000000000c1', 'good one'),
        ('00000000-0000-7000-8000-00000000dead', 'orphan')$$,
    '23503', 'multi-row INSERT with one row of no user');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO posts (creator_id, title, status, published_at)
      SELECT '00000000-0000-7000-8000-0000000000c1',
             'bulk ' || g,
             CASE WHEN g = 500 THEN 'draft' ELSE 'published' END::post_status,
             timestamptz '2024-01-01' + g * interval '1 minute'
        FROM generate_series(1, 1000) AS g$$,
    '23514', 'INSERT ... SELECT of 1000 rows whose row 500 is a draft with published_at');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO posts (creator_id, title)
      SELECT '00000000-0000-7000-8000-0000000000c1', CASE WHEN g = 1000 THEN repeat('t', 301) ELSE 'bulk ' || g END
        FROM generate_series(1, 1000) AS g$$,
    '23514', 'INSERT ... SELECT of 1000 rows whose last title is too long');
SELECT * FROM cp_test.rejects(
    $$UPDATE posts SET comment_count = comment_count - 1
       WHERE creator_id = '00000000-0000-7000-8000-0000000000c1'$$,
    '55000', 'UPDATE of comment_count on many rows (some would go negative)');
SELECT lives_ok(
    $$INSERT INTO posts (creator_id, title, status, published_at)
      SELECT '00000000-0000-7000-8000-0000000000c1', 'bulk ' || g, 'published',
             timestamptz '2024-01-01' + g * interval '1 minute'
        FROM generate_series(1, 1000) AS g$$,
    'INSERT ... SELECT of 1000 good rows');
SELECT is((SELECT count(*) FROM posts WHERE title LIKE 'bulk %'), 1000::bigint, 'all 1000 good rows are in');

SELECT * FROM finish();
ROLLBACK;
