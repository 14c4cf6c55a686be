-- bench/uuid_setup.sql: uuid_generate_v7() against gen_random_uuid() as primary key
-- (bench/run.sh runs it after bench/setup.sql).
--
-- Two tables that differ only in the default of the key; a small payload
-- (40 characters). bench.load_uuid() fills one in batches of INSERT ... SELECT,
-- each batch committed, and records every batch's time.

\set ON_ERROR_STOP on
SET client_min_messages = warning;

DROP SCHEMA IF EXISTS bench_uuid CASCADE;
CREATE SCHEMA bench_uuid;
CREATE TABLE bench_uuid.t_v7 (id uuid PRIMARY KEY DEFAULT creator_platform.uuid_generate_v7(), payload text NOT NULL);
CREATE TABLE bench_uuid.t_v4 (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), payload text NOT NULL);
-- autovacuum would run now and then during the load on one side and not the other:
-- an insert-only load needs none, so keep it out of the measurement
ALTER TABLE bench_uuid.t_v7 SET (autovacuum_enabled = off);
ALTER TABLE bench_uuid.t_v4 SET (autovacuum_enabled = off);

DROP PROCEDURE IF EXISTS bench.load_uuid(text, bigint, integer);
CREATE PROCEDURE bench.load_uuid(p_side text, p_rows bigint, p_batch integer) LANGUAGE plpgsql AS $$
DECLARE
    stmt text := format('INSERT INTO bench_uuid.%I (payload) '
                        'SELECT lpad(g::text, 40, ''payload-'') FROM generate_series(1, $1) AS g',
                        't_' || p_side);
    done bigint := 0;
    b integer;
    t0 timestamptz;
    t timestamptz;
    t_start timestamptz := clock_timestamp();
    ms double precision[] := '{}';
BEGIN
    WHILE done < p_rows LOOP
        b := least(p_batch, p_rows - done);
        t0 := clock_timestamp();
        EXECUTE stmt USING b;
        COMMIT;
        t := clock_timestamp();
        ms := ms || (extract(epoch FROM t - t0) * 1000)::float8;
        done := done + b;
    END LOOP;
    INSERT INTO bench.results (bench, side, metric, value)
    SELECT 'uuid_load', p_side, 'total_s', extract(epoch FROM clock_timestamp() - t_start)
    UNION ALL SELECT 'uuid_load', p_side, 'rows', done
    UNION ALL SELECT 'uuid_load', p_side, 'batches', cardinality(ms)
    -- batch times: the first and the last tenth of the load (the index small, then large)
    UNION ALL SELECT 'uuid_load', p_side, 'batch_ms_first10pct',
           (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x.v) FROM unnest(ms) WITH ORDINALITY AS x(v, i)
             WHERE x.i <= greatest(1, cardinality(ms) / 10))
    UNION ALL SELECT 'uuid_load', p_side, 'batch_ms_last10pct',
           (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x.v) FROM unnest(ms) WITH ORDINALITY AS x(v, i)
             WHERE x.i > cardinality(ms) - greatest(1, cardinality(ms) / 10))
    UNION ALL SELECT 'uuid_load', p_side, 'batch_ms_median',
           (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x.v) FROM unnest(ms) AS x(v))
    UNION ALL SELECT 'uuid_load', p_side, 'batch_ms_p90',
           (SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY x.v) FROM unnest(ms) AS x(v));
    COMMIT;
END
$$;
