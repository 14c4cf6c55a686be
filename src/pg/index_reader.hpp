// Reading the extension's tables through their btree indexes, without the
// executor: what the feeds do per page (a few index descents and a few dozen
// tuples) costs less this way than one SPI statement's executor start-up.
//
// Everything here runs PostgreSQL code under cp::pg::guard, so an error
// becomes an exception. The objects release what they hold when they go out
// of scope normally; when an exception unwinds them, the (sub)transaction
// aborts and PostgreSQL's resource owners release locks, pins and scans.
//
// Privileges: a Table checks SELECT on the table, as a statement would.
// Row-level security is not applied: the feed functions apply the contract's
// visibility rules themselves (docs/architecture.md, "Reading the indexes").
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "pg/boundary.hpp"

extern "C" {
#include "access/genam.h"
#include "access/itup.h"
#include "access/relscan.h"
#include "access/skey.h"
#include "access/stratnum.h"
#include "executor/tuptable.h"
#include "utils/rel.h"
#include "utils/snapshot.h"
}

namespace cp::pg {

// A table of the extension's schema, open with AccessShareLock for one call.
class Table {
public:
	explicit Table(const char *name);
	~Table();
	Table(const Table &) = delete;
	Table &operator=(const Table &) = delete;

	Relation rel() const noexcept { return rel_; }
	const char *name() const noexcept { return name_; }
	// 1-based column number; XX000 if there is no such column.
	AttrNumber column(const char *col) const;
	// The OID of label `label` of the enum type of column `col`.
	Oid enum_label(AttrNumber col, const char *label) const;

private:
	const char *name_;
	Relation rel_ = nullptr;
	int depth_ = 0; // std::uncaught_exceptions() when opened
};

// The privilege check of a Table, without opening it: for a table a function
// may read, but does not need to for these arguments (a post found live needs
// no look at the archive), so that privileges do not depend on the data.
void require_select(const char *name);

// Scan keys for one btree scan: equality, a one-column bound, or a row
// comparison (a, b) < (x, y) over consecutive index columns. Values passed by
// reference (uuid, bytea) must outlive the scan.
class Keys {
public:
	Keys() = default;
	Keys(const Keys &) = delete; // the row header points into row_
	Keys &operator=(const Keys &) = delete;
	// column = value (the equality function of the type, e.g. F_UUID_EQ)
	Keys &eq(AttrNumber col, RegProcedure eq_proc, Datum value);
	// column <op> value; strategy BTLessStrategyNumber ... BTGreaterStrategyNumber
	Keys &bound(AttrNumber col, StrategyNumber strategy, RegProcedure op_proc, Datum value);
	// (col, col + 1) < (a, b) in the columns' own order (the index's DESC is
	// taken care of by btree); cmp procs are the btree support functions.
	Keys &row_less(AttrNumber col, RegProcedure cmp_a, Datum a, RegProcedure cmp_b, Datum b);

	ScanKey data() noexcept { return keys_.data(); }
	int count() const noexcept { return n_; }

private:
	std::array<ScanKeyData, 6> keys_{};
	std::array<ScanKeyData, 4> row_{};
	int n_ = 0;
	int row_n_ = 0;
};

// One scan of an index of a Table, repositioned with rescan() as often as
// needed (a probe per creator, say). Snapshot: the active one.
class IndexReader {
public:
	enum class Mode {
		heap,       // next() stops on visible heap tuples; read them with heap_value()
		index_only, // next() stops on index entries whose heap tuple is visible,
		            // checked in the visibility map first (the heap is read only
		            // for pages not all-visible); read them with index_value()
		index_first // next() stops on every index entry, visible or not; read it
		            // with index_value(), then fetch() finds its visible heap tuple
	};
	IndexReader(Table &table, const char *index_name, int nkeys, Mode mode);
	~IndexReader();
	IndexReader(const IndexReader &) = delete;
	IndexReader &operator=(const IndexReader &) = delete;

	void rescan(Keys &keys);
	bool next();
	bool fetch(); // index_first: the visible heap tuple of the entry, if any

	// Column `col` (1-based, index order) of the current index entry.
	Datum index_value(int col, bool *isnull) const noexcept {
		return index_getattr(scan_->xs_itup, col, scan_->xs_itupdesc, isnull);
	}
	// Column `col` (1-based, table order) of the current heap tuple (its
	// columns are all deformed once, when next() or fetch() finds it); valid
	// until the next call of next().
	Datum heap_value(AttrNumber col, bool *isnull) const noexcept {
		*isnull = slot_->tts_isnull[col - 1];
		return slot_->tts_values[col - 1];
	}

private:
	Table &table_;
	Mode mode_;
	Relation index_ = nullptr;
	IndexScanDesc scan_ = nullptr;
	TupleTableSlot *slot_ = nullptr;
	Buffer vm_buffer_ = InvalidBuffer;
	int depth_ = 0;
};

} // namespace cp::pg
