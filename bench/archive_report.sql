-- bench/archive_report.sql: section 4 of docs/benchmarks.md (the archive block,
-- without its markers) from the measurements of bench/archive.sh, in its
-- results database. Run with psql -At; also leaves the goals in table goals.

\set ON_ERROR_STOP on
SET client_min_messages = warning;

SELECT max(value) FILTER (WHERE key = 'mode') AS mode,
       max(value) FILTER (WHERE key = 'command') AS command,
       max(value) FILTER (WHERE key = 'date') AS date,
       max(value) FILTER (WHERE key = 'duration') AS duration,
       max(value) FILTER (WHERE key = 'nproc') AS nproc,
       max(value) FILTER (WHERE key = 'cpu') AS cpu,
       max(value) FILTER (WHERE key = 'mem') AS mem,
       max(value) FILTER (WHERE key = 'pg_version') AS pg_version,
       max(value) FILTER (WHERE key = 'ext_version') AS ext_version,
       max(value) FILTER (WHERE key = 'git') AS git,
       max(value) FILTER (WHERE key = 'library') AS library,
       max(value) FILTER (WHERE key = 'settings') AS settings,
       max(value) FILTER (WHERE key = 'scale') AS scale,
       max(value) FILTER (WHERE key = 'days') AS days,
       max(value) FILTER (WHERE key = 'older_than') AS older_than,
       max(value) FILTER (WHERE key = 'data') AS data,
       max(value) FILTER (WHERE key = 'to_move') AS to_move,
       max(value) FILTER (WHERE key = 'reps') AS reps,
       max(value) FILTER (WHERE key = 'pgb_seconds') AS pgb_seconds,
       max(value) FILTER (WHERE key = 'pgb_delay') AS pgb_delay,
       max(value) FILTER (WHERE key = 'pgb_reps') AS pgb_reps,
       max(value) FILTER (WHERE key = 'profile_batches') AS profile_batches,
       max(value) FILTER (WHERE key = 'lookup') AS lookup,
       max(value) FILTER (WHERE key = 'loadavg_start') AS loadavg_start,
       max(value) FILTER (WHERE key = 'loadavg_end') AS loadavg_end,
       max(value) FILTER (WHERE key = 'stages') AS stages
  FROM notes \gset

CREATE FUNCTION pg_temp.n(x float8) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN x IS NULL THEN '–' ELSE to_char(round(x), 'FM999,999,999,990') END
$$;
CREATE FUNCTION pg_temp.s(x float8) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN x IS NULL THEN '–' ELSE to_char(x, 'FM999,990.00') END
$$;
CREATE FUNCTION pg_temp.ms(x float8) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN x IS NULL THEN '–' WHEN x >= 100 THEN to_char(x, 'FM999,990.0') ELSE to_char(x, 'FM990.000') END
$$;
CREATE FUNCTION pg_temp.x(x float8) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN x IS NULL THEN '–' ELSE to_char(x, 'FM990.00') || '×' END
$$;
CREATE FUNCTION pg_temp.pct(x float8) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN x IS NULL THEN '–' ELSE to_char(100 * x, 'FM990.0') || '%' END
$$;
CREATE FUNCTION pg_temp.mb(x float8) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN x IS NULL THEN '–' ELSE to_char(x / 1048576, 'FM999,990') || ' MB' END
$$;

-- sides: medians over the runs (every run moved the same rows: checked by bench/archive.sh)
CREATE TEMP TABLE side AS
SELECT r.side,
       CASE r.side WHEN 'A1000' THEN 1 WHEN 'A5000' THEN 2 WHEN 'B' THEN 3 WHEN 'R' THEN 4 ELSE 5 END AS ord,
       count(*) AS runs,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY r.secs) AS secs,
       min(r.secs) AS min_secs, max(r.secs) AS max_secs,
       max(r.posts) AS posts, max(r.comments) AS comments, max(r.posts + r.comments) AS rows_moved,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY r.wal_bytes) AS wal_bytes
  FROM runs r GROUP BY r.side;
