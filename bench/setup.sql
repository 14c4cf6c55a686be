-- bench/setup.sql: the comment-insert benchmark's fixtures (bench/run.sh runs it).
--
--   psql -X -v ON_ERROR_STOP=1 -v bulk_rows=10000 -d bench -f bench/setup.sql
--
-- Run after bench/generate.sql (and before bench/plpgsql_threading.sql, which
-- copies the same data). Creates schema bench with:
--   comments_plain   side B: LIKE creator_platform.comments INCLUDING ALL (columns,
--                    defaults, CHECKs, indexes) + the same foreign keys, no triggers,
--                    and a copy of the same rows
--   user_ids, top_targets, reply_targets
--                    the random choices of the pgbench scripts, by number k
--   bulk_rows        the 10,000 comments of the bulk INSERT ... SELECT
--   marks            ids at setup: bench.reset() deletes everything newer
--   results, notes   measurements and facts for the report
--   reset(), bulk_once(), profile_single(), profile_bulk()

\set ON_ERROR_STOP on
\if :{?bulk_rows}
\else
\set bulk_rows 10000
\endif
SET client_min_messages = warning;

-- Side A's tables were written by generate.sql (with its counter UPDATEs):
-- compact them so that A, B and C start from equally packed tables.
VACUUM (FULL, ANALYZE) creator_platform.posts, creator_platform.comments;

DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;

