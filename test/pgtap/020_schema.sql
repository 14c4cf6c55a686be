-- 020_schema: the catalog promised by version 0.3.0 of the contract
-- (docs: /work/shared/API.md, "Types", "Tables" and "Pagination"): schema,
-- enum types, tables and their columns, types, NULLability and defaults,
-- keys, foreign keys with an index for each and their delete actions and
-- deferrability (docs/deletion.md), triggers, functions (the feeds of 0.3.0
-- with their exact arguments, defaults and result columns), the
-- max_comment_depth setting, and a COMMENT on every public object.
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(317);

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
                    'posts_archive', 'comments_archive', 'events',
                    'cursor_secret', 'creator_activity']) AS t;
SELECT tables_are('creator_platform',
    ARRAY['users', 'posts', 'comments', 'subscriptions', 'posts_archive', 'comments_archive', 'events',
          'cursor_secret', 'creator_activity', 'maintenance_log', 'privilege_sets'],
    'creator_platform has exactly these tables');

SELECT columns_are('creator_platform', 'users',
    ARRAY['id', 'email', 'password_hash', 'username', 'bio', 'role', 'created_at', 'updated_at'],
    'users has exactly the contract''s columns');
SELECT columns_are('creator_platform', 'posts',
    ARRAY['id', 'creator_id', 'title', 'content', 'status', 'visibility', 'published_at',
          'created_at', 'updated_at', 'comment_count'],
    'posts has exactly the contract''s columns');
SELECT columns_are('creator_platform', 'comments',
    ARRAY['id', 'post_id', 'user_id', 'parent_comment_id', 'content', 'created_at', 'depth',
          'reply_count', 'deleted_at', 'path'],
    'comments has exactly the contract''s columns, plus the materialized path');
SELECT columns_are('creator_platform', 'subscriptions',
    ARRAY['id', 'subscriber_id', 'creator_id', 'status', 'subscribed_at', 'cancelled_at'],
    'subscriptions has exactly the contract''s columns');
SELECT columns_are('creator_platform', 'posts_archive',
    ARRAY['id', 'creator_id', 'title', 'content', 'status', 'visibility', 'published_at',
          'created_at', 'updated_at', 'comment_count', 'archived_at'],
    'posts_archive has the columns of posts plus archived_at');
SELECT columns_are('creator_platform', 'comments_archive',
    ARRAY['id', 'post_id', 'user_id', 'parent_comment_id', 'content', 'created_at', 'depth',
          'reply_count', 'deleted_at', 'archived_at', 'path'],
    'comments_archive has the columns of comments plus archived_at');
SELECT columns_are('creator_platform', 'events',
    ARRAY['id', 'kind', 'payload', 'created_at', 'processed_at'],
    'events has exactly the contract''s columns');
SELECT columns_are('creator_platform', 'cursor_secret', ARRAY['singleton', 'secret', 'created_at'],
    'cursor_secret: singleton, secret, created_at');
