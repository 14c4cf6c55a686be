#!/usr/bin/env bash
# `make test`: every test layer against a throwaway cluster, one summary line.
#
#   scripts/run-tests.sh                 all layers
#   scripts/run-tests.sh --only pgtap    one layer (unit, fuzz, regress, isolation, pgtap, tap); repeatable
#   scripts/run-tests.sh --keep          leave the cluster running afterwards (prints where)
#
# Installs missing packages, builds and installs the extension, runs the C++
# unit tests (ctest), starts a cluster with pg_cron preloaded on a free port in
# a temporary directory, runs pg_regress, the isolation specs, pgTAP (pg_prove)
# and the scripted TAP tests, stops the cluster (also on failure or Ctrl-C),
# and ends with the line `N passed, N failed` over all layers. Logs of every
# layer are kept in build/test-logs/. Exit status is non-zero on any failure.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$CP_ROOT"

only=() keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --only) only+=("$2"); shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: run-tests.sh [--only LAYER]... [--keep]" >&2; exit 2 ;;
  esac
done
wanted() { [ ${#only[@]} -eq 0 ] && return 0; local l; for l in "${only[@]}"; do [ "$l" = "$1" ] && return 0; done; return 1; }

LOGS=${CP_TEST_LOGS:-$CP_ROOT/build/test-logs}  # CP_TEST_LOGS: another directory, for runs side by side
rm -rf "$LOGS"; mkdir -p "$LOGS"
total_pass=0 total_fail=0
report() { # layer passed failed
  total_pass=$((total_pass + $2)); total_fail=$((total_fail + $3))
  printf '  %-10s %4d ok  %4d failing\n' "$1" "$2" "$3"
}
show_failure() { # file [lines]
  [ -s "$1" ] || return 0
  echo "---- ${1#"$CP_ROOT"/} (last ${2:-60} lines) ----"; tail -n "${2:-60}" "$1"; echo "----"
}

echo "== dependencies, build, install"
if ! cp_build_and_install >"$LOGS/build.log" 2>&1; then
  show_failure "$LOGS/build.log" 80
  echo "build failed"; echo "0 passed, 1 failed"; exit 1
fi

PGXS_DIR=$("$PG_CONFIG" --pkglibdir)/pgxs
PG_REGRESS=$PGXS_DIR/src/test/regress/pg_regress
PG_ISOLATION_REGRESS=$PGXS_DIR/src/test/isolation/pg_isolation_regress
export PATH="$("$PG_CONFIG" --bindir):$PATH"

# -- unit: the pure C++ core, no server ----------------------------------------
if wanted unit; then
  echo "== unit (ctest)"
  if cmake -S . -B build/unit -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$LOGS/unit-build.log" 2>&1 \
     && cmake --build build/unit -j"$(nproc)" >>"$LOGS/unit-build.log" 2>&1; then
    ctest --test-dir build/unit --output-on-failure >"$LOGS/unit.log" 2>&1
    line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$LOGS/unit.log" | tail -1)
    if [ -n "$line" ]; then
      f=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
      n=$(sed -E 's/.* failed out of ([0-9]+).*/\1/' <<<"$line")
      report unit $((n - f)) "$f"
      [ "$f" -eq 0 ] || show_failure "$LOGS/unit.log"
    else
      report unit 0 1; show_failure "$LOGS/unit.log"
    fi
  else
    report unit 0 1; show_failure "$LOGS/unit-build.log"
  fi
fi

# -- fuzz: libFuzzer over the core's codecs, bounded; no server ------------------
# Each target that runs its executions without a finding is 1 passed, a finding
# (crash, sanitizer report, broken invariant) is 1 failed. CP_FUZZ_RUNS overrides
# the count; `make fuzz` runs the long version (scripts/fuzz.sh --runs 1000000).
if wanted fuzz; then
  fuzz_runs=${CP_FUZZ_RUNS:-20000}
  echo "== fuzz (libFuzzer, $fuzz_runs executions per target)"
  bash scripts/fuzz.sh --runs "$fuzz_runs" >"$LOGS/fuzz.log" 2>&1
  fuzz_rc=$?
  fp=$(grep -c '^PASS ' "$LOGS/fuzz.log") ff=$(grep -c '^FAIL ' "$LOGS/fuzz.log")
  [ "$fuzz_rc" -ne 0 ] && [ "$ff" -eq 0 ] && ff=1
  report fuzz "$fp" "$ff"
  [ "$ff" -eq 0 ] || show_failure "$LOGS/fuzz.log" 80
fi

needs_server=0
for l in regress isolation pgtap tap; do wanted $l && needs_server=1; done

if [ $needs_server = 1 ]; then
  CLUSTER=$(cp_tempdir test)
  stop_cluster() { cp_cluster_done "$CLUSTER" "$LOGS" "$keep"; }
  trap stop_cluster EXIT
  trap 'exit 130' INT TERM
  echo "== cluster"
  if ! bash scripts/cluster.sh start "$CLUSTER" >"$LOGS/cluster.log" 2>&1; then
    show_failure "$LOGS/cluster.log"; show_failure "$CLUSTER/server.log"
    echo "$total_pass passed, $((total_fail + 1)) failed"; exit 1
  fi
  . "$CLUSTER/env"
  export PGHOST PGPORT PGUSER
  echo "   $(tail -1 "$LOGS/cluster.log")"

  # pg_regress / pg_isolation_regress print "All N tests passed." or "M of N tests failed."
  regress_counts() { # layer log
    local all m
    all=$(grep -Eo 'All [0-9]+ tests passed' "$2" | grep -Eo '[0-9]+' | tail -1)
    m=$(grep -Eo '[0-9]+ of [0-9]+ tests failed' "$2" | tail -1)
    if [ -n "$all" ]; then report "$1" "$all" 0
    elif [ -n "$m" ]; then
      local f n; f=${m%% of *}; n=$(sed -E 's/.* of ([0-9]+) .*/\1/' <<<"$m")
      report "$1" $((n - f)) "$f"
    else report "$1" 0 1
    fi
  }
  names() { # dir ext: basenames, sorted
    local f; for f in "$1"/*."$2"; do [ -e "$f" ] && basename "$f" ".$2"; done | sort
  }

  if wanted regress; then
    echo "== regress (pg_regress)"
    tests=$(names test/regress/sql sql)
    if [ -n "$tests" ]; then
      # shellcheck disable=SC2086
      "$PG_REGRESS" --inputdir=test/regress --outputdir="$LOGS/regress" --load-extension=creator_platform \
        --dbname=cp_regress $tests >"$LOGS/regress.log" 2>&1
      regress_counts regress "$LOGS/regress.log"
      grep -q 'failed' "$LOGS/regress.log" && { show_failure "$LOGS/regress.log" 30; show_failure "$LOGS/regress/regression.diffs" 100; }
    fi
  fi

  if wanted isolation; then
    echo "== isolation (pg_isolation_regress)"
    specs=$(names test/isolation/specs spec)
    if [ -n "$specs" ]; then
      # shellcheck disable=SC2086
      "$PG_ISOLATION_REGRESS" --inputdir=test/isolation --outputdir="$LOGS/isolation" \
        --load-extension=creator_platform --dbname=cp_isolation $specs >"$LOGS/isolation.log" 2>&1
      regress_counts isolation "$LOGS/isolation.log"
      grep -q 'failed' "$LOGS/isolation.log" && { show_failure "$LOGS/isolation.log" 30; show_failure "$LOGS/isolation/regression.diffs" 100; }
    fi
  fi

  # TAP output: passed = "ok N" lines; failed = per file in prove's summary
  # report, its failed tests, or 1 for a file that died or broke its plan
  # without a failing line.
  tap_counts() { # layer log exitcode
    local ok nok
    ok=$(grep -Ec '^[[:space:]]*ok [0-9]+' "$2")
    # prove's summary lists a file with its failed count; a file listed with
    # none failed counts once if it exited non-zero or broke its plan (a file
    # listed only because a TODO test passed does not count).
    nok=$(awk '
      /^[^ ].*\(Wstat: [0-9]+ .*Failed: [0-9]+\)$/ {
        flush(); match($0, /Wstat: [0-9]+/); w = substr($0, RSTART + 7, RLENGTH - 7) + 0
        match($0, /Failed: [0-9]+/); f = substr($0, RSTART + 8, RLENGTH - 8) + 0; pending = 1; bad = (w != 0); next }
      pending && /^  Parse errors:/ { bad = 1; next }
      pending && /^[^ ]/ { flush() }
      function flush() { if (pending) { s += (f > 0 ? f : (bad ? 1 : 0)); pending = 0 } }
      END { flush(); print s + 0 }' "$2")
    [ "$3" -ne 0 ] && [ "$nok" -eq 0 ] && nok=1
    report "$1" "$ok" "$nok"
    [ "$3" -eq 0 ] || show_failure "$2" 60
  }

  if wanted pgtap; then
    echo "== pgtap (pg_prove)"
    files=$(ls test/pgtap/*.sql 2>/dev/null | sort)
    if [ -n "$files" ]; then
      dropdb --if-exists cp_pgtap >/dev/null 2>&1
      createdb cp_pgtap && psql -X -q -v ON_ERROR_STOP=1 -d cp_pgtap \
        -c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION creator_platform CASCADE' \
        -f test/pgtap/setup/helpers.sql >"$LOGS/pgtap.log" 2>&1
      # shellcheck disable=SC2086
      pg_prove -v -d cp_pgtap $files >>"$LOGS/pgtap.log" 2>&1
      tap_counts pgtap "$LOGS/pgtap.log" $?
    fi
  fi

  # -- reconcile: the counters of the data the layers above left behind --------
  # reconcile_counters(false) recounts every posts.comment_count and
  # comments.reply_count (live and archived) in each database of this run that
  # has the extension (cp_regress keeps its data; cp_isolation what specs leave;
  # cp_pgtap only what its setup made, since every pgTAP file rolls back):
  # one passed per database with 0 drift, one failed per database with drift
  # (its drifted rows are in reconcile.log) or where the check cannot run.
  if wanted regress || wanted isolation || wanted pgtap; then
    echo "== reconcile (reconcile_counters: 0 drift)"
    rp=0 rf=0
    : >"$LOGS/reconcile.log"
    for db in cp_regress cp_isolation cp_pgtap; do
      has=$(psql -X -At -d "$db" -c "SELECT count(*) FROM pg_catalog.pg_extension WHERE extname = 'creator_platform'" 2>/dev/null)
      [ "$has" = 1 ] || continue
      if drift=$(psql -X -At -v ON_ERROR_STOP=1 -d "$db" \
                   -c 'SELECT count(*) FROM creator_platform.reconcile_counters(false)' 2>>"$LOGS/reconcile.log"); then
        echo "$db: drift $drift" >>"$LOGS/reconcile.log"
        if [ "$drift" = 0 ]; then rp=$((rp + 1)); else
          rf=$((rf + 1))
          psql -X -d "$db" -c 'SELECT * FROM creator_platform.reconcile_counters(false)' >>"$LOGS/reconcile.log" 2>&1
        fi
      else
        echo "$db: reconcile_counters failed" >>"$LOGS/reconcile.log"; rf=$((rf + 1))
      fi
    done
    report reconcile "$rp" "$rf"
    [ "$rf" -eq 0 ] || show_failure "$LOGS/reconcile.log"
  fi

  if wanted tap; then
    echo "== tap (scripted cluster tests, prove)"
    files=$(ls test/tap/*.sh 2>/dev/null | sort)
    if [ -n "$files" ]; then
      # shellcheck disable=SC2086
      prove -v --exec bash $files >"$LOGS/tap.log" 2>&1
      tap_counts tap "$LOGS/tap.log" $?
    fi
  fi
fi

echo "== logs in ${LOGS#"$CP_ROOT"/}/"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
