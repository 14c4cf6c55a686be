-- bench/report.sql: docs/benchmarks.md from bench.results and bench.notes
-- (bench/run.sh runs it with psql -At). Every figure below is a measurement of
-- the run that wrote the notes; medians over the runs of each side.

\set ON_ERROR_STOP on
\pset footer off
SET client_min_messages = warning;

SELECT max(value) FILTER (WHERE key = 'mode') AS mode,
       max(value) FILTER (WHERE key = 'command') AS command,
       max(value) FILTER (WHERE key = 'date') AS date,
       max(value) FILTER (WHERE key = 'nproc') AS nproc,
       max(value) FILTER (WHERE key = 'cpu') AS cpu,
       max(value) FILTER (WHERE key = 'mem') AS mem,
       max(value) FILTER (WHERE key = 'pg_version') AS pg_version,
       max(value) FILTER (WHERE key = 'ext_version') AS ext_version,
       max(value) FILTER (WHERE key = 'git') AS git,
       max(value) FILTER (WHERE key = 'loadavg_start') AS loadavg_start,
       max(value) FILTER (WHERE key = 'loadavg_end') AS loadavg_end,
       max(value) FILTER (WHERE key = 'settings') AS settings,
       max(value) FILTER (WHERE key = 'sizes') AS sizes,
       max(value) FILTER (WHERE key = 'data') AS data,
       max(value) FILTER (WHERE key = 'triggers_A') AS triggers_a,
       max(value) FILTER (WHERE key = 'triggers_C') AS triggers_c,
       max(value) FILTER (WHERE key = 'duration') AS duration
  FROM bench.notes \gset

-- Results plus derived per-run figures: the INSERT latency and server time of
-- the half top-level / half reply mix.
CREATE TEMP TABLE r AS SELECT bench, side, clients, rep, metric, value FROM bench.results;
INSERT INTO r
SELECT 'single', side, clients, rep, 'lat_insert_mix',
       (max(value) FILTER (WHERE metric = 'lat_insert_top') * max(value) FILTER (WHERE metric = 'calls_top')
        + max(value) FILTER (WHERE metric = 'lat_insert_reply') * max(value) FILTER (WHERE metric = 'calls_reply'))
       / (max(value) FILTER (WHERE metric = 'calls_top') + max(value) FILTER (WHERE metric = 'calls_reply'))
  FROM bench.results WHERE bench = 'single' GROUP BY side, clients, rep;
INSERT INTO r
SELECT 'single', side, clients, rep, 'exec_ms_mix',
       (max(value) FILTER (WHERE metric = 'exec_ms_top') * max(value) FILTER (WHERE metric = 'calls_top')
        + max(value) FILTER (WHERE metric = 'exec_ms_reply') * max(value) FILTER (WHERE metric = 'calls_reply'))
       / (max(value) FILTER (WHERE metric = 'calls_top') + max(value) FILTER (WHERE metric = 'calls_reply'))
  FROM bench.results WHERE bench = 'single' GROUP BY side, clients, rep;
INSERT INTO r
SELECT 'single', side, clients, rep, 'wal_bytes_per_xact',
       max(value) FILTER (WHERE metric = 'wal_bytes_total') / max(value) FILTER (WHERE metric = 'xacts')
  FROM bench.results WHERE bench = 'single' GROUP BY side, clients, rep;
INSERT INTO r
SELECT 'bulk', side, clients, rep, 'rows_per_s',
       max(value) FILTER (WHERE metric = 'rows') / max(value) FILTER (WHERE metric = 'total_ms') * 1000
  FROM bench.results WHERE bench = 'bulk' GROUP BY side, clients, rep;
-- uuid: differences of the counters around each load (rep 0) and pgbench run (rep n)
INSERT INTO r
SELECT 'uuid_delta', b.side, 1,
       CASE WHEN b.phase = 'load' THEN 0 ELSE substr(b.phase, 4)::int END, b.m, a.value - b.value
  FROM (SELECT side, replace(split_part(metric, ':', 1), '_before', '') AS phase,
               split_part(metric, ':', 2) AS m, value
          FROM bench.results WHERE bench = 'uuid_stats' AND split_part(metric, ':', 1) LIKE '%\_before') AS b
  JOIN (SELECT side, replace(split_part(metric, ':', 1), '_after', '') AS phase,
               split_part(metric, ':', 2) AS m, value
          FROM bench.results WHERE bench = 'uuid_stats' AND split_part(metric, ':', 1) LIKE '%\_after') AS a
    ON a.side = b.side AND a.phase = b.phase AND a.m = b.m;
INSERT INTO r
SELECT 'uuid_pgbench', p.side, p.clients, p.rep, 'per_row_' || d.metric, d.value / nullif(p.value, 0)
  FROM r p
  JOIN r d ON d.bench = 'uuid_delta' AND d.side = p.side AND d.rep = p.rep
 WHERE p.bench = 'uuid_pgbench' AND p.metric = 'rows';


-- medians over the runs, number formatting, ratios
CREATE FUNCTION pg_temp.med(b text, s text, c integer, m text) RETURNS double precision LANGUAGE sql STABLE AS $$
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY r.value) FROM r
     WHERE r.bench = b AND r.side = s AND r.clients = c AND r.metric = m AND r.value IS NOT NULL
$$;
CREATE FUNCTION pg_temp.med(b text, s text, m text) RETURNS double precision LANGUAGE sql STABLE AS $$
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY r.value) FROM r
     WHERE r.bench = b AND r.side = s AND r.metric = m AND r.value IS NOT NULL
$$;
CREATE FUNCTION pg_temp.runs(b text, s text, m text) RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT count(*) FROM r WHERE r.bench = b AND r.side = s AND r.metric = m AND r.value IS NOT NULL
$$;
CREATE FUNCTION pg_temp.n(x double precision, d integer) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN x IS NULL THEN 'n/a'
                ELSE to_char(x, 'FM999,999,999,990' || CASE WHEN d > 0 THEN '.' || repeat('0', d) ELSE '' END) END
