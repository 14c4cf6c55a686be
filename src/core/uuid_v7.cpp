#include "core/uuid_v7.hpp"

namespace cp::core {

boost::uuids::uuid UuidV7Generator::next(int64_t now_ns, const uint8_t random[8]) noexcept {
	// Monotonic even inside one millisecond and across a clock step backwards.
	int64_t ts = now_ns;
	if (ts < last_ns_ + kMinStepNs) ts = last_ns_ + kMinStepNs;
	last_ns_ = ts;

	const uint64_t ms = static_cast<uint64_t>(ts / kNsPerMs);
	// fraction of the millisecond in 1/4096 units, 0..4095
	const uint64_t sub = static_cast<uint64_t>((ts % kNsPerMs) << kSubMsBits) / kNsPerMs;

	boost::uuids::uuid u{};
	for (int i = 0; i < 6; ++i) u.data[i] = static_cast<uint8_t>(ms >> (8 * (5 - i)));
	u.data[6] = static_cast<uint8_t>(0x70 | ((sub >> 8) & 0x0F));
	u.data[7] = static_cast<uint8_t>(sub & 0xFF);
	u.data[8] = static_cast<uint8_t>(0x80 | (random[0] & 0x3F));
	for (int i = 1; i < 8; ++i) u.data[8 + i] = random[i];
	return u;
}

bool is_v7(const boost::uuids::uuid &u) noexcept {
	return (u.data[6] & 0xF0) == 0x70 && (u.data[8] & 0xC0) == 0x80;
}

std::optional<int64_t> v7_unix_ms(const boost::uuids::uuid &u) noexcept {
	if (!is_v7(u)) return std::nullopt;
	uint64_t ms = 0;
	for (int i = 0; i < 6; ++i) ms = (ms << 8) | u.data[i];
	return static_cast<int64_t>(ms);
}

} // namespace cp::core
