-- 413_search_path: no function depends on the caller's search_path, and every
-- SECURITY DEFINER function says why (issue 6, "Least privilege";
-- docs/security.md).
--   * every SQL and PL/pgSQL function, and every SECURITY DEFINER one,
--     pins search_path = pg_catalog, pg_temp; the only functions that do not
--     are the C functions of the allow-list below, each with its reason
--     (a SET clause costs a GUC save and restore on every call of the hot
--     feeds; a procedure that commits cannot have one); a function missing
--     from both fails here (shown with fixtures);
--   * the SECURITY DEFINER functions are exactly the listed ones, each pinned,
--     not executable by PUBLIC, and with a COMMENT that says 'SECURITY
--     DEFINER because ...'; an unpinned or unexplained one fails (fixtures);
--   * under a hostile search_path (a schema first, before pg_catalog, with a
--     posts, users, comments, subscriptions, cursor_secret ... table of its
--     own, an = operator for uuid, text and enums that is always true or
--     false, a < for timestamptz, a now(), and functions named like ours),
--     every allow-listed function gives what it gives under the normal path:
--     the feeds (cursors included, and a second page from a cursor), the uuid
--     functions, the row triggers, and the statements of archive_old_posts
--     (which archive_posts shares, run here with its pin taken away); a
--     control shows that an unqualified query is fooled by that path.
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(45);

--------------------------------------------------------------------------------
-- the allow-list: C functions that resolve no name through search_path
--------------------------------------------------------------------------------
CREATE TEMP TABLE unpinned_ok (routine regprocedure, reason text) ON COMMIT DROP;
INSERT INTO unpinned_ok VALUES
    ('creator_platform.uuid_generate_v7()', 'C, reads no catalog: the default of every id'),
    ('creator_platform.uuid_v7_timestamp(uuid)', 'C, reads no catalog'),
    ('creator_platform.creator_posts(uuid, uuid, integer, text)', 'C feed: opens relations by OID in schema creator_platform, no SQL; hot path'),
    ('creator_platform.home_feed(uuid, integer, text)', 'C feed: opens relations by OID in schema creator_platform, no SQL; hot path'),
    ('creator_platform.recent_posts(uuid, integer, text)', 'C feed: opens relations by OID in schema creator_platform, no SQL; hot path'),
    ('creator_platform.post_view(uuid, uuid)', 'C feed: opens relations by OID in schema creator_platform, no SQL; hot path'),
    ('creator_platform.comment_thread(uuid, integer, text, integer, uuid)', 'C feed: opens relations by OID in schema creator_platform, no SQL; hot path'),
    ('creator_platform.subscriptions_of(uuid, creator_platform.subscription_status, integer, text)', 'C feed: one SPI statement with every name and operator schema-qualified; hot path'),
    ('creator_platform.subscribers_of(uuid, creator_platform.subscription_status, integer, text)', 'C feed: one SPI statement with every name and operator schema-qualified; hot path'),
    ('creator_platform.set_updated_at()', 'C row trigger: changes NEW only, reads no catalog by name'),
    ('creator_platform.counter_guard()', 'C row trigger: compares OLD and NEW only'),
    ('creator_platform.comments_before_update()', 'C row trigger: compares OLD and NEW only'),
    ('creator_platform.archive_read_only()', 'C row trigger: raises or passes, reads nothing'),
    ('creator_platform._boundary_selftest(text)', 'C diagnostic: reads no catalog; owner only'),
    ('creator_platform._internal_write_active()', 'C: returns a flag of the backend; owner only'),
    ('creator_platform.archive_old_posts(timestamp with time zone, integer)',
     'C procedure that commits, which a SET clause forbids; its statements qualify every name and operator');

