-- creator_platform 0.1.0: the foundation. Types, tables, plain constraints,
-- indexes, UUIDv7 and updated_at maintenance. The contract is docs/reference.md.
\echo Use "CREATE EXTENSION creator_platform" to load this file. \quit

--------------------------------------------------------------------------------
-- C functions
--------------------------------------------------------------------------------
CREATE FUNCTION creator_platform.uuid_generate_v7() RETURNS uuid
    LANGUAGE c VOLATILE STRICT PARALLEL RESTRICTED
    AS 'MODULE_PATHNAME', 'cp_uuid_generate_v7';
COMMENT ON FUNCTION creator_platform.uuid_generate_v7() IS
    'A new RFC 9562 version 7 UUID: 48-bit Unix milliseconds, a 12-bit sub-millisecond fraction, 62 random bits; strictly increasing within a session';

CREATE FUNCTION creator_platform.uuid_v7_timestamp(uuid) RETURNS timestamptz
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'cp_uuid_v7_timestamp';
COMMENT ON FUNCTION creator_platform.uuid_v7_timestamp(uuid) IS
    'The creation time (millisecond precision) of a version 7 UUID; 22023 if the UUID is not version 7';

CREATE FUNCTION creator_platform.set_updated_at() RETURNS trigger
    LANGUAGE c
    AS 'MODULE_PATHNAME', 'cp_set_updated_at';
COMMENT ON FUNCTION creator_platform.set_updated_at() IS
    'BEFORE UPDATE row trigger: sets updated_at to the transaction timestamp';

CREATE FUNCTION creator_platform._boundary_selftest(kind text) RETURNS text
    LANGUAGE c VOLATILE
    AS 'MODULE_PATHNAME', 'cp_boundary_selftest';
COMMENT ON FUNCTION creator_platform._boundary_selftest(text) IS
    'Internal diagnostic: raises each kind of C++ and PostgreSQL error through the C++ boundary of this build (kinds: ok, destructors, core_error, std_exception, bad_alloc, unknown_exception, pg_error). Not for applications';
REVOKE ALL ON FUNCTION creator_platform._boundary_selftest(text) FROM PUBLIC;

--------------------------------------------------------------------------------
-- Types
--------------------------------------------------------------------------------
CREATE TYPE creator_platform.user_role AS ENUM ('reader', 'creator', 'admin');
COMMENT ON TYPE creator_platform.user_role IS 'What a user may do: read, publish (creator), or everything (admin)';

CREATE TYPE creator_platform.post_status AS ENUM ('draft', 'scheduled', 'published');
COMMENT ON TYPE creator_platform.post_status IS 'Where a post is in its publishing lifecycle';

CREATE TYPE creator_platform.post_visibility AS ENUM ('public', 'subscribers');
COMMENT ON TYPE creator_platform.post_visibility IS 'Who may read a published post''s content';

CREATE TYPE creator_platform.subscription_status AS ENUM ('active', 'cancelled');
COMMENT ON TYPE creator_platform.subscription_status IS 'State of a reader-to-creator subscription: active, then cancelled for good';

--------------------------------------------------------------------------------
-- users
--------------------------------------------------------------------------------
CREATE TABLE creator_platform.users (
    id            uuid NOT NULL DEFAULT creator_platform.uuid_generate_v7(),
    email         text NOT NULL,
    password_hash text,
    username      text NOT NULL,
    bio           text,
    role          creator_platform.user_role NOT NULL DEFAULT 'reader',
    created_at    timestamptz NOT NULL DEFAULT pg_catalog.now(),
    updated_at    timestamptz NOT NULL DEFAULT pg_catalog.now(),
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT users_email_shape CHECK (
        pg_catalog.char_length(email) <= 254
        AND email OPERATOR(pg_catalog.~) '^[^@[:space:]]+@[^@[:space:]]+$'),
    CONSTRAINT users_username_shape CHECK (username OPERATOR(pg_catalog.~) '^[A-Za-z0-9_]{3,32}$')
);
CREATE UNIQUE INDEX users_email_lower_key ON creator_platform.users (pg_catalog.lower(email));
CREATE UNIQUE INDEX users_username_lower_key ON creator_platform.users (pg_catalog.lower(username));
CREATE TRIGGER users_set_updated_at BEFORE UPDATE ON creator_platform.users
    FOR EACH ROW EXECUTE FUNCTION creator_platform.set_updated_at();

COMMENT ON TABLE creator_platform.users IS 'Everyone on the platform: readers, creators and admins';
COMMENT ON COLUMN creator_platform.users.email IS 'Login address: shape local@domain, at most 254 characters (RFC 5321), unique ignoring case';
COMMENT ON COLUMN creator_platform.users.password_hash IS 'The app''s password hash (the database never sees a password); NULL for users who sign in another way';
COMMENT ON COLUMN creator_platform.users.username IS '3-32 of [A-Za-z0-9_], unique ignoring case';
COMMENT ON COLUMN creator_platform.users.role IS 'reader, creator or admin; only creators and admins own posts and are subscribed to';
COMMENT ON COLUMN creator_platform.users.updated_at IS 'Set by the database on every UPDATE';

