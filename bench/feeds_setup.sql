-- bench/feeds_setup.sql: the feed benchmark's fixtures and measuring tools
-- (bench/feeds.sh runs it).
--
--   psql -X -v ON_ERROR_STOP=1 -v quick=0 -d bench -f bench/feeds_setup.sql
--
-- Run after bench/generate.sql. Creates schema bench_feeds (tables for the
-- fixtures, cases, results and notes; the measuring procedures) and adds to the
-- generated data:
--   readers      bench_reader_10 / _100 / _1000, following exactly 10, 100 and
--                1,000 creators that published, drawn by weighted sampling
--                without replacement (weight = published posts ^ alpha, the first
--                alpha that gives a feed of >= 1,000 posts whose share of all
--                published posts lies in 0.05%-5%)
--   big creator  bench_big_creator: 21,000 published posts over the last three
--                years (two by two on the same published_at, so ties are broken by
--                id), plus 600 drafts and 30 scheduled posts that must never show
--   threads      two published posts of bench_thread_creator with 10,200 and
--                51,000 comments, depths 0-8, inserted level by level with
--                INSERT ... SELECT (the triggers set path, depth and the counters)
-- -v quick=1 accepts a reader whose share is outside the window (small data sets
-- cannot always meet it) and says so in the notes.

\set ON_ERROR_STOP on
\if :{?quick}
\else
\set quick 0
\endif
SET client_min_messages = warning;
\o /dev/null
SET TimeZone = 'UTC';
SET synchronous_commit = off;
SET work_mem = '256MB';
SET jit = off;
SET max_parallel_workers_per_gather = 0;

DROP SCHEMA IF EXISTS bench_feeds CASCADE;
CREATE SCHEMA bench_feeds;

