-- 410_privileges: the grant sets and the grant functions (issue 6, "Least
-- privilege"; docs/security.md).
--   * every function and procedure of the extension is in exactly one grant
--     set of privilege_sets (usage, maintenance or owner), every table, view,
--     materialized view and sequence in at least one, an owner's relation in
--     no other; every row names an object that exists; a function or table
--     added without a row fails here (shown with fixtures);
--   * nothing is open to PUBLIC: no EXECUTE, no privilege on a relation or a
--     column, no USAGE on the schema;
--   * grant_usage / revoke_usage / grant_maintenance / revoke_maintenance:
--     SECURITY INVOKER, search_path pinned, not executable by PUBLIC; NULL,
--     an unknown role OID and the extension's owner are 22023, an unknown
--     role name 42704, a caller who is not the owner (even with EXECUTE) 42501
--     and nothing is granted;
--   * the privileges a role holds after each call are exactly those of the
--     sets it holds (compared item by item with the ACLs), idempotent; revoking
--     one set keeps the other's privileges where both give the same (posts,
--     comments, users, events); revoking takes back privileges granted by
--     hand too; the owner's functions are never granted;
--   * the maintenance policies of row-level security follow the maintenance
--     grants.
-- That the privileges are enough (and needed) is shown by using them:
-- 411_usage_role.sql, 412_maintenance_role.sql.
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(49);

--------------------------------------------------------------------------------
-- helpers
--------------------------------------------------------------------------------
-- Functions and procedures of the extension that are not in exactly one set.
CREATE FUNCTION pg_temp.misclassified_routines() RETURNS TABLE (routine text, sets bigint) LANGUAGE sql AS $f$
    SELECT p.oid::regprocedure::text, count(ps.grant_set)
      FROM pg_catalog.pg_proc p
      LEFT JOIN creator_platform.privilege_sets ps
        ON p.oid = CASE WHEN ps.object_type = 'ROUTINE' THEN to_regprocedure(ps.object_name) END
     WHERE p.pronamespace = 'creator_platform'::regnamespace
     GROUP BY p.oid
    HAVING count(ps.grant_set) <> 1
$f$;
-- Relations of the extension in no set, or in 'owner' and another set.
CREATE FUNCTION pg_temp.misclassified_relations() RETURNS TABLE (relation text, sets text[]) LANGUAGE sql AS $f$
    SELECT c.oid::regclass::text, array_remove(array_agg(ps.grant_set ORDER BY ps.grant_set), NULL)
      FROM pg_catalog.pg_class c
      LEFT JOIN creator_platform.privilege_sets ps
        ON c.oid = CASE WHEN ps.object_type IN ('TABLE', 'SEQUENCE') THEN to_regclass(ps.object_name) END
     WHERE c.relnamespace = 'creator_platform'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
     GROUP BY c.oid
    HAVING count(ps.grant_set) = 0 OR (bool_or(ps.grant_set = 'owner') AND count(ps.grant_set) > 1)
$f$;
-- What a role holds directly on the extension's objects: (kind, object, privilege),
-- a column privilege as 'UPDATE (column)'.
CREATE FUNCTION pg_temp.acl_items(r regrole) RETURNS TABLE (kind text, objid oid, item text) LANGUAGE sql AS $f$
    SELECT 'SCHEMA', n.oid, a.privilege_type
      FROM pg_catalog.pg_namespace n CROSS JOIN LATERAL aclexplode(n.nspacl) a
     WHERE n.nspname = 'creator_platform' AND a.grantee = r
    UNION ALL
    SELECT 'ROUTINE', p.oid, a.privilege_type
      FROM pg_catalog.pg_proc p CROSS JOIN LATERAL aclexplode(p.proacl) a
     WHERE p.pronamespace = 'creator_platform'::regnamespace AND a.grantee = r
    UNION ALL
    SELECT CASE c.relkind WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, c.oid, a.privilege_type
      FROM pg_catalog.pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a
     WHERE c.relnamespace = 'creator_platform'::regnamespace AND a.grantee = r
    UNION ALL
    SELECT 'TABLE', c.oid, a.privilege_type || ' (' || att.attname || ')'
      FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_attribute att ON att.attrelid = c.oid AND att.attnum > 0
     CROSS JOIN LATERAL aclexplode(att.attacl) a
     WHERE c.relnamespace = 'creator_platform'::regnamespace AND a.grantee = r
