-- creator_platform 0.1.0 -> 0.2.0: comment threading, exact counters,
-- subscription state, the post lifecycle, the outbox and deletion semantics,
-- all enforced inside the database. A fresh install of 0.2.0 runs 0.1.0 and
-- then this script (PostgreSQL does that by itself when no full 0.2.0 script
-- exists), so installs and upgrades end in the same catalog by construction.
\echo Use "ALTER EXTENSION creator_platform UPDATE TO '0.2.0'" to load this file. \quit

--------------------------------------------------------------------------------
-- Materialized paths: path = parent's path || created_at (8 bytes) || id (16)
-- (docs/architecture.md, "Comment threads"). Backfilled for rows from 0.1.0,
-- whose depth is recomputed from the path as well.
--------------------------------------------------------------------------------
ALTER TABLE creator_platform.comments ADD COLUMN path bytea;
ALTER TABLE creator_platform.comments_archive ADD COLUMN path bytea;

WITH RECURSIVE tree (id, path) AS (
    SELECT c.id,
           pg_catalog.int8send(((pg_catalog.extract('epoch', c.created_at) - 946684800) * 1000000)::bigint
                               OPERATOR(pg_catalog.#) (-9223372036854775808)::bigint)
             OPERATOR(pg_catalog.||) pg_catalog.uuid_send(c.id)
      FROM creator_platform.comments c
     WHERE c.parent_comment_id IS NULL
    UNION ALL
    SELECT c.id,
           t.path OPERATOR(pg_catalog.||)
           pg_catalog.int8send(((pg_catalog.extract('epoch', c.created_at) - 946684800) * 1000000)::bigint
                               OPERATOR(pg_catalog.#) (-9223372036854775808)::bigint)
             OPERATOR(pg_catalog.||) pg_catalog.uuid_send(c.id)
      FROM creator_platform.comments c
      JOIN tree t ON c.parent_comment_id OPERATOR(pg_catalog.=) t.id
)
UPDATE creator_platform.comments c
   SET path = t.path, depth = pg_catalog.length(t.path) / 24 - 1
  FROM tree t
 WHERE c.id OPERATOR(pg_catalog.=) t.id;

WITH RECURSIVE tree (id, path) AS (
    SELECT c.id,
           pg_catalog.int8send(((pg_catalog.extract('epoch', c.created_at) - 946684800) * 1000000)::bigint
                               OPERATOR(pg_catalog.#) (-9223372036854775808)::bigint)
             OPERATOR(pg_catalog.||) pg_catalog.uuid_send(c.id)
      FROM creator_platform.comments_archive c
     WHERE c.parent_comment_id IS NULL
    UNION ALL
    SELECT c.id,
           t.path OPERATOR(pg_catalog.||)
           pg_catalog.int8send(((pg_catalog.extract('epoch', c.created_at) - 946684800) * 1000000)::bigint
                               OPERATOR(pg_catalog.#) (-9223372036854775808)::bigint)
             OPERATOR(pg_catalog.||) pg_catalog.uuid_send(c.id)
      FROM creator_platform.comments_archive c
      JOIN tree t ON c.parent_comment_id OPERATOR(pg_catalog.=) t.id
)
UPDATE creator_platform.comments_archive c
   SET path = t.path, depth = pg_catalog.length(t.path) / 24 - 1
  FROM tree t
 WHERE c.id OPERATOR(pg_catalog.=) t.id;

ALTER TABLE creator_platform.comments ALTER COLUMN path SET NOT NULL;
ALTER TABLE creator_platform.comments_archive ALTER COLUMN path SET NOT NULL;
COMMENT ON COLUMN creator_platform.comments.path IS
    'Materialized path, set by the database: the parent''s path followed by this comment''s 24-byte key (created_at, id); ordering by (post_id, path) is the thread in depth-first order, siblings oldest first';
COMMENT ON COLUMN creator_platform.comments_archive.path IS 'The comment''s materialized path, as it was in comments';

-- A thread (or a subtree) is one range scan; it also serves FK lookups on post_id.
DROP INDEX creator_platform.comments_post_id_created_at_idx;
CREATE INDEX comments_thread_idx ON creator_platform.comments (post_id, path);
DROP INDEX creator_platform.comments_archive_post_id_created_at_idx;
CREATE INDEX comments_archive_thread_idx ON creator_platform.comments_archive (post_id, path);

--------------------------------------------------------------------------------
-- Counters: 0.1.0 did not maintain them; make them exact once, here.
--------------------------------------------------------------------------------
ALTER TABLE creator_platform.posts DISABLE TRIGGER posts_set_updated_at;
UPDATE creator_platform.posts p
   SET comment_count = n.live
  FROM (SELECT p2.id, (SELECT pg_catalog.count(*) FROM creator_platform.comments c
                        WHERE c.post_id OPERATOR(pg_catalog.=) p2.id AND c.deleted_at IS NULL)::integer AS live
          FROM creator_platform.posts p2) n
 WHERE p.id OPERATOR(pg_catalog.=) n.id AND p.comment_count OPERATOR(pg_catalog.<>) n.live;
ALTER TABLE creator_platform.posts ENABLE TRIGGER posts_set_updated_at;
UPDATE creator_platform.comments c
   SET reply_count = n.replies
  FROM (SELECT c2.id, (SELECT pg_catalog.count(*) FROM creator_platform.comments r
                        WHERE r.parent_comment_id OPERATOR(pg_catalog.=) c2.id)::integer AS replies
          FROM creator_platform.comments c2) n
 WHERE c.id OPERATOR(pg_catalog.=) n.id AND c.reply_count OPERATOR(pg_catalog.<>) n.replies;

--------------------------------------------------------------------------------
-- Deletion (docs/deletion.md). Deleting a post deletes its comments; deleting a
-- comment deletes its replies; deleting a user deletes their subscriptions
-- (both ways) and posts, and their comments, except that a comment of theirs
-- with replies stays as an anonymous placeholder (user_id NULL). The checks of
-- comments on posts and parents are deferred to commit, so that their KEY SHARE
-- locks come after the post and parent locks of the counter triggers.
--------------------------------------------------------------------------------
ALTER TABLE creator_platform.comments
    DROP CONSTRAINT comments_post_id_fkey,
    DROP CONSTRAINT comments_user_id_fkey,
    DROP CONSTRAINT comments_parent_comment_id_fkey,
    ALTER COLUMN user_id DROP NOT NULL,
    ADD CONSTRAINT comments_post_id_fkey FOREIGN KEY (post_id) REFERENCES creator_platform.posts (id)
        ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    ADD CONSTRAINT comments_user_id_fkey FOREIGN KEY (user_id) REFERENCES creator_platform.users (id)
        ON DELETE SET NULL,
    ADD CONSTRAINT comments_parent_comment_id_fkey FOREIGN KEY (parent_comment_id)
        REFERENCES creator_platform.comments (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    ADD CONSTRAINT comments_author_or_placeholder CHECK (user_id IS NOT NULL OR deleted_at IS NOT NULL);
COMMENT ON COLUMN creator_platform.comments.user_id IS
    'The author; never changes, except that a deleted placeholder loses it (NULL) when the author''s account is deleted';

ALTER TABLE creator_platform.posts
    DROP CONSTRAINT posts_creator_id_fkey,
    ADD CONSTRAINT posts_creator_id_fkey FOREIGN KEY (creator_id) REFERENCES creator_platform.users (id)
        ON DELETE CASCADE;
ALTER TABLE creator_platform.subscriptions
    DROP CONSTRAINT subscriptions_subscriber_id_fkey,
    DROP CONSTRAINT subscriptions_creator_id_fkey,
    ADD CONSTRAINT subscriptions_subscriber_id_fkey FOREIGN KEY (subscriber_id) REFERENCES creator_platform.users (id)
        ON DELETE CASCADE,
    ADD CONSTRAINT subscriptions_creator_id_fkey FOREIGN KEY (creator_id) REFERENCES creator_platform.users (id)
        ON DELETE CASCADE;
ALTER TABLE creator_platform.posts_archive
    DROP CONSTRAINT posts_archive_creator_id_fkey,
    ADD CONSTRAINT posts_archive_creator_id_fkey FOREIGN KEY (creator_id) REFERENCES creator_platform.users (id)
        ON DELETE CASCADE;
ALTER TABLE creator_platform.comments_archive
    DROP CONSTRAINT comments_archive_post_id_fkey,
    DROP CONSTRAINT comments_archive_user_id_fkey,
    DROP CONSTRAINT comments_archive_parent_comment_id_fkey,
    ALTER COLUMN user_id DROP NOT NULL,
    ADD CONSTRAINT comments_archive_post_id_fkey FOREIGN KEY (post_id) REFERENCES creator_platform.posts_archive (id)
        ON DELETE CASCADE,
    ADD CONSTRAINT comments_archive_user_id_fkey FOREIGN KEY (user_id) REFERENCES creator_platform.users (id)
        ON DELETE SET NULL,
    ADD CONSTRAINT comments_archive_parent_comment_id_fkey FOREIGN KEY (parent_comment_id)
        REFERENCES creator_platform.comments_archive (id) ON DELETE CASCADE;

--------------------------------------------------------------------------------
-- Threading and counters (C++, src/comments.cpp and src/triggers.cpp)
--------------------------------------------------------------------------------
CREATE FUNCTION creator_platform.comments_before_insert() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'cp_comments_before_insert';
COMMENT ON FUNCTION creator_platform.comments_before_insert() IS
    'BEFORE INSERT row trigger on comments: the post is published, the parent is a live comment of the same post, depth <= creator_platform.max_comment_depth; sets depth, path and reply_count';
CREATE FUNCTION creator_platform.comments_before_update() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'cp_comments_before_update';
COMMENT ON FUNCTION creator_platform.comments_before_update() IS
    'BEFORE UPDATE row trigger on comments: id, post_id, user_id, parent_comment_id, created_at, depth, path and reply_count are not the application''s to change (55000)';
CREATE FUNCTION creator_platform.comments_after_insert() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'cp_comments_after_insert';
COMMENT ON FUNCTION creator_platform.comments_after_insert() IS
    'AFTER INSERT statement trigger on comments: comment_count and reply_count once per statement in id order, comment_added events and NOTIFY';
CREATE FUNCTION creator_platform.comments_after_update() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'cp_comments_after_update';
COMMENT ON FUNCTION creator_platform.comments_after_update() IS
    'AFTER UPDATE statement trigger on comments: comment_count follows comments that become or stop being placeholders';
CREATE FUNCTION creator_platform.comments_after_delete() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'cp_comments_after_delete';
COMMENT ON FUNCTION creator_platform.comments_after_delete() IS
    'AFTER DELETE statement trigger on comments: comment_count and reply_count once per statement';
CREATE FUNCTION creator_platform.comments_after_truncate() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'cp_comments_after_truncate';
COMMENT ON FUNCTION creator_platform.comments_after_truncate() IS
    'AFTER TRUNCATE statement trigger on comments: every comment_count becomes 0';
CREATE FUNCTION creator_platform.counter_guard() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'cp_counter_guard';
COMMENT ON FUNCTION creator_platform.counter_guard() IS
    'BEFORE INSERT OR UPDATE row trigger (argument: a counter column): a new row starts at 0 (23514), applications cannot change it (55000)';

CREATE TRIGGER comments_before_insert BEFORE INSERT ON creator_platform.comments
    FOR EACH ROW EXECUTE FUNCTION creator_platform.comments_before_insert();
CREATE TRIGGER comments_before_update BEFORE UPDATE ON creator_platform.comments
    FOR EACH ROW EXECUTE FUNCTION creator_platform.comments_before_update();
CREATE TRIGGER comments_after_insert AFTER INSERT ON creator_platform.comments
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION creator_platform.comments_after_insert();
CREATE TRIGGER comments_after_update AFTER UPDATE ON creator_platform.comments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION creator_platform.comments_after_update();
CREATE TRIGGER comments_after_delete AFTER DELETE ON creator_platform.comments
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION creator_platform.comments_after_delete();
CREATE TRIGGER comments_after_truncate AFTER TRUNCATE ON creator_platform.comments
    FOR EACH STATEMENT EXECUTE FUNCTION creator_platform.comments_after_truncate();
CREATE TRIGGER posts_comment_count_insert BEFORE INSERT ON creator_platform.posts
    FOR EACH ROW EXECUTE FUNCTION creator_platform.counter_guard('comment_count');
CREATE TRIGGER posts_comment_count_update BEFORE UPDATE OF comment_count ON creator_platform.posts
    FOR EACH ROW WHEN (OLD.comment_count IS DISTINCT FROM NEW.comment_count)
    EXECUTE FUNCTION creator_platform.counter_guard('comment_count');

COMMENT ON TRIGGER comments_before_insert ON creator_platform.comments IS 'Threading rules and path, per row';
COMMENT ON TRIGGER comments_before_update ON creator_platform.comments IS 'Immutable and derived columns, per row';
COMMENT ON TRIGGER comments_after_insert ON creator_platform.comments IS 'Counters and comment_added events, per statement';
COMMENT ON TRIGGER comments_after_update ON creator_platform.comments IS 'comment_count on placeholder changes, per statement';
COMMENT ON TRIGGER comments_after_delete ON creator_platform.comments IS 'Counters, per statement';
COMMENT ON TRIGGER comments_after_truncate ON creator_platform.comments IS 'TRUNCATE leaves every post with 0 comments';
COMMENT ON TRIGGER posts_comment_count_insert ON creator_platform.posts IS 'A new post has comment_count 0';
COMMENT ON TRIGGER posts_comment_count_update ON creator_platform.posts IS 'comment_count is maintained by the database';

--------------------------------------------------------------------------------
-- add_comment / delete_comment
--------------------------------------------------------------------------------
CREATE FUNCTION creator_platform.add_comment(post_id uuid, user_id uuid, content text,
                                             parent_comment_id uuid DEFAULT NULL)
RETURNS creator_platform.comments
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $function$
DECLARE
    result creator_platform.comments;
BEGIN
    IF add_comment.post_id IS NULL OR add_comment.user_id IS NULL OR add_comment.content IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22023',
            MESSAGE = 'post_id, user_id and content must not be NULL',
            DETAIL = pg_catalog.format('post_id %s, user_id %s, content %s', add_comment.post_id,
                                       add_comment.user_id,
                                       CASE WHEN add_comment.content IS NULL THEN 'NULL' ELSE 'given' END);
    END IF;
    INSERT INTO creator_platform.comments AS c (post_id, user_id, parent_comment_id, content)
    VALUES (add_comment.post_id, add_comment.user_id, add_comment.parent_comment_id, add_comment.content)
    RETURNING c.id, c.post_id, c.user_id, c.parent_comment_id, c.content, c.created_at, c.depth,
              c.reply_count, c.deleted_at, c.path
    INTO result;
    RETURN result;
END
$function$;
COMMENT ON FUNCTION creator_platform.add_comment(uuid, uuid, text, uuid) IS
    'Adds a comment (a reply when parent_comment_id is given) and returns it; the threading rules raise 55000 (post not published or archived, parent deleted), 23514 (parent on another post), 54000 (too deep), 23503 (unknown post or parent)';

CREATE FUNCTION creator_platform.delete_comment(comment_id uuid) RETURNS void
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
COMMENT ON FUNCTION creator_platform.delete_comment(uuid) IS
    'Deletes a comment: one with replies stays as a placeholder (content '''', deleted_at set) so its thread stays whole, one without is removed; idempotent; 55000 for an archived comment';

CREATE FUNCTION creator_platform.users_before_delete() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
BEGIN
    -- Their posts go first, with every comment on them; then their comments
    -- that nobody replied to, leaves first, until none is left; what remains
    -- has replies by others and becomes an anonymous placeholder here, in this
    -- statement, so that no later foreign-key action of this DELETE (or of
    -- another user deleted by the same statement) meets a row it already changed.
    DELETE FROM creator_platform.posts p WHERE p.creator_id OPERATOR(pg_catalog.=) OLD.id;
    DELETE FROM creator_platform.posts_archive p WHERE p.creator_id OPERATOR(pg_catalog.=) OLD.id;
    LOOP
        DELETE FROM creator_platform.comments c
         WHERE c.user_id OPERATOR(pg_catalog.=) OLD.id AND c.reply_count OPERATOR(pg_catalog.=) 0;
        EXIT WHEN NOT FOUND;
    END LOOP;
    UPDATE creator_platform.comments c
       SET content = '', deleted_at = COALESCE(c.deleted_at, pg_catalog.now()), user_id = NULL
     WHERE c.user_id OPERATOR(pg_catalog.=) OLD.id;
    -- Archived comments on others' archived posts: anonymous placeholders too,
    -- with the archived posts' comment_count following.
    UPDATE creator_platform.posts_archive p
       SET comment_count = p.comment_count OPERATOR(pg_catalog.-) d.n
      FROM (SELECT c.post_id, pg_catalog.count(*)::integer AS n FROM creator_platform.comments_archive c
             WHERE c.user_id OPERATOR(pg_catalog.=) OLD.id AND c.deleted_at IS NULL
             GROUP BY c.post_id) d
     WHERE p.id OPERATOR(pg_catalog.=) d.post_id;
    UPDATE creator_platform.comments_archive c
       SET content = '', deleted_at = COALESCE(c.deleted_at, pg_catalog.now()), user_id = NULL
     WHERE c.user_id OPERATOR(pg_catalog.=) OLD.id;
    RETURN OLD;
END
$function$;
COMMENT ON FUNCTION creator_platform.users_before_delete() IS
    'BEFORE DELETE row trigger on users: the user''s comments with replies become anonymous placeholders, the others are removed';
CREATE TRIGGER users_before_delete BEFORE DELETE ON creator_platform.users
    FOR EACH ROW EXECUTE FUNCTION creator_platform.users_before_delete();
COMMENT ON TRIGGER users_before_delete ON creator_platform.users IS 'Keeps threads whole when an account is deleted';

--------------------------------------------------------------------------------
-- creator_platform 0.2.0, part "lifecycle": posts' publishing lifecycle, the
-- owner-role rules, subscriptions' state machine, the outbox events of posts
-- and subscriptions, and their functions (publish_post, schedule_post,
-- publish_due_posts, subscribe, cancel_subscription, claim_events).
-- Documented in docs/reference.md ("Post lifecycle", "Subscriptions", "Events").
--
-- Name resolution. Every function pins search_path = pg_catalog, pg_temp, names
-- every object of the extension with its schema and calls built-in functions
-- as pg_catalog.x(). Operators inside the bodies are left unqualified for
-- readability: with that search_path they resolve in pg_catalog only (pg_temp
-- is never searched for operators or functions), enum comparisons included. Trigger WHEN clauses
-- are parsed once, here, under the script's search_path: they spell enum
-- operators OPERATOR(pg_catalog.=) / OPERATOR(pg_catalog.<>) like the 0.1.0
-- CHECK constraints do (status and role are NOT NULL in the stored row; a NULL
-- written by an UPDATE makes such a clause NULL, the trigger is skipped and the
-- NOT NULL constraint raises 23502). IS DISTINCT FROM (which cannot be
-- qualified) is used on uuid and timestamptz only, whose operators are exact
-- matches in pg_catalog, which is searched first.
--
-- Privileges. Trigger functions that read or lock rows the statement's own
-- user may not be allowed to touch (the owner-role checks take the same
-- FOR KEY SHARE row lock as the foreign key, which would otherwise need UPDATE
-- on users; the outbox writes events and calls nextval) are SECURITY DEFINER
-- with a pinned search_path, like the foreign key checks that run as the table
-- owner; EXECUTE on them is revoked from PUBLIC (a trigger function is only
-- checked for EXECUTE when a trigger is created, never when it fires). The
-- lifecycle and state triggers only look at and change NEW: SECURITY INVOKER.
--
-- Hot path: the database UPDATEs posts.comment_count on every comment, so every
-- row trigger on posts that cares about status, published_at or creator_id
-- only is guarded by a WHEN clause and is not even called for counter updates.

--------------------------------------------------------------------------------
-- Owner role: the creator of a post or of a subscription is a creator or an
-- admin (23514); a user who owns posts (live or archived) or is the creator of
-- any subscription cannot become a reader (23514).
--
-- Race between "insert a post for U" and "make U a reader": the insert locks
-- U's row FOR KEY SHARE before reading the role (the lock the foreign key takes
-- anyway, so nothing new blocks profile updates); the demotion locks U's row
-- FOR UPDATE, which waits for every such inserter to finish, then looks for
-- posts and subscriptions. Under READ COMMITTED either the inserter sees the
-- new role, or the demotion sees the committed post. (Under REPEATABLE READ
-- the demotion's snapshot can miss a post committed while it waited; under
-- SERIALIZABLE the pair is a serialization failure.)
--------------------------------------------------------------------------------
CREATE FUNCTION creator_platform.enforce_owner_role() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $function$
DECLARE
    owner_role creator_platform.user_role;
BEGIN
    IF NEW.creator_id IS NULL THEN
        RETURN NEW;                         -- NOT NULL raises 23502
    END IF;
    SELECT u.role INTO owner_role
      FROM creator_platform.users AS u
     WHERE u.id = NEW.creator_id
       FOR KEY SHARE;
    IF NOT FOUND THEN
        RETURN NEW;                         -- the foreign key raises 23503
    END IF;
    IF owner_role = 'reader' THEN
        IF TG_TABLE_NAME = 'posts' THEN
            RAISE EXCEPTION USING
                ERRCODE = '23514',
                MESSAGE = pg_catalog.format('user %s has role reader and cannot own a post', NEW.creator_id),
                DETAIL = 'The creator of a post must have role creator or admin.',
                SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME, COLUMN = 'creator_id';
        ELSE
            RAISE EXCEPTION USING
                ERRCODE = '23514',
                MESSAGE = pg_catalog.format('user %s has role reader and cannot be subscribed to', NEW.creator_id),
                DETAIL = 'The creator of a subscription must have role creator or admin.',
                SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME, COLUMN = 'creator_id';
        END IF;
    END IF;
    RETURN NEW;
END
$function$;
COMMENT ON FUNCTION creator_platform.enforce_owner_role() IS
    'BEFORE INSERT/UPDATE row trigger on posts and subscriptions: creator_id must be a user with role creator or admin (23514); locks that user FOR KEY SHARE so a concurrent change of role to reader waits';
REVOKE ALL ON FUNCTION creator_platform.enforce_owner_role() FROM PUBLIC;

CREATE FUNCTION creator_platform.enforce_reader_demotion() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $function$
BEGIN
    -- wait for the transactions that hold this row FOR KEY SHARE (inserting
    -- a post or subscription for this user right now), then look
    PERFORM 1 FROM creator_platform.users AS u WHERE u.id = OLD.id FOR UPDATE;
    IF EXISTS (SELECT 1 FROM creator_platform.posts AS p WHERE p.creator_id = OLD.id)
       OR EXISTS (SELECT 1 FROM creator_platform.posts_archive AS pa WHERE pa.creator_id = OLD.id)
    THEN
        RAISE EXCEPTION USING
            ERRCODE = '23514',
            MESSAGE = pg_catalog.format('user %s owns posts and cannot become a reader', OLD.id),
            DETAIL = 'The creator of a post must have role creator or admin.',
            HINT = 'Move or delete the user''s posts first.',
            SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME, COLUMN = 'role';
    END IF;
    IF EXISTS (SELECT 1 FROM creator_platform.subscriptions AS s WHERE s.creator_id = OLD.id) THEN
        RAISE EXCEPTION USING
            ERRCODE = '23514',
            MESSAGE = pg_catalog.format('user %s is the creator of subscriptions and cannot become a reader', OLD.id),
            DETAIL = 'The creator of a subscription (active or cancelled) must have role creator or admin.',
            SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME, COLUMN = 'role';
    END IF;
    RETURN NEW;
END
$function$;
COMMENT ON FUNCTION creator_platform.enforce_reader_demotion() IS
    'BEFORE UPDATE row trigger on users, when role becomes reader: refuses (23514) if the user owns posts (live or archived) or is the creator of any subscription';
REVOKE ALL ON FUNCTION creator_platform.enforce_reader_demotion() FROM PUBLIC;

CREATE TRIGGER posts_owner_role_insert
    BEFORE INSERT ON creator_platform.posts
    FOR EACH ROW EXECUTE FUNCTION creator_platform.enforce_owner_role();
COMMENT ON TRIGGER posts_owner_role_insert ON creator_platform.posts IS
    'A new post''s creator has role creator or admin (23514)';
CREATE TRIGGER posts_owner_role_update
    BEFORE UPDATE ON creator_platform.posts
    FOR EACH ROW
    WHEN (OLD.creator_id IS DISTINCT FROM NEW.creator_id)
    EXECUTE FUNCTION creator_platform.enforce_owner_role();
COMMENT ON TRIGGER posts_owner_role_update ON creator_platform.posts IS
    'A post given to another creator: the new one has role creator or admin (23514)';

CREATE TRIGGER subscriptions_owner_role_insert
    BEFORE INSERT ON creator_platform.subscriptions
    FOR EACH ROW EXECUTE FUNCTION creator_platform.enforce_owner_role();
COMMENT ON TRIGGER subscriptions_owner_role_insert ON creator_platform.subscriptions IS
    'A new subscription''s creator has role creator or admin (23514); creator_id never changes afterwards (subscriptions_state_update)';

CREATE TRIGGER users_reader_demotion
    BEFORE UPDATE ON creator_platform.users
    FOR EACH ROW
    WHEN (NEW.role OPERATOR(pg_catalog.=) 'reader'::creator_platform.user_role
          AND OLD.role OPERATOR(pg_catalog.<>) 'reader'::creator_platform.user_role)
    EXECUTE FUNCTION creator_platform.enforce_reader_demotion();
COMMENT ON TRIGGER users_reader_demotion ON creator_platform.users IS
    'A user who owns posts or is the creator of subscriptions cannot become a reader (23514)';

--------------------------------------------------------------------------------
-- Post lifecycle
--   transitions: draft->scheduled, draft->published, scheduled->draft,
--   scheduled->published, published->draft; anything else 55000. Any status
--   on INSERT.
--   published_at: becoming published (INSERT or UPDATE), a published_at that
--   is NULL or later than now() becomes now(), an earlier one is kept (a due
--   scheduled post keeps its time; imports keep their date); becoming a draft
--   clears it; scheduled needs it later than now() (23514); a draft that keeps
--   being a draft but gets a published_at: the CHECK
--   posts_published_at_matches_status (23514).
--------------------------------------------------------------------------------
CREATE FUNCTION creator_platform.enforce_post_lifecycle() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $function$
BEGIN
    IF NEW.status IS NULL THEN
        RETURN NEW;                         -- NOT NULL raises 23502
    END IF;

    IF TG_OP = 'UPDATE' AND NEW.status <> OLD.status THEN
        IF NOT ((OLD.status = 'draft' AND NEW.status IN ('scheduled', 'published'))
                OR (OLD.status = 'scheduled' AND NEW.status IN ('draft', 'published'))
                OR (OLD.status = 'published' AND NEW.status = 'draft'))
        THEN
            RAISE EXCEPTION USING
                ERRCODE = '55000',
                MESSAGE = pg_catalog.format('post %s cannot go from %s to %s', OLD.id, OLD.status, NEW.status),
                DETAIL = 'A post goes draft->scheduled, draft->published, scheduled->draft, '
                         'scheduled->published or published->draft.',
                HINT = 'A published post goes back to draft before it can be scheduled.',
                SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME, COLUMN = 'status';
        END IF;
    END IF;

    IF NEW.status = 'published' THEN
        IF TG_OP = 'INSERT' OR OLD.status <> 'published' THEN
            IF NEW.published_at IS NULL OR NEW.published_at > pg_catalog.now() THEN
                NEW.published_at := pg_catalog.now();
            END IF;
        END IF;
        -- a published post that stays published: published_at may be edited,
        -- not cleared (the CHECK raises 23514 for NULL)
    ELSIF NEW.status = 'draft' THEN
        IF TG_OP = 'UPDATE' AND OLD.status <> 'draft' THEN
            NEW.published_at := NULL;
        END IF;
        -- a draft that stays a draft and gets a published_at: the CHECK (23514)
    ELSIF NEW.published_at IS NULL OR NEW.published_at <= pg_catalog.now() THEN
        -- scheduled: inserted, or status or published_at changed (WHEN clause)
        RAISE EXCEPTION USING
            ERRCODE = '23514',
            MESSAGE = pg_catalog.format('post %s is scheduled but its published_at %s is not in the future',
                             NEW.id, coalesce(NEW.published_at::text, 'NULL')),
            DETAIL = pg_catalog.format('A scheduled post needs a published_at later than pg_catalog.now() (%s).', pg_catalog.now()),
            SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME, COLUMN = 'published_at';
    END IF;
    RETURN NEW;
END
$function$;
COMMENT ON FUNCTION creator_platform.enforce_post_lifecycle() IS
    'BEFORE INSERT/UPDATE row trigger on posts: allowed status transitions (55000 otherwise); sets published_at to now() when a post becomes published without a past one, clears it when a post goes back to draft; a scheduled post needs a future published_at (23514)';

CREATE TRIGGER posts_lifecycle_insert
    BEFORE INSERT ON creator_platform.posts
    FOR EACH ROW
    WHEN (NEW.status OPERATOR(pg_catalog.<>) 'draft'::creator_platform.post_status)
    EXECUTE FUNCTION creator_platform.enforce_post_lifecycle();
COMMENT ON TRIGGER posts_lifecycle_insert ON creator_platform.posts IS
    'A post inserted as published gets published_at now() unless given a past one; one inserted as scheduled needs a future published_at (23514)';
CREATE TRIGGER posts_lifecycle_update
    BEFORE UPDATE ON creator_platform.posts
    FOR EACH ROW
    WHEN (OLD.status OPERATOR(pg_catalog.<>) NEW.status OR OLD.published_at IS DISTINCT FROM NEW.published_at)
    EXECUTE FUNCTION creator_platform.enforce_post_lifecycle();
COMMENT ON TRIGGER posts_lifecycle_update ON creator_platform.posts IS
    'Status transitions of a post (55000 otherwise) and the published_at they imply; not called for other updates (comment_count)';

--------------------------------------------------------------------------------
-- Subscription state: INSERT active (cancelled_at NULL) or cancelled with
-- cancelled_at (history), both checked by the CHECK
-- subscriptions_cancelled_at_matches_status (23514). UPDATE: active ->
-- cancelled only, cancelled_at = now() whatever was written; a cancelled row
-- never changes again; subscriber_id, creator_id, subscribed_at never change;
-- an active row does not get a cancelled_at (55000 for all of these).
--------------------------------------------------------------------------------
CREATE FUNCTION creator_platform.enforce_subscription_state() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $function$
DECLARE
    changed text;
BEGIN
    IF OLD.status = 'cancelled' THEN
        RAISE EXCEPTION USING
            ERRCODE = '55000',
            MESSAGE = pg_catalog.format('subscription %s is cancelled and cannot change', OLD.id),
            DETAIL = 'A cancelled subscription never changes again.',
            HINT = 'Subscribe again: that makes a new active subscription.',
            SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME;
    END IF;

    -- a NULL written into a NOT NULL column is left to the NOT NULL constraint (23502)
    changed := CASE
        WHEN NEW.subscriber_id IS NOT NULL AND NEW.subscriber_id <> OLD.subscriber_id THEN 'subscriber_id'
        WHEN NEW.creator_id IS NOT NULL AND NEW.creator_id <> OLD.creator_id THEN 'creator_id'
        WHEN NEW.subscribed_at IS NOT NULL AND NEW.subscribed_at <> OLD.subscribed_at THEN 'subscribed_at'
    END;
    IF changed IS NOT NULL THEN
        RAISE EXCEPTION USING
            ERRCODE = '55000',
            MESSAGE = pg_catalog.format('%s of subscription %s cannot change', changed, OLD.id),
            DETAIL = 'subscriber_id, creator_id and subscribed_at of a subscription never change.',
            SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME, COLUMN = changed;
    END IF;

    IF NEW.status = 'cancelled' THEN
        NEW.cancelled_at := pg_catalog.now();          -- active -> cancelled: the database's time
    ELSIF NEW.status = 'active' AND NEW.cancelled_at IS NOT NULL THEN
        RAISE EXCEPTION USING
            ERRCODE = '55000',
            MESSAGE = pg_catalog.format('cancelled_at of active subscription %s cannot be set', OLD.id),
            DETAIL = 'cancelled_at is NULL while a subscription is active and is set by the database when it is cancelled.',
            HINT = 'Set status to cancelled, or call creator_platform.cancel_subscription().',
            SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME, COLUMN = 'cancelled_at';
    END IF;
    RETURN NEW;
END
$function$;
COMMENT ON FUNCTION creator_platform.enforce_subscription_state() IS
    'BEFORE UPDATE row trigger on subscriptions: active->cancelled only, with cancelled_at set to now(); a cancelled row, subscriber_id, creator_id and subscribed_at never change; an active row gets no cancelled_at (55000)';

CREATE TRIGGER subscriptions_state_update
    BEFORE UPDATE ON creator_platform.subscriptions
    FOR EACH ROW
    WHEN (OLD.status OPERATOR(pg_catalog.=) 'cancelled'::creator_platform.subscription_status
          OR OLD.status OPERATOR(pg_catalog.<>) NEW.status
          OR OLD.cancelled_at IS DISTINCT FROM NEW.cancelled_at
          OR OLD.subscriber_id IS DISTINCT FROM NEW.subscriber_id
          OR OLD.creator_id IS DISTINCT FROM NEW.creator_id
          OR OLD.subscribed_at IS DISTINCT FROM NEW.subscribed_at)
    EXECUTE FUNCTION creator_platform.enforce_subscription_state();
COMMENT ON TRIGGER subscriptions_state_update ON creator_platform.subscriptions IS
    'The subscription state machine: active->cancelled only, cancelled_at set by the database, cancelled rows and the pair never change (55000)';

--------------------------------------------------------------------------------
-- Outbox: events written in the same transaction as the change, each followed
-- by NOTIFY creator_platform_events with the event id (delivered at commit).
-- Inserts are handled per statement (transition table: one INSERT ... SELECT
-- into events for a bulk load), updates per row behind a WHEN clause.
--------------------------------------------------------------------------------
CREATE FUNCTION creator_platform.emit_post_published_inserted() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $function$
DECLARE
    notified bigint;
BEGIN
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
    'AFTER INSERT statement trigger on posts (transition table new_posts): one post_published event {post_id, creator_id} and one NOTIFY creator_platform_events per post inserted as published';
REVOKE ALL ON FUNCTION creator_platform.emit_post_published_inserted() FROM PUBLIC;

CREATE FUNCTION creator_platform.emit_post_published_updated() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $function$
DECLARE
    event_id bigint;
BEGIN
    INSERT INTO creator_platform.events AS ev (kind, payload)
    VALUES ('post_published', pg_catalog.jsonb_build_object('post_id', NEW.id, 'creator_id', NEW.creator_id))
    RETURNING ev.id INTO event_id;
    PERFORM pg_catalog.pg_notify('creator_platform_events', event_id::text);
    RETURN NULL;
END
$function$;
COMMENT ON FUNCTION creator_platform.emit_post_published_updated() IS
    'AFTER UPDATE row trigger on posts, when a post becomes published: a post_published event {post_id, creator_id} and NOTIFY creator_platform_events';
REVOKE ALL ON FUNCTION creator_platform.emit_post_published_updated() FROM PUBLIC;

CREATE TRIGGER posts_published_event_insert
    AFTER INSERT ON creator_platform.posts
    REFERENCING NEW TABLE AS new_posts
    FOR EACH STATEMENT EXECUTE FUNCTION creator_platform.emit_post_published_inserted();
COMMENT ON TRIGGER posts_published_event_insert ON creator_platform.posts IS
    'post_published events for the posts a statement inserts as published';
CREATE TRIGGER posts_published_event_update
    AFTER UPDATE ON creator_platform.posts
    FOR EACH ROW
    WHEN (NEW.status OPERATOR(pg_catalog.=) 'published'::creator_platform.post_status
          AND OLD.status OPERATOR(pg_catalog.<>) 'published'::creator_platform.post_status)
    EXECUTE FUNCTION creator_platform.emit_post_published_updated();
COMMENT ON TRIGGER posts_published_event_update ON creator_platform.posts IS
    'A post_published event when an UPDATE makes a post published';

CREATE FUNCTION creator_platform.emit_subscription_started() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $function$
DECLARE
    notified bigint;
BEGIN
    WITH added AS (
        INSERT INTO creator_platform.events AS ev (kind, payload)
        SELECT 'subscription_started',
               pg_catalog.jsonb_build_object('subscription_id', n.id, 'subscriber_id', n.subscriber_id,
                                  'creator_id', n.creator_id)
          FROM new_subscriptions AS n
         WHERE n.status = 'active'
        RETURNING ev.id
    )
    SELECT pg_catalog.count(pg_catalog.pg_notify('creator_platform_events', a.id::text)) INTO notified FROM added AS a;
    RETURN NULL;
END
$function$;
COMMENT ON FUNCTION creator_platform.emit_subscription_started() IS
    'AFTER INSERT statement trigger on subscriptions (transition table new_subscriptions): one subscription_started event {subscription_id, subscriber_id, creator_id} and one NOTIFY creator_platform_events per active row inserted';
REVOKE ALL ON FUNCTION creator_platform.emit_subscription_started() FROM PUBLIC;

CREATE FUNCTION creator_platform.emit_subscription_cancelled() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $function$
DECLARE
    event_id bigint;
BEGIN
    INSERT INTO creator_platform.events AS ev (kind, payload)
    VALUES ('subscription_cancelled',
            pg_catalog.jsonb_build_object('subscription_id', NEW.id, 'subscriber_id', NEW.subscriber_id,
                               'creator_id', NEW.creator_id))
    RETURNING ev.id INTO event_id;
    PERFORM pg_catalog.pg_notify('creator_platform_events', event_id::text);
    RETURN NULL;
END
$function$;
COMMENT ON FUNCTION creator_platform.emit_subscription_cancelled() IS
    'AFTER UPDATE row trigger on subscriptions, when one goes active->cancelled: a subscription_cancelled event {subscription_id, subscriber_id, creator_id} and NOTIFY creator_platform_events';
REVOKE ALL ON FUNCTION creator_platform.emit_subscription_cancelled() FROM PUBLIC;

CREATE TRIGGER subscriptions_started_event_insert
    AFTER INSERT ON creator_platform.subscriptions
    REFERENCING NEW TABLE AS new_subscriptions
    FOR EACH STATEMENT EXECUTE FUNCTION creator_platform.emit_subscription_started();
COMMENT ON TRIGGER subscriptions_started_event_insert ON creator_platform.subscriptions IS
    'subscription_started events for the active subscriptions a statement inserts (none for imported cancelled rows)';
CREATE TRIGGER subscriptions_cancelled_event_update
    AFTER UPDATE ON creator_platform.subscriptions
    FOR EACH ROW
    WHEN (OLD.status OPERATOR(pg_catalog.=) 'active'::creator_platform.subscription_status
          AND NEW.status OPERATOR(pg_catalog.=) 'cancelled'::creator_platform.subscription_status)
    EXECUTE FUNCTION creator_platform.emit_subscription_cancelled();
COMMENT ON TRIGGER subscriptions_cancelled_event_update ON creator_platform.subscriptions IS
    'A subscription_cancelled event when a subscription goes active->cancelled';

--------------------------------------------------------------------------------
-- Functions: posts
--------------------------------------------------------------------------------
CREATE FUNCTION creator_platform.publish_post(post_id uuid) RETURNS creator_platform.posts
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $function$
DECLARE
    result creator_platform.posts;
BEGIN
    IF publish_post.post_id IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'post_id must not be NULL';
    END IF;
    -- the lifecycle trigger sets published_at; a published post is left alone
    UPDATE creator_platform.posts AS p
       SET status = 'published'
     WHERE p.id = publish_post.post_id
       AND p.status <> 'published'
    RETURNING p.id, p.creator_id, p.title, p.content, p.status, p.visibility, p.published_at,
              p.created_at, p.updated_at, p.comment_count
         INTO result;
    IF FOUND THEN
        RETURN result;
    END IF;
    SELECT p.id, p.creator_id, p.title, p.content, p.status, p.visibility, p.published_at,
           p.created_at, p.updated_at, p.comment_count
      INTO result
      FROM creator_platform.posts AS p
     WHERE p.id = publish_post.post_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '22023',
            MESSAGE = pg_catalog.format('post %s does not exist', publish_post.post_id);
    END IF;
    RETURN result;                          -- already published: unchanged
END
$function$;
COMMENT ON FUNCTION creator_platform.publish_post(uuid) IS
    'Publishes a draft or scheduled post and returns it: published_at becomes now(), or stays the scheduled time if that has come. Idempotent: an already published post is returned unchanged (no event). 22023 for NULL or a post that does not exist';

CREATE FUNCTION creator_platform.schedule_post(post_id uuid, publish_at timestamptz)
    RETURNS creator_platform.posts
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $function$
DECLARE
    result creator_platform.posts;
BEGIN
    IF schedule_post.post_id IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'post_id must not be NULL';
    END IF;
    IF schedule_post.publish_at IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'publish_at must not be NULL';
    END IF;
    IF schedule_post.publish_at <= pg_catalog.now() THEN
        RAISE EXCEPTION USING ERRCODE = '22023',
            MESSAGE = pg_catalog.format('publish_at %s is not in the future', schedule_post.publish_at),
            DETAIL = pg_catalog.format('A post is scheduled for a time later than pg_catalog.now() (%s).', pg_catalog.now()),
            HINT = 'Call creator_platform.publish_post() to publish now.';
    END IF;
    -- a published post: the lifecycle trigger raises 55000 (published -> scheduled)
    UPDATE creator_platform.posts AS p
       SET status = 'scheduled', published_at = schedule_post.publish_at
     WHERE p.id = schedule_post.post_id
    RETURNING p.id, p.creator_id, p.title, p.content, p.status, p.visibility, p.published_at,
              p.created_at, p.updated_at, p.comment_count
         INTO result;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '22023',
            MESSAGE = pg_catalog.format('post %s does not exist', schedule_post.post_id);
    END IF;
    RETURN result;
END
$function$;
COMMENT ON FUNCTION creator_platform.schedule_post(uuid, timestamptz) IS
    'Schedules a draft, or re-schedules a scheduled post, for publish_at and returns it. 22023 for NULL arguments, a publish_at not in the future or a post that does not exist; 55000 for a published post';

CREATE FUNCTION creator_platform.publish_due_posts() RETURNS integer
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $function$
DECLARE
    published integer;
BEGIN
    -- posts_scheduled_idx finds the due posts; SKIP LOCKED leaves the ones a
    -- concurrent run (or an editor) holds, so two runs never publish a post
    -- twice nor wait for each other. The UPDATE then reaches each locked post
    -- by its primary key (= ANY of an array: an index scan whatever the row
    -- estimate). The lifecycle trigger keeps published_at, which is <= now().
    -- Every post published this way gets its post_published event.
    WITH due AS (
        SELECT p.id
          FROM creator_platform.posts AS p
         WHERE p.status = 'scheduled'
           AND p.published_at <= pg_catalog.now()
         ORDER BY p.published_at
           FOR UPDATE SKIP LOCKED
    )
    UPDATE creator_platform.posts AS p
       SET status = 'published'
     WHERE p.id = ANY (ARRAY(SELECT due.id FROM due));   -- locked above: still scheduled and due
    GET DIAGNOSTICS published = ROW_COUNT;
    RETURN published;
END
$function$;
COMMENT ON FUNCTION creator_platform.publish_due_posts() IS
    'Publishes every scheduled post whose published_at has come, keeping that time; returns how many. Safe to run concurrently: posts locked by another run are skipped';

--------------------------------------------------------------------------------
-- Functions: subscriptions
--------------------------------------------------------------------------------
CREATE FUNCTION creator_platform.subscribe(subscriber_id uuid, creator_id uuid)
    RETURNS creator_platform.subscriptions
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $function$
-- ON CONFLICT (subscriber_id, creator_id) names columns, which PL/pgSQL would
-- otherwise take for the parameters of the same names; the parameters are
-- always written subscribe.subscriber_id / subscribe.creator_id
#variable_conflict use_column
DECLARE
    result creator_platform.subscriptions;
    attempt integer := 0;
BEGIN
    IF subscribe.subscriber_id IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'subscriber_id must not be NULL';
    END IF;
    IF subscribe.creator_id IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'creator_id must not be NULL';
    END IF;
    LOOP
        -- a concurrent subscribe of the same pair makes this wait for it, then
        -- do nothing: the SELECT below (a new snapshot) returns its row
        INSERT INTO creator_platform.subscriptions AS s (subscriber_id, creator_id)
        VALUES (subscribe.subscriber_id, subscribe.creator_id)
        ON CONFLICT (subscriber_id, creator_id) WHERE status = 'active' DO NOTHING
        RETURNING s.id, s.subscriber_id, s.creator_id, s.status, s.subscribed_at, s.cancelled_at
             INTO result;
        IF FOUND THEN
            RETURN result;
        END IF;
        SELECT s.id, s.subscriber_id, s.creator_id, s.status, s.subscribed_at, s.cancelled_at
          INTO result
          FROM creator_platform.subscriptions AS s
         WHERE s.subscriber_id = subscribe.subscriber_id
           AND s.creator_id = subscribe.creator_id
           AND s.status = 'active';
        IF FOUND THEN
            RETURN result;
        END IF;
        -- the active row was cancelled in between: try again
        attempt := attempt + 1;
        IF attempt >= 100 THEN
            RAISE EXCEPTION USING ERRCODE = '40001',
                MESSAGE = pg_catalog.format('could not subscribe %s to %s: the subscription kept changing concurrently',
                                 subscribe.subscriber_id, subscribe.creator_id),
                HINT = 'Retry the transaction.';
        END IF;
    END LOOP;
END
$function$;
COMMENT ON FUNCTION creator_platform.subscribe(uuid, uuid) IS
    'Subscribes subscriber_id to creator_id and returns the active subscription: the existing one if there is one (idempotent, also under concurrent calls), else a new one. 22023 for NULL arguments; 23514 for oneself or a creator with role reader; 23503 for a user that does not exist';

CREATE FUNCTION creator_platform.cancel_subscription(subscriber_id uuid, creator_id uuid)
    RETURNS creator_platform.subscriptions
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $function$
DECLARE
    result creator_platform.subscriptions;
BEGIN
    IF cancel_subscription.subscriber_id IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'subscriber_id must not be NULL';
    END IF;
    IF cancel_subscription.creator_id IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'creator_id must not be NULL';
    END IF;
    -- the state trigger sets cancelled_at
    UPDATE creator_platform.subscriptions AS s
       SET status = 'cancelled'
     WHERE s.subscriber_id = cancel_subscription.subscriber_id
       AND s.creator_id = cancel_subscription.creator_id
       AND s.status = 'active'
    RETURNING s.id, s.subscriber_id, s.creator_id, s.status, s.subscribed_at, s.cancelled_at
         INTO result;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    RETURN result;
END
$function$;
COMMENT ON FUNCTION creator_platform.cancel_subscription(uuid, uuid) IS
    'Cancels the active subscription of subscriber_id to creator_id and returns it (cancelled_at = now()); NULL if none was active (idempotent). 22023 for NULL arguments';

--------------------------------------------------------------------------------
-- Functions: outbox
--------------------------------------------------------------------------------
CREATE FUNCTION creator_platform.claim_events(batch_size integer DEFAULT 100)
    RETURNS SETOF creator_platform.events
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $function$
BEGIN
    IF claim_events.batch_size IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'batch_size must not be NULL';
    END IF;
    IF claim_events.batch_size < 1 OR claim_events.batch_size > 10000 THEN
        RAISE EXCEPTION USING ERRCODE = '22023',
            MESSAGE = pg_catalog.format('batch_size %s is out of range', claim_events.batch_size),
            DETAIL = 'batch_size is between 1 and 10000.';
    END IF;
    -- events_unprocessed_idx: the backlog in id order; SKIP LOCKED leaves the
    -- events other workers are handling. If the caller rolls back, the events
    -- are unprocessed again (at-least-once).
    RETURN QUERY
    WITH claimed AS (
        SELECT e.id
          FROM creator_platform.events AS e
         WHERE e.processed_at IS NULL
         ORDER BY e.id
         LIMIT claim_events.batch_size
           FOR UPDATE SKIP LOCKED
    ), marked AS (
        UPDATE creator_platform.events AS e
           SET processed_at = pg_catalog.now()
          FROM claimed AS c
         WHERE e.id = c.id
        RETURNING e.id, e.kind, e.payload, e.created_at, e.processed_at
    )
    SELECT m.id, m.kind, m.payload, m.created_at, m.processed_at
      FROM marked AS m
     ORDER BY m.id;
END
$function$;
COMMENT ON FUNCTION creator_platform.claim_events(integer) IS
    'Claims up to batch_size (1-10000, default 100) unprocessed events, oldest first, skipping those other workers hold (FOR UPDATE SKIP LOCKED); marks them processed_at = now() in the caller''s transaction and returns them by id. A rollback leaves them for the next claim (at-least-once). 22023 for a batch_size out of range or NULL';
