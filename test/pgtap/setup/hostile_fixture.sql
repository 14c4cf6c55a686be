-- test/pgtap/setup/hostile_fixture.sql: the data and helpers the hostile-input
-- suites share (400_hostile_input.sql, 401_hostile_cursors.sql,
-- 402_hostile_values.sql include it with \ir, inside their transaction):
-- schema hostile with its digest of the database (hostile.state) and the
-- checks that compare it, and the fixture rows.


--------------------------------------------------------------------------------
-- data (the same in 400, 401 and 402)
--------------------------------------------------------------------------------
-- c1, c2 creators; a1 admin; e1, e2 readers. c1: six published posts b01-b06
-- (even ones for subscribers), a draft d01, a scheduled d02; c2: f01, f02.
-- Two posts of three years ago (o01 of c1, o02 of c2) are archived with their
-- comments by archive_posts below. Thread of b01: 0001, 0002, 0003 at the top;
-- 0011 under 0001, 0021 under 0011, 0031 under 0021 (depth 3); 0012 under
-- 0002, which is then deleted and stays as a placeholder. o01: 0101 and its
-- reply 0111; b02: 0201. e1 follows c1 and c2; e2 followed c1, cancelled and
-- follows again; c2 follows c1.
-- The foreign keys of comments are deferred; checked at once here, so that a
-- violation shows in the statement that made it (this transaction never
-- commits) and no trigger event is pending when enable_row_security() alters
-- the tables (55006 otherwise).
SET CONSTRAINTS ALL IMMEDIATE;
INSERT INTO users (id, email, username, role) VALUES
    ('00000000-0000-7000-8000-0000000004c1', 'c1@hostile.test', 'hostile_c1', 'creator'),
    ('00000000-0000-7000-8000-0000000004c2', 'c2@hostile.test', 'hostile_c2', 'creator'),
    ('00000000-0000-7000-8000-0000000004a1', 'a1@hostile.test', 'hostile_a1', 'admin'),
    ('00000000-0000-7000-8000-0000000004e1', 'e1@hostile.test', 'hostile_e1', 'reader'),
    ('00000000-0000-7000-8000-0000000004e2', 'e2@hostile.test', 'hostile_e2', 'reader');
INSERT INTO posts (id, creator_id, title, content, status, visibility, published_at)
SELECT format('00000000-0000-7000-8000-000000004b%s', lpad(n::text, 2, '0'))::uuid, '00000000-0000-7000-8000-0000000004c1',
       format('post %s', n), format('content %s', n), 'published',
       CASE WHEN n % 2 = 0 THEN 'subscribers' ELSE 'public' END::post_visibility, now() - n * interval '1 hour'
  FROM generate_series(1, 6) n;
INSERT INTO posts (id, creator_id, title, status, published_at) VALUES
    ('00000000-0000-7000-8000-000000004d01', '00000000-0000-7000-8000-0000000004c1', 'a draft', 'draft', NULL),
    ('00000000-0000-7000-8000-000000004d02', '00000000-0000-7000-8000-0000000004c1', 'scheduled', 'scheduled', now() + interval '1 day'),
    ('00000000-0000-7000-8000-000000004f01', '00000000-0000-7000-8000-0000000004c2', 'two one', 'published', now() - interval '30 minutes'),
    ('00000000-0000-7000-8000-000000004f02', '00000000-0000-7000-8000-0000000004c2', 'two two', 'published', now() - interval '90 minutes'),
    ('00000000-0000-7000-8000-000000004001', '00000000-0000-7000-8000-0000000004c1', 'old one', 'published', now() - interval '3 years'),
    ('00000000-0000-7000-8000-000000004002', '00000000-0000-7000-8000-0000000004c2', 'old two', 'published', now() - interval '3 years 1 day');
