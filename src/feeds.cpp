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
#include <vector>

#include "core/comment_path.hpp"
#include "core/cursor.hpp"
#include "core/error.hpp"
#include "pg/boundary.hpp"
#include "pg/spi.hpp"
#include "pg/trigger_support.hpp"

extern "C" {
#include "access/heapam.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "storage/proc.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"
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

Datum text_datum(const std::string &s) {
	return cp::pg::guard([&] { return PointerGetDatum(cstring_to_text_with_len(s.data(), static_cast<int>(s.size()))); });
}

// A keyset position (published_at or subscribed_at, id) read back from a cursor.
struct TimeId {
	int64_t time = kNoEnd;
	Uuid id = kMaxUuid;
};

TimeId time_id_from(const std::optional<std::string> &after, cur::Kind kind, const cur::Secret &secret,
                     const std::string &binding) {
	TimeId p;
	if (after) {
		std::string position = cur::decode(*after, kind, secret, binding);
		cur::read_time_id(position, &p.time, p.id.data());
	}
	return p;
}

std::string time_id_cursor(cur::Kind kind, const cur::Secret &secret, const std::string &binding, int64_t time,
                           const Uuid &id) {
	return cur::encode(kind, secret, binding, cur::position_time_id(time, id.data()));
}

// ---- post rows ----------------------------------------------------------------------

// Columns of a feed row, in the order of the functions' RETURNS TABLE.
enum PostCol { kPostId, kCreatorId, kUsername, kTitle, kContent, kVisibility, kLocked, kPublishedAt, kComments, kCursor };
constexpr int kPostCols = 10;

// `SELECT id, creator_id, username, title, content, visibility, locked, published_at, comment_count`
// of SPI row `row` into values (content NULL when locked), plus the cursor.
void post_row_from_spi(uint64_t row, Datum *values, bool *nulls) {
	for (int c = 0; c < 9; ++c) values[c] = cp::pg::result_value(row, c + 1, &nulls[c]);
	if (!nulls[kLocked] && DatumGetBool(values[kLocked])) {
		values[kContent] = 0;
		nulls[kContent] = true;
	}
}

// The live and the archive index, merged; $1 creator, $2/$3 position, $4 limit.
#define CP_POSTS_OF_CREATOR(cols)                                                                               \
	"(SELECT " cols " FROM creator_platform.posts l "                                                          \
	"  WHERE l.creator_id OPERATOR(pg_catalog.=) $1 "                                                           \
	"    AND l.status OPERATOR(pg_catalog.=) 'published'::creator_platform.post_status "                       \
	"    AND (l.published_at, l.id) OPERATOR(pg_catalog.<) ($2, $3) "                                          \
	"  ORDER BY l.published_at DESC, l.id DESC LIMIT $4) "                                                     \
	"UNION ALL "                                                                                               \
	"(SELECT " cols " FROM creator_platform.posts_archive l "                                                  \
	"  WHERE l.creator_id OPERATOR(pg_catalog.=) $1 "                                                           \
	"    AND l.status OPERATOR(pg_catalog.=) 'published'::creator_platform.post_status "                       \
	"    AND (l.published_at, l.id) OPERATOR(pg_catalog.<) ($2, $3) "                                          \
	"  ORDER BY l.published_at DESC, l.id DESC LIMIT $4) "

#define CP_POST_COLS "l.id, l.creator_id, l.title, l.content, l.visibility, l.published_at, l.comment_count"

cp::pg::Statement q_viewer{
    "SELECT u.username, "
    "       $2::uuid IS NOT NULL AND ($2 OPERATOR(pg_catalog.=) $1 "
    "         OR EXISTS (SELECT 1 FROM creator_platform.users v WHERE v.id OPERATOR(pg_catalog.=) $2 "
    "                      AND v.role OPERATOR(pg_catalog.=) 'admin'::creator_platform.user_role) "
    "         OR EXISTS (SELECT 1 FROM creator_platform.subscriptions s "
    "                     WHERE s.subscriber_id OPERATOR(pg_catalog.=) $2 AND s.creator_id OPERATOR(pg_catalog.=) $1 "
    "                       AND s.status OPERATOR(pg_catalog.=) 'active'::creator_platform.subscription_status)) "
    "  FROM creator_platform.users u WHERE u.id OPERATOR(pg_catalog.=) $1",
    2, {UUIDOID, UUIDOID}};

cp::pg::Statement q_creator_page{
    "SELECT p.id, p.creator_id, NULL::text, p.title, p.content, p.visibility, "
    "       p.visibility OPERATOR(pg_catalog.=) 'subscribers'::creator_platform.post_visibility AND NOT $5, "
    "       p.published_at, p.comment_count "
    "  FROM (" CP_POSTS_OF_CREATOR(CP_POST_COLS) ") p "
    " ORDER BY p.published_at DESC, p.id DESC LIMIT $4",
    5, {UUIDOID, TIMESTAMPTZOID, UUIDOID, INT4OID, BOOLOID}};

} // namespace

