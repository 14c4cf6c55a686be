-- 120_subscriptions_state: the 0.2.0 rules on subscriptions (API.md "Rules",
-- "Functions"): the creator of a subscription has role creator or admin and
-- cannot become a reader (23514); status goes active -> cancelled only, with
-- cancelled_at set by the database, NULL while active, and a cancelled row,
-- the pair and subscribed_at never change (55000); subscribe (idempotent,
-- 22023 / 23514 / 23503) and cancel_subscription (NULL when nothing was
-- active). Every rejected statement is followed by a check that no table
-- changed (cp_test.rejects).
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(108);

-- readers ...e1, ...e2, ...e3; creators ...c1, ...c2; admin ...a1
INSERT INTO users (id, email, username, role) VALUES
    ('00000000-0000-7000-8000-0000000000e1', 'e1@x.io', 'reader_one', 'reader'),
    ('00000000-0000-7000-8000-0000000000e2', 'e2@x.io', 'reader_two', 'reader'),
    ('00000000-0000-7000-8000-0000000000e3', 'e3@x.io', 'reader_three', 'reader'),
    ('00000000-0000-7000-8000-0000000000c1', 'c1@x.io', 'creator_one', 'creator'),
    ('00000000-0000-7000-8000-0000000000c2', 'c2@x.io', 'creator_two', 'creator'),
    ('00000000-0000-7000-8000-0000000000a1', 'a1@x.io', 'admin_one', 'admin');
-- ...5001 active e1 -> c1 subscribed a week ago; ...5002 cancelled e2 -> c1 (history)
INSERT INTO subscriptions (id, subscriber_id, creator_id, status, subscribed_at, cancelled_at) VALUES
    ('00000000-0000-7000-8000-000000005001', '00000000-0000-7000-8000-0000000000e1',
     '00000000-0000-7000-8000-0000000000c1', 'active', now() - interval '7 days', NULL),
    ('00000000-0000-7000-8000-000000005002', '00000000-0000-7000-8000-0000000000e2',
     '00000000-0000-7000-8000-0000000000c1', 'cancelled', now() - interval '30 days', now() - interval '20 days');

--------------------------------------------------------------------------------
-- catalog
--------------------------------------------------------------------------------
SELECT has_function('creator_platform', 'subscribe', ARRAY['uuid', 'uuid'], 'subscribe(uuid, uuid) exists');
SELECT function_returns('creator_platform', 'subscribe', ARRAY['uuid', 'uuid'], 'subscriptions',
                        'subscribe returns subscriptions');
SELECT has_function('creator_platform', 'cancel_subscription', ARRAY['uuid', 'uuid'],
                    'cancel_subscription(uuid, uuid) exists');
SELECT function_returns('creator_platform', 'cancel_subscription', ARRAY['uuid', 'uuid'], 'subscriptions',
                        'cancel_subscription returns subscriptions');
SELECT isnt_strict('creator_platform', f::name, ARRAY['uuid', 'uuid']::name[], format('%s is not STRICT', f))
  FROM unnest(ARRAY['subscribe', 'cancel_subscription']) AS f;
SELECT is(
    (SELECT array_agg(p.proname::text ORDER BY p.proname) FROM pg_catalog.pg_proc p
      WHERE p.pronamespace = 'creator_platform'::regnamespace
        AND p.proname IN ('subscribe', 'cancel_subscription')
        AND p.provolatile = 'v' AND NOT p.prosecdef
        AND 'search_path=pg_catalog, pg_temp' = ANY (p.proconfig)),
    ARRAY['cancel_subscription', 'subscribe'],
    'subscribe and cancel_subscription are VOLATILE, SECURITY INVOKER, search_path pinned');
SELECT is(
    (SELECT array_agg(p.proargnames::text ORDER BY p.proname) FROM pg_catalog.pg_proc p
      WHERE p.pronamespace = 'creator_platform'::regnamespace
        AND p.proname IN ('subscribe', 'cancel_subscription')),
    ARRAY['{subscriber_id,creator_id}', '{subscriber_id,creator_id}'],
    'both take (subscriber_id, creator_id), callable with named arguments');
