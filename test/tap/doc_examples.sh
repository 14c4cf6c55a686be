#!/usr/bin/env bash
# The examples of docs/reference.md are those of a real run (issue 7): runs
# scripts/doc-examples.sh --check (its own throwaway cluster, ~15 s) and relays
# its verdicts as TAP:
#   one test per example   its output block equals what this run prints (a stale
#                          block fails, with the diff)
#   coverage               every public function and procedure (schema
#                          creator_platform, not a trigger function, not _-prefixed),
#                          table, view, materialized view, creator_platform.* setting
#                          and SQLSTATE of the page's tables has an example, read from
#                          the catalog of the installed extension
#   well-formed            every example that covers a SQLSTATE raises it, every one
#                          that covers an object names it; ids are unique
#   the check can fail     the same script on a scratch copy of the first example with
#                          one output line added by hand reports it stale, shows the
#                          diff and exits non-zero
# DOC_EXAMPLES_FILE=path checks another copy of the page (used for the last test).
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$root/scripts/lib.sh"
doc=${DOC_EXAMPLES_FILE:-$root/docs/reference.md}
tmp=$(cp_tempdir docextest)
trap 'rm -rf -- "$tmp"' EXIT

bash "$root/scripts/doc-examples.sh" --check --file "$doc" >"$tmp/out" 2>&1
rc=$?
n_examples=$(grep -c '^RESULT \(ok\|stale\|new\) ' "$tmp/out")
if ! grep -q '^RESULT coverage ' "$tmp/out" || [ "$n_examples" -eq 0 ]; then
  echo "1..1"; echo "not ok 1 - scripts/doc-examples.sh ran"; sed 's/^/# /' "$tmp/out" | tail -40; exit 1
fi
echo "1..$((n_examples + 4))"
n=0
while read -r _ status id; do
  n=$((n + 1))
  if [ "$status" = ok ]; then echo "ok $n - example $id is up to date"
  else
    echo "not ok $n - example $id is $status (run scripts/doc-examples.sh --update)"
    awk -v id="$id" '$0 ~ "^--- reference.md: " id "$" {on = 1} on && /^RESULT|^PROBLEM/ {on = 0} on && /^(---|\+\+\+) / && $0 !~ id "$" {on = 0} on' "$tmp/out" | sed 's/^/# /'
  fi
done < <(grep '^RESULT \(ok\|stale\|new\) ' "$tmp/out")
n=$((n + 1))
cov=$(sed -n 's/^RESULT coverage //p' "$tmp/out")
case "$cov" in
  ok*) echo "ok $n - every public function, table, view, setting and SQLSTATE has an example (${cov#ok } objects)" ;;
  *) echo "not ok $n - objects without an example: ${cov#missing }" ;;
esac
n=$((n + 1))
if grep -q '^PROBLEM ' "$tmp/out"; then
  echo "not ok $n - examples are well-formed"; grep '^PROBLEM ' "$tmp/out" | sed 's/^/# /'
else echo "ok $n - examples are well-formed (each raises the SQLSTATE it covers, names the object it covers)"; fi
n=$((n + 1))
if [ "$rc" = 0 ]; then echo "ok $n - scripts/doc-examples.sh --check exits 0"
else echo "not ok $n - scripts/doc-examples.sh --check exits $rc"; tail -1 "$tmp/out" | sed 's/^/# /'; fi

# The check can fail: alter one output line of the first example in a scratch copy.
n=$((n + 1))
if [ -n "${DOC_EXAMPLES_FILE:-}" ]; then
  echo "ok $n - # SKIP the self-test runs only on docs/reference.md"
else
  first=$(grep -m1 '^RESULT ok ' "$tmp/out" | awk '{print $3}')
  python3 - "$root/docs/reference.md" "$tmp/copy.md" <<'PY'
import sys, re
t = open(sys.argv[1]).read()
m = re.search(r"<!-- example: [^\n]*-->\n```sql\n.*?\n```\n```text\n", t, re.S)
i = m.end()
j = t.index("<!-- /example -->", i) + len("<!-- /example -->\n")
open(sys.argv[2], "w").write(t[m.start():i] + "ALTERED BY HAND\n" + t[i:j])   # that example alone: fast
PY
  bash "$root/scripts/doc-examples.sh" --check --file "$tmp/copy.md" >"$tmp/out2" 2>&1
  rc2=$?
  if [ "$rc2" != 0 ] && grep -q "^RESULT stale $first\$" "$tmp/out2" && grep -q '^-ALTERED BY HAND' "$tmp/out2" \
     && [ "$(grep -c '^RESULT stale ' "$tmp/out2")" = 1 ]; then
    echo "ok $n - a hand-edited output in a scratch copy is reported stale ($first), with its diff, exit non-zero"
  else
    echo "not ok $n - a hand-edited output in a scratch copy is not caught (exit $rc2)"; tail -5 "$tmp/out2" | sed 's/^/# /'
  fi
fi