$$;
CREATE FUNCTION pg_temp.x(a double precision, b double precision) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN a IS NULL OR b IS NULL OR b = 0 THEN 'n/a'
                WHEN a / b >= 100 THEN to_char(a / b, 'FM999,999,990') || '×'
                ELSE to_char(a / b, 'FM990.00') || '×' END
$$;
CREATE FUNCTION pg_temp.goal(ratio double precision) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN ratio IS NULL THEN 'n/a'
                WHEN ratio <= 1.5 THEN 'within the 1.5× goal'
                ELSE 'over the 1.5× goal by ' || round(((ratio / 1.5 - 1) * 100)::numeric) || '%' END
$$;

SELECT CASE WHEN :'mode' = 'quick' THEN
E'# Benchmarks (QUICK RUN)\n\n'
 || E'> **Quick run** (`' || :'command' || E'`): small sizes and short runs, a smoke test of the\n'
 || E'> benchmark scripts. The figures are indicative only; `make bench` (the full run, about 15 minutes)\n'
 || E'> replaces this file.\n'
ELSE E'# Benchmarks\n' END;
SELECT 'Made by `' || :'command' || '` (bench/run.sh) on ' || :'date' || ', in ' || :'duration' || E'.\n';
\echo '| | |'
\echo '|---|---|'
SELECT '| machine | ' || :'nproc' || ' cores (' || :'cpu' || '), ' || :'mem' || ' RAM |';
SELECT '| PostgreSQL | ' || :'pg_version' || ' |';
SELECT '| creator_platform | ' || :'ext_version' || ', git ' || :'git' || ' |';
SELECT '| server | a throwaway cluster started by the run: ' || :'settings' || '; pg_stat_statements preloaded |';
SELECT '| sizes | ' || :'sizes' || ' |';
\echo '| scripts | bench/run.sh (driver), bench/setup.sql (side B, targets, timing procedures), bench/plpgsql_threading.sql (side C), bench/uuid_setup.sql, bench/pgbench/*.sql, bench/report.sql (this page); full run: `make bench`, smoke test: `bash bench/run.sh --quick` |'
SELECT '| data | bench/generate.sql at scale 1: ' || :'data' || ' |';
SELECT '| load average (1/5/15 min) | ' || :'loadavg_start' || ' at the start, ' || :'loadavg_end' || ' at the end |';
\echo
\echo 'Medians over the runs of each side. Sides run interleaved (A B C D, then B C D A, ...), each run from'
\echo 'the same rows (the rows of the previous run deleted, the tables vacuumed) and right after a CHECKPOINT.'
\echo 'Cost ratios: above 1 means the first side is slower (for TPS and rows/s: the inverse ratio).'
\echo 'Raw figures of every run are in `build/bench-logs/results.csv` after a run.'
\echo

--------------------------------------------------------------------------------
\echo '## 1. Adding a comment: the whole path against a plain insert, and C++ against PL/pgSQL'
\echo
\echo '- **A, creator_platform** (the C++ path): `INSERT INTO creator_platform.comments (post_id, user_id[, parent_comment_id], content)`.'
\echo '  The BEFORE INSERT row trigger checks that the post is published and the parent is a live comment of'
\echo '  the same post (one SPI lookup of the post, one of the parent for a reply) and sets depth, path and'
\echo '  reply_count; the AFTER INSERT statement trigger adds to posts.comment_count (and to the parent''s'
\echo '  reply_count), inserts a comment_added event and sends NOTIFY; the foreign keys are checked at commit.'
SELECT '  Triggers on comments and posts: ' || :'triggers_a' || '.';
\echo '- **B, plain**: `bench.comments_plain`, `LIKE creator_platform.comments INCLUDING ALL` (same columns,'
\echo '  defaults, CHECK constraints and indexes) plus the same three foreign keys, deferred the same way, and'
\echo '  no triggers. The INSERT supplies what a plain app would have to: id (uuid_generate_v7()) and'
\echo '  created_at, depth = the parent''s depth + 1 and path = parent''s path || key(created_at, id), from'
\echo '  the parent row the app already has (from the lookup). No counters, no event, no checks beyond the'
\echo '  constraints; the rows get the same content as in A.'
\echo '- **C, PL/pgSQL**: `bench_plpgsql.comments` / `.posts` / `.events`, copies of the tables and data with'
\echo '  the same rules as A written in PL/pgSQL and done the same way (bench/plpgsql_threading.sql); the other'
\echo '  triggers of creator_platform.posts, which do not fire for counter updates, are copied as they are.'
SELECT '  Triggers: ' || :'triggers_c' || '.';
\echo '- **D, plain + NOTIFY** (single INSERTs only): B''s INSERT with a `pg_notify()` of the new id in the'
\echo '  same statement (`WITH ins AS (INSERT ... RETURNING id) SELECT pg_notify(...)`): what NOTIFY costs by'
\echo '  itself, without counters or an event row.'
\echo
\echo 'Workload: pgbench `-M prepared`, two scripts with weights 1:1 (bench/pgbench/{a,b,c}_{top,reply}.sql).'
\echo 'A transaction picks a random target with `\\set`, fetches its ids with a lookup `SELECT ... \\gset` from'
\echo 'a prepared id table (the same statement on every side), then runs one autocommitted INSERT: half are'
\echo 'top-level comments on the post of a random existing comment (popular posts get most comments), half'
\echo 'replies to a random live comment. *INSERT latency* is pgbench -r''s client-side latency of the INSERT'
\echo 'statement, commit (fsync) included; *server execution* is pg_stat_statements'' mean_exec_time of the'
\echo 'INSERT with its triggers (without parse, commit and the deferred foreign-key checks at commit).'
\echo '*Mix* = the two kinds weighted by their counts.'
\echo

