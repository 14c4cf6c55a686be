-- creator_platform 0.3.0 -> 0.4.0: archiving, statistics, maintenance.
-- (in progress: this script is still open for changes until 0.4.0 is released)
\echo Use "ALTER EXTENSION creator_platform UPDATE TO '0.4.0'" to load this file. \quit

-- ==== archiving: begin
--------------------------------------------------------------------------------
-- Archiving (docs/reference.md "Archiving", docs/architecture.md "Archiving";
-- the C++ is src/archive.cpp). Published posts move with all their comments
-- from posts / comments into posts_archive / comments_archive and back, each
-- move one transaction, so that every row is in exactly one place at every
-- commit. The feeds read both places (0.3.0): readers see no difference.
--
-- The archive is read-only (55000) except for the extension's own code
-- (archive_posts, archive_old_posts, restore_post, the deletion of a user,
-- reconcile_counters), which writes in an InternalWrite scope: a flag in
-- backend memory that SQL cannot set, cleared at the end of every transaction
-- (src/pg/internal_write.hpp). The C++ statements name every object with its
-- schema and every operator with OPERATOR(pg_catalog.x): the procedure cannot
-- pin search_path (a procedure with a SET clause cannot commit), and triggers
-- run under the caller's search_path.
--------------------------------------------------------------------------------

-- An archived comment is what a live one is: anonymous (user_id NULL) only
-- as a placeholder. Rows from 0.1.0 had an author; rows since, a placeholder
-- whenever the author was deleted (users_before_delete).
ALTER TABLE creator_platform.comments_archive
    ADD CONSTRAINT comments_archive_author_or_placeholder CHECK (user_id IS NOT NULL OR deleted_at IS NOT NULL);
COMMENT ON CONSTRAINT comments_archive_author_or_placeholder ON creator_platform.comments_archive IS
    'As comments_author_or_placeholder: user_id is NULL only on a placeholder';
COMMENT ON COLUMN creator_platform.comments_archive.user_id IS
    'The author, as it was in comments; NULL on an anonymous placeholder (its author''s account was deleted)';

CREATE FUNCTION creator_platform._internal_write_active() RETURNS boolean
    LANGUAGE c VOLATILE
    AS 'MODULE_PATHNAME', 'cp_internal_write_active';
REVOKE ALL ON FUNCTION creator_platform._internal_write_active() FROM PUBLIC;
COMMENT ON FUNCTION creator_platform._internal_write_active() IS
    'Internal: true while the extension''s own C++ code is writing (archiving, restoring, counter maintenance), for the PL/pgSQL triggers that tell such writes from an application''s. Not for applications';

--------------------------------------------------------------------------------
-- The archive is read-only: INSERT, UPDATE, DELETE (row triggers, so a
-- foreign-key action that finds nothing to do is not refused) and TRUNCATE
-- raise 55000 unless the extension's own code is writing.
--------------------------------------------------------------------------------
CREATE FUNCTION creator_platform.archive_read_only() RETURNS trigger
    LANGUAGE c
    AS 'MODULE_PATHNAME', 'cp_archive_read_only';
COMMENT ON FUNCTION creator_platform.archive_read_only() IS
    'BEFORE INSERT/UPDATE/DELETE row and BEFORE TRUNCATE trigger on posts_archive and comments_archive: 55000 unless the extension itself is writing (archive_posts, archive_old_posts, restore_post, deleting a user, reconcile_counters)';
CREATE TRIGGER posts_archive_read_only
    BEFORE INSERT OR UPDATE OR DELETE ON creator_platform.posts_archive
    FOR EACH ROW EXECUTE FUNCTION creator_platform.archive_read_only();
CREATE TRIGGER posts_archive_read_only_truncate
    BEFORE TRUNCATE ON creator_platform.posts_archive
    FOR EACH STATEMENT EXECUTE FUNCTION creator_platform.archive_read_only();
CREATE TRIGGER comments_archive_read_only
    BEFORE INSERT OR UPDATE OR DELETE ON creator_platform.comments_archive
    FOR EACH ROW EXECUTE FUNCTION creator_platform.archive_read_only();
CREATE TRIGGER comments_archive_read_only_truncate
    BEFORE TRUNCATE ON creator_platform.comments_archive
    FOR EACH STATEMENT EXECUTE FUNCTION creator_platform.archive_read_only();
COMMENT ON TRIGGER posts_archive_read_only ON creator_platform.posts_archive IS
    'Archived posts are read-only (55000): they change only through restore_post';
COMMENT ON TRIGGER posts_archive_read_only_truncate ON creator_platform.posts_archive IS
    'TRUNCATE of the archive: 55000';
COMMENT ON TRIGGER comments_archive_read_only ON creator_platform.comments_archive IS
    'Archived comments are read-only (55000): they change only through restore_post';
COMMENT ON TRIGGER comments_archive_read_only_truncate ON creator_platform.comments_archive IS
    'TRUNCATE of the archive: 55000';

