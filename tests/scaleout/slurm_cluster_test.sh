#!/usr/bin/env bash
# A real one-node Slurm cluster on this machine, from Debian's slurm-wlm and munge: munged, slurmctld and
# slurmd on localhost, with the configuration, munge key, sockets, state and logs generated in a temporary
# directory. It submits docs/scale-out/slurm-sweep.sh as a 4-task job array over seeds 1..20000, waits (bounded)
# and checks that `simsock explore merge` sees 20000 passed and exact coverage, and that without one task's
# report it names the gap (exit 2). The daemons are stopped and the directory removed on every exit.
#
# Usage: slurm_cluster_test.sh SIMSOCK REPO_DIR [SEEDS]. Exit 0 pass, 1 fail, 77 skipped (the cluster cannot
# start here: no packages, not root, or a daemon that does not come up; the reason is printed). SEEDS
# (default 1..20000) is smaller only for sanitizer builds, whose cases run about ten times slower.
#
# Running as root: slurmd must be root (it starts jobs as their users); munged runs as root with --force
# (its checks of key and socket ownership are for a shared system daemon, not this private one).
set -uo pipefail
SIMSOCK=$(readlink -f "${1:?simsock binary}")
REPO=$(readlink -f "${2:?repository}")
SEEDS=${3:-1..20000}
FIRST=${SEEDS%..*}
LAST=${SEEDS#*..}
COUNT=$((LAST - FIRST + 1))
TASKS=4
# Task 2's seeds, named by merge when its report is missing.
T2_LAST=$((FIRST + 2 + (LAST - FIRST - 2) / TASKS * TASKS))
T2_COUNT=$(((LAST - FIRST - 2) / TASKS + 1))
SKIP=77
JOB_TIMEOUT=150

skip() { echo "SKIPPED: $*"; exit "$SKIP"; }
fail() { echo "FAILED: $*"; exit 1; }

for cmd in munged munge slurmctld slurmd sbatch squeue sinfo scontrol python3; do
  command -v "$cmd" >/dev/null || skip "$cmd is not installed (tools/install-deps installs slurm-wlm and munge)"
done
[ "$(id -u)" -eq 0 ] || skip "slurmd needs root to start jobs; this runs as $(id -un)"

TMP=$(mktemp -d /tmp/simsock-slurm.XXXXXX) || fail "no temporary directory"
pids=()
cleanup() {
  local pid i
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for i in $(seq 1 100); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" -eq 0 ] && break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null; done
  wait 2>/dev/null
  local left
  left=$(ps -eo pid=,args= | grep -F "$TMP" | grep -v grep)
  rm -rf "$TMP"
  if [ -n "$left" ]; then
    echo "cleanup: FAILED, processes left behind:"; echo "$left"; exit 1
  fi
  echo "cleanup: daemons stopped, none left, $TMP removed"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

show_logs() {
  for f in "$TMP"/log/*.log "$TMP"/munge/munged.log; do
    [ -f "$f" ] && { echo "--- $f"; tail -15 "$f"; }
  done
}

mkdir -p "$TMP"/{munge,etc,state,spool,log,run,sweep}
chmod 700 "$TMP/munge"
# The munge key: random bytes, readable by its owner only (munged refuses a key others can read).
head -c 1024 /dev/urandom >"$TMP/munge/munge.key" && chmod 400 "$TMP/munge/munge.key"
# In the foreground (-F) as this script's child, so that it is stopped and reaped like the other daemons.
munged -F --force --socket="$TMP/munge/socket" --key-file="$TMP/munge/munge.key" --pid-file="$TMP/munge/munged.pid" \
  --log-file="$TMP/munge/munged.log" --seed-file="$TMP/munge/seed" >"$TMP/munge/munged.out" 2>&1 &
pids+=($!)
for i in $(seq 1 50); do [ -S "$TMP/munge/socket" ] && break; sleep 0.1; done
[ -S "$TMP/munge/socket" ] || { show_logs; skip "munged does not start"; }
munge -S "$TMP/munge/socket" -n | unmunge -S "$TMP/munge/socket" >/dev/null || { show_logs; skip "munge cannot encode"; }

# Two free TCP ports (ask the kernel), so that parallel runs and a system Slurm do not collide.
read -r CTLD_PORT SLURMD_PORT < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))')

export SLURM_CONF="$TMP/etc/slurm.conf"
cat >"$SLURM_CONF" <<CONF
ClusterName=simsock
SlurmctldHost=localhost
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$TMP/munge/socket
StateSaveLocation=$TMP/state
SlurmdSpoolDir=$TMP/spool
SlurmctldPidFile=$TMP/run/slurmctld.pid
SlurmdPidFile=$TMP/run/slurmd.pid
SlurmctldLogFile=$TMP/log/slurmctld.log
SlurmdLogFile=$TMP/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
MailProg=/bin/true
ReturnToService=2
MinJobAge=600
NodeName=localhost CPUs=2 State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF

slurmctld -D -i -f "$SLURM_CONF" >"$TMP/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -N localhost -f "$SLURM_CONF" >"$TMP/log/slurmd.out" 2>&1 &
pids+=($!)
state=""
for i in $(seq 1 300); do
  state=$(sinfo -h -n localhost -o %T 2>/dev/null)
  [ "$state" = "idle" ] && break
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { show_logs; skip "a Slurm daemon exited at start"; }; done
  sleep 0.1
done
[ "$state" = "idle" ] || { show_logs; skip "the node did not become idle in 30 s (state: ${state:-none})"; }
echo "cluster: slurmctld on port $CTLD_PORT, slurmd on $SLURMD_PORT, node localhost idle"

# From here on the cluster is up: anything wrong is a failure, not a skip.
job=$(sbatch --parsable --array=0-$((TASKS - 1)) --chdir="$TMP/sweep" --output="$TMP/sweep/slurm-%A_%a.out" \
  --export="ALL,SIMSOCK=$SIMSOCK,SEEDS=$SEEDS" "$REPO/docs/scale-out/slurm-sweep.sh") || fail "sbatch refused the job"
echo "submitted job array $job: $TASKS tasks of docs/scale-out/slurm-sweep.sh, seeds $SEEDS"
for i in $(seq 1 $((JOB_TIMEOUT * 2))); do
  [ -z "$(squeue -h -j "$job" 2>/dev/null)" ] && break
  sleep 0.5
done
if [ -n "$(squeue -h -j "$job" 2>/dev/null)" ]; then
  squeue; show_logs; scancel "$job"; fail "the job array did not finish in $JOB_TIMEOUT s"
fi
states=$(scontrol -o show job "$job" | grep -o 'JobState=[A-Z_]* .*ExitCode=[0-9:]*' | sed -E 's/ .*ExitCode=/ ExitCode=/' | sort | uniq -c)
echo "$states"
completed=$(scontrol -o show job "$job" | grep -c 'JobState=COMPLETED .*ExitCode=0:0')
[ "$completed" -eq "$TASKS" ] || { cat "$TMP"/sweep/slurm-*.out; show_logs; fail "$completed of $TASKS tasks completed with exit 0"; }
grep -h "from slurm" "$TMP"/sweep/slurm-*.out

cd "$TMP/sweep" || fail "no sweep directory"
out=$("$SIMSOCK" explore merge shard-*.json --junit sweep.xml)
rc=$?
echo "$out"
[ "$rc" -eq 0 ] || fail "merge exits $rc, expected 0"
grep -qx "coverage: exact, $COUNT seeds each run once" <<<"$out" || fail "merge does not say the coverage is exact"
grep -qx "$COUNT passed, 0 failed" <<<"$out" || fail "merge does not say $COUNT passed, 0 failed"
rm shard-2.json
out=$("$SIMSOCK" explore merge shard-*.json)
rc=$?
echo "$out"
[ "$rc" -eq 2 ] || fail "merge without task 2's report exits $rc, expected 2"
grep -qx "coverage: GAP: no report for shard 2/4" <<<"$out" || fail "merge does not name the missing shard"
grep -qx "coverage: GAP: missing $((FIRST + 2))..$T2_LAST step $TASKS ($T2_COUNT seeds)" <<<"$out" ||
  fail "merge does not name the missing seeds"
cd / || true
echo "PASSED: a $TASKS-task Slurm job array swept $SEEDS; merge: exact coverage, $COUNT passed; without one report: the gap, exit 2"
