#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for tests, the demo and benchmarks.
#
#   scripts/cluster.sh start DIR   initdb DIR/data if needed, start on a free port,
#                                  write DIR/env (PGHOST PGPORT PGUSER PGDATABASE)
#   scripts/cluster.sh stop DIR    stop it (fast shutdown); no-op if not running
#   scripts/cluster.sh status DIR
#
# The server listens on 127.0.0.1 and a socket in DIR only, trusts local
# connections, preloads pg_cron (cron.database_name = postgres) and never
# touches another cluster. As root it runs the server as the postgres user
# (initdb refuses root). CP_CLUSTER_DURABLE=1 keeps fsync on (benchmarks).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

PGBIN=${PGBIN:-$(dirname "$(readlink -f "$(command -v /usr/lib/postgresql/15/bin/postgres || command -v postgres)")")}
cmd=${1:?usage: cluster.sh start|stop|status DIR}
dir=${2:?usage: cluster.sh start|stop|status DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
data=$dir/data


port_free() {
  local p=$1
  ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && [ ! -e "/tmp/.s.PGSQL.$p" ] \
    && [ ! -e "/var/run/postgresql/.s.PGSQL.$p" ]
}

case "$cmd" in
start)
  if [ -f "$data/postmaster.pid" ] && cp_as_owner "$PGBIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    echo "cluster already running in $dir"; exit 0
  fi
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$dir"
    if ! runuser -u postgres -- test -w "$dir"; then
      echo "cluster: the postgres user cannot write $dir (a parent directory is closed to it); use a directory under /tmp" >&2
      exit 1
    fi
  fi
  if [ ! -f "$data/PG_VERSION" ]; then
    cp_as_owner "$PGBIN/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  durable=${CP_CLUSTER_DURABLE:-0}
  for attempt in 1 2 3 4 5 6 7 8; do
    port=$(( 20000 + (RANDOM % 20000) ))
    port_free "$port" || continue
    cat >"$data/postgresql.auto.conf" <<CONF
# written by scripts/cluster.sh
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
shared_preload_libraries = 'pg_cron'
cron.database_name = 'postgres'
max_connections = 100
max_prepared_transactions = 10
max_worker_processes = 16
shared_buffers = '256MB'
work_mem = '16MB'
maintenance_work_mem = '256MB'
fsync = $([ "$durable" = 1 ] && echo on || echo off)
synchronous_commit = $([ "$durable" = 1 ] && echo on || echo off)
full_page_writes = $([ "$durable" = 1 ] && echo on || echo off)
log_min_messages = warning
log_line_prefix = '%m [%p] %q%u@%d '
CONF
    if cp_as_owner "$PGBIN/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 start >/dev/null 2>&1; then
      cat >"$dir/env" <<ENV
export PGHOST='$dir'
export PGPORT=$port
export PGUSER=postgres
export PGDATABASE=postgres
ENV
      echo "cluster started in $dir on port $port"
      exit 0
    fi
    tail -5 "$dir/server.log" >&2 || true
  done
  echo "cluster: could not start a server in $dir" >&2
  exit 1
  ;;
stop)
  if [ -f "$data/postmaster.pid" ]; then
    cp_as_owner "$PGBIN/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null 2>&1 \
      || cp_as_owner "$PGBIN/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  ;;
status)
  cp_as_owner "$PGBIN/pg_ctl" -D "$data" status
  ;;
*)
  echo "usage: cluster.sh start|stop|status DIR" >&2; exit 2 ;;
esac
