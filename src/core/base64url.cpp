#include "core/base64url.hpp"

#include <array>

namespace cp::core::base64url {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr uint8_t kInvalid = 0xFF;

constexpr std::array<uint8_t, 256> make_reverse() {
	std::array<uint8_t, 256> t{};
	for (auto &v : t) v = kInvalid;
	for (int i = 0; i < 64; ++i) t[static_cast<uint8_t>(kAlphabet[i])] = static_cast<uint8_t>(i);
	return t;
}
constexpr std::array<uint8_t, 256> kReverse = make_reverse();

} // namespace

bool is_alphabet(char c) noexcept { return kReverse[static_cast<uint8_t>(c)] != kInvalid; }

void encode_to(const uint8_t *data, size_t len, char *out) noexcept {
	size_t i = 0;
	for (; i + 3 <= len; i += 3) {
		const uint32_t w = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8) | data[i + 2];
		*out++ = kAlphabet[(w >> 18) & 63];
		*out++ = kAlphabet[(w >> 12) & 63];
		*out++ = kAlphabet[(w >> 6) & 63];
		*out++ = kAlphabet[w & 63];
	}
	if (len - i == 1) {
		const uint32_t w = uint32_t{data[i]} << 16;
		*out++ = kAlphabet[(w >> 18) & 63];
		*out++ = kAlphabet[(w >> 12) & 63];
	} else if (len - i == 2) {
		const uint32_t w = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8);
		*out++ = kAlphabet[(w >> 18) & 63];
		*out++ = kAlphabet[(w >> 12) & 63];
		*out++ = kAlphabet[(w >> 6) & 63];
	}
}

std::string encode(std::string_view bytes) {
	std::string out(encoded_size(bytes.size()), '\0');
	encode_to(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size(), out.data());
	return out;
}

DecodeResult decode_to(std::string_view text, uint8_t *out, size_t out_capacity) noexcept {
	const size_t n = text.size();
	// Characters first, so that a stray character is reported as such even when
	// it also makes the length impossible.
	for (size_t i = 0; i < n; ++i) {
		const char c = text[i];
		if (kReverse[static_cast<uint8_t>(c)] == kInvalid)
			return {c == '=' ? Status::padding : Status::bad_character, i, 0};
	}
	if (n % 4 == 1) return {Status::bad_length, 0, 0};
	const size_t need = decoded_size(n);
	if (need > out_capacity) return {Status::too_small, 0, 0};

	auto val = [&](size_t i) -> uint32_t { return kReverse[static_cast<uint8_t>(text[i])]; };
	size_t i = 0, o = 0;
	for (; i + 4 <= n; i += 4) {
		const uint32_t w = (val(i) << 18) | (val(i + 1) << 12) | (val(i + 2) << 6) | val(i + 3);
		out[o++] = static_cast<uint8_t>(w >> 16);
		out[o++] = static_cast<uint8_t>(w >> 8);
		out[o++] = static_cast<uint8_t>(w);
	}
	if (n - i == 2) {
		// 12 bits carry 8: the low 4 bits of the last character must be zero.
		if (val(i + 1) & 0x0F) return {Status::trailing_bits, i + 1, 0};
		const uint32_t w = (val(i) << 18) | (val(i + 1) << 12);
		out[o++] = static_cast<uint8_t>(w >> 16);
	} else if (n - i == 3) {
		// 18 bits carry 16: the low 2 bits of the last character must be zero.
		if (val(i + 2) & 0x03) return {Status::trailing_bits, i + 2, 0};
		const uint32_t w = (val(i) << 18) | (val(i + 1) << 12) | (val(i + 2) << 6);
		out[o++] = static_cast<uint8_t>(w >> 16);
		out[o++] = static_cast<uint8_t>(w >> 8);
	}
	return {Status::ok, 0, o};
}

} // namespace cp::core::base64url
