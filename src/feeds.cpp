// The feeds: set-returning functions in materialize mode, one keyset page each.
//
//   creator_posts, recent_posts, post_view   one prepared statement per page: a
//                                            merge of the live and the archive index
//   home_feed                                a k-way merge over per-creator key probes
//   comment_thread                           one range scan of (post_id, path)
//   subscriptions_of, subscribers_of         one keyset scan
//
// Every row carries a cursor (src/core/cursor.hpp): the row's keyset position,
// authenticated with the database's key and bound to the function and its
// arguments. Archived posts and comments are read alongside the live ones, so
// archiving never changes what a reader sees.
#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <queue>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/comment_path.hpp"
#include "core/cursor.hpp"
#include "core/error.hpp"
#include "pg/boundary.hpp"
#include "pg/index_reader.hpp"
#include "pg/spi.hpp"
#include "pg/trigger_support.hpp"

extern "C" {
#include "access/heapam.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "storage/bufmgr.h"
#include "storage/proc.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/tuplestore.h"
}

namespace {

using cp::core::Error;
using cp::pg::Uuid;
namespace cur = cp::core::cursor;
namespace state = cp::core::sqlstate;

constexpr int32 kMaxPageSize = 1000;
constexpr int64_t kNoEnd = PG_INT64_MAX; // timestamptz 'infinity'
const Uuid kMaxUuid = [] {
	Uuid u;
	u.fill(0xFF);
	return u;
}();

// ---- arguments -------------------------------------------------------------------

Uuid uuid_arg(FunctionCallInfo fcinfo, int n, const char *name) {
	if (PG_ARGISNULL(n))
		throw Error(state::invalid_parameter_value, std::string(name) + " must not be NULL");
	return cp::pg::uuid_value(PG_GETARG_DATUM(n));
}

std::optional<Uuid> optional_uuid_arg(FunctionCallInfo fcinfo, int n) {
	if (PG_ARGISNULL(n)) return std::nullopt;
	return cp::pg::uuid_value(PG_GETARG_DATUM(n));
}

int32 page_size_arg(FunctionCallInfo fcinfo, int n) {
	if (PG_ARGISNULL(n)) throw Error(state::invalid_parameter_value, "page_size must not be NULL");
	int32 v = PG_GETARG_INT32(n);
	if (v < 1 || v > kMaxPageSize)
		throw Error(state::invalid_parameter_value, "page_size must be between 1 and 1000",
		            "page_size is " + std::to_string(v));
	return v;
}

std::optional<std::string> after_arg(FunctionCallInfo fcinfo, int n) {
	if (PG_ARGISNULL(n)) return std::nullopt;
	return cp::pg::text_value(PG_GETARG_DATUM(n));
}

// ---- the cursor key -----------------------------------------------------------------

// Read straight from the heap, so that callers need no privilege on the
// table; cached for the rest of the transaction.
cur::Secret load_secret() {
	static LocalTransactionId cached_lxid = InvalidLocalTransactionId;
	static cur::Secret cached{};
	if (cached_lxid == MyProc->lxid && cached_lxid != InvalidLocalTransactionId) return cached;
	cur::Secret secret{};
	bool found = false;
	cp::pg::guard_void([&] {
		Oid nsp = get_namespace_oid("creator_platform", false);
		Oid relid = get_relname_relid("cursor_secret", nsp);
		if (!OidIsValid(relid)) elog(ERROR, "table creator_platform.cursor_secret does not exist");
		Relation rel = table_open(relid, AccessShareLock);
		TupleDesc desc = RelationGetDescr(rel);
		int attnum = SPI_fnumber(desc, "secret");
		TableScanDesc scan = table_beginscan(rel, GetActiveSnapshot(), 0, nullptr);
		HeapTuple tuple = heap_getnext(scan, ForwardScanDirection);
		if (tuple != nullptr && attnum > 0) {
			bool isnull;
			Datum d = heap_getattr(tuple, attnum, desc, &isnull);
			if (!isnull) {
				bytea *b = DatumGetByteaPP(d);
				if (VARSIZE_ANY_EXHDR(b) == secret.bytes.size()) {
					std::memcpy(secret.bytes.data(), VARDATA_ANY(b), secret.bytes.size());
					found = true;
				}
			}
		}
		table_endscan(scan);
		table_close(rel, AccessShareLock);
	});
	if (!found)
		throw Error(state::object_not_in_prerequisite_state, "creator_platform.cursor_secret holds no key",
		            "the table must hold one row with a 16-byte secret");
	cached = secret;
	cached_lxid = MyProc->lxid;
	return secret;
}

// ---- output -------------------------------------------------------------------------

struct Output {
	ReturnSetInfo *rsinfo;
	void put(Datum *values, bool *nulls) {
		cp::pg::guard_void([&] { tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls); });
	}
};

Output begin_output(FunctionCallInfo fcinfo) {
	cp::pg::guard_void([&] { InitMaterializedSRF(fcinfo, 0); });
	return Output{reinterpret_cast<ReturnSetInfo *>(fcinfo->resultinfo)};
}

// A keyset position (published_at or subscribed_at, id) read back from a
// cursor. Without a cursor (top): the first page, which starts at the very
// first row, (infinity, ffffffff-...) included.
struct TimeId {
	int64_t time = kNoEnd;
	Uuid id = kMaxUuid;
	bool top = true;
};

TimeId time_id_from(const std::optional<std::string> &after, cur::Kind kind, const cur::Secret &secret,
                     const std::string &binding) {
	TimeId p;
	if (after) {
		std::string position = cur::decode(*after, kind, secret, binding);
		cur::read_time_id(position, &p.time, p.id.data());
		p.top = false;
	}
	return p;
}