SELECT columns_are('creator_platform', 'creator_activity', ARRAY['creator_id', 'last_published_at'],
    'creator_activity: creator_id, last_published_at');

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
    ('comments', 'path', 'bytea'), ('comments_archive', 'path', 'bytea'),
    ('subscriptions', 'id', 'uuid'), ('subscriptions', 'subscriber_id', 'uuid'),
    ('subscriptions', 'creator_id', 'uuid'), ('subscriptions', 'subscribed_at', 'timestamp with time zone'),
    ('subscriptions', 'cancelled_at', 'timestamp with time zone'),
    ('posts_archive', 'archived_at', 'timestamp with time zone'),
    ('comments_archive', 'archived_at', 'timestamp with time zone'),
    ('events', 'id', 'bigint'), ('events', 'kind', 'text'), ('events', 'payload', 'jsonb'),
    ('events', 'created_at', 'timestamp with time zone'), ('events', 'processed_at', 'timestamp with time zone'),
    ('posts_archive', 'id', 'uuid'), ('comments_archive', 'id', 'uuid'),
    ('cursor_secret', 'singleton', 'boolean'), ('cursor_secret', 'secret', 'bytea'),
    ('cursor_secret', 'created_at', 'timestamp with time zone'),
    ('creator_activity', 'creator_id', 'uuid'), ('creator_activity', 'last_published_at', 'timestamp with time zone')
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
    ('comments', 'id'), ('comments', 'post_id'), ('comments', 'content'),
    ('comments', 'created_at'), ('comments', 'depth'), ('comments', 'reply_count'), ('comments', 'path'),
    ('comments_archive', 'path'),
    ('subscriptions', 'id'), ('subscriptions', 'subscriber_id'), ('subscriptions', 'creator_id'),
    ('subscriptions', 'status'), ('subscriptions', 'subscribed_at'),
    ('posts_archive', 'archived_at'), ('comments_archive', 'archived_at'),
    ('events', 'id'), ('events', 'kind'), ('events', 'created_at'),
    ('cursor_secret', 'singleton'), ('cursor_secret', 'secret'), ('cursor_secret', 'created_at'),
    ('creator_activity', 'creator_id'), ('creator_activity', 'last_published_at')
  ) AS v(t, c);

SELECT col_is_null('creator_platform', t::name, c::name, format('%s.%s is NULL-able', t, c))
  FROM (VALUES
    ('users', 'password_hash'), ('users', 'bio'),
    ('posts', 'published_at'),
    ('comments', 'parent_comment_id'), ('comments', 'deleted_at'),
    ('comments', 'user_id'),  -- NULL on an anonymous placeholder only (docs/deletion.md)
    ('subscriptions', 'cancelled_at'),
    ('posts_archive', 'published_at'),
    ('comments_archive', 'parent_comment_id'), ('comments_archive', 'deleted_at'),
    ('comments_archive', 'user_id'),
    ('events', 'processed_at')
  ) AS v(t, c);

-- a comment without an author is an anonymous placeholder, nothing else
SELECT has_check('creator_platform', 'comments', 'comments has CHECK constraints');
SELECT is(
    (SELECT pg_catalog.pg_get_constraintdef(c.oid) FROM pg_catalog.pg_constraint c
      WHERE c.conrelid = 'creator_platform.comments'::regclass AND c.conname = 'comments_author_or_placeholder'),
    'CHECK (((user_id IS NOT NULL) OR (deleted_at IS NOT NULL)))',
    'CHECK comments_author_or_placeholder: user_id is NULL only on a placeholder');

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
SELECT col_default_is('creator_platform', 'cursor_secret', 'singleton', 'true'::text, 'cursor_secret.singleton defaults to true');
SELECT col_default_is('creator_platform', 'cursor_secret', 'created_at', 'now()'::text, 'cursor_secret.created_at defaults to now()');
SELECT col_hasnt_default('creator_platform', t::name, c::name, format('%s.%s has no default', t, c))
  FROM (VALUES ('cursor_secret', 'secret'), ('creator_activity', 'creator_id'), ('creator_activity', 'last_published_at'))
       AS v(t, c);

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
SELECT col_is_pk('creator_platform', 'cursor_secret', 'singleton', 'cursor_secret.singleton is the primary key');
SELECT col_is_pk('creator_platform', 'creator_activity', 'creator_id', 'creator_activity.creator_id is the primary key');

-- cursor_secret holds one row: a 16-byte key
SELECT is(
    (SELECT pg_catalog.string_agg(pg_catalog.pg_get_constraintdef(c.oid), ' | ' ORDER BY c.conname)
       FROM pg_catalog.pg_constraint c
      WHERE c.conrelid = 'creator_platform.cursor_secret'::regclass AND c.contype = 'c'),
    'CHECK ((length(secret) = 16)) | CHECK (singleton)',
    'cursor_secret: CHECKs one row (singleton is true, and the primary key) and a 16-byte secret');