--------------------------------------------------------------------------------
-- Deleting a user (docs/deletion.md) changes the archive too: their archived
-- posts go with every comment on them, their archived comments on others'
-- posts become anonymous placeholders. That part moves from the PL/pgSQL
-- users_before_delete (0.2.0) to a C++ trigger that writes as the extension;
-- what users_before_delete does to live rows is unchanged.
--------------------------------------------------------------------------------
CREATE FUNCTION creator_platform.users_before_delete_archive() RETURNS trigger
    LANGUAGE c
    AS 'MODULE_PATHNAME', 'cp_users_before_delete_archive';
COMMENT ON FUNCTION creator_platform.users_before_delete_archive() IS
    'BEFORE DELETE row trigger on users: the user''s archived posts are deleted with every comment on them; their archived comments on other posts become anonymous placeholders, and those posts'' comment_count follows';
CREATE TRIGGER users_before_delete_archive BEFORE DELETE ON creator_platform.users
    FOR EACH ROW EXECUTE FUNCTION creator_platform.users_before_delete_archive();
COMMENT ON TRIGGER users_before_delete_archive ON creator_platform.users IS
    'What deleting an account does to the (otherwise read-only) archive';

CREATE OR REPLACE FUNCTION creator_platform.users_before_delete() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
BEGIN
    -- Their posts go first, with every comment on them; then their comments
    -- that nobody replied to, leaves first, until none is left; what remains
    -- has replies by others and becomes an anonymous placeholder here, in this
    -- statement, so that no later foreign-key action of this DELETE (or of
    -- another user deleted by the same statement) meets a row it already changed.
    -- The archive: users_before_delete_archive (0.4.0).
    DELETE FROM creator_platform.posts p WHERE p.creator_id OPERATOR(pg_catalog.=) OLD.id;
    LOOP
        DELETE FROM creator_platform.comments c
         WHERE c.user_id OPERATOR(pg_catalog.=) OLD.id AND c.reply_count OPERATOR(pg_catalog.=) 0;
        EXIT WHEN NOT FOUND;
    END LOOP;
    UPDATE creator_platform.comments c
       SET content = '', deleted_at = COALESCE(c.deleted_at, pg_catalog.now()), user_id = NULL
     WHERE c.user_id OPERATOR(pg_catalog.=) OLD.id;
    RETURN OLD;
END
$function$;
COMMENT ON FUNCTION creator_platform.users_before_delete() IS
    'BEFORE DELETE row trigger on users: the user''s posts are deleted with their comments; the user''s comments with replies become anonymous placeholders, the others are removed (the archive: users_before_delete_archive)';

--------------------------------------------------------------------------------
-- A restored post is inserted into posts as published: it was published
-- long ago, and its post_published event was written then. The statement
-- trigger writes none for the extension's own inserts.
--------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION creator_platform.emit_post_published_inserted() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $function$
DECLARE
    notified bigint;
BEGIN
    IF creator_platform._internal_write_active() THEN
        RETURN NULL;                        -- restore_post: no new publication
    END IF;
    WITH added AS (
        INSERT INTO creator_platform.events AS ev (kind, payload)
        SELECT 'post_published', pg_catalog.jsonb_build_object('post_id', n.id, 'creator_id', n.creator_id)
          FROM new_posts AS n
         WHERE n.status = 'published'
        RETURNING ev.id
    )
    SELECT pg_catalog.count(pg_catalog.pg_notify('creator_platform_events', a.id::text)) INTO notified FROM added AS a;
    RETURN NULL;
END
$function$;
COMMENT ON FUNCTION creator_platform.emit_post_published_inserted() IS
    'AFTER INSERT statement trigger on posts (transition table new_posts): one post_published event {post_id, creator_id} and one NOTIFY creator_platform_events per post inserted as published; none for a post restore_post brings back';

--------------------------------------------------------------------------------
-- The functions (C++, src/archive.cpp)
--------------------------------------------------------------------------------
CREATE FUNCTION creator_platform.archive_posts(older_than timestamptz, batch_size integer DEFAULT 1000)
    RETURNS bigint
    LANGUAGE c VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'cp_archive_posts';
COMMENT ON FUNCTION creator_platform.archive_posts(timestamptz, integer) IS
    'One batch in the caller''s transaction: moves up to batch_size (1-100000) of the oldest published posts with published_at < older_than, with all their comments, into posts_archive / comments_archive; returns the posts moved. Posts that a writer holds (the post, a comment, its creator or a comment''s author) are skipped, never waited for. 22023 for NULL arguments or a batch_size out of range';

-- A procedure, so that it can commit after every batch; no SET clause (a
-- procedure with one cannot commit): its statements qualify every name.
CREATE PROCEDURE creator_platform.archive_old_posts(older_than timestamptz, batch_size integer DEFAULT 1000)
    LANGUAGE c
    AS 'MODULE_PATHNAME', 'cp_archive_old_posts';
COMMENT ON PROCEDURE creator_platform.archive_old_posts(timestamptz, integer) IS
    'Archives every published post with published_at < older_than in batches of batch_size (1-100000), committing after each and reporting progress with a NOTICE per batch; one run at a time (a second returns at once with a NOTICE). Outside a transaction block only (25001). 22023 for NULL arguments or a batch_size out of range';

