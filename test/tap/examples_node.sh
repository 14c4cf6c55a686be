#!/usr/bin/env bash
# The Node example client (examples/node/creator_cli.js, pg from npm) against a
# throwaway cluster of its own, run as a plain LOGIN role that holds nothing but
# creator_platform.grant_usage: the least-privilege story of docs/security.md with
# a real client. Prints TAP. About 10 s (npm ci from the committed lockfile). The
# checks are test/tap/lib/example_client.sh (the same for the Python client).
#
#   install    the three files of examples/node are copied to a scratch directory
#              and `npm ci` installs pg there from the committed package-lock.json
#              (the tree is not touched); skipped as a whole, with a TAP skip, only
#              when node or npm is not installed (scripts/install-deps.sh installs
#              Debian's when they are missing)
client_name=examples_node client_tag=js1 client_label=creator_cli.js
client_skip() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "node or npm is not installed (scripts/install-deps.sh installs Debian's nodejs and npm)"
  fi
}
client_setup() {
  app=$dir/app
  mkdir -p "$app" && cp "$root"/examples/node/{package.json,package-lock.json,creator_cli.js} "$app/"
  if ! (cd "$app" && npm ci --no-audit --no-fund --loglevel=error) >"$dir/npm.log" 2>&1; then
    sed 's/^/# /' "$dir/npm.log" | tail -20; echo "Bail out! npm ci failed in a copy of examples/node"; exit 1
  fi
  echo "# node $(node --version), npm $(npm --version 2>/dev/null), pg $(node -p "require('$app/node_modules/pg/package.json').version")"
  cli() { PGUSER=app node "$app/creator_cli.js" "$@"; }
}
# shellcheck source=test/tap/lib/example_client.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/example_client.sh"
