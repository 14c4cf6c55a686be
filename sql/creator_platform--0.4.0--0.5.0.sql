-- creator_platform 0.4.0 -> 0.5.0: hardening (least privilege, opt-in row-level
-- security, backups) and faster archiving.
-- (in progress: this script is still open for changes until 0.5.0 is released)
\echo Use "ALTER EXTENSION creator_platform UPDATE TO '0.5.0'" to load this file. \quit

-- ==== comments: begin
--------------------------------------------------------------------------------
-- delete_comment takes the one lock order (comment rows in id order, then the
-- post). It used to lock the comment, then the post, and its DELETE's counter
-- trigger then locked the comment's parent (to lower its reply_count) after
-- the post, while a reply to that parent locks the parent, then the post: a
-- deadlock (found by test/tap/load.sh; the permutation with s2_delete_q1 in
-- test/isolation/specs/reply_vs_delete.spec replays it). Now it locks the
-- comment and its parent together in id order, reads reply_count under that
-- lock, then locks the post.
--------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION creator_platform.delete_comment(comment_id uuid) RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $function$
DECLARE
    v_post    uuid;
    v_parent  uuid;
    v_replies integer;
    v_deleted timestamptz;
BEGIN
    IF delete_comment.comment_id IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'comment_id must not be NULL';
    END IF;
    -- post_id and parent_comment_id never change (55000): read without a lock
    SELECT c.post_id, c.parent_comment_id INTO v_post, v_parent
      FROM creator_platform.comments c
     WHERE c.id OPERATOR(pg_catalog.=) delete_comment.comment_id;
    IF NOT FOUND THEN
        IF EXISTS (SELECT 1 FROM creator_platform.comments_archive a
                    WHERE a.id OPERATOR(pg_catalog.=) delete_comment.comment_id) THEN
            RAISE EXCEPTION USING ERRCODE = '55000',
                MESSAGE = pg_catalog.format('comment %s is archived', delete_comment.comment_id),
                HINT = 'restore its post with creator_platform.restore_post() first';
        END IF;
        RETURN;  -- already gone: deleting is idempotent
    END IF;
    -- The one lock order: the comment and its parent (whose reply_count the
    -- deletion lowers), in id order, then the post. A reply being added to
    -- this comment locks it (to count itself) before it commits, so the
    -- reply_count read below, under the lock, is final.
    PERFORM 1 FROM creator_platform.comments c
      WHERE c.id OPERATOR(pg_catalog.=) ANY (ARRAY[delete_comment.comment_id, v_parent])
      ORDER BY c.id
        FOR NO KEY UPDATE;
    SELECT c.reply_count, c.deleted_at INTO v_replies, v_deleted
      FROM creator_platform.comments c
     WHERE c.id OPERATOR(pg_catalog.=) delete_comment.comment_id;
    IF NOT FOUND THEN
        RETURN;  -- deleted (or archived with its post) while this call waited
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
-- ==== comments: end

-- ==== maintenance: begin
--------------------------------------------------------------------------------
-- purge_processed_events: an interval so long that now() minus it is before
-- the earliest timestamp raised 22008; nothing is that old, so it purges
-- nothing and returns 0 (test/pgtap/402_hostile_values.sql).
--------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION creator_platform.purge_processed_events(older_than interval DEFAULT '7 days')
RETURNS bigint
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $function$
DECLARE
    n bigint;
    cutoff timestamptz;
BEGIN
    IF older_than IS NULL OR older_than OPERATOR(pg_catalog.<) interval '0' THEN
        RAISE EXCEPTION 'older_than must be an interval of zero or more, not %', coalesce(older_than::text, 'NULL')
              USING ERRCODE = '22023';
    END IF;
    BEGIN
        cutoff := pg_catalog.now() OPERATOR(pg_catalog.-) older_than;
    EXCEPTION WHEN datetime_field_overflow THEN
        RETURN 0;  -- before the earliest timestamp: no event is that old
    END;
    DELETE FROM creator_platform.events e WHERE e.processed_at OPERATOR(pg_catalog.<) cutoff;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$function$;
-- ==== maintenance: end

-- ==== archiving: begin
-- ==== archiving: end

