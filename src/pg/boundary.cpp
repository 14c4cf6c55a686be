#include <cstring>
#include <exception>
#include <new>

#include "pg/boundary.hpp"

namespace cp::pg {

namespace {

// The error text is copied into static buffers inside the catch handler, so no
// allocation (which could itself ereport) happens while an exception is live,
// and nothing with a destructor survives into ereport(). A backend runs one
// query at a time, so one set of buffers is enough.
constexpr size_t kBuf = 2048;
char g_state[6];
char g_message[kBuf];
char g_detail[kBuf];
char g_hint[kBuf];

void copy_text(char *dst, const char *src) noexcept {
	if (src == nullptr) {
		dst[0] = '\0';
		return;
	}
	std::strncpy(dst, src, kBuf - 1);
	dst[kBuf - 1] = '\0';
}

void remember(const char *state, const char *message, const char *detail, const char *hint) noexcept {
	std::memcpy(g_state, state, 6);
	copy_text(g_message, message);
	copy_text(g_detail, detail);
	copy_text(g_hint, hint);
}

} // namespace

void raise_error(const char *sqlstate, const char *message, const char *detail, const char *hint) {
	ereport(ERROR, (errcode(MAKE_SQLSTATE(sqlstate[0], sqlstate[1], sqlstate[2], sqlstate[3], sqlstate[4])),
	                errmsg_internal("%s", message), (detail && detail[0]) ? errdetail_internal("%s", detail) : 0,
	                (hint && hint[0]) ? errhint("%s", hint) : 0));
	pg_unreachable();
}

Datum invoke(FunctionCallInfo fcinfo, Body body) noexcept {
	ErrorData *pg_error = nullptr;
	try {
		return body(fcinfo);
	} catch (const PgError &e) {
		pg_error = e.edata();
	} catch (const cp::core::Error &e) {
		remember(e.sqlstate(), e.what(), e.detail().c_str(), e.hint().c_str());
	} catch (const std::bad_alloc &) {
		remember("53200", "out of memory", "a C++ allocation failed", nullptr);
	} catch (const std::exception &e) {
		remember("XX000", "internal error in creator_platform", e.what(), nullptr);
	} catch (...) {
		remember("XX000", "internal error in creator_platform", "unknown C++ exception", nullptr);
	}
	// Every C++ object of the body is destroyed by now.
	if (pg_error != nullptr) ReThrowError(pg_error);
	raise_error(g_state, g_message, g_detail, g_hint);
}

} // namespace cp::pg