CREATE TABLE bench_feeds.notes (key text PRIMARY KEY, value text NOT NULL);
-- ids, cursors and keyset positions of the cases
CREATE TABLE bench_feeds.fixture (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE bench_feeds.readers (
    n          integer PRIMARY KEY,   -- creators followed
    reader_id  uuid NOT NULL,
    alpha      float8 NOT NULL,       -- the sampling weight's exponent that was kept
    posts      bigint NOT NULL,       -- published posts of the followed creators = feed length
    share      float8 NOT NULL,       -- posts / all published posts
    in_window  boolean NOT NULL,
    tries      text NOT NULL          -- every alpha tried: alpha=posts/share
);
-- one row per (benchmark, case, side): the SQL text measured with EXPLAIN ANALYZE
CREATE TABLE bench_feeds.cases (
    bench    text NOT NULL,
    grp      text NOT NULL,       -- the cases measured together (both pages of one reader, creator or post)
    case_key text NOT NULL,
    case_ord integer NOT NULL,
    side     text NOT NULL,
    side_ord integer NOT NULL,
    q        text NOT NULL,
    PRIMARY KEY (bench, case_key, side)
);
CREATE TABLE bench_feeds.results (
    bench    text NOT NULL,
    case_key text NOT NULL,
    side     text NOT NULL,
    rep      integer NOT NULL,
    warmup   boolean NOT NULL,
    exec_ms  float8 NOT NULL,
    plan_ms  float8 NOT NULL,
    hit      bigint NOT NULL,
    read     bigint NOT NULL,
    at       timestamptz NOT NULL DEFAULT clock_timestamp()
);
-- EXPLAIN (ANALYZE, BUFFERS) text of every side once, after the measurements
CREATE TABLE bench_feeds.plans (
    bench text NOT NULL, case_key text NOT NULL, side text NOT NULL, plan text NOT NULL,
    PRIMARY KEY (bench, case_key, side)
);
-- the statements a feed function runs through SPI in one call (pg_stat_statements, track = all)
CREATE TABLE bench_feeds.spi (
    bench text NOT NULL, case_key text NOT NULL, statement text NOT NULL,
    calls bigint NOT NULL, rows bigint NOT NULL, exec_ms float8 NOT NULL, blks bigint NOT NULL, query text NOT NULL
);
-- auto_explain's plans of the statements one call of each function case of a
-- group ran through SPI (bench/feeds.sh stores psql's notices here)
CREATE TABLE bench_feeds.spi_plans (
    bench text NOT NULL, grp text NOT NULL, output text NOT NULL, PRIMARY KEY (bench, grp)
);
-- one level of a comment thread's depth-first key, for the recursive CTEs
CREATE TYPE bench_feeds.ckey AS (created_at timestamptz, id uuid);

CREATE FUNCTION bench_feeds.note(k text, v text) RETURNS void LANGUAGE sql AS $$
    INSERT INTO bench_feeds.notes (key, value) VALUES (k, v)
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
$$;
CREATE FUNCTION bench_feeds.fix(k text, v text) RETURNS void LANGUAGE sql AS $$
    INSERT INTO bench_feeds.fixture (key, value) VALUES (k, v)
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
$$;
CREATE FUNCTION bench_feeds.fix(k text) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE v text;
BEGIN
    SELECT f.value INTO v FROM bench_feeds.fixture f WHERE f.key = k;
    IF v IS NULL THEN RAISE EXCEPTION 'bench_feeds: no fixture %', k; END IF;
    RETURN v;
END
$$;

SELECT bench_feeds.note('quick', :'quick');
SELECT clock_timestamp() AS t0 \gset

--------------------------------------------------------------------------------
-- The big creator and the thread creator
--------------------------------------------------------------------------------
INSERT INTO creator_platform.users (email, password_hash, username, bio, role, created_at, updated_at)
VALUES ('bench.big.creator@example.com', '$2b$12$bench.big.creator.fake.hash.xxxxxxxxxxxxxxxxxxxxxxxxxxxx',
        'bench_big_creator', 'Posts every hour or so, for years.', 'creator',
        now() - interval '1200 days', now() - interval '1200 days'),
       ('bench.thread.creator@example.com', '$2b$12$bench.thread.creator.fake.hash.xxxxxxxxxxxxxxxxxxxxxxxxx',
        'bench_thread_creator', 'Two posts that went viral.', 'creator',
        now() - interval '400 days', now() - interval '400 days');
SELECT bench_feeds.fix('big_creator', (SELECT u.id::text FROM creator_platform.users u WHERE u.username = 'bench_big_creator'));
SELECT bench_feeds.fix('thread_creator', (SELECT u.id::text FROM creator_platform.users u WHERE u.username = 'bench_thread_creator'));

-- 21,000 published posts, newest ~1 hour ago, 75 minutes apart by pairs (each
-- pair shares its published_at); every 4th for subscribers only
INSERT INTO creator_platform.posts (creator_id, title, content, status, visibility, published_at, created_at, updated_at)
SELECT c.id, format('Hourly log #%s', 21001 - g),
       repeat('Another hour, another note: what I read, what I built, what broke. ', 1 + g % 7),
       'published', CASE WHEN g % 4 = 0 THEN 'subscribers' ELSE 'public' END::creator_platform.post_visibility,
       x.t, x.t - interval '10 minutes', x.t
  FROM generate_series(1, 21000) AS g
 CROSS JOIN (SELECT bench_feeds.fix('big_creator')::uuid AS id) AS c
 CROSS JOIN LATERAL (SELECT date_trunc('second', now()) - interval '1 hour' - interval '75 minutes' * ((g - 1) / 2) AS t) AS x
 ORDER BY x.t;
-- drafts and scheduled posts in between, which the feeds must skip
INSERT INTO creator_platform.posts (creator_id, title, content, status, published_at, created_at, updated_at)
SELECT c.id, format('Draft #%s', g), 'not yet', 'draft', NULL,
       now() - interval '1 hour' * g, now() - interval '1 hour' * g
  FROM generate_series(1, 600) AS g
 CROSS JOIN (SELECT bench_feeds.fix('big_creator')::uuid AS id) AS c;
INSERT INTO creator_platform.posts (creator_id, title, content, status, published_at, created_at, updated_at)
SELECT c.id, format('Coming soon #%s', g), 'soon', 'scheduled', now() + interval '1 day' * g, now(), now()
  FROM generate_series(1, 30) AS g
 CROSS JOIN (SELECT bench_feeds.fix('big_creator')::uuid AS id) AS c;

SELECT format('feeds_setup: %-28s %8s s', 'big creator: 21,000 posts',
              to_char(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz), 'FM99990.0')) AS msg,
       clock_timestamp() AS t0 \gset
\echo :msg

--------------------------------------------------------------------------------
-- Two big threads, level by level
--------------------------------------------------------------------------------
INSERT INTO creator_platform.posts (creator_id, title, content, status, visibility, published_at, created_at, updated_at)
SELECT c.id, x.title, 'Everyone had an opinion about this one.', 'published', 'public', x.t, x.t - interval '1 hour', x.t
  FROM (SELECT bench_feeds.fix('thread_creator')::uuid AS id) AS c
 CROSS JOIN (VALUES ('The thread of 10,200 comments', date_trunc('second', now()) - interval '40 days'),
                    ('The thread of 51,000 comments', date_trunc('second', now()) - interval '70 days')) AS x(title, t);
SELECT bench_feeds.fix('thread_10k', (SELECT p.id::text FROM creator_platform.posts p WHERE p.title = 'The thread of 10,200 comments'));
SELECT bench_feeds.fix('thread_50k', (SELECT p.id::text FROM creator_platform.posts p WHERE p.title = 'The thread of 51,000 comments'));

CREATE TEMP TABLE bf_users AS
SELECT row_number() OVER (ORDER BY u.id)::int AS k, u.id FROM creator_platform.users u;
ALTER TABLE bf_users ADD PRIMARY KEY (k);
CREATE TEMP TABLE bf_text (i int PRIMARY KEY, body text NOT NULL);
INSERT INTO bf_text (i, body)
SELECT row_number() OVER ()::int, s
  FROM unnest(ARRAY[
    'Strongly agree with this.', 'I think the second point is wrong, and here is why: the numbers only work at small scale.',
    'Source?', 'This thread is gold.', 'Came here to say exactly this.', 'Not sure that follows from what you said above.',
    'Can you expand on that?', 'We tried this at work last year; it went about as well as you would expect.',
    'Respectfully disagree.', 'Underrated comment.', 'Thanks, this cleared it up for me.', 'Same experience here.',
    'The original post already covers this in the third paragraph.', 'Ha!', 'Both of you are right, in different cases.',
    'Has anyone measured it?', 'This deserves its own post.', 'I changed my mind after reading the replies.',
    'Link for the lazy: it is in the post.', 'Good point, but it depends on the budget.',
    'This is the answer.', 'Any update on this?', 'Saving the whole thread.', 'Let us keep it civil, folks.']) AS s;

CREATE TEMP TABLE bf_level (depth int NOT NULL, k int NOT NULL, id uuid NOT NULL, created_at timestamptz NOT NULL,
                            PRIMARY KEY (depth, k));

-- One thread: sizes[d + 1] comments at depth d; a reply's parent is drawn from
-- the previous level with P skewed to a few parents (power 1.5), its time after
-- the parent's (mostly within hours), never in the future.
CREATE FUNCTION pg_temp.bf_thread(p_post uuid, sizes int[]) RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE
    d int;
    n_parents bigint;
    n_users bigint := (SELECT count(*) FROM bf_users);
    n_text bigint := (SELECT count(*) FROM bf_text);
    total bigint := 0;
    t_pub timestamptz := (SELECT p.published_at FROM creator_platform.posts p WHERE p.id = p_post);
BEGIN
    TRUNCATE bf_level;
    PERFORM setseed(0.17);
    WITH pick AS MATERIALIZED (
        SELECT g, 1 + floor(n_users * power(random(), 1.3))::int AS user_k,
               1 + floor(random() * n_text)::int AS text_i, random() AS u1, random() AS u2
          FROM generate_series(1, sizes[1]) AS g
    ), ins AS (
        INSERT INTO creator_platform.comments (post_id, user_id, parent_comment_id, content, created_at)
        SELECT p_post, u.id, NULL, t.body,
               t_pub + interval '1 second'
                     + least(-ln(1 - pk.u1) * interval '2 days', (now() - t_pub - interval '1 minute') * pk.u2)
          FROM pick pk
          JOIN bf_users u ON u.k = pk.user_k
          JOIN bf_text t ON t.i = pk.text_i
         ORDER BY pk.g
        RETURNING id, created_at
    )
    INSERT INTO bf_level (depth, k, id, created_at)
    SELECT 0, row_number() OVER (ORDER BY random()), ins.id, ins.created_at FROM ins;
    total := sizes[1];
    FOR d IN 1 .. array_length(sizes, 1) - 1 LOOP
        SELECT count(*) INTO n_parents FROM bf_level WHERE depth = d - 1;
        WITH pick AS MATERIALIZED (
            SELECT g, 1 + floor(n_parents * power(random(), 1.5))::int AS parent_k,
                   1 + floor(n_users * power(random(), 1.3))::int AS user_k,
                   1 + floor(random() * n_text)::int AS text_i, random() AS u1, random() AS u2
              FROM generate_series(1, sizes[d + 1]) AS g
        ), ins AS (
            INSERT INTO creator_platform.comments (post_id, user_id, parent_comment_id, content, created_at)
            SELECT p_post, u.id, par.id, t.body,
                   par.created_at + interval '1 second'
                     + least(-ln(1 - pk.u1) * interval '6 hours', (now() - par.created_at - interval '1 minute') * pk.u2)
              FROM pick pk
              JOIN bf_level par ON par.depth = d - 1 AND par.k = pk.parent_k
              JOIN bf_users u ON u.k = pk.user_k
              JOIN bf_text t ON t.i = pk.text_i
             ORDER BY pk.g
            RETURNING id, created_at
        )
        INSERT INTO bf_level (depth, k, id, created_at)
        SELECT d, row_number() OVER (ORDER BY random()), ins.id, ins.created_at FROM ins;
        total := total + sizes[d + 1];
    END LOOP;
    RETURN total;
END
$fn$;

SELECT pg_temp.bf_thread(bench_feeds.fix('thread_10k')::uuid, ARRAY[3000, 3000, 2000, 1100, 500, 300, 150, 100, 50]) AS n \gset
SELECT format('feeds_setup: %-28s %8s s', 'thread of ' || to_char(:n, 'FM999,999') || ' comments',
              to_char(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz), 'FM99990.0')) AS msg,
       clock_timestamp() AS t0 \gset
