-- 401_hostile_cursors: bad cursors given to every list function (issue 6,
-- "Hostile input"; API.md "Pagination": a cursor that is malformed, tampered
-- with, or made by another function or for other arguments raises 22023 and
-- never crashes the backend).
--   * 17 calls of the six list functions, pairs of which differ in one
--     argument; a valid cursor of each (from a live row, an archived row, a
--     comment path three keys long) gives its next page;
--   * then, for each call, every variant below raises 22023, and a whole
--     group of variants changes nothing (every table, materialized view and
--     sequence of the extension, their privileges, and this backend's
--     advisory locks):
--       truncated: every proper prefix, the empty string included;
--       extended: characters before or after, '=' padding, two cursors in
--         one, filled up to the 4,096-character limit;
--       character changed: every position into the next character of the
--         alphabet, three positions into every other character;
--       byte changed: bits 0 and 7 of every byte flipped and re-encoded as
--         valid base64, the version, kind and length bytes set to every
--         other value;
--       foreign: the cursors of the 16 other calls (other functions, the
--         same function with another creator, viewer, reader, post,
--         max_depth, root or status);
--       malformed: random text, characters outside the alphabet, multibyte
--         text, standard base64, case changed, reversed, base64 of other bytes;
--       huge: 1 MB of 'A', 1 MB of 'é', the cursor repeated past 1 MB, 4,096,
--         4,097 and 4,100 characters, 1 MB more.
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(256);
\ir setup/hostile_fixture.sql

--------------------------------------------------------------------------------
-- the feeds and a valid cursor of each
--------------------------------------------------------------------------------
-- `fn` is a call with %s where page_size and after go; `take`: the cursor is
-- that of row `take` of the first page. Calls that differ in one argument:
-- creator_posts by creator and by viewer, home_feed by reader, recent_posts
-- by viewer, comment_thread by post, max_depth and root (the root's cursor is
-- a path of three keys; creator_posts(c1, NULL) and comment_thread(o01) give
-- the cursor of an archived row), subscriptions_of by subscriber and status,
-- subscribers_of by creator and status.
CREATE TABLE hostile.feeds (name text PRIMARY KEY, fn text NOT NULL, take int NOT NULL, call text, cursor text);
INSERT INTO hostile.feeds (name, fn, take) VALUES
    ('creator_posts(c1, e1)', $$creator_platform.creator_posts('00000000-0000-7000-8000-0000000004c1', '00000000-0000-7000-8000-0000000004e1', %s)$$, 3),
    ('creator_posts(c1, NULL)', $$creator_platform.creator_posts('00000000-0000-7000-8000-0000000004c1', NULL, %s)$$, 7),
    ('creator_posts(c2, e1)', $$creator_platform.creator_posts('00000000-0000-7000-8000-0000000004c2', '00000000-0000-7000-8000-0000000004e1', %s)$$, 1),
    ('home_feed(e1)', $$creator_platform.home_feed('00000000-0000-7000-8000-0000000004e1', %s)$$, 4),
    ('home_feed(c2)', $$creator_platform.home_feed('00000000-0000-7000-8000-0000000004c2', %s)$$, 4),
    ('recent_posts(NULL)', $$creator_platform.recent_posts(NULL, %s)$$, 2),
    ('recent_posts(e1)', $$creator_platform.recent_posts('00000000-0000-7000-8000-0000000004e1', %s)$$, 2),
    ('comment_thread(b01)', $$creator_platform.comment_thread('00000000-0000-7000-8000-000000004b01', %s)$$, 2),
    ('comment_thread(b01, max_depth 5)', $$creator_platform.comment_thread('00000000-0000-7000-8000-000000004b01', %s, 5)$$, 2),
    ('comment_thread(b01, root 0001)',
     $$creator_platform.comment_thread('00000000-0000-7000-8000-000000004b01', %s, NULL, '00000000-0000-7000-8000-00000c400001')$$, 3),
    ('comment_thread(o01)', $$creator_platform.comment_thread('00000000-0000-7000-8000-000000004001', %s)$$, 1),
    ('subscriptions_of(e2, active)', $$creator_platform.subscriptions_of('00000000-0000-7000-8000-0000000004e2', 'active', %s)$$, 1),
    ('subscriptions_of(e2, cancelled)', $$creator_platform.subscriptions_of('00000000-0000-7000-8000-0000000004e2', 'cancelled', %s)$$, 1),
    ('subscriptions_of(e1, active)', $$creator_platform.subscriptions_of('00000000-0000-7000-8000-0000000004e1', 'active', %s)$$, 1),
    ('subscribers_of(c1, active)', $$creator_platform.subscribers_of('00000000-0000-7000-8000-0000000004c1', 'active', %s)$$, 2),
    ('subscribers_of(c1, cancelled)', $$creator_platform.subscribers_of('00000000-0000-7000-8000-0000000004c1', 'cancelled', %s)$$, 1),
    ('subscribers_of(c2, active)', $$creator_platform.subscribers_of('00000000-0000-7000-8000-0000000004c2', 'active', %s)$$, 1);
