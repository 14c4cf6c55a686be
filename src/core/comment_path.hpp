// The materialized path of a comment: one fixed-size key per level, root first.
//
//   path(c) = path(parent(c)) || key(c)          key(c) = created_at (8) || id (16)
//
// created_at is PostgreSQL's timestamptz (microseconds since 2000-01-01, int64)
// stored big-endian with the sign bit flipped, so unsigned byte order is time
// order; id is the 16 bytes of the uuid, which PostgreSQL also compares
// bytewise. Every key has the same length, so no key is a prefix of another,
// and comparing two paths as byte strings (bytea order, memcmp then length)
// gives exactly depth-first order with siblings ordered by (created_at, id):
//   * a parent's path is a proper prefix of its children's, so it sorts first;
//   * two siblings differ inside their own key, so each one's whole subtree
//     sorts before or after the other's.
// A thread is therefore one range scan of an index on (post_id, path), and a
// subtree is the range [path(root), path(root) || 0xFF...).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace cp::core::path {

inline constexpr size_t kKeyBytes = 24;
// Depth is limited so that a path (depth+1 keys) fits a B-tree index entry
// with room to spare: 101 keys = 2,424 bytes, under the ~2,700-byte limit.
inline constexpr int kMaxDepthLimit = 100;

using Key = std::array<uint8_t, kKeyBytes>;

// The key of one comment from its created_at (PostgreSQL microseconds) and id.
Key make_key(int64_t created_at_us, const uint8_t id[16]) noexcept;

// parent_path (may be empty for a top-level comment) followed by key.
std::string child_path(const uint8_t *parent_path, size_t parent_len, const Key &key);

// A well-formed path is 1..kMaxDepthLimit+1 whole keys.
bool is_valid(const uint8_t *path, size_t len) noexcept;

// depth = number of keys - 1; only meaningful for a valid path.
inline int depth_of(size_t len) noexcept { return static_cast<int>(len / kKeyBytes) - 1; }

// Decoding, for cursors and checks: the created_at and id of the level-th key.
int64_t key_created_at(const uint8_t *path, size_t level) noexcept;
void key_id(const uint8_t *path, size_t level, uint8_t out[16]) noexcept;

// The exclusive upper bound of the subtree rooted at a comment with this path:
// every descendant's path is >= path and < upper_bound(path).
std::string subtree_upper_bound(const uint8_t *path, size_t len);

} // namespace cp::core::path
