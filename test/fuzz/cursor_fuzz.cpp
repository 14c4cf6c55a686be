// libFuzzer target for the cursor codec (src/core/cursor.cpp, base64url.cpp,
// siphash.cpp). For arbitrary input:
//   1. as cursor text, decoded for every kind with the fixed secret and that
//      kind's binding: only cp::core::Error may escape decode and it carries
//      22023 with a lower-case message; if a text decodes, encoding the
//      returned position gives back exactly that text, and the same text is
//      rejected by every other kind, by another binding and by another secret;
//   2. as raw bytes, through base64url: encode is URL-safe and decodes back;
//   3. as (kind selector, position): encode -> decode round-trips, the cursor
//      is URL-safe and of encoded_length, and a one-character change chosen by
//      the input is rejected.
// Any other exception is uncaught and ends the process, which libFuzzer
// reports as a crash.
#include <cctype>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "core/base64url.hpp"
#include "core/error.hpp"
#include "fuzz_fixture.hpp"

namespace {

using namespace cp_fuzz;
namespace B64 = cp::core::base64url;

void check_rejection(const cp::core::Error &e) {
	CP_FUZZ_CHECK(std::strcmp(e.sqlstate(), "22023") == 0);
	const std::string_view m = e.what();
	CP_FUZZ_CHECK(!m.empty() && m.size() < 200);
	CP_FUZZ_CHECK(std::islower(static_cast<unsigned char>(m[0])));
	CP_FUZZ_CHECK(m.back() != '.');
}

bool rejected(std::string_view text, C::Kind k, const std::string &b, const C::Secret &s) {
	try {
		C::decode(text, k, s, b);
	} catch (const cp::core::Error &e) {
		check_rejection(e);
		return true;
	}
	return false;
}

bool url_safe(std::string_view s) {
	for (char c : s)
		if (!B64::is_alphabet(c)) return false;
	return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	const std::string_view text(reinterpret_cast<const char *>(data), size);

	// 1. arbitrary text as a cursor
	int accepted = 0;
	for (C::Kind k : kKinds) {
		const std::string b = binding(k);
		std::string pos;
		try {
			pos = C::decode(text, k, secret(), b);
		} catch (const cp::core::Error &e) {
			check_rejection(e);
			continue;
		}
		++accepted;
		CP_FUZZ_CHECK(pos.size() <= C::kMaxPositionBytes);
		CP_FUZZ_CHECK(C::encode(k, secret(), b, pos) == text);
		for (C::Kind other : kKinds)
			if (other != k) CP_FUZZ_CHECK(rejected(text, other, binding(other), secret()));
		CP_FUZZ_CHECK(rejected(text, k, b + std::string(1, '\0'), secret()));
		CP_FUZZ_CHECK(rejected(text, k, b, other_secret()));
	}
	CP_FUZZ_CHECK(accepted <= 1);

	// 2. raw bytes through base64url
	if (size <= 8192) {
		const std::string enc = B64::encode(text);
		CP_FUZZ_CHECK(enc.size() == B64::encoded_size(size) && url_safe(enc));
		std::string back(B64::decoded_size(enc.size()), '\0');
		const auto r = B64::decode_to(enc, reinterpret_cast<uint8_t *>(back.data()), back.size());
		CP_FUZZ_CHECK(r.status == B64::Status::ok && r.length == size && back == text);
	}

	// 3. (kind selector, position) through encode and decode
	if (size >= 2) {
		const C::Kind k = kKinds[data[0] % 6];
		const uint8_t flip = data[1];
		std::string_view pos = text.substr(2);
		if (pos.size() > C::kMaxPositionBytes) pos = pos.substr(0, C::kMaxPositionBytes);
		const std::string b = binding(k);
		const std::string c = C::encode(k, secret(), b, pos);
		CP_FUZZ_CHECK(c.size() == C::encoded_length(pos.size()) && c.size() <= C::kMaxCursorChars);
		CP_FUZZ_CHECK(url_safe(c));
		CP_FUZZ_CHECK(C::decode(c, k, secret(), b) == pos);
		CP_FUZZ_CHECK(rejected(c, kKinds[(data[0] + 1) % 6], b, secret()));
		std::string bad = c;
		const size_t at = (static_cast<size_t>(flip) * 131 + pos.size()) % bad.size();
		bad[at] = static_cast<char>(bad[at] ^ (1 + flip % 127));
		CP_FUZZ_CHECK(rejected(bad, k, b, secret()));
		CP_FUZZ_CHECK(rejected(c.substr(0, c.size() - 1 - flip % c.size()), k, b, secret()));
	}
	return 0;
}
