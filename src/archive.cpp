// Archiving: published posts older than a given time move, with all their
// comments, from posts / comments into posts_archive / comments_archive, and
// back one at a time. The feeds read both places, so readers see no
// difference (src/feeds.cpp).
//
//   archive_posts(older_than, batch_size)      one batch, in the caller's transaction
//   CALL archive_old_posts(older_than, batch_size)
//                                              batches until none is left, a commit and a
//                                              progress NOTICE after each; one run at a time
//   restore_post(post_id)                      one archived post and its comments back
//   archive_read_only()                        trigger: the archive tables change only here
//   users_before_delete_archive()              trigger: what deleting a user does to the archive
//
// A batch is three statements (docs/architecture.md, "Archiving"):
//   1. pick: lock up to batch_size of the oldest published posts older than
//      older_than, FOR UPDATE SKIP LOCKED (a post a writer holds is left for later);
//   2. check: lock their comments FOR UPDATE SKIP LOCKED and the users the move
//      refers to (creators, comment authors) FOR KEY SHARE SKIP LOCKED; a post
//      with a comment or a user that could not be locked stays live;
//   3. move: one statement of four data-modifying CTEs deletes the posts and
//      their comments and inserts them into the archive, so the batch is
//      atomic by construction, and counts what it moved. It runs with
//      session_replication_role = replica, so that no per-row trigger fires
//      (see q_move: every foreign key holds by construction, and 1-2 took the
//      locks the foreign-key checks would have taken).
// CALL archive_old_posts yields to the application: after a batch, while
// another session is running a statement, it pauses so that its batches take
// at most creator_platform.archive_duty_cycle of the time.
// The batch waits for no row lock (every row it writes is locked in 1-2 or is
// new), so it can neither deadlock with writers nor keep them waiting for more
// than its own few statements; anything else (a table lock) it waits for at
// most lock_timeout, 1 s unless the session sets one. The move runs in an
// InternalWrite scope: the counter and threading triggers of comments leave
// the counters alone (they move as they are) and write no events.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "pg/boundary.hpp"
#include "pg/internal_write.hpp"
#include "pg/module.hpp"
#include "pg/spi.hpp"
#include "pg/trigger_support.hpp"

extern "C" {
#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "storage/latch.h"
#include "storage/proc.h"
#include "tcop/utility.h"
#include "utils/array.h"
#include "utils/backend_status.h"
#include "utils/guc.h"
#include "utils/timestamp.h"
#include "utils/wait_event.h"
}