-- ==== privileges: begin
--------------------------------------------------------------------------------
-- Least privilege (docs/security.md). Nothing of the extension is open to
-- PUBLIC: an application role gets everything the contract lets it do with
-- one call, creator_platform.grant_usage(role); the maintenance functions
-- (archiving, statistics, reconciliation, pg_cron jobs) need a separate one,
-- creator_platform.grant_maintenance(role). What each grants is data, in
-- creator_platform.privilege_sets, which also names every other function,
-- table, view and sequence of the extension as 'owner' (only the extension's
-- owner and superusers use it): test/pgtap/410_privileges.sql fails on an
-- object that is in no set.
--
-- Name resolution. Every SQL and PL/pgSQL function pins search_path =
-- pg_catalog, pg_temp, and so does every SECURITY DEFINER function. C
-- functions that resolve no name through search_path (they name everything
-- with its schema, or open relations by OID) are left unpinned, because a SET
-- clause costs a GUC save and restore on every call of the hot feeds; they
-- are listed, with the reason, in test/pgtap/413_search_path.sql, which also
-- runs them under a hostile search_path.
-- Every SECURITY DEFINER function says why in its COMMENT ('SECURITY DEFINER
-- because ...').
--------------------------------------------------------------------------------

--------------------------------------------------------------------------------
-- SECURITY DEFINER where the extension's own code must see or write rows that
-- the calling role may not: trigger functions that keep counters and the
-- archive, or that look at other rows, and the two functions whose whole job
-- is over every row (publish_due_posts) or needs the owner (refresh_stats).
-- Under row-level security (below) a SECURITY INVOKER trigger would read
-- only the rows the application's viewer may see: a comment on a hidden post
-- would read as "post does not exist", a counter of a hidden post would not
-- be updated, and deleting a user would miss their comments on hidden posts.
-- The owner is not subject to the policies (they are not FORCEd), as a
-- foreign key's checks and actions are not.
--------------------------------------------------------------------------------
ALTER FUNCTION creator_platform.comments_before_insert() SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION creator_platform.comments_after_insert() SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION creator_platform.comments_after_update() SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION creator_platform.comments_after_delete() SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION creator_platform.comments_after_truncate() SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION creator_platform.users_before_delete() SECURITY DEFINER;
ALTER FUNCTION creator_platform.users_before_delete_archive() SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION creator_platform.publish_due_posts() SECURITY DEFINER;
ALTER FUNCTION creator_platform.refresh_stats() SECURITY DEFINER;

COMMENT ON FUNCTION creator_platform.comments_before_insert() IS
    'BEFORE INSERT row trigger on comments: the post is published, the parent is a live comment of the same post, depth <= creator_platform.max_comment_depth; sets depth, path and reply_count. SECURITY DEFINER because it must see the post and the parent whatever the inserting role may read: under row-level security a post hidden from the viewer would read as missing (23503) instead of, say, a draft (55000)';
COMMENT ON FUNCTION creator_platform.comments_after_insert() IS
    'AFTER INSERT statement trigger on comments: comment_count and reply_count once per statement in id order, comment_added events and NOTIFY. SECURITY DEFINER because it updates counters of rows the inserting role may not see (row-level security) and writes the outbox, on which applications have no INSERT privilege';
COMMENT ON FUNCTION creator_platform.comments_after_update() IS
    'AFTER UPDATE statement trigger on comments: comment_count follows comments that become or stop being placeholders. SECURITY DEFINER because the posts it counts in may be hidden from the updating role by row-level security';
COMMENT ON FUNCTION creator_platform.comments_after_delete() IS
    'AFTER DELETE statement trigger on comments: comment_count and reply_count once per statement. SECURITY DEFINER because the posts and comments it counts in may be hidden from the deleting role by row-level security';
COMMENT ON FUNCTION creator_platform.comments_after_truncate() IS
    'AFTER TRUNCATE statement trigger on comments: every comment_count becomes 0. SECURITY DEFINER because it must reach every post, also those row-level security hides from the truncating role';
COMMENT ON FUNCTION creator_platform.users_before_delete() IS
    'BEFORE DELETE row trigger on users: the user''s posts are deleted with their comments; the user''s comments with replies become anonymous placeholders, the others are removed (the archive: users_before_delete_archive). SECURITY DEFINER because it must reach every post and comment of the user: a comment that row-level security hid from the deleting role would be left with an author that the foreign key then sets NULL, which no live comment may have';
COMMENT ON FUNCTION creator_platform.users_before_delete_archive() IS
    'BEFORE DELETE row trigger on users: the user''s archived posts are deleted with every comment on them; their archived comments on other posts become anonymous placeholders, and those posts'' comment_count follows. SECURITY DEFINER because it writes the archive, which applications may only read, and must reach rows row-level security may hide';
COMMENT ON FUNCTION creator_platform.publish_due_posts() IS
    'Publishes every scheduled post whose published_at has come, keeping that time; returns how many. Safe to run concurrently: posts locked by another run are skipped. SECURITY DEFINER because it must see every due post, which row-level security hides from all but each post''s creator; it takes no argument and publishes exactly what the schedule says';
COMMENT ON FUNCTION creator_platform.refresh_stats() IS
    'Refreshes creator_stats and trending_posts CONCURRENTLY (readers and writers are not blocked) and records the run in maintenance_log. SECURITY DEFINER because REFRESH MATERIALIZED VIEW needs the owner of the views; EXECUTE is given by grant_maintenance() only';

-- The SECURITY DEFINER functions of 0.2.0 and 0.3.0 say why, too.
COMMENT ON FUNCTION creator_platform.enforce_owner_role() IS
    'BEFORE INSERT/UPDATE row trigger on posts and subscriptions: creator_id must be a user with role creator or admin (23514); locks that user FOR KEY SHARE so a concurrent change of role to reader waits. SECURITY DEFINER because that lock needs UPDATE on users, which the inserting role need not have (a foreign key check runs as the owner too)';
COMMENT ON FUNCTION creator_platform.enforce_reader_demotion() IS
    'BEFORE UPDATE row trigger on users, when role becomes reader: refuses (23514) if the user owns posts (live or archived) or is the creator of any subscription. SECURITY DEFINER because it must see every such row, also those the updating role may not read or row-level security hides';
COMMENT ON FUNCTION creator_platform.emit_post_published_inserted() IS
    'AFTER INSERT statement trigger on posts (transition table new_posts): one post_published event {post_id, creator_id} and one NOTIFY creator_platform_events per post inserted as published; none for a post restore_post brings back. SECURITY DEFINER because it writes the outbox (events and its sequence), on which applications have no INSERT privilege';
COMMENT ON FUNCTION creator_platform.emit_post_published_updated() IS
    'AFTER UPDATE row trigger on posts, when a post becomes published: a post_published event {post_id, creator_id} and NOTIFY creator_platform_events. SECURITY DEFINER because it writes the outbox (events and its sequence), on which applications have no INSERT privilege';
COMMENT ON FUNCTION creator_platform.emit_subscription_started() IS
    'AFTER INSERT statement trigger on subscriptions (transition table new_subscriptions): one subscription_started event {subscription_id, subscriber_id, creator_id} and one NOTIFY creator_platform_events per active row inserted. SECURITY DEFINER because it writes the outbox (events and its sequence), on which applications have no INSERT privilege';
COMMENT ON FUNCTION creator_platform.emit_subscription_cancelled() IS
    'AFTER UPDATE row trigger on subscriptions, when one goes active->cancelled: a subscription_cancelled event {subscription_id, subscriber_id, creator_id} and NOTIFY creator_platform_events. SECURITY DEFINER because it writes the outbox (events and its sequence), on which applications have no INSERT privilege';
COMMENT ON FUNCTION creator_platform.track_creator_activity() IS
    'AFTER trigger on posts: raises creator_activity.last_published_at when posts are published. SECURITY DEFINER because applications may only read creator_activity';

--------------------------------------------------------------------------------
-- Nothing is executable by PUBLIC. (Tables, views and sequences never were;
-- the types stay usable by everyone, as built-in types are.)
--------------------------------------------------------------------------------
DO $revoke$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid FROM pg_catalog.pg_proc p
              WHERE p.pronamespace OPERATOR(pg_catalog.=) 'creator_platform'::pg_catalog.regnamespace
              ORDER BY p.oid
    LOOP
        EXECUTE pg_catalog.format('REVOKE ALL ON ROUTINE %s FROM PUBLIC', f);
    END LOOP;
END
$revoke$;
-- A GRANT or REVOKE in an extension script records the object's whole ACL as
-- the privileges the extension started with (pg_init_privs), and pg_dump
-- leaves those out. On a database updated from 0.4.0, where an administrator
-- may have granted EXECUTE (or table privileges) to other roles by hand, the
-- REVOKE above would turn those grants into "initial" ones, and a dump would
-- lose them. Keep only the owner's and PUBLIC's entries there: a grant to any
-- other role stays the database's, and is dumped. (A fresh install has none:
-- no-op.)
UPDATE pg_catalog.pg_init_privs ip
   SET initprivs = COALESCE((SELECT pg_catalog.array_agg(a.item)
                               FROM pg_catalog.unnest(ip.initprivs) AS a(item)
                              WHERE (SELECT x.grantee FROM pg_catalog.aclexplode(ARRAY[a.item]) AS x LIMIT 1)
                                    OPERATOR(pg_catalog.=) ANY (ARRAY[o.owner, 0::pg_catalog.oid])),
                            '{}'::pg_catalog.aclitem[])
  FROM (SELECT p.oid, p.proowner AS owner, 'pg_catalog.pg_proc'::pg_catalog.regclass AS cls
          FROM pg_catalog.pg_proc p
         WHERE p.pronamespace OPERATOR(pg_catalog.=) 'creator_platform'::pg_catalog.regnamespace
        UNION ALL
        SELECT c.oid, c.relowner, 'pg_catalog.pg_class'::pg_catalog.regclass
          FROM pg_catalog.pg_class c
         WHERE c.relnamespace OPERATOR(pg_catalog.=) 'creator_platform'::pg_catalog.regnamespace) AS o
 WHERE ip.objoid OPERATOR(pg_catalog.=) o.oid
   AND ip.classoid OPERATOR(pg_catalog.=) o.cls
   AND ip.objsubid OPERATOR(pg_catalog.=) 0
   AND EXISTS (SELECT FROM pg_catalog.aclexplode(ip.initprivs) AS x
                WHERE NOT (x.grantee OPERATOR(pg_catalog.=) ANY (ARRAY[o.owner, 0::pg_catalog.oid])));