SELECT is((SELECT pg_catalog.count(*) FROM creator_platform.cursor_secret), 1::bigint, 'cursor_secret holds one row');
SELECT is((SELECT pg_catalog.length(secret) FROM creator_platform.cursor_secret), 16, 'of 16 bytes');
SELECT isnt((SELECT secret FROM creator_platform.cursor_secret), '\x00000000000000000000000000000000'::bytea,
            'the key is not all zeros');
SELECT is(pg_catalog.has_table_privilege('public', 'creator_platform.cursor_secret', 'SELECT'), false,
          'PUBLIC cannot read cursor_secret');

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
    ('comments_archive', 'parent_comment_id', 'comments_archive'),
    ('creator_activity', 'creator_id', 'users')
  ) AS v(t, c, rt);

-- delete actions and deferrability (docs/deletion.md): deleting a user takes
-- their posts and subscriptions with them and anonymizes their placeholders;
-- deleting a post or a comment takes its comments / replies; the checks of
-- comments on posts and parents are deferred to commit (the lock order of
-- docs/architecture.md); updates of keys are never cascaded
SELECT is(
    (SELECT format('on delete %s, on update %s, %s, %s',
                   CASE con.confdeltype WHEN 'a' THEN 'no action' WHEN 'r' THEN 'restrict' WHEN 'c' THEN 'cascade'
                                        WHEN 'n' THEN 'set null' WHEN 'd' THEN 'set default' END,
                   CASE con.confupdtype WHEN 'a' THEN 'no action' ELSE con.confupdtype::text END,
                   CASE WHEN con.condeferrable THEN 'deferrable' ELSE 'not deferrable' END,
                   CASE WHEN con.condeferred THEN 'initially deferred' ELSE 'initially immediate' END)
       FROM pg_catalog.pg_constraint con
      WHERE con.conrelid = format('creator_platform.%I', t)::regclass AND con.conname = n),
    want, format('%s: %s', n, want))
  FROM (VALUES
    ('posts', 'posts_creator_id_fkey', 'on delete cascade, on update no action, not deferrable, initially immediate'),
    ('comments', 'comments_post_id_fkey', 'on delete cascade, on update no action, deferrable, initially deferred'),
    ('comments', 'comments_user_id_fkey', 'on delete set null, on update no action, not deferrable, initially immediate'),
    ('comments', 'comments_parent_comment_id_fkey', 'on delete cascade, on update no action, deferrable, initially deferred'),
    ('subscriptions', 'subscriptions_subscriber_id_fkey', 'on delete cascade, on update no action, not deferrable, initially immediate'),
    ('subscriptions', 'subscriptions_creator_id_fkey', 'on delete cascade, on update no action, not deferrable, initially immediate'),
    ('posts_archive', 'posts_archive_creator_id_fkey', 'on delete cascade, on update no action, not deferrable, initially immediate'),
    ('comments_archive', 'comments_archive_post_id_fkey', 'on delete cascade, on update no action, not deferrable, initially immediate'),
    ('comments_archive', 'comments_archive_user_id_fkey', 'on delete set null, on update no action, not deferrable, initially immediate'),
    ('comments_archive', 'comments_archive_parent_comment_id_fkey', 'on delete cascade, on update no action, not deferrable, initially immediate'),
    ('creator_activity', 'creator_activity_creator_id_fkey', 'on delete cascade, on update no action, not deferrable, initially immediate')
  ) AS v(t, n, want);
SELECT is(
    (SELECT pg_catalog.count(*) FROM pg_catalog.pg_constraint
      WHERE contype = 'f' AND connamespace = 'creator_platform'::regnamespace),
    11::bigint, 'the schema has exactly these 11 foreign keys');

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
    ('comments', 'comments_thread_idx'), ('comments', 'comments_user_id_idx'),
    ('comments_archive', 'comments_archive_thread_idx'),
    ('comments', 'comments_parent_comment_id_idx'),
    ('subscriptions', 'subscriptions_one_active_idx'), ('subscriptions', 'subscriptions_subscriber_idx'),
    ('subscriptions', 'subscriptions_creator_idx'),
    ('events', 'events_unprocessed_idx')
  ) AS v(t, i);