SELECT has_trigger('creator_platform', 'subscriptions', t::name, format('subscriptions has trigger %s', t))
  FROM unnest(ARRAY['subscriptions_owner_role_insert', 'subscriptions_state_update',
                    'subscriptions_started_event_insert', 'subscriptions_cancelled_event_update']) AS t;

--------------------------------------------------------------------------------
-- owner role (23514)
--------------------------------------------------------------------------------
SELECT * FROM cp_test.rejects(
    $$INSERT INTO subscriptions (subscriber_id, creator_id)
      VALUES ('00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000e2')$$,
    '23514', 'a reader cannot be subscribed to');
SELECT throws_ok(
    $$INSERT INTO subscriptions (subscriber_id, creator_id)
      VALUES ('00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000e2')$$,
    '23514', 'user 00000000-0000-7000-8000-0000000000e2 has role reader and cannot be subscribed to',
    'the message names the user');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO subscriptions (subscriber_id, creator_id, status, cancelled_at)
      VALUES ('00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000e2', 'cancelled', now())$$,
    '23514', 'not even as an imported cancelled row');
SELECT * FROM cp_test.rejects(
    $$SELECT subscribe('00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000e3')$$,
    '23514', 'subscribe to a reader');
SELECT * FROM cp_test.rejects(
    $$UPDATE users SET role = 'reader' WHERE id = '00000000-0000-7000-8000-0000000000c1'$$,
    '23514', 'a creator with subscribers cannot become a reader');
SELECT lives_ok(
    $$SELECT subscribe('00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000a1')$$,
    'an admin can be subscribed to');
SELECT lives_ok(
    $$SELECT subscribe('00000000-0000-7000-8000-0000000000c1', '00000000-0000-7000-8000-0000000000c2')$$,
    'a creator can subscribe to another creator');
SELECT is((cancel_subscription('00000000-0000-7000-8000-0000000000c1', '00000000-0000-7000-8000-0000000000c2')).status,
          'cancelled'::subscription_status, 'and cancel');
SELECT * FROM cp_test.rejects(
    $$UPDATE users SET role = 'reader' WHERE id = '00000000-0000-7000-8000-0000000000c2'$$,
    '23514', 'a creator whose only subscription is cancelled still cannot become a reader');
SELECT throws_ok(
    $$UPDATE users SET role = 'reader' WHERE id = '00000000-0000-7000-8000-0000000000c2'$$,
    '23514', 'user 00000000-0000-7000-8000-0000000000c2 is the creator of subscriptions and cannot become a reader',
    'the message names the user');

--------------------------------------------------------------------------------
-- subscribe
--------------------------------------------------------------------------------
SELECT * FROM cp_test.rejects($$SELECT subscribe(NULL, '00000000-0000-7000-8000-0000000000c1')$$, '22023',
                              'subscribe with subscriber_id NULL');
SELECT * FROM cp_test.rejects($$SELECT subscribe('00000000-0000-7000-8000-0000000000e2', NULL)$$, '22023',
                              'subscribe with creator_id NULL');
SELECT * FROM cp_test.rejects($$SELECT subscribe(NULL, NULL)$$, '22023', 'subscribe(NULL, NULL)');
SELECT throws_ok($$SELECT subscribe(NULL, '00000000-0000-7000-8000-0000000000c1')$$, '22023',
                 'subscriber_id must not be NULL', 'subscribe: the message names the argument');
SELECT throws_ok($$SELECT subscribe('00000000-0000-7000-8000-0000000000e2', NULL)$$, '22023',
                 'creator_id must not be NULL', 'subscribe: the message names the argument');
