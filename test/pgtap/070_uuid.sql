-- 070_uuid: uuid_generate_v7() and uuid_v7_timestamp(uuid) (API.md "Functions"):
-- RFC 9562 version 7 with the RFC variant, strictly increasing within a session,
-- the 48-bit Unix millisecond timestamp read back, 22023 for a uuid that is not
-- v7, STRICT (NULL in, NULL out), and every table's default id is a v7 uuid.
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(39);

--------------------------------------------------------------------------------
-- version and variant, checked on the text form
--   xxxxxxxx-xxxx-Vxxx-Rxxx-xxxxxxxxxxxx: V (15th char) = 7, R (20th) in 8,9,a,b
--------------------------------------------------------------------------------
SELECT is(substr(uuid_generate_v7()::text, 15, 1), '7', 'the version nibble is 7');
SELECT ok(substr(uuid_generate_v7()::text, 20, 1) IN ('8', '9', 'a', 'b'), 'the variant is RFC 9562''s (10xx)');
SELECT matches(uuid_generate_v7()::text,
               '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$',
               'the text form is a canonical v7 uuid');
SELECT isnt(uuid_generate_v7(), NULL, 'uuid_generate_v7() is never NULL');
SELECT ok((SELECT a <> b FROM (SELECT uuid_generate_v7() AS a, uuid_generate_v7() AS b) AS s),
          'two calls in one row give two uuids (VOLATILE)');

--------------------------------------------------------------------------------
-- 100,000 in one statement, in generate_series order
--------------------------------------------------------------------------------
CREATE TEMP TABLE v7_series ON COMMIT DROP AS
    SELECT n, uuid_generate_v7() AS u FROM generate_series(1, 100000) AS n;

SELECT is((SELECT count(*) FROM v7_series), 100000::bigint, '100,000 uuids generated');
SELECT is(
    (SELECT count(*) FROM (SELECT u, lead(u) OVER (ORDER BY n) AS next_u FROM v7_series) AS s
      WHERE next_u IS NOT NULL AND next_u <= u),
    0::bigint, 'each of the 100,000 is less than the next one (strictly increasing)');
SELECT is((SELECT count(DISTINCT u) FROM v7_series), 100000::bigint, 'all 100,000 are distinct');
SELECT is(
    (SELECT count(*) FROM v7_series
      WHERE substr(u::text, 15, 1) <> '7' OR substr(u::text, 20, 1) NOT IN ('8', '9', 'a', 'b')),
    0::bigint, 'all 100,000 have version 7 and the RFC variant');
SELECT is(
    (SELECT count(*) FROM (SELECT uuid_v7_timestamp(u) AS t, lead(uuid_v7_timestamp(u)) OVER (ORDER BY n) AS next_t
                             FROM v7_series) AS s
      WHERE next_t < t),
    0::bigint, 'their timestamps never go backwards');
SELECT ok(
    (SELECT u FROM v7_series ORDER BY u DESC LIMIT 1) < uuid_generate_v7(),
    'a uuid of a later statement is greater than all of an earlier statement');

--------------------------------------------------------------------------------
-- uuid_v7_timestamp
--------------------------------------------------------------------------------
SELECT ok(
    uuid_v7_timestamp(uuid_generate_v7()) BETWEEN clock_timestamp() - interval '5 seconds'
                                              AND clock_timestamp() + interval '5 seconds',
    'the timestamp of a new uuid is within seconds of clock_timestamp()');
SELECT ok(
    (SELECT bool_and(uuid_v7_timestamp(u) BETWEEN now() - interval '1 minute' AND clock_timestamp() + interval '5 seconds')
       FROM v7_series),
    'the 100,000 timestamps are all of this transaction''s time');
SELECT is(
    (SELECT t = date_trunc('milliseconds', t) FROM (SELECT uuid_v7_timestamp(uuid_generate_v7()) AS t) AS s),
    true, 'the timestamp has millisecond precision');

-- known values: the first 48 bits are the Unix milliseconds
--   0x017f22e279b0 = 1645557742000 ms (the example of RFC 9562, appendix A.6)
SELECT is(uuid_v7_timestamp('017f22e2-79b0-7cc3-98c4-dc0c0c07398f'),
          '2022-02-22 19:22:22+00'::timestamptz, 'RFC 9562 example: 2022-02-22 19:22:22 UTC');
--   0x0189aaaabbbb = 1690785463227 ms
SELECT is(uuid_v7_timestamp('0189aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee'),
          '2023-07-31 06:37:43.227+00'::timestamptz, '0189aaaabbbb: 2023-07-31 06:37:43.227 UTC');
SELECT is(uuid_v7_timestamp('00000000-0000-7000-8000-000000000000'),
          '1970-01-01 00:00:00+00'::timestamptz, 'a v7 uuid with timestamp 0 is the Unix epoch');
--   0xffffffffffff = 281474976710655 ms, the largest
SELECT is(uuid_v7_timestamp('ffffffff-ffff-7fff-bfff-ffffffffffff'),
          '10889-08-02 05:31:50.655+00'::timestamptz, 'the largest v7 timestamp: 10889-08-02 05:31:50.655 UTC');
