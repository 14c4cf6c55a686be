#!/usr/bin/env bash
# The hostile-input suite and the server's health (issue 6, "Hostile input":
# "after the suite the server log shows no crash"), on a throwaway cluster of
# its own (scripts/cluster.sh). Prints TAP.
#
#   the suite    test/pgtap/4NN_hostile_*.sql run with pg_prove against a
#                database set up as scripts/run-tests.sh sets up cp_pgtap
#                (pgtap, creator_platform, test/pgtap/setup/helpers.sql):
#                one test per file, with its counts
#   the server   in what the server logged while the suite ran: no backend
#                terminated by a signal or exited with an error code, no
#                PANIC, no failed assertion (TRAP:), no reinitialization;
#                pg_postmaster_start_time() unchanged; the auxiliary processes
#                (checkpointer, background writer, WAL writer, autovacuum and
#                pg_cron launchers, ...) are the very same processes as before
#                the suite (a crash of any backend makes the postmaster restart
#                every one of them); no client backend left behind; a new
#                session uses the extension, and the counters are exact
#   the checks   finally a backend is killed with SIGKILL on purpose: the log
#                check and the process check must both see that crash (so they
#                can fail), while pg_postmaster_start_time() stays the same
#                (a crash-restart keeps the postmaster: that check alone would
#                miss a crash)
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$root/scripts/lib.sh"
PGBIN=$("$PG_CONFIG" --bindir)
PSQL="$PGBIN/psql"

