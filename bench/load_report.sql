-- bench/load_report.sql: section 5 of docs/benchmarks.md (the load block, without
-- its markers) from the measurements of bench/load.sh, in its results database.
-- Run with psql -At.

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
       max(value) FILTER (WHERE key = 'durable') AS durable,
       max(value) FILTER (WHERE key = 'settings') AS settings,
       max(value) FILTER (WHERE key = 'scale') AS scale,
       max(value) FILTER (WHERE key = 'data') AS data,
       max(value) FILTER (WHERE key = 'hot') AS hot,
       max(value) FILTER (WHERE key = 'lookup') AS lookup,
       max(value) FILTER (WHERE key = 'seconds') AS seconds,
       max(value) FILTER (WHERE key = 'clients') AS clients,
       max(value) FILTER (WHERE key = 'jobs') AS jobs,
       max(value) FILTER (WHERE key = 'pgbench_tps') AS pgbench_tps,
       max(value) FILTER (WHERE key = 'verdict') AS verdict,
       max(value) FILTER (WHERE key = 'loadavg_start') AS loadavg_start,
       max(value) FILTER (WHERE key = 'loadavg_end') AS loadavg_end,
       max(value) FILTER (WHERE key = 'stages') AS stages
  FROM notes \gset

CREATE FUNCTION pg_temp.n(x float8) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN x IS NULL THEN '–' ELSE to_char(round(x), 'FM999,999,999,990') END
$$;
CREATE FUNCTION pg_temp.ms(x float8) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN x IS NULL THEN '–' WHEN x >= 100 THEN to_char(x, 'FM999,990.0') ELSE to_char(x, 'FM990.000') END
$$;
CREATE FUNCTION pg_temp.pct(x float8) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN x IS NULL THEN '–' ELSE to_char(100 * x, 'FM990.0') || '%' END
$$;
CREATE FUNCTION pg_temp.lat(mean float8, p50 float8, p95 float8, p99 float8, mx float8) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT format('%s / %s / %s / %s / %s', pg_temp.ms(mean), pg_temp.ms(p50), pg_temp.ms(p95), pg_temp.ms(p99), pg_temp.ms(mx))
$$;

SELECT k.xacts AS all_xacts, k.failed AS all_failed, k.secs AS all_secs, k.xacts / k.secs AS all_tps
  FROM per_kind k WHERE k.kind = 'all' \gset
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY s.xacts) AS sec_median, min(s.xacts) AS sec_min,
       max(s.xacts) AS sec_max, count(*) AS sec_n
  FROM per_second s \gset

\echo '## 5. Mixed load: feeds, comments, subscriptions and publishing at once'
\echo
SELECT format('Made by `%s` (bench/load.sh) on %s, in %s. Alone: `make bench-load` or `bash bench/load.sh` (smoke test: `--quick`, which writes build/load-logs/ only). Checks: **%s**.',
              :'command', :'date', :'duration', :'verdict');
SELECT :'mode' = 'quick' AS is_quick \gset
\if :is_quick
\echo
\echo '**A quick run (smoke test): small data and a short run; not the figures of record.**'
\endif
\echo
\echo '| | |'
\echo '|---|---|'
SELECT format('| machine | %s cores (%s), %s RAM; load average (1/5/15 min) %s at the start, %s at the end |',
              :'nproc', :'cpu', :'mem', :'loadavg_start', :'loadavg_end');
SELECT format('| PostgreSQL | %s |', :'pg_version');
SELECT format('| creator_platform | %s, git %s; %s |', :'ext_version', :'git', :'library');
SELECT format('| server | a throwaway %s cluster started by the run (scripts/cluster.sh; settings in postgresql.auto.conf): %s; pg_stat_statements preloaded |',
              CASE WHEN :'durable' = '1' THEN 'durable (CP_CLUSTER_DURABLE=1)' ELSE '**not durable** (`--no-fsync`)' END, :'settings');