CP_FUNCTION(cp_creator_posts) {
	const Uuid creator = uuid_arg(fcinfo, 0, "creator_id");
	const std::optional<Uuid> viewer = optional_uuid_arg(fcinfo, 1);
	const int32 page_size = page_size_arg(fcinfo, 2);
	const std::optional<std::string> after = after_arg(fcinfo, 3);
	const cur::Secret secret = load_secret();
	const std::string binding =
	    cur::Binder().uuid_or_null(creator.data()).uuid_or_null(viewer ? viewer->data() : nullptr).bytes();
	const TimeId from = time_id_from(after, cur::Kind::creator_posts, secret, binding);
	Output out = begin_output(fcinfo);

	cp::pg::SpiScope spi;
	Datum vargs[2] = {cp::pg::uuid_datum(creator), viewer ? cp::pg::uuid_datum(*viewer) : Datum(0)};
	const char vnulls[2] = {' ', viewer ? ' ' : 'n'};
	if (cp::pg::execute(q_viewer, vargs, vnulls, true, 1) == 0) return PointerGetDatum(nullptr); // no such user
	bool isnull;
	const std::string username = cp::pg::text_value(cp::pg::result_value(0, 1, &isnull));
	const bool sees_all = DatumGetBool(cp::pg::result_value(0, 2, &isnull));
	Datum username_datum = text_datum(username);

	Datum args[5] = {vargs[0], TimestampTzGetDatum(from.time), cp::pg::uuid_datum(from.id), Int32GetDatum(page_size),
	                 BoolGetDatum(sees_all)};
	uint64_t n = cp::pg::execute(q_creator_page, args, nullptr, true);
	for (uint64_t r = 0; r < n; ++r) {
		Datum values[kPostCols];
		bool nulls[kPostCols];
		post_row_from_spi(r, values, nulls);
		values[kUsername] = username_datum;
		nulls[kUsername] = false;
		const std::string c = time_id_cursor(cur::Kind::creator_posts, secret, binding,
		                                     DatumGetTimestampTz(values[kPublishedAt]),
		                                     cp::pg::uuid_value(values[kPostId]));
		values[kCursor] = text_datum(c);
		nulls[kCursor] = false;
		out.put(values, nulls);
	}
	return PointerGetDatum(nullptr);
}

// ---- recent_posts / post_view -------------------------------------------------------------

