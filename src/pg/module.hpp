// Backend-wide settings of the module (defined in src/module.cpp).
#pragma once

namespace cp::pg {
// creator_platform.max_comment_depth
extern int g_max_comment_depth;
// creator_platform.archive_after: how old a published post must be for the
// nightly archiving job (an interval, checked when set)
extern char *g_archive_after;
// creator_platform.archive_duty_cycle: the share of wall time CALL
// archive_old_posts may work while other sessions are running statements (1:
// it never pauses)
extern double g_archive_duty_cycle;
} // namespace cp::pg
