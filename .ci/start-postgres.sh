#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 + PostGIS server on 127.0.0.1 for tests and benchmarks, and prints
# the connection string. Works as root (initdb refuses root, so the server runs as 'postgres').
# Usage: eval "$(.ci/start-postgres.sh)"   → exports GROUNDTRUTH_TEST_PG
set -euo pipefail
PORT="${GROUNDTRUTH_PG_PORT:-55432}"
BASE="${GROUNDTRUTH_PG_DIR:-/tmp/groundtruth-pg}"
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
# Timeout=60: under a full parallel test run on two cores, opening a connection while other tests create and drop
# databases once took longer than the 15 s default.
CS="Host=127.0.0.1;Port=$PORT;Username=postgres;Password=postgres;Database=groundtruth_test;Timeout=60"

as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$1"; else bash -c "$1"; fi; }

ensure_postgis() {
  PGPASSWORD=postgres "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -qtAc "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null \
    || { echo "PostGIS is not installed (apt-get install postgresql-15-postgis-3)" >&2; exit 1; }
}

if as_pg "$BIN/pg_ctl -D $BASE/data status" >/dev/null 2>&1; then
  # Already running (a second call, or a first call made before PostGIS was installed): PostGIS must be there too.
  ensure_postgis
  echo "export GROUNDTRUTH_TEST_PG='$CS'"
  exit 0
fi
rm -rf "$BASE"
mkdir -p "$BASE/data" "$BASE/socket"
[ "$(id -u)" = 0 ] && chown -R postgres:postgres "$BASE"
as_pg "echo postgres > $BASE/pwfile && $BIN/initdb -D $BASE/data -U postgres --pwfile=$BASE/pwfile -A md5 -E UTF8 --locale=C.UTF-8" >"$BASE/initdb.log" 2>&1 \
  || { cat "$BASE/initdb.log" >&2; exit 1; }
cat >> "$BASE/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$BASE/socket'
fsync = on
max_connections = 100
shared_buffers = 256MB
max_parallel_workers_per_gather = 2
CONF
as_pg "$BIN/pg_ctl -D $BASE/data -l $BASE/server.log -w start" >/dev/null || { cat "$BASE/server.log" >&2; exit 1; }
ensure_postgis
echo "export GROUNDTRUTH_TEST_PG='$CS'"