INSERT INTO comments (id, post_id, user_id, parent_comment_id, content, created_at) VALUES
    ('00000000-0000-7000-8000-00000c400001', '00000000-0000-7000-8000-000000004b01', '00000000-0000-7000-8000-0000000004e1', NULL, 'top 1', now() - interval '50 minutes'),
    ('00000000-0000-7000-8000-00000c400002', '00000000-0000-7000-8000-000000004b01', '00000000-0000-7000-8000-0000000004e2', NULL, 'top 2', now() - interval '40 minutes'),
    ('00000000-0000-7000-8000-00000c400003', '00000000-0000-7000-8000-000000004b01', '00000000-0000-7000-8000-0000000004c1', NULL, 'top 3', now() - interval '30 minutes'),
    ('00000000-0000-7000-8000-00000c400101', '00000000-0000-7000-8000-000000004001', '00000000-0000-7000-8000-0000000004e1', NULL, 'old top', now() - interval '3 years'),
    ('00000000-0000-7000-8000-00000c400201', '00000000-0000-7000-8000-000000004b02', '00000000-0000-7000-8000-0000000004e1', NULL, 'on b02', now() - interval '20 minutes');
INSERT INTO comments (id, post_id, user_id, parent_comment_id, content, created_at) VALUES
    ('00000000-0000-7000-8000-00000c400011', '00000000-0000-7000-8000-000000004b01', '00000000-0000-7000-8000-0000000004e2', '00000000-0000-7000-8000-00000c400001', 'reply 1.1', now() - interval '45 minutes'),
    ('00000000-0000-7000-8000-00000c400012', '00000000-0000-7000-8000-000000004b01', '00000000-0000-7000-8000-0000000004e1', '00000000-0000-7000-8000-00000c400002', 'reply 2.1', now() - interval '35 minutes'),
    ('00000000-0000-7000-8000-00000c400111', '00000000-0000-7000-8000-000000004001', '00000000-0000-7000-8000-0000000004e2', '00000000-0000-7000-8000-00000c400101', 'old reply', now() - interval '3 years');
INSERT INTO comments (id, post_id, user_id, parent_comment_id, content, created_at) VALUES
    ('00000000-0000-7000-8000-00000c400021', '00000000-0000-7000-8000-000000004b01', '00000000-0000-7000-8000-0000000004e1', '00000000-0000-7000-8000-00000c400011', 'reply 1.1.1', now() - interval '44 minutes');
INSERT INTO comments (id, post_id, user_id, parent_comment_id, content, created_at) VALUES
    ('00000000-0000-7000-8000-00000c400031', '00000000-0000-7000-8000-000000004b01', '00000000-0000-7000-8000-0000000004e2', '00000000-0000-7000-8000-00000c400021', 'reply 1.1.1.1', now() - interval '43 minutes');
DO $$
BEGIN
    PERFORM creator_platform.delete_comment('00000000-0000-7000-8000-00000c400002');
    PERFORM creator_platform.subscribe('00000000-0000-7000-8000-0000000004e1', '00000000-0000-7000-8000-0000000004c1');
    PERFORM creator_platform.subscribe('00000000-0000-7000-8000-0000000004e1', '00000000-0000-7000-8000-0000000004c2');
    PERFORM creator_platform.subscribe('00000000-0000-7000-8000-0000000004e2', '00000000-0000-7000-8000-0000000004c1');
    PERFORM creator_platform.cancel_subscription('00000000-0000-7000-8000-0000000004e2', '00000000-0000-7000-8000-0000000004c1');
    PERFORM creator_platform.subscribe('00000000-0000-7000-8000-0000000004e2', '00000000-0000-7000-8000-0000000004c1');
    PERFORM creator_platform.subscribe('00000000-0000-7000-8000-0000000004c2', '00000000-0000-7000-8000-0000000004c1');
    IF creator_platform.archive_posts(now() - interval '2 years', 10) <> 2 THEN
        RAISE EXCEPTION 'the fixture expected archive_posts to move 2 posts';
    END IF;
    PERFORM creator_platform.refresh_stats();
END
$$;

--------------------------------------------------------------------------------
-- helpers (schema hostile, gone with the ROLLBACK)
--------------------------------------------------------------------------------
CREATE SCHEMA hostile;