--------------------------------------------------------------------------------
-- posts
--------------------------------------------------------------------------------
CREATE TABLE creator_platform.posts (
    id            uuid NOT NULL DEFAULT creator_platform.uuid_generate_v7(),
    creator_id    uuid NOT NULL,
    title         text NOT NULL,
    content       text NOT NULL DEFAULT '',
    status        creator_platform.post_status NOT NULL DEFAULT 'draft',
    visibility    creator_platform.post_visibility NOT NULL DEFAULT 'public',
    published_at  timestamptz,
    created_at    timestamptz NOT NULL DEFAULT pg_catalog.now(),
    updated_at    timestamptz NOT NULL DEFAULT pg_catalog.now(),
    comment_count integer NOT NULL DEFAULT 0,
    CONSTRAINT posts_pkey PRIMARY KEY (id),
    CONSTRAINT posts_creator_id_fkey FOREIGN KEY (creator_id) REFERENCES creator_platform.users (id),
    CONSTRAINT posts_title_shape CHECK (
        pg_catalog.char_length(title) BETWEEN 1 AND 300
        AND title OPERATOR(pg_catalog.~) '[^[:space:]]'),
    CONSTRAINT posts_published_at_matches_status CHECK (
        (status OPERATOR(pg_catalog.=) 'draft'::creator_platform.post_status) = (published_at IS NULL)),
    CONSTRAINT posts_comment_count_nonnegative CHECK (comment_count >= 0)
);
-- FK lookups and a creator's dashboard (all statuses)
CREATE INDEX posts_creator_id_idx ON creator_platform.posts (creator_id);
-- creator_posts / home_feed: a creator's published posts, newest first
CREATE INDEX posts_creator_published_idx ON creator_platform.posts (creator_id, published_at DESC, id DESC)
    WHERE status = 'published';
-- recent_posts: every published post, newest first
CREATE INDEX posts_published_idx ON creator_platform.posts (published_at DESC, id DESC)
    WHERE status = 'published';
-- publish_due_posts: scheduled posts by due time
CREATE INDEX posts_scheduled_idx ON creator_platform.posts (published_at)
    WHERE status = 'scheduled';
CREATE TRIGGER posts_set_updated_at BEFORE UPDATE ON creator_platform.posts
    FOR EACH ROW EXECUTE FUNCTION creator_platform.set_updated_at();

COMMENT ON TABLE creator_platform.posts IS 'What creators write; status drives the publishing lifecycle';
COMMENT ON COLUMN creator_platform.posts.creator_id IS 'The author: a user with role creator or admin';
COMMENT ON COLUMN creator_platform.posts.title IS '1-300 characters, not blank';
COMMENT ON COLUMN creator_platform.posts.visibility IS 'public, or subscribers (content locked to everyone but the creator, admins and active subscribers)';
COMMENT ON COLUMN creator_platform.posts.published_at IS 'NULL for drafts; the due time of a scheduled post; the publication time of a published one';
COMMENT ON COLUMN creator_platform.posts.comment_count IS 'Comments on the post that are not deleted placeholders, kept by the database';
COMMENT ON COLUMN creator_platform.posts.updated_at IS 'Set by the database on every UPDATE';

--------------------------------------------------------------------------------
-- comments
--------------------------------------------------------------------------------
CREATE TABLE creator_platform.comments (
    id                uuid NOT NULL DEFAULT creator_platform.uuid_generate_v7(),
    post_id           uuid NOT NULL,
    user_id           uuid NOT NULL,
    parent_comment_id uuid,
    content           text NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT pg_catalog.now(),
    depth             integer NOT NULL DEFAULT 0,
    reply_count       integer NOT NULL DEFAULT 0,
    deleted_at        timestamptz,
    CONSTRAINT comments_pkey PRIMARY KEY (id),
    CONSTRAINT comments_post_id_fkey FOREIGN KEY (post_id) REFERENCES creator_platform.posts (id),
    CONSTRAINT comments_user_id_fkey FOREIGN KEY (user_id) REFERENCES creator_platform.users (id),
    CONSTRAINT comments_parent_comment_id_fkey FOREIGN KEY (parent_comment_id)
        REFERENCES creator_platform.comments (id),
    -- a live comment has 1-20,000 characters that are not all blank; a deleted
    -- placeholder keeps its place in the thread with empty content
    CONSTRAINT comments_content_shape CHECK (
        CASE WHEN deleted_at IS NULL
             THEN pg_catalog.char_length(content) BETWEEN 1 AND 20000
                  AND content OPERATOR(pg_catalog.~) '[^[:space:]]'
             ELSE content = ''
        END),
    CONSTRAINT comments_depth_nonnegative CHECK (depth >= 0),
    CONSTRAINT comments_reply_count_nonnegative CHECK (reply_count >= 0),
    CONSTRAINT comments_not_own_parent CHECK (parent_comment_id IS DISTINCT FROM id)
);
-- FK lookups on post_id and a post's comments in time order
CREATE INDEX comments_post_id_created_at_idx ON creator_platform.comments (post_id, created_at, id);
CREATE INDEX comments_user_id_idx ON creator_platform.comments (user_id);
CREATE INDEX comments_parent_comment_id_idx ON creator_platform.comments (parent_comment_id, created_at, id)
    WHERE parent_comment_id IS NOT NULL;
