// URL-safe base64 without padding (RFC 4648 section 5): alphabet A-Z a-z 0-9 - _,
// no '='. Decoding is strict and canonical: every text decodes to at most one
// byte string and every byte string encodes to exactly one text, so a decoded
// value can be re-encoded to the very same text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cp::core::base64url {

// Characters for n bytes: ceil(4n / 3).
constexpr size_t encoded_size(size_t n) noexcept { return n / 3 * 4 + (n % 3 == 0 ? 0 : n % 3 + 1); }

// Bytes for n characters; only meaningful when n % 4 != 1 (no such text exists).
constexpr size_t decoded_size(size_t n) noexcept { return n / 4 * 3 + (n % 4 == 0 ? 0 : n % 4 - 1); }

// Writes exactly encoded_size(len) characters to out (no terminator).
void encode_to(const uint8_t *data, size_t len, char *out) noexcept;
std::string encode(std::string_view bytes);

enum class Status : uint8_t {
	ok,
	bad_character,  // outside the alphabet; offset says where
	padding,        // '='; offset says where
	bad_length,     // length % 4 == 1: no byte string encodes to it
	trailing_bits,  // the last character carries non-zero unused bits (not canonical)
	too_small,      // out_capacity < decoded_size(text.size())
};

struct DecodeResult {
	Status status;
	size_t offset; // of the offending character, for bad_character and padding
	size_t length; // bytes written, for ok
};

// Decodes text into out (capacity out_capacity bytes). Never reads or writes
// out of bounds; on any status but ok the contents of out are unspecified.
DecodeResult decode_to(std::string_view text, uint8_t *out, size_t out_capacity) noexcept;

// True if c is one of the 64 characters of the alphabet.
bool is_alphabet(char c) noexcept;

} // namespace cp::core::base64url