namespace {

using cp::core::Error;
using cp::pg::Uuid;
namespace state = cp::core::sqlstate;

constexpr int64_t kMaxBatchSize = 100000;
// lock_timeout of a batch when the session has none (0): 1 s.
constexpr const char *kDefaultLockTimeout = "1000";
// The session-level advisory lock that lets one archive_old_posts run at a
// time: key 7165331879282042998, the bytes of 'cp_archv' (pg_locks: locktype
// advisory, classid 1668308833, objid 1919117430, objsubid 1).
constexpr int64_t kRunLockKey = INT64CONST(7165331879282042998);

// ---- arguments ----------------------------------------------------------------

struct BatchArgs {
	Datum older_than; // timestamptz
	int64_t batch_size;
};

BatchArgs batch_args(FunctionCallInfo fcinfo, const char *function) {
	if (PG_ARGISNULL(0))
		throw Error(state::invalid_parameter_value, "older_than must not be NULL",
		            std::string(function) + " moves the published posts with published_at < older_than");
	if (PG_ARGISNULL(1)) throw Error(state::invalid_parameter_value, "batch_size must not be NULL");
	const int32 batch_size = PG_GETARG_INT32(1);
	if (batch_size < 1 || batch_size > kMaxBatchSize)
		throw Error(state::invalid_parameter_value, "batch_size " + std::to_string(batch_size) + " is out of range",
		            "batch_size is between 1 and " + std::to_string(kMaxBatchSize) + ".");
	return {PG_GETARG_DATUM(0), batch_size};
}

// ---- one batch ----------------------------------------------------------------

// 1. The oldest published posts older than $1, at most $2 of them, not in $3
// (the posts an archive_old_posts run already found busy), locked; the ones
// another transaction holds are skipped. posts_published_idx read backwards.
cp::pg::Statement q_pick{
    "SELECT pg_catalog.array_agg(b.id), pg_catalog.count(*) "
    "FROM (SELECT p.id FROM creator_platform.posts p "
    "       WHERE p.status OPERATOR(pg_catalog.=) 'published'::creator_platform.post_status "
    "         AND p.published_at OPERATOR(pg_catalog.<) $1 "
    "         AND NOT (p.id OPERATOR(pg_catalog.=) ANY ($3)) "
    "       ORDER BY p.published_at, p.id "
    "       LIMIT $2 "
    "         FOR UPDATE SKIP LOCKED) b",
    3,
    {TIMESTAMPTZOID, INT8OID, UUIDARRAYOID}};

// 2. Of the posts $1 (locked by 1), those whose every comment, creator and
// comment author this transaction could lock: comments FOR UPDATE (they are
// moved), users FOR KEY SHARE (the lock the archive's foreign keys take),
// both SKIP LOCKED. A post whose comment is being written or deleted, or
// whose creator or a comment's author is being deleted, stays live.
// Comments are counted in this statement's snapshot, taken after the posts
// were locked: a new comment commits only after locking its post, so these
// are all the comments the move will meet. The comments are locked post by
// post through comments_thread_idx (a LATERAL probe per post): locking them
// with one `post_id = ANY ($1)` scan let the planner pick a sequential scan
// of comments for every batch.
cp::pg::Statement q_check{
    "WITH locked_comments AS ("
    "  SELECT l.post_id, l.user_id FROM pg_catalog.unnest($1) AS b(id) "
    "   CROSS JOIN LATERAL (SELECT c.post_id, c.user_id FROM creator_platform.comments c "
    "                        WHERE c.post_id OPERATOR(pg_catalog.=) b.id "
    "                          FOR UPDATE SKIP LOCKED) l"
    "), present AS ("
    "  SELECT c.post_id, pg_catalog.count(*) AS n FROM creator_platform.comments c "
    "   WHERE c.post_id OPERATOR(pg_catalog.=) ANY ($1) GROUP BY c.post_id"
    "), locked_counts AS ("
    "  SELECT lc.post_id, pg_catalog.count(*) AS n FROM locked_comments lc GROUP BY lc.post_id"
    "), locked_users AS ("
    "  SELECT u.id FROM creator_platform.users u "
    "   WHERE u.id OPERATOR(pg_catalog.=) ANY (ARRAY("
    "           SELECT lc.user_id FROM locked_comments lc WHERE lc.user_id IS NOT NULL "
    "           UNION SELECT p.creator_id FROM creator_platform.posts p "
    "                  WHERE p.id OPERATOR(pg_catalog.=) ANY ($1))) "
    "     FOR KEY SHARE SKIP LOCKED"
    "), busy AS ("
    "  SELECT pr.post_id FROM present pr "
    "    LEFT JOIN locked_counts l ON l.post_id OPERATOR(pg_catalog.=) pr.post_id "
    "   WHERE COALESCE(l.n, 0) OPERATOR(pg_catalog.<>) pr.n "
    "  UNION "
    "  SELECT lc.post_id FROM locked_comments lc "
    "    LEFT JOIN locked_users lu ON lu.id OPERATOR(pg_catalog.=) lc.user_id "
    "   WHERE lc.user_id IS NOT NULL AND lu.id IS NULL "
    "  UNION "
    "  SELECT p.id FROM creator_platform.posts p "
    "    LEFT JOIN locked_users lu ON lu.id OPERATOR(pg_catalog.=) p.creator_id "
    "   WHERE p.id OPERATOR(pg_catalog.=) ANY ($1) AND lu.id IS NULL"
    ") "
    "SELECT pg_catalog.array_agg(b.id) FROM pg_catalog.unnest($1) AS b(id) "
    " WHERE NOT EXISTS (SELECT FROM busy x WHERE x.post_id OPERATOR(pg_catalog.=) b.id)",
    1,
    {UUIDARRAYOID}};

// 3. The move. One statement deletes the posts and their comments and
// inserts both into the archive. It runs with session_replication_role =
// replica: no per-row trigger fires, the foreign keys' checks and cascades
// included (ALWAYS triggers excepted; the extension has none). Each of them
// holds by construction instead, and test/pgtap/300_archive.sql fails on a
// foreign key this list does not know:
//   comments_archive.post_id -> posts_archive: a post moves with every comment
//     on it (the check counted them under the post's lock, which every
//     comment insert takes);
//   comments_archive.parent_comment_id -> comments_archive: a reply's parent
//     is on the same post (23514 otherwise), so it moves in the same statement;
//   posts_archive.creator_id, comments_archive.user_id -> users: the check
//     locked every one of these users FOR KEY SHARE, the lock the foreign-key
//     check takes, so none can be deleted before this transaction ends;
//   the cascades of posts -> comments and comments -> replies would find
//     nothing: every comment of the posts is deleted by the same statement.
// Without the triggers, the move costs what the statement with no checks at
// all costs (bench/archive.sh, side R), and the counter triggers of comments
// (which leave moved rows alone in an InternalWrite scope anyway) collect no
// transition tables.
cp::pg::Statement q_move{
    "WITH moved_posts AS ("
    "  DELETE FROM creator_platform.posts p WHERE p.id OPERATOR(pg_catalog.=) ANY ($1) "
    "  RETURNING p.id, p.creator_id, p.title, p.content, p.status, p.visibility, p.published_at, "
    "            p.created_at, p.updated_at, p.comment_count"
    "), moved_comments AS ("
    "  DELETE FROM creator_platform.comments c WHERE c.post_id OPERATOR(pg_catalog.=) ANY ($1) "
    "  RETURNING c.id, c.post_id, c.user_id, c.parent_comment_id, c.content, c.created_at, c.depth, "
    "            c.reply_count, c.deleted_at, c.path"
    "), archived_posts AS ("
    "  INSERT INTO creator_platform.posts_archive AS a (id, creator_id, title, content, status, visibility, "
    "         published_at, created_at, updated_at, comment_count, archived_at) "
    "  SELECT m.id, m.creator_id, m.title, m.content, m.status, m.visibility, m.published_at, m.created_at, "
    "         m.updated_at, m.comment_count, pg_catalog.now() FROM moved_posts m "
    "  RETURNING a.id"
    "), archived_comments AS ("
    "  INSERT INTO creator_platform.comments_archive AS a (id, post_id, user_id, parent_comment_id, content, "
    "         created_at, depth, reply_count, deleted_at, path, archived_at) "
    "  SELECT m.id, m.post_id, m.user_id, m.parent_comment_id, m.content, m.created_at, m.depth, m.reply_count, "
    "         m.deleted_at, m.path, pg_catalog.now() FROM moved_comments m "
    "  RETURNING a.id"
    ") "
    "SELECT (SELECT pg_catalog.count(*) FROM archived_posts), (SELECT pg_catalog.count(*) FROM archived_comments)",
    1,
    {UUIDARRAYOID}};

struct BatchResult {
	int64_t candidates = 0; // posts locked by the pick
	int64_t posts = 0;      // posts moved
	int64_t comments = 0;   // comments moved
	std::vector<Uuid> busy; // picked, but left live (a comment or user was busy)
};

std::vector<Uuid> uuids_of(Datum array) {
	std::vector<Uuid> out;
	Datum *elems = nullptr;
	bool *nulls = nullptr;
	int n = 0;
	cp::pg::guard_void([&] {
		ArrayType *a = DatumGetArrayTypeP(array);
		deconstruct_array(a, UUIDOID, UUID_LEN, false, TYPALIGN_CHAR, &elems, &nulls, &n);
	});
	out.reserve(n);
	for (int i = 0; i < n; ++i)
		if (!nulls[i]) out.push_back(cp::pg::uuid_value(elems[i]));
	return out;
}

// One batch in the current transaction, inside a SpiScope. `skip`: posts not
// to pick (archive_old_posts: the ones found busy earlier in the run).
BatchResult run_batch(const BatchArgs &args, const std::vector<Uuid> &skip) {
	BatchResult r;
	// lock_timeout for the batch: the session's, or 1 s if it has none;
	// restored when the batch is done (on an error, by the abort)
	const int nest = cp::pg::guard([] {
		int level = NewGUCNestLevel();
		if (LockTimeout == 0)
			(void)set_config_option("lock_timeout", kDefaultLockTimeout, PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE,
			                        true, 0, false);
		return level;
	});

	bool isnull;
	Datum pick_args[3] = {args.older_than, Int64GetDatum(args.batch_size), cp::pg::uuid_array(skip)};
	cp::pg::execute(q_pick, pick_args, nullptr, false);
	Datum picked = cp::pg::result_value(0, 1, &isnull);
	r.candidates = DatumGetInt64(cp::pg::result_value(0, 2, &isnull));
	if (r.candidates > 0) {
		cp::pg::execute(q_check, &picked, nullptr, false);
		Datum movable = cp::pg::result_value(0, 1, &isnull);
		std::vector<Uuid> moving;
		if (!isnull) {
			moving = uuids_of(movable);
			cp::pg::InternalWrite internal;
			// The move runs with session_replication_role = replica: no
			// per-row trigger fires, the foreign keys' included (see the
			// comment at q_move for why every one of them holds by
			// construction); restored right after, and by the abort on an
			// error.
			const int role_nest = cp::pg::guard([] {
				int level = NewGUCNestLevel();
				(void)set_config_option("session_replication_role", "replica", PGC_SUSET, PGC_S_SESSION,
				                        GUC_ACTION_SAVE, true, 0, false);
				return level;
			});
			cp::pg::execute(q_move, &movable, nullptr, false);
			r.posts = DatumGetInt64(cp::pg::result_value(0, 1, &isnull));
			r.comments = DatumGetInt64(cp::pg::result_value(0, 2, &isnull));
			cp::pg::guard_void([role_nest] { AtEOXact_GUC(true, role_nest); });
		}
		if (static_cast<int64_t>(moving.size()) < r.candidates) {
			std::vector<Uuid> all = uuids_of(picked);
			std::sort(moving.begin(), moving.end());
			for (const Uuid &id : all)
				if (!std::binary_search(moving.begin(), moving.end(), id)) r.busy.push_back(id);
		}
	}
	cp::pg::guard_void([nest] { AtEOXact_GUC(true, nest); });
	return r;
}

// 25006 in a read-only transaction or on a standby, before anything else.
void require_writable(const char *what) {
	cp::pg::guard_void([what] { PreventCommandIfReadOnly(what); });
}

} // namespace

