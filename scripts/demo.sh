#!/usr/bin/env bash
# The demo, run inside scripts/with-postgres.sh: migrate, seed, run the whole nightly batch, print the paths.
set -euo pipefail
bin="${CHECKOUT_NIGHTLY_BIN:-$(swift build --show-bin-path)/checkout-nightly}"
carts="${DEMO_CARTS:-5000}"
output="${DEMO_OUTPUT:-output}"

createdb checkout_demo
export PGDATABASE=checkout_demo

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
