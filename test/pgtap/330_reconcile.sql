-- 330_reconcile: reconcile_counters(repair boolean DEFAULT true)
-- (docs/reference.md "Reconciliation"). Counters are broken deliberately
-- behind the triggers' back (session_replication_role = replica: no trigger
-- fires) in the live and the archive tables: a counter set too high, one too
-- low, a reply_count of a comment without replies, a comment deleted without
-- its decrement, an archived post and an archived comment.
--   * report only (repair => false): exactly the drifted rows, in the
--     documented order, with stored and actual values; nothing changes;
--   * repair: the same rows; every counter exact afterwards (live and
--     archive); nothing else of any row changes, updated_at included; no event;
--     the guard triggers are back in force after the run; a second run finds
--     nothing;
--   * each run is recorded in maintenance_log with its drift; a read-only
--     transaction may report (not recorded) but not repair (25006);
--   * NULL is 22023; EXECUTE is revoked from PUBLIC (42501).
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(34);

CREATE FUNCTION pg_temp.uid(kind text) RETURNS uuid LANGUAGE sql IMMUTABLE AS $f$
    SELECT md5('330:' || kind)::uuid
$f$;
-- Moves the published posts older than `older_than` with their comments into
-- the archive.
CREATE FUNCTION pg_temp.archive(older_than timestamptz) RETURNS void LANGUAGE sql AS $f$
    SELECT FROM creator_platform.archive_posts(older_than, 1000);
$f$;
-- every row of the four counted tables without its counter
CREATE FUNCTION pg_temp.rows_but_counters() RETURNS SETOF text LANGUAGE sql AS $f$
    SELECT 'posts ' || (to_jsonb(t) - 'comment_count')::text FROM creator_platform.posts t
    UNION ALL SELECT 'posts_archive ' || (to_jsonb(t) - 'comment_count')::text FROM creator_platform.posts_archive t
    UNION ALL SELECT 'comments ' || (to_jsonb(t) - 'reply_count')::text FROM creator_platform.comments t
    UNION ALL SELECT 'comments_archive ' || (to_jsonb(t) - 'reply_count')::text FROM creator_platform.comments_archive t
$f$;
-- cp_test.counter_mismatches() for the archive tables
CREATE FUNCTION pg_temp.archive_mismatches() RETURNS SETOF uuid LANGUAGE sql AS $f$
    SELECT p.id FROM creator_platform.posts_archive p
     WHERE p.comment_count <> (SELECT count(*) FROM creator_platform.comments_archive c
                                WHERE c.post_id = p.id AND c.deleted_at IS NULL)
    UNION ALL
    SELECT c.id FROM creator_platform.comments_archive c
     WHERE c.reply_count <> (SELECT count(*) FROM creator_platform.comments_archive r WHERE r.parent_comment_id = c.id)
$f$;
-- reconcile_counters in a read-only (sub)transaction: the rows it returns
-- (the subtransaction is rolled back afterwards, read-only mode with it)
CREATE FUNCTION pg_temp.read_only_reconcile(repair boolean) RETURNS bigint LANGUAGE plpgsql AS $f$
DECLARE
    n bigint;
BEGIN
    BEGIN
        PERFORM set_config('transaction_read_only', 'on', true);
        SELECT count(*) INTO n FROM creator_platform.reconcile_counters(repair);
        RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'undo', DETAIL = n::text;
    EXCEPTION WHEN raise_exception THEN
        RETURN n;
    END;
END
$f$;

--------------------------------------------------------------------------------
-- the function
--------------------------------------------------------------------------------
SELECT has_function('creator_platform', 'reconcile_counters', ARRAY['boolean'], 'reconcile_counters(boolean) exists');
SELECT is(pg_get_function_arguments('creator_platform.reconcile_counters(boolean)'::regprocedure),
          'repair boolean DEFAULT true', 'its argument: repair boolean DEFAULT true');
SELECT is(pg_get_function_result('creator_platform.reconcile_counters(boolean)'::regprocedure),
          'TABLE(table_name text, id uuid, column_name text, stored integer, actual integer)',
          'it returns TABLE(table_name, id, column_name, stored, actual)');
SELECT ok((SELECT NOT p.prosecdef AND NOT p.proisstrict AND p.provolatile = 'v'
                  AND 'search_path=pg_catalog, pg_temp' = ANY (p.proconfig)
             FROM pg_catalog.pg_proc p WHERE p.oid = 'creator_platform.reconcile_counters(boolean)'::regprocedure),
          'VOLATILE, not STRICT (NULL is 22023), SECURITY INVOKER, search_path pinned');
SELECT is(has_function_privilege('public', 'creator_platform.reconcile_counters(boolean)', 'EXECUTE'), false,
          'EXECUTE is revoked from PUBLIC');

