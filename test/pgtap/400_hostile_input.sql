-- 400_hostile_input: NULL in every argument of every public function (issue 6,
-- "Hostile input"; API.md "Rules": 22023 for a NULL where a value is needed,
-- the scalar uuid functions are STRICT instead).
--   * coverage: the public functions (pg_proc of schema creator_platform but
--     trigger functions and `_` ones) are exactly the rows of hostile.calls,
--     with as many arguments as the catalog says, so that a new function or
--     argument fails here until it gets its cases; uuid_v7_timestamp is the
--     only STRICT one with arguments;
--   * every function is called once with valid arguments (undone at once):
--     it works, or gives what the contract says inside a transaction block
--     (archive_old_posts 25001; the pg_cron functions 55000 where pg_cron
--     lives in another database without dblink), so that the NULL cases
--     below fail because of the NULL and nothing else;
--   * then for each argument, NULL in its place: 22023 for a required one,
--     NULL out of the STRICT uuid function, an optional one accepted; each
--     time the state of every table, materialized view and sequence of the
--     extension, the privileges and row-security flags of its relations and
--     functions, and this backend's advisory locks are compared before and
--     after: nothing changed (add_comment with parent NULL writes its
--     comment, as it must).
-- Other hostile values are in 402_hostile_values.sql, cursors in
-- 401_hostile_cursors.sql; test/tap/hostile_log.sh runs the three and then
-- checks the server log for crashes.
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(145);
\ir setup/hostile_fixture.sql

