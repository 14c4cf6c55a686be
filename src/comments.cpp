// Comment threading and counters, on the write hot path.
//
//   comments_before_insert  BEFORE INSERT ROW    post published, parent on the same post and not
//                                                deleted, depth <= max_comment_depth; sets depth,
//                                                path, reply_count
//   comments_before_update  BEFORE UPDATE ROW    ids, created_at, depth, path never change;
//                                                reply_count only by the database
//   comments_after_insert   AFTER INSERT STMT    comment_count / reply_count once per statement,
//                                                comment_added events + NOTIFY
//   comments_after_update   AFTER UPDATE STMT    comment_count when comments become or stop
//                                                being placeholders
//   comments_after_delete   AFTER DELETE STMT    comment_count / reply_count
//
// Lock order, everywhere: comment rows in id order, then post rows in id order
// (PostgreSQL itself locks a comment before anything else when it is deleted or
// updated). The statement triggers sort the rows they lock and, for new
// comments, check under the lock that each parent is still live and each post
// still published; foreign keys of comments on posts and parents are deferred
// to commit, so their KEY SHARE locks come last.
#include <array>
#include <cstring>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/comment_path.hpp"
#include "core/error.hpp"
#include "pg/boundary.hpp"
#include "pg/internal_write.hpp"
#include "pg/module.hpp"
#include "pg/spi.hpp"
#include "pg/trigger_support.hpp"

extern "C" {
#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "commands/async.h"
#include "commands/trigger.h"
#include "executor/tuptable.h"
#include "utils/array.h"
#include "utils/rel.h"
#include "utils/tuplestore.h"
}

namespace {

using cp::core::Error;
using cp::pg::Uuid;
namespace state = cp::core::sqlstate;
namespace path = cp::core::path;

// Column numbers of creator_platform.comments, looked up once per relation.
struct CommentColumns {
	Oid relid = InvalidOid;
	int id, post_id, user_id, parent, created_at, depth, reply_count, deleted_at, path_col;
};

const CommentColumns &columns(Relation rel) {
	static CommentColumns c;
	if (c.relid != RelationGetRelid(rel)) {
		TupleDesc d = RelationGetDescr(rel);
		c.id = cp::pg::column_number(d, "id");
		c.post_id = cp::pg::column_number(d, "post_id");
		c.user_id = cp::pg::column_number(d, "user_id");
		c.parent = cp::pg::column_number(d, "parent_comment_id");
		c.created_at = cp::pg::column_number(d, "created_at");
		c.depth = cp::pg::column_number(d, "depth");
		c.reply_count = cp::pg::column_number(d, "reply_count");
		c.deleted_at = cp::pg::column_number(d, "deleted_at");
		c.path_col = cp::pg::column_number(d, "path");
		c.relid = RelationGetRelid(rel);
	}
	return c;
}

// ---- BEFORE INSERT ------------------------------------------------------------

cp::pg::Statement q_post{"SELECT p.status::pg_catalog.text FROM creator_platform.posts p "
                         "WHERE p.id OPERATOR(pg_catalog.=) $1",
                         1, {UUIDOID}};
cp::pg::Statement q_post_archived{"SELECT 1 FROM creator_platform.posts_archive a WHERE a.id OPERATOR(pg_catalog.=) $1",
                                  1, {UUIDOID}};
cp::pg::Statement q_parent{"SELECT c.post_id, c.path, c.deleted_at IS NOT NULL FROM creator_platform.comments c "
                           "WHERE c.id OPERATOR(pg_catalog.=) $1",
                           1, {UUIDOID}};
cp::pg::Statement q_parent_archived{
    "SELECT 1 FROM creator_platform.comments_archive a WHERE a.id OPERATOR(pg_catalog.=) $1", 1, {UUIDOID}};

// Checks the post and parent of a new comment; returns the parent's path
// (empty for a top-level comment).
std::string check_and_parent_path(const Uuid &post_id, const Uuid *parent_id) {
	cp::pg::SpiScope spi;
	Datum post_arg = cp::pg::uuid_datum(post_id);
	if (cp::pg::execute(q_post, &post_arg, nullptr, true, 1) == 0) {
		if (cp::pg::execute(q_post_archived, &post_arg, nullptr, true, 1) > 0)
			throw Error(state::object_not_in_prerequisite_state, "post " + cp::pg::to_string(post_id) + " is archived",
			            "archived posts take no new comments", "restore it with creator_platform.restore_post()");
		throw Error("23503", "post " + cp::pg::to_string(post_id) + " does not exist",
		            "a comment must refer to an existing post", cp::pg::restore_hint());
	}
	bool isnull;
	std::string status = cp::pg::text_value(cp::pg::result_value(0, 1, &isnull));
	if (status != "published")
		throw Error(state::object_not_in_prerequisite_state, "comments go on published posts only",
		            "post " + cp::pg::to_string(post_id) + " is " + status);
	if (parent_id == nullptr) return {};

	Datum parent_arg = cp::pg::uuid_datum(*parent_id);
	if (cp::pg::execute(q_parent, &parent_arg, nullptr, true, 1) == 0) {
		if (cp::pg::execute(q_parent_archived, &parent_arg, nullptr, true, 1) > 0)
			throw Error(state::object_not_in_prerequisite_state,
			            "comment " + cp::pg::to_string(*parent_id) + " is archived");
		throw Error("23503", "parent comment " + cp::pg::to_string(*parent_id) + " does not exist",
		            "a reply must refer to an existing comment", cp::pg::restore_hint());
	}
	Uuid parent_post = cp::pg::uuid_value(cp::pg::result_value(0, 1, &isnull));
	if (parent_post != post_id)
		throw Error(state::check_violation, "a reply's parent must be on the same post",
		            "parent comment " + cp::pg::to_string(*parent_id) + " is on post " +
		                cp::pg::to_string(parent_post) + ", the reply on post " + cp::pg::to_string(post_id));
	std::string parent_path = cp::pg::bytea_value(cp::pg::result_value(0, 2, &isnull));
	if (DatumGetBool(cp::pg::result_value(0, 3, &isnull)))
		throw Error(state::object_not_in_prerequisite_state, "cannot reply to a deleted comment",
		            "comment " + cp::pg::to_string(*parent_id) + " was deleted");
	if (!path::is_valid(reinterpret_cast<const uint8_t *>(parent_path.data()), parent_path.size()))
		throw Error(state::internal_error, "comment " + cp::pg::to_string(*parent_id) + " has a malformed path");
	return parent_path;
}

} // namespace

