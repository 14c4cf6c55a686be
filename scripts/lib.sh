# Shared by scripts/*.sh: source it, do not run it.
# shellcheck shell=bash

CP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Debian may carry several PostgreSQL versions: always build for 15. Resolved
# again after install-deps, which may have just installed it.
cp_resolve_pg_config() {
  if [ -z "${CP_PG_CONFIG_GIVEN:-}" ]; then
    PG_CONFIG=$( [ -x /usr/lib/postgresql/15/bin/pg_config ] && echo /usr/lib/postgresql/15/bin/pg_config || echo pg_config )
  fi
  export PG_CONFIG
}
[ -n "${PG_CONFIG:-}" ] && CP_PG_CONFIG_GIVEN=1
cp_resolve_pg_config

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else echo "need root or sudo to run: $*" >&2; return 1
  fi
}

# Install packages if anything is missing, then build and install the extension.
cp_build_and_install() {
  bash "$CP_ROOT/scripts/install-deps.sh"
  cp_resolve_pg_config
  local jobs; jobs=$(nproc 2>/dev/null || echo 2)
  make -C "$CP_ROOT" -s -j"$jobs" PG_CONFIG="$PG_CONFIG" >/dev/null
  as_root make -C "$CP_ROOT" -s install PG_CONFIG="$PG_CONFIG" >/dev/null
}

# A scratch directory the postgres user can use (root's home is closed to it).
cp_tempdir() {
  local d; d=$(mktemp -d "${TMPDIR:-/tmp}/creator_platform.$1.XXXXXX")
  chmod 755 "$d"
  echo "$d"
}

# Run a command as the owner of a throwaway cluster: postgres when root
# (initdb and postgres refuse root), the caller otherwise.
cp_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The end of a throwaway cluster: stop it, keep its server log in LOGDIR and
# remove it; with KEEP=1 leave it running and say how to reach it.
cp_cluster_done() { # dir logdir keep
  if [ "${3:-0}" = 1 ]; then
    echo "cluster left running: . $1/env; stop with: bash scripts/cluster.sh stop $1"
    return 0
  fi
  bash "$CP_ROOT/scripts/cluster.sh" stop "$1" >/dev/null 2>&1 || true
  cp "$1/server.log" "$2/server.log" 2>/dev/null || true
  rm -rf -- "$1"
}

# Blocks of generated text inside a document, between the lines
# `<!-- NAME:begin -->` and `<!-- NAME:end -->`, so that two generators can
# share one page (docs/benchmarks.md: bench/run.sh writes the page, bench/feeds.sh
# its feeds block, bench/archive.sh its archive block).
cp_doc_block_get() { # file name: the block, markers included (nothing if absent)
  [ -f "$1" ] || return 0
  awk -v b="<!-- $2:begin -->" -v e="<!-- $2:end -->" '$0 == b {on = 1} on {print} $0 == e {on = 0}' "$1"
}
cp_doc_block_put() { # file name block_file: replace the block, or append it
  local tmp="$1.tmp.$$"
  if [ -f "$1" ] && grep -qxF "<!-- $2:begin -->" "$1"; then
    awk -v b="<!-- $2:begin -->" -v e="<!-- $2:end -->" -v f="$3" '
      $0 == b {while ((getline line < f) > 0) print line; skip = 1; next}
      skip && $0 == e {skip = 0; next}
      !skip {print}' "$1" >"$tmp"
  else
    { [ -f "$1" ] && cat "$1" && echo; cat "$3"; } >"$tmp"
  fi
  mv "$tmp" "$1"
}

# A throwaway cluster for a benchmark: scripts/cluster.sh start DIR (durable
# when CP_CLUSTER_DURABLE=1), its env sourced into the caller, then through
# ALTER SYSTEM and a restart: pg_cron and pg_stat_statements preloaded,
# shared_buffers SHARED_BUFFERS, autovacuum and JIT off, plus the ALTER SYSTEM
# statements the caller gives on standard input. Needs PGBIN.
cp_bench_cluster() { # dir logfile shared_buffers < extra ALTER SYSTEM statements
  bash "$CP_ROOT/scripts/cluster.sh" start "$1" >"$2" || return 1
  # shellcheck disable=SC1091
  . "$1/env"
  { cat <<SQL
ALTER SYSTEM SET shared_preload_libraries = 'pg_cron', 'pg_stat_statements';
ALTER SYSTEM SET shared_buffers = '$3';
ALTER SYSTEM SET autovacuum = off;
ALTER SYSTEM SET jit = off;
SQL
    cat; } | "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -d postgres || return 1
  cp_as_owner "$PGBIN/pg_ctl" -D "$1/data" -l "$1/server.log" -w -t 120 restart >/dev/null
}

# The notes every benchmark report starts with, through the caller's
# `note KEY VALUE`: the run (mode, command, date), the machine, the server and
# the build. $1: the caller's function that prints one value of a query in a
# database with the extension. Uses the caller's $mode and $cmdline.
cp_bench_build_notes() { # query-function
  local q=$1 git_rev
  note mode "$mode"
  note command "$cmdline"
  note date "$(date -u '+%Y-%m-%d %H:%M UTC')"
  note nproc "$(nproc)"
  note cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
  note mem "$(awk '/MemTotal/ {printf "%.1f GB", $2 / 1048576}' /proc/meminfo)"
  note pg_version "$("$q" 'SELECT version()')"
  note ext_version "$("$q" "SELECT extversion FROM pg_extension WHERE extname = 'creator_platform'")"
  git_rev=$(git -C "$CP_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
  if [ -n "$(git -C "$CP_ROOT" status --porcelain -- src sql 2>/dev/null)" ]; then
    git_rev="$git_rev + uncommitted changes in src/ sql/"
  fi
  note git "$git_rev"
}

# The md5 (12 characters) of the installed library, and the note that says
# whether it changed during the run (another make install meanwhile).
cp_bench_so_md5() { md5sum "$SO" 2>/dev/null | cut -c1-12; }
cp_bench_library_note() { # md5 at the start
  local so_end
  so_end=$(cp_bench_so_md5)
  if [ "$1" = "$so_end" ]; then note library "$SO md5 $1, unchanged during the run"
  else
    note library "WARNING: $SO changed during the run (md5 $1 at the start, $so_end at the end): another build was installed meanwhile, so parts of the run may have measured different builds"
    say "WARNING: $SO was replaced during the run (another make install); the report says so"
  fi
}
