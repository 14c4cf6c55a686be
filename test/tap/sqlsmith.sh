#!/usr/bin/env bash
# sqlsmith in `make test` (issue 6, "Hostile input"): scripts/sqlsmith.sh with
# a short bound (CP_SQLSMITH_SECONDS, default 25 s) on a throwaway cluster of
# its own: random queries over the extension's tables, views and functions, as
# a role that is not a superuser, against generated data. Prints TAP, one test
# per check of the script:
#   sqlsmith ran queries; pg_postmaster_start_time() unchanged; the same
#   auxiliary processes as before (no crash-restart); no crash in the server
#   log; no internal error (XX000) from creator_platform.
# The summary (queries, errors by SQLSTATE) is printed as TAP comments;
# `make sqlsmith` runs the same script for 90 s.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$root/scripts/lib.sh"

seconds=${CP_SQLSMITH_SECONDS:-25}
tmp=$(cp_tempdir sqlsmith-tap)
logs=$tmp/logs # scripts/sqlsmith.sh empties it first
trap 'rm -rf -- "$tmp"' EXIT
checks=5
echo "1..$checks"
if ! command -v sqlsmith >/dev/null 2>&1; then
  echo "Bail out! sqlsmith is not installed (apt-get install sqlsmith)"
  exit 1
fi

CP_SQLSMITH_LOGS=$logs bash "$root/scripts/sqlsmith.sh" --seconds "$seconds" >"$tmp/out.txt" 2>&1
rc=$?
n=0 failed=0
while IFS= read -r line; do
  case "$line" in
    PASS:*) n=$((n + 1)); echo "ok $n - ${line#PASS: }" ;;
    FAIL:*) n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - ${line#FAIL: }" ;;
    *) echo "# $line" ;;
  esac
done <"$tmp/out.txt"
if [ $failed -ne 0 ] || [ "$n" -ne "$checks" ]; then
  echo "# scripts/sqlsmith.sh exited $rc after $n of $checks checks; server log (last lines):"
  tail -20 "$logs/server.log" 2>/dev/null | sed 's/^/# /'
  [ -s "$logs/xx000.log" ] && head -40 "$logs/xx000.log" | sed 's/^/# /'
fi
[ "$rc" -eq 0 ] && [ $failed -eq 0 ] && [ "$n" -eq "$checks" ]