WITH metrics (ord, label, metric, d, inv) AS (
    VALUES (1, 'TPS (lookup + INSERT)', 'tps', 0, true),
           (2, '**INSERT latency, mix (ms)**', 'lat_insert_mix', 3, false),
           (3, 'INSERT latency, top-level (ms)', 'lat_insert_top', 3, false),
           (4, 'INSERT latency, reply (ms)', 'lat_insert_reply', 3, false),
           (5, '**server execution, mix (ms)**', 'exec_ms_mix', 3, false),
           (6, 'server execution, top-level (ms)', 'exec_ms_top', 3, false),
           (7, 'server execution, reply (ms)', 'exec_ms_reply', 3, false),
           (8, 'shared buffers hit+read per INSERT, top-level', 'blks_per_call_top', 1, false),
           (9, 'shared buffers hit+read per INSERT, reply', 'blks_per_call_reply', 1, false),
           (10, 'WAL bytes per INSERT, top-level', 'wal_bytes_per_call_top', 0, false),
           (11, 'WAL bytes per INSERT, reply', 'wal_bytes_per_call_reply', 0, false),
           (12, 'full-page images per INSERT, reply', 'wal_fpi_per_call_reply', 3, false),
           (13, 'lookup SELECT latency (ms; the same statement on every side)', 'lat_lookup_top', 3, false)
), cl AS (
    SELECT DISTINCT r.clients AS c FROM r WHERE r.bench = 'single'
), lines AS (
    SELECT cl.c, 0 AS ord,
           format(E'### %s client%s (pgbench -c %s), %s runs per side\n', cl.c, CASE WHEN cl.c > 1 THEN 's' ELSE '' END,
                  cl.c, (SELECT count(*) FROM r WHERE r.bench = 'single' AND r.side = 'A' AND r.clients = cl.c
                                                 AND r.metric = 'tps')) AS line
      FROM cl
    UNION ALL SELECT cl.c, 1, '| | A: C++ triggers | B: plain | C: PL/pgSQL | D: plain + NOTIFY | cost A/B | cost C/B | cost C/A | cost D/B |' FROM cl
    UNION ALL SELECT cl.c, 2, '|---|---:|---:|---:|---:|---:|---:|---:|---:|' FROM cl
    UNION ALL
    SELECT cl.c, 10 + m.ord,
           '| ' || m.label || ' | ' || pg_temp.n(v.a, m.d) || ' | ' || pg_temp.n(v.b, m.d) || ' | ' || pg_temp.n(v.cc, m.d)
           || ' | ' || pg_temp.n(v.dd, m.d)
           || ' | ' || CASE WHEN m.inv THEN pg_temp.x(v.b, v.a) ELSE pg_temp.x(v.a, v.b) END
           || ' | ' || CASE WHEN m.inv THEN pg_temp.x(v.b, v.cc) ELSE pg_temp.x(v.cc, v.b) END
           || ' | ' || CASE WHEN m.inv THEN pg_temp.x(v.a, v.cc) ELSE pg_temp.x(v.cc, v.a) END
           || ' | ' || CASE WHEN m.inv THEN pg_temp.x(v.b, v.dd) ELSE pg_temp.x(v.dd, v.b) END || ' |'
      FROM cl CROSS JOIN metrics m
     CROSS JOIN LATERAL (SELECT pg_temp.med('single', 'A', cl.c, m.metric) AS a,
                                pg_temp.med('single', 'B', cl.c, m.metric) AS b,
                                pg_temp.med('single', 'C', cl.c, m.metric) AS cc,
                                pg_temp.med('single', 'D', cl.c, m.metric) AS dd) AS v
    UNION ALL SELECT cl.c, 99, '' FROM cl
)
SELECT l.line FROM lines l ORDER BY l.c, l.ord;

\echo '### What the INSERT sessions wait for'
\echo
\echo 'The pgbench sessions sampled in pg_stat_activity 20 times a second during the runs above (all runs of'
\echo 'a side together): share of samples per state.'
\echo
WITH w AS (
    SELECT r.side, r.clients,
           CASE WHEN r.metric = 'active|CPU' THEN 'running (on a CPU or waiting for one)'
                WHEN r.metric = 'active|Lock:object' THEN '**waiting for the commit-time NOTIFY lock** (Lock:object)'
                WHEN r.metric LIKE 'active|Lock:%' THEN 'waiting for a row or transaction lock (' || split_part(r.metric, ':', 2) || ')'
                WHEN r.metric IN ('active|IO:WALSync', 'active|IO:WALWrite', 'active|LWLock:WALWrite')
                     THEN 'waiting for the WAL flush of a commit (' || split_part(r.metric, '|', 2) || ')'
                WHEN r.metric = 'idle|Client:ClientRead' THEN 'idle: waiting for the client (pgbench, network)'
                WHEN r.metric = 'idle|CPU' THEN 'idle, between two messages (no wait event)'
                ELSE split_part(r.metric, '|', 1) || ': ' || split_part(r.metric, '|', 2) END AS what,
           r.value
      FROM r WHERE r.bench = 'waits'
), tot AS (
    SELECT w.side, w.clients, sum(w.value) AS n FROM w GROUP BY w.side, w.clients
), shares AS (
    SELECT w.side, w.clients, w.what, sum(w.value) / t.n * 100 AS pct
      FROM w JOIN tot t ON t.side = w.side AND t.clients = w.clients
     GROUP BY w.side, w.clients, w.what, t.n
), lab AS (
    SELECT s.clients, s.side, s.pct,
           CASE WHEN max(s.pct) OVER (PARTITION BY s.clients, s.what) >= 1 THEN s.what
                ELSE 'other (each under 1%)' END AS what
      FROM shares s
), grid AS (
    SELECT x.clients, x.what,
           sum(x.pct) FILTER (WHERE x.side = 'A') AS a, sum(x.pct) FILTER (WHERE x.side = 'B') AS b,
           sum(x.pct) FILTER (WHERE x.side = 'C') AS c, sum(x.pct) FILTER (WHERE x.side = 'D') AS d
      FROM lab x
     GROUP BY x.clients, x.what
)
SELECT l.line FROM (
    SELECT g.clients, 0 AS ord, '' AS what, '| ' || g.clients || ' client' || CASE WHEN g.clients > 1 THEN 's' ELSE '' END
           || ' | A: C++ triggers | B: plain | C: PL/pgSQL | D: plain + NOTIFY |' AS line
      FROM (SELECT DISTINCT clients FROM grid) AS g
    UNION ALL
    SELECT g.clients, 1, '', '|---|---:|---:|---:|---:|' FROM (SELECT DISTINCT clients FROM grid) AS g
    UNION ALL
    SELECT g.clients, 2, g.what, '| ' || g.what || ' | ' || pg_temp.n(coalesce(g.a, 0), 1) || '% | '
           || pg_temp.n(coalesce(g.b, 0), 1) || '% | ' || pg_temp.n(coalesce(g.c, 0), 1) || '% | '
           || pg_temp.n(coalesce(g.d, 0), 1) || '% |'
      FROM grid g
    UNION ALL
    SELECT g.clients, 3, '', '' FROM (SELECT DISTINCT clients FROM grid) AS g
) AS l
ORDER BY l.clients, l.ord, CASE WHEN l.what LIKE 'running%' THEN 0 WHEN l.what LIKE 'idle%' THEN 1 WHEN l.what LIKE 'other%' THEN 9 ELSE 2 END, l.what;