$f$;
-- What the sets promise, in the same shape.
CREATE FUNCTION pg_temp.set_items(sets text[]) RETURNS TABLE (kind text, objid oid, item text) LANGUAGE sql AS $f$
    SELECT ps.object_type,
           CASE ps.object_type WHEN 'ROUTINE' THEN to_regprocedure(ps.object_name)::oid
                               WHEN 'SCHEMA' THEN to_regnamespace(ps.object_name)::oid
                               ELSE to_regclass(ps.object_name)::oid END,
           btrim(x)
      FROM creator_platform.privilege_sets ps
     CROSS JOIN LATERAL regexp_split_to_table(ps.privileges, ',\s*(?![^(]*\))') AS x
     WHERE ps.grant_set = ANY (sets)
$f$;
-- Runs `query` (one value) as `role`: its result, or ERROR and the SQLSTATE.
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
        RETURN 'ERROR ' || SQLSTATE || ' ' || SQLERRM;
    END;
END
$f$;
CREATE FUNCTION pg_temp.maintenance_policy_roles() RETURNS TABLE (policy text, roles text) LANGUAGE sql AS $f$
    SELECT po.polname::text, string_agg(r.rolname::text, ',' ORDER BY r.rolname::text)
      FROM pg_catalog.pg_policy po
     CROSS JOIN LATERAL unnest(po.polroles) AS pr (roleid)
      JOIN pg_catalog.pg_roles r ON r.oid = pr.roleid
     WHERE po.polrelid IN ('creator_platform.posts'::regclass, 'creator_platform.posts_archive'::regclass,
                           'creator_platform.comments'::regclass, 'creator_platform.comments_archive'::regclass)
       AND po.polname LIKE '%\_maintenance'
     GROUP BY po.polname
$f$;

--------------------------------------------------------------------------------
-- every object is in a set
--------------------------------------------------------------------------------
SELECT has_table('creator_platform', 'privilege_sets', 'privilege_sets exists');
SELECT is_empty('SELECT * FROM pg_temp.misclassified_routines()',
                'every function and procedure of the extension is in exactly one grant set');
SELECT is_empty('SELECT * FROM pg_temp.misclassified_relations()',
                'every table, view and sequence is in a grant set; the owner''s in no other');
SELECT is_empty($$
    SELECT ps.grant_set, ps.object_type, ps.object_name FROM creator_platform.privilege_sets ps
     WHERE NOT CASE ps.object_type
                   WHEN 'ROUTINE' THEN to_regprocedure(ps.object_name) IS NOT NULL
                   WHEN 'SCHEMA' THEN ps.object_name = 'creator_platform'
                   WHEN 'SEQUENCE' THEN (SELECT c.relkind = 'S' FROM pg_catalog.pg_class c
                                          WHERE c.oid = to_regclass(ps.object_name))
                   ELSE (SELECT c.relkind IN ('r', 'p', 'v', 'm', 'f') FROM pg_catalog.pg_class c
                          WHERE c.oid = to_regclass(ps.object_name)
                            AND c.relnamespace = 'creator_platform'::regnamespace) END IS TRUE
  $$, 'every row of privilege_sets names an object of the extension of its type');
SELECT set_eq($$SELECT DISTINCT ps.grant_set FROM creator_platform.privilege_sets ps WHERE ps.privileges IS NULL$$,
              ARRAY['owner'], 'only the owner''s rows grant nothing, and all of them');
-- the checks can fail: a function and a table added without a row
CREATE FUNCTION creator_platform.fixture_unlisted() RETURNS integer LANGUAGE sql AS 'SELECT 1';
CREATE TABLE creator_platform.fixture_unlisted_table (id integer);
SELECT set_eq('SELECT routine FROM pg_temp.misclassified_routines()', ARRAY['fixture_unlisted()'],
              'control: a function added without a row is reported');