// A cursor as a text value, encoded straight into it.
Datum cursor_datum(const cur::Encoder &enc, std::string_view position) {
	const size_t n = enc.length(position.size());
	text *t = cp::pg::guard([&] { return static_cast<text *>(palloc(VARHDRSZ + n)); });
	SET_VARSIZE(t, VARHDRSZ + n);
	enc.encode_to(VARDATA(t), position);
	return PointerGetDatum(t);
}

Datum time_id_cursor_datum(const cur::Encoder &enc, int64_t time, const Uuid &id) {
	return cursor_datum(enc, cur::position_time_id(time, id.data()));
}

// ---- reading through the indexes ---------------------------------------------------

using cp::pg::IndexReader;
using cp::pg::Keys;
using cp::pg::Table;
using Mode = IndexReader::Mode;

// A uuid held for a scan key: uuids are passed by reference, so the value
// must stay put while a scan uses it.
struct UuidArg {
	pg_uuid_t v{};
	UuidArg() = default;
	explicit UuidArg(const Uuid &u) { set(u); }
	void set(const Uuid &u) noexcept { std::memcpy(v.data, u.data(), 16); }
	Datum datum() noexcept { return UUIDPGetDatum(&v); }
};

// A keyset position: (published_at, id), compared as the feeds order them.
struct Key {
	int64_t time;
	Uuid id;
	bool operator<(const Key &o) const { return time != o.time ? time < o.time : id < o.id; }
};

// Positions below (time, id) of index columns col, col + 1; with top, every
// position (the first page, so that a row at the very top, (infinity,
// ffffffff-...), is not left out): time <= infinity, one key either way, as
// the scan was begun with.
struct Below {
	UuidArg id;
	int64_t time;
	bool top;
	Below(const Key &k, bool top_ = false) : id(k.id), time(k.time), top(top_) {}
	void add_to(Keys &keys, AttrNumber col) {
		if (top)
			keys.bound(col, BTLessEqualStrategyNumber, F_TIMESTAMPTZ_LE, TimestampTzGetDatum(DT_NOEND));
		else
			keys.row_less(col, F_TIMESTAMPTZ_CMP, TimestampTzGetDatum(time), F_UUID_CMP, id.datum());
	}
};

// false when the table has no page at all, so that no snapshot can see a row
// in it (the archive tables, until something is archived).
bool has_pages(const Table &t) {
	return cp::pg::guard([&] { return RelationGetNumberOfBlocks(t.rel()) > 0; });
}

// A copy of a text or bytea value, out of TOAST, in the current memory context.
Datum own_varlena(Datum d) {
	return cp::pg::guard([&] { return PointerGetDatum(PG_DETOAST_DATUM_COPY(d)); });
}

// A value for the output row: TOAST pointers are resolved now, while the
// snapshot that found the row is active.
Datum output_varlena(Datum d) {
	if (!VARATT_IS_EXTERNAL(DatumGetPointer(d))) return d;
	return own_varlena(d);
}

// users: usernames and roles by id, each user read once per call.
class Users {
public:
	Users()
	    : table_("users"), pk_(table_, "users_pkey", 1, Mode::heap), username_(table_.column("username")),
	      role_(table_.column("role")), admin_(table_.enum_label(role_, "admin")) {}

	// The user's username (a copy), or nullopt when there is no such user.
	std::optional<Datum> username(const Uuid &id) { return find(id).username; }
	bool is_admin(const Uuid &id) { return find(id).admin; }

private:
	struct User {
		std::optional<Datum> username;
		bool admin = false;
	};
	const User &find(const Uuid &id) {
		auto it = cache_.find(id);
		if (it != cache_.end()) return it->second;
		User u;
		arg_.set(id);
		Keys keys;
		keys.eq(1, F_UUID_EQ, arg_.datum());
		pk_.rescan(keys);
		if (pk_.next()) {
			bool isnull;
			Datum name = pk_.heap_value(username_, &isnull);
			if (!isnull) u.username = own_varlena(name);
			u.admin = DatumGetObjectId(pk_.heap_value(role_, &isnull)) == admin_;
		}
		return cache_.emplace(id, u).first->second;
	}

	Table table_;
	IndexReader pk_;
	AttrNumber username_, role_;
	Oid admin_;
	UuidArg arg_;
	std::unordered_map<Uuid, User, cp::pg::UuidHash> cache_;
};

// Whether a viewer sees the subscribers-only content of a creator: the
// creator, an admin or an active subscriber does.
class Rights {
public:
	Rights(const std::optional<Uuid> &viewer, Users &users) : viewer_(viewer), users_(users) {}
	// home_feed: the reader actively subscribes to every creator in it.
	struct Everything {};
	Rights(Everything, Users &users) : users_(users), everything_(true) {}

	bool sees_all(const Uuid &creator) {
		if (everything_) return true;
		if (!viewer_) return false;
		if (*viewer_ == creator) return true;
		if (!admin_) admin_ = users_.is_admin(*viewer_);
		if (*admin_) return true;
		auto it = cache_.find(creator);
		if (it != cache_.end()) return it->second;
		if (!active_) {
			subscriptions_.emplace("subscriptions");
			// the partial index holds active subscriptions only
			active_.emplace(*subscriptions_, "subscriptions_one_active_idx", 2, Mode::index_only);
			viewer_arg_.set(*viewer_);
		}
		creator_arg_.set(creator);
		Keys keys;
		keys.eq(1, F_UUID_EQ, viewer_arg_.datum()).eq(2, F_UUID_EQ, creator_arg_.datum());
		active_->rescan(keys);
		bool active = active_->next();
		cache_.emplace(creator, active);
		return active;
	}

private:
	std::optional<Uuid> viewer_;
	Users &users_;
	bool everything_ = false;
	std::optional<bool> admin_;
	std::optional<Table> subscriptions_;
	std::optional<IndexReader> active_;
	UuidArg viewer_arg_, creator_arg_;
	std::unordered_map<Uuid, bool, cp::pg::UuidHash> cache_;
};

