#!/bin/sh
# The body of the sharded Bazel test in BUILD.bazel: one shard of the seeds in $1, its report written to
# Bazel's undeclared outputs. Touching TEST_SHARD_STATUS_FILE tells Bazel the test understands sharding.
set -eu
[ -n "${TEST_SHARD_STATUS_FILE:-}" ] && touch "$TEST_SHARD_STATUS_FILE"
exec "$SIMSOCK" explore --seeds "${1:-1..1000000}" \
  --report "${TEST_UNDECLARED_OUTPUTS_DIR:-.}/shard-${TEST_SHARD_INDEX:-0}.json"
