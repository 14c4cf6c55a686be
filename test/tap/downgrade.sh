#!/usr/bin/env bash
# Downgrade test (docs/migrations.md, "Rollback"): ALTER EXTENSION ... UPDATE TO
# an older version, through a downgrade script sql/creator_platform--B--A.sql,
# gives the catalog of a fresh install of the older version, keeps every row,
# and the older functions work on the data. On a throwaway cluster of its own
# (scripts/cluster.sh); the scripts must be installed (make install). TAP.
#
#   for every downgrade script B--A in sql/:
#     fresh A       CREATE EXTENSION VERSION 'A' -> footprint FA
#                   (test/sql/catalog_footprint.sql, as test/tap/upgrade.sh)
#     B down to A   CREATE EXTENSION VERSION 'B', UPDATE TO 'A' -> extversion A,
#                   footprint equal to FA (a failure prints the diff)
#   0.5.0 -> 0.4.0 (what the downgrade must undo, each shown to be caught):
#     controls      in the downgraded database, inside rolled-back transactions,
#                   each thing 0.5.0 adds (a policy, RLS on, SECURITY DEFINER on
#                   a trigger function, EXECUTE revoked from PUBLIC, a
#                   pg_extension_config_dump entry, a stray grant function, the
#                   0.5.0 body of delete_comment) changes the footprint
#     round trip    0.5.0 with users, posts, a thread, subscriptions, an archived
#                   post, events, an application role given grant_usage and
#                   row-level security enabled; UPDATE TO '0.4.0': every row the
#                   same (digest of every table, creator_activity and the
#                   cursor key), RLS off, the role keeps its grants, a 0.5.0
#                   cursor goes on working, and the 0.4.0 functions work
#                   (add_comment, delete_comment, archive_posts, restore_post,
#                   the feeds, reconcile_counters finds no drift); then UPDATE
#                   back to 0.5.0: the rows again, and after revoke_usage of
#                   the role the footprint of a fresh 0.5.0
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$root/scripts/lib.sh"
PGBIN=$("$PG_CONFIG" --bindir)
ext=creator_platform
footprint_sql=$root/test/sql/catalog_footprint.sql
newest=$(sed -nE "s/^[[:space:]]*default_version[[:space:]]*=[[:space:]]*'([^']+)'.*/\1/p" "$root/$ext.control")

