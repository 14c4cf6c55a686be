// Writes the extension makes to its own tables (counter maintenance, archive
// moves) run inside an InternalWrite scope. The guard triggers that forbid
// applications to change derived columns (reply_count, comment_count, depth,
// path) let such writes through. The flag lives in this backend's memory and
// cannot be set from SQL; it is cleared at the end of every transaction, so
// an error inside a scope can never leave it set.
#pragma once

namespace cp::pg {

class InternalWrite {
public:
	InternalWrite() noexcept { ++depth_; }
	~InternalWrite() {
		if (depth_ > 0) --depth_;
	}
	InternalWrite(const InternalWrite &) = delete;
	InternalWrite &operator=(const InternalWrite &) = delete;

	static bool active() noexcept { return depth_ > 0; }
	// Registered as a transaction callback in _PG_init.
	static void reset() noexcept { depth_ = 0; }

private:
	static inline int depth_ = 0;
};

} // namespace cp::pg