CREATE INDEX comments_created_at_idx ON creator_platform.comments (created_at);

COMMENT ON TABLE creator_platform.comments IS 'Threaded comments on published posts';
COMMENT ON COLUMN creator_platform.comments.parent_comment_id IS 'The comment this replies to (same post), NULL at top level; never changes';
COMMENT ON COLUMN creator_platform.comments.content IS '1-20,000 characters, not blank; empty for a deleted placeholder';
COMMENT ON COLUMN creator_platform.comments.depth IS '0 at top level, parent''s depth + 1 for a reply';
COMMENT ON COLUMN creator_platform.comments.reply_count IS 'Direct replies present (placeholders included), kept by the database';
COMMENT ON COLUMN creator_platform.comments.deleted_at IS 'Set when a comment with replies is deleted and stays as a placeholder';

--------------------------------------------------------------------------------
-- subscriptions
--------------------------------------------------------------------------------
CREATE TABLE creator_platform.subscriptions (
    id            uuid NOT NULL DEFAULT creator_platform.uuid_generate_v7(),
    subscriber_id uuid NOT NULL,
    creator_id    uuid NOT NULL,
    status        creator_platform.subscription_status NOT NULL DEFAULT 'active',
    subscribed_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    cancelled_at  timestamptz,
    CONSTRAINT subscriptions_pkey PRIMARY KEY (id),
    CONSTRAINT subscriptions_subscriber_id_fkey FOREIGN KEY (subscriber_id) REFERENCES creator_platform.users (id),
    CONSTRAINT subscriptions_creator_id_fkey FOREIGN KEY (creator_id) REFERENCES creator_platform.users (id),
    CONSTRAINT subscriptions_not_self CHECK (subscriber_id <> creator_id),
    CONSTRAINT subscriptions_cancelled_at_matches_status CHECK (
        (status OPERATOR(pg_catalog.=) 'active'::creator_platform.subscription_status) = (cancelled_at IS NULL))
);
-- at most one active subscription per pair; also the reader's followed set for home_feed
CREATE UNIQUE INDEX subscriptions_one_active_idx ON creator_platform.subscriptions (subscriber_id, creator_id)
    WHERE status = 'active';
-- subscriptions_of: a reader's subscriptions by status, newest first (FK subscriber_id)
CREATE INDEX subscriptions_subscriber_idx ON creator_platform.subscriptions
    (subscriber_id, status, subscribed_at DESC, id DESC);
-- subscribers_of: a creator's subscribers by status, newest first (FK creator_id)
CREATE INDEX subscriptions_creator_idx ON creator_platform.subscriptions
    (creator_id, status, subscribed_at DESC, id DESC);

COMMENT ON TABLE creator_platform.subscriptions IS 'A reader following a creator; active, then cancelled for good';
COMMENT ON COLUMN creator_platform.subscriptions.creator_id IS 'The user followed: role creator or admin, never the subscriber';
COMMENT ON COLUMN creator_platform.subscriptions.cancelled_at IS 'Set by the database when the subscription is cancelled; NULL while active';

--------------------------------------------------------------------------------
-- archive tables: the same columns as posts / comments, plus archived_at
--------------------------------------------------------------------------------
CREATE TABLE creator_platform.posts_archive (
    id            uuid NOT NULL DEFAULT creator_platform.uuid_generate_v7(),
    creator_id    uuid NOT NULL,
    title         text NOT NULL,
    content       text NOT NULL DEFAULT '',
    status        creator_platform.post_status NOT NULL DEFAULT 'draft',
    visibility    creator_platform.post_visibility NOT NULL DEFAULT 'public',
    published_at  timestamptz,
    created_at    timestamptz NOT NULL DEFAULT pg_catalog.now(),
    updated_at    timestamptz NOT NULL DEFAULT pg_catalog.now(),
    comment_count integer NOT NULL DEFAULT 0,
    archived_at   timestamptz NOT NULL DEFAULT pg_catalog.now(),
    CONSTRAINT posts_archive_pkey PRIMARY KEY (id),
    CONSTRAINT posts_archive_creator_id_fkey FOREIGN KEY (creator_id) REFERENCES creator_platform.users (id)
);
CREATE INDEX posts_archive_creator_published_idx ON creator_platform.posts_archive
    (creator_id, published_at DESC, id DESC);