dir=$(cp_tempdir downgrade)
cleanup() {
  bash "$root/scripts/cluster.sh" stop "$dir/c" >/dev/null 2>&1
  rm -rf -- "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

test_no=0 failures=0
diag() { sed -e 's/^/# /'; }
ok() { test_no=$((test_no + 1)); echo "ok $test_no - $1"; }
not_ok() { test_no=$((test_no + 1)); failures=$((failures + 1)); echo "not ok $test_no - $1"; }
check() { # description command...: ok when the command succeeds
  local d=$1; shift
  if "$@" >"$dir/check.out" 2>&1; then ok "$d"; else not_ok "$d"; head -n 60 "$dir/check.out" | diag; fi
}

# downgrade scripts in sql/: B--A with B newer than A
downs=()
for f in "$root"/sql/"$ext"--*--*.sql; do
  b=${f##*/}; b=${b#"$ext"--}; b=${b%.sql}; from=${b%%--*}; to=${b##*--}
  [ "$(printf '%s\n%s\n' "$from" "$to" | sort -V | head -n 1)" = "$to" ] && downs+=("$from--$to")
done
if [ "${#downs[@]}" -eq 0 ]; then
  echo "1..0 # SKIP no downgrade script in sql/"; exit 0
fi
IFS=$'\n' downs=($(printf '%s\n' "${downs[@]}" | sort -V)); unset IFS

has_05_04=0
for d in "${downs[@]}"; do [ "$d" = "0.5.0--0.4.0" ] && has_05_04=1; done
n_controls=7
echo "1..$((1 + 3 * ${#downs[@]} + has_05_04 * (n_controls + 14)))"

if ! bash "$root/scripts/cluster.sh" start "$dir/c" >"$dir/cluster.log" 2>&1; then
  not_ok "a throwaway cluster starts"; diag <"$dir/cluster.log"; exit 1
fi
. "$dir/c/env"
psql_run() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
q() { "$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 "$@"; }
footprint() { psql_run -d "$1" -f "$footprint_sql" >"$2" 2>"$2.err"; }
extversion() { q -d "$1" -c "SELECT extversion FROM pg_catalog.pg_extension WHERE extname = '$ext'"; }

# 1. the installed scripts are the repository's
sharedir=$("$PG_CONFIG" --sharedir)
bad=()
for d in "${downs[@]}"; do
  cmp -s "$root/sql/$ext--$d.sql" "$sharedir/extension/$ext--$d.sql" || bad+=("$ext--$d.sql")
done
if [ "${#bad[@]}" -eq 0 ]; then ok "downgrade scripts installed: ${downs[*]}"
else not_ok "downgrade scripts installed (run make install): missing or different: ${bad[*]}"; fi

# 2. every downgrade script: B down to A equals a fresh A
for d in "${downs[@]}"; do
  from=${d%%--*} to=${d##*--}
  fdb=fresh_${to//./_} ddb=down_${from//./_}_${to//./_}
  FA=$dir/fresh_$to.txt DA=$dir/down_$d.txt
  if createdb "$fdb" && psql_run -d "$fdb" -c "CREATE EXTENSION $ext VERSION '$to' CASCADE" >/dev/null 2>"$dir/e" \
     && footprint "$fdb" "$FA" && grep -q "^extension $ext: version=$to " "$FA"; then
    ok "fresh install of $to: footprint of $(wc -l <"$FA") facts"
  else
    not_ok "fresh install of $to"; cat "$dir/e" "$FA.err" 2>/dev/null | diag
  fi
  if createdb "$ddb" && psql_run -d "$ddb" -c "CREATE EXTENSION $ext VERSION '$from' CASCADE" \
       -c "ALTER EXTENSION $ext UPDATE TO '$to'" >/dev/null 2>"$dir/e" && [ "$(extversion "$ddb")" = "$to" ]; then
    ok "CREATE EXTENSION VERSION '$from', ALTER EXTENSION UPDATE TO '$to'"
  else
    not_ok "CREATE EXTENSION VERSION '$from', ALTER EXTENSION UPDATE TO '$to'"; diag <"$dir/e"
  fi
  if footprint "$ddb" "$DA" && diff -u --label "fresh $to" --label "$from downgraded to $to" "$FA" "$DA" >"$dir/diff_$d.txt"; then
    ok "catalog after downgrading $from to $to equals a fresh install of $to"
  else
    not_ok "catalog after downgrading $from to $to equals a fresh install of $to"
    cat "$DA.err" 2>/dev/null | diag; head -n 100 "$dir/diff_$d.txt" | diag
  fi
done

[ "$has_05_04" = 1 ] || { [ "$failures" -eq 0 ]; exit $?; }

# 3. controls: what 0.5.0 adds shows in the footprint (the comparison can fail)
F4=$dir/fresh_0.4.0.txt
control() { # name sql
  local A=$dir/control.txt
  { echo "BEGIN;"; echo "$2"; echo "\\o '$A'"; echo "\\i '$footprint_sql'"; echo "\\o"; echo "ROLLBACK;"; } >"$dir/control.sql"
  if ! psql_run -d down_0_5_0_0_4_0 -f "$dir/control.sql" >/dev/null 2>"$dir/control.err"; then
    not_ok "control: $1 (the alteration failed)"; diag <"$dir/control.err"; return
  fi
  if diff -q "$F4" "$A" >/dev/null; then not_ok "control: the footprint catches $1"
  else ok "control: the footprint catches $1"; diff "$F4" "$A" | grep -E '^[<>]' | head -n 2 | cut -c1-160 | diag; fi
}
control "a policy left behind" \
  "CREATE POLICY posts_viewer ON creator_platform.posts FOR ALL TO PUBLIC USING (true);"
control "row-level security left on" \
  "ALTER TABLE creator_platform.comments ENABLE ROW LEVEL SECURITY;"
control "a trigger function left SECURITY DEFINER" \
  "ALTER FUNCTION creator_platform.comments_after_insert() SECURITY DEFINER SET search_path = pg_catalog, pg_temp;"
control "EXECUTE left revoked from PUBLIC" \
  "REVOKE EXECUTE ON FUNCTION creator_platform.home_feed(uuid, integer, text) FROM PUBLIC;"
control "cursor_secret left in pg_extension_config_dump" \
  "UPDATE pg_catalog.pg_extension SET extconfig = extconfig || 'creator_platform.cursor_secret'::regclass::oid,
          extcondition = extcondition || ''::text WHERE extname = 'creator_platform';"
control "a 0.5.0 function left behind" \
  "CREATE FUNCTION creator_platform.viewer_id() RETURNS uuid LANGUAGE sql AS 'SELECT NULL::uuid';
   ALTER EXTENSION creator_platform ADD FUNCTION creator_platform.viewer_id();"
control "the 0.5.0 body of delete_comment" \
  "$(sed -n '/^CREATE OR REPLACE FUNCTION creator_platform.delete_comment/,/^\$function\$;/p' "$root/sql/$ext--0.4.0--0.5.0.sql")"

# 4. round trip with data
db=roundtrip
digest_sql="SELECT md5(concat_ws('|',
  (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM creator_platform.users t),
  (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM creator_platform.posts t),
  (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM creator_platform.comments t),
  (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM creator_platform.subscriptions t),
  (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM creator_platform.posts_archive t),
  (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM creator_platform.comments_archive t),
  (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM creator_platform.events t),
  (SELECT string_agg(t::text, ',' ORDER BY t::text) FROM creator_platform.creator_activity t),
  (SELECT string_agg(t::text, ',' ORDER BY t::text) FROM creator_platform.cursor_secret t)))
  || ' ' || (SELECT count(*) FROM creator_platform.posts) || ' posts '
  || (SELECT count(*) FROM creator_platform.comments) || ' comments '
  || (SELECT count(*) FROM creator_platform.posts_archive) || ' archived posts '
  || (SELECT count(*) FROM creator_platform.comments_archive) || ' archived comments '
  || (SELECT count(*) FROM creator_platform.events) || ' events'"
createdb "$db"
if psql_run -d "$db" >"$dir/setup.out" 2>&1 <<'SQL'
CREATE EXTENSION creator_platform CASCADE;
CREATE ROLE cp_dg_app LOGIN;
SELECT creator_platform.grant_usage('cp_dg_app');
SELECT creator_platform.enable_row_security();
INSERT INTO creator_platform.users (id, email, password_hash, username, role) VALUES
  ('00000000-0000-7000-8000-000000000001', 'ann@example.com', 'x', 'ann', 'creator'),
  ('00000000-0000-7000-8000-000000000002', 'bob@example.com', 'x', 'bob', 'reader'),
  ('00000000-0000-7000-8000-000000000003', 'cyd@example.com', 'x', 'cyd', 'reader');
INSERT INTO creator_platform.posts (id, creator_id, title, content, status, visibility, published_at) VALUES
  ('00000000-0000-7000-8000-0000000000a1', '00000000-0000-7000-8000-000000000001', 'old', 'old post', 'published', 'public', '2020-01-01'),
  ('00000000-0000-7000-8000-0000000000a2', '00000000-0000-7000-8000-000000000001', 'new', 'new post', 'published', 'public', now() - interval '1 hour'),
  ('00000000-0000-7000-8000-0000000000a3', '00000000-0000-7000-8000-000000000001', 'locked', 'for subscribers', 'published', 'subscribers', now() - interval '2 hours'),
  ('00000000-0000-7000-8000-0000000000a4', '00000000-0000-7000-8000-000000000001', 'draft', 'a draft', 'draft', 'public', NULL);
SELECT creator_platform.subscribe('00000000-0000-7000-8000-000000000002', '00000000-0000-7000-8000-000000000001');
SELECT creator_platform.subscribe('00000000-0000-7000-8000-000000000003', '00000000-0000-7000-8000-000000000001');
SELECT creator_platform.cancel_subscription('00000000-0000-7000-8000-000000000003', '00000000-0000-7000-8000-000000000001');
CREATE TEMP TABLE c AS SELECT id FROM creator_platform.add_comment('00000000-0000-7000-8000-0000000000a1', '00000000-0000-7000-8000-000000000002', 'on the old post');
SELECT creator_platform.add_comment('00000000-0000-7000-8000-0000000000a1', '00000000-0000-7000-8000-000000000003', 'a reply', (SELECT id FROM c));
CREATE TEMP TABLE d AS SELECT id FROM creator_platform.add_comment('00000000-0000-7000-8000-0000000000a2', '00000000-0000-7000-8000-000000000002', 'top');
SELECT creator_platform.add_comment('00000000-0000-7000-8000-0000000000a2', '00000000-0000-7000-8000-000000000001', 'answer', (SELECT id FROM d));
SELECT creator_platform.delete_comment((SELECT id FROM d));
SELECT creator_platform.archive_posts('2021-01-01');
UPDATE creator_platform.events SET processed_at = now() WHERE id = (SELECT min(id) FROM creator_platform.events);
SQL
then ok "0.5.0 with data: users, posts, a thread with a placeholder, subscriptions, an archived post, events, grant_usage, RLS on"
else not_ok "0.5.0 with data"; diag <"$dir/setup.out"; fi

before=$(q -d "$db" -c "$digest_sql")
cursor=$(q -d "$db" -c "SELECT cursor FROM creator_platform.recent_posts(NULL, 1) LIMIT 1")
page2=$(q -d "$db" -c "SELECT string_agg(post_id::text, ',') FROM creator_platform.recent_posts(NULL, 10, '$cursor')")
sub_cursor=$(q -d "$db" -c "SELECT cursor FROM creator_platform.subscribers_of('00000000-0000-7000-8000-000000000001', 'active', 1) LIMIT 1")
if psql_run -d "$db" -c "ALTER EXTENSION $ext UPDATE TO '0.4.0'" >/dev/null 2>"$dir/e" && [ "$(extversion "$db")" = 0.4.0 ]; then
  ok "ALTER EXTENSION UPDATE TO '0.4.0' with data, grants and RLS on"
else not_ok "ALTER EXTENSION UPDATE TO '0.4.0' with data, grants and RLS on"; diag <"$dir/e"; fi
after=$(q -d "$db" -c "$digest_sql")
if [ -n "$before" ] && [ "$before" = "$after" ]; then ok "every row intact after the downgrade ($before)"
else not_ok "every row intact after the downgrade"; printf 'before %s\nafter  %s\n' "$before" "$after" | diag; fi
check "row-level security is off on posts, posts_archive, comments, comments_archive" \
  test "$(q -d "$db" -c "SELECT count(*) FROM pg_catalog.pg_class WHERE relnamespace = 'creator_platform'::regnamespace AND (relrowsecurity OR relforcerowsecurity)")" = 0
check "the application role keeps the grants grant_usage gave (SELECT on posts, EXECUTE on home_feed)" \
  test "$(q -d "$db" -c "SELECT has_table_privilege('cp_dg_app', 'creator_platform.posts', 'SELECT, INSERT')
                          AND has_function_privilege('cp_dg_app', 'creator_platform.home_feed(uuid, integer, text)', 'EXECUTE')
                          AND has_schema_privilege('cp_dg_app', 'creator_platform', 'USAGE')")" = t
check "a recent_posts cursor of 0.5.0 gives the same next page under 0.4.0 ($page2)" \
  test -n "$page2" -a "$(q -d "$db" -c "SELECT string_agg(post_id::text, ',') FROM creator_platform.recent_posts(NULL, 10, '$cursor')")" = "$page2"
check "a subscribers_of cursor of 0.5.0 is still accepted under 0.4.0 (the library is 0.5.0's)" \
  test -n "$sub_cursor" -a "$(q -d "$db" -c "SELECT count(*) FROM creator_platform.subscribers_of('00000000-0000-7000-8000-000000000001', 'active', 1, '$sub_cursor')")" = 0
if q -d "$db" >"$dir/use.out" 2>&1 <<'SQL'
\set ON_ERROR_STOP 1
DO $$
DECLARE n bigint; r record; cid uuid;
BEGIN
  -- writes as the owner: under 0.4.0 the comment triggers run as the caller
  -- again, and a role given grant_usage has no INSERT on events (docs/migrations.md)
  SELECT id INTO cid FROM creator_platform.add_comment('00000000-0000-7000-8000-0000000000a2', '00000000-0000-7000-8000-000000000003', 'after the downgrade');
  PERFORM creator_platform.delete_comment(cid);
  -- reads as the application role
  SET LOCAL ROLE cp_dg_app;
  SELECT count(*) INTO n FROM creator_platform.home_feed('00000000-0000-7000-8000-000000000002', 10);
  IF n <> 3 THEN RAISE EXCEPTION 'home_feed of bob: % rows, want 3', n; END IF;
  SELECT count(*) INTO n FROM creator_platform.recent_posts(NULL, 10) WHERE locked;
  IF n <> 1 THEN RAISE EXCEPTION 'recent_posts: % locked rows, want 1', n; END IF;
  SELECT count(*) INTO n FROM creator_platform.comment_thread('00000000-0000-7000-8000-0000000000a1');
  IF n <> 2 THEN RAISE EXCEPTION 'comment_thread of the archived post: % rows, want 2', n; END IF;
  RESET ROLE;
  -- maintenance as the owner
  PERFORM creator_platform.restore_post('00000000-0000-7000-8000-0000000000a1');
  n := creator_platform.archive_posts('2021-01-01');
  IF n <> 1 THEN RAISE EXCEPTION 'archive_posts moved %, want 1', n; END IF;
  SELECT count(*) INTO n FROM creator_platform.reconcile_counters(false);
  IF n <> 0 THEN RAISE EXCEPTION 'reconcile_counters: % drifted', n; END IF;
END
$$;
SQL
then ok "0.4.0 functions work on the data: add_comment, delete_comment, the feeds as the app role, restore_post, archive_posts, no drift"
else not_ok "0.4.0 functions work on the data"; diag <"$dir/use.out"; fi

# The role's privileges go before the upgrade back: the 0.5.0 script's REVOKE
# records every function's ACL of that moment, the role's grants included, as
# initial privileges (docs/migrations.md); the footprint would show them.
psql_run -d "$db" -c "DROP OWNED BY cp_dg_app" >/dev/null 2>&1
mid=$(q -d "$db" -c "$digest_sql")
if psql_run -d "$db" -c "ALTER EXTENSION $ext UPDATE" >/dev/null 2>"$dir/e" && [ "$(extversion "$db")" = "$newest" ]; then
  ok "ALTER EXTENSION UPDATE back to $newest"
else not_ok "ALTER EXTENSION UPDATE back to $newest"; diag <"$dir/e"; fi
check "every row intact after the upgrade back" test "$(q -d "$db" -c "$digest_sql")" = "$mid"
check "$newest functions work again: grant_usage, enable_row_security, home_feed" \
  q -d "$db" -c "SELECT creator_platform.grant_usage('cp_dg_app'), creator_platform.enable_row_security();
                 SELECT count(*) FROM creator_platform.home_feed('00000000-0000-7000-8000-000000000002', 10)"
createdb fresh_new && psql_run -d fresh_new -c "CREATE EXTENSION $ext CASCADE" >/dev/null 2>&1 && footprint fresh_new "$dir/fresh_new.txt"
psql_run -d "$db" -c "SELECT creator_platform.revoke_usage('cp_dg_app'), creator_platform.disable_row_security()" >/dev/null 2>"$dir/e"
if footprint "$db" "$dir/rt.txt" && diff -u --label "fresh $newest" --label "round trip" "$dir/fresh_new.txt" "$dir/rt.txt" >"$dir/rt.diff"; then
  ok "after the round trip (and revoke_usage of the role) the catalog equals a fresh $newest"
else not_ok "after the round trip the catalog equals a fresh $newest"; diag <"$dir/e"; head -n 60 "$dir/rt.diff" | diag; fi
check "the round trip left the footprint of the fresh $newest non-empty" test -s "$dir/fresh_new.txt"
check "no ERROR in the server log but the expected ones" \
  bash -c "! grep -E 'PANIC|terminated by signal|TRAP:' '$dir/c/server.log'"

if [ "$failures" -gt 0 ]; then echo "# $failures of $test_no tests failed"; exit 1; fi
exit 0
