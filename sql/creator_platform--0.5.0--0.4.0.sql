-- creator_platform 0.5.0 -> 0.4.0: the downgrade (rollback) of 0.5.0.
--
--   ALTER EXTENSION creator_platform UPDATE TO '0.4.0';
--
-- Undoes sql/creator_platform--0.4.0--0.5.0.sql section by section, in reverse
-- order, so that the catalog equals a fresh install of 0.4.0
-- (test/tap/downgrade.sh compares the footprints). See docs/migrations.md,
-- "Rollback". The shared library stays the 0.5.0 one: its C functions are a
-- superset of 0.4.0's, so the 0.4.0 SQL runs against it unchanged.
--
-- Data: no row of users, posts, comments, subscriptions, the archive, events,
-- creator_activity or cursor_secret is touched. What goes:
--   * the rows of privilege_sets (the table is dropped; 0.4.0 has none);
--   * the row-level security policies; RLS is turned off on posts,
--     posts_archive, comments and comments_archive if enable_row_security()
--     had turned it on (0.4.0 has no policies: with RLS on and no policy,
--     every role but the owner would see no row);
--   * the grant functions. Privileges that grant_usage / grant_maintenance
--     gave to application roles are KEPT (0.4.0 apps were granted by hand,
--     and a rollback must not lock the running application out); EXECUTE
--     goes back to PUBLIC on the functions that 0.4.0 left open. Run
--     revoke_usage / revoke_maintenance before the downgrade to remove them.
-- Not undone: nothing of the catalog; but feed cursors handed out by 0.5.0
-- for subscriptions_of / subscribers_of are bound the 0.5.0 way by the C
-- library, which stays, so they keep working.
\echo Use "ALTER EXTENSION creator_platform UPDATE TO '0.4.0'" to load this file. \quit

-- ==== backups: undo ----------------------------------------------------------
-- _cron_route as in 0.4.0 (sql/creator_platform--0.3.0--0.4.0.sql)
CREATE OR REPLACE FUNCTION creator_platform._cron_route(OUT cron_db text, OUT route text, OUT dblink_schema text)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $function$
BEGIN
    cron_db := pg_catalog.current_setting('cron.database_name', true);
    IF cron_db IS NULL THEN
        RAISE EXCEPTION 'pg_cron is not loaded in this cluster'
              USING ERRCODE = '55000',
                    HINT = 'add pg_cron to shared_preload_libraries, set cron.database_name, restart the server and CREATE EXTENSION pg_cron in that database';
    END IF;
    IF cron_db OPERATOR(pg_catalog.=) pg_catalog.current_database() THEN
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension e WHERE e.extname OPERATOR(pg_catalog.=) 'pg_cron') THEN
            RAISE EXCEPTION 'pg_cron is loaded but not installed in database %', cron_db
                  USING ERRCODE = '55000', HINT = 'CREATE EXTENSION pg_cron in database ' || cron_db;
        END IF;
        route := 'local';
        RETURN;
    END IF;
    SELECT n.nspname INTO dblink_schema FROM pg_catalog.pg_extension e
      JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) e.extnamespace
     WHERE e.extname OPERATOR(pg_catalog.=) 'dblink';
    route := CASE WHEN dblink_schema IS NOT NULL THEN 'dblink' END;
END
$function$;

DROP TRIGGER cursor_secret_replace ON creator_platform.cursor_secret;
DROP FUNCTION creator_platform.cursor_secret_replace();

-- cursor_secret and creator_activity leave pg_extension.extconfig: ALTER
-- EXTENSION ... DROP TABLE removes a table from the extension and from
-- extconfig/extcondition (and its initial privileges); ADD TABLE makes it a
-- member again, without a pg_extension_config_dump entry, as in 0.4.0.
ALTER EXTENSION creator_platform DROP TABLE creator_platform.cursor_secret;
ALTER EXTENSION creator_platform ADD TABLE creator_platform.cursor_secret;
ALTER EXTENSION creator_platform DROP TABLE creator_platform.creator_activity;
ALTER EXTENSION creator_platform ADD TABLE creator_platform.creator_activity;
-- ADD TABLE records the tables' ACLs of this moment (with the grants of
-- grant_usage, say) as their initial privileges; 0.4.0 has the record of its
-- REVOKE ALL ... FROM PUBLIC for cursor_secret and none for creator_activity,
-- whose ACL it never set. A record that includes an application role's grant
-- would keep that grant out of every pg_dump.
DELETE FROM pg_catalog.pg_init_privs i
 WHERE i.classoid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
   AND i.objoid OPERATOR(pg_catalog.=) ANY (ARRAY['creator_platform.cursor_secret'::pg_catalog.regclass,
                                                  'creator_platform.creator_activity'::pg_catalog.regclass])
   AND i.privtype OPERATOR(pg_catalog.=) 'e';