ALTER TABLE side ADD COLUMN rps float8;
UPDATE side SET rps = rows_moved / secs;
SELECT coalesce((SELECT s.rps FROM side s WHERE s.side = 'B'), 'NaN') AS b_rps,
       coalesce((SELECT s.secs FROM side s WHERE s.side = 'B'), 'NaN') AS b_secs,
       coalesce((SELECT s.wal_bytes FROM side s WHERE s.side = 'B'), 'NaN') AS b_wal,
       coalesce((SELECT s.rps FROM side s WHERE s.side = 'R'), 'NaN') AS r_rps,
       coalesce((SELECT s.rps FROM side s WHERE s.side = 'A1000'), 'NaN') AS a_rps,
       coalesce((SELECT s.secs FROM side s WHERE s.side = 'A1000'), 'NaN') AS a_secs,
       coalesce((SELECT s.wal_bytes FROM side s WHERE s.side = 'A1000'), 'NaN') AS a_wal,
       coalesce((SELECT s.rps FROM side s WHERE s.side = 'A5000'), 'NaN') AS a5_rps,
       (SELECT count(DISTINCT r.digest) FROM runs r) AS n_digests,
       (SELECT sum(r.drift) FROM runs r) AS total_drift,
       (SELECT max(r.posts) FROM runs r) AS moved_posts,
       (SELECT max(r.comments) FROM runs r) AS moved_comments \gset

-- the profile of side A, per batch
SELECT coalesce((SELECT p.calls FROM profile p WHERE p.item = 'move'), 0) AS p_batches,
       coalesce((SELECT p.total_ms FROM profile p WHERE p.item = 'call'), 0) AS p_call_ms,
       coalesce((SELECT p.total_ms FROM profile p WHERE p.item = 'pick'), 0) AS p_pick_ms,
       coalesce((SELECT p.total_ms FROM profile p WHERE p.item = 'check'), 0) AS p_check_ms,
       coalesce((SELECT p.total_ms FROM profile p WHERE p.item = 'move'), 0) AS p_move_ms,
       coalesce((SELECT p.total_ms FROM profile p WHERE p.item = 'fk_check'), 0) AS p_fkc_ms,
       coalesce((SELECT p.total_ms FROM profile p WHERE p.item = 'fk_cascade'), 0) AS p_fkd_ms,
       coalesce((SELECT p.wal_bytes FROM profile p WHERE p.item = 'pick'), 0) AS p_pick_wal,
       coalesce((SELECT p.wal_bytes FROM profile p WHERE p.item = 'check'), 0) AS p_check_wal,
       coalesce((SELECT p.wal_bytes FROM profile p WHERE p.item = 'move'), 0) AS p_move_wal \gset

-- feeds: one row per run and phase; the medians per client count and kind
CREATE TEMP TABLE feed_run AS
SELECT r.clients, r.kind, r.rep, w.xacts / w.secs AS tps, w.secs, w.lat_mean_ms, w.lat_p95_ms, w.lat_p99_ms,
       b.xacts / nullif(b.secs, 0) AS tps_before,
       (r.win_end - r.win_start) / nullif(r.t_end - r.t_first, 0) AS window_share,
       CASE WHEN r.kind IN ('archiving', 'unpaced') THEN (r.arch_posts + r.arch_comments) / nullif(coalesce(r.arch_end, r.win_end) - r.arch_start, 0) END AS arch_rps,
       r.arch_cancelled, r.arch_end - r.arch_start AS arch_secs
  FROM pgb_runs r
  JOIN pgb_results w ON w.clients = r.clients AND w.kind = r.kind AND w.rep = r.rep AND w.script = -1 AND w.phase = 'window'
  LEFT JOIN pgb_results b ON b.clients = r.clients AND b.kind = r.kind AND b.rep = r.rep AND b.script = -1 AND b.phase = 'before';
CREATE TEMP TABLE feed AS
SELECT f.clients, f.kind, count(*) AS runs,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY f.tps) AS tps, min(f.tps) AS min_tps, max(f.tps) AS max_tps,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY f.secs) AS secs,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY f.lat_mean_ms) AS lat_mean_ms,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY f.lat_p95_ms) AS lat_p95_ms,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY f.lat_p99_ms) AS lat_p99_ms,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY f.tps_before) AS tps_before,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY f.window_share) AS window_share,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY f.arch_rps) AS arch_rps,
       count(*) FILTER (WHERE f.arch_cancelled) AS cancelled
  FROM feed_run f GROUP BY f.clients, f.kind;
