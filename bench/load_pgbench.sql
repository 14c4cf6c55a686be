-- bench/load_pgbench.sql: the pgbench run of bench/load.sh, from its per-transaction
-- log (pgbench -l --failures-detailed, read from standard input with the first six
-- fields of each line: client, transaction, latency in us or the failure
-- ('deadlock', 'serialization', 'failed'), script (from 0), epoch s, us), into
-- the tables per_script, per_kind, per_client and per_second of the results
-- database. Table scripts (script, file, kind, weight) must be filled first.
--
--   awk '{print $1, $2, $3, $4, $5, $6}' LOGS | psql -X -d loadres -f bench/load_pgbench.sql
--
-- The window is the run: from the start of the first transaction (its end minus
-- its latency) to the end of the last. Latencies are those of the transactions
-- that committed; a failed one counts in failed and in its type.

\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE TEMP TABLE x (client int, xact bigint, lat text, script int, epoch bigint, us bigint);
\copy x FROM pstdin WITH (DELIMITER ' ')
CREATE TEMP TABLE y AS
SELECT x.client, x.script,
       CASE WHEN x.lat ~ '^[0-9]+$' THEN x.lat::bigint END AS lat_us,
       CASE WHEN x.lat !~ '^[0-9]+$' THEN x.lat END AS failure,
       x.epoch + x.us / 1e6::float8 AS t_end
  FROM x;
SELECT min(y.t_end - coalesce(y.lat_us, 0) / 1e6::float8) AS t0, max(y.t_end) AS t1 FROM y \gset

INSERT INTO per_script (script, xacts, failed, deadlocks, serialization, other_failures, secs,
                        lat_mean_ms, lat_p50_ms, lat_p95_ms, lat_p99_ms, lat_max_ms)
SELECT s.script, count(y.lat_us), count(y.failure),
       count(*) FILTER (WHERE y.failure = 'deadlock'), count(*) FILTER (WHERE y.failure = 'serialization'),
       count(*) FILTER (WHERE y.failure NOT IN ('deadlock', 'serialization')),
       :t1 - :t0,
       avg(y.lat_us) / 1000, percentile_cont(0.5) WITHIN GROUP (ORDER BY y.lat_us) / 1000,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY y.lat_us) / 1000,
       percentile_cont(0.99) WITHIN GROUP (ORDER BY y.lat_us) / 1000, max(y.lat_us) / 1000.0
  FROM scripts s LEFT JOIN y ON y.script = s.script
 GROUP BY s.script;

INSERT INTO per_kind (kind, xacts, failed, secs, lat_mean_ms, lat_p50_ms, lat_p95_ms, lat_p99_ms, lat_max_ms)
SELECT coalesce(s.kind, 'all'), count(y.lat_us), count(y.failure), :t1 - :t0,
       avg(y.lat_us) / 1000, percentile_cont(0.5) WITHIN GROUP (ORDER BY y.lat_us) / 1000,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY y.lat_us) / 1000,
       percentile_cont(0.99) WITHIN GROUP (ORDER BY y.lat_us) / 1000, max(y.lat_us) / 1000.0
  FROM y JOIN scripts s ON s.script = y.script
 GROUP BY GROUPING SETS ((s.kind), ());

INSERT INTO per_client (client, xacts, failed, first_end, last_end)
SELECT y.client, count(y.lat_us), count(y.failure), min(y.t_end) - :t0, max(y.t_end) - :t0
  FROM y GROUP BY y.client;

-- committed transactions per whole second of the run (the last, partial second left out)
INSERT INTO per_second (sec, xacts)
SELECT g.sec, count(y.lat_us)
  FROM generate_series(0, floor(:t1 - :t0)::int - 1) AS g(sec)
  LEFT JOIN y ON y.lat_us IS NOT NULL AND floor(y.t_end - :t0)::int = g.sec
 GROUP BY g.sec;

SELECT format('%s transactions in %s s (%s tps), %s failed', count(y.lat_us), round((:t1 - :t0)::numeric, 1),
              round(count(y.lat_us) / (:t1 - :t0)), count(y.failure))
  FROM y;