CREATE INDEX posts_archive_published_idx ON creator_platform.posts_archive (published_at DESC, id DESC);
COMMENT ON TABLE creator_platform.posts_archive IS 'Published posts moved out of posts by archiving; read-only except through restore_post';
COMMENT ON COLUMN creator_platform.posts_archive.archived_at IS 'When the post was archived';

CREATE TABLE creator_platform.comments_archive (
    id                uuid NOT NULL DEFAULT creator_platform.uuid_generate_v7(),
    post_id           uuid NOT NULL,
    user_id           uuid NOT NULL,
    parent_comment_id uuid,
    content           text NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT pg_catalog.now(),
    depth             integer NOT NULL DEFAULT 0,
    reply_count       integer NOT NULL DEFAULT 0,
    deleted_at        timestamptz,
    archived_at       timestamptz NOT NULL DEFAULT pg_catalog.now(),
    CONSTRAINT comments_archive_pkey PRIMARY KEY (id),
    CONSTRAINT comments_archive_post_id_fkey FOREIGN KEY (post_id) REFERENCES creator_platform.posts_archive (id),
    CONSTRAINT comments_archive_user_id_fkey FOREIGN KEY (user_id) REFERENCES creator_platform.users (id),
    CONSTRAINT comments_archive_parent_comment_id_fkey FOREIGN KEY (parent_comment_id)
        REFERENCES creator_platform.comments_archive (id)
);
CREATE INDEX comments_archive_post_id_created_at_idx ON creator_platform.comments_archive (post_id, created_at, id);
CREATE INDEX comments_archive_user_id_idx ON creator_platform.comments_archive (user_id);
CREATE INDEX comments_archive_parent_comment_id_idx ON creator_platform.comments_archive (parent_comment_id)
    WHERE parent_comment_id IS NOT NULL;
COMMENT ON TABLE creator_platform.comments_archive IS 'Comments of archived posts, moved with their post';
COMMENT ON COLUMN creator_platform.comments_archive.archived_at IS 'When the comment was archived with its post';

--------------------------------------------------------------------------------
-- events: the outbox
--------------------------------------------------------------------------------
CREATE SEQUENCE creator_platform.events_id_seq AS bigint;
CREATE TABLE creator_platform.events (
    id           bigint NOT NULL DEFAULT pg_catalog.nextval('creator_platform.events_id_seq'::pg_catalog.regclass),
    kind         text NOT NULL,
    payload      jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at   timestamptz NOT NULL DEFAULT pg_catalog.now(),
    processed_at timestamptz,
    CONSTRAINT events_pkey PRIMARY KEY (id),
    CONSTRAINT events_kind_shape CHECK (kind OPERATOR(pg_catalog.~) '^[a-z][a-z_]{0,62}$')
);
ALTER SEQUENCE creator_platform.events_id_seq OWNED BY creator_platform.events.id;
-- claim_events: the unprocessed backlog, oldest first
CREATE INDEX events_unprocessed_idx ON creator_platform.events (id) WHERE processed_at IS NULL;
COMMENT ON TABLE creator_platform.events IS 'Outbox: one row per domain event, written in the same transaction as the change';
COMMENT ON COLUMN creator_platform.events.kind IS 'post_published, comment_added, subscription_started or subscription_cancelled';
COMMENT ON COLUMN creator_platform.events.processed_at IS 'Set when a worker claims the event; NULL while in the backlog';
COMMENT ON SEQUENCE creator_platform.events_id_seq IS 'Ids of creator_platform.events, in commit-independent creation order';

--------------------------------------------------------------------------------
-- pg_dump: the data of every table (and the events sequence) is user data
--------------------------------------------------------------------------------
SELECT pg_catalog.pg_extension_config_dump('creator_platform.users', '');
SELECT pg_catalog.pg_extension_config_dump('creator_platform.posts', '');
SELECT pg_catalog.pg_extension_config_dump('creator_platform.comments', '');
SELECT pg_catalog.pg_extension_config_dump('creator_platform.subscriptions', '');
SELECT pg_catalog.pg_extension_config_dump('creator_platform.posts_archive', '');
SELECT pg_catalog.pg_extension_config_dump('creator_platform.comments_archive', '');
SELECT pg_catalog.pg_extension_config_dump('creator_platform.events', '');
SELECT pg_catalog.pg_extension_config_dump('creator_platform.events_id_seq', '');