--------------------------------------------------------------------------------
-- The grant sets: what grant_usage and grant_maintenance give, and which
-- objects are the owner's alone. One row per object and set; object_name is
-- schema-qualified, routines with their argument types; privileges is the
-- privilege list of a GRANT (NULL for the owner's objects).
--------------------------------------------------------------------------------
CREATE TABLE creator_platform.privilege_sets (
    grant_set   text NOT NULL,
    object_type text NOT NULL,
    object_name text NOT NULL,
    privileges  text,
    CONSTRAINT privilege_sets_pkey PRIMARY KEY (grant_set, object_type, object_name),
    CONSTRAINT privilege_sets_grant_set CHECK (grant_set OPERATOR(pg_catalog.=) ANY (ARRAY['usage', 'maintenance', 'owner'])),
    CONSTRAINT privilege_sets_object_type CHECK (object_type OPERATOR(pg_catalog.=) ANY (ARRAY['SCHEMA', 'ROUTINE', 'TABLE', 'SEQUENCE'])),
    CONSTRAINT privilege_sets_owner_gets_nothing CHECK ((grant_set OPERATOR(pg_catalog.=) 'owner') = (privileges IS NULL))
);
COMMENT ON TABLE creator_platform.privilege_sets IS
    'What grant_usage() and grant_maintenance() grant (grant_set usage / maintenance), and the objects only the extension''s owner uses (owner); every function, table, view and sequence of the extension is listed';
COMMENT ON COLUMN creator_platform.privilege_sets.object_name IS
    'Schema-qualified; a routine with its argument types, as regprocedure reads it';
COMMENT ON COLUMN creator_platform.privilege_sets.privileges IS
    'The privilege list of the GRANT (e.g. SELECT, UPDATE (processed_at)); NULL for the owner''s objects';

INSERT INTO creator_platform.privilege_sets (grant_set, object_type, object_name, privileges) VALUES
    -- usage: every application path of the contract
    ('usage', 'SCHEMA', 'creator_platform', 'USAGE'),
    ('usage', 'TABLE', 'creator_platform.users', 'SELECT, INSERT, UPDATE, DELETE'),
    ('usage', 'TABLE', 'creator_platform.posts', 'SELECT, INSERT, UPDATE, DELETE'),
    ('usage', 'TABLE', 'creator_platform.comments', 'SELECT, INSERT, UPDATE, DELETE'),
    ('usage', 'TABLE', 'creator_platform.subscriptions', 'SELECT, INSERT, UPDATE, DELETE'),
    ('usage', 'TABLE', 'creator_platform.posts_archive', 'SELECT'),
    ('usage', 'TABLE', 'creator_platform.comments_archive', 'SELECT'),
    ('usage', 'TABLE', 'creator_platform.creator_activity', 'SELECT'),
    ('usage', 'TABLE', 'creator_platform.events', 'SELECT, UPDATE (processed_at)'),
    ('usage', 'TABLE', 'creator_platform.creator_stats', 'SELECT'),
    ('usage', 'TABLE', 'creator_platform.trending_posts', 'SELECT'),
    ('usage', 'ROUTINE', 'creator_platform.uuid_generate_v7()', 'EXECUTE'),
    ('usage', 'ROUTINE', 'creator_platform.uuid_v7_timestamp(uuid)', 'EXECUTE'),
    ('usage', 'ROUTINE', 'creator_platform.publish_post(uuid)', 'EXECUTE'),
    ('usage', 'ROUTINE', 'creator_platform.schedule_post(uuid, timestamp with time zone)', 'EXECUTE'),
    ('usage', 'ROUTINE', 'creator_platform.publish_due_posts()', 'EXECUTE'),
    ('usage', 'ROUTINE', 'creator_platform.subscribe(uuid, uuid)', 'EXECUTE'),
    ('usage', 'ROUTINE', 'creator_platform.cancel_subscription(uuid, uuid)', 'EXECUTE'),
    ('usage', 'ROUTINE', 'creator_platform.add_comment(uuid, uuid, text, uuid)', 'EXECUTE'),
    ('usage', 'ROUTINE', 'creator_platform.delete_comment(uuid)', 'EXECUTE'),
    ('usage', 'ROUTINE', 'creator_platform.claim_events(integer)', 'EXECUTE'),
    ('usage', 'ROUTINE', 'creator_platform.creator_posts(uuid, uuid, integer, text)', 'EXECUTE'),
    ('usage', 'ROUTINE', 'creator_platform.home_feed(uuid, integer, text)', 'EXECUTE'),
    ('usage', 'ROUTINE', 'creator_platform.recent_posts(uuid, integer, text)', 'EXECUTE'),
    ('usage', 'ROUTINE', 'creator_platform.post_view(uuid, uuid)', 'EXECUTE'),
    ('usage', 'ROUTINE', 'creator_platform.comment_thread(uuid, integer, text, integer, uuid)', 'EXECUTE'),
    ('usage', 'ROUTINE', 'creator_platform.subscriptions_of(uuid, creator_platform.subscription_status, integer, text)', 'EXECUTE'),
    ('usage', 'ROUTINE', 'creator_platform.subscribers_of(uuid, creator_platform.subscription_status, integer, text)', 'EXECUTE'),
    -- maintenance: archiving, statistics, reconciliation, monitoring, pg_cron jobs
    ('maintenance', 'SCHEMA', 'creator_platform', 'USAGE'),
    -- archiving locks the users its rows refer to FOR KEY SHARE, which needs
    -- UPDATE on some column: updated_at, which set_updated_at overwrites anyway
    ('maintenance', 'TABLE', 'creator_platform.users', 'SELECT, UPDATE (updated_at)'),
    ('maintenance', 'TABLE', 'creator_platform.posts', 'SELECT, INSERT, UPDATE, DELETE'),
    ('maintenance', 'TABLE', 'creator_platform.comments', 'SELECT, INSERT, UPDATE, DELETE'),
    ('maintenance', 'TABLE', 'creator_platform.posts_archive', 'SELECT, INSERT, UPDATE, DELETE'),
    ('maintenance', 'TABLE', 'creator_platform.comments_archive', 'SELECT, INSERT, UPDATE, DELETE'),
    ('maintenance', 'TABLE', 'creator_platform.events', 'SELECT, DELETE'),
    ('maintenance', 'TABLE', 'creator_platform.maintenance_log', 'SELECT, INSERT, UPDATE'),
    ('maintenance', 'TABLE', 'creator_platform.health', 'SELECT'),
    ('maintenance', 'ROUTINE', 'creator_platform.archive_posts(timestamp with time zone, integer)', 'EXECUTE'),
    ('maintenance', 'ROUTINE', 'creator_platform.archive_old_posts(timestamp with time zone, integer)', 'EXECUTE'),
    ('maintenance', 'ROUTINE', 'creator_platform.restore_post(uuid)', 'EXECUTE'),
    ('maintenance', 'ROUTINE', 'creator_platform.refresh_stats()', 'EXECUTE'),
    ('maintenance', 'ROUTINE', 'creator_platform.reconcile_counters(boolean)', 'EXECUTE'),
    ('maintenance', 'ROUTINE', 'creator_platform.health_report()', 'EXECUTE'),
    ('maintenance', 'ROUTINE', 'creator_platform.purge_processed_events(interval)', 'EXECUTE'),
    ('maintenance', 'ROUTINE', 'creator_platform.archive_cutoff()', 'EXECUTE'),
    ('maintenance', 'ROUTINE', 'creator_platform.maintenance_jobs(text)', 'EXECUTE'),
    ('maintenance', 'ROUTINE', 'creator_platform.schedule_maintenance(text)', 'EXECUTE'),
    ('maintenance', 'ROUTINE', 'creator_platform.unschedule_maintenance()', 'EXECUTE'),
    ('maintenance', 'ROUTINE', 'creator_platform._cron_route()', 'EXECUTE'),
    ('maintenance', 'ROUTINE', 'creator_platform._cron_conninfo(text)', 'EXECUTE'),
    -- owner: trigger functions, internal helpers, administration
    ('owner', 'TABLE', 'creator_platform.cursor_secret', NULL),
    ('owner', 'TABLE', 'creator_platform.privilege_sets', NULL),
    ('owner', 'SEQUENCE', 'creator_platform.events_id_seq', NULL),
    ('owner', 'ROUTINE', 'creator_platform._boundary_selftest(text)', NULL),
    ('owner', 'ROUTINE', 'creator_platform._internal_write_active()', NULL),
    ('owner', 'ROUTINE', 'creator_platform.set_updated_at()', NULL),
    ('owner', 'ROUTINE', 'creator_platform.counter_guard()', NULL),
    ('owner', 'ROUTINE', 'creator_platform.comments_before_insert()', NULL),
    ('owner', 'ROUTINE', 'creator_platform.comments_before_update()', NULL),
    ('owner', 'ROUTINE', 'creator_platform.comments_after_insert()', NULL),
    ('owner', 'ROUTINE', 'creator_platform.comments_after_update()', NULL),
    ('owner', 'ROUTINE', 'creator_platform.comments_after_delete()', NULL),
    ('owner', 'ROUTINE', 'creator_platform.comments_after_truncate()', NULL),
    ('owner', 'ROUTINE', 'creator_platform.enforce_owner_role()', NULL),
    ('owner', 'ROUTINE', 'creator_platform.enforce_reader_demotion()', NULL),
    ('owner', 'ROUTINE', 'creator_platform.enforce_post_lifecycle()', NULL),
    ('owner', 'ROUTINE', 'creator_platform.enforce_subscription_state()', NULL),
    ('owner', 'ROUTINE', 'creator_platform.emit_post_published_inserted()', NULL),
    ('owner', 'ROUTINE', 'creator_platform.emit_post_published_updated()', NULL),
    ('owner', 'ROUTINE', 'creator_platform.emit_subscription_started()', NULL),
    ('owner', 'ROUTINE', 'creator_platform.emit_subscription_cancelled()', NULL),
    ('owner', 'ROUTINE', 'creator_platform.track_creator_activity()', NULL),
    ('owner', 'ROUTINE', 'creator_platform.users_before_delete()', NULL),
    ('owner', 'ROUTINE', 'creator_platform.users_before_delete_archive()', NULL),
    ('owner', 'ROUTINE', 'creator_platform.archive_read_only()', NULL),
    ('owner', 'ROUTINE', 'creator_platform.grant_usage(regrole)', NULL),
    ('owner', 'ROUTINE', 'creator_platform.revoke_usage(regrole)', NULL),
    ('owner', 'ROUTINE', 'creator_platform.grant_maintenance(regrole)', NULL),
    ('owner', 'ROUTINE', 'creator_platform.revoke_maintenance(regrole)', NULL),
    ('owner', 'ROUTINE', 'creator_platform._require_owner(text)', NULL),
    ('owner', 'ROUTINE', 'creator_platform._holds_grant_set(regrole, text)', NULL),
    ('owner', 'ROUTINE', 'creator_platform._set_privileges(regrole, text, boolean)', NULL),
    -- (created by the backups section below; a name is only text until a
    -- grant or a test reads it)
    ('owner', 'ROUTINE', 'creator_platform.cursor_secret_replace()', NULL);

--------------------------------------------------------------------------------
-- The grant functions. SECURITY INVOKER: the GRANT and REVOKE statements run
-- as the caller, who must be the extension's owner, a member of it, or a
-- superuser (a superuser's GRANT is recorded as the owner's). A SECURITY
-- DEFINER version would let anyone with EXECUTE hand out the owner's
-- privileges; nobody needs that. EXECUTE is revoked from PUBLIC.
--------------------------------------------------------------------------------

-- 42501 unless the current user may act as the extension's owner.
CREATE FUNCTION creator_platform._require_owner(action text) RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $function$
DECLARE
    owner_oid oid;
BEGIN
    SELECT e.extowner INTO owner_oid FROM pg_catalog.pg_extension e
     WHERE e.extname OPERATOR(pg_catalog.=) 'creator_platform';
    IF NOT pg_catalog.pg_has_role(current_user, owner_oid, 'USAGE') THEN
        RAISE EXCEPTION 'permission denied to %', action
              USING ERRCODE = '42501',
                    DETAIL = pg_catalog.format('Only the owner of extension creator_platform (%s), its members and superusers may; the current user is %s.',
                                               owner_oid::pg_catalog.regrole, current_user),
                    HINT = 'Run it as the role that created the extension.';
    END IF;
END
$function$;
REVOKE ALL ON FUNCTION creator_platform._require_owner(text) FROM PUBLIC;
COMMENT ON FUNCTION creator_platform._require_owner(text) IS
    'Internal: 42501 unless the current user is the extension''s owner, a member of it or a superuser';

-- Whether `role` holds a grant set: a direct EXECUTE on any of its routines.
CREATE FUNCTION creator_platform._holds_grant_set(role regrole, grant_set text) RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
AS $function$
    SELECT EXISTS (
        SELECT 1 FROM creator_platform.privilege_sets ps
          JOIN pg_catalog.pg_proc p
            ON p.oid OPERATOR(pg_catalog.=) CASE WHEN ps.object_type OPERATOR(pg_catalog.=) 'ROUTINE'
                                                 THEN ps.object_name::pg_catalog.regprocedure END
         CROSS JOIN LATERAL pg_catalog.aclexplode(p.proacl) a
         WHERE ps.grant_set OPERATOR(pg_catalog.=) _holds_grant_set.grant_set
           AND a.grantee OPERATOR(pg_catalog.=) _holds_grant_set.role
           AND a.privilege_type OPERATOR(pg_catalog.=) 'EXECUTE')
$function$;
REVOKE ALL ON FUNCTION creator_platform._holds_grant_set(regrole, text) FROM PUBLIC;
COMMENT ON FUNCTION creator_platform._holds_grant_set(regrole, text) IS
    'Internal: whether a role holds a grant set (usage or maintenance), that is a direct EXECUTE on any routine of the set';

-- Grants (give) or revokes a grant set. Both sets give some of the same
-- table privileges (posts, comments, users, events), and REVOKE does not
-- count grants: revoking one set revokes all of its privileges and then gives
-- back those of the other set if the role holds it.
CREATE FUNCTION creator_platform._set_privileges(role regrole, grant_set text, give boolean) RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $function$
DECLARE
    other text;
    keep_other boolean;
    item record;
    target text;
BEGIN
    IF grant_set IS NULL OR grant_set OPERATOR(pg_catalog.<>) ALL (ARRAY['usage', 'maintenance']) OR give IS NULL THEN
        RAISE EXCEPTION 'grant_set must be usage or maintenance, not %', coalesce(grant_set, 'NULL')
              USING ERRCODE = '22023';
    END IF;
    PERFORM creator_platform._require_owner(CASE WHEN give THEN 'grant ' ELSE 'revoke ' END || grant_set);
    IF role IS NULL THEN
        RAISE EXCEPTION 'role must not be NULL' USING ERRCODE = '22023';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) role) THEN
        RAISE EXCEPTION 'role with OID % does not exist', role::oid USING ERRCODE = '22023';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_extension e WHERE e.extname OPERATOR(pg_catalog.=) 'creator_platform'
                  AND e.extowner OPERATOR(pg_catalog.=) role) THEN
        RAISE EXCEPTION 'role % owns extension creator_platform', role
              USING ERRCODE = '22023',
                    DETAIL = 'The owner has every privilege on the extension''s objects; revoking them would lock it out.';
    END IF;
    other := CASE grant_set WHEN 'usage' THEN 'maintenance' ELSE 'usage' END;
    keep_other := NOT give AND creator_platform._holds_grant_set(role, other);
    FOR item IN
        SELECT ps.grant_set, ps.object_type, ps.object_name, ps.privileges
          FROM creator_platform.privilege_sets ps
         WHERE ps.grant_set OPERATOR(pg_catalog.=) _set_privileges.grant_set
            OR (keep_other AND ps.grant_set OPERATOR(pg_catalog.=) other)
         ORDER BY ps.grant_set OPERATOR(pg_catalog.=) other, ps.object_type, ps.object_name
    LOOP
        target := CASE item.object_type
                      WHEN 'ROUTINE' THEN item.object_name::pg_catalog.regprocedure::text
                      WHEN 'SCHEMA' THEN pg_catalog.quote_ident(item.object_name)
                      ELSE item.object_name::pg_catalog.regclass::text END;
        IF give OR item.grant_set OPERATOR(pg_catalog.=) other THEN
            EXECUTE pg_catalog.format('GRANT %s ON %s %s TO %s', item.privileges, item.object_type, target, role);
        ELSE
            EXECUTE pg_catalog.format('REVOKE %s ON %s %s FROM %s', item.privileges, item.object_type, target, role);
        END IF;
    END LOOP;
    IF grant_set OPERATOR(pg_catalog.=) 'maintenance' THEN
        PERFORM creator_platform._sync_row_security_roles();
    END IF;