SELECT is(uuid_v7_timestamp('017F22E2-79B0-7CC3-98C4-DC0C0C07398F'),
          '2022-02-22 19:22:22+00'::timestamptz, 'upper-case input is the same uuid');
SELECT is(uuid_v7_timestamp('017f22e2-79b0-7fff-bfff-ffffffffffff'),
          uuid_v7_timestamp('017f22e2-79b0-7000-8000-000000000000'),
          'only the first 48 bits matter: rand_a and rand_b do not change the timestamp');

-- not v7: 22023
SELECT throws_ok($$SELECT uuid_v7_timestamp(gen_random_uuid())$$, '22023', NULL,
                 'a random (v4) uuid is not v7');
SELECT throws_ok($$SELECT uuid_v7_timestamp('00000000-0000-0000-0000-000000000000')$$, '22023', NULL,
                 'the nil uuid is not v7');
SELECT throws_ok($$SELECT uuid_v7_timestamp('ffffffff-ffff-ffff-ffff-ffffffffffff')$$, '22023', NULL,
                 'the max uuid is not v7');
SELECT throws_ok($$SELECT uuid_v7_timestamp('c232ab00-9414-11ec-b3c8-9f6bdeced846')$$, '22023', NULL,
                 'a v1 uuid is not v7');
SELECT throws_ok($$SELECT uuid_v7_timestamp('017f22e2-79b0-6cc3-98c4-dc0c0c07398f')$$, '22023', NULL,
                 'a v6 uuid is not v7');
SELECT throws_ok($$SELECT uuid_v7_timestamp('017f22e2-79b0-7cc3-08c4-dc0c0c07398f')$$, '22023', NULL,
                 'version 7 with the NCS variant (0xxx) is not v7');
SELECT throws_ok($$SELECT uuid_v7_timestamp('017f22e2-79b0-7cc3-c8c4-dc0c0c07398f')$$, '22023', NULL,
                 'version 7 with the Microsoft variant (110x) is not v7');
SELECT throws_ok($$SELECT uuid_v7_timestamp(u) FROM (VALUES (uuid_generate_v7()), (gen_random_uuid())) AS v(u)$$,
                 '22023', NULL, 'one non-v7 uuid among v7 ones fails the statement');

-- STRICT: NULL in, NULL out
SELECT is(uuid_v7_timestamp(NULL), NULL, 'uuid_v7_timestamp(NULL) is NULL');
SELECT is(uuid_v7_timestamp(NULL::uuid), NULL::timestamptz, 'uuid_v7_timestamp(NULL::uuid) is NULL');

--------------------------------------------------------------------------------
-- default ids of inserted rows are v7, from this transaction, in insertion order
--------------------------------------------------------------------------------
INSERT INTO users (email, username, role) VALUES
    ('uuid1@x.io', 'uuid_one', 'creator'), ('uuid2@x.io', 'uuid_two', 'reader'), ('uuid3@x.io', 'uuid_three', 'reader');
INSERT INTO posts (creator_id, title, status, published_at)
    SELECT id, 'post', 'published', now() FROM users WHERE username = 'uuid_one';
INSERT INTO comments (post_id, user_id, content)
    SELECT p.id, u.id, 'hello' FROM posts p, users u WHERE p.title = 'post' AND u.username = 'uuid_two';
INSERT INTO subscriptions (subscriber_id, creator_id)
    SELECT r.id, c.id FROM users r, users c WHERE r.username = 'uuid_two' AND c.username = 'uuid_one';

SELECT is(substr(id::text, 15, 1) || substr(id::text, 20, 1) ~ '^7[89ab]$', true, format('%s.id default is a v7 uuid', t))
  FROM (SELECT 'users' AS t, id FROM users WHERE username = 'uuid_one'
        UNION ALL SELECT 'posts', id FROM posts WHERE title = 'post'
        UNION ALL SELECT 'comments', id FROM comments WHERE content = 'hello'
        UNION ALL SELECT 'subscriptions', s.id FROM subscriptions s
                   JOIN users u ON u.id = s.subscriber_id WHERE u.username = 'uuid_two') AS v
 ORDER BY t;
SELECT ok(uuid_v7_timestamp(id) BETWEEN now() - interval '1 second' AND clock_timestamp() + interval '5 seconds',
          format('%s.id default carries this transaction''s time', t))
  FROM (SELECT 'users' AS t, id FROM users WHERE username = 'uuid_one'
        UNION ALL SELECT 'posts', id FROM posts WHERE title = 'post'
        UNION ALL SELECT 'comments', id FROM comments WHERE content = 'hello'
        UNION ALL SELECT 'subscriptions', s.id FROM subscriptions s
                   JOIN users u ON u.id = s.subscriber_id WHERE u.username = 'uuid_two') AS v
 ORDER BY t;
SELECT results_eq(
    $$SELECT username FROM users WHERE username LIKE 'uuid\_%' ORDER BY id$$,
    ARRAY['uuid_one', 'uuid_two', 'uuid_three'],
    'ids of a multi-row INSERT follow the order of the rows');

SELECT * FROM finish();
ROLLBACK;
