// Shared by the fuzz targets and their seed generator: the fixed secret and
// bindings the cursor target decodes with, and a check that aborts with a
// message (libFuzzer then saves the input as a crash).
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/cursor.hpp"

namespace cp_fuzz {

namespace C = cp::core::cursor;

inline const C::Kind kKinds[] = {C::Kind::creator_posts,  C::Kind::home_feed,        C::Kind::recent_posts,
                                 C::Kind::comment_thread, C::Kind::subscriptions_of, C::Kind::subscribers_of};

inline const C::Secret &secret() {
	static const C::Secret s = [] {
		C::Secret x{};
		for (int i = 0; i < 16; ++i) x.bytes[i] = static_cast<uint8_t>(0xA0 + i);
		return x;
	}();
	return s;
}

inline const C::Secret &other_secret() {
	static const C::Secret s = [] {
		C::Secret x = secret();
		x.bytes[15] ^= 1;
		return x;
	}();
	return s;
}

// A plausible binding per kind: (uuid, NULL) for creator_posts, (uuid) for
// home_feed, (NULL) for recent_posts, (uuid, int32, NULL) for comment_thread,
// (uuid, text) for the subscription lists.
inline std::string binding(C::Kind k) {
	static const uint8_t u[16] = {0x01, 0x90, 0x00, 0x00, 0x00, 0x00, 0x70, 0x00,
	                              0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2a};
	C::Binder b;
	switch (k) {
	case C::Kind::creator_posts: b.uuid(u).null(); break;
	case C::Kind::home_feed: b.uuid(u); break;
	case C::Kind::recent_posts: b.null(); break;
	case C::Kind::comment_thread: b.uuid(u).int32(10).null(); break;
	case C::Kind::subscriptions_of: b.uuid(u).text("active"); break;
	case C::Kind::subscribers_of: b.uuid(u).text("cancelled"); break;
	}
	return b.bytes();
}

[[noreturn]] inline void fail(const char *what) {
	std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
	std::fflush(stderr);
	std::abort();
}

#define CP_FUZZ_CHECK(cond)                                                                                            \
	do {                                                                                                               \
		if (!(cond)) ::cp_fuzz::fail(#cond " (" __FILE__ ")");                                                         \
	} while (0)

} // namespace cp_fuzz