INSERT INTO pg_catalog.pg_init_privs (objoid, classoid, objsubid, privtype, initprivs)
SELECT c.oid, 'pg_catalog.pg_class'::pg_catalog.regclass, 0, 'e', pg_catalog.acldefault('r', c.relowner)
  FROM pg_catalog.pg_class c
 WHERE c.oid OPERATOR(pg_catalog.=) 'creator_platform.cursor_secret'::pg_catalog.regclass;

-- ==== row-level security: undo -----------------------------------------------
ALTER TABLE creator_platform.posts DISABLE ROW LEVEL SECURITY;
ALTER TABLE creator_platform.posts_archive DISABLE ROW LEVEL SECURITY;
ALTER TABLE creator_platform.comments DISABLE ROW LEVEL SECURITY;
ALTER TABLE creator_platform.comments_archive DISABLE ROW LEVEL SECURITY;
DROP POLICY posts_viewer ON creator_platform.posts;
DROP POLICY posts_archive_viewer ON creator_platform.posts_archive;
DROP POLICY comments_viewer ON creator_platform.comments;
DROP POLICY comments_archive_viewer ON creator_platform.comments_archive;
DROP POLICY posts_maintenance ON creator_platform.posts;
DROP POLICY posts_archive_maintenance ON creator_platform.posts_archive;
DROP POLICY comments_maintenance ON creator_platform.comments;
DROP POLICY comments_archive_maintenance ON creator_platform.comments_archive;
DROP FUNCTION creator_platform.enable_row_security();
DROP FUNCTION creator_platform.disable_row_security();
DROP FUNCTION creator_platform._sync_row_security_roles();
DROP FUNCTION creator_platform.viewer_subscriptions();
DROP FUNCTION creator_platform.viewer_is_admin();
DROP FUNCTION creator_platform.viewer_id();

-- ==== privileges: undo -------------------------------------------------------
DROP FUNCTION creator_platform.grant_usage(regrole);
DROP FUNCTION creator_platform.revoke_usage(regrole);
DROP FUNCTION creator_platform.grant_maintenance(regrole);
DROP FUNCTION creator_platform.revoke_maintenance(regrole);
DROP FUNCTION creator_platform._set_privileges(regrole, text, boolean);
DROP FUNCTION creator_platform._holds_grant_set(regrole, text);
DROP FUNCTION creator_platform._require_owner(text);
DROP TABLE creator_platform.privilege_sets;

-- EXECUTE back to PUBLIC on every function 0.4.0 left open, those whose ACL
-- a fresh 0.4.0 leaves NULL (the ones 0.4.0 revoked itself stay revoked).
-- Grants to other roles are kept (see the top).
--
-- pg_init_privs: 0.5.0's REVOKE, run by an extension script, recorded each of
-- these functions' ACL at that moment as its initial privileges, and the
-- GRANT here, also run by an extension script, records it again. A fresh
-- 0.4.0 has no record for them (their ACL was never set), and pg_dump dumps
-- the difference between a record (or, without one, the default) and the
-- ACL: a record that includes an application role's grant would keep that
-- grant out of every dump. No SQL command removes the record of a member
-- object (ALTER EXTENSION ... ADD records the ACL again), so it is deleted
-- here. (ALTER EXTENSION UPDATE runs as a superuser: the extension is
-- superuser = true.)
DO $grant$
DECLARE
    f regprocedure;
