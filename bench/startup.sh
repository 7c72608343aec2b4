#!/usr/bin/env bash
# Start-up benchmark, every figure interleaved in one loop (node, jnet, node, jnet, ...) so that all see the same
# machine:
#   - the one-shot round trip `echo hi | ./jnet connect ENDPOINT` against a Node `net` one-shot client doing the same;
#   - `./jnet scan HOST:PORT` for one open port, against that one-shot connect;
#   - the time until `./jnet echo -q tcp://127.0.0.1:0` says `listening on` against a Node `net.createServer` echo
#     server saying the same.
#
#   bench/startup.sh [RUNS]      default 40 runs of each after 3 untimed ones; prints medians, quartiles and the
#                                ratios of the medians
#
# The clients talk to one `jnet echo -q` on a free loopback port, started here and stopped at the end. The times
# are wall clock per process (for a server: from its start until its first line on stderr), measured with bash's
# $EPOCHREALTIME (bash 5).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${1:-40}
WARMUP=3
WORK=$(mktemp -d /tmp/jnet-startup.XXXXXX)
ECHO_PID=
cleanup() {
  if [[ -n $ECHO_PID ]]; then
    kill "$ECHO_PID" 2>/dev/null || true
    wait "$ECHO_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

./jnet --version >/dev/null # builds the jar and records the CDS archive if needed, outside the timing
./jnet echo -q tcp://127.0.0.1:0 2>"$WORK/echo.err" &
ECHO_PID=$!
for _ in $(seq 200); do
  grep -q "listening on" "$WORK/echo.err" 2>/dev/null && break
  sleep 0.05
done
endpoint=$(sed -n 's/^listening on //p' "$WORK/echo.err" | head -1)
[[ -n $endpoint ]] || { echo "startup.sh: jnet echo did not start: $(cat "$WORK/echo.err")" >&2; exit 1; }
port=${endpoint##*:}

cat >"$WORK/client.js" <<'JS'
const s = require('net').connect(Number(process.argv[2]), '127.0.0.1');
process.stdin.pipe(s);
s.pipe(process.stdout);
JS
cat >"$WORK/server.js" <<'JS'
const net = require('net');
const srv = net.createServer((s) => s.pipe(s));
srv.listen(0, '127.0.0.1', () => console.error('listening on tcp://127.0.0.1:' + srv.address().port));
JS

elapsed() { # start end file: appends milliseconds
  awk -v s="$1" -v e="$2" 'BEGIN { printf "%.2f\n", (e - s) * 1000 }' >>"$3"
}

# a one-shot client: `echo hi | command`, which must print hi
time_once() { # file, command...
  local file=$1 start end
  shift
  start=$EPOCHREALTIME
  echo hi | "$@" >"$WORK/out" 2>/dev/null
  end=$EPOCHREALTIME
  [[ $(cat "$WORK/out") == hi ]] || { echo "startup.sh: '$*' did not echo" >&2; exit 1; }
  elapsed "$start" "$end" "$file"
}

# a one-port scan, which must find the port open
scan_once() { # file, command...
  local file=$1 start end
  shift
  start=$EPOCHREALTIME
  "$@" >"$WORK/out" 2>/dev/null
  end=$EPOCHREALTIME
  grep -q " open$" "$WORK/out" || { echo "startup.sh: '$*' did not find the port open" >&2; exit 1; }
  elapsed "$start" "$end" "$file"
}

# a server: the time until its first line on stderr, which must be 'listening on ...'; then it is stopped
listen_once() { # file, command...
  local file=$1 start end pid line=
  shift
  rm -f "$WORK/fifo"
  mkfifo "$WORK/fifo"
  start=$EPOCHREALTIME
  "$@" 2>"$WORK/fifo" >/dev/null &
  pid=$!
  read -r -t 10 line <"$WORK/fifo" || true
  end=$EPOCHREALTIME
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  [[ $line == "listening on "* ]] || { echo "startup.sh: '$*' did not listen: $line" >&2; exit 1; }
  elapsed "$start" "$end" "$file"
}

for i in $(seq $((RUNS + WARMUP))); do
  to=$WORK/skip-
  ((i <= WARMUP)) || to=$WORK/
  time_once "${to}node" node "$WORK/client.js" "$port"
  time_once "${to}jnet" ./jnet connect "$endpoint"
  scan_once "${to}scan" ./jnet scan "127.0.0.1:$port"
  listen_once "${to}node-listen" node "$WORK/server.js"
  listen_once "${to}jnet-listen" ./jnet echo -q tcp://127.0.0.1:0
done

stats() { # file -> "median p25 p75"
  sort -n "$1" | awk '{ v[NR] = $1 } END { printf "%.1f %.1f %.1f", v[int((NR + 1) / 2)], v[int(NR / 4) + 1], v[int(3 * NR / 4)] }'
}
line() { # label, file
  local m p25 p75
  read -r m p25 p75 <<<"$(stats "$2")"
  printf '%-34s median %6.1f ms  (p25 %.1f, p75 %.1f)\n' "$1" "$m" "$p25" "$p75"
}
ratio() { # label, file, file
  awk -v a="$(stats "$2" | cut -d' ' -f1)" -v b="$(stats "$3" | cut -d' ' -f1)" -v l="$1" \
    'BEGIN { printf "ratio of medians (%s): %.2f\n", l, a / b }'
}
echo "start-up, $RUNS interleaved runs each, $(date -u +%F)"
echo "one-shot 'echo hi | CLIENT' against jnet echo on $endpoint:"
line "node net.connect one-shot" "$WORK/node"
line "./jnet connect" "$WORK/jnet"
ratio "jnet / node" "$WORK/jnet" "$WORK/node"
echo "one-port scan against that one-shot connect:"
line "./jnet scan 127.0.0.1:PORT" "$WORK/scan"
ratio "scan / connect" "$WORK/scan" "$WORK/jnet"
echo "time until 'listening on' (an echo server on a free loopback port):"
line "node net.createServer" "$WORK/node-listen"
line "./jnet echo -q" "$WORK/jnet-listen"
ratio "jnet / node" "$WORK/jnet-listen" "$WORK/node-listen"
