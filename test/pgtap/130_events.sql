-- 130_events: the outbox of 0.2.0 (API.md "Events"): post_published
-- {post_id, creator_id}, subscription_started / subscription_cancelled
-- {subscription_id, subscriber_id, creator_id}, written by the database in the
-- same transaction as the change (and only for a change: none for drafts,
-- no-ops or refused statements); claim_events(batch_size): oldest first,
-- marks processed_at, skips what it already claimed, 22023 outside 1-10000,
-- and a rolled-back claim leaves the events for the next one.
-- NOTIFY is delivered at commit only, which a pgTAP file never reaches: it is
-- tested by test/isolation/specs/claim_events.spec.
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(82);

-- creators ...c1, ...c2; readers ...e1, ...e2
INSERT INTO users (id, email, username, role) VALUES
    ('00000000-0000-7000-8000-0000000000c1', 'c1@x.io', 'creator_one', 'creator'),
    ('00000000-0000-7000-8000-0000000000c2', 'c2@x.io', 'creator_two', 'creator'),
    ('00000000-0000-7000-8000-0000000000e1', 'e1@x.io', 'reader_one', 'reader'),
    ('00000000-0000-7000-8000-0000000000e2', 'e2@x.io', 'reader_two', 'reader');
DELETE FROM events;

-- the events written since the last call, oldest first, and forget them
CREATE FUNCTION pg_temp.take() RETURNS TABLE (kind text, payload jsonb) LANGUAGE sql AS $f$
    WITH gone AS (DELETE FROM creator_platform.events AS e RETURNING e.id, e.kind, e.payload)
    SELECT g.kind, g.payload FROM gone AS g ORDER BY g.id
$f$;
CREATE FUNCTION pg_temp.published(post uuid, creator uuid) RETURNS TABLE (kind text, payload jsonb)
    LANGUAGE sql AS $f$
    SELECT 'post_published'::text, jsonb_build_object('post_id', post, 'creator_id', creator)
$f$;

--------------------------------------------------------------------------------
-- catalog
--------------------------------------------------------------------------------
SELECT has_function('creator_platform', 'claim_events', ARRAY['integer'], 'claim_events(integer) exists');
SELECT function_returns('creator_platform', 'claim_events', ARRAY['integer'], 'setof events',
                        'claim_events returns SETOF events');
SELECT is(pg_catalog.pg_get_function_arguments('creator_platform.claim_events(integer)'::regprocedure),
          'batch_size integer DEFAULT 100', 'claim_events(batch_size integer DEFAULT 100)');
SELECT isnt_strict('creator_platform', 'claim_events', ARRAY['integer'], 'claim_events is not STRICT');
SELECT volatility_is('creator_platform', 'claim_events', ARRAY['integer'], 'volatile', 'claim_events is VOLATILE');
SELECT is_empty($$
    SELECT p.proname FROM pg_catalog.pg_proc p
     WHERE p.pronamespace = 'creator_platform'::regnamespace
       AND p.proname IN ('emit_post_published_inserted', 'emit_post_published_updated',
                         'emit_subscription_started', 'emit_subscription_cancelled',
                         'enforce_owner_role', 'enforce_reader_demotion')
       AND (NOT p.prosecdef
            OR NOT ('search_path=pg_catalog, pg_temp' = ANY (p.proconfig))
            OR EXISTS (SELECT 1 FROM pg_catalog.aclexplode(coalesce(p.proacl, pg_catalog.acldefault('f', p.proowner))) AS a
                        WHERE a.grantee = 0))
  $$, 'the SECURITY DEFINER trigger functions pin search_path and are not executable by PUBLIC');
SELECT ok((SELECT NOT p.prosecdef AND 'search_path=pg_catalog, pg_temp' = ANY (p.proconfig) FROM pg_catalog.pg_proc p
            WHERE p.oid = 'creator_platform.claim_events(integer)'::regprocedure),
          'claim_events is SECURITY INVOKER (the worker''s own rights) with search_path pinned');

