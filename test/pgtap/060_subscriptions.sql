-- 060_subscriptions: the rules on subscriptions that are plain constraints in
-- 0.1.0 (API.md "Rules"): no subscribing to oneself (23514); at most one
-- active subscription per (subscriber, creator) (23505), any number of
-- cancelled ones; cancelled_at set exactly when cancelled (23514); both users
-- must exist (23503); NOT NULL (23502); defaults.
-- Every rejected statement is followed by a check that no table changed.
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(36);


-- readers ...e1, ...e2; creators ...c1, ...c2
INSERT INTO users (id, email, username, role) VALUES
    ('00000000-0000-7000-8000-0000000000e1', 'r1@x.io', 'reader_one', 'reader'),
    ('00000000-0000-7000-8000-0000000000e2', 'r2@x.io', 'reader_two', 'reader'),
    ('00000000-0000-7000-8000-0000000000c1', 'c1@x.io', 'creator_one', 'creator'),
    ('00000000-0000-7000-8000-0000000000c2', 'c2@x.io', 'creator_two', 'creator');
INSERT INTO subscriptions (id, subscriber_id, creator_id) VALUES
    ('00000000-0000-7000-8000-000000005001', '00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000c1');

--------------------------------------------------------------------------------
-- no subscribing to oneself
--------------------------------------------------------------------------------
SELECT * FROM cp_test.rejects(
    $$INSERT INTO subscriptions (subscriber_id, creator_id)
      VALUES ('00000000-0000-7000-8000-0000000000c1', '00000000-0000-7000-8000-0000000000c1')$$,
    '23514', 'a creator cannot subscribe to themselves');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO subscriptions (subscriber_id, creator_id, status, cancelled_at)
      VALUES ('00000000-0000-7000-8000-0000000000c1', '00000000-0000-7000-8000-0000000000c1', 'cancelled', now())$$,
    '23514', 'not even as a cancelled row');

--------------------------------------------------------------------------------
-- at most one active per pair
--------------------------------------------------------------------------------
SELECT * FROM cp_test.rejects(
    $$INSERT INTO subscriptions (subscriber_id, creator_id)
      VALUES ('00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000c1')$$,
    '23505', 'a second active subscription for one pair');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO subscriptions (subscriber_id, creator_id) VALUES
        ('00000000-0000-7000-8000-0000000000e2', '00000000-0000-7000-8000-0000000000c1'),
        ('00000000-0000-7000-8000-0000000000e2', '00000000-0000-7000-8000-0000000000c1')$$,
    '23505', 'two active subscriptions for one pair in one multi-row INSERT');

SELECT lives_ok(
    $$INSERT INTO subscriptions (subscriber_id, creator_id, status, cancelled_at)
      VALUES ('00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000c1',
              'cancelled', now() - interval '1 day')$$,
    'an active plus a cancelled subscription for one pair');
SELECT lives_ok(
    $$INSERT INTO subscriptions (subscriber_id, creator_id, status, cancelled_at)
      VALUES ('00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000c1',
              'cancelled', now() - interval '2 days')$$,
    'a second cancelled subscription for the same pair');
SELECT lives_ok(
    $$INSERT INTO subscriptions (subscriber_id, creator_id) VALUES
        ('00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000c2'),
        ('00000000-0000-7000-8000-0000000000e2', '00000000-0000-7000-8000-0000000000c1'),
        ('00000000-0000-7000-8000-0000000000c2', '00000000-0000-7000-8000-0000000000c1'),
        ('00000000-0000-7000-8000-0000000000c1', '00000000-0000-7000-8000-0000000000c2')$$,
    'one active subscription each for other pairs, both directions between two creators');
SELECT is(
    (SELECT count(*) FROM subscriptions
      WHERE subscriber_id = '00000000-0000-7000-8000-0000000000e1'
        AND creator_id = '00000000-0000-7000-8000-0000000000c1'),
    3::bigint, 'the pair (reader_one, creator_one) has 3 rows: one active, two cancelled');

-- cancelling frees the pair for a new active subscription
SELECT lives_ok(
    $$UPDATE subscriptions SET status = 'cancelled', cancelled_at = now()
       WHERE id = '00000000-0000-7000-8000-000000005001'$$,
    'an active subscription is cancelled (with cancelled_at)');
SELECT lives_ok(
    $$INSERT INTO subscriptions (subscriber_id, creator_id)
      VALUES ('00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000c1')$$,
    'after cancelling, the pair may subscribe again');