\echo :msg
SELECT pg_temp.bf_thread(bench_feeds.fix('thread_50k')::uuid, ARRAY[15000, 15000, 10000, 5500, 2500, 1500, 750, 500, 250]) AS n \gset
SELECT format('feeds_setup: %-28s %8s s', 'thread of ' || to_char(:n, 'FM999,999') || ' comments',
              to_char(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz), 'FM99990.0')) AS msg,
       clock_timestamp() AS t0 \gset
\echo :msg

--------------------------------------------------------------------------------
-- Readers following exactly 10, 100 and 1,000 creators that published
--------------------------------------------------------------------------------
-- every creator that published (but the fixture creators), with its output
CREATE TEMP TABLE bf_pub AS
SELECT row_number() OVER (ORDER BY a.creator_id)::int AS k, a.creator_id, count(*) AS n
  FROM (SELECT p.creator_id FROM creator_platform.posts p WHERE p.status = 'published'
        UNION ALL
        SELECT pa.creator_id FROM creator_platform.posts_archive pa WHERE pa.status = 'published') AS a
 WHERE a.creator_id NOT IN (bench_feeds.fix('big_creator')::uuid, bench_feeds.fix('thread_creator')::uuid)
 GROUP BY a.creator_id;
ALTER TABLE bf_pub ADD PRIMARY KEY (k);
SELECT bench_feeds.note('published_total',
       ((SELECT count(*) FROM creator_platform.posts p WHERE p.status = 'published')
        + (SELECT count(*) FROM creator_platform.posts_archive pa WHERE pa.status = 'published'))::text);