--------------------------------------------------------------------------------
-- post_published
--------------------------------------------------------------------------------
INSERT INTO posts (id, creator_id, title, status, published_at) VALUES
    ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000c1', 'draft', 'draft', NULL),
    ('00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000c1', 'scheduled', 'scheduled', now() + interval '1 day');
SELECT is_empty($$SELECT kind FROM pg_temp.take()$$, 'no event for a draft or a scheduled post');

INSERT INTO posts (id, creator_id, title, status) VALUES
    ('00000000-0000-7000-8000-000000000b03', '00000000-0000-7000-8000-0000000000c1', 'published', 'published');
SELECT results_eq(
    $$SELECT e.kind, e.payload, e.created_at, e.processed_at FROM events AS e$$,
    $$VALUES ('post_published'::text,
              '{"post_id": "00000000-0000-7000-8000-000000000b03", "creator_id": "00000000-0000-7000-8000-0000000000c1"}'::jsonb,
              now(), NULL::timestamptz)$$,
    'INSERT as published: one post_published event with the exact payload, created in this transaction, unprocessed');
SELECT results_eq(
    $$SELECT k.key, jsonb_typeof(k.value) FROM events AS e, jsonb_each(e.payload) AS k ORDER BY k.key$$,
    $$VALUES ('creator_id'::text, 'string'::text), ('post_id', 'string')$$,
    'its payload has exactly the keys post_id and creator_id, both JSON strings');
SELECT results_eq($$SELECT kind, payload FROM pg_temp.take()$$,
                  $$SELECT kind, payload FROM pg_temp.published('00000000-0000-7000-8000-000000000b03', '00000000-0000-7000-8000-0000000000c1')$$,
                  'the events so far: just that one');

INSERT INTO posts (id, creator_id, title, status, published_at) VALUES
    ('00000000-0000-7000-8000-000000000b11', '00000000-0000-7000-8000-0000000000c1', 'p1', 'published', NULL),
    ('00000000-0000-7000-8000-000000000b12', '00000000-0000-7000-8000-0000000000c2', 'd', 'draft', NULL),
    ('00000000-0000-7000-8000-000000000b13', '00000000-0000-7000-8000-0000000000c2', 'p2', 'published', '2020-01-01+00'),
    ('00000000-0000-7000-8000-000000000b14', '00000000-0000-7000-8000-0000000000c1', 's', 'scheduled', now() + interval '1 hour'),
    ('00000000-0000-7000-8000-000000000b15', '00000000-0000-7000-8000-0000000000c2', 'p3', 'published', NULL);
SELECT results_eq(
    $$SELECT kind, payload FROM pg_temp.take() ORDER BY payload ->> 'post_id'$$,
    $$SELECT kind, payload FROM pg_temp.published('00000000-0000-7000-8000-000000000b11', '00000000-0000-7000-8000-0000000000c1')
      UNION ALL SELECT kind, payload FROM pg_temp.published('00000000-0000-7000-8000-000000000b13', '00000000-0000-7000-8000-0000000000c2')
      UNION ALL SELECT kind, payload FROM pg_temp.published('00000000-0000-7000-8000-000000000b15', '00000000-0000-7000-8000-0000000000c2')$$,
    'a multi-row INSERT: one event per published row, none for the draft and the scheduled one');

INSERT INTO posts (creator_id, title, status)
SELECT '00000000-0000-7000-8000-0000000000c2', 'bulk ' || g, CASE WHEN g % 4 = 0 THEN 'draft' ELSE 'published' END::post_status
  FROM generate_series(1, 1000) AS g;
SELECT is_empty($$
    SELECT p.id FROM posts AS p WHERE p.title LIKE 'bulk %' AND p.status = 'published'
    EXCEPT
    SELECT (e.payload ->> 'post_id')::uuid FROM events AS e WHERE e.kind = 'post_published'
  $$, 'INSERT ... SELECT of 1000 posts: every published one has its event');