END
$function$;
REVOKE ALL ON FUNCTION creator_platform._set_privileges(regrole, text, boolean) FROM PUBLIC;
COMMENT ON FUNCTION creator_platform._set_privileges(regrole, text, boolean) IS
    'Internal: grants or revokes a grant set of privilege_sets to a role (revoking one set keeps the privileges of the other if the role holds it)';

CREATE FUNCTION creator_platform.grant_usage(role regrole) RETURNS void
    LANGUAGE sql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $function$
    SELECT creator_platform._set_privileges(grant_usage.role, 'usage', true)
$function$;
REVOKE ALL ON FUNCTION creator_platform.grant_usage(regrole) FROM PUBLIC;
COMMENT ON FUNCTION creator_platform.grant_usage(regrole) IS
    'Gives a role everything the contract lets an application do: USAGE on the schema, SELECT/INSERT/UPDATE/DELETE on users, posts, comments and subscriptions, SELECT on the archive, creator_activity, creator_stats and trending_posts, SELECT and UPDATE (processed_at) on events, EXECUTE on the contract''s functions (privilege_sets, grant_set usage). Idempotent. For the extension''s owner or a superuser (42501 otherwise); 22023 for NULL, an unknown role or the owner';

CREATE FUNCTION creator_platform.revoke_usage(role regrole) RETURNS void
    LANGUAGE sql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $function$
    SELECT creator_platform._set_privileges(revoke_usage.role, 'usage', false)