\echo '### The goal: the whole path at most 1.5× the plain insert'
\echo
SELECT string_agg(format('- %s client%s: INSERT latency (statement + commit, as the app waits for it) A/B = **%s**, %s; '
                         'server execution alone A/B = **%s**, %s.',
                         v.c, CASE WHEN v.c > 1 THEN 's' ELSE '' END,
                         pg_temp.x(v.la, v.lb), pg_temp.goal(v.la / nullif(v.lb, 0)),
                         pg_temp.x(v.ea, v.eb), pg_temp.goal(v.ea / nullif(v.eb, 0))), E'\n' ORDER BY v.c)
  FROM (SELECT cl.c,
               pg_temp.med('single', 'A', cl.c, 'lat_insert_mix') AS la, pg_temp.med('single', 'B', cl.c, 'lat_insert_mix') AS lb,
               pg_temp.med('single', 'A', cl.c, 'exec_ms_mix') AS ea, pg_temp.med('single', 'B', cl.c, 'exec_ms_mix') AS eb
          FROM (SELECT DISTINCT r.clients AS c FROM r WHERE r.bench = 'single') AS cl) AS v;
SELECT format(E'- Bulk (one INSERT ... SELECT, below): A/B = **%s** (statement + commit), %s.\n',
              pg_temp.x(pg_temp.med('bulk', 'A', 'total_ms'), pg_temp.med('bulk', 'B', 'total_ms')),
              pg_temp.goal(pg_temp.med('bulk', 'A', 'total_ms') / nullif(pg_temp.med('bulk', 'B', 'total_ms'), 0)));
-- where the extra time of A goes, from the EXPLAIN ANALYZE breakdown
SELECT format(E'Where A''s extra time goes (EXPLAIN ANALYZE medians below, per reply): the AFTER INSERT statement '
              'trigger (counter UPDATEs of the post and the parent, with the row triggers they fire, the event '
              'INSERT and NOTIFY) takes %s ms, the BEFORE INSERT row trigger (post and parent lookups, path) '
              '%s ms, of an execution time of %s ms, against %s ms for the whole plain INSERT (B). For a top-level '
              'comment: %s ms + %s ms of %s ms, against %s ms. The statement itself and its commit (an fsync, '
              'the same on both sides) are what keep the client-side ratio lower than the server-side one.\n',
              pg_temp.n(pg_temp.med('profile_single', 'A', 'reply:trigger comments_after_insert'), 3),
              pg_temp.n(pg_temp.med('profile_single', 'A', 'reply:trigger comments_before_insert'), 3),
              pg_temp.n(pg_temp.med('profile_single', 'A', 'reply:execution time'), 3),
              pg_temp.n(pg_temp.med('profile_single', 'B', 'reply:execution time'), 3),
              pg_temp.n(pg_temp.med('profile_single', 'A', 'top:trigger comments_after_insert'), 3),
              pg_temp.n(pg_temp.med('profile_single', 'A', 'top:trigger comments_before_insert'), 3),
              pg_temp.n(pg_temp.med('profile_single', 'A', 'top:execution time'), 3),
              pg_temp.n(pg_temp.med('profile_single', 'B', 'top:execution time'), 3));

-- NOTIFY: measured by side D and by the wait samples
WITH cmax AS (SELECT max(r.clients) AS c FROM r WHERE r.bench = 'single'),
w AS (
    SELECT r.side, sum(r.value) FILTER (WHERE r.metric = 'active|Lock:object') / sum(r.value) * 100 AS pct
      FROM r, cmax WHERE r.bench = 'waits' AND r.clients = cmax.c GROUP BY r.side
)
SELECT format(E'NOTIFY: PostgreSQL serializes the commits of all transactions that sent a NOTIFY, cluster-wide: '
              '`PreCommit_Notify()` takes an AccessExclusiveLock on "object 0 of pg_database" and holds it until the '
              'commit record is flushed, so such transactions commit one at a time and cannot share a WAL flush '
              '(group commit). One client never waits for it; with %s clients, the sessions of A spent %s%% of their '
              'time waiting for that lock (C: %s%%, D: %s%%, B: %s%%). NOTIFY alone (D against B) costs %s in TPS with 1 '
              'client and %s with %s clients, against %s for the whole path (A against B) with %s clients.\n',
              cmax.c,
              pg_temp.n((SELECT w.pct FROM w WHERE w.side = 'A'), 1), pg_temp.n((SELECT w.pct FROM w WHERE w.side = 'C'), 1),
              pg_temp.n((SELECT w.pct FROM w WHERE w.side = 'D'), 1), pg_temp.n(coalesce((SELECT w.pct FROM w WHERE w.side = 'B'), 0), 1),
              pg_temp.x(pg_temp.med('single', 'B', 1, 'tps'), pg_temp.med('single', 'D', 1, 'tps')),
              pg_temp.x(pg_temp.med('single', 'B', cmax.c, 'tps'), pg_temp.med('single', 'D', cmax.c, 'tps')), cmax.c,
              pg_temp.x(pg_temp.med('single', 'B', cmax.c, 'tps'), pg_temp.med('single', 'A', cmax.c, 'tps')), cmax.c)
  FROM cmax;

