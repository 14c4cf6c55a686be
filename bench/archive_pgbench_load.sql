-- bench/archive_pgbench_load.sql: one pgbench run of bench/archive.sh, from its
-- per-transaction log (pgbench -l, read from standard input: client, transaction,
-- latency in us, script, epoch s, us) to rows of pgb_runs and pgb_results in the
-- results database.
--
--   cat LOGS | psql -X -d archbench -v clients=2 -v kind=alone -v rep=1 -v t_launch=... \
--       -v win_start=... -v arch_start=... -v arch_end=... -v arch_cancelled=false \
--       -v arch_posts=0 -v arch_comments=0 -f bench/archive_pgbench_load.sql
--
-- The window: from win_start (alone: launch + the delay after which the other
-- runs start archiving; with archiving: the start of the CALL) to the end of
-- archiving or of pgbench, whichever is first (arch_end 'Infinity' when alone).
-- A transaction counts in the window it completed in.

\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE TEMP TABLE x (client int, xact bigint, lat_us bigint, script int, epoch bigint, us bigint);
\copy x FROM pstdin WITH (DELIMITER ' ')
CREATE TEMP TABLE y AS SELECT x.script, x.lat_us, x.epoch + x.us / 1e6::float8 AS t FROM x;
SELECT min(y.t) AS t_first, max(y.t) AS t_end, count(*) AS n_all FROM y \gset
SELECT least(:'arch_end'::float8, :t_end) AS win_end \gset

INSERT INTO pgb_runs (clients, kind, rep, t_launch, t_first, t_end, win_start, win_end, arch_start, arch_end,
                      arch_cancelled, arch_posts, arch_comments, xacts_total)
VALUES (:clients, :'kind', :rep, :t_launch, :t_first, :t_end, :win_start, :win_end,
        nullif(:'arch_start', '')::float8, nullif(:'arch_end', 'Infinity')::float8,
        :'arch_cancelled'::boolean, :arch_posts, :arch_comments, :n_all);

INSERT INTO pgb_results (clients, kind, rep, script, phase, xacts, secs, lat_mean_ms, lat_p50_ms, lat_p95_ms, lat_p99_ms)
SELECT :clients, :'kind', :rep, coalesce(y.script, -1), 'window', count(*), :win_end - :win_start,
       avg(y.lat_us) / 1000, percentile_cont(0.5) WITHIN GROUP (ORDER BY y.lat_us) / 1000,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY y.lat_us) / 1000,
       percentile_cont(0.99) WITHIN GROUP (ORDER BY y.lat_us) / 1000
  FROM y
 WHERE y.t >= :win_start AND y.t <= :win_end
 GROUP BY GROUPING SETS ((), (y.script));

-- before the window (the first seconds of every run, archiving not started yet)
INSERT INTO pgb_results (clients, kind, rep, script, phase, xacts, secs, lat_mean_ms, lat_p50_ms, lat_p95_ms, lat_p99_ms)
SELECT :clients, :'kind', :rep, -1, 'before', count(*), :win_start - :t_first,
       avg(y.lat_us) / 1000, percentile_cont(0.5) WITHIN GROUP (ORDER BY y.lat_us) / 1000,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY y.lat_us) / 1000,
       percentile_cont(0.99) WITHIN GROUP (ORDER BY y.lat_us) / 1000
  FROM y
 WHERE y.t < :win_start;

SELECT format('%s transactions in the window of %s s: %s tps', count(*), round((:win_end - :win_start)::numeric, 1),
              round(count(*) / (:win_end - :win_start)))
  FROM y WHERE y.t >= :win_start AND y.t <= :win_end;