// archive_posts(older_than timestamptz, batch_size int DEFAULT 1000) -> bigint
CP_FUNCTION(cp_archive_posts) {
	const BatchArgs args = batch_args(fcinfo, "archive_posts");
	require_writable("archive_posts()");
	cp::pg::SpiScope spi;
	const BatchResult r = run_batch(args, {});
	return Int64GetDatum(r.posts);
}

// ---- CALL archive_old_posts ---------------------------------------------------

namespace {

bool try_run_lock() {
	return DatumGetBool(
	    cp::pg::guard([] { return DirectFunctionCall1(pg_try_advisory_lock_int8, Int64GetDatum(kRunLockKey)); }));
}

void release_run_lock() noexcept {
	try {
		cp::pg::guard_void([] { (void)DirectFunctionCall1(pg_advisory_unlock_int8, Int64GetDatum(kRunLockKey)); });
	} catch (...) {
		// the lock goes with the session anyway
	}
}

// ---- yielding to the application ------------------------------------------------
//
// archive_old_posts shares the machine with the application. After each batch
// (committed: it holds no lock then) it looks whether another client session
// is busy (running a statement, or just done with one); if one is, it pauses so that its own batches take
// at most creator_platform.archive_duty_cycle of the wall time, as
// autovacuum's cost delay does, but only while there is work to yield to: at
// night, with nobody else busy, it never pauses.

constexpr long kMaxPauseMs = 10000;
// A client backend that ended a statement less than this ago (now idle, or
// idle in a transaction) is busy too: between two statements of a busy client
// there is only a round trip.
constexpr long kRecentMs = 50;

// Whether another client backend is busy: running a statement now
// (pg_stat_activity's state 'active' or 'fastpath function call') or having
// ended one within kRecentMs. One look at the backend status array (it needs
// track_activities, on by default); background workers, autovacuum and WAL
// senders do not count.
bool others_busy() {
	return cp::pg::guard([] {
		pgstat_clear_backend_activity_snapshot(); // a fresh look every time
		const TimestampTz recent = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), -kRecentMs);
		const int n = pgstat_fetch_stat_numbackends();
		for (int i = 1; i <= n; ++i) {
			LocalPgBackendStatus *l = pgstat_fetch_stat_local_beentry(i);
			if (l == nullptr) continue;
			const PgBackendStatus &b = l->backendStatus;
			if (b.st_procpid == MyProcPid || b.st_backendType != B_BACKEND) continue;
			if (b.st_state == STATE_RUNNING || b.st_state == STATE_FASTPATH) return true;
			if ((b.st_state == STATE_IDLE || b.st_state == STATE_IDLEINTRANSACTION) &&
			    b.st_state_start_timestamp >= recent)
				return true;
		}
		return false;
	});
}