CREATE TEMP TABLE feed_loss AS
SELECT a.clients, a.tps AS alone_tps, w.tps AS arch_tps, 1 - w.tps / a.tps AS loss,
       d.tps AS archived_tps, 1 - d.tps / a.tps AS archived_loss
  FROM feed a
  JOIN feed w ON w.clients = a.clients AND w.kind = 'archiving'
  LEFT JOIN feed d ON d.clients = a.clients AND d.kind = 'archived'
 WHERE a.kind = 'alone';
CREATE TEMP TABLE script_names (script int PRIMARY KEY, name text NOT NULL, weight int NOT NULL);
INSERT INTO script_names VALUES (0, 'home_feed', 40), (1, 'creator_posts', 25), (2, 'comment_thread', 25), (3, 'recent_posts', 10);
CREATE TEMP TABLE feed_fn AS
SELECT p.clients, p.kind, p.script,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY p.lat_mean_ms) AS lat_mean_ms,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY p.lat_p95_ms) AS lat_p95_ms
  FROM pgb_results p WHERE p.phase = 'window' AND p.script >= 0
 GROUP BY p.clients, p.kind, p.script;

--------------------------------------------------------------------------------
-- goals
--------------------------------------------------------------------------------
DROP TABLE IF EXISTS goals;
CREATE TABLE goals (ord int PRIMARY KEY, goal text NOT NULL, measured text NOT NULL, met boolean NOT NULL, verdict text NOT NULL);
INSERT INTO goals (ord, goal, measured, met, verdict)
SELECT g.ord, g.goal,
       format('%s rows/s against %s rows/s: %s (%s s against %s s)', pg_temp.n(a.rps), pg_temp.n(b.rps),
              pg_temp.x(a.rps / b.rps), pg_temp.s(a.secs), pg_temp.s(b.secs)),
       a.rps >= b.rps,
       CASE WHEN a.rps >= b.rps THEN 'met'
            ELSE format('**NOT met**: %s fewer rows per second', pg_temp.pct(1 - a.rps / b.rps)) END
  FROM (VALUES (1, 'A1000', 'B', 'archive_old_posts (batch 1000, the default) moves rows at least as fast as the single statement with the same foreign-key checks (B)'),
               (2, 'A5000', 'B', 'the same with batch 5000'),
               (3, 'A1000', 'R', 'for information: batch 1000 against the statement with no trigger and no foreign-key check at all (R)'))
       AS g(ord, a_side, b_side, goal)
  JOIN side a ON a.side = g.a_side
  JOIN side b ON b.side = g.b_side;
INSERT INTO goals (ord, goal, measured, met, verdict)
SELECT CASE WHEN l.clients = 2 THEN 4 ELSE 5 + l.clients END,
       format('%sfeeds lose at most 20%% of their TPS while archive_old_posts runs (pgbench -c %s)',
              CASE WHEN l.clients = 2 THEN '' ELSE 'for information: ' END, l.clients),
       format('%s tps alone, %s tps while archiving: %s', pg_temp.n(l.alone_tps), pg_temp.n(l.arch_tps),
              CASE WHEN l.loss >= 0 THEN '−' || pg_temp.pct(l.loss) ELSE '+' || pg_temp.pct(-l.loss) END),
       l.loss <= 0.2,
       CASE WHEN l.loss <= 0.2 THEN 'met'
            ELSE format('**NOT met**: %s points over', to_char(100 * (l.loss - 0.2), 'FM990.0')) END
  FROM feed_loss l;
INSERT INTO goals (ord, goal, measured, met, verdict)
SELECT 13 - a.clients,
       format('for information: feeds lose at most 20%% of their TPS while archive_old_posts runs unpaced (archive_duty_cycle = 1, pgbench -c %s)', a.clients),
       format('%s tps alone, %s tps while archiving: %s', pg_temp.n(a.tps), pg_temp.n(u.tps),
              CASE WHEN u.tps <= a.tps THEN '−' || pg_temp.pct(1 - u.tps / a.tps) ELSE '+' || pg_temp.pct(u.tps / a.tps - 1) END),
       1 - u.tps / a.tps <= 0.2,
       CASE WHEN 1 - u.tps / a.tps <= 0.2 THEN 'met'
            ELSE format('not met: %s points over', to_char(100 * ((1 - u.tps / a.tps) - 0.2), 'FM990.0')) END
  FROM feed a JOIN feed u ON u.clients = a.clients AND u.kind = 'unpaced'
 WHERE a.kind = 'alone';