--------------------------------------------------------------------------------
-- fixture: live posts A and B, post C archived; all counters exact
--------------------------------------------------------------------------------
INSERT INTO users (id, email, username, role) VALUES
    (pg_temp.uid('c'), 'c@reconcile.test', 'reconcile_c', 'creator'),
    (pg_temp.uid('r'), 'r@reconcile.test', 'reconcile_r', 'reader');
INSERT INTO posts (id, creator_id, title, status, published_at) VALUES
    (pg_temp.uid('A'), pg_temp.uid('c'), 'A', 'published', now() - interval '1 day'),
    (pg_temp.uid('B'), pg_temp.uid('c'), 'B', 'published', now() - interval '1 day'),
    (pg_temp.uid('C'), pg_temp.uid('c'), 'C', 'published', now() - interval '3 years');
INSERT INTO comments (id, post_id, user_id, content) VALUES
    (pg_temp.uid('a1'), pg_temp.uid('A'), pg_temp.uid('r'), 'a1'),
    (pg_temp.uid('a3'), pg_temp.uid('A'), pg_temp.uid('r'), 'a3'),
    (pg_temp.uid('b1'), pg_temp.uid('B'), pg_temp.uid('r'), 'b1'),
    (pg_temp.uid('c1'), pg_temp.uid('C'), pg_temp.uid('r'), 'c1'),
    (pg_temp.uid('c3'), pg_temp.uid('C'), pg_temp.uid('r'), 'c3');
INSERT INTO comments (id, post_id, user_id, parent_comment_id, content) VALUES
    (pg_temp.uid('a2'), pg_temp.uid('A'), pg_temp.uid('r'), pg_temp.uid('a1'), 'a2'),
    (pg_temp.uid('c2'), pg_temp.uid('C'), pg_temp.uid('r'), pg_temp.uid('c1'), 'c2');
SELECT pg_temp.archive(now() - interval '1 year');
SELECT results_eq($$ SELECT id, comment_count FROM posts_archive $$, $$ VALUES (pg_temp.uid('C'), 3) $$,
                  'fixture: post C is archived with its 3 comments counted');
DELETE FROM maintenance_log WHERE job = 'reconcile_counters';

SELECT is_empty('SELECT * FROM creator_platform.reconcile_counters(false)', 'exact counters: nothing to report');
SELECT is_empty('SELECT * FROM creator_platform.reconcile_counters()', 'exact counters: nothing to repair');
SELECT results_eq($$ SELECT runs, last_result FROM maintenance_log WHERE job = 'reconcile_counters' $$,
    $$ VALUES (2::bigint, '{"repair": true, "drift": 0, "counters": {"comments.reply_count": 0, "posts.comment_count": 0,
                "comments_archive.reply_count": 0, "posts_archive.comment_count": 0}}'::jsonb) $$,
    'both runs are recorded in maintenance_log: drift 0 for each counter');

--------------------------------------------------------------------------------
-- break six counters behind the triggers' back
--------------------------------------------------------------------------------
SET LOCAL session_replication_role = replica;
-- updated_at a month ago, so that an edit (which sets now()) would show
UPDATE posts SET updated_at = now() - interval '1 month';
UPDATE posts_archive SET updated_at = now() - interval '1 month';
UPDATE posts SET comment_count = 10 WHERE id = pg_temp.uid('A');                    -- actual 3
UPDATE comments SET reply_count = 0 WHERE id = pg_temp.uid('a1');                   -- actual 1
UPDATE comments SET reply_count = 2 WHERE id = pg_temp.uid('a3');                   -- actual 0
DELETE FROM comments WHERE id = pg_temp.uid('b1');                                  -- B: stored 1, actual 0
UPDATE posts_archive SET comment_count = 0 WHERE id = pg_temp.uid('C');             -- actual 3
UPDATE comments_archive SET reply_count = 3 WHERE id = pg_temp.uid('c1');           -- actual 1
SET LOCAL session_replication_role = origin;
SELECT is((SELECT count(*) FROM cp_test.counter_mismatches()), 4::bigint, 'broken: 4 live counters are wrong');
SELECT is((SELECT count(*) FROM pg_temp.archive_mismatches()), 2::bigint, 'broken: 2 archived counters are wrong');

CREATE TEMP TABLE drift (ord int, table_name text, id uuid, column_name text, stored int, actual int);
INSERT INTO drift
SELECT t.ord, t.table_name, pg_temp.uid(t.k), t.column_name, t.stored, t.actual
  FROM (VALUES (1, 'comments', 'a1', 'reply_count', 0, 1), (1, 'comments', 'a3', 'reply_count', 2, 0),
               (2, 'posts', 'A', 'comment_count', 10, 3), (2, 'posts', 'B', 'comment_count', 1, 0),
               (3, 'comments_archive', 'c1', 'reply_count', 3, 1),
               (4, 'posts_archive', 'C', 'comment_count', 0, 3)) t(ord, table_name, k, column_name, stored, actual);