SELECT results_eq(
    $$SELECT status, count(*) FROM subscriptions
       WHERE subscriber_id = '00000000-0000-7000-8000-0000000000e1'
         AND creator_id = '00000000-0000-7000-8000-0000000000c1'
       GROUP BY status ORDER BY status$$,
    $$VALUES ('active'::subscription_status, 1::bigint), ('cancelled'::subscription_status, 3::bigint)$$,
    'the pair has one active and three cancelled rows');

--------------------------------------------------------------------------------
-- cancelled_at agrees with status
--------------------------------------------------------------------------------
SELECT * FROM cp_test.rejects(
    $$INSERT INTO subscriptions (subscriber_id, creator_id, status, cancelled_at)
      VALUES ('00000000-0000-7000-8000-0000000000e2', '00000000-0000-7000-8000-0000000000c2', 'active', now())$$,
    '23514', 'an active subscription cannot carry cancelled_at');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO subscriptions (subscriber_id, creator_id, status, cancelled_at)
      VALUES ('00000000-0000-7000-8000-0000000000e2', '00000000-0000-7000-8000-0000000000c2', 'cancelled', NULL)$$,
    '23514', 'a cancelled subscription needs cancelled_at');

--------------------------------------------------------------------------------
-- references (23503), NOT NULL (23502), enum input (22P02)
--------------------------------------------------------------------------------
SELECT * FROM cp_test.rejects(
    $$INSERT INTO subscriptions (subscriber_id, creator_id)
      VALUES ('00000000-0000-7000-8000-00000000dead', '00000000-0000-7000-8000-0000000000c2')$$,
    '23503', 'subscriber_id of no user');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO subscriptions (subscriber_id, creator_id)
      VALUES ('00000000-0000-7000-8000-0000000000e2', '00000000-0000-7000-8000-00000000dead')$$,
    '23503', 'creator_id of no user');
-- 0.2.0: deleting a user deletes their subscriptions (docs/deletion.md; both
-- directions are in 160_deletion)
INSERT INTO users (id, email, username, role) VALUES
    ('00000000-0000-7000-8000-0000000000e3', 'r3@x.io', 'reader_three', 'reader');
INSERT INTO subscriptions (subscriber_id, creator_id) VALUES
    ('00000000-0000-7000-8000-0000000000e3', '00000000-0000-7000-8000-0000000000c1'),
    ('00000000-0000-7000-8000-0000000000e3', '00000000-0000-7000-8000-0000000000c2');
SELECT lives_ok(
    $$DELETE FROM users WHERE id = '00000000-0000-7000-8000-0000000000e3'$$,
    'deleting a user who has subscriptions succeeds');
SELECT is((SELECT count(*) FROM subscriptions WHERE subscriber_id = '00000000-0000-7000-8000-0000000000e3'),
          0::bigint, 'their subscriptions are gone with them');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO subscriptions (subscriber_id, creator_id) VALUES (NULL, '00000000-0000-7000-8000-0000000000c2')$$,
    '23502', 'subscriber_id NULL');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO subscriptions (subscriber_id, creator_id) VALUES ('00000000-0000-7000-8000-0000000000e2', NULL)$$,
    '23502', 'creator_id NULL');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO subscriptions (subscriber_id, creator_id, status)
      VALUES ('00000000-0000-7000-8000-0000000000e2', '00000000-0000-7000-8000-0000000000c2', NULL)$$,
    '23502', 'status NULL');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO subscriptions (subscriber_id, creator_id, subscribed_at)
      VALUES ('00000000-0000-7000-8000-0000000000e2', '00000000-0000-7000-8000-0000000000c2', NULL)$$,
    '23502', 'subscribed_at NULL');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO subscriptions (subscriber_id, creator_id, status)
      VALUES ('00000000-0000-7000-8000-0000000000e2', '00000000-0000-7000-8000-0000000000c2', 'paused')$$,
    '22P02', 'status outside subscription_status');

--------------------------------------------------------------------------------
-- defaults
--------------------------------------------------------------------------------
SELECT results_eq(
    $$SELECT status, subscribed_at, cancelled_at FROM subscriptions
       WHERE subscriber_id = '00000000-0000-7000-8000-0000000000e1'
         AND creator_id = '00000000-0000-7000-8000-0000000000c2'$$,
    $$VALUES ('active'::subscription_status, now(), NULL::timestamptz)$$,
    'defaults: active, subscribed now(), not cancelled');

SELECT * FROM finish();
ROLLBACK;
