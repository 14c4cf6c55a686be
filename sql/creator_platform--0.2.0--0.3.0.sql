-- creator_platform 0.2.0 -> 0.3.0: keyset feeds in C++ (src/feeds.cpp) with
-- opaque, authenticated cursors, archive-transparent.
\echo Use "ALTER EXTENSION creator_platform UPDATE TO '0.3.0'" to load this file. \quit

--------------------------------------------------------------------------------
-- The key that authenticates cursors (SipHash-2-4 tag, src/core/cursor.cpp).
-- Readable by nobody but the owner: the feed functions read it directly.
-- Not dumped: a restored database makes a new key, and cursors handed out
-- before the restore are rejected (22023), which clients handle by starting
-- from the first page.
--------------------------------------------------------------------------------
CREATE TABLE creator_platform.cursor_secret (
    singleton  boolean NOT NULL DEFAULT true,
    secret     bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    CONSTRAINT cursor_secret_pkey PRIMARY KEY (singleton),
    CONSTRAINT cursor_secret_one_row CHECK (singleton),
    CONSTRAINT cursor_secret_length CHECK (pg_catalog.length(secret) OPERATOR(pg_catalog.=) 16)
);
-- 16 bytes from the server's strong random source (gen_random_uuid uses
-- pg_strong_random; the 6 fixed version/variant bits of each uuid are mixed
-- away by taking bytes from two of them)
INSERT INTO creator_platform.cursor_secret (secret)
SELECT pg_catalog.substr(pg_catalog.uuid_send(pg_catalog.gen_random_uuid()), 1, 6)
       OPERATOR(pg_catalog.||) pg_catalog.substr(pg_catalog.uuid_send(pg_catalog.gen_random_uuid()), 10, 7)
       OPERATOR(pg_catalog.||) pg_catalog.substr(pg_catalog.uuid_send(pg_catalog.gen_random_uuid()), 1, 3);
REVOKE ALL ON creator_platform.cursor_secret FROM PUBLIC;
COMMENT ON TABLE creator_platform.cursor_secret IS
    'The per-database key that authenticates feed cursors; replace the row to invalidate every cursor handed out';

--------------------------------------------------------------------------------
-- Each creator's newest publication time (live or archived): home_feed skips a
-- followed creator whose newest post is older than its current page without
-- touching that creator's index. An upper bound: unpublishing or deleting does
-- not lower it, which only costs a probe, never a wrong page.
--------------------------------------------------------------------------------
CREATE TABLE creator_platform.creator_activity (
    creator_id        uuid NOT NULL,
    last_published_at timestamptz NOT NULL,
    CONSTRAINT creator_activity_pkey PRIMARY KEY (creator_id),
    CONSTRAINT creator_activity_creator_id_fkey FOREIGN KEY (creator_id)
        REFERENCES creator_platform.users (id) ON DELETE CASCADE
);
COMMENT ON TABLE creator_platform.creator_activity IS
    'Per creator, an upper bound of the newest published_at among their posts (live and archived), kept by the database for home_feed';
INSERT INTO creator_platform.creator_activity (creator_id, last_published_at)
SELECT a.creator_id, pg_catalog.max(a.published_at)
  FROM (SELECT p.creator_id, p.published_at FROM creator_platform.posts p
         WHERE p.status OPERATOR(pg_catalog.=) 'published'::creator_platform.post_status
        UNION ALL
        SELECT pa.creator_id, pa.published_at FROM creator_platform.posts_archive pa) a
 GROUP BY a.creator_id;

CREATE FUNCTION creator_platform.track_creator_activity() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $function$
BEGIN
    -- Runs as the owner: an application that may insert posts need not be
    -- allowed to write creator_activity, as with a foreign key's check.
    IF TG_LEVEL = 'STATEMENT' THEN
        INSERT INTO creator_platform.creator_activity AS a (creator_id, last_published_at)
        SELECT n.creator_id, max(n.published_at) FROM new_posts AS n
         WHERE n.status = 'published'
         GROUP BY n.creator_id
         ORDER BY n.creator_id
        ON CONFLICT (creator_id) DO UPDATE
           SET last_published_at = greatest(a.last_published_at, excluded.last_published_at)
         WHERE a.last_published_at < excluded.last_published_at;
        RETURN NULL;
    END IF;
    INSERT INTO creator_platform.creator_activity AS a (creator_id, last_published_at)
    VALUES (NEW.creator_id, NEW.published_at)
    ON CONFLICT (creator_id) DO UPDATE
       SET last_published_at = greatest(a.last_published_at, excluded.last_published_at)
     WHERE a.last_published_at < excluded.last_published_at;
    RETURN NULL;
