-- 412_maintenance_role: maintenance needs its own grant (issue 6, "Least
-- privilege"; docs/security.md).
--   * a role that holds grant_usage only gets 42501 from every maintenance
--     function and procedure (411_usage_role.sql shows it for each one);
--   * after grant_maintenance a role that is neither superuser nor owner
--     archives (archive_posts), restores (restore_post), refreshes the
--     statistics (refresh_stats, which needs the views' owner and so runs as
--     it), reconciles counters and repairs them, purges processed events,
--     reads health, and gets past the privilege checks of archive_old_posts
--     (25001 inside a transaction block) and of the pg_cron functions (55000:
--     pg_cron lives in another database of the test cluster, without dblink
--     here; these three read cron.database_name, which pg_cron lets only
--     superusers and members of pg_read_all_settings read);
--   * a maintenance role gets 42501 from the application's functions: the
--     sets are separate;
--   * after revoke_maintenance it gets 42501 again, and nothing changed.
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(21);

CREATE FUNCTION pg_temp.as_role(role text, query text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
    result text;
BEGIN
    BEGIN
        EXECUTE format('SET LOCAL ROLE %I', role);
        EXECUTE query INTO result;
        RESET ROLE;
        RETURN coalesce(result, 'NULL');
    EXCEPTION WHEN OTHERS THEN
        RETURN 'ERROR ' || SQLSTATE;
    END;
END
$f$;

-- data: creator c1 with two posts of three years ago (one for subscribers)
-- with comments, one recent post; reader e1; a processed event of last month
INSERT INTO users (id, email, username, role) VALUES
    ('00000000-0000-7000-8000-0000000412c1', 'c1@412.test', 'u412_c1', 'creator'),
    ('00000000-0000-7000-8000-0000000412e1', 'e1@412.test', 'u412_e1', 'reader');
INSERT INTO posts (id, creator_id, title, status, visibility, published_at) VALUES
    ('00000000-0000-7000-8000-0000000412b1', '00000000-0000-7000-8000-0000000412c1', 'old public', 'published', 'public', now() - interval '3 years'),
    ('00000000-0000-7000-8000-0000000412b2', '00000000-0000-7000-8000-0000000412c1', 'old subscribers', 'published', 'subscribers', now() - interval '3 years 1 day'),
    ('00000000-0000-7000-8000-0000000412b3', '00000000-0000-7000-8000-0000000412c1', 'new', 'published', 'public', now() - interval '1 day');
INSERT INTO comments (post_id, user_id, content) VALUES
    ('00000000-0000-7000-8000-0000000412b1', '00000000-0000-7000-8000-0000000412e1', 'on the old one'),
    ('00000000-0000-7000-8000-0000000412b2', '00000000-0000-7000-8000-0000000412e1', 'on the old subscribers one');
DELETE FROM events;
INSERT INTO events (kind, created_at, processed_at) VALUES ('post_published', now() - interval '40 days', now() - interval '30 days');

CREATE ROLE cp_412_maint NOLOGIN;
CREATE ROLE cp_412_app NOLOGIN;
SELECT creator_platform.grant_usage('cp_412_app');

-- usage alone is not enough
CREATE TEMP TABLE state_before ON COMMIT DROP AS SELECT cp_test.db_state() AS s;
SELECT is(pg_temp.as_role('cp_412_app', $$SELECT creator_platform.archive_posts(now() - interval '2 years')::text$$),
          'ERROR 42501', 'a usage role cannot archive_posts');
SELECT is(pg_temp.as_role('cp_412_app', $$SELECT creator_platform.refresh_stats()::text$$),
          'ERROR 42501', 'nor refresh_stats');
SELECT is(cp_test.db_state(), (SELECT s FROM state_before), 'nothing changed');

SELECT lives_ok($$SELECT creator_platform.grant_maintenance('cp_412_maint')$$, 'grant_maintenance(cp_412_maint)');
SELECT is(pg_temp.as_role('cp_412_maint', $$SELECT creator_platform.archive_posts(now() - interval '2 years')::text$$),
          '2', 'archive_posts: the two old posts are archived');
SELECT is((SELECT count(*) FROM comments_archive WHERE post_id IN ('00000000-0000-7000-8000-0000000412b1',
                                                                   '00000000-0000-7000-8000-0000000412b2')),
          2::bigint, '... with their comments');
SELECT is(pg_temp.as_role('cp_412_maint', $$SELECT title FROM creator_platform.restore_post('00000000-0000-7000-8000-0000000412b2')$$),
          'old subscribers', 'restore_post brings one back');
SELECT is((SELECT count(*) FROM comments WHERE post_id = '00000000-0000-7000-8000-0000000412b2'), 1::bigint,
          '... with its comment');
SELECT is(pg_temp.as_role('cp_412_maint', $$SELECT creator_platform.refresh_stats()::text$$), '',
          'refresh_stats (REFRESH needs the views'' owner: it runs as the owner)');
SELECT is((SELECT published_posts FROM creator_stats WHERE creator_id = '00000000-0000-7000-8000-0000000412c1'),
          3::bigint, '... and the statistics are fresh');
SELECT is((SELECT runs FROM maintenance_log WHERE job = 'refresh_stats') >= 1, true, '... and the run is logged');
SET LOCAL session_replication_role = replica;
UPDATE posts SET comment_count = 9 WHERE id = '00000000-0000-7000-8000-0000000412b3';
SET LOCAL session_replication_role = origin;
SELECT is(pg_temp.as_role('cp_412_maint', $$SELECT string_agg(concat_ws(' ', table_name, stored, actual), ',')
                                              FROM creator_platform.reconcile_counters()$$),
          'posts 9 0', 'reconcile_counters finds the drifted counter and repairs it');
SELECT is((SELECT comment_count FROM posts WHERE id = '00000000-0000-7000-8000-0000000412b3'), 0, '... repaired');
SELECT is(pg_temp.as_role('cp_412_maint', $$SELECT creator_platform.purge_processed_events()::text$$), '1',
          'purge_processed_events');
-- health, maintenance_jobs and the pg_cron functions read cron.database_name,
-- which pg_cron lets superusers and pg_read_all_settings read only
-- (docs/security.md, "Maintenance")
GRANT pg_read_all_settings TO cp_412_maint;
SELECT is(pg_temp.as_role('cp_412_maint', $$SELECT (count(*) > 0)::text FROM creator_platform.health$$), 'true',
          'the health view');
SELECT is(pg_temp.as_role('cp_412_maint', $$SELECT count(*)::text FROM creator_platform.maintenance_jobs()
                                              WHERE creator_platform.archive_cutoff() < now()$$), '6',
          'maintenance_jobs and archive_cutoff');
SELECT is(pg_temp.as_role('cp_412_maint', $$CALL creator_platform.archive_old_posts(now() - interval '2 years')$$),
          'ERROR 25001', 'archive_old_posts: past the privilege check, refused only inside a transaction block');
SELECT is(pg_temp.as_role('cp_412_maint', $$SELECT count(*)::text FROM creator_platform.schedule_maintenance()$$),
          'ERROR 55000', 'schedule_maintenance: past the privilege check (55000: pg_cron lives in another database, no dblink)');

-- the sets are separate
SELECT is(pg_temp.as_role('cp_412_maint', $$SELECT count(*)::text FROM creator_platform.add_comment(
            '00000000-0000-7000-8000-0000000412b3', '00000000-0000-7000-8000-0000000412e1', 'by maintenance')$$),
          'ERROR 42501', 'a maintenance role cannot add_comment (usage is a grant of its own)');

-- revoke
DELETE FROM state_before;
INSERT INTO state_before SELECT cp_test.db_state();
SELECT creator_platform.revoke_maintenance('cp_412_maint');
SELECT is(pg_temp.as_role('cp_412_maint', $$SELECT creator_platform.archive_posts(now() - interval '2 years')::text$$)
          || ' ' || pg_temp.as_role('cp_412_maint', $$SELECT creator_platform.refresh_stats()::text$$)
          || ' ' || pg_temp.as_role('cp_412_maint', $$SELECT count(*)::text FROM creator_platform.health$$),
          'ERROR 42501 ERROR 42501 ERROR 42501', 'after revoke_maintenance: 42501 again');
SELECT is(cp_test.db_state(), (SELECT s FROM state_before), 'nothing changed');

SELECT * FROM finish();
ROLLBACK;
