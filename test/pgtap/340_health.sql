-- 340_health: the creator_platform.health view (docs/reference.md "Monitoring").
--   * shape: (kind, name, value, detail), a view over health_report();
--   * a row for every table, materialized view and index of the extension, with
--     sizes equal to PostgreSQL's and the vacuum / analyze / dead-row keys;
--   * the age of each statistics view (never refreshed, refreshed, not
--     populated), the last run of refresh_stats and reconcile_counters with
--     the drift;
--   * pg_cron: without it in the database (this one) a row says so and the
--     view works; with pg_cron's tables present (a stand-in schema cron with
--     pg_cron's columns, created in this transaction) the extension's jobs on
--     this database with their last run and last failure; a role that may not
--     read them gets a row that says so;
--   * the event backlog: count and oldest unprocessed event, following inserts
--     and claims.
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(26);

SELECT has_view('creator_platform', 'health', 'health is a view');
SELECT results_eq($$
    SELECT attname::text COLLATE "default", format_type(atttypid, atttypmod) FROM pg_catalog.pg_attribute
     WHERE attrelid = 'creator_platform.health'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum
  $$, $$ VALUES ('kind', 'text'), ('name', 'text'), ('value', 'text'), ('detail', 'jsonb') $$,
  'health: kind, name, value, detail');
SELECT ok((SELECT p.provolatile = 's' AND NOT p.prosecdef AND 'search_path=pg_catalog, pg_temp' = ANY (p.proconfig)
             FROM pg_catalog.pg_proc p WHERE p.oid = 'creator_platform.health_report()'::regprocedure),
          'health_report(): STABLE, SECURITY INVOKER, search_path pinned');

--------------------------------------------------------------------------------
-- tables, views, indexes
--------------------------------------------------------------------------------
SELECT set_eq($$ SELECT kind, name FROM health WHERE kind IN ('table', 'materialized view') $$,
              $$ SELECT CASE c.relkind WHEN 'm' THEN 'materialized view' ELSE 'table' END, c.relname::text
                   FROM pg_catalog.pg_class c
                  WHERE c.relnamespace = 'creator_platform'::regnamespace AND c.relkind IN ('r', 'p', 'm') $$,
              'a row for every table and materialized view of the extension');
SELECT set_eq($$ SELECT name FROM health WHERE kind = 'index' $$,
              $$ SELECT i.relname::text FROM pg_catalog.pg_index x
                   JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid JOIN pg_catalog.pg_class t ON t.oid = x.indrelid
                  WHERE t.relnamespace = 'creator_platform'::regnamespace $$,
              'a row for every index of the extension');
SELECT is((SELECT (detail->>'total_bytes')::bigint FROM health WHERE kind = 'table' AND name = 'posts'),
          pg_total_relation_size('creator_platform.posts'), 'a table''s total size is pg_total_relation_size');
SELECT is((SELECT (detail->>'bytes')::bigint FROM health WHERE kind = 'index' AND name = 'posts_pkey'),
          pg_relation_size('creator_platform.posts_pkey'), 'an index''s size is pg_relation_size');
SELECT ok((SELECT bool_and(detail ?& ARRAY['total_bytes', 'table_bytes', 'index_bytes', 'live_tuples', 'dead_tuples',
                                          'dead_ratio', 'modified_since_analyze', 'last_vacuum', 'last_analyze'])
             FROM health WHERE kind IN ('table', 'materialized view')),
          'every table row tells dead rows, rows modified since the last analyze, last vacuum and analyze');
SELECT ok((SELECT value ~ '^[0-9]+ (bytes|kB|MB|GB|TB), [0-9]+ live / [0-9]+ dead rows$'
             FROM health WHERE kind = 'table' AND name = 'comments'),
          'a table''s value: size, live and dead rows');