// ---- post rows ----------------------------------------------------------------------

// Columns of a feed row, in the order of the functions' RETURNS TABLE.
enum PostCol { kPostId, kCreatorId, kUsername, kTitle, kContent, kVisibility, kLocked, kPublishedAt, kComments, kCursor };
constexpr int kPostCols = 10;

// Column numbers of posts or posts_archive (the same names, not
// necessarily the same numbers).
struct PostColumns {
	AttrNumber id, creator_id, title, content, status, visibility, published_at, comment_count;
	Oid published, subscribers;
	explicit PostColumns(const Table &t)
	    : id(t.column("id")), creator_id(t.column("creator_id")), title(t.column("title")),
	      content(t.column("content")), status(t.column("status")), visibility(t.column("visibility")),
	      published_at(t.column("published_at")), comment_count(t.column("comment_count")),
	      published(t.enum_label(status, "published")), subscribers(t.enum_label(visibility, "subscribers")) {}
};

// The published posts one index of posts or posts_archive leads to, in index
// order, read from the heap; a head at a time.
class PostStream {
public:
	PostStream(Table &t, const char *index, int nkeys) : cols_(t), scan_(t, index, nkeys, Mode::heap) {}

	void start(Keys &keys) {
		scan_.rescan(keys);
		advance();
	}
	void advance() {
		bool isnull;
		while ((has_ = scan_.next())) {
			if (DatumGetObjectId(scan_.heap_value(cols_.status, &isnull)) != cols_.published) continue;
			key_.time = DatumGetTimestampTz(scan_.heap_value(cols_.published_at, &isnull));
			key_.id = cp::pg::uuid_value(scan_.heap_value(cols_.id, &isnull));
			creator_ = cp::pg::uuid_value(scan_.heap_value(cols_.creator_id, &isnull));
			return;
		}
	}
	bool has() const noexcept { return has_; }
	const Key &key() const noexcept { return key_; }
	const Uuid &creator() const noexcept { return creator_; }

	// The head as a feed row (username, cursor left to the caller); content
	// NULL when the viewer does not see it.
	void row(Datum *values, bool *nulls, Rights &rights) {
		for (int c = 0; c < kPostCols; ++c) nulls[c] = false;
		values[kPostId] = scan_.heap_value(cols_.id, &nulls[kPostId]);
		values[kCreatorId] = scan_.heap_value(cols_.creator_id, &nulls[kCreatorId]);
		values[kTitle] = output_varlena(scan_.heap_value(cols_.title, &nulls[kTitle]));
		values[kVisibility] = scan_.heap_value(cols_.visibility, &nulls[kVisibility]);
		values[kPublishedAt] = scan_.heap_value(cols_.published_at, &nulls[kPublishedAt]);
		values[kComments] = scan_.heap_value(cols_.comment_count, &nulls[kComments]);
		const bool locked = DatumGetObjectId(values[kVisibility]) == cols_.subscribers && !rights.sees_all(creator_);
		values[kLocked] = BoolGetDatum(locked);
		if (locked) {
			values[kContent] = 0;
			nulls[kContent] = true;
		} else {
			values[kContent] = output_varlena(scan_.heap_value(cols_.content, &nulls[kContent]));
		}
	}

private:
	PostColumns cols_;
	IndexReader scan_;
	bool has_ = false;
	Key key_{};
	Uuid creator_{};
};

// Of the heads of a live and an archive stream (either may be absent), the
// newer; nullptr when both are done.
template <typename S>
S *newer_head(S *live, S *archive) {
	const bool a = live && live->has(), b = archive && archive->has();
	if (a && b) return archive->key() < live->key() ? live : archive;
	return a ? live : b ? archive : nullptr;
}

// A live and an archive stream of the same index, positioned by the same keys.
// posts_archive is opened at the first start() that reads it, and read only
// if it has a page.
struct PostSources {
	Table live_table{"posts"};
	PostStream live;
	std::optional<Table> archive_table;
	std::optional<PostStream> archive;
	PostSources(const char *live_index, const char *archive_index, int nkeys)
	    : live(live_table, live_index, nkeys), archive_index_(archive_index), nkeys_(nkeys) {}
	// by_id: the keys name one post (posts_pkey), which is live or archived,
	// never both: the archive is read only when the live index has no row.
	// SELECT on posts_archive is checked either way.
	template <typename MakeKeys>
	void start(MakeKeys &&make_keys, bool by_id = false) {
		Keys k1;
		make_keys(k1);
		live.start(k1);
		archive_active_ = false;
		if (by_id && live.has()) {
			if (!archive_checked_) cp::pg::require_select("posts_archive");
			archive_checked_ = true;
			return;
		}
		if (!archive_table) {
			archive_table.emplace("posts_archive");
			archive_checked_ = true;
			if (has_pages(*archive_table)) archive.emplace(*archive_table, archive_index_, nkeys_);
		}
		if (!archive) return;
		Keys k2;
		make_keys(k2);
		archive->start(k2);
		archive_active_ = true;
	}
	PostStream *next() { return newer_head(&live, archive_active_ ? &*archive : nullptr); }

private:
	const char *archive_index_;
	int nkeys_;
	bool archive_checked_ = false;
	bool archive_active_ = false;
};