dir=$(cp_tempdir hostile)
sleeper=
cleanup() {
  [ -n "$sleeper" ] && { kill "$sleeper" 2>/dev/null; wait "$sleeper" 2>/dev/null; }
  bash "$root/scripts/cluster.sh" stop "$dir" >/dev/null 2>&1
  rm -rf -- "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
is() { # got want description
  if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3"; printf '%s\n' "got: $1" "want: $2" | sed 's/^/#   /'; fi
}

cd "$root" || exit 1
files=$(ls test/pgtap/4[0-9][0-9]_hostile_*.sql 2>/dev/null | sort)
nfiles=$(wc -w <<<"$files")
echo "1..$((nfiles + 13))"
if [ "$nfiles" -eq 0 ]; then echo "Bail out! no test/pgtap/4NN_hostile_*.sql"; exit 1; fi
if ! bash scripts/cluster.sh start "$dir" >"$dir/cluster.log" 2>&1; then
  sed 's/^/# /' "$dir/cluster.log"
  echo "Bail out! could not start a cluster"
  exit 1
fi
. "$dir/env"
export PGHOST PGPORT PGUSER
q() { "$PSQL" -X -q -At -v ON_ERROR_STOP=1 "$@"; }

# The processes a crash would replace: every server process but client
# backends, with its start time.
aux() {
  q -d postgres -c "SELECT string_agg(backend_type || ' ' || pid || ' ' || backend_start, ', ' ORDER BY backend_type)
                      FROM pg_stat_activity WHERE backend_type <> 'client backend'"
}
# Lines of the server log written since byte offset $1 that show a crash.
crash_lines() {
  tail -c +"$(($1 + 1))" "$dir/server.log" \
    | grep -E "$2" | head -5
}
patterns=(
  'terminated by signal'
  'was terminated'
  'server process .* exited with exit code'
  'PANIC'
  'TRAP:'
  'all server processes terminated; reinitializing'
)

# -- the suite, set up as scripts/run-tests.sh sets up cp_pgtap ------------------
if ! { q -d postgres -c 'CREATE DATABASE cp_pgtap' \
       && q -d cp_pgtap -c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION creator_platform CASCADE' \
            -f test/pgtap/setup/helpers.sql; } >"$dir/setup.log" 2>&1; then
  sed 's/^/# /' "$dir/setup.log"
  echo "Bail out! could not set up cp_pgtap"
  exit 1
fi
start_time=$(q -d postgres -c 'SELECT pg_postmaster_start_time()')
aux_before=$(aux)
log_from=$(stat -c %s "$dir/server.log")

for f in $files; do
  name=$(basename "$f")
  pg_prove -v -d cp_pgtap "$f" >"$dir/$name.out" 2>&1
  rc=$?
  planned=$(sed -nE 's/^1\.\.([0-9]+)$/\1/p' "$dir/$name.out" | head -1)
  passed=$(grep -Ec '^ok [0-9]+' "$dir/$name.out")
  todo=$(grep -Ec '^not ok [0-9]+ .*# TODO' "$dir/$name.out")
  failing=$(grep -E '^not ok [0-9]+' "$dir/$name.out" | grep -vc '# TODO')
  if [ "$rc" -eq 0 ] && [ -n "$planned" ] && [ "$failing" -eq 0 ]; then
    ok "$name: $passed of $planned passed (pg_prove)$([ "$todo" -gt 0 ] && echo ", $todo TODO")"
  else
    not_ok "$name: $passed of ${planned:-?} passed, $failing failing (pg_prove exit $rc)"
    grep -E '^not ok|^# |Parse errors|Wstat|ERROR' "$dir/$name.out" | grep -v '# TODO' | head -40 | sed 's/^/# /'
  fi
done

# -- the server after the suite ---------------------------------------------------
for p in "${patterns[@]}"; do
  hits=$(crash_lines "$log_from" "$p")
  is "$hits" "" "the server log of the suite has no line matching '$p'"
done
is "$(q -d postgres -c 'SELECT pg_postmaster_start_time()')" "$start_time" "pg_postmaster_start_time() did not change"
is "$(aux)" "$aux_before" "every auxiliary process is the one that ran before the suite (no crash-restart)"
others() { q -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"; }
for _ in $(seq 1 50); do [ "$(others)" = 0 ] && break; sleep 0.1; done # a backend may take a moment to exit
is "$(others)" 0 "no client backend is left behind (every session of the suite ended)"
is "$(q -d cp_pgtap -c "SELECT creator_platform.uuid_v7_timestamp(creator_platform.uuid_generate_v7()) IS NOT NULL,
                               (SELECT count(*) FROM creator_platform.reconcile_counters(false))")" "t|0" \
   "a new session uses the extension, and every counter is exact"

# -- the checks see a crash ----------------------------------------------------------
log_from=$(stat -c %s "$dir/server.log")
q -d postgres -c "SELECT pg_sleep(60)" >/dev/null 2>&1 &
sleeper=$!
victim=
for _ in $(seq 1 50); do
  victim=$(q -d postgres -c "SELECT pid FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60)' AND pid <> pg_backend_pid()")
  [ -n "$victim" ] && break
  sleep 0.1
done
[ -n "$victim" ] && kill -9 "$victim"
wait "$sleeper" 2>/dev/null; sleeper=
for _ in $(seq 1 100); do
  [ "$(q -d postgres -c 'SELECT 1' 2>/dev/null)" = 1 ] && break
  sleep 0.1
done
hits=$(crash_lines "$log_from" 'terminated by signal')
if [ -n "$victim" ] && [ -n "$hits" ]; then
  ok "a backend killed on purpose afterwards: the log check sees it ($(head -1 <<<"$hits" | sed -E 's/^.*(server process)/\1/'))"
else
  not_ok "a backend killed on purpose afterwards: the log check sees it"
fi
aux_after=$(aux)
if [ -n "$aux_after" ] && [ "$aux_after" != "$aux_before" ]; then
  ok "... and the process check sees every auxiliary process replaced"
else
  not_ok "... and the process check sees every auxiliary process replaced"
fi
is "$(q -d postgres -c 'SELECT pg_postmaster_start_time()')" "$start_time" \
   "... while pg_postmaster_start_time() stays the same through a crash-restart (it alone would miss a crash)"

if [ $failed -ne 0 ]; then
  echo "# server log (last lines):"; tail -20 "$dir/server.log" 2>/dev/null | sed 's/^/# /'
fi
exit $failed
