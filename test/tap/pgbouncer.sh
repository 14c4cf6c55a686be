#!/usr/bin/env bash
# Poolers (issue 6, docs/operations.md "Connection poolers"): the write suites
# (test/pgtap/030-170) and the feed suites (test/pgtap/200-250) pass through
# pgbouncer in transaction pooling mode, several clients sharing one server
# connection, and transaction-local settings do not leak from one client to
# the next. On a throwaway cluster of its own (scripts/cluster.sh) and a
# pgbouncer it starts beside it (as postgres: pgbouncer refuses root). Prints
# TAP.
#
#   pools        one database per suite (cp_pgtap_w, cp_pgtap_f), set up as
#                scripts/run-tests.sh sets up cp_pgtap (pgtap, creator_platform,
#                test/pgtap/setup/helpers.sql), through pgbouncer; one server
#                connection per database (pool_size 1). The suites' files are
#                each one transaction (BEGIN ... ROLLBACK) but are not meant
#                to overlap in one database (they insert the same usernames and
#                take table locks: run side by side on one database they block
#                each other and can deadlock), so one server connection per
#                database is what lets several clients share it safely.
#   the suites   pg_prove -j 3 per database, both databases at once: every
#                file passes; the server log shows one server connection per
#                database for all its clients, and pgbouncer's SHOW STATS that
#                clients waited for it
#   leaks        through a pool of one server connection: SET LOCAL and
#                set_config(..., true) of one client are gone for the next
#                client on the same backend; a session-level SET is not
#                (pgbouncer's documented behaviour), which shows the check
#                would see a leak
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$root/scripts/lib.sh"
PGBIN=$("$PG_CONFIG" --bindir)
export PATH="$PGBIN:$PATH"
PGBOUNCER=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)

