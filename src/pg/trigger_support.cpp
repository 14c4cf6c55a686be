#include "pg/trigger_support.hpp"

#include "core/error.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/array.h"
#include "utils/datum.h"
}

namespace cp::pg {

TriggerData *expect_trigger(FunctionCallInfo fcinfo, const char *name, When when, Level level, uint32 event) {
	if (!CALLED_AS_TRIGGER(fcinfo))
		throw cp::core::Error("39P01", std::string(name) + "() must be called as a trigger");
	auto *td = reinterpret_cast<TriggerData *>(fcinfo->context);
	const bool before = TRIGGER_FIRED_BEFORE(td->tg_event);
	const bool row = TRIGGER_FIRED_FOR_ROW(td->tg_event);
	if (before != (when == When::Before) || row != (level == Level::Row) ||
	    (td->tg_event & TRIGGER_EVENT_OPMASK) != event)
		throw cp::core::Error("39P01", std::string(name) + "() fired at the wrong time or for the wrong event");
	return td;
}

int column_number(TupleDesc desc, const char *name) {
	int n = SPI_fnumber(desc, name);
	if (n <= 0) throw cp::core::Error("XX000", std::string("table has no column \"") + name + "\"");
	return n;
}

bool same_value(HeapTuple a, HeapTuple b, TupleDesc desc, int attnum) {
	bool null_a, null_b;
	Datum va = heap_getattr(a, attnum, desc, &null_a);
	Datum vb = heap_getattr(b, attnum, desc, &null_b);
	if (null_a || null_b) return null_a == null_b;
	Form_pg_attribute att = TupleDescAttr(desc, attnum - 1);
	return guard([&] { return datum_image_eq(va, vb, att->attbyval, att->attlen); });
}

std::string to_string(const Uuid &u) {
	static const char *hex = "0123456789abcdef";
	std::string s;
	s.reserve(36);
	for (int i = 0; i < 16; ++i) {
		if (i == 4 || i == 6 || i == 8 || i == 10) s.push_back('-');
		s.push_back(hex[u[i] >> 4]);
		s.push_back(hex[u[i] & 0x0F]);
	}
	return s;
}

Datum uuid_datum(const Uuid &u) {
	return guard([&] {
		auto *p = static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t)));
		std::memcpy(p->data, u.data(), 16);
		return UUIDPGetDatum(p);
	});
}

Datum uuid_array(const std::vector<Uuid> &ids) {
	return guard([&] {
		const int n = static_cast<int>(ids.size());
		auto *items = static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t) * (n > 0 ? n : 1)));
		auto *datums = static_cast<Datum *>(palloc(sizeof(Datum) * (n > 0 ? n : 1)));
		for (int i = 0; i < n; ++i) {
			std::memcpy(items[i].data, ids[i].data(), 16);
			datums[i] = UUIDPGetDatum(&items[i]);
		}
		return PointerGetDatum(construct_array(datums, n, UUIDOID, 16, false, TYPALIGN_CHAR));
	});
}

Datum int4_array(const std::vector<int32_t> &values) {
	return guard([&] {
		const int n = static_cast<int>(values.size());
		auto *datums = static_cast<Datum *>(palloc(sizeof(Datum) * (n > 0 ? n : 1)));
		for (int i = 0; i < n; ++i) datums[i] = Int32GetDatum(values[i]);
		return PointerGetDatum(construct_array(datums, n, INT4OID, 4, true, TYPALIGN_INT));
	});
}

Datum bytea_datum(const std::string &bytes) {
	return guard([&] {
		bytea *b = static_cast<bytea *>(palloc(VARHDRSZ + bytes.size()));
		SET_VARSIZE(b, VARHDRSZ + bytes.size());
		std::memcpy(VARDATA(b), bytes.data(), bytes.size());
		return PointerGetDatum(b);
	});
}

std::string bytea_value(Datum d) {
	const bytea *b = guard([&] { return DatumGetByteaPP(d); });
	return std::string(VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
}

std::string text_value(Datum d) {
	const text *t = guard([&] { return DatumGetTextPP(d); });
	return std::string(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
}

} // namespace cp::pg