-- Functions that neither pin search_path as the extension does nor are allowed not to.
CREATE FUNCTION pg_temp.unpinned() RETURNS TABLE (routine text, config text[]) LANGUAGE sql AS $f$
    SELECT p.oid::regprocedure::text, p.proconfig
      FROM pg_catalog.pg_proc p
     WHERE p.pronamespace = 'creator_platform'::regnamespace
       AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false)
       AND p.oid NOT IN (SELECT u.routine FROM unpinned_ok u)
$f$;
-- SECURITY DEFINER functions that are unpinned, unexplained or open to PUBLIC.
CREATE FUNCTION pg_temp.bad_definers() RETURNS TABLE (routine text, problem text) LANGUAGE sql AS $f$
    SELECT p.oid::regprocedure::text,
           concat_ws(', ',
                     CASE WHEN NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false) THEN 'search_path not pinned' END,
                     CASE WHEN coalesce(obj_description(p.oid, 'pg_proc'), '') NOT LIKE '%SECURITY DEFINER because %' THEN 'no ''SECURITY DEFINER because'' in its comment' END,
                     CASE WHEN has_function_privilege('public', p.oid, 'EXECUTE') THEN 'executable by PUBLIC' END)
      FROM pg_catalog.pg_proc p
     WHERE p.pronamespace = 'creator_platform'::regnamespace AND p.prosecdef
       AND (NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false)
            OR coalesce(obj_description(p.oid, 'pg_proc'), '') NOT LIKE '%SECURITY DEFINER because %'
            OR has_function_privilege('public', p.oid, 'EXECUTE'))
$f$;

SELECT is_empty('SELECT * FROM pg_temp.unpinned()',
                'every function pins search_path = pg_catalog, pg_temp, but the allow-listed C functions');
SELECT is_empty($$
    SELECT u.routine::text, l.lanname, p.prosecdef, p.proconfig FROM unpinned_ok u
      JOIN pg_catalog.pg_proc p ON p.oid = u.routine
      JOIN pg_catalog.pg_language l ON l.oid = p.prolang
     WHERE l.lanname <> 'c' OR p.prosecdef OR p.proconfig IS NOT NULL
  $$, 'the allow-list holds C functions only, SECURITY INVOKER, and each is really unpinned');
SELECT is((SELECT count(*) FROM unpinned_ok u WHERE u.reason <> ''), 16::bigint, 'the allow-list: 16 functions, each with its reason');
SELECT is((SELECT count(*) FROM pg_catalog.pg_proc p WHERE p.pronamespace = 'creator_platform'::regnamespace
              AND p.proconfig IS NOT NULL AND p.proconfig <> ARRAY['search_path=pg_catalog, pg_temp']),
          0::bigint, 'no function sets anything else');

SELECT set_eq($$SELECT p.oid::regprocedure::text FROM pg_catalog.pg_proc p
                 WHERE p.pronamespace = 'creator_platform'::regnamespace AND p.prosecdef$$,
              ARRAY['enforce_owner_role()', 'enforce_reader_demotion()', 'emit_post_published_inserted()',
                    'emit_post_published_updated()', 'emit_subscription_started()', 'emit_subscription_cancelled()',
                    'track_creator_activity()', 'comments_before_insert()', 'comments_after_insert()',
                    'comments_after_update()', 'comments_after_delete()', 'comments_after_truncate()',
                    'users_before_delete()', 'users_before_delete_archive()', 'publish_due_posts()', 'refresh_stats()'],
              'the SECURITY DEFINER functions are exactly these');
SELECT is_empty('SELECT * FROM pg_temp.bad_definers()',
                'every SECURITY DEFINER function pins search_path, says why in its comment and is not executable by PUBLIC');

