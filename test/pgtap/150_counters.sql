-- 150_counters: posts.comment_count and comments.reply_count are exact after
-- every statement (API.md, "Counters"): comment_count = comments of the post
-- with deleted_at IS NULL; reply_count = direct replies present, placeholders
-- included. They are kept by statement-level C++ triggers over transition
-- tables (src/comments.cpp) for single-row, multi-row and INSERT ... SELECT
-- inserts, placeholders made by delete_comment() or by a direct UPDATE of
-- deleted_at (and undone), hard DELETEs of comments and of whole subtrees,
-- deletion of posts and of users, and TRUNCATE. COPY is in the pg_regress test
-- counters_copy (pgTAP cannot COPY FROM STDIN).
-- Each scenario ends with cp_test.counter_mismatches(), a reconciliation of
-- every counter of the database against the rows, which must be empty.
-- A statement updates each counter row once, however many of its rows count
-- there: checked with pg_stat_xact_user_tables.n_tup_upd.
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(60);

INSERT INTO users (id, email, username, role) VALUES
    ('00000000-0000-7000-8000-0000000000c1', 'creator@x.io', 'the_creator', 'creator'),
    ('00000000-0000-7000-8000-0000000000e1', 'r1@x.io', 'reader_one', 'reader'),
    ('00000000-0000-7000-8000-0000000000e2', 'r2@x.io', 'reader_two', 'reader'),
    ('00000000-0000-7000-8000-0000000000e3', 'r3@x.io', 'reader_three', 'reader');
-- five published posts ...b01-...b05, and 30 more (...f01-...f30) for
-- statements that touch many posts at once
INSERT INTO posts (id, creator_id, title, status, published_at)
SELECT ('00000000-0000-7000-8000-000000000b0' || n)::uuid, '00000000-0000-7000-8000-0000000000c1',
       'post ' || n, 'published', now() - interval '1 day'
  FROM generate_series(1, 5) AS n;
INSERT INTO posts (id, creator_id, title, status, published_at)
SELECT ('00000000-0000-7000-8000-000000000f' || lpad(n::text, 2, '0'))::uuid, '00000000-0000-7000-8000-0000000000c1',
       'many ' || n, 'published', now() - interval '1 day'
  FROM generate_series(1, 30) AS n;

CREATE FUNCTION pg_temp.cc(post uuid) RETURNS int LANGUAGE sql AS
    $f$ SELECT comment_count FROM creator_platform.posts WHERE id = post $f$;
CREATE FUNCTION pg_temp.rc(comment uuid) RETURNS int LANGUAGE sql AS
    $f$ SELECT reply_count FROM creator_platform.comments WHERE id = comment $f$;
-- rows UPDATEd so far in this transaction (each counter row update is one)
CREATE FUNCTION pg_temp.updates(rel regclass) RETURNS bigint LANGUAGE sql AS
    $f$ SELECT n_tup_upd FROM pg_catalog.pg_stat_xact_user_tables WHERE relid = rel $f$;
CREATE TEMP TABLE mark (rel regclass PRIMARY KEY, n bigint);
-- remember the counts now; updates_since() is how many rows were updated since
CREATE FUNCTION pg_temp.mark() RETURNS void LANGUAGE sql AS $f$
    DELETE FROM mark;
    INSERT INTO mark VALUES ('creator_platform.posts', pg_temp.updates('creator_platform.posts')),
                            ('creator_platform.comments', pg_temp.updates('creator_platform.comments'));
$f$;
-- runs a statement; true when no row of any extension table changed
CREATE FUNCTION pg_temp.changes_nothing(stmt text) RETURNS boolean LANGUAGE plpgsql AS $f$
DECLARE
    before text := cp_test.db_state();
BEGIN
    EXECUTE stmt;
    RETURN cp_test.db_state() = before;