DO $$
DECLARE
    f record;
    c text;
BEGIN
    FOR f IN SELECT name, fn, take FROM hostile.feeds LOOP
        EXECUTE format('SELECT x.cursor FROM %s x OFFSET %s LIMIT 1', format(f.fn, f.take || ', NULL'), f.take - 1) INTO c;
        UPDATE hostile.feeds SET cursor = c, call = 'SELECT count(*) FROM ' || format(f.fn, '5, $1') WHERE name = f.name;
    END LOOP;
END
$$;

-- 'ok' if `call` runs with `after` as $1, else its SQLSTATE (kept if it ran,
-- so that hostile.state() would see a write).
CREATE FUNCTION hostile.outcome(call text, after text) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN
    EXECUTE call USING after;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END
$f$;

-- Every cursor in `afters` given to the feed raises 22023 (one test that
-- lists any that did not, with what they gave) and together they changed
-- nothing (a second test).
CREATE FUNCTION hostile.all_22023(feed text, afters text[], what text) RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
    f hostile.feeds;
    before text := hostile.state();
    bad text[] := '{}';
    o text;
    i int;
BEGIN
    SELECT * INTO f FROM hostile.feeds WHERE name = feed;
    IF f.call IS NULL OR coalesce(cardinality(afters), 0) = 0 THEN
        bad := ARRAY['nothing to try'];
    END IF;
    FOR i IN 1 .. coalesce(cardinality(afters), 0) LOOP
        o := hostile.outcome(f.call, afters[i]);
        IF o IS DISTINCT FROM '22023' THEN
            bad := bad || format('%s (%s characters): %s', left(quote_nullable(afters[i]), 120), length(afters[i]), o);
        END IF;
    END LOOP;
    RETURN NEXT is(array_to_string(bad, E'\n'), '',
                   format('%s: %s cursors %s: each 22023', feed, coalesce(cardinality(afters), 0), what));
    RETURN NEXT is(hostile.state(), before, format('%s: %s: nothing changed', feed, what));
END
$f$;

-- url-safe base64 without padding, as cursors are written
CREATE FUNCTION hostile.b64d(t text) RETURNS bytea LANGUAGE sql IMMUTABLE AS $f$
    SELECT decode(translate(t, '-_', '+/') || repeat('=', (4 - length(t) % 4) % 4), 'base64')
$f$;
CREATE FUNCTION hostile.b64e(b bytea) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT rtrim(translate(encode(b, 'base64'), E'+/\n', '-_'), '=')
$f$;
CREATE FUNCTION hostile.alphabet() RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
$f$;

-- The variants of a cursor c, none equal to c.
-- truncated: every proper prefix, the empty string included
CREATE FUNCTION hostile.truncated(c text) RETURNS text[] LANGUAGE sql AS $f$
    SELECT array_agg(left(c, n) ORDER BY n) FROM generate_series(0, length(c) - 1) n
$f$;
-- extended: characters added before or after it, padding, two cursors in one,
-- filled up to the 4,096-character limit
CREATE FUNCTION hostile.extended(c text) RETURNS text[] LANGUAGE sql AS $f$
    SELECT ARRAY[c || 'A', c || 'AA', c || 'AAA', c || 'AAAA', c || '=', c || '==', ' ' || c, c || ' ',
                 c || E'\n', E'\t' || c, c || c, c || repeat('A', 4096 - length(c))]
$f$;
-- characters changed: each position into the next character of the alphabet;
-- the first, a middle and the last position into every other character
CREATE FUNCTION hostile.chars_changed(c text) RETURNS text[] LANGUAGE sql AS $f$
    SELECT array_agg(DISTINCT v) FROM (
        SELECT overlay(c PLACING substr(hostile.alphabet(), strpos(hostile.alphabet(), substr(c, i, 1)) % 64 + 1, 1) FROM i FOR 1) AS v
          FROM generate_series(1, length(c)) i
        UNION ALL
        SELECT overlay(c PLACING substr(hostile.alphabet(), k, 1) FROM i FOR 1)
          FROM unnest(ARRAY[1, length(c) / 2 + 1, length(c)]) i, generate_series(1, 64) k
    ) s WHERE v <> c
