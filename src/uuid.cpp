// uuid_generate_v7() and uuid_v7_timestamp(uuid): thin wrappers over core/uuid_v7.
#include <chrono>
#include <cstdint>
#include <cstring>

#include "core/error.hpp"
#include "core/uuid_v7.hpp"
#include "pg/boundary.hpp"

namespace {

// One generator per backend: UUIDs of a session strictly increase.
cp::core::UuidV7Generator g_generator;

int64_t unix_now_ns() {
	using namespace std::chrono;
	return duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count();
}

} // namespace

CP_FUNCTION(cp_uuid_generate_v7) {
	uint8_t random[8];
	if (!pg_strong_random(random, sizeof random))
		throw cp::core::Error(cp::core::sqlstate::internal_error, "could not generate random values");
	boost::uuids::uuid u = g_generator.next(unix_now_ns(), random);
	auto *out = static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t)));
	static_assert(sizeof out->data == sizeof u.data, "uuid sizes differ");
	std::memcpy(out->data, u.data, sizeof out->data);
	PG_RETURN_UUID_P(out);
}

CP_FUNCTION(cp_uuid_v7_timestamp) {
	const pg_uuid_t *in = PG_GETARG_UUID_P(0);
	boost::uuids::uuid u{};
	std::memcpy(u.data, in->data, sizeof u.data);
	auto ms = cp::core::v7_unix_ms(u);
	if (!ms) {
		int version = (u.data[6] >> 4) & 0x0F;
		throw cp::core::Error(cp::core::sqlstate::invalid_parameter_value, "uuid is not a version 7 uuid",
		                      "version nibble is " + std::to_string(version) +
		                          ((u.data[8] & 0xC0) == 0x80 ? "" : " and the variant is not RFC 9562's"));
	}
	// Unix milliseconds to PostgreSQL microseconds since 2000-01-01.
	constexpr int64_t kEpochShiftUs =
	    int64_t{POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE} * int64_t{USECS_PER_DAY};
	TimestampTz ts = *ms * 1000 - kEpochShiftUs;
	PG_RETURN_TIMESTAMPTZ(ts);
}