SELECT * FROM cp_test.rejects(
    $$SELECT subscribe('00000000-0000-7000-8000-0000000000c1', '00000000-0000-7000-8000-0000000000c1')$$,
    '23514', 'subscribe to oneself');
SELECT * FROM cp_test.rejects(
    $$SELECT subscribe('00000000-0000-7000-8000-00000000dead', '00000000-0000-7000-8000-0000000000c1')$$,
    '23503', 'subscribe a user that does not exist');
SELECT * FROM cp_test.rejects(
    $$SELECT subscribe('00000000-0000-7000-8000-0000000000e2', '00000000-0000-7000-8000-00000000dead')$$,
    '23503', 'subscribe to a user that does not exist');

-- a new subscription
CREATE TEMP TABLE first_call AS
    SELECT s FROM subscribe('00000000-0000-7000-8000-0000000000e2', '00000000-0000-7000-8000-0000000000c2') AS s;
SELECT results_eq(
    $$SELECT (s).subscriber_id, (s).creator_id, (s).status, (s).subscribed_at, (s).cancelled_at FROM first_call$$,
    $$VALUES ('00000000-0000-7000-8000-0000000000e2'::uuid, '00000000-0000-7000-8000-0000000000c2'::uuid,
              'active'::subscription_status, now(), NULL::timestamptz)$$,
    'subscribe returns a new active subscription, subscribed now(), not cancelled');
SELECT results_eq(
    $$SELECT s FROM first_call$$,
    $$SELECT s FROM subscriptions AS s
       WHERE s.subscriber_id = '00000000-0000-7000-8000-0000000000e2'
         AND s.creator_id = '00000000-0000-7000-8000-0000000000c2'$$,
    'it returns the row as stored, every column in table order');
SELECT is((subscribe('00000000-0000-7000-8000-0000000000e2', '00000000-0000-7000-8000-0000000000c2')).id,
          (SELECT (s).id FROM first_call), 'subscribe again: the same subscription (idempotent)');
SELECT is((subscribe(subscriber_id => '00000000-0000-7000-8000-0000000000e2',
                     creator_id => '00000000-0000-7000-8000-0000000000c2')).id,
          (SELECT (s).id FROM first_call), 'and again with named arguments');
SELECT is((SELECT count(*) FROM subscriptions
            WHERE subscriber_id = '00000000-0000-7000-8000-0000000000e2'
              AND creator_id = '00000000-0000-7000-8000-0000000000c2'),
          1::bigint, 'three calls made one row');
SELECT results_eq(
    $$SELECT id, subscribed_at FROM subscribe('00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000c1')$$,
    $$VALUES ('00000000-0000-7000-8000-000000005001'::uuid, now() - interval '7 days')$$,
    'subscribe returns an existing active subscription as it is');
-- a cancelled row does not count: subscribe makes a new active one next to it
SELECT isnt((subscribe('00000000-0000-7000-8000-0000000000e2', '00000000-0000-7000-8000-0000000000c1')).id,
            '00000000-0000-7000-8000-000000005002'::uuid,
            'subscribe next to a cancelled subscription makes a new one');
SELECT results_eq(
    $$SELECT status, count(*) FROM subscriptions
       WHERE subscriber_id = '00000000-0000-7000-8000-0000000000e2' AND creator_id = '00000000-0000-7000-8000-0000000000c1'
       GROUP BY status ORDER BY status$$,
    $$VALUES ('active'::subscription_status, 1::bigint), ('cancelled'::subscription_status, 1::bigint)$$,
    'the pair has the old cancelled row and the new active one');

--------------------------------------------------------------------------------
-- cancel_subscription
--------------------------------------------------------------------------------
SELECT * FROM cp_test.rejects($$SELECT cancel_subscription(NULL, '00000000-0000-7000-8000-0000000000c1')$$, '22023',
                              'cancel_subscription with subscriber_id NULL');
SELECT * FROM cp_test.rejects($$SELECT cancel_subscription('00000000-0000-7000-8000-0000000000e1', NULL)$$, '22023',
                              'cancel_subscription with creator_id NULL');
