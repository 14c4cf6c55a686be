// creator_platform: module entry. GUCs and backend-wide callbacks live here;
// one file per capability lives beside this one.
#include "core/comment_path.hpp"
#include "pg/internal_write.hpp"
#include "pg/module.hpp"
#include "pg/postgres.hpp"

extern "C" {
#include "access/xact.h"
#include "utils/guc.h"

PG_MODULE_MAGIC;
void _PG_init(void);
}

namespace cp::pg {
int g_max_comment_depth = 64;
char *g_archive_after = nullptr;
double g_archive_duty_cycle = 0.1;
}

namespace {

// creator_platform.viewer_id (read through current_setting by the SQL side)
char *g_viewer_id = nullptr;

// creator_platform.archive_after must be a positive interval. A check hook
// may not raise: a parse error is caught and reported as the hook's detail.
bool check_archive_after(char **newval, void **, GucSource) {
	if (*newval == nullptr) return false;
	MemoryContext ctx = CurrentMemoryContext;
	volatile bool ok = false;
	volatile bool positive = false;
	PG_TRY();
	{
		Datum d = DirectFunctionCall3(interval_in, CStringGetDatum(*newval), ObjectIdGetDatum(InvalidOid),
		                              Int32GetDatum(-1));
		Interval zero{};
		positive = DatumGetBool(DirectFunctionCall2(interval_gt, d, IntervalPGetDatum(&zero)));
		ok = true;
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(ctx);
		FlushErrorState();
	}
	PG_END_TRY();
	if (!ok) {
		GUC_check_errdetail("\"%s\" is not an interval.", *newval);
		return false;
	}
	if (!positive) {
		GUC_check_errdetail("The retention must be longer than zero, not \"%s\".", *newval);
		return false;
	}
	return true;
}

// creator_platform.viewer_id must be empty (no viewer) or a uuid, so that a
// typo fails at SET instead of silently showing an anonymous view. A check
// hook may not raise: a parse error is caught and reported as the detail.
bool check_viewer_id(char **newval, void **, GucSource) {
	if (*newval == nullptr || **newval == '\0') return true;
	MemoryContext ctx = CurrentMemoryContext;
	volatile bool ok = false;
	PG_TRY();
	{
		(void)DirectFunctionCall1(uuid_in, CStringGetDatum(*newval));
		ok = true;
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(ctx);
		FlushErrorState();
	}
	PG_END_TRY();
	if (!ok) {
		GUC_check_errdetail("\"%s\" is not a uuid.", *newval);
		return false;
	}
	return true;
}

void on_xact_end(XactEvent event, void *) {
	switch (event) {
	case XACT_EVENT_COMMIT:
	case XACT_EVENT_ABORT:
	case XACT_EVENT_PARALLEL_COMMIT:
	case XACT_EVENT_PARALLEL_ABORT:
	case XACT_EVENT_PREPARE:
		cp::pg::InternalWrite::reset();
		break;
	default:
		break;
	}
}

} // namespace

void _PG_init(void) {
	DefineCustomIntVariable("creator_platform.max_comment_depth",
	                        "Deepest reply allowed: a comment's depth (0 at top level) may not exceed it.",
	                        "Replies deeper than this raise SQLSTATE 54000. At most 100, so that a "
	                        "comment's materialized path always fits an index entry.",
	                        &cp::pg::g_max_comment_depth, 64, 0, cp::core::path::kMaxDepthLimit, PGC_USERSET, 0,
	                        nullptr, nullptr, nullptr);
	DefineCustomStringVariable("creator_platform.archive_after",
	                           "How old a published post must be for the nightly archiving job to archive it.",
	                           "An interval, longer than zero; the job archives posts published before "
	                           "now() minus this (creator_platform.archive_cutoff()).",
	                           &cp::pg::g_archive_after, "2 years", PGC_SUSET, 0, check_archive_after, nullptr,
	                           nullptr);
	DefineCustomRealVariable("creator_platform.archive_duty_cycle",
	                         "Share of wall time CALL archive_old_posts works while other sessions are busy.",
	                         "After each batch, if another client session is running a statement, "
	                         "archive_old_posts pauses so that its batches take at most this share of the "
	                         "time (a pause of at most 10 s); with no other session busy it never pauses. "
	                         "1 turns the pauses off.",
	                         &cp::pg::g_archive_duty_cycle, 0.1, 0.01, 1.0, PGC_USERSET, 0, nullptr, nullptr,
	                         nullptr);
	// Read by the row-level security policies (creator_platform.viewer_id());
	// set per transaction (SET LOCAL), which works through a transaction pooler.
	DefineCustomStringVariable("creator_platform.viewer_id",
	                           "The user the row-level security policies show rows to (empty: nobody in particular).",
	                           "A users.id, or empty. Set it per transaction with SET LOCAL or set_config(..., true); "
	                           "it only matters after creator_platform.enable_row_security().",
	                           &g_viewer_id, "", PGC_USERSET, 0, check_viewer_id, nullptr, nullptr);
	MarkGUCPrefixReserved("creator_platform");
	RegisterXactCallback(on_xact_end, nullptr);
}
