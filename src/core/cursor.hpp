// Feed cursors: the opaque `cursor text` every list function returns per row and
// takes back as `after`. A cursor carries the keyset position of a row, says
// which function made it, and is bound by a MAC to that function's identifying
// arguments, so a cursor that is malformed, truncated, altered, made by another
// function or for other arguments is rejected with 22023 instead of silently
// continuing some other walk.
//
// Wire format: URL-safe base64 without padding (RFC 4648 section 5) of
//
//   version (1 byte, = 1) | kind (1 byte) | position length (LEB128, 1-2 bytes,
//   canonical, <= kMaxPositionBytes) | position | tag (8 bytes)
//
//   tag = SipHash-2-4(key = secret, version | kind | LEB128(binding length) |
//                     binding | LEB128(position length) | position)
//
// written as the 8 little-endian bytes of the 64-bit result. The binding (the
// canonical bytes of the call's arguments other than page_size and after) is
// not stored in the cursor; only the tag depends on it. The position is not
// secret (it is the time and id of a row the reader has already seen); the tag
// only makes it unforgeable. A 24-byte position gives a 47-character cursor.
//
// Everything here is pure C++; errors are cp::core::Error with SQLSTATE 22023
// (a bad cursor from the caller) or XX000 (a bug in the caller of encode).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/comment_path.hpp"
#include "core/siphash.hpp"

namespace cp::core::cursor {

enum class Kind : uint8_t {
	creator_posts = 1,
	home_feed = 2,
	recent_posts = 3,
	comment_thread = 4,
	subscriptions_of = 5,
	subscribers_of = 6,
};
inline constexpr uint8_t kMinKind = 1, kMaxKind = 6;

// The SQL name of the function of a kind ("unknown" for a value outside Kind).
const char *kind_name(Kind kind) noexcept;

// The 128-bit SipHash key, one per database, kept by the SQL side. Use it for
// cursors only.
struct Secret {
	std::array<uint8_t, 16> bytes;
};

inline constexpr uint8_t kVersion = 1;
// The longest position: a comment path of kMaxDepthLimit + 1 keys (2,424 bytes).
inline constexpr size_t kMaxPositionBytes = (path::kMaxDepthLimit + 1) * path::kKeyBytes;
// Cursor texts longer than this are rejected before any decoding (a cursor of
// kMaxPositionBytes is 3,248 characters).
inline constexpr size_t kMaxCursorChars = 4096;
inline constexpr size_t kTagBytes = 8;

// The number of characters encode() returns for a position of that size.
size_t encoded_length(size_t position_size) noexcept;

// The cursor of a row. Throws Error XX000 for a kind outside Kind or a position
// longer than kMaxPositionBytes (both are bugs in the caller).
std::string encode(Kind kind, const Secret &secret, std::string_view binding, std::string_view position);
// The same into out[0 .. encoded_length(position.size())), no terminator, no allocation.
void encode_to(char *out, Kind kind, const Secret &secret, std::string_view binding, std::string_view position);

// encode() for many positions of one call: the MAC's prefix (version, kind,
// binding) is absorbed once, so each cursor hashes only its own position.
// Gives exactly what encode() gives.
class Encoder {
public:
	Encoder(Kind kind, const Secret &secret, std::string_view binding);
	size_t length(size_t position_size) const noexcept { return encoded_length(position_size); }
	// Into out[0 .. length(position.size())), no terminator, no allocation.
	void encode_to(char *out, std::string_view position) const;
	std::string encode(std::string_view position) const;

private:
	Kind kind_;
	SipHash24 prefix_;
};

// The position of a cursor made by encode(expected, secret, binding, position).
// Throws Error 22023 for anything else; never reads outside cursor, never
// allocates more than the returned position.
std::string decode(std::string_view cursor, Kind expected, const Secret &secret, std::string_view binding);

// Canonical bytes of a call's identifying arguments, in argument order. Every
// field is a type tag, a LEB128 length and the value, so different argument
// lists never give the same bytes: ("ab","c") != ("a","bc"), NULL differs from
// every value (the empty text included), a uuid differs from a 16-byte text.
class Binder {
public:
	Binder &uuid(const uint8_t (&u)[16]);
	Binder &uuid_or_null(const uint8_t *u); // nullptr appends null()
	Binder &null();
	Binder &int32(int32_t v);
	Binder &text(std::string_view s);
	const std::string &bytes() const noexcept { return buf_; }

private:
	void field(uint8_t tag, const void *data, size_t len);
	std::string buf_;
};

// Positions of the time-ordered feeds: (time, id), 24 bytes, the same layout as
// a comment-path key (big-endian time with the sign bit flipped, then the id),
// so byte order is (time, id) order.
inline constexpr size_t kTimeIdBytes = path::kKeyBytes;
std::string position_time_id(int64_t time_us, const uint8_t id[16]);
// Throws Error 22023 unless position is exactly 24 bytes.
void read_time_id(std::string_view position, int64_t *time_us, uint8_t id[16]);

// comment_thread positions are a comment path; throws Error 22023 unless
// path::is_valid. Returns position unchanged.
std::string_view read_path(std::string_view position);

} // namespace cp::core::cursor