// Sleeps ms milliseconds, or less if the session is cancelled (the
// interrupt is raised here).
void sleep_ms(long ms) {
	cp::pg::guard_void([ms] {
		const TimestampTz until = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), ms);
		for (;;) {
			CHECK_FOR_INTERRUPTS();
			const long left = TimestampDifferenceMilliseconds(GetCurrentTimestamp(), until);
			if (left <= 0) return;
			(void)WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, left, PG_WAIT_EXTENSION);
			ResetLatch(MyLatch);
		}
	});
}

// After a batch that took busy_ms: the pause it owes (0 when no other session
// is busy, or the duty cycle is 1), taken; returns the milliseconds paused.
long yield_after_batch(long busy_ms) {
	const double share = cp::pg::g_archive_duty_cycle;
	if (share >= 1.0 || busy_ms <= 0) return 0;
	if (!others_busy()) return 0;
	const double owed = static_cast<double>(busy_ms) * (1.0 / share - 1.0);
	const long pause = std::min(kMaxPauseMs, static_cast<long>(owed));
	sleep_ms(pause);
	return pause;
}

long ms_since(TimestampTz start) {
	return cp::pg::guard([start] { return TimestampDifferenceMilliseconds(start, GetCurrentTimestamp()); });
}

void notice(const std::string &message, const std::string &detail = {}) {
	cp::pg::guard_void([&] {
		ereport(NOTICE, (errmsg_internal("%s", message.c_str()),
		                 detail.empty() ? 0 : errdetail_internal("%s", detail.c_str())));
	});
}

} // namespace