$f$;
-- bytes changed, re-encoded as valid base64: bits 0 and 7 of every byte
-- flipped; the version, kind and position length bytes set to every other
-- value (another kind claims to be another function's cursor)
CREATE FUNCTION hostile.bytes_changed(c text) RETURNS text[] LANGUAGE sql AS $f$
    WITH b AS (SELECT hostile.b64d(c) AS raw)
    SELECT array_agg(DISTINCT v) FROM (
        SELECT hostile.b64e(set_byte(raw, i, get_byte(raw, i) # m)) AS v
          FROM b, generate_series(0, length(raw) - 1) i, unnest(ARRAY[1, 128]) m
        UNION ALL
        SELECT hostile.b64e(set_byte(raw, i, k)) FROM b, generate_series(0, 2) i, generate_series(0, 255) k
    ) s WHERE v <> c
$f$;
-- malformed: text that is no cursor at all, and well-formed base64 of other bytes
CREATE FUNCTION hostile.malformed(c text) RETURNS text[] LANGUAGE sql AS $f$
    SELECT array_agg(v) FROM unnest(ARRAY[
        'not a cursor', 'null', 'NULL', '0', '-1', ' ', E'\t', E'\n', 'A', 'AQ', 'AQE', 'AQEY', '====', '+/+/',
        repeat('A', 47), repeat('_', 47), repeat('-', 47), repeat('/', 47), repeat('é', 47), repeat('€', 16),
        '%41%51%45', '<cursor/>', $$'; DROP TABLE creator_platform.users; --$$, E'\\x0102',
        translate(c, '-_', '+/') || '=',                          -- standard base64 with padding
        upper(c), lower(c), reverse(c),
        replace(replace(c, '-', '%2D'), '_', '%5F') || '%3D',
        hostile.b64e(decode(md5(c) || md5(c || '1') || substr(md5(c || '2'), 1, 6), 'hex')),   -- 35 other bytes
        hostile.b64e(substr(hostile.b64d(c), 1, 3) || decode(md5(c) || md5(c || '1'), 'hex')) -- its header, other bytes
    ]) v WHERE v <> c
$f$;
-- huge: 1 MB and more of text, of valid characters, of its own cursor
-- repeated, at the 4,096-character limit and just past it
CREATE FUNCTION hostile.huge(c text) RETURNS text[] LANGUAGE sql AS $f$
    SELECT ARRAY[repeat('A', 1048576), repeat('é', 524288), repeat(c, 1048576 / length(c) + 1),
                 repeat('A', 4096), repeat('A', 4097), repeat('_', 4100), repeat('A', 2147483647 / 2048)]
$f$;

--------------------------------------------------------------------------------
-- the tests
--------------------------------------------------------------------------------
SELECT is((SELECT count(DISTINCT cursor) FROM hostile.feeds), 17::bigint,
          'each of the 17 calls gave a cursor of its own');

CREATE FUNCTION hostile.cursor_tests() RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
    f hostile.feeds;
BEGIN
    FOR f IN SELECT * FROM hostile.feeds ORDER BY name LOOP
        RETURN NEXT is(CASE WHEN f.cursor IS NULL THEN 'no cursor' ELSE hostile.outcome(f.call, f.cursor) END, 'ok',
                       format('%s: its own cursor (%s characters) gives the next page', f.name, length(f.cursor)));
        RETURN QUERY SELECT * FROM hostile.all_22023(f.name, hostile.truncated(f.cursor), 'truncated (every prefix, empty included)');
        RETURN QUERY SELECT * FROM hostile.all_22023(f.name, hostile.extended(f.cursor), 'extended');
        RETURN QUERY SELECT * FROM hostile.all_22023(f.name, hostile.chars_changed(f.cursor), 'with a character changed');
        RETURN QUERY SELECT * FROM hostile.all_22023(f.name, hostile.bytes_changed(f.cursor), 'with a byte changed');
        RETURN QUERY SELECT * FROM hostile.all_22023(f.name,
            (SELECT array_agg(o.cursor ORDER BY o.name) FROM hostile.feeds o WHERE o.name <> f.name),
            'of the other calls (other functions, other arguments)');
        RETURN QUERY SELECT * FROM hostile.all_22023(f.name, hostile.malformed(f.cursor), 'malformed');
        RETURN QUERY SELECT * FROM hostile.all_22023(f.name, hostile.huge(f.cursor), 'huge');
    END LOOP;
END
$f$;
SELECT * FROM hostile.cursor_tests();

SELECT * FROM finish();
ROLLBACK;