--------------------------------------------------------------------------------
-- Side B: the plain table
--------------------------------------------------------------------------------
CREATE TABLE bench.comments_plain (LIKE creator_platform.comments INCLUDING ALL);
ALTER TABLE bench.comments_plain
    ADD CONSTRAINT comments_plain_post_id_fkey FOREIGN KEY (post_id) REFERENCES creator_platform.posts (id)
        ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    ADD CONSTRAINT comments_plain_user_id_fkey FOREIGN KEY (user_id) REFERENCES creator_platform.users (id)
        ON DELETE SET NULL,
    ADD CONSTRAINT comments_plain_parent_comment_id_fkey FOREIGN KEY (parent_comment_id)
        REFERENCES bench.comments_plain (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED;
INSERT INTO bench.comments_plain (id, post_id, user_id, parent_comment_id, content, created_at, depth,
                                  reply_count, deleted_at, path)
SELECT c.id, c.post_id, c.user_id, c.parent_comment_id, c.content, c.created_at, c.depth,
       c.reply_count, c.deleted_at, c.path
  FROM creator_platform.comments c
 ORDER BY c.id;

--------------------------------------------------------------------------------
-- Random choices, numbered 1..n for pgbench's \set k random(1, n)
--------------------------------------------------------------------------------
CREATE TABLE bench.user_ids (k integer PRIMARY KEY, user_id uuid NOT NULL);
INSERT INTO bench.user_ids (k, user_id)
SELECT row_number() OVER (ORDER BY u.id), u.id FROM creator_platform.users u;

-- New top-level comments go to the post of a random existing comment: posts are
-- drawn in proportion to the comments they already have (the generator's Zipf
-- skew), so popular posts get most new comments, as on a real platform.
CREATE TABLE bench.top_targets (k integer PRIMARY KEY, post_id uuid NOT NULL);
INSERT INTO bench.top_targets (k, post_id)
SELECT row_number() OVER (ORDER BY c.id), c.post_id
  FROM creator_platform.comments c
  JOIN creator_platform.posts p ON p.id = c.post_id
 WHERE p.status = 'published';

-- Replies go to a random live comment (its post is published by construction).
CREATE TABLE bench.reply_targets (k integer PRIMARY KEY, post_id uuid NOT NULL, parent_id uuid NOT NULL,
                                  parent_depth integer NOT NULL, parent_path text NOT NULL);
INSERT INTO bench.reply_targets (k, post_id, parent_id, parent_depth, parent_path)
SELECT row_number() OVER (ORDER BY c.id), c.post_id, c.id, c.depth, encode(c.path, 'hex')
  FROM creator_platform.comments c
  JOIN creator_platform.posts p ON p.id = c.post_id
 WHERE p.status = 'published' AND c.deleted_at IS NULL
   AND c.depth < coalesce(current_setting('creator_platform.max_comment_depth', true), '64')::integer;

-- The bulk INSERT ... SELECT: odd n top-level, even n replies, fixed for every run.
SELECT setseed(0.17) \gset
CREATE TABLE bench.bulk_rows (n integer PRIMARY KEY, post_id uuid NOT NULL, user_id uuid NOT NULL,
                              parent_id uuid, parent_depth integer NOT NULL, parent_path bytea NOT NULL,
                              content text NOT NULL);
WITH pick AS MATERIALIZED (
    SELECT g AS n,
           1 + floor(random() * (SELECT count(*) FROM bench.top_targets))::int AS kt,
           1 + floor(random() * (SELECT count(*) FROM bench.reply_targets))::int AS kr,
           1 + floor(random() * (SELECT count(*) FROM bench.user_ids))::int AS ku
      FROM generate_series(1, :bulk_rows) AS g
)
INSERT INTO bench.bulk_rows (n, post_id, user_id, parent_id, parent_depth, parent_path, content)
SELECT pk.n,
       CASE WHEN pk.n % 2 = 1 THEN t.post_id ELSE r.post_id END,
       u.user_id,
       CASE WHEN pk.n % 2 = 1 THEN NULL ELSE r.parent_id END,
       CASE WHEN pk.n % 2 = 1 THEN -1 ELSE r.parent_depth END,
       CASE WHEN pk.n % 2 = 1 THEN '\x'::bytea ELSE decode(r.parent_path, 'hex') END,
       'Great post, thanks for sharing! Could you say more about the second step? #' || pk.n
  FROM pick pk
  JOIN bench.top_targets t ON t.k = pk.kt
  JOIN bench.reply_targets r ON r.k = pk.kr
  JOIN bench.user_ids u ON u.k = pk.ku
 ORDER BY pk.n;

--------------------------------------------------------------------------------
-- Marks, results
--------------------------------------------------------------------------------
CREATE TABLE bench.marks AS
SELECT (SELECT c.id FROM creator_platform.comments c ORDER BY c.id DESC LIMIT 1) AS max_comment_id,
       (SELECT coalesce(max(e.id), 0) FROM creator_platform.events e) AS max_event_id;

CREATE TABLE bench.results (
    bench   text NOT NULL,     -- single, bulk, profile_single, profile_bulk, uuid_load, uuid_pgbench
    side    text NOT NULL,     -- A, B, C; v7, v4
    clients integer NOT NULL DEFAULT 1,
    rep     integer NOT NULL DEFAULT 1,
    metric  text NOT NULL,
    value   double precision,
    at      timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TABLE bench.notes (key text PRIMARY KEY, value text NOT NULL);

--------------------------------------------------------------------------------
-- reset(): back to the rows of setup (all sides); VACUUM afterwards, outside
--------------------------------------------------------------------------------
CREATE PROCEDURE bench.reset() LANGUAGE plpgsql AS $$
DECLARE
    m bench.marks;
BEGIN
    SELECT * INTO m FROM bench.marks;
    DELETE FROM creator_platform.comments c WHERE c.id > m.max_comment_id;
    DELETE FROM creator_platform.events e WHERE e.id > m.max_event_id;
    DELETE FROM bench.comments_plain c WHERE c.id > m.max_comment_id;
    IF to_regclass('bench_plpgsql.comments') IS NOT NULL THEN
        DELETE FROM bench_plpgsql.comments c WHERE c.id > m.max_comment_id;
        DELETE FROM bench_plpgsql.events e;
    END IF;
END
$$;

--------------------------------------------------------------------------------
-- The INSERT statements of each side, for bulk_once() and profile_*()
--   A: creator_platform.comments, the C++ triggers compute depth and path
--   B: bench.comments_plain, the statement supplies id, created_at, depth = the
--      parent's depth + 1 and path = parent's path || key (what the triggers
--      would compute, from values the client already has)
--   C: bench_plpgsql.comments, the PL/pgSQL triggers compute depth and path
--------------------------------------------------------------------------------
CREATE FUNCTION bench.insert_sql(side text, src text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
SELECT CASE side
    WHEN 'A' THEN format('INSERT INTO creator_platform.comments (post_id, user_id, parent_comment_id, content) '
                         'SELECT s.post_id, s.user_id, s.parent_id, s.content FROM (%s) s', src)
    WHEN 'C' THEN format('INSERT INTO bench_plpgsql.comments (post_id, user_id, parent_comment_id, content) '
                         'SELECT s.post_id, s.user_id, s.parent_id, s.content FROM (%s) s', src)
    WHEN 'B' THEN format('INSERT INTO bench.comments_plain (id, post_id, user_id, parent_comment_id, content, '
                         'created_at, depth, path) '
                         'SELECT v.id, v.post_id, v.user_id, v.parent_id, v.content, v.ts, v.parent_depth + 1, '
                         'v.parent_path || int8send(((extract(epoch FROM v.ts) - 946684800) * 1000000)::bigint '
                         '# (-9223372036854775808)::bigint) || uuid_send(v.id) '
                         'FROM (SELECT s.*, creator_platform.uuid_generate_v7() AS id, now() AS ts '
                         'FROM (%s) s) v', src)
END $$;

-- One bulk INSERT ... SELECT of all bench.bulk_rows, committed; records the
-- statement time (BEFORE row triggers, AFTER statement triggers), the commit time
-- (deferred foreign key checks, NOTIFY queue, WAL flush) and the WAL written.
CREATE PROCEDURE bench.bulk_once(p_side text, p_rep integer) LANGUAGE plpgsql AS $$
DECLARE
    stmt text := bench.insert_sql(p_side,
        'SELECT b.n, b.post_id, b.user_id, b.parent_id, b.parent_depth, b.parent_path, b.content '
        'FROM bench.bulk_rows b ORDER BY b.n');
    t0 timestamptz; t1 timestamptz; t2 timestamptz;
    w0 pg_lsn; w1 pg_lsn;
    n bigint;
BEGIN
    w0 := pg_current_wal_lsn();
    t0 := clock_timestamp();
    EXECUTE stmt;
    GET DIAGNOSTICS n = ROW_COUNT;
    t1 := clock_timestamp();
    COMMIT;
    t2 := clock_timestamp();
    w1 := pg_current_wal_lsn();
    INSERT INTO bench.results (bench, side, rep, metric, value) VALUES
        ('bulk', p_side, p_rep, 'rows', n),
        ('bulk', p_side, p_rep, 'stmt_ms', extract(epoch FROM t1 - t0) * 1000),
        ('bulk', p_side, p_rep, 'commit_ms', extract(epoch FROM t2 - t1) * 1000),
        ('bulk', p_side, p_rep, 'total_ms', extract(epoch FROM t2 - t0) * 1000),
        ('bulk', p_side, p_rep, 'wal_bytes', pg_wal_lsn_diff(w1, w0));
    COMMIT;
END
$$;

-- EXPLAIN (ANALYZE) of p_n single top-level and p_n single reply INSERTs (rows
-- of bench.bulk_rows), with the foreign keys checked at statement end so that
-- their cost shows: medians per trigger, of the Insert node (BEFORE row
-- triggers included) and of the execution time. The rows stay (reset() after).
CREATE FUNCTION bench.profile_single(p_side text, p_n integer)
RETURNS TABLE (kind text, item text, median_ms double precision, n integer)
LANGUAGE plpgsql AS $$
DECLARE
    r record;
    plan json;
    t json;
    k text;
BEGIN
    CREATE TEMP TABLE IF NOT EXISTS profile_samples (kind text, item text, ms double precision);
    TRUNCATE profile_samples;
    SET CONSTRAINTS ALL IMMEDIATE;
    FOR r IN SELECT b.n FROM bench.bulk_rows b WHERE b.n <= 2 * p_n ORDER BY b.n LOOP
        k := CASE WHEN r.n % 2 = 1 THEN 'top' ELSE 'reply' END;
        EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON) '
                || bench.insert_sql(p_side, format('SELECT b.n, b.post_id, b.user_id, b.parent_id, b.parent_depth, '
                                                   'b.parent_path, b.content FROM bench.bulk_rows b WHERE b.n = %s', r.n))
           INTO plan;
        INSERT INTO profile_samples VALUES
            (k, 'execution time', (plan -> 0 ->> 'Execution Time')::float8),
            (k, 'Insert node (incl. BEFORE row triggers)', (plan -> 0 -> 'Plan' ->> 'Actual Total Time')::float8);
        FOR t IN SELECT json_array_elements(coalesce(plan -> 0 -> 'Triggers', '[]'::json)) LOOP
            INSERT INTO profile_samples VALUES
                (k, coalesce('FK ' || (t ->> 'Constraint Name'), 'trigger ' || (t ->> 'Trigger Name')),
                 (t ->> 'Time')::float8);
        END LOOP;
    END LOOP;
    RETURN QUERY
    SELECT s.kind, s.item, percentile_cont(0.5) WITHIN GROUP (ORDER BY s.ms), count(*)::integer
      FROM profile_samples s GROUP BY s.kind, s.item;
END
$$;

-- EXPLAIN (ANALYZE) of one bulk INSERT ... SELECT (foreign keys at statement end).
CREATE FUNCTION bench.profile_bulk(p_side text)
RETURNS TABLE (item text, ms double precision)
LANGUAGE plpgsql AS $$
DECLARE
    plan json;
BEGIN
    SET CONSTRAINTS ALL IMMEDIATE;
    EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON) '
            || bench.insert_sql(p_side, 'SELECT b.n, b.post_id, b.user_id, b.parent_id, b.parent_depth, '
                                        'b.parent_path, b.content FROM bench.bulk_rows b ORDER BY b.n')
       INTO plan;
    RETURN QUERY
    SELECT 'execution time', (plan -> 0 ->> 'Execution Time')::float8
    UNION ALL
    SELECT 'Insert node (incl. BEFORE row triggers)', (plan -> 0 -> 'Plan' ->> 'Actual Total Time')::float8
    UNION ALL
    SELECT coalesce('FK ' || (t ->> 'Constraint Name'), 'trigger ' || (t ->> 'Trigger Name')), (t ->> 'Time')::float8
      FROM json_array_elements(coalesce(plan -> 0 -> 'Triggers', '[]'::json)) AS t;
END
$$;

VACUUM (ANALYZE) bench.comments_plain, bench.user_ids, bench.top_targets, bench.reply_targets, bench.bulk_rows;

-- What the pgbench backends are doing, sampled from pg_stat_activity every
-- p_interval seconds for p_seconds: counts per state and wait event, recorded
-- at the end (nothing is written while sampling; each sample runs in its own
-- short transaction, so no snapshot is held across the run).
CREATE PROCEDURE bench.sample_waits(p_side text, p_clients integer, p_rep integer, p_seconds double precision,
                                    p_interval double precision DEFAULT 0.05)
LANGUAGE plpgsql AS $$
DECLARE
    t_end timestamptz := clock_timestamp() + make_interval(secs => p_seconds);
    counts jsonb := '{}';
    a record;
BEGIN
    WHILE clock_timestamp() < t_end LOOP
        FOR a IN
            SELECT coalesce(s.state, '?') || '|' || coalesce(s.wait_event_type || ':' || s.wait_event, 'CPU') AS k
              FROM pg_stat_activity s
             WHERE s.application_name = 'pgbench' AND s.backend_type = 'client backend'
        LOOP
            counts := counts || jsonb_build_object(a.k, coalesce((counts ->> a.k)::integer, 0) + 1);
        END LOOP;
        COMMIT;
        PERFORM pg_sleep(p_interval);
    END LOOP;
    INSERT INTO bench.results (bench, side, clients, rep, metric, value)
    SELECT 'waits', p_side, p_clients, p_rep, e.key, e.value::float8 FROM jsonb_each_text(counts) AS e;
    COMMIT;
END
$$;
