#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/base64url.hpp"
#include "core/comment_path.hpp"
#include "core/cursor.hpp"
#include "core/error.hpp"

namespace B64 = cp::core::base64url;
namespace C = cp::core::cursor;
namespace P = cp::core::path;
using C::Kind;

namespace {

const Kind kAllKinds[] = {Kind::creator_posts,  Kind::home_feed,        Kind::recent_posts,
                          Kind::comment_thread, Kind::subscriptions_of, Kind::subscribers_of};

C::Secret test_secret() {
	C::Secret s{};
	for (int i = 0; i < 16; ++i) s.bytes[i] = static_cast<uint8_t>(i);
	return s;
}

const uint8_t kUuidA[16] = {0x01, 0x8f, 0x2d, 0x9f, 0x9a, 0x2a, 0x7d, 0xef,
                            0x8c, 0x3f, 0x7b, 0x1a, 0x2c, 0x4d, 0x5e, 0x6f};
const uint8_t kUuidB[16] = {0x01, 0x8f, 0x2d, 0x9f, 0x9a, 0x2a, 0x7d, 0xef,
                            0x8c, 0x3f, 0x7b, 0x1a, 0x2c, 0x4d, 0x5e, 0x70};

std::string binding_a() { return C::Binder().uuid(kUuidA).null().bytes(); }

std::string time_id_position(int64_t t = 817200000000000) { return C::position_time_id(t, kUuidB); }

// The SQLSTATE and message of the Error fn throws; "" if it returns.
struct Thrown {
	std::string state, message, detail;
};
Thrown thrown(const std::function<void()> &fn) {
	try {
		fn();
	} catch (const cp::core::Error &e) {
		return {e.sqlstate(), e.what(), e.detail()};
	}
	return {};
}

Thrown decode_error(std::string_view cursor, Kind kind = Kind::home_feed, const std::string &binding = binding_a(),
                    const C::Secret &secret = test_secret()) {
	return thrown([&] { C::decode(cursor, kind, secret, binding); });
}

std::string raw_of(const std::string &text) {
	std::string raw(B64::decoded_size(text.size()), '\0');
	auto r = B64::decode_to(text, reinterpret_cast<uint8_t *>(raw.data()), raw.size());
	EXPECT_EQ(r.status, B64::Status::ok);
	raw.resize(r.length);
	return raw;
}

bool url_safe(const std::string &s) {
	return std::all_of(s.begin(), s.end(), [](char c) {
		return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
	});
}

std::string random_bytes(std::mt19937_64 &rng, size_t n) {
	std::string s(n, '\0');
	for (auto &c : s) c = static_cast<char>(rng());
	return s;
}

// A valid comment path of depth d.
std::string path_of_depth(int d) {
	std::string p;
	for (int i = 0; i <= d; ++i) {
		uint8_t id[16];
		for (int j = 0; j < 16; ++j) id[j] = static_cast<uint8_t>(i * 16 + j);
		p = P::child_path(reinterpret_cast<const uint8_t *>(p.data()), p.size(), P::make_key(i * 1000 - 7, id));
	}
	return p;
}

} // namespace

// ---- base64url ---------------------------------------------------------------

TEST(Base64Url, Rfc4648VectorsWithoutPadding) {
	const std::pair<const char *, const char *> v[] = {
	    {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},         {"foo", "Zm9v"},
	    {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}};
	for (const auto &[plain, enc] : v) {
		EXPECT_EQ(B64::encode(plain), enc);
		EXPECT_EQ(raw_of(enc), plain);
	}
	// The two characters that differ from standard base64: 62 = '-', 63 = '_'.
	EXPECT_EQ(B64::encode(std::string("\xfb\xff", 2)), "-_8");
	EXPECT_EQ(raw_of("-_8"), std::string("\xfb\xff", 2));
}