-- the checks can fail
CREATE FUNCTION creator_platform.fixture_unpinned() RETURNS integer LANGUAGE sql AS 'SELECT 1';
CREATE FUNCTION creator_platform.fixture_definer() RETURNS integer LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS 'SELECT 1';
REVOKE ALL ON FUNCTION creator_platform.fixture_definer() FROM PUBLIC;
COMMENT ON FUNCTION creator_platform.fixture_definer() IS 'a definer for no reason';
CREATE FUNCTION creator_platform.fixture_definer_unpinned() RETURNS integer LANGUAGE sql SECURITY DEFINER AS 'SELECT 1';
COMMENT ON FUNCTION creator_platform.fixture_definer_unpinned() IS 'SECURITY DEFINER because of a test';
SELECT set_eq('SELECT routine FROM pg_temp.unpinned()', ARRAY['fixture_unpinned()', 'fixture_definer_unpinned()'],
              'control: functions without a pinned search_path are reported');
SELECT set_eq('SELECT routine || '': '' || problem FROM pg_temp.bad_definers()',
              ARRAY['fixture_definer(): no ''SECURITY DEFINER because'' in its comment',
                    'fixture_definer_unpinned(): search_path not pinned, executable by PUBLIC'],
              'control: an unexplained, an unpinned and a PUBLIC SECURITY DEFINER function are reported');
DROP FUNCTION creator_platform.fixture_unpinned();
DROP FUNCTION creator_platform.fixture_definer();
DROP FUNCTION creator_platform.fixture_definer_unpinned();

--------------------------------------------------------------------------------
-- data: c1 (posts public and for subscribers, a thread, one archived post),
-- admin a1 and reader e1 subscribed to c1, reader e2 cancelled
--------------------------------------------------------------------------------
INSERT INTO users (id, email, username, role) VALUES
    ('00000000-0000-7000-8000-0000000413c1', 'c1@413.test', 'u413_c1', 'creator'),
    ('00000000-0000-7000-8000-0000000413a1', 'a1@413.test', 'u413_a1', 'admin'),
    ('00000000-0000-7000-8000-0000000413e1', 'e1@413.test', 'u413_e1', 'reader'),
    ('00000000-0000-7000-8000-0000000413e2', 'e2@413.test', 'u413_e2', 'reader');
INSERT INTO posts (id, creator_id, title, content, status, visibility, published_at)
SELECT format('00000000-0000-7000-8000-000000413b%s', lpad(n::text, 2, '0'))::uuid, '00000000-0000-7000-8000-0000000413c1',
       format('post %s', n), format('content %s', n), 'published',
       CASE WHEN n % 2 = 0 THEN 'subscribers' ELSE 'public' END::post_visibility, now() - n * interval '1 hour'
  FROM generate_series(1, 5) n;
INSERT INTO posts (id, creator_id, title, content, status, published_at) VALUES
    ('00000000-0000-7000-8000-000000413b99', '00000000-0000-7000-8000-0000000413c1', 'old', 'old content', 'published', now() - interval '3 years'),
    ('00000000-0000-7000-8000-000000413b98', '00000000-0000-7000-8000-0000000413c1', 'old too', 'old content', 'published', now() - interval '4 years');
INSERT INTO comments (id, post_id, user_id, content) VALUES
    ('00000000-0000-7000-8000-00000413c001', '00000000-0000-7000-8000-000000413b01', '00000000-0000-7000-8000-0000000413e1', 'top'),
    ('00000000-0000-7000-8000-00000413c009', '00000000-0000-7000-8000-000000413b99', '00000000-0000-7000-8000-0000000413e1', 'old top');
INSERT INTO comments (id, post_id, user_id, parent_comment_id, content) VALUES
    ('00000000-0000-7000-8000-00000413c002', '00000000-0000-7000-8000-000000413b01', '00000000-0000-7000-8000-0000000413e2',
     '00000000-0000-7000-8000-00000413c001', 'reply');
SELECT is(archive_posts(now() - interval '3 years 6 months'), 1::bigint, 'fixture: the oldest post is archived');
DO $$
BEGIN
    PERFORM creator_platform.subscribe('00000000-0000-7000-8000-0000000413e1', '00000000-0000-7000-8000-0000000413c1');
    PERFORM creator_platform.subscribe('00000000-0000-7000-8000-0000000413e2', '00000000-0000-7000-8000-0000000413c1');
    PERFORM creator_platform.cancel_subscription('00000000-0000-7000-8000-0000000413e2', '00000000-0000-7000-8000-0000000413c1');
    PERFORM creator_platform.subscribe('00000000-0000-7000-8000-0000000413a1', '00000000-0000-7000-8000-0000000413c1');
