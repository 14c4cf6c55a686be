#include "core/siphash.hpp"

namespace cp::core {

namespace {

inline uint64_t rotl(uint64_t x, int b) noexcept { return (x << b) | (x >> (64 - b)); }

inline uint64_t load_le64(const uint8_t *p) noexcept {
	uint64_t w = 0;
	for (int i = 7; i >= 0; --i) w = (w << 8) | p[i];
	return w;
}

inline void sipround(uint64_t &v0, uint64_t &v1, uint64_t &v2, uint64_t &v3) noexcept {
	v0 += v1;
	v1 = rotl(v1, 13);
	v1 ^= v0;
	v0 = rotl(v0, 32);
	v2 += v3;
	v3 = rotl(v3, 16);
	v3 ^= v2;
	v0 += v3;
	v3 = rotl(v3, 21);
	v3 ^= v0;
	v2 += v1;
	v1 = rotl(v1, 17);
	v1 ^= v2;
	v2 = rotl(v2, 32);
}

// c = 2 compression rounds per message word.
inline void compress(uint64_t &v0, uint64_t &v1, uint64_t &v2, uint64_t &v3, uint64_t m) noexcept {
	v3 ^= m;
	sipround(v0, v1, v2, v3);
	sipround(v0, v1, v2, v3);
	v0 ^= m;
}

} // namespace

SipHash24::SipHash24(const uint8_t key[16]) noexcept {
	const uint64_t k0 = load_le64(key);
	const uint64_t k1 = load_le64(key + 8);
	v0_ = k0 ^ 0x736f6d6570736575ULL; // "somepseu"
	v1_ = k1 ^ 0x646f72616e646f6dULL; // "dorandom"
	v2_ = k0 ^ 0x6c7967656e657261ULL; // "lygenera"
	v3_ = k1 ^ 0x7465646279746573ULL; // "tedbytes"
}

SipHash24 &SipHash24::update(const void *data, size_t len) noexcept {
	const uint8_t *p = static_cast<const uint8_t *>(data);
	uint64_t v0 = v0_, v1 = v1_, v2 = v2_, v3 = v3_;
	size_t fill = static_cast<size_t>(total_ & 7); // bytes already in tail_
	total_ += len;
	// Complete a pending word first.
	while (fill != 0 && len > 0) {
		tail_ |= static_cast<uint64_t>(*p++) << (8 * fill);
		--len;
		if (++fill == 8) {
			compress(v0, v1, v2, v3, tail_);
			tail_ = 0;
			fill = 0;
		}
	}
	for (; len >= 8; len -= 8, p += 8) compress(v0, v1, v2, v3, load_le64(p));
	for (size_t i = 0; i < len; ++i) tail_ |= static_cast<uint64_t>(p[i]) << (8 * (fill + i));
	v0_ = v0, v1_ = v1, v2_ = v2, v3_ = v3;
	return *this;
}

uint64_t SipHash24::finish() noexcept {
	uint64_t v0 = v0_, v1 = v1_, v2 = v2_, v3 = v3_;
	// Last word: the 0..7 remaining bytes, then the length mod 256 in the top byte.
	compress(v0, v1, v2, v3, tail_ | (total_ << 56));
	// d = 4 finalization rounds.
	v2 ^= 0xff;
	sipround(v0, v1, v2, v3);
	sipround(v0, v1, v2, v3);
	sipround(v0, v1, v2, v3);
	sipround(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

uint64_t siphash24(const uint8_t key[16], const void *data, size_t len) noexcept {
	return SipHash24(key).update(data, len).finish();
}

} // namespace cp::core