-- a thread, or a subtree, is one range scan of (post_id, path); these replace
-- the (post_id, created_at, id) indexes of 0.1.0
SELECT has_index('creator_platform', 'comments', 'comments_thread_idx', ARRAY['post_id', 'path'],
                 'comments_thread_idx is on (post_id, path)');
SELECT has_index('creator_platform', 'comments_archive', 'comments_archive_thread_idx', ARRAY['post_id', 'path'],
                 'comments_archive_thread_idx is on (post_id, path)');
SELECT hasnt_index('creator_platform', t::name, i::name, format('index %s of 0.1.0 is gone', i))
  FROM (VALUES ('comments', 'comments_post_id_created_at_idx'),
               ('comments_archive', 'comments_archive_post_id_created_at_idx')) AS v(t, i);
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
-- threading, counter and deletion triggers of 0.2.0: each one's function,
-- timing, level, events and transition tables
--------------------------------------------------------------------------------
SELECT trigger_is('creator_platform', t::name, g::name, 'creator_platform', f::name,
                  format('%s on %s runs %s()', g, t, f))
  FROM (VALUES
    ('comments', 'comments_before_insert', 'comments_before_insert'),
    ('comments', 'comments_before_update', 'comments_before_update'),
    ('comments', 'comments_after_insert', 'comments_after_insert'),
    ('comments', 'comments_after_update', 'comments_after_update'),
    ('comments', 'comments_after_delete', 'comments_after_delete'),
    ('comments', 'comments_after_truncate', 'comments_after_truncate'),
    ('posts', 'posts_comment_count_insert', 'counter_guard'),
    ('posts', 'posts_comment_count_update', 'counter_guard'),
    ('users', 'users_before_delete', 'users_before_delete')
  ) AS v(t, g, f);
SELECT set_eq($$
    SELECT c.relname::text AS tbl, t.tgname::text AS trigger,
           CASE WHEN t.tgtype & 2 <> 0 THEN 'before' ELSE 'after' END AS timing,
           CASE WHEN t.tgtype & 1 <> 0 THEN 'row' ELSE 'statement' END AS level,
           concat_ws(' or ', CASE WHEN t.tgtype & 4 <> 0 THEN 'insert' END,
                             CASE WHEN t.tgtype & 16 <> 0 THEN 'update' END,
                             CASE WHEN t.tgtype & 8 <> 0 THEN 'delete' END,
                             CASE WHEN t.tgtype & 32 <> 0 THEN 'truncate' END) AS events,
           concat_ws(' ', 'old:' || t.tgoldtable, 'new:' || t.tgnewtable) AS transition_tables
      FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
     WHERE c.relnamespace = 'creator_platform'::regnamespace AND NOT t.tgisinternal
       AND (c.relname = 'comments'
            OR t.tgname IN ('users_set_updated_at', 'users_before_delete', 'posts_set_updated_at',
                            'posts_comment_count_insert', 'posts_comment_count_update'))
  $$, $$ VALUES
    ('users', 'users_set_updated_at', 'before', 'row', 'update', ''),
    ('users', 'users_before_delete', 'before', 'row', 'delete', ''),
    ('posts', 'posts_set_updated_at', 'before', 'row', 'update', ''),
    ('posts', 'posts_comment_count_insert', 'before', 'row', 'insert', ''),
    ('posts', 'posts_comment_count_update', 'before', 'row', 'update', ''),
    ('comments', 'comments_before_insert', 'before', 'row', 'insert', ''),
    ('comments', 'comments_before_update', 'before', 'row', 'update', ''),
    ('comments', 'comments_after_insert', 'after', 'statement', 'insert', 'new:new_rows'),
    ('comments', 'comments_after_update', 'after', 'statement', 'update', 'old:old_rows new:new_rows'),
    ('comments', 'comments_after_delete', 'after', 'statement', 'delete', 'old:old_rows'),
    ('comments', 'comments_after_truncate', 'after', 'statement', 'truncate', '')
  $$, 'the triggers of comments, of updated_at, of the comment_count guard and of user deletion: timing, level, events, transition tables');