SELECT is((SELECT count(*) FROM pg_temp.take()), 750::bigint, 'and there are exactly 750 events, one each');

SELECT * FROM cp_test.rejects(
    $$INSERT INTO posts (creator_id, title, status) VALUES
        ('00000000-0000-7000-8000-0000000000c1', 'fine', 'published'),
        ('00000000-0000-7000-8000-0000000000e1', 'by a reader', 'published')$$,
    '23514', 'a refused INSERT leaves no event');

-- UPDATE into published
UPDATE posts SET status = 'published' WHERE id = '00000000-0000-7000-8000-000000000b01';
SELECT results_eq($$SELECT kind, payload FROM pg_temp.take()$$,
                  $$SELECT kind, payload FROM pg_temp.published('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000c1')$$,
                  'draft -> published by UPDATE: one event');
UPDATE posts SET status = 'published' WHERE id = '00000000-0000-7000-8000-000000000b02';
SELECT results_eq($$SELECT kind, payload FROM pg_temp.take()$$,
                  $$SELECT kind, payload FROM pg_temp.published('00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000c1')$$,
                  'scheduled -> published by UPDATE: one event');
UPDATE posts SET status = 'published' WHERE id = '00000000-0000-7000-8000-000000000b01';
SELECT is_empty($$SELECT kind FROM pg_temp.take()$$, 'published -> published: no event');
UPDATE posts SET title = 'retitled', content = 'new', published_at = '2021-01-01+00'
 WHERE id = '00000000-0000-7000-8000-000000000b01';
SELECT is_empty($$SELECT kind FROM pg_temp.take()$$, 'editing a published post: no event');
INSERT INTO comments (post_id, user_id, content)
VALUES ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', 'a comment');
SELECT is_empty($$SELECT kind FROM pg_temp.take() WHERE kind <> 'comment_added'$$,
                'a comment on a published post (and the comment_count update it makes): no post_published event');
UPDATE posts SET status = 'draft' WHERE id = '00000000-0000-7000-8000-000000000b01';
SELECT is_empty($$SELECT kind FROM pg_temp.take()$$, 'published -> draft: no event');
UPDATE posts SET status = 'published' WHERE id = '00000000-0000-7000-8000-000000000b01';
SELECT results_eq($$SELECT kind, payload FROM pg_temp.take()$$,
                  $$SELECT kind, payload FROM pg_temp.published('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000c1')$$,
                  'published again: a new event');
UPDATE posts SET status = 'published'
 WHERE id IN ('00000000-0000-7000-8000-000000000b12', '00000000-0000-7000-8000-000000000b14', '00000000-0000-7000-8000-000000000b15');
SELECT results_eq(
    $$SELECT kind, payload FROM pg_temp.take() ORDER BY payload ->> 'post_id'$$,
    $$SELECT kind, payload FROM pg_temp.published('00000000-0000-7000-8000-000000000b12', '00000000-0000-7000-8000-0000000000c2')
      UNION ALL SELECT kind, payload FROM pg_temp.published('00000000-0000-7000-8000-000000000b14', '00000000-0000-7000-8000-0000000000c1')$$,
    'a multi-row UPDATE: events for the two posts it published, none for the one already published');
SELECT * FROM cp_test.rejects(
    $$UPDATE posts SET status = 'scheduled', published_at = now() + interval '1 day'
       WHERE id = '00000000-0000-7000-8000-000000000b01'$$,
    '55000', 'a refused UPDATE leaves no event');

-- the functions
INSERT INTO posts (id, creator_id, title) VALUES
    ('00000000-0000-7000-8000-000000000b21', '00000000-0000-7000-8000-0000000000c2', 'via publish_post'),
    ('00000000-0000-7000-8000-000000000b22', '00000000-0000-7000-8000-0000000000c2', 'via schedule_post');
