// Row triggers of the write path that need no SQL: updated_at maintenance.
#include "core/error.hpp"
#include "pg/boundary.hpp"

extern "C" {
#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
}

// BEFORE UPDATE FOR EACH ROW on a table with an updated_at timestamptz column:
// sets it to the transaction's timestamp (now()), whatever the UPDATE wrote.
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

	Datum value = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	bool isnull = false;
	HeapTuple tuple = cp::pg::guard(
	    [&] { return heap_modify_tuple_by_cols(td->tg_newtuple, desc, 1, &attnum, &value, &isnull); });
	return PointerGetDatum(tuple);
}
