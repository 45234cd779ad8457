#!/usr/bin/env bash
# The demo, run inside scripts/with-postgres.sh: migrate, seed, run the whole nightly batch on two nights three
# days apart (customers come back in between), print the paths.
set -euo pipefail
bin="${CHECKOUT_NIGHTLY_BIN:-$(swift build --show-bin-path)/checkout-nightly}"
carts="${DEMO_CARTS:-5000}"
output="${DEMO_OUTPUT:-output}"

createdb checkout_demo
export PGDATABASE=checkout_demo
# A run that sends recovery messages refuses the shipped example storefront; the demo names its own.
export CHECKOUT_NIGHTLY_RECOVERY_BASE_URL="https://demo-shop.localhost"
export CHECKOUT_NIGHTLY_RECOVERY_SENDER="Demo Shop <shop@demo-shop.localhost>"
export CHECKOUT_NIGHTLY_RECOVERY_UNSUBSCRIBE_MAILBOX="unsubscribe@demo-shop.localhost"
export CHECKOUT_NIGHTLY_RECOVERY_POSTAL_ADDRESS="Demo Shop · 1 Demo Street · 10115 Berlin · Germany"
# A larger holdout than the default 5 %, so that 5,000 demo carts give enough held-out carts for the lift.
export CHECKOUT_NIGHTLY_RECOVERY_HOLDOUT_PERCENT="${CHECKOUT_NIGHTLY_RECOVERY_HOLDOUT_PERCENT:-20}"

"$bin" migrate
# The data and the first night are dated three days back, the second night 20 minutes ago, so that the retry pass
# can run again "now" (a run may not be dated ahead of the database's clock).
first_night=$(date -u -d '-3 days -20 minutes' +%Y-%m-%dT%H:%M:%SZ)
earlier=$(date -u -d '-20 minutes' +%Y-%m-%dT%H:%M:%SZ)
"$bin" seed --carts "$carts" --now "$first_night"

# The warehouse service for the reservation-retry pass: the fake of scripts/warehouse-service.py on a free
# loopback port, answering each reservation as picked from a hash of its id (most confirm, some after a 503 or
# two 502s, a few 404/410/422). It prints "listening on 127.0.0.1:PORT" once it accepts connections.
token_file=$(mktemp "${TMPDIR:-/tmp}/warehouse-token.XXXXXX")
head -c 24 /dev/urandom | base64 | tr -d '\n/+=' >"$token_file"
exec 3< <(exec python3 scripts/warehouse-service.py --demo --token-file "$token_file")
warehouse=$!
trap 'kill "$warehouse" 2>/dev/null || true; rm -f "$token_file"' EXIT
read -r ready <&3
export CHECKOUT_NIGHTLY_WAREHOUSE_BASE_URL="http://${ready#listening on }" CHECKOUT_NIGHTLY_WAREHOUSE_TOKEN_FILE="$token_file"

"$bin" run --output "$output" --now "$first_night"
# Between the nights, some customers the first night messaged or held out order their carts (more of the messaged
# ones: the demo's simulated effect); the second night credits those orders, so the cart analytics page shows the
# lift of the messages over the holdout with its interval.
psql -X -q -v ON_ERROR_STOP=1 -f queries/demo/customers_return.sql
"$bin" run --output "$output" --now "$earlier"
# The retry pass again 20 minutes later, as its 15-minute schedule would: the errors that got a 503 or a 502 on
# their first attempt are due for their second, and most of them are confirmed now.
"$bin" run --only reservation-retry,reports --output "$output"

site=$(cd "$output" && pwd)/site
cat <<INFO

The nightly batch ran on $carts demo carts.
  Dashboards:   $site/index.html
  E-mails:      $(cd "$output" && pwd)/emails/
  Metric files: $(cd "$output" && pwd)/metrics/
INFO