namespace {

cp::pg::Statement q_is_admin{"SELECT EXISTS (SELECT 1 FROM creator_platform.users v "
                             "WHERE v.id OPERATOR(pg_catalog.=) $1 "
                             "AND v.role OPERATOR(pg_catalog.=) 'admin'::creator_platform.user_role)",
                             1, {UUIDOID}};

// locked for viewer $V (nullable) with admin flag $A
#define CP_LOCKED(V, A)                                                                                        \
	"p.visibility OPERATOR(pg_catalog.=) 'subscribers'::creator_platform.post_visibility AND NOT (" V           \
	"::uuid IS NOT NULL AND (" V " OPERATOR(pg_catalog.=) p.creator_id OR " A " OR EXISTS ("                    \
	"SELECT 1 FROM creator_platform.subscriptions s WHERE s.subscriber_id OPERATOR(pg_catalog.=) " V            \
	" AND s.creator_id OPERATOR(pg_catalog.=) p.creator_id "                                                    \
	"AND s.status OPERATOR(pg_catalog.=) 'active'::creator_platform.subscription_status)))"

cp::pg::Statement q_recent_page{
    "SELECT p.id, p.creator_id, u.username, p.title, p.content, p.visibility, " CP_LOCKED("$1", "$5") ", "
    "       p.published_at, p.comment_count "
    "  FROM ((SELECT " CP_POST_COLS " FROM creator_platform.posts l "
    "          WHERE l.status OPERATOR(pg_catalog.=) 'published'::creator_platform.post_status "
    "            AND (l.published_at, l.id) OPERATOR(pg_catalog.<) ($2, $3) "
    "          ORDER BY l.published_at DESC, l.id DESC LIMIT $4) "
    "        UNION ALL "
    "        (SELECT " CP_POST_COLS " FROM creator_platform.posts_archive l "
    "          WHERE l.status OPERATOR(pg_catalog.=) 'published'::creator_platform.post_status "
    "            AND (l.published_at, l.id) OPERATOR(pg_catalog.<) ($2, $3) "
    "          ORDER BY l.published_at DESC, l.id DESC LIMIT $4) "
    "        ORDER BY 6 DESC, 1 DESC LIMIT $4) p "
    "  JOIN creator_platform.users u ON u.id OPERATOR(pg_catalog.=) p.creator_id "
    " ORDER BY p.published_at DESC, p.id DESC",
    5, {UUIDOID, TIMESTAMPTZOID, UUIDOID, INT4OID, BOOLOID}};

cp::pg::Statement q_post_view{
    "SELECT p.id, p.creator_id, u.username, p.title, p.content, p.visibility, " CP_LOCKED("$2", "$3") ", "
    "       p.published_at, p.comment_count "
    "  FROM (SELECT " CP_POST_COLS " FROM creator_platform.posts l WHERE l.id OPERATOR(pg_catalog.=) $1 "
    "          AND l.status OPERATOR(pg_catalog.=) 'published'::creator_platform.post_status "
    "        UNION ALL "
    "        SELECT " CP_POST_COLS " FROM creator_platform.posts_archive l WHERE l.id OPERATOR(pg_catalog.=) $1 "
    "          AND l.status OPERATOR(pg_catalog.=) 'published'::creator_platform.post_status) p "
    "  JOIN creator_platform.users u ON u.id OPERATOR(pg_catalog.=) p.creator_id",
    3, {UUIDOID, UUIDOID, BOOLOID}};

bool viewer_is_admin(const std::optional<Uuid> &viewer) {
	if (!viewer) return false;
	Datum arg = cp::pg::uuid_datum(*viewer);
	bool isnull;
	cp::pg::execute(q_is_admin, &arg, nullptr, true, 1);
	return DatumGetBool(cp::pg::result_value(0, 1, &isnull));
}

} // namespace

CP_FUNCTION(cp_recent_posts) {
	const std::optional<Uuid> viewer = optional_uuid_arg(fcinfo, 0);
	const int32 page_size = page_size_arg(fcinfo, 1);
	const std::optional<std::string> after = after_arg(fcinfo, 2);
	const cur::Secret secret = load_secret();
	const std::string binding = cur::Binder().uuid_or_null(viewer ? viewer->data() : nullptr).bytes();
	const TimeId from = time_id_from(after, cur::Kind::recent_posts, secret, binding);
	Output out = begin_output(fcinfo);

	cp::pg::SpiScope spi;
	const bool admin = viewer_is_admin(viewer);
	Datum args[5] = {viewer ? cp::pg::uuid_datum(*viewer) : Datum(0), TimestampTzGetDatum(from.time),
	                 cp::pg::uuid_datum(from.id), Int32GetDatum(page_size), BoolGetDatum(admin)};
	const char nulls_in[5] = {viewer ? ' ' : 'n', ' ', ' ', ' ', ' '};
	uint64_t n = cp::pg::execute(q_recent_page, args, nulls_in, true);
	for (uint64_t r = 0; r < n; ++r) {
		Datum values[kPostCols];
		bool nulls[kPostCols];
		post_row_from_spi(r, values, nulls);
		const std::string c = time_id_cursor(cur::Kind::recent_posts, secret, binding,
		                                     DatumGetTimestampTz(values[kPublishedAt]),
		                                     cp::pg::uuid_value(values[kPostId]));
		values[kCursor] = text_datum(c);
		nulls[kCursor] = false;
		out.put(values, nulls);
	}
	return PointerGetDatum(nullptr);
}

