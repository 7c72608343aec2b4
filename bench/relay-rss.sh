#!/usr/bin/env bash
# The relay's memory over a long life: `jnet relay` in front of the C echo server of ../shared/bench; its RSS once
# listening, then after the C load generator pushed BYTES through it (bulk, echoed back) and opened N connections
# through it, spliced and copied (-Djnet.splice=false) in turn, in one run.
#
#   bench/relay-rss.sh [BYTES (10G)] [N (10000)]
#
# Prints one line per relay: RSS after start, RSS after the load, the peak (VmHWM), and after/start.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
harness=${JNET_BENCH_HARNESS:-$root/../shared/bench}
bytes=${1:-10G}
conns=${2:-10000}
work=$(mktemp -d /tmp/jnet-relay-rss.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
gcc -O2 -Wall -o "$work/loadgen" "$harness/loadgen.c" -lpthread
gcc -O2 -Wall -o "$work/echo_epoll" "$harness/echo_epoll.c"
"$root/jnet" --version >/dev/null # builds the jar once, outside the measurements
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
kib() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status"; }
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
await_port() {
  for _ in $(seq 1 200); do
    python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $1), 0.2)" 2>/dev/null && return 0
    sleep 0.05 # polls the port: the relay prints nothing when it is ready with 2>/dev/null
  done
  echo "bench/relay-rss.sh: nothing listens on $1" >&2
  return 1
}

back=$(free_port)
"$work/echo_epoll" "tcp:127.0.0.1:$back" &
pids+=($!)
await_port "$back"
for mode in splice copy; do
  port=$(free_port)
  opts=""
  [ "$mode" = copy ] && opts=-Djnet.splice=false
  JNET_JAVA_OPTS=$opts "$root/jnet" relay "listen:tcp://127.0.0.1:$port" "tcp://127.0.0.1:$back" 2>/dev/null &
  relay=$!
  pids+=("$relay")
  await_port "$port"
  start=$(kib "$relay" VmRSS)
  "$work/loadgen" bulk "tcp:127.0.0.1:$port" -n "$bytes" -t 300 | grep "^bulk:" || true
  "$work/loadgen" connrate "tcp:127.0.0.1:$port" -n "$conns" -t 300 | grep "^RESULT" || true
  after=$(kib "$relay" VmRSS)
  peak=$(kib "$relay" VmHWM)
  echo "$mode: RSS after start $(mib "$start") MiB, after $bytes and $conns connections $(mib "$after") MiB," \
    "peak $(mib "$peak") MiB, after/start $(awk -v a="$after" -v s="$start" 'BEGIN {printf "%.2f", a / s}')x"
  kill "$relay"
  wait "$relay" 2>/dev/null || true
done
