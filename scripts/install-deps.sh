#!/usr/bin/env bash
# Installs every Debian package that building, testing, benchmarking and the demo
# need. Idempotent: when everything is present it changes nothing and does not
# touch the network. Works as root or, for a normal user, through sudo.
#
#   scripts/install-deps.sh            install what is missing
#   scripts/install-deps.sh --check    exit 1 (and list them) if anything is missing
set -euo pipefail

PACKAGES=(
  # compilers and build tools
  make g++ cmake pkg-config clang-14 llvm-14 libclang-rt-14-dev
  # C++ libraries and the unit-test framework
  libboost-dev libfmt-dev libgtest-dev googletest
  # the PostgreSQL 15 server, its headers (same minor) and the extensions we test with
  postgresql-15 postgresql-client-15 postgresql-server-dev-15
  postgresql-15-cron postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl
  # later test layers: pooler, client library, sqlsmith
  pgbouncer python3-psycopg sqlsmith
  # small tools the scripts use
  perl util-linux procps
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

# The Node example client (examples/node, test/tap/examples_node.sh) needs node
# and npm: Debian's `nodejs` and `npm` only when the command is not on PATH
# already. Not in PACKAGES, which dpkg checks: node often comes from elsewhere
# (nodesource, nvm), and Debian's npm pulls in a few hundred packages.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else echo "install-deps: need root or sudo to run: $*" >&2; exit 1
  fi
}

if [ "${1:-}" = "--check" ]; then
  if [ ${#missing[@]} -gt 0 ]; then echo "missing: ${missing[*]}"; exit 1; fi
  exit 0
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -q
  # server and headers in one transaction so apt keeps them on the same minor
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${missing[@]}" postgresql-15 postgresql-server-dev-15
fi

# Headers and server must be the same minor: a server-dev install can pull a newer
# server, and an older server-dev next to a newer server builds a mismatched module.
server=$(dpkg-query -W -f='${Version}' postgresql-15)
headers=$(dpkg-query -W -f='${Version}' postgresql-server-dev-15)
if [ "$server" != "$headers" ]; then
  echo "install-deps: server $server and headers $headers differ; upgrading both"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    postgresql-15 postgresql-server-dev-15 postgresql-client-15
fi
