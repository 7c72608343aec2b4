#!/usr/bin/env bash
# Start-up benchmark: the one-shot round trip `echo hi | ./jnet connect ENDPOINT` against a Node `net` one-shot
# client doing the same, interleaved (node, jnet, node, jnet, ...) so that both see the same machine.
#
#   bench/startup.sh [RUNS]      default 40 runs of each after 3 untimed ones; prints medians, quartiles and the
#                                ratio of the medians
#
# Both clients talk to one `jnet echo -q` on a free loopback port, started here and stopped at the end. The times
# are wall clock per process, measured with bash's $EPOCHREALTIME (bash 5).
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

cat >"$WORK/client.js" <<'EOF'
const s = require('net').connect(Number(process.argv[2]), '127.0.0.1');
process.stdin.pipe(s);
s.pipe(process.stdout);
EOF

# runs one command RUNS+WARMUP times interleaved with the other; appends milliseconds to a file per command
time_once() { # file, command...
  local file=$1 start end
  shift
  start=$EPOCHREALTIME
  echo hi | "$@" >"$WORK/out" 2>/dev/null
  end=$EPOCHREALTIME
  [[ $(cat "$WORK/out") == hi ]] || { echo "startup.sh: '$*' did not echo" >&2; exit 1; }
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f\n", (e - s) * 1000 }' >>"$file"
}

for i in $(seq $((RUNS + WARMUP))); do
  if ((i <= WARMUP)); then
    time_once "$WORK/skip" node "$WORK/client.js" "$port"
    time_once "$WORK/skip" ./jnet connect "$endpoint"
  else
    time_once "$WORK/node" node "$WORK/client.js" "$port"
    time_once "$WORK/jnet" ./jnet connect "$endpoint"
  fi
done

stats() { # file -> "median p25 p75"
  sort -n "$1" | awk '{ v[NR] = $1 } END { printf "%.1f %.1f %.1f", v[int((NR + 1) / 2)], v[int(NR / 4) + 1], v[int(3 * NR / 4)] }'
}
read -r nm n25 n75 <<<"$(stats "$WORK/node")"
read -r jm j25 j75 <<<"$(stats "$WORK/jnet")"
echo "one-shot 'echo hi | CLIENT' against jnet echo on $endpoint, $RUNS interleaved runs each, $(date -u +%F)"
printf '%-34s median %6.1f ms  (p25 %.1f, p75 %.1f)\n' "node net.connect one-shot" "$nm" "$n25" "$n75"
printf '%-34s median %6.1f ms  (p25 %.1f, p75 %.1f)\n' "./jnet connect" "$jm" "$j25" "$j75"
awk -v j="$jm" -v n="$nm" 'BEGIN { printf "ratio of medians (jnet / node): %.2f\n", j / n }'
