#!/usr/bin/env bash
# Every test, run inside scripts/with-postgres.sh: the Swift tests (unit and database), then the external checks.
set -euo pipefail
export CHECKOUT_NIGHTLY_BIN="${CHECKOUT_NIGHTLY_BIN:-$(swift build --show-bin-path)/checkout-nightly}"
export CHECKOUT_NIGHTLY_REPO="$(pwd)"
swift test --skip-build