SELECT is_empty($$SELECT kind FROM pg_temp.take()$$, '(drafts: no event)');
SELECT lives_ok($$SELECT publish_post('00000000-0000-7000-8000-000000000b21')$$, 'publish_post');
SELECT lives_ok($$SELECT publish_post('00000000-0000-7000-8000-000000000b21')$$, 'publish_post again');
SELECT results_eq($$SELECT kind, payload FROM pg_temp.take()$$,
                  $$SELECT kind, payload FROM pg_temp.published('00000000-0000-7000-8000-000000000b21', '00000000-0000-7000-8000-0000000000c2')$$,
                  'publish_post twice: one event');
SELECT lives_ok($$SELECT schedule_post('00000000-0000-7000-8000-000000000b22', now() + interval '1 day')$$, 'schedule_post');
SELECT is_empty($$SELECT kind FROM pg_temp.take()$$, 'schedule_post: no event');

-- publish_due_posts (due posts loaded as they look once their time has come:
-- see 110_post_lifecycle.sql)
SET LOCAL session_replication_role = replica;
INSERT INTO posts (id, creator_id, title, status, published_at) VALUES
    ('00000000-0000-7000-8000-000000000b31', '00000000-0000-7000-8000-0000000000c1', 'due 1', 'scheduled', now() - interval '2 minutes'),
    ('00000000-0000-7000-8000-000000000b32', '00000000-0000-7000-8000-0000000000c2', 'due 2', 'scheduled', now() - interval '1 minute');
SET LOCAL session_replication_role = origin;
SELECT is(publish_due_posts(), 2, 'publish_due_posts publishes two');
SELECT is(publish_due_posts(), 0, 'then none');
SELECT results_eq(
    $$SELECT kind, payload FROM pg_temp.take() ORDER BY payload ->> 'post_id'$$,
    $$SELECT kind, payload FROM pg_temp.published('00000000-0000-7000-8000-000000000b31', '00000000-0000-7000-8000-0000000000c1')
      UNION ALL SELECT kind, payload FROM pg_temp.published('00000000-0000-7000-8000-000000000b32', '00000000-0000-7000-8000-0000000000c2')$$,
    'one event per post it published, none from the second run');

--------------------------------------------------------------------------------
-- subscription_started / subscription_cancelled
--------------------------------------------------------------------------------
CREATE TEMP TABLE sub AS
    SELECT s.id FROM subscribe('00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000c1') AS s;
SELECT results_eq(
    $$SELECT kind, payload FROM pg_temp.take()$$,
    $$SELECT 'subscription_started'::text,
             jsonb_build_object('subscription_id', (SELECT id FROM sub),
                                'subscriber_id', '00000000-0000-7000-8000-0000000000e1',
                                'creator_id', '00000000-0000-7000-8000-0000000000c1')$$,
    'subscribe: one subscription_started event with the exact payload');
SELECT lives_ok($$SELECT subscribe('00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000c1')$$,
                'subscribe again');
SELECT is_empty($$SELECT kind FROM pg_temp.take()$$, 'subscribe to an active subscription: no event');
SELECT * FROM cp_test.rejects(
    $$SELECT subscribe('00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000e2')$$,
    '23514', 'a refused subscribe leaves no event');

SELECT lives_ok($$SELECT cancel_subscription('00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000c1')$$,
                'cancel_subscription');
SELECT results_eq(
    $$SELECT kind, payload, jsonb_typeof(payload -> 'subscription_id') FROM pg_temp.take()$$,
    $$SELECT 'subscription_cancelled'::text,
             jsonb_build_object('subscription_id', (SELECT id FROM sub),
                                'subscriber_id', '00000000-0000-7000-8000-0000000000e1',
                                'creator_id', '00000000-0000-7000-8000-0000000000c1'),
             'string'::text$$,
    'cancel_subscription: one subscription_cancelled event with the exact payload, ids as JSON strings');
SELECT lives_ok($$SELECT cancel_subscription('00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000c1')$$,
                'cancel_subscription again');