SELECT format('| data | bench/generate.sql at scale %s: %s |', :'scale', :'data');
SELECT format('| hot set | %s |', :'hot');
SELECT format('| lookup tables | %s (bench/load_setup.sql) |', :'lookup');
SELECT format('| load | `pgbench -n -M prepared -c %s -j %s -T %s -r --failures-detailed -l`, 9 weighted scripts (below), --max-tries 1 (nothing retried) |',
              :'clients', :'jobs', :'seconds');
SELECT format('| scripts | bench/load.sh (driver), bench/load_setup.sql (fixtures), bench/load_{feed_home,feed_creator,feed_thread,feed_recent,comment_add,comment_delete,subscription,publish_now,publish_scheduled}.sql (pgbench), bench/load_pgbench.sql (the per-transaction log), bench/load_report.sql (this block) |');
SELECT format('| stages (s) | %s; total %s |', replace(:'stages', ' ', ', '), :'duration');
\echo
\echo 'Every id a script uses comes from a lookup table chosen so that no call can break a rule of the'
\echo 'contract (published live posts, live parents on the same post that the load never deletes, readers'
\echo 'who are never the creator they subscribe to, creators with role creator). pgbench retries nothing, so'
\echo 'a deadlock or serialization failure is a failed transaction, and any other error aborts its client:'
\echo 'each is a failure of the extension. `test/tap/load.sh` runs the same load for 15 s at scale 0.5 in'
\echo '`make test` and asserts the same checks.'
\echo
\echo '### Checks'
\echo
\echo '| check | measured | ok |'
\echo '|---|---|---|'
SELECT format('| %s | %s | %s |', c.item, c.value, CASE WHEN c.ok THEN 'yes' ELSE '**NO**' END) FROM checks c ORDER BY c.ord;
\echo
\echo '### Throughput and latency'
\echo
SELECT format('%s transactions committed in %s s: **%s tps** (pgbench: %s tps); committed per whole second: median %s, min %s, max %s over %s s; %s failed.',
              pg_temp.n(:all_xacts), to_char(:all_secs, 'FM990.0'), pg_temp.n(:all_tps), coalesce(nullif(:'pgbench_tps', ''), '–'),
              pg_temp.n(:sec_median), pg_temp.n(:sec_min), pg_temp.n(:sec_max), :sec_n, pg_temp.n(:all_failed));
\echo 'A transaction is one run of a script (several statements, each its own database transaction).'
\echo 'Latency per transaction, of those that committed, from pgbench''s per-transaction log.'
\echo
\echo '| kind / script | what | weight | share | transactions | TPS | failed | latency mean / p50 / p95 / p99 / max (ms) |'
\echo '|---|---|---:|---:|---:|---:|---:|---:|'
WITH k AS (
    SELECT k.kind, CASE k.kind WHEN 'all' THEN 0 WHEN 'feeds' THEN 1 WHEN 'comments' THEN 2
                              WHEN 'subscriptions' THEN 3 WHEN 'publishing' THEN 4 ELSE 5 END AS ord,
           k.xacts, k.failed, k.secs, k.lat_mean_ms, k.lat_p50_ms, k.lat_p95_ms, k.lat_p99_ms, k.lat_max_ms
      FROM per_kind k
), rows AS (
    SELECT k.ord, -1 AS script,
           format('| **%s** | | %s | %s | %s | %s | %s | %s |',
                  k.kind, (SELECT sum(s.weight) FROM scripts s WHERE s.kind = k.kind OR k.kind = 'all'),
                  pg_temp.pct(k.xacts::float8 / nullif(:all_xacts, 0)), pg_temp.n(k.xacts), pg_temp.n(k.xacts / k.secs),
                  pg_temp.n(k.failed), pg_temp.lat(k.lat_mean_ms, k.lat_p50_ms, k.lat_p95_ms, k.lat_p99_ms, k.lat_max_ms)) AS line
      FROM k
    UNION ALL
    SELECT k.ord, s.script,
           format('| %s | %s | %s | %s | %s | %s | %s | %s |',
                  s.file, s.what, s.weight, pg_temp.pct(p.xacts::float8 / nullif(:all_xacts, 0)), pg_temp.n(p.xacts),
                  pg_temp.n(p.xacts / p.secs),
                  CASE WHEN p.failed = 0 THEN '0'
                       ELSE format('**%s** (%s)', p.failed,
                                   concat_ws(', ', CASE WHEN p.deadlocks > 0 THEN p.deadlocks || ' deadlock' END,
                                             CASE WHEN p.serialization > 0 THEN p.serialization || ' serialization' END,
                                             CASE WHEN p.other_failures > 0 THEN p.other_failures || ' other' END)) END,
                  pg_temp.lat(p.lat_mean_ms, p.lat_p50_ms, p.lat_p95_ms, p.lat_p99_ms, p.lat_max_ms))
      FROM scripts s JOIN per_script p USING (script) JOIN k ON k.kind = s.kind
)
SELECT r.line FROM rows r ORDER BY r.ord, r.script;
\echo
SELECT EXISTS (SELECT FROM failures) AS has_failures, EXISTS (SELECT FROM log_errors) AS has_log_errors,
       EXISTS (SELECT FROM failures) OR EXISTS (SELECT FROM log_errors) AS has_any \gset