SELECT format(E'### Where the time goes: EXPLAIN ANALYZE of single INSERTs\n\n'
              'Medians over %s top-level and %s reply INSERTs per side, run one after the other in one '
              'transaction with `SET CONSTRAINTS ALL IMMEDIATE` so that the foreign-key checks show (ms). '
              'AFTER statement triggers include the row triggers their own UPDATEs fire (posts: counter guard, '
              'updated_at; comments: update guard and the AFTER UPDATE statement trigger).\n',
              (SELECT max(r.clients) FROM r WHERE r.bench = 'profile_single' AND r.metric LIKE 'top:%'),
              (SELECT max(r.clients) FROM r WHERE r.bench = 'profile_single' AND r.metric LIKE 'reply:%'));
\echo '| | A top-level | A reply | B top-level | B reply | C top-level | C reply |'
\echo '|---|---:|---:|---:|---:|---:|---:|'
WITH items AS (
    SELECT DISTINCT replace(split_part(r.metric, ':', 2), 'comments_plain_', 'comments_') AS item
      FROM r WHERE r.bench = 'profile_single'
), pv AS (
    SELECT r.side, split_part(r.metric, ':', 1) AS kind,
           replace(split_part(r.metric, ':', 2), 'comments_plain_', 'comments_') AS item, r.value
      FROM r WHERE r.bench = 'profile_single'
)
SELECT '| ' || i.item
       || ' | ' || coalesce((SELECT pg_temp.n(pv.value, 3) FROM pv WHERE pv.side = 'A' AND pv.kind = 'top' AND pv.item = i.item), '')
       || ' | ' || coalesce((SELECT pg_temp.n(pv.value, 3) FROM pv WHERE pv.side = 'A' AND pv.kind = 'reply' AND pv.item = i.item), '')
       || ' | ' || coalesce((SELECT pg_temp.n(pv.value, 3) FROM pv WHERE pv.side = 'B' AND pv.kind = 'top' AND pv.item = i.item), '')
       || ' | ' || coalesce((SELECT pg_temp.n(pv.value, 3) FROM pv WHERE pv.side = 'B' AND pv.kind = 'reply' AND pv.item = i.item), '')
       || ' | ' || coalesce((SELECT pg_temp.n(pv.value, 3) FROM pv WHERE pv.side = 'C' AND pv.kind = 'top' AND pv.item = i.item), '')
       || ' | ' || coalesce((SELECT pg_temp.n(pv.value, 3) FROM pv WHERE pv.side = 'C' AND pv.kind = 'reply' AND pv.item = i.item), '')
       || ' |'
  FROM items i
 ORDER BY CASE WHEN i.item = 'execution time' THEN 0 WHEN i.item LIKE 'Insert node%' THEN 1
               WHEN i.item LIKE 'trigger%before%' THEN 2 WHEN i.item LIKE 'trigger%' THEN 3 ELSE 4 END, i.item;
\echo

SELECT format(E'### Bulk: one INSERT ... SELECT of %s comments (half top-level, half replies), median of %s\n\n'
              'The same rows on every side (bench.bulk_rows), one statement, committed; timed inside the server '
              '(a procedure: statement, then COMMIT). The commit runs the deferred foreign-key checks of all rows, '
              'queues the NOTIFYs and flushes the WAL.\n',
              pg_temp.n(pg_temp.med('bulk', 'A', 'rows'), 0), pg_temp.runs('bulk', 'A', 'total_ms'));
\echo '| | A: C++ triggers | B: plain | C: PL/pgSQL | cost A/B | cost C/B | cost C/A |'
\echo '|---|---:|---:|---:|---:|---:|---:|'
SELECT '| ' || m.label || ' | ' || pg_temp.n(v.a, m.d) || ' | ' || pg_temp.n(v.b, m.d) || ' | ' || pg_temp.n(v.cc, m.d)
       || ' | ' || CASE WHEN m.inv THEN pg_temp.x(v.b, v.a) ELSE pg_temp.x(v.a, v.b) END
       || ' | ' || CASE WHEN m.inv THEN pg_temp.x(v.b, v.cc) ELSE pg_temp.x(v.cc, v.b) END
       || ' | ' || CASE WHEN m.inv THEN pg_temp.x(v.a, v.cc) ELSE pg_temp.x(v.cc, v.a) END || ' |'
  FROM (VALUES (1, '**statement + commit (ms)**', 'total_ms', 1, 1.0::float8, false),
               (2, 'statement (ms)', 'stmt_ms', 1, 1.0, false),
               (3, 'commit (ms)', 'commit_ms', 1, 1.0, false),
               (4, 'rows/s', 'rows_per_s', 0, 1.0, true),
               (5, 'WAL (MB)', 'wal_bytes', 1, 1e-6, false)) AS m(ord, label, metric, d, scale, inv)
 CROSS JOIN LATERAL (SELECT pg_temp.med('bulk', 'A', m.metric) * m.scale AS a,
                            pg_temp.med('bulk', 'B', m.metric) * m.scale AS b,
                            pg_temp.med('bulk', 'C', m.metric) * m.scale AS cc) AS v
 ORDER BY m.ord;
\echo
\echo 'EXPLAIN ANALYZE of one bulk INSERT per side (ms; foreign keys checked at statement end):'
\echo
\echo '| | A: C++ triggers | B: plain | C: PL/pgSQL |'
\echo '|---|---:|---:|---:|'
WITH pv AS (
    SELECT r.side, replace(r.metric, 'comments_plain_', 'comments_') AS item, r.value
      FROM r WHERE r.bench = 'profile_bulk'
)
SELECT '| ' || i.item
       || ' | ' || coalesce((SELECT pg_temp.n(pv.value, 1) FROM pv WHERE pv.side = 'A' AND pv.item = i.item), '')
       || ' | ' || coalesce((SELECT pg_temp.n(pv.value, 1) FROM pv WHERE pv.side = 'B' AND pv.item = i.item), '')
       || ' | ' || coalesce((SELECT pg_temp.n(pv.value, 1) FROM pv WHERE pv.side = 'C' AND pv.item = i.item), '')
       || ' |'
  FROM (SELECT DISTINCT pv.item FROM pv) AS i
 ORDER BY CASE WHEN i.item = 'execution time' THEN 0 WHEN i.item LIKE 'Insert node%' THEN 1
               WHEN i.item LIKE 'trigger%before%' THEN 2 WHEN i.item LIKE 'trigger%' THEN 3 ELSE 4 END, i.item;