CP_FUNCTION(cp_post_view) {
	const Uuid post = uuid_arg(fcinfo, 0, "post_id");
	const std::optional<Uuid> viewer = optional_uuid_arg(fcinfo, 1);
	Output out = begin_output(fcinfo);
	cp::pg::SpiScope spi;
	const bool admin = viewer_is_admin(viewer);
	Datum args[3] = {cp::pg::uuid_datum(post), viewer ? cp::pg::uuid_datum(*viewer) : Datum(0), BoolGetDatum(admin)};
	const char nulls_in[3] = {' ', viewer ? ' ' : 'n', ' '};
	if (cp::pg::execute(q_post_view, args, nulls_in, true, 1) == 1) {
		Datum values[kPostCols];
		bool nulls[kPostCols];
		post_row_from_spi(0, values, nulls);
		values[kCursor] = 0;
		nulls[kCursor] = true;
		out.put(values, nulls);
	}
	return PointerGetDatum(nullptr);
}

// ---- home_feed: a k-way merge -----------------------------------------------------------

namespace {

// The followed creators (index-only on subscriptions_one_active_idx)...
cp::pg::Statement q_followed{
    "SELECT s.creator_id FROM creator_platform.subscriptions s "
    " WHERE s.subscriber_id OPERATOR(pg_catalog.=) $1 "
    "   AND s.status OPERATOR(pg_catalog.=) 'active'::creator_platform.subscription_status",
    1, {UUIDOID}};

// ... and, for the merge, each one's newest publication time (creators that
// never published have no row and need no stream).
cp::pg::Statement q_activity{
    "SELECT a.creator_id, a.last_published_at FROM creator_platform.creator_activity a "
    " WHERE a.creator_id OPERATOR(pg_catalog.=) ANY ($1)",
    1, {UUIDARRAYOID}};

// The next keys of one creator below a position: live and archive merged.
cp::pg::Statement q_creator_keys{
    "SELECT p.published_at, p.id FROM (" CP_POSTS_OF_CREATOR("l.published_at, l.id") ") p "
    " ORDER BY p.published_at DESC, p.id DESC LIMIT $4",
    4, {UUIDOID, TIMESTAMPTZOID, UUIDOID, INT4OID}};

// The global walk: every published post below a position, newest first, with
// its creator (index-only on posts_published_idx, which INCLUDEs creator_id).
cp::pg::Statement q_global_keys{
    "SELECT p.published_at, p.id, p.creator_id FROM ("
    "(SELECT l.published_at, l.id, l.creator_id FROM creator_platform.posts l "
    "  WHERE l.status OPERATOR(pg_catalog.=) 'published'::creator_platform.post_status "
    "    AND (l.published_at, l.id) OPERATOR(pg_catalog.<) ($1, $2) "
    "  ORDER BY l.published_at DESC, l.id DESC LIMIT $3) "
    "UNION ALL "
    "(SELECT l.published_at, l.id, l.creator_id FROM creator_platform.posts_archive l "
    "  WHERE l.status OPERATOR(pg_catalog.=) 'published'::creator_platform.post_status "
    "    AND (l.published_at, l.id) OPERATOR(pg_catalog.<) ($1, $2) "
    "  ORDER BY l.published_at DESC, l.id DESC LIMIT $3)) p "
    " ORDER BY p.published_at DESC, p.id DESC LIMIT $3",
    3, {TIMESTAMPTZOID, UUIDOID, INT4OID}};

// The rows of a page, by id; usernames joined here.
cp::pg::Statement q_rows_by_id{
    "SELECT p.id, p.creator_id, u.username, p.title, p.content, p.visibility, false, p.published_at, "
    "       p.comment_count "
    "  FROM (SELECT " CP_POST_COLS " FROM creator_platform.posts l WHERE l.id OPERATOR(pg_catalog.=) ANY ($1) "
    "        UNION ALL "
    "        SELECT " CP_POST_COLS " FROM creator_platform.posts_archive l "
    "         WHERE l.id OPERATOR(pg_catalog.=) ANY ($1)) p "
    "  JOIN creator_platform.users u ON u.id OPERATOR(pg_catalog.=) p.creator_id",
    1, {UUIDARRAYOID}};

// home_feed walks the global index when more than kWalkWhenHot followed
// creators have posts at or after the position, and at once (without looking
// their publication times up) when it follows more than
// kWalkFirstWhenFollowing; it reads at most kWalkBudgetPerRow posts per row
// of the page before it falls back to the merge.
constexpr size_t kWalkWhenHot = 64;
constexpr size_t kWalkFirstWhenFollowing = 256;
constexpr int64_t kWalkBudgetPerRow = 200;

struct Key {
	int64_t time;
	Uuid id;
	bool operator<(const Key &o) const { return time != o.time ? time < o.time : id < o.id; }
};

struct Stream {
	Uuid creator;
	int64_t bound;          // newest possible key time of this creator below the start position
	std::vector<Key> keys;  // fetched, newest first
	size_t next = 0;
	bool exhausted = false; // the last fetch returned fewer keys than asked for
	int32 batch = 0;
};

void fetch_more(Stream &s, const Key &below) {
	Datum args[4] = {cp::pg::uuid_datum(s.creator), TimestampTzGetDatum(below.time), cp::pg::uuid_datum(below.id),
	                 Int32GetDatum(s.batch)};
	uint64_t n = cp::pg::execute(q_creator_keys, args, nullptr, true);
	s.keys.clear();
	s.next = 0;
	for (uint64_t r = 0; r < n; ++r) {
		bool isnull;
		Key k;
		k.time = DatumGetTimestampTz(cp::pg::result_value(r, 1, &isnull));
		k.id = cp::pg::uuid_value(cp::pg::result_value(r, 2, &isnull));
		s.keys.push_back(k);
	}
	s.exhausted = n < static_cast<uint64_t>(s.batch);
}

bool has_head(const Stream &s) { return s.next < s.keys.size(); }

} // namespace