CP_FUNCTION(cp_comments_before_insert) {
	TriggerData *td = cp::pg::expect_trigger(fcinfo, "comments_before_insert", cp::pg::When::Before,
	                                         cp::pg::Level::Row, TRIGGER_EVENT_INSERT);
	HeapTuple tuple = td->tg_trigtuple;
	if (cp::pg::InternalWrite::active()) return PointerGetDatum(tuple);
	const CommentColumns &c = columns(td->tg_relation);
	TupleDesc desc = RelationGetDescr(td->tg_relation);

	bool null_id, null_post, null_user, null_parent, null_created, null_deleted, null_replies;
	Datum id = heap_getattr(tuple, c.id, desc, &null_id);
	Datum post = heap_getattr(tuple, c.post_id, desc, &null_post);
	heap_getattr(tuple, c.user_id, desc, &null_user);
	Datum parent = heap_getattr(tuple, c.parent, desc, &null_parent);
	Datum created = heap_getattr(tuple, c.created_at, desc, &null_created);
	heap_getattr(tuple, c.deleted_at, desc, &null_deleted);
	Datum replies = heap_getattr(tuple, c.reply_count, desc, &null_replies);
	for (auto [isnull, name] : {std::pair{null_id, "id"}, {null_post, "post_id"}, {null_user, "user_id"},
	                            {null_created, "created_at"}})
		if (isnull)
			throw Error("23502", std::string("null value in column \"") + name + "\" of relation \"comments\"",
			            "a new comment needs a post, an author, an id and a creation time");
	if (!null_deleted)
		throw Error(state::check_violation, "a new comment cannot be a deleted placeholder",
		            "deleted_at is set by creator_platform.delete_comment()", cp::pg::restore_hint());
	if (!null_replies && DatumGetInt32(replies) != 0)
		throw Error(state::check_violation, "reply_count of a new comment must be 0",
		            "reply_count is maintained by the database", cp::pg::restore_hint());

	const Uuid post_id = cp::pg::uuid_value(post);
	const Uuid comment_id = cp::pg::uuid_value(id);
	Uuid parent_id{};
	if (!null_parent) parent_id = cp::pg::uuid_value(parent);
	std::string parent_path = check_and_parent_path(post_id, null_parent ? nullptr : &parent_id);

	const int depth = parent_path.empty() ? 0 : path::depth_of(parent_path.size()) + 1;
	if (depth > cp::pg::g_max_comment_depth)
		throw Error(state::program_limit_exceeded,
		            "comment depth " + std::to_string(depth) + " exceeds creator_platform.max_comment_depth (" +
		                std::to_string(cp::pg::g_max_comment_depth) + ")",
		            {}, "reply to a comment higher up in the thread");
	const std::string new_path =
	    path::child_path(reinterpret_cast<const uint8_t *>(parent_path.data()), parent_path.size(),
	                     path::make_key(DatumGetTimestampTz(created), comment_id.data()));

	int cols[3] = {c.depth, c.path_col, c.reply_count};
	bool nulls[3] = {false, false, false};
	return PointerGetDatum(cp::pg::guard([&] {
		Datum values[3] = {Int32GetDatum(depth), cp::pg::bytea_datum(new_path), Int32GetDatum(0)};
		return heap_modify_tuple_by_cols(tuple, desc, 3, cols, values, nulls);
	}));
}

