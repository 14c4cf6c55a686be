// The C++/PostgreSQL boundary.
//
// PostgreSQL reports errors with ereport(), which longjmps; C++ unwinds with
// exceptions. Neither may cross the other:
//
//  * CP_FUNCTION(name) defines an SQL-callable entry point. Its body runs inside
//    cp::pg::invoke(), which catches every C++ exception and, once all C++
//    objects of the body are destroyed, raises it as ereport(ERROR) with the
//    exception's SQLSTATE (cp::core::Error), 53200 (std::bad_alloc) or XX000
//    (anything else). An error PostgreSQL raised inside cp::pg::guard() is
//    re-raised exactly as it was (same SQLSTATE, message, detail, hint).
//
//  * cp::pg::guard(f) runs f, which may call PostgreSQL functions that ereport,
//    under PG_TRY. A PostgreSQL error becomes a cp::pg::PgError exception, so the
//    C++ objects of the caller are destroyed as the exception unwinds. f itself
//    must hold no object with a non-trivial destructor: the longjmp skips them.
//
// Outside guard(), a body may call PostgreSQL functions that can ereport only
// while no object with a non-trivial destructor is alive in any C++ frame of
// the call (the longjmp would skip its destructor).
#pragma once

#include <exception>
#include <new>
#include <type_traits>

#include "core/error.hpp"
#include "pg/postgres.hpp"

namespace cp::pg {

// A PostgreSQL error caught by guard(); edata lives in the memory context that
// was current when guard() was entered.
class PgError : public std::exception {
public:
	explicit PgError(ErrorData *edata) noexcept : edata_(edata) {}
	const char *what() const noexcept override {
		return edata_ && edata_->message ? edata_->message : "postgres error";
	}
	ErrorData *edata() const noexcept { return edata_; }

private:
	ErrorData *edata_;
};

// Runs f under PG_TRY; a PostgreSQL error becomes PgError. f must not own
// objects with non-trivial destructors (the longjmp skips them).
template <typename F>
void guard_void(F &&f) {
	MemoryContext ctx = CurrentMemoryContext;
	// volatile: written after setjmp, read after the longjmp returned to it
	ErrorData *volatile edata = nullptr;
	PG_TRY();
	{ f(); }
	PG_CATCH();
	{
		MemoryContextSwitchTo(ctx);
		edata = CopyErrorData();
		FlushErrorState();
	}
	PG_END_TRY();
	if (edata) throw PgError(edata);
}

// guard_void for a call that returns a plain value (Datum, pointer, scalar).
// The result is only read when no error longjmp'd past its assignment.
template <typename F>
auto guard(F &&f) -> decltype(f()) {
	using R = decltype(f());
	if constexpr (std::is_void_v<R>) {
		guard_void(std::forward<F>(f));
	} else {
		static_assert(std::is_trivially_copyable_v<R> && std::is_default_constructible_v<R>,
		              "guard() returns plain values (Datum, pointers, scalars) only");
		R result{};
		guard_void([&] { result = f(); });
		return result;
	}
}

// Raise the error a C++ exception describes. Called with no C++ object alive.
[[noreturn]] void raise_error(const char *sqlstate, const char *message, const char *detail,
                              const char *hint);

using Body = Datum (*)(FunctionCallInfo);

// Run an entry point's body; never lets a C++ exception escape.
Datum invoke(FunctionCallInfo fcinfo, Body body) noexcept;

} // namespace cp::pg

// Defines the SQL-callable C function `name` whose C++ body follows the macro:
//   CP_FUNCTION(cp_uuid_generate_v7) { ... return datum; }
#define CP_FUNCTION(name)                                                                      \
	static Datum name##_body(FunctionCallInfo fcinfo);                                         \
	extern "C" {                                                                               \
	PG_FUNCTION_INFO_V1(name);                                                                 \
	}                                                                                          \
	extern "C" Datum name(PG_FUNCTION_ARGS) { return ::cp::pg::invoke(fcinfo, &name##_body); } \
	static Datum name##_body(FunctionCallInfo fcinfo)
