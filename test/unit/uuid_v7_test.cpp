#include <cstdint>
#include <random>
#include <vector>

#include <boost/uuid/uuid.hpp>
#include <boost/uuid/uuid_io.hpp>
#include <gtest/gtest.h>

#include "core/uuid_v7.hpp"

using cp::core::UuidV7Generator;

namespace {

constexpr int64_t kMs = UuidV7Generator::kNsPerMs;
const uint8_t kZeros[8] = {0, 0, 0, 0, 0, 0, 0, 0};
const uint8_t kOnes[8] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};

uint64_t ms_field(const boost::uuids::uuid &u) {
	uint64_t ms = 0;
	for (int i = 0; i < 6; ++i) ms = (ms << 8) | u.data[i];
	return ms;
}
unsigned sub_ms_field(const boost::uuids::uuid &u) { return ((u.data[6] & 0x0Fu) << 8) | u.data[7]; }

} // namespace

TEST(UuidV7, LayoutFollowsRfc9562) {
	UuidV7Generator g;
	// 2026-01-01T00:00:00.5Z + 250,000 ns into that millisecond
	const int64_t ms = 1767225600500;
	auto u = g.next(ms * kMs + 250000, kOnes);
	EXPECT_EQ(ms_field(u), static_cast<uint64_t>(ms));
	EXPECT_EQ(u.data[6] >> 4, 7) << "version nibble";
	EXPECT_EQ(u.data[8] & 0xC0, 0x80) << "variant 10xx";
	EXPECT_EQ(sub_ms_field(u), 1024u) << "250 us = 1/4 ms = 1024/4096";
	EXPECT_EQ(u.data[8] & 0x3F, 0x3F) << "62 random bits from the caller";
	for (int i = 9; i < 16; ++i) EXPECT_EQ(u.data[i], 0xFF);
	EXPECT_EQ(u.variant(), boost::uuids::uuid::variant_rfc_4122);
}

TEST(UuidV7, RandomBitsAreCopiedVerbatim) {
	UuidV7Generator g;
	const uint8_t r[8] = {0xC5, 1, 2, 3, 4, 5, 6, 7};
	auto u = g.next(1000 * kMs, r);
	EXPECT_EQ(u.data[8], 0x80 | (0xC5 & 0x3F));
	for (int i = 1; i < 8; ++i) EXPECT_EQ(u.data[8 + i], r[i]);
}

TEST(UuidV7, StrictlyIncreasingWithinOneMillisecond) {
	UuidV7Generator g;
	const int64_t now = 1767225600000 * kMs;
	auto prev = g.next(now, kOnes);
	// The clock does not move at all: 10,000 UUIDs, the random part working
	// against the order (largest first), must still strictly increase.
	for (int i = 0; i < 10000; ++i) {
		auto u = g.next(now, i % 2 ? kOnes : kZeros);
		ASSERT_LT(prev, u) << "at " << i << ": " << prev << " !< " << u;
		ASSERT_TRUE(cp::core::is_v7(u));
		prev = u;
	}
	// 10,000 steps of at least 1/4096 ms carried the timestamp forward ~2.4 ms.
	EXPECT_GE(ms_field(prev), 1767225600002u);
}

TEST(UuidV7, EveryStepMovesTheSubMillisecondField) {
	UuidV7Generator g;
	const int64_t now = 5000 * kMs;
	auto a = g.next(now, kZeros);
	auto b = g.next(now, kZeros);
	ASSERT_EQ(ms_field(a), ms_field(b));
	EXPECT_EQ(sub_ms_field(b), sub_ms_field(a) + 1);
}

TEST(UuidV7, ClockGoingBackwardsNeverBreaksOrder) {
	UuidV7Generator g;
	auto prev = g.next(2000000 * kMs, kZeros);
	for (int i = 1; i <= 1000; ++i) {
		auto u = g.next((2000000 - i) * kMs, kOnes); // an hour of backwards steps
		ASSERT_LT(prev, u);
		prev = u;
	}
}

