-- 020_schema: the catalog promised by version 0.1.0 of the contract
-- (docs: /work/shared/API.md, "Types" and "Tables"): schema, enum types, tables
-- and their columns, types, NULLability and defaults, keys, foreign keys with
-- an index for each, triggers, functions, and a COMMENT on every public object.
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(198);

--------------------------------------------------------------------------------
-- schema and extension
--------------------------------------------------------------------------------
SELECT has_schema('creator_platform', 'schema creator_platform exists');
SELECT is(
    (SELECT e.extrelocatable FROM pg_catalog.pg_extension e WHERE e.extname = 'creator_platform'),
    false, 'the extension is not relocatable');
SELECT is(
    (SELECT n.nspname::text FROM pg_catalog.pg_extension e
       JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
      WHERE e.extname = 'creator_platform'),
    'creator_platform', 'the extension lives in schema creator_platform');

--------------------------------------------------------------------------------
-- enum types, labels in order
--------------------------------------------------------------------------------
SELECT has_enum('creator_platform', 'user_role', 'enum user_role exists');
SELECT enum_has_labels('creator_platform', 'user_role',
    ARRAY['reader', 'creator', 'admin'], 'user_role labels in order');
SELECT has_enum('creator_platform', 'post_status', 'enum post_status exists');
SELECT enum_has_labels('creator_platform', 'post_status',
    ARRAY['draft', 'scheduled', 'published'], 'post_status labels in order');
SELECT has_enum('creator_platform', 'post_visibility', 'enum post_visibility exists');
SELECT enum_has_labels('creator_platform', 'post_visibility',
    ARRAY['public', 'subscribers'], 'post_visibility labels in order');
SELECT has_enum('creator_platform', 'subscription_status', 'enum subscription_status exists');
SELECT enum_has_labels('creator_platform', 'subscription_status',
    ARRAY['active', 'cancelled'], 'subscription_status labels in order');

--------------------------------------------------------------------------------
-- tables and their exact columns
--------------------------------------------------------------------------------
SELECT has_table('creator_platform', t::name, format('table %s exists', t))
  FROM unnest(ARRAY['users', 'posts', 'comments', 'subscriptions',
                    'posts_archive', 'comments_archive', 'events']) AS t;

SELECT columns_are('creator_platform', 'users',
    ARRAY['id', 'email', 'password_hash', 'username', 'bio', 'role', 'created_at', 'updated_at'],
    'users has exactly the contract''s columns');
SELECT columns_are('creator_platform', 'posts',
    ARRAY['id', 'creator_id', 'title', 'content', 'status', 'visibility', 'published_at',
          'created_at', 'updated_at', 'comment_count'],
    'posts has exactly the contract''s columns');
SELECT columns_are('creator_platform', 'comments',
    ARRAY['id', 'post_id', 'user_id', 'parent_comment_id', 'content', 'created_at', 'depth',
          'reply_count', 'deleted_at'],
    'comments has exactly the contract''s columns');
SELECT columns_are('creator_platform', 'subscriptions',
    ARRAY['id', 'subscriber_id', 'creator_id', 'status', 'subscribed_at', 'cancelled_at'],
    'subscriptions has exactly the contract''s columns');
SELECT columns_are('creator_platform', 'posts_archive',
    ARRAY['id', 'creator_id', 'title', 'content', 'status', 'visibility', 'published_at',
          'created_at', 'updated_at', 'comment_count', 'archived_at'],
    'posts_archive has the columns of posts plus archived_at');
SELECT columns_are('creator_platform', 'comments_archive',
    ARRAY['id', 'post_id', 'user_id', 'parent_comment_id', 'content', 'created_at', 'depth',
          'reply_count', 'deleted_at', 'archived_at'],
    'comments_archive has the columns of comments plus archived_at');
SELECT columns_are('creator_platform', 'events',
    ARRAY['id', 'kind', 'payload', 'created_at', 'processed_at'],
    'events has exactly the contract''s columns');

