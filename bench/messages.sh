#!/usr/bin/env bash
# Message benchmark: jnet against an equivalent Node implementation, side by side, over TCP and Unix sockets.
#
#   bench/messages.sh                 build the test classes, run every pairing twice, print a Markdown table
#
# rate     64-byte messages, length-prefixed, WINDOW in flight: the server echoes each, each echo sends the next;
#          messages/s counted by the client over MEASURE_S seconds after WARMUP_S seconds of warm-up
# latency  sequential envelope requests (Q<id> + 64-byte body, answered R<id> + body, 30 s timer per request):
#          p50/p99 of LAT_COUNT requests after LAT_WARMUP untimed ones (LAT_TIMEOUT_MS=0: no per-request timer)
#
# Every run starts a fresh server and a fresh client process; pairings alternate within each rep. Knobs (env):
# REPS WARMUP_S MEASURE_S WINDOW LAT_WARMUP LAT_COUNT LAT_TIMEOUT_MS PAIRS TRANSPORTS JAVA_OPTS MVN_OPTS (default -o).
set -euo pipefail
cd "$(dirname "$0")/.."

REPS=${REPS:-2}
WARMUP_S=${WARMUP_S:-5} # with 2 s, jnet rates swung 47k to 1.3M on a loaded 2-core box; 5 s made them steady
MEASURE_S=${MEASURE_S:-3}
WINDOW=${WINDOW:-1000}
LAT_WARMUP=${LAT_WARMUP:-30000}
LAT_COUNT=${LAT_COUNT:-20000}
LAT_TIMEOUT_MS=${LAT_TIMEOUT_MS:-30000}
PAIRS=${PAIRS:-"jnet/jnet node/node jnet/node node/jnet"}
TRANSPORTS=${TRANSPORTS:-"tcp unix"}
JAVA_OPTS=${JAVA_OPTS:-}
MVN_OPTS=${MVN_OPTS:--o}
JS=core/src/test/resources/message/bench

WORK=$(mktemp -d /tmp/jnet-msgbench.XXXXXX)
SERVER_PID=
SERVER_OUT=
RUNS=0
cleanup() {
  if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "building..." >&2
# shellcheck disable=SC2086
mvn -B -q $MVN_OPTS test-compile -pl core,tcp,ipc >&2
# shellcheck disable=SC2086
mvn -B -q $MVN_OPTS dependency:build-classpath -pl core -DexcludeGroupIds=dev.jnet -DincludeScope=runtime \
  -Dmdep.outputFile="$WORK/deps.cp" >/dev/null
CP="core/target/classes:core/target/test-classes:tcp/target/classes:ipc/target/classes:$(cat "$WORK/deps.cp")"

# impl role mode endpoint... -> the command line
command_for() {
  local impl=$1 role=$2
  shift 2
  if [[ $impl == jnet ]]; then
    local main=dev.jnet.message.bench.BenchServer
    [[ $role == client ]] && main=dev.jnet.message.bench.BenchClient
    # shellcheck disable=SC2086
    echo java $JAVA_OPTS -cp "$CP" "$main" "$@"
  else
    echo node "$JS/$role.js" "$@"
  fi
}

# impl mode transport -> starts a server, sets SERVER_PID and ENDPOINT
start_server() {
  local impl=$1 mode=$2 transport=$3 at=tcp://127.0.0.1:0
  if [[ $transport == unix ]]; then
    at="unix:$WORK/bench.sock"
    rm -f "$WORK/bench.sock"
  fi
  RUNS=$((RUNS + 1))
  SERVER_OUT="$WORK/server.$RUNS.out" # a fresh file: never read an earlier server's READY line
  $(command_for "$impl" server "$mode" "$at") >"$SERVER_OUT" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 100); do
    # a whole line: the server may still be writing it
    ENDPOINT=$(grep -m1 -E '^READY (tcp://.+:[0-9]+|unix:/.+)$' "$SERVER_OUT" 2>/dev/null | cut -d' ' -f2 || true)
    if [[ -n $ENDPOINT && $(tail -c1 "$SERVER_OUT" 2>/dev/null | od -An -c | tr -d ' ') == '\n' ]]; then
      return 0
    fi
    sleep 0.1
  done
  echo "server $impl $mode $transport did not start:" >&2
  cat "$SERVER_OUT" >&2
  return 1
}

stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}

# rep transport mode server client -> appends "transport server client mode values..." to results
run_one() {
  local rep=$1 transport=$2 mode=$3 server=$4 client=$5 args
  if [[ $mode == rate ]]; then args="$WARMUP_S $MEASURE_S $WINDOW"; else args="$LAT_WARMUP $LAT_COUNT $LAT_TIMEOUT_MS"; fi
  start_server "$server" "$([[ $mode == rate ]] && echo echo || echo rpc)" "$transport"
  local out
  # shellcheck disable=SC2046,SC2086
  out=$(timeout 300 $(command_for "$client" client "$mode" "$ENDPOINT" $args) | awk '/^RESULT /{$1=""; print}') || true
  stop_server
  if [[ -z $out ]]; then
    echo "rep $rep  $transport  $server server / $client client  $mode FAILED (left out of the table)" >&2
    return 0
  fi
  echo "rep $rep  $transport  $server server / $client client  $out" >&2
  echo "$transport $server $client $out" >>"$WORK/results"
}

for rep in $(seq "$REPS"); do
  for transport in $TRANSPORTS; do
    for mode in rate latency; do
      for pair in $PAIRS; do
        run_one "$rep" "$transport" "$mode" "${pair%/*}" "${pair#*/}"
      done
    done
  done
done

echo
echo "Machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end;" \
  "$(java -version 2>&1 | head -1); node $(node --version); $REPS reps, mean shown (each rep in brackets)."
echo
echo "| transport | server | client | messages/s (64 B, window $WINDOW) | p50 µs | p99 µs | mean µs |"
echo "|---|---|---|---:|---:|---:|---:|"
awk -v pairs="$PAIRS" -v transports="$TRANSPORTS" '
  $4 == "rate" { k = $1 " " $2 " " $3; rate[k] += $5; reps[k] = reps[k] (reps[k] == "" ? "" : " / ") sprintf("%.0fk", $5 / 1000); nr[k]++ }
  $4 == "latency" { k = $1 " " $2 " " $3; p50[k] += $5; p99[k] += $6; mean[k] += $7; nl[k]++ }
  END {
    nt = split(transports, ts, " "); np = split(pairs, ps, " ")
    for (i = 1; i <= nt; i++) for (j = 1; j <= np; j++) {
      split(ps[j], sc, "/"); k = ts[i] " " sc[1] " " sc[2]
      if (!nr[k] || !nl[k]) continue
      printf "| %s | %s | %s | %.0f (%s) | %.1f | %.1f | %.1f |\n", ts[i], sc[1], sc[2], rate[k] / nr[k], reps[k],
        p50[k] / nl[k], p99[k] / nl[k], mean[k] / nl[k]
    }
    printf "\n"
    for (i = 1; i <= nt; i++) {
      j = ts[i] " jnet jnet"; n = ts[i] " node node"
      if (!nr[j] || !nr[n] || !nl[j] || !nl[n]) continue
      printf "%s: jnet/jnet rate is %.2fx node/node; p50 %.1f vs %.1f us, p99 %.1f vs %.1f us\n", ts[i],
        (rate[j] / nr[j]) / (rate[n] / nr[n]), p50[j] / nl[j], p50[n] / nl[n], p99[j] / nl[j], p99[n] / nl[n]
    }
  }' "$WORK/results"