SELECT is_empty($$SELECT kind FROM pg_temp.take()$$, 'cancelling when nothing is active: no event');

INSERT INTO subscriptions (id, subscriber_id, creator_id, status, subscribed_at, cancelled_at) VALUES
    ('00000000-0000-7000-8000-000000005001', '00000000-0000-7000-8000-0000000000e2', '00000000-0000-7000-8000-0000000000c1',
     'cancelled', '2020-01-01+00', '2020-02-01+00'),
    ('00000000-0000-7000-8000-000000005002', '00000000-0000-7000-8000-0000000000e2', '00000000-0000-7000-8000-0000000000c2',
     'active', now(), NULL),
    ('00000000-0000-7000-8000-000000005003', '00000000-0000-7000-8000-0000000000c1', '00000000-0000-7000-8000-0000000000c2',
     'active', now(), NULL);
SELECT results_eq(
    $$SELECT kind, payload FROM pg_temp.take() ORDER BY payload ->> 'subscription_id'$$,
    $$VALUES ('subscription_started'::text,
              '{"subscription_id": "00000000-0000-7000-8000-000000005002", "subscriber_id": "00000000-0000-7000-8000-0000000000e2", "creator_id": "00000000-0000-7000-8000-0000000000c2"}'::jsonb),
             ('subscription_started',
              '{"subscription_id": "00000000-0000-7000-8000-000000005003", "subscriber_id": "00000000-0000-7000-8000-0000000000c1", "creator_id": "00000000-0000-7000-8000-0000000000c2"}')$$,
    'a multi-row INSERT: subscription_started for the active rows, none for the imported cancelled one');
UPDATE subscriptions SET status = 'cancelled' WHERE id = '00000000-0000-7000-8000-000000005002';
SELECT results_eq(
    $$SELECT kind, payload FROM pg_temp.take()$$,
    $$VALUES ('subscription_cancelled'::text,
              '{"subscription_id": "00000000-0000-7000-8000-000000005002", "subscriber_id": "00000000-0000-7000-8000-0000000000e2", "creator_id": "00000000-0000-7000-8000-0000000000c2"}'::jsonb)$$,
    'a direct UPDATE to cancelled: one subscription_cancelled event');
SELECT * FROM cp_test.rejects(
    $$UPDATE subscriptions SET status = 'active' WHERE id = '00000000-0000-7000-8000-000000005002'$$,
    '55000', 'a refused UPDATE leaves no event');

-- events belong to the transaction (here: a subtransaction) of their change
SAVEPOINT undo;
SELECT lives_ok($$SELECT subscribe('00000000-0000-7000-8000-0000000000e2', '00000000-0000-7000-8000-0000000000c2')$$,
                'subscribe inside a savepoint');
SELECT is((SELECT count(*) FROM events), 1::bigint, 'its event is there');
ROLLBACK TO SAVEPOINT undo;
SELECT is((SELECT count(*) FROM events), 0::bigint, 'rolled back with the change');

--------------------------------------------------------------------------------
-- claim_events
--------------------------------------------------------------------------------
-- 300 unprocessed events n = 1..300, oldest first, and one processed long ago
INSERT INTO events (kind, payload) SELECT 'claim_test', jsonb_build_object('n', g) FROM generate_series(1, 300) AS g;
INSERT INTO events (kind, payload, processed_at) VALUES ('claim_test', '{"n": 0}', '2000-01-01+00');
CREATE TEMP TABLE claims (call int, pos bigint, id bigint, kind text, payload jsonb, created_at timestamptz,
                          processed_at timestamptz);
CREATE FUNCTION pg_temp.claim(call int, batch int) RETURNS bigint LANGUAGE sql AS $f$
    WITH c AS (
        INSERT INTO claims (call, pos, id, kind, payload, created_at, processed_at)
        SELECT call, row_number() OVER (), e.id, e.kind, e.payload, e.created_at, e.processed_at
          FROM creator_platform.claim_events(batch) AS e
        RETURNING 1)
    SELECT count(*) FROM c
