#!/usr/bin/env bash
# Every test, run inside scripts/with-postgres.sh: the Swift tests (unit and database, with the external checkers
# they call: promtool, node_exporter, the Nu HTML Checker, headless Chromium, Python's e-mail parser).
set -euo pipefail
export CHECKOUT_NIGHTLY_BIN="${CHECKOUT_NIGHTLY_BIN:-$(swift build --show-bin-path)/checkout-nightly}"
export CHECKOUT_NIGHTLY_REPO="$(pwd)"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
swift test --skip-build 2>&1 | tee "$log"

# The tests are Swift Testing tests; the XCTest runner before them reports "Executed 0 tests". Close with one
# plain line that says how many ran.
count=$(sed -n 's/.*Test run with \([0-9][0-9]*\) tests\{0,1\} in .* passed after.*/\1/p' "$log" | tail -n 1)
[ -n "$count" ] && [ "$count" -gt 0 ] || { echo "no passing Swift Testing run was reported" >&2; exit 1; }
echo "Summary: $count passed, 0 failed"
