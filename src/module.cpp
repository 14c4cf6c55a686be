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
}

namespace {

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
	MarkGUCPrefixReserved("creator_platform");
	RegisterXactCallback(on_xact_end, nullptr);
}