// The head of s as a feed row; cursor 0 for none (post_view).
void put_post(Output &out, PostStream &s, Users &users, Rights &rights, Datum cursor) {
	Datum values[kPostCols];
	bool nulls[kPostCols];
	s.row(values, nulls, rights);
	std::optional<Datum> name = users.username(s.creator());
	values[kUsername] = name ? *name : Datum(0);
	nulls[kUsername] = !name;
	values[kCursor] = cursor;
	nulls[kCursor] = cursor == 0;
	out.put(values, nulls);
}

} // namespace

// ---- creator_posts / recent_posts / post_view -----------------------------------------

CP_FUNCTION(cp_creator_posts) {
	const Uuid creator = uuid_arg(fcinfo, 0, "creator_id");
	const std::optional<Uuid> viewer = optional_uuid_arg(fcinfo, 1);
	const int32 page_size = page_size_arg(fcinfo, 2);
	const std::optional<std::string> after = after_arg(fcinfo, 3);
	const cur::Secret secret = load_secret();
	const std::string binding =
	    cur::Binder().uuid_or_null(creator.data()).uuid_or_null(viewer ? viewer->data() : nullptr).bytes();
	const TimeId from = time_id_from(after, cur::Kind::creator_posts, secret, binding);
	const cur::Encoder cursors(cur::Kind::creator_posts, secret, binding);
	Output out = begin_output(fcinfo);

	Users users;
	if (!users.username(creator)) return PointerGetDatum(nullptr); // no such user
	Rights rights(viewer, users);
	PostSources posts("posts_creator_published_idx", "posts_archive_creator_published_idx", 2);
	UuidArg creator_arg(creator);
	Below below(Key{from.time, from.id}, from.top);
	posts.start([&](Keys &k) {
		k.eq(1, F_UUID_EQ, creator_arg.datum());
		below.add_to(k, 2);
	});
	for (int32 i = 0; i < page_size; ++i) {
		PostStream *s = posts.next();
		if (s == nullptr) break;
		put_post(out, *s, users, rights, time_id_cursor_datum(cursors, s->key().time, s->key().id));
		s->advance();
	}
	return PointerGetDatum(nullptr);
}

CP_FUNCTION(cp_recent_posts) {
	const std::optional<Uuid> viewer = optional_uuid_arg(fcinfo, 0);
	const int32 page_size = page_size_arg(fcinfo, 1);
	const std::optional<std::string> after = after_arg(fcinfo, 2);
	const cur::Secret secret = load_secret();
	const std::string binding = cur::Binder().uuid_or_null(viewer ? viewer->data() : nullptr).bytes();
	const TimeId from = time_id_from(after, cur::Kind::recent_posts, secret, binding);
	const cur::Encoder cursors(cur::Kind::recent_posts, secret, binding);
	Output out = begin_output(fcinfo);

	Users users;
	Rights rights(viewer, users);
	PostSources posts("posts_published_idx", "posts_archive_published_idx", 1);
	Below below(Key{from.time, from.id}, from.top);
	posts.start([&](Keys &k) { below.add_to(k, 1); });
	for (int32 i = 0; i < page_size; ++i) {
		PostStream *s = posts.next();
		if (s == nullptr) break;
		put_post(out, *s, users, rights, time_id_cursor_datum(cursors, s->key().time, s->key().id));
		s->advance();
	}
	return PointerGetDatum(nullptr);
}

CP_FUNCTION(cp_post_view) {
	const Uuid post = uuid_arg(fcinfo, 0, "post_id");
	const std::optional<Uuid> viewer = optional_uuid_arg(fcinfo, 1);
	Output out = begin_output(fcinfo);
	Users users;
	Rights rights(viewer, users);
	PostSources posts("posts_pkey", "posts_archive_pkey", 1);
	UuidArg post_arg(post);
	posts.start([&](Keys &k) { k.eq(1, F_UUID_EQ, post_arg.datum()); }, true);
	if (PostStream *s = posts.next()) put_post(out, *s, users, rights, Datum(0));
	return PointerGetDatum(nullptr);
}

// ---- home_feed: a k-way merge -----------------------------------------------------------

