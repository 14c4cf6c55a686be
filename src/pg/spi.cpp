#include "pg/spi.hpp"

namespace cp::pg {

SpiScope::SpiScope() : SpiScope(0) {}

SpiScope::SpiScope(int options) {
	guard_void([options] {
		int rc = SPI_connect_ext(options);
		if (rc != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed: %s", SPI_result_code_string(rc));
	});
	connected_ = true;
}

SpiScope::~SpiScope() {
	if (connected_) SPI_finish();
}

uint64_t execute(Statement &st, const Datum *values, const char *nulls, bool read_only, long limit) {
	return guard([&]() -> uint64_t {
		if (st.plan == nullptr) {
			SPIPlanPtr plan = SPI_prepare(st.sql, st.nargs, st.argtypes);
			if (plan == nullptr)
				elog(ERROR, "SPI_prepare failed (%s) for: %s", SPI_result_code_string(SPI_result), st.sql);
			if (SPI_keepplan(plan) != 0) elog(ERROR, "SPI_keepplan failed for: %s", st.sql);
			st.plan = plan;
		}
		int rc = SPI_execute_plan(st.plan, const_cast<Datum *>(values), nulls, read_only, limit);
		if (rc < 0) elog(ERROR, "SPI_execute_plan failed (%s) for: %s", SPI_result_code_string(rc), st.sql);
		return SPI_processed;
	});
}

Datum result_value(uint64_t row, int col, bool *isnull) noexcept {
	return SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col, isnull);
}

} // namespace cp::pg
