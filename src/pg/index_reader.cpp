#include "pg/index_reader.hpp"
#include "pg/trigger_support.hpp"

#include <cstring>
#include <exception>
#include <stdexcept>

extern "C" {
#include "access/table.h"
#include "access/tableam.h"
#include "access/visibilitymap.h"
#include "catalog/namespace.h"
#include "catalog/pg_enum.h"
#include "executor/tuptable.h"
#include "storage/bufmgr.h"
#include "storage/predicate.h"
#include "utils/acl.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
}

namespace cp::pg {

namespace {

Oid extension_relation(const char *name) {
	Oid nsp = get_namespace_oid("creator_platform", false);
	Oid relid = get_relname_relid(name, nsp);
	if (!OidIsValid(relid)) elog(ERROR, "relation creator_platform.%s does not exist", name);
	return relid;
}

} // namespace

// ---- Table ------------------------------------------------------------------------

namespace {
// 42501 unless the current user may SELECT the table (or all its columns).
// Runs inside guard.
void check_select(Oid relid, const char *name) {
	Oid user = GetUserId();
	if (pg_class_aclcheck(relid, user, ACL_SELECT) != ACLCHECK_OK &&
	    pg_attribute_aclcheck_all(relid, user, ACL_SELECT, ACLMASK_ALL) != ACLCHECK_OK)
		aclcheck_error(ACLCHECK_NO_PRIV, OBJECT_TABLE, name);
}
} // namespace

Table::Table(const char *name) : name_(name), depth_(std::uncaught_exceptions()) {
	rel_ = guard([&] {
		Oid relid = extension_relation(name);
		Relation rel = table_open(relid, AccessShareLock);
		check_select(relid, RelationGetRelationName(rel));
		return rel;
	});
}

void require_select(const char *name) {
	guard_void([&] { check_select(extension_relation(name), name); });
}

Table::~Table() {
	if (rel_ == nullptr || std::uncaught_exceptions() > depth_) return; // the abort releases it
	try {
		guard_void([&] { table_close(rel_, AccessShareLock); });
	} catch (...) {
	}
}

AttrNumber Table::column(const char *col) const {
	return static_cast<AttrNumber>(column_number(RelationGetDescr(rel_), col));
}

Oid Table::enum_label(AttrNumber col, const char *label) const {
	Oid type = TupleDescAttr(RelationGetDescr(rel_), col - 1)->atttypid;
	Oid oid = guard([&] {
		return GetSysCacheOid2(ENUMTYPOIDNAME, Anum_pg_enum_oid, ObjectIdGetDatum(type), CStringGetDatum(label));
	});
	if (!OidIsValid(oid))
		throw cp::core::Error(cp::core::sqlstate::internal_error,
		                      std::string("the enum of creator_platform.") + name_ + " has no label " + label);
	return oid;
}

// ---- Keys -------------------------------------------------------------------------

Keys &Keys::eq(AttrNumber col, RegProcedure eq_proc, Datum value) {
	return bound(col, BTEqualStrategyNumber, eq_proc, value);
}

Keys &Keys::bound(AttrNumber col, StrategyNumber strategy, RegProcedure op_proc, Datum value) {
	if (n_ >= static_cast<int>(keys_.size())) throw std::logic_error("too many scan keys");
	ScanKey k = &keys_[n_++];
	guard_void([&] { ScanKeyEntryInitialize(k, 0, col, strategy, InvalidOid, InvalidOid, op_proc, value); });
	return *this;
}

Keys &Keys::row_less(AttrNumber col, RegProcedure cmp_a, Datum a, RegProcedure cmp_b, Datum b) {
	if (n_ >= static_cast<int>(keys_.size()) || row_n_ + 2 > static_cast<int>(row_.size()))
		throw std::logic_error("too many scan keys");
	ScanKey first = &row_[row_n_];
	ScanKey second = &row_[row_n_ + 1];
	row_n_ += 2;
	guard_void([&] {
		ScanKeyEntryInitialize(first, SK_ROW_MEMBER, col, BTLessStrategyNumber, InvalidOid, InvalidOid, cmp_a, a);
		ScanKeyEntryInitialize(second, SK_ROW_MEMBER | SK_ROW_END, static_cast<AttrNumber>(col + 1),
		                       BTLessStrategyNumber, InvalidOid, InvalidOid, cmp_b, b);
	});
	// The header holds no function: btree reads the members.
	ScanKey h = &keys_[n_++];
	std::memset(h, 0, sizeof(ScanKeyData));
	h->sk_flags = SK_ROW_HEADER;
	h->sk_attno = col;
	h->sk_strategy = BTLessStrategyNumber;
	h->sk_argument = PointerGetDatum(first);
	return *this;
}

// ---- IndexReader --------------------------------------------------------------------

IndexReader::IndexReader(Table &table, const char *index_name, int nkeys, Mode mode)
    : table_(table), mode_(mode), depth_(std::uncaught_exceptions()) {
	guard_void([&] {
		Oid indexid = extension_relation(index_name);
		index_ = index_open(indexid, AccessShareLock);
		if (index_->rd_index->indrelid != RelationGetRelid(table.rel()))
			elog(ERROR, "%s is not an index of %s", index_name, table.name());
		scan_ = index_beginscan(table.rel(), index_, GetActiveSnapshot(), nkeys, 0);
		scan_->xs_want_itup = mode != Mode::heap;
		slot_ = table_slot_create(table.rel(), nullptr);
	});
}

IndexReader::~IndexReader() {
	if (std::uncaught_exceptions() > depth_) return; // the abort releases it
	try {
		guard_void([&] {
			if (vm_buffer_ != InvalidBuffer) ReleaseBuffer(vm_buffer_);
			if (slot_ != nullptr) ExecDropSingleTupleTableSlot(slot_);
			if (scan_ != nullptr) index_endscan(scan_);
			if (index_ != nullptr) index_close(index_, AccessShareLock);
		});
	} catch (...) {
	}
}

void IndexReader::rescan(Keys &keys) {
	guard_void([&] { index_rescan(scan_, keys.data(), keys.count(), nullptr, 0); });
}

bool IndexReader::next() {
	return guard([&] {
		for (;;) {
			CHECK_FOR_INTERRUPTS();
			if (mode_ == Mode::heap) {
				if (!index_getnext_slot(scan_, ForwardScanDirection, slot_)) return false;
				slot_getallattrs(slot_);
				return true;
			}
			ItemPointer tid = index_getnext_tid(scan_, ForwardScanDirection);
			if (tid == nullptr) return false;
			if (mode_ == Mode::index_first) return true;
			// As an Index Only Scan: an all-visible heap page needs no visit.
			if (VM_ALL_VISIBLE(table_.rel(), ItemPointerGetBlockNumber(tid), &vm_buffer_)) {
				PredicateLockPage(table_.rel(), ItemPointerGetBlockNumber(tid), scan_->xs_snapshot);
				return true;
			}
			if (index_fetch_heap(scan_, slot_)) return true;
		}
	});
}

bool IndexReader::fetch() {
	return guard([&] {
		if (!index_fetch_heap(scan_, slot_)) return false;
		slot_getallattrs(slot_);
		return true;
	});
}

} // namespace cp::pg
