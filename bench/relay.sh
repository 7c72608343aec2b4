#!/usr/bin/env bash
# `jnet relay` against socat in one run: the C load generator of ../shared/bench talks to the C echo server through
# each relay (listen on one port, connect to the echo server's), and directly, rep by rep, alternating (the machine
# is shared and noisy: quote the ratios of one run).
#
#   bench/relay.sh [--modes bulk,connrate] [--reps 2] [run.sh options, e.g. --quick or --bulk 10G --conn 10000]
#
# Rows: "direct" (no relay), "jnet-relay" (the kernel's splice where both ends are epoll TCP), "jnet-relay-copy" (the
# same with -Djnet.splice=false: the copy path), "socat-relay" (socat -b65536 TCP-LISTEN:...,fork TCP:...); srv_cpu and
# the memory row are the relay's process (the echo server is its child, not reaped before the end, so not counted).
# Then the medians, with jnet's ratios to socat and to the direct path. Needs socat (apt-get install socat) and gcc.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
harness=${JNET_BENCH_HARNESS:-$root/../shared/bench}
modes=bulk,connrate
reps=2
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --modes) modes=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) extra+=("$1"); shift ;;
  esac
done
command -v socat >/dev/null || { echo "bench/relay.sh: socat is not installed (apt-get install socat)" >&2; exit 1; }
[ -x "$harness/run.sh" ] || { echo "bench/relay.sh: no harness at $harness (set JNET_BENCH_HARNESS)" >&2; exit 1; }

work=$(mktemp -d /tmp/jnet-relay-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp -r "$harness"/. "$work"/
chmod -R u+w "$work"
gcc -O2 -Wall -o "$work/echo_epoll" "$work/echo_epoll.c"
"$root/jnet" --version >/dev/null # builds the jar once, outside the measurements

# the echo server behind the relays: a free port of its own per run
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# run.sh can end non-zero after printing its rows (its last statement is a test): rows that are missing show as '-'
harness_run() { "$work/run.sh" "$@" || true; }
rows=/tmp/jnet-relay-rows.md
: >"$rows"
first=--header
for rep in $(seq 1 "$reps"); do
  back=$(free_port)
  behind="$work/echo_epoll tcp:127.0.0.1:$back &"
  harness_run $first --server c --name direct --transports tcp --modes "$modes" --rep "$rep" "${extra[@]}" |
    tee -a "$rows"
  first=
  harness_run --name jnet-relay --transports tcp --modes "$modes" --rep "$rep" "${extra[@]}" \
    --tcp-cmd "sh -c '$behind exec $root/jnet relay listen:tcp://127.0.0.1:{port} tcp://127.0.0.1:$back 2>/dev/null'" |
    tee -a "$rows"
  back=$(free_port)
  behind="$work/echo_epoll tcp:127.0.0.1:$back &"
  harness_run --name jnet-relay-copy --transports tcp --modes "$modes" --rep "$rep" "${extra[@]}" \
    --tcp-cmd "sh -c '$behind JNET_JAVA_OPTS=-Djnet.splice=false exec $root/jnet relay listen:tcp://127.0.0.1:{port} tcp://127.0.0.1:$back 2>/dev/null'" |
    tee -a "$rows"
  back=$(free_port)
  behind="$work/echo_epoll tcp:127.0.0.1:$back &"
  harness_run --name socat-relay --transports tcp --modes "$modes" --rep "$rep" "${extra[@]}" \
    --tcp-cmd "sh -c '$behind exec socat -b65536 TCP-LISTEN:{port},bind=127.0.0.1,fork,reuseaddr TCP:127.0.0.1:$back'" |
    tee -a "$rows"
done
pkill -f "$work/echo_epoll" 2>/dev/null || true
echo
echo "Medians of $reps rep(s), $(date -u +%Y-%m-%d), $(nproc) cores:"
python3 "$root/bench/ratios.py" jnet-relay socat-relay direct jnet-relay-copy <"$rows"