END
$$;

--------------------------------------------------------------------------------
-- the hostile schema: our names, on its own objects, ahead of pg_catalog
--------------------------------------------------------------------------------
CREATE SCHEMA cp_evil;
CREATE TABLE cp_evil.users (LIKE creator_platform.users INCLUDING DEFAULTS);
CREATE TABLE cp_evil.posts (LIKE creator_platform.posts INCLUDING DEFAULTS);
CREATE TABLE cp_evil.posts_archive (LIKE creator_platform.posts_archive INCLUDING DEFAULTS);
CREATE TABLE cp_evil.comments (LIKE creator_platform.comments INCLUDING DEFAULTS);
CREATE TABLE cp_evil.comments_archive (LIKE creator_platform.comments_archive INCLUDING DEFAULTS);
CREATE TABLE cp_evil.subscriptions (LIKE creator_platform.subscriptions INCLUDING DEFAULTS);
CREATE TABLE cp_evil.cursor_secret (LIKE creator_platform.cursor_secret INCLUDING DEFAULTS);
CREATE TABLE cp_evil.creator_activity (LIKE creator_platform.creator_activity INCLUDING DEFAULTS);
CREATE TABLE cp_evil.events (LIKE creator_platform.events INCLUDING DEFAULTS);
INSERT INTO cp_evil.users (id, email, username, role) SELECT id, 'evil' || email, 'evil_' || username, 'admin' FROM creator_platform.users;
INSERT INTO cp_evil.posts (id, creator_id, title, content, status, visibility, published_at)
SELECT id, creator_id, 'EVIL', 'EVIL', 'published', 'public', now() + interval '1 day' FROM creator_platform.posts;
INSERT INTO cp_evil.posts_archive (id, creator_id, title, content, status, visibility, published_at)
SELECT id, creator_id, 'EVIL', 'EVIL', 'published', 'public', now() FROM creator_platform.posts;
INSERT INTO cp_evil.comments (id, post_id, user_id, content, depth, path)
SELECT id, post_id, user_id, 'EVIL', 0, '\x00' FROM creator_platform.comments;
INSERT INTO cp_evil.subscriptions (id, subscriber_id, creator_id, status)
SELECT id, creator_id, subscriber_id, 'active' FROM creator_platform.subscriptions;
INSERT INTO cp_evil.cursor_secret (singleton, secret) VALUES (true, '\x000102030405060708090a0b0c0d0e0f');
CREATE FUNCTION cp_evil.uuid_eq(uuid, uuid) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT true';
CREATE OPERATOR cp_evil.= (LEFTARG = uuid, RIGHTARG = uuid, FUNCTION = cp_evil.uuid_eq);
CREATE FUNCTION cp_evil.text_eq(text, text) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT false';
CREATE OPERATOR cp_evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = cp_evil.text_eq);
CREATE FUNCTION cp_evil.enum_eq(anyenum, anyenum) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT false';
CREATE OPERATOR cp_evil.= (LEFTARG = anyenum, RIGHTARG = anyenum, FUNCTION = cp_evil.enum_eq);
CREATE FUNCTION cp_evil.ts_lt(timestamptz, timestamptz) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT false';
CREATE OPERATOR cp_evil.< (LEFTARG = timestamptz, RIGHTARG = timestamptz, FUNCTION = cp_evil.ts_lt);
CREATE FUNCTION cp_evil.now() RETURNS timestamptz LANGUAGE sql AS $$SELECT '2000-01-01 00:00:00+00'::pg_catalog.timestamptz$$;
CREATE FUNCTION cp_evil.uuid_generate_v7() RETURNS uuid LANGUAGE sql AS $$SELECT '00000000-0000-0000-0000-000000000000'::pg_catalog.uuid$$;
CREATE FUNCTION cp_evil.uuid_v7_timestamp(uuid) RETURNS timestamptz LANGUAGE sql AS $$SELECT 'epoch'::pg_catalog.timestamptz$$;
CREATE FUNCTION cp_evil.viewer_id() RETURNS uuid LANGUAGE sql AS $$SELECT '00000000-0000-7000-8000-0000000413a1'::pg_catalog.uuid$$;
CREATE FUNCTION cp_evil.unnest(anyarray) RETURNS SETOF anyelement LANGUAGE sql AS 'SELECT NULL::anyelement WHERE false';
CREATE FUNCTION cp_evil.array_agg(anyelement) RETURNS anyarray LANGUAGE sql AS 'SELECT NULL';

