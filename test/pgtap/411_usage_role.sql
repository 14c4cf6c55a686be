-- 411_usage_role: an application role that is neither superuser nor owner
-- uses the whole contract after creator_platform.grant_usage(role), and
-- nothing without it (issue 6, "Least privilege"; docs/security.md).
--   * as that role (SET ROLE), every path of the contract works: direct
--     INSERT / UPDATE / DELETE / SELECT of users, posts, comments and
--     subscriptions (default UUIDv7 ids included), each function of the
--     lifecycle, subscriptions, comments and the outbox, every feed,
--     the statistics views and the archive tables; the triggers behind them
--     write events, counters and creator_activity and reach the archive when
--     a user is deleted, though the role may write none of those itself;
--   * the rules still hold for it (23514, 55000), and the counters are exact;
--   * it may not write the outbox, the sequence, the archive, cursor_secret or
--     maintenance_log directly, TRUNCATE, or run any maintenance function
--     (42501, nothing changed);
--   * a role with no grant, and one with only USAGE on the schema (EXECUTE is
--     revoked from PUBLIC), get 42501 from every function and procedure and
--     every table, view and sequence;
--   * after revoke_usage the application role is back to 42501 everywhere.
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(66);

--------------------------------------------------------------------------------
-- helpers
--------------------------------------------------------------------------------
CREATE FUNCTION pg_temp.as_role(role text, query text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
    result text;
BEGIN
    BEGIN
        EXECUTE format('SET LOCAL ROLE %I', role);
        EXECUTE query INTO result;
        RESET ROLE;
        RETURN coalesce(result, 'NULL');
    EXCEPTION WHEN OTHERS THEN
        RETURN 'ERROR ' || SQLSTATE;
    END;
END
$f$;
-- One call of every function or procedure of a grant set, NULL for every argument.
-- (Each argument a scalar subquery, and the result counted, so that the
-- planner can neither fold the call away (a STRICT function of a NULL
-- constant) nor drop it as an unused output: PostgreSQL checks EXECUTE when
-- the executor meets the call. CALL takes no subquery, and checks EXECUTE
-- itself. search_path pinned so that the names printed are schema-qualified.)
CREATE FUNCTION pg_temp.calls(grant_set text) RETURNS TABLE (routine text, call text) LANGUAGE sql
SET search_path = pg_catalog, pg_temp AS $f$
    SELECT p.oid::regprocedure::text,
           format(CASE WHEN p.prokind = 'p' THEN 'CALL %s(%s)' ELSE 'SELECT count(v)::text FROM (SELECT %s(%s) AS v) x' END,
                  p.oid::regproc,
                  coalesce((SELECT string_agg(CASE WHEN p.prokind = 'p' THEN 'NULL::' || format_type(t, NULL)
                                                   ELSE '(SELECT NULL::' || format_type(t, NULL) || ')' END, ', ' ORDER BY n)
                              FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS a (t, n)), ''))
      FROM creator_platform.privilege_sets ps
      JOIN pg_catalog.pg_proc p ON p.oid = CASE WHEN ps.object_type = 'ROUTINE' THEN to_regprocedure(ps.object_name) END
     WHERE ps.grant_set = calls.grant_set
$f$;
-- One statement per privilege on every table, view and sequence of the extension.
CREATE FUNCTION pg_temp.relation_statements() RETURNS TABLE (what text, stmt text) LANGUAGE sql
SET search_path = pg_catalog, pg_temp AS $f$
    SELECT format('%s %s', s.verb, c.relname),
           format(s.template, c.oid::regclass, (SELECT quote_ident(a.attname) FROM pg_catalog.pg_attribute a
                                                 WHERE a.attrelid = c.oid AND a.attnum = 1))
      FROM pg_catalog.pg_class c
     CROSS JOIN (VALUES
        ('SELECT', 'SELECT count(*)::text FROM (SELECT 1 FROM %s LIMIT 1) x', 'rvmp'),
        ('INSERT', 'WITH x AS (INSERT INTO %s DEFAULT VALUES RETURNING 1) SELECT count(*)::text FROM x', 'rp'),
        ('UPDATE', 'WITH x AS (UPDATE %1$s SET %2$s = %2$s WHERE false RETURNING 1) SELECT count(*)::text FROM x', 'rp'),
        ('DELETE', 'WITH x AS (DELETE FROM %s WHERE false RETURNING 1) SELECT count(*)::text FROM x', 'rp'),
        ('NEXTVAL', 'SELECT nextval(''%s'')::text', 'S')) AS s (verb, template, kinds)
     WHERE c.relnamespace = 'creator_platform'::regnamespace AND strpos(s.kinds, c.relkind::text) > 0
$f$;

--------------------------------------------------------------------------------
-- data (as the owner): creators c1, c2 (c2's old post is archived with a
-- comment of e1), admin a1, readers e1, e2; a scheduled post of c1 whose time
-- has come (written with the triggers off, as a due post cannot be written)
--------------------------------------------------------------------------------
INSERT INTO users (id, email, username, role) VALUES
    ('00000000-0000-7000-8000-0000000411c1', 'c1@411.test', 'u411_c1', 'creator'),
    ('00000000-0000-7000-8000-0000000411c2', 'c2@411.test', 'u411_c2', 'creator'),
    ('00000000-0000-7000-8000-0000000411a1', 'a1@411.test', 'u411_a1', 'admin'),
    ('00000000-0000-7000-8000-0000000411e1', 'e1@411.test', 'u411_e1', 'reader'),
    ('00000000-0000-7000-8000-0000000411e2', 'e2@411.test', 'u411_e2', 'reader');
INSERT INTO posts (id, creator_id, title, content, status, visibility, published_at) VALUES
    ('00000000-0000-7000-8000-0000000411b1', '00000000-0000-7000-8000-0000000411c1', 'public', 'hello', 'published', 'public', now() - interval '1 hour'),
    ('00000000-0000-7000-8000-0000000411b2', '00000000-0000-7000-8000-0000000411c1', 'subscribers', 'secret', 'published', 'subscribers', now() - interval '2 hours'),
    ('00000000-0000-7000-8000-0000000411b3', '00000000-0000-7000-8000-0000000411c2', 'old', 'old', 'published', 'public', now() - interval '3 years');
INSERT INTO comments (id, post_id, user_id, content) VALUES
    ('00000000-0000-7000-8000-00000411c001', '00000000-0000-7000-8000-0000000411b3', '00000000-0000-7000-8000-0000000411e1', 'old comment');
SELECT is(archive_posts(now() - interval '2 years'), 1::bigint, 'fixture: c2''s old post is archived');
SET LOCAL session_replication_role = replica;
INSERT INTO posts (id, creator_id, title, status, published_at) VALUES
    ('00000000-0000-7000-8000-0000000411d1', '00000000-0000-7000-8000-0000000411c1', 'due', 'scheduled', now() - interval '1 minute');
SET LOCAL session_replication_role = origin;
DELETE FROM events;

CREATE ROLE cp_411_app NOLOGIN;
CREATE ROLE cp_411_nothing NOLOGIN;
CREATE ROLE cp_411_schema_only NOLOGIN;
GRANT USAGE ON SCHEMA creator_platform TO cp_411_schema_only;

--------------------------------------------------------------------------------
-- without the grant: 42501 for everything, nothing changed
--------------------------------------------------------------------------------
SELECT ok((SELECT count(*) FROM pg_temp.calls('usage')) = (SELECT count(*) FROM creator_platform.privilege_sets
                                                             WHERE grant_set = 'usage' AND object_type = 'ROUTINE')
          AND (SELECT count(*) FROM pg_temp.calls('usage')) >= 20
          AND (SELECT count(*) FROM pg_temp.calls('maintenance')) >= 13
          AND (SELECT count(*) FROM pg_temp.relation_statements()) >= 40,
          'the calls below cover every routine of each set and every relation');
CREATE TEMP TABLE state_before ON COMMIT DROP AS SELECT cp_test.db_state() AS s;
SELECT is_empty($$SELECT c.routine, r.result FROM pg_temp.calls('usage') c
                    CROSS JOIN LATERAL (SELECT pg_temp.as_role('cp_411_nothing', c.call) AS result) r
                   WHERE r.result <> 'ERROR 42501'$$,
                'a role with no grant: every usage function gives 42501');
SELECT is_empty($$SELECT c.routine, r.result FROM pg_temp.calls('maintenance') c
                    CROSS JOIN LATERAL (SELECT pg_temp.as_role('cp_411_nothing', c.call) AS result) r
                   WHERE r.result <> 'ERROR 42501'$$,
                'a role with no grant: every maintenance function and procedure gives 42501');
SELECT is_empty($$SELECT s.what, r.result FROM pg_temp.relation_statements() s
                    CROSS JOIN LATERAL (SELECT pg_temp.as_role('cp_411_nothing', s.stmt) AS result) r
                   WHERE r.result <> 'ERROR 42501'$$,
                'a role with no grant: SELECT, INSERT, UPDATE, DELETE of every table and view, nextval: 42501');
SELECT is_empty($$SELECT c.routine, r.result FROM (SELECT * FROM pg_temp.calls('usage') UNION ALL
                                                    SELECT * FROM pg_temp.calls('maintenance') UNION ALL
                                                    SELECT * FROM pg_temp.calls('owner')) c
                    CROSS JOIN LATERAL (SELECT pg_temp.as_role('cp_411_schema_only', c.call) AS result) r
                   WHERE r.result <> 'ERROR 42501'$$,
                'a role with USAGE on the schema only: every function and procedure gives 42501 (nothing for PUBLIC)');
SELECT is_empty($$SELECT s.what, r.result FROM pg_temp.relation_statements() s
                    CROSS JOIN LATERAL (SELECT pg_temp.as_role('cp_411_schema_only', s.stmt) AS result) r
                   WHERE r.result <> 'ERROR 42501'$$,
                'a role with USAGE on the schema only: every table, view and sequence gives 42501');
SELECT is(pg_temp.as_role('cp_411_nothing', 'SELECT creator_platform.uuid_generate_v7()::text'), 'ERROR 42501',
          'the control works: without the grant even uuid_generate_v7() is refused');
SELECT is(cp_test.db_state(), (SELECT s FROM state_before), 'nothing changed');

--------------------------------------------------------------------------------
-- one call
--------------------------------------------------------------------------------
SELECT lives_ok($$SELECT creator_platform.grant_usage('cp_411_app')$$, 'grant_usage(cp_411_app)');

-- users: INSERT with the default ids, UPDATE (updated_at), SELECT
SELECT is(pg_temp.as_role('cp_411_app', $$
    WITH u AS (INSERT INTO creator_platform.users (email, username, role) VALUES
                   ('n1@411.test', 'u411_new_creator', 'creator'), ('n2@411.test', 'u411_new_reader', 'reader')
               RETURNING id)
    SELECT count(*)::text FROM u$$), '2', 'INSERT INTO users with the default ids');
SELECT is((SELECT count(*) FROM users WHERE username LIKE 'u411\_new\_%' AND uuid_v7_timestamp(id) IS NOT NULL),
          2::bigint, '... which are UUIDv7');
SELECT is(pg_temp.as_role('cp_411_app', $$
    WITH u AS (UPDATE creator_platform.users SET bio = 'hi' WHERE username = 'u411_new_creator' RETURNING updated_at = now())
    SELECT string_agg(u::text, ',') FROM u$$), '(t)', 'UPDATE users: updated_at is set by the database');
-- posts: INSERT published (owner check, lifecycle, counter guard, post_published, creator_activity)
SELECT is(pg_temp.as_role('cp_411_app', $$
    WITH p AS (INSERT INTO creator_platform.posts (creator_id, title, content, status)
               SELECT id, 'app post', 'by the app', 'published' FROM creator_platform.users WHERE username = 'u411_new_creator'
               RETURNING id)
    SELECT count(*)::text FROM p$$), '1', 'INSERT INTO posts, published');
SELECT is((SELECT count(*) FROM events e JOIN posts p ON p.id = (e.payload ->> 'post_id')::uuid
            WHERE e.kind = 'post_published' AND p.title = 'app post'), 1::bigint, '... its post_published event is written');
SELECT is((SELECT a.last_published_at FROM creator_activity a JOIN users u ON u.id = a.creator_id
            WHERE u.username = 'u411_new_creator'), now(), '... and creator_activity is raised');
-- the lifecycle functions
SELECT is(pg_temp.as_role('cp_411_app', $$
    WITH p AS (INSERT INTO creator_platform.posts (id, creator_id, title)
               VALUES ('00000000-0000-7000-8000-0000000411f1', '00000000-0000-7000-8000-0000000411c1', 'draft by the app')
               RETURNING status)
    SELECT string_agg(status::text, ',') FROM p$$), 'draft', 'INSERT INTO posts, a draft');
SELECT is(pg_temp.as_role('cp_411_app', $$SELECT status::text FROM creator_platform.schedule_post(
            '00000000-0000-7000-8000-0000000411f1', now() + interval '1 day')$$), 'scheduled', 'schedule_post');
SELECT is(pg_temp.as_role('cp_411_app', $$SELECT status::text FROM creator_platform.publish_post(
            '00000000-0000-7000-8000-0000000411f1')$$), 'published', 'publish_post');
SELECT is(pg_temp.as_role('cp_411_app', $$SELECT creator_platform.publish_due_posts()::text$$), '1',
          'publish_due_posts publishes the due post');
SELECT is(pg_temp.as_role('cp_411_app', $$
    WITH p AS (UPDATE creator_platform.posts SET title = 'edited', status = 'draft'
                WHERE id = '00000000-0000-7000-8000-0000000411f1' RETURNING published_at IS NULL)
    SELECT string_agg(p::text, ',') FROM p$$), '(t)', 'UPDATE posts back to draft: published_at cleared');
-- subscriptions
SELECT is(pg_temp.as_role('cp_411_app', $$SELECT status::text FROM creator_platform.subscribe(
            '00000000-0000-7000-8000-0000000411e1', '00000000-0000-7000-8000-0000000411c1')$$), 'active', 'subscribe');
SELECT is(pg_temp.as_role('cp_411_app', $$
    WITH s AS (INSERT INTO creator_platform.subscriptions (subscriber_id, creator_id)
               VALUES ('00000000-0000-7000-8000-0000000411e2', '00000000-0000-7000-8000-0000000411c1') RETURNING 1)
    SELECT count(*)::text FROM s$$), '1', 'INSERT INTO subscriptions');
SELECT is(pg_temp.as_role('cp_411_app', $$SELECT status::text FROM creator_platform.cancel_subscription(
            '00000000-0000-7000-8000-0000000411e2', '00000000-0000-7000-8000-0000000411c1')$$), 'cancelled', 'cancel_subscription');
SELECT is(pg_temp.as_role('cp_411_app', $$
    WITH s AS (INSERT INTO creator_platform.subscriptions (subscriber_id, creator_id)
               VALUES ('00000000-0000-7000-8000-0000000411e2', '00000000-0000-7000-8000-0000000411c2') RETURNING id)
    SELECT count(*)::text FROM s$$), '1', 'a second subscription');
SELECT is(pg_temp.as_role('cp_411_app', $$
    WITH s AS (UPDATE creator_platform.subscriptions SET status = 'cancelled'
                WHERE subscriber_id = '00000000-0000-7000-8000-0000000411e2'
                  AND creator_id = '00000000-0000-7000-8000-0000000411c2' AND status = 'active'
               RETURNING cancelled_at = now())
    SELECT string_agg(s::text, ',') FROM s$$), '(t)', 'UPDATE subscriptions to cancelled: cancelled_at set');
-- comments: add_comment, a reply, a direct INSERT, an edit, delete_comment (a
-- placeholder and a removal), a direct DELETE
SELECT is(pg_temp.as_role('cp_411_app', $$SELECT depth::text FROM creator_platform.add_comment(
            '00000000-0000-7000-8000-0000000411b1', '00000000-0000-7000-8000-0000000411e2', 'first',
            NULL)$$), '0', 'add_comment');
SELECT is(pg_temp.as_role('cp_411_app', $$SELECT depth::text FROM creator_platform.add_comment(
            '00000000-0000-7000-8000-0000000411b1', '00000000-0000-7000-8000-0000000411e1', 'reply',
            (SELECT id FROM creator_platform.comments WHERE content = 'first'))$$), '1', 'add_comment, a reply');
SELECT is(pg_temp.as_role('cp_411_app', $$
    WITH c AS (INSERT INTO creator_platform.comments (post_id, user_id, content) VALUES
                   ('00000000-0000-7000-8000-0000000411b2', '00000000-0000-7000-8000-0000000411e1', 'direct 1'),
                   ('00000000-0000-7000-8000-0000000411b2', '00000000-0000-7000-8000-0000000411e2', 'direct 2')
               RETURNING 1)
    SELECT count(*)::text FROM c$$), '2', 'INSERT INTO comments, two rows');
SELECT is(pg_temp.as_role('cp_411_app', $$
    WITH c AS (UPDATE creator_platform.comments SET content = 'direct one' WHERE content = 'direct 1' RETURNING 1)
    SELECT count(*)::text FROM c$$), '1', 'UPDATE comments');
SELECT is(pg_temp.as_role('cp_411_app', $$SELECT creator_platform.delete_comment(
            (SELECT id FROM creator_platform.comments WHERE content = 'first'))::text$$), '', 'delete_comment of a comment with a reply');
SELECT is(pg_temp.as_role('cp_411_app', $$SELECT creator_platform.delete_comment(
            (SELECT id FROM creator_platform.comments WHERE content = 'direct one'))::text$$), '', 'delete_comment of a leaf');
SELECT is(pg_temp.as_role('cp_411_app', $$
    WITH c AS (DELETE FROM creator_platform.comments WHERE content = 'direct 2' RETURNING 1)
    SELECT count(*)::text FROM c$$), '1', 'DELETE FROM comments');
SELECT is((SELECT array_agg(comment_count ORDER BY id) FROM posts
            WHERE id IN ('00000000-0000-7000-8000-0000000411b1', '00000000-0000-7000-8000-0000000411b2')),
          ARRAY[1, 0], 'comment_count followed every one of them (a placeholder does not count)');
SELECT is((SELECT reply_count FROM comments WHERE content = '' AND post_id = '00000000-0000-7000-8000-0000000411b1'),
          1, 'reply_count too');
SELECT is((SELECT count(*) FROM events WHERE kind = 'comment_added'), 4::bigint, 'a comment_added event per comment');
-- the outbox
SELECT is(pg_temp.as_role('cp_411_app', $$SELECT count(*)::text FROM creator_platform.claim_events(1000)$$),
          (SELECT count(*)::text FROM events WHERE processed_at IS NULL), 'claim_events claims every event');
SELECT is((SELECT count(*) FROM events WHERE processed_at IS NULL), 0::bigint, '... and marks them processed');
-- reading: every feed, the archive, the views, the uuid functions
SELECT is(pg_temp.as_role('cp_411_app', $$
    SELECT concat_ws(' ',
        (SELECT count(*) FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000411c1', '00000000-0000-7000-8000-0000000411e1')),
        (SELECT count(*) FROM creator_platform.home_feed('00000000-0000-7000-8000-0000000411e1')),
        (SELECT count(*) FROM creator_platform.recent_posts(NULL, 1000)),
        (SELECT count(*) FROM creator_platform.post_view('00000000-0000-7000-8000-0000000411b3')),
        (SELECT count(*) FROM creator_platform.comment_thread('00000000-0000-7000-8000-0000000411b3')),
        (SELECT count(*) FROM creator_platform.subscriptions_of('00000000-0000-7000-8000-0000000411e2', 'cancelled')),
        (SELECT count(*) FROM creator_platform.subscribers_of('00000000-0000-7000-8000-0000000411c1')))$$),
    (SELECT concat_ws(' ',
        (SELECT count(*) FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000411c1', '00000000-0000-7000-8000-0000000411e1')),
        (SELECT count(*) FROM creator_platform.home_feed('00000000-0000-7000-8000-0000000411e1')),
        (SELECT count(*) FROM creator_platform.recent_posts(NULL, 1000)),
        (SELECT count(*) FROM creator_platform.post_view('00000000-0000-7000-8000-0000000411b3')),
        (SELECT count(*) FROM creator_platform.comment_thread('00000000-0000-7000-8000-0000000411b3')),
        (SELECT count(*) FROM creator_platform.subscriptions_of('00000000-0000-7000-8000-0000000411e2', 'cancelled')),
        (SELECT count(*) FROM creator_platform.subscribers_of('00000000-0000-7000-8000-0000000411c1')))),
    'every feed gives the app role what it gives the owner');
SELECT is(pg_temp.as_role('cp_411_app', $$
    SELECT concat_ws(' ', (SELECT count(*) FROM creator_platform.posts_archive), (SELECT count(*) FROM creator_platform.comments_archive),
                          (SELECT count(*) FROM creator_platform.creator_stats) >= 0, (SELECT count(*) FROM creator_platform.trending_posts) >= 0,
                          (SELECT count(*) FROM creator_platform.creator_activity) > 0, (SELECT count(*) FROM creator_platform.events) > 0,
                          (SELECT count(*) FROM creator_platform.subscriptions) > 0)$$),
          '1 1 t t t t t', 'SELECT on the archive, creator_stats, trending_posts, creator_activity, events, subscriptions');
SELECT is(pg_temp.as_role('cp_411_app', $$
    SELECT (creator_platform.uuid_v7_timestamp(creator_platform.uuid_generate_v7()) - now() < interval '1 minute')::text$$),
          'true', 'uuid_generate_v7 and uuid_v7_timestamp');

-- the rules hold for the app role
SELECT is(pg_temp.as_role('cp_411_app', $$SELECT count(*)::text FROM creator_platform.add_comment(
            '00000000-0000-7000-8000-0000000411f1', '00000000-0000-7000-8000-0000000411e1', 'on a draft')$$),
          'ERROR 55000', 'a comment on a draft: 55000');
SELECT is(pg_temp.as_role('cp_411_app', $$SELECT count(*)::text FROM creator_platform.add_comment(
            '00000000-0000-7000-8000-0000000411b3', '00000000-0000-7000-8000-0000000411e1', 'on an archived post')$$),
          'ERROR 55000', 'a comment on an archived post: 55000');
SELECT is(pg_temp.as_role('cp_411_app', $$
    WITH p AS (INSERT INTO creator_platform.posts (creator_id, title) VALUES ('00000000-0000-7000-8000-0000000411e1', 'x') RETURNING 1)
    SELECT count(*)::text FROM p$$), 'ERROR 23514', 'a reader''s post: 23514');
SELECT is(pg_temp.as_role('cp_411_app', $$
    WITH u AS (UPDATE creator_platform.users SET role = 'reader' WHERE id = '00000000-0000-7000-8000-0000000411c2' RETURNING 1)
    SELECT count(*)::text FROM u$$), 'ERROR 23514', 'making a reader of a creator with an archived post: 23514 (the check sees the archive)');
SELECT is(pg_temp.as_role('cp_411_app', $$
    WITH p AS (UPDATE creator_platform.posts SET comment_count = 7 WHERE id = '00000000-0000-7000-8000-0000000411b1' RETURNING 1)
    SELECT count(*)::text FROM p$$), 'ERROR 55000', 'writing a counter: 55000');

-- deleting users: their live and archived posts and comments follow
SELECT is(pg_temp.as_role('cp_411_app', $$
    WITH u AS (DELETE FROM creator_platform.users
                WHERE id IN ('00000000-0000-7000-8000-0000000411c2', '00000000-0000-7000-8000-0000000411e2') RETURNING 1)
    SELECT count(*)::text FROM u$$), '2', 'DELETE FROM users: a creator with an archived post, a reader with a comment that has a reply');
SELECT is((SELECT count(*) FROM posts_archive WHERE creator_id = '00000000-0000-7000-8000-0000000411c2'), 0::bigint,
          '... the creator''s archived post is gone');
SELECT is((SELECT count(*) FROM comments_archive WHERE post_id = '00000000-0000-7000-8000-0000000411b3'), 0::bigint,
          '... with its comment');
SELECT is((SELECT user_id IS NULL AND deleted_at IS NOT NULL FROM comments
            WHERE post_id = '00000000-0000-7000-8000-0000000411b1' AND parent_comment_id IS NULL),
          true, '... the reader''s comment with a reply is an anonymous placeholder');
SELECT is_empty('SELECT * FROM cp_test.counter_mismatches()', 'every counter is exact');
SELECT is_empty('SELECT * FROM creator_platform.reconcile_counters(false)', '... live and archived (reconcile_counters)');

--------------------------------------------------------------------------------
-- what the app role still may not do
--------------------------------------------------------------------------------
DELETE FROM state_before;
INSERT INTO state_before SELECT cp_test.db_state();
SELECT is_empty($$SELECT c.routine, r.result FROM pg_temp.calls('maintenance') c
                    CROSS JOIN LATERAL (SELECT pg_temp.as_role('cp_411_app', c.call) AS result) r
                   WHERE r.result <> 'ERROR 42501'$$,
                'the app role: every maintenance function and procedure gives 42501');
SELECT is_empty($$SELECT c.routine, r.result FROM pg_temp.calls('owner') c
                    CROSS JOIN LATERAL (SELECT pg_temp.as_role('cp_411_app', c.call) AS result) r
                   WHERE r.result <> 'ERROR 42501'$$,
                'the app role: every function of the owner gives 42501 (grant_usage included)');
SELECT is(pg_temp.as_role('cp_411_app', $$WITH e AS (INSERT INTO creator_platform.events (kind) VALUES ('forged') RETURNING 1)
                                           SELECT count(*)::text FROM e$$), 'ERROR 42501', 'the app role cannot write events');
SELECT is(pg_temp.as_role('cp_411_app', $$WITH e AS (UPDATE creator_platform.events SET kind = 'forged' RETURNING 1)
                                           SELECT count(*)::text FROM e$$), 'ERROR 42501', '... nor change an event other than marking it processed');
SELECT is(pg_temp.as_role('cp_411_app', $$SELECT nextval('creator_platform.events_id_seq')::text$$), 'ERROR 42501',
          '... nor take an event id');
SELECT is(pg_temp.as_role('cp_411_app', $$SELECT count(*)::text FROM creator_platform.cursor_secret$$), 'ERROR 42501',
          '... nor read cursor_secret');
SELECT is(pg_temp.as_role('cp_411_app', $$SELECT count(*)::text FROM creator_platform.maintenance_log$$), 'ERROR 42501',
          '... nor read maintenance_log');
SELECT is(pg_temp.as_role('cp_411_app', $$WITH a AS (DELETE FROM creator_platform.posts_archive RETURNING 1)
                                           SELECT count(*)::text FROM a$$), 'ERROR 42501', '... nor delete from the archive');
SELECT is(pg_temp.as_role('cp_411_app', 'TRUNCATE creator_platform.comments'), 'ERROR 42501', '... nor TRUNCATE');
SELECT is(cp_test.db_state(), (SELECT s FROM state_before), 'nothing changed');

--------------------------------------------------------------------------------
-- revoke_usage
--------------------------------------------------------------------------------
SELECT lives_ok($$SELECT creator_platform.revoke_usage('cp_411_app')$$, 'revoke_usage(cp_411_app)');
SELECT is_empty($$SELECT c.routine, r.result FROM pg_temp.calls('usage') c
                    CROSS JOIN LATERAL (SELECT pg_temp.as_role('cp_411_app', c.call) AS result) r
                   WHERE r.result <> 'ERROR 42501'$$,
                'after revoke_usage: every usage function gives 42501 again');
SELECT is_empty($$SELECT s.what, r.result FROM pg_temp.relation_statements() s
                    CROSS JOIN LATERAL (SELECT pg_temp.as_role('cp_411_app', s.stmt) AS result) r
                   WHERE r.result <> 'ERROR 42501'$$,
                'after revoke_usage: every table, view and sequence gives 42501 again');
SELECT is(cp_test.db_state(), (SELECT s FROM state_before), 'nothing changed');

SELECT * FROM finish();
ROLLBACK;
