#!/usr/bin/env bash
# Crash safety of archiving (0.4.0, API.md "Archiving": every row is in exactly
# one place, live or archive, at every commit, also if the server is killed
# mid-run). On a cluster of its own:
#   * a fixture of 6,000 old published posts with 5 comments each (replies
#     among them), a few drafts, and live counters;
#   * CALL archive_old_posts(now(), 40) runs in one session while another
#     watches posts_archive grow; at 10%, 35%, 60% and 85% of the posts the
#     archiving backend is killed with SIGKILL, which makes the postmaster
#     reset every backend and replay the WAL (a crash), and the test waits for
#     the server to accept connections again;
#   * after every crash: every post id and every comment id is in exactly one
#     of the live and archive tables (the same sets as before, no duplicate),
#     no comment is apart from its post, every counter is right
#     (reconcile_counters reports 0 drift), and archiving can run again (the
#     advisory lock died with the session);
#   * finally a run to the end archives every old published post.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

test_no=0 failures=0
ok() { test_no=$((test_no + 1)); echo "ok $test_no - $1"; }
not_ok() { test_no=$((test_no + 1)); failures=$((failures + 1)); echo "not ok $test_no - $1"; }
is() { if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3"; echo "#   got: '$1'"; echo "#   expected: '$2'"; fi; }

points=(10 35 60 85)
echo "1..$(( ${#points[@]} * 6 + 3 ))"

dir=$(mktemp -d "${TMPDIR:-/tmp}/cp-archive-crash.XXXXXX"); chmod 755 "$dir"
cleanup() { bash "$root/scripts/cluster.sh" stop "$dir" >/dev/null 2>&1; rm -rf "$dir"; }
trap cleanup EXIT
if ! bash "$root/scripts/cluster.sh" start "$dir" >"$dir/start.log" 2>&1; then
  echo "Bail out! could not start a cluster: $(tail -3 "$dir/start.log")"; exit 1
fi
# shellcheck disable=SC1091
. "$dir/env"
PSQL=$(command -v psql || echo /usr/lib/postgresql/15/bin/psql)
q() { "$PSQL" -X -q -v ON_ERROR_STOP=1 -At -d cp "$@"; }
"$PSQL" -X -q -d postgres -c "CREATE DATABASE cp" && q -c "CREATE EXTENSION creator_platform CASCADE"

q <<'SQL'
INSERT INTO creator_platform.users (email, username, role)
SELECT format('c%s@crash.test', g), format('crash_c%s', g), 'creator' FROM generate_series(1, 60) g;
INSERT INTO creator_platform.users (email, username, role)
SELECT format('r%s@crash.test', g), format('crash_r%s', g), 'reader' FROM generate_series(1, 200) g;
CREATE TEMP TABLE c AS SELECT id, row_number() OVER (ORDER BY id) AS n FROM creator_platform.users WHERE role = 'creator';
CREATE TEMP TABLE r AS SELECT id, row_number() OVER (ORDER BY id) AS n FROM creator_platform.users WHERE role = 'reader';
INSERT INTO creator_platform.posts (creator_id, title, content, status, published_at)
SELECT (SELECT c.id FROM c WHERE c.n = 1 + g % 60), format('old post %s', g), 'text', 'published',
       now() - interval '3 years' - g * interval '1 hour'
  FROM generate_series(1, 6000) g;
INSERT INTO creator_platform.posts (creator_id, title, status)
SELECT (SELECT c.id FROM c WHERE c.n = 1 + g % 60), format('draft %s', g), 'draft' FROM generate_series(1, 50) g;
-- top-level comments, then replies to them (the triggers keep paths and counters)
INSERT INTO creator_platform.comments (post_id, user_id, content)
SELECT p.id, (SELECT r.id FROM r WHERE r.n = 1 + (k * 7 + length(p.title)) % 200), format('comment %s', k)
  FROM creator_platform.posts p CROSS JOIN generate_series(1, 3) k WHERE p.status = 'published';
INSERT INTO creator_platform.comments (post_id, user_id, content, parent_comment_id)
SELECT c.post_id, c.user_id, 'a reply', c.id
  FROM (SELECT DISTINCT ON (cm.post_id) cm.* FROM creator_platform.comments cm ORDER BY cm.post_id, cm.id) c
 CROSS JOIN generate_series(1, 2);
SQL
ids_sql="SELECT count(*) || ':' || md5(string_agg(x.id::text, ',' ORDER BY x.id)) FROM (%s) x"
posts_ids() { q -c "$(printf "$ids_sql" 'SELECT id FROM creator_platform.posts UNION ALL SELECT id FROM creator_platform.posts_archive')"; }
comments_ids() { q -c "$(printf "$ids_sql" 'SELECT id FROM creator_platform.comments UNION ALL SELECT id FROM creator_platform.comments_archive')"; }
posts0=$(posts_ids) comments0=$(comments_ids)
total=$(q -c "SELECT count(*) FROM creator_platform.posts WHERE status = 'published'")
echo "# fixture: posts $posts0, comments $comments0"

archived() { q -c "SELECT count(*) FROM creator_platform.posts_archive" 2>/dev/null || echo -1; }
wait_ready() { for _ in $(seq 1 120); do "$PSQL" -X -q -At -d cp -c 'SELECT 1' >/dev/null 2>&1 && return 0; sleep 0.5; done; return 1; }

for pct in "${points[@]}"; do
  target=$(( total * pct / 100 ))
  rm -f "$dir/pid"
  # (no pauses for the watcher's statements: creator_platform.archive_duty_cycle = 1)
  ( PGOPTIONS='-c creator_platform.archive_duty_cycle=1' "$PSQL" -X -q -At -d cp -o "$dir/pid" -c 'SELECT pg_backend_pid()' \
      -c "CALL creator_platform.archive_old_posts(now(), 40)" >"$dir/call.log" 2>&1 ) &
  caller=$!
  for _ in $(seq 1 400); do [ -s "$dir/pid" ] && break; sleep 0.05; done
  pid=$(head -1 "$dir/pid" 2>/dev/null)
  reached=0
  for _ in $(seq 1 2000); do
    n=$(archived); [ "$n" -ge "$target" ] && { reached=1; break; }
    kill -0 "$caller" 2>/dev/null || break
    sleep 0.02
  done
  killed=0 at=$n
  if [ "$reached" = 1 ] && [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; then killed=1; fi
  wait "$caller" 2>/dev/null
  is "$killed" 1 "the archiving backend was killed (SIGKILL) with about $pct% archived ($at of $total seen just before)"
  wait_ready; is $? 0 "the server recovered and accepts connections"
  is "$(posts_ids)" "$posts0" "after the crash at $pct%: every post is in exactly one place"
  is "$(comments_ids)" "$comments0" "every comment is in exactly one place"
  is "$(q -c "SELECT (SELECT count(*) FROM creator_platform.comments c JOIN creator_platform.posts_archive p ON p.id = c.post_id)
                   + (SELECT count(*) FROM creator_platform.comments_archive c JOIN creator_platform.posts p ON p.id = c.post_id)")" \
     0 "no comment is apart from its post"
  is "$(q -c "SELECT count(*) FROM creator_platform.reconcile_counters(false)")" 0 "every counter is right (0 drift)"
done

out=$(q -c "CALL creator_platform.archive_old_posts(now(), 500)" 2>&1); rc=$?
is "$rc" 0 "archiving runs again after the crashes (the advisory lock died with its session)"
is "$(q -c "SELECT count(*) FROM creator_platform.posts WHERE status = 'published'")|$(archived)" "0|$total" \
   "and moves every old published post: none left live, all $total archived"
is "$(posts_ids)|$(comments_ids)|$(q -c 'SELECT count(*) FROM creator_platform.reconcile_counters(false)')" \
   "$posts0|$comments0|0" "the same posts and comments, each in one place, counters right"
exit $((failures > 0))
