#!/usr/bin/env bash
# pipe: against unix: in one run: bulk throughput, 64-byte round-trip latency and connections per second, measured
# by `jnet bench` against a `jnet echo -q` on each transport, alternating rep by rep (the machine is shared and
# noisy: quote the ratios of one run).
#
#   bench/pipe.sh [--reps 3] [--duration 2s] [--warmup 2s] [--dir /tmp]
#
# Each `jnet bench` is a fresh JVM: --warmup first runs its throughput and connection loops that long, unmeasured,
# so that the figures are the JIT-compiled steady state a long-running program sees (0s measures a cold client).
# --dir is where both the Unix socket and the pipe's directory are made (a fresh folder under it): /tmp by default;
# a tmpfs such as /dev/shm (or $XDG_RUNTIME_DIR, where `pipe:NAME` lives) shows pipe: without a disk file system's
# cost of creating each connection's two FIFOs. Prints one row per rep and transport, then the medians and
# pipe:/unix: ratios. Needs python3 (to read the JSON).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
reps=3
duration=2s
warmup=2s
parent=/tmp
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) reps=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --dir) parent=$2; shift 2 ;;
    -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/pipe.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

"$root/jnet" --version >/dev/null # builds the jar once, outside the measurements
dir=$(mktemp -d "$parent/jnet-pipe-bench.XXXXXX")
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT

start() { # start ENDPOINT: an echo server, waited for until it says it listens
  local log=$dir/server.${#pids[@]}.err i
  "$root/jnet" echo -q "$1" 2>"$log" &
  pids+=($!)
  for ((i = 0; i < 400; i++)); do
    grep -q '^listening on' "$log" && return 0
    sleep 0.05
  done
  echo "bench/pipe.sh: $1 did not start listening: $(cat "$log")" >&2
  exit 1
}
start "unix:$dir/echo.sock"
start "pipe:$dir/echo-pipe"

: >"$dir/results.jsonl"
for rep in $(seq 1 "$reps"); do
  for endpoint in "unix:$dir/echo.sock" "pipe:$dir/echo-pipe"; do
    "$root/jnet" bench --format json --duration "$duration" --warmup "$warmup" "$endpoint" |
      python3 -c 'import json,sys; r=json.load(sys.stdin); r["rep"]='"$rep"'; print(json.dumps(r))' >>"$dir/results.jsonl"
  done
done

python3 - "$dir/results.jsonl" "$reps" "$duration" "$parent" "$warmup" "${JNET_JAVA_OPTS:-}" <<'EOF'
import json, statistics, sys, datetime
rows = [json.loads(l) for l in open(sys.argv[1])]
def kind(r): return r["endpoint"].split(":")[0]
figures = [("bulk MiB/s", lambda r: r["throughput"]["mibPerSec"]),
           ("round trip p50 us", lambda r: r["latency"]["p50us"]),
           ("connections/s", lambda r: r["connect"]["perSec"]),
           ("failed connects", lambda r: r["connect"]["failed"])]
print("| rep | transport | " + " | ".join(f for f, _ in figures) + " |")
print("|---" * (2 + len(figures)) + "|")
for r in rows:
    print(f"| {r['rep']} | {kind(r)} | " + " | ".join(str(get(r)) for _, get in figures) + " |")
print()
print(f"Medians of {sys.argv[2]} rep(s) of {sys.argv[3]} each after a {sys.argv[5]} warm-up, in {sys.argv[4]}, "
      f"engine {rows[0]['engine']}" + (f", JNET_JAVA_OPTS='{sys.argv[6]}'" if sys.argv[6] else "")
      + f", {datetime.date.today()}:")
print("| figure | unix: | pipe: | pipe:/unix: |")
print("|---|---|---|---|")
for name, get in figures:
    u = statistics.median(get(r) for r in rows if kind(r) == "unix")
    p = statistics.median(get(r) for r in rows if kind(r) == "pipe")
    print(f"| {name} | {u:g} | {p:g} | " + (f"{p / u:.2f}x" if u else "-") + " |")
EOF