SELECT bench_feeds.note('publishing_creators', (SELECT count(*) FROM bf_pub)::text);

CREATE TEMP TABLE bf_follow (n int NOT NULL, creator_id uuid NOT NULL, PRIMARY KEY (n, creator_id));

-- Weighted sampling without replacement (Efraimidis-Spirakis: the n largest
-- u^(1/w), i.e. ln(u) / w): weight = output ^ alpha. alpha = 0 is a uniform
-- draw among creators that published, alpha = 1 follows in proportion to output.
CREATE FUNCTION pg_temp.bf_pick(p_n int, p_quick boolean) RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE
    alphas float8[] := ARRAY[0, 0.5, 1, 1.5, 2, 3, -0.5, -1, -2, -3];
    a float8;
    total float8 := (SELECT value::float8 FROM bench_feeds.notes WHERE key = 'published_total');
    n_posts bigint;
    s float8;
    tries text := '';
    best_a float8;
    best_gap float8 := 'infinity';
    ok boolean := false;
BEGIN
    IF (SELECT count(*) FROM bf_pub) < p_n THEN
        RAISE EXCEPTION 'feeds_setup: only % creators published, a reader cannot follow %', (SELECT count(*) FROM bf_pub), p_n;
    END IF;
    FOREACH a IN ARRAY alphas LOOP
        PERFORM setseed(0.5 + p_n / 100000.0);
        SELECT sum(x.n) INTO n_posts
          FROM (SELECT b.n FROM (SELECT p.n, ln(random()) / power(p.n::float8, a) AS key FROM bf_pub p ORDER BY p.k) AS b
                 ORDER BY b.key DESC LIMIT p_n) AS x;
        s := n_posts / total;
        tries := tries || format('%s%s=%s/%s%%', CASE WHEN tries = '' THEN '' ELSE ', ' END, a, n_posts,
                                 to_char(100 * s, 'FM990.000'));
        IF n_posts >= 1000 AND s BETWEEN 0.0005 AND 0.05 THEN
            best_a := a; ok := true;
            EXIT;
        END IF;
        -- quick mode: the closest to the window among the feeds long enough for page 50
        IF n_posts >= 1000 AND greatest(0.0005 - s, s - 0.05) < best_gap THEN
            best_gap := greatest(0.0005 - s, s - 0.05); best_a := a;
        END IF;
    END LOOP;
    IF NOT ok AND (NOT p_quick OR best_a IS NULL) THEN
        RAISE EXCEPTION 'feeds_setup: no draw of % creators gives a feed of >= 1,000 posts with a share in 0.05%%-5%% (tried alpha=posts/share: %)', p_n, tries;
    END IF;
    PERFORM setseed(0.5 + p_n / 100000.0);
    INSERT INTO bf_follow (n, creator_id)
    SELECT p_n, x.creator_id
      FROM (SELECT b.creator_id FROM (SELECT p.creator_id, ln(random()) / power(p.n::float8, best_a) AS key
                                        FROM bf_pub p ORDER BY p.k) AS b
             ORDER BY b.key DESC LIMIT p_n) AS x;
    INSERT INTO creator_platform.users (email, password_hash, username, bio, role, created_at, updated_at)
    VALUES (format('bench.reader.%s@example.com', p_n), '$2b$12$bench.reader.fake.hash.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
            format('bench_reader_%s', p_n), NULL, 'reader', now() - interval '900 days', now() - interval '900 days');
    INSERT INTO creator_platform.subscriptions (subscriber_id, creator_id, status, subscribed_at)
    SELECT r.id, f.creator_id, 'active', now() - interval '1 day' * (1 + row_number() OVER (ORDER BY f.creator_id) % 800)
      FROM bf_follow f
      JOIN creator_platform.users r ON r.username = format('bench_reader_%s', p_n)
     WHERE f.n = p_n
     ORDER BY f.creator_id;
    -- and one cancelled subscription, which must not count
    INSERT INTO creator_platform.subscriptions (subscriber_id, creator_id, status, subscribed_at, cancelled_at)
    SELECT r.id, p.creator_id, 'cancelled', now() - interval '500 days', now() - interval '100 days'
      FROM creator_platform.users r
     CROSS JOIN LATERAL (SELECT b.creator_id FROM bf_pub b
                          WHERE b.creator_id NOT IN (SELECT f.creator_id FROM bf_follow f WHERE f.n = p_n)
                          ORDER BY b.n DESC, b.k LIMIT 1) AS p
     WHERE r.username = format('bench_reader_%s', p_n);
    INSERT INTO bench_feeds.readers (n, reader_id, alpha, posts, share, in_window, tries)
    SELECT p_n, r.id, best_a, x.posts, x.posts / total, ok, tries
      FROM creator_platform.users r
     CROSS JOIN (SELECT sum(b.n) AS posts FROM bf_follow f JOIN bf_pub b ON b.creator_id = f.creator_id WHERE f.n = p_n) AS x
     WHERE r.username = format('bench_reader_%s', p_n);
    RETURN format('reader following %s creators: alpha %s, %s posts = %s%% of all published posts%s',
                  p_n, best_a, (SELECT r.posts FROM bench_feeds.readers r WHERE r.n = p_n),
                  to_char(100 * (SELECT r.share FROM bench_feeds.readers r WHERE r.n = p_n), 'FM990.000'),
                  CASE WHEN ok THEN '' ELSE ' (OUTSIDE the 0.05%-5% window: quick run)' END);