SELECT throws_ok($$SELECT cancel_subscription('00000000-0000-7000-8000-0000000000e1', NULL)$$, '22023',
                 'creator_id must not be NULL', 'cancel_subscription: the message names the argument');

CREATE TEMP TABLE cancelled_call AS
    SELECT s FROM cancel_subscription('00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000c1') AS s;
SELECT results_eq(
    $$SELECT (s).id, (s).status, (s).subscribed_at, (s).cancelled_at FROM cancelled_call$$,
    $$VALUES ('00000000-0000-7000-8000-000000005001'::uuid, 'cancelled'::subscription_status,
              now() - interval '7 days', now())$$,
    'cancel_subscription returns the cancelled row, cancelled_at now()');
SELECT results_eq(
    $$SELECT s FROM cancelled_call$$,
    $$SELECT s FROM subscriptions AS s WHERE s.id = '00000000-0000-7000-8000-000000005001'$$,
    'it returns the row as stored');
SELECT is(cancel_subscription('00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000c1'), NULL,
          'cancel again: NULL (nothing was active)');
SELECT is(cancel_subscription('00000000-0000-7000-8000-0000000000e3', '00000000-0000-7000-8000-0000000000c2'), NULL,
          'cancel a pair that never subscribed: NULL');
SELECT is(cancel_subscription('00000000-0000-7000-8000-00000000dead', '00000000-0000-7000-8000-0000000000c2'), NULL,
          'cancel for a user that does not exist: NULL');
SELECT is((SELECT cancelled_at FROM subscriptions WHERE id = '00000000-0000-7000-8000-000000005001'), now(),
          'the second cancel left the row alone');
-- re-subscribe after cancel
SELECT isnt((subscribe('00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000c1')).id,
            '00000000-0000-7000-8000-000000005001'::uuid, 're-subscribe after cancel makes a new row');
SELECT results_eq(
    $$SELECT status, count(*) FROM subscriptions
       WHERE subscriber_id = '00000000-0000-7000-8000-0000000000e1' AND creator_id = '00000000-0000-7000-8000-0000000000c1'
       GROUP BY status ORDER BY status$$,
    $$VALUES ('active'::subscription_status, 1::bigint), ('cancelled'::subscription_status, 1::bigint)$$,
    'the pair has one active and one cancelled row');

--------------------------------------------------------------------------------
-- the state machine by direct UPDATE
--------------------------------------------------------------------------------
-- fresh rows: ...5101..5104 active (e3 -> c1, c2, a1; e1 -> c2), subscribed yesterday
INSERT INTO subscriptions (id, subscriber_id, creator_id, subscribed_at) VALUES
    ('00000000-0000-7000-8000-000000005101', '00000000-0000-7000-8000-0000000000e3', '00000000-0000-7000-8000-0000000000c1', now() - interval '1 day'),
    ('00000000-0000-7000-8000-000000005102', '00000000-0000-7000-8000-0000000000e3', '00000000-0000-7000-8000-0000000000c2', now() - interval '1 day'),
    ('00000000-0000-7000-8000-000000005103', '00000000-0000-7000-8000-0000000000e3', '00000000-0000-7000-8000-0000000000a1', now() - interval '1 day'),
    ('00000000-0000-7000-8000-000000005104', '00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000c2', now() - interval '1 day');

-- active: the pair and subscribed_at never change; no cancelled_at while active
SELECT * FROM cp_test.rejects(
    $$UPDATE subscriptions SET subscriber_id = '00000000-0000-7000-8000-0000000000e2' WHERE id = '00000000-0000-7000-8000-000000005101'$$,
    '55000', 'subscriber_id of an active subscription cannot change');
SELECT * FROM cp_test.rejects(
    $$UPDATE subscriptions SET creator_id = '00000000-0000-7000-8000-0000000000a1' WHERE id = '00000000-0000-7000-8000-000000005102'$$,
    '55000', 'creator_id of an active subscription cannot change (even to another creator)');
