#!/usr/bin/env bash
# Every test, run inside scripts/with-postgres.sh: the Swift tests (unit and database, with the external checkers
# they call: promtool, node_exporter, the Nu HTML Checker, headless Chromium, Python's e-mail parser,
# systemd-analyze, kubernetes-validate), the installed binary among them.
set -euo pipefail
export CHECKOUT_NIGHTLY_BIN="${CHECKOUT_NIGHTLY_BIN:-$(swift build --show-bin-path)/checkout-nightly}"
export CHECKOUT_NIGHTLY_REPO="$(pwd)"

log=$(mktemp)
installs=$(mktemp -d)
# The tests' temporary folders (outputs, clones, review copies: gigabytes over a whole run) go into one folder that
# goes when the run ends. Other users may pass through it to a folder handed to them, not list it.
scratch=$(mktemp -d)
chmod 0711 "$scratch"
trap 'rm -rf "$log" "$installs" "$scratch"' EXIT

# Two installs for the tests (before `swift test`, which holds the build folder's lock): as a packager does, into
# a DESTDIR (the Containerfile's runtime stage), and into a PREFIX of its own (the systemd units name real paths).
make --no-print-directory install DESTDIR="$installs/destdir" PREFIX=/usr/local >"$installs/install.log" 2>&1 \
  || { cat "$installs/install.log" >&2; exit 1; }
make --no-print-directory install PREFIX="$installs/prefix" >>"$installs/install.log" 2>&1 \
  || { cat "$installs/install.log" >&2; exit 1; }
export CHECKOUT_NIGHTLY_DESTDIR="$installs/destdir" CHECKOUT_NIGHTLY_PREFIX="$installs/prefix"
TMPDIR="$scratch" swift test --skip-build 2>&1 | tee "$log"

# The tests are Swift Testing tests; the XCTest runner before them reports "Executed 0 tests". Close with one
# plain line that says how many ran.
count=$(sed -n 's/.*Test run with \([0-9][0-9]*\) tests\{0,1\} in .* passed after.*/\1/p' "$log" | tail -n 1)
[ -n "$count" ] && [ "$count" -gt 0 ] || { echo "no passing Swift Testing run was reported" >&2; exit 1; }
echo "Summary: $count passed, 0 failed"
