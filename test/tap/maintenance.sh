#!/usr/bin/env bash
# Maintenance with pg_cron (0.4.0, API.md "Maintenance with pg_cron"), on the
# test cluster (pg_cron preloaded, cron.database_name = postgres) and on a
# cluster of its own without pg_cron:
#   * from a database where pg_cron does not live and dblink is not installed:
#     55000, a hint with the exact statements to run in pg_cron's database,
#     nothing scheduled;
#   * with dblink: the named jobs of maintenance_jobs() are scheduled in
#     pg_cron's database to run in this one; a second call leaves one of each
#     (the same job ids);
#   * a real pg_cron run: a scheduled post whose time has come is published by
#     the every-minute job within ~70 s, and cron.job_run_details says succeeded;
#   * every other job's command runs without error where the job would run it;
#   * unschedule_maintenance() removes them all (then 0);
#   * in pg_cron's own database the jobs are scheduled directly;
#   * without pg_cron in the cluster: 55000 from both, nothing changes.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
PSQL=$(command -v psql || echo /usr/lib/postgresql/15/bin/psql)
q() { "$PSQL" -X -q -v ON_ERROR_STOP=1 -At "$@"; } # q -d DB -c SQL
# the SQLSTATE of a failing statement, or "ok"
state() { # db sql
  local err
  err=$(q -d "$1" -v VERBOSITY=verbose -c "$2" 2>&1 >/dev/null)
  err=$(sed -nE 's/^ERROR:  ([0-9A-Z]{5}):.*/\1/p' <<<"$err" | head -1)
  echo "${err:-ok}"
}