SELECT is(
    (SELECT pg_catalog.pg_get_triggerdef(t.oid) ~ 'BEFORE UPDATE OF comment_count ON creator_platform\.posts FOR EACH ROW WHEN \(\(old\.comment_count IS DISTINCT FROM new\.comment_count\)\)'
       FROM pg_catalog.pg_trigger t
      WHERE t.tgrelid = 'creator_platform.posts'::regclass AND t.tgname = 'posts_comment_count_update'),
    true, 'posts_comment_count_update fires only when comment_count changes');

--------------------------------------------------------------------------------
-- triggers of 0.3.0: creator_activity follows publications
--------------------------------------------------------------------------------
SELECT trigger_is('creator_platform', 'posts', g::name, 'creator_platform', 'track_creator_activity',
                  format('%s on posts runs track_creator_activity()', g))
  FROM unnest(ARRAY['posts_track_activity_insert', 'posts_track_activity_update']) AS g;
SELECT set_eq($$
    SELECT t.tgname::text AS trigger,
           CASE WHEN t.tgtype & 2 <> 0 THEN 'before' ELSE 'after' END AS timing,
           CASE WHEN t.tgtype & 1 <> 0 THEN 'row' ELSE 'statement' END AS level,
           concat_ws(' or ', CASE WHEN t.tgtype & 4 <> 0 THEN 'insert' END,
                             CASE WHEN t.tgtype & 16 <> 0 THEN 'update' END,
                             CASE WHEN t.tgtype & 8 <> 0 THEN 'delete' END,
                             CASE WHEN t.tgtype & 32 <> 0 THEN 'truncate' END) AS events,
           concat_ws(' ', 'old:' || t.tgoldtable, 'new:' || t.tgnewtable) AS transition_tables
      FROM pg_catalog.pg_trigger t
     WHERE t.tgfoid = 'creator_platform.track_creator_activity()'::regprocedure
  $$, $$ VALUES
    ('posts_track_activity_insert', 'after', 'statement', 'insert', 'new:new_posts'),
    ('posts_track_activity_update', 'after', 'row', 'update', '')
  $$, 'the creator_activity triggers: timing, level, events, transition tables, and no other trigger runs the function');
SELECT matches(
    (SELECT pg_catalog.pg_get_triggerdef(t.oid) FROM pg_catalog.pg_trigger t
      WHERE t.tgrelid = 'creator_platform.posts'::regclass AND t.tgname = 'posts_track_activity_update'),
    'WHEN \(\(\(new\.status = ''published''::(creator_platform\.)?post_status\) AND \(\(old\.status <> ''published''::(creator_platform\.)?post_status\) OR \(old\.published_at IS DISTINCT FROM new\.published_at\) OR \(old\.creator_id IS DISTINCT FROM new\.creator_id\)\)\)\)',
    'posts_track_activity_update fires only for rows that become published, or published rows whose time or creator changes');
SELECT function_returns('creator_platform', 'track_creator_activity', ARRAY[]::name[], 'trigger',
                        'track_creator_activity() returns trigger');
SELECT function_lang_is('creator_platform', 'track_creator_activity', ARRAY[]::name[], 'plpgsql',
                        'track_creator_activity() is PL/pgSQL');
SELECT is_definer('creator_platform', 'track_creator_activity', ARRAY[]::name[],
                  'track_creator_activity() is SECURITY DEFINER (apps need no privilege on creator_activity)');