SELECT set_eq('SELECT relation FROM pg_temp.misclassified_relations()', ARRAY['fixture_unlisted_table'],
              'control: a table added without a row is reported');
INSERT INTO creator_platform.privilege_sets VALUES ('usage', 'ROUTINE', 'creator_platform.fixture_unlisted()', 'EXECUTE'),
                                                   ('maintenance', 'ROUTINE', 'creator_platform.fixture_unlisted()', 'EXECUTE'),
                                                   ('owner', 'TABLE', 'creator_platform.fixture_unlisted_table', NULL),
                                                   ('usage', 'TABLE', 'creator_platform.fixture_unlisted_table', 'SELECT');
SELECT set_eq('SELECT routine || '' '' || sets FROM pg_temp.misclassified_routines()', ARRAY['fixture_unlisted() 2'],
              'control: a function in two sets is reported');
SELECT set_eq('SELECT relation FROM pg_temp.misclassified_relations()', ARRAY['fixture_unlisted_table'],
              'control: an owner''s table in another set too is reported');
DELETE FROM creator_platform.privilege_sets WHERE object_name LIKE 'creator_platform.fixture\_%';
DROP FUNCTION creator_platform.fixture_unlisted();
DROP TABLE creator_platform.fixture_unlisted_table;

--------------------------------------------------------------------------------
-- nothing for PUBLIC
--------------------------------------------------------------------------------
SELECT is_empty($$
    SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
     WHERE p.pronamespace = 'creator_platform'::regnamespace AND has_function_privilege('public', p.oid, 'EXECUTE')
  $$, 'PUBLIC may execute no function or procedure of the extension');
