#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster and removes the cluster afterwards, whatever happens.
#
#   scripts/with-postgres.sh COMMAND [ARG...]
#
# The cluster lives in a fresh temporary folder, listens only on a Unix socket in that (private) folder, on a
# free port number, with fsync off: for demos and tests, never for production. initdb and postgres refuse to
# run as root, so when the caller is root the server runs as the unprivileged `postgres` system user.
# The command sees PGHOST, PGPORT, PGUSER and PGDATABASE (libpq's own variables) pointing at the cluster.
set -euo pipefail

[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARG...]" >&2; exit 64; }

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pg_bin/initdb" ] || { echo "PostgreSQL server binaries not found; run scripts/install-deps.sh" >&2; exit 69; }

# The server's files live in a private folder of their own, never in the clone (which may be a folder no other
# user can enter, such as root's home): in a temporary folder the server's user can write to (as root, the
# postgres user), else /tmp.
base="${TMPDIR:-/tmp}"
run_as=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
  run_as=(runuser -u postgres --)
fi
"${run_as[@]}" test -x "$base" -a -w "$base" || base=/tmp
cluster=$(mktemp -d "$base/checkout-nightly-pg.XXXXXX")
[ ${#run_as[@]} -eq 0 ] || chown postgres: "$cluster"
chmod 700 "$cluster"
superuser=checkout_admin

stop_cluster() {
  local status=$?
  if [ -f "$cluster/data/postmaster.pid" ]; then
    "${run_as[@]}" "$pg_bin/pg_ctl" -D "$cluster/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$cluster"
  exit "$status"
}
trap stop_cluster EXIT
trap 'exit 130' INT TERM

# A free port number: with listen_addresses='' it only names the socket, but a unique one keeps logs clear.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

"${run_as[@]}" "$pg_bin/initdb" --no-sync --auth=trust --username="$superuser" --encoding=UTF8 --locale=C.UTF-8 \
  -D "$cluster/data" >"$cluster/initdb.log" 2>&1 || { cat "$cluster/initdb.log" >&2; exit 69; }

# max_connections: the test suite runs its database tests in parallel, each with a database and a few connections
# of its own; the whole suite peaked at 170 (sampled) before the holdout's tests, so 200 was too close.
# Close inherited descriptors above 2 so no caller (make, a test runner) waits on the server's copies.
"${run_as[@]}" bash -c 'for fd in /proc/$$/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done 2>/dev/null; exec "$@"' _ \
  "$pg_bin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -t 30 \
  -o "-c listen_addresses='' -k $cluster -p $port -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400 -c shared_buffers=256MB -c maintenance_work_mem=256MB -c work_mem=32MB -c max_wal_size=4GB" \
  start >/dev/null || { cat "$cluster/server.log" >&2; exit 69; }

export PGHOST="$cluster" PGPORT="$port" PGUSER="$superuser" PGDATABASE=postgres
unset PGPASSWORD PGSERVICE DATABASE_URL CHECKOUT_NIGHTLY_DATABASE_URL
echo "throwaway PostgreSQL on socket $PGHOST port $PGPORT (removed when the command ends)" >&2
"$@"