CP_FUNCTION(cp_home_feed) {
	const Uuid reader = uuid_arg(fcinfo, 0, "reader_id");
	const int32 page_size = page_size_arg(fcinfo, 1);
	const std::optional<std::string> after = after_arg(fcinfo, 2);
	const cur::Secret secret = load_secret();
	const std::string binding = cur::Binder().uuid_or_null(reader.data()).bytes();
	const TimeId from = time_id_from(after, cur::Kind::home_feed, secret, binding);
	const Key start{from.time, from.id};
	Output out = begin_output(fcinfo);

	cp::pg::SpiScope spi;
	// The followed creators.
	std::vector<Uuid> followed_ids;
	std::unordered_map<Uuid, bool, cp::pg::UuidHash> followed;
	{
		Datum arg = cp::pg::uuid_datum(reader);
		uint64_t n = cp::pg::execute(q_followed, &arg, nullptr, true);
		followed_ids.reserve(n);
		for (uint64_t r = 0; r < n; ++r) {
			bool isnull;
			Uuid c = cp::pg::uuid_value(cp::pg::result_value(r, 1, &isnull));
			followed_ids.push_back(c);
			followed.emplace(c, true);
		}
	}
	std::vector<Key> page;
	page.reserve(page_size);
	Key position = start; // everything newer than this has been examined

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
		if (followed_ids.empty()) return;
		Datum ids = cp::pg::uuid_array(followed_ids);
		uint64_t n = cp::pg::execute(q_activity, &ids, nullptr, true);
		std::unordered_map<Uuid, int64_t, cp::pg::UuidHash> last_published;
		for (uint64_t r = 0; r < n; ++r) {
			bool isnull;
			last_published.emplace(cp::pg::uuid_value(cp::pg::result_value(r, 1, &isnull)),
			                       DatumGetTimestampTz(cp::pg::result_value(r, 2, &isnull)));
		}
		// A creator without a row (posts loaded with triggers off, say) has
		// no known bound: it is probed rather than skipped.
		streams.reserve(followed_ids.size());
		for (const Uuid &c : followed_ids) {
			Stream st;
			st.creator = c;
			auto it = last_published.find(c);
			st.bound = it == last_published.end() ? kNoEnd : it->second;
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
		int64_t examined = 0;
		int32 chunk = std::max<int32>(page_size * 8, 256);
		while (static_cast<int32>(page.size()) < page_size && examined < budget) {
			Datum args[3] = {TimestampTzGetDatum(position.time), cp::pg::uuid_datum(position.id), Int32GetDatum(chunk)};
			uint64_t n = cp::pg::execute(q_global_keys, args, nullptr, true);
			bool isnull;
			for (uint64_t r = 0; r < n && static_cast<int32>(page.size()) < page_size; ++r) {
				Key k;
				k.time = DatumGetTimestampTz(cp::pg::result_value(r, 1, &isnull));
				k.id = cp::pg::uuid_value(cp::pg::result_value(r, 2, &isnull));
				position = k;
				++examined;
				if (followed.count(cp::pg::uuid_value(cp::pg::result_value(r, 3, &isnull)))) page.push_back(k);
			}
			if (n < static_cast<uint64_t>(chunk)) { // every post examined
				position = Key{PG_INT64_MIN, Uuid{}};
				break;
			}
			chunk = std::min<int32>(chunk * 2, 8192);
		}
	}
	if (!streams_loaded && static_cast<int32>(page.size()) < page_size && position.time != PG_INT64_MIN)
		load_streams();

	// The merge, from the position on.
	for (auto &st : streams) st.bound = std::min<int64_t>(st.bound, position.time);
	std::sort(streams.begin(), streams.end(), [](const Stream &a, const Stream &b) { return a.bound > b.bound; });
	auto newer_head = [&](size_t a, size_t b) { return streams[a].keys[streams[a].next] < streams[b].keys[streams[b].next]; };
	std::priority_queue<size_t, std::vector<size_t>, decltype(newer_head)> heap(newer_head);
	const int32 first_batch = std::min<int32>(page_size, 4);
	size_t admitted = 0;
	while (static_cast<int32>(page.size()) < page_size && position.time != PG_INT64_MIN) {
		// Admit creators whose newest possible post could come before the best
		// head; the rest are older than everything on this page so far.
		while (admitted < streams.size() &&
		       (heap.empty() || streams[admitted].bound >= streams[heap.top()].keys[streams[heap.top()].next].time)) {
			Stream &st = streams[admitted];
			st.batch = first_batch;
			fetch_more(st, position);
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
			fetch_more(st, last);
		}
		if (has_head(st)) heap.push(top);
	}
	if (page.empty()) return PointerGetDatum(nullptr);

	// The rows of the page, in page order.
	std::vector<Uuid> ids;
	ids.reserve(page.size());
	for (const auto &k : page) ids.push_back(k.id);
	Datum id_array = cp::pg::uuid_array(ids);
	uint64_t n = cp::pg::execute(q_rows_by_id, &id_array, nullptr, true);
	std::unordered_map<Uuid, uint64_t, cp::pg::UuidHash> row_of;
	for (uint64_t r = 0; r < n; ++r) {
		bool isnull;
		row_of.emplace(cp::pg::uuid_value(cp::pg::result_value(r, 1, &isnull)), r);
	}
	for (const auto &k : page) {
		auto it = row_of.find(k.id);
		if (it == row_of.end()) continue; // cannot happen within one snapshot
		Datum values[kPostCols];
		bool nulls[kPostCols];
		post_row_from_spi(it->second, values, nulls);
		values[kCursor] = text_datum(time_id_cursor(cur::Kind::home_feed, secret, binding, k.time, k.id));
		nulls[kCursor] = false;
		out.put(values, nulls);
	}
	return PointerGetDatum(nullptr);
}