SELECT ok((SELECT 'search_path=pg_catalog, pg_temp' = ANY (p.proconfig) FROM pg_catalog.pg_proc p
            WHERE p.oid = 'creator_platform.track_creator_activity()'::regprocedure),
          'track_creator_activity() pins search_path to pg_catalog, pg_temp');
SELECT is(pg_catalog.has_function_privilege('public', 'creator_platform.track_creator_activity()', 'EXECUTE'), false,
          'EXECUTE on track_creator_activity() is revoked from PUBLIC');

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
-- functions of 0.2.0: add_comment, delete_comment, and the trigger functions
--------------------------------------------------------------------------------
SELECT has_function('creator_platform', 'add_comment', ARRAY['uuid', 'uuid', 'text', 'uuid'],
                    'add_comment(uuid, uuid, text, uuid) exists');
SELECT function_returns('creator_platform', 'add_comment', ARRAY['uuid', 'uuid', 'text', 'uuid'], 'comments',
                        'add_comment() returns a comments row');
SELECT is(pg_catalog.pg_get_function_arguments('creator_platform.add_comment(uuid, uuid, text, uuid)'::regprocedure),
          'post_id uuid, user_id uuid, content text, parent_comment_id uuid DEFAULT NULL::uuid',
          'add_comment() argument names and the NULL default of parent_comment_id, as in the contract');
SELECT has_function('creator_platform', 'delete_comment', ARRAY['uuid'], 'delete_comment(uuid) exists');
SELECT function_returns('creator_platform', 'delete_comment', ARRAY['uuid'], 'void',
                        'delete_comment() returns void');
SELECT is(pg_catalog.pg_get_function_arguments('creator_platform.delete_comment(uuid)'::regprocedure),
          'comment_id uuid', 'delete_comment() argument name as in the contract');
SELECT volatility_is('creator_platform', f::name, a::name[], 'volatile', format('%s() is VOLATILE', f))
  FROM (VALUES ('add_comment', ARRAY['uuid', 'uuid', 'text', 'uuid']), ('delete_comment', ARRAY['uuid'])) AS v(f, a);
SELECT isnt_strict('creator_platform', f::name, a::name[], format('%s() is not STRICT (NULL arguments raise 22023)', f))
  FROM (VALUES ('add_comment', ARRAY['uuid', 'uuid', 'text', 'uuid']), ('delete_comment', ARRAY['uuid'])) AS v(f, a);
SELECT is_empty($$
    SELECT p.oid::regprocedure::text FROM pg_catalog.pg_proc p
     WHERE p.pronamespace = 'creator_platform'::regnamespace
       AND p.proname IN ('add_comment', 'delete_comment')
       AND (p.prosecdef OR p.proconfig IS NULL
            OR NOT ('search_path=pg_catalog, pg_temp' = ANY (p.proconfig)))
  $$, 'add_comment, delete_comment: SECURITY INVOKER with search_path pinned to pg_catalog, pg_temp (users_before_delete is SECURITY DEFINER from 0.5.0: 413_search_path.sql)');
SELECT function_returns('creator_platform', f::name, ARRAY[]::name[], 'trigger', format('%s() returns trigger', f))
  FROM unnest(ARRAY['comments_before_insert', 'comments_before_update',
                    'comments_after_insert', 'comments_after_update', 'comments_after_delete',
                    'comments_after_truncate', 'counter_guard', 'users_before_delete']) AS f;

