// creator_platform core: the one exception type the core throws.
//
// The core never includes a PostgreSQL header, so it cannot call ereport. It
// throws cp::core::Error carrying the SQLSTATE the contract names; the boundary
// in src/pg turns it into ereport(ERROR) after every C++ object is destroyed.
#pragma once

#include <stdexcept>
#include <string>

namespace cp::core {

// SQLSTATEs used by the contract (docs/reference.md lists them all).
namespace sqlstate {
inline constexpr const char *invalid_parameter_value = "22023";
inline constexpr const char *check_violation = "23514";
inline constexpr const char *unique_violation = "23505";
inline constexpr const char *object_not_in_prerequisite_state = "55000";
inline constexpr const char *program_limit_exceeded = "54000";
inline constexpr const char *internal_error = "XX000";
} // namespace sqlstate

class Error : public std::runtime_error {
public:
	Error(const char *state, const std::string &message, std::string detail = {}, std::string hint = {})
	    : std::runtime_error(message), detail_(std::move(detail)), hint_(std::move(hint)) {
		// A SQLSTATE is exactly five characters of [0-9A-Z]; anything else is a bug
		// in the caller and is reported as an internal error rather than trusted.
		int len = 0;
		bool ok = state != nullptr;
		while (ok && len < 6 && state[len] != '\0') {
			char c = state[len++];
			ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
		}
		ok = ok && len == 5;
		const char *use = ok ? state : sqlstate::internal_error;
		for (int i = 0; i < 6; ++i) state_[i] = use[i];
	}
	const char *sqlstate() const noexcept { return state_; }
	const std::string &detail() const noexcept { return detail_; }
	const std::string &hint() const noexcept { return hint_; }

private:
	char state_[6];
	std::string detail_;
	std::string hint_;
};

} // namespace cp::core
