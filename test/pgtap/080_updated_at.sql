-- 080_updated_at: "updated_at is kept by the database on every UPDATE" (API.md
-- "Tables") for users and posts, whatever the UPDATE writes; created_at never
-- moves; and creator_platform.set_updated_at() refuses (39P01) to run other
-- than as a BEFORE UPDATE FOR EACH ROW trigger on a table with a timestamptz
-- updated_at. Inside one transaction now() is the transaction start, which is
-- what the trigger writes.
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(32);

INSERT INTO users (id, email, username, role, created_at, updated_at) VALUES
    ('00000000-0000-7000-8000-0000000000c1', 'c1@x.io', 'creator_one', 'creator', '2000-01-01+00', '2000-01-01+00'),
    ('00000000-0000-7000-8000-0000000000c2', 'c2@x.io', 'creator_two', 'creator', '2000-01-01+00', '2000-01-01+00'),
    ('00000000-0000-7000-8000-0000000000c3', 'c3@x.io', 'creator_three', 'creator', '2000-01-01+00', '2000-01-01+00');
INSERT INTO posts (id, creator_id, title, created_at, updated_at) VALUES
    ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000c1', 'one', '2000-01-01+00', '2000-01-01+00'),
    ('00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000c1', 'two', '2000-01-01+00', '2000-01-01+00'),
    ('00000000-0000-7000-8000-000000000b03', '00000000-0000-7000-8000-0000000000c2', 'three', '2000-01-01+00', '2000-01-01+00');

SELECT is((SELECT count(*) FROM users WHERE updated_at = '2000-01-01+00'), 3::bigint,
          'precondition: users inserted with updated_at 2000-01-01 keep it (the trigger is on UPDATE only)');
SELECT is((SELECT count(*) FROM posts WHERE updated_at = '2000-01-01+00'), 3::bigint,
          'precondition: posts inserted with updated_at 2000-01-01 keep it');

--------------------------------------------------------------------------------
-- users
--------------------------------------------------------------------------------
UPDATE users SET bio = 'hello' WHERE id = '00000000-0000-7000-8000-0000000000c1';
SELECT is((SELECT updated_at FROM users WHERE id = '00000000-0000-7000-8000-0000000000c1'), now(),
          'users: UPDATE of another column sets updated_at to now()');
SELECT is((SELECT created_at FROM users WHERE id = '00000000-0000-7000-8000-0000000000c1'), '2000-01-01+00'::timestamptz,
          'users: created_at is unchanged');
SELECT is((SELECT updated_at FROM users WHERE id = '00000000-0000-7000-8000-0000000000c2'), '2000-01-01+00'::timestamptz,
          'users: a row the UPDATE did not touch keeps its updated_at');

UPDATE users SET updated_at = '1999-01-01+00' WHERE id = '00000000-0000-7000-8000-0000000000c1';
SELECT is((SELECT updated_at FROM users WHERE id = '00000000-0000-7000-8000-0000000000c1'), now(),
          'users: UPDATE SET updated_at = 1999-01-01 still gives now()');
UPDATE users SET updated_at = NULL WHERE id = '00000000-0000-7000-8000-0000000000c1';
SELECT is((SELECT updated_at FROM users WHERE id = '00000000-0000-7000-8000-0000000000c1'), now(),
          'users: UPDATE SET updated_at = NULL gives now(), not an error');

UPDATE users SET bio = bio WHERE id = '00000000-0000-7000-8000-0000000000c2';
SELECT is((SELECT updated_at FROM users WHERE id = '00000000-0000-7000-8000-0000000000c2'), now(),
          'users: an UPDATE that changes no value still sets updated_at');

UPDATE users SET role = 'admin', updated_at = '2100-01-01+00', created_at = '2001-01-01+00'
 WHERE id = '00000000-0000-7000-8000-0000000000c3';
