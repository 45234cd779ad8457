#!/usr/bin/env bash
# The nightly batch's benchmark (docs/performance.md):
#
#   scripts/bench.sh [CARTS]        (default 100000; starts a throwaway PostgreSQL unless PGHOST is set)
#
# Seeds CARTS carts once into a template database, then times each measured run on a fresh copy of it
# (CREATE DATABASE … TEMPLATE): a first-night run with the per-run recovery cap and the lateness limit lifted, then
# the run after it (a minute later: nothing due but what the minute brought), the recovery pass alone a minute
# after that (what the 15-minute schedule meets when nothing is due), a run 15 minutes later (what that schedule
# meets as the seeded shop keeps shopping), and the recovery pass alone 15 minutes after that, as the shipped
# schedule runs it (deploy/crontab). For each run it prints per step the seconds and rows, messages or files per
# second (from the run ledger, checkout_nightly.step_runs), and for the whole process the wall time and peak
# resident memory (/usr/bin/time -v). Beside the passes and the reports it prints the floor: the same SQL run by
# hand in psql on another fresh copy. Release build (CHECKOUT_NIGHTLY_BIN overrides it). The machine's other
# work shows in the seconds: say so when quoting them.
set -euo pipefail
cd "$(dirname "$0")/.."
carts="${1:-100000}"
[[ "$carts" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [CARTS] (a positive number of carts)" >&2; exit 64; }
if [ -z "${PGHOST:-}" ]; then exec scripts/with-postgres.sh "$PWD/scripts/bench.sh" "$@"; fi
bin="${CHECKOUT_NIGHTLY_BIN:-}"
if [ -z "$bin" ]; then
  swift build -c release >&2
  bin="$(swift build -c release --show-bin-path)/checkout-nightly"
fi
now=2026-11-25T02:00:00Z
after=2026-11-25T02:01:00Z
minute_later=2026-11-25T02:02:00Z
next=2026-11-25T02:15:00Z
later=2026-11-25T02:30:00Z
work=$(mktemp -d "${TMPDIR:-/tmp}/checkout-nightly-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
# The first night sends the whole backlog, as issue 10 measured it: the per-run cap protects the sender in
# production and the lateness limit keeps a switch-on from mailing the past, not here.
export CHECKOUT_NIGHTLY_RECOVERY_MAX_MESSAGES=1000000000
export CHECKOUT_NIGHTLY_RECOVERY_MAX_LATENESS=3650d
# A run that sends refuses the shipped example storefront; the benchmark names its own.
export CHECKOUT_NIGHTLY_RECOVERY_BASE_URL="https://bench-shop.localhost"
export CHECKOUT_NIGHTLY_RECOVERY_SENDER="Bench Shop <shop@bench-shop.localhost>"
export CHECKOUT_NIGHTLY_RECOVERY_UNSUBSCRIBE_MAILBOX="unsubscribe@bench-shop.localhost"
export CHECKOUT_NIGHTLY_RECOVERY_POSTAL_ADDRESS="Bench Shop · 1 Bench Street · 10115 Berlin · Germany"

seconds_since() { echo "$(date +%s.%N) - $1" | bc; }

echo "== seed: $carts carts into the template database (commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, $(date -u +%FT%TZ))"
start=$(date +%s.%N)
createdb bench_template
PGDATABASE=bench_template "$bin" migrate 2>"$work/migrate.log"
PGDATABASE=bench_template "$bin" seed --carts "$carts" --now "$now" 2>"$work/seed.log"
psql -X -qAt -d bench_template -c "VACUUM ANALYZE"
printf 'seeded in %.1f s; database size %s\n' "$(seconds_since "$start")" \
  "$(psql -X -qAt -d bench_template -c "SELECT pg_size_pretty(pg_database_size('bench_template'))")"

# fresh_copy NAME: a new database from the template (dropped first if a previous measurement left it), written
# to disk before anything is timed, so that writing back the copy's gigabyte never overlaps a measured run.
# CHECKPOINT needs a superuser; without one, sync alone.
fresh_copy() {
  dropdb --if-exists "$1" 2>/dev/null
  createdb -T bench_template "$1"
  psql -X -qAt -d "$1" -c CHECKPOINT >/dev/null 2>&1 || true
  sync
}

# measured_run DATABASE LABEL NOW [RUN FLAGS…]: one `run` under /usr/bin/time -v, then its steps from the ledger.
measured_run() {
  local database=$1 label=$2 clock=$3
  shift 3
  echo "== $label (run --now $clock${*:+ $*})"
  PGDATABASE="$database" /usr/bin/time -v -o "$work/time.txt" \
    "$bin" run --now "$clock" --output "$work/output-$database" "$@" 2>"$work/$database-$label.log" \
    || { echo "the run failed; its log:" >&2; tail -n 20 "$work/$database-$label.log" >&2; exit 1; }
  psql -X -qAt -F ' ' -d "$database" -v clock="$clock" <<'SQL' | awk '{ printf "  %-18s %8.2f s %10d %-9s %10.0f /s\n", $1, $2, $3, $4, ($2 > 0 ? $3 / $2 : 0) }'
SELECT s.step, round(extract(epoch FROM s.finished_at - s.started_at), 3),
       CASE s.step
         WHEN 'stuck-carts' THEN (s.counts->>'cleaned')::int
         WHEN 'expired-sessions' THEN (s.counts->>'deleted')::int
         WHEN 'recovery' THEN (s.counts->>'sent_first_email')::int + (s.counts->>'sent_push')::int
                              + (s.counts->>'sent_second_email')::int
         WHEN 'reports' THEN (s.counts->>'carts')::int
         ELSE (SELECT COALESCE(sum(value::int), 0) FROM jsonb_each_text(s.counts))::int
       END,
       CASE s.step WHEN 'stuck-carts' THEN 'carts' WHEN 'expired-sessions' THEN 'sessions'
                   WHEN 'recovery' THEN 'messages' WHEN 'reports' THEN 'carts' ELSE 'files' END
FROM checkout_nightly.step_runs AS s
JOIN checkout_nightly.runs AS r USING (run_id)
WHERE r.started_at = (SELECT max(started_at) FROM checkout_nightly.runs)
ORDER BY s.started_at
SQL
  awk -F': ' '/Elapsed \(wall clock\)/ { wall = $2 } /Maximum resident set size/ { rss = $2 }
              /Percent of CPU/ { cpu = $2 }
              END { printf "  whole process      %s wall, %.0f MB peak resident, %s of one core\n", wall, rss / 1024, cpu }' \
    "$work/time.txt"
}

fresh_copy first_night
measured_run first_night "first night" "$now"
measured_run first_night "the run after it, nothing due" "$after"
measured_run first_night "the recovery pass alone a minute later, nothing due" "$minute_later" --only recovery
measured_run first_night "15 minutes later" "$next"
measured_run first_night "the recovery pass alone, 15 minutes later" "$later" --only recovery

# The floor: the passes' and reports' SQL by hand in psql, each statement once over everything, on a fresh copy.
# `floor_sql` prints a script whose timed statements psql reports as "Time:" lines; their sum is the floor.
prepare() { printf 'PREPARE %s AS\n%s\n;\n' "$1" "$(sed -e 's/--.*$//' -e 's/;[[:space:]]*$//' "queries/$2")"; }
timed() { printf '\\timing on\n%s\n\\timing off\n' "$1"; }
floor_sql() {
  case $1 in
    stuck-carts)
      prepare read passes/stuck_carts_read.sql
      prepare claim passes/stuck_carts_claim.sql
      prepare clean passes/stuck_carts_clean.sql
      echo "BEGIN;"
      timed "CREATE TEMP TABLE stuck AS EXECUTE read('2026-11-25T01:50:00Z', '-infinity', '00000000-0000-0000-0000-000000000000', 100000000);"
      echo "SELECT array_agg(id) AS ids, array_agg(version) AS versions, array_agg(updated_at) AS updated FROM stuck WHERE order_exists \\gset"
      timed "EXECUTE claim(:'ids');"
      timed "EXECUTE clean(:'ids', :'versions', '$now', :'updated');"
      timed "COMMIT;" ;;
    expired-sessions)
      prepare delete passes/expired_sessions_delete.sql
      echo "BEGIN;"
      timed "EXECUTE delete('2026-11-18T02:00:00Z', 100000000);"
      timed "COMMIT;" ;;
    recovery)
      prepare candidates recovery/candidates.sql
      echo "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;"
      printf '%s\n;\n' "$(sed -e 's/--.*$//' -e 's/;[[:space:]]*$//' queries/recovery/candidates_settings.sql)"
      timed "EXECUTE candidates('$now', 7200, false) \\g /dev/null"
      echo "COMMIT;" ;;
    reports)
      # The step reads on two connections that share one snapshot; the floor reads serially in one transaction
      # with the same settings (queries/run/report_settings.sql).
      echo "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;"
      sed -e 's/--.*$//' queries/run/report_settings.sql
      for file in queries/reports/*.sql queries/selfchecks/*.sql; do
        local name values=()
        name=$(basename "$file" .sql)
        for parameter in $(sed -n 's/^-- parameters: *//p' "$file" | tr ',' ' '); do
          case $parameter in
            now) values+=("'$next'") ;;
            window_days) values+=("30") ;;
            cooldown_seconds) values+=("86400") ;;
            run_id) values+=("gen_random_uuid()") ;;
            *) echo "bench.sh: $file binds $parameter, which the floor does not know" >&2; exit 1 ;;
          esac
        done
        prepare "$name" "${file#queries/}"
        if [ ${#values[@]} -gt 0 ]; then
          timed "EXECUTE $name($(IFS=,; echo "${values[*]}")) \\g /dev/null"
        else
          timed "EXECUTE $name \\g /dev/null"
        fi
      done
      echo "COMMIT;" ;;
  esac
}
# The passes change what they read, so their floor runs on a fresh copy; the reports only read, so theirs runs on
# the first night's database after its runs, the data the reports step of those runs read (the recovery ledger
# filled), with the self-checks the reports step also runs.
echo "== the floor: the same SQL by hand in psql (the passes on a fresh copy, the reports on the first night's data)"
for step in stuck-carts expired-sessions recovery reports; do
  database=floor
  if [ "$step" = reports ]; then database=first_night; else fresh_copy floor; fi
  floor_sql "$step" >"$work/floor-$step.sql"
  psql -X -q -v ON_ERROR_STOP=1 -d "$database" -f "$work/floor-$step.sql" \
    | awk -v step="$step" '/^Time:/ { total += $2 } END { printf "  %-18s %8.2f s (psql)\n", step, total / 1000 }'
done
dropdb floor