--------------------------------------------------------------------------------
-- column types: builtin types
--------------------------------------------------------------------------------
SELECT col_type_is('creator_platform', t::name, c::name, ty, format('%s.%s is %s', t, c, ty))
  FROM (VALUES
    ('users', 'id', 'uuid'), ('users', 'email', 'text'), ('users', 'password_hash', 'text'),
    ('users', 'username', 'text'), ('users', 'bio', 'text'),
    ('users', 'created_at', 'timestamp with time zone'), ('users', 'updated_at', 'timestamp with time zone'),
    ('posts', 'id', 'uuid'), ('posts', 'creator_id', 'uuid'), ('posts', 'title', 'text'),
    ('posts', 'content', 'text'), ('posts', 'published_at', 'timestamp with time zone'),
    ('posts', 'created_at', 'timestamp with time zone'), ('posts', 'updated_at', 'timestamp with time zone'),
    ('posts', 'comment_count', 'integer'),
    ('comments', 'id', 'uuid'), ('comments', 'post_id', 'uuid'), ('comments', 'user_id', 'uuid'),
    ('comments', 'parent_comment_id', 'uuid'), ('comments', 'content', 'text'),
    ('comments', 'created_at', 'timestamp with time zone'), ('comments', 'depth', 'integer'),
    ('comments', 'reply_count', 'integer'), ('comments', 'deleted_at', 'timestamp with time zone'),
    ('subscriptions', 'id', 'uuid'), ('subscriptions', 'subscriber_id', 'uuid'),
    ('subscriptions', 'creator_id', 'uuid'), ('subscriptions', 'subscribed_at', 'timestamp with time zone'),
    ('subscriptions', 'cancelled_at', 'timestamp with time zone'),
    ('posts_archive', 'archived_at', 'timestamp with time zone'),
    ('comments_archive', 'archived_at', 'timestamp with time zone'),
    ('events', 'id', 'bigint'), ('events', 'kind', 'text'), ('events', 'payload', 'jsonb'),
    ('events', 'created_at', 'timestamp with time zone'), ('events', 'processed_at', 'timestamp with time zone'),
    ('posts_archive', 'id', 'uuid'), ('comments_archive', 'id', 'uuid')
  ) AS v(t, c, ty);

-- column types: the extension's enums
SELECT col_type_is('creator_platform', t::name, c::name, 'creator_platform', ty,
                   format('%s.%s is creator_platform.%s', t, c, ty))
  FROM (VALUES
    ('users', 'role', 'user_role'),
    ('posts', 'status', 'post_status'), ('posts', 'visibility', 'post_visibility'),
    ('subscriptions', 'status', 'subscription_status'),
    ('posts_archive', 'status', 'post_status')
  ) AS v(t, c, ty);

-- the archive tables carry the same column types and NULLability as the live
-- tables they mirror
SELECT is_empty($$
    SELECT a.attname, a.atttypid, a.attnotnull FROM pg_catalog.pg_attribute a
     WHERE a.attrelid = 'creator_platform.posts'::regclass AND a.attnum > 0 AND NOT a.attisdropped
    EXCEPT
    SELECT a.attname, a.atttypid, a.attnotnull FROM pg_catalog.pg_attribute a
     WHERE a.attrelid = 'creator_platform.posts_archive'::regclass AND a.attnum > 0 AND NOT a.attisdropped
  $$, 'every column of posts is in posts_archive with the same type and NULLability');
SELECT is_empty($$
    SELECT a.attname, a.atttypid, a.attnotnull FROM pg_catalog.pg_attribute a
     WHERE a.attrelid = 'creator_platform.comments'::regclass AND a.attnum > 0 AND NOT a.attisdropped
    EXCEPT
    SELECT a.attname, a.atttypid, a.attnotnull FROM pg_catalog.pg_attribute a
     WHERE a.attrelid = 'creator_platform.comments_archive'::regclass AND a.attnum > 0 AND NOT a.attisdropped
  $$, 'every column of comments is in comments_archive with the same type and NULLability');

--------------------------------------------------------------------------------
-- NOT NULL / NULL
--------------------------------------------------------------------------------
SELECT col_not_null('creator_platform', t::name, c::name, format('%s.%s is NOT NULL', t, c))
  FROM (VALUES
    ('users', 'id'), ('users', 'email'), ('users', 'username'), ('users', 'role'),
    ('users', 'created_at'), ('users', 'updated_at'),
    ('posts', 'id'), ('posts', 'creator_id'), ('posts', 'title'), ('posts', 'content'),
    ('posts', 'status'), ('posts', 'visibility'), ('posts', 'created_at'), ('posts', 'updated_at'),
    ('posts', 'comment_count'),
    ('comments', 'id'), ('comments', 'post_id'), ('comments', 'user_id'), ('comments', 'content'),
    ('comments', 'created_at'), ('comments', 'depth'), ('comments', 'reply_count'),
    ('subscriptions', 'id'), ('subscriptions', 'subscriber_id'), ('subscriptions', 'creator_id'),
    ('subscriptions', 'status'), ('subscriptions', 'subscribed_at'),
    ('posts_archive', 'archived_at'), ('comments_archive', 'archived_at'),
    ('events', 'id'), ('events', 'kind'), ('events', 'created_at')
  ) AS v(t, c);