END
$f$;
CREATE FUNCTION pg_temp.updates_since(r regclass) RETURNS bigint LANGUAGE sql AS
    $f$ SELECT pg_temp.updates(r) - (SELECT n FROM mark WHERE rel = r) $f$;

--------------------------------------------------------------------------------
-- single inserts
--------------------------------------------------------------------------------
SELECT is(pg_temp.cc('00000000-0000-7000-8000-000000000b01'), 0, 'a new post has comment_count 0');
DO $$ BEGIN PERFORM creator_platform.add_comment('00000000-0000-7000-8000-000000000b01',
                                                 '00000000-0000-7000-8000-0000000000e1', 'c01'); END $$;
-- the ids of the named comments (c01, m1, t1, ...), remembered after each
-- insert, since content changes (placeholders, edits)
CREATE TEMP TABLE ids (name text PRIMARY KEY, id uuid);
CREATE FUNCTION pg_temp.remember() RETURNS void LANGUAGE sql AS $f$
    INSERT INTO ids SELECT content, id FROM creator_platform.comments WHERE content ~ '^[cmt][0-9]+$'
    ON CONFLICT DO NOTHING
$f$;
CREATE FUNCTION pg_temp.id(n text) RETURNS uuid LANGUAGE sql AS $f$ SELECT id FROM ids WHERE name = n $f$;
SELECT pg_temp.remember();
SELECT is(pg_temp.cc('00000000-0000-7000-8000-000000000b01'), 1, 'add_comment(): comment_count 1');

INSERT INTO comments (post_id, user_id, parent_comment_id, content)
VALUES ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e2', pg_temp.id('c01'), 'c02');
SELECT pg_temp.remember();
SELECT results_eq(
    $$SELECT pg_temp.cc('00000000-0000-7000-8000-000000000b01'), pg_temp.rc(pg_temp.id('c01')), pg_temp.rc(pg_temp.id('c02'))$$,
    $$VALUES (2, 1, 0)$$, 'a reply: the post counts 2, the parent 1 reply, the reply 0');
INSERT INTO comments (post_id, user_id, parent_comment_id, content)
VALUES ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e3', pg_temp.id('c02'), 'c03');
SELECT pg_temp.remember();
SELECT results_eq(
    $$SELECT pg_temp.cc('00000000-0000-7000-8000-000000000b01'), pg_temp.rc(pg_temp.id('c01')), pg_temp.rc(pg_temp.id('c02'))$$,
    $$VALUES (3, 1, 1)$$, 'a reply to the reply: reply_count counts direct replies only');
INSERT INTO comments (post_id, user_id, content)
VALUES ('00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000e1', 'c04');
SELECT pg_temp.remember();
SELECT results_eq(
    $$SELECT pg_temp.cc('00000000-0000-7000-8000-000000000b01'), pg_temp.cc('00000000-0000-7000-8000-000000000b02')$$,
    $$VALUES (3, 1)$$, 'a comment on another post counts there only');
SELECT is_empty($$SELECT * FROM cp_test.counter_mismatches()$$, 'single inserts: every counter is exact');

--------------------------------------------------------------------------------
-- a multi-row INSERT across posts and parents
--------------------------------------------------------------------------------
SELECT pg_temp.mark();
INSERT INTO comments (post_id, user_id, parent_comment_id, content) VALUES
    ('00000000-0000-7000-8000-000000000b03', '00000000-0000-7000-8000-0000000000e1', NULL, 'm1'),
    ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e2', pg_temp.id('c01'), 'm2'),
    ('00000000-0000-7000-8000-000000000b03', '00000000-0000-7000-8000-0000000000e1', NULL, 'm3'),
    ('00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000e3', pg_temp.id('c04'), 'm4'),
    ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e2', pg_temp.id('c01'), 'm5'),
    ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', pg_temp.id('c03'), 'm6');