// ---- BEFORE UPDATE ------------------------------------------------------------

CP_FUNCTION(cp_comments_before_update) {
	TriggerData *td = cp::pg::expect_trigger(fcinfo, "comments_before_update", cp::pg::When::Before,
	                                         cp::pg::Level::Row, TRIGGER_EVENT_UPDATE);
	HeapTuple newtup = td->tg_newtuple;
	if (cp::pg::InternalWrite::active()) return PointerGetDatum(newtup);
	HeapTuple oldtup = td->tg_trigtuple;
	const CommentColumns &c = columns(td->tg_relation);
	TupleDesc desc = RelationGetDescr(td->tg_relation);

	bool isnull;
	const Uuid comment_id = cp::pg::uuid_value(heap_getattr(oldtup, c.id, desc, &isnull));
	for (auto [attnum, name] : {std::pair{c.id, "id"}, {c.post_id, "post_id"}, {c.parent, "parent_comment_id"},
	                            {c.created_at, "created_at"}, {c.depth, "depth"}, {c.path_col, "path"}})
		if (!cp::pg::same_value(oldtup, newtup, desc, attnum))
			throw Error(state::object_not_in_prerequisite_state, std::string(name) + " of a comment never changes",
			            "comment " + cp::pg::to_string(comment_id));
	if (!cp::pg::same_value(oldtup, newtup, desc, c.reply_count))
		throw Error(state::object_not_in_prerequisite_state, "reply_count is maintained by the database",
		            "it counts the comment's direct replies");
	if (!cp::pg::same_value(oldtup, newtup, desc, c.user_id)) {
		// The one change allowed: a placeholder loses its author when the
		// author's account is deleted (comments_user_id_fkey ON DELETE SET NULL).
		bool new_user_null, new_deleted_null;
		heap_getattr(newtup, c.user_id, desc, &new_user_null);
		heap_getattr(newtup, c.deleted_at, desc, &new_deleted_null);
		if (!(new_user_null && !new_deleted_null))
			throw Error(state::object_not_in_prerequisite_state, "user_id of a comment never changes",
			            "only a deleted placeholder loses its author, when the author's account is deleted");
	}
	return PointerGetDatum(newtup);
}

// ---- AFTER STATEMENT: counters and events -------------------------------------

