// Counter reconciliation: reconcile_counters(repair boolean DEFAULT true).
//
// Recomputes every stored counter from the rows it counts (API.md "Counters"),
// in the live and the archive tables:
//
//   comments.reply_count          direct replies present, placeholders included
//   posts.comment_count           comments with deleted_at IS NULL
//   comments_archive.reply_count  the same, among archived comments
//   posts_archive.comment_count   the same, for archived posts
//
// returns one row per counter that disagrees, and with repair sets it to the
// counted value. A repair is not an edit: it runs in an InternalWrite scope,
// so the guard triggers let the counter change and updated_at stays as it was.
//
// Concurrency. The full scan that finds drifted rows takes no lock. Each
// drifted row is then locked (FOR NO KEY UPDATE, in id order, comments before
// posts: the order of the counter triggers), and counted again by a new
// statement, so with a new snapshot: a writer that changed the row's counter
// has committed by then and its rows are counted, a writer that has not yet
// reached the counter will add its delta to the repaired value. A row that is
// exact by the time it is locked is not reported.
//
// Every run is recorded in maintenance_log (job 'reconcile_counters') with its
// drift, for the health view; in a read-only transaction (a standby) a run
// with repair = false is not recorded, and repair = true raises 25006.
#include <array>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "pg/boundary.hpp"
#include "pg/internal_write.hpp"
#include "pg/spi.hpp"
#include "pg/trigger_support.hpp"

extern "C" {
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "tcop/utility.h"
#include "utils/jsonb.h"
#include "utils/tuplestore.h"
}

namespace {

using cp::core::Error;
using cp::pg::Uuid;

struct Counter {
	const char *table;
	const char *column;
	cp::pg::Statement report; // (): id, stored, actual of every drifted row, by id
	cp::pg::Statement lock;   // ($1 uuid[]): lock the rows in id order
	cp::pg::Statement repair; // ($1 uuid[]): count again, fix; id, stored, actual of the rows fixed, by id
};

#define CP_REPLY_COUNT(T)                                                                                         \
	{"comments" T, "reply_count",                                                                               \
	 {"SELECT c.id, c.reply_count, pg_catalog.int4(COALESCE(n.n, 0)) FROM creator_platform.comments" T " c "    \
	  "LEFT JOIN (SELECT r.parent_comment_id, pg_catalog.count(*) AS n FROM creator_platform.comments" T " r "  \
	  "WHERE r.parent_comment_id IS NOT NULL GROUP BY r.parent_comment_id) n "                                  \
	  "ON n.parent_comment_id OPERATOR(pg_catalog.=) c.id "                                                     \
	  "WHERE c.reply_count OPERATOR(pg_catalog.<>) COALESCE(n.n, 0) ORDER BY c.id",                             \
	  0,                                                                                                        \
	  {}},                                                                                                      \
	 {"SELECT 1 FROM creator_platform.comments" T " c WHERE c.id OPERATOR(pg_catalog.=) ANY ($1) ORDER BY c.id " \
	  "FOR NO KEY UPDATE",                                                                                      \
	  1,                                                                                                        \
	  {UUIDARRAYOID}},                                                                                          \
	 {"WITH a AS (SELECT c.id, c.reply_count AS stored, pg_catalog.int4((SELECT pg_catalog.count(*) "          \
	  "FROM creator_platform.comments" T " r WHERE r.parent_comment_id OPERATOR(pg_catalog.=) c.id)) AS actual " \
	  "FROM creator_platform.comments" T " c WHERE c.id OPERATOR(pg_catalog.=) ANY ($1)), "                     \
	  "u AS (UPDATE creator_platform.comments" T " c SET reply_count = a.actual FROM a "                        \
	  "WHERE c.id OPERATOR(pg_catalog.=) a.id AND a.stored OPERATOR(pg_catalog.<>) a.actual RETURNING c.id) "   \
	  "SELECT a.id, a.stored, a.actual FROM a JOIN u ON u.id OPERATOR(pg_catalog.=) a.id ORDER BY a.id",       \
	  1,                                                                                                        \
	  {UUIDARRAYOID}}}

#define CP_COMMENT_COUNT(T)                                                                                        \
	{"posts" T, "comment_count",                                                                                 \
	 {"SELECT p.id, p.comment_count, pg_catalog.int4(COALESCE(n.n, 0)) FROM creator_platform.posts" T " p "      \
	  "LEFT JOIN (SELECT c.post_id, pg_catalog.count(*) AS n FROM creator_platform.comments" T " c "             \
	  "WHERE c.deleted_at IS NULL GROUP BY c.post_id) n ON n.post_id OPERATOR(pg_catalog.=) p.id "               \
	  "WHERE p.comment_count OPERATOR(pg_catalog.<>) COALESCE(n.n, 0) ORDER BY p.id",                            \
	  0,                                                                                                         \
	  {}},                                                                                                       \
	 {"SELECT 1 FROM creator_platform.posts" T " p WHERE p.id OPERATOR(pg_catalog.=) ANY ($1) ORDER BY p.id "     \
	  "FOR NO KEY UPDATE",                                                                                       \
	  1,                                                                                                         \
	  {UUIDARRAYOID}},                                                                                           \
	 {"WITH a AS (SELECT p.id, p.comment_count AS stored, pg_catalog.int4((SELECT pg_catalog.count(*) "         \
	  "FROM creator_platform.comments" T " c WHERE c.post_id OPERATOR(pg_catalog.=) p.id "                       \
	  "AND c.deleted_at IS NULL)) AS actual "                                                                    \
	  "FROM creator_platform.posts" T " p WHERE p.id OPERATOR(pg_catalog.=) ANY ($1)), "                         \
	  "u AS (UPDATE creator_platform.posts" T " p SET comment_count = a.actual FROM a "                          \
	  "WHERE p.id OPERATOR(pg_catalog.=) a.id AND a.stored OPERATOR(pg_catalog.<>) a.actual RETURNING p.id) "    \
	  "SELECT a.id, a.stored, a.actual FROM a JOIN u ON u.id OPERATOR(pg_catalog.=) a.id ORDER BY a.id",        \
	  1,                                                                                                         \
	  {UUIDARRAYOID}}}

// Comments before posts, live before archive: the lock order of the counter
// triggers (src/comments.cpp), and the order of the rows returned.
std::array<Counter, 4> counters{{CP_REPLY_COUNT(""), CP_COMMENT_COUNT(""), CP_REPLY_COUNT("_archive"),
                                 CP_COMMENT_COUNT("_archive")}};

#undef CP_REPLY_COUNT
#undef CP_COMMENT_COUNT

cp::pg::Statement q_record_run{
    "INSERT INTO creator_platform.maintenance_log AS l (job, last_started_at, last_finished_at, runs, last_result) "
    "VALUES ('reconcile_counters', $1, pg_catalog.clock_timestamp(), 1, $2) "
    "ON CONFLICT (job) DO UPDATE SET last_started_at = excluded.last_started_at, "
    "last_finished_at = excluded.last_finished_at, runs = l.runs OPERATOR(pg_catalog.+) 1, "
    "last_result = excluded.last_result",
    2,
    {TIMESTAMPTZOID, JSONBOID}};

struct Output {
	ReturnSetInfo *rsinfo;
	// Row r of SPI_tuptable (id, stored, actual) as a result row of counter c.
	void put_spi_row(const Counter &c, uint64_t r) {
		cp::pg::guard_void([&] {
			bool isnull;
			Datum values[5];
			bool nulls[5] = {false, false, false, false, false};
			values[0] = CStringGetTextDatum(c.table);
			values[1] = cp::pg::result_value(r, 1, &isnull);
			values[2] = CStringGetTextDatum(c.column);
			values[3] = cp::pg::result_value(r, 2, &isnull);
			values[4] = cp::pg::result_value(r, 3, &isnull);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		});
	}
};

} // namespace

