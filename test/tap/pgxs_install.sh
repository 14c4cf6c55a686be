#!/usr/bin/env bash
# `make && make install` with the standard PGXS variables: a clean copy of the
# tracked tree builds with an explicit PG_CONFIG and installs into DESTDIR the
# module, the bitcode, the control file and every SQL script, in the
# directories that pg_config names. Prints TAP.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
work=$(mktemp -d "${TMPDIR:-/tmp}/cp-pgxs.XXXXXX")
trap 'rm -rf "$work"' EXIT

n=0 failed=0
check() { n=$((n + 1)); if eval "$1"; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi; }

echo "1..8"
(cd "$root" && git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} cp --parents {} "$work/") 2>/dev/null
check "make -C '$work' -s -j2 PG_CONFIG='$PG_CONFIG' >'$work/build.log' 2>&1" "make PG_CONFIG=$PG_CONFIG builds a clean copy"
check "make -C '$work' -s install PG_CONFIG='$PG_CONFIG' DESTDIR='$work/dest' >'$work/install.log' 2>&1" "make install DESTDIR=... installs"
libdir=$work/dest$("$PG_CONFIG" --pkglibdir)
sharedir=$work/dest$("$PG_CONFIG" --sharedir)/extension
version=$(sed -n "s/^default_version *= *'\(.*\)'.*/\1/p" "$root/creator_platform.control")
check "[ -f '$libdir/creator_platform.so' ]" "the module is in pg_config --pkglibdir"
check "[ -f '$libdir/bitcode/creator_platform.index.bc' ]" "the LLVM bitcode index is installed for JIT inlining"
check "[ -f '$sharedir/creator_platform.control' ]" "the control file is in sharedir/extension"
check "[ -n \"\$(ls '$sharedir'/creator_platform--$version.sql '$sharedir'/creator_platform--*--$version.sql 2>/dev/null)\" ]" "a script that installs or upgrades to default_version $version is installed"
check "[ \"\$(ls '$root'/sql/creator_platform--*.sql | wc -l)\" -eq \"\$(ls '$sharedir'/creator_platform--*.sql | wc -l)\" ]" "every SQL script in sql/ is installed"
# Every symbol the dynamic linker leaves unresolved must be one the server
# exports (palloc, errstart, ...): anything else (a C++ runtime symbol, a
# missing fmt) would make LOAD fail on a user's machine.
postgres_bin=$("$PG_CONFIG" --bindir)/postgres
unresolved=$(ldd -r "$libdir/creator_platform.so" 2>&1 | sed -n 's/^undefined symbol: \([^ \t]*\).*/\1/p' | sort -u)
exported=$(nm -D --defined-only "$postgres_bin" | awk '{ print $3 }' | sort -u)
missing=$(comm -23 <(echo "$unresolved") <(echo "$exported") | grep -v '^$')
check "[ -n '$unresolved' ] && [ -z '$missing' ]" "every symbol left unresolved is exported by the server"
[ -n "$missing" ] && echo "# not provided by $postgres_bin: $missing"
[ $failed -eq 0 ] || { echo "# build log:"; sed 's/^/# /' "$work/build.log" | tail -20; }
exit $failed
