#!/usr/bin/env bash
# Coverage-guided fuzzing of the importer's readers with afl-fuzz and SharpFuzz (issue 14, item 6; docs/reliability.md).
# Opt-in, not part of CI (CI replays tests/data/fuzz through FuzzFixtureTests).
#
#   fuzz/run.sh [--minutes N] [--out DIR] [KIND...]
#
# KIND: csv geojson mapping xlsx shapefile (the default set) and xlsx-zip shapefile-zip (the whole archive mutated).
# Needs afl-fuzz (Debian: apt-get install -y --no-install-recommends afl++); installs the sharpfuzz tool
# (SharpFuzz.CommandLine 2.3.0) into ~/.cache/groundtruth-fuzz/tools on first use. For each KIND: builds the harness
# (fuzz/Groundtruth.Fuzz), instruments Groundtruth.Application.dll and Groundtruth.Domain.dll, writes the seed from
# tests/data, runs afl-fuzz for N minutes (default 10), replays every crash (on the current build: the count of those
# that still escape), writes each as a fixture-named file, and prints one line of counts.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
minutes=10
out="$root/fuzz-out"
kinds=()
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n 2,12p "$0"; exit 0 ;;
    *) kinds+=("$1"); shift ;;
  esac
done
[ ${#kinds[@]} -gt 0 ] || kinds=(csv geojson mapping xlsx shapefile)

if ! command -v afl-fuzz > /dev/null; then
  echo "afl-fuzz not found: install it (Debian: apt-get install -y --no-install-recommends afl++)" >&2
  exit 2
fi
tools="${XDG_CACHE_HOME:-$HOME/.cache}/groundtruth-fuzz/tools"
if [ ! -x "$tools/sharpfuzz" ]; then
  dotnet tool install --tool-path "$tools" SharpFuzz.CommandLine --version 2.3.0
fi

mkdir -p "$out"
# Two copies of the build: bin (plain) writes the seeds and replays crashes; bin-afl (instrumented) runs under afl-fuzz.
bin="$out/bin"
afl="$out/bin-afl"
rm -rf "$bin" "$afl"
dotnet build "$root/fuzz/Groundtruth.Fuzz" -c Release -v quiet -nologo
cp -r "$root/fuzz/Groundtruth.Fuzz/bin/Release/net10.0" "$bin"
cp -r "$bin" "$afl"
for dll in Groundtruth.Application.dll Groundtruth.Domain.dll; do
  "$tools/sharpfuzz" "$afl/$dll"
done

export GROUNDTRUTH_ROOT="$root"
# dotnet is not an AFL-instrumented binary (SharpFuzz speaks AFL's fork-server protocol from managed code);
# the .NET runtime needs seconds to start; no core dumps or CPU governor to set on a shared machine.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_FORKSRV_INIT_TMOUT=60000
# A managed heap cap: an input that makes a reader allocate what a header claims is an OutOfMemoryException (a
# finding), not the kernel's OOM killer taking the machine down.
export DOTNET_GCHeapHardLimit=0x40000000

summary="$out/summary.txt"
: > "$summary"
for kind in "${kinds[@]}"; do
  seeds="$out/seeds/$kind"
  rm -rf "$seeds" "$out/$kind"
  dotnet "$bin/Groundtruth.Fuzz.dll" "$kind" --seed "$seeds"
  echo "== $kind: afl-fuzz for $minutes min (load $(cut -d' ' -f1-3 /proc/loadavg))"
  export GROUNDTRUTH_FUZZ_LOG="$out/$kind.escaped.txt"
  afl-fuzz -V $((minutes * 60)) -i "$seeds" -o "$out/$kind" -t 10000 -m none -- dotnet "$afl/Groundtruth.Fuzz.dll" "$kind" > "$out/$kind.log" 2>&1 || {
    echo "afl-fuzz failed for $kind; see $out/$kind.log" >&2; tail -20 "$out/$kind.log" >&2; exit 1; }
  stats="$out/$kind/default/fuzzer_stats"
  get() { sed -n "s/^$1 *: *//p" "$stats"; }
  crashes=("$out/$kind"/default/crashes/id:*)
  if [ -e "${crashes[0]}" ]; then
    dotnet "$bin/Groundtruth.Fuzz.dll" "$kind" --replay "${crashes[@]}" > "$out/$kind.crashes.txt" 2>&1 || true
    # Each crash as the file the importer read, named as a fixture: copy the ones worth keeping to tests/data/fuzz.
    dotnet "$bin/Groundtruth.Fuzz.dll" "$kind" --materialize "${crashes[@]}" "$out/$kind.fixtures" > /dev/null
  fi
  line="$kind: $(get execs_done) executions in $(get run_time) s ($(get execs_per_sec)/s), $(get corpus_count) paths, edges $(get edges_found), crashes $(get saved_crashes), hangs $(get saved_hangs)"
  echo "$line" | tee -a "$summary"
  [ -e "${crashes[0]}" ] && echo "   crashes replayed: $out/$kind.crashes.txt ($(grep -c ' ESCAPED ' "$out/$kind.crashes.txt") escape now), as fixtures in $out/$kind.fixtures" | tee -a "$summary"
done
echo "summary: $summary"
