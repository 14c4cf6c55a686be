#!/usr/bin/env bash
# Upgrade test: installing any older version and running ALTER EXTENSION ... UPDATE
# must give the same catalog as a fresh install of the newest version.
#
#   PGHOST=... PGPORT=... PGUSER=<superuser> bash test/tap/upgrade.sh    (or: prove -v test/tap/upgrade.sh)
#
# Runs against an already-running server (the standard libpq environment) and
# prints TAP. Versions come from the repository: every full install script
# sql/creator_platform--X.Y.Z.sql up to default_version in the control file (the
# newest); the oldest is the lowest of them. The scripts must be installed on the
# server (make install); test 1 checks that the installed copies match.
#
#   fresh         CREATE EXTENSION (newest) -> footprint F (test/sql/catalog_footprint.sql)
#   from V        for every full install version V older than the newest (the
#                 oldest always, even when it is the newest): CREATE EXTENSION
#                 VERSION V, ALTER EXTENSION UPDATE -> extversion is the newest and
#                 the footprint equals F (a failure prints the diff)
#   controls      the comparison can fail: in a scratch database, deliberate
#                 alterations (each in a transaction that is rolled back) must
#                 change the footprint; a few changes that are not differences
#                 (a dropped column, a default ACL made explicit, ...) must not
#
# Every scratch database (cp_upg_*_<pid>) is dropped on exit, failure or not.
# Nothing outside those databases is changed; the shipped scripts are only read.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
ext=creator_platform
control=$root/$ext.control
footprint_sql=$root/test/sql/catalog_footprint.sql
maint_db=${CP_MAINT_DB:-postgres}

PSQL=$(command -v psql || true)
[ -n "$PSQL" ] || PSQL=/usr/lib/postgresql/15/bin/psql
if [ ! -x "$PSQL" ]; then
  echo "1..0 # SKIP psql not found on PATH"
  exit 0