// ---- comment_thread -------------------------------------------------------------------------

namespace {

cp::pg::Statement q_post_published{
    "SELECT 1 FROM creator_platform.posts p WHERE p.id OPERATOR(pg_catalog.=) $1 "
    "   AND p.status OPERATOR(pg_catalog.=) 'published'::creator_platform.post_status "
    "UNION ALL "
    "SELECT 1 FROM creator_platform.posts_archive p WHERE p.id OPERATOR(pg_catalog.=) $1",
    1, {UUIDOID}};

cp::pg::Statement q_root_path{
    "SELECT c.path FROM creator_platform.comments c "
    " WHERE c.id OPERATOR(pg_catalog.=) $1 AND c.post_id OPERATOR(pg_catalog.=) $2 "
    "UNION ALL "
    "SELECT c.path FROM creator_platform.comments_archive c "
    " WHERE c.id OPERATOR(pg_catalog.=) $1 AND c.post_id OPERATOR(pg_catalog.=) $2",
    2, {UUIDOID, UUIDOID}};

#define CP_THREAD_COLS                                                                                         \
	"l.id, l.parent_comment_id, l.user_id, l.content, l.depth, l.reply_count, l.created_at, l.deleted_at, l.path"
#define CP_THREAD_PAGE(LOWER_OP)                                                                               \
	"SELECT c.id, c.parent_comment_id, c.user_id, u.username, c.content, c.depth, c.reply_count, c.created_at, "  \
	"       c.deleted_at IS NOT NULL, c.path "                                                                 \
	"  FROM ((SELECT " CP_THREAD_COLS " FROM creator_platform.comments l "                                     \
	"          WHERE l.post_id OPERATOR(pg_catalog.=) $1 AND l.path OPERATOR(pg_catalog." LOWER_OP ") $2 "          \
	"            AND l.path OPERATOR(pg_catalog.<) $3 AND l.depth OPERATOR(pg_catalog.<=) $4 "                  \
	"          ORDER BY l.path LIMIT $5) "                                                                       \
	"        UNION ALL "                                                                                       \
	"        (SELECT " CP_THREAD_COLS " FROM creator_platform.comments_archive l "                             \
	"          WHERE l.post_id OPERATOR(pg_catalog.=) $1 AND l.path OPERATOR(pg_catalog." LOWER_OP ") $2 "          \
	"            AND l.path OPERATOR(pg_catalog.<) $3 AND l.depth OPERATOR(pg_catalog.<=) $4 "                  \
	"          ORDER BY l.path LIMIT $5) "                                                                       \
	"        ORDER BY 9 LIMIT $5) c "                                                                            \
	"  LEFT JOIN creator_platform.users u ON u.id OPERATOR(pg_catalog.=) c.user_id "                            \
	" ORDER BY c.path"

cp::pg::Statement q_thread_after{CP_THREAD_PAGE(">"), 5, {UUIDOID, BYTEAOID, BYTEAOID, INT4OID, INT4OID}};
cp::pg::Statement q_thread_from{CP_THREAD_PAGE(">="), 5, {UUIDOID, BYTEAOID, BYTEAOID, INT4OID, INT4OID}};

// Greater than every path: paths are at most 101 keys of 24 bytes.
const std::string kPathCeiling(cp::core::path::kKeyBytes * (cp::core::path::kMaxDepthLimit + 2), '\xFF');

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
	Output out = begin_output(fcinfo);