\echo

\echo '### C++ (A) against PL/pgSQL (C), from the runs above'
\echo
\echo '| | A: C++ | C: PL/pgSQL | cost C/A |'
\echo '|---|---:|---:|---:|'
SELECT '| ' || m.label || ' | ' || pg_temp.n(m.a, m.d) || ' | ' || pg_temp.n(m.c, m.d) || ' | '
       || CASE WHEN m.inv THEN pg_temp.x(m.a, m.c) ELSE pg_temp.x(m.c, m.a) END || ' |'
  FROM (SELECT 1 AS ord, 'single INSERT, server execution, mix, 1 client (ms)' AS label, 3 AS d, false AS inv,
               pg_temp.med('single', 'A', 1, 'exec_ms_mix') AS a, pg_temp.med('single', 'C', 1, 'exec_ms_mix') AS c
        UNION ALL
        SELECT 2, 'single INSERT, latency, mix, 1 client (ms)', 3, false,
               pg_temp.med('single', 'A', 1, 'lat_insert_mix'), pg_temp.med('single', 'C', 1, 'lat_insert_mix')
        UNION ALL
        SELECT 3, 'TPS, 1 client', 0, true, pg_temp.med('single', 'A', 1, 'tps'), pg_temp.med('single', 'C', 1, 'tps')
        UNION ALL
        SELECT 4, 'TPS, ' || max(r.clients) || ' clients', 0, true,
               pg_temp.med('single', 'A', max(r.clients), 'tps'), pg_temp.med('single', 'C', max(r.clients), 'tps')
          FROM r WHERE r.bench = 'single'
        UNION ALL
        SELECT 5, 'BEFORE INSERT row trigger, one reply (ms)', 3, false,
               pg_temp.med('profile_single', 'A', 'reply:trigger comments_before_insert'),
               pg_temp.med('profile_single', 'C', 'reply:trigger comments_before_insert')
        UNION ALL
        SELECT 6, 'AFTER INSERT statement trigger, one reply (ms)', 3, false,
               pg_temp.med('profile_single', 'A', 'reply:trigger comments_after_insert'),
               pg_temp.med('profile_single', 'C', 'reply:trigger comments_after_insert')
        UNION ALL
        SELECT 7, 'bulk INSERT, statement + commit (ms)', 1, false,
               pg_temp.med('bulk', 'A', 'total_ms'), pg_temp.med('bulk', 'C', 'total_ms')
        UNION ALL
        SELECT 8, 'bulk: BEFORE INSERT row trigger, all rows (ms)', 1, false,
               pg_temp.med('profile_bulk', 'A', 'trigger comments_before_insert'),
               pg_temp.med('profile_bulk', 'C', 'trigger comments_before_insert')
        UNION ALL
        SELECT 9, 'bulk: AFTER INSERT statement trigger (ms)', 1, false,
               pg_temp.med('profile_bulk', 'A', 'trigger comments_after_insert'),
               pg_temp.med('profile_bulk', 'C', 'trigger comments_after_insert')) AS m
 ORDER BY m.ord;
\echo

--------------------------------------------------------------------------------
\echo '## 2. uuid_generate_v7() against gen_random_uuid() as a primary key'
\echo
SELECT format('Two tables `(id uuid PRIMARY KEY DEFAULT <fn>, payload text)` with a 40-character payload, autovacuum '
              'off on both (an insert-only load), full_page_writes on, shared_buffers %s MiB; the primary key of the '
              'random keys ends at %s MiB, %s.',
              pg_temp.n(pg_temp.med('uuid_load', 'v4', 'shared_buffers_bytes') / 1048576, 0),
              pg_temp.n(pg_temp.med('uuid_final', 'v4', 'index_bytes') / 1048576, 0),
              CASE WHEN pg_temp.med('uuid_final', 'v4', 'index_bytes') > pg_temp.med('uuid_load', 'v4', 'shared_buffers_bytes')
                   THEN 'larger than shared_buffers'
                   ELSE '**smaller than shared_buffers: too few rows for random keys to show their cost in buffer misses '
                        '(the full run loads 5,000,000)**' END);