BEGIN
    FOREACH f IN ARRAY ARRAY[
        'creator_platform.uuid_generate_v7()',
        'creator_platform.uuid_v7_timestamp(uuid)',
        'creator_platform.set_updated_at()',
        'creator_platform.comments_before_insert()',
        'creator_platform.comments_before_update()',
        'creator_platform.comments_after_insert()',
        'creator_platform.comments_after_update()',
        'creator_platform.comments_after_delete()',
        'creator_platform.comments_after_truncate()',
        'creator_platform.counter_guard()',
        'creator_platform.add_comment(uuid,uuid,text,uuid)',
        'creator_platform.delete_comment(uuid)',
        'creator_platform.users_before_delete()',
        'creator_platform.enforce_post_lifecycle()',
        'creator_platform.enforce_subscription_state()',
        'creator_platform.publish_post(uuid)',
        'creator_platform.schedule_post(uuid,timestamp with time zone)',
        'creator_platform.publish_due_posts()',
        'creator_platform.subscribe(uuid,uuid)',
        'creator_platform.cancel_subscription(uuid,uuid)',
        'creator_platform.claim_events(integer)',
        'creator_platform.creator_posts(uuid,uuid,integer,text)',
        'creator_platform.home_feed(uuid,integer,text)',
        'creator_platform.recent_posts(uuid,integer,text)',
        'creator_platform.post_view(uuid,uuid)',
        'creator_platform.comment_thread(uuid,integer,text,integer,uuid)',
        'creator_platform.subscriptions_of(uuid,creator_platform.subscription_status,integer,text)',
        'creator_platform.subscribers_of(uuid,creator_platform.subscription_status,integer,text)',
        'creator_platform.archive_read_only()',
        'creator_platform.users_before_delete_archive()',
        'creator_platform.archive_posts(timestamp with time zone,integer)',
        'creator_platform.archive_old_posts(timestamp with time zone,integer)',
        'creator_platform.restore_post(uuid)',
        'creator_platform.health_report()',
        'creator_platform.archive_cutoff()',
        'creator_platform.maintenance_jobs(text)'
    ]::pg_catalog.regprocedure[]
    LOOP
        EXECUTE pg_catalog.format('GRANT EXECUTE ON ROUTINE %s TO PUBLIC', f);
        DELETE FROM pg_catalog.pg_init_privs i
         WHERE i.classoid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
           AND i.objoid OPERATOR(pg_catalog.=) f
           AND i.objsubid OPERATOR(pg_catalog.=) 0
           AND i.privtype OPERATOR(pg_catalog.=) 'e';
    END LOOP;
END
$grant$;

-- SECURITY INVOKER again, and the search_path settings of 0.4.0
ALTER FUNCTION creator_platform.comments_before_insert() SECURITY INVOKER RESET search_path;
ALTER FUNCTION creator_platform.comments_after_insert() SECURITY INVOKER RESET search_path;
ALTER FUNCTION creator_platform.comments_after_update() SECURITY INVOKER RESET search_path;
ALTER FUNCTION creator_platform.comments_after_delete() SECURITY INVOKER RESET search_path;
ALTER FUNCTION creator_platform.comments_after_truncate() SECURITY INVOKER RESET search_path;
ALTER FUNCTION creator_platform.users_before_delete() SECURITY INVOKER;
ALTER FUNCTION creator_platform.users_before_delete_archive() SECURITY INVOKER RESET search_path;
ALTER FUNCTION creator_platform.publish_due_posts() SECURITY INVOKER;
ALTER FUNCTION creator_platform.refresh_stats() SECURITY INVOKER;

-- the comments of 0.4.0
COMMENT ON FUNCTION creator_platform.comments_before_insert() IS
    'BEFORE INSERT row trigger on comments: the post is published, the parent is a live comment of the same post, depth <= creator_platform.max_comment_depth; sets depth, path and reply_count';
COMMENT ON FUNCTION creator_platform.comments_after_insert() IS
    'AFTER INSERT statement trigger on comments: comment_count and reply_count once per statement in id order, comment_added events and NOTIFY';
COMMENT ON FUNCTION creator_platform.comments_after_update() IS
    'AFTER UPDATE statement trigger on comments: comment_count follows comments that become or stop being placeholders';
COMMENT ON FUNCTION creator_platform.comments_after_delete() IS
    'AFTER DELETE statement trigger on comments: comment_count and reply_count once per statement';
COMMENT ON FUNCTION creator_platform.comments_after_truncate() IS
    'AFTER TRUNCATE statement trigger on comments: every comment_count becomes 0';
COMMENT ON FUNCTION creator_platform.users_before_delete() IS
    'BEFORE DELETE row trigger on users: the user''s posts are deleted with their comments; the user''s comments with replies become anonymous placeholders, the others are removed (the archive: users_before_delete_archive)';
COMMENT ON FUNCTION creator_platform.enforce_owner_role() IS
    'BEFORE INSERT/UPDATE row trigger on posts and subscriptions: creator_id must be a user with role creator or admin (23514); locks that user FOR KEY SHARE so a concurrent change of role to reader waits';
COMMENT ON FUNCTION creator_platform.enforce_reader_demotion() IS
    'BEFORE UPDATE row trigger on users, when role becomes reader: refuses (23514) if the user owns posts (live or archived) or is the creator of any subscription';
COMMENT ON FUNCTION creator_platform.emit_post_published_inserted() IS
    'AFTER INSERT statement trigger on posts (transition table new_posts): one post_published event {post_id, creator_id} and one NOTIFY creator_platform_events per post inserted as published; none for a post restore_post brings back';
