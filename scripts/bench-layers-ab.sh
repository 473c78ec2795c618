#!/usr/bin/env bash
# Paired A/B of the CNN step on a shared machine: builds bench at each COMMIT (git archive into a temp dir), then runs
# `--layers STEPS_PER_ROUND` for the commits in turn, ROUNDS times, so every build sees the same background load.
# Usage: scripts/bench-layers-ab.sh ROUNDS COMMIT... > results.txt    (e.g. scripts/bench-layers-ab.sh 3 main HEAD)
set -euo pipefail
rounds=$1; shift
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for c in "$@"; do
  mkdir -p "$work/$c"
  git -C "$repo" archive "$c" | tar -x -C "$work/$c"
  (cd "$work/$c" && dotnet build bench -c Release -v quiet -nologo > /dev/null)
done
echo "CPU: $(lscpu | grep 'Model name' | sed 's/Model name: *//'), $(nproc) cores"
for r in $(seq 1 "$rounds"); do
  for c in "$@"; do
    echo "=== $c round $r $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
    dotnet "$work/$c/bench/bin/Release/net10.0/NetNumerics.Bench.dll" --layers 3 4
  done
done