--------------------------------------------------------------------------------
-- the block
--------------------------------------------------------------------------------
\echo '## 4. Archiving: archive_old_posts against one SQL statement, and feeds while it runs'
\echo
SELECT '> **Quick run** (`' || :'command' || '`): bench/generate.sql at scale ' || :'scale' || ', a smoke test of the
> benchmark scripts; the figures are indicative only. The full run (`bash bench/archive.sh`) writes docs/benchmarks.md.
' WHERE :'mode' = 'quick';
SELECT format('Made by `%s` (bench/archive.sh) on %s, in %s. Alone: `bash bench/archive.sh` (smoke test: `--quick`); `make bench` runs it after the feed benchmarks.',
              :'command', :'date', :'duration');
\echo
\echo '| | |'
\echo '|---|---|'
SELECT format('| machine | %s cores (%s), %s RAM; load average (1/5/15 min) %s at the start, %s at the end |',
              :'nproc', :'cpu', :'mem', :'loadavg_start', :'loadavg_end');
SELECT format('| PostgreSQL | %s |', :'pg_version');
SELECT format('| creator_platform | %s, git %s; %s |', :'ext_version', :'git', :'library');
SELECT format('| server | a throwaway durable cluster started by the run (scripts/cluster.sh, CP_CLUSTER_DURABLE=1; settings in postgresql.auto.conf): %s; pg_stat_statements preloaded (track = top; all only for the profile) |', :'settings');
SELECT format('| data | bench/generate.sql at scale %s: %s; one template database, every run on its own `CREATE DATABASE ... TEMPLATE` copy |', :'scale', :'data');
SELECT format('| moved per run | older_than = %s (now() − %s days when the data was made): %s |', :'older_than', :'days', :'to_move');
SELECT format('| sizes | %s runs per side; pgbench %s s per run, %s runs of each kind (alone, while archiving, unpaced, archived) per client count, archiving started %s s after pgbench; lookup tables: %s |',
              :'reps', :'pgb_seconds', :'pgb_reps', :'pgb_delay', :'lookup');
SELECT format('| scripts | bench/archive.sh (driver), bench/archive_setup.sql (fixtures), bench/archive_side.sql (one run of a side, the SQL statement), bench/archive_feed_{home,creator,thread,recent}.sql (pgbench), bench/archive_pgbench_load.sql, bench/archive_report.sql (this block) |');
SELECT format('| stages (s) | %s; total %s |', replace(:'stages', ' ', ', '), :'duration');
\echo
\echo '### Moving the rows'
\echo
\echo '- **A1000, A5000**: `CALL creator_platform.archive_old_posts(older_than, 1000 | 5000)`: batches of'
\echo '  pick (`FOR UPDATE SKIP LOCKED`), check (comments `FOR UPDATE`, users `FOR KEY SHARE`, `SKIP LOCKED`)'
\echo '  and move (one statement of four data-modifying CTEs), a commit after each (docs/architecture.md).'
\echo '  The move runs with `session_replication_role = replica`, set by the C++ for that statement only:'
\echo '  no per-row trigger fires, the foreign keys'' checks and cascades included, because each of them holds'
\echo '  by construction (a post moves with every comment on it, a reply''s parent is on the same post, and'
\echo '  the check has locked every creator and author `FOR KEY SHARE`, the lock a foreign-key check takes;'
\echo '  test/pgtap/300_archive.sql fails on a foreign key the move does not know). Nobody else is busy'
\echo '  during these runs, so `creator_platform.archive_duty_cycle` never pauses it.'
\echo '- **B**, the best single statement: `WITH moved_posts AS (DELETE FROM posts WHERE status = ''published'''
\echo '  AND published_at < older_than RETURNING every column), moved_comments AS (DELETE FROM comments USING'
\echo '  moved_posts ... RETURNING every column), INSERT INTO posts_archive ..., INSERT INTO comments_archive ...'
\echo '  (archived_at = now())`, in autocommit (bench/archive_side.sql). It has to get past the extension''s'
\echo '  triggers: the archive tables are read-only (55000) to everything but the extension, and the counter'
\echo '  trigger of comments would decrement counters of the rows being moved. Those three triggers are'
\echo '  disabled on B''s copy beforehand (`ALTER TABLE ... DISABLE TRIGGER posts_archive_read_only`,'
\echo '  `comments_archive_read_only`, `comments_after_delete`), and nothing else: B keeps every guarantee'
\echo '  A keeps, the way plain SQL can, with the foreign keys'' triggers checking every archived row against'
\echo '  posts_archive, comments_archive and users and running the cascades (posts → comments, comments →'
\echo '  replies, which find nothing left). The fair comparison: the same rows, the same guarantees.'
\echo '- **R**: the same statement under `SET session_replication_role = replica`, which switches off every'
\echo '  trigger, the foreign-key checks and cascades included: SQL with every advantage and no checks, for'
\echo '  information. An application must not run like this: it needs a superuser, and nothing guards the'
\echo '  rows (no user is locked: one deleted meanwhile leaves archived rows that refer to nobody). A''s move'
\echo '  statement runs the same way, after a pick and a check that make it safe.'
\echo
\echo 'Each run: a fresh copy of the template, the triggers (B) or the role (R), `pg_prewarm` of every table'
\echo 'and index (everything fits in shared_buffers), `CHECKPOINT`, then the server''s clock_timestamp() before'
\echo 'and after, in the same session (A: the whole CALL, every batch and commit; B and R: the statement and'
\echo 'its commit). Sides take turns (A1000 A5000 B R, then A5000 B R A1000, ...). After every run the archive'
\echo 'rows (every column but archived_at), the ids left live and the counts must equal those of the first run'
\echo 'and `reconcile_counters(false)` must return no row; the run fails otherwise.'
SELECT format('Checked: %s run(s), %s distinct result(s), %s counter(s) off in all.',
              (SELECT count(*) FROM runs), :n_digests, :total_drift);
