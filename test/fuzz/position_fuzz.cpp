// libFuzzer target for the cursor payload: what the decoder reads behind the
// base64 layer, and the position readers the feeds apply to what it returns
// (src/core/cursor.cpp decode, read_time_id, read_path). cursor_fuzz feeds
// cursor text, almost none of which gets past the tag; here the input chooses
// the decoded bytes themselves and the fuzzer signs them with the fixture's
// key, so every field after the tag check is reached with hostile values.
//
// The first byte chooses the mode and the kind the call expects:
//   A  the rest is a position, encoded as a valid cursor of that kind and read
//      back as the feed does: a time-ordered feed accepts exactly 24 bytes
//      and re-encodes the (time, id) it read to the same bytes; comment_thread
//      accepts exactly a valid comment path;
//   B  the rest is the cursor's raw body (version, kind, 1-2 length bytes,
//      position), to which the fuzzer appends the correct tag: decode accepts
//      exactly a body with version 1, the expected kind, a canonical LEB128
//      length equal to the position's length, a position of at most
//      kMaxPositionBytes and a text of at most kMaxCursorChars; what it
//      accepts re-encodes to the same text;
//   C  the rest is the raw body with its own tag bytes (no signing): anything
//      decode accepts re-encodes to the same text.
// In every mode only cp::core::Error with SQLSTATE 22023 may escape, with a
// lower-case message; anything else ends the process (a finding).
#include <cctype>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "core/base64url.hpp"
#include "core/comment_path.hpp"
#include "core/error.hpp"
#include "core/siphash.hpp"
#include "fuzz_fixture.hpp"

namespace {

using namespace cp_fuzz;
namespace B64 = cp::core::base64url;
namespace P = cp::core::path;

void check_rejection(const cp::core::Error &e) {
	CP_FUZZ_CHECK(std::strcmp(e.sqlstate(), "22023") == 0);
	const std::string_view m = e.what();
	CP_FUZZ_CHECK(!m.empty() && std::islower(static_cast<unsigned char>(m[0])) && m.back() != '.');
}

// decode(); false (after checking the error) when it rejects.
bool try_decode(std::string_view text, C::Kind k, std::string *pos) {
	try {
		*pos = C::decode(text, k, secret(), binding(k));
		return true;
	} catch (const cp::core::Error &e) {
		check_rejection(e);
		return false;
	}
}

void leb128(std::string &out, uint64_t v) {
	while (v >= 0x80) {
		out.push_back(static_cast<char>(v | 0x80));
		v >>= 7;
	}
	out.push_back(static_cast<char>(v));
}

// The tag as cursor.hpp defines it: SipHash-2-4 over version, kind,
// LEB128(binding length), binding, the length bytes as written, position.
std::string tag_of(std::string_view header, std::string_view binding, std::string_view lenbytes,
                   std::string_view position) {
	std::string blen;
	leb128(blen, binding.size());
	cp::core::SipHash24 h(secret().bytes.data());
	h.update(header).update(blen).update(binding).update(lenbytes).update(position);
	const auto t = cp::core::siphash24_le_bytes(h.finish());
	return std::string(reinterpret_cast<const char *>(t.data()), t.size());
}

std::string text_of(std::string_view raw) {
	return B64::encode(raw);
}

void mode_a(C::Kind k, std::string_view pos) {
	if (pos.size() > C::kMaxPositionBytes) pos = pos.substr(0, C::kMaxPositionBytes);
	const std::string text = C::encode(k, secret(), binding(k), pos);
	std::string got;
	CP_FUZZ_CHECK(try_decode(text, k, &got) && got == pos);
	const auto *p = reinterpret_cast<const uint8_t *>(got.data());
	if (k == C::Kind::comment_thread) {
		bool accepted = true;
		try {
			CP_FUZZ_CHECK(C::read_path(got) == got);
		} catch (const cp::core::Error &e) {
			check_rejection(e);
			accepted = false;
		}
		CP_FUZZ_CHECK(accepted == P::is_valid(p, got.size()));
	} else {
		bool accepted = true;
		int64_t t = 0;
		uint8_t id[16];
		try {
			C::read_time_id(got, &t, id);
		} catch (const cp::core::Error &e) {
			check_rejection(e);
			accepted = false;
		}
		CP_FUZZ_CHECK(accepted == (got.size() == C::kTimeIdBytes));
		if (accepted) CP_FUZZ_CHECK(C::position_time_id(t, id) == got);
	}
}

void mode_b(C::Kind k, const uint8_t *d, size_t n) {
	// The decoder reads a second length byte when the first has its high bit
	// set; without a fourth input byte that would be a byte of the tag.
	if (n < 3 || ((d[2] & 0x80) && n < 4)) return;
	const std::string header(reinterpret_cast<const char *>(d), 2);
	const size_t lenbytes_n = (d[2] & 0x80) ? 2 : 1;
	const std::string lenbytes(reinterpret_cast<const char *>(d + 2), lenbytes_n);
	std::string_view position(reinterpret_cast<const char *>(d + 2 + lenbytes_n), n - 2 - lenbytes_n);
	const std::string raw = header + lenbytes + std::string(position) + tag_of(header, binding(k), lenbytes, position);
	const std::string text = text_of(raw);

	size_t declared = d[2] & 0x7Fu;
	bool canonical = !(d[2] & 0x80);
	if (lenbytes_n == 2) {
		declared |= size_t{d[3]} << 7;
		canonical = d[3] >= 0x01 && d[3] < 0x80;
	}
	const bool want = d[0] == C::kVersion && d[1] == static_cast<uint8_t>(k) && canonical &&
	                  declared == position.size() && position.size() <= C::kMaxPositionBytes &&
	                  text.size() <= C::kMaxCursorChars;
	std::string got;
	const bool accepted = try_decode(text, k, &got);
	CP_FUZZ_CHECK(accepted == want);
	if (accepted) {
		CP_FUZZ_CHECK(got == position);
		CP_FUZZ_CHECK(C::encode(k, secret(), binding(k), got) == text);
	}
}

void mode_c(C::Kind k, const uint8_t *d, size_t n) {
	const std::string text = text_of(std::string_view(reinterpret_cast<const char *>(d), n));
	std::string got;
	if (try_decode(text, k, &got)) CP_FUZZ_CHECK(C::encode(k, secret(), binding(k), got) == text);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	if (size < 1) return 0;
	const C::Kind k = kKinds[(data[0] >> 2) % 6];
	const uint8_t *rest = data + 1;
	const size_t n = size - 1;
	switch (data[0] & 3) {
	case 0:
	case 1: mode_a(k, std::string_view(reinterpret_cast<const char *>(rest), n)); break;
	case 2: mode_b(k, rest, n); break;
	default: mode_c(k, rest, n); break;
	}
	return 0;
}
