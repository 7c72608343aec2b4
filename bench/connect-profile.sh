#!/usr/bin/env bash
# Where a connection's set-up goes, by thread: `perf stat --per-thread` on a `jnet echo` server and on the
# `jnet bench --only connect` client that connects to it (4 connects at a time), over a window of a warm run.
# Prints the run's connections/s, then CPU microseconds and context switches per connection for each kind of
# thread in both processes (threads of one name summed: jnet-io-*, jnet-pipe-open-*, the bench's own ...).
#
#   bench/connect-profile.sh [pipe|unix] [--dir /dev/shm] [--seconds 10]
#
# Needs perf (linux-perf); JNET_JAVA_OPTS applies to both processes (e.g. -Djnet.pipe.native=false for pipe:'s
# portable set-up, -Djnet.transport=nio). docs/profiles.md shows what it printed before and after NativeFifo.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
kind=pipe
parent=/dev/shm
seconds=10
while [ $# -gt 0 ]; do
  case "$1" in
    pipe | unix) kind=$1; shift ;;
    --dir) parent=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/connect-profile.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
command -v perf >/dev/null || { echo "bench/connect-profile.sh: needs perf" >&2; exit 2; }
((seconds >= 6)) || { echo "bench/connect-profile.sh: --seconds must be 6 or more" >&2; exit 2; }
"$root/jnet" --version >/dev/null # builds the jar once, outside the measurement
dir=$(mktemp -d "$parent/jnet-connect-profile.XXXXXX")
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
if [ "$kind" = pipe ]; then ep="pipe:$dir/p"; else ep="unix:$dir/s.sock"; fi

"$root/jnet" echo -q "$ep" 2>"$dir/server.err" &
server=$!
for ((i = 0; i < 200; i++)); do
  grep -q '^listening on' "$dir/server.err" && break
  sleep 0.05
done
grep -q '^listening on' "$dir/server.err" || { echo "no server: $(cat "$dir/server.err")" >&2; exit 1; }
spid=$(pgrep -f -- "-jar .* echo -q $ep" | head -1)

"$root/jnet" bench --only connect --warmup 2s --duration "${seconds}s" --format json "$ep" >"$dir/bench.json" &
bench=$!
for ((i = 0; i < 200; i++)); do
  cpid=$(pgrep -f -- "-jar .* bench --only connect .* $ep" | head -1 || true)
  [ -n "$cpid" ] && break
  sleep 0.05
done
window=$((seconds / 2))
sleep $((2 + seconds - window - 1)) # past the warm-up, a window that ends before the run does
perf stat --per-thread -e context-switches,task-clock -p "$spid,$cpid" -o "$dir/perf.txt" -- sleep "$window" 2>/dev/null
wait "$bench"

python3 - "$dir/perf.txt" "$dir/bench.json" "$window" "$kind" "${JNET_JAVA_OPTS:-}" <<'EOF'
import collections, json, re, sys
perf, bench, window, kind, opts = sys.argv[1], json.load(open(sys.argv[2])), float(sys.argv[3]), sys.argv[4], sys.argv[5]
rate = bench["connect"]["perSec"]
cs, ms = collections.Counter(), collections.Counter()
for line in open(perf):
    m = re.match(r'\s*(\S+?)-(\d+)\s+([\d,.]+)\s+(?:msec\s+)?(context-switches|task-clock)', line)
    if m:
        name = re.sub(r'-?\d+$', '', m.group(1))
        v = float(m.group(3).replace(',', ''))
        (cs if m.group(4) == 'context-switches' else ms)[name] += v
conns = rate * window  # the window lies inside the measured run: its rate is the run's
print(f"{kind}: {rate:,.0f} connections/s (engine {bench['engine']}" + (f", JNET_JAVA_OPTS='{opts}'" if opts else "") + ")")
print(f"per connection, over a {window:g} s window (server and client):")
print("| thread | CPU us | context switches |")
print("|---|---|---|")
for name, v in ms.most_common():
    if v / conns * 1000 >= 0.5 or cs[name] / conns >= 0.05:
        print(f"| {name} | {v / conns * 1000:.1f} | {cs[name] / conns:.2f} |")
print(f"| all | {sum(ms.values()) / conns * 1000:.1f} | {sum(cs.values()) / conns:.2f} |")
EOF