--------------------------------------------------------------------------------
-- functions of 0.3.0: the feeds. Argument names, order and defaults and the
-- result columns are the contract's, exactly.
--------------------------------------------------------------------------------
CREATE TEMP TABLE feed_functions (f text, args text[], arguments text, result text) ON COMMIT DROP;
INSERT INTO feed_functions VALUES
    ('creator_posts', ARRAY['uuid', 'uuid', 'integer', 'text'],
     'creator_id uuid, viewer_id uuid DEFAULT NULL::uuid, page_size integer DEFAULT 20, after text DEFAULT NULL::text',
     'TABLE(post_id uuid, creator_id uuid, creator_username text, title text, content text, visibility creator_platform.post_visibility, locked boolean, published_at timestamp with time zone, comment_count integer, cursor text)'),
    ('home_feed', ARRAY['uuid', 'integer', 'text'],
     'reader_id uuid, page_size integer DEFAULT 20, after text DEFAULT NULL::text',
     'TABLE(post_id uuid, creator_id uuid, creator_username text, title text, content text, visibility creator_platform.post_visibility, locked boolean, published_at timestamp with time zone, comment_count integer, cursor text)'),
    ('recent_posts', ARRAY['uuid', 'integer', 'text'],
     'viewer_id uuid DEFAULT NULL::uuid, page_size integer DEFAULT 20, after text DEFAULT NULL::text',
     'TABLE(post_id uuid, creator_id uuid, creator_username text, title text, content text, visibility creator_platform.post_visibility, locked boolean, published_at timestamp with time zone, comment_count integer, cursor text)'),
    ('post_view', ARRAY['uuid', 'uuid'],
     'post_id uuid, viewer_id uuid DEFAULT NULL::uuid',
     'TABLE(post_id uuid, creator_id uuid, creator_username text, title text, content text, visibility creator_platform.post_visibility, locked boolean, published_at timestamp with time zone, comment_count integer, cursor text)'),
    ('comment_thread', ARRAY['uuid', 'integer', 'text', 'integer', 'uuid'],
     'post_id uuid, page_size integer DEFAULT 50, after text DEFAULT NULL::text, max_depth integer DEFAULT NULL::integer, root_comment_id uuid DEFAULT NULL::uuid',
     'TABLE(comment_id uuid, parent_comment_id uuid, user_id uuid, username text, content text, depth integer, reply_count integer, created_at timestamp with time zone, deleted boolean, cursor text)'),
    ('subscriptions_of', ARRAY['uuid', 'creator_platform.subscription_status', 'integer', 'text'],
     'subscriber_id uuid, status creator_platform.subscription_status DEFAULT ''active''::creator_platform.subscription_status, page_size integer DEFAULT 20, after text DEFAULT NULL::text',
     'TABLE(subscription_id uuid, creator_id uuid, creator_username text, status creator_platform.subscription_status, subscribed_at timestamp with time zone, cancelled_at timestamp with time zone, cursor text)'),
    ('subscribers_of', ARRAY['uuid', 'creator_platform.subscription_status', 'integer', 'text'],
     'creator_id uuid, status creator_platform.subscription_status DEFAULT ''active''::creator_platform.subscription_status, page_size integer DEFAULT 20, after text DEFAULT NULL::text',
     'TABLE(subscription_id uuid, subscriber_id uuid, subscriber_username text, status creator_platform.subscription_status, subscribed_at timestamp with time zone, cancelled_at timestamp with time zone, cursor text)');
SET LOCAL search_path = pg_catalog, public;  -- pg_get_function_* qualify names outside the search_path
SELECT public.is(pg_catalog.pg_get_function_arguments(format('creator_platform.%s(%s)', f, array_to_string(args, ', '))::regprocedure),
          arguments, format('%s(): argument names, order and defaults as in the contract', f))
  FROM feed_functions ORDER BY f;
SELECT public.is(pg_catalog.pg_get_function_result(format('creator_platform.%s(%s)', f, array_to_string(args, ', '))::regprocedure),
          result, format('%s(): result columns as in the contract', f))
  FROM feed_functions ORDER BY f;
SET LOCAL search_path = creator_platform, public;
SELECT is(
    (SELECT pg_catalog.count(*) FROM pg_catalog.pg_proc p
      WHERE p.pronamespace = 'creator_platform'::regnamespace AND p.proname = f),
    1::bigint, format('one %s (no overloads)', f))
  FROM feed_functions ORDER BY f;