CREATE FUNCTION creator_platform.restore_post(post_id uuid) RETURNS creator_platform.posts
    LANGUAGE c VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'cp_restore_post';
COMMENT ON FUNCTION creator_platform.restore_post(uuid) IS
    'Moves an archived post and all its comments back into posts / comments, unchanged (no event), and returns the post. 22023 for NULL or a post that is not archived';
-- ==== archiving: end

-- ==== statistics: begin
--------------------------------------------------------------------------------
-- Statistics, reconciliation and monitoring (docs/reference.md "Statistics",
-- "Reconciliation", "Monitoring"; docs/architecture.md "Statistics and
-- monitoring").
--
-- Name resolution as in 0.2.0: functions pin search_path = pg_catalog,
-- pg_temp and qualify every object of the extension; the materialized views'
-- queries, parsed once here, qualify operators too.
--------------------------------------------------------------------------------

-- The last run of each of the extension's maintenance jobs (PostgreSQL keeps
-- no time of a materialized view's last refresh). Written by refresh_stats and
-- reconcile_counters at the end of a run that commits; not dumped (it
-- describes this database's past, not data).
CREATE TABLE creator_platform.maintenance_log (
    job              text NOT NULL,
    last_started_at  timestamptz NOT NULL,
    last_finished_at timestamptz NOT NULL,
    runs             bigint NOT NULL DEFAULT 1,
    last_result      jsonb NOT NULL DEFAULT '{}'::jsonb,
    CONSTRAINT maintenance_log_pkey PRIMARY KEY (job),
    CONSTRAINT maintenance_log_runs_positive CHECK (runs OPERATOR(pg_catalog.>) 0)
);
REVOKE ALL ON creator_platform.maintenance_log FROM PUBLIC;
COMMENT ON TABLE creator_platform.maintenance_log IS
    'One row per maintenance job of the extension (refresh_stats, reconcile_counters): when it last ran to completion, how often, and what it found';
COMMENT ON COLUMN creator_platform.maintenance_log.last_result IS
    'What the last run did: for refresh_stats the rows of each view, for reconcile_counters the drift per counter';

-- One row per user who may publish (role creator or admin), also with nothing
-- published yet: zeros and a NULL last_published_at. Archived posts and their
-- comments count as live ones do (archiving never changes what a reader sees).
-- comments_received sums the counters of the published posts, which are exact
-- at every commit: comments that are not deleted placeholders.
CREATE MATERIALIZED VIEW creator_platform.creator_stats AS
SELECT u.id AS creator_id,
       u.username,
       COALESCE(s.active_subscribers, 0::bigint) AS active_subscribers,
       COALESCE(p.published_posts, 0::bigint) AS published_posts,
       COALESCE(p.comments_received, 0::bigint) AS comments_received,
       p.last_published_at
  FROM creator_platform.users u
  LEFT JOIN (SELECT sub.creator_id, pg_catalog.count(*) AS active_subscribers
               FROM creator_platform.subscriptions sub
              WHERE sub.status OPERATOR(pg_catalog.=) 'active'::creator_platform.subscription_status
              GROUP BY sub.creator_id) s
         ON s.creator_id OPERATOR(pg_catalog.=) u.id
  LEFT JOIN (SELECT a.creator_id, pg_catalog.count(*) AS published_posts,
                    pg_catalog.sum(a.comment_count)::bigint AS comments_received,
                    pg_catalog.max(a.published_at) AS last_published_at
               FROM (SELECT lp.creator_id, lp.comment_count, lp.published_at FROM creator_platform.posts lp
                      WHERE lp.status OPERATOR(pg_catalog.=) 'published'::creator_platform.post_status
                     UNION ALL
                     SELECT ap.creator_id, ap.comment_count, ap.published_at FROM creator_platform.posts_archive ap) a
              GROUP BY a.creator_id) p
         ON p.creator_id OPERATOR(pg_catalog.=) u.id
 WHERE u.role OPERATOR(pg_catalog.=) ANY (ARRAY['creator', 'admin']::creator_platform.user_role[])
WITH DATA;
CREATE UNIQUE INDEX creator_stats_creator_id_key ON creator_platform.creator_stats (creator_id);
COMMENT ON MATERIALIZED VIEW creator_platform.creator_stats IS
    'Per creator or admin (as of the last refresh_stats): active subscribers, published posts and the comments on them (live and archived), newest publication time';

-- Published live posts with activity in the last 7 days, as of the refresh:
--   score = sum over the post's comments of the last 7 days that are not
--           placeholders of 2^(-age/1 day)
--         + 2 * 2^(-age of the post/1 day) if it was published in the last 7 days
-- (a comment counts 1 when new, 1/2 a day later; a new post counts as two new
-- comments); ages below 0 (timestamps in the future) count as 0. rank is
-- 1, 2, 3, ... by score, ties newest post first, then post_id.
CREATE MATERIALIZED VIEW creator_platform.trending_posts AS
WITH activity AS (
    SELECT c.post_id,
           pg_catalog.power(0.5::double precision,
               GREATEST(pg_catalog.date_part('epoch', pg_catalog.now() OPERATOR(pg_catalog.-) c.created_at),
                        0::double precision) OPERATOR(pg_catalog./) 86400::double precision) AS weight
      FROM creator_platform.comments c
     WHERE c.created_at OPERATOR(pg_catalog.>) (pg_catalog.now() OPERATOR(pg_catalog.-) '7 days'::interval)
       AND c.deleted_at IS NULL
    UNION ALL
    SELECT p.id,
           2::double precision OPERATOR(pg_catalog.*) pg_catalog.power(0.5::double precision,
               GREATEST(pg_catalog.date_part('epoch', pg_catalog.now() OPERATOR(pg_catalog.-) p.published_at),
                        0::double precision) OPERATOR(pg_catalog./) 86400::double precision)
      FROM creator_platform.posts p
     WHERE p.status OPERATOR(pg_catalog.=) 'published'::creator_platform.post_status
       AND p.published_at OPERATOR(pg_catalog.>) (pg_catalog.now() OPERATOR(pg_catalog.-) '7 days'::interval)
), scored AS (
    SELECT a.post_id, pg_catalog.sum(a.weight) AS score FROM activity a GROUP BY a.post_id
)
SELECT p.id AS post_id,
       p.creator_id,
       p.title,
       s.score,
       pg_catalog.row_number() OVER (ORDER BY s.score DESC, p.published_at DESC, p.id DESC) AS rank
  FROM scored s
  JOIN creator_platform.posts p ON p.id OPERATOR(pg_catalog.=) s.post_id
 WHERE p.status OPERATOR(pg_catalog.=) 'published'::creator_platform.post_status
WITH DATA;
CREATE UNIQUE INDEX trending_posts_post_id_key ON creator_platform.trending_posts (post_id);
CREATE UNIQUE INDEX trending_posts_rank_key ON creator_platform.trending_posts (rank);
COMMENT ON MATERIALIZED VIEW creator_platform.trending_posts IS
    'Published posts with activity in the 7 days before the last refresh_stats, by score: recent comments and publication, each halving in weight per day; rank 1 is the hottest';

-- The materialized views are refreshed CONCURRENTLY: readers and writers go on
-- (the refresh takes an EXCLUSIVE lock on the view only, which SELECT does not
-- conflict with; two refreshes wait for each other). A view left unpopulated
-- (REFRESH ... WITH NO DATA) gets a plain refresh first, as CONCURRENTLY
-- requires a populated view. SECURITY INVOKER: REFRESH needs the owner of the
-- views, so only the extension's owner (or a superuser) may run it; EXECUTE is
-- revoked from PUBLIC.
CREATE FUNCTION creator_platform.refresh_stats() RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $function$
DECLARE
    started timestamptz := clock_timestamp();
    t timestamptz;
    view_name text;
    populated boolean;
    n bigint;
    result jsonb := '{}'::jsonb;
BEGIN
    FOREACH view_name IN ARRAY ARRAY['creator_stats', 'trending_posts'] LOOP
        t := clock_timestamp();
        SELECT c.relispopulated INTO populated FROM pg_catalog.pg_class c
         WHERE c.oid = pg_catalog.format('creator_platform.%I', view_name)::regclass;
        EXECUTE pg_catalog.format('REFRESH MATERIALIZED VIEW %s creator_platform.%I',
                                  CASE WHEN populated THEN 'CONCURRENTLY' ELSE '' END, view_name);
        EXECUTE pg_catalog.format('SELECT pg_catalog.count(*) FROM creator_platform.%I', view_name) INTO n;
        result := result || pg_catalog.jsonb_build_object(view_name, pg_catalog.jsonb_build_object(
            'rows', n, 'concurrently', populated,
            'seconds', pg_catalog.round(pg_catalog.date_part('epoch', clock_timestamp() - t)::numeric, 3)));
    END LOOP;
    INSERT INTO creator_platform.maintenance_log AS l (job, last_started_at, last_finished_at, runs, last_result)
    VALUES ('refresh_stats', started, clock_timestamp(), 1, result)
    ON CONFLICT (job) DO UPDATE
       SET last_started_at = excluded.last_started_at, last_finished_at = excluded.last_finished_at,
           runs = l.runs + 1, last_result = excluded.last_result;
END
$function$;
REVOKE ALL ON FUNCTION creator_platform.refresh_stats() FROM PUBLIC;
COMMENT ON FUNCTION creator_platform.refresh_stats() IS
    'Refreshes creator_stats and trending_posts CONCURRENTLY (readers and writers are not blocked) and records the run in maintenance_log; for the owner of the views';

-- C++ (src/reconcile.cpp): the repairs run as the database's own counter
-- maintenance (they pass the counter guards and leave updated_at alone).
CREATE FUNCTION creator_platform.reconcile_counters(repair boolean DEFAULT true)
RETURNS TABLE (table_name text, id uuid, column_name text, stored integer, actual integer)
    LANGUAGE c VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'cp_reconcile_counters';
REVOKE ALL ON FUNCTION creator_platform.reconcile_counters(boolean) FROM PUBLIC;
COMMENT ON FUNCTION creator_platform.reconcile_counters(boolean) IS
    'Recounts posts.comment_count and comments.reply_count (live and archived) from the rows they count; returns every counter that drifted, repairs them unless repair is false (without touching updated_at), and records the run in maintenance_log; 22023 for repair NULL';

-- The rows of the health view. pg_cron is optional: its tables are looked up
-- at run time, and its jobs are read only where it is installed in this
-- database and readable by the caller.
CREATE FUNCTION creator_platform.health_report()
RETURNS TABLE (kind text, name text, value text, detail jsonb)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $function$
DECLARE
    cron_ready boolean;
BEGIN
    -- tables and materialized views: sizes, dead tuples, vacuum and analyze
    RETURN QUERY
    SELECT CASE c.relkind WHEN 'm' THEN 'materialized view' ELSE 'table' END,
           c.relname::text,
           pg_catalog.pg_size_pretty(pg_catalog.pg_total_relation_size(c.oid))
               || ', ' || COALESCE(s.n_live_tup, 0) || ' live / ' || COALESCE(s.n_dead_tup, 0) || ' dead rows',
           pg_catalog.jsonb_build_object(
               'total_bytes', pg_catalog.pg_total_relation_size(c.oid),
               'table_bytes', pg_catalog.pg_table_size(c.oid),
               'index_bytes', pg_catalog.pg_indexes_size(c.oid),
               'live_tuples', s.n_live_tup,
               'dead_tuples', s.n_dead_tup,
               'dead_ratio', CASE WHEN COALESCE(s.n_live_tup, 0) + COALESCE(s.n_dead_tup, 0) > 0
                                  THEN pg_catalog.round(s.n_dead_tup::numeric / (s.n_live_tup + s.n_dead_tup), 4) END,
               'modified_since_analyze', s.n_mod_since_analyze,
               'last_vacuum', GREATEST(s.last_vacuum, s.last_autovacuum),
               'last_analyze', GREATEST(s.last_analyze, s.last_autoanalyze),
               'last_autovacuum', s.last_autovacuum,
               'last_autoanalyze', s.last_autoanalyze)
      FROM pg_catalog.pg_class c
      LEFT JOIN pg_catalog.pg_stat_all_tables s ON s.relid = c.oid
     WHERE c.relnamespace = 'creator_platform'::regnamespace AND c.relkind IN ('r', 'p', 'm')
     ORDER BY c.relkind DESC, c.relname;

    -- indexes: sizes and use
    RETURN QUERY
    SELECT 'index'::text, ic.relname::text,
           pg_catalog.pg_size_pretty(pg_catalog.pg_relation_size(ic.oid))
               || ', ' || COALESCE(s.idx_scan, 0) || ' scans'
               || CASE WHEN i.indisvalid THEN '' ELSE ', INVALID' END,
           pg_catalog.jsonb_build_object(
               'table', tc.relname, 'bytes', pg_catalog.pg_relation_size(ic.oid),
               'scans', s.idx_scan, 'valid', i.indisvalid, 'unique', i.indisunique)
      FROM pg_catalog.pg_index i
      JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
      JOIN pg_catalog.pg_class tc ON tc.oid = i.indrelid
      LEFT JOIN pg_catalog.pg_stat_all_indexes s ON s.indexrelid = i.indexrelid
     WHERE tc.relnamespace = 'creator_platform'::regnamespace
     ORDER BY tc.relname, ic.relname;

    -- statistics: how old each materialized view is
    RETURN QUERY
    SELECT 'statistics'::text, v.view_name,
           CASE WHEN NOT c.relispopulated THEN 'not populated'
                WHEN l.last_finished_at IS NULL THEN 'never refreshed by refresh_stats'
                ELSE 'refreshed ' || pg_catalog.date_trunc('second', now() - l.last_finished_at) || ' ago' END,
           pg_catalog.jsonb_build_object(
               'populated', c.relispopulated,
               'last_refreshed_at', l.last_finished_at,
               'age_seconds', pg_catalog.round(pg_catalog.date_part('epoch', now() - l.last_finished_at)::numeric),
               'last_refresh', l.last_result -> v.view_name)
      FROM unnest(ARRAY['creator_stats', 'trending_posts']) AS v(view_name)
      JOIN pg_catalog.pg_class c
        ON c.relnamespace = 'creator_platform'::regnamespace AND c.relname = v.view_name
      LEFT JOIN creator_platform.maintenance_log l ON l.job = 'refresh_stats'
     ORDER BY v.view_name;

    -- the extension's own jobs: last completed run (a run that failed rolled back its record)
    RETURN QUERY
    SELECT 'job'::text, l.job,
           CASE WHEN l.job = 'reconcile_counters'
                THEN 'drift ' || COALESCE(l.last_result ->> 'drift', '?') || ', ' ELSE '' END
               || 'last run ' || pg_catalog.date_trunc('second', now() - l.last_finished_at) || ' ago'
               || CASE WHEN (l.last_result ->> 'repair')::boolean IS FALSE THEN ' (report only)' ELSE '' END,
           pg_catalog.jsonb_build_object(
               'last_started_at', l.last_started_at, 'last_finished_at', l.last_finished_at,
               'runs', l.runs, 'last_result', l.last_result)
      FROM creator_platform.maintenance_log l
     ORDER BY l.job;
    IF NOT EXISTS (SELECT FROM creator_platform.maintenance_log l WHERE l.job = 'reconcile_counters') THEN
        RETURN QUERY SELECT 'job'::text, 'reconcile_counters'::text, 'never run'::text, '{}'::jsonb;
    END IF;

    -- pg_cron's jobs on this database that concern the extension: last run, last failure
    cron_ready := EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                           WHERE n.nspname = 'cron' AND c.relname = 'job' AND c.relkind IN ('r', 'p', 'v'))
              AND EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                           WHERE n.nspname = 'cron' AND c.relname = 'job_run_details' AND c.relkind IN ('r', 'p', 'v'));
    IF NOT cron_ready THEN
        RETURN QUERY SELECT 'cron'::text, 'pg_cron'::text, 'not installed in this database'::text,
                            pg_catalog.jsonb_build_object('cron.database_name',
                                                          pg_catalog.current_setting('cron.database_name', true));
    ELSIF NOT (pg_catalog.has_schema_privilege('cron', 'USAGE')
               AND pg_catalog.has_table_privilege('cron.job', 'SELECT')
               AND pg_catalog.has_table_privilege('cron.job_run_details', 'SELECT')) THEN
        RETURN QUERY SELECT 'cron'::text, 'pg_cron'::text, 'not readable by ' || current_user, '{}'::jsonb;
    ELSE
        RETURN QUERY EXECUTE $cron$
            SELECT 'cron'::text, COALESCE(j.jobname, 'job ' || j.jobid)::text,
                   CASE WHEN lr.status IS NULL THEN 'never run'
                        ELSE 'last run ' || lr.status || ' ' || pg_catalog.date_trunc('second', now() - lr.start_time) || ' ago' END
                       || CASE WHEN lf.start_time IS NULL THEN ''
                               ELSE ', last failure ' || pg_catalog.date_trunc('second', now() - lf.start_time) || ' ago' END
                       || CASE WHEN j.active THEN '' ELSE ' (inactive)' END,
                   pg_catalog.jsonb_build_object(
                       'jobid', j.jobid, 'schedule', j.schedule, 'command', j.command, 'active', j.active,
                       'last_run_at', lr.start_time, 'last_run_ended_at', lr.end_time, 'last_status', lr.status,
                       'last_failure_at', lf.start_time, 'last_failure_message', lf.return_message)
              FROM cron.job j
              LEFT JOIN (SELECT DISTINCT ON (d.jobid) d.jobid, d.status, d.start_time, d.end_time
                           FROM cron.job_run_details d
                          ORDER BY d.jobid, d.start_time DESC NULLS LAST) lr ON lr.jobid = j.jobid
              LEFT JOIN (SELECT DISTINCT ON (d.jobid) d.jobid, d.start_time, d.return_message
                           FROM cron.job_run_details d WHERE d.status = 'failed'
                          ORDER BY d.jobid, d.start_time DESC NULLS LAST) lf ON lf.jobid = j.jobid
             WHERE j.database = pg_catalog.current_database()
               AND (j.jobname LIKE 'creator\_platform%' OR j.command LIKE '%creator\_platform%')
             ORDER BY 2
        $cron$;
    END IF;

    -- the outbox: events nobody has claimed yet
    RETURN QUERY
    SELECT 'events'::text, 'backlog'::text,
           b.n || ' unprocessed' || CASE WHEN b.oldest IS NULL THEN ''
                                         ELSE ', oldest ' || pg_catalog.date_trunc('second', now() - b.oldest) || ' old' END,
           pg_catalog.jsonb_build_object('unprocessed', b.n, 'oldest_created_at', b.oldest,
               'oldest_age_seconds', pg_catalog.round(pg_catalog.date_part('epoch', now() - b.oldest)::numeric))
      FROM (SELECT pg_catalog.count(*) AS n,
                   (SELECT e.created_at FROM creator_platform.events e WHERE e.processed_at IS NULL
                     ORDER BY e.id LIMIT 1) AS oldest
              FROM creator_platform.events e WHERE e.processed_at IS NULL) b;
