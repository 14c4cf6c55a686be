// SPI for C++ code: statements prepared once per backend and kept, executed
// through cp::pg::guard so that an error becomes an exception.
#pragma once

#include <cstdint>

#include "pg/boundary.hpp"

extern "C" {
#include "executor/spi.h"
}

namespace cp::pg {

// One SQL statement with fixed parameter types, prepared on first use and
// kept for the life of the backend (SPI_keepplan; the plan cache revalidates
// it after DDL). Define instances as function-local statics.
struct Statement {
	const char *sql;
	int nargs;
	Oid argtypes[6];
	SPIPlanPtr plan = nullptr;
};

// An SPI connection for the current C++ scope. On an error the transaction
// aborts and PostgreSQL releases SPI itself. SpiScope(SPI_OPT_NONATOMIC) is
// the connection of a procedure that commits (SPI_commit) between statements.
class SpiScope {
public:
	SpiScope();
	explicit SpiScope(int options);
	~SpiScope();
	SpiScope(const SpiScope &) = delete;
	SpiScope &operator=(const SpiScope &) = delete;

private:
	bool connected_ = false;
};

// Executes st (inside a SpiScope); returns the rows processed. Results are in
// SPI_tuptable until the next execution or the end of the scope.
uint64_t execute(Statement &st, const Datum *values, const char *nulls, bool read_only, long limit = 0);

// The value of column `col` (1-based) of row `row` of SPI_tuptable.
Datum result_value(uint64_t row, int col, bool *isnull) noexcept;

} // namespace cp::pg