-- Runs `query` (one text value) under the hostile search_path, or the normal one.
CREATE FUNCTION pg_temp.hostile(query text) RETURNS text LANGUAGE plpgsql
SET search_path = cp_evil, pg_catalog, creator_platform, public AS $f$
DECLARE
    result text;
BEGIN
    EXECUTE query INTO result;
    RETURN coalesce(result, 'NULL');
EXCEPTION WHEN OTHERS THEN
    RETURN 'ERROR ' || SQLSTATE;
END
$f$;
CREATE FUNCTION pg_temp.normal(query text) RETURNS text LANGUAGE plpgsql
SET search_path = creator_platform, public AS $f$
DECLARE
    result text;
BEGIN
    EXECUTE query INTO result;
    RETURN coalesce(result, 'NULL');
EXCEPTION WHEN OTHERS THEN
    RETURN 'ERROR ' || SQLSTATE;
END
$f$;

-- the control: the path is hostile to a query that does not qualify its names
SELECT isnt(pg_temp.hostile('SELECT string_agg(title, '','') FROM posts'),
            pg_temp.normal('SELECT string_agg(title, '','') FROM posts'), 'control: unqualified posts is the hostile schema''s');
SELECT is(pg_temp.hostile($$SELECT ('00000000-0000-0000-0000-000000000001'::uuid = '00000000-0000-0000-0000-000000000002'::uuid)::text$$),
          'true', 'control: unqualified = on uuid is the hostile one');
SELECT is(pg_temp.hostile($$SELECT ('active'::creator_platform.subscription_status = 'active')::text$$),
          'false', 'control: unqualified = on an enum too');
SELECT is(pg_temp.hostile($$SELECT (now() < pg_catalog.now())::text || ' ' || (now() OPERATOR(pg_catalog.<) pg_catalog.now())::text$$),
          'false true', 'control: unqualified now() and < too');