--------------------------------------------------------------------------------
-- statistics and jobs
--------------------------------------------------------------------------------
DELETE FROM maintenance_log;
SELECT results_eq($$ SELECT name, value FROM health WHERE kind = 'statistics' ORDER BY name $$,
                  $$ VALUES ('creator_stats', 'never refreshed by refresh_stats'),
                            ('trending_posts', 'never refreshed by refresh_stats') $$,
                  'statistics never refreshed by refresh_stats say so');
SELECT results_eq($$ SELECT value FROM health WHERE kind = 'job' AND name = 'reconcile_counters' $$,
                  $$ VALUES ('never run') $$, 'a reconciliation that never ran says so');
SELECT refresh_stats();
SELECT results_eq($$ SELECT name, value, (detail->>'last_refreshed_at')::timestamptz, detail->'populated'
                       FROM health WHERE kind = 'statistics' ORDER BY name $$,
                  $$ SELECT v, 'refreshed 00:00:00 ago', l.last_finished_at, 'true'::jsonb
                       FROM unnest(ARRAY['creator_stats', 'trending_posts']) v, maintenance_log l
                      WHERE l.job = 'refresh_stats' ORDER BY v $$,
                  'after refresh_stats: when each view was refreshed, and how long ago');
SELECT is((SELECT (detail #>> '{last_refresh,rows}')::bigint FROM health WHERE kind = 'statistics' AND name = 'creator_stats'),
          (SELECT count(*) FROM creator_stats), 'and how many rows it had');
SELECT ok((SELECT value LIKE 'last run %' AND (detail->>'runs')::int = 1 FROM health WHERE kind = 'job' AND name = 'refresh_stats'),
          'refresh_stats appears as a job with its last run');
REFRESH MATERIALIZED VIEW creator_platform.trending_posts WITH NO DATA;
SELECT is((SELECT value FROM health WHERE kind = 'statistics' AND name = 'trending_posts'), 'not populated',
          'a view left WITH NO DATA shows as not populated');
UPDATE maintenance_log SET last_finished_at = now() - interval '2 hours', last_started_at = now() - interval '2 hours';
SELECT is((SELECT value FROM health WHERE kind = 'statistics' AND name = 'creator_stats'), 'refreshed 02:00:00 ago',
          'staleness: the age of the last refresh');
SELECT * FROM creator_platform.reconcile_counters(false);
SELECT ok((SELECT value ~ '^drift 0, last run .* ago \(report only\)$' AND detail #>> '{last_result,drift}' = '0'
             FROM health WHERE kind = 'job' AND name = 'reconcile_counters'),
          'the last reconciliation with its drift (report only)');
SELECT * FROM creator_platform.reconcile_counters();
SELECT ok((SELECT value ~ '^drift 0, last run 00:00:00 ago$' FROM health WHERE kind = 'job' AND name = 'reconcile_counters'),
          'the last reconciliation with its drift (repair)');

--------------------------------------------------------------------------------
-- the event backlog
--------------------------------------------------------------------------------
DELETE FROM events;
SELECT results_eq($$ SELECT value, detail->'unprocessed' FROM health WHERE kind = 'events' $$,
                  $$ VALUES ('0 unprocessed', '0'::jsonb) $$, 'an empty backlog');
INSERT INTO events (kind, created_at, processed_at) VALUES
    ('health_test', now() - interval '3 hours', now()),
    ('health_test', now() - interval '1 hour', NULL),
    ('health_test', now() - interval '30 minutes', NULL),
    ('health_test', now(), NULL);
SELECT results_eq($$ SELECT value, (detail->>'unprocessed')::int, (detail->>'oldest_created_at')::timestamptz
                       FROM health WHERE kind = 'events' $$,
                  $$ VALUES ('3 unprocessed, oldest 01:00:00 old', 3, now() - interval '1 hour') $$,
                  'the backlog: unprocessed events and the oldest one (processed ones do not count)');
SELECT count(*) FROM claim_events(2);
SELECT results_eq($$ SELECT value, (detail->>'unprocessed')::int FROM health WHERE kind = 'events' $$,
                  $$ VALUES ('1 unprocessed, oldest 00:00:00 old', 1) $$, 'claimed events leave the backlog');

--------------------------------------------------------------------------------
-- pg_cron
--------------------------------------------------------------------------------
SELECT ok(to_regnamespace('cron') IS NULL, 'pg_cron is not installed in this database (cron.database_name is elsewhere)');
SELECT results_eq($$ SELECT kind, name, value FROM health WHERE kind = 'cron' $$,
                  $$ VALUES ('cron', 'pg_cron', 'not installed in this database') $$,
                  'without pg_cron: the view works and says so');

-- pg_cron's tables, as pg_cron 1.x defines them (the columns health reads)
CREATE SCHEMA cron;
CREATE TABLE cron.job (jobid bigint PRIMARY KEY, schedule text NOT NULL, command text NOT NULL,
                       nodename text NOT NULL DEFAULT 'localhost', nodeport int NOT NULL DEFAULT 5432,
                       database text NOT NULL DEFAULT current_database(), username text NOT NULL DEFAULT current_user,
                       active boolean NOT NULL DEFAULT true, jobname text);
CREATE TABLE cron.job_run_details (jobid bigint, runid bigint PRIMARY KEY, job_pid int, database text, username text,
                                   command text, status text, return_message text,
                                   start_time timestamptz, end_time timestamptz);
INSERT INTO cron.job (jobid, schedule, command, database, active, jobname) VALUES
    (1, '*/5 * * * *', 'SELECT creator_platform.refresh_stats()', current_database(), true, 'creator_platform_refresh_stats'),
    (2, '0 3 * * *', 'VACUUM', current_database(), true, 'not_ours'),
    (3, '* * * * *', 'SELECT creator_platform.publish_due_posts()', current_database(), false, NULL),
    (4, '* * * * *', 'SELECT creator_platform.publish_due_posts()', 'another_db', true, 'creator_platform_elsewhere');
INSERT INTO cron.job_run_details (jobid, runid, status, return_message, start_time, end_time) VALUES
    (1, 1, 'failed', 'ERROR: boom', now() - interval '1 day', now() - interval '1 day'),
    (1, 2, 'succeeded', '1 row', now() - interval '10 minutes', now() - interval '10 minutes'),
    (1, 3, 'succeeded', '1 row', now() - interval '5 minutes', now() - interval '5 minutes'),
    (2, 4, 'failed', 'ERROR', now(), now());
SELECT results_eq($$ SELECT name, value, detail->>'last_failure_message', (detail->>'jobid')::int
                       FROM health WHERE kind = 'cron' ORDER BY name $$,
                  $$ VALUES ('creator_platform_refresh_stats', 'last run succeeded 00:05:00 ago, last failure 1 day ago', 'ERROR: boom', 1),
                            ('job 3', 'never run (inactive)', NULL, 3) $$,
                  'with pg_cron: the extension''s jobs on this database, last run and last failure; others are not shown');

CREATE ROLE cp_340_monitor;
GRANT USAGE ON SCHEMA creator_platform TO cp_340_monitor;
GRANT SELECT ON creator_platform.health, creator_platform.maintenance_log, creator_platform.events TO cp_340_monitor;
GRANT EXECUTE ON FUNCTION creator_platform.health_report() TO cp_340_monitor;  -- the view calls it (0.5.0: not for PUBLIC)
SET LOCAL ROLE cp_340_monitor;
SELECT results_eq($$ SELECT value FROM creator_platform.health WHERE kind = 'cron' $$,
                  $$ VALUES ('not readable by cp_340_monitor') $$,
                  'a role that may not read pg_cron''s tables sees the rest, and a row that says so');
SELECT ok((SELECT count(*) FROM creator_platform.health WHERE kind IN ('table', 'index', 'statistics', 'events')) > 20,
          'a monitoring role with SELECT on health, maintenance_log and events sees everything else');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
