#!/usr/bin/env bash
# `make installcheck` (scripts/installcheck.sh) against a server it did not
# start: a throwaway cluster of this test's own stands for the user's server.
# Prints TAP.
#   1  make installcheck with the cluster's PGHOST/PGPORT/PGUSER ends with
#      "N passed, 0 failed", N > 0, and exits 0
#   2  it ran both suites (pg_regress and pgTAP lines in its output)
#   3  its scratch databases are gone afterwards
#   4  as a role that is not a superuser it refuses, exits non-zero and says why
#   5  it started no server of its own (the cluster's postmaster is the only
#      one with this data directory, and the same pid as before)
#   6  META.json parses and has what PGXN's META spec 1.0.0 requires (name,
#      abstract, version, maintainer, license, provides with file and
#      version, meta-spec 1.0.0), its versions equal default_version, and
#      every file it names exists
#   7  CHANGELOG.md has a section for every version in sql/
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$root/scripts/lib.sh"
PGBIN=$("$PG_CONFIG" --bindir)
dir=$(cp_tempdir installcheck)
cleanup() { bash "$root/scripts/cluster.sh" stop "$dir/c" >/dev/null 2>&1; rm -rf -- "$dir"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
n=0 failures=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failures=$((failures + 1)); echo "not ok $n - $1"; }
echo "1..7"
bash "$root/scripts/cluster.sh" start "$dir/c" >"$dir/cluster.log" 2>&1 || { cat "$dir/cluster.log" | sed 's/^/# /'; exit 1; }
. "$dir/c/env"
pid=$(head -1 "$dir/c/data/postmaster.pid")
CP_INSTALLCHECK_LOGS=$dir/logs make -s -C "$root" installcheck >"$dir/out" 2>&1
rc=$?
last=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$dir/out" | tail -1)
if [ "$rc" -eq 0 ] && [[ $last =~ ^([0-9]+)\ passed,\ 0\ failed$ ]] && [ "${BASH_REMATCH[1]}" -gt 0 ]; then
  ok "make installcheck against an existing server: $last"
else
  not_ok "make installcheck against an existing server (exit $rc, '$last')"; tail -30 "$dir/out" | sed 's/^/# /'
fi
if grep -q '^== regress' "$dir/out" && grep -q '^== pgtap' "$dir/out" && grep -Eq '^   [0-9]+ passed' "$dir/out"; then
  ok "it ran pg_regress and pgTAP"
else not_ok "it ran pg_regress and pgTAP"; fi
left=$("$PGBIN/psql" -X -At -d postgres -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'creator_platform_installcheck%'")
[ "$left" = 0 ] && ok "its scratch databases are dropped" || not_ok "its scratch databases are dropped ($left left)"
"$PGBIN/psql" -X -q -d postgres -c "CREATE ROLE cp_ic_plain LOGIN" >/dev/null
PGUSER=cp_ic_plain CP_INSTALLCHECK_LOGS=$dir/logs2 make -s -C "$root" installcheck >"$dir/out2" 2>&1
rc2=$?
if [ "$rc2" -ne 0 ] && grep -q 'must be a superuser' "$dir/out2" && grep -q '^0 passed, 1 failed$' "$dir/out2"; then
  ok "as a role that is not a superuser it refuses and says why"
else not_ok "as a role that is not a superuser it refuses and says why (exit $rc2)"; sed 's/^/# /' "$dir/out2"; fi
if [ "$(head -1 "$dir/c/data/postmaster.pid")" = "$pid" ] && [ "$(pgrep -f -c -- "-D $dir/c/data" || true)" -le 1 ]; then
  ok "it used the running server and started none"
else not_ok "it used the running server and started none"; fi
newest=$(sed -nE "s/^[[:space:]]*default_version[[:space:]]*=[[:space:]]*'([^']+)'.*/\1/p" "$root/creator_platform.control")
if out=$(python3 - "$root" "$newest" 2>&1 <<'PY'
import json, os, re, sys
root, newest = sys.argv[1], sys.argv[2]
m = json.load(open(os.path.join(root, "META.json")))
problems = [k for k in ("name", "abstract", "version", "maintainer", "license", "provides", "meta-spec") if k not in m]
sem = re.compile(r"^\d+\.\d+\.\d+$")
if m.get("meta-spec", {}).get("version") != "1.0.0": problems.append("meta-spec.version is not 1.0.0")
if m.get("version") != newest: problems.append("version %r is not default_version %r" % (m.get("version"), newest))
if m.get("license") not in ("postgresql", "bsd", "mit", "apache_2_0", "gpl_3", "restricted", "open_source"): problems.append("license %r" % m.get("license"))
for name, p in m.get("provides", {}).items():
    if not sem.match(p.get("version", "")): problems.append("provides.%s.version" % name)
    if p.get("version") != newest: problems.append("provides.%s.version is not %s" % (name, newest))
    for k in ("file", "docfile"):
        if k in p and not os.path.exists(os.path.join(root, p[k])): problems.append("provides.%s.%s %s missing" % (name, k, p[k]))
    if "file" not in p: problems.append("provides.%s.file" % name)
if "creator_platform" not in m.get("provides", {}): problems.append("provides.creator_platform")
pg = m.get("prereqs", {}).get("runtime", {}).get("requires", {}).get("PostgreSQL", "")
if not pg.startswith("15"): problems.append("prereqs.runtime.requires.PostgreSQL %r" % pg)
print("; ".join(problems) or "ok")
sys.exit(1 if problems else 0)
PY
); then ok "META.json: valid for PGXN META spec 1.0.0, version $newest"; else not_ok "META.json: $out"; fi
missing=()
for f in "$root"/sql/creator_platform--*.sql; do
  b=${f##*/}; b=${b#creator_platform--}; b=${b%.sql}; v=${b##*--}
  grep -q "^## $v" "$root/CHANGELOG.md" || missing+=("$v")
done
[ "${#missing[@]}" -eq 0 ] && ok "CHANGELOG.md has a section for every version in sql/" \
  || not_ok "CHANGELOG.md has a section for every version in sql/ (missing: ${missing[*]})"
[ "$failures" -eq 0 ]
