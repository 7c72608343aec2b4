#!/usr/bin/env bash
# Where an echo server's CPU goes: profiles `jnet echo` (or the C reference server of ../shared/bench) with perf
# during one load-generator run, after a warm-up, and prints a text summary: the run's figures, the server's CPU
# per GiB or per connection, its system calls and context switches per GiB or per connection, the CPU by thread and
# by library (kernel, JIT-compiled Java, the JVM), and the hottest functions, self and inclusive.
#
#   bench/profile.sh [--server jnet|c] [--transport tcp|unix] [--mode bulk|connrate] [--size N] [--out DIR]
#
# --size is the measured run's bytes (bulk, default 4G) or connections (connrate, default 20000); the warm-up
# before it moves 4 GiB over 4 connections or makes 30,000, so that the JIT is done. Needs perf (Debian: linux-perf) and,
# for Java frames, jcmd from the JDK (the JVM's perf map, written after the run). JNET_JAVA_OPTS adds JVM flags.
# The raw perf data stays in --out (default a new /tmp/jnet-profile.XXXXXX) for `perf report -i`.
# docs/profiles.md shows what this printed before and after the changes it led to.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
harness=${JNET_BENCH_HARNESS:-$root/../shared/bench}
server=jnet transport=tcp mode=bulk size= out=
while [ $# -gt 0 ]; do
  case "$1" in
    --server) server=$2; shift 2 ;;
    --transport) transport=$2; shift 2 ;;
    --mode) mode=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/profile.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
command -v perf >/dev/null || { echo "bench/profile.sh: needs perf (apt-get install linux-perf)" >&2; exit 1; }
case $mode in
  bulk) size=${size:-4G}; warm=(bulk -n 1G) ;;
  connrate) size=${size:-20000}; warm=(connrate -n 30000) ;;
  *) echo "bench/profile.sh: --mode bulk or connrate" >&2; exit 2 ;;
esac
out=${out:-$(mktemp -d /tmp/jnet-profile.XXXXXX)}
mkdir -p "$out"
lg=$out/loadgen
[ -x "$lg" ] || gcc -O2 -Wall -o "$lg" "$harness/loadgen.c" -lpthread

port=$((20000 + RANDOM % 8000))
path=$out/echo.sock
if [ "$transport" = tcp ]; then ep=tcp:127.0.0.1:$port; jep=tcp://127.0.0.1:$port; else ep=unix:$path; jep=unix:$path; fi
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -f "$path"; }
trap cleanup EXIT
case $server in
  jnet)
    "$root/jnet" --version >/dev/null # builds first, outside the measurement
    JNET_JAVA_OPTS="-XX:+PreserveFramePointer ${JNET_JAVA_OPTS:-}" "$root/jnet" echo -q "$jep" 2>/dev/null &
    ;;
  c)
    [ -x "$out/echo_epoll" ] || gcc -O2 -Wall -o "$out/echo_epoll" "$harness/echo_epoll.c"
    "$out/echo_epoll" "$ep" 2>/dev/null &
    ;;
  *) echo "bench/profile.sh: --server jnet or c" >&2; exit 2 ;;
esac
pid=$! # the launcher execs java: the same process
for _ in $(seq 200); do "$lg" pingpong "$ep" -n 10 >/dev/null 2>&1 && break; sleep 0.05; done
# four connections of 1 GiB: a new connection's first bytes make the JIT recompile what the last one's close and
# the accept made polymorphic, and a profile of one long connection after one other would count that
for _ in 1 2 3 4; do
  "$lg" "${warm[0]}" "$ep" "${warm[@]:1}" >/dev/null 2>&1
  [ "$mode" = bulk ] || break
done

ticks() { local s; s=$(cat "/proc/$1/stat"); s=${s##*) }; set -- $s; echo $((${12} + ${13} + ${14} + ${15})); }
perf stat -e 'syscalls:sys_enter_*' -e context-switches -p "$pid" -o "$out/stat.txt" &
stat_pid=$!
perf record -F 999 -g -p "$pid" -o "$out/perf.data" 2>/dev/null &
rec_pid=$!
sleep 0.5
t0=$(ticks "$pid")
result=$("$lg" "$mode" "$ep" -n "$size" 2>/dev/null | grep '^RESULT')
t1=$(ticks "$pid")
kill -INT "$rec_pid" "$stat_pid"
wait "$rec_pid" "$stat_pid" 2>/dev/null || true
if [ "$server" = jnet ] && command -v jcmd >/dev/null; then
  jcmd "$pid" Compiler.perfmap >/dev/null 2>&1 || echo "(no perf map: Java frames show as addresses)"
fi

hz=$(getconf CLK_TCK)
cpu=$(awk -v a="$t0" -v b="$t1" -v t="$hz" 'BEGIN { printf "%.3f", (b - a) / t }')
if [ "$mode" = bulk ]; then
  bytes=$(sed 's/.* bytes=\([0-9]*\).*/\1/' <<<"$result")
  unit=GiB per=$(awk -v b="$bytes" 'BEGIN { print b / 1073741824 }')
else
  unit=connection per=$(sed 's/.* n=\([0-9]*\).*/\1/' <<<"$result")
fi
echo "# $server echo, $transport, $mode ($(date -u +%Y-%m-%d))"
echo "$result"
if [ "$mode" = bulk ]; then
  awk -v c="$cpu" -v p="$per" 'BEGIN { printf "server CPU: %.3f s, %.3f s per GiB\n", c, c / p }'
else
  awk -v c="$cpu" -v p="$per" 'BEGIN { printf "server CPU: %.3f s, %.1f us per connection\n", c, c / p * 1e6 }'
fi
echo
echo "system calls and context switches per $unit (perf stat, the whole measured run):"
awk -v p="$per" '$1 ~ /^[0-9,]+$/ && $2 ~ /syscalls:sys_enter_|context-switches/ {
    n = $1; gsub(",", "", n); if (n == 0) next; name = $2; sub("syscalls:sys_enter_", "", name)
    printf "%10.1f  %s\n", n / p, name }' "$out/stat.txt" | sort -rn | head -14
echo
set +o pipefail # head(1) closes the pipes below early
report() { perf report -i "$out/perf.data" --stdio -g none "$@" 2>/dev/null | grep '%' | grep -v '^#'; }
echo "CPU samples by thread:"
report --no-children --sort comm | head -6
echo
echo "CPU samples by library ([JIT] is compiled Java, libjvm.so the JVM: compilers, GC, runtime):"
report --no-children --sort dso | sed 's/\[JIT\] tid [0-9]*/[JIT]/' | head -6
echo
echo "hottest functions, self:"
report --no-children --sort dso,sym | sed 's/\[JIT\] tid [0-9]*/[JIT]/' | cut -c1-150 | head -25
echo
echo "hottest functions, inclusive (callees counted; the second column is self):"
report --children --sort sym | cut -c1-150 | head -30
