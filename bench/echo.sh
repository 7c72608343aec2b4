#!/usr/bin/env bash
# Measures `jnet echo` side by side with raw Netty and Node.js on this machine, with the neutral harness in
# ../shared/bench (a C load generator and reference servers). Runs alternate, rep by rep, because the machine is
# shared and noisy: quote ratios from one run, not absolute figures.
#
#   bench/echo.sh [--servers c,jnet,node,netty] [--transports tcp,unix] [--modes bulk,pingpong,pipeline,connrate,idle]
#                 [--reps 2] [run.sh options]
#
# The server jnet-io_uring is `jnet echo` on the opt-in io_uring engine (-Djnet.transport=io_uring as
# JNET_JAVA_OPTS, replacing it): `--servers jnet,jnet-io_uring` measures the two engines side by side, and
# `bench/ratios.py jnet-io_uring jnet < /tmp/jnet-bench-rows.md` prints io_uring's ratios to epoll.
#
# Prints the harness's Markdown rows (server, transport, rep, mode, result, detail, CPU), then one table of each
# figure's median per server with jnet's ratio to the C reference (the machine's limit) and to Node
# (bench/ratios.py; the rows are also kept in /tmp/jnet-bench-rows.md). The idle mode holds
# --idle N connections (default 10000; the open-files hard limit, `ulimit -Hn`, bounds it) and reports the server's
# RSS growth per connection.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
harness=${JNET_BENCH_HARNESS:-$root/../shared/bench}
servers=c,jnet,node,netty
transports=tcp,unix
modes=bulk,pingpong,pipeline,connrate
reps=2
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --servers) servers=$2; shift 2 ;;
    --transports) transports=$2; shift 2 ;;
    --modes) modes=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    -h | --help)
      sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
      echo "The harness's own options (passed through):"
      "$harness/run.sh" --help | sed -n '/^# Options:/,/^# *--quick/p' | sed 's/^#//'
      exit 0 ;;
    *) extra+=("$1"); shift ;;
  esac
done
[ -x "$harness/run.sh" ] || { echo "bench/echo.sh: no harness at $harness (set JNET_BENCH_HARNESS)" >&2; exit 1; }

# The harness builds its load generator and the Netty server next to itself: work on a writable copy.
work=$(mktemp -d /tmp/jnet-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp -r "$harness"/. "$work"/
chmod -R u+w "$work"

"$root/jnet" --version >/dev/null   # builds the jar and its start-up archive once, outside the measurements
jnet="$root/jnet echo -q"
rows=/tmp/jnet-bench-rows.md
: >"$rows"
first=--header
for rep in $(seq 1 "$reps"); do
  for server in ${servers//,/ }; do
    if [ "$server" = jnet ]; then
      "$work/run.sh" $first --name jnet --transports "$transports" --modes "$modes" --rep "$rep" "${extra[@]}" \
        --tcp-cmd "$jnet tcp://127.0.0.1:{port}" --unix-cmd "$jnet unix:{path}"
    elif [ "$server" = jnet-io_uring ]; then
      uring="env JNET_JAVA_OPTS=-Djnet.transport=io_uring $jnet" # (replaces any JNET_JAVA_OPTS)
      "$work/run.sh" $first --name jnet-io_uring --transports "$transports" --modes "$modes" --rep "$rep" \
        "${extra[@]}" --tcp-cmd "$uring tcp://127.0.0.1:{port}" --unix-cmd "$uring unix:{path}"
    else
      "$work/run.sh" $first --server "$server" --transports "$transports" --modes "$modes" --rep "$rep" "${extra[@]}"
    fi | tee -a "$rows"
    first=
  done
done
echo
echo "Medians of $reps rep(s), $(date -u +%Y-%m-%d), $(nproc) cores:"
python3 "$root/bench/ratios.py" <"$rows"