CP_FUNCTION(cp_archive_old_posts) {
	const BatchArgs args = batch_args(fcinfo, "archive_old_posts");
	require_writable("archive_old_posts()");
	// A procedure commits only when called by a CALL that is not inside a
	// transaction block (or a procedure called that way).
	const bool nonatomic = fcinfo->context != nullptr && IsA(fcinfo->context, CallContext) &&
	                       !castNode(CallContext, fcinfo->context)->atomic;
	if (!nonatomic)
		throw Error("25001", "archive_old_posts cannot run inside a transaction block",
		            "it commits after every batch",
		            "CALL it on its own, or call creator_platform.archive_posts() for one batch in a transaction");
	if (!try_run_lock()) {
		notice("archive_old_posts is already running in another session: nothing to do",
		       "another session holds the advisory lock " + std::to_string(kRunLockKey) + ".");
		PG_RETURN_VOID();
	}
	try {
		std::vector<Uuid> busy;
		int64_t batches = 0, posts = 0, comments = 0;
		long paused_ms = 0;
		for (;;) {
			cp::pg::guard_void([] { CHECK_FOR_INTERRUPTS(); });
			const TimestampTz batch_start = cp::pg::guard([] { return GetCurrentTimestamp(); });
			BatchResult r;
			{
				// one SPI connection per batch: its memory (results, arrays)
				// goes with it, however many batches the run makes
				cp::pg::SpiScope spi(SPI_OPT_NONATOMIC);
				r = run_batch(args, busy);
				cp::pg::guard_void([] { SPI_commit(); });
			}
			if (r.candidates == 0) break;
			++batches;
			posts += r.posts;
			comments += r.comments;
			busy.insert(busy.end(), r.busy.begin(), r.busy.end());
			std::sort(busy.begin(), busy.end());
			std::string line = "archive_old_posts: batch " + std::to_string(batches) + ": " +
			                   std::to_string(r.posts) + " posts and " + std::to_string(r.comments) +
			                   " comments archived, " + std::to_string(posts) + " posts and " +
			                   std::to_string(comments) + " comments so far";
			notice(line, r.busy.empty() ? std::string()
			                            : std::to_string(r.busy.size()) +
			                                  " posts were busy (a writer held them, their comments or their "
			                                  "users) and stay live until a later run.");
			paused_ms += yield_after_batch(ms_since(batch_start));
		}
		std::string detail;
		if (!busy.empty()) detail = std::to_string(busy.size()) + " busy posts stay live until a later run.";
		if (paused_ms > 0) {
			char secs[32];
			snprintf(secs, sizeof secs, "%.1f", static_cast<double>(paused_ms) / 1000.0);
			detail += std::string(detail.empty() ? "" : " ") + "Paused " + secs +
			          " s in all for other sessions' statements (creator_platform.archive_duty_cycle).";
		}
		notice("archive_old_posts: done: " + std::to_string(posts) + " posts and " + std::to_string(comments) +
		           " comments archived in " + std::to_string(batches) + (batches == 1 ? " batch" : " batches"),
		       detail);
	} catch (...) {
		release_run_lock();
		throw;
	}
	release_run_lock();
	PG_RETURN_VOID();
}

