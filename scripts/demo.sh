#!/usr/bin/env bash
# The demo, run inside scripts/with-postgres.sh: migrate, seed, run the whole nightly batch, print the paths.
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

"$bin" migrate
"$bin" seed --carts "$carts"
"$bin" run --output "$output"

site=$(cd "$output" && pwd)/site
cat <<INFO

The nightly batch ran on $carts demo carts.
  Dashboards:   $site/index.html
  E-mails:      $(cd "$output" && pwd)/emails/
  Metric files: $(cd "$output" && pwd)/metrics/
INFO