\echo
SELECT format('Rows moved per run: %s posts + %s comments = %s rows. Medians of %s runs per side; rows/s = rows moved / median wall time; ratio = the side''s rows/s / B''s.',
              pg_temp.n(:moved_posts), pg_temp.n(:moved_comments), pg_temp.n(:moved_posts + :moved_comments), :'reps');
\echo
\echo '| side | median wall (s) | min – max (s) | rows/s | vs B | WAL per run |'
\echo '|---|---:|---:|---:|---:|---:|'
SELECT format('| %s | %s | %s – %s | %s | %s | %s |',
              CASE s.side WHEN 'A1000' THEN 'A1000 `archive_old_posts(older_than, 1000)`'
                          WHEN 'A5000' THEN 'A5000 `archive_old_posts(older_than, 5000)`'
                          WHEN 'B' THEN 'B one statement, same foreign-key checks'
                          WHEN 'R' THEN 'R one statement, replica role (no checks)' ELSE s.side END,
              pg_temp.s(s.secs), pg_temp.s(s.min_secs), pg_temp.s(s.max_secs), pg_temp.n(s.rps),
              pg_temp.x(s.rps / :b_rps), pg_temp.mb(s.wal_bytes))
  FROM side s ORDER BY s.ord;
\echo
\echo '### Goals'
\echo
\echo '| goal | measured | met |'
\echo '|---|---|---|'
SELECT format('| %s | %s | %s |', g.goal, g.measured, g.verdict) FROM goals g ORDER BY g.ord;
\echo
SELECT format(
'%s One more A1000 run on its own copy with pg_stat_statements tracking the statements inside the
procedure (track = all, which adds its own overhead): %s s for the CALL, %s batches. Pick %s s, check %s s
(together %s of the CALL), move %s s, of which foreign-key checks %s s and cascades %s s (none fire: the move
runs without per-row triggers); the rest, %s s, is the procedure itself: a commit per batch (a WAL flush at
synchronous_commit = on), SPI, a NOTICE. Pick and check are what A pays for never waiting: they lock every
post and comment to be moved `FOR UPDATE` and their users `FOR KEY SHARE`, `SKIP LOCKED`, so that a batch
never waits for a writer, never deadlocks with one and leaves busy posts for a later run
(docs/architecture.md); locking a row writes it (its xmax, and WAL): A1000 writes %s of WAL per run, B %s.
B, for its part, checks every archived row''s foreign keys one by one in triggers. With 5,000 posts per
batch, A5000 moves %s rows/s, %s B.',
    CASE WHEN :a_rps < :b_rps THEN '**Why A is slower than B.**' ELSE '**Where A''s time goes.**' END,
    pg_temp.s(:'p_call_ms'::float8 / 1000), :p_batches,
    pg_temp.s(:'p_pick_ms'::float8 / 1000), pg_temp.s(:'p_check_ms'::float8 / 1000),
    pg_temp.pct((:'p_pick_ms'::float8 + :'p_check_ms'::float8) / nullif(:'p_call_ms'::float8, 0)),
    pg_temp.s(:'p_move_ms'::float8 / 1000), pg_temp.s(:'p_fkc_ms'::float8 / 1000), pg_temp.s(:'p_fkd_ms'::float8 / 1000),
    pg_temp.s((:'p_call_ms'::float8 - :'p_pick_ms'::float8 - :'p_check_ms'::float8 - :'p_move_ms'::float8) / 1000),
    pg_temp.mb(:'a_wal'::float8), pg_temp.mb(:'b_wal'::float8),
    pg_temp.n(:'a5_rps'::float8), pg_temp.x(:'a5_rps'::float8 / :'b_rps'::float8));
