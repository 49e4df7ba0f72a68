#!/usr/bin/env bash
# Wall time of `dotnet esp-script experiments/fig19.csx`, cold (empty script cache: Roslyn compiles) and warm
# (cache hit), with the compile and engine seconds each run records in its manifest.json; then warm Esp against the
# vectorized NumPy script of the same 8 runs as a whole process (python start, numpy import and the runs:
# bench/numpy_baseline.py), alternately, and their ratio. Medians of N runs.
# Needs the tool installed (./setup.sh) and Debian's python3-numpy. Usage: bench/fig19-script.sh [N=5]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-5}
cache=$(mktemp -d)
out=$(mktemp -d)
trap 'rm -rf "$cache" "$out"' EXIT

field() { grep -o "\"$1\": [0-9.eE+-]*" "$out/fig19/manifest.json" | head -1 | awk '{print $2}'; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A wall compile engine
for mode in cold warm; do
  for i in $(seq "$n"); do
    [ "$mode" = cold ] && rm -rf "$cache"/*
    start=$(date +%s.%N)
    dotnet esp-script experiments/fig19.csx --cache "$cache" --out "$out/fig19" >/dev/null 2>&1
    end=$(date +%s.%N)
    wall[$mode]+="$(echo "$end - $start" | bc) "
    compile[$mode]+="$(field compile_seconds) "
    engine[$mode]+="$(field run_seconds) "
  done
done
for mode in cold warm; do
  printf '%s: wall %.2f s, compile %.2f s, script run (engine + files) %.2f s  (medians of %d)\n' "$mode" \
    "$(tr ' ' '\n' <<<"${wall[$mode]}" | grep . | median)" \
    "$(tr ' ' '\n' <<<"${compile[$mode]}" | grep . | median)" \
    "$(tr ' ' '\n' <<<"${engine[$mode]}" | grep . | median)" "$n"
done

if /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
  esp="" numpy=""
  for i in $(seq "$n"); do
    start=$(date +%s.%N); dotnet esp-script experiments/fig19.csx --cache "$cache" --out "$out/fig19" >/dev/null 2>&1; end=$(date +%s.%N)
    esp+="$(echo "$end - $start" | bc) "
    start=$(date +%s.%N); /usr/bin/python3 bench/numpy_baseline.py time --grid fig19 --repetitions 1 >/dev/null; end=$(date +%s.%N)
    numpy+="$(echo "$end - $start" | bc) "
  done
  e=$(tr ' ' '\n' <<<"$esp" | grep . | median); p=$(tr ' ' '\n' <<<"$numpy" | grep . | median)
  printf 'whole process, alternately: esp-script warm %.2f s, NumPy script %.2f s, ratio %.2f (target <= 1.0; medians of %d)\n' \
    "$e" "$p" "$(echo "$e / $p" | bc -l)" "$n"
else
  echo "NumPy comparison skipped: apt-get install python3-numpy"
fi
