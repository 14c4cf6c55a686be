-- 422_rls_maintenance: with row-level security on, maintenance still reaches
-- every row (issue 6; docs/security.md, "Row-level security").
--   * a role that holds grant_maintenance only (no viewer, no usage) sees
--     every row of the four tables: archive_posts archives the old
--     subscribers post nobody else may see, restore_post brings it back,
--     reconcile_counters finds and repairs a drifted counter on it;
--   * the control: an application role without a viewer sees none of it;
--   * a role granted maintenance while row security is on is added to the
--     maintenance policies, and taken out by revoke_maintenance, after which
--     it sees as any other role would.
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(12);

CREATE FUNCTION pg_temp.as_role(role text, query text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
    result text;
BEGIN
    BEGIN
        EXECUTE format('SET LOCAL ROLE %I', role);
        PERFORM set_config('creator_platform.viewer_id', '', true);
        EXECUTE query INTO result;
        RESET ROLE;
        RETURN coalesce(result, 'NULL');
    EXCEPTION WHEN OTHERS THEN
        RETURN 'ERROR ' || SQLSTATE;
    END;
END
$f$;

-- c1's posts: two old ones for subscribers (one with a comment), a draft
INSERT INTO users (id, email, username, role) VALUES
    ('00000000-0000-7000-8000-0000000422c1', 'c1@422.test', 'u422_c1', 'creator'),
    ('00000000-0000-7000-8000-0000000422e1', 'e1@422.test', 'u422_e1', 'reader');
INSERT INTO posts (id, creator_id, title, status, visibility, published_at) VALUES
    ('00000000-0000-7000-8000-000000422b01', '00000000-0000-7000-8000-0000000422c1', 'old sub', 'published', 'subscribers', now() - interval '3 years'),
    ('00000000-0000-7000-8000-000000422b02', '00000000-0000-7000-8000-0000000422c1', 'old sub 2', 'published', 'subscribers', now() - interval '4 years'),
    ('00000000-0000-7000-8000-000000422b03', '00000000-0000-7000-8000-0000000422c1', 'draft', 'draft', 'public', NULL);
INSERT INTO comments (post_id, user_id, content) VALUES
    ('00000000-0000-7000-8000-000000422b01', '00000000-0000-7000-8000-0000000422e1', 'hidden comment');
SET CONSTRAINTS ALL IMMEDIATE;
SELECT creator_platform.enable_row_security();
CREATE ROLE cp_422_maint NOLOGIN;
CREATE ROLE cp_422_app NOLOGIN;
CREATE ROLE cp_422_late NOLOGIN;
SELECT creator_platform.grant_maintenance('cp_422_maint');
SELECT creator_platform.grant_usage('cp_422_app');

SELECT is(pg_temp.as_role('cp_422_app', 'SELECT count(*)::text FROM creator_platform.posts'), '0',
          'control: the application role without a viewer sees none of these posts');
SELECT is(pg_temp.as_role('cp_422_maint', 'SELECT count(*)::text FROM creator_platform.posts'), '3',
          'the maintenance role sees them all, without a viewer');
SELECT is(pg_temp.as_role('cp_422_maint', 'SELECT count(*)::text FROM creator_platform.comments'), '1', '... and the comment');
SELECT is(pg_temp.as_role('cp_422_maint', $$SELECT creator_platform.archive_posts(now() - interval '2 years')::text$$), '2',
          'archive_posts archives both old subscribers posts');
SELECT is((SELECT count(*) FROM comments_archive), 1::bigint, '... with the comment');
SELECT is(pg_temp.as_role('cp_422_maint', $$SELECT title FROM creator_platform.restore_post('00000000-0000-7000-8000-000000422b01')$$),
          'old sub', 'restore_post brings one back');
SELECT is((SELECT count(*) FROM comments WHERE post_id = '00000000-0000-7000-8000-000000422b01'), 1::bigint, '... with its comment');
SET LOCAL session_replication_role = replica;
UPDATE posts SET comment_count = 5 WHERE id = '00000000-0000-7000-8000-000000422b01';
SET LOCAL session_replication_role = origin;
SELECT is(pg_temp.as_role('cp_422_maint', $$SELECT string_agg(concat_ws(' ', table_name, id, stored, actual), ',')
                                             FROM creator_platform.reconcile_counters()$$),
          'posts 00000000-0000-7000-8000-000000422b01 5 1', 'reconcile_counters finds the drift on a post no viewer could see');
SELECT is((SELECT comment_count FROM posts WHERE id = '00000000-0000-7000-8000-000000422b01'), 1, '... and repairs it');

-- granted while row security is on, then revoked
SELECT creator_platform.grant_usage('cp_422_late');
SELECT creator_platform.grant_maintenance('cp_422_late');
SELECT is(pg_temp.as_role('cp_422_late', 'SELECT count(*)::text FROM creator_platform.posts'), '2',
          'a role granted maintenance while row security is on sees every row (live posts now: 2)');
SELECT is(pg_temp.as_role('cp_422_late', 'SELECT count(*)::text FROM creator_platform.posts_archive'), '1',
          '... and every archived one');
SELECT creator_platform.revoke_maintenance('cp_422_late');
SELECT is(pg_temp.as_role('cp_422_late', 'SELECT count(*)::text FROM creator_platform.posts'), '0',
          'after revoke_maintenance it sees what its viewer may (none of them)');

SELECT * FROM finish();
ROLLBACK;