SELECT pg_temp.remember();
SELECT results_eq(
    $$SELECT pg_temp.cc('00000000-0000-7000-8000-000000000b01'), pg_temp.cc('00000000-0000-7000-8000-000000000b02'),
             pg_temp.cc('00000000-0000-7000-8000-000000000b03'),
             pg_temp.rc(pg_temp.id('c01')), pg_temp.rc(pg_temp.id('c03')), pg_temp.rc(pg_temp.id('c04'))$$,
    $$VALUES (6, 2, 2, 3, 1, 1)$$,
    'multi-row INSERT of 6 rows over 3 posts and 3 parents: every count right');
SELECT is(pg_temp.updates_since('creator_platform.posts'), 3::bigint,
          'one UPDATE of each of the 3 posts (b01 got 3 comments in the statement)');
SELECT is(pg_temp.updates_since('creator_platform.comments'), 3::bigint,
          'one UPDATE of each of the 3 parents (c01 got 2 replies in the statement)');
SELECT is_empty($$SELECT * FROM cp_test.counter_mismatches()$$, 'multi-row INSERT: every counter is exact');

--------------------------------------------------------------------------------
-- INSERT ... SELECT, from one post to many
--------------------------------------------------------------------------------
SELECT pg_temp.mark();
INSERT INTO comments (post_id, user_id, content)
SELECT '00000000-0000-7000-8000-000000000b04', '00000000-0000-7000-8000-0000000000e1', 'top ' || g
  FROM generate_series(1, 100) AS g;
SELECT is(pg_temp.cc('00000000-0000-7000-8000-000000000b04'), 100, 'INSERT ... SELECT of 100 comments on one post: 100');
SELECT is(pg_temp.updates_since('creator_platform.posts'), 1::bigint,
          'INSERT ... SELECT of 100 comments on one post: the post row was updated exactly once');

SELECT pg_temp.mark();
INSERT INTO comments (post_id, user_id, parent_comment_id, content)
SELECT '00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000e2', pg_temp.id('c04'), 'flat ' || g
  FROM generate_series(1, 100) AS g;
SELECT results_eq(
    $$SELECT pg_temp.cc('00000000-0000-7000-8000-000000000b02'), pg_temp.rc(pg_temp.id('c04'))$$,
    $$VALUES (102, 101)$$, 'INSERT ... SELECT of 100 replies to one comment: post 102, parent 101 replies');
SELECT results_eq(
    $$SELECT pg_temp.updates_since('creator_platform.posts'), pg_temp.updates_since('creator_platform.comments')$$,
    $$VALUES (1::bigint, 1::bigint)$$, '... with one UPDATE of the post and one of the parent');

-- 3 replies to each of the 100 top-level comments of b04: 100 parents in one
-- statement (more than the row-by-row path handles: one set-based UPDATE)
SELECT pg_temp.mark();
INSERT INTO comments (post_id, user_id, parent_comment_id, content)
SELECT c.post_id, '00000000-0000-7000-8000-0000000000e3', c.id, 'reply ' || k || ' to ' || c.content
  FROM comments c CROSS JOIN generate_series(1, 3) AS k
 WHERE c.post_id = '00000000-0000-7000-8000-000000000b04' AND c.parent_comment_id IS NULL;
SELECT is(pg_temp.cc('00000000-0000-7000-8000-000000000b04'), 400, 'INSERT ... SELECT of 300 replies over 100 parents: post 400');
SELECT is((SELECT count(*) FROM comments WHERE post_id = '00000000-0000-7000-8000-000000000b04'
                                          AND parent_comment_id IS NULL AND reply_count = 3), 100::bigint,
          '... each of the 100 parents counts 3 replies');
SELECT results_eq(
    $$SELECT pg_temp.updates_since('creator_platform.posts'), pg_temp.updates_since('creator_platform.comments')$$,
    $$VALUES (1::bigint, 100::bigint)$$, '... with one UPDATE of the post and one of each parent');

