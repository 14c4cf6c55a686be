#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/comment_path.hpp"

namespace P = cp::core::path;

namespace {

struct Node {
	int parent;        // -1 at top level
	int64_t created;   // microseconds since 2000
	uint8_t id[16];
	std::string path;
};

// bytea order: memcmp over the common length, then the shorter first
bool bytea_less(const std::string &a, const std::string &b) {
	int c = std::memcmp(a.data(), b.data(), std::min(a.size(), b.size()));
	return c < 0 || (c == 0 && a.size() < b.size());
}

bool sibling_less(const Node &a, const Node &b) {
	if (a.created != b.created) return a.created < b.created;
	return std::memcmp(a.id, b.id, 16) < 0;
}

// A random forest with ties on created_at, back-dated replies and deep chains.
std::vector<Node> random_forest(std::mt19937_64 &rng, int n) {
	std::vector<Node> nodes;
	for (int i = 0; i < n; ++i) {
		Node nd{};
		nd.parent = (i == 0 || rng() % 4 == 0) ? -1 : static_cast<int>(rng() % i);
		// few distinct times, negative ones too (before 2000), to force ties
		nd.created = static_cast<int64_t>(rng() % 7) * 1000000 - 3000000;
		for (auto &b : nd.id) b = static_cast<uint8_t>(rng());
		auto key = P::make_key(nd.created, nd.id);
		if (nd.parent < 0) {
			nd.path = P::child_path(nullptr, 0, key);
		} else {
			const auto &pp = nodes[nd.parent].path;
			nd.path = P::child_path(reinterpret_cast<const uint8_t *>(pp.data()), pp.size(), key);
		}
		nodes.push_back(nd);
	}
	return nodes;
}

// Reference order: depth-first, children of a node sorted by (created, id).
std::vector<int> depth_first(const std::vector<Node> &nodes) {
	std::vector<std::vector<int>> kids(nodes.size() + 1);
	for (int i = 0; i < static_cast<int>(nodes.size()); ++i)
		kids[nodes[i].parent < 0 ? nodes.size() : nodes[i].parent].push_back(i);
	for (auto &k : kids)
		std::sort(k.begin(), k.end(), [&](int a, int b) { return sibling_less(nodes[a], nodes[b]); });
	std::vector<int> out;
	std::function<void(size_t)> walk = [&](size_t v) {
		for (int c : kids[v]) {
			out.push_back(c);
			walk(c);
		}
	};
	walk(nodes.size());
	return out;
}

} // namespace

TEST(CommentPath, KeyLayout) {
	uint8_t id[16];
	for (int i = 0; i < 16; ++i) id[i] = static_cast<uint8_t>(i + 1);
	auto k = P::make_key(0, id);
	EXPECT_EQ(k[0], 0x80) << "time 0 (2000-01-01) has the flipped sign bit set";
	for (int i = 1; i < 8; ++i) EXPECT_EQ(k[i], 0);
	for (int i = 0; i < 16; ++i) EXPECT_EQ(k[8 + i], id[i]);
	auto before = P::make_key(-1, id);
	EXPECT_EQ(before[0], 0x7F) << "negative times sort below positive ones";
}

TEST(CommentPath, DecodesWhatItEncodes) {
	uint8_t id[16] = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6};
	for (int64_t t : {INT64_MIN, int64_t{-1}, int64_t{0}, int64_t{1}, int64_t{817200000000000}, INT64_MAX}) {
		auto k = P::make_key(t, id);
		auto p = P::child_path(nullptr, 0, k);
		EXPECT_EQ(P::key_created_at(reinterpret_cast<const uint8_t *>(p.data()), 0), t);
		uint8_t back[16];
		P::key_id(reinterpret_cast<const uint8_t *>(p.data()), 0, back);
		EXPECT_EQ(std::memcmp(back, id, 16), 0);
	}
}

TEST(CommentPath, PathOrderIsDepthFirstWithSiblingsOldestFirst) {
	std::mt19937_64 rng(2024);
	for (int round = 0; round < 200; ++round) {
		auto nodes = random_forest(rng, 1 + static_cast<int>(rng() % 300));
		std::vector<int> by_path(nodes.size());
		for (size_t i = 0; i < nodes.size(); ++i) by_path[i] = static_cast<int>(i);
		std::sort(by_path.begin(), by_path.end(),
		          [&](int a, int b) { return bytea_less(nodes[a].path, nodes[b].path); });
		ASSERT_EQ(by_path, depth_first(nodes)) << "round " << round;
	}
}

TEST(CommentPath, DepthAndValidity) {
	uint8_t id[16] = {};
	std::string p;
	for (int d = 0; d <= P::kMaxDepthLimit; ++d) {
		p = P::child_path(reinterpret_cast<const uint8_t *>(p.data()), p.size(), P::make_key(d, id));
		ASSERT_TRUE(P::is_valid(reinterpret_cast<const uint8_t *>(p.data()), p.size()));
		ASSERT_EQ(P::depth_of(p.size()), d);
	}
	auto too_deep = P::child_path(reinterpret_cast<const uint8_t *>(p.data()), p.size(), P::make_key(0, id));
	EXPECT_FALSE(P::is_valid(reinterpret_cast<const uint8_t *>(too_deep.data()), too_deep.size()));
	EXPECT_FALSE(P::is_valid(reinterpret_cast<const uint8_t *>(p.data()), 23));
	EXPECT_FALSE(P::is_valid(reinterpret_cast<const uint8_t *>(p.data()), 0));
	EXPECT_FALSE(P::is_valid(nullptr, 24));
	EXPECT_LE((P::kMaxDepthLimit + 1) * P::kKeyBytes + 16, 2700u) << "fits a B-tree entry with post_id";
}

TEST(CommentPath, SubtreeBoundsContainExactlyTheSubtree) {
	std::mt19937_64 rng(99);
	for (int round = 0; round < 50; ++round) {
		auto nodes = random_forest(rng, 200);
		int root = static_cast<int>(rng() % nodes.size());
		const auto &rp = nodes[root].path;
		auto hi = P::subtree_upper_bound(reinterpret_cast<const uint8_t *>(rp.data()), rp.size());
		for (size_t i = 0; i < nodes.size(); ++i) {
			// is i in root's subtree (root itself included)?
			int v = static_cast<int>(i);
			while (v >= 0 && v != root) v = nodes[v].parent;
			bool in_subtree = v == root;
			bool in_range = !bytea_less(nodes[i].path, rp) && bytea_less(nodes[i].path, hi);
			ASSERT_EQ(in_subtree, in_range) << "round " << round << " node " << i;
		}
	}
}