namespace {

// home_feed walks the global index when more than kWalkWhenHot followed
// creators have posts at or after the position, and at once (without looking
// their publication times up) when it follows more than
// kWalkFirstWhenFollowing; it reads at most kWalkBudgetPerRow posts per row
// of the page before it falls back to the merge.
constexpr size_t kWalkWhenHot = 64;
constexpr size_t kWalkFirstWhenFollowing = 256;
constexpr int64_t kWalkBudgetPerRow = 200;

struct Stream {
	Uuid creator;
	int64_t bound;          // newest possible key time of this creator below the start position
	std::vector<Key> keys;  // fetched, newest first
	size_t next = 0;
	bool exhausted = false; // the last fetch returned fewer keys than asked for
	int32 batch = 0;
};

bool has_head(const Stream &s) { return s.next < s.keys.size(); }

// Index-only reads of keys (published_at, id) of published posts, live and
// archived: per creator (posts_creator_published_idx), or of everyone
// (posts_published_idx, which INCLUDEs creator_id).
class KeyIndex {
public:
	KeyIndex(Table &t, const char *index, int nkeys) : scan_(t, index, nkeys, Mode::index_only) {}
	void rescan(Keys &keys) { scan_.rescan(keys); }
	// The next key; the index's columns time_col and time_col + 1.
	bool next(AttrNumber time_col, Key *k) {
		if (!scan_.next()) return false;
		bool isnull;
		k->time = DatumGetTimestampTz(scan_.index_value(time_col, &isnull));
		k->id = cp::pg::uuid_value(scan_.index_value(time_col + 1, &isnull));
		return true;
	}
	Uuid uuid_at(int col) const {
		bool isnull;
		return cp::pg::uuid_value(scan_.index_value(col, &isnull));
	}

private:
	IndexReader scan_;
};

struct KeySources {
	Table live_table{"posts"};
	Table archive_table{"posts_archive"};
	const bool archived = has_pages(archive_table);
};

// Up to `limit` keys of one creator below `below`, newest first.
class CreatorKeys {
public:
	explicit CreatorKeys(KeySources &src) : live_(src.live_table, "posts_creator_published_idx", 2) {
		if (src.archived) archive_.emplace(src.archive_table, "posts_archive_creator_published_idx", 2);
	}
	void fetch(Stream &s, const Key &below, bool top = false) {
		s.keys.clear();
		s.next = 0;
		UuidArg creator(s.creator);
		Below pos(below, top);
		read(live_, creator, pos, s.batch, s.keys);
		const size_t from_live = s.keys.size();
		if (archive_) {
			read(*archive_, creator, pos, s.batch, s.keys);
			std::inplace_merge(s.keys.begin(), s.keys.begin() + static_cast<std::ptrdiff_t>(from_live), s.keys.end(),
			                   [](const Key &a, const Key &b) { return b < a; });
			if (s.keys.size() > static_cast<size_t>(s.batch)) s.keys.resize(static_cast<size_t>(s.batch));
		}
		s.exhausted = s.keys.size() < static_cast<size_t>(s.batch);
	}

private:
	static void read(KeyIndex &index, UuidArg &creator, Below &pos, int32 limit, std::vector<Key> &out) {
		Keys keys;
		keys.eq(1, F_UUID_EQ, creator.datum());
		pos.add_to(keys, 2);
		index.rescan(keys);
		Key k;
		for (int32 i = 0; i < limit && index.next(2, &k); ++i) out.push_back(k);
	}
	KeyIndex live_;
	std::optional<KeyIndex> archive_;
};

// Every published key below a position, newest first, with its creator.
class GlobalKeys {
public:
	GlobalKeys(KeySources &src, const Key &below, bool top)
	    : live_(src.live_table, "posts_published_idx", 1), below_(below, top) {
		start(live_, live_head_, live_has_);
		if (src.archived) {
			archive_.emplace(src.archive_table, "posts_archive_published_idx", 1);
			start(*archive_, archive_head_, archive_has_);
		}
	}
	bool next(Key *k, Uuid *creator) {
		if (!live_has_ && !archive_has_) return false;
		const bool take_live = live_has_ && (!archive_has_ || archive_head_.first < live_head_.first);
		if (take_live) {
			*k = live_head_.first;
			*creator = live_head_.second;
			advance(live_, live_head_, live_has_);
		} else {
			*k = archive_head_.first;
			*creator = archive_head_.second;
			advance(*archive_, archive_head_, archive_has_);
		}
		return true;
	}

private:
	using Head = std::pair<Key, Uuid>;
	void start(KeyIndex &index, Head &head, bool &has) {
		Keys keys;
		below_.add_to(keys, 1);
		index.rescan(keys);
		advance(index, head, has);
	}
	static void advance(KeyIndex &index, Head &head, bool &has) {
		has = index.next(1, &head.first);
		if (has) head.second = index.uuid_at(3);
	}
	KeyIndex live_;
	std::optional<KeyIndex> archive_;
	Below below_;
	Head live_head_{}, archive_head_{};
	bool live_has_ = false, archive_has_ = false;
};

} // namespace