-- 2 comments on each of 30 posts in one statement, rows in an order that is
-- neither id order nor grouped by post
SELECT pg_temp.mark();
INSERT INTO comments (post_id, user_id, content)
SELECT ('00000000-0000-7000-8000-000000000f' || lpad((1 + (g * 17) % 30)::text, 2, '0'))::uuid,
       '00000000-0000-7000-8000-0000000000e1', 'spread ' || g
  FROM generate_series(1, 60) AS g;
SELECT is((SELECT count(*) FROM posts WHERE title LIKE 'many %' AND comment_count = 2), 30::bigint,
          'INSERT ... SELECT of 60 comments over 30 posts: each counts 2');
SELECT is(pg_temp.updates_since('creator_platform.posts'), 30::bigint, '... with one UPDATE of each of the 30 posts');

-- replies over many posts and parents at once, mixed with top-level comments
INSERT INTO comments (post_id, user_id, parent_comment_id, content)
SELECT c.post_id, '00000000-0000-7000-8000-0000000000e2', CASE WHEN k = 1 THEN NULL ELSE c.id END, 'mixed ' || k
  FROM comments c CROSS JOIN generate_series(1, 2) AS k
 WHERE c.content LIKE 'spread %' OR c.content IN ('m1', 'm3');
SELECT is_empty($$SELECT * FROM cp_test.counter_mismatches()$$, 'INSERT ... SELECT: every counter is exact');

-- a statement that fails changes no counter; a rolled-back savepoint neither
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, parent_comment_id, content)
      SELECT '00000000-0000-7000-8000-000000000b04', '00000000-0000-7000-8000-0000000000e1',
             CASE WHEN g = 50 THEN '00000000-0000-7000-8000-00000000dead'::uuid END, 'doomed ' || g
        FROM generate_series(1, 60) AS g$$,
    '23503', 'an INSERT ... SELECT that fails at its 50th row leaves every counter as it was');
SAVEPOINT before_more;
INSERT INTO comments (post_id, user_id, parent_comment_id, content)
SELECT '00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', pg_temp.id('c01'), 'undone ' || g
  FROM generate_series(1, 10) AS g;
ROLLBACK TO SAVEPOINT before_more;
SELECT results_eq(
    $$SELECT pg_temp.cc('00000000-0000-7000-8000-000000000b01'), pg_temp.rc(pg_temp.id('c01'))$$,
    $$SELECT count(*)::int, (SELECT count(*)::int FROM comments WHERE parent_comment_id = pg_temp.id('c01'))
        FROM comments WHERE post_id = '00000000-0000-7000-8000-000000000b01' AND deleted_at IS NULL$$,
    'comments rolled back to a savepoint take their counts with them');

--------------------------------------------------------------------------------
-- INSERT ... ON CONFLICT and MERGE
--------------------------------------------------------------------------------
CREATE TEMP TABLE before_upsert AS SELECT pg_temp.cc('00000000-0000-7000-8000-000000000b03') AS n;
INSERT INTO comments (id, post_id, user_id, content)
SELECT id, post_id, user_id, 'again' FROM comments WHERE content IN ('m1', 'm3')
ON CONFLICT (id) DO NOTHING;
INSERT INTO comments (id, post_id, user_id, content)
SELECT id, post_id, user_id, content || ' (upserted)' FROM comments WHERE content = 'm1'
ON CONFLICT (id) DO UPDATE SET content = excluded.content;
SELECT is(pg_temp.cc('00000000-0000-7000-8000-000000000b03') - (SELECT n FROM before_upsert), 0,
          'INSERT ... ON CONFLICT DO NOTHING / DO UPDATE of existing comments: no count changes');