END
$fn$;

SELECT 'feeds_setup: ' || pg_temp.bf_pick(10, :quick::boolean) AS msg \gset
\echo :msg
SELECT 'feeds_setup: ' || pg_temp.bf_pick(100, :quick::boolean) AS msg \gset
\echo :msg
SELECT 'feeds_setup: ' || pg_temp.bf_pick(1000, :quick::boolean) AS msg \gset
\echo :msg
SELECT format('feeds_setup: %-28s %8s s', 'readers',
              to_char(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz), 'FM99990.0')) AS msg,
       clock_timestamp() AS t0 \gset
\echo :msg

--------------------------------------------------------------------------------
-- The recursive CTEs' index: without the path column, the top-level comments
-- of a post in time order need an index of their own (0.1.0 had one on
-- (post_id, created_at, id), replaced in 0.2.0 by (post_id, path)). The
-- function does not use it; the CTE side gets it so that it is the best CTE.
-- Replies are found with comments_parent_comment_id_idx (parent_comment_id,
-- created_at, id), which the extension has anyway.
--------------------------------------------------------------------------------
CREATE INDEX bench_feeds_comments_top_idx ON creator_platform.comments (post_id, created_at, id)
    WHERE parent_comment_id IS NULL;
SELECT format('feeds_setup: %-28s %8s s', 'index for the CTE side',
              to_char(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz), 'FM99990.0')) AS msg,
       clock_timestamp() AS t0 \gset
\echo :msg

--------------------------------------------------------------------------------
-- Measuring
--------------------------------------------------------------------------------
-- One EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON): server execution
-- time, planning time, and the shared buffers of the top plan node (for a
-- Function Scan they include what the function read through SPI: checked once
-- per run by bench_feeds.check_buffers). TIMING OFF: per-node clocks would
-- cost the SQL side (many nodes, many rows) more than the function's single
-- node; "Execution Time" is still measured, once, around the whole execution.
CREATE FUNCTION bench_feeds.explain_once(q text, OUT exec_ms float8, OUT plan_ms float8, OUT hit bigint,
                                         OUT read bigint) LANGUAGE plpgsql AS $$
DECLARE j json;
BEGIN
    EXECUTE 'EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON) ' || q INTO j;
    exec_ms := (j -> 0 ->> 'Execution Time')::float8;
    plan_ms := coalesce((j -> 0 ->> 'Planning Time')::float8, 0);
    hit := (j -> 0 -> 'Plan' ->> 'Shared Hit Blocks')::bigint;
    read := (j -> 0 -> 'Plan' ->> 'Shared Read Blocks')::bigint;
END
$$;

-- Column col of a query's rows, in order.
CREATE FUNCTION bench_feeds.first_col(q text, col text) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE a text[];
BEGIN
    EXECUTE format('SELECT coalesce(array_agg(x.v ORDER BY x.n), ''{}'') FROM (SELECT (row_to_json(q) ->> %L) AS v, row_number() OVER () AS n FROM (%s) AS q) AS x', col, q)
       INTO a;
    RETURN a;
