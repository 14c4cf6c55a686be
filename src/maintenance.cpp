// Maintenance helpers called by the pg_cron jobs of schedule_maintenance().
#include "pg/boundary.hpp"
#include "pg/module.hpp"

extern "C" {
#include "access/xact.h"
#include "utils/timestamp.h"
}

// creator_platform.archive_cutoff() -> timestamptz: the start of the current
// transaction minus creator_platform.archive_after. Posts published before it
// are due for the archive.
CP_FUNCTION(cp_archive_cutoff) {
	return cp::pg::guard([] {
		Datum retention = DirectFunctionCall3(interval_in, CStringGetDatum(cp::pg::g_archive_after),
		                                      ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
		return DirectFunctionCall2(timestamptz_mi_interval, TimestampTzGetDatum(GetCurrentTransactionStartTimestamp()),
		                           retention);
	});
}