$f$;

SELECT cp_test.rejects(format('SELECT claim_events(%s)', b), '22023', format('claim_events(%s)', b))
  FROM unnest(ARRAY['NULL', '0', '-1', '10001', '2147483647']) AS b;
SELECT throws_ok($$SELECT claim_events(0)$$, '22023', 'batch_size 0 is out of range', 'the message names the value');
SELECT throws_ok($$SELECT claim_events(NULL)$$, '22023', 'batch_size must not be NULL', 'NULL: the message');

SELECT is(pg_temp.claim(1, 1), 1::bigint, 'claim_events(1) returns one event');
SELECT is((SELECT payload FROM claims WHERE call = 1), '{"n": 1}'::jsonb, 'the oldest one');
SELECT is((SELECT count(*) FROM creator_platform.claim_events()), 100::bigint, 'claim_events() claims 100 by default');
SELECT is((SELECT count(*) FROM events WHERE processed_at IS NULL), 199::bigint, '199 left');
SELECT is(pg_temp.claim(3, 50), 50::bigint, 'claim_events(50) returns 50');
SELECT results_eq(
    $$SELECT (payload ->> 'n')::int FROM claims WHERE call = 3 ORDER BY pos$$,
    $$SELECT g FROM generate_series(102, 151) AS g$$,
    'the next 50 oldest, returned in id order, none claimed before in this transaction');
SELECT is((SELECT count(*) FROM claims WHERE call = 3 AND processed_at = now()), 50::bigint,
          'returned with processed_at = now()');
SELECT is((SELECT count(*) FROM events AS e JOIN claims AS c USING (id) WHERE e.processed_at = now()), 51::bigint,
          'and so they are stored');
SELECT is((SELECT processed_at FROM events WHERE payload = '{"n": 0}'), '2000-01-01+00'::timestamptz,
          'an event processed before is never claimed nor touched');
SELECT results_eq(
    $$SELECT id, kind, payload, created_at, processed_at FROM claims WHERE call = 3 ORDER BY pos$$,
    $$SELECT e.id, e.kind, e.payload, e.created_at, e.processed_at FROM events AS e
       WHERE e.id IN (SELECT id FROM claims WHERE call = 3) ORDER BY e.id$$,
    'the returned rows are the stored rows, every column');

-- a claim that is rolled back leaves its events for the next claim
SAVEPOINT worker;
SELECT is(pg_temp.claim(4, 10), 10::bigint, 'a worker claims 10');
ROLLBACK TO SAVEPOINT worker;
SELECT is(pg_temp.claim(5, 10), 10::bigint, 'after its rollback the next claim gets 10');
SELECT results_eq(
    $$SELECT (payload ->> 'n')::int FROM claims WHERE call = 5 ORDER BY pos$$,
    $$SELECT g FROM generate_series(152, 161) AS g$$,
    'the same 10 events again (at-least-once)');

SELECT is(pg_temp.claim(6, 10000), 139::bigint, 'claim_events(10000) takes all 139 left');
SELECT results_eq(
    $$SELECT count(*), min((payload ->> 'n')::int), max((payload ->> 'n')::int),
             bool_and(pos = (payload ->> 'n')::int - 161) FROM claims WHERE call = 6$$,
    $$VALUES (139::bigint, 162, 300, true)$$,
    '162..300 in order');
SELECT is(pg_temp.claim(7, 100), 0::bigint, 'then the backlog is empty');
SELECT is((SELECT count(*) FROM events WHERE processed_at IS NULL), 0::bigint, 'every event is processed');

-- a new event after that is claimed by the next call
SELECT lives_ok($$SELECT subscribe('00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000c2')$$,
                'a new subscription');
SELECT results_eq($$SELECT kind FROM claim_events(5)$$, $$VALUES ('subscription_started'::text)$$,
                  'its event is the next claimed');

SELECT * FROM finish();
ROLLBACK;