	cp::pg::SpiScope spi;
	Datum post_arg = cp::pg::uuid_datum(post);
	if (cp::pg::execute(q_post_published, &post_arg, nullptr, true, 1) == 0) return PointerGetDatum(nullptr);

	std::string lower;              // exclusive after a cursor, inclusive at a subtree's root
	std::string upper = kPathCeiling;
	bool inclusive = false;
	if (root) {
		Datum args[2] = {cp::pg::uuid_datum(*root), post_arg};
		if (cp::pg::execute(q_root_path, args, nullptr, true, 1) == 0)
			throw Error(state::invalid_parameter_value,
			            "root_comment_id " + cp::pg::to_string(*root) + " is not a comment of post " +
			                cp::pg::to_string(post));
		bool isnull;
		std::string root_path = cp::pg::bytea_value(cp::pg::result_value(0, 1, &isnull));
		upper = cp::core::path::subtree_upper_bound(reinterpret_cast<const uint8_t *>(root_path.data()),
		                                            root_path.size());
		lower = root_path;
		inclusive = true;
	}
	if (cursor_path) {
		lower = *cursor_path;
		inclusive = false;
	}
	Datum args[5] = {post_arg, cp::pg::bytea_datum(lower), cp::pg::bytea_datum(upper),
	                 Int32GetDatum(max_depth ? *max_depth : PG_INT32_MAX), Int32GetDatum(page_size)};
	uint64_t n = cp::pg::execute(inclusive ? q_thread_from : q_thread_after, args, nullptr, true);
	for (uint64_t r = 0; r < n; ++r) {
		Datum values[10];
		bool nulls[10];
		for (int c = 0; c < 9; ++c) values[c] = cp::pg::result_value(r, c + 1, &nulls[c]);
		bool isnull;
		const std::string path = cp::pg::bytea_value(cp::pg::result_value(r, 10, &isnull));
		values[9] = text_datum(cur::encode(cur::Kind::comment_thread, secret, binding, path));
		nulls[9] = false;
		out.put(values, nulls);
	}
	return PointerGetDatum(nullptr);
}

