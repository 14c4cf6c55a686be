-- 030_users: the rules on users (API.md "Rules"): email and username unique
-- ignoring case (23505), email shape local@domain and username 3-32 of
-- [A-Za-z0-9_] (23514), NOT NULL columns (23502), role default 'reader'.
-- Every rejected statement is followed by a check that no table changed.
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(78);


INSERT INTO users (id, email, username) VALUES
    ('00000000-0000-7000-8000-00000000000a', 'A@x.io', 'alice'),
    ('00000000-0000-7000-8000-00000000000b', 'bob@x.io', 'bob');

--------------------------------------------------------------------------------
-- unique ignoring case (23505)
--------------------------------------------------------------------------------
SELECT * FROM cp_test.rejects(
    $$INSERT INTO users (email, username) VALUES ('a@X.IO', 'alice_2')$$,
    '23505', 'email unique ignoring case: a@X.IO after A@x.io');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO users (email, username) VALUES ('A@x.io', 'alice_3')$$,
    '23505', 'email unique: the same address again');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO users (email, username) VALUES ('alice2@x.io', 'ALICE')$$,
    '23505', 'username unique ignoring case: ALICE after alice');
SELECT * FROM cp_test.rejects(
    $$UPDATE users SET email = 'A@X.IO' WHERE username = 'bob'$$,
    '23505', 'UPDATE to another user''s email in other case');
SELECT * FROM cp_test.rejects(
    $$UPDATE users SET username = 'Alice' WHERE username = 'bob'$$,
    '23505', 'UPDATE to another user''s username in other case');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO users (email, username) VALUES ('carol@x.io', 'carol'), ('CAROL@x.io', 'carol_2')$$,
    '23505', 'two rows of one multi-row INSERT differing only in email case');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO users (email, username) VALUES ('dave@x.io', 'dave'), ('dave2@x.io', 'DAVE')$$,
    '23505', 'two rows of one multi-row INSERT differing only in username case');

--------------------------------------------------------------------------------
-- email shape local@domain (23514)
--------------------------------------------------------------------------------
SELECT cp_test.rejects(
    format('INSERT INTO users (email, username) VALUES (%L, %L)', e, 'shape_' || n),
    '23514', format('email %L is rejected', e))
  FROM unnest(ARRAY['no-at-sign', '@x', 'x@', 'a b@c.d', 'a@b@c', '', 'tab'||E'\t'||'@x.io', 'a@b c'])
       WITH ORDINALITY AS v(e, n);
SELECT * FROM cp_test.rejects(
    $$UPDATE users SET email = 'not-an-address' WHERE username = 'bob'$$,
    '23514', 'UPDATE to a malformed email');

SELECT lives_ok(
    $$INSERT INTO users (email, username) VALUES ('first.last+tag@example.co.uk', 'first_last')$$,
    'email first.last+tag@example.co.uk is accepted');
SELECT is((SELECT email FROM users WHERE username = 'alice'), 'A@x.io', 'email is stored as given (case kept)');
SELECT is((SELECT username FROM users WHERE lower(email) = lower('a@X.io')), 'alice',
          'a user is found by lower(email)');

--------------------------------------------------------------------------------
-- username: 3-32 of [A-Za-z0-9_] (23514)
--------------------------------------------------------------------------------
SELECT cp_test.rejects(
    format('INSERT INTO users (email, username) VALUES (%L, %L)', 'u' || n || '@x.io', u),
    '23514', format('username %L is rejected', u))
  FROM unnest(ARRAY['ab', repeat('x', 33), 'has space', 'dash-name', 'ümlaut', '', 'dot.name', 'at@name'])
       WITH ORDINALITY AS v(u, n);
SELECT * FROM cp_test.rejects(
    $$UPDATE users SET username = 'b' WHERE username = 'bob'$$,
    '23514', 'UPDATE to a too short username');

SELECT lives_ok($$INSERT INTO users (email, username) VALUES ('three@x.io', 'abc')$$,
                'username of 3 characters is accepted');
SELECT lives_ok(format('INSERT INTO users (email, username) VALUES (%L, %L)', 'thirtytwo@x.io', repeat('Z', 32)),
                'username of 32 characters is accepted');
SELECT lives_ok($$INSERT INTO users (email, username) VALUES ('mixed@x.io', 'Under_Score_09')$$,
                'username of letters, digits and underscore is accepted');

--------------------------------------------------------------------------------
-- NOT NULL (23502), enum input (22P02), NULL-able columns, defaults
--------------------------------------------------------------------------------
SELECT * FROM cp_test.rejects($$INSERT INTO users (email, username) VALUES (NULL, 'nomail')$$,
                              '23502', 'email NULL');
SELECT * FROM cp_test.rejects($$INSERT INTO users (email, username) VALUES ('nouser@x.io', NULL)$$,
                              '23502', 'username NULL');
SELECT * FROM cp_test.rejects($$INSERT INTO users (email, username, role) VALUES ('norole@x.io', 'norole', NULL)$$,
                              '23502', 'role NULL');
SELECT * FROM cp_test.rejects($$INSERT INTO users (id, email, username) VALUES (NULL, 'noid@x.io', 'noid')$$,
                              '23502', 'id NULL');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO users (email, username, created_at) VALUES ('nocreated@x.io', 'nocreated', NULL)$$,
    '23502', 'created_at NULL');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO users (email, username, updated_at) VALUES ('noupdated@x.io', 'noupdated', NULL)$$,
    '23502', 'updated_at NULL');
SELECT * FROM cp_test.rejects($$UPDATE users SET email = NULL WHERE username = 'bob'$$,
                              '23502', 'UPDATE email to NULL');
SELECT * FROM cp_test.rejects(
    $$INSERT INTO users (email, username, role) VALUES ('super@x.io', 'super', 'superuser')$$,
    '22P02', 'role outside user_role');

SELECT lives_ok(
    $$INSERT INTO users (email, username, password_hash, bio) VALUES ('nulls@x.io', 'nulls', NULL, NULL)$$,
    'password_hash and bio may be NULL');
SELECT is((SELECT role FROM users WHERE username = 'nulls'), 'reader'::user_role, 'role defaults to reader');
SELECT is((SELECT created_at FROM users WHERE username = 'nulls'), now(), 'created_at defaults to now()');
SELECT is((SELECT updated_at FROM users WHERE username = 'nulls'), now(), 'updated_at defaults to now()');
SELECT lives_ok(
    $$INSERT INTO users (email, username, role) VALUES ('c@x.io', 'a_creator', 'creator'), ('adm@x.io', 'an_admin', 'admin')$$,
    'roles creator and admin are accepted');

SELECT is((SELECT count(*) FROM users), 9::bigint, 'exactly the accepted users are present');

SELECT * FROM finish();
ROLLBACK;