SELECT * FROM cp_test.rejects(
    $$UPDATE subscriptions SET creator_id = '00000000-0000-7000-8000-0000000000e2' WHERE id = '00000000-0000-7000-8000-000000005102'$$,
    '55000', 'creator_id cannot change to a reader either: 55000 before any role check');
SELECT * FROM cp_test.rejects(
    $$UPDATE subscriptions SET subscribed_at = now() WHERE id = '00000000-0000-7000-8000-000000005101'$$,
    '55000', 'subscribed_at cannot change');
SELECT throws_ok(
    $$UPDATE subscriptions SET subscribed_at = now() WHERE id = '00000000-0000-7000-8000-000000005101'$$,
    '55000', 'subscribed_at of subscription 00000000-0000-7000-8000-000000005101 cannot change',
    'the message names the column and the subscription');
SELECT * FROM cp_test.rejects(
    $$UPDATE subscriptions SET cancelled_at = now() WHERE id = '00000000-0000-7000-8000-000000005101'$$,
    '55000', 'an active subscription does not get a cancelled_at');
SELECT * FROM cp_test.rejects(
    $$UPDATE subscriptions SET subscriber_id = NULL WHERE id = '00000000-0000-7000-8000-000000005101'$$,
    '23502', 'subscriber_id NULL is a NOT NULL violation');
SELECT * FROM cp_test.rejects(
    $$UPDATE subscriptions SET status = NULL WHERE id = '00000000-0000-7000-8000-000000005101'$$,
    '23502', 'status NULL is a NOT NULL violation');
SELECT lives_ok(
    $$UPDATE subscriptions SET status = 'active', cancelled_at = NULL WHERE id = '00000000-0000-7000-8000-000000005101'$$,
    'an UPDATE that changes nothing on an active row is fine');

-- active -> cancelled: cancelled_at is the database's
SELECT lives_ok(
    $$UPDATE subscriptions SET status = 'cancelled', cancelled_at = '2000-01-01+00'
       WHERE id = '00000000-0000-7000-8000-000000005101'$$,
    'active -> cancelled with an app-written cancelled_at');
SELECT is((SELECT cancelled_at FROM subscriptions WHERE id = '00000000-0000-7000-8000-000000005101'), now(),
          'cancelled_at is now(), whatever the app wrote');
SELECT lives_ok(
    $$UPDATE subscriptions SET status = 'cancelled' WHERE id = '00000000-0000-7000-8000-000000005102'$$,
    'active -> cancelled without cancelled_at');
SELECT is((SELECT cancelled_at FROM subscriptions WHERE id = '00000000-0000-7000-8000-000000005102'), now(),
          'cancelled_at is set to now()');
SELECT lives_ok(
    $$UPDATE subscriptions SET status = 'cancelled', cancelled_at = now() + interval '1 year'
       WHERE id IN ('00000000-0000-7000-8000-000000005103', '00000000-0000-7000-8000-000000005104')$$,
    'a multi-row cancel');
SELECT is((SELECT count(*) FROM subscriptions
            WHERE id IN ('00000000-0000-7000-8000-000000005103', '00000000-0000-7000-8000-000000005104')
              AND status = 'cancelled' AND cancelled_at = now()), 2::bigint,
          'both rows cancelled at now()');

-- cancelled rows never change again
SELECT * FROM cp_test.rejects(
    $$UPDATE subscriptions SET status = 'active' WHERE id = '00000000-0000-7000-8000-000000005101'$$,
    '55000', 'cancelled -> active');
SELECT * FROM cp_test.rejects(
    $$UPDATE subscriptions SET status = 'active', cancelled_at = NULL WHERE id = '00000000-0000-7000-8000-000000005101'$$,
    '55000', 'cancelled -> active clearing cancelled_at');