$function$;
REVOKE ALL ON FUNCTION creator_platform.revoke_usage(regrole) FROM PUBLIC;
COMMENT ON FUNCTION creator_platform.revoke_usage(regrole) IS
    'Takes back what grant_usage gives (also where it was granted by hand), keeping what grant_maintenance gives if the role holds it. Idempotent. For the extension''s owner or a superuser (42501 otherwise); 22023 for NULL, an unknown role or the owner';

CREATE FUNCTION creator_platform.grant_maintenance(role regrole) RETURNS void
    LANGUAGE sql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $function$
    SELECT creator_platform._set_privileges(grant_maintenance.role, 'maintenance', true)
$function$;
REVOKE ALL ON FUNCTION creator_platform.grant_maintenance(regrole) FROM PUBLIC;
COMMENT ON FUNCTION creator_platform.grant_maintenance(regrole) IS
    'Gives a role what archiving, restoring, statistics, reconciliation, monitoring and the pg_cron jobs need (privilege_sets, grant_set maintenance); under row-level security the role sees every row (policies *_maintenance). Idempotent. For the extension''s owner or a superuser (42501 otherwise); 22023 for NULL, an unknown role or the owner';

CREATE FUNCTION creator_platform.revoke_maintenance(role regrole) RETURNS void
    LANGUAGE sql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $function$
    SELECT creator_platform._set_privileges(revoke_maintenance.role, 'maintenance', false)
