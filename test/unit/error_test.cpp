#include <gtest/gtest.h>

#include "core/error.hpp"

using cp::core::Error;

TEST(CoreError, CarriesSqlstateMessageDetailHint) {
	Error e("22023", "page_size must be between 1 and 1000", "got 0", "pass a smaller page size");
	EXPECT_STREQ(e.sqlstate(), "22023");
	EXPECT_STREQ(e.what(), "page_size must be between 1 and 1000");
	EXPECT_EQ(e.detail(), "got 0");
	EXPECT_EQ(e.hint(), "pass a smaller page size");
}

TEST(CoreError, MalformedSqlstateBecomesInternalError) {
	EXPECT_STREQ(Error("2202", "short").sqlstate(), "XX000");
	EXPECT_STREQ(Error("220231", "long").sqlstate(), "XX000");
	EXPECT_STREQ(Error("22o23", "lower case").sqlstate(), "XX000");
	EXPECT_STREQ(Error(nullptr, "null").sqlstate(), "XX000");
}

TEST(CoreError, IsAStdException) {
	try {
		throw Error(cp::core::sqlstate::check_violation, "boom");
	} catch (const std::exception &e) {
		EXPECT_STREQ(e.what(), "boom");
		return;
	}
	FAIL() << "not caught as std::exception";
}
