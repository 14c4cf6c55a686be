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
-- ==== privileges: end

-- ==== row-level security: begin
-- ==== row-level security: end

-- ==== backups: begin
-- ==== backups: end