SELECT throws_ok(
    $$UPDATE subscriptions SET status = 'active', cancelled_at = NULL WHERE id = '00000000-0000-7000-8000-000000005101'$$,
    '55000', 'subscription 00000000-0000-7000-8000-000000005101 is cancelled and cannot change',
    'the message names the subscription');
SELECT * FROM cp_test.rejects(
    $$UPDATE subscriptions SET cancelled_at = now() - interval '1 hour' WHERE id = '00000000-0000-7000-8000-000000005101'$$,
    '55000', 'cancelled_at of a cancelled row');
SELECT * FROM cp_test.rejects(
    $$UPDATE subscriptions SET subscribed_at = now() - interval '2 days' WHERE id = '00000000-0000-7000-8000-000000005102'$$,
    '55000', 'subscribed_at of a cancelled row');
SELECT * FROM cp_test.rejects(
    $$UPDATE subscriptions SET status = status WHERE id = '00000000-0000-7000-8000-000000005102'$$,
    '55000', 'even an UPDATE that writes the same values');
SELECT * FROM cp_test.rejects(
    $$UPDATE subscriptions SET status = 'cancelled' WHERE id = '00000000-0000-7000-8000-000000005002'$$,
    '55000', 'an imported cancelled row is cancelled too');
SELECT * FROM cp_test.rejects(
    $$UPDATE subscriptions SET status = 'cancelled'
       WHERE subscriber_id = '00000000-0000-7000-8000-0000000000e3'$$,
    '55000', 'a multi-row UPDATE that touches a cancelled row fails as a whole');
SELECT lives_ok(
    $$DELETE FROM subscriptions WHERE id = '00000000-0000-7000-8000-000000005104'$$,
    'a cancelled row may be deleted (the rule is about changes)');

--------------------------------------------------------------------------------
-- INSERT: active without cancelled_at, or cancelled with it (history)
--------------------------------------------------------------------------------
SELECT * FROM cp_test.rejects(
    $$INSERT INTO subscriptions (subscriber_id, creator_id, cancelled_at)
      VALUES ('00000000-0000-7000-8000-0000000000e3', '00000000-0000-7000-8000-0000000000c1', now())$$,
    '23514', 'INSERT active with cancelled_at (the CHECK)');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO subscriptions (subscriber_id, creator_id, status)
      VALUES ('00000000-0000-7000-8000-0000000000e3', '00000000-0000-7000-8000-0000000000c1', 'cancelled')$$,
    '23514', 'INSERT cancelled without cancelled_at (the CHECK)');
SELECT lives_ok(
    $$INSERT INTO subscriptions (id, subscriber_id, creator_id, status, subscribed_at, cancelled_at)
      VALUES ('00000000-0000-7000-8000-000000005201', '00000000-0000-7000-8000-0000000000e3',
              '00000000-0000-7000-8000-0000000000c1', 'cancelled', '2020-01-01+00', '2021-01-01+00')$$,
    'INSERT cancelled with cancelled_at (history import)');
SELECT results_eq(
    $$SELECT subscribed_at, cancelled_at FROM subscriptions WHERE id = '00000000-0000-7000-8000-000000005201'$$,
    $$VALUES ('2020-01-01+00'::timestamptz, '2021-01-01+00'::timestamptz)$$,
    'an imported cancelled row keeps its dates');
SELECT lives_ok(
    $$INSERT INTO subscriptions (subscriber_id, creator_id, subscribed_at)
      VALUES ('00000000-0000-7000-8000-0000000000e3', '00000000-0000-7000-8000-0000000000c1', '2022-02-02+00')$$,
    'INSERT active with a given subscribed_at');
SELECT is((subscribe('00000000-0000-7000-8000-0000000000e3', '00000000-0000-7000-8000-0000000000c1')).subscribed_at,
          '2022-02-02+00'::timestamptz, 'subscribe returns that row');

SELECT * FROM finish();
ROLLBACK;