COMMENT ON FUNCTION creator_platform.emit_post_published_updated() IS
    'AFTER UPDATE row trigger on posts, when a post becomes published: a post_published event {post_id, creator_id} and NOTIFY creator_platform_events';
COMMENT ON FUNCTION creator_platform.emit_subscription_started() IS
    'AFTER INSERT statement trigger on subscriptions (transition table new_subscriptions): one subscription_started event {subscription_id, subscriber_id, creator_id} and one NOTIFY creator_platform_events per active row inserted';
COMMENT ON FUNCTION creator_platform.emit_subscription_cancelled() IS
    'AFTER UPDATE row trigger on subscriptions, when one goes active->cancelled: a subscription_cancelled event {subscription_id, subscriber_id, creator_id} and NOTIFY creator_platform_events';
COMMENT ON FUNCTION creator_platform.publish_due_posts() IS
    'Publishes every scheduled post whose published_at has come, keeping that time; returns how many. Safe to run concurrently: posts locked by another run are skipped';
COMMENT ON FUNCTION creator_platform.track_creator_activity() IS
    'AFTER trigger on posts: raises creator_activity.last_published_at when posts are published';
COMMENT ON FUNCTION creator_platform.users_before_delete_archive() IS
    'BEFORE DELETE row trigger on users: the user''s archived posts are deleted with every comment on them; their archived comments on other posts become anonymous placeholders, and those posts'' comment_count follows';
COMMENT ON FUNCTION creator_platform.refresh_stats() IS
    'Refreshes creator_stats and trending_posts CONCURRENTLY (readers and writers are not blocked) and records the run in maintenance_log; for the owner of the views';
COMMENT ON FUNCTION creator_platform._cron_route() IS
    'Internal: the database pg_cron lives in and how schedule_maintenance reaches it';

-- ==== maintenance: undo ------------------------------------------------------
-- purge_processed_events as in 0.4.0 (sql/creator_platform--0.3.0--0.4.0.sql)
CREATE OR REPLACE FUNCTION creator_platform.purge_processed_events(older_than interval DEFAULT '7 days')
RETURNS bigint
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $function$
DECLARE
    n bigint;
BEGIN
    IF older_than IS NULL OR older_than OPERATOR(pg_catalog.<) interval '0' THEN
        RAISE EXCEPTION 'older_than must be an interval of zero or more, not %', coalesce(older_than::text, 'NULL')
              USING ERRCODE = '22023';
    END IF;
    DELETE FROM creator_platform.events e
     WHERE e.processed_at OPERATOR(pg_catalog.<) (pg_catalog.now() OPERATOR(pg_catalog.-) older_than);
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$function$;

-- ==== comments: undo ---------------------------------------------------------
-- delete_comment as in 0.4.0 (sql/creator_platform--0.1.0--0.2.0.sql)
CREATE OR REPLACE FUNCTION creator_platform.delete_comment(comment_id uuid) RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $function$
DECLARE
    v_post    uuid;
    v_replies integer;
    v_deleted timestamptz;
BEGIN
    IF delete_comment.comment_id IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'comment_id must not be NULL';
    END IF;
    -- The one lock order: the comment, then its post. A reply being added to
    -- this comment locks it (to count itself) before it commits, so the
    -- reply_count read here under the lock is final.
    SELECT c.post_id, c.reply_count, c.deleted_at INTO v_post, v_replies, v_deleted
      FROM creator_platform.comments c
     WHERE c.id OPERATOR(pg_catalog.=) delete_comment.comment_id
       FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        IF EXISTS (SELECT 1 FROM creator_platform.comments_archive a
                    WHERE a.id OPERATOR(pg_catalog.=) delete_comment.comment_id) THEN
            RAISE EXCEPTION USING ERRCODE = '55000',
                MESSAGE = pg_catalog.format('comment %s is archived', delete_comment.comment_id),
                HINT = 'restore its post with creator_platform.restore_post() first';
        END IF;
        RETURN;  -- already gone: deleting is idempotent
    END IF;
    PERFORM 1 FROM creator_platform.posts p WHERE p.id OPERATOR(pg_catalog.=) v_post FOR NO KEY UPDATE;
    IF v_replies OPERATOR(pg_catalog.>) 0 THEN
        IF v_deleted IS NULL THEN
            UPDATE creator_platform.comments c SET content = '', deleted_at = pg_catalog.now()
             WHERE c.id OPERATOR(pg_catalog.=) delete_comment.comment_id;
        END IF;
    ELSE
        DELETE FROM creator_platform.comments c WHERE c.id OPERATOR(pg_catalog.=) delete_comment.comment_id;
    END IF;
END
$function$;