SELECT is_empty($$
    SELECT c.oid::regclass, a.privilege_type FROM pg_catalog.pg_class c
     CROSS JOIN LATERAL aclexplode(coalesce(c.relacl, acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char", c.relowner))) a
     WHERE c.relnamespace = 'creator_platform'::regnamespace AND a.grantee = 0
    UNION ALL
    SELECT c.oid::regclass, a.privilege_type || ' (' || att.attname || ')' FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_attribute att ON att.attrelid = c.oid AND att.attnum > 0
     CROSS JOIN LATERAL aclexplode(att.attacl) a
     WHERE c.relnamespace = 'creator_platform'::regnamespace AND a.grantee = 0
  $$, 'PUBLIC holds no privilege on a table, view, sequence or column of the extension');
SELECT is(has_schema_privilege('public', 'creator_platform', 'USAGE'), false, 'PUBLIC has no USAGE on the schema');

--------------------------------------------------------------------------------
-- the grant functions
--------------------------------------------------------------------------------
SELECT is((SELECT count(*) FROM pg_catalog.pg_proc p
            WHERE p.oid IN ('creator_platform.grant_usage(regrole)'::regprocedure,
                            'creator_platform.revoke_usage(regrole)'::regprocedure,
                            'creator_platform.grant_maintenance(regrole)'::regprocedure,
                            'creator_platform.revoke_maintenance(regrole)'::regprocedure)
              AND p.prorettype = 'void'::regtype AND p.provolatile = 'v' AND NOT p.prosecdef
              AND p.proconfig = ARRAY['search_path=pg_catalog, pg_temp']
              AND pg_catalog.pg_get_function_arguments(p.oid) = 'role regrole'),
          4::bigint, 'grant_usage, revoke_usage, grant_maintenance, revoke_maintenance(role regrole) → void: SECURITY INVOKER, VOLATILE, search_path pinned');

CREATE ROLE cp_410_app NOLOGIN;
CREATE ROLE cp_410_maint NOLOGIN;
CREATE ROLE cp_410_both NOLOGIN;
CREATE ROLE cp_410_hand NOLOGIN;
CREATE ROLE cp_410_delegate NOLOGIN;

SELECT throws_ok(format('SELECT creator_platform.%s(NULL)', f), '22023', 'role must not be NULL', format('%s(NULL): 22023', f))
  FROM unnest(ARRAY['grant_usage', 'revoke_usage', 'grant_maintenance', 'revoke_maintenance']) AS f;
SELECT throws_ok(format('SELECT creator_platform.grant_usage(%L)',
                        (SELECT e.extowner::regrole::text FROM pg_catalog.pg_extension e WHERE e.extname = 'creator_platform')),
                 '22023', NULL, 'grant_usage(the extension''s owner): 22023 (revoking would lock the owner out)');
SELECT throws_ok('SELECT creator_platform.revoke_usage(4294967295::oid::regrole)', '22023', NULL,
                 'revoke_usage of a role OID that does not exist: 22023');
SELECT throws_ok($$SELECT creator_platform.grant_usage('cp_410_no_such_role')$$, '42704', NULL,
                 'grant_usage of a role name that does not exist: 42704 (regrole)');
-- a role that may execute grant_usage but is not the owner: 42501, nothing granted
GRANT USAGE ON SCHEMA creator_platform TO cp_410_delegate;
-- (EXECUTE on the internal functions too, so that the owner check is what refuses)
GRANT EXECUTE ON FUNCTION creator_platform.grant_usage(regrole), creator_platform._set_privileges(regrole, text, boolean),
                          creator_platform._require_owner(text), creator_platform._holds_grant_set(regrole, text)
   TO cp_410_delegate;
GRANT SELECT ON creator_platform.privilege_sets TO cp_410_delegate;
SELECT matches(pg_temp.as_role('cp_410_delegate', $$SELECT creator_platform.grant_usage('cp_410_app')::text$$),
               '^ERROR 42501 permission denied to grant usage',
               'grant_usage by a role that is not the extension''s owner: 42501 even with EXECUTE');
SELECT is_empty('SELECT * FROM pg_temp.acl_items(''cp_410_app'')', '... and cp_410_app got nothing');
REVOKE ALL ON FUNCTION creator_platform.grant_usage(regrole), creator_platform._set_privileges(regrole, text, boolean),
                       creator_platform._require_owner(text), creator_platform._holds_grant_set(regrole, text)
  FROM cp_410_delegate;
REVOKE ALL ON creator_platform.privilege_sets FROM cp_410_delegate;
REVOKE ALL ON SCHEMA creator_platform FROM cp_410_delegate;
SELECT matches(pg_temp.as_role('cp_410_delegate', $$SELECT creator_platform.grant_maintenance('cp_410_app')::text$$),
               '^ERROR 42501', 'grant_maintenance by a role without EXECUTE: 42501');

--------------------------------------------------------------------------------
-- what each call leaves a role holding
--------------------------------------------------------------------------------
SELECT is_empty('SELECT * FROM pg_temp.acl_items(''cp_410_app'')', 'a new role holds nothing');
SELECT creator_platform.grant_usage('cp_410_app');
SELECT set_eq('SELECT * FROM pg_temp.acl_items(''cp_410_app'')', 'SELECT * FROM pg_temp.set_items(ARRAY[''usage''])',
              'after grant_usage the role holds exactly the usage set');
SELECT ok((SELECT count(*) > 40 FROM pg_temp.acl_items('cp_410_app')), '... which is not nothing');
CREATE TEMP TABLE acl_before ON COMMIT DROP AS SELECT * FROM pg_temp.acl_items('cp_410_app');
SELECT creator_platform.grant_usage('cp_410_app');
SELECT set_eq('SELECT * FROM pg_temp.acl_items(''cp_410_app'')', 'SELECT * FROM acl_before',
              'grant_usage again changes nothing (idempotent)');
SELECT is((SELECT count(*) FROM pg_temp.acl_items('cp_410_app')), (SELECT count(*) FROM acl_before),
          '... not even a duplicate entry');

SELECT creator_platform.grant_maintenance('cp_410_maint');
SELECT set_eq('SELECT * FROM pg_temp.acl_items(''cp_410_maint'')', 'SELECT * FROM pg_temp.set_items(ARRAY[''maintenance''])',
              'after grant_maintenance the role holds exactly the maintenance set');
SELECT is_empty($$SELECT * FROM pg_temp.acl_items('cp_410_maint') a
                   WHERE a.kind = 'ROUTINE' AND a.objid IN (SELECT s.objid FROM pg_temp.set_items(ARRAY['usage']) s)$$,
                'grant_maintenance gives no usage function');

SELECT creator_platform.grant_usage('cp_410_both');
SELECT creator_platform.grant_maintenance('cp_410_both');
SELECT set_eq('SELECT * FROM pg_temp.acl_items(''cp_410_both'')',
              'SELECT * FROM pg_temp.set_items(ARRAY[''usage'', ''maintenance''])',
              'with both grants the role holds the union of the two sets');
SELECT creator_platform.revoke_maintenance('cp_410_both');
SELECT set_eq('SELECT * FROM pg_temp.acl_items(''cp_410_both'')', 'SELECT * FROM pg_temp.set_items(ARRAY[''usage''])',
              'revoke_maintenance leaves exactly the usage set (the shared table privileges stay)');
SELECT creator_platform.revoke_maintenance('cp_410_both');
SELECT set_eq('SELECT * FROM pg_temp.acl_items(''cp_410_both'')', 'SELECT * FROM pg_temp.set_items(ARRAY[''usage''])',
              'revoke_maintenance again changes nothing');
SELECT creator_platform.grant_maintenance('cp_410_both');
SELECT creator_platform.revoke_usage('cp_410_both');
SELECT set_eq('SELECT * FROM pg_temp.acl_items(''cp_410_both'')', 'SELECT * FROM pg_temp.set_items(ARRAY[''maintenance''])',
              'revoke_usage leaves exactly the maintenance set (UPDATE (updated_at) on users included)');
SELECT creator_platform.revoke_maintenance('cp_410_both');
SELECT is_empty('SELECT * FROM pg_temp.acl_items(''cp_410_both'')', 'after both revokes the role holds nothing');
SELECT lives_ok($$SELECT creator_platform.revoke_usage('cp_410_both'), creator_platform.revoke_maintenance('cp_410_both')$$,
                'revoking what a role does not hold is no error');
SELECT lives_ok('DROP ROLE cp_410_both', '... and the role can be dropped (nothing depends on it any more)');

-- privileges granted by hand are taken back too
GRANT USAGE ON SCHEMA creator_platform TO cp_410_hand;
GRANT SELECT, INSERT ON creator_platform.posts TO cp_410_hand;
GRANT UPDATE (processed_at) ON creator_platform.events TO cp_410_hand;
GRANT EXECUTE ON FUNCTION creator_platform.home_feed(uuid, integer, text) TO cp_410_hand;
SELECT creator_platform.revoke_usage('cp_410_hand');
SELECT is_empty('SELECT * FROM pg_temp.acl_items(''cp_410_hand'')',
                'revoke_usage takes back usage privileges that were granted by hand');

-- the owner's functions are never granted
SELECT creator_platform.grant_usage('cp_410_hand');
SELECT creator_platform.grant_maintenance('cp_410_hand');
SELECT is_empty($$
    SELECT p.oid::regprocedure, a.grantee::regrole FROM creator_platform.privilege_sets ps
      JOIN pg_catalog.pg_proc p ON p.oid = CASE WHEN ps.object_type = 'ROUTINE' THEN to_regprocedure(ps.object_name) END
     CROSS JOIN LATERAL aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
     WHERE ps.grant_set = 'owner' AND a.grantee <> p.proowner
  $$, 'with every set granted to someone, the owner''s functions are still executable by the owner alone');
SELECT is(has_table_privilege('cp_410_hand', 'creator_platform.cursor_secret', 'SELECT'), false,
          'nor is cursor_secret readable by a role that holds both sets');
SELECT is(has_table_privilege('cp_410_hand', 'creator_platform.events', 'INSERT')
          OR has_sequence_privilege('cp_410_hand', 'creator_platform.events_id_seq', 'USAGE'), false,
          'nor may it write events directly (the outbox is the database''s)');
SELECT is(has_table_privilege('cp_410_hand', 'creator_platform.posts_archive', 'TRUNCATE')
          OR has_table_privilege('cp_410_hand', 'creator_platform.posts', 'TRUNCATE')
          OR has_table_privilege('cp_410_hand', 'creator_platform.comments', 'TRUNCATE'), false,
          'nor TRUNCATE anything');

--------------------------------------------------------------------------------
-- the maintenance policies follow the maintenance grants
--------------------------------------------------------------------------------
SELECT set_eq('SELECT policy, roles FROM pg_temp.maintenance_policy_roles()',
              format($$VALUES ('posts_maintenance', %1$L), ('posts_archive_maintenance', %1$L),
                              ('comments_maintenance', %1$L), ('comments_archive_maintenance', %1$L)$$,
                     (SELECT string_agg(r, ',' ORDER BY r) FROM unnest(ARRAY[
                         (SELECT e.extowner::regrole::text FROM pg_catalog.pg_extension e WHERE e.extname = 'creator_platform'),
                         'cp_410_hand', 'cp_410_maint']) r)),
              'the four maintenance policies are for the owner and every role that holds maintenance (not the usage role)');
SELECT creator_platform.revoke_maintenance('cp_410_maint');
SELECT creator_platform.revoke_maintenance('cp_410_hand');
SELECT set_eq('SELECT policy, roles FROM pg_temp.maintenance_policy_roles()',
              format($$VALUES ('posts_maintenance', %1$L), ('posts_archive_maintenance', %1$L),
                              ('comments_maintenance', %1$L), ('comments_archive_maintenance', %1$L)$$,
                     (SELECT e.extowner::regrole::text FROM pg_catalog.pg_extension e WHERE e.extname = 'creator_platform')),
              'after revoke_maintenance they are for the owner alone again');
SELECT is_empty('SELECT * FROM pg_temp.acl_items(''cp_410_maint'')', 'and cp_410_maint holds nothing');
SELECT set_eq('SELECT * FROM pg_temp.acl_items(''cp_410_hand'')', 'SELECT * FROM pg_temp.set_items(ARRAY[''usage''])',
              'and cp_410_hand holds its usage set');

--------------------------------------------------------------------------------
-- the sets say what docs/security.md says
--------------------------------------------------------------------------------
SELECT set_eq($$SELECT ps.object_name FROM creator_platform.privilege_sets ps
                 WHERE ps.grant_set = 'usage' AND ps.object_type = 'TABLE' AND ps.privileges = 'SELECT, INSERT, UPDATE, DELETE'$$,
              ARRAY['creator_platform.users', 'creator_platform.posts', 'creator_platform.comments',
                    'creator_platform.subscriptions'],
              'usage writes exactly the four tables the contract lets applications write');
SELECT set_eq($$SELECT p.proname::text FROM creator_platform.privilege_sets ps
                  JOIN pg_catalog.pg_proc p ON p.oid = CASE WHEN ps.object_type = 'ROUTINE' THEN to_regprocedure(ps.object_name) END
                 WHERE ps.grant_set = 'usage'$$,
              ARRAY['uuid_generate_v7', 'uuid_v7_timestamp', 'publish_post', 'schedule_post', 'publish_due_posts',
                    'subscribe', 'cancel_subscription', 'add_comment', 'delete_comment', 'claim_events',
                    'creator_posts', 'home_feed', 'recent_posts', 'post_view', 'comment_thread', 'subscriptions_of',
                    'subscribers_of', 'viewer_id', 'viewer_is_admin', 'viewer_subscriptions'],
              'usage executes the contract''s functions and the viewer functions of the policies');
SELECT set_eq($$SELECT p.proname::text FROM creator_platform.privilege_sets ps
                  JOIN pg_catalog.pg_proc p ON p.oid = CASE WHEN ps.object_type = 'ROUTINE' THEN to_regprocedure(ps.object_name) END
                 WHERE ps.grant_set = 'maintenance'$$,
              ARRAY['archive_posts', 'archive_old_posts', 'restore_post', 'refresh_stats', 'reconcile_counters',
                    'health_report', 'purge_processed_events', 'archive_cutoff', 'maintenance_jobs',
                    'schedule_maintenance', 'unschedule_maintenance', '_cron_route', '_cron_conninfo'],
              'maintenance executes archiving, statistics, reconciliation, monitoring and the pg_cron functions');

SELECT * FROM finish();
ROLLBACK;
