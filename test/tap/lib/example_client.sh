# test/tap/lib/example_client.sh: the checks of an example client
# (test/tap/examples_python.sh, test/tap/examples_node.sh source it; not a test
# of its own: the tap layer runs test/tap/*.sh only). The caller sets
# client_name (the scratch directory's name), client_tag (the scenario's
# tag), client_label (the program's name in the TAP lines) and defines
#   client_skip    prints a reason to skip the whole file, or nothing
#   client_setup   after the plan line: defines cli (the app, run as role app:
#                  `cli scenario ...`), prints its versions, or bails out
#
#   setup      CREATE EXTENSION as the superuser; role app (no superuser, not the
#              owner) gets grant_usage
#   scenario   the client's `scenario` as app exits 0; then, from the database
#              and from its output: the users and posts exist; the home feed walk
#              (page size 2) saw every published post of the two followed creators,
#              newest first, no duplicate, nothing of the unfollowed creator or the
#              draft, over 4 pages of which only the last is short; the comment and
#              its reply are in comment_thread; claim_events gave every event kind
#              of the story and marked all of them processed; 23505, 23514, 22023 and
#              55000 were printed as friendly messages
#   errors     `signup` with a taken username exits 1 with the friendly 23505 line
#              and adds no row; after revoke_usage the app gets 42501 (so the
#              scenario really ran with app's privileges only)
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
. "$root/scripts/lib.sh"
PGBIN=$("$PG_CONFIG" --bindir)
PSQL="$PGBIN/psql"