SELECT col_is_null('creator_platform', t::name, c::name, format('%s.%s is NULL-able', t, c))
  FROM (VALUES
    ('users', 'password_hash'), ('users', 'bio'),
    ('posts', 'published_at'),
    ('comments', 'parent_comment_id'), ('comments', 'deleted_at'),
    ('subscriptions', 'cancelled_at'),
    ('posts_archive', 'published_at'),
    ('comments_archive', 'parent_comment_id'), ('comments_archive', 'deleted_at'),
    ('events', 'processed_at')
  ) AS v(t, c);

-- every timestamptz column of the schema's tables is NOT NULL unless the
-- contract marks it NULL
SELECT is_empty($$
    SELECT c.relname, a.attname FROM pg_catalog.pg_attribute a
      JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
     WHERE c.relnamespace = 'creator_platform'::regnamespace AND c.relkind IN ('r', 'p')
       AND a.attnum > 0 AND NOT a.attisdropped
       AND a.atttypid = 'pg_catalog.timestamptz'::regtype AND NOT a.attnotnull
       AND a.attname NOT IN ('published_at', 'deleted_at', 'cancelled_at', 'processed_at')
  $$, 'timestamps are NOT NULL except published_at, deleted_at, cancelled_at, processed_at');

-- no column of these tables uses timestamp without time zone
SELECT is_empty($$
    SELECT c.relname, a.attname FROM pg_catalog.pg_attribute a
      JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
     WHERE c.relnamespace = 'creator_platform'::regnamespace AND c.relkind IN ('r', 'p')
       AND a.attnum > 0 AND NOT a.attisdropped
       AND a.atttypid = 'pg_catalog.timestamp'::regtype
  $$, 'no timestamp without time zone column');

--------------------------------------------------------------------------------
-- defaults
-- pg_get_expr() qualifies names by the search_path: compare fully qualified.
--------------------------------------------------------------------------------
SET LOCAL search_path = public;

SELECT col_default_is('creator_platform', t::name, 'id'::name,
                      'creator_platform.uuid_generate_v7()'::text,
                      format('%s.id defaults to creator_platform.uuid_generate_v7()', t))
  FROM unnest(ARRAY['users', 'posts', 'comments', 'subscriptions', 'posts_archive', 'comments_archive']) AS t;

SELECT col_default_is('creator_platform', t::name, c::name, 'now()'::text,
                      format('%s.%s defaults to now()', t, c))
  FROM (VALUES
    ('users', 'created_at'), ('users', 'updated_at'),
    ('posts', 'created_at'), ('posts', 'updated_at'),
    ('comments', 'created_at'),
    ('subscriptions', 'subscribed_at'),
    ('events', 'created_at')
  ) AS v(t, c);

SELECT col_default_is('creator_platform', 'users', 'role', 'reader'::text, 'users.role defaults to reader');
SELECT col_default_is('creator_platform', 'posts', 'status', 'draft'::text, 'posts.status defaults to draft');
SELECT col_default_is('creator_platform', 'posts', 'visibility', 'public'::text, 'posts.visibility defaults to public');
SELECT col_default_is('creator_platform', 'posts', 'content', ''::text, 'posts.content defaults to the empty string');
SELECT col_default_is('creator_platform', 'posts', 'comment_count', 0, 'posts.comment_count defaults to 0');
SELECT col_default_is('creator_platform', 'comments', 'reply_count', 0, 'comments.reply_count defaults to 0');
SELECT col_default_is('creator_platform', 'subscriptions', 'status', 'active'::text,
                      'subscriptions.status defaults to active');
SELECT col_default_is('creator_platform', 'posts_archive', 'archived_at', 'now()'::text,
                      'posts_archive.archived_at defaults to now()');
SELECT col_default_is('creator_platform', 'comments_archive', 'archived_at', 'now()'::text,
                      'comments_archive.archived_at defaults to now()');
SELECT col_has_default('creator_platform', 'events', 'id', 'events.id has a default (its sequence)');

-- columns that must have no default: the ones the app or the lifecycle sets
SELECT col_hasnt_default('creator_platform', t::name, c::name, format('%s.%s has no default', t, c))
  FROM (VALUES ('posts', 'published_at'), ('subscriptions', 'cancelled_at'), ('comments', 'deleted_at'))
       AS v(t, c);

SET LOCAL search_path = creator_platform, public;