END
$function$;
COMMENT ON FUNCTION creator_platform.health_report() IS
    'The rows of the health view (kind, name, value, detail); pg_cron''s tables are looked up at run time, so it works without pg_cron';

CREATE VIEW creator_platform.health AS
SELECT h.kind, h.name, h.value, h.detail FROM creator_platform.health_report() h;
COMMENT ON VIEW creator_platform.health IS
    'At a glance: size, dead rows, vacuum and analyze of every table and view, index sizes, how old the statistics are, the last run of each maintenance job (and pg_cron''s last run and failure where installed), the unprocessed event backlog';
-- ==== statistics: end

-- ==== maintenance: begin
--------------------------------------------------------------------------------
-- Maintenance with pg_cron: named jobs, scheduled where pg_cron lives
-- (cron.database_name), run in the database that uses the extension.
--------------------------------------------------------------------------------

-- Posts published before this are due for the nightly archiving job.
CREATE FUNCTION creator_platform.archive_cutoff() RETURNS timestamptz
    LANGUAGE c STABLE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'cp_archive_cutoff';
COMMENT ON FUNCTION creator_platform.archive_cutoff() IS
    'The start of the current transaction minus creator_platform.archive_after (default 2 years): the nightly job archives posts published before it';

CREATE FUNCTION creator_platform.purge_processed_events(older_than interval DEFAULT '7 days')
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
REVOKE ALL ON FUNCTION creator_platform.purge_processed_events(interval) FROM PUBLIC;
COMMENT ON FUNCTION creator_platform.purge_processed_events(interval) IS
    'Deletes events processed longer ago than older_than (default 7 days); unprocessed events are never deleted; returns how many; 22023 for NULL or a negative interval';

