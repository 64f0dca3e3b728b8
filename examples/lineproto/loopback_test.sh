#!/bin/sh
# The example for real: lineproto-server and lineproto-client as two processes over loopback (epoll).
# Usage: loopback_test.sh SERVER CLIENT. Fails unless the client answers every request exactly once and
# both print the expected summary.
set -u
server=$1
client=$2
dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
"$server" --port 0 --connections 1 >"$dir/server.out" &
pid=$!
port=
for _ in $(seq 100); do
  port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$dir/server.out")
  [ -n "$port" ] && break
  sleep 0.05
done
[ -n "$port" ] || { echo "server did not listen"; cat "$dir/server.out"; exit 1; }
"$client" --host 127.0.0.1 --port "$port" --requests 200 --window 8 >"$dir/client.out"
rc=$?
wait "$pid"
src=$?
echo "client (exit $rc): $(cat "$dir/client.out")"
echo "server (exit $src): $(cat "$dir/server.out" | tr '\n' ' ')"
[ "$rc" -eq 0 ] || exit 1
[ "$src" -eq 0 ] || exit 1
[ "$(cat "$dir/client.out")" = "completed=200 failed=0 duplicateReplies=0 badReplies=0 resent=0" ] || exit 1
grep -qx "executed=200 duplicateRequests=0 badRequests=0 connections=1" "$dir/server.out" || exit 1
echo "loopback: passed"