dir=$(cp_tempdir "$client_name")
cleanup() {
  local pid
  pid=$(cat "$dir/bouncer/pgbouncer.pid" 2>/dev/null)
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  bash "$root/scripts/cluster.sh" stop "$dir" >/dev/null 2>&1
  rm -rf -- "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { if eval "$1"; then ok "$2"; else not_ok "$2"; [ -n "${3:-}" ] && echo "$3" | sed 's/^/# /'; fi; }
is() { if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3"; printf '#   got:      %s\n#   expected: %s\n' "$1" "$2" | head -40; fi; }

skip=$(client_skip)
if [ -n "$skip" ]; then echo "1..0 # SKIP $skip"; exit 0; fi
echo "1..20"
client_setup   # defines cli (the app as role app), or bails out
if ! bash "$root/scripts/cluster.sh" start "$dir" >"$dir/cluster.log" 2>&1; then
  sed 's/^/# /' "$dir/cluster.log"; echo "Bail out! could not start a cluster"; exit 1
fi
# shellcheck disable=SC1091
. "$dir/env"
export PGHOST PGPORT
export PGUSER=postgres PGDATABASE=examples
q() { "$PSQL" -X -q -At -v ON_ERROR_STOP=1 "$@"; }
"$PSQL" -X -q -d postgres -c 'CREATE DATABASE examples' >/dev/null
q <<'SQL' >/dev/null || { echo "Bail out! setup failed"; exit 1; }
CREATE EXTENSION creator_platform CASCADE;
CREATE ROLE app LOGIN;
SELECT creator_platform.grant_usage('app');
SQL
is "$(PGUSER=app q -c "SELECT current_user, r.rolsuper, pg_has_role('app', e.extowner, 'MEMBER')
                         FROM pg_roles r, pg_extension e WHERE r.rolname = current_user AND e.extname = 'creator_platform'")" \
  "app|f|f" "the app role logs in, is no superuser and no member of the extension's owner"

# --- the scenario, as app -------------------------------------------------------------------
tag=$client_tag
cli scenario --tag "$tag" --page-size 2 >"$dir/out" 2>"$dir/err"
rc=$?
check "[ $rc = 0 ]" "$client_label scenario exits 0 as app" "$(cat "$dir/err"; tail -5 "$dir/out")"

uid() { q -c "SELECT id FROM creator_platform.users WHERE username = '${1}_$tag'"; }
alice=$(uid alice) bob=$(uid bob) carol=$(uid carol) reader=$(uid reader)
is "$(q -c "SELECT string_agg(username || ':' || role, ' ' ORDER BY username) FROM creator_platform.users")" \
  "alice_$tag:creator bob_$tag:creator carol_$tag:creator reader_$tag:reader" \
  "the four users of the story exist with their roles, and nothing else (the refused signups added none)"
is "$(q -c "SELECT string_agg(u.username || ':' || p.status || ':' || p.n, ' ' ORDER BY u.username, p.status)
              FROM (SELECT creator_id, status, count(*) AS n FROM creator_platform.posts GROUP BY 1, 2) p
              JOIN creator_platform.users u ON u.id = p.creator_id")" \
  "alice_$tag:draft:1 alice_$tag:published:4 bob_$tag:published:3 carol_$tag:published:2" \
  "the posts exist: 4 published and a draft by alice, 3 by bob, 2 by carol"
is "$(q -c "SELECT string_agg(u.username || ':' || s.status, ' ' ORDER BY u.username) FROM creator_platform.subscriptions s
              JOIN creator_platform.users u ON u.id = s.creator_id WHERE s.subscriber_id = '$reader'")" \
  "alice_$tag:active bob_$tag:active carol_$tag:cancelled" "the reader follows alice and bob; carol's subscription was cancelled"

# --- the feed walk ----------------------------------------------------------------------------
walked=$(sed -n 's/^  post \([0-9a-f-]\{36\}\) .*/\1/p' "$dir/out")
expected=$(q -c "SELECT id FROM creator_platform.posts WHERE creator_id IN ('$alice', '$bob') AND status = 'published'
                  ORDER BY published_at DESC, id DESC")
is "$(echo "$walked" | tr '\n' ' ')" "$(echo "$expected" | tr '\n' ' ')" \
  "the feed walk saw every published post of alice and bob, newest first by (published_at, id)"
check "[ $(echo "$walked" | grep -c .) = 7 ] && [ -z \"\$(echo '$walked' | sort | uniq -d)\" ]" "7 posts walked, no duplicate"
hidden=$(q -c "SELECT id FROM creator_platform.posts WHERE creator_id = '$carol' OR status <> 'published'")
check "[ -n '$hidden' ] && [ -z \"\$(comm -12 <(echo '$walked' | sort) <(echo '$hidden' | sort))\" ]" \
  "nothing of carol (cancelled) and no draft in the walk"
is "$(sed -n 's/^page \([0-9]*\): \([0-9]*\) rows$/\1:\2/p' "$dir/out" | tr '\n' ' ')" "1:2 2:2 3:2 4:1 " \
  "4 pages of 2 rows, following each last row's cursor; the walk stopped at the short page"

# --- comments -----------------------------------------------------------------------------------
post=$(q -c "SELECT id FROM creator_platform.posts WHERE title = 'alice post 1'")
is "$(q -c "SELECT string_agg(username || ':' || depth || ':' || content || ':' || (parent_comment_id IS NULL), '|')
              FROM creator_platform.comment_thread('$post')")" \
  "reader_$tag:0:Great first post!:true|alice_$tag:1:Thank you!:false" \
  "comment_thread has the reader's comment and alice's reply below it"
is "$(grep -E '^  +comment [0-9a-f-]{36} @' "$dir/out" | sed -E 's/comment [0-9a-f-]{36} //')" \
  "$(printf '  @reader_%s: Great first post!  (1 replies)\n    @alice_%s: Thank you!  (0 replies)' "$tag" "$tag")" \
  "the app printed the thread depth first, the reply indented"

# --- events ---------------------------------------------------------------------------------------
kinds_out=$(sed -n 's/^  event [0-9]* \([a-z_]*\) .*/\1/p' "$dir/out" | sort | uniq -c | awk '{print $2 ":" $1}' | tr '\n' ' ')
is "$kinds_out" "comment_added:2 post_published:9 subscription_cancelled:1 subscription_started:3 " \
  "claim_events gave the app every event of the story: 9 published, 3 started, 1 cancelled, 2 comments"
is "$(q -c "SELECT count(*) FILTER (WHERE processed_at IS NULL) || ' of ' || count(*) FROM creator_platform.events")" "0 of 15" \
  "every event is marked processed"
is "$(sed -n 's/^  event \([0-9]*\) .*/\1/p' "$dir/out" | tr '\n' ' ')" "$(q -c "SELECT string_agg(id::text, ' ' ORDER BY id) || ' ' FROM creator_platform.events")" \
  "the app printed each event id once, oldest first"

# --- friendly errors ------------------------------------------------------------------------------
check "grep -qx '  error: duplicate (23505): that username is already taken' '$dir/out' \
       && grep -q '^  error: rejected: a value has the wrong shape or breaks a rule (23514): ' '$dir/out' \
       && grep -q '^  error: bad argument (22023): ' '$dir/out' \
       && grep -q '^  commenting on a draft: error: not allowed in the current state (55000): ' '$dir/out'" \
  "the scenario printed friendly messages for 23505, 23514, 22023 and 55000"
cli signup --email "new_$tag@example.com" --username "alice_$tag" >"$dir/dup.out" 2>"$dir/dup.err"
rc=$?
check "[ $rc = 1 ] && grep -qx 'error: duplicate (23505): that username is already taken' '$dir/dup.err' \
       && [ \"\$(q -c \"SELECT count(*) FROM creator_platform.users WHERE email = 'new_$tag@example.com'\")\" = 0 ]" \
  "signup with a taken username exits 1 with the friendly 23505 message and adds no user" \
  "exit $rc: $(cat "$dir/dup.out" "$dir/dup.err")"

# --- the same app through pgbouncer (transaction pooling) ------------------------------------------
# Two scenarios at once through one shared server connection (pool_size 1): any
# session state the app relied on (a named prepared statement, a session SET)
# would meet the other client's. pgbouncer refuses root: it runs as postgres.
PGBOUNCER=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
mkdir -p "$dir/bouncer" && { [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$dir/bouncer"; }
echo '"app" ""' >"$dir/bouncer/userlist.txt"
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && [ ! -e "/tmp/.s.PGSQL.$1" ]; }
bouncer_up() { "$PSQL" -X -At -h 127.0.0.1 -p "$BPORT" -U app -d examples -c 'SELECT 1' >/dev/null 2>&1; }
started=0
for _ in 1 2 3 4 5 6 7 8; do
  BPORT=$(( 20000 + (RANDOM % 20000) ))
  port_free "$BPORT" || continue
  cat >"$dir/bouncer/pgbouncer.ini" <<INI
[databases]
examples = host=$PGHOST port=$PGPORT dbname=examples pool_size=1
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BPORT
unix_socket_dir =
auth_type = trust
auth_file = $dir/bouncer/userlist.txt
pool_mode = transaction
default_pool_size = 1
logfile = $dir/bouncer/pgbouncer.log
pidfile = $dir/bouncer/pgbouncer.pid
INI
  if cp_as_owner "$PGBOUNCER" -d -q "$dir/bouncer/pgbouncer.ini" >>"$dir/bouncer/start.log" 2>&1; then
    for _ in $(seq 1 50); do bouncer_up && break; sleep 0.1; done
    bouncer_up && { started=1; break; }
  fi
  pid=$(cat "$dir/bouncer/pgbouncer.pid" 2>/dev/null); [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -f "$dir/bouncer/pgbouncer.pid"
done
if [ $started = 1 ]; then
  PGHOST=127.0.0.1 PGPORT=$BPORT cli scenario --tag "${tag}a" --page-size 2 >"$dir/outa" 2>"$dir/erra" & pa=$!
  PGHOST=127.0.0.1 PGPORT=$BPORT cli scenario --tag "${tag}b" --page-size 2 >"$dir/outb" 2>"$dir/errb" & pb=$!
  wait $pa; rca=$?; wait $pb; rcb=$?
  check "[ $rca = 0 ] && [ $rcb = 0 ]" "two scenarios at once through pgbouncer (transaction pooling, one server connection) exit 0" \
    "$(cat "$dir/erra" "$dir/errb")"
else
  not_ok "pgbouncer started"; sed 's/^/# /' "$dir/bouncer/start.log" "$dir/bouncer/pgbouncer.log" 2>/dev/null | tail -5
fi
feed_ok() { # tag output: the walk is the followed creators' published posts, newest first, in pages of 2, 2, 2, 1
  local got want
  got=$(sed -n 's/^  post \([0-9a-f-]\{36\}\) .*/\1/p' "$2" | tr '\n' ' ')
  want=$(q -c "SELECT string_agg(p.id::text, ' ' ORDER BY p.published_at DESC, p.id DESC) || ' '
                 FROM creator_platform.posts p JOIN creator_platform.users u ON u.id = p.creator_id
                WHERE u.username IN ('alice_$1', 'bob_$1') AND p.status = 'published'")
  [ "$got" = "$want" ] && [ "$(sed -n 's/^page \([0-9]*\): \([0-9]*\) rows$/\1:\2/p' "$2" | tr '\n' ' ')" = "1:2 2:2 3:2 4:1 " ]
}
check "feed_ok '${tag}a' '$dir/outa' && feed_ok '${tag}b' '$dir/outb'" \
  "through pgbouncer each walk saw its reader's feed: every post, in order, no duplicate, 4 pages"
is "$(q -c "SELECT count(*) FILTER (WHERE processed_at IS NULL) || ' of ' || count(*) FROM creator_platform.events")
$(grep -h '^  \+comment [0-9a-f-]\{36\} @' "$dir/outa" "$dir/outb" | sed -E 's/comment [0-9a-f-]{36} //')" \
  "0 of 45
  @reader_${tag}a: Great first post!  (1 replies)
    @alice_${tag}a: Thank you!  (0 replies)
  @reader_${tag}b: Great first post!  (1 replies)
    @alice_${tag}b: Thank you!  (0 replies)" \
  "through pgbouncer both threads were written and read, and the two workers claimed every event between them"

q -c "SELECT creator_platform.revoke_usage('app')" >/dev/null
cli feed --reader "$reader" >"$dir/revoked.out" 2>"$dir/revoked.err"
rc=$?
check "[ $rc = 1 ] && grep -q '^error: permission denied (was grant_usage called for this role?) (42501): ' '$dir/revoked.err'" \
  "after revoke_usage the same app gets 42501: it ran with app's grants only" "exit $rc: $(cat "$dir/revoked.err")"

[ $failed = 0 ] || { echo "# the app's output:"; sed 's/^/#   | /' "$dir/out"; }
[ $failed = 0 ]