test_no=0 failures=0
ok() { test_no=$((test_no + 1)); echo "ok $test_no - $1"; }
not_ok() { test_no=$((test_no + 1)); failures=$((failures + 1)); echo "not ok $test_no - $1"; }
is() { if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3"; echo "#   got: '$1'"; echo "#   expected: '$2'"; fi; }
like() { if grep -qF -- "$2" <<<"$1"; then ok "$3"; else not_ok "$3"; echo "#   '$1'"; echo "#   does not contain '$2'"; fi; }

db=cp_maint_$$
own=""
cleanup() {
  q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
  q -d postgres -c "SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname LIKE 'creator_platform:%'" >/dev/null 2>&1
  q -d postgres -c "DROP EXTENSION IF EXISTS creator_platform CASCADE" >/dev/null 2>&1
  [ -n "$own" ] && bash "$root/scripts/cluster.sh" stop "$own" >/dev/null 2>&1 && rm -rf "$own"
}
trap cleanup EXIT

echo "1..20"
q -d postgres -c "CREATE EXTENSION IF NOT EXISTS pg_cron" >/dev/null
q -d postgres -c "CREATE DATABASE $db" >/dev/null
q -d $db -c "CREATE EXTENSION creator_platform CASCADE" >/dev/null
jobs() { q -d postgres -c "SELECT count(*) FROM cron.job WHERE jobname LIKE 'creator_platform:%:$db'"; }
n_jobs=$(q -d $db -c "SELECT count(*) FROM creator_platform.maintenance_jobs()")

# --- pg_cron elsewhere, no dblink ---------------------------------------------------
is "$(state $db 'SELECT creator_platform.schedule_maintenance()')" 55000 \
   "without dblink, from a database where pg_cron does not live: 55000"
hint=$(q -d $db -c 'SELECT creator_platform.schedule_maintenance()' 2>&1)
like "$hint" "connect to database postgres and run:" "the hint names pg_cron's database"
like "$hint" "SELECT cron.schedule_in_database('creator_platform:publish_due_posts:$db', '* * * * *', 'SELECT creator_platform.publish_due_posts()', '$db');" \
     "the hint gives the exact statements"
is "$(jobs)" 0 "and nothing was scheduled"
is "$(state $db 'SELECT creator_platform.unschedule_maintenance()')" 55000 "unschedule_maintenance without dblink: 55000"

# --- with dblink --------------------------------------------------------------------
q -d $db -c "CREATE EXTENSION dblink" >/dev/null
ids1=$(q -d $db -c "SELECT string_agg(id::text, ',' ORDER BY id) FROM creator_platform.schedule_maintenance() AS id")
is "$(jobs)" "$n_jobs" "with dblink: one pg_cron job per maintenance job ($n_jobs)"
ids2=$(q -d $db -c "SELECT string_agg(id::text, ',' ORDER BY id) FROM creator_platform.schedule_maintenance() AS id")
is "$ids2" "$ids1" "a second call returns the same job ids"
is "$(jobs)" "$n_jobs" "and leaves one of each"
is "$(q -d postgres -c "SELECT count(*) FROM cron.job WHERE jobname LIKE 'creator_platform:%:$db' AND database = '$db' AND jobname NOT LIKE '%:purge_cron_history:%'")" \
   "$((n_jobs - 1))" "every job but the cron history purge runs in the extension's database"

# --- a real pg_cron run ---------------------------------------------------------------
q -d $db >/dev/null <<SQL
INSERT INTO creator_platform.users (id, email, username, role)
VALUES ('00000000-0000-7000-8000-0000000000c1', 'c1@maint.test', 'maint_c1', 'creator');
INSERT INTO creator_platform.posts (id, creator_id, title, status, published_at)
VALUES ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000c1', 'due', 'scheduled', now() + interval '2 seconds');
SQL
status=""
for _ in $(seq 1 80); do
  status=$(q -d $db -c "SELECT status FROM creator_platform.posts WHERE id = '00000000-0000-7000-8000-000000000b01'")
  [ "$status" = published ] && break
  sleep 1
done
is "$status" published "pg_cron's every-minute job published the due post (waited up to 80 s)"
is "$(q -d postgres -c "SELECT d.status FROM cron.job_run_details d JOIN cron.job j USING (jobid)
                         WHERE j.jobname = 'creator_platform:publish_due_posts:$db' ORDER BY d.runid DESC LIMIT 1")" \
   succeeded "cron.job_run_details: the run succeeded"

# --- every other job's command, run where the job runs it ------------------------------
failed=""
while IFS='|' read -r name run_in; do
  cmd=$(q -d $db -c "SELECT command FROM creator_platform.maintenance_jobs() WHERE job_name = '$name'")
  if [[ "$name" == *:archive:* ]] && [ "$(q -d $db -c "SELECT to_regproc('creator_platform.archive_old_posts') IS NULL")" = t ]; then
    echo "# archive_old_posts does not exist yet: the archive job's command is not run"
    continue
  fi
  out=$(q -d "$run_in" -c "$cmd" 2>&1) || failed="$failed $name: $out;"
done < <(q -d $db -c "SELECT job_name || '|' || run_in FROM creator_platform.maintenance_jobs() WHERE job_name NOT LIKE '%:publish_due_posts:%' ORDER BY 1")
is "$failed" "" "the command of every other job runs without error in its database"

# --- unschedule -------------------------------------------------------------------------
is "$(q -d $db -c 'SELECT creator_platform.unschedule_maintenance()')" "$n_jobs" "unschedule_maintenance() removes every job"
is "$(jobs)" 0 "none is left"
is "$(q -d $db -c 'SELECT creator_platform.unschedule_maintenance()')" 0 "a second call removes nothing"

# --- pg_cron's own database: scheduled directly ----------------------------------------
q -d postgres -c "CREATE EXTENSION creator_platform CASCADE" >/dev/null
is "$(q -d postgres -c "SELECT count(*) FROM creator_platform.schedule_maintenance()")" "$n_jobs" \
   "in pg_cron's own database (no dblink there): every job scheduled"
is "$(q -d postgres -c "SELECT count(*) FROM cron.job WHERE jobname LIKE 'creator_platform:%:postgres' AND database = 'postgres'")" \
   "$n_jobs" "to run in that database"
is "$(q -d postgres -c 'SELECT creator_platform.unschedule_maintenance()')" "$n_jobs" "and unscheduled"
q -d postgres -c "DROP EXTENSION creator_platform" >/dev/null

# --- a cluster without pg_cron ----------------------------------------------------------
own=$(mktemp -d "${TMPDIR:-/tmp}/cp-nocron.XXXXXX"); chmod 755 "$own"
if bash "$root/scripts/cluster.sh" start "$own" >/dev/null 2>&1; then
  (
    # shellcheck disable=SC1091
    . "$own/env"
    q -d postgres -c "ALTER SYSTEM RESET shared_preload_libraries" >/dev/null
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$own/data" -w -t 60 restart -l "$own/server.log" >/dev/null
    else /usr/lib/postgresql/15/bin/pg_ctl -D "$own/data" -w -t 60 restart -l "$own/server.log" >/dev/null; fi
    q -d postgres -c "CREATE EXTENSION creator_platform CASCADE" >/dev/null
    a=$(state postgres 'SELECT creator_platform.schedule_maintenance()')
    b=$(state postgres 'SELECT creator_platform.unschedule_maintenance()')
    hint=$(q -d postgres -c 'SELECT creator_platform.schedule_maintenance()' 2>&1)
    echo "$a|$b|$(grep -c 'pg_cron is not loaded in this cluster' <<<"$hint")"
  ) >"$own/result" 2>&1
  IFS='|' read -r a b msg <"$own/result"
  is "$a" 55000 "without pg_cron in the cluster: schedule_maintenance gives 55000"
  is "$b" 55000 "and unschedule_maintenance too"
else
  not_ok "a cluster without pg_cron started"; not_ok "(skipped)"
fi
exit $((failures > 0))
