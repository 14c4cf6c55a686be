// Writes the seed corpora of the fuzz targets: seed_gen <dir> creates
// <dir>/cursor_fuzz/, position_fuzz/, path_fuzz/ and uuid_fuzz/ with valid
// cursors of every kind (made with the fixed secret and bindings the targets
// decode with) and a few near misses; cursor bodies in each of
// position_fuzz's modes; valid comment paths of several depths; uuids of
// several versions and clock sequences for the generator.
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
	const std::string root = argv[1], cdir = root + "/cursor_fuzz", pdir = root + "/path_fuzz",
	                  qdir = root + "/position_fuzz", udir = root + "/uuid_fuzz";
	mkdir(root.c_str(), 0755);
	for (const std::string &d : {cdir, pdir, qdir, udir}) mkdir(d.c_str(), 0755);

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

	// position_fuzz: first byte = mode (low 2 bits) and kind ((byte >> 2) % 6)
	for (int ki = 0; ki < 6; ++ki) {
		const C::Kind k = kKinds[ki];
		const std::string name = C::kind_name(k);
		const std::string pos = k == C::Kind::comment_thread ? path_of_depth(2, 5) : C::position_time_id(817200000000000, id);
		const auto sel = [&](int mode) { return std::string(1, static_cast<char>(ki << 2 | mode)); };
		put(qdir, name + "_a", sel(0) + pos);
		put(qdir, name + "_a_short", sel(0) + pos.substr(0, pos.size() - 1));
		// a body as encode writes it: version, kind, length, position
		std::string body = {static_cast<char>(C::kVersion), static_cast<char>(k)};
		if (pos.size() < 0x80) {
			body += static_cast<char>(pos.size());
		} else {
			body += static_cast<char>(0x80 | (pos.size() & 0x7F));
			body += static_cast<char>(pos.size() >> 7);
		}
		put(qdir, name + "_b", sel(2) + body + pos);
		put(qdir, name + "_b_wrong_length", sel(2) + body + pos + "x");
		put(qdir, name + "_c", sel(3) + body + pos + std::string(8, '\0'));
	}
	put(qdir, "b_deep_path", std::string(1, static_cast<char>(3 << 2 | 2)) + "\x01\x04\xe4\x12" + path_of_depth(P::kMaxDepthLimit, 7));

	// uuid_fuzz: 16 bytes of a uuid, then a start time and 12-byte clock steps
	const uint8_t v7[16] = {0x01, 0x7f, 0x22, 0xe2, 0x79, 0xb0, 0x7c, 0xc3, 0x98, 0xc4, 0xdc, 0x0c, 0x0c, 0x07, 0x39, 0x8f};
	const uint8_t v4[16] = {0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x41, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
	const std::string u7(reinterpret_cast<const char *>(v7), 16), u4(reinterpret_cast<const char *>(v4), 16);
	put(udir, "v7", u7);
	put(udir, "v4", u4);
	put(udir, "nil", std::string(16, '\0'));
	put(udir, "max", std::string(16, '\xff'));
	std::string steps = u7 + std::string("\x00\x06\x2e\x2f\x6a\x3c\x00\x00", 8); // 2024 in ns, roughly
	for (int i = 0; i < 20; ++i) {
		// forward 1 us, stay, back 1 ms, forward 1 s
		const char *delta = i % 4 == 0 ? "\x00\x00\x00\x01" : i % 4 == 1 ? "\x00\x00\x00\x00" : i % 4 == 2 ? "\xff\xff\xfc\x18" : "\x00\x0f\x42\x40";
		steps += std::string(delta, 4) + std::string(8, static_cast<char>(0x11 * (i % 15)));
	}
	put(udir, "clock_steps", steps);
	std::printf("%d seeds in %s\n", written, root.c_str());
	return 0;
}