SELECT is_empty($$
    SELECT p.oid::regprocedure::text FROM pg_catalog.pg_proc p
      JOIN pg_temp.feed_functions f ON f.f = p.proname
     WHERE p.pronamespace = 'creator_platform'::regnamespace
       AND (p.provolatile <> 's' OR p.proisstrict OR p.prosecdef OR NOT p.proretset
            OR p.prolang <> (SELECT oid FROM pg_catalog.pg_language WHERE lanname = 'c'))
  $$, 'the feeds are C, STABLE, not STRICT (NULL arguments raise 22023), SECURITY INVOKER, set-returning');
SELECT is_empty($$
    SELECT p.oid::regprocedure::text FROM pg_catalog.pg_proc p
      JOIN pg_temp.feed_functions f ON f.f = p.proname
     WHERE p.pronamespace = 'creator_platform'::regnamespace
       AND pg_catalog.has_function_privilege('public', p.oid, 'EXECUTE')
  $$, 'PUBLIC may call no feed (from 0.5.0 grant_usage gives EXECUTE: 410_privileges.sql)');
SELECT results_eq($$
    SELECT p.proname::text COLLATE "default", p.prorows::int FROM pg_catalog.pg_proc p
      JOIN pg_temp.feed_functions f ON f.f = p.proname
     WHERE p.pronamespace = 'creator_platform'::regnamespace ORDER BY 1
  $$, $$ VALUES ('comment_thread', 50), ('creator_posts', 20), ('home_feed', 20), ('post_view', 1),
                ('recent_posts', 20), ('subscribers_of', 20), ('subscriptions_of', 20) $$,
  'the planner''s row estimate of each feed is its default page size (post_view: 1)');

--------------------------------------------------------------------------------
-- creator_platform.max_comment_depth: integer 0-100, default 64, settable by
-- any user per session or transaction
--------------------------------------------------------------------------------
SELECT ok(creator_platform.uuid_generate_v7() IS NOT NULL, 'the module is loaded (its settings are defined)');
SELECT results_eq($$
    SELECT vartype, boot_val, min_val, max_val, context FROM pg_catalog.pg_settings
     WHERE name = 'creator_platform.max_comment_depth'
  $$, $$ VALUES ('integer'::text, '64'::text, '0'::text, '100'::text, 'user'::text) $$,
  'creator_platform.max_comment_depth: integer, default 64, range 0-100, USERSET');

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
SELECT is_empty($$
    SELECT t.tgrelid::regclass::text, t.tgname FROM pg_catalog.pg_trigger t
      JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
     WHERE c.relnamespace = 'creator_platform'::regnamespace AND NOT t.tgisinternal
       AND t.tgname NOT IN ('users_set_updated_at', 'posts_set_updated_at')  -- 0.1.0, frozen without one
       AND pg_catalog.obj_description(t.oid, 'pg_trigger') IS NULL
  $$, 'every trigger added since 0.1.0 has a COMMENT');
SELECT is_empty($$
    SELECT v.t, v.c FROM (VALUES ('comments', 'path'), ('comments', 'user_id'), ('comments_archive', 'path')) AS v(t, c)
     WHERE pg_catalog.col_description(format('creator_platform.%I', v.t)::regclass,
                                      (SELECT a.attnum FROM pg_catalog.pg_attribute a
                                        WHERE a.attrelid = format('creator_platform.%I', v.t)::regclass
                                          AND a.attname = v.c)) IS NULL
  $$, 'comments.path, comments.user_id and comments_archive.path have a COMMENT');
SELECT isnt(
    (SELECT pg_catalog.obj_description(e.oid, 'pg_extension') FROM pg_catalog.pg_extension e
      WHERE e.extname = 'creator_platform'),
    NULL, 'the extension has a comment');

SELECT * FROM finish();
ROLLBACK;
