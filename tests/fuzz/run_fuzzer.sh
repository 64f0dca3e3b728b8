#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time (CTest's fuzz/<name> tests; see README.md).
#   run_fuzzer.sh run|expect-crash EXECUTABLE WORKDIR SECONDS DICT SEED_DIR...
# run:          passes when the time runs out without a finding; a finding fails the test, leaves its
#               input in WORKDIR/artifacts/ and prints it (copy it to regressions/<target>/).
# expect-crash: passes only when libFuzzer reports a crash (non-zero exit, "deadly signal", a crash file);
#               the work corpus starts empty so that only the seeds and the dictionary help it.
set -uo pipefail
mode=$1 exe=$2 work=$3 seconds=$4 dict=$5
shift 5
mkdir -p "$work/corpus"
rm -rf "$work/artifacts" && mkdir -p "$work/artifacts"
[ "$mode" = expect-crash ] && rm -rf "$work/corpus" && mkdir -p "$work/corpus"
log=$work/log
start=$(date +%s)
"$exe" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 -dict="$dict" \
  -artifact_prefix="$work/artifacts/" "$work/corpus" "$@" >"$log" 2>&1
status=$?
elapsed=$(( $(date +%s) - start ))
runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$')
seed=$(grep -o 'INFO: Seed: [0-9]*' "$log" | grep -o '[0-9]*$')
found=$(find "$work/artifacts" -type f | head -n 1)
echo "$(basename "$exe"): exit $status after ${elapsed}s, ${runs:-?} executions, seed ${seed:-?}, corpus $(find "$work/corpus" -type f | wc -l) files"
if [ "$mode" = expect-crash ]; then
  if [ $status -ne 0 ] && grep -q 'deadly signal' "$log" && [ -n "$found" ]; then
    echo "planted crash found as expected: $found"
    exit 0
  fi
  echo "FAILED: the planted crash was not found within ${seconds}s"
  tail -n 30 "$log"
  exit 1
fi
if [ $status -eq 0 ] && [ -z "$found" ]; then exit 0; fi
echo "FAILED: finding (input: ${found:-none}); the end of the log:"
grep -v '^#[0-9]' "$log" | tail -n 60
exit 1