// ---- restore_post ---------------------------------------------------------------

namespace {

cp::pg::Statement q_archived_post{
    "SELECT a.creator_id, a.published_at FROM creator_platform.posts_archive a WHERE a.id OPERATOR(pg_catalog.=) $1",
    1,
    {UUIDOID}};
cp::pg::Statement q_live_post{"SELECT 1 FROM creator_platform.posts p WHERE p.id OPERATOR(pg_catalog.=) $1", 1, {UUIDOID}};
// The users the restored rows refer to first, in id order (the lock a user's
// deletion conflicts with, taken before the archive's rows, which that
// deletion locks after the user): no deadlock with deleting them.
cp::pg::Statement q_lock_users{
    "SELECT u.id FROM creator_platform.users u "
    " WHERE u.id OPERATOR(pg_catalog.=) $2 "
    "    OR u.id OPERATOR(pg_catalog.=) ANY (ARRAY(SELECT c.user_id FROM creator_platform.comments_archive c "
    "                                              WHERE c.post_id OPERATOR(pg_catalog.=) $1)) "
    " ORDER BY u.id FOR KEY SHARE",
    2,
    {UUIDOID, UUIDOID}};
cp::pg::Statement q_lock_archived{
    "SELECT 1 FROM creator_platform.posts_archive a WHERE a.id OPERATOR(pg_catalog.=) $1 FOR UPDATE", 1, {UUIDOID}};
cp::pg::Statement q_restore_post{
    "INSERT INTO creator_platform.posts (id, creator_id, title, content, status, visibility, published_at, "
    "       created_at, updated_at, comment_count) "
    "SELECT a.id, a.creator_id, a.title, a.content, a.status, a.visibility, a.published_at, a.created_at, "
    "       a.updated_at, a.comment_count FROM creator_platform.posts_archive a "
    " WHERE a.id OPERATOR(pg_catalog.=) $1",
    1,
    {UUIDOID}};
cp::pg::Statement q_restore_comments{
    "WITH moved AS ("
    "  DELETE FROM creator_platform.comments_archive c WHERE c.post_id OPERATOR(pg_catalog.=) $1 "
    "  RETURNING c.id, c.post_id, c.user_id, c.parent_comment_id, c.content, c.created_at, c.depth, "
    "            c.reply_count, c.deleted_at, c.path"
    ") "
    "INSERT INTO creator_platform.comments (id, post_id, user_id, parent_comment_id, content, created_at, depth, "
    "       reply_count, deleted_at, path) "
    "SELECT m.id, m.post_id, m.user_id, m.parent_comment_id, m.content, m.created_at, m.depth, m.reply_count, "
    "       m.deleted_at, m.path FROM moved m",
    1,
    {UUIDOID}};
cp::pg::Statement q_drop_archived{
    "DELETE FROM creator_platform.posts_archive a WHERE a.id OPERATOR(pg_catalog.=) $1", 1, {UUIDOID}};
// posts_lifecycle_insert gives a post inserted as published with a future
// published_at the time now(); a restored post keeps its own.
cp::pg::Statement q_keep_published_at{
    "UPDATE creator_platform.posts p SET published_at = $2 "
    " WHERE p.id OPERATOR(pg_catalog.=) $1 AND p.published_at OPERATOR(pg_catalog.<>) $2",
    2,
    {UUIDOID, TIMESTAMPTZOID}};
cp::pg::Statement q_restored_row{
    "SELECT p FROM creator_platform.posts p WHERE p.id OPERATOR(pg_catalog.=) $1", 1, {UUIDOID}};

} // namespace

