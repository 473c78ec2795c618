#!/usr/bin/env bash
# One shard of a `numerics compare` suite per task of a Slurm array job (docs/sweeps.md).
#
#   sbatch --array=1-4 scripts/sweep/slurm-array.sh SUITE RESULTS_DIR [compare flags...]
#   numerics compare merge RESULTS_DIR/shard-*-of-4 --out RESULTS_DIR/merged     # when all tasks are done
#
# Task SLURM_ARRAY_TASK_ID of an array of SLURM_ARRAY_TASK_COUNT tasks (ids MIN, MIN+STEP, ...) runs shard
# K/N with K = (ID - MIN) / STEP + 1 and N = the task count (or $SHARDS), into RESULTS_DIR/shard-K-of-N;
# `compare --shard K/N` runs configurations i (0-based) with i mod N = K - 1. --threads defaults to the
# task's SLURM_CPUS_PER_TASK. The program is $NUMERICS (default: the Release build, run from the repo root).
# --dry-run (first argument) prints the command instead of running it, e.g. to try the arithmetic locally:
#   SLURM_ARRAY_TASK_ID=3 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_COUNT=4 scripts/sweep/slurm-array.sh --dry-run fixed-lr out
#SBATCH --job-name=numerics-compare
#SBATCH --cpus-per-task=2
#SBATCH --mem=2G
#SBATCH --output=slurm-%A_%a.out
set -euo pipefail

die() { echo "slurm-array.sh: $*" >&2; exit 2; }
int() { [[ "$2" =~ ^[0-9]+$ ]] || die "$1 must be a non-negative integer, but is '$2'."; }

dry_run=0
if [[ "${1:-}" == "--dry-run" ]]; then dry_run=1; shift; fi
[[ $# -ge 2 ]] || die "usage: [--dry-run] SUITE RESULTS_DIR [compare flags...] (as an sbatch --array job)"
suite=$1 results=$2
shift 2

id=${SLURM_ARRAY_TASK_ID:-}
[[ -n "$id" ]] || die "SLURM_ARRAY_TASK_ID is not set: submit with sbatch --array=1-N, or set it (and SLURM_ARRAY_TASK_COUNT) to try it."
min=${SLURM_ARRAY_TASK_MIN:-1}
step=${SLURM_ARRAY_TASK_STEP:-1}
count=${SHARDS:-${SLURM_ARRAY_TASK_COUNT:-}}
[[ -n "$count" ]] || die "neither SHARDS nor SLURM_ARRAY_TASK_COUNT is set."
int SLURM_ARRAY_TASK_ID "$id"; int SLURM_ARRAY_TASK_MIN "$min"; int SLURM_ARRAY_TASK_STEP "$step"; int "SHARDS / SLURM_ARRAY_TASK_COUNT" "$count"
(( step >= 1 && count >= 1 )) || die "the step ($step) and the shard count ($count) must be >= 1."
(( id >= min && (id - min) % step == 0 )) || die "task id $id is not one of $min, $((min + step)), ... (SLURM_ARRAY_TASK_MIN, _STEP)."
k=$(( (id - min) / step + 1 ))
(( k <= count )) || die "task id $id is shard $k, but there are only $count shards."

out="$results/shard-$k-of-$count"
read -r -a program <<< "${NUMERICS:-dotnet src/Cli/bin/Release/net10.0/numerics.dll}"
cmd=("${program[@]}" compare "$suite" --shard "$k/$count" --out "$out")
threads_given=0
for a in "$@"; do [[ "$a" == "--threads" ]] && threads_given=1; done
(( threads_given )) || cmd+=(--threads "${SLURM_CPUS_PER_TASK:-2}")
cmd+=("$@")

if (( dry_run )); then
  printf '%q ' "${cmd[@]}"
  echo
  exit 0
fi
mkdir -p "$results"
exec "${cmd[@]}"