fi
psql_run() { "$PSQL" -X -q -v ON_ERROR_STOP=1 "$@"; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cp-upgrade.XXXXXX")
scratch_dbs=()
cleanup() {
  local db
  for db in "${scratch_dbs[@]}"; do
    psql_run -d "$maint_db" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 \
      || echo "# could not drop scratch database $db" >&2
  done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- TAP ---------------------------------------------------------------------
test_no=0
failures=0
diag() { sed -e 's/^/# /'; }
ok() { test_no=$((test_no + 1)); echo "ok $test_no - $1"; }
not_ok() { test_no=$((test_no + 1)); failures=$((failures + 1)); echo "not ok $test_no - $1"; }
# show at most $2 lines of file $1 as diagnostics
diag_file() {
  local file=$1 max=${2:-200} lines
  lines=$(wc -l <"$file")
  head -n "$max" "$file" | diag
  if [ "$lines" -gt "$max" ]; then echo "# ... ($((lines - max)) more lines in the diff)"; fi
}

# --- versions ----------------------------------------------------------------
version_le() { [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n 1)" = "$1" ]; }

newest=$(sed -nE "s/^[[:space:]]*default_version[[:space:]]*=[[:space:]]*'([^']+)'.*/\1/p" "$control")
versions=()   # full install scripts up to the newest, oldest first
while IFS= read -r v; do
  [ -n "$v" ] && version_le "$v" "$newest" && versions+=("$v")
done < <(for f in "$root"/sql/"$ext"--*.sql; do
           b=${f##*/}; b=${b#"$ext"--}; b=${b%.sql}
           if [[ $b =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then echo "$b"; fi
         done | sort -V)
if [ -z "$newest" ] || [ "${#versions[@]}" -eq 0 ]; then
  echo "1..0 # SKIP no default_version in $control or no full install script up to it in sql/"
  exit 0
fi
oldest=${versions[0]}
# upgrade starts: every full install version older than the newest; the oldest always
starts=("$oldest")
for v in "${versions[@]:1}"; do
  [ "$v" != "$newest" ] && starts+=("$v")
done

# --- negative controls ---------------------------------------------------------
# expect: differs (the alteration must show in the footprint) or same (it must not).
# With no setup, "differs" compares against F, the fresh footprint; with a setup
# (a fixture the extension does not have), against the footprint after the setup.
case_expect=(); case_name=(); case_setup=(); case_sql=()
add_case() { case_expect+=("$1"); case_name+=("$2"); case_setup+=("$3"); case_sql+=("$4"); }

add_case differs "a changed column default" "" \
  "ALTER TABLE creator_platform.posts ALTER COLUMN content SET DEFAULT 'untitled';"
add_case differs "a dropped NOT NULL" "" \
  "ALTER TABLE creator_platform.users ALTER COLUMN username DROP NOT NULL;"
add_case differs "a changed column type (typmod)" "" \
  "ALTER TABLE creator_platform.events ALTER COLUMN kind TYPE varchar(63);"
add_case differs "a changed column collation" "" \
  "ALTER TABLE creator_platform.posts ALTER COLUMN content TYPE text COLLATE \"C\";"
add_case differs "a column moved to the end (an upgrade that ADDs a column the fresh script has in the middle)" "" \
  "ALTER TABLE creator_platform.users DROP COLUMN bio; ALTER TABLE creator_platform.users ADD COLUMN bio text;"
add_case differs "an extra column" "" \
  "ALTER TABLE creator_platform.events ADD COLUMN extra integer;"
add_case differs "an identity column instead of a sequence default" "" \
  "ALTER TABLE creator_platform.events ALTER COLUMN id DROP DEFAULT;
   ALTER TABLE creator_platform.events ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY;"
add_case differs "an extra index" "" \
  "CREATE INDEX events_created_at_idx ON creator_platform.events (created_at);"
add_case differs "a missing index" "" \
  "DROP INDEX creator_platform.posts_scheduled_idx;"
add_case differs "an index with the same name and another predicate" "" \
  "DROP INDEX creator_platform.events_unprocessed_idx;
   CREATE INDEX events_unprocessed_idx ON creator_platform.events (id) WHERE processed_at IS NULL AND kind <> '';"
add_case differs "a changed CHECK constraint" "" \
  "ALTER TABLE creator_platform.events DROP CONSTRAINT events_kind_shape,
     ADD CONSTRAINT events_kind_shape CHECK (kind OPERATOR(pg_catalog.~) '^[a-z][a-z_]{0,30}\$');"
add_case differs "a constraint made deferrable" "" \
  "ALTER TABLE creator_platform.posts ALTER CONSTRAINT posts_creator_id_fkey DEFERRABLE INITIALLY DEFERRED;"
add_case differs "a constraint left NOT VALID" "" \
  "ALTER TABLE creator_platform.comments DROP CONSTRAINT comments_depth_nonnegative,
     ADD CONSTRAINT comments_depth_nonnegative CHECK (depth >= 0) NOT VALID;"
add_case differs "a disabled trigger" "" \
  "ALTER TABLE creator_platform.users DISABLE TRIGGER users_set_updated_at;"
add_case differs "a missing trigger" "" \
  "DROP TRIGGER posts_set_updated_at ON creator_platform.posts;"
add_case differs "function volatility (IMMUTABLE -> VOLATILE)" "" \
  "ALTER FUNCTION creator_platform.uuid_v7_timestamp(uuid) VOLATILE;"
add_case differs "function strictness" "" \
  "ALTER FUNCTION creator_platform.uuid_v7_timestamp(uuid) CALLED ON NULL INPUT;"
add_case differs "function parallel safety" "" \
  "ALTER FUNCTION creator_platform.uuid_generate_v7() PARALLEL UNSAFE;"
add_case differs "function SECURITY DEFINER" "" \
  "ALTER FUNCTION creator_platform.set_updated_at() SECURITY DEFINER;"
add_case differs "function LEAKPROOF" "" \
  "ALTER FUNCTION creator_platform.uuid_v7_timestamp(uuid) LEAKPROOF;"
add_case differs "function search_path setting" "" \
  "ALTER FUNCTION creator_platform.uuid_v7_timestamp(uuid) SET search_path = pg_catalog, pg_temp;"
add_case differs "function cost" "" \
  "ALTER FUNCTION creator_platform.uuid_generate_v7() COST 10;"
add_case differs "a function body (fixture SQL function)" \
  "CREATE FUNCTION creator_platform.fixture_answer() RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT 42';" \
  "CREATE OR REPLACE FUNCTION creator_platform.fixture_answer() RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT 43';"
add_case differs "a table ACL (GRANT SELECT TO PUBLIC)" "" \
  "GRANT SELECT ON creator_platform.users TO PUBLIC;"
add_case differs "a function ACL (EXECUTE granted back to PUBLIC)" "" \
  "GRANT EXECUTE ON FUNCTION creator_platform._boundary_selftest(text) TO PUBLIC;"
add_case differs "a column ACL" "" \
  "GRANT SELECT (email) ON creator_platform.users TO PUBLIC;"
add_case differs "a schema ACL" "" \
  "GRANT USAGE ON SCHEMA creator_platform TO PUBLIC;"
add_case differs "an owner" "" \
  "ALTER TABLE creator_platform.events OWNER TO pg_database_owner;"
add_case differs "a changed comment" "" \
  "COMMENT ON COLUMN creator_platform.users.email IS 'changed';"
add_case differs "a missing comment" "" \
  "COMMENT ON TABLE creator_platform.events IS NULL;"
add_case differs "an enum label added in the middle" "" \
  "ALTER TYPE creator_platform.user_role ADD VALUE 'moderator' BEFORE 'admin';"
add_case differs "an object dropped from the extension" "" \
  "ALTER EXTENSION creator_platform DROP FUNCTION creator_platform._boundary_selftest(text);"
add_case differs "a stray object in the schema" "" \
  "CREATE TABLE creator_platform.fixture_stray (id integer);"
add_case differs "a missing pg_extension_config_dump" "" \
  "UPDATE pg_catalog.pg_extension SET extconfig = extconfig[1:7], extcondition = extcondition[1:7]
    WHERE extname = 'creator_platform';"
add_case differs "a storage parameter" "" \
  "ALTER TABLE creator_platform.events SET (fillfactor = 90);"
add_case differs "replica identity" "" \
  "ALTER TABLE creator_platform.events REPLICA IDENTITY FULL;"
add_case differs "an unlogged table" "" \
  "ALTER TABLE creator_platform.events SET UNLOGGED;"
add_case differs "row level security" "" \
  "ALTER TABLE creator_platform.posts ENABLE ROW LEVEL SECURITY;"
add_case differs "a sequence parameter" "" \
  "ALTER SEQUENCE creator_platform.events_id_seq CACHE 10;"
add_case differs "a sequence no longer OWNED BY its column" "" \
  "ALTER SEQUENCE creator_platform.events_id_seq OWNED BY NONE;"
add_case differs "a view definition (fixture view)" \
  "CREATE VIEW creator_platform.fixture_view AS SELECT u.id, u.email FROM creator_platform.users AS u;" \
  "CREATE OR REPLACE VIEW creator_platform.fixture_view AS
     SELECT u.id, u.email FROM creator_platform.users AS u WHERE u.role = 'admin';"
add_case differs "a domain constraint (fixture domain)" \
  "CREATE DOMAIN creator_platform.fixture_handle AS text CONSTRAINT fixture_handle_shape CHECK (VALUE ~ '^[a-z]+\$');" \
  "ALTER DOMAIN creator_platform.fixture_handle DROP CONSTRAINT fixture_handle_shape;
   ALTER DOMAIN creator_platform.fixture_handle ADD CONSTRAINT fixture_handle_shape CHECK (VALUE ~ '^[a-z0-9]+\$');"
add_case same "a dropped column leaves no trace" "" \
  "ALTER TABLE creator_platform.events ADD COLUMN extra integer; ALTER TABLE creator_platform.events DROP COLUMN extra;"
add_case same "a column re-added with a fast default (atthasmissing) is no difference" "" \
  "ALTER TABLE creator_platform.posts_archive DROP COLUMN archived_at;
   ALTER TABLE creator_platform.posts_archive ADD COLUMN archived_at timestamptz NOT NULL DEFAULT pg_catalog.now();
   COMMENT ON COLUMN creator_platform.posts_archive.archived_at IS 'When the post was archived';"
add_case same "an explicit ACL equal to the default is no difference" "" \
  "GRANT SELECT ON creator_platform.users TO PUBLIC; REVOKE SELECT ON creator_platform.users FROM PUBLIC;"
add_case same "the order of pg_extension_config_dump calls is no difference" "" \
  "UPDATE pg_catalog.pg_extension
      SET extconfig = ARRAY(SELECT c FROM pg_catalog.unnest(extconfig) WITH ORDINALITY AS x (c, n) ORDER BY n DESC),
          extcondition = ARRAY(SELECT c FROM pg_catalog.unnest(extcondition) WITH ORDINALITY AS x (c, n) ORDER BY n DESC)
    WHERE extname = 'creator_platform';"

# tests: install check, fresh (2), 3 per upgrade start, controls baseline, cases, controls end
echo "1..$((1 + 2 + 3 * ${#starts[@]} + 1 + ${#case_name[@]} + 1))"
echo "# versions in sql/: ${versions[*]}; oldest $oldest, newest (default_version) $newest"

# --- helpers -------------------------------------------------------------------
create_db() {  # name: an empty scratch database
  scratch_dbs+=("$1")
  psql_run -d "$maint_db" -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" -c "CREATE DATABASE \"$1\" TEMPLATE template0" \
    >/dev/null 2>"$tmp/create_db.err" || { cat "$tmp/create_db.err" >&2; return 1; }
}
extversion() {
  psql_run -d "$1" -Atc "SELECT extversion FROM pg_catalog.pg_extension WHERE extname = '$ext'"
}
footprint() {  # db outfile
  psql_run -d "$1" -f "$footprint_sql" >"$2" 2>"$2.err"
}

# --- 1. the scripts under test are the ones installed -----------------------------
sharedir=$(psql_run -d "$maint_db" -Atc "SELECT setting FROM pg_catalog.pg_config WHERE name = 'SHAREDIR'" 2>/dev/null || true)
available=$(psql_run -d "$maint_db" -Atc \
  "SELECT pg_catalog.string_agg(version, ' ') FROM pg_catalog.pg_available_extension_versions WHERE name = '$ext'" \
  2>"$tmp/avail.err")
problems=()
for v in "${versions[@]}" "$newest"; do
  case " $available " in *" $v "*) ;; *) problems+=("version $v is not available on the server") ;; esac
done
if [ -n "$sharedir" ] && [ -r "$sharedir/extension/$ext.control" ]; then
  for f in "$control" "$root"/sql/"$ext"--*.sql; do
    cmp -s "$f" "$sharedir/extension/${f##*/}" || problems+=("installed ${f##*/} differs from the repository's")
  done
  for f in "$sharedir"/extension/"$ext"--*.sql; do
    [ -e "$f" ] && [ ! -e "$root/sql/${f##*/}" ] && echo "# note: $f is installed but not in the repository"
  done
else
  echo "# note: the server's extension directory is not readable here; installed scripts not compared"
fi
if [ "${#problems[@]}" -eq 0 ]; then
  ok "the scripts of versions ${versions[*]} are installed (server has: $available)"
else
  not_ok "the scripts under test are installed (run make install)"
  printf '%s\n' "${problems[@]}" | diag
  diag <"$tmp/avail.err"
fi

# --- 2. fresh install of the newest ---------------------------------------------
fresh_db=cp_upg_fresh_$$
F=$tmp/fresh.txt
if create_db "$fresh_db" \
   && psql_run -d "$fresh_db" -c "CREATE EXTENSION $ext" >/dev/null 2>"$tmp/fresh.err" \
   && [ "$(extversion "$fresh_db")" = "$newest" ]; then
  ok "fresh CREATE EXTENSION $ext installs $newest"
else
  not_ok "fresh CREATE EXTENSION $ext installs $newest"
  diag <"$tmp/fresh.err"
fi
if footprint "$fresh_db" "$F" && footprint "$fresh_db" "$tmp/fresh2.txt" \
   && grep -q "^extension $ext: version=$newest " "$F" && cmp -s "$F" "$tmp/fresh2.txt"; then
  ok "footprint of the fresh install: $(wc -l <"$F") facts, identical on a second run"
else
  not_ok "footprint of the fresh install is taken and stable"
  cat "$F.err" "$tmp/fresh2.txt.err" 2>/dev/null | diag
  diff -u --label run1 --label run2 "$F" "$tmp/fresh2.txt" | diag
fi

# --- 3. every upgrade start: install V, update, compare ------------------------------
for v in "${starts[@]}"; do
  db=cp_upg_from_${v//./_}_$$
  U=$tmp/from_$v.txt
  if create_db "$db" \
     && psql_run -d "$db" -c "CREATE EXTENSION $ext VERSION '$v'" >/dev/null 2>"$tmp/install_$v.err" \
     && [ "$(extversion "$db")" = "$v" ]; then
    ok "CREATE EXTENSION $ext VERSION '$v'"
  else
    not_ok "CREATE EXTENSION $ext VERSION '$v'"
    diag <"$tmp/install_$v.err"
  fi
  got=$(psql_run -d "$db" -c "ALTER EXTENSION $ext UPDATE" 2>"$tmp/update_$v.err" >/dev/null && extversion "$db")
  if [ "$got" = "$newest" ]; then
    ok "ALTER EXTENSION $ext UPDATE from $v ends at $newest"
  else
    not_ok "ALTER EXTENSION $ext UPDATE from $v ends at $newest (got '${got}')"
    diag <"$tmp/update_$v.err"
  fi
  if footprint "$db" "$U" && diff -u --label "fresh install of $newest" --label "$v updated to $newest" \
       "$F" "$U" >"$tmp/diff_$v.txt"; then
    ok "catalog after updating from $v equals a fresh install of $newest"
  else
    not_ok "catalog after updating from $v equals a fresh install of $newest"
    cat "$U.err" 2>/dev/null | diag
    diag_file "$tmp/diff_$v.txt"
  fi
done

# --- 4. negative controls: the comparison can fail ------------------------------
neg_db=cp_upg_controls_$$
N=$tmp/controls.txt
if create_db "$neg_db" && psql_run -d "$neg_db" -c "CREATE EXTENSION $ext" >/dev/null 2>"$tmp/controls.err" \
   && footprint "$neg_db" "$N" && diff -u --label "fresh in $fresh_db" --label "fresh in $neg_db" \
        "$F" "$N" >"$tmp/diff_controls.txt"; then
  ok "controls: a fresh install in another database (other OIDs and name) has the same footprint"
else
  not_ok "controls: a fresh install in another database (other OIDs and name) has the same footprint"
  cat "$tmp/controls.err" "$N.err" 2>/dev/null | diag
  diag_file "$tmp/diff_controls.txt"
fi

for i in "${!case_name[@]}"; do
  A=$tmp/case_${i}_before.txt
  B=$tmp/case_${i}_after.txt
  # one transaction: setup, footprint A, alteration, footprint B, rollback
  cat >"$tmp/case_$i.sql" <<SQL
BEGIN;
${case_setup[$i]}
\\o '$A'
\\i '$footprint_sql'
\\o
RESET ALL;
${case_sql[$i]}
\\o '$B'
\\i '$footprint_sql'
\\o
ROLLBACK;
SQL
  ref=$F
  [ -n "${case_setup[$i]}" ] && ref=$A
  if ! psql_run -d "$neg_db" -f "$tmp/case_$i.sql" >/dev/null 2>"$tmp/case_$i.err"; then
    not_ok "control: ${case_name[$i]} (the alteration failed)"
    diag <"$tmp/case_$i.err"
    continue
  fi
  diff -u --label before --label after "$ref" "$B" >"$tmp/case_$i.diff"
  changed=$?
  if [ "${case_expect[$i]}" = differs ]; then
    if [ "$changed" -eq 1 ]; then
      ok "control: the footprint catches ${case_name[$i]}"
      grep -E '^[-+][^-+]' "$tmp/case_$i.diff" | head -n 4 | diag
    else
      not_ok "control: the footprint catches ${case_name[$i]}"
      echo "# the footprint did not change" 
    fi
  else
    if [ "$changed" -eq 0 ]; then
      ok "control: ${case_name[$i]}"
    else
      not_ok "control: ${case_name[$i]}"
      diag_file "$tmp/case_$i.diff"
    fi
  fi
done

if footprint "$neg_db" "$tmp/controls_end.txt" \
   && diff -u --label fresh --label "after the controls" "$F" "$tmp/controls_end.txt" >"$tmp/diff_end.txt"; then
  ok "controls: every alteration was rolled back (footprint equals the fresh one again)"
else
  not_ok "controls: every alteration was rolled back (footprint equals the fresh one again)"
  diag_file "$tmp/diff_end.txt"
fi

if [ "$failures" -gt 0 ]; then
  echo "# $failures of $test_no tests failed"
  exit 1
fi
exit 0