END
$function$;
REVOKE ALL ON FUNCTION creator_platform.track_creator_activity() FROM PUBLIC;
COMMENT ON FUNCTION creator_platform.track_creator_activity() IS
    'AFTER trigger on posts: raises creator_activity.last_published_at when posts are published';
CREATE TRIGGER posts_track_activity_insert AFTER INSERT ON creator_platform.posts
    REFERENCING NEW TABLE AS new_posts
    FOR EACH STATEMENT EXECUTE FUNCTION creator_platform.track_creator_activity();
CREATE TRIGGER posts_track_activity_update AFTER UPDATE ON creator_platform.posts
    FOR EACH ROW
    WHEN (NEW.status OPERATOR(pg_catalog.=) 'published'::creator_platform.post_status
          AND (OLD.status OPERATOR(pg_catalog.<>) 'published'::creator_platform.post_status
               OR OLD.published_at IS DISTINCT FROM NEW.published_at
               OR OLD.creator_id IS DISTINCT FROM NEW.creator_id))
    EXECUTE FUNCTION creator_platform.track_creator_activity();
COMMENT ON TRIGGER posts_track_activity_insert ON creator_platform.posts IS 'creator_activity for posts inserted as published';
COMMENT ON TRIGGER posts_track_activity_update ON creator_platform.posts IS 'creator_activity for posts that become published or move';

--------------------------------------------------------------------------------
-- The global feed index carries the creator, so that recent_posts and the
-- global walk of home_feed (deep pages of busy feeds) read the index only.
--------------------------------------------------------------------------------
DROP INDEX creator_platform.posts_published_idx;
CREATE INDEX posts_published_idx ON creator_platform.posts (published_at DESC, id DESC) INCLUDE (creator_id)
    WHERE status = 'published';
DROP INDEX creator_platform.posts_archive_published_idx;
CREATE INDEX posts_archive_published_idx ON creator_platform.posts_archive (published_at DESC, id DESC)
    INCLUDE (creator_id);

-- Archiving moves published posts only, so the feeds read the archive's
-- indexes without visiting its rows for their status.
ALTER TABLE creator_platform.posts_archive ADD CONSTRAINT posts_archive_published
    CHECK (status OPERATOR(pg_catalog.=) 'published'::creator_platform.post_status);
COMMENT ON CONSTRAINT posts_archive_published ON creator_platform.posts_archive IS
    'The archive holds published posts only';

--------------------------------------------------------------------------------
-- The feeds (C++, src/feeds.cpp): keyset pages, cursors bound to the function
-- and its arguments, live and archived rows alike.
--------------------------------------------------------------------------------
CREATE FUNCTION creator_platform.creator_posts(creator_id uuid, viewer_id uuid DEFAULT NULL,
                                               page_size integer DEFAULT 20, after text DEFAULT NULL)
RETURNS TABLE (post_id uuid, creator_id uuid, creator_username text, title text, content text,
               visibility creator_platform.post_visibility, locked boolean, published_at timestamptz,
               comment_count integer, cursor text)
    LANGUAGE c STABLE ROWS 20
    AS 'MODULE_PATHNAME', 'cp_creator_posts';
COMMENT ON FUNCTION creator_platform.creator_posts(uuid, uuid, integer, text) IS
    'A creator''s published posts, newest first by (published_at, post_id), live and archived, one keyset page; subscribers-only content is locked unless the viewer is the creator, an admin or an active subscriber';

CREATE FUNCTION creator_platform.home_feed(reader_id uuid, page_size integer DEFAULT 20, after text DEFAULT NULL)
RETURNS TABLE (post_id uuid, creator_id uuid, creator_username text, title text, content text,
               visibility creator_platform.post_visibility, locked boolean, published_at timestamptz,
               comment_count integer, cursor text)
    LANGUAGE c STABLE ROWS 20
    AS 'MODULE_PATHNAME', 'cp_home_feed';