CP_FUNCTION(cp_home_feed) {
	const Uuid reader = uuid_arg(fcinfo, 0, "reader_id");
	const int32 page_size = page_size_arg(fcinfo, 1);
	const std::optional<std::string> after = after_arg(fcinfo, 2);
	const cur::Secret secret = load_secret();
	const std::string binding = cur::Binder().uuid_or_null(reader.data()).bytes();
	const TimeId from = time_id_from(after, cur::Kind::home_feed, secret, binding);
	const cur::Encoder cursors(cur::Kind::home_feed, secret, binding);
	const Key start{from.time, from.id};
	Output out = begin_output(fcinfo);

	// The followed creators (index-only: the partial index holds active
	// subscriptions only).
	KeySources sources; // posts and posts_archive: SELECT is checked even for an empty feed
	std::vector<Uuid> followed_ids;
	std::unordered_set<Uuid, cp::pg::UuidHash> followed;
	{
		Table subscriptions("subscriptions");
		IndexReader active(subscriptions, "subscriptions_one_active_idx", 1, Mode::index_only);
		UuidArg reader_arg(reader);
		Keys keys;
		keys.eq(1, F_UUID_EQ, reader_arg.datum());
		active.rescan(keys);
		while (active.next()) {
			bool isnull;
			Uuid c = cp::pg::uuid_value(active.index_value(2, &isnull));
			followed_ids.push_back(c);
			followed.insert(c);
		}
	}
	if (followed_ids.empty()) return PointerGetDatum(nullptr);
	std::vector<Key> page;
	page.reserve(page_size);
	Key position = start; // everything newer than this has been examined
	bool top = from.top;  // ... and nothing yet: position is no bound (the first page)
	bool examined_all = false; // every post has been examined (a post at -infinity is a position too)

	// Strategy. The merge costs a probe per followed creator that can still
	// beat the page so far, and it needs every followed creator's newest
	// publication time. A creator whose newest post is at or after the
	// position ("hot") is sure to cost a probe. With many of them (a deep page
	// of a busy feed), walking the global index from the position and keeping
	// the followed creators' posts is cheaper. For a very large followed set
	// even looking the publication times up costs more than a walk, so the
	// walk comes first there. The walk has a budget; if the page is not full
	// by then, the merge continues from where the walk stopped.
	std::vector<Stream> streams;
	bool streams_loaded = false;
	auto load_streams = [&] {
		streams_loaded = true;
		Table activity("creator_activity");
		IndexReader pk(activity, "creator_activity_pkey", 1, Mode::heap);
		const AttrNumber last_col = activity.column("last_published_at");
		UuidArg arg;
		streams.reserve(followed_ids.size());
		for (const Uuid &c : followed_ids) {
			Stream st;
			st.creator = c;
			arg.set(c);
			Keys keys;
			keys.eq(1, F_UUID_EQ, arg.datum());
			pk.rescan(keys);
			bool isnull = true;
			Datum last = pk.next() ? pk.heap_value(last_col, &isnull) : Datum(0);
			// A creator without a row (posts loaded with triggers off, say)
			// has no known bound: it is probed rather than skipped.
			st.bound = isnull ? kNoEnd : DatumGetTimestampTz(last);
			streams.push_back(std::move(st));
		}
	};
	bool walk = followed_ids.size() > kWalkFirstWhenFollowing;
	if (!walk && followed_ids.size() > kWalkWhenHot) {
		load_streams();
		size_t hot = 0;
		for (const auto &st : streams)
			if (st.bound >= position.time) ++hot;
		walk = hot > kWalkWhenHot;
	}
	if (walk) {
		const int64_t budget = static_cast<int64_t>(page_size) * kWalkBudgetPerRow;
		GlobalKeys global(sources, position, top);
		Key k;
		Uuid creator;
		int64_t examined = 0;
		for (;;) {
			if (static_cast<int32>(page.size()) >= page_size || examined >= budget) break;
			if (!global.next(&k, &creator)) { // every post examined
				examined_all = true;
				break;
			}
			position = k;
			top = false;
			++examined;
			if (followed.count(creator)) page.push_back(k);
		}
	}
	if (!streams_loaded && static_cast<int32>(page.size()) < page_size && !examined_all)
		load_streams();

	// The merge, from the position on.
	if (static_cast<int32>(page.size()) < page_size && !examined_all) {
		CreatorKeys probe(sources);
		for (auto &st : streams) st.bound = std::min<int64_t>(st.bound, position.time);
		std::sort(streams.begin(), streams.end(), [](const Stream &a, const Stream &b) { return a.bound > b.bound; });
		auto older_head = [&](size_t a, size_t b) {
			return streams[a].keys[streams[a].next] < streams[b].keys[streams[b].next];
		};
		std::priority_queue<size_t, std::vector<size_t>, decltype(older_head)> heap(older_head);
		const int32 first_batch = std::min<int32>(page_size, 4);
		size_t admitted = 0;
		while (static_cast<int32>(page.size()) < page_size) {
			// Admit creators whose newest possible post could come before the
			// best head; the rest are older than everything on this page so far.
			while (admitted < streams.size() &&
			       (heap.empty() || streams[admitted].bound >= streams[heap.top()].keys[streams[heap.top()].next].time)) {
				Stream &st = streams[admitted];
				st.batch = first_batch;
				probe.fetch(st, position, top);
				if (has_head(st)) heap.push(admitted);
				++admitted;
			}
			if (heap.empty()) break;
			size_t top = heap.top();
			heap.pop();
			Stream &st = streams[top];
			page.push_back(st.keys[st.next]);
			++st.next;
			if (!has_head(st) && !st.exhausted) {
				Key last = st.keys.back();
				st.batch = std::min<int32>(st.batch * 4, page_size);
				probe.fetch(st, last);
			}
			if (has_head(st)) heap.push(top);
		}
	}
	if (page.empty()) return PointerGetDatum(nullptr);

	// The rows of the page, by id, in page order. Every followed creator's
	// content is visible to the reader (an active subscriber).
	Users users;
	Rights rights(Rights::Everything{}, users);
	PostSources rows("posts_pkey", "posts_archive_pkey", 1);
	UuidArg id_arg;
	for (const Key &k : page) {
		id_arg.set(k.id);
		rows.start([&](Keys &keys) { keys.eq(1, F_UUID_EQ, id_arg.datum()); }, true);
		PostStream *s = rows.next();
		if (s == nullptr) continue; // cannot happen within one snapshot
		put_post(out, *s, users, rights, time_id_cursor_datum(cursors, k.time, k.id));
	}
	return PointerGetDatum(nullptr);
}

// ---- comment_thread -------------------------------------------------------------------------

namespace {

// Greater than every path: paths are at most 101 keys of 24 bytes.
const std::string kPathCeiling(cp::core::path::kKeyBytes * (cp::core::path::kMaxDepthLimit + 2), '\xFF');

struct CommentColumns {
	AttrNumber id, post_id, parent, user_id, content, depth, reply_count, created_at, deleted_at, path;
	explicit CommentColumns(const Table &t)
	    : id(t.column("id")), post_id(t.column("post_id")), parent(t.column("parent_comment_id")),
	      user_id(t.column("user_id")), content(t.column("content")), depth(t.column("depth")),
	      reply_count(t.column("reply_count")), created_at(t.column("created_at")),
	      deleted_at(t.column("deleted_at")), path(t.column("path")) {}
};

// The comments of one post in path order from one thread index (live or
// archive): the index says the path, so comments deeper than max_depth are
// passed over without reading the heap.
class CommentStream {
public:
	CommentStream(Table &t, const char *index, int max_depth)
	    : cols_(t), scan_(t, index, 3, Mode::index_first), max_depth_(max_depth) {}

