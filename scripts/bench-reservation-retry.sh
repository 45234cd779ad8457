#!/usr/bin/env bash
# Measures the calls per second the reservation-retry pass sustains against the loopback warehouse service
# (scripts/warehouse-service.py), with 8 calls in flight and with 1. The service answers at once, or after
# LATENCY seconds (a slow warehouse, where calls in flight matter):
#
#   scripts/with-postgres.sh scripts/bench-reservation-retry.sh [ERRORS] [LATENCY]
#
# Each measurement runs on its own copy of the same database; the figure is calls ÷ the step's duration_s.
set -euo pipefail
errors="${1:-2000}"
latency="${2:-0}"
bin="${CHECKOUT_NIGHTLY_BIN:-$(swift build --show-bin-path)/checkout-nightly}"
now=2026-11-25T02:00:00Z
work=$(mktemp -d "${TMPDIR:-/tmp}/bench-retry.XXXXXX")
echo "logs in $work"

createdb bench_retry
PGDATABASE=bench_retry "$bin" migrate 2>/dev/null
# One order per 4 errors, created 10 minutes before the clock: every error's first attempt is due.
psql -qAt -d bench_retry -v errors="$errors" <<'SQL'
INSERT INTO customers (id, email) VALUES ('00000000-0000-4000-8000-000000000001', 'bench@example.com');
INSERT INTO orders (id, order_number, customer_id, status, total_amount, currency, metadata, created_at)
SELECT md5('order' || n)::uuid, 'ORD-BENCH-' || n, '00000000-0000-4000-8000-000000000001', 'placed', 10, 'EUR',
       jsonb_build_object('reservation_confirmation_errors', (
           SELECT jsonb_agg(jsonb_build_object('reservation_id', 'res_' || n || '_' || k, 'product_id', 'p',
                                               'sku', 'SKU-' || k, 'warehouse_id', 'wh-1', 'reason', 'warehouse_timeout'))
           FROM generate_series(1, 4) AS k)),
       timestamptz '2026-11-25T01:50:00Z'
FROM generate_series(1, :errors / 4) AS n;
SQL
for copy in in_flight_8 in_flight_1; do createdb -T bench_retry "$copy"; done

for in_flight in 8 1; do
  # A fresh service per measurement (it remembers confirmed keys, and both copies have the same keys). It prints
  # "listening on 127.0.0.1:PORT" once it accepts connections: read that line, no sleeping.
  exec 3< <(exec python3 scripts/warehouse-service.py --token bench-token --default slow --slow-seconds "$latency")
  service=$!
  read -r ready <&3
  CHECKOUT_NIGHTLY_WAREHOUSE_BASE_URL="http://${ready#listening on }" CHECKOUT_NIGHTLY_WAREHOUSE_TOKEN=bench-token \
    CHECKOUT_NIGHTLY_RESERVATION_RETRY_MAX_IN_FLIGHT="$in_flight" PGDATABASE="in_flight_$in_flight" \
    "$bin" run --only reservation-retry --now "$now" --output "$work/output" 2>"$work/in_flight_$in_flight.log"
  kill "$service"
  exec 3<&-
  line=$(grep 'msg="step finished"' "$work/in_flight_$in_flight.log")
  calls=$(sed -n 's/.*· calls \([0-9]*\) ·.*/\1/p' <<<"$line")
  seconds=$(sed -n 's/.*duration_s=\([0-9.]*\).*/\1/p' <<<"$line")
  printf '%d in flight: %d calls in %s s = %.0f calls per second\n' "$in_flight" "$calls" "$seconds" \
    "$(echo "$calls / $seconds" | bc -l)"
done
