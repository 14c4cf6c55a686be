// creator_platform._boundary_selftest(kind text): exercises the C++/PostgreSQL
// boundary on the installed build, so a test (test/pgtap/010_boundary.sql) can
// show that each kind of failure arrives as a clean SQL error with the right
// SQLSTATE, that C++ destructors ran, and that the session carries on.
// Not part of the application contract; EXECUTE is revoked from PUBLIC.
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "pg/boundary.hpp"

namespace {

// Destructors that ran while an error unwound the stack.
long g_destructors_run = 0;

struct CountsItsDestruction {
	std::vector<std::string> payload{"owned", "heap", "memory"};
	~CountsItsDestruction() { ++g_destructors_run; }
};

text *as_text(const std::string &s) { return cstring_to_text_with_len(s.data(), static_cast<int>(s.size())); }

} // namespace

CP_FUNCTION(cp_boundary_selftest) {
	if (PG_ARGISNULL(0))
		throw cp::core::Error(cp::core::sqlstate::invalid_parameter_value, "kind must not be NULL");
	// text_to_cstring can only fail on out-of-memory; no C++ object is alive yet.
	char *kind_c = text_to_cstring(PG_GETARG_TEXT_PP(0));
	std::string kind(kind_c);

	if (kind == "ok") {
		return PointerGetDatum(cp::pg::guard([&] { return as_text("ok"); }));
	}
	if (kind == "destructors") {
		std::string n = std::to_string(g_destructors_run);
		return PointerGetDatum(cp::pg::guard([&] { return as_text(n); }));
	}
	CountsItsDestruction alive; // must be destroyed by each error path below
	if (kind == "core_error")
		throw cp::core::Error(cp::core::sqlstate::invalid_parameter_value, "selftest: a core error",
		                      "raised by cp::core::Error", "this is the hint");
	if (kind == "std_exception") throw std::runtime_error("selftest: a std::runtime_error");
	if (kind == "bad_alloc") throw std::bad_alloc();
	if (kind == "unknown_exception") throw 42;
	if (kind == "pg_error") {
		// A PostgreSQL function that ereports (invalid input syntax, 22P02) called
		// from C++ with `alive` on the stack: the guard turns the longjmp into an
		// exception, `alive` is destroyed, and the original error is re-raised.
		cp::pg::guard([] { return DirectFunctionCall1(int4in, CStringGetDatum("not a number")); });
		throw std::logic_error("unreachable: int4in accepted bad input");
	}
	throw cp::core::Error(cp::core::sqlstate::invalid_parameter_value, "unknown selftest kind \"" + kind + "\"",
	                      {}, "kinds: ok, destructors, core_error, std_exception, bad_alloc, unknown_exception, pg_error");
}