// restore_post(post_id uuid) -> posts
CP_FUNCTION(cp_restore_post) {
	if (PG_ARGISNULL(0)) throw Error(state::invalid_parameter_value, "post_id must not be NULL");
	require_writable("restore_post()");
	const Datum post_arg = PG_GETARG_DATUM(0);
	const Uuid post_id = cp::pg::uuid_value(post_arg);
	const std::string post_text = cp::pg::to_string(post_id);
	cp::pg::SpiScope spi;
	bool isnull;

	auto not_archived = [&]() -> Error {
		if (cp::pg::execute(q_live_post, &post_arg, nullptr, false, 1) > 0)
			return Error(state::invalid_parameter_value, "post " + post_text + " is not archived", "it is live");
		return Error(state::invalid_parameter_value, "post " + post_text + " is not archived",
		             "no post, live or archived, has this id");
	};
	if (cp::pg::execute(q_archived_post, &post_arg, nullptr, false, 1) == 0) throw not_archived();
	const Datum creator = cp::pg::result_value(0, 1, &isnull);
	const Datum published_at = cp::pg::result_value(0, 2, &isnull);
	Datum lock_args[2] = {post_arg, creator};
	cp::pg::execute(q_lock_users, lock_args, nullptr, false);
	// restored (or deleted with its creator) by another transaction meanwhile
	if (cp::pg::execute(q_lock_archived, &post_arg, nullptr, false) == 0) throw not_archived();

	{
		cp::pg::InternalWrite internal;
		cp::pg::execute(q_restore_post, &post_arg, nullptr, false);
		cp::pg::execute(q_restore_comments, &post_arg, nullptr, false);
		cp::pg::execute(q_drop_archived, &post_arg, nullptr, false);
		Datum keep_args[2] = {post_arg, published_at};
		cp::pg::execute(q_keep_published_at, keep_args, nullptr, false);
	}
	if (cp::pg::execute(q_restored_row, &post_arg, nullptr, false, 1) != 1)
		throw Error(state::internal_error, "restored post " + post_text + " is not in posts");
	const Datum row = cp::pg::result_value(0, 1, &isnull);
	// the composite value outlives SPI_finish in the caller's memory context
	return cp::pg::guard([row] { return SPI_datumTransfer(row, false, -1); });
}

// ---- read-only archive ----------------------------------------------------------