\echo '**Bulk load**: `INSERT ... SELECT` of 10,000 rows per statement, each batch'
\echo 'committed (a procedure), one load per key type, v7 first, a CHECKPOINT before each; batch times are'
\echo 'medians over the batches of that load. **Single rows**: pgbench `-M prepared` of one-row INSERTs into'
\echo 'the loaded tables, runs alternating between the key types, each after a CHECKPOINT. WAL bytes from'
\echo '`pg_current_wal_lsn()` before and after, full-page images from `pg_stat_wal`, buffer hits and reads of'
\echo 'the primary key from `pg_statio_user_indexes` (a read is a shared-buffer miss; the OS page cache may'
\echo 'still have served it), checkpoints and backend writes from `pg_stat_bgwriter`.'
\echo
SELECT format(E'### Bulk load of %s rows per table\n', pg_temp.n(pg_temp.med('uuid_load', 'v7', 'rows'), 0));
\echo '| | uuid_generate_v7() | gen_random_uuid() | random / v7 |'
\echo '|---|---:|---:|---:|'
WITH d AS (
    SELECT r.side, r.metric, r.value FROM r WHERE r.bench = 'uuid_delta' AND r.rep = 0
), v AS (
    SELECT s.side,
           pg_temp.med('uuid_load', s.side, 'rows') AS rows_n,
           pg_temp.med('uuid_load', s.side, 'total_s') AS total_s,
           pg_temp.med('uuid_load', s.side, 'batch_ms_median') AS b_med,
           pg_temp.med('uuid_load', s.side, 'batch_ms_first10pct') AS b_first,
           pg_temp.med('uuid_load', s.side, 'batch_ms_last10pct') AS b_last,
           pg_temp.med('uuid_load', s.side, 'batch_ms_p90') AS b_p90,
           pg_temp.med('uuid_load', s.side, 'index_bytes') AS idx_bytes,
           pg_temp.med('uuid_load', s.side, 'table_bytes') AS tbl_bytes,
           pg_temp.med('uuid_load', s.side, 'shared_buffers_bytes') AS sb_bytes,
           (SELECT d.value FROM d WHERE d.side = s.side AND d.metric = 'lsn') AS wal,
           (SELECT d.value FROM d WHERE d.side = s.side AND d.metric = 'fpi') AS fpi,
           (SELECT d.value FROM d WHERE d.side = s.side AND d.metric = 'idx_hit') AS idx_hit,
           (SELECT d.value FROM d WHERE d.side = s.side AND d.metric = 'idx_read') AS idx_read,
           (SELECT d.value FROM d WHERE d.side = s.side AND d.metric = 'checkpoints') AS ckpt,
           (SELECT d.value FROM d WHERE d.side = s.side AND d.metric = 'buffers_backend') AS bbackend,
           (SELECT d.value FROM d WHERE d.side = s.side AND d.metric = 'buffers_written') AS bwritten
      FROM (VALUES ('v7'), ('v4')) AS s(side)
), m AS (
    SELECT 1 AS ord, 'load time (s)' AS label, 1 AS d, false AS inv, a.total_s AS a, b.total_s AS b FROM v a, v b WHERE a.side = 'v7' AND b.side = 'v4'
    UNION ALL SELECT 2, '**rows/s**', 0, true, a.rows_n / a.total_s, b.rows_n / b.total_s FROM v a, v b WHERE a.side = 'v7' AND b.side = 'v4'
    UNION ALL SELECT 3, 'batch of 10,000 rows, median (ms)', 1, false, a.b_med, b.b_med FROM v a, v b WHERE a.side = 'v7' AND b.side = 'v4'
    UNION ALL SELECT 4, 'batch, median of the first tenth of the load (ms)', 1, false, a.b_first, b.b_first FROM v a, v b WHERE a.side = 'v7' AND b.side = 'v4'
    UNION ALL SELECT 5, 'batch, median of the last tenth of the load (ms)', 1, false, a.b_last, b.b_last FROM v a, v b WHERE a.side = 'v7' AND b.side = 'v4'
    UNION ALL SELECT 6, 'batch, 90th percentile (ms)', 1, false, a.b_p90, b.b_p90 FROM v a, v b WHERE a.side = 'v7' AND b.side = 'v4'
    UNION ALL SELECT 7, '**WAL bytes per row**', 1, false, a.wal / a.rows_n, b.wal / b.rows_n FROM v a, v b WHERE a.side = 'v7' AND b.side = 'v4'
    UNION ALL SELECT 8, 'full-page images per 1,000 rows', 2, false, a.fpi / a.rows_n * 1000, b.fpi / b.rows_n * 1000 FROM v a, v b WHERE a.side = 'v7' AND b.side = 'v4'
    UNION ALL SELECT 9, 'checkpoints during the load', 0, false, a.ckpt, b.ckpt FROM v a, v b WHERE a.side = 'v7' AND b.side = 'v4'
    UNION ALL SELECT 10, 'buffers written (checkpointer + bgwriter + backends)', 0, false, a.bwritten, b.bwritten FROM v a, v b WHERE a.side = 'v7' AND b.side = 'v4'
    UNION ALL SELECT 11, 'buffers written by the loading backend (evictions)', 0, false, a.bbackend, b.bbackend FROM v a, v b WHERE a.side = 'v7' AND b.side = 'v4'
    UNION ALL SELECT 12, 'primary key buffer hits per row', 2, false, a.idx_hit / a.rows_n, b.idx_hit / b.rows_n FROM v a, v b WHERE a.side = 'v7' AND b.side = 'v4'
    UNION ALL SELECT 13, 'primary key buffer reads (misses) per row', 3, false, a.idx_read / a.rows_n, b.idx_read / b.rows_n FROM v a, v b WHERE a.side = 'v7' AND b.side = 'v4'
    UNION ALL SELECT 14, '**primary key size after the load (MiB)**', 1, false, a.idx_bytes / 1048576, b.idx_bytes / 1048576 FROM v a, v b WHERE a.side = 'v7' AND b.side = 'v4'
    UNION ALL SELECT 15, 'table size after the load (MiB)', 1, false, a.tbl_bytes / 1048576, b.tbl_bytes / 1048576 FROM v a, v b WHERE a.side = 'v7' AND b.side = 'v4'
    UNION ALL SELECT 16, 'shared_buffers (MiB)', 1, false, a.sb_bytes / 1048576, b.sb_bytes / 1048576 FROM v a, v b WHERE a.side = 'v7' AND b.side = 'v4'
)
SELECT '| ' || m.label || ' | ' || pg_temp.n(m.a, m.d) || ' | ' || pg_temp.n(m.b, m.d) || ' | '
       || CASE WHEN m.ord = 16 THEN '' WHEN m.inv THEN pg_temp.x(m.a, m.b) ELSE pg_temp.x(m.b, m.a) END || ' |'
  FROM m ORDER BY m.ord;
\echo
SELECT format(E'### Single-row INSERTs into the loaded tables: pgbench -c %s, %s runs per key type\n',
              (SELECT max(r.clients) FROM r WHERE r.bench = 'uuid_pgbench'), pg_temp.runs('uuid_pgbench', 'v7', 'tps'));