	void start(Keys &keys) {
		scan_.rescan(keys);
		advance();
	}
	void advance() {
		while ((has_ = scan_.next())) {
			bool isnull;
			Datum p = scan_.index_value(2, &isnull);
			if (isnull) continue;
			// a view of the entry's bytes (valid until the scan moves on)
			const bytea *b = cp::pg::guard([&] { return DatumGetByteaPP(p); });
			path_ = std::string_view(VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
			if (cp::core::path::depth_of(path_.size()) > max_depth_) continue;
			if (scan_.fetch()) return;
		}
	}
	bool has() const noexcept { return has_; }
	std::string_view path() const noexcept { return path_; }

	void row(Datum *values, bool *nulls, Users &users) {
		values[0] = scan_.heap_value(cols_.id, &nulls[0]);
		values[1] = scan_.heap_value(cols_.parent, &nulls[1]);
		values[2] = scan_.heap_value(cols_.user_id, &nulls[2]);
		std::optional<Datum> name;
		if (!nulls[2]) name = users.username(cp::pg::uuid_value(values[2]));
		values[3] = name ? *name : Datum(0);
		nulls[3] = !name;
		values[4] = output_varlena(scan_.heap_value(cols_.content, &nulls[4]));
		values[5] = scan_.heap_value(cols_.depth, &nulls[5]);
		values[6] = scan_.heap_value(cols_.reply_count, &nulls[6]);
		values[7] = scan_.heap_value(cols_.created_at, &nulls[7]);
		bool deleted_null;
		scan_.heap_value(cols_.deleted_at, &deleted_null);
		values[8] = BoolGetDatum(!deleted_null);
		nulls[8] = false;
	}

private:
	CommentColumns cols_;
	IndexReader scan_;
	int max_depth_;
	bool has_ = false;
	std::string_view path_;
};

// The path of a comment of the post, in the comments table t (comments or
// comments_archive, where the post is).
std::optional<std::string> comment_path(Table &t, const char *pkey, const Uuid &comment, const Uuid &post) {
	UuidArg comment_arg(comment);
	IndexReader pk(t, pkey, 1, Mode::heap);
	CommentColumns cols(t);
	Keys keys;
	keys.eq(1, F_UUID_EQ, comment_arg.datum());
	pk.rescan(keys);
	if (!pk.next()) return std::nullopt;
	bool isnull;
	if (cp::pg::uuid_value(pk.heap_value(cols.post_id, &isnull)) != post) return std::nullopt;
	Datum p = pk.heap_value(cols.path, &isnull);
	if (isnull) return std::nullopt;
	return cp::pg::bytea_value(p);
}

} // namespace

CP_FUNCTION(cp_comment_thread) {
	const Uuid post = uuid_arg(fcinfo, 0, "post_id");
	const int32 page_size = page_size_arg(fcinfo, 1);
	const std::optional<std::string> after = after_arg(fcinfo, 2);
	std::optional<int32> max_depth;
	if (!PG_ARGISNULL(3)) {
		max_depth = PG_GETARG_INT32(3);
		if (*max_depth < 0)
			throw Error(state::invalid_parameter_value, "max_depth must not be negative",
			            "max_depth is " + std::to_string(*max_depth));
	}
	const std::optional<Uuid> root = optional_uuid_arg(fcinfo, 4);
	const cur::Secret secret = load_secret();
	cur::Binder binder;
	binder.uuid_or_null(post.data());
	if (max_depth) binder.int32(*max_depth); else binder.null();
	binder.uuid_or_null(root ? root->data() : nullptr);
	const std::string binding = binder.bytes();
	std::optional<std::string> cursor_path;
	if (after) {
		std::string position = cur::decode(*after, cur::Kind::comment_thread, secret, binding);
		cursor_path = std::string(cur::read_path(position));
	}
	const cur::Encoder cursors(cur::Kind::comment_thread, secret, binding);
	Output out = begin_output(fcinfo);

	// The post must be published (live) or archived. A post and its comments
	// are always in the same place, live or archive: archiving and restoring
	// move them together, in one transaction, and no comment is added to an
	// archived post. So one snapshot finds the comments where it finds the
	// post, and only that table is read.
	bool archived;
	{
		PostSources posts("posts_pkey", "posts_archive_pkey", 1);
		UuidArg post_arg(post);
		posts.start([&](Keys &k) { k.eq(1, F_UUID_EQ, post_arg.datum()); }, true);
		PostStream *s = posts.next();
		if (s == nullptr) return PointerGetDatum(nullptr);
		archived = s != &posts.live;
	}
	Table comments(archived ? "comments_archive" : "comments");
	cp::pg::require_select(archived ? "comments" : "comments_archive");

	std::string lower; // exclusive after a cursor, inclusive at a subtree's root
	std::string upper = kPathCeiling;
	bool inclusive = false;
	if (root) {
		std::optional<std::string> root_path =
		    comment_path(comments, archived ? "comments_archive_pkey" : "comments_pkey", *root, post);
		if (!root_path)
			throw Error(state::invalid_parameter_value,
			            "root_comment_id " + cp::pg::to_string(*root) + " is not a comment of post " +
			                cp::pg::to_string(post));
		upper = cp::core::path::subtree_upper_bound(reinterpret_cast<const uint8_t *>(root_path->data()),
		                                            root_path->size());
		lower = *root_path;
		inclusive = true;
	}
	if (cursor_path) {
		lower = *cursor_path;
		inclusive = false;
	}

	Users users;
	UuidArg post_arg(post);
	const Datum lower_datum = cp::pg::bytea_datum(lower);
	const Datum upper_datum = cp::pg::bytea_datum(upper);
	auto make_keys = [&](Keys &k) {
		k.eq(1, F_UUID_EQ, post_arg.datum())
		    .bound(2, inclusive ? BTGreaterEqualStrategyNumber : BTGreaterStrategyNumber,
		           inclusive ? F_BYTEAGE : F_BYTEAGT, lower_datum)
		    .bound(2, BTLessStrategyNumber, F_BYTEALT, upper_datum);
	};
	const int depth_limit = max_depth ? *max_depth : PG_INT32_MAX;
	CommentStream thread(comments, archived ? "comments_archive_thread_idx" : "comments_thread_idx", depth_limit);
	{
		Keys k;
		make_keys(k);
		thread.start(k);
	}
	for (int32 i = 0; i < page_size && thread.has(); ++i) {
		Datum values[10];
		bool nulls[10];
		thread.row(values, nulls, users);
		values[9] = cursor_datum(cursors, thread.path());
		nulls[9] = false;
		out.put(values, nulls);
		thread.advance();
	}
	return PointerGetDatum(nullptr);
}

// ---- subscriptions_of / subscribers_of -------------------------------------------------------

namespace {

// A page after the position ($3, $4), or (FIRST) the first page, which has no
// bound, so that a row at the very top, (infinity, ffffffff-...), is listed.
#define CP_SUBSCRIPTION_PAGE(KEY, OTHER, AFTER)                                                                \
	"SELECT s.id, s." OTHER ", u.username, s.status, s.subscribed_at, s.cancelled_at "                         \
	"  FROM creator_platform.subscriptions s "                                                                 \
	"  JOIN creator_platform.users u ON u.id OPERATOR(pg_catalog.=) s." OTHER " "                              \
	" WHERE s." KEY " OPERATOR(pg_catalog.=) $1 AND s.status OPERATOR(pg_catalog.=) $2 "                       \
	AFTER " ORDER BY s.subscribed_at DESC, s.id DESC LIMIT $5"
#define CP_AFTER "   AND (s.subscribed_at, s.id) OPERATOR(pg_catalog.<) ($3, $4) "
#define CP_FIRST "" // $3 and $4 are passed and unused: both statements take the same arguments

struct SubscriptionStatements {
	cp::pg::Statement after, first;
};
SubscriptionStatements q_subscriptions_of{
    {CP_SUBSCRIPTION_PAGE("subscriber_id", "creator_id", CP_AFTER), 5,
     {UUIDOID, InvalidOid, TIMESTAMPTZOID, UUIDOID, INT4OID}},
    {CP_SUBSCRIPTION_PAGE("subscriber_id", "creator_id", CP_FIRST), 5,
     {UUIDOID, InvalidOid, TIMESTAMPTZOID, UUIDOID, INT4OID}}};
SubscriptionStatements q_subscribers_of{
    {CP_SUBSCRIPTION_PAGE("creator_id", "subscriber_id", CP_AFTER), 5,
     {UUIDOID, InvalidOid, TIMESTAMPTZOID, UUIDOID, INT4OID}},
    {CP_SUBSCRIPTION_PAGE("creator_id", "subscriber_id", CP_FIRST), 5,
     {UUIDOID, InvalidOid, TIMESTAMPTZOID, UUIDOID, INT4OID}}};

Datum subscription_page(FunctionCallInfo fcinfo, cur::Kind kind, SubscriptionStatements &statements,
                        const char *who) {
	const Uuid user = uuid_arg(fcinfo, 0, who);
	if (PG_ARGISNULL(1)) throw Error(state::invalid_parameter_value, "status must not be NULL");
	const Datum status = PG_GETARG_DATUM(1);
	const int32 page_size = page_size_arg(fcinfo, 2);
	const std::optional<std::string> after = after_arg(fcinfo, 3);
	const cur::Secret secret = load_secret();
	// The status is bound by its label, not its OID: a restored database gives
	// the enum labels new OIDs, and its cursors must still be accepted.
	const NameData status_label = cp::pg::guard([status] {
		HeapTuple tup = SearchSysCache1(ENUMOID, status);
		if (!HeapTupleIsValid(tup)) elog(ERROR, "no enum label with OID %u", DatumGetObjectId(status));
		NameData label = reinterpret_cast<Form_pg_enum>(GETSTRUCT(tup))->enumlabel;
		ReleaseSysCache(tup);
		return label;
	});
	const std::string binding = cur::Binder().uuid_or_null(user.data()).text(NameStr(status_label)).bytes();
	const TimeId from = time_id_from(after, kind, secret, binding);
	const cur::Encoder cursors(kind, secret, binding);
	cp::pg::Statement &statement = from.top ? statements.first : statements.after;
	if (statement.argtypes[1] == InvalidOid) statement.argtypes[1] = get_fn_expr_argtype(fcinfo->flinfo, 1);
	Output out = begin_output(fcinfo);

	cp::pg::SpiScope spi;
	Datum args[5] = {cp::pg::uuid_datum(user), status, TimestampTzGetDatum(from.time), cp::pg::uuid_datum(from.id),
	                 Int32GetDatum(page_size)};
	uint64_t n = cp::pg::execute(statement, args, nullptr, true);
	for (uint64_t r = 0; r < n; ++r) {
		Datum values[7];
		bool nulls[7];
		for (int c = 0; c < 6; ++c) values[c] = cp::pg::result_value(r, c + 1, &nulls[c]);
		values[6] = time_id_cursor_datum(cursors, DatumGetTimestampTz(values[4]), cp::pg::uuid_value(values[0]));
		nulls[6] = false;
		out.put(values, nulls);
	}
	return PointerGetDatum(nullptr);
}

} // namespace

CP_FUNCTION(cp_subscriptions_of) {
	return subscription_page(fcinfo, cur::Kind::subscriptions_of, q_subscriptions_of, "subscriber_id");
}

CP_FUNCTION(cp_subscribers_of) {
	return subscription_page(fcinfo, cur::Kind::subscribers_of, q_subscribers_of, "creator_id");
}