TEST(UuidV7, FollowsTheClockWhenItAdvances) {
	UuidV7Generator g;
	g.next(1000 * kMs, kZeros);
	auto u = g.next(1500 * kMs + 1, kZeros);
	EXPECT_EQ(ms_field(u), 1500u);
	EXPECT_EQ(sub_ms_field(u), 0u);
}

TEST(UuidV7, RandomClockAndRandomBitsStayOrdered) {
	UuidV7Generator g;
	std::mt19937_64 rng(7);
	int64_t clock = 1767225600000 * kMs;
	auto prev = g.next(clock, kZeros);
	for (int i = 0; i < 100000; ++i) {
		// jitter of -1 ms .. +1 ms, as NTP adjustments and coarse clocks do
		clock += static_cast<int64_t>(rng() % (2 * kMs)) - kMs;
		uint64_t r = rng();
		uint8_t bytes[8];
		for (int k = 0; k < 8; ++k) bytes[k] = static_cast<uint8_t>(r >> (8 * k));
		auto u = g.next(clock, bytes);
		ASSERT_LT(prev, u);
		prev = u;
	}
}

TEST(UuidV7, TimestampRoundTrip) {
	UuidV7Generator g;
	auto u = g.next(1767225600123 * kMs + 999999, kZeros);
	auto ms = cp::core::v7_unix_ms(u);
	ASSERT_TRUE(ms.has_value());
	EXPECT_EQ(*ms, 1767225600123);
}

TEST(UuidV7, KnownValueDecodes) {
	// RFC 9562 appendix A.6 example: 017F22E2-79B0-7CC3-98C4-DC0C0C07398F,
	// Tuesday, February 22, 2022 2:22:22.00 PM GMT-05:00 = 1645557742000 ms.
	boost::uuids::uuid u{{0x01, 0x7F, 0x22, 0xE2, 0x79, 0xB0, 0x7C, 0xC3, 0x98, 0xC4, 0xDC, 0x0C, 0x0C, 0x07, 0x39,
	                      0x8F}};
	ASSERT_TRUE(cp::core::is_v7(u));
	EXPECT_EQ(*cp::core::v7_unix_ms(u), 1645557742000);
}

TEST(UuidV7, RejectsOtherVersionsAndVariants) {
	boost::uuids::uuid nil{};
	EXPECT_FALSE(cp::core::is_v7(nil));
	EXPECT_FALSE(cp::core::v7_unix_ms(nil).has_value());

	// a version 4 UUID
	boost::uuids::uuid v4{{0x55, 0x0e, 0x84, 0x00, 0xe2, 0x9b, 0x41, 0xd4, 0xa7, 0x16, 0x44, 0x66, 0x55, 0x44, 0x00,
	                       0x00}};
	EXPECT_FALSE(cp::core::is_v7(v4));

	// version nibble 7 but the NCS variant (0xxx)
	boost::uuids::uuid bad_variant{{0x01, 0x7F, 0x22, 0xE2, 0x79, 0xB0, 0x7C, 0xC3, 0x18, 0xC4, 0xDC, 0x0C, 0x0C, 0x07,
	                                0x39, 0x8F}};
	EXPECT_FALSE(cp::core::is_v7(bad_variant));
	// version nibble 7, Microsoft variant (110x)
	bad_variant.data[8] = 0xC4;
	EXPECT_FALSE(cp::core::is_v7(bad_variant));
}

TEST(UuidV7, MinStepAlwaysMovesTheFraction) {
	// One step must be more than 1/4096 ms, or two UUIDs could share a fraction.
	EXPECT_GT(UuidV7Generator::kMinStepNs * 4096, UuidV7Generator::kNsPerMs);
	EXPECT_LT(UuidV7Generator::kMinStepNs * 4096, 2 * UuidV7Generator::kNsPerMs);
}
