#!/usr/bin/env bash
# What sharding costs and what the merge costs, for bench/README.md's "scale on paper":
#  1. the 256-run grid (bench/scale_grid.csx --side 4, the paper's size) on one machine, then as 8 shards run one
#     after another (each shard's process wall time: its runs plus the tool's start), then their merge;
#  2. a 65 536-run grid (--side 16) of runs the same length (1 000 steps) but smaller (--d 1000), as 8 shards, then
#     its merge, with peak resident memory (GNU time's maximum RSS) and the size of what it writes.
# Usage: bench/shards-scale.sh [side=16] [shards=8]. ESP names the tool (default: dotnet esp-script, after ./setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
side=${1:-16}
shards=${2:-8}
esp=${ESP:-dotnet esp-script}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

seconds() { /usr/bin/time -f "%e %M" -o "$out/time" "$@" >/dev/null 2>"$out/err" || { cat "$out/err"; exit 1; }; cat "$out/time"; }

read -r wall _ < <(seconds $esp bench/scale_grid.csx --out "$out/whole")
echo "256 runs, one machine: $wall s"
total=0
for i in $(seq 0 $((shards - 1))); do
  read -r wall _ < <(seconds $esp bench/scale_grid.csx --out "$out/sharded" --shard "$i/$shards")
  echo "256 runs, shard $i/$shards: $wall s"
done
read -r wall rss < <(seconds $esp merge "$out/sharded")
echo "256 runs, merge: $wall s, peak RSS $((rss / 1024)) MB"
cmp "$out/whole/steps.csv" "$out/sharded/steps.csv" && echo "256 runs: merged steps.csv = the single machine's"
rm -rf "$out/whole" "$out/sharded"

runs=$((side * side * side * side))
start=$(date +%s.%N)
for i in $(seq 0 $((shards - 1))); do
  seconds $esp bench/scale_grid.csx --side "$side" --d 1000 --out "$out/big" --shard "$i/$shards" >/dev/null
done
echo "$runs runs (d 1000): $shards shards one after another: $(echo "$(date +%s.%N) - $start" | bc) s; records $(du -sh "$out/big/shards" | cut -f1)"
read -r wall rss < <(seconds $esp merge "$out/big")
echo "$runs runs: merge $wall s, peak RSS $((rss / 1024)) MB, writes $(du -sh --exclude=shards "$out/big" | cut -f1) ($(wc -l < "$out/big/steps.csv") lines of steps.csv)"