END
$$;

-- Every side of every case returns the same ids in the same order as the
-- function, and the function a full page: an error otherwise.
CREATE FUNCTION bench_feeds.verify(p_bench text) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    c record;
    f text[];
    o text[];
    n int := 0;
BEGIN
    FOR c IN SELECT cs.case_key, cs.side, cs.q,
                    (SELECT f2.q FROM bench_feeds.cases f2 WHERE f2.bench = cs.bench AND f2.case_key = cs.case_key
                        AND f2.side = 'function') AS fq,
                    bench_feeds.fix(cs.bench || '_page_size')::int AS page_size,
                    bench_feeds.fix(cs.bench || '_id_column') AS id_col
               FROM bench_feeds.cases cs WHERE cs.bench = p_bench AND cs.side <> 'function'
              ORDER BY cs.case_ord, cs.side_ord LOOP
        f := bench_feeds.first_col(c.fq, c.id_col);
        IF cardinality(f) <> c.page_size THEN
            RAISE EXCEPTION 'bench_feeds.verify: %/%: the function returned % rows, not a full page of %',
                p_bench, c.case_key, cardinality(f), c.page_size;
        END IF;
        o := bench_feeds.first_col(c.q, c.id_col);
        IF o IS DISTINCT FROM f THEN
            RAISE EXCEPTION 'bench_feeds.verify: %/%: side % returns other ids than the function', p_bench, c.case_key, c.side
                USING DETAIL = format('function: %s ... %s (%s rows); %s: %s ... %s (%s rows); first difference at row %s',
                                      f[1], f[cardinality(f)], cardinality(f), c.side, o[1], o[cardinality(o)], cardinality(o),
                                      (SELECT min(i) FROM generate_series(1, greatest(cardinality(f), cardinality(o))) i
                                        WHERE f[i] IS DISTINCT FROM o[i]));
        END IF;
        n := n + 1;
    END LOOP;
    RETURN n;
END
$$;

-- Each group of cases (both pages of one reader, of the big creator, of one
-- thread) is measured in a session of its own (bench/feeds.sh starts one per
-- group), so that no group inherits another's plan cache. First each of the
-- group's function calls runs 6 times: a long-lived backend (behind a pool)
-- has its SPI statements past the plan cache's first 5 custom plans, as an
-- application's prepared statements would be (the SQL side's planning is
-- outside EXPLAIN's Execution Time anyway). Then p_warmups + p_reps runs of
-- every side of every case of the group, taking turns (in a new random order
-- every run, so that a drift of the machine's speed hits all alike, also page 1
-- against the deep page), each EXPLAIN in its own transaction, as an
-- application's call would be (the function reads its cursor key once per
-- transaction), and each right after an unrecorded EXPLAIN of the same
-- statement: a 30 ms query evicts enough of the CPU caches to make a 0.2 ms
-- one that follows it up to twice as slow, whichever side it is. Medians are taken over the runs after the warm-ups: at least
-- p_reps, more for fast groups (as many as fit in about 2 s, up to 10 * p_reps).
CREATE PROCEDURE bench_feeds.session_warmup(p_bench text, p_grp text) LANGUAGE plpgsql AS $$
DECLARE
    c record;
    cnt bigint;
BEGIN
    FOR c IN SELECT cs.q FROM bench_feeds.cases cs
              WHERE cs.bench = p_bench AND cs.grp = p_grp AND cs.side = 'function' ORDER BY cs.case_ord LOOP
        FOR i IN 1 .. 6 LOOP
            EXECUTE 'SELECT count(*) FROM (' || c.q || ') AS bench_feeds_session_warmup' INTO cnt;
            COMMIT;
        END LOOP;
    END LOOP;
END
$$;

CREATE PROCEDURE bench_feeds.measure(p_bench text, p_grp text, p_warmups int, p_reps int) LANGUAGE plpgsql AS $$
DECLARE
    reps int;
    r int;
    case_keys text[];
    sides text[];
    qs text[];
    perm int[];
    n int;
    k int;
    m record;