namespace {

struct CommentRow {
	Uuid id, post_id, user_id, parent;
	bool has_parent, has_user, deleted;
};

std::vector<CommentRow> read_rows(Tuplestorestate *store, Relation rel) {
	const CommentColumns &c = columns(rel);
	TupleDesc desc = RelationGetDescr(rel);
	std::vector<CommentRow> rows;
	TupleTableSlot *slot = cp::pg::guard([&] {
		TupleTableSlot *s = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
		int ptr = tuplestore_alloc_read_pointer(store, EXEC_FLAG_REWIND);
		tuplestore_select_read_pointer(store, ptr);
		tuplestore_rescan(store);
		return s;
	});
	// One guarded call per tuple reads every column the counters need into
	// plain values; the vector grows outside the guard.
	struct Raw {
		Datum id, post, user, parent;
		bool null_user, null_parent, null_deleted;
	};
	Raw raw{};
	auto next_tuple = [&]() -> bool {
		if (!tuplestore_gettupleslot(store, true, false, slot)) return false;
		bool isnull;
		raw.id = slot_getattr(slot, c.id, &isnull);
		raw.post = slot_getattr(slot, c.post_id, &isnull);
		raw.user = slot_getattr(slot, c.user_id, &raw.null_user);
		raw.parent = slot_getattr(slot, c.parent, &raw.null_parent);
		slot_getattr(slot, c.deleted_at, &raw.null_deleted);
		return true;
	};
	while (cp::pg::guard(next_tuple)) {
		CommentRow r{};
		r.id = cp::pg::uuid_value(raw.id);
		r.post_id = cp::pg::uuid_value(raw.post);
		r.has_user = !raw.null_user;
		if (r.has_user) r.user_id = cp::pg::uuid_value(raw.user);
		r.has_parent = !raw.null_parent;
		if (r.has_parent) r.parent = cp::pg::uuid_value(raw.parent);
		r.deleted = !raw.null_deleted;
		rows.push_back(r);
	}
	cp::pg::guard_void([&] { ExecDropSingleTupleTableSlot(slot); });
	return rows;
}

// Deltas per row id, kept sorted: std::map over the uuid bytes is PostgreSQL's
// uuid order, so applying them in map order takes row locks in id order.
// Comments (parents) are always done before posts.
using Deltas = std::map<Uuid, int32_t>;

struct CounterTable {
	const char *what;            // "post" / "parent comment", for messages
	cp::pg::Statement one;       // ($1 uuid, $2 int4): one row; RETURNING ok
	cp::pg::Statement lock_many; // ($1 uuid[]): lock rows in id order
	cp::pg::Statement add_many;  // ($1 uuid[], $2 int4[]): add deltas; RETURNING id, ok
};

// "ok" is what a new comment needs of the row it counts in: a published post,
// a parent that is not a deleted placeholder. Checked under the row lock, so a
// post unpublished or a parent deleted while the comment was being added is
// seen here even though the BEFORE trigger read them without a lock.
CounterTable posts_comment_count{
    "post",
    {"UPDATE creator_platform.posts p SET comment_count = p.comment_count OPERATOR(pg_catalog.+) $2 "
     "WHERE p.id OPERATOR(pg_catalog.=) $1 "
     "RETURNING p.status OPERATOR(pg_catalog.=) 'published'::creator_platform.post_status",
     2, {UUIDOID, INT4OID}},
    {"SELECT 1 FROM creator_platform.posts p WHERE p.id OPERATOR(pg_catalog.=) ANY ($1) ORDER BY p.id "
     "FOR NO KEY UPDATE",
     1, {UUIDARRAYOID}},
    {"UPDATE creator_platform.posts p SET comment_count = p.comment_count OPERATOR(pg_catalog.+) d.n "
     "FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2)) AS d(id, n) WHERE p.id OPERATOR(pg_catalog.=) d.id "
     "RETURNING p.id, p.status OPERATOR(pg_catalog.=) 'published'::creator_platform.post_status",
     2, {UUIDARRAYOID, INT4ARRAYOID}}};

CounterTable comments_reply_count{
    "parent comment",
    {"UPDATE creator_platform.comments c SET reply_count = c.reply_count OPERATOR(pg_catalog.+) $2 "
     "WHERE c.id OPERATOR(pg_catalog.=) $1 RETURNING c.deleted_at IS NULL",
     2, {UUIDOID, INT4OID}},
    {"SELECT 1 FROM creator_platform.comments c WHERE c.id OPERATOR(pg_catalog.=) ANY ($1) ORDER BY c.id "
     "FOR NO KEY UPDATE",
     1, {UUIDARRAYOID}},
    {"UPDATE creator_platform.comments c SET reply_count = c.reply_count OPERATOR(pg_catalog.+) d.n "
     "FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2)) AS d(id, n) WHERE c.id OPERATOR(pg_catalog.=) d.id "
     "RETURNING c.id, c.deleted_at IS NULL",
     2, {UUIDARRAYOID, INT4ARRAYOID}}};

// For new comments every counted row must exist and be "ok"; for removals
// rows may be gone already (a cascade deletes a parent with its replies).
enum class Check { None, NewComments };

[[noreturn]] void counted_row_failed(const CounterTable &t, const Uuid &id, bool missing) {
	if (missing) {
		// Archived while the comment was waiting for its lock: the archive
		// takes no comments (55000), as when it was archived before.
		const bool post = &t == &posts_comment_count;
		Datum arg = cp::pg::uuid_datum(id);
		if (cp::pg::execute(post ? q_post_archived : q_parent_archived, &arg, nullptr, false, 1) > 0)
			throw Error(state::object_not_in_prerequisite_state,
			            std::string(t.what) + " " + cp::pg::to_string(id) + " is archived",
			            std::string("it was archived while the comment was being added; ") +
			                (post ? "archived posts take no new comments" : "archived comments take no replies"));
		throw Error("23503", std::string(t.what) + " " + cp::pg::to_string(id) + " does not exist",
		            "it was deleted while the comment was being added");
	}
	if (&t == &posts_comment_count)
		throw Error(state::object_not_in_prerequisite_state, "comments go on published posts only",
		            "post " + cp::pg::to_string(id) + " stopped being published while the comment was being added");
	throw Error(state::object_not_in_prerequisite_state, "cannot reply to a deleted comment",
	            "comment " + cp::pg::to_string(id) + " was deleted while the reply was being added");
}

// A few rows: one UPDATE each, in id order. Many: lock them all in id order
// with one statement, then one set-based UPDATE.
constexpr size_t kRowByRowLimit = 16;

void apply_deltas(CounterTable &t, const Deltas &all, Check check) {
	std::vector<std::pair<Uuid, int32_t>> deltas;
	for (const auto &[id, d] : all)
		if (d != 0) deltas.emplace_back(id, d);
	if (deltas.empty()) return;
	cp::pg::InternalWrite internal;
	bool isnull;
	if (deltas.size() <= kRowByRowLimit) {
		for (const auto &[id, d] : deltas) {
			Datum args[2] = {cp::pg::uuid_datum(id), Int32GetDatum(d)};
			uint64_t n = cp::pg::execute(t.one, args, nullptr, false);
			if (check == Check::NewComments && (n == 0 || !DatumGetBool(cp::pg::result_value(0, 1, &isnull))))
				counted_row_failed(t, id, n == 0);
		}
		return;
	}
	std::vector<Uuid> ids;
	std::vector<int32_t> values;
	for (const auto &[id, d] : deltas) {
		ids.push_back(id);
		values.push_back(d);
	}
	Datum id_array = cp::pg::uuid_array(ids);
	cp::pg::execute(t.lock_many, &id_array, nullptr, false);
	Datum args[2] = {id_array, cp::pg::int4_array(values)};
	uint64_t n = cp::pg::execute(t.add_many, args, nullptr, false);
	if (check != Check::NewComments) return;
	std::unordered_map<Uuid, bool, cp::pg::UuidHash> seen;
	for (uint64_t r = 0; r < n; ++r) {
		Uuid id = cp::pg::uuid_value(cp::pg::result_value(r, 1, &isnull));
		bool ok = DatumGetBool(cp::pg::result_value(r, 2, &isnull));
		if (!ok) counted_row_failed(t, id, false);
		seen.emplace(id, true);
	}
	for (const auto &id : ids)
		if (!seen.count(id)) counted_row_failed(t, id, true);
}

cp::pg::Statement q_insert_events{
    "INSERT INTO creator_platform.events (kind, payload) "
    "SELECT 'comment_added', pg_catalog.jsonb_build_object('comment_id', t.c, 'post_id', t.p, 'user_id', t.u) "
    "FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3)) WITH ORDINALITY "
    "AS t(c, p, u, n) ORDER BY t.n RETURNING id",
    3, {UUIDARRAYOID, UUIDARRAYOID, UUIDARRAYOID}};

void add_comment_events(const std::vector<CommentRow> &rows) {
	if (rows.empty()) return;
	std::vector<Uuid> ids, posts, users;
	for (const auto &r : rows) {
		ids.push_back(r.id);
		posts.push_back(r.post_id);
		users.push_back(r.user_id);
	}
	Datum args[3] = {cp::pg::uuid_array(ids), cp::pg::uuid_array(posts), cp::pg::uuid_array(users)};
	uint64_t n = cp::pg::execute(q_insert_events, args, nullptr, false);
	for (uint64_t i = 0; i < n; ++i) {
		bool isnull;
		int64_t event_id = DatumGetInt64(cp::pg::result_value(i, 1, &isnull));
		std::string payload = std::to_string(event_id);
		cp::pg::guard_void([&] { Async_Notify("creator_platform_events", payload.c_str()); });
	}
}

} // namespace