-- Everything a call could change: for every table and materialized view of the
-- extension its row count and an md5 of its rows, every sequence's position,
-- the privileges and row-security flags of its relations and functions, and
-- the session-level advisory locks this backend holds. Equal before and after
-- a call exactly when the call changed nothing (sequences and session locks
-- included, which a failed call's rollback would not undo).
CREATE FUNCTION hostile.state() RETURNS text LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $f$
DECLARE
    r record;
    v text;
    s text := '';
BEGIN
    FOR r IN SELECT c.oid::regclass AS rel, c.relkind FROM pg_catalog.pg_class c
              WHERE c.relnamespace OPERATOR(pg_catalog.=) 'creator_platform'::regnamespace
                AND c.relkind IN ('r', 'p', 'm', 'S')
              ORDER BY c.relname LOOP
        IF r.relkind = 'S' THEN
            EXECUTE format('SELECT last_value || ''/'' || is_called FROM %s', r.rel) INTO v;
        ELSE
            EXECUTE format('SELECT count(*) || '' rows '' || coalesce(md5(string_agg(t::text, '','' ORDER BY t::text)), ''-'') FROM %s t',
                           r.rel) INTO v;
        END IF;
        s := s || r.rel::text || ': ' || v || E'\n';
    END LOOP;
    -- privileges and row-level security of the extension's relations and functions
    SELECT s || 'relation acls and row security: '
             || md5(string_agg(c.relname || ' ' || coalesce(c.relacl::text, '-') || ' ' || c.relrowsecurity, ',' ORDER BY c.relname)) || E'\n'
      INTO s FROM pg_catalog.pg_class c WHERE c.relnamespace OPERATOR(pg_catalog.=) 'creator_platform'::regnamespace;
    SELECT s || 'function acls: '
             || md5(string_agg(p.oid::regprocedure::text || ' ' || coalesce(p.proacl::text, '-'), ',' ORDER BY p.oid)) || E'\n'
      INTO s FROM pg_catalog.pg_proc p WHERE p.pronamespace OPERATOR(pg_catalog.=) 'creator_platform'::regnamespace;
    SELECT s || 'advisory locks held: ' || count(*) INTO s
      FROM pg_catalog.pg_locks l WHERE l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'advisory';
    RETURN s;
END
$f$;

-- `stmt` raises `state` (throws_ok) and changes nothing: two tests.
-- (The helpers that run a statement keep the caller's search_path, as
-- cp_test.rejects does.)
CREATE FUNCTION hostile.rejects(stmt text, state text, what text) RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
    before text := hostile.state();
BEGIN
    RETURN NEXT public.throws_ok(stmt, state, NULL, what || ': ' || state);
    RETURN NEXT public.is(hostile.state(), before, what || ': nothing changed');
END
$f$;

-- The first column of the first row of `query` as text ('NULL' for NULL, 'no
-- row' for none), or 'error SQLSTATE: message'. Not rolled back when it
-- succeeds, so that hostile.state() sees what it did.
CREATE FUNCTION hostile.value(query text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
    v text;
    n bigint;
BEGIN
    EXECUTE query INTO v;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n = 0 THEN RETURN 'no row'; END IF;
    RETURN coalesce(v, 'NULL');
EXCEPTION WHEN OTHERS THEN
    RETURN 'error ' || SQLSTATE || ': ' || SQLERRM;
END
$f$;

-- `query` gives `want` (hostile.value) and changes nothing: two tests.
CREATE FUNCTION hostile.gives(query text, want text, what text) RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
    before text := hostile.state();
BEGIN
    RETURN NEXT public.is(hostile.value(query), want, what);
    RETURN NEXT public.is(hostile.state(), before, what || ': nothing changed');
END
$f$;

-- The same with a regular expression for what `query` gives.
CREATE FUNCTION hostile.gives_like(query text, pattern text, what text) RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
    before text := hostile.state();
BEGIN
    RETURN NEXT public.matches(hostile.value(query), pattern, what);
    RETURN NEXT public.is(hostile.state(), before, what || ': nothing changed');
END
$f$;