// BEFORE INSERT OR UPDATE OR DELETE FOR EACH ROW and BEFORE TRUNCATE on
// posts_archive and comments_archive: 55000 unless the extension's own
// archiving, restoring or user deletion is writing (an InternalWrite scope).
CP_FUNCTION(cp_archive_read_only) {
	if (!CALLED_AS_TRIGGER(fcinfo)) throw Error("39P01", "archive_read_only() must be called as a trigger");
	auto *td = reinterpret_cast<TriggerData *>(fcinfo->context);
	if (!TRIGGER_FIRED_BEFORE(td->tg_event))
		throw Error("39P01", "archive_read_only() must fire BEFORE INSERT, UPDATE, DELETE or TRUNCATE");
	const bool row = TRIGGER_FIRED_FOR_ROW(td->tg_event);
	if (cp::pg::InternalWrite::active()) {
		if (!row) return PointerGetDatum(nullptr);
		return PointerGetDatum(TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? td->tg_newtuple : td->tg_trigtuple);
	}
	const std::string table = RelationGetRelationName(td->tg_relation);
	const bool comments = table == "comments_archive";
	const char *restore_hint = comments ? "restore its post with creator_platform.restore_post() first"
	                                    : "restore it with creator_platform.restore_post() first";
	if (TRIGGER_FIRED_BY_TRUNCATE(td->tg_event))
		throw Error(state::object_not_in_prerequisite_state,
		            "cannot truncate creator_platform." + table + ": archived rows are read-only",
		            "archived posts and comments leave the archive only through creator_platform.restore_post()");
	if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
		throw Error(state::object_not_in_prerequisite_state,
		            "cannot insert into creator_platform." + table + ": rows enter the archive only by archiving",
		            {}, "archive posts with creator_platform.archive_posts() or CALL creator_platform.archive_old_posts()");
	TupleDesc desc = RelationGetDescr(td->tg_relation);
	const int id_col = cp::pg::column_number(desc, "id");
	bool isnull;
	Datum id = heap_getattr(td->tg_trigtuple, id_col, desc, &isnull);
	const std::string what = std::string(comments ? "archived comment " : "archived post ") +
	                         (isnull ? std::string("(no id)") : cp::pg::to_string(cp::pg::uuid_value(id)));
	throw Error(state::object_not_in_prerequisite_state,
	            what + " is read-only" + (TRIGGER_FIRED_BY_DELETE(td->tg_event) ? ": it cannot be deleted" : ""),
	            "archived posts and comments change only through creator_platform.restore_post()", restore_hint);
}

// ---- deleting a user: their archived posts and comments -------------------------

namespace {

cp::pg::Statement q_forget_posts{
    "DELETE FROM creator_platform.posts_archive p WHERE p.creator_id OPERATOR(pg_catalog.=) $1", 1, {UUIDOID}};
cp::pg::Statement q_forget_counts{
    "UPDATE creator_platform.posts_archive p SET comment_count = p.comment_count OPERATOR(pg_catalog.-) d.n "
    "  FROM (SELECT c.post_id, pg_catalog.count(*)::pg_catalog.int4 AS n FROM creator_platform.comments_archive c "
    "         WHERE c.user_id OPERATOR(pg_catalog.=) $1 AND c.deleted_at IS NULL GROUP BY c.post_id) d "
    " WHERE p.id OPERATOR(pg_catalog.=) d.post_id",
    1,
    {UUIDOID}};
cp::pg::Statement q_forget_comments{
    "UPDATE creator_platform.comments_archive c "
    "   SET content = '', deleted_at = COALESCE(c.deleted_at, pg_catalog.now()), user_id = NULL "
    " WHERE c.user_id OPERATOR(pg_catalog.=) $1",
    1,
    {UUIDOID}};

} // namespace

// BEFORE DELETE FOR EACH ROW on users: the user's archived posts go (with every
// comment on them, by the foreign key's cascade); their archived comments on
// others' archived posts become anonymous placeholders, and those posts'
// comment_count follows (docs/deletion.md). The archive's own foreign-key
// actions (ON DELETE CASCADE / SET NULL) then find nothing left to do.
CP_FUNCTION(cp_users_before_delete_archive) {
	TriggerData *td = cp::pg::expect_trigger(fcinfo, "users_before_delete_archive", cp::pg::When::Before,
	                                         cp::pg::Level::Row, TRIGGER_EVENT_DELETE);
	HeapTuple old = td->tg_trigtuple;
	TupleDesc desc = RelationGetDescr(td->tg_relation);
	bool isnull;
	Datum user = heap_getattr(old, cp::pg::column_number(desc, "id"), desc, &isnull);
	if (isnull) return PointerGetDatum(old);
	cp::pg::SpiScope spi;
	cp::pg::InternalWrite internal;
	cp::pg::execute(q_forget_posts, &user, nullptr, false);
	cp::pg::execute(q_forget_counts, &user, nullptr, false);
	cp::pg::execute(q_forget_comments, &user, nullptr, false);
	return PointerGetDatum(old);
}

// _internal_write_active() -> boolean: true while the extension's own code is
// writing (an InternalWrite scope), for the PL/pgSQL triggers that must tell
// such writes from an application's (emit_post_published_inserted).
CP_FUNCTION(cp_internal_write_active) { PG_RETURN_BOOL(cp::pg::InternalWrite::active()); }