CP_FUNCTION(cp_comments_after_insert) {
	TriggerData *td = cp::pg::expect_trigger(fcinfo, "comments_after_insert", cp::pg::When::After,
	                                         cp::pg::Level::Statement, TRIGGER_EVENT_INSERT);
	if (cp::pg::InternalWrite::active() || td->tg_newtable == nullptr) return PointerGetDatum(nullptr);
	std::vector<CommentRow> rows = read_rows(td->tg_newtable, td->tg_relation);
	if (rows.empty()) return PointerGetDatum(nullptr);
	Deltas per_post, per_parent;
	for (const auto &r : rows) {
		if (!r.deleted) per_post[r.post_id] += 1;
		if (r.has_parent) per_parent[r.parent] += 1;
	}
	cp::pg::SpiScope spi;
	apply_deltas(comments_reply_count, per_parent, Check::NewComments);
	apply_deltas(posts_comment_count, per_post, Check::NewComments);
	add_comment_events(rows);
	return PointerGetDatum(nullptr);
}

CP_FUNCTION(cp_comments_after_update) {
	TriggerData *td = cp::pg::expect_trigger(fcinfo, "comments_after_update", cp::pg::When::After,
	                                         cp::pg::Level::Statement, TRIGGER_EVENT_UPDATE);
	if (cp::pg::InternalWrite::active() || td->tg_newtable == nullptr || td->tg_oldtable == nullptr)
		return PointerGetDatum(nullptr);
	std::vector<CommentRow> before = read_rows(td->tg_oldtable, td->tg_relation);
	if (before.empty()) return PointerGetDatum(nullptr);
	std::vector<CommentRow> after = read_rows(td->tg_newtable, td->tg_relation);
	std::unordered_map<Uuid, bool, cp::pg::UuidHash> was_deleted;
	for (const auto &r : before) was_deleted.emplace(r.id, r.deleted);
	Deltas per_post;
	for (const auto &r : after) {
		auto it = was_deleted.find(r.id);
		if (it == was_deleted.end() || it->second == r.deleted) continue;
		per_post[r.post_id] += r.deleted ? -1 : 1;
	}
	if (per_post.empty()) return PointerGetDatum(nullptr);
	cp::pg::SpiScope spi;
	apply_deltas(posts_comment_count, per_post, Check::None);
	return PointerGetDatum(nullptr);
}

