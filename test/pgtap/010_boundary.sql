-- The C++/PostgreSQL boundary: each failure kind arrives with its SQLSTATE and
-- message, C++ destructors run, and the session carries on.
BEGIN;
SELECT plan(13);
SET search_path = creator_platform, public;

SELECT throws_ok($$SELECT creator_platform._boundary_selftest('core_error')$$,
    '22023', 'selftest: a core error', 'cp::core::Error keeps its SQLSTATE and message');
SELECT throws_ok($$SELECT creator_platform._boundary_selftest('std_exception')$$,
    'XX000', 'internal error in creator_platform', 'std::exception becomes XX000');
SELECT throws_ok($$SELECT creator_platform._boundary_selftest('bad_alloc')$$,
    '53200', 'out of memory', 'std::bad_alloc becomes 53200');
SELECT throws_ok($$SELECT creator_platform._boundary_selftest('unknown_exception')$$,
    'XX000', 'internal error in creator_platform', 'a thrown non-exception becomes XX000');
SELECT throws_ok($$SELECT creator_platform._boundary_selftest('pg_error')$$,
    '22P02', 'invalid input syntax for type integer: "not a number"',
    'a PostgreSQL error under the guard is re-raised unchanged');
SELECT throws_ok($$SELECT creator_platform._boundary_selftest('nope')$$,
    '22023', 'unknown selftest kind "nope"', 'an unknown kind is 22023');
SELECT throws_ok($$SELECT creator_platform._boundary_selftest(NULL)$$,
    '22023', 'kind must not be NULL', 'NULL is 22023');

-- six error paths above, each with one C++ object alive; pg_prove runs each
-- file in a new backend, so the per-backend counter started at 0
SELECT is(creator_platform._boundary_selftest('destructors'), '6',
    'every C++ object alive at an error was destroyed');
SELECT throws_ok($$SELECT creator_platform._boundary_selftest('core_error')$$, '22023',
    'selftest: a core error', 'a seventh error');
SELECT is(creator_platform._boundary_selftest('destructors'), '7', 'and its object was destroyed too');
SELECT is(creator_platform._boundary_selftest('ok'), 'ok', 'the session carries on after every error');

SELECT throws_ok($$SELECT creator_platform.uuid_v7_timestamp('6ba7b810-9dad-41d1-80b4-00c04fd430c8')$$,
    '22023', 'uuid is not a version 7 uuid', 'a real function''s core error arrives as 22023');
SELECT is(creator_platform.uuid_v7_timestamp('017f22e2-79b0-7cc3-98c4-dc0c0c07398f'),
    '2022-02-22 19:22:22+00'::timestamptz, 'the RFC 9562 example decodes');

SELECT * FROM finish();
ROLLBACK;