\echo '| | uuid_generate_v7() | gen_random_uuid() | random / v7 |'
\echo '|---|---:|---:|---:|'
SELECT '| ' || m.label || ' | ' || pg_temp.n(m.a, m.d) || ' | ' || pg_temp.n(m.b, m.d) || ' | '
       || CASE WHEN m.inv THEN pg_temp.x(m.a, m.b) ELSE pg_temp.x(m.b, m.a) END || ' |'
  FROM (SELECT 1 AS ord, '**TPS (one row per transaction)**' AS label, 0 AS d, true AS inv,
               pg_temp.med('uuid_pgbench', 'v7', 'tps') AS a, pg_temp.med('uuid_pgbench', 'v4', 'tps') AS b
        UNION ALL SELECT 2, '**WAL bytes per row**', 0, false,
               pg_temp.med('uuid_pgbench', 'v7', 'per_row_lsn'), pg_temp.med('uuid_pgbench', 'v4', 'per_row_lsn')
        UNION ALL SELECT 3, 'full-page images per row', 3, false,
               pg_temp.med('uuid_pgbench', 'v7', 'per_row_fpi'), pg_temp.med('uuid_pgbench', 'v4', 'per_row_fpi')
        UNION ALL SELECT 4, 'primary key buffer hits per row', 2, false,
               pg_temp.med('uuid_pgbench', 'v7', 'per_row_idx_hit'), pg_temp.med('uuid_pgbench', 'v4', 'per_row_idx_hit')
        UNION ALL SELECT 5, 'primary key buffer reads (misses) per row', 3, false,
               pg_temp.med('uuid_pgbench', 'v7', 'per_row_idx_read'), pg_temp.med('uuid_pgbench', 'v4', 'per_row_idx_read')
        UNION ALL SELECT 6, 'buffers written by backends per row', 3, false,
               pg_temp.med('uuid_pgbench', 'v7', 'per_row_buffers_backend'), pg_temp.med('uuid_pgbench', 'v4', 'per_row_buffers_backend')
        UNION ALL SELECT 7, 'primary key size at the end (MiB)', 1, false,
               pg_temp.med('uuid_final', 'v7', 'index_bytes') / 1048576, pg_temp.med('uuid_final', 'v4', 'index_bytes') / 1048576) AS m
 ORDER BY m.ord;
\echo

--------------------------------------------------------------------------------
\echo '## Caveats'
\echo
SELECT '- The machine was not idle: other jobs may have run beside the benchmark (load average '
       || :'loadavg_start' || ' at the start, ' || :'loadavg_end' || ' at the end on ' || :'nproc'
       || ' cores). Interleaving the sides and taking medians evens that out between sides, not in absolute figures.';
WITH sp AS (
    SELECT r.side, r.clients, max(r.value) / nullif(min(r.value), 0) AS spread
      FROM r WHERE r.bench = 'single' AND r.metric = 'tps' GROUP BY r.side, r.clients
)
SELECT format('- Spread between the runs of a side (highest TPS / lowest): %s. %s',
              string_agg(format('%s %s-client %s', sp.side, sp.clients, pg_temp.x(sp.spread, 1)), ', '
                         ORDER BY sp.clients, sp.side),
              CASE WHEN max(sp.spread) > 1.3
                   THEN '**Some runs were disturbed** (by other work on the machine, mostly its disk: the '
                        'client-side latencies include fsync): the medians and client-side ratios of those sides '
                        'are less reliable than the server execution times, which are less sensitive to it.'
                   ELSE 'The runs agree.' END)
  FROM sp;
SELECT format('- Storage: the commit of every single INSERT waits for an fsync of the WAL. Here B''s INSERT takes '
              '%s ms as the client sees it against %s ms of server execution: the difference (round trip, bind, '
              'commit with its fsync) is the same work on every side and dilutes the client-side ratios. On '
              'storage with slower fsync the client-side ratios come closer to 1, with faster fsync closer to '
              'the server-side ratios. Absolute figures are for this machine only.',
              pg_temp.n(pg_temp.med('single', 'B', 1, 'lat_insert_mix'), 3),
              pg_temp.n(pg_temp.med('single', 'B', 1, 'exec_ms_mix'), 3));
\echo '- pgbench, the server and the other jobs share the same cores; with 4 clients on 2 cores, latencies include'
\echo '  waiting for a CPU.'
\echo '- WAL bytes and full-page images per INSERT come from runs that start right after a CHECKPOINT: the first'
\echo '  change of a page after a checkpoint writes the whole page. A touches more pages than B (the post, the'
\echo '  parent, the events table), so short runs overstate its WAL volume against a steady state.'
\echo '- Nothing LISTENs on creator_platform_events: the NOTIFY cost is queueing the notification at commit,'
\echo '  not delivering it.'
\echo '- Side B computes path in the INSERT from the parent''s path the client already holds; a plain app without'
\echo '  threading would skip even that (a few microseconds).'
SELECT '- The machine has ' || :'mem' || E' of RAM, more than every data set here: primary-key "reads" are '
       'shared-buffer misses served from the OS page cache, not from disk. On a server whose index does not '
       'fit in memory, random keys cost more than shown.';
\echo '- The single-row uuid runs start right after a CHECKPOINT, so every leaf page first touched in a run costs a'
\echo '  full-page image: a short run shows the worst of the checkpoint cycle for random keys.'
\echo
\echo '## Appendix: every single-INSERT run'
\echo
\echo '| side | clients | run | TPS | INSERT latency top / reply (ms) | server execution top / reply (ms) |'
\echo '|---|---:|---:|---:|---:|---:|'
SELECT '| ' || x.side || ' | ' || x.clients || ' | ' || x.rep || ' | ' || pg_temp.n(x.tps, 0) || ' | '
       || pg_temp.n(x.lt, 3) || ' / ' || pg_temp.n(x.lr, 3) || ' | ' || pg_temp.n(x.et, 3) || ' / ' || pg_temp.n(x.er, 3) || ' |'
  FROM (SELECT r.side, r.clients, r.rep,
               max(r.value) FILTER (WHERE r.metric = 'tps') AS tps,
               max(r.value) FILTER (WHERE r.metric = 'lat_insert_top') AS lt,
               max(r.value) FILTER (WHERE r.metric = 'lat_insert_reply') AS lr,
               max(r.value) FILTER (WHERE r.metric = 'exec_ms_top') AS et,
               max(r.value) FILTER (WHERE r.metric = 'exec_ms_reply') AS er
          FROM r WHERE r.bench = 'single' GROUP BY r.side, r.clients, r.rep) AS x
 ORDER BY x.clients, x.side, x.rep;
