// libFuzzer target for the comment-path codec (src/core/comment_path.cpp) and
// the cursor helper that validates comment_thread positions. For arbitrary
// bytes: is_valid agrees with its definition; on a valid path every key
// decodes and re-encodes to the same bytes, child_path rebuilds the path level
// by level, depth_of matches, the subtree bound contains the path and its
// children; read_path accepts exactly the valid paths; and for two valid paths
// cut from the input, byte order equals depth-first order by (created_at, id).
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "core/comment_path.hpp"
#include "core/error.hpp"
#include "fuzz_fixture.hpp"

namespace {

namespace P = cp::core::path;

bool bytea_less(std::string_view a, std::string_view b) {
	const int c = std::memcmp(a.data(), b.data(), std::min(a.size(), b.size()));
	return c < 0 || (c == 0 && a.size() < b.size());
}

bool defined_valid(size_t len) {
	return len > 0 && len % P::kKeyBytes == 0 && len / P::kKeyBytes <= P::kMaxDepthLimit + 1u;
}

// Depth-first order by the decoded keys: compare level by level on
// (created_at, id); a proper prefix (an ancestor) comes first.
int tree_compare(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen) {
	const size_t la = alen / P::kKeyBytes, lb = blen / P::kKeyBytes;
	for (size_t i = 0; i < std::min(la, lb); ++i) {
		const int64_t ta = P::key_created_at(a, i), tb = P::key_created_at(b, i);
		if (ta != tb) return ta < tb ? -1 : 1;
		uint8_t ia[16], ib[16];
		P::key_id(a, i, ia);
		P::key_id(b, i, ib);
		const int c = std::memcmp(ia, ib, 16);
		if (c != 0) return c < 0 ? -1 : 1;
	}
	return la == lb ? 0 : (la < lb ? -1 : 1);
}

void check_valid_path(const uint8_t *p, size_t len) {
	const std::string_view sv(reinterpret_cast<const char *>(p), len);
	const int depth = P::depth_of(len);
	CP_FUZZ_CHECK(depth >= 0 && depth <= P::kMaxDepthLimit && static_cast<size_t>(depth + 1) * P::kKeyBytes == len);
	std::string rebuilt;
	for (int level = 0; level <= depth; ++level) {
		const int64_t t = P::key_created_at(p, static_cast<size_t>(level));
		uint8_t id[16];
		P::key_id(p, static_cast<size_t>(level), id);
		const P::Key k = P::make_key(t, id);
		CP_FUZZ_CHECK(std::memcmp(k.data(), p + level * P::kKeyBytes, P::kKeyBytes) == 0);
		rebuilt = P::child_path(reinterpret_cast<const uint8_t *>(rebuilt.data()), rebuilt.size(), k);
		CP_FUZZ_CHECK(rebuilt == sv.substr(0, (level + 1) * P::kKeyBytes));
		CP_FUZZ_CHECK(P::is_valid(reinterpret_cast<const uint8_t *>(rebuilt.data()), rebuilt.size()));
	}
	const std::string ub = P::subtree_upper_bound(p, len);
	CP_FUZZ_CHECK(bytea_less(sv, ub));
	// A child (any key appended; the path's own first key will do) is inside the subtree.
	if (depth < P::kMaxDepthLimit) {
		P::Key first;
		std::memcpy(first.data(), p, P::kKeyBytes);
		const std::string child = P::child_path(p, len, first);
		CP_FUZZ_CHECK(bytea_less(sv, child) && bytea_less(child, ub));
	}
	// A later sibling's subtree is outside: bump the last key's bytes.
	std::string sibling(sv);
	size_t i = sibling.size();
	while (i > len - P::kKeyBytes && static_cast<uint8_t>(sibling[i - 1]) == 0xFF) sibling[--i] = '\0';
	if (i > len - P::kKeyBytes) {
		sibling[i - 1] = static_cast<char>(static_cast<uint8_t>(sibling[i - 1]) + 1);
		CP_FUZZ_CHECK(!bytea_less(sibling, ub));
	}
	// read_path accepts it, and it round-trips as a comment_thread cursor position.
	CP_FUZZ_CHECK(cp::core::cursor::read_path(sv) == sv);
	const auto k = cp::core::cursor::Kind::comment_thread;
	const std::string b = cp_fuzz::binding(k);
	const std::string c = cp::core::cursor::encode(k, cp_fuzz::secret(), b, sv);
	CP_FUZZ_CHECK(cp::core::cursor::decode(c, k, cp_fuzz::secret(), b) == sv);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	const std::string_view sv(reinterpret_cast<const char *>(data), size);
	const bool valid = P::is_valid(data, size);
	CP_FUZZ_CHECK(valid == defined_valid(size));
	CP_FUZZ_CHECK(!P::is_valid(nullptr, size));

	bool read_ok = true;
	try {
		cp::core::cursor::read_path(sv);
	} catch (const cp::core::Error &e) {
		CP_FUZZ_CHECK(std::strcmp(e.sqlstate(), "22023") == 0);
		read_ok = false;
	}
	CP_FUZZ_CHECK(read_ok == valid);

	// The bound is defined for any bytes.
	const std::string ub = P::subtree_upper_bound(data, size);
	CP_FUZZ_CHECK(ub.size() == size + P::kKeyBytes + 1 && ub.compare(0, size, sv) == 0);

	if (valid) check_valid_path(data, size);

	// Whole keys of the input decode without reading past it.
	for (size_t level = 0; (level + 1) * P::kKeyBytes <= size; ++level) {
		uint8_t id[16];
		(void)P::key_created_at(data, level);
		P::key_id(data, level, id);
	}

	// Two paths cut from the input (at a key boundary chosen by its last byte):
	// bytea order equals depth-first order.
	if (size >= 2 * P::kKeyBytes) {
		const size_t keys = size / P::kKeyBytes;
		const size_t cut = 1 + data[size - 1] % (keys - 1);
		const uint8_t *a = data;
		const size_t alen = std::min(cut, size_t{P::kMaxDepthLimit + 1}) * P::kKeyBytes;
		const uint8_t *b = data + cut * P::kKeyBytes;
		const size_t blen = std::min(keys - cut, size_t{P::kMaxDepthLimit + 1}) * P::kKeyBytes;
		struct Pair {
			const uint8_t *x;
			size_t xl;
			const uint8_t *y;
			size_t yl;
		};
		for (const Pair &q : {Pair{a, alen, b, blen}, Pair{b, blen, a, alen}, Pair{a, alen, a, alen}}) {
			const std::string_view xs(reinterpret_cast<const char *>(q.x), q.xl),
			    ys(reinterpret_cast<const char *>(q.y), q.yl);
			const int t = tree_compare(q.x, q.xl, q.y, q.yl);
			CP_FUZZ_CHECK((t < 0) == bytea_less(xs, ys));
			CP_FUZZ_CHECK((t == 0) == (xs == ys));
		}
		// a prefix of a path (an ancestor) sorts first
		if (alen > P::kKeyBytes) {
			const std::string_view whole(reinterpret_cast<const char *>(a), alen),
			    anc = whole.substr(0, alen - P::kKeyBytes);
			CP_FUZZ_CHECK(bytea_less(anc, whole) && tree_compare(a, anc.size(), a, alen) < 0);
		}
	}
	return 0;
}
