-- The C++/PostgreSQL boundary: every kind of C++ failure inside an SQL-callable
-- function arrives as a clean SQL error with its SQLSTATE, the C++ objects alive
-- at the time are destroyed, and the same session carries on.
\set SHOW_CONTEXT never
SELECT pg_backend_pid() AS pid \gset
SELECT creator_platform._boundary_selftest('destructors') AS destructors_before;

-- cp::core::Error: its SQLSTATE, message, detail and hint pass through
SELECT creator_platform._boundary_selftest('core_error');
\echo :LAST_ERROR_SQLSTATE
-- std::exception: internal error XX000 with the exception text as detail
SELECT creator_platform._boundary_selftest('std_exception');
\echo :LAST_ERROR_SQLSTATE
-- std::bad_alloc: out of memory 53200
SELECT creator_platform._boundary_selftest('bad_alloc');
\echo :LAST_ERROR_SQLSTATE
-- a thrown non-exception value
SELECT creator_platform._boundary_selftest('unknown_exception');
\echo :LAST_ERROR_SQLSTATE
-- a PostgreSQL error raised under cp::pg::guard inside C++ keeps its own SQLSTATE
SELECT creator_platform._boundary_selftest('pg_error');
\echo :LAST_ERROR_SQLSTATE
-- bad input to the function itself
SELECT creator_platform._boundary_selftest('no such kind');
\echo :LAST_ERROR_SQLSTATE
SELECT creator_platform._boundary_selftest(NULL);
\echo :LAST_ERROR_SQLSTATE

-- each of the six C++ error paths above destroyed the object it had on the stack
SELECT creator_platform._boundary_selftest('destructors') AS destructors_after;
-- same backend, still healthy, transactions work
SELECT pg_backend_pid() = :pid AS same_session;
BEGIN;
SELECT creator_platform._boundary_selftest('ok');
SELECT creator_platform._boundary_selftest('core_error');
ROLLBACK;
SELECT creator_platform._boundary_selftest('ok');

-- errors raised by the real functions travel the same way
SELECT creator_platform.uuid_v7_timestamp('6ba7b810-9dad-41d1-80b4-00c04fd430c8');
\echo :LAST_ERROR_SQLSTATE
SELECT creator_platform.uuid_v7_timestamp('017f22e2-79b0-7cc3-98c4-dc0c0c07398f');
SELECT creator_platform.uuid_v7_timestamp(NULL) IS NULL AS strict_null;

-- not callable by PUBLIC
SELECT has_function_privilege('public', 'creator_platform._boundary_selftest(text)', 'EXECUTE') AS public_can_execute;