-- The jobs schedule_maintenance creates for `database`: name, cron schedule,
-- command, and the database the command runs in (the cron history is purged
-- in pg_cron's own database).
CREATE FUNCTION creator_platform.maintenance_jobs(database text DEFAULT pg_catalog.current_database())
RETURNS TABLE (job_name text, schedule text, command text, run_in text)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $function$
DECLARE
    suffix text;
BEGIN
    IF database IS NULL OR database OPERATOR(pg_catalog.=) '' THEN
        RAISE EXCEPTION 'database must not be NULL or empty' USING ERRCODE = '22023';
    END IF;
    -- job names are of type name (63 bytes): a long database name is hashed
    suffix := CASE WHEN pg_catalog.octet_length(database) OPERATOR(pg_catalog.<=) 30 THEN database
                   ELSE pg_catalog.left(pg_catalog.md5(database), 16) END;
    RETURN QUERY
    SELECT pg_catalog.format('creator_platform:%s:%s', j.job, suffix), j.schedule, j.command,
           coalesce(j.run_in, database)
      FROM (VALUES
        ('publish_due_posts', '* * * * *', 'SELECT creator_platform.publish_due_posts()', NULL::text),
        ('refresh_stats', '*/10 * * * *', 'SELECT creator_platform.refresh_stats()', NULL),
        ('archive', '30 3 * * *', 'CALL creator_platform.archive_old_posts(creator_platform.archive_cutoff())', NULL),
        ('reconcile_counters', '0 4 * * *',
         'SELECT pg_catalog.count(*) FROM creator_platform.reconcile_counters(true)', NULL),
        ('purge_events', '15 4 * * *', 'SELECT creator_platform.purge_processed_events()', NULL),
        ('purge_cron_history', '45 4 * * *',
         'DELETE FROM cron.job_run_details WHERE end_time OPERATOR(pg_catalog.<) (pg_catalog.now() OPERATOR(pg_catalog.-) interval ''14 days'')',
         pg_catalog.current_setting('cron.database_name', true))
      ) AS j(job, schedule, command, run_in);
END
$function$;
COMMENT ON FUNCTION creator_platform.maintenance_jobs(text) IS
    'The pg_cron jobs schedule_maintenance(database) creates: name, schedule, command and the database it runs in';

-- Where pg_cron lives (cron.database_name), and how to reach it: 'local' when
-- that is this database, 'dblink' through the dblink extension of this
-- database, else NULL. 55000 when pg_cron is not loaded.
CREATE FUNCTION creator_platform._cron_route(OUT cron_db text, OUT route text, OUT dblink_schema text)
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
REVOKE ALL ON FUNCTION creator_platform._cron_route() FROM PUBLIC;
COMMENT ON FUNCTION creator_platform._cron_route() IS
    'Internal: the database pg_cron lives in and how schedule_maintenance reaches it';

-- A libpq connection string to database `db` of this server (the first
-- socket directory, else localhost; this server's port); values quoted as
-- libpq wants them.
CREATE FUNCTION creator_platform._cron_conninfo(db text) RETURNS text
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
AS $function$
    SELECT pg_catalog.format('dbname=%s host=%s port=%s', q.db, q.host, pg_catalog.current_setting('port'))
      FROM (SELECT '''' || pg_catalog.replace(pg_catalog.replace(v.db, '\', '\\'), '''', '\''') || '''' AS db,
                   '''' || pg_catalog.replace(pg_catalog.replace(v.host, '\', '\\'), '''', '\''') || '''' AS host
              FROM (SELECT db, coalesce(NULLIF(pg_catalog.btrim(pg_catalog.split_part(
                                   pg_catalog.current_setting('unix_socket_directories'), ',', 1)), ''),
                               'localhost') AS host) AS v) AS q
$function$;
REVOKE ALL ON FUNCTION creator_platform._cron_conninfo(text) FROM PUBLIC;
COMMENT ON FUNCTION creator_platform._cron_conninfo(text) IS
    'Internal: a libpq connection string to a database of this server, for dblink';

CREATE FUNCTION creator_platform.schedule_maintenance(database text DEFAULT pg_catalog.current_database())
RETURNS SETOF bigint
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $function$
DECLARE
    r record;
    calls text;
    statements text;
BEGIN
    IF database IS NULL OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_database d
                                        WHERE d.datname OPERATOR(pg_catalog.=) database) THEN
        RAISE EXCEPTION 'database % does not exist', coalesce(pg_catalog.quote_literal(database), 'NULL')
              USING ERRCODE = '22023';
    END IF;
    r := creator_platform._cron_route();
    -- one statement for all the jobs, so that they are scheduled together or not at all
    SELECT pg_catalog.string_agg(pg_catalog.format('(%L, %L, %L, %L)', j.job_name, j.schedule, j.command, j.run_in),
                                 ', ' ORDER BY j.job_name) INTO calls
      FROM creator_platform.maintenance_jobs(database) AS j;
    calls := 'SELECT cron.schedule_in_database(v.n, v.s, v.c, v.d) FROM (VALUES ' || calls
             || ') AS v(n, s, c, d) ORDER BY v.n';
    IF r.route OPERATOR(pg_catalog.=) 'local' THEN
        RETURN QUERY EXECUTE calls;
    ELSIF r.route OPERATOR(pg_catalog.=) 'dblink' THEN
        RETURN QUERY EXECUTE pg_catalog.format('SELECT t.id FROM %I.dblink(%L, %L) AS t(id bigint)',
                                               r.dblink_schema, creator_platform._cron_conninfo(r.cron_db), calls);
    ELSE
        SELECT pg_catalog.string_agg(pg_catalog.format('SELECT cron.schedule_in_database(%L, %L, %L, %L);',
                                                       j.job_name, j.schedule, j.command, j.run_in), E'\n' ORDER BY j.job_name)
          INTO statements FROM creator_platform.maintenance_jobs(database) AS j;
        RAISE EXCEPTION 'pg_cron lives in database %, and dblink is not installed in this one', r.cron_db
              USING ERRCODE = '55000',
                    DETAIL = 'nothing was scheduled',
                    HINT = pg_catalog.format(E'CREATE EXTENSION dblink here and call schedule_maintenance again, or connect to database %s and run:\n%s',
                                             r.cron_db, statements);
    END IF;
END
$function$;
REVOKE ALL ON FUNCTION creator_platform.schedule_maintenance(text) FROM PUBLIC;
COMMENT ON FUNCTION creator_platform.schedule_maintenance(text) IS
    'Schedules the extension''s named pg_cron jobs for a database (maintenance_jobs lists them): in pg_cron''s own database directly, or through dblink from another; idempotent (a second call updates the same jobs); returns the job ids; 55000 without pg_cron, or without dblink where pg_cron lives elsewhere (the hint gives the statements to run there); 22023 for an unknown database';

CREATE FUNCTION creator_platform.unschedule_maintenance() RETURNS integer
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $function$
DECLARE
    r record;
    names text[];
    remove text;
    n integer;
BEGIN
    r := creator_platform._cron_route();
    SELECT pg_catalog.array_agg(j.job_name) INTO names FROM creator_platform.maintenance_jobs() AS j;
    remove := pg_catalog.format('SELECT pg_catalog.count(*)::integer FROM cron.job j '
                                'WHERE j.jobname OPERATOR(pg_catalog.=) ANY (%L::text[]) AND cron.unschedule(j.jobid)', names);
    IF r.route OPERATOR(pg_catalog.=) 'local' THEN
        EXECUTE remove INTO n;
    ELSIF r.route OPERATOR(pg_catalog.=) 'dblink' THEN
        EXECUTE pg_catalog.format('SELECT t.n FROM %I.dblink(%L, %L) AS t(n integer)',
                                  r.dblink_schema, creator_platform._cron_conninfo(r.cron_db), remove) INTO n;
    ELSE
        RAISE EXCEPTION 'pg_cron lives in database %, and dblink is not installed in this one', r.cron_db
              USING ERRCODE = '55000',
                    DETAIL = 'nothing was unscheduled',
                    HINT = pg_catalog.format(E'CREATE EXTENSION dblink here and call unschedule_maintenance again, or connect to database %s and run:\n%s;',
                                             r.cron_db, remove);
    END IF;
    RETURN n;
END
$function$;
REVOKE ALL ON FUNCTION creator_platform.unschedule_maintenance() FROM PUBLIC;
COMMENT ON FUNCTION creator_platform.unschedule_maintenance() IS
    'Removes the pg_cron jobs schedule_maintenance created for this database; returns how many; 55000 as for schedule_maintenance';
-- ==== maintenance: end
