#!/usr/bin/env bash
# The large answers of the web API (issue 11; docs/benchmarks.md, twelfth round): a submission's first and a middle page
# of records, and exports (the first writes the file, later ones stream the kept file), timed with curl on loopback
# against the Release host, on a copy of a demo database (e.g. `groundtruth demo --scale 500`).
#
#   bench/web/downloads.sh DATABASE [RUNS]     DATABASE is copied (with its .key) to $TMPDIR and upgraded by init;
#                                              RUNS (default 3) requests of each route.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source_db=${1:?usage: bench/web/downloads.sh DATABASE [RUNS]}
runs=${2:-3}
port=${PORT:-5191}
work=$(mktemp -d "${TMPDIR:-/tmp}/groundtruth-downloads-XXXXXX")
trap 'kill "${pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
cli="$root/src/Groundtruth.Cli/bin/Release/net10.0/groundtruth.dll"
web="$root/src/Groundtruth.Web/bin/Release/net10.0/Groundtruth.Web.dll"
dotnet build -c Release "$root/src/Groundtruth.Cli" >/dev/null
dotnet build -c Release "$root/src/Groundtruth.Web" >/dev/null
cp "$source_db" "$work/db.gpkg"
[ -e "$source_db.key" ] && cp "$source_db.key" "$work/db.gpkg.key"
dotnet "$cli" --db "$work/db.gpkg" init
dotnet "$cli" --db "$work/db.gpkg" users add bench --role administrator --password 'Bench-pass-123456' >/dev/null
(cd "$(dirname "$web")" && exec dotnet "$web" --urls "http://127.0.0.1:$port" --Groundtruth:Database="$work/db.gpkg" > "$work/host.log" 2>&1) &
pid=$!
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 1; done
token=$(curl -s -X POST -H 'Content-Type: application/json' -d '{"name":"bench","password":"Bench-pass-123456"}' \
  "http://127.0.0.1:$port/api/token" | python3 -c 'import sys, json; print(json.load(sys.stdin)["access_token"])')
# The two largest submissions (the demo's finds and casualties imports).
submissions=$(curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/submissions" \
  | python3 -c 'import sys, json; s = json.load(sys.stdin); print(" ".join(str(x["id"]) for x in sorted(s, key=lambda x: -x["record_count"])[:2]))')
routes=()
for id in $submissions; do routes+=("/api/submissions/$id" "/api/submissions/$id?offset=500000&limit=1000"); done
routes+=("/api/export/finds?format=csv" "/api/export/hazards?format=geojson" "/api/export/finds?format=geojson")
for route in "${routes[@]}"; do
  for run in $(seq 1 "$runs"); do
    curl -s -o "$work/run-$run.out" -w "$route run $run: %{time_total} s, %{size_download} bytes, HTTP %{http_code}\n" \
      -H "Authorization: Bearer $token" "http://127.0.0.1:$port$route"
  done
  cmp -s "$work/run-1.out" "$work/run-$runs.out" && echo "  run 1 and run $runs: identical" || echo "  run 1 and run $runs: DIFFER"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
