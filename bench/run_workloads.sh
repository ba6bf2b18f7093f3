#!/usr/bin/env bash
# Runs our runner on W1..W4 in interleaved rounds and appends one JSON line per run to $OUT,
# each extended with the round, the process's max RSS (/usr/bin/time), an FMA-probe reading
# taken just before the run and the CPU time other processes used during it (noise indicators,
# as ../shared/bench/peers/bench_driver.py records them for the peers).
#
#   bash bench/run_workloads.sh                       3 rounds of every workload, threads 1 and 2
#   ROUNDS=1 SPECS="W3:1 W3:2" bash bench/run_workloads.sh
#
# Environment: OUT (default ./backprop-raw.jsonl), ROUNDS (3), SPECS (workload:threads list),
# PEERS_BUILD (where run_peers.sh put cpu_peak; the probe is skipped when it is missing).
set -u
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
dotnet build bench/Backprop.Bench -c Release -nologo -v q >&2 || exit 1
B="dotnet bench/Backprop.Bench/bin/Release/net10.0/Backprop.Bench.dll"
OUT=${OUT:-$PWD/backprop-raw.jsonl}
ROUNDS=${ROUNDS:-3}
SPECS=${SPECS:-"W1:1 W1:2 W2:1 W2:2 W3:1 W3:2 W4:2 W4:1"}
PROBE="${PEERS_BUILD:-/tmp/peers-build}/cpu_peak"
TMP=$(mktemp)
busy() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
for round in $(seq 1 "$ROUNDS"); do
  for spec in $SPECS; do
    w=${spec%:*}; t=${spec#*:}
    probe=null
    # The probe runs alone and its line is parsed after it ends: a parser started beside it in a
    # pipeline takes CPU while it measures (it read about 15% low that way).
    if [ -x "$PROBE" ]; then
      reading=$("$PROBE" --threads 2 --iters 20000000 --reps 1 | tail -1)
      probe=$(printf '%s' "$reading" | python3 -c 'import json,sys;print(json.load(sys.stdin)["gflops"])')
    fi
    s0=$(busy)
    line=$(/usr/bin/time -f '%M %U %S' -o "$TMP" $B --workload "$w" --threads "$t")
    s1=$(busy)
    read -r rss ut st < "$TMP"
    hz=$(getconf CLK_TCK)
    foreign=$(python3 -c "print(round(max(0, ($s1 - $s0) / $hz - ($ut + $st)), 2))")
    echo "${line%\}}, \"round\": $round, \"maxrss_kb\": $rss, \"probe_fma_gflops_2cores\": $probe, \"foreign_cpu_s\": $foreign}" | tee -a "$OUT"
  done
done
rm -f "$TMP"
