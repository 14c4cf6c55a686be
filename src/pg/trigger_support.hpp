// Helpers for trigger functions and the values they move between C++ and
// PostgreSQL. Everything that can ereport runs under cp::pg::guard.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "pg/boundary.hpp"

extern "C" {
#include "access/htup_details.h"
#include "commands/trigger.h"
}

namespace cp::pg {

using Uuid = std::array<uint8_t, 16>;

struct UuidHash {
	size_t operator()(const Uuid &u) const noexcept {
		uint64_t a, b;
		std::memcpy(&a, u.data(), 8);
		std::memcpy(&b, u.data() + 8, 8);
		return static_cast<size_t>(a * 0x9E3779B97F4A7C15ULL ^ b);
	}
};

enum class When { Before, After };
enum class Level { Row, Statement };

// The TriggerData of a trigger call; 39P01 when the function was called any
// other way than the one it is written for.
TriggerData *expect_trigger(FunctionCallInfo fcinfo, const char *name, When when, Level level, uint32 event);

// 1-based number of a column; XX000 if the table has no such column.
int column_number(TupleDesc desc, const char *name);

// true when the column holds the same value (or both NULL) in both tuples.
bool same_value(HeapTuple a, HeapTuple b, TupleDesc desc, int attnum);

inline Uuid uuid_value(Datum d) noexcept {
	Uuid u;
	std::memcpy(u.data(), DatumGetUUIDP(d)->data, 16);
	return u;
}
std::string to_string(const Uuid &u);

Datum uuid_datum(const Uuid &u);
Datum uuid_array(const std::vector<Uuid> &ids);
Datum int4_array(const std::vector<int32_t> &values);
Datum bytea_datum(const std::string &bytes);
std::string bytea_value(Datum d);
std::string text_value(Datum d);

// The hint for the errors a plain restore of a dump runs into, when the
// session looks like a restore (row_security off); empty otherwise
// (src/triggers.cpp).
std::string restore_hint();

} // namespace cp::pg
