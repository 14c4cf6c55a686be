#!/usr/bin/env bash
# `make installcheck`: the regression (pg_regress) and pgTAP suites against a
# server you already run, for users who manage their own PostgreSQL.
#
#   PGHOST=... PGPORT=... PGUSER=<superuser> make installcheck
#   scripts/installcheck.sh [--keep]     (--keep: leave the scratch databases)
#
# Uses the standard libpq environment (PGHOST, PGPORT, PGUSER, PGPASSWORD...);
# PGUSER must be a superuser (CREATE EXTENSION creator_platform needs one). It
# starts no cluster and installs nothing: creator_platform must be installed on
# that server (make install), and pgTAP too (Debian: postgresql-15-pgtap) with
# pg_prove on PATH; without pgTAP the pgTAP suite is reported as failed with
# what to install. It creates the databases creator_platform_installcheck
# (pgTAP) and creator_platform_installcheck_regress (pg_regress), drops them
# afterwards, and ends with the line `N passed, N failed`.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
keep=0
[ "${1:-}" = "--keep" ] && keep=1
PG_CONFIG=${PG_CONFIG:-$( [ -x /usr/lib/postgresql/15/bin/pg_config ] && echo /usr/lib/postgresql/15/bin/pg_config || echo pg_config )}
BINDIR=$("$PG_CONFIG" --bindir)
PSQL=$BINDIR/psql
PG_REGRESS=$("$PG_CONFIG" --pkglibdir)/pgxs/src/test/regress/pg_regress
db=${CP_INSTALLCHECK_DB:-creator_platform_installcheck}
rdb=${db}_regress
LOGS=${CP_INSTALLCHECK_LOGS:-$root/build/installcheck}
rm -rf "$LOGS"; mkdir -p "$LOGS"
pass=0 fail=0
q() { "$PSQL" -X -q -At -v ON_ERROR_STOP=1 -d "${PGDATABASE:-postgres}" "$@"; }

echo "== server: ${PGHOST:-<default socket>}:${PGPORT:-5432} as ${PGUSER:-$(id -un)}"
if ! super=$(q -c "SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user" 2>"$LOGS/connect.log"); then
  cat "$LOGS/connect.log"; echo "cannot connect: set PGHOST, PGPORT and PGUSER"; echo "0 passed, 1 failed"; exit 1
fi
if [ "$super" != t ]; then
  echo "PGUSER must be a superuser (CREATE EXTENSION creator_platform needs one)"; echo "0 passed, 1 failed"; exit 1
fi
if [ "$(q -c "SELECT count(*) FROM pg_catalog.pg_available_extensions WHERE name = 'creator_platform'")" != 1 ]; then
  echo "creator_platform is not installed on this server: run make install there"; echo "0 passed, 1 failed"; exit 1
fi
cleanup() {
  [ "$keep" = 1 ] && { echo "kept databases $db and $rdb"; return; }
  q -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" -c "DROP DATABASE IF EXISTS \"$rdb\" WITH (FORCE)" >/dev/null 2>&1
}
trap cleanup EXIT

# -- pg_regress ---------------------------------------------------------------
echo "== regress (pg_regress, database $rdb)"
tests=$(for f in test/regress/sql/*.sql; do [ -e "$f" ] && basename "$f" .sql; done | sort)
if [ -n "$tests" ]; then
  # shellcheck disable=SC2086
  "$PG_REGRESS" --bindir="$BINDIR" --inputdir=test/regress --outputdir="$LOGS/regress" \
    --load-extension=creator_platform --dbname="$rdb" $tests >"$LOGS/regress.log" 2>&1
  all=$(grep -Eo 'All [0-9]+ tests passed' "$LOGS/regress.log" | grep -Eo '[0-9]+' | tail -1)
  m=$(grep -Eo '[0-9]+ of [0-9]+ tests failed' "$LOGS/regress.log" | tail -1)
  if [ -n "$all" ]; then pass=$((pass + all)); echo "   $all passed"
  elif [ -n "$m" ]; then
    f=${m%% of *}; n=$(sed -E 's/.* of ([0-9]+) .*/\1/' <<<"$m")
    pass=$((pass + n - f)); fail=$((fail + f)); echo "   $((n - f)) passed, $f failed: see $LOGS/regress/regression.diffs"
  else fail=$((fail + 1)); tail -20 "$LOGS/regress.log"; fi
fi

# -- pgTAP --------------------------------------------------------------------
echo "== pgtap (pg_prove, database $db)"
PG_PROVE=$(command -v pg_prove || true)
if [ "$(q -c "SELECT count(*) FROM pg_catalog.pg_available_extensions WHERE name = 'pgtap'")" != 1 ]; then
  echo "   pgTAP is not installed on this server: install it (Debian: apt-get install postgresql-15-pgtap) to run the pgTAP suite"
  fail=$((fail + 1))
elif [ -z "$PG_PROVE" ]; then
  echo "   pg_prove is not on PATH: install it (Debian: apt-get install libtap-parser-sourcehandler-pgtap-perl)"
  fail=$((fail + 1))
else
  q -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" -c "CREATE DATABASE \"$db\" TEMPLATE template0" >/dev/null
  if "$PSQL" -X -q -v ON_ERROR_STOP=1 -d "$db" -c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION creator_platform CASCADE' \
       -f test/pgtap/setup/helpers.sql >"$LOGS/pgtap.log" 2>&1; then
    "$PG_PROVE" -v -d "$db" $(ls test/pgtap/*.sql | sort) >>"$LOGS/pgtap.log" 2>&1
    rc=$?
    ok=$(grep -Ec '^[[:space:]]*ok [0-9]+' "$LOGS/pgtap.log")
    nok=$(grep -Ec '^[[:space:]]*not ok [0-9]+' "$LOGS/pgtap.log")
    [ "$rc" -ne 0 ] && [ "$nok" -eq 0 ] && nok=1
    pass=$((pass + ok)); fail=$((fail + nok)); echo "   $ok passed, $nok failed"
    [ "$rc" -eq 0 ] || grep -A12 '^Test Summary Report' "$LOGS/pgtap.log"
  else
    fail=$((fail + 1)); tail -20 "$LOGS/pgtap.log"
  fi
fi
echo "== logs in $LOGS"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
