// Writes the seed corpora of the fuzz targets: seed_gen <dir> creates
// <dir>/cursor_fuzz/ and <dir>/path_fuzz/ with valid cursors of every kind
// (made with the fixed secret and bindings the targets decode with), a few
// near misses, and valid comment paths of several depths.
#include <cstdint>
#include <cstdio>
#include <string>
#include <sys/stat.h>

#include "core/comment_path.hpp"
#include "fuzz_fixture.hpp"

namespace {

using namespace cp_fuzz;
namespace P = cp::core::path;

int written = 0;

void put(const std::string &dir, const std::string &name, const std::string &bytes) {
	const std::string file = dir + "/" + name;
	FILE *f = std::fopen(file.c_str(), "wb");
	if (f == nullptr || std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size() || std::fclose(f) != 0) {
		std::perror(file.c_str());
		std::exit(1);
	}
	++written;
}

std::string path_of_depth(int d, uint8_t salt) {
	std::string p;
	for (int i = 0; i <= d; ++i) {
		uint8_t id[16];
		for (int j = 0; j < 16; ++j) id[j] = static_cast<uint8_t>(salt + i * 16 + j);
		p = P::child_path(reinterpret_cast<const uint8_t *>(p.data()), p.size(),
		                  P::make_key(static_cast<int64_t>(i) * 1000003 - 5000000, id));
	}
	return p;
}

} // namespace

int main(int argc, char **argv) {
	if (argc != 2) {
		std::fprintf(stderr, "usage: seed_gen DIR\n");
		return 2;
	}
	const std::string root = argv[1], cdir = root + "/cursor_fuzz", pdir = root + "/path_fuzz";
	mkdir(root.c_str(), 0755);
	mkdir(cdir.c_str(), 0755);
	mkdir(pdir.c_str(), 0755);

	uint8_t id[16];
	for (int j = 0; j < 16; ++j) id[j] = static_cast<uint8_t>(0x40 + j);
	for (C::Kind k : kKinds) {
		const std::string name = C::kind_name(k);
		const std::string b = binding(k);
		if (k == C::Kind::comment_thread) {
			for (int d : {0, 1, 7, P::kMaxDepthLimit})
				put(cdir, name + "_depth" + std::to_string(d), C::encode(k, secret(), b, path_of_depth(d, 3)));
		} else {
			put(cdir, name, C::encode(k, secret(), b, C::position_time_id(817200000000000, id)));
			put(cdir, name + "_neg", C::encode(k, secret(), b, C::position_time_id(-1, id)));
		}
		put(cdir, name + "_empty", C::encode(k, secret(), b, ""));
		// raw (kind selector, position) inputs for the encode/decode part
		put(cdir, name + "_raw", std::string(1, static_cast<char>(static_cast<int>(k) - 1)) + "\x05" +
		                             C::position_time_id(1, id));
	}
	// near misses
	const std::string good = C::encode(C::Kind::home_feed, secret(), binding(C::Kind::home_feed),
	                                   C::position_time_id(817200000000000, id));
	put(cdir, "padded", good + "=");
	put(cdir, "plus_slash", good.substr(0, 10) + "+/" + good.substr(12));
	put(cdir, "truncated", good.substr(0, good.size() - 2));
	put(cdir, "too_long", std::string(C::kMaxCursorChars + 1, 'A'));

	for (int d : {0, 1, 2, 5, 30, P::kMaxDepthLimit}) put(pdir, "depth" + std::to_string(d), path_of_depth(d, 9));
	put(pdir, "too_deep", path_of_depth(P::kMaxDepthLimit + 1, 9));
	put(pdir, "ragged", path_of_depth(2, 1).substr(0, 50));
	std::printf("%d seeds in %s\n", written, root.c_str());
	return 0;
}
