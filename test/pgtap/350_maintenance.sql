-- 350_maintenance: the pieces of the pg_cron maintenance that need no running
-- pg_cron (0.4.0, API.md "Maintenance with pg_cron"; the scheduling itself,
-- with a real pg_cron run, is test/tap/maintenance.sh):
--   * maintenance_jobs: one named job per task, each in the database it runs in;
--   * schedule_maintenance / unschedule_maintenance from this database (pg_cron
--     lives in database postgres of the test cluster, no dblink here): 55000
--     with the statements in the hint, nothing changed; 22023 for a database
--     that does not exist or NULL;
--   * creator_platform.archive_after: an interval longer than zero (22023
--     otherwise), default 2 years; archive_cutoff() follows it;
--   * purge_processed_events deletes processed events older than its argument
--     and nothing else; 22023 for NULL or a negative interval;
--   * none of them is executable by PUBLIC (0.5.0: grant_maintenance gives EXECUTE).
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(30);

-- maintenance_jobs ------------------------------------------------------------------
SELECT is((SELECT array_agg(job_name ORDER BY job_name) FROM maintenance_jobs('shop')),
          ARRAY['creator_platform:archive:shop', 'creator_platform:publish_due_posts:shop',
                'creator_platform:purge_cron_history:shop', 'creator_platform:purge_events:shop',
                'creator_platform:reconcile_counters:shop', 'creator_platform:refresh_stats:shop'],
          'maintenance_jobs: six named jobs');
SELECT is((SELECT schedule FROM maintenance_jobs('shop') WHERE job_name LIKE '%:publish_due_posts:%'), '* * * * *',
          'due posts are published every minute');
SELECT is((SELECT array_agg(DISTINCT run_in) FROM maintenance_jobs('shop') WHERE job_name NOT LIKE '%:purge_cron_history:%'),
          ARRAY['shop'], 'every job but the cron history purge runs in the given database');
SELECT is((SELECT run_in FROM maintenance_jobs('shop') WHERE job_name LIKE '%:purge_cron_history:%'),
          current_setting('cron.database_name'), 'the cron history purge runs in pg_cron''s database');
SELECT is((SELECT max(octet_length(job_name)) <= 63 FROM maintenance_jobs(repeat('d', 63))), true,
          'a 63-byte database name still gives job names that fit pg_cron''s name type');
SELECT is((SELECT count(DISTINCT job_name) FROM maintenance_jobs(repeat('d', 63))), 6::bigint,
          'six distinct names for a long database name too');
SELECT isnt((SELECT min(job_name) FROM maintenance_jobs(repeat('d', 63))),
            (SELECT min(job_name) FROM maintenance_jobs(repeat('d', 62) || 'e')),
            'two long database names give different job names');
SELECT throws_ok($$SELECT * FROM maintenance_jobs(NULL)$$, '22023', NULL, 'maintenance_jobs(NULL): 22023');
SELECT throws_ok($$SELECT * FROM maintenance_jobs('')$$, '22023', NULL, 'maintenance_jobs(''''): 22023');

-- scheduling from a database without pg_cron or dblink ------------------------------
SELECT * FROM cp_test.rejects($$SELECT creator_platform.schedule_maintenance()$$, '55000',
                              'schedule_maintenance where pg_cron lives elsewhere and dblink is missing');
SELECT * FROM cp_test.rejects($$SELECT creator_platform.unschedule_maintenance()$$, '55000',
                              'unschedule_maintenance likewise');
SELECT * FROM cp_test.rejects($$SELECT creator_platform.schedule_maintenance('no_such_database_here')$$, '22023',
                              'schedule_maintenance of a database that does not exist');
SELECT * FROM cp_test.rejects($$SELECT creator_platform.schedule_maintenance(NULL)$$, '22023',
                              'schedule_maintenance(NULL)');

-- archive_after / archive_cutoff ----------------------------------------------------
-- (archive_cutoff() first: it loads the library, which defines the setting)
SELECT is(archive_cutoff(), now() - interval '2 years', 'archive_cutoff() is now() minus 2 years by default');
SELECT is(current_setting('creator_platform.archive_after'), '2 years', 'archive_after defaults to 2 years');
SET LOCAL creator_platform.archive_after = '18 months';
SELECT is(archive_cutoff(), now() - interval '18 months', 'archive_cutoff() follows archive_after');
SELECT throws_ok($$SET LOCAL creator_platform.archive_after = 'soon'$$, '22023', NULL,
                 'archive_after must be an interval: 22023');
SELECT throws_ok($$SET LOCAL creator_platform.archive_after = '-1 day'$$, '22023', NULL,
                 'archive_after must be longer than zero: 22023 for a negative interval');
SELECT throws_ok($$SET LOCAL creator_platform.archive_after = '0'$$, '22023', NULL,
                 'and for zero');
SELECT is(current_setting('creator_platform.archive_after'), '18 months', 'a refused value leaves the setting as it was');

-- purge_processed_events -------------------------------------------------------------
DELETE FROM events;
INSERT INTO events (kind, payload, created_at, processed_at) VALUES
    ('post_published', '{}', now() - interval '30 days', now() - interval '20 days'),
    ('post_published', '{}', now() - interval '30 days', now() - interval '8 days'),
    ('post_published', '{}', now() - interval '30 days', now() - interval '1 day'),
    ('post_published', '{}', now() - interval '30 days', NULL);
SELECT is(purge_processed_events(), 2::bigint, 'purge_processed_events() deletes the events processed over 7 days ago');
SELECT is((SELECT count(*) FROM events WHERE processed_at IS NULL), 1::bigint, 'an unprocessed event is never deleted');
SELECT is(purge_processed_events(interval '0'), 1::bigint, 'with 0, every processed event goes');
SELECT throws_ok($$SELECT creator_platform.purge_processed_events(NULL)$$, '22023', NULL, 'purge_processed_events(NULL): 22023');
SELECT throws_ok($$SELECT creator_platform.purge_processed_events('-1 day')$$, '22023', NULL,
                 'purge_processed_events of a negative interval: 22023');

-- privileges -------------------------------------------------------------------------------
SELECT is((SELECT array_agg(p.proname::text ORDER BY p.proname) FROM pg_proc p
            WHERE p.pronamespace = 'creator_platform'::regnamespace
              AND p.proname IN ('schedule_maintenance', 'unschedule_maintenance', 'purge_processed_events',
                                '_cron_route', '_cron_conninfo', 'maintenance_jobs', 'archive_cutoff')
              AND has_function_privilege('public', p.oid, 'EXECUTE')),
          NULL::text[],
          'PUBLIC may execute none of them (0.5.0: grant_maintenance gives EXECUTE)');

SELECT * FROM finish();
ROLLBACK;