dir=$(cp_tempdir pgbouncer)
cleanup() {
  local pid
  pid=$(cat "$dir/bouncer/pgbouncer.pid" 2>/dev/null)
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  bash "$root/scripts/cluster.sh" stop "$dir/pg" >/dev/null 2>&1
  rm -rf -- "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { if eval "$1"; then ok "$2"; else not_ok "$2"; [ -n "${3:-}" ] && echo "$3" | sed 's/^/# /'; fi; }
is() { # got expected name
  if [ "$1" = "$2" ]; then ok "$3"; else
    not_ok "$3"; printf '#   got:      %s\n#   expected: %s\n' "$1" "$2"
  fi
}

cd "$root" || exit 1
write_files=$(ls test/pgtap/0[3-9][0-9]_*.sql test/pgtap/1[0-7][0-9]_*.sql 2>/dev/null | sort)
feed_files=$(ls test/pgtap/2[0-5][0-9]_*.sql 2>/dev/null | sort)
nw=$(wc -w <<<"$write_files") nf=$(wc -w <<<"$feed_files")
echo "1..$((nw + nf + 9))"

mkdir -p "$dir/pg" "$dir/bouncer"
if ! bash "$root/scripts/cluster.sh" start "$dir/pg" >"$dir/cluster.log" 2>&1; then
  sed 's/^/# /' "$dir/cluster.log"; echo "Bail out! could not start a cluster"; exit 1
fi
. "$dir/pg/env"
export PGHOST PGPORT PGUSER
# every server connection shows in the log (log_connections: new connections, after a reload)
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c 'ALTER SYSTEM SET log_connections = on' -c 'SELECT pg_reload_conf()' \
  -c 'CREATE DATABASE cp_pgtap_w' -c 'CREATE DATABASE cp_pgtap_f' >/dev/null \
  || { echo "Bail out! could not prepare the cluster"; exit 1; }
for _ in $(seq 1 50); do
  [ "$(psql -X -At -d postgres -c 'SHOW log_connections')" = on ] && break
  sleep 0.1
done

# --- pgbouncer, transaction pooling -------------------------------------------------------
port_free() { # as scripts/cluster.sh
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && [ ! -e "/tmp/.s.PGSQL.$1" ]
}
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir/bouncer"
echo '"postgres" ""' >"$dir/bouncer/userlist.txt"
started=0
for _ in 1 2 3 4 5 6 7 8; do
  BPORT=$(( 20000 + (RANDOM % 20000) ))
  port_free "$BPORT" || continue
  cat >"$dir/bouncer/pgbouncer.ini" <<INI
[databases]
cp_pgtap_w = host=$PGHOST port=$PGPORT dbname=cp_pgtap_w pool_size=1
cp_pgtap_f = host=$PGHOST port=$PGPORT dbname=cp_pgtap_f pool_size=1
cp_leak = host=$PGHOST port=$PGPORT dbname=cp_pgtap_w pool_size=1

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BPORT
unix_socket_dir =
auth_type = trust
auth_file = $dir/bouncer/userlist.txt
admin_users = postgres
pool_mode = transaction
default_pool_size = 1
max_client_conn = 100
logfile = $dir/bouncer/pgbouncer.log
pidfile = $dir/bouncer/pgbouncer.pid
INI
  if cp_as_owner "$PGBOUNCER" -d -q "$dir/bouncer/pgbouncer.ini" >>"$dir/bouncer/start.log" 2>&1 \
     && for _ in $(seq 1 50); do
          psql -X -At -h 127.0.0.1 -p "$BPORT" -d pgbouncer -c 'SHOW VERSION' >/dev/null 2>&1 && break
          sleep 0.1
        done \
     && psql -X -At -h 127.0.0.1 -p "$BPORT" -d pgbouncer -c 'SHOW VERSION' >/dev/null 2>&1; then
    started=1; break
  fi
  pid=$(cat "$dir/bouncer/pgbouncer.pid" 2>/dev/null); [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -f "$dir/bouncer/pgbouncer.pid"
done
[ $started = 1 ] || { cat "$dir/bouncer/start.log" "$dir/bouncer/pgbouncer.log" 2>/dev/null | sed 's/^/# /'; echo "Bail out! pgbouncer did not start"; exit 1; }
echo "# $(psql -X -At -h 127.0.0.1 -p "$BPORT" -d pgbouncer -c 'SHOW VERSION') on 127.0.0.1:$BPORT, pool_mode = transaction"
bq() { psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$BPORT" "$@"; } # through pgbouncer
admin() { psql -X -q -At -F '|' -h 127.0.0.1 -p "$BPORT" -d pgbouncer -c "$1"; }
authorized() { grep -cE "connection authorized: user=postgres database=$1( |\$)" "$dir/pg/server.log"; }

# --- the suites' databases, set up through pgbouncer ----------------------------------------
for db in cp_pgtap_w cp_pgtap_f; do
  bq -d $db -c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION creator_platform CASCADE' \
     -f test/pgtap/setup/helpers.sql >"$dir/setup_$db.log" 2>&1 \
    || { sed 's/^/# /' "$dir/setup_$db.log"; echo "Bail out! could not set up $db through pgbouncer"; exit 1; }
done

# --- the suites, three clients per server connection, both databases at once ----------------
pg_prove -j 3 -h 127.0.0.1 -p "$BPORT" -U postgres -d cp_pgtap_w $write_files >"$dir/write.tap" 2>&1 &
w=$!
pg_prove -j 3 -h 127.0.0.1 -p "$BPORT" -U postgres -d cp_pgtap_f $feed_files >"$dir/feed.tap" 2>&1 &
f=$!
wait $w; w_rc=$?
wait $f; f_rc=$?
for file in $write_files $feed_files; do
  out=$dir/write.tap; case $file in test/pgtap/2*) out=$dir/feed.tap ;; esac
  check "awk -v f='$file' '\$1 == f && \$NF == \"ok\" { found = 1 } END { exit !found }' '$out'" \
    "$(basename "$file") passes through pgbouncer (transaction pooling)" \
    "$(grep -A25 -F "$file ." "$out" | grep -vE '^ok [0-9]' | head -30)"
done
for suite in write feed; do
  rc=$w_rc; [ $suite = feed ] && rc=$f_rc
  summary=$(grep -E '^Files=' "$dir/$suite.tap")
  echo "# the $suite suites through pgbouncer: $summary $(grep -E '^Result:' "$dir/$suite.tap")"
  check "[ $rc -eq 0 ] && grep -q '^All tests successful' '$dir/$suite.tap'" \
    "the $suite suites: all tests successful (${summary%%,  *})" "$(sed -n '/^Test Summary Report/,$p' "$dir/$suite.tap")"
done

# one server connection served every client of its database, and clients waited for it
for db in cp_pgtap_w cp_pgtap_f; do
  files=$nw; [ $db = cp_pgtap_f ] && files=$nf
  is "$(authorized $db)" 1 "$db: one server connection (pgbouncer's pool) served the setup and all $files files"
  stats=$(admin 'SHOW STATS' | awk -F'|' -v db=$db '$1 == db { print $2, $8 }')  # total_xact_count total_wait_time
  check "[ \"\$(cut -d' ' -f1 <<<'$stats')\" -ge $files ] && [ \"\$(cut -d' ' -f2 <<<'$stats')\" -gt 0 ]" \
    "$db: pgbouncer counted a transaction per file at least, and clients waiting for the shared connection" \
    "SHOW STATS (total_xact_count total_wait_time): $stats"
done

# --- transaction-local settings stay in their transaction -------------------------------------
# the module is loaded in the backend, so that its settings are defined (64 by default)
bq -d cp_leak -c 'SELECT creator_platform.uuid_generate_v7()' >/dev/null
pid=$(bq -d cp_leak -c 'BEGIN' -c 'SET LOCAL creator_platform.max_comment_depth = 3' \
        -c "SELECT set_config('search_path', 'cp_leak_marker', true)" -c 'SELECT pg_backend_pid()' -c 'COMMIT' | tail -1)
is "$(bq -d cp_leak -c "SELECT pg_backend_pid() || ' ' || current_setting('creator_platform.max_comment_depth') || ' ' || current_setting('search_path')")" \
   "$pid 64 \"\$user\", public" \
   "SET LOCAL and set_config(..., true) of one client do not reach the next client on the same server connection"
bq -d cp_leak -c 'BEGIN' -c 'SET LOCAL creator_platform.max_comment_depth = 4' -c 'ROLLBACK' >/dev/null
is "$(bq -d cp_leak -c "SELECT pg_backend_pid() || ' ' || current_setting('creator_platform.max_comment_depth')")" \
   "$pid 64" "... nor after a rollback"
bq -d cp_leak -c 'SET creator_platform.max_comment_depth = 5' >/dev/null
is "$(bq -d cp_leak -c "SELECT pg_backend_pid() || ' ' || current_setting('creator_platform.max_comment_depth')")" \
   "$pid 5" "a session-level SET does reach the next client (pgbouncer's documented behaviour): the check sees leaks"
bq -d cp_leak -c 'RESET creator_platform.max_comment_depth' >/dev/null

echo "# $failed of $n failed"
[ "$failed" -eq 0 ]
