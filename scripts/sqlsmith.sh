#!/usr/bin/env bash
# sqlsmith (Debian's package) against creator_platform with data loaded, on a
# throwaway cluster: random queries over the extension's tables, views and
# functions, run as a role that is not a superuser, for a bounded time; the
# server must never crash.
#
#   scripts/sqlsmith.sh                       90 seconds (`make sqlsmith`)
#   scripts/sqlsmith.sh --seconds 25          test/tap/sqlsmith.sh in `make test`
#   scripts/sqlsmith.sh --max-queries 5000    stop after that many queries (both bounds apply if both are given)
#   scripts/sqlsmith.sh --seed 42             sqlsmith's random seed (default: a new one, printed)
#   scripts/sqlsmith.sh --keep                leave the cluster running afterwards
#
# 1. starts a cluster (scripts/cluster.sh) whose log line carries the SQLSTATE
#    (%e), creates database cp_smith with the extension and bench/generate.sql
#    at scale 0.02 (200 users, 400 posts, ~1,200 comments), archives the posts
#    older than two years and refreshes the statistics;
# 2. creates role cp_smith (LOGIN, no superuser, no membership in any
#    predefined role) and gives it what an application and its maintenance
#    role get: creator_platform.grant_usage and grant_maintenance
#    (docs/security.md), so sqlsmith reaches every function and relation of
#    the contract and nothing of the extension's own;
# 3. runs sqlsmith as cp_smith with --exclude-catalog (its FROM clauses use
#    the extension's relations, not the system catalogs) under `timeout`;
# 4. checks that the server never crashed: pg_postmaster_start_time()
#    unchanged, the same auxiliary processes as before (a crash of any
#    backend restarts all of them, while the postmaster and its start time
#    stay), no 'terminated by signal', 'was terminated', 'exited with exit
#    code', PANIC, TRAP: or reinitialization in the log; and that no internal
#    error (XX000) came from creator_platform (its message or context names
#    creator_platform). XX000 from PostgreSQL itself is listed, not failed;
# 5. prints a summary: queries run, errors by SQLSTATE (from the server log)
#    and sqlsmith's own error counts by message.
#
# Prints `PASS: ...` / `FAIL: ...` for each check; the exit status is non-zero
# if any check fails or sqlsmith could not run. Logs stay in
# build/sqlsmith-logs/ (or $CP_SQLSMITH_LOGS): sqlsmith's output, the server
# log, the XX000 errors with their statements.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$CP_ROOT" || exit 1

seconds='' max_queries='' seed='' keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --max-queries) max_queries="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: sqlsmith.sh [--seconds N] [--max-queries N] [--seed N] [--keep]" >&2; exit 2 ;;
  esac
done
[ -z "$seconds" ] && [ -z "$max_queries" ] && seconds=90
for v in "$seconds" "$max_queries" "$seed"; do
  case "$v" in ''|*[!0-9]*) [ -z "$v" ] || { echo "sqlsmith.sh: --seconds, --max-queries and --seed take a whole number" >&2; exit 2; } ;; esac
done
[ -z "$seed" ] && seed=$(( (RANDOM << 15) | RANDOM ))
SQLSMITH=$(command -v sqlsmith) || { echo "FAIL: sqlsmith is not installed (apt-get install sqlsmith)"; exit 1; }
PGBIN=$("$PG_CONFIG" --bindir)
PSQL="$PGBIN/psql"
LOGS=${CP_SQLSMITH_LOGS:-$CP_ROOT/build/sqlsmith-logs}
rm -rf "$LOGS"; mkdir -p "$LOGS"

