// UUID version 7 (RFC 9562, section 5.7) on boost::uuids::uuid.
//
// Layout (big-endian, 128 bits):
//   unix_ts_ms:48 | ver:4 = 0b0111 | rand_a:12 | var:2 = 0b10 | rand_b:62
// rand_a carries a sub-millisecond fraction (RFC 9562 section 6.2, method 3, as
// PostgreSQL 18's uuidv7() does): 12 bits = 1/4096 ms, about 244 ns. A generator
// keeps the last timestamp it used, in nanoseconds, and never goes below
// last + kMinStepNs, so successive UUIDs of one generator strictly increase in
// byte order even within one millisecond and even if the clock steps back.
#pragma once

#include <cstdint>
#include <optional>

#include <boost/uuid/uuid.hpp>

namespace cp::core {

class UuidV7Generator {
public:
	// 1 ms / 4096, rounded up: one step always moves the 12-bit fraction by >= 1.
	static constexpr int64_t kNsPerMs = 1000000;
	static constexpr int kSubMsBits = 12;
	static constexpr int64_t kMinStepNs = kNsPerMs / (int64_t{1} << kSubMsBits) + 1;

	// now_ns: Unix time in nanoseconds. random: 8 random bytes for rand_b
	// (62 bits used). Returns the next UUID; never throws.
	boost::uuids::uuid next(int64_t now_ns, const uint8_t random[8]) noexcept;

	// The timestamp (ns) the last UUID encoded; 0 before the first.
	int64_t last_ns() const noexcept { return last_ns_; }

private:
	int64_t last_ns_ = 0;
};

// True for a UUID whose version nibble is 7 and whose variant is RFC 9562's (10xx).
bool is_v7(const boost::uuids::uuid &u) noexcept;

// The Unix milliseconds of a v7 UUID; std::nullopt when it is not v7. Only the
// 48-bit millisecond field is read: rand_a is random in other generators' v7.
std::optional<int64_t> v7_unix_ms(const boost::uuids::uuid &u) noexcept;

} // namespace cp::core