--------------------------------------------------------------------------------
-- primary keys
--------------------------------------------------------------------------------
SELECT col_is_pk('creator_platform', t::name, 'id'::name, format('%s.id is the primary key', t))
  FROM unnest(ARRAY['users', 'posts', 'comments', 'subscriptions',
                    'posts_archive', 'comments_archive', 'events']) AS t;

--------------------------------------------------------------------------------
-- foreign keys
--------------------------------------------------------------------------------
SELECT fk_ok('creator_platform', t::name, c::name, 'creator_platform', rt::name, 'id'::name,
             format('%s.%s references %s.id', t, c, rt))
  FROM (VALUES
    ('posts', 'creator_id', 'users'),
    ('comments', 'post_id', 'posts'),
    ('comments', 'user_id', 'users'),
    ('comments', 'parent_comment_id', 'comments'),
    ('subscriptions', 'subscriber_id', 'users'),
    ('subscriptions', 'creator_id', 'users'),
    ('posts_archive', 'creator_id', 'users'),
    ('comments_archive', 'post_id', 'posts_archive'),
    ('comments_archive', 'user_id', 'users'),
    ('comments_archive', 'parent_comment_id', 'comments_archive')
  ) AS v(t, c, rt);

-- every foreign key column has an index that leads with it
SELECT is_empty($$
    SELECT con.conrelid::regclass::text AS tbl, a.attname
      FROM pg_catalog.pg_constraint con
      JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
     WHERE con.contype = 'f'
       AND con.connamespace = 'creator_platform'::regnamespace
       AND NOT EXISTS (
           SELECT 1 FROM pg_catalog.pg_index i
            WHERE i.indrelid = con.conrelid
              AND i.indkey[0] = con.conkey[1])
  $$, 'every foreign key column leads an index');
-- and the FKs of the schema are all single-column (the check above reads conkey[1])
SELECT is_empty($$
    SELECT conname FROM pg_catalog.pg_constraint
     WHERE contype = 'f' AND connamespace = 'creator_platform'::regnamespace
       AND pg_catalog.cardinality(conkey) <> 1
  $$, 'every foreign key is single-column');

--------------------------------------------------------------------------------
-- named indexes the rules and the lookups rely on
--------------------------------------------------------------------------------
SELECT has_index('creator_platform', t::name, i::name, format('index %s on %s', i, t))
  FROM (VALUES
    ('users', 'users_email_lower_key'), ('users', 'users_username_lower_key'),
    ('posts', 'posts_creator_id_idx'), ('posts', 'posts_creator_published_idx'),
    ('posts', 'posts_published_idx'), ('posts', 'posts_scheduled_idx'),
    ('comments', 'comments_post_id_created_at_idx'), ('comments', 'comments_user_id_idx'),
    ('comments', 'comments_parent_comment_id_idx'),
    ('subscriptions', 'subscriptions_one_active_idx'), ('subscriptions', 'subscriptions_subscriber_idx'),
    ('subscriptions', 'subscriptions_creator_idx'),
    ('events', 'events_unprocessed_idx')
  ) AS v(t, i);
SELECT index_is_unique('creator_platform', t::name, i::name, format('index %s is unique', i))
  FROM (VALUES
    ('users', 'users_email_lower_key'), ('users', 'users_username_lower_key'),
    ('subscriptions', 'subscriptions_one_active_idx')
  ) AS v(t, i);
SELECT is(
    (SELECT pg_catalog.pg_get_indexdef(i.indexrelid, 1, true)
       FROM pg_catalog.pg_index i WHERE i.indexrelid = 'creator_platform.users_email_lower_key'::regclass),
    'lower(email)', 'users_email_lower_key is on lower(email)');
SELECT is(
    (SELECT pg_catalog.pg_get_indexdef(i.indexrelid, 1, true)
       FROM pg_catalog.pg_index i WHERE i.indexrelid = 'creator_platform.users_username_lower_key'::regclass),
    'lower(username)', 'users_username_lower_key is on lower(username)');
SELECT matches(
    (SELECT pg_catalog.pg_get_expr(i.indpred, i.indrelid)
       FROM pg_catalog.pg_index i WHERE i.indexrelid = 'creator_platform.subscriptions_one_active_idx'::regclass),
    '^\(status = ''active''::(creator_platform\.)?subscription_status\)$',
    'subscriptions_one_active_idx covers active rows only');