dir=$(cp_tempdir sqlsmith)
cleanup() { cp_cluster_done "$dir" "$LOGS" "$keep" >/dev/null; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

failures=0
pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1"; failures=$((failures + 1)); }

echo "== cluster, database cp_smith, data (bench/generate.sql, scale 0.02)"
if ! bash scripts/cluster.sh start "$dir" >"$LOGS/cluster.log" 2>&1; then
  cat "$LOGS/cluster.log"; fail "could not start a cluster"; exit 1
fi
. "$dir/env"
export PGHOST PGPORT PGUSER
q() { "$PSQL" -X -q -At -v ON_ERROR_STOP=1 "$@"; }
if ! { q -d postgres -c "ALTER SYSTEM SET log_line_prefix = '%m [%p] %e %q%u@%d '" -c 'SELECT pg_reload_conf()' \
       && q -d postgres -c 'CREATE DATABASE cp_smith' \
       && q -d cp_smith -c 'CREATE EXTENSION creator_platform CASCADE' \
       && "$PSQL" -X -v ON_ERROR_STOP=1 -v scale=0.02 -d cp_smith -f bench/generate.sql \
       && q -d cp_smith -c "SELECT creator_platform.archive_posts(now() - interval '2 years', 100000)" \
            -c 'SELECT creator_platform.refresh_stats()' -c 'VACUUM ANALYZE'; } >"$LOGS/setup.log" 2>&1; then
  tail -20 "$LOGS/setup.log"; fail "could not load the data"; exit 1
fi
q -d cp_smith >>"$LOGS/setup.log" 2>&1 <<'SQL' || { tail -20 "$LOGS/setup.log"; fail "could not create role cp_smith"; exit 1; }
CREATE ROLE cp_smith LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
-- what an application and its maintenance role get (docs/security.md): every
-- function, table and view of the contract, nothing of the extension's own
-- (cursor_secret, privilege_sets, the grant functions)
SELECT creator_platform.grant_usage('cp_smith');
SELECT creator_platform.grant_maintenance('cp_smith');
SQL
counts=$(q -d cp_smith -c "SELECT (SELECT count(*) FROM creator_platform.users) || ' users, '
                               || (SELECT count(*) FROM creator_platform.posts) || ' posts, '
                               || (SELECT count(*) FROM creator_platform.posts_archive) || ' archived posts, '
                               || (SELECT count(*) FROM creator_platform.comments) || ' comments, '
                               || (SELECT count(*) FROM creator_platform.subscriptions) || ' subscriptions'")
echo "   $counts; role cp_smith (not a superuser, rolsuper = $(q -d postgres -c "SELECT rolsuper FROM pg_roles WHERE rolname = 'cp_smith'"))"

aux() {
  q -d postgres -c "SELECT string_agg(backend_type || ' ' || pid || ' ' || backend_start, ', ' ORDER BY backend_type)
                      FROM pg_stat_activity WHERE backend_type <> 'client backend'"
}
start_time=$(q -d postgres -c 'SELECT pg_postmaster_start_time()')
aux_before=$(aux)
log_from=$(stat -c %s "$dir/server.log")

bound=""
[ -n "$seconds" ] && bound="$seconds s"
[ -n "$max_queries" ] && bound="${bound:+$bound or }$max_queries queries"
echo "== sqlsmith as cp_smith, seed $seed, for $bound"
args=(--target="host=$PGHOST port=$PGPORT dbname=cp_smith user=cp_smith" --seed="$seed" --verbose --exclude-catalog)
[ -n "$max_queries" ] && args+=(--max-queries="$max_queries")
started=$(date +%s)
if [ -n "$seconds" ]; then
  # SIGINT makes sqlsmith print its report and stop; KILL 30 s later if it hangs
  timeout --signal=INT --kill-after=30 "$seconds" "$SQLSMITH" "${args[@]}" >"$LOGS/sqlsmith.out" 2>"$LOGS/sqlsmith.err"
else
  "$SQLSMITH" "${args[@]}" >"$LOGS/sqlsmith.out" 2>"$LOGS/sqlsmith.err"
fi
rc=$?
elapsed=$(( $(date +%s) - started ))
queries=$(sed -nE 's/^queries: ([0-9]+).*/\1/p' "$LOGS/sqlsmith.err" | tail -1)
if [ -z "$queries" ]; then
  # no final report (killed): count its progress characters, one per query
  queries=$(grep -E '^[.eSC]+$' "$LOGS/sqlsmith.err" | tr -d '\n' | wc -c)
fi
if [ "${queries:-0}" -gt 0 ]; then
  pass "sqlsmith ran $queries queries in ${elapsed}s (exit $rc)"
else
  fail "sqlsmith ran no query (exit $rc): see ${LOGS#"$CP_ROOT"/}/sqlsmith.err"
  tail -20 "$LOGS/sqlsmith.err"
fi

# -- did the server survive? ---------------------------------------------------------
for _ in $(seq 1 100); do [ "$(q -d postgres -c 'SELECT 1' 2>/dev/null)" = 1 ] && break; sleep 0.1; done
tail -c +"$((log_from + 1))" "$dir/server.log" >"$LOGS/run.log"
now_start=$(q -d postgres -c 'SELECT pg_postmaster_start_time()' 2>/dev/null)
if [ "$now_start" = "$start_time" ]; then pass "pg_postmaster_start_time() unchanged ($start_time)"
else fail "pg_postmaster_start_time() changed: $start_time -> ${now_start:-no answer}"; fi
if [ "$(aux)" = "$aux_before" ]; then pass "the same auxiliary processes as before the run (no crash-restart)"
else fail "the auxiliary processes were replaced: the server crashed and restarted"; fi
crash=$(grep -nE 'terminated by signal|was terminated|server process .* exited with exit code|PANIC|TRAP:|all server processes terminated; reinitializing' "$LOGS/run.log" | head -5)
if [ -z "$crash" ]; then pass "the server log shows no crash"
else fail "the server log shows a crash:"; echo "$crash" | sed 's/^/    /'; fi

# -- internal errors ---------------------------------------------------------------------
# Every XX000 line with the DETAIL, HINT, CONTEXT and STATEMENT lines of the
# same backend that follow it (log lines: date time zone [pid] SQLSTATE user@db).
awk '
  / XX000 .*ERROR:  / { if (cur != "") print cur "\n"; cur = $0; pid = $4; next }
  cur != "" && $4 == pid && / (CONTEXT|STATEMENT|DETAIL|HINT):  / { cur = cur "\n" $0; next }
  cur != "" && /^\t/ { cur = cur "\n" $0; next }
  cur != "" { print cur "\n"; cur = "" }
  END { if (cur != "") print cur }' "$LOGS/run.log" >"$LOGS/xx000.log"
n_xx=$(grep -c ' XX000 .*ERROR:  ' "$LOGS/xx000.log")
# (a STATEMENT line names creator_platform's tables in nearly every query; look
# at the error and its context only)
ours=$(awk 'BEGIN { RS = "" } { split($0, l, "\n"); hit = 0
                                 for (i in l) if (l[i] !~ / STATEMENT:  / && l[i] !~ /^\t/ && l[i] ~ /creator_platform/) hit = 1
                                 n += hit } END { print n + 0 }' "$LOGS/xx000.log")
if [ "$ours" -eq 0 ]; then pass "no internal error (XX000) from creator_platform ($n_xx XX000 in all)"
else fail "$ours internal errors (XX000) from creator_platform: ${LOGS#"$CP_ROOT"/}/xx000.log"; head -30 "$LOGS/xx000.log" | sed 's/^/    /'; fi

# -- summary --------------------------------------------------------------------------------
echo "== summary: $queries queries in ${elapsed}s, seed $seed"
errors=$(grep -c ' cp_smith@cp_smith ERROR:  ' "$LOGS/run.log")
echo "   errors in the server log: $errors; by SQLSTATE (count, SQLSTATE, a message):"
awk '/ cp_smith@cp_smith ERROR:  / {
       st = $5; msg = $0; sub(/.*ERROR:  /, "", msg); n[st]++; if (!(st in ex)) ex[st] = substr(msg, 1, 90) }
     END { for (s in n) printf "%8d  %s  %s\n", n[s], s, ex[s] }' "$LOGS/run.log" | sort -rn | head -20
# sqlsmith reports every so often; its last report covers the whole run
awk '/^queries: / { n = NR } { line[NR] = $0 } END { for (i = n; i <= NR && n > 0; i++) print line[i] }' \
  "$LOGS/sqlsmith.err" >"$LOGS/sqlsmith-report.txt"
echo "   sqlsmith's own report: $(grep -E '^error rate' "$LOGS/sqlsmith-report.txt" | tail -1); most frequent errors (count, message):"
grep -E '^[0-9]+[[:space:]]+(ERROR|FATAL)' "$LOGS/sqlsmith-report.txt" | sort -rn | head -10 | sed 's/^/   /'
[ "$n_xx" -gt 0 ] && echo "   XX000 (PostgreSQL's own internal errors included) with their statements: ${LOGS#"$CP_ROOT"/}/xx000.log"
echo "   logs: ${LOGS#"$CP_ROOT"/}/"
[ "$failures" -eq 0 ]
