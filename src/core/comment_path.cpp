#include "core/comment_path.hpp"

#include <cstring>

namespace cp::core::path {

Key make_key(int64_t created_at_us, const uint8_t id[16]) noexcept {
	Key k{};
	const uint64_t t = static_cast<uint64_t>(created_at_us) ^ (uint64_t{1} << 63);
	for (int i = 0; i < 8; ++i) k[i] = static_cast<uint8_t>(t >> (8 * (7 - i)));
	std::memcpy(k.data() + 8, id, 16);
	return k;
}

std::string child_path(const uint8_t *parent_path, size_t parent_len, const Key &key) {
	std::string out;
	out.reserve(parent_len + kKeyBytes);
	if (parent_len > 0) out.append(reinterpret_cast<const char *>(parent_path), parent_len);
	out.append(reinterpret_cast<const char *>(key.data()), key.size());
	return out;
}

bool is_valid(const uint8_t *path, size_t len) noexcept {
	return path != nullptr && len > 0 && len % kKeyBytes == 0 &&
	       len / kKeyBytes <= static_cast<size_t>(kMaxDepthLimit) + 1;
}

int64_t key_created_at(const uint8_t *path, size_t level) noexcept {
	const uint8_t *p = path + level * kKeyBytes;
	uint64_t t = 0;
	for (int i = 0; i < 8; ++i) t = (t << 8) | p[i];
	return static_cast<int64_t>(t ^ (uint64_t{1} << 63));
}

void key_id(const uint8_t *path, size_t level, uint8_t out[16]) noexcept {
	std::memcpy(out, path + level * kKeyBytes + 8, 16);
}

std::string subtree_upper_bound(const uint8_t *path, size_t len) {
	// path || 0xFF repeated: greater than path || any key (a key's first byte
	// is at most 0xFF and it has more bytes after it), smaller than the next
	// sibling (which differs from path inside the last key).
	std::string out(reinterpret_cast<const char *>(path), len);
	out.append(kKeyBytes + 1, static_cast<char>(0xFF));
	return out;
}

} // namespace cp::core::path
