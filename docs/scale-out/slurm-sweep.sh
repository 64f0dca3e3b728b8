#!/bin/bash
# A simsock explore sweep as a Slurm job array: task T of the array runs shard T of $SEEDS (simsock reads
# SLURM_ARRAY_TASK_ID, _MIN, _COUNT and _STEP itself) and writes shard-T.json in the submission directory.
#
#   sbatch --array=0-7 docs/scale-out/slurm-sweep.sh                 # 8 shards of 1..1000000
#   sbatch --array=0-7%2 --export=ALL,SEEDS=1..20000 docs/scale-out/slurm-sweep.sh   # 2 at a time
#   simsock explore merge shard-*.json --junit sweep.xml             # when the array has finished
#
# A task that is preempted, requeued or resubmitted continues its own report (--resume), and Slurm's
# SIGTERM at a time limit makes simsock stop cleanly and save it. --array must be a range (0-N or
# 0-N:STEP), not a list: a list could not tell a task which seeds are its own, and simsock refuses it.
#SBATCH --job-name=simsock-explore
#SBATCH --array=0-3
#SBATCH --cpus-per-task=1
#SBATCH --output=simsock-explore-%A_%a.out
set -euo pipefail
SIMSOCK=${SIMSOCK:-simsock}
SEEDS=${SEEDS:-1..1000000}
exec "$SIMSOCK" explore --seeds "$SEEDS" --jobs "${SLURM_CPUS_PER_TASK:-1}" \
  --resume "shard-${SLURM_ARRAY_TASK_ID}.json" --junit "shard-${SLURM_ARRAY_TASK_ID}.xml" --out counterexamples