// ---- subscriptions_of / subscribers_of -------------------------------------------------------

namespace {

#define CP_SUBSCRIPTION_PAGE(KEY, OTHER)                                                                       \
	"SELECT s.id, s." OTHER ", u.username, s.status, s.subscribed_at, s.cancelled_at "                         \
	"  FROM creator_platform.subscriptions s "                                                                 \
	"  JOIN creator_platform.users u ON u.id OPERATOR(pg_catalog.=) s." OTHER " "                              \
	" WHERE s." KEY " OPERATOR(pg_catalog.=) $1 AND s.status OPERATOR(pg_catalog.=) $2 "                       \
	"   AND (s.subscribed_at, s.id) OPERATOR(pg_catalog.<) ($3, $4) "                                          \
	" ORDER BY s.subscribed_at DESC, s.id DESC LIMIT $5"

cp::pg::Statement q_subscriptions_of{CP_SUBSCRIPTION_PAGE("subscriber_id", "creator_id"), 5,
                                     {UUIDOID, InvalidOid, TIMESTAMPTZOID, UUIDOID, INT4OID}};
cp::pg::Statement q_subscribers_of{CP_SUBSCRIPTION_PAGE("creator_id", "subscriber_id"), 5,
                                   {UUIDOID, InvalidOid, TIMESTAMPTZOID, UUIDOID, INT4OID}};

Datum subscription_page(FunctionCallInfo fcinfo, cur::Kind kind, cp::pg::Statement &statement, const char *who) {
	const Uuid user = uuid_arg(fcinfo, 0, who);
	if (PG_ARGISNULL(1)) throw Error(state::invalid_parameter_value, "status must not be NULL");
	const Datum status = PG_GETARG_DATUM(1);
	const int32 page_size = page_size_arg(fcinfo, 2);
	const std::optional<std::string> after = after_arg(fcinfo, 3);
	const cur::Secret secret = load_secret();
	const std::string binding =
	    cur::Binder().uuid_or_null(user.data()).int32(static_cast<int32_t>(DatumGetObjectId(status))).bytes();
	const TimeId from = time_id_from(after, kind, secret, binding);
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
		values[6] = text_datum(time_id_cursor(kind, secret, binding, DatumGetTimestampTz(values[4]),
		                                      cp::pg::uuid_value(values[0])));
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