COMMENT ON FUNCTION creator_platform.home_feed(uuid, integer, text) IS
    'Published posts of the creators the reader actively subscribes to, newest first, one keyset page: a k-way merge over per-creator index scans that skips creators with nothing new enough';

CREATE FUNCTION creator_platform.recent_posts(viewer_id uuid DEFAULT NULL, page_size integer DEFAULT 20,
                                              after text DEFAULT NULL)
RETURNS TABLE (post_id uuid, creator_id uuid, creator_username text, title text, content text,
               visibility creator_platform.post_visibility, locked boolean, published_at timestamptz,
               comment_count integer, cursor text)
    LANGUAGE c STABLE ROWS 20
    AS 'MODULE_PATHNAME', 'cp_recent_posts';
COMMENT ON FUNCTION creator_platform.recent_posts(uuid, integer, text) IS
    'All published posts, newest first, one keyset page, with subscribers-only content locked for the viewer';

CREATE FUNCTION creator_platform.post_view(post_id uuid, viewer_id uuid DEFAULT NULL)
RETURNS TABLE (post_id uuid, creator_id uuid, creator_username text, title text, content text,
               visibility creator_platform.post_visibility, locked boolean, published_at timestamptz,
               comment_count integer, cursor text)
    LANGUAGE c STABLE ROWS 1
    AS 'MODULE_PATHNAME', 'cp_post_view';
COMMENT ON FUNCTION creator_platform.post_view(uuid, uuid) IS
    'One published post (live or archived) shaped like a feed row, locked as in the feeds; no row if it is absent or not published; cursor is NULL';

CREATE FUNCTION creator_platform.comment_thread(post_id uuid, page_size integer DEFAULT 50, after text DEFAULT NULL,
                                                max_depth integer DEFAULT NULL, root_comment_id uuid DEFAULT NULL)
RETURNS TABLE (comment_id uuid, parent_comment_id uuid, user_id uuid, username text, content text,
               depth integer, reply_count integer, created_at timestamptz, deleted boolean, cursor text)
    LANGUAGE c STABLE ROWS 50
    AS 'MODULE_PATHNAME', 'cp_comment_thread';
COMMENT ON FUNCTION creator_platform.comment_thread(uuid, integer, text, integer, uuid) IS
    'A post''s comments depth-first (every comment followed by its replies, siblings oldest first), one keyset page = one range scan of (post_id, path); max_depth limits depth, root_comment_id limits the walk to that subtree';

CREATE FUNCTION creator_platform.subscriptions_of(subscriber_id uuid,
                                                  status creator_platform.subscription_status DEFAULT 'active',
                                                  page_size integer DEFAULT 20, after text DEFAULT NULL)
RETURNS TABLE (subscription_id uuid, creator_id uuid, creator_username text,
               status creator_platform.subscription_status, subscribed_at timestamptz, cancelled_at timestamptz,
               cursor text)
    LANGUAGE c STABLE ROWS 20
    AS 'MODULE_PATHNAME', 'cp_subscriptions_of';
COMMENT ON FUNCTION creator_platform.subscriptions_of(uuid, creator_platform.subscription_status, integer, text) IS
    'The creators a user subscribes to (with the given status), newest subscription first, one keyset page';

CREATE FUNCTION creator_platform.subscribers_of(creator_id uuid,
                                                status creator_platform.subscription_status DEFAULT 'active',
                                                page_size integer DEFAULT 20, after text DEFAULT NULL)
RETURNS TABLE (subscription_id uuid, subscriber_id uuid, subscriber_username text,
               status creator_platform.subscription_status, subscribed_at timestamptz, cancelled_at timestamptz,
               cursor text)
    LANGUAGE c STABLE ROWS 20
    AS 'MODULE_PATHNAME', 'cp_subscribers_of';
COMMENT ON FUNCTION creator_platform.subscribers_of(uuid, creator_platform.subscription_status, integer, text) IS
    'A creator''s subscribers (with the given status), newest subscription first, one keyset page';
