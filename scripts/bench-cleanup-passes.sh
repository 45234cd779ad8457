#!/usr/bin/env bash
# Times the two cleanup passes on seeded data, and the same statements run by hand in psql (the floor).
# Run inside scripts/with-postgres.sh after `swift build -c release`:
#
#   scripts/with-postgres.sh scripts/bench-cleanup-passes.sh [CARTS]
#
# Each measurement runs on its own copy of the seeded database, so every one starts from the same rows.
set -euo pipefail
carts="${1:-1000000}"
bin="${CHECKOUT_NIGHTLY_BIN:-.build/release/checkout-nightly}"
now=2026-11-25T02:00:00Z
work=$(mktemp -d "${TMPDIR:-/tmp}/bench-cleanup.XXXXXX")
echo "logs and psql scripts in $work"

timed() {  # timed LABEL COMMAND...: prints the wall time of COMMAND
  local start end
  start=$(date +%s.%N)
  "${@:2}"
  end=$(date +%s.%N)
  printf '%-58s %8.2f s\n' "$1" "$(echo "$end - $start" | bc)"
}

createdb bench
PGDATABASE=bench "$bin" migrate 2>/dev/null
timed "seed --carts $carts" env PGDATABASE=bench "$bin" seed --carts "$carts" --now "$now" 2>/dev/null
psql -qAt -d bench -c "VACUUM ANALYZE" >/dev/null
for copy in pass_stuck pass_sessions floor_stuck floor_sessions; do createdb -T bench "$copy"; done
psql -qAt -d bench -c "SELECT 'database size: ' || pg_size_pretty(pg_database_size('bench'))"

run_pass() {  # run_pass DATABASE STEP LOGFILE [ARG...]
  PGDATABASE="$1" "$bin" run --only "$2" --now "$now" --output "$work/output" "${@:4}" 2>"$3"
  grep 'msg="step finished"' "$3" | sed 's/^.*level=info //'
}

echo "== the passes (checkout-nightly run, release build; every cart cleaned is logged) =="
timed "stuck-carts --dry-run" run_pass pass_stuck stuck-carts "$work/stuck-dry.log" --dry-run
timed "stuck-carts" run_pass pass_stuck stuck-carts "$work/stuck.log"
timed "stuck-carts again (nothing left to do)" run_pass pass_stuck stuck-carts "$work/stuck-again.log"
timed "expired-sessions --dry-run" run_pass pass_sessions expired-sessions "$work/sessions-dry.log" --dry-run
timed "expired-sessions" run_pass pass_sessions expired-sessions "$work/sessions.log"
timed "expired-sessions again (nothing left to do)" run_pass pass_sessions expired-sessions "$work/sessions-again.log"

# The statements of queries/passes/, prepared as they are, then executed by hand with the same parameters.
# `timed_sql LABEL SQL` times one statement; psql prints `@LABEL` and then its `Time:` line.
prepare() { printf 'PREPARE %s AS\n%s\n;\n' "$1" "$(sed -e 's/--.*$//' -e 's/;[[:space:]]*$//' "queries/passes/$2")"; }
timed_sql() { printf '\\echo @%s\n\\timing on\n%s\n\\timing off\n' "$1" "$2"; }
cutoff_stuck=2026-11-25T01:50:00Z
cutoff_sessions=2026-11-18T02:00:00Z

stuck_batch() {  # stuck_batch LABEL TABLE LIMIT: the pass's statements for one batch
  timed_sql "$1 read" "CREATE TEMP TABLE $2 AS EXECUTE read('$cutoff_stuck', '-infinity', '00000000-0000-0000-0000-000000000000', $3);"
  echo "SELECT array_agg(id) AS ids, array_agg(version) AS versions FROM $2 WHERE order_exists \\gset"
  echo "BEGIN;"
  timed_sql "$1 claim" "EXECUTE claim(:'ids');"
  timed_sql "$1 clean" "EXECUTE clean(:'ids', :'versions', '$now');"
  timed_sql "$1 commit" "COMMIT;"
}
{
  prepare read stuck_carts_read.sql
  prepare claim stuck_carts_claim.sql
  prepare clean stuck_carts_clean.sql
  for batch in 1 2 3; do stuck_batch "stuck-carts batch of 100 #$batch:" "b$batch" 100; done
  stuck_batch "stuck-carts all remaining carts at once:" everything 100000000
} >"$work/floor-stuck.sql"

{
  prepare tally expired_sessions_tally.sql
  prepare delete expired_sessions_delete.sql
  timed_sql "expired-sessions tally (the dry run statement):" "EXECUTE tally('$cutoff_sessions', 5);"
  for batch in 1 2 3; do
    echo "BEGIN;"
    timed_sql "expired-sessions batch of 1000 #$batch: delete" "EXECUTE delete('$cutoff_sessions', 1000);"
    timed_sql "expired-sessions batch of 1000 #$batch: commit" "COMMIT;"
  done
  echo "BEGIN;"
  timed_sql "expired-sessions all remaining sessions at once: delete" "EXECUTE delete('$cutoff_sessions', 100000000);"
  timed_sql "expired-sessions all remaining sessions at once: commit" "COMMIT;"
} >"$work/floor-sessions.sql"

echo "== the floor: the same statements by hand in psql =="
for pass in stuck sessions; do
  psql -X -q -v ON_ERROR_STOP=1 -d "floor_$pass" -f "$work/floor-$pass.sql" \
    | awk '/^@/ { label = substr($0, 2); next } /^Time:/ && label != "" { printf "%-58s %10s ms\n", label, $2; label = "" }'
done
