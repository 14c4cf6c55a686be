// libFuzzer target for the UUIDv7 code (src/core/uuid_v7.cpp): the decoder
// behind uuid_v7_timestamp(uuid), which reads any 16 bytes a caller passes,
// and the generator behind uuid_generate_v7(), driven by a clock the input
// moves back and forth.
//   1. The first 16 bytes (zero-padded) as a uuid: is_v7 is exactly "version
//      nibble 7 and variant 10"; v7_unix_ms gives a value exactly for those,
//      the big-endian 48-bit millisecond field.
//   2. The rest: a start time (8 bytes) and steps of 12 bytes, each a signed
//      clock change in microseconds (4 bytes) and 8 random bytes. Every uuid
//      is v7, strictly greater (byte order) than the one before, encodes the
//      generator's time (at least the clock, at least the previous time plus
//      kMinStepNs) in its millisecond field and 12-bit fraction, and carries
//      the random bits it was given.
// The clock stays within [0, 2^62) ns (years 1970 to 2116): the system clock
// the extension reads cannot leave the int64 range the generator works in.
#include <cstdint>
#include <cstring>
#include <optional>

#include "core/uuid_v7.hpp"
#include "fuzz_fixture.hpp"

namespace {

uint64_t be(const uint8_t *p, int n) {
	uint64_t v = 0;
	for (int i = 0; i < n; ++i) v = (v << 8) | p[i];
	return v;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	using cp::core::UuidV7Generator;

	// 1. decoding
	boost::uuids::uuid u{};
	std::memcpy(u.data, data, size < 16 ? size : 16);
	const bool v7 = (u.data[6] >> 4) == 7 && (u.data[8] >> 6) == 2;
	CP_FUZZ_CHECK(cp::core::is_v7(u) == v7);
	const std::optional<int64_t> ms = cp::core::v7_unix_ms(u);
	CP_FUZZ_CHECK(ms.has_value() == v7);
	if (ms) CP_FUZZ_CHECK(*ms >= 0 && static_cast<uint64_t>(*ms) == be(u.data, 6));

	// 2. generating
	if (size < 16 + 8) return 0;
	const uint8_t *p = data + 16;
	size_t left = size - 16;
	constexpr int64_t kClockMax = int64_t{1} << 62;
	int64_t now = static_cast<int64_t>(be(p, 8) % static_cast<uint64_t>(kClockMax));
	p += 8;
	left -= 8;
	UuidV7Generator g;
	boost::uuids::uuid prev{};
	bool first = true;
	while (left >= 12) {
		const int32_t step_us = static_cast<int32_t>(static_cast<uint32_t>(be(p, 4)));
		now += int64_t{step_us} * 1000;
		if (now < 0) now = 0;
		if (now >= kClockMax) now = kClockMax - 1;
		const uint8_t *random = p + 4;
		const int64_t last_before = g.last_ns();
		const boost::uuids::uuid id = g.next(now, random);
		const int64_t ts = g.last_ns();
		CP_FUZZ_CHECK(ts >= now && (first || ts >= last_before + UuidV7Generator::kMinStepNs));
		CP_FUZZ_CHECK(ts == now || ts == last_before + UuidV7Generator::kMinStepNs);
		CP_FUZZ_CHECK(cp::core::is_v7(id));
		CP_FUZZ_CHECK(cp::core::v7_unix_ms(id) == ts / UuidV7Generator::kNsPerMs);
		const uint64_t sub = static_cast<uint64_t>((ts % UuidV7Generator::kNsPerMs) << 12) / UuidV7Generator::kNsPerMs;
		CP_FUZZ_CHECK(((id.data[6] & 0x0Fu) << 8 | id.data[7]) == sub);
		CP_FUZZ_CHECK((id.data[8] & 0x3F) == (random[0] & 0x3F) && std::memcmp(id.data + 9, random + 1, 7) == 0);
		if (!first) CP_FUZZ_CHECK(std::memcmp(prev.data, id.data, 16) < 0);
		prev = id;
		first = false;
		p += 12;
		left -= 12;
	}
	return 0;
}