-- one MERGE: two new replies to m3, an edit of m1, m3 itself unchanged
MERGE INTO comments c
USING (SELECT pg_temp.id('m1') AS id, NULL::text AS content
       UNION ALL SELECT NULL, 'merged reply ' || g FROM generate_series(1, 2) AS g) AS s
   ON c.id = s.id
 WHEN MATCHED THEN UPDATE SET content = 'm1 (merged)'
 WHEN NOT MATCHED THEN INSERT (post_id, user_id, parent_comment_id, content)
      VALUES ('00000000-0000-7000-8000-000000000b03', '00000000-0000-7000-8000-0000000000e3', pg_temp.id('m3'), s.content);
SELECT results_eq(
    $$SELECT pg_temp.cc('00000000-0000-7000-8000-000000000b03') - (SELECT n FROM before_upsert), pg_temp.rc(pg_temp.id('m3'))$$,
    $$SELECT 2, (SELECT count(*)::int FROM comments WHERE parent_comment_id = pg_temp.id('m3'))$$,
    'MERGE inserting two replies and updating another comment: post +2, parent +2');
MERGE INTO comments c
USING (SELECT id, content FROM comments WHERE content LIKE 'merged reply %' OR id = pg_temp.id('m3')) AS s
   ON c.id = s.id
 WHEN MATCHED AND s.content LIKE 'merged reply %' THEN DELETE
 WHEN MATCHED THEN UPDATE SET deleted_at = now(), content = '';
SELECT results_eq(
    $$SELECT pg_temp.cc('00000000-0000-7000-8000-000000000b03') - (SELECT n FROM before_upsert), pg_temp.rc(pg_temp.id('m3'))$$,
    $$SELECT -1, (SELECT count(*)::int FROM comments WHERE parent_comment_id = pg_temp.id('m3'))$$,
    'MERGE deleting the two replies and making their parent a placeholder: post -3, parent -2');
SELECT is_empty($$SELECT * FROM cp_test.counter_mismatches()$$, 'ON CONFLICT and MERGE: every counter is exact');

--------------------------------------------------------------------------------
-- placeholders through delete_comment()
--------------------------------------------------------------------------------
-- b01 now: c01 <- c02 <- c03 <- m6, c01 <- m2, m5 (+ the 'mixed' replies)
CREATE TEMP TABLE before_cc AS SELECT pg_temp.cc('00000000-0000-7000-8000-000000000b01') AS n;
SELECT delete_comment(pg_temp.id('c02'));
SELECT results_eq(
    $$SELECT content, deleted_at IS NOT NULL, reply_count FROM comments WHERE id = pg_temp.id('c02')$$,
    $$VALUES (''::text, true, 1)$$, 'delete_comment() of a comment with a reply: a placeholder that keeps its reply');
SELECT results_eq(
    $$SELECT pg_temp.cc('00000000-0000-7000-8000-000000000b01') - (SELECT n FROM before_cc), pg_temp.rc(pg_temp.id('c01'))$$,
    $$SELECT -1, (SELECT count(*)::int FROM comments WHERE parent_comment_id = pg_temp.id('c01'))$$,
    '... comment_count drops by 1; the parent still counts the placeholder as a reply');
SELECT ok(pg_temp.changes_nothing(format('SELECT creator_platform.delete_comment(%L)', pg_temp.id('c02'))),
          'delete_comment() of a placeholder that has replies changes nothing');
SELECT delete_comment(pg_temp.id('m6'));
SELECT delete_comment(pg_temp.id('c03'));
SELECT results_eq(
    $$SELECT pg_temp.cc('00000000-0000-7000-8000-000000000b01') - (SELECT n FROM before_cc), pg_temp.rc(pg_temp.id('c02')),
             (SELECT count(*)::int FROM comments WHERE id IN (pg_temp.id('c03'), pg_temp.id('m6')))$$,
    $$VALUES (-3, 0, 0)$$,
    'delete_comment() of the leaf m6, then of c03 (now a leaf): both removed, each -1, the placeholder counts 0 replies');
