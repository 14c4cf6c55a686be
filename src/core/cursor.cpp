#include "core/cursor.hpp"

#include <cstring>

#include "core/base64url.hpp"
#include "core/error.hpp"
#include "core/siphash.hpp"

namespace cp::core::cursor {

namespace {

constexpr const char *k22023 = sqlstate::invalid_parameter_value;
constexpr const char *kHint = "pass the cursor of a row returned by the same function with the same arguments, "
                              "or NULL for the first page";

// Raw (decoded) bytes: version, kind, 1-2 length bytes, position, tag.
constexpr size_t kMaxRawBytes = 2 + 2 + kMaxPositionBytes + kTagBytes;
constexpr size_t kMinRawBytes = 2 + 1 + kTagBytes;
// Positions must fit two LEB128 bytes.
static_assert(kMaxPositionBytes < (1u << 14), "position length must fit two LEB128 bytes");
static_assert(base64url::decoded_size(kMaxCursorChars) >= kMaxRawBytes, "cap below the longest cursor");

bool valid_kind(uint8_t k) noexcept { return k >= kMinKind && k <= kMaxKind; }

// LEB128 of v into out (room for 10 bytes); returns the number of bytes.
size_t put_leb128(uint8_t *out, uint64_t v) noexcept {
	size_t n = 0;
	while (v >= 0x80) {
		out[n++] = static_cast<uint8_t>(v | 0x80);
		v >>= 7;
	}
	out[n++] = static_cast<uint8_t>(v);
	return n;
}

// The MAC over header, binding (length-prefixed), position length, position;
// the first three are the same for every cursor of a call.
SipHash24 tag_prefix(const Secret &secret, const uint8_t header[2], std::string_view binding) noexcept {
	uint8_t blen[10];
	const size_t blen_n = put_leb128(blen, binding.size());
	SipHash24 h(secret.bytes.data());
	h.update(header, 2);
	h.update(blen, blen_n);
	h.update(binding);
	return h;
}

uint64_t finish_tag(SipHash24 h, const uint8_t *poslen, size_t poslen_n, std::string_view position) noexcept {
	h.update(poslen, poslen_n);
	h.update(position);
	return h.finish();
}

uint64_t compute_tag(const Secret &secret, const uint8_t header[2], std::string_view binding,
                     const uint8_t *poslen, size_t poslen_n, std::string_view position) noexcept {
	return finish_tag(tag_prefix(secret, header, binding), poslen, poslen_n, position);
}

void check_kind(Kind kind) {
	if (!valid_kind(static_cast<uint8_t>(kind)))
		throw Error(sqlstate::internal_error, "cursor kind is not valid",
		            "kind " + std::to_string(static_cast<unsigned>(kind)));
}

// version, kind, position length, position, tag into raw; returns its size.
template <typename Tag>
size_t assemble(uint8_t *raw, Kind kind, std::string_view position, Tag &&tag) {
	if (position.size() > kMaxPositionBytes)
		throw Error(sqlstate::internal_error, "cursor position is too long",
		            std::to_string(position.size()) + " bytes, at most " + std::to_string(kMaxPositionBytes));
	size_t n = 0;
	raw[n++] = kVersion;
	raw[n++] = static_cast<uint8_t>(kind);
	const size_t poslen_n = put_leb128(raw + n, position.size());
	n += poslen_n;
	if (!position.empty()) std::memcpy(raw + n, position.data(), position.size());
	n += position.size();
	const uint64_t t = tag(raw + 2, poslen_n);
	for (size_t i = 0; i < kTagBytes; ++i) raw[n++] = static_cast<uint8_t>(t >> (8 * i));
	return n;
}

// Constant time in the contents: no early exit on the first differing byte.
bool tag_equal(const uint8_t *a, const uint8_t *b) noexcept {
	uint8_t diff = 0;
	for (size_t i = 0; i < kTagBytes; ++i) diff = static_cast<uint8_t>(diff | (a[i] ^ b[i]));
	return diff == 0;
}

[[noreturn]] void reject(const char *message, std::string detail = {}) {
	throw Error(k22023, message, std::move(detail), kHint);
}

} // namespace

const char *kind_name(Kind kind) noexcept {
	switch (kind) {
	case Kind::creator_posts: return "creator_posts";
	case Kind::home_feed: return "home_feed";
	case Kind::recent_posts: return "recent_posts";
	case Kind::comment_thread: return "comment_thread";
	case Kind::subscriptions_of: return "subscriptions_of";
	case Kind::subscribers_of: return "subscribers_of";
	}
	return "unknown";
}

size_t encoded_length(size_t position_size) noexcept {
	return base64url::encoded_size(2 + (position_size < 0x80 ? 1 : 2) + position_size + kTagBytes);
}

void encode_to(char *out, Kind kind, const Secret &secret, std::string_view binding, std::string_view position) {
	check_kind(kind);
	uint8_t raw[kMaxRawBytes];
	const size_t n = assemble(raw, kind, position, [&](const uint8_t *poslen, size_t poslen_n) {
		return compute_tag(secret, raw, binding, poslen, poslen_n, position);
	});
	base64url::encode_to(raw, n, out);
}

Encoder::Encoder(Kind kind, const Secret &secret, std::string_view binding)
    : kind_(kind), prefix_([&] {
	      check_kind(kind);
	      const uint8_t header[2] = {kVersion, static_cast<uint8_t>(kind)};
	      return tag_prefix(secret, header, binding);
      }()) {}

void Encoder::encode_to(char *out, std::string_view position) const {
	uint8_t raw[kMaxRawBytes];
	const size_t n = assemble(raw, kind_, position, [&](const uint8_t *poslen, size_t poslen_n) {
		return finish_tag(prefix_, poslen, poslen_n, position);
	});
	base64url::encode_to(raw, n, out);
}

std::string Encoder::encode(std::string_view position) const {
	std::string out(encoded_length(position.size()), '\0');
	encode_to(out.data(), position);
	return out;
}

std::string encode(Kind kind, const Secret &secret, std::string_view binding, std::string_view position) {
	std::string out(encoded_length(position.size()), '\0');
	encode_to(out.data(), kind, secret, binding, position);
	return out;
}

std::string decode(std::string_view cursor, Kind expected, const Secret &secret, std::string_view binding) {
	if (!valid_kind(static_cast<uint8_t>(expected)))
		throw Error(sqlstate::internal_error, "cursor kind is not valid",
		            "kind " + std::to_string(static_cast<unsigned>(expected)));
	if (cursor.empty()) reject("cursor is empty");
	if (cursor.size() > kMaxCursorChars)
		reject("cursor is too long", std::to_string(cursor.size()) + " characters, at most " +
		                                 std::to_string(kMaxCursorChars));

	uint8_t raw[base64url::decoded_size(kMaxCursorChars)];
	const auto d = base64url::decode_to(cursor, raw, sizeof raw);
	switch (d.status) {
	case base64url::Status::ok: break;
	case base64url::Status::bad_character:
		reject("cursor contains a character outside the url-safe base64 alphabet",
		       "at offset " + std::to_string(d.offset) + "; a cursor has only A-Z a-z 0-9 - _");
	case base64url::Status::padding:
		reject("cursor must not contain '=' padding", "at offset " + std::to_string(d.offset));
	case base64url::Status::bad_length:
		reject("cursor is truncated or has an impossible length",
		       std::to_string(cursor.size()) + " characters is not a length of url-safe base64");
	case base64url::Status::trailing_bits:
		reject("cursor is truncated or is not canonical base64", "non-zero unused bits in its last character");
	case base64url::Status::too_small: // cannot happen: the size was checked above
		reject("cursor is too long");
	}
	const size_t n = d.length;
	if (n < kMinRawBytes) reject("cursor is truncated", std::to_string(n) + " bytes, at least " +
	                                                        std::to_string(kMinRawBytes));
	if (raw[0] != kVersion)
		reject("cursor has an unknown format version",
		       "version " + std::to_string(raw[0]) + ", this server reads version " + std::to_string(kVersion));
	if (raw[1] != static_cast<uint8_t>(expected)) {
		const Kind made = static_cast<Kind>(raw[1]);
		reject("cursor was made by another function",
		       valid_kind(raw[1]) ? std::string("made by ") + kind_name(made) + ", passed to " + kind_name(expected)
		                          : "unknown function kind " + std::to_string(raw[1]));
	}
	// Position length: canonical LEB128 in one or two bytes.
	size_t poslen, poslen_n;
	if (raw[2] < 0x80) {
		poslen = raw[2];
		poslen_n = 1;
	} else if (raw[3] >= 0x01 && raw[3] < 0x80) { // n >= kMinRawBytes, so raw[3] exists
		poslen = (raw[2] & 0x7Fu) | (size_t{raw[3]} << 7);
		poslen_n = 2;
	} else {
		reject("cursor position length is malformed");
	}
	if (poslen > kMaxPositionBytes)
		reject("cursor position is too long",
		       std::to_string(poslen) + " bytes, at most " + std::to_string(kMaxPositionBytes));
	const size_t want = 2 + poslen_n + poslen + kTagBytes;
	if (n < want)
		reject("cursor is truncated", std::to_string(n) + " bytes where its header says " + std::to_string(want));
	if (n > want)
		reject("cursor has extra bytes after its tag",
		       std::to_string(n) + " bytes where its header says " + std::to_string(want));

	const std::string_view position(reinterpret_cast<const char *>(raw + 2 + poslen_n), poslen);
	const uint64_t tag = compute_tag(secret, raw, binding, raw + 2, poslen_n, position);
	const auto expect = siphash24_le_bytes(tag);
	if (!tag_equal(expect.data(), raw + n - kTagBytes))
		reject("cursor does not match this call or was altered",
		       std::string("a cursor is valid only for the ") + kind_name(expected) +
		           " call with the same arguments that returned it");
	return std::string(position);
}

void Binder::field(uint8_t tag, const void *data, size_t len) {
	uint8_t head[11];
	head[0] = tag;
	const size_t hn = 1 + put_leb128(head + 1, len);
	buf_.append(reinterpret_cast<const char *>(head), hn);
	if (len > 0) buf_.append(static_cast<const char *>(data), len);
}

// Field tags.
namespace {
constexpr uint8_t kTagNull = 0x00, kTagUuid = 0x01, kTagInt32 = 0x02, kTagText = 0x03;
}

Binder &Binder::uuid(const uint8_t (&u)[16]) {
	field(kTagUuid, u, 16);
	return *this;
}

Binder &Binder::uuid_or_null(const uint8_t *u) {
	if (u == nullptr) return null();
	field(kTagUuid, u, 16);
	return *this;
}

Binder &Binder::null() {
	field(kTagNull, nullptr, 0);
	return *this;
}

Binder &Binder::int32(int32_t v) {
	const uint32_t u = static_cast<uint32_t>(v);
	const uint8_t be[4] = {static_cast<uint8_t>(u >> 24), static_cast<uint8_t>(u >> 16), static_cast<uint8_t>(u >> 8),
	                       static_cast<uint8_t>(u)};
	field(kTagInt32, be, 4);
	return *this;
}

Binder &Binder::text(std::string_view s) {
	field(kTagText, s.data(), s.size());
	return *this;
}

std::string position_time_id(int64_t time_us, const uint8_t id[16]) {
	const path::Key k = path::make_key(time_us, id);
	return std::string(reinterpret_cast<const char *>(k.data()), k.size());
}

void read_time_id(std::string_view position, int64_t *time_us, uint8_t id[16]) {
	if (position.size() != kTimeIdBytes)
		reject("cursor position is malformed",
		       std::to_string(position.size()) + " bytes, expected " + std::to_string(kTimeIdBytes));
	const auto *p = reinterpret_cast<const uint8_t *>(position.data());
	*time_us = path::key_created_at(p, 0);
	path::key_id(p, 0, id);
}

std::string_view read_path(std::string_view position) {
	if (!path::is_valid(reinterpret_cast<const uint8_t *>(position.data()), position.size()))
		reject("cursor position is not a comment path",
		       std::to_string(position.size()) + " bytes; a path is 1 to " + std::to_string(path::kMaxDepthLimit + 1) +
		           " keys of " + std::to_string(path::kKeyBytes) + " bytes");
	return position;
}

} // namespace cp::core::cursor