BEGIN
    CALL bench_feeds.session_warmup(p_bench, p_grp);
    SELECT array_agg(cs.case_key ORDER BY cs.case_ord, cs.side_ord), array_agg(cs.side ORDER BY cs.case_ord, cs.side_ord),
           array_agg(cs.q ORDER BY cs.case_ord, cs.side_ord)
      INTO case_keys, sides, qs
      FROM bench_feeds.cases cs WHERE cs.bench = p_bench AND cs.grp = p_grp;
    n := cardinality(sides);
    IF n IS NULL THEN RAISE EXCEPTION 'bench_feeds.measure: no group %/%', p_bench, p_grp; END IF;
    reps := p_reps;
    r := 0;
    PERFORM setseed(0.25);
    WHILE r < p_warmups + reps LOOP
        r := r + 1;
        -- a new order every run: a side never always follows the same other one
        SELECT array_agg(x.i ORDER BY random()) INTO perm FROM generate_series(1, n) AS x(i);
        FOREACH k IN ARRAY perm LOOP
            -- primed: the same statement once just before, unrecorded, so that
            -- the measured run finds the CPU caches as its own work leaves them,
            -- not as the previous (maybe 100 times heavier) side left them
            m := bench_feeds.explain_once(qs[k]);
            COMMIT;
            m := bench_feeds.explain_once(qs[k]);
            INSERT INTO bench_feeds.results (bench, case_key, side, rep, warmup, exec_ms, plan_ms, hit, read)
            VALUES (p_bench, case_keys[k], sides[k], r, r <= p_warmups, m.exec_ms, m.plan_ms, m.hit, m.read);
            COMMIT;
        END LOOP;
        -- fast groups are at the mercy of scheduling noise: more runs, as many as
        -- fit in about 2 s of measured execution, up to 10 * p_reps
        IF r = p_warmups THEN
            reps := greatest(p_reps, least(10 * p_reps,
                        ceil(2000 / greatest(0.001, (SELECT sum(x.exec_ms) FROM bench_feeds.results x
                                                      WHERE x.bench = p_bench AND x.case_key = ANY (case_keys)
                                                        AND x.rep = r)))::int));
        END IF;
    END LOOP;
END
$$;

-- One EXPLAIN (ANALYZE, BUFFERS) in text, with per-node timing, of every side
-- of a group's cases (after measure, in the same session).
CREATE PROCEDURE bench_feeds.capture_plans(p_bench text, p_grp text) LANGUAGE plpgsql AS $$
DECLARE
    c record;
    line text;
    p text;
BEGIN
    FOR c IN SELECT cs.case_key, cs.side, cs.q FROM bench_feeds.cases cs WHERE cs.bench = p_bench AND cs.grp = p_grp
              ORDER BY cs.case_ord, cs.side_ord LOOP
        p := '';
        FOR line IN EXECUTE 'EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) ' || c.q LOOP
            p := p || line || E'\n';
        END LOOP;
        INSERT INTO bench_feeds.plans (bench, case_key, side, plan) VALUES (p_bench, c.case_key, c.side, p)
        ON CONFLICT (bench, case_key, side) DO UPDATE SET plan = EXCLUDED.plan;
        COMMIT;
    END LOOP;
END
$$;

-- What one call of the function runs through SPI: pg_stat_statements with
-- track = all records the nested statements (calls, rows, time, buffers).
CREATE FUNCTION bench_feeds.statement_label(query text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN q LIKE 'SELECT s.creator_id FROM creator_platform.subscriptions s%' THEN 'followed creator ids'
        WHEN q LIKE 'SELECT a.creator_id, a.last_published_at FROM creator_platform.creator_activity%' THEN 'last_published_at of the followed'
        WHEN q LIKE '%creator_activity%' THEN 'followed creators + last_published_at'
        WHEN q LIKE '%ANY ($1)%' THEN 'page rows by id'
        WHEN q LIKE 'SELECT p.published_at, p.id, p.creator_id%' THEN 'global index walk (chunk)'
        WHEN q LIKE 'SELECT p.published_at, p.id FROM%' THEN 'per-creator key probe'
        WHEN q LIKE '%u.username, $2::uuid IS NOT NULL%' THEN 'creator name + viewer rights'
        WHEN q LIKE '%l.creator_id OPERATOR(pg_catalog.=) $1%' THEN 'creator page'
        WHEN q LIKE '%l.path OPERATOR%' THEN 'thread page (path range)'
        WHEN q LIKE 'SELECT 1 FROM creator_platform.posts p WHERE%' THEN 'post is published'
        ELSE left(q, 70)
    END
      FROM (SELECT regexp_replace(query, '\s+', ' ', 'g') AS q) AS n
$$;

-- After measure, in the same session (the plan cache as measured).
CREATE PROCEDURE bench_feeds.profile_spi(p_bench text, p_grp text) LANGUAGE plpgsql AS $$
DECLARE
    c record;
    cnt bigint;
BEGIN
    FOR c IN SELECT cs.case_key, cs.q FROM bench_feeds.cases cs
              WHERE cs.bench = p_bench AND cs.grp = p_grp AND cs.side = 'function' ORDER BY cs.case_ord LOOP
        PERFORM set_config('pg_stat_statements.track', 'all', false);
        PERFORM pg_stat_statements_reset();
        EXECUTE 'SELECT count(*) FROM (' || c.q || ') AS bench_feeds_profile' INTO cnt;
        PERFORM set_config('pg_stat_statements.track', 'top', false);
        DELETE FROM bench_feeds.spi s WHERE s.bench = p_bench AND s.case_key = c.case_key;
        INSERT INTO bench_feeds.spi (bench, case_key, statement, calls, rows, exec_ms, blks, query)
        SELECT p_bench, c.case_key, bench_feeds.statement_label(s.query), s.calls, s.rows, s.total_exec_time,
               s.shared_blks_hit + s.shared_blks_read, s.query
          FROM pg_stat_statements s
         WHERE NOT s.toplevel AND s.dbid = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())
           AND s.query LIKE '%creator_platform.%' AND s.query NOT LIKE '%bench_feeds%';
        -- the call itself, for the total
        INSERT INTO bench_feeds.spi (bench, case_key, statement, calls, rows, exec_ms, blks, query)
        SELECT p_bench, c.case_key, '(the whole call)', s.calls, cnt, s.total_exec_time,
               s.shared_blks_hit + s.shared_blks_read, s.query
          FROM pg_stat_statements s
         WHERE NOT s.toplevel AND s.dbid = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())
           AND s.query LIKE '%bench_feeds_profile%';
        COMMIT;
        -- once more with auto_explain (if the session loaded it): the plan of
        -- every statement the call ran, as NOTICEs to the client
        IF current_setting('auto_explain.log_min_duration', true) IS NOT NULL THEN
            RAISE NOTICE '==== % % (auto_explain of one call, nested statements included) ====', p_bench, c.case_key;
            PERFORM set_config('auto_explain.log_level', 'notice', false);
            PERFORM set_config('auto_explain.log_nested_statements', 'on', false);
            PERFORM set_config('auto_explain.log_analyze', 'on', false);
            PERFORM set_config('auto_explain.log_buffers', 'on', false);
            PERFORM set_config('auto_explain.log_min_duration', '0', false);
            EXECUTE 'SELECT count(*) FROM (' || c.q || ') AS bench_feeds_profile_plans' INTO cnt;
            PERFORM set_config('auto_explain.log_min_duration', '-1', false);
            COMMIT;
        END IF;
    END LOOP;