TEST(Base64Url, RoundTripsEveryLength) {
	std::mt19937_64 rng(1);
	for (size_t n = 0; n < 300; ++n) {
		auto bytes = random_bytes(rng, n);
		auto text = B64::encode(bytes);
		ASSERT_EQ(text.size(), B64::encoded_size(n));
		ASSERT_NE(text.size() % 4, 1u);
		ASSERT_TRUE(url_safe(text));
		ASSERT_EQ(B64::decoded_size(text.size()), n);
		ASSERT_EQ(raw_of(text), bytes) << n;
	}
}

TEST(Base64Url, RejectsWhatIsNotCanonical) {
	uint8_t out[16];
	auto st = [&](std::string_view t) { return B64::decode_to(t, out, sizeof out).status; };
	EXPECT_EQ(st("Zg=="), B64::Status::padding);
	EXPECT_EQ(st("Zm8="), B64::Status::padding);
	EXPECT_EQ(st("Zm+v"), B64::Status::bad_character);
	EXPECT_EQ(st("Zm/v"), B64::Status::bad_character);
	EXPECT_EQ(st("Zm9v "), B64::Status::bad_character);
	EXPECT_EQ(st(std::string_view("Zm\0v", 4)), B64::Status::bad_character);
	EXPECT_EQ(st("Zm9vY"), B64::Status::bad_length);
	EXPECT_EQ(st("Z"), B64::Status::bad_length);
	EXPECT_EQ(st("Zh"), B64::Status::trailing_bits) << "'h' has low bits set; only 'g' is canonical";
	EXPECT_EQ(st("Zm9"), B64::Status::trailing_bits);
	EXPECT_EQ(st("Zm8"), B64::Status::ok);
	EXPECT_EQ(st("AAAAAAAAAAAAAAAAAAAAAAAA"), B64::Status::too_small);
	auto r = B64::decode_to("Zm9v!", out, sizeof out);
	EXPECT_EQ(r.offset, 4u);
	for (int c = 0; c < 256; ++c) {
		const char ch = static_cast<char>(c);
		const bool in =
		    (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
		EXPECT_EQ(B64::is_alphabet(ch), in) << c;
	}
}

// ---- the cursor codec --------------------------------------------------------

TEST(Cursor, GoldenWireFormat) {
	// Computed independently (Python: a SipHash-2-4 written from the paper and
	// base64.urlsafe_b64encode): the wire format must not drift silently.
	const C::Secret secret = test_secret();
	uint8_t reader[16], id[16];
	std::memset(reader, 0x11, 16);
	for (int i = 0; i < 16; ++i) id[i] = static_cast<uint8_t>(i);
	const std::string b1 = C::Binder().uuid(reader).bytes();
	const std::string p1 = C::position_time_id(1000000, id);
	EXPECT_EQ(C::encode(Kind::home_feed, secret, b1, p1), "AQIYgAAAAAAPQkAAAQIDBAUGBwgJCgsMDQ4PEs0PvFMLf9U");

	uint8_t post[16], aa[16], bb[16];
	std::memset(post, 0x22, 16), std::memset(aa, 0xAA, 16), std::memset(bb, 0xBB, 16);
	const std::string b2 = C::Binder().uuid(post).int32(5).null().bytes();
	std::string p2 = P::child_path(nullptr, 0, P::make_key(-5, aa));
	p2 = P::child_path(reinterpret_cast<const uint8_t *>(p2.data()), p2.size(), P::make_key(7, bb));
	EXPECT_EQ(C::encode(Kind::comment_thread, secret, b2, p2),
	          "AQQwf_________uqqqqqqqqqqqqqqqqqqqqqgAAAAAAAAAe7u7u7u7u7u7u7u7u7u7u7f22MH3DGK20");

	std::string p3(200, '\0');
	for (int i = 0; i < 200; ++i) p3[i] = static_cast<char>((i * 7) & 0xFF);
	const std::string c3 = C::encode(Kind::recent_posts, secret, C::Binder().null().bytes(), p3);
	EXPECT_EQ(c3,
	          "AQPIAQAHDhUcIyoxOD9GTVRbYmlwd36FjJOaoaivtr3Ey9LZ4Ofu9fwDChEYHyYtNDtCSVBXXmVsc3qBiI-WnaSrsrnAx87V3OPq8f"
	          "j_Bg0UGyIpMDc-RUxTWmFob3Z9hIuSmaCnrrW8w8rR2N_m7fT7AgkQFx4lLDM6QUhPVl1ka3J5gIeOlZyjqrG4v8bN1Nvi6fD3_gUMEx"
	          "ohKC82PURLUllgZ251fIOKkZifpq20u8LJ0Nfe5ezz-gEIDxYdJCsyOUBHTlVcY2pxCLY-O2EcRVM")
	    << "version 1, kind 3, LEB128 length c8 01 (\"AQPIAQ\")";
	EXPECT_EQ(C::decode(c3, Kind::recent_posts, secret, C::Binder().null().bytes()), p3);
}

TEST(Cursor, RoundTripsEveryKindAndEveryPositionSize) {
	const C::Secret secret = test_secret();
	std::mt19937_64 rng(42);
	for (Kind k : kAllKinds) {
		const std::string binding = C::Binder().uuid(kUuidA).int32(static_cast<int32_t>(k)).bytes();
		for (size_t n = 0; n <= C::kMaxPositionBytes; ++n) {
			const std::string pos = random_bytes(rng, n);
			const std::string c = C::encode(k, secret, binding, pos);
			ASSERT_EQ(c.size(), C::encoded_length(n));
			ASSERT_LE(c.size(), C::kMaxCursorChars);
			ASSERT_TRUE(url_safe(c)) << c;
			ASSERT_EQ(C::decode(c, k, secret, binding), pos) << C::kind_name(k) << " size " << n;
		}
	}
	EXPECT_EQ(C::encoded_length(24), 47u) << "a (time, id) cursor";
	EXPECT_EQ(C::encoded_length(C::kMaxPositionBytes), 3248u);
}

TEST(Cursor, EncodeToWritesExactlyTheCursor) {
	const std::string pos = time_id_position();
	const std::string want = C::encode(Kind::home_feed, test_secret(), binding_a(), pos);
	std::string buf(want.size() + 2, '#');
	C::encode_to(buf.data() + 1, Kind::home_feed, test_secret(), binding_a(), pos);
	EXPECT_EQ(buf, "#" + want + "#");
}

TEST(Cursor, EncoderGivesWhatEncodeGives) {
	// The Encoder absorbs version, kind and binding once; its cursors must be
	// byte for byte those of encode(), for every kind, binding length (the
	// SipHash block boundary falls anywhere in the prefix) and position size.
	const C::Secret secret = test_secret();
	std::mt19937_64 rng(7);
	for (Kind k : kAllKinds) {
		for (size_t blen = 0; blen <= 40; ++blen) {
			const std::string binding = C::Binder().text(random_bytes(rng, blen)).bytes();
			const C::Encoder enc(k, secret, binding);
			for (size_t n : {size_t(0), size_t(1), size_t(7), size_t(8), size_t(24), size_t(48), size_t(240),
			                 C::kMaxPositionBytes}) {
				const std::string pos = random_bytes(rng, n);
				const std::string want = C::encode(k, secret, binding, pos);
				ASSERT_EQ(enc.encode(pos), want) << C::kind_name(k) << " binding " << blen << " position " << n;
				std::string buf(want.size() + 2, '#');
				enc.encode_to(buf.data() + 1, pos);
				ASSERT_EQ(buf, "#" + want + "#");
				ASSERT_EQ(C::decode(want, k, secret, binding), pos);
			}
			// the encoder is reusable: the same position again, the same cursor
			const std::string pos = random_bytes(rng, 24);
			ASSERT_EQ(enc.encode(pos), enc.encode(pos));
		}
	}
	EXPECT_THROW(C::Encoder(static_cast<Kind>(0), secret, ""), cp::core::Error);
	const C::Encoder enc(Kind::home_feed, secret, binding_a());
	EXPECT_THROW(enc.encode(std::string(C::kMaxPositionBytes + 1, 'x')), cp::core::Error);
}

TEST(Cursor, EveryBitFlipOfTheDecodedBytesIsRejected) {
	for (const std::string &pos : {time_id_position(), path_of_depth(3), std::string()}) {
		const Kind k = pos.size() == 24 ? Kind::home_feed : Kind::comment_thread;
		const std::string c = C::encode(k, test_secret(), binding_a(), pos);
		const std::string raw = raw_of(c);
		for (size_t bit = 0; bit < raw.size() * 8; ++bit) {
			std::string bad = raw;
			bad[bit / 8] = static_cast<char>(bad[bit / 8] ^ (1 << (bit % 8)));
			const auto e = decode_error(B64::encode(bad), k);
			ASSERT_EQ(e.state, "22023") << "bit " << bit << " of " << raw.size() << " bytes";
		}
	}
}

TEST(Cursor, EverySingleCharacterChangeIsRejected) {
	const std::string c = C::encode(Kind::creator_posts, test_secret(), binding_a(), time_id_position());
	for (size_t i = 0; i < c.size(); ++i) {
		for (int ch = 0; ch < 256; ++ch) {
			if (static_cast<char>(ch) == c[i]) continue;
			std::string bad = c;
			bad[i] = static_cast<char>(ch);
			ASSERT_EQ(decode_error(bad, Kind::creator_posts).state, "22023") << "offset " << i << " char " << ch;
		}
	}
}

TEST(Cursor, EveryTruncationAndExtensionIsRejected) {
	for (const std::string &pos : {time_id_position(), path_of_depth(P::kMaxDepthLimit)}) {
		const Kind k = pos.size() == 24 ? Kind::subscribers_of : Kind::comment_thread;
		const std::string c = C::encode(k, test_secret(), binding_a(), pos);
		for (size_t len = 0; len < c.size(); ++len)
			ASSERT_EQ(decode_error(c.substr(0, len), k).state, "22023") << "prefix of " << len;
		for (size_t cut = 1; cut < c.size(); ++cut)
			ASSERT_EQ(decode_error(c.substr(cut), k).state, "22023") << "suffix from " << cut;
		for (char ch : std::string("AQgw-_=")) ASSERT_EQ(decode_error(c + ch, k).state, "22023") << ch;
		ASSERT_EQ(decode_error(c + c, k).state, "22023");
	}
}

TEST(Cursor, OtherFunctionIsRejected) {
	const std::string b = binding_a();
	for (Kind made : kAllKinds) {
		const std::string c = C::encode(made, test_secret(), b, time_id_position());
		for (Kind used : kAllKinds) {
			if (used == made) continue;
			const auto e = decode_error(c, used, b);
			EXPECT_EQ(e.state, "22023");
			EXPECT_EQ(e.message, "cursor was made by another function");
			EXPECT_EQ(e.detail, std::string("made by ") + C::kind_name(made) + ", passed to " + C::kind_name(used));
		}
	}
}

TEST(Cursor, OtherArgumentsAreRejected) {
	const std::string pos = time_id_position();
	const std::string c = C::encode(Kind::creator_posts, test_secret(), C::Binder().uuid(kUuidA).null().bytes(), pos);
	for (const std::string &other :
	     {C::Binder().uuid(kUuidB).null().bytes(), C::Binder().uuid(kUuidA).uuid(kUuidB).bytes(),
	      C::Binder().uuid(kUuidA).bytes(), C::Binder().null().uuid(kUuidA).bytes(), std::string()}) {
		const auto e = decode_error(c, Kind::creator_posts, other);
		EXPECT_EQ(e.state, "22023");
		EXPECT_EQ(e.message, "cursor does not match this call or was altered");
	}
	EXPECT_EQ(C::decode(c, Kind::creator_posts, test_secret(), C::Binder().uuid(kUuidA).null().bytes()), pos);
}

TEST(Cursor, OtherSecretIsRejected) {
	const std::string c = C::encode(Kind::recent_posts, test_secret(), binding_a(), time_id_position());
	for (int bit = 0; bit < 128; ++bit) {
		C::Secret s = test_secret();
		s.bytes[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
		const auto e = decode_error(c, Kind::recent_posts, binding_a(), s);
		ASSERT_EQ(e.state, "22023") << bit;
		ASSERT_EQ(e.message, "cursor does not match this call or was altered");
	}
}

TEST(Cursor, MessagesSayWhatIsWrong) {
	const std::string c = C::encode(Kind::home_feed, test_secret(), binding_a(), time_id_position());
	const std::string raw = raw_of(c);
	auto msg = [&](std::string_view text) { return decode_error(text).message; };
	EXPECT_EQ(msg(""), "cursor is empty");
	EXPECT_EQ(msg(std::string(C::kMaxCursorChars + 1, 'A')), "cursor is too long");
	EXPECT_EQ(msg(c.substr(0, 10) + "+" + c.substr(11)),
	          "cursor contains a character outside the url-safe base64 alphabet");
	EXPECT_EQ(msg(c + "="), "cursor must not contain '=' padding");
	EXPECT_EQ(msg(c.substr(0, 45)), "cursor is truncated or has an impossible length");
	EXPECT_EQ(msg("AQIY"), "cursor is truncated");

	auto with = [&](size_t at, uint8_t v) {
		std::string r = raw;
		r[at] = static_cast<char>(v);
		return msg(B64::encode(r));
	};
	EXPECT_EQ(with(0, 2), "cursor has an unknown format version");
	EXPECT_EQ(with(0, 0), "cursor has an unknown format version");
	EXPECT_EQ(with(1, 0), "cursor was made by another function");
	EXPECT_EQ(with(1, 200), "cursor was made by another function");
	EXPECT_EQ(decode_error(B64::encode(raw.substr(0, 1) + "\xC8" + raw.substr(2))).detail, "unknown function kind 200");
	EXPECT_EQ(with(2, 23), "cursor has extra bytes after its tag");
	EXPECT_EQ(with(2, 25), "cursor is truncated");
	EXPECT_EQ(with(2, 0x98), "cursor position length is malformed") << "0x98 0x00: an overlong LEB128 of 24";
	{
		std::string r = raw;
		r[2] = static_cast<char>(0x98), r[3] = static_cast<char>(0x80);
		EXPECT_EQ(msg(B64::encode(r)), "cursor position length is malformed") << "a third LEB128 byte";
	}
	{
		std::string r = raw;
		r[2] = static_cast<char>(0x80 | (3000 & 0x7F));
		r[3] = static_cast<char>(3000 >> 7);
		EXPECT_EQ(msg(B64::encode(r)), "cursor position is too long");
	}
	EXPECT_EQ(with(10, static_cast<uint8_t>(raw[10] ^ 1)), "cursor does not match this call or was altered");
	EXPECT_EQ(with(raw.size() - 1, static_cast<uint8_t>(raw.back() ^ 0x80)),
	          "cursor does not match this call or was altered");

	// Every rejection is 22023, lower-case, no trailing period, and never echoes the cursor.
	for (const std::string &bad : {std::string(""), c + "=", c.substr(0, 45), c.substr(0, 46) + "A", c + c}) {
		const auto e = decode_error(bad);
		EXPECT_EQ(e.state, "22023");
		ASSERT_FALSE(e.message.empty());
		EXPECT_TRUE(std::islower(static_cast<unsigned char>(e.message[0])));
		EXPECT_NE(e.message.back(), '.');
		EXPECT_EQ(e.message.find(c.substr(0, 8)), std::string::npos);
		EXPECT_EQ(e.detail.find(c.substr(0, 8)), std::string::npos);
	}
}

TEST(Cursor, HugeInputsAreRejectedBeforeDecoding) {
	// 16 MB of characters, valid and invalid: rejected on the length alone.
	for (char ch : {'A', '=', '\xff'}) {
		const std::string huge(16u << 20, ch);
		const auto e = decode_error(huge);
		EXPECT_EQ(e.state, "22023");
		EXPECT_EQ(e.message, "cursor is too long");
	}
	// The longest accepted text decodes into a bounded stack buffer.
	EXPECT_EQ(decode_error(std::string(C::kMaxCursorChars, 'A')).message, "cursor has an unknown format version");
	EXPECT_EQ(decode_error(std::string(C::kMaxCursorChars, '_')).message, "cursor has an unknown format version");
}

TEST(Cursor, EncodeRejectsCallerBugsAsInternalErrors) {
	const auto bad_kind = thrown([] { C::encode(static_cast<Kind>(0), test_secret(), "", ""); });
	EXPECT_EQ(bad_kind.state, "XX000");
	const auto bad_kind7 = thrown([] { C::encode(static_cast<Kind>(7), test_secret(), "", ""); });
	EXPECT_EQ(bad_kind7.state, "XX000");
	const auto too_long =
	    thrown([] { C::encode(Kind::comment_thread, test_secret(), "", std::string(C::kMaxPositionBytes + 1, 'x')); });
	EXPECT_EQ(too_long.state, "XX000");
	EXPECT_EQ(too_long.message, "cursor position is too long");
	const auto decode_bad_kind = thrown([] { C::decode("AAAA", static_cast<Kind>(9), test_secret(), ""); });
	EXPECT_EQ(decode_bad_kind.state, "XX000");
}

TEST(Cursor, KindNames) {
	EXPECT_STREQ(C::kind_name(Kind::creator_posts), "creator_posts");
	EXPECT_STREQ(C::kind_name(Kind::home_feed), "home_feed");
	EXPECT_STREQ(C::kind_name(Kind::recent_posts), "recent_posts");
	EXPECT_STREQ(C::kind_name(Kind::comment_thread), "comment_thread");
	EXPECT_STREQ(C::kind_name(Kind::subscriptions_of), "subscriptions_of");
	EXPECT_STREQ(C::kind_name(Kind::subscribers_of), "subscribers_of");
	EXPECT_STREQ(C::kind_name(static_cast<Kind>(0)), "unknown");
}

TEST(Cursor, SameInputsGiveTheSameCursor) {
	const std::string p = time_id_position();
	EXPECT_EQ(C::encode(Kind::home_feed, test_secret(), binding_a(), p),
	          C::encode(Kind::home_feed, test_secret(), binding_a(), p));
	EXPECT_NE(C::encode(Kind::home_feed, test_secret(), binding_a(), p),
	          C::encode(Kind::home_feed, test_secret(), binding_a(), time_id_position(817200000000001)));
}

// ---- Binder ------------------------------------------------------------------

TEST(Binder, FieldsAreTaggedAndLengthPrefixed) {
	EXPECT_NE(C::Binder().text("ab").text("c").bytes(), C::Binder().text("a").text("bc").bytes());
	EXPECT_NE(C::Binder().text("").bytes(), C::Binder().null().bytes()) << "NULL is not the empty text";
	EXPECT_NE(C::Binder().text("").bytes(), C::Binder().bytes()) << "an empty text is still a field";
	EXPECT_NE(C::Binder().null().bytes(), C::Binder().bytes());
	EXPECT_NE(C::Binder().null().null().bytes(), C::Binder().null().bytes());
	const std::string same16(reinterpret_cast<const char *>(kUuidA), 16);
	EXPECT_NE(C::Binder().uuid(kUuidA).bytes(), C::Binder().text(same16).bytes()) << "uuid vs text of its bytes";
	EXPECT_NE(C::Binder().int32(0).bytes(), C::Binder().null().bytes());
	EXPECT_NE(C::Binder().int32(1).bytes(), C::Binder().int32(256).bytes());
	EXPECT_NE(C::Binder().int32(-1).bytes(), C::Binder().text(std::string(4, '\xff')).bytes());
	EXPECT_NE(C::Binder().uuid(kUuidA).null().bytes(), C::Binder().null().uuid(kUuidA).bytes()) << "order matters";
	EXPECT_EQ(C::Binder().uuid_or_null(nullptr).bytes(), C::Binder().null().bytes());
	EXPECT_EQ(C::Binder().uuid_or_null(kUuidB).bytes(), C::Binder().uuid(kUuidB).bytes());
	// The layout, pinned: tag, LEB128 length, value.
	EXPECT_EQ(C::Binder().null().int32(-2).text("hi").bytes(),
	          std::string("\x00\x00\x02\x04\xff\xff\xff\xfe\x03\x02hi", 12));
	EXPECT_EQ(C::Binder().text(std::string(300, 'x')).bytes().substr(0, 3), "\x03\xac\x02") << "LEB128 of 300";
}

TEST(Binder, NoTwoShortArgumentListsCollide) {
	// Every list of up to three fields over a small alphabet of values gives
	// distinct bytes: the encoding is injective on them.
	std::vector<std::function<void(C::Binder &)>> fields = {
	    [](C::Binder &b) { b.null(); },
	    [](C::Binder &b) { b.text(""); },
	    [](C::Binder &b) { b.text("a"); },
	    [](C::Binder &b) { b.text("ab"); },
	    [](C::Binder &b) { b.text(std::string("\x00", 1)); },
	    [](C::Binder &b) { b.text(std::string("\x00\x00", 2)); },
	    [](C::Binder &b) { b.int32(0); },
	    [](C::Binder &b) { b.int32(0x61); },
	    [](C::Binder &b) { b.uuid(kUuidA); },
	    [](C::Binder &b) { b.text(std::string(reinterpret_cast<const char *>(kUuidA), 16)); },
	};
	std::vector<std::string> all;
	const size_t f = fields.size();
	for (size_t n = 0; n <= 3; ++n) {
		size_t combos = 1;
		for (size_t i = 0; i < n; ++i) combos *= f;
		for (size_t c = 0; c < combos; ++c) {
			C::Binder b;
			size_t x = c;
			for (size_t i = 0; i < n; ++i, x /= f) fields[x % f](b);
			all.push_back(b.bytes());
		}
	}
	const size_t total = all.size();
	std::sort(all.begin(), all.end());
	EXPECT_EQ(std::unique(all.begin(), all.end()) - all.begin(), static_cast<long>(total));
}

// ---- positions -----------------------------------------------------------------

TEST(Position, TimeIdRoundTripsAndSortsByTimeThenId) {
	for (int64_t t : {INT64_MIN, int64_t{-1}, int64_t{0}, int64_t{1}, int64_t{817200000000000}, INT64_MAX}) {
		const std::string p = C::position_time_id(t, kUuidA);
		ASSERT_EQ(p.size(), C::kTimeIdBytes);
		int64_t back = 0;
		uint8_t id[16];
		C::read_time_id(p, &back, id);
		EXPECT_EQ(back, t);
		EXPECT_EQ(std::memcmp(id, kUuidA, 16), 0);
	}
	EXPECT_LT(C::position_time_id(-1, kUuidB), C::position_time_id(0, kUuidA));
	EXPECT_LT(C::position_time_id(5, kUuidA), C::position_time_id(5, kUuidB));
	EXPECT_LT(std::string("\x7f", 1), std::string("\x80", 1)) << "std::string compares bytes unsigned";
}

TEST(Position, TimeIdOfTheWrongSizeIsRejected) {
	int64_t t;
	uint8_t id[16];
	for (size_t n : {size_t{0}, size_t{23}, size_t{25}, size_t{48}}) {
		const auto e = thrown([&] { C::read_time_id(std::string(n, 'x'), &t, id); });
		EXPECT_EQ(e.state, "22023") << n;
		EXPECT_EQ(e.message, "cursor position is malformed");
	}
}

TEST(Position, PathsAreValidated) {
	for (int d : {0, 1, 50, P::kMaxDepthLimit}) {
		const std::string p = path_of_depth(d);
		EXPECT_EQ(C::read_path(p), p);
		const std::string c = C::encode(Kind::comment_thread, test_secret(), binding_a(), p);
		EXPECT_EQ(C::read_path(C::decode(c, Kind::comment_thread, test_secret(), binding_a())), p);
	}
	for (size_t n : {size_t{0}, size_t{1}, size_t{23}, size_t{25}, (P::kMaxDepthLimit + 2) * P::kKeyBytes}) {
		const auto e = thrown([&] { C::read_path(std::string(n, 'x')); });
		EXPECT_EQ(e.state, "22023") << n;
		EXPECT_EQ(e.message, "cursor position is not a comment path");
	}
}
