// Row triggers that guard columns the database maintains: updated_at, and the
// counters posts.comment_count / comments.reply_count.
#include <string>

#include "core/error.hpp"
#include "pg/boundary.hpp"
#include "pg/internal_write.hpp"
#include "pg/trigger_support.hpp"

extern "C" {
#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "utils/rls.h"
}

namespace cp::pg {
// The hint for the errors that a plain restore of a dump runs into (a new row
// with counters already counted, a placeholder, an archived row). pg_dump's
// scripts and pg_restore set row_security = off, which nothing else has a
// reason to do, so a session with it off is most likely restoring a dump; the
// hint says how (docs/operations.md). It changes only the message, never what
// is allowed: rules are never skipped on a guess.
std::string restore_hint() {
	if (row_security) return {};
	return "if this is a restore of a dump, restore it as a superuser with "
	       "PGOPTIONS='-c session_replication_role=replica' (see \"Backups\" in docs/operations.md)";
}
} // namespace cp::pg

// BEFORE UPDATE FOR EACH ROW on a table with an updated_at timestamptz column:
// sets it to the transaction's timestamp (now()), whatever the UPDATE wrote.
// The database's own counter maintenance is not an edit and leaves it alone.
CP_FUNCTION(cp_set_updated_at) {
	if (!CALLED_AS_TRIGGER(fcinfo))
		throw cp::core::Error("39P01", "set_updated_at() must be called as a trigger");
	auto *td = reinterpret_cast<TriggerData *>(fcinfo->context);
	if (!TRIGGER_FIRED_BEFORE(td->tg_event) || !TRIGGER_FIRED_FOR_ROW(td->tg_event) ||
	    !TRIGGER_FIRED_BY_UPDATE(td->tg_event))
		throw cp::core::Error("39P01", "set_updated_at() must fire BEFORE UPDATE FOR EACH ROW");

	TupleDesc desc = td->tg_relation->rd_att;
	int attnum = SPI_fnumber(desc, "updated_at"); // pure lookup, does not ereport
	if (attnum <= 0 || TupleDescAttr(desc, attnum - 1)->atttypid != TIMESTAMPTZOID)
		throw cp::core::Error("39P01", "set_updated_at(): table has no timestamptz column \"updated_at\"");
	if (cp::pg::InternalWrite::active()) return PointerGetDatum(td->tg_newtuple);

	Datum value = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	bool isnull = false;
	HeapTuple tuple = cp::pg::guard(
	    [&] { return heap_modify_tuple_by_cols(td->tg_newtuple, desc, 1, &attnum, &value, &isnull); });
	return PointerGetDatum(tuple);
}

// BEFORE INSERT OR UPDATE FOR EACH ROW, argument: the name of an integer
// counter column the database maintains. A new row must start at 0 (23514); an
// application UPDATE may not change it (55000); the database's own counter
// maintenance (an InternalWrite scope) may.
CP_FUNCTION(cp_counter_guard) {
	if (!CALLED_AS_TRIGGER(fcinfo)) throw cp::core::Error("39P01", "counter_guard() must be called as a trigger");
	auto *td = reinterpret_cast<TriggerData *>(fcinfo->context);
	if (!TRIGGER_FIRED_BEFORE(td->tg_event) || !TRIGGER_FIRED_FOR_ROW(td->tg_event) ||
	    TRIGGER_FIRED_BY_DELETE(td->tg_event) || td->tg_trigger->tgnargs != 1)
		throw cp::core::Error("39P01",
		                      "counter_guard(column) must fire BEFORE INSERT OR UPDATE FOR EACH ROW with one argument");
	const char *column = td->tg_trigger->tgargs[0];
	TupleDesc desc = td->tg_relation->rd_att;
	int attnum = cp::pg::column_number(desc, column);
	if (TRIGGER_FIRED_BY_INSERT(td->tg_event)) {
		if (cp::pg::InternalWrite::active()) return PointerGetDatum(td->tg_trigtuple);
		bool isnull;
		Datum v = heap_getattr(td->tg_trigtuple, attnum, desc, &isnull);
		if (!isnull && DatumGetInt32(v) != 0)
			throw cp::core::Error(cp::core::sqlstate::check_violation,
			                      std::string(column) + " of a new row must be 0",
			                      std::string(column) + " is maintained by the database", cp::pg::restore_hint());
		return PointerGetDatum(td->tg_trigtuple);
	}
	if (!cp::pg::InternalWrite::active() && !cp::pg::same_value(td->tg_trigtuple, td->tg_newtuple, desc, attnum))
		throw cp::core::Error(cp::core::sqlstate::object_not_in_prerequisite_state,
		                      std::string(column) + " is maintained by the database",
		                      "applications cannot set it");
	return PointerGetDatum(td->tg_newtuple);
}