\if :has_any
\echo '### Failures'
\echo
\endif
\if :has_failures
\echo 'What pgbench reported (`--verbose-errors`), per statement (its first line):'
\echo
\echo '| script | statement | error | times |'
\echo '|---|---|---|---:|'
SELECT format('| %s | %s | %s | %s |', s.file,
              coalesce('`' || replace(c.text, '|', '\|') || '`', 'command ' || f.command),
              replace(f.message, '|', '\|'), f.n)
  FROM failures f
  LEFT JOIN scripts s USING (script)
  LEFT JOIN commands c ON c.script = f.script AND c.command = f.command
 ORDER BY f.n DESC, f.script, f.command;
\echo
\endif
\if :has_log_errors
\echo 'The server log during the run (the first 20 ERROR, FATAL or PANIC lines; `server-window.log` in the logs has their context):'
\echo
\echo '```'
SELECT l.line FROM log_errors l ORDER BY l.ord;
\echo '```'
\echo
\endif
\echo '### What the load wrote'
\echo
\echo '| | rows |'
\echo '|---|---:|'
SELECT format('| %s | %s |', CASE WHEN w.item = 'WAL (bytes)' THEN 'WAL' ELSE w.item END,
              CASE WHEN w.item = 'WAL (bytes)' THEN to_char(w.n / 1048576, 'FM999,990.0') || ' MB' ELSE pg_temp.n(w.n) END)
  FROM written w ORDER BY w.ord;
\echo
\echo 'Rows the feeds returned (pg_stat_statements, both pages):'
\echo
\echo '| function | statements | rows | rows per statement |'
\echo '|---|---:|---:|---:|'
SELECT format('| %s | %s | %s | %s |', f.fn, pg_temp.n(f.calls), pg_temp.n(f.rows), to_char(f.rows::float8 / nullif(f.calls, 0), 'FM990.0'))
  FROM feed_rows f ORDER BY f.calls DESC;
\echo
\echo 'Server-side calls per function of the extension during the run (pg_stat_user_functions,'
\echo '`track_functions = all`; triggers included; total time includes the functions a function calls):'
\echo
\echo '| function | calls | total (ms) | self (ms) | mean (ms) |'
\echo '|---|---:|---:|---:|---:|'
SELECT format('| %s | %s | %s | %s | %s |', c.fn, pg_temp.n(c.calls), pg_temp.n(c.total_ms), pg_temp.n(c.self_ms),
              pg_temp.ms(c.total_ms / nullif(c.calls, 0)))
  FROM calls c WHERE c.calls > 0 ORDER BY c.total_ms DESC, c.fn;
\echo
\echo 'Latency per statement (pgbench `-r`: mean per execution, ms; each statement is its own transaction):'
\echo
\echo '| script | statement (first line) | mean (ms) | failures |'
\echo '|---|---|---:|---:|'
SELECT format('| %s | `%s` | %s | %s |', s.file, replace(c.text, '|', '\|'), pg_temp.ms(c.lat_ms), c.failures)
  FROM commands c JOIN scripts s USING (script)
 WHERE c.text !~ '^\\'
 ORDER BY c.script, c.command;
\echo
