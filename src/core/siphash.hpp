// SipHash-2-4 (Aumasson & Bernstein, "SipHash: a fast short-input PRF", 2012):
// a keyed 64-bit pseudo-random function, used here as the MAC of feed cursors.
//
// 128-bit key, 64-bit output. Words are read little-endian, as in the reference
// implementation; the output's 8 bytes are the 64-bit result little-endian
// (the byte order of the reference vectors.h).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace cp::core {

class SipHash24 {
public:
	explicit SipHash24(const uint8_t key[16]) noexcept;

	// Feeds more message bytes; any split of a message gives the same result.
	SipHash24 &update(const void *data, size_t len) noexcept;
	SipHash24 &update(std::string_view s) noexcept { return update(s.data(), s.size()); }

	// The 64-bit result. The hasher must not be used afterwards.
	uint64_t finish() noexcept;

private:
	uint64_t v0_, v1_, v2_, v3_;
	uint64_t tail_ = 0;    // pending bytes, little-endian, not yet a full word
	uint64_t total_ = 0;   // message length so far (only its low byte is hashed)
};

// One shot.
uint64_t siphash24(const uint8_t key[16], const void *data, size_t len) noexcept;

// The 64-bit result as the 8 bytes the reference implementation writes.
inline std::array<uint8_t, 8> siphash24_le_bytes(uint64_t h) noexcept {
	std::array<uint8_t, 8> out{};
	for (int i = 0; i < 8; ++i) out[i] = static_cast<uint8_t>(h >> (8 * i));
	return out;
}

} // namespace cp::core