// reconcile_counters(repair boolean DEFAULT true)
//   → TABLE(table_name text, id uuid, column_name text, stored integer, actual integer)
CP_FUNCTION(cp_reconcile_counters) {
	if (PG_ARGISNULL(0))
		throw Error(cp::core::sqlstate::invalid_parameter_value, "repair must not be NULL",
		            "pass true to repair the counters, false to only report them");
	const bool repair = PG_GETARG_BOOL(0);
	if (repair) cp::pg::guard_void([] { PreventCommandIfReadOnly("reconcile_counters(repair => true)"); });
	const TimestampTz started = GetCurrentTimestamp();

	cp::pg::guard_void([&] { InitMaterializedSRF(fcinfo, 0); });
	Output out{reinterpret_cast<ReturnSetInfo *>(fcinfo->resultinfo)};

	cp::pg::SpiScope spi;
	std::string per_counter;
	uint64_t drift = 0;
	for (Counter &c : counters) {
		cp::pg::guard_void([] { CHECK_FOR_INTERRUPTS(); });
		uint64_t n = cp::pg::execute(c.report, nullptr, nullptr, !repair);
		uint64_t found = n;
		if (!repair) {
			for (uint64_t r = 0; r < n; ++r) out.put_spi_row(c, r);
		} else if (n > 0) {
			std::vector<Uuid> ids;
			ids.reserve(n);
			for (uint64_t r = 0; r < n; ++r) {
				bool isnull;
				ids.push_back(cp::pg::uuid_value(cp::pg::result_value(r, 1, &isnull)));
			}
			cp::pg::InternalWrite internal;
			Datum arg = cp::pg::uuid_array(ids);
			cp::pg::execute(c.lock, &arg, nullptr, false);
			found = cp::pg::execute(c.repair, &arg, nullptr, false);
			for (uint64_t r = 0; r < found; ++r) out.put_spi_row(c, r);
		}
		drift += found;
		if (!per_counter.empty()) per_counter += ", ";
		per_counter += "\"" + std::string(c.table) + "." + c.column + "\": " + std::to_string(found);
	}

	if (!XactReadOnly) {
		std::string result = "{\"repair\": " + std::string(repair ? "true" : "false") +
		                     ", \"drift\": " + std::to_string(drift) + ", \"counters\": {" + per_counter + "}}";
		Datum args[2];
		args[0] = TimestampTzGetDatum(started);
		args[1] = cp::pg::guard([&] {
			return DirectFunctionCall1(jsonb_in, CStringGetDatum(result.c_str()));
		});
		cp::pg::execute(q_record_run, args, nullptr, false);
	}
	return PointerGetDatum(nullptr);
}