$function$;
REVOKE ALL ON FUNCTION creator_platform.revoke_maintenance(regrole) FROM PUBLIC;
COMMENT ON FUNCTION creator_platform.revoke_maintenance(regrole) IS
    'Takes back what grant_maintenance gives (also where it was granted by hand), keeping what grant_usage gives if the role holds it. Idempotent. For the extension''s owner or a superuser (42501 otherwise); 22023 for NULL, an unknown role or the owner';
-- ==== privileges: end

-- ==== row-level security: begin
--------------------------------------------------------------------------------
-- Row-level security, opt-in (docs/security.md), for applications that read
-- the tables directly. The policies always exist; enable_row_security()
-- turns them on for posts, comments, posts_archive and comments_archive (and
-- disable_row_security() off). They show the application's viewer, the
-- users.id in the setting creator_platform.viewer_id, what the contract
-- shows a reader:
--   * a post, live or archived, to its creator, whatever its status;
--   * a published public post to everyone;
--   * a published subscribers post to its creator, admins and the creator's
--     active subscribers (the feeds show it to everyone else locked, content
--     NULL; a policy can only hide a row, not a column);
--   * a comment, live or archived, to whoever may see its post.
-- The same test applies to rows written (WITH CHECK): a viewer writes only
-- what it may see. The setting is meant to be set per transaction (SET LOCAL
-- or set_config(..., true)), which a transaction pooler keeps apart between
-- clients; without it (or empty) the viewer is anonymous.
--
-- Who is subject to them: every role but the tables' owner (not FORCEd) and
-- superusers. The extension's own triggers that read or write other rows run
-- as the owner (SECURITY DEFINER, above), as foreign key checks do, so every
-- rule and counter holds whatever the viewer sees. Roles that hold
-- grant_maintenance see every row (policies *_maintenance, kept in step with
-- the grants), since archiving and reconciliation must. The feeds do not go
-- through the policies: they apply the contract's visibility themselves.
--
-- pg_dump does not dump the policies or the RLS flag of an extension's
-- tables: CREATE EXTENSION makes the policies again on a restore, and
-- enable_row_security() must be called again.
--------------------------------------------------------------------------------

-- The viewer: creator_platform.viewer_id as a uuid, NULL when unset or empty.
-- The module checks the value when it is set (22023); this checks it again
-- for a session that set it before the module was loaded. Called once per
-- statement by the policies (an InitPlan), so its SET clause costs nothing.
CREATE FUNCTION creator_platform.viewer_id() RETURNS uuid
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $function$
DECLARE
    v text := pg_catalog.current_setting('creator_platform.viewer_id', true);
BEGIN
    IF v IS NULL OR v OPERATOR(pg_catalog.=) '' THEN
        RETURN NULL;
    END IF;
    IF v OPERATOR(pg_catalog.!~*) '^(\{[0-9a-f]{4}(-?[0-9a-f]{4}){7}\}|[0-9a-f]{4}(-?[0-9a-f]{4}){7})$' THEN
        RAISE EXCEPTION 'invalid value for parameter "creator_platform.viewer_id": "%"', v
              USING ERRCODE = '22023', DETAIL = 'It must be a users.id (a uuid) or empty.';
    END IF;
    RETURN v::uuid;
END
$function$;
REVOKE ALL ON FUNCTION creator_platform.viewer_id() FROM PUBLIC;
COMMENT ON FUNCTION creator_platform.viewer_id() IS
    'The viewer the row-level security policies show rows to: the setting creator_platform.viewer_id as a uuid, NULL when it is unset or empty (anonymous); 22023 for a value that is not a uuid';

CREATE FUNCTION creator_platform.viewer_is_admin() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $function$
    SELECT EXISTS (SELECT 1 FROM creator_platform.users u
                    WHERE u.id OPERATOR(pg_catalog.=) creator_platform.viewer_id()
                      AND u.role OPERATOR(pg_catalog.=) 'admin'::creator_platform.user_role)
$function$;
REVOKE ALL ON FUNCTION creator_platform.viewer_is_admin() FROM PUBLIC;
COMMENT ON FUNCTION creator_platform.viewer_is_admin() IS
    'Whether the viewer (viewer_id()) is a user with role admin; for the row-level security policies';

-- Index-only on subscriptions_one_active_idx (subscriber_id, creator_id).
CREATE FUNCTION creator_platform.viewer_subscriptions() RETURNS SETOF uuid
    LANGUAGE sql STABLE PARALLEL SAFE ROWS 100
    SET search_path = pg_catalog, pg_temp
AS $function$
    SELECT s.creator_id FROM creator_platform.subscriptions s
     WHERE s.subscriber_id OPERATOR(pg_catalog.=) creator_platform.viewer_id()
       AND s.status OPERATOR(pg_catalog.=) 'active'::creator_platform.subscription_status
$function$;
REVOKE ALL ON FUNCTION creator_platform.viewer_subscriptions() FROM PUBLIC;
COMMENT ON FUNCTION creator_platform.viewer_subscriptions() IS
    'The creators the viewer (viewer_id()) actively subscribes to; for the row-level security policies';

-- The policies. Each function is wrapped in a scalar subquery, so that it
-- runs once per statement (an InitPlan; the subscriptions become a hashed
-- SubPlan), not once per row; the rest compares columns of the row.
CREATE POLICY posts_viewer ON creator_platform.posts AS PERMISSIVE FOR ALL TO PUBLIC
    USING (creator_id OPERATOR(pg_catalog.=) (SELECT creator_platform.viewer_id())
           OR (status OPERATOR(pg_catalog.=) 'published'::creator_platform.post_status
               AND (visibility OPERATOR(pg_catalog.=) 'public'::creator_platform.post_visibility
                    OR (SELECT creator_platform.viewer_is_admin())
                    OR creator_id OPERATOR(pg_catalog.=) ANY (SELECT creator_platform.viewer_subscriptions()))))
    WITH CHECK (creator_id OPERATOR(pg_catalog.=) (SELECT creator_platform.viewer_id())
           OR (status OPERATOR(pg_catalog.=) 'published'::creator_platform.post_status
               AND (visibility OPERATOR(pg_catalog.=) 'public'::creator_platform.post_visibility
                    OR (SELECT creator_platform.viewer_is_admin())
                    OR creator_id OPERATOR(pg_catalog.=) ANY (SELECT creator_platform.viewer_subscriptions()))));
