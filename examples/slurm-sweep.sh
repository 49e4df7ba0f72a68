#!/usr/bin/env bash
# A sweep as a Slurm job array: each of the 8 tasks runs one shard of every Run grid of the script (Slurm sets
# SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT, which esp-script reads) into
# results/sweep_beta2_eps/shards/i-of-8/. Submit from the clone, on a filesystem the nodes share, after ./setup.sh:
#   sbatch --wait examples/slurm-sweep.sh && dotnet esp-script merge results/sweep_beta2_eps
# or let Slurm merge once every task succeeded:
#   job=$(sbatch --parsable examples/slurm-sweep.sh)
#   sbatch --dependency=afterok:$job --wrap "dotnet esp-script merge results/sweep_beta2_eps"
#SBATCH --job-name=esp-sweep
#SBATCH --array=0-7
#SBATCH --cpus-per-task=2
#SBATCH --output=slurm-%A_%a.out
set -euo pipefail
exec ./esp experiments/sweep_beta2_eps.csx --seeds 8