SELECT results_eq(
    $$SELECT role, updated_at, created_at FROM users WHERE id = '00000000-0000-7000-8000-0000000000c3'$$,
    $$VALUES ('admin'::user_role, now(), '2001-01-01+00'::timestamptz)$$,
    'users: a future updated_at is overridden too; the rest of the UPDATE applies');

SELECT isnt((SELECT updated_at FROM users WHERE id = '00000000-0000-7000-8000-0000000000c1'), clock_timestamp(),
            'users: updated_at is the transaction''s timestamp, not the clock');

--------------------------------------------------------------------------------
-- posts
--------------------------------------------------------------------------------
UPDATE posts SET title = 'one, edited' WHERE id = '00000000-0000-7000-8000-000000000b01';
SELECT is((SELECT updated_at FROM posts WHERE id = '00000000-0000-7000-8000-000000000b01'), now(),
          'posts: UPDATE of another column sets updated_at to now()');
SELECT is((SELECT created_at FROM posts WHERE id = '00000000-0000-7000-8000-000000000b01'), '2000-01-01+00'::timestamptz,
          'posts: created_at is unchanged');
SELECT is((SELECT updated_at FROM posts WHERE id = '00000000-0000-7000-8000-000000000b02'), '2000-01-01+00'::timestamptz,
          'posts: a row the UPDATE did not touch keeps its updated_at');

UPDATE posts SET updated_at = '1999-01-01+00' WHERE id = '00000000-0000-7000-8000-000000000b01';
SELECT is((SELECT updated_at FROM posts WHERE id = '00000000-0000-7000-8000-000000000b01'), now(),
          'posts: UPDATE SET updated_at = 1999-01-01 still gives now()');

UPDATE posts SET status = 'published', published_at = now() - interval '1 minute'
 WHERE id = '00000000-0000-7000-8000-000000000b02';
SELECT results_eq(
    $$SELECT status, updated_at, created_at FROM posts WHERE id = '00000000-0000-7000-8000-000000000b02'$$,
    $$VALUES ('published'::post_status, now(), '2000-01-01+00'::timestamptz)$$,
    'posts: publishing a post sets updated_at, keeps created_at');

-- many rows in one UPDATE
UPDATE posts SET content = 'bulk' WHERE creator_id IN ('00000000-0000-7000-8000-0000000000c1', '00000000-0000-7000-8000-0000000000c2');
SELECT is((SELECT count(*) FROM posts WHERE updated_at = now()), 3::bigint,
          'posts: every row of a multi-row UPDATE gets updated_at = now()');
SELECT is((SELECT count(*) FROM posts WHERE created_at = '2000-01-01+00'), 3::bigint,
          'posts: no created_at moved');

-- in a subtransaction, still the transaction's start time
SAVEPOINT sp;
UPDATE posts SET content = 'in a savepoint' WHERE id = '00000000-0000-7000-8000-000000000b03';
SELECT is((SELECT updated_at FROM posts WHERE id = '00000000-0000-7000-8000-000000000b03'), now(),
          'posts: inside a savepoint updated_at is the transaction''s now()');
RELEASE SAVEPOINT sp;

--------------------------------------------------------------------------------
-- set_updated_at() used wrongly: 39P01 (trigger protocol violated)
--------------------------------------------------------------------------------
SELECT throws_ok($$SELECT creator_platform.set_updated_at()$$, '39P01', NULL,
                 'set_updated_at() called directly, not as a trigger');