SELECT is(
    (SELECT pg_catalog.pg_get_indexdef(i.indexrelid, 1, true) || ',' || pg_catalog.pg_get_indexdef(i.indexrelid, 2, true)
       FROM pg_catalog.pg_index i WHERE i.indexrelid = 'creator_platform.subscriptions_one_active_idx'::regclass),
    'subscriber_id,creator_id', 'subscriptions_one_active_idx is on (subscriber_id, creator_id)');

--------------------------------------------------------------------------------
-- updated_at triggers
--------------------------------------------------------------------------------
SELECT has_trigger('creator_platform', 'users', 'users_set_updated_at', 'users has its updated_at trigger');
SELECT trigger_is('creator_platform', 'users', 'users_set_updated_at', 'creator_platform', 'set_updated_at',
                  'users_set_updated_at runs set_updated_at()');
SELECT has_trigger('creator_platform', 'posts', 'posts_set_updated_at', 'posts has its updated_at trigger');
SELECT trigger_is('creator_platform', 'posts', 'posts_set_updated_at', 'creator_platform', 'set_updated_at',
                  'posts_set_updated_at runs set_updated_at()');

--------------------------------------------------------------------------------
-- functions of 0.1.0
--------------------------------------------------------------------------------
SELECT has_function('creator_platform', 'uuid_generate_v7', ARRAY[]::name[], 'uuid_generate_v7() exists');
SELECT function_returns('creator_platform', 'uuid_generate_v7', ARRAY[]::name[], 'uuid',
                        'uuid_generate_v7() returns uuid');
SELECT volatility_is('creator_platform', 'uuid_generate_v7', ARRAY[]::name[], 'volatile',
                     'uuid_generate_v7() is VOLATILE');
SELECT has_function('creator_platform', 'uuid_v7_timestamp', ARRAY['uuid'], 'uuid_v7_timestamp(uuid) exists');
SELECT function_returns('creator_platform', 'uuid_v7_timestamp', ARRAY['uuid'], 'timestamp with time zone',
                        'uuid_v7_timestamp(uuid) returns timestamptz');
SELECT is_strict('creator_platform', 'uuid_v7_timestamp', ARRAY['uuid'], 'uuid_v7_timestamp(uuid) is STRICT');
SELECT volatility_is('creator_platform', 'uuid_v7_timestamp', ARRAY['uuid'], 'immutable',
                     'uuid_v7_timestamp(uuid) is IMMUTABLE');
SELECT has_function('creator_platform', 'set_updated_at', ARRAY[]::name[], 'set_updated_at() exists');
SELECT function_returns('creator_platform', 'set_updated_at', ARRAY[]::name[], 'trigger',
                        'set_updated_at() returns trigger');
SELECT is(
    (SELECT pg_catalog.count(*) FROM pg_catalog.pg_proc p
      WHERE p.pronamespace = 'creator_platform'::regnamespace AND p.proname = 'uuid_generate_v7'),
    1::bigint, 'one uuid_generate_v7 (no overloads)');
SELECT is(
    (SELECT pg_catalog.count(*) FROM pg_catalog.pg_proc p
      WHERE p.pronamespace = 'creator_platform'::regnamespace AND p.proname = 'uuid_v7_timestamp'),
    1::bigint, 'one uuid_v7_timestamp (no overloads)');

--------------------------------------------------------------------------------
-- every public object has a COMMENT
--------------------------------------------------------------------------------
SELECT is_empty($$
    SELECT c.relname FROM pg_catalog.pg_class c
     WHERE c.relnamespace = 'creator_platform'::regnamespace
       AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
       AND pg_catalog.obj_description(c.oid, 'pg_class') IS NULL
  $$, 'every table and view of creator_platform has a COMMENT');
SELECT is_empty($$
    SELECT p.oid::regprocedure::text FROM pg_catalog.pg_proc p
     WHERE p.pronamespace = 'creator_platform'::regnamespace
       AND pg_catalog.obj_description(p.oid, 'pg_proc') IS NULL
  $$, 'every function and procedure of creator_platform has a COMMENT');
SELECT is_empty($$
    SELECT t.typname FROM pg_catalog.pg_type t
     WHERE t.typnamespace = 'creator_platform'::regnamespace
       AND t.typtype IN ('e', 'd', 'b', 'r', 'm')
       AND t.typelem = 0
       AND pg_catalog.obj_description(t.oid, 'pg_type') IS NULL
  $$, 'every type of creator_platform has a COMMENT');
SELECT isnt(
    (SELECT pg_catalog.obj_description(e.oid, 'pg_extension') FROM pg_catalog.pg_extension e
      WHERE e.extname = 'creator_platform'),
    NULL, 'the extension has a comment');

SELECT * FROM finish();
ROLLBACK;