\echo
SELECT format('R against B: %s. The difference is the foreign-key checks and cascades, run row by row by triggers (every archived row checked against posts_archive, comments_archive and users; every deleted post and comment cascading), which B does and R and A''s move skip; A1000 against R: %s, the price of its pick and check and of a commit per batch.',
              pg_temp.x(:r_rps / :b_rps), pg_temp.x(:a_rps / :r_rps));
\echo
\echo '### Feeds while archive_old_posts runs'
\echo
SELECT format(
'pgbench `-n -M prepared -T %s`, page 1 of each feed with random ids from lookup tables (bench/archive_feed_*.sql):
40%% `home_feed(reader, 20)`, 25%% `creator_posts(creator, reader, 20)`, 25%% `comment_thread(post, 50)` (old posts
included, read while they move), 10%% `recent_posts(reader, 20)`. Two clients, as many as the machine has cores
(pgbench itself takes CPU too), then one client (a core left for archiving). Four kinds of run, taking turns,
each on a fresh copy after pg_prewarm and a CHECKPOINT:

- *alone*: nothing archived yet (the archive tables are empty, and the feeds skip an empty archive), pgbench by
  itself, measured from %s s after it starts;
- *while archiving*: the same data, and `CALL archive_old_posts(older_than, 1000)` starts in another session
  %s s after pgbench; TPS and latency count the transactions that completed between the start of the CALL and
  its end or the end of pgbench, whichever came first (pgbench''s per-transaction log). A CALL still running
  when pgbench ends is cancelled (its committed batches stay): archiving then ran through the whole window.
  As it runs by default: after each batch, while another session is running a statement (here pgbench''s),
  it pauses so that its batches take at most `creator_platform.archive_duty_cycle` = 0.1 of the time
  (src/archive.cpp; alone, as in the runs above, it never pauses);
- *unpaced*: the same, with `archive_duty_cycle = 1` (no pauses), for information;
- *archived*: pgbench by itself again, on a copy where that archiving has been done (the profiled run above,
  then VACUUM ANALYZE): what the feeds cost once they read both places, without anything running beside them.

Medians of the runs; "vs alone" compares TPS.', :'pgb_seconds', :'pgb_delay', :'pgb_delay');
\echo
\echo '| clients | run | runs | window (s) | TPS (min – max) | vs alone | latency mean / p95 / p99 (ms) | archiving meanwhile |'
\echo '|---:|---|---:|---:|---:|---:|---:|---|'
SELECT format('| %s | %s | %s | %s | %s (%s – %s) | %s | %s / %s / %s | %s |',
              f.clients, CASE f.kind WHEN 'alone' THEN 'alone' WHEN 'archiving' THEN 'while archiving'
                                     WHEN 'unpaced' THEN 'while archiving, unpaced (duty cycle 1)' ELSE 'archived' END,
              f.runs, pg_temp.s(f.secs), pg_temp.n(f.tps), pg_temp.n(f.min_tps), pg_temp.n(f.max_tps),
              CASE WHEN f.kind = 'alone' THEN ''
                   ELSE CASE WHEN f.tps <= a.tps THEN '−' || pg_temp.pct(1 - f.tps / a.tps) ELSE '+' || pg_temp.pct(f.tps / a.tps - 1) END END,
              pg_temp.ms(f.lat_mean_ms), pg_temp.ms(f.lat_p95_ms), pg_temp.ms(f.lat_p99_ms),
              CASE WHEN f.kind NOT IN ('archiving', 'unpaced') THEN '' ELSE
                   format('%s rows/s moved (%s alone); %s of %s runs cancelled at the end of pgbench; window %s of the pgbench run; %s tps before it started',
                          pg_temp.n(f.arch_rps), pg_temp.n(:a_rps), f.cancelled, f.runs, pg_temp.pct(f.window_share), pg_temp.n(f.tps_before)) END)
  FROM feed f JOIN feed a ON a.clients = f.clients AND a.kind = 'alone'
 ORDER BY f.clients DESC, CASE f.kind WHEN 'alone' THEN 1 WHEN 'archiving' THEN 2 WHEN 'unpaced' THEN 3 ELSE 4 END;
\echo
\echo 'Latency per function in the window (medians of the runs'' means and 95th percentiles, ms):'
\echo
\echo '| clients | function (share) | alone mean / p95 | while archiving mean / p95 | archived mean / p95 |'
\echo '|---:|---|---:|---:|---:|'
SELECT format('| %s | %s (%s%%) | %s / %s | %s / %s | %s / %s |', a.clients, n.name, n.weight,
              pg_temp.ms(a.lat_mean_ms), pg_temp.ms(a.lat_p95_ms), pg_temp.ms(w.lat_mean_ms), pg_temp.ms(w.lat_p95_ms),
              pg_temp.ms(d.lat_mean_ms), pg_temp.ms(d.lat_p95_ms))
  FROM feed_fn a
  JOIN feed_fn w ON w.clients = a.clients AND w.script = a.script AND w.kind = 'archiving'
  LEFT JOIN feed_fn d ON d.clients = a.clients AND d.script = a.script AND d.kind = 'archived'
  JOIN script_names n ON n.script = a.script
 WHERE a.kind = 'alone'
 ORDER BY a.clients DESC, a.script;
\echo
SELECT format(
'%s The machine has %s cores. With two clients, pgbench and its two backends already use both
(%s tps alone). Unpaced, archive_old_posts is one more busy backend (it moved %s rows/s meanwhile, against
%s by itself) and the feeds share the cores with it: %s. Paced, as it runs by default, it works a tenth of
the time while pgbench is busy (%s rows/s meanwhile), and the feeds lose %s. %s With one client, a core is
left for archiving: %s',
    CASE WHEN l.loss > 0.2 THEN '**Why the feeds lose more than 20% with two clients.**' ELSE '**Two clients and one.**' END,
    :'nproc', pg_temp.n(l.alone_tps),
    (SELECT pg_temp.n(f.arch_rps) FROM feed f WHERE f.clients = 2 AND f.kind = 'unpaced'), pg_temp.n(:a_rps),
    coalesce((SELECT CASE WHEN f.tps <= l.alone_tps THEN '−' || pg_temp.pct(1 - f.tps / l.alone_tps) ELSE '+' || pg_temp.pct(f.tps / l.alone_tps - 1) END
                FROM feed f WHERE f.clients = 2 AND f.kind = 'unpaced'), 'not measured'),
    (SELECT pg_temp.n(f.arch_rps) FROM feed f WHERE f.clients = 2 AND f.kind = 'archiving'),
    CASE WHEN l.loss >= 0 THEN '−' || pg_temp.pct(l.loss) ELSE '+' || pg_temp.pct(-l.loss) END,
    CASE WHEN l.archived_loss IS NULL THEN ''
         WHEN l.archived_loss > 0.05 THEN format('Part of the loss stays after archiving: once the archive has rows, the feeds read it too (the *archived* runs: −%s against alone).', pg_temp.pct(l.archived_loss))
         ELSE format('Reading both places is not what costs: the *archived* runs, with the archive full, are at %s%s of alone.',
                     CASE WHEN l.archived_loss >= 0 THEN '−' ELSE '+' END, pg_temp.pct(abs(l.archived_loss))) END,
    coalesce((SELECT CASE WHEN l1.loss >= 0 THEN format('the feeds lose %s while it runs.', pg_temp.pct(l1.loss))
                          ELSE format('the feeds even run %s faster while it runs. One client alone is slow for reasons of its own (%s tps, against %s per client with two): each transaction is a round trip between pgbench and its backend, which is probably quicker when other work keeps the cores awake.',
                                      pg_temp.pct(-l1.loss), pg_temp.n(l1.alone_tps), pg_temp.n(l.alone_tps / 2)) END
                FROM feed_loss l1 WHERE l1.clients = 1), 'not measured.'))
  FROM feed_loss l WHERE l.clients = 2;