--------------------------------------------------------------------------------
-- the allow-listed functions give the same under both paths
--------------------------------------------------------------------------------
CREATE TEMP TABLE calls (what text, query text) ON COMMIT DROP;
INSERT INTO calls VALUES
    ('creator_posts, anonymous', $$SELECT string_agg(concat_ws('|', post_id, title, content, locked, comment_count, cursor), ',') FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000413c1', NULL, 3)$$),
    ('creator_posts, a subscriber', $$SELECT string_agg(concat_ws('|', post_id, content, locked, cursor), ',') FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000413c1', '00000000-0000-7000-8000-0000000413e1', 10)$$),
    ('creator_posts, the admin', $$SELECT string_agg(concat_ws('|', post_id, content, locked), ',') FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000413c1', '00000000-0000-7000-8000-0000000413a1', 10)$$),
    ('creator_posts, the cancelled reader, second page', $$SELECT string_agg(concat_ws('|', post_id, content, locked, cursor), ',') FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000413c1', '00000000-0000-7000-8000-0000000413e2', 2,
        (SELECT c.cursor FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000413c1', '00000000-0000-7000-8000-0000000413e2', 2) c OFFSET 1))$$),
    ('home_feed', $$SELECT string_agg(concat_ws('|', post_id, content, locked, cursor), ',') FROM creator_platform.home_feed('00000000-0000-7000-8000-0000000413e1', 10)$$),
    ('recent_posts', $$SELECT string_agg(concat_ws('|', post_id, content, locked, cursor), ',') FROM creator_platform.recent_posts('00000000-0000-7000-8000-0000000413e2', 1000)$$),
    ('post_view, archived', $$SELECT string_agg(concat_ws('|', post_id, title, content, locked, comment_count), ',') FROM creator_platform.post_view('00000000-0000-7000-8000-000000413b98')$$),
    ('post_view, locked', $$SELECT string_agg(concat_ws('|', post_id, title, content, locked), ',') FROM creator_platform.post_view('00000000-0000-7000-8000-000000413b02', '00000000-0000-7000-8000-0000000413e2')$$),
    ('comment_thread', $$SELECT string_agg(concat_ws('|', comment_id, username, content, depth, reply_count, cursor), ',') FROM creator_platform.comment_thread('00000000-0000-7000-8000-000000413b01')$$),
    ('comment_thread, a subtree', $$SELECT string_agg(concat_ws('|', comment_id, content, cursor), ',') FROM creator_platform.comment_thread('00000000-0000-7000-8000-000000413b01', 10, NULL, NULL, '00000000-0000-7000-8000-00000413c002')$$),
    ('subscriptions_of', $$SELECT string_agg(concat_ws('|', subscription_id, creator_id, creator_username, status, cursor), ',') FROM creator_platform.subscriptions_of('00000000-0000-7000-8000-0000000413e1')$$),
    ('subscriptions_of, cancelled', $$SELECT string_agg(concat_ws('|', subscription_id, creator_username, status, cancelled_at IS NOT NULL, cursor), ',') FROM creator_platform.subscriptions_of('00000000-0000-7000-8000-0000000413e2', 'cancelled')$$),
    ('subscribers_of', $$SELECT string_agg(concat_ws('|', subscription_id, subscriber_id, subscriber_username, cursor), ',') FROM creator_platform.subscribers_of('00000000-0000-7000-8000-0000000413c1')$$),
    ('subscribers_of, a second page', $$SELECT string_agg(concat_ws('|', subscription_id, cursor), ',') FROM creator_platform.subscribers_of('00000000-0000-7000-8000-0000000413c1', 'active', 1,
        (SELECT s.cursor FROM creator_platform.subscribers_of('00000000-0000-7000-8000-0000000413c1', 'active', 1) s))$$),
    ('uuid_v7_timestamp', $$SELECT creator_platform.uuid_v7_timestamp('017f22e2-79b0-7cc3-98c4-dc0c0c07398f')::text$$),
    ('uuid_v7_timestamp of a v4', $$SELECT creator_platform.uuid_v7_timestamp('017f22e2-79b0-4cc3-98c4-dc0c0c07398f')::text$$),
    ('uuid_generate_v7: version 7, this millisecond', $$SELECT pg_catalog.substr(u::text, 15, 1) || ' ' || (creator_platform.uuid_v7_timestamp(u) OPERATOR(pg_catalog.>=) pg_catalog.date_trunc('second', pg_catalog.clock_timestamp() OPERATOR(pg_catalog.-) interval '1 minute'))::text FROM (SELECT creator_platform.uuid_generate_v7() AS u) x$$),
    ('_boundary_selftest', $$SELECT creator_platform._boundary_selftest('ok')$$),
    ('_boundary_selftest, a PostgreSQL error', $$SELECT creator_platform._boundary_selftest('pg_error')$$),
    ('_internal_write_active', $$SELECT creator_platform._internal_write_active()::text$$),
    ('archive_old_posts in a transaction block', $$CALL creator_platform.archive_old_posts(pg_catalog.now())$$);
SELECT is(pg_temp.hostile(c.query), pg_temp.normal(c.query), format('%s: the same under the hostile search_path', c.what))
  FROM calls c ORDER BY c.what;
SELECT is_empty($$SELECT c.what, pg_temp.normal(c.query) FROM calls c
                   WHERE pg_temp.normal(c.query) IN ('NULL', '0', '')
                      OR (pg_temp.normal(c.query) LIKE 'ERROR%'
                          AND c.what NOT IN ('uuid_v7_timestamp of a v4', '_boundary_selftest, a PostgreSQL error',
                                             'archive_old_posts in a transaction block'))$$,
                'and each gives rows (or the error it is meant to give)');

-- the row triggers of the allow-list, by the statements that fire them
SELECT is(pg_temp.hostile($$WITH u AS (UPDATE creator_platform.posts SET title = 'renamed'
                                        WHERE id OPERATOR(pg_catalog.=) '00000000-0000-7000-8000-000000413b03'
                                        RETURNING (updated_at OPERATOR(pg_catalog.=) pg_catalog.now())::text AS t)
                             SELECT t FROM u$$), 'true', 'set_updated_at under the hostile path: updated_at = now()');
SELECT is(pg_temp.hostile($$WITH u AS (UPDATE creator_platform.posts SET comment_count = 5
                                        WHERE id OPERATOR(pg_catalog.=) '00000000-0000-7000-8000-000000413b03' RETURNING 1)
                             SELECT pg_catalog.count(*)::text FROM u$$), 'ERROR 55000', 'counter_guard under the hostile path: 55000');
SELECT is(pg_temp.hostile($$WITH u AS (INSERT INTO creator_platform.posts (creator_id, title, comment_count)
                                        VALUES ('00000000-0000-7000-8000-0000000413c1', 'counted', 1) RETURNING 1)
                             SELECT pg_catalog.count(*)::text FROM u$$), 'ERROR 23514', '... and 23514 for a new row''s counter');
SELECT is(pg_temp.hostile($$WITH u AS (UPDATE creator_platform.comments SET depth = 4
                                        WHERE id OPERATOR(pg_catalog.=) '00000000-0000-7000-8000-00000413c002' RETURNING 1)
                             SELECT pg_catalog.count(*)::text FROM u$$), 'ERROR 55000', 'comments_before_update under the hostile path: 55000');
SELECT is(pg_temp.hostile($$WITH u AS (UPDATE creator_platform.comments SET content = 'edited'
                                        WHERE id OPERATOR(pg_catalog.=) '00000000-0000-7000-8000-00000413c002' RETURNING content)
                             SELECT content FROM u$$), 'edited', '... which lets an edit of the content through');
SELECT is(pg_temp.hostile($$WITH u AS (DELETE FROM creator_platform.posts_archive RETURNING 1)
                             SELECT pg_catalog.count(*)::text FROM u$$), 'ERROR 55000', 'archive_read_only under the hostile path: 55000');

-- the statements of archive_old_posts (one batch: archive_posts, unpinned here)
ALTER FUNCTION creator_platform.archive_posts(timestamptz, integer) RESET search_path;
SELECT is(pg_temp.hostile($$SELECT creator_platform.archive_posts(pg_catalog.now() OPERATOR(pg_catalog.-) interval '2 years')::text$$),
          '1', 'a batch of archive_old_posts under the hostile path archives the one old post');
SELECT is((SELECT array_agg(id ORDER BY id) FROM posts_archive), ARRAY['00000000-0000-7000-8000-000000413b98', '00000000-0000-7000-8000-000000413b99']::uuid[],
          '... that one');
SELECT is((SELECT string_agg(concat_ws('|', id, content, reply_count), ',' ORDER BY id) FROM comments_archive),
          '00000000-0000-7000-8000-00000413c009|old top|0', '... with its comment, unchanged');
SELECT is_empty('SELECT * FROM creator_platform.reconcile_counters(false)', 'every counter is exact, live and archived');

SELECT * FROM finish();
ROLLBACK;