CP_FUNCTION(cp_comments_after_delete) {
	TriggerData *td = cp::pg::expect_trigger(fcinfo, "comments_after_delete", cp::pg::When::After,
	                                         cp::pg::Level::Statement, TRIGGER_EVENT_DELETE);
	if (cp::pg::InternalWrite::active() || td->tg_oldtable == nullptr) return PointerGetDatum(nullptr);
	std::vector<CommentRow> rows = read_rows(td->tg_oldtable, td->tg_relation);
	if (rows.empty()) return PointerGetDatum(nullptr);
	Deltas per_post, per_parent;
	for (const auto &r : rows) {
		if (!r.deleted) per_post[r.post_id] -= 1;
		if (r.has_parent) per_parent[r.parent] -= 1;
	}
	cp::pg::SpiScope spi;
	apply_deltas(comments_reply_count, per_parent, Check::None);
	apply_deltas(posts_comment_count, per_post, Check::None);
	return PointerGetDatum(nullptr);
}

// ---- AFTER TRUNCATE -----------------------------------------------------------

namespace {
cp::pg::Statement q_zero_comment_counts{
    "UPDATE creator_platform.posts p SET comment_count = 0 WHERE p.comment_count OPERATOR(pg_catalog.<>) 0", 0, {}};
}

// TRUNCATE fires no DELETE triggers: every post is left with no comments.
CP_FUNCTION(cp_comments_after_truncate) {
	cp::pg::expect_trigger(fcinfo, "comments_after_truncate", cp::pg::When::After, cp::pg::Level::Statement,
	                       TRIGGER_EVENT_TRUNCATE);
	if (cp::pg::InternalWrite::active()) return PointerGetDatum(nullptr);
	cp::pg::SpiScope spi;
	cp::pg::InternalWrite internal;
	cp::pg::execute(q_zero_comment_counts, nullptr, nullptr, false);
	return PointerGetDatum(nullptr);
}