END
$$;

-- Do the top plan node's buffers of EXPLAIN include what a C function reads
-- through SPI? In a fresh session, after the same warm-up as measure, one
-- EXPLAIN of a side against the same statement run once more without EXPLAIN,
-- as pg_stat_statements counts it (track = all: the statement is nested in
-- this procedure; its counters include its own nested statements).
CREATE TABLE bench_feeds.buffer_check (
    bench text NOT NULL, case_key text NOT NULL, side text NOT NULL,
    explain_blks bigint NOT NULL, pgss_blks bigint NOT NULL, spi_blks bigint NOT NULL,
    explain_ms float8 NOT NULL, pgss_ms float8 NOT NULL
);
CREATE PROCEDURE bench_feeds.check_buffers(p_bench text, p_case text, p_side text) LANGUAGE plpgsql AS $$
DECLARE
    q text := (SELECT cs.q FROM bench_feeds.cases cs WHERE cs.bench = p_bench AND cs.case_key = p_case AND cs.side = p_side);
    g text;
    m record;
    cnt bigint;
BEGIN
    IF q IS NULL THEN RAISE EXCEPTION 'bench_feeds.check_buffers: no case %/%/%', p_bench, p_case, p_side; END IF;
    SELECT cs.grp INTO g FROM bench_feeds.cases cs WHERE cs.bench = p_bench AND cs.case_key = p_case AND cs.side = p_side;
    CALL bench_feeds.session_warmup(p_bench, g);
    FOR i IN 1 .. 2 LOOP
        EXECUTE 'SELECT count(*) FROM (' || q || ') AS bench_feeds_check_warmup' INTO cnt;
    END LOOP;
    m := bench_feeds.explain_once(q);
    PERFORM set_config('pg_stat_statements.track', 'all', false);
    PERFORM pg_stat_statements_reset();
    EXECUTE q || ' /* bench_feeds_check */';
    PERFORM set_config('pg_stat_statements.track', 'top', false);
    INSERT INTO bench_feeds.buffer_check (bench, case_key, side, explain_blks, pgss_blks, spi_blks, explain_ms, pgss_ms)
    SELECT p_bench, p_case, p_side, m.hit + m.read, s.shared_blks_hit + s.shared_blks_read,
           coalesce((SELECT sum(n.shared_blks_hit + n.shared_blks_read) FROM pg_stat_statements n
                      WHERE NOT n.toplevel AND n.dbid = s.dbid AND n.query LIKE '%creator_platform.%'
                        AND n.query NOT LIKE '%bench_feeds%'), 0),
           m.exec_ms, s.total_exec_time
      FROM pg_stat_statements s
     WHERE NOT s.toplevel AND s.dbid = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())
       AND s.query LIKE '%bench_feeds_check */' AND s.calls = 1;
    IF NOT FOUND THEN RAISE EXCEPTION 'bench_feeds.check_buffers: pg_stat_statements did not record the statement'; END IF;
    COMMIT;
END
$$;
