#!/usr/bin/env bash
# The web API under load (issue 6; docs/benchmarks.md "Web API under load"): wrk -t1 on loopback, 50 connections,
# authenticated with an analyst's bearer token, against a filtered /api/stats/casualties and a bbox feature query,
# on the demo at tier S's scale (20,000 hazardous areas). Prints wrk's report and the load average beside it.
#
#   bench/web/wrk.sh [DATABASE] [DURATION]        DATABASE defaults to $TMPDIR/groundtruth-bench/web-s500.gpkg (made
#                                                 once: demo --scale 500), DURATION to 60s.
#   GROUNDTRUTH_CACHE=false bench/web/wrk.sh ...  the same with the answers cache off (every request computes)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
database=${1:-${TMPDIR:-/tmp}/groundtruth-bench/web-s500.gpkg}
duration=${2:-60s}
port=${PORT:-5097}
cli="$root/src/Groundtruth.Cli/bin/Release/net10.0/groundtruth"
web="$root/src/Groundtruth.Web/bin/Release/net10.0/Groundtruth.Web.dll"
dotnet build -c Release "$root/src/Groundtruth.Cli" >/dev/null
dotnet build -c Release "$root/src/Groundtruth.Web" >/dev/null
if [ ! -e "$database" ]; then
  mkdir -p "$(dirname "$database")"
  "$cli" --db "$database" demo --scale 500
  echo 'Bench-Pass-2026!x' | "$cli" --db "$database" users add bench --role analyst --password-stdin
fi
Groundtruth__Database="$database" Groundtruth__Cache__Enabled="${GROUNDTRUTH_CACHE:-true}" \
  dotnet "$web" --urls "http://127.0.0.1:$port" >/dev/null 2>&1 &
host=$!
trap 'kill $host' EXIT
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 1; done
token=$(curl -sf -X POST -H 'Content-Type: application/json' -d '{"name":"bench","password":"Bench-Pass-2026!x"}' \
  "http://127.0.0.1:$port/api/token" | jq -r .access_token)
stats="http://127.0.0.1:$port/api/stats/casualties?from=2000&where=status%3Dcivilian&by=age_group"
features="http://127.0.0.1:$port/api/features/finds?bbox=-24.6,-31.3,-24.4,-31.1&limit=100"
for url in "$stats" "$features"; do
  curl -sf -o /dev/null -H "Authorization: Bearer $token" "$url"   # first answer (load, JIT) outside the measurement
  echo "== $url (cache ${GROUNDTRUTH_CACHE:-true})"
  uptime
  wrk -t1 -c50 -d"$duration" --latency -H "Authorization: Bearer $token" "$url"
  uptime
done