CREATE TEMP TABLE before_rows AS SELECT pg_temp.rows_but_counters() AS r;
CREATE TEMP TABLE events_before AS SELECT count(*) AS n, max(id) AS last FROM events;

--------------------------------------------------------------------------------
-- report only
--------------------------------------------------------------------------------
CREATE TEMP TABLE state AS SELECT cp_test.db_state() AS s;
SELECT results_eq('SELECT * FROM creator_platform.reconcile_counters(false)',
                  'SELECT table_name, id, column_name, stored, actual FROM drift ORDER BY ord, id',
                  'report only: every drifted counter, comments before posts, live before archive, by id');
SELECT is(cp_test.db_state(), (SELECT s FROM state), 'report only: nothing changed');
SELECT results_eq($$ SELECT runs, last_result->'repair', last_result->'drift', last_result->'counters'
                       FROM maintenance_log WHERE job = 'reconcile_counters' $$,
    $$ VALUES (3::bigint, 'false'::jsonb, '6'::jsonb, '{"comments.reply_count": 2, "posts.comment_count": 2,
                "comments_archive.reply_count": 1, "posts_archive.comment_count": 1}'::jsonb) $$,
    'the report-only run is recorded with its drift per counter');
SELECT is(pg_temp.read_only_reconcile(false), 6::bigint,
          'a read-only transaction (a standby) may report: the run is not recorded, nothing is written');
SELECT throws_ok('SELECT pg_temp.read_only_reconcile(true)', '25006', NULL,
                 'a read-only transaction may not repair (25006)');
SELECT is(cp_test.db_state(), (SELECT s FROM state), 'and nothing changed');

--------------------------------------------------------------------------------
-- repair
--------------------------------------------------------------------------------
SELECT results_eq('SELECT * FROM creator_platform.reconcile_counters()',
                  'SELECT table_name, id, column_name, stored, actual FROM drift ORDER BY ord, id',
                  'repair: the same rows are reported');
SELECT is_empty('SELECT * FROM cp_test.counter_mismatches()', 'repair: every live counter is exact');
SELECT is_empty('SELECT * FROM pg_temp.archive_mismatches()', 'repair: every archived counter is exact');
SELECT results_eq($$ SELECT id, comment_count FROM posts WHERE id IN (pg_temp.uid('A'), pg_temp.uid('B'))
                     UNION ALL SELECT id, comment_count FROM posts_archive ORDER BY 1 $$,
                  $$ SELECT id, actual FROM drift WHERE column_name = 'comment_count' ORDER BY 1 $$,
                  'repair: the posts hold the counted values');
SELECT set_eq('SELECT pg_temp.rows_but_counters()', 'SELECT r FROM before_rows',
              'repair: nothing but the counters changed (updated_at included)');
SELECT results_eq('SELECT count(*), max(id) FROM events', 'SELECT n, last FROM events_before',
                  'repair: no event');
SELECT results_eq($$ SELECT runs, last_result->'repair', last_result->'drift' FROM maintenance_log
                      WHERE job = 'reconcile_counters' $$,
                  $$ VALUES (4::bigint, 'true'::jsonb, '6'::jsonb) $$, 'the repair is recorded with its drift');
SELECT is_empty('SELECT * FROM creator_platform.reconcile_counters()', 'a second run finds nothing');
SELECT is((SELECT last_result->'drift' FROM maintenance_log WHERE job = 'reconcile_counters'), '0'::jsonb,
          'and is recorded with drift 0');

-- the repair's permission to write counters ends with the call
SELECT cp_test.rejects($$UPDATE creator_platform.posts SET comment_count = 5 WHERE id = '$$ || pg_temp.uid('A') || $$'$$,
                       '55000', 'after a repair, an application still cannot write comment_count');
SELECT cp_test.rejects($$UPDATE creator_platform.comments SET reply_count = 5 WHERE id = '$$ || pg_temp.uid('a1') || $$'$$,
                       '55000', 'nor reply_count');
SELECT results_eq($$ SELECT updated_at FROM posts WHERE id = pg_temp.uid('A')
                     UNION ALL SELECT updated_at FROM posts_archive WHERE id = pg_temp.uid('C') $$,
                  $$ VALUES (now() - interval '1 month'), (now() - interval '1 month') $$,
                  'updated_at of the repaired posts is what it was (a month ago), not now()');

--------------------------------------------------------------------------------
-- arguments and privileges
--------------------------------------------------------------------------------
SELECT cp_test.rejects('SELECT * FROM creator_platform.reconcile_counters(NULL)', '22023', 'repair NULL');
CREATE ROLE cp_330_app;
GRANT USAGE ON SCHEMA creator_platform TO cp_330_app;
SET LOCAL ROLE cp_330_app;
SELECT throws_ok('SELECT * FROM creator_platform.reconcile_counters(false)', '42501', NULL,
                 'a role without EXECUTE cannot run it (42501)');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
