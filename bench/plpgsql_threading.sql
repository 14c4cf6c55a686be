-- bench/plpgsql_threading.sql: side C of the comment-insert benchmark.
--
--   psql -X -v ON_ERROR_STOP=1 -d bench -f bench/plpgsql_threading.sql
--
-- Creates schema bench_plpgsql with copies of creator_platform.posts, .comments
-- and .events (same columns, constraints, indexes, foreign keys and data, taken
-- from the creator_platform tables as they are when this runs) and PL/pgSQL
-- triggers that implement the same rules, in the same way, as the C++ triggers
-- of src/comments.cpp and src/triggers.cpp:
--
--   comments_before_insert  BEFORE INSERT ROW   post exists and is published, parent exists on the
--                                               same post and is not deleted, depth <=
--                                               creator_platform.max_comment_depth; sets depth,
--                                               path = parent.path || int8send(created_at us ^ sign)
--                                               || uuid_send(id), reply_count = 0
--   comments_before_update  BEFORE UPDATE ROW   ids, created_at, depth, path, reply_count never
--                                               change (the database's own writes pass)
--   comments_before_delete  BEFORE DELETE ROW   locks the post first
--   comments_after_insert   AFTER INSERT STMT   comment_count / reply_count in id order (one
--                                               UPDATE per row up to 16 rows, else lock in id
--                                               order + one set-based UPDATE), comment_added
--                                               events + pg_notify
--   comments_after_update   AFTER UPDATE STMT   comment_count when placeholders change
--   comments_after_delete   AFTER DELETE STMT   comment_count / reply_count
--   posts_comment_count_*   BEFORE ROW          counter guard (as creator_platform.counter_guard)
--   posts_set_updated_at    BEFORE UPDATE ROW   updated_at (skipped for counter maintenance)
--   the other triggers of creator_platform.posts, copied as they are (they do not fire
--   for counter updates)
--
-- The C++ code marks its own counter writes with an in-memory InternalWrite
-- flag; PL/pgSQL has no such thing, so this copy uses a transaction-local
-- custom setting (bench_plpgsql.internal_write) set around the counter UPDATEs.
-- Only for benchmarking: it is not a hardened implementation (an application
-- could set the flag itself).

\set ON_ERROR_STOP on
SET client_min_messages = warning;

DROP SCHEMA IF EXISTS bench_plpgsql CASCADE;
CREATE SCHEMA bench_plpgsql;

--------------------------------------------------------------------------------
-- Tables: copies with the same columns, constraints, indexes and foreign keys
--------------------------------------------------------------------------------
CREATE TABLE bench_plpgsql.posts (LIKE creator_platform.posts INCLUDING ALL);
ALTER TABLE bench_plpgsql.posts
    ADD CONSTRAINT posts_creator_id_fkey FOREIGN KEY (creator_id) REFERENCES creator_platform.users (id)
        ON DELETE CASCADE;

CREATE TABLE bench_plpgsql.comments (LIKE creator_platform.comments INCLUDING ALL);
ALTER TABLE bench_plpgsql.comments
    ADD CONSTRAINT comments_post_id_fkey FOREIGN KEY (post_id) REFERENCES bench_plpgsql.posts (id)
        ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    ADD CONSTRAINT comments_user_id_fkey FOREIGN KEY (user_id) REFERENCES creator_platform.users (id)
        ON DELETE SET NULL,
    ADD CONSTRAINT comments_parent_comment_id_fkey FOREIGN KEY (parent_comment_id)
        REFERENCES bench_plpgsql.comments (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED;

CREATE SEQUENCE bench_plpgsql.events_id_seq AS bigint;
CREATE TABLE bench_plpgsql.events (LIKE creator_platform.events INCLUDING ALL);
ALTER TABLE bench_plpgsql.events ALTER COLUMN id SET DEFAULT pg_catalog.nextval('bench_plpgsql.events_id_seq');
ALTER SEQUENCE bench_plpgsql.events_id_seq OWNED BY bench_plpgsql.events.id;

-- The same data (before the triggers exist)
INSERT INTO bench_plpgsql.posts (id, creator_id, title, content, status, visibility, published_at,
                                 created_at, updated_at, comment_count)
SELECT p.id, p.creator_id, p.title, p.content, p.status, p.visibility, p.published_at,
       p.created_at, p.updated_at, p.comment_count
  FROM creator_platform.posts p;
INSERT INTO bench_plpgsql.comments (id, post_id, user_id, parent_comment_id, content, created_at, depth,
                                    reply_count, deleted_at, path)
SELECT c.id, c.post_id, c.user_id, c.parent_comment_id, c.content, c.created_at, c.depth,
       c.reply_count, c.deleted_at, c.path
  FROM creator_platform.comments c
 ORDER BY c.id;

--------------------------------------------------------------------------------
-- posts: counter guard and updated_at
--------------------------------------------------------------------------------
CREATE FUNCTION bench_plpgsql.counter_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF pg_catalog.current_setting('bench_plpgsql.internal_write', true) IS NOT DISTINCT FROM 'on' THEN
            RETURN NEW;
        END IF;
        IF NEW.comment_count IS NOT NULL AND NEW.comment_count <> 0 THEN
            RAISE EXCEPTION USING ERRCODE = '23514', MESSAGE = 'comment_count of a new row must be 0',
                DETAIL = 'comment_count is maintained by the database';
        END IF;
        RETURN NEW;
    END IF;
    IF pg_catalog.current_setting('bench_plpgsql.internal_write', true) IS DISTINCT FROM 'on'
       AND NEW.comment_count IS DISTINCT FROM OLD.comment_count THEN
        RAISE EXCEPTION USING ERRCODE = '55000', MESSAGE = 'comment_count is maintained by the database',
            DETAIL = 'applications cannot set it';
    END IF;
    RETURN NEW;
END
$fn$;

CREATE FUNCTION bench_plpgsql.set_updated_at() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF pg_catalog.current_setting('bench_plpgsql.internal_write', true) IS NOT DISTINCT FROM 'on' THEN
        RETURN NEW;
    END IF;
    NEW.updated_at := pg_catalog.now();
    RETURN NEW;
END
$fn$;

CREATE TRIGGER posts_comment_count_insert BEFORE INSERT ON bench_plpgsql.posts
    FOR EACH ROW EXECUTE FUNCTION bench_plpgsql.counter_guard();
CREATE TRIGGER posts_comment_count_update BEFORE UPDATE OF comment_count ON bench_plpgsql.posts
    FOR EACH ROW WHEN (OLD.comment_count IS DISTINCT FROM NEW.comment_count)
    EXECUTE FUNCTION bench_plpgsql.counter_guard();
CREATE TRIGGER posts_set_updated_at BEFORE UPDATE ON bench_plpgsql.posts
    FOR EACH ROW EXECUTE FUNCTION bench_plpgsql.set_updated_at();

-- The other triggers of creator_platform.posts (post lifecycle, owner role,
-- post_published event) do not fire for counter updates: their WHEN clauses or
-- events exclude them. They are copied as they are, calling the same functions,
-- so that a counter UPDATE on either side considers the same set of triggers.
DO $copy$
DECLARE
    t record;
BEGIN
    FOR t IN
        SELECT pg_catalog.pg_get_triggerdef(tg.oid) AS def
          FROM pg_catalog.pg_trigger tg
         WHERE tg.tgrelid = 'creator_platform.posts'::regclass AND NOT tg.tgisinternal
           AND tg.tgname NOT IN ('posts_comment_count_insert', 'posts_comment_count_update', 'posts_set_updated_at')
         ORDER BY tg.tgname
    LOOP
        EXECUTE pg_catalog.replace(t.def, ' ON creator_platform.posts ', ' ON bench_plpgsql.posts ');
    END LOOP;
END
$copy$;

--------------------------------------------------------------------------------
-- comments: BEFORE INSERT ROW, the threading rules
--------------------------------------------------------------------------------
CREATE FUNCTION bench_plpgsql.comments_before_insert() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_status    text;
    v_ppost     uuid;
    v_ppath     bytea;
    v_pdeleted  boolean;
    v_depth     integer;
    v_max_depth integer;
BEGIN
    IF pg_catalog.current_setting('bench_plpgsql.internal_write', true) IS NOT DISTINCT FROM 'on' THEN
        RETURN NEW;
    END IF;
    IF NEW.id IS NULL OR NEW.post_id IS NULL OR NEW.user_id IS NULL OR NEW.created_at IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '23502', MESSAGE = 'null value in a required column of relation "comments"',
            DETAIL = 'a new comment needs a post, an author, an id and a creation time';
    END IF;
    IF NEW.deleted_at IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '23514', MESSAGE = 'a new comment cannot be a deleted placeholder';
    END IF;
    IF NEW.reply_count IS NOT NULL AND NEW.reply_count <> 0 THEN
        RAISE EXCEPTION USING ERRCODE = '23514', MESSAGE = 'reply_count of a new comment must be 0';
    END IF;

    SELECT p.status::text INTO v_status FROM bench_plpgsql.posts p WHERE p.id = NEW.post_id;
    IF NOT FOUND THEN
        IF EXISTS (SELECT 1 FROM creator_platform.posts_archive a WHERE a.id = NEW.post_id) THEN
            RAISE EXCEPTION USING ERRCODE = '55000', MESSAGE = pg_catalog.format('post %s is archived', NEW.post_id);
        END IF;
        RAISE EXCEPTION USING ERRCODE = '23503', MESSAGE = pg_catalog.format('post %s does not exist', NEW.post_id);
    END IF;
    IF v_status <> 'published' THEN
        RAISE EXCEPTION USING ERRCODE = '55000', MESSAGE = 'comments go on published posts only',
            DETAIL = pg_catalog.format('post %s is %s', NEW.post_id, v_status);
    END IF;

    IF NEW.parent_comment_id IS NULL THEN
        v_ppath := '\x'::bytea;
        v_depth := 0;
    ELSE
        SELECT c.post_id, c.path, c.deleted_at IS NOT NULL INTO v_ppost, v_ppath, v_pdeleted
          FROM bench_plpgsql.comments c WHERE c.id = NEW.parent_comment_id;
        IF NOT FOUND THEN
            IF EXISTS (SELECT 1 FROM creator_platform.comments_archive a WHERE a.id = NEW.parent_comment_id) THEN
                RAISE EXCEPTION USING ERRCODE = '55000',
                    MESSAGE = pg_catalog.format('comment %s is archived', NEW.parent_comment_id);
            END IF;
            RAISE EXCEPTION USING ERRCODE = '23503',
                MESSAGE = pg_catalog.format('parent comment %s does not exist', NEW.parent_comment_id);
        END IF;
        IF v_ppost <> NEW.post_id THEN
            RAISE EXCEPTION USING ERRCODE = '23514', MESSAGE = 'a reply''s parent must be on the same post';
        END IF;
        IF v_pdeleted THEN
            RAISE EXCEPTION USING ERRCODE = '55000', MESSAGE = 'cannot reply to a deleted comment';
        END IF;
        IF pg_catalog.length(v_ppath) = 0 OR pg_catalog.length(v_ppath) % 24 <> 0 THEN
            RAISE EXCEPTION USING ERRCODE = 'XX000', MESSAGE = 'malformed path';
        END IF;
        v_depth := pg_catalog.length(v_ppath) / 24;   -- parent's depth + 1
    END IF;

    v_max_depth := coalesce(pg_catalog.current_setting('creator_platform.max_comment_depth', true), '64')::integer;
    IF v_depth > v_max_depth THEN
        RAISE EXCEPTION USING ERRCODE = '54000',
            MESSAGE = pg_catalog.format('comment depth %s exceeds creator_platform.max_comment_depth (%s)',
                                        v_depth, v_max_depth);
    END IF;

    NEW.depth := v_depth;
    NEW.reply_count := 0;
    NEW.path := v_ppath
        || pg_catalog.int8send(((EXTRACT(epoch FROM NEW.created_at) - 946684800) * 1000000)::bigint
                               # (-9223372036854775808)::bigint)
        || pg_catalog.uuid_send(NEW.id);
    RETURN NEW;
END
$fn$;

--------------------------------------------------------------------------------
-- comments: BEFORE UPDATE ROW and BEFORE DELETE ROW
--------------------------------------------------------------------------------
CREATE FUNCTION bench_plpgsql.comments_before_update() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF pg_catalog.current_setting('bench_plpgsql.internal_write', true) IS NOT DISTINCT FROM 'on' THEN
        RETURN NEW;
    END IF;
    IF NEW.id IS DISTINCT FROM OLD.id OR NEW.post_id IS DISTINCT FROM OLD.post_id
       OR NEW.parent_comment_id IS DISTINCT FROM OLD.parent_comment_id
       OR NEW.created_at IS DISTINCT FROM OLD.created_at OR NEW.depth IS DISTINCT FROM OLD.depth
       OR NEW.path IS DISTINCT FROM OLD.path THEN
        RAISE EXCEPTION USING ERRCODE = '55000', MESSAGE = 'ids, created_at, depth and path of a comment never change';
    END IF;
    IF NEW.reply_count IS DISTINCT FROM OLD.reply_count THEN
        RAISE EXCEPTION USING ERRCODE = '55000', MESSAGE = 'reply_count is maintained by the database';
    END IF;
    IF NEW.user_id IS DISTINCT FROM OLD.user_id AND NOT (NEW.user_id IS NULL AND NEW.deleted_at IS NOT NULL) THEN
        RAISE EXCEPTION USING ERRCODE = '55000', MESSAGE = 'user_id of a comment never changes';
    END IF;
    RETURN NEW;
END
$fn$;

CREATE FUNCTION bench_plpgsql.comments_before_delete() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF pg_catalog.current_setting('bench_plpgsql.internal_write', true) IS DISTINCT FROM 'on' THEN
        PERFORM 1 FROM bench_plpgsql.posts p WHERE p.id = OLD.post_id FOR NO KEY UPDATE;
    END IF;
    RETURN OLD;
END
$fn$;

--------------------------------------------------------------------------------
-- Counter deltas, applied in id order: one UPDATE per row up to 16 rows, else
-- lock all rows in id order and apply one set-based UPDATE (as apply_deltas)
--------------------------------------------------------------------------------
CREATE FUNCTION bench_plpgsql.apply_post_deltas(ids uuid[], deltas integer[]) RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    i integer;
BEGIN
    IF pg_catalog.cardinality(ids) = 0 THEN
        RETURN;
    END IF;
    IF pg_catalog.cardinality(ids) <= 16 THEN
        FOR i IN 1 .. pg_catalog.cardinality(ids) LOOP
            UPDATE bench_plpgsql.posts p SET comment_count = p.comment_count + deltas[i] WHERE p.id = ids[i];
        END LOOP;
        RETURN;
    END IF;
    PERFORM 1 FROM bench_plpgsql.posts p WHERE p.id = ANY (ids) ORDER BY p.id FOR NO KEY UPDATE;
    UPDATE bench_plpgsql.posts p SET comment_count = p.comment_count + d.n
      FROM ROWS FROM (pg_catalog.unnest(ids), pg_catalog.unnest(deltas)) AS d(id, n)
     WHERE p.id = d.id;
END
$fn$;

CREATE FUNCTION bench_plpgsql.apply_reply_deltas(ids uuid[], deltas integer[]) RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    i integer;
BEGIN
    IF pg_catalog.cardinality(ids) = 0 THEN
        RETURN;
    END IF;
    IF pg_catalog.cardinality(ids) <= 16 THEN
        FOR i IN 1 .. pg_catalog.cardinality(ids) LOOP
            UPDATE bench_plpgsql.comments c SET reply_count = c.reply_count + deltas[i] WHERE c.id = ids[i];
        END LOOP;
        RETURN;
    END IF;
    PERFORM 1 FROM bench_plpgsql.comments c WHERE c.id = ANY (ids) ORDER BY c.id FOR NO KEY UPDATE;
    UPDATE bench_plpgsql.comments c SET reply_count = c.reply_count + d.n
      FROM ROWS FROM (pg_catalog.unnest(ids), pg_catalog.unnest(deltas)) AS d(id, n)
     WHERE c.id = d.id;
END
$fn$;

--------------------------------------------------------------------------------
-- comments: AFTER ... FOR EACH STATEMENT with transition tables
--------------------------------------------------------------------------------
CREATE FUNCTION bench_plpgsql.comments_after_insert() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_post_ids    uuid[];
    v_post_n      integer[];
    v_parent_ids  uuid[];
    v_parent_n    integer[];
    e             record;
BEGIN
    IF pg_catalog.current_setting('bench_plpgsql.internal_write', true) IS NOT DISTINCT FROM 'on' THEN
        RETURN NULL;
    END IF;
    SELECT pg_catalog.array_agg(d.post_id ORDER BY d.post_id), pg_catalog.array_agg(d.n ORDER BY d.post_id)
      INTO v_post_ids, v_post_n
      FROM (SELECT r.post_id, pg_catalog.count(*)::integer AS n FROM new_rows r
             WHERE r.deleted_at IS NULL GROUP BY r.post_id) AS d;
    SELECT pg_catalog.array_agg(d.parent ORDER BY d.parent), pg_catalog.array_agg(d.n ORDER BY d.parent)
      INTO v_parent_ids, v_parent_n
      FROM (SELECT r.parent_comment_id AS parent, pg_catalog.count(*)::integer AS n FROM new_rows r
             WHERE r.parent_comment_id IS NOT NULL GROUP BY r.parent_comment_id) AS d;

    PERFORM pg_catalog.set_config('bench_plpgsql.internal_write', 'on', true);
    IF v_post_ids IS NOT NULL THEN
        PERFORM bench_plpgsql.apply_post_deltas(v_post_ids, v_post_n);
    END IF;
    IF v_parent_ids IS NOT NULL THEN
        PERFORM bench_plpgsql.apply_reply_deltas(v_parent_ids, v_parent_n);
    END IF;
    PERFORM pg_catalog.set_config('bench_plpgsql.internal_write', 'off', true);

    FOR e IN
        INSERT INTO bench_plpgsql.events (kind, payload)
        SELECT 'comment_added', pg_catalog.jsonb_build_object('comment_id', r.id, 'post_id', r.post_id,
                                                              'user_id', r.user_id)
          FROM new_rows r
        RETURNING id
    LOOP
        PERFORM pg_catalog.pg_notify('creator_platform_events', e.id::text);
    END LOOP;
    RETURN NULL;
END
$fn$;

CREATE FUNCTION bench_plpgsql.comments_after_update() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_ids uuid[];
    v_n   integer[];
BEGIN
    IF pg_catalog.current_setting('bench_plpgsql.internal_write', true) IS NOT DISTINCT FROM 'on' THEN
        RETURN NULL;
    END IF;
    SELECT pg_catalog.array_agg(d.post_id ORDER BY d.post_id), pg_catalog.array_agg(d.n ORDER BY d.post_id)
      INTO v_ids, v_n
      FROM (SELECT n.post_id,
                   pg_catalog.sum(CASE WHEN n.deleted_at IS NULL THEN 1 ELSE -1 END)::integer AS n
              FROM new_rows n JOIN old_rows o ON o.id = n.id
             WHERE (n.deleted_at IS NULL) <> (o.deleted_at IS NULL)
             GROUP BY n.post_id) AS d
     WHERE d.n <> 0;
    IF v_ids IS NOT NULL THEN
        PERFORM pg_catalog.set_config('bench_plpgsql.internal_write', 'on', true);
        PERFORM bench_plpgsql.apply_post_deltas(v_ids, v_n);
        PERFORM pg_catalog.set_config('bench_plpgsql.internal_write', 'off', true);
    END IF;
    RETURN NULL;
END
$fn$;

CREATE FUNCTION bench_plpgsql.comments_after_delete() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_post_ids    uuid[];
    v_post_n      integer[];
    v_parent_ids  uuid[];
    v_parent_n    integer[];
BEGIN
    IF pg_catalog.current_setting('bench_plpgsql.internal_write', true) IS NOT DISTINCT FROM 'on' THEN
        RETURN NULL;
    END IF;
    SELECT pg_catalog.array_agg(d.post_id ORDER BY d.post_id), pg_catalog.array_agg(-d.n ORDER BY d.post_id)
      INTO v_post_ids, v_post_n
      FROM (SELECT r.post_id, pg_catalog.count(*)::integer AS n FROM old_rows r
             WHERE r.deleted_at IS NULL GROUP BY r.post_id) AS d;
    SELECT pg_catalog.array_agg(d.parent ORDER BY d.parent), pg_catalog.array_agg(-d.n ORDER BY d.parent)
      INTO v_parent_ids, v_parent_n
      FROM (SELECT r.parent_comment_id AS parent, pg_catalog.count(*)::integer AS n FROM old_rows r
             WHERE r.parent_comment_id IS NOT NULL GROUP BY r.parent_comment_id) AS d;
    PERFORM pg_catalog.set_config('bench_plpgsql.internal_write', 'on', true);
    IF v_post_ids IS NOT NULL THEN
        PERFORM bench_plpgsql.apply_post_deltas(v_post_ids, v_post_n);
    END IF;
    IF v_parent_ids IS NOT NULL THEN
        -- parents deleted in the same statement are gone: the UPDATE skips them
        PERFORM bench_plpgsql.apply_reply_deltas(v_parent_ids, v_parent_n);
    END IF;
    PERFORM pg_catalog.set_config('bench_plpgsql.internal_write', 'off', true);
    RETURN NULL;
END
$fn$;

CREATE TRIGGER comments_before_insert BEFORE INSERT ON bench_plpgsql.comments
    FOR EACH ROW EXECUTE FUNCTION bench_plpgsql.comments_before_insert();
CREATE TRIGGER comments_before_update BEFORE UPDATE ON bench_plpgsql.comments
    FOR EACH ROW EXECUTE FUNCTION bench_plpgsql.comments_before_update();
CREATE TRIGGER comments_before_delete BEFORE DELETE ON bench_plpgsql.comments
    FOR EACH ROW EXECUTE FUNCTION bench_plpgsql.comments_before_delete();
CREATE TRIGGER comments_after_insert AFTER INSERT ON bench_plpgsql.comments
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bench_plpgsql.comments_after_insert();
CREATE TRIGGER comments_after_update AFTER UPDATE ON bench_plpgsql.comments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bench_plpgsql.comments_after_update();
CREATE TRIGGER comments_after_delete AFTER DELETE ON bench_plpgsql.comments
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bench_plpgsql.comments_after_delete();

VACUUM (ANALYZE) bench_plpgsql.posts, bench_plpgsql.comments, bench_plpgsql.events;