SELECT delete_comment(pg_temp.id('c02'));
SELECT results_eq(
    $$SELECT pg_temp.cc('00000000-0000-7000-8000-000000000b01') - (SELECT n FROM before_cc),
             (SELECT count(*)::int FROM comments WHERE id = pg_temp.id('c02')), pg_temp.rc(pg_temp.id('c01'))$$,
    $$SELECT -3, 0, (SELECT count(*)::int FROM comments WHERE parent_comment_id = pg_temp.id('c01'))$$,
    'delete_comment() of a placeholder without replies: removed, comment_count unchanged, the parent counts one reply less');
SELECT ok(pg_temp.changes_nothing($$SELECT creator_platform.delete_comment('00000000-0000-7000-8000-00000000dead')$$),
          'delete_comment() of no comment changes nothing');
SELECT * FROM cp_test.rejects($$SELECT delete_comment(NULL)$$, '22023', 'delete_comment(NULL)');
SELECT is_empty($$SELECT * FROM cp_test.counter_mismatches()$$, 'delete_comment(): every counter is exact');

--------------------------------------------------------------------------------
-- placeholders through a direct UPDATE of deleted_at / content, and back
--------------------------------------------------------------------------------
DELETE FROM before_cc;
INSERT INTO before_cc SELECT pg_temp.cc('00000000-0000-7000-8000-000000000b01');
UPDATE comments SET deleted_at = now(), content = '' WHERE id = pg_temp.id('c01');
SELECT results_eq(
    $$SELECT pg_temp.cc('00000000-0000-7000-8000-000000000b01') - (SELECT n FROM before_cc)$$, $$VALUES (-1)$$,
    'UPDATE SET deleted_at, content = '''': comment_count -1');
UPDATE comments SET deleted_at = deleted_at - interval '1 hour' WHERE id = pg_temp.id('c01');
SELECT results_eq(
    $$SELECT pg_temp.cc('00000000-0000-7000-8000-000000000b01') - (SELECT n FROM before_cc)$$, $$VALUES (-1)$$,
    'moving the deleted_at of a placeholder: no change');
UPDATE comments SET deleted_at = NULL, content = 'c01 is back' WHERE id = pg_temp.id('c01');
SELECT results_eq(
    $$SELECT pg_temp.cc('00000000-0000-7000-8000-000000000b01') - (SELECT n FROM before_cc)$$, $$VALUES (0)$$,
    'UPDATE SET deleted_at = NULL with content back: counted again');
SELECT pg_temp.mark();
UPDATE comments SET content = content || ' (edited)' WHERE post_id = '00000000-0000-7000-8000-000000000b04';
SELECT results_eq(
    $$SELECT pg_temp.cc('00000000-0000-7000-8000-000000000b04'), pg_temp.updates_since('creator_platform.posts')$$,
    $$VALUES (400, 0::bigint)$$, 'editing the content of 400 comments: no counter changes, the post is not touched');

-- one UPDATE: 30 replies on b04 become placeholders, 2 comments of b02 too,
-- and a placeholder of b01 comes back
UPDATE comments SET deleted_at = now(), content = '' WHERE id = pg_temp.id('m4');
SELECT pg_temp.mark();
UPDATE comments
   SET deleted_at = CASE WHEN deleted_at IS NULL THEN now() END,
       content = CASE WHEN deleted_at IS NULL THEN '' ELSE 'm4 is back' END
 WHERE id IN (SELECT id FROM comments WHERE content LIKE 'reply 1 to top %' ORDER BY content LIMIT 30)
    OR id IN (SELECT id FROM comments WHERE content IN ('flat 1', 'flat 2'))
    OR id = pg_temp.id('m4');
SELECT results_eq(
    $$SELECT pg_temp.cc('00000000-0000-7000-8000-000000000b04'), pg_temp.cc('00000000-0000-7000-8000-000000000b02')$$,
    $$SELECT 370, (SELECT count(*)::int FROM comments WHERE post_id = '00000000-0000-7000-8000-000000000b02' AND deleted_at IS NULL)$$,
    'one UPDATE making 32 placeholders on two posts and restoring one: b04 -30, b02 -2 +1');
SELECT is(pg_temp.updates_since('creator_platform.posts'), 2::bigint, '... with one UPDATE of each of the two posts');
SELECT is((SELECT count(*) FROM comments WHERE content LIKE 'top %' AND reply_count <> 3), 0::bigint,
          'placeholders still count as replies of their parents');
SELECT is_empty($$SELECT * FROM cp_test.counter_mismatches()$$, 'direct UPDATEs of deleted_at: every counter is exact');

--------------------------------------------------------------------------------
-- hard DELETEs: a leaf, a subtree, several at once
--------------------------------------------------------------------------------
-- on b05: t1 <- t2 <- t3, t2 <- t4, t1 <- t5; t2 then deleted to a placeholder
INSERT INTO comments (post_id, user_id, content) VALUES
    ('00000000-0000-7000-8000-000000000b05', '00000000-0000-7000-8000-0000000000e1', 't1');
SELECT pg_temp.remember();
INSERT INTO comments (post_id, user_id, parent_comment_id, content) VALUES
    ('00000000-0000-7000-8000-000000000b05', '00000000-0000-7000-8000-0000000000e2', pg_temp.id('t1'), 't2'),
    ('00000000-0000-7000-8000-000000000b05', '00000000-0000-7000-8000-0000000000e2', pg_temp.id('t1'), 't5');
SELECT pg_temp.remember();
INSERT INTO comments (post_id, user_id, parent_comment_id, content) VALUES
    ('00000000-0000-7000-8000-000000000b05', '00000000-0000-7000-8000-0000000000e3', pg_temp.id('t2'), 't3'),
    ('00000000-0000-7000-8000-000000000b05', '00000000-0000-7000-8000-0000000000e3', pg_temp.id('t2'), 't4');
SELECT pg_temp.remember();
SELECT delete_comment(pg_temp.id('t2'));
SELECT results_eq(
    $$SELECT pg_temp.cc('00000000-0000-7000-8000-000000000b05'), pg_temp.rc(pg_temp.id('t1')), pg_temp.rc(pg_temp.id('t2'))$$,
    $$VALUES (4, 2, 2)$$, 'the b05 tree: 4 counted comments (t2 is a placeholder), t1 and t2 have 2 replies each');
DELETE FROM comments WHERE id = pg_temp.id('t5');
SELECT results_eq(
    $$SELECT pg_temp.cc('00000000-0000-7000-8000-000000000b05'), pg_temp.rc(pg_temp.id('t1'))$$,
    $$VALUES (3, 1)$$, 'DELETE of a leaf: post -1, parent -1');
DELETE FROM comments WHERE id = pg_temp.id('t4');
SELECT results_eq(
    $$SELECT pg_temp.cc('00000000-0000-7000-8000-000000000b05'), pg_temp.rc(pg_temp.id('t2'))$$,
    $$VALUES (2, 1)$$, 'DELETE of a leaf under a placeholder: post -1, placeholder -1');
DELETE FROM comments WHERE id = pg_temp.id('t1');
SELECT results_eq(
    $$SELECT pg_temp.cc('00000000-0000-7000-8000-000000000b05'),
             (SELECT count(*)::int FROM comments WHERE post_id = '00000000-0000-7000-8000-000000000b05')$$,
    $$VALUES (0, 0)$$, 'DELETE of the root: its subtree (a placeholder and a reply under it) goes, the post counts 0');
SELECT is_empty($$SELECT * FROM cp_test.counter_mismatches()$$, 'DELETE of leaves and of a subtree: every counter is exact');

-- one DELETE of 50 replies of one parent
SELECT pg_temp.mark();
DELETE FROM comments WHERE content IN (SELECT 'flat ' || g FROM generate_series(51, 100) AS g);
SELECT results_eq(
    $$SELECT pg_temp.rc(pg_temp.id('c04')), pg_temp.updates_since('creator_platform.posts'),
             pg_temp.updates_since('creator_platform.comments')$$,
    $$VALUES (51, 1::bigint, 1::bigint)$$,
    'DELETE of 50 replies of one parent: 51 left, one UPDATE of the post and one of the parent');
-- one DELETE naming comments on several posts, parents together with some of
-- their replies (which the cascade would remove anyway), placeholders among them
DELETE FROM comments
 WHERE content IN ('m1', 'm2', 'flat 1', 'flat 3', 'spread 1', 'spread 2', 'top 7', 'reply 2 to top 7', 'top 8')
    OR content LIKE 'reply 1 to top 1_';
SELECT is_empty($$SELECT * FROM cp_test.counter_mismatches()$$,
                'one DELETE over several posts, parents with some of their replies, placeholders: every counter is exact');

--------------------------------------------------------------------------------
-- deleting posts and users
--------------------------------------------------------------------------------
CREATE TEMP TABLE others AS
SELECT id, comment_count FROM posts WHERE id NOT IN ('00000000-0000-7000-8000-000000000b02');
DELETE FROM posts WHERE id = '00000000-0000-7000-8000-000000000b02';
SELECT is((SELECT count(*) FROM comments WHERE post_id = '00000000-0000-7000-8000-000000000b02'), 0::bigint,
          'DELETE of a post: its comments are gone');
SELECT set_eq($$SELECT id, comment_count FROM posts$$, $$SELECT id, comment_count FROM others$$,
              '... and every other post keeps its count');
SELECT is_empty($$SELECT * FROM cp_test.counter_mismatches()$$, 'DELETE of a post: every counter is exact');

DELETE FROM users WHERE id = '00000000-0000-7000-8000-0000000000e2';
SELECT is((SELECT count(*) FROM comments WHERE user_id = '00000000-0000-7000-8000-0000000000e2'), 0::bigint,
          'DELETE of a user: no comment of theirs is left under their id');
SELECT is_empty($$SELECT * FROM cp_test.counter_mismatches()$$, 'DELETE of a user who commented: every counter is exact');

DELETE FROM users WHERE id = '00000000-0000-7000-8000-0000000000c1';
SELECT is((SELECT count(*) FROM comments), 0::bigint, 'DELETE of the creator: every post and comment is gone');

--------------------------------------------------------------------------------
-- TRUNCATE fires no DELETE trigger: every post is left at 0
--------------------------------------------------------------------------------
INSERT INTO users (id, email, username, role) VALUES
    ('00000000-0000-7000-8000-0000000000c9', 'creator9@x.io', 'creator_nine', 'creator');
INSERT INTO posts (id, creator_id, title, status, published_at)
SELECT ('00000000-0000-7000-8000-00000000090' || n)::uuid, '00000000-0000-7000-8000-0000000000c9', 'p' || n,
       'published', now() - interval '1 day'
  FROM generate_series(1, 3) AS n;
INSERT INTO comments (post_id, user_id, content)
SELECT ('00000000-0000-7000-8000-00000000090' || (1 + g % 3))::uuid, '00000000-0000-7000-8000-0000000000e1', 'c' || g
  FROM generate_series(1, 30) AS g;
SELECT is((SELECT sum(comment_count) FROM posts), 30::bigint, '30 comments over 3 new posts');
-- (TRUNCATE refuses to run while the deferred foreign key checks of this
-- transaction's inserts are pending: run them first)
SET CONSTRAINTS ALL IMMEDIATE;
TRUNCATE comments;
SELECT is((SELECT count(*) FROM posts WHERE comment_count <> 0), 0::bigint, 'TRUNCATE comments: every post counts 0');
SELECT is_empty($$SELECT * FROM cp_test.counter_mismatches()$$, 'TRUNCATE: every counter is exact');

SELECT * FROM finish();
ROLLBACK;