CREATE POLICY posts_archive_viewer ON creator_platform.posts_archive AS PERMISSIVE FOR ALL TO PUBLIC
    USING (creator_id OPERATOR(pg_catalog.=) (SELECT creator_platform.viewer_id())
           OR (status OPERATOR(pg_catalog.=) 'published'::creator_platform.post_status
               AND (visibility OPERATOR(pg_catalog.=) 'public'::creator_platform.post_visibility
                    OR (SELECT creator_platform.viewer_is_admin())
                    OR creator_id OPERATOR(pg_catalog.=) ANY (SELECT creator_platform.viewer_subscriptions()))))
    WITH CHECK (creator_id OPERATOR(pg_catalog.=) (SELECT creator_platform.viewer_id())
           OR (status OPERATOR(pg_catalog.=) 'published'::creator_platform.post_status
               AND (visibility OPERATOR(pg_catalog.=) 'public'::creator_platform.post_visibility
                    OR (SELECT creator_platform.viewer_is_admin())
                    OR creator_id OPERATOR(pg_catalog.=) ANY (SELECT creator_platform.viewer_subscriptions()))));
-- A comment goes with its post: the subquery is itself filtered by the post's
-- policy (one primary-key probe per comment).
CREATE POLICY comments_viewer ON creator_platform.comments AS PERMISSIVE FOR ALL TO PUBLIC
    USING (EXISTS (SELECT 1 FROM creator_platform.posts p WHERE p.id OPERATOR(pg_catalog.=) comments.post_id))
    WITH CHECK (EXISTS (SELECT 1 FROM creator_platform.posts p WHERE p.id OPERATOR(pg_catalog.=) comments.post_id));
CREATE POLICY comments_archive_viewer ON creator_platform.comments_archive AS PERMISSIVE FOR ALL TO PUBLIC
    USING (EXISTS (SELECT 1 FROM creator_platform.posts_archive p
                    WHERE p.id OPERATOR(pg_catalog.=) comments_archive.post_id))
    WITH CHECK (EXISTS (SELECT 1 FROM creator_platform.posts_archive p
                         WHERE p.id OPERATOR(pg_catalog.=) comments_archive.post_id));
-- The maintenance roles see and write every row. Made for the owner (on whom
-- no policy acts); _sync_row_security_roles() adds every role that holds
-- grant_maintenance.
CREATE POLICY posts_maintenance ON creator_platform.posts AS PERMISSIVE FOR ALL TO CURRENT_USER
    USING (true) WITH CHECK (true);
CREATE POLICY posts_archive_maintenance ON creator_platform.posts_archive AS PERMISSIVE FOR ALL TO CURRENT_USER
    USING (true) WITH CHECK (true);
CREATE POLICY comments_maintenance ON creator_platform.comments AS PERMISSIVE FOR ALL TO CURRENT_USER
    USING (true) WITH CHECK (true);
CREATE POLICY comments_archive_maintenance ON creator_platform.comments_archive AS PERMISSIVE FOR ALL TO CURRENT_USER
    USING (true) WITH CHECK (true);
COMMENT ON POLICY posts_viewer ON creator_platform.posts IS
    'Under row-level security: a post is seen (and written) by its creator, and once published by everyone if public, else by admins and the creator''s active subscribers (viewer: creator_platform.viewer_id)';
COMMENT ON POLICY posts_archive_viewer ON creator_platform.posts_archive IS
    'As posts_viewer: an archived (published) post is seen by everyone if public, else by its creator, admins and the creator''s active subscribers';
COMMENT ON POLICY comments_viewer ON creator_platform.comments IS
    'Under row-level security: a comment is seen (and written) by whoever may see its post';
COMMENT ON POLICY comments_archive_viewer ON creator_platform.comments_archive IS
    'As comments_viewer, for archived comments and their archived post';
COMMENT ON POLICY posts_maintenance ON creator_platform.posts IS
    'Roles that hold grant_maintenance (and the owner) see every row: archiving and reconciliation must';
COMMENT ON POLICY posts_archive_maintenance ON creator_platform.posts_archive IS
    'Roles that hold grant_maintenance (and the owner) see every row: archiving and reconciliation must';
COMMENT ON POLICY comments_maintenance ON creator_platform.comments IS
    'Roles that hold grant_maintenance (and the owner) see every row: archiving and reconciliation must';
COMMENT ON POLICY comments_archive_maintenance ON creator_platform.comments_archive IS
    'Roles that hold grant_maintenance (and the owner) see every row: archiving and reconciliation must';

-- The maintenance policies' roles: the owner and every role with a direct
-- EXECUTE on a maintenance routine. Called by grant_maintenance,
-- revoke_maintenance and enable_row_security.
CREATE FUNCTION creator_platform._sync_row_security_roles() RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $function$
DECLARE
    owner_oid oid;
    roles text;
    t text;
BEGIN
    PERFORM creator_platform._require_owner('change the row-level security policies of creator_platform');
    SELECT e.extowner INTO owner_oid FROM pg_catalog.pg_extension e
     WHERE e.extname OPERATOR(pg_catalog.=) 'creator_platform';
    SELECT pg_catalog.string_agg(g.grantee::pg_catalog.regrole::text, ', ' ORDER BY g.grantee::pg_catalog.regrole::text)
      INTO roles
      FROM (SELECT DISTINCT a.grantee
              FROM creator_platform.privilege_sets ps
              JOIN pg_catalog.pg_proc p
                ON p.oid OPERATOR(pg_catalog.=) CASE WHEN ps.object_type OPERATOR(pg_catalog.=) 'ROUTINE'
                                                     THEN ps.object_name::pg_catalog.regprocedure END
             CROSS JOIN LATERAL pg_catalog.aclexplode(p.proacl) a
             WHERE ps.grant_set OPERATOR(pg_catalog.=) 'maintenance'
               AND a.privilege_type OPERATOR(pg_catalog.=) 'EXECUTE'
               AND a.grantee OPERATOR(pg_catalog.<>) 0::oid
               AND a.grantee OPERATOR(pg_catalog.<>) owner_oid) g;
    FOREACH t IN ARRAY ARRAY['posts', 'posts_archive', 'comments', 'comments_archive'] LOOP
        EXECUTE pg_catalog.format('ALTER POLICY %I ON creator_platform.%I TO %s', t || '_maintenance', t,
                                  pg_catalog.concat_ws(', ', owner_oid::pg_catalog.regrole::text, roles));
    END LOOP;