--------------------------------------------------------------------------------
-- the functions and their arguments
--------------------------------------------------------------------------------
-- One row per public function (name and argument types as pg_proc spells
-- them): `args`, SQL expressions for a valid call, where 'CURSOR' stands for
-- the cursor of the first row of the same call made with page_size 1 and no
-- cursor (so that the cursor always matches the other arguments); `valid`,
-- what that call gives here, inside a transaction block ('ok' or a SQLSTATE);
-- `nulls`, per argument, what the call gives with NULL in its place: a
-- SQLSTATE (22023 is the contract's answer for a required argument), 'strict'
-- (NULL in, NULL out), 'ok' (an optional argument: the call works and
-- writes nothing) or 'writes' (an optional argument of a function that writes).
CREATE ROLE cp_hostile_app NOLOGIN;
CREATE TABLE hostile.calls (fn text PRIMARY KEY, args text[] NOT NULL, valid text NOT NULL, nulls text[] NOT NULL);
INSERT INTO hostile.calls (fn, args, valid, nulls) VALUES
    ('uuid_generate_v7()', '{}', 'ok', '{}'),
    ('uuid_v7_timestamp(uuid)', ARRAY[$$'00000000-0000-7000-8000-0000000004c1'$$], 'ok', '{strict}'),
    ('add_comment(uuid, uuid, text, uuid)',
     ARRAY[$$'00000000-0000-7000-8000-000000004b01'$$, $$'00000000-0000-7000-8000-0000000004e1'$$, $$'a reply'$$,
           $$'00000000-0000-7000-8000-00000c400001'$$], 'ok', '{22023,22023,22023,writes}'),
    ('delete_comment(uuid)', ARRAY[$$'00000000-0000-7000-8000-00000c400003'$$], 'ok', '{22023}'),
    ('publish_post(uuid)', ARRAY[$$'00000000-0000-7000-8000-000000004d01'$$], 'ok', '{22023}'),
    ('schedule_post(uuid, timestamp with time zone)',
     ARRAY[$$'00000000-0000-7000-8000-000000004d01'$$, $$now() + interval '1 day'$$], 'ok', '{22023,22023}'),
    ('publish_due_posts()', '{}', 'ok', '{}'),
    ('subscribe(uuid, uuid)', ARRAY[$$'00000000-0000-7000-8000-0000000004a1'$$, $$'00000000-0000-7000-8000-0000000004c1'$$],
     'ok', '{22023,22023}'),
    ('cancel_subscription(uuid, uuid)', ARRAY[$$'00000000-0000-7000-8000-0000000004e1'$$, $$'00000000-0000-7000-8000-0000000004c1'$$],
     'ok', '{22023,22023}'),
    ('claim_events(integer)', ARRAY['10'], 'ok', '{22023}'),
    ('creator_posts(uuid, uuid, integer, text)',
     ARRAY[$$'00000000-0000-7000-8000-0000000004c1'$$, $$'00000000-0000-7000-8000-0000000004e1'$$, '20', 'CURSOR'],
     'ok', '{22023,ok,22023,ok}'),
    ('home_feed(uuid, integer, text)', ARRAY[$$'00000000-0000-7000-8000-0000000004e1'$$, '20', 'CURSOR'], 'ok', '{22023,22023,ok}'),
    ('recent_posts(uuid, integer, text)', ARRAY[$$'00000000-0000-7000-8000-0000000004e1'$$, '20', 'CURSOR'], 'ok', '{ok,22023,ok}'),
    ('post_view(uuid, uuid)', ARRAY[$$'00000000-0000-7000-8000-000000004b02'$$, $$'00000000-0000-7000-8000-0000000004e1'$$],
     'ok', '{22023,ok}'),
    ('comment_thread(uuid, integer, text, integer, uuid)',
     ARRAY[$$'00000000-0000-7000-8000-000000004b01'$$, '50', 'CURSOR', '5', $$'00000000-0000-7000-8000-00000c400001'$$],
     'ok', '{22023,22023,ok,ok,ok}'),
    ('subscriptions_of(uuid, subscription_status, integer, text)',
     ARRAY[$$'00000000-0000-7000-8000-0000000004e1'$$, $$'active'$$, '20', 'CURSOR'], 'ok', '{22023,22023,22023,ok}'),
    ('subscribers_of(uuid, subscription_status, integer, text)',
     ARRAY[$$'00000000-0000-7000-8000-0000000004c1'$$, $$'active'$$, '20', 'CURSOR'], 'ok', '{22023,22023,22023,ok}'),
    ('archive_posts(timestamp with time zone, integer)', ARRAY[$$now() - interval '5 hours'$$, '10'], 'ok', '{22023,22023}'),
    -- a procedure that commits: inside a transaction block 25001, but its
    -- arguments are checked first
    ('archive_old_posts(timestamp with time zone, integer)', ARRAY[$$now() - interval '5 hours'$$, '10'], '25001', '{22023,22023}'),
    ('restore_post(uuid)', ARRAY[$$'00000000-0000-7000-8000-000000004001'$$], 'ok', '{22023}'),
    ('refresh_stats()', '{}', 'ok', '{}'),
    ('reconcile_counters(boolean)', ARRAY['false'], 'ok', '{22023}'),
    ('health_report()', '{}', 'ok', '{}'),
    ('archive_cutoff()', '{}', 'ok', '{}'),
    ('purge_processed_events(interval)', ARRAY[$$'7 days'$$], 'ok', '{22023}'),
    ('maintenance_jobs(text)', ARRAY['current_database()'], 'ok', '{22023}'),
    -- pg_cron lives in another database of the test cluster (or nowhere) and
    -- dblink is not installed here: 55000 (API.md, "Maintenance with pg_cron")
    ('schedule_maintenance(text)', ARRAY['current_database()'], '55000', '{22023}'),
    ('unschedule_maintenance()', '{}', '55000', '{}'),
    -- 0.5.0: privileges and row-level security (the role exists only in this transaction)
    ('grant_usage(regrole)', ARRAY[$$'cp_hostile_app'$$], 'ok', '{22023}'),
    ('revoke_usage(regrole)', ARRAY[$$'cp_hostile_app'$$], 'ok', '{22023}'),
    ('grant_maintenance(regrole)', ARRAY[$$'cp_hostile_app'$$], 'ok', '{22023}'),
    ('revoke_maintenance(regrole)', ARRAY[$$'cp_hostile_app'$$], 'ok', '{22023}'),
    ('enable_row_security()', '{}', 'ok', '{}'),
    ('disable_row_security()', '{}', 'ok', '{}'),
    ('viewer_id()', '{}', 'ok', '{}'),
    ('viewer_is_admin()', '{}', 'ok', '{}'),
    ('viewer_subscriptions()', '{}', 'ok', '{}');

-- The public functions as this suite names them: every function of the
-- schema but trigger functions and internal `_` ones.
CREATE VIEW hostile.public_functions AS
SELECT p.oid, p.proname || '(' || pg_catalog.oidvectortypes(p.proargtypes) || ')' AS fn
  FROM pg_catalog.pg_proc p
 WHERE p.pronamespace OPERATOR(pg_catalog.=) 'creator_platform'::regnamespace
   AND p.prorettype OPERATOR(pg_catalog.<>) 'trigger'::regtype
   AND p.proname !~ '^_';

-- The statement for a row of hostile.calls, with NULL of the argument's type
-- as argument null_at (NULL: none). mode 'count' selects count(*) from the
-- function (CALL for a procedure), 'value' selects its value as text. A
-- function the catalog does not have gives a statement that fails (42883).
CREATE FUNCTION hostile.call_of(c hostile.calls, null_at int, mode text DEFAULT 'count') RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
    p record;
    a text[] := c.args;
    inner_args text[];
    at int;
BEGIN
    SELECT pr.proname, pr.prokind, pr.proargtypes, pr.proargnames INTO p
      FROM hostile.public_functions f JOIN pg_catalog.pg_proc pr ON pr.oid = f.oid WHERE f.fn = c.fn;
    IF NOT FOUND THEN
        RETURN format('SELECT creator_platform.%I()', split_part(c.fn, '(', 1) || '_is_not_in_the_catalog');
    END IF;
    IF null_at IS NOT NULL THEN
        a[null_at] := 'NULL::' || format_type(p.proargtypes[null_at - 1], NULL);
    END IF;
    at := array_position(a, 'CURSOR');
    IF at IS NOT NULL THEN
        inner_args := a;
        inner_args[at] := 'NULL::text';
        inner_args[array_position(p.proargnames, 'page_size')] := '1';
        a[at] := format('(SELECT x.cursor FROM creator_platform.%I(%s) x LIMIT 1)', p.proname, array_to_string(inner_args, ', '));
    END IF;
    IF p.prokind = 'p' THEN
        RETURN format('CALL creator_platform.%I(%s)', p.proname, array_to_string(a, ', '));
    ELSIF mode = 'value' THEN
        RETURN format('SELECT creator_platform.%I(%s)::text', p.proname, array_to_string(a, ', '));
    END IF;
    RETURN format('SELECT count(*) FROM creator_platform.%I(%s) x', p.proname, array_to_string(a, ', '));
END
$f$;

-- 'ok' if `stmt` runs, else its SQLSTATE; whatever it did is undone.
CREATE FUNCTION hostile.undone(stmt text) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN
    EXECUTE stmt;
    RAISE EXCEPTION 'undo' USING ERRCODE = 'HX001';
EXCEPTION WHEN OTHERS THEN
    RETURN CASE WHEN SQLSTATE = 'HX001' THEN 'ok' ELSE SQLSTATE END;
END
$f$;

-- Per function: the valid call (one test), then per argument the call with
-- NULL there (two tests: the outcome, and whether anything changed).
CREATE FUNCTION hostile.null_matrix() RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
    c hostile.calls;
    i int;
    what text;
    before text;
BEGIN
    FOR c IN SELECT * FROM hostile.calls ORDER BY fn LOOP
        RETURN NEXT is(hostile.undone(hostile.call_of(c, NULL)), c.valid,
                       format('%s: a valid call gives %s', c.fn, c.valid));
        FOR i IN 1 .. cardinality(c.nulls) LOOP
            what := format('%s: NULL as %s', c.fn,
                           coalesce((SELECT pr.proargnames[i] FROM hostile.public_functions f
                                       JOIN pg_catalog.pg_proc pr ON pr.oid = f.oid WHERE f.fn = c.fn), 'argument ' || i));
            IF c.nulls[i] = 'strict' THEN
                RETURN QUERY SELECT * FROM hostile.gives(hostile.call_of(c, i, 'value'), 'NULL', what || ' gives NULL (STRICT)');
            ELSIF c.nulls[i] = 'ok' THEN
                before := hostile.state();
                RETURN NEXT lives_ok(hostile.call_of(c, i), what || ' is accepted (optional)');
                RETURN NEXT is(hostile.state(), before, what || ': nothing changed');
            ELSIF c.nulls[i] = 'writes' THEN
                before := hostile.state();
                RETURN NEXT lives_ok(hostile.call_of(c, i), what || ' is accepted (optional)');
                RETURN NEXT isnt(hostile.state(), before, what || ': the call wrote its row');
            ELSIF c.nulls[i] ~ '^[0-9A-Z]{5}$' THEN
                RETURN QUERY SELECT * FROM hostile.rejects(hostile.call_of(c, i), c.nulls[i], what);
            ELSE
                RETURN NEXT fail(format('%s: no such expectation %L', what, c.nulls[i]));
                RETURN NEXT fail(what || ': not checked');
            END IF;
        END LOOP;
    END LOOP;
END
$f$;

--------------------------------------------------------------------------------
-- coverage: no public function escapes this suite
--------------------------------------------------------------------------------
SELECT is((SELECT string_agg(f.fn, '; ' ORDER BY f.fn) FROM hostile.public_functions f
            WHERE f.fn NOT IN (SELECT c.fn FROM hostile.calls c)),
          NULL, 'every public function of creator_platform has its row in this suite');
SELECT is((SELECT string_agg(c.fn, '; ' ORDER BY c.fn) FROM hostile.calls c
            WHERE c.fn NOT IN (SELECT f.fn FROM hostile.public_functions f)),
          NULL, 'every function of this suite exists, with these argument types');
SELECT is((SELECT string_agg(c.fn, '; ' ORDER BY c.fn) FROM hostile.calls c
             JOIN hostile.public_functions f USING (fn) JOIN pg_catalog.pg_proc p ON p.oid = f.oid
            WHERE cardinality(c.args) <> p.pronargs OR cardinality(c.nulls) <> p.pronargs),
          NULL, 'every argument of every public function gets a NULL case');
SELECT is((SELECT string_agg(f.fn, '; ' ORDER BY f.fn) FROM hostile.public_functions f
             JOIN pg_catalog.pg_proc p ON p.oid = f.oid WHERE p.proisstrict AND p.pronargs > 0),
          'uuid_v7_timestamp(uuid)',
          'the scalar uuid function is the only STRICT one with arguments; every other one is checked for 22023');

--------------------------------------------------------------------------------
-- NULL in every argument of every function
--------------------------------------------------------------------------------
SELECT * FROM hostile.null_matrix();

SELECT * FROM finish();
ROLLBACK;
