-- 423_rls_transaction_local: the viewer setting of row-level security lives
-- for one transaction when set the documented way, so that a transaction
-- pooler (pgbouncer, pool_mode = transaction) can hand the server connection
-- to another client without it (issue 6; docs/security.md).
-- A pgTAP file is one transaction, so the transactions are run in a second
-- session of this database, opened with dblink (CREATE EXTENSION dblink is
-- rolled back with this file):
--   * set_config('creator_platform.viewer_id', ..., true) and SET LOCAL hold
--     inside their transaction and are gone in the next one, after COMMIT as
--     after ROLLBACK: viewer_id() is NULL (anonymous) again;
--   * the control: a plain SET would outlive the transaction, which is why
--     the documentation says SET LOCAL;
--   * a value that is not a uuid is refused with 22023, whether the module
--     was loaded in the session when it was set (its check) or not (a
--     placeholder, refused by viewer_id()).
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(24);

CREATE EXTENSION dblink;
SELECT lives_ok(format('SELECT dblink_connect(%L, %L)', 'cp423',
                       creator_platform._cron_conninfo(current_database()) || ' user=' || quote_literal(current_user)),
                'a second session of this database');
-- one value from the other session, or ERROR and its SQLSTATE
CREATE FUNCTION pg_temp.remote(query text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
    result text;
BEGIN
    SELECT t.v INTO result FROM dblink('cp423', query) AS t (v text);
    RETURN coalesce(result, 'NULL');
EXCEPTION WHEN OTHERS THEN
    RETURN 'ERROR ' || SQLSTATE;
END
$f$;
CREATE FUNCTION pg_temp.remote_exec(command text) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN
    RETURN dblink_exec('cp423', command);
EXCEPTION WHEN OTHERS THEN
    RETURN 'ERROR ' || SQLSTATE;
END
$f$;
CREATE FUNCTION pg_temp.remote_viewer() RETURNS text LANGUAGE sql AS $f$
    SELECT pg_temp.remote($$SELECT coalesce(pg_catalog.current_setting('creator_platform.viewer_id', true), '') || '|'
                                   || coalesce(creator_platform.viewer_id()::text, 'NULL')$$)
$f$;

-- before the module is loaded in that session
SELECT is(pg_temp.remote($$SELECT pg_catalog.count(*)::text FROM pg_catalog.pg_settings
                           WHERE name OPERATOR(pg_catalog.=) 'creator_platform.max_comment_depth'$$), '0',
          'the module is not loaded in that session yet (its settings are not defined)');
SELECT is(pg_temp.remote_exec($q$DO $d$ BEGIN
                                  PERFORM pg_catalog.set_config('creator_platform.viewer_id', 'not-a-uuid', false);
                                  PERFORM creator_platform.viewer_id();
                                END $d$ $q$), 'ERROR 22023',
          'a viewer that is not a uuid: 22023, also when set before the module was loaded');

-- set_config(..., true)
SELECT is(pg_temp.remote_exec('BEGIN'), 'BEGIN', 'the other session: BEGIN');
SELECT is(pg_temp.remote($$SELECT pg_catalog.set_config('creator_platform.viewer_id', '00000000-0000-7000-8000-0000000423e1', true)$$),
          '00000000-0000-7000-8000-0000000423e1', 'set_config(..., true) in a transaction');
SELECT is(pg_temp.remote_viewer(), '00000000-0000-7000-8000-0000000423e1|00000000-0000-7000-8000-0000000423e1',
          '... viewer_id() is that user for the rest of the transaction');
SELECT is(pg_temp.remote_exec('COMMIT'), 'COMMIT', 'the other session: COMMIT');
SELECT is(pg_temp.remote_viewer(), '|NULL', '... and nobody after COMMIT: the next transaction is anonymous');

-- SET LOCAL, then ROLLBACK
SELECT is(pg_temp.remote_exec('BEGIN'), 'BEGIN', 'the other session: BEGIN');
SELECT is(pg_temp.remote_exec($$SET LOCAL creator_platform.viewer_id = '00000000-0000-7000-8000-0000000423e2'$$), 'SET', 'the other session: SET LOCAL creator_platform.viewer_id');
SELECT is(pg_temp.remote_viewer(), '00000000-0000-7000-8000-0000000423e2|00000000-0000-7000-8000-0000000423e2',
          'SET LOCAL in a transaction');
SELECT is(pg_temp.remote_exec('ROLLBACK'), 'ROLLBACK', 'the other session: ROLLBACK');
SELECT is(pg_temp.remote_viewer(), '|NULL', '... gone after ROLLBACK too');

-- SET LOCAL, then COMMIT, with the module loaded
SELECT is(pg_temp.remote('SELECT pg_catalog.length(creator_platform.uuid_generate_v7()::text)::text'), '36',
          'the module is loaded in that session now');
SELECT is(pg_temp.remote_exec('BEGIN'), 'BEGIN', 'the other session: BEGIN');
SELECT is(pg_temp.remote_exec($$SET LOCAL creator_platform.viewer_id = '00000000-0000-7000-8000-0000000423e3'$$), 'SET', 'the other session: SET LOCAL creator_platform.viewer_id');
SELECT is(pg_temp.remote_exec('COMMIT'), 'COMMIT', 'the other session: COMMIT');
SELECT is(pg_temp.remote_viewer(), '|NULL', 'SET LOCAL does not outlive its transaction');
SELECT is(pg_temp.remote_exec($$SET LOCAL creator_platform.viewer_id = 'not-a-uuid'$$), 'ERROR 22023',
          'with the module loaded, a value that is not a uuid is refused when set (22023)');

-- the control: a plain SET lasts for the session
SELECT is(pg_temp.remote_exec($$SET creator_platform.viewer_id = '00000000-0000-7000-8000-0000000423e4'$$), 'SET', 'the other session: SET creator_platform.viewer_id');
SELECT is(pg_temp.remote_viewer(), '00000000-0000-7000-8000-0000000423e4|00000000-0000-7000-8000-0000000423e4',
          'control: a plain SET outlives the statement and the transaction (why the documentation says SET LOCAL)');
SELECT is(pg_temp.remote_exec('RESET creator_platform.viewer_id'), 'RESET', 'the other session: RESET creator_platform.viewer_id');
SELECT is(pg_temp.remote_viewer(), '|NULL', 'RESET');

SELECT is(dblink_disconnect('cp423'), 'OK', 'the other session ends');
SELECT * FROM finish();
ROLLBACK;
