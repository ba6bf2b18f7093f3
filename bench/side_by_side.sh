#!/usr/bin/env bash
# The figures of docs/performance.md: rounds of the peers (../shared/bench/peers/run_peers.sh, one
# round each) interleaved with rounds of our runner (bench/run_workloads.sh), then the median tables.
#
#   bash bench/side_by_side.sh                    3 interleaved rounds (~20 min on the 2-core machine)
#   ROUNDS=1 bash bench/side_by_side.sh
#
# Environment: ROUNDS (3), OUT (folder for the JSON lines, logs and summary; default /tmp/side-by-side),
# PEERS_BUILD (default /tmp/peers-build), ONLY (the peer configurations; default: each peer's best
# settings on this machine, plus the hand-written W1 loop and OpenBLAS sgemm for reference).
set -u
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ROUNDS=${ROUNDS:-3}
OUT=${OUT:-/tmp/side-by-side}
export PEERS_BUILD=${PEERS_BUILD:-/tmp/peers-build}
ONLY=${ONLY:-"W3/t1/skx,W4/t1/skx,W2/t2/default,torch/W4/t2/skx,torch/W3/t2/skx,torchsharp,fann,w1_ref,lsgemm/t2/skx,lsgemm/t1/skx"}
mkdir -p "$OUT"
rm -f "$OUT/peers.jsonl" "$OUT/ours.jsonl"
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r: peers $(date -u +%H:%M:%S)" >&2
  APPEND=$([ "$r" -gt 1 ] && echo 1) RAW="$OUT/peers.jsonl" ROUNDS=1 ONLY="$ONLY" \
    bash ../shared/bench/peers/run_peers.sh > "$OUT/peers-$r.log" 2>&1
  echo "round $r: ours $(date -u +%H:%M:%S)" >&2
  OUT="$OUT/ours.jsonl" ROUNDS=1 bash bench/run_workloads.sh > "$OUT/ours-$r.log" 2>&1
done
python3 bench/summarize.py "$OUT/peers.jsonl" "$OUT/ours.jsonl" | tee "$OUT/summary.md"