CREATE TEMP TABLE tg_ok (id int PRIMARY KEY, note text, updated_at timestamptz NOT NULL DEFAULT '2000-01-01+00');
CREATE TEMP TABLE tg_after (id int, updated_at timestamptz);
CREATE TEMP TABLE tg_insert (id int, updated_at timestamptz);
CREATE TEMP TABLE tg_stmt (id int, updated_at timestamptz);
CREATE TEMP TABLE tg_delete (id int, updated_at timestamptz);
CREATE TEMP TABLE tg_nocol (id int, changed_at timestamptz);
CREATE TEMP TABLE tg_nottz (id int, updated_at timestamp);
CREATE TEMP TABLE tg_text (id int, updated_at text);
CREATE TRIGGER t BEFORE UPDATE ON tg_ok FOR EACH ROW EXECUTE FUNCTION creator_platform.set_updated_at();
CREATE TRIGGER t AFTER UPDATE ON tg_after FOR EACH ROW EXECUTE FUNCTION creator_platform.set_updated_at();
CREATE TRIGGER t BEFORE INSERT ON tg_insert FOR EACH ROW EXECUTE FUNCTION creator_platform.set_updated_at();
CREATE TRIGGER t BEFORE UPDATE ON tg_stmt FOR EACH STATEMENT EXECUTE FUNCTION creator_platform.set_updated_at();
CREATE TRIGGER t BEFORE DELETE ON tg_delete FOR EACH ROW EXECUTE FUNCTION creator_platform.set_updated_at();
CREATE TRIGGER t BEFORE UPDATE ON tg_nocol FOR EACH ROW EXECUTE FUNCTION creator_platform.set_updated_at();
CREATE TRIGGER t BEFORE UPDATE ON tg_nottz FOR EACH ROW EXECUTE FUNCTION creator_platform.set_updated_at();
CREATE TRIGGER t BEFORE UPDATE ON tg_text FOR EACH ROW EXECUTE FUNCTION creator_platform.set_updated_at();
INSERT INTO tg_ok (id) VALUES (1), (2);
INSERT INTO tg_after VALUES (1, '2000-01-01+00');
INSERT INTO tg_stmt VALUES (1, '2000-01-01+00');
INSERT INTO tg_delete VALUES (1, '2000-01-01+00');
INSERT INTO tg_nocol VALUES (1, '2000-01-01+00');
INSERT INTO tg_nottz VALUES (1, '2000-01-01');
INSERT INTO tg_text VALUES (1, 'x');

UPDATE tg_ok SET note = 'x' WHERE id = 1;
SELECT results_eq($$SELECT id, updated_at FROM tg_ok ORDER BY id$$,
                  $$VALUES (1, now()), (2, '2000-01-01+00'::timestamptz)$$,
                  'on any table with a timestamptz updated_at, BEFORE UPDATE FOR EACH ROW works');
SELECT throws_ok($$UPDATE tg_after SET id = 2$$, '39P01', NULL, 'as an AFTER UPDATE trigger');
SELECT is((SELECT id FROM tg_after), 1, 'the AFTER UPDATE statement was rolled back');
SELECT throws_ok($$INSERT INTO tg_insert VALUES (1, '2000-01-01+00')$$, '39P01', NULL, 'as a BEFORE INSERT trigger');
SELECT is((SELECT count(*) FROM tg_insert), 0::bigint, 'the INSERT was rolled back');
SELECT throws_ok($$UPDATE tg_stmt SET id = 2$$, '39P01', NULL, 'as a FOR EACH STATEMENT trigger');
SELECT is((SELECT id FROM tg_stmt), 1, 'the statement-level UPDATE was rolled back');
SELECT throws_ok($$DELETE FROM tg_delete$$, '39P01', NULL, 'as a BEFORE DELETE trigger');
SELECT is((SELECT count(*) FROM tg_delete), 1::bigint, 'the DELETE was rolled back');
SELECT throws_ok($$UPDATE tg_nocol SET id = 2$$, '39P01', NULL, 'on a table without an updated_at column');
SELECT throws_ok($$UPDATE tg_nottz SET id = 2$$, '39P01', NULL, 'on a table whose updated_at is timestamp without time zone');
SELECT throws_ok($$UPDATE tg_text SET id = 2$$, '39P01', NULL, 'on a table whose updated_at is text');
SELECT is((SELECT count(*) FROM tg_nocol WHERE id = 1) + (SELECT count(*) FROM tg_nottz WHERE id = 1)
          + (SELECT count(*) FROM tg_text WHERE id = 1), 3::bigint,
          'the refused UPDATEs changed nothing');

SELECT * FROM finish();
ROLLBACK;
