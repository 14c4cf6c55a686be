#!/usr/bin/env bash
# The Python example client (examples/python/creator_cli.py, psycopg 3 from Debian)
# against a throwaway cluster of its own, run as a plain LOGIN role that holds
# nothing but creator_platform.grant_usage: the least-privilege story of
# docs/security.md with a real client. Prints TAP. About 5 s. The checks are
# test/tap/lib/example_client.sh (the same for the Node client).
client_name=examples_python client_tag=py1 client_label=creator_cli.py
client_skip() { :; }
client_setup() {
  # Debian's python3 carries python3-psycopg; a python3 found first on PATH
  # (pyenv, a venv) may not have it.
  local p
  PY=''
  for p in /usr/bin/python3 "$(command -v python3)"; do
    [ -x "$p" ] && "$p" -c 'import psycopg' 2>/dev/null && { PY=$p; break; }
  done
  [ -n "$PY" ] || { echo "Bail out! no python3 with psycopg (scripts/install-deps.sh installs python3-psycopg)"; exit 1; }
  echo "# $("$PY" -c 'import sys, psycopg; print("python", sys.version.split()[0], "psycopg", psycopg.__version__)')"
  cli() { PGUSER=app "$PY" "$root/examples/python/creator_cli.py" "$@"; }
}
# shellcheck source=test/tap/lib/example_client.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/example_client.sh"