END
$function$;
REVOKE ALL ON FUNCTION creator_platform._sync_row_security_roles() FROM PUBLIC;
COMMENT ON FUNCTION creator_platform._sync_row_security_roles() IS
    'Internal: the roles of the *_maintenance policies become the owner and every role that holds grant_maintenance';

CREATE FUNCTION creator_platform.enable_row_security() RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $function$
BEGIN
    PERFORM creator_platform._require_owner('enable row-level security on creator_platform''s tables');
    PERFORM creator_platform._sync_row_security_roles();
    ALTER TABLE creator_platform.posts ENABLE ROW LEVEL SECURITY;
    ALTER TABLE creator_platform.posts_archive ENABLE ROW LEVEL SECURITY;
    ALTER TABLE creator_platform.comments ENABLE ROW LEVEL SECURITY;
    ALTER TABLE creator_platform.comments_archive ENABLE ROW LEVEL SECURITY;
END
$function$;
REVOKE ALL ON FUNCTION creator_platform.enable_row_security() FROM PUBLIC;
COMMENT ON FUNCTION creator_platform.enable_row_security() IS
    'Turns row-level security on for posts, posts_archive, comments and comments_archive: roles other than the owner then see and write only the rows the viewer (setting creator_platform.viewer_id) may see; maintenance roles see every row. Idempotent; call it again after restoring a dump. For the extension''s owner or a superuser (42501 otherwise)';

CREATE FUNCTION creator_platform.disable_row_security() RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $function$
BEGIN
    PERFORM creator_platform._require_owner('disable row-level security on creator_platform''s tables');
    ALTER TABLE creator_platform.posts DISABLE ROW LEVEL SECURITY;
    ALTER TABLE creator_platform.posts_archive DISABLE ROW LEVEL SECURITY;
    ALTER TABLE creator_platform.comments DISABLE ROW LEVEL SECURITY;
    ALTER TABLE creator_platform.comments_archive DISABLE ROW LEVEL SECURITY;
END
$function$;
REVOKE ALL ON FUNCTION creator_platform.disable_row_security() FROM PUBLIC;
COMMENT ON FUNCTION creator_platform.disable_row_security() IS
    'Turns row-level security off again for posts, posts_archive, comments and comments_archive (the policies stay, unused). Idempotent. For the extension''s owner or a superuser (42501 otherwise)';

INSERT INTO creator_platform.privilege_sets (grant_set, object_type, object_name, privileges) VALUES
    ('usage', 'ROUTINE', 'creator_platform.viewer_id()', 'EXECUTE'),
    ('usage', 'ROUTINE', 'creator_platform.viewer_is_admin()', 'EXECUTE'),
    ('usage', 'ROUTINE', 'creator_platform.viewer_subscriptions()', 'EXECUTE'),
    ('owner', 'ROUTINE', 'creator_platform._sync_row_security_roles()', NULL),
    ('owner', 'ROUTINE', 'creator_platform.enable_row_security()', NULL),
    ('owner', 'ROUTINE', 'creator_platform.disable_row_security()', NULL);
-- ==== row-level security: end

-- ==== backups: begin
--------------------------------------------------------------------------------
-- Backups and standbys (docs/operations.md).
--
-- pg_dump writes the rows of every table registered with
-- pg_extension_config_dump: since 0.1.0 the data tables and events_id_seq.
-- Two more tables hold state that a restored database should get back:
--   cursor_secret     the key of the feed cursors: a cursor handed out before
--                     the backup goes on working on the restored database, as
--                     it does on a streaming replica;
--   creator_activity  each creator's newest publication time, which home_feed
--                     uses to skip creators: a dump is restored with the
--                     triggers off (session_replication_role = replica), so
--                     its trigger does not rebuild it.
-- maintenance_log is not dumped: it records runs against this database's
-- materialized views, which CREATE EXTENSION makes anew (empty) in the
-- restored database; refresh_stats() after the restore fills both again.
--------------------------------------------------------------------------------
SELECT pg_catalog.pg_extension_config_dump('creator_platform.cursor_secret', '');
SELECT pg_catalog.pg_extension_config_dump('creator_platform.creator_activity', '');

-- CREATE EXTENSION makes a new key before a restore loads the dumped one, and
-- COPY has no ON CONFLICT and applies no rules: a row inserted into
-- cursor_secret replaces the one there. ENABLE ALWAYS, so that it also fires
-- under session_replication_role = replica, which is how a dump is restored.
CREATE FUNCTION creator_platform.cursor_secret_replace() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $function$
BEGIN
    DELETE FROM creator_platform.cursor_secret s WHERE s.singleton OPERATOR(pg_catalog.=) NEW.singleton;
    RETURN NEW;
END
$function$;
REVOKE ALL ON FUNCTION creator_platform.cursor_secret_replace() FROM PUBLIC;
COMMENT ON FUNCTION creator_platform.cursor_secret_replace() IS
    'BEFORE INSERT row trigger on cursor_secret: the new key replaces the one there, so that restoring a dump brings back the dumped key (cursors handed out before the backup stay valid)';
CREATE TRIGGER cursor_secret_replace BEFORE INSERT ON creator_platform.cursor_secret
    FOR EACH ROW EXECUTE FUNCTION creator_platform.cursor_secret_replace();
ALTER TABLE creator_platform.cursor_secret ENABLE ALWAYS TRIGGER cursor_secret_replace;
COMMENT ON TRIGGER cursor_secret_replace ON creator_platform.cursor_secret IS
    'An inserted key replaces the current one (fires always, also while a dump is restored with session_replication_role = replica)';

--------------------------------------------------------------------------------
-- A standby replays the primary's WAL and is read-only; pg_cron runs no job
-- there (its launcher starts when recovery ends). schedule_maintenance and
-- unschedule_maintenance say so at once, before they would try to write
-- pg_cron's tables, locally or through a dblink connection to this same
-- standby: _cron_route is the first thing both call. Unchanged otherwise.
--------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION creator_platform._cron_route(OUT cron_db text, OUT route text, OUT dblink_schema text)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $function$
BEGIN
    IF pg_catalog.pg_is_in_recovery() THEN
        RAISE EXCEPTION 'cannot change pg_cron jobs on a standby server'
              USING ERRCODE = '25006',
                    DETAIL = 'this server is in recovery: it replays the primary''s WAL and is read-only, and pg_cron runs no job here',
                    HINT = 'call creator_platform.schedule_maintenance() or unschedule_maintenance() on the primary; its jobs reach this standby''s copy of cron.job by replication and run here only after a promotion';
    END IF;
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
COMMENT ON FUNCTION creator_platform._cron_route() IS
    'Internal: the database pg_cron lives in and how schedule_maintenance reaches it; 25006 on a standby';
-- ==== backups: end
