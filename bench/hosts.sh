#!/usr/bin/env bash
# Message throughput across hosts: the message benchmark's jnet server (BenchServer, rate mode: echo of 64-byte
# length-prefixed messages) in namespace B, its client in namespace A, a forwarding router R between them, joined by
# veth pairs; each link shape is applied with tc on both of R's interfaces. Root only; everything lives in
# namespaces this script makes (unique names) and deletes on exit.
#
#   sudo bench/hosts.sh              build the test classes, run every shape REPS times, print a Markdown table
#
# Shapes: "none" (veth + forwarding), "tbf 100mbit" (a rate limit), when nft is installed "nft loss 5%" (an nftables
# rule in R's forward hook drops 5 % of the packets each way, the veths carrying one TCP segment per packet for it:
# gso_max_segs 1), and, when the kernel has sch_netem, "delay 25ms" on each of R's interfaces (50 ms round trip) and
# "delay 25ms 5ms" (with jitter); without netem, "queue delay 25ms 25ms" when iptables and python3 are there (the
# tests' netfilter-queue delay line in R: 0-50 ms each way). With WINDOW messages in flight
# and a round trip of RTT, the rate cannot exceed WINDOW / RTT: the table prints that bound beside the figure.
# Knobs (env): REPS WARMUP_S MEASURE_S WINDOWS JAVA_OPTS MVN_OPTS (default -o) SHAPES.
set -euo pipefail
cd "$(dirname "$0")/.."

REPS=${REPS:-2}
WARMUP_S=${WARMUP_S:-3}
MEASURE_S=${MEASURE_S:-3}
WINDOWS=${WINDOWS:-"100 1000"}
JAVA_OPTS=${JAVA_OPTS:-}
MVN_OPTS=${MVN_OPTS:--o}
[[ $(id -u) == 0 ]] || { echo "bench/hosts.sh: needs root (network namespaces)" >&2; exit 1; }
command -v ip >/dev/null && command -v tc >/dev/null || { echo "bench/hosts.sh: needs iproute2 (ip, tc)" >&2; exit 1; }

ID=jb$RANDOM$RANDOM
A=${ID}a R=${ID}r B=${ID}b
WORK=$(mktemp -d /tmp/jnet-hostsbench.XXXXXX)
SERVER_PID=
cleanup() {
  if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; fi
  for ns in $A $R $B; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "building..." >&2
# shellcheck disable=SC2086
mvn -B -q $MVN_OPTS test-compile -pl core,tcp >&2
# shellcheck disable=SC2086
mvn -B -q $MVN_OPTS dependency:build-classpath -pl core -DexcludeGroupIds=dev.jnet -DincludeScope=runtime \
  -Dmdep.outputFile="$WORK/deps.cp" >/dev/null
CP="$PWD/core/target/classes:$PWD/core/target/test-classes:$PWD/tcp/target/classes:$(cat "$WORK/deps.cp")"

for ns in $A $R $B; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
ip -n "$A" link add va type veth peer name ra netns "$R"
ip -n "$R" link add rb type veth peer name vb netns "$B"
ip -n "$A" addr add 10.201.1.1/24 dev va
ip -n "$R" addr add 10.201.1.2/24 dev ra
ip -n "$R" addr add 10.201.2.1/24 dev rb
ip -n "$B" addr add 10.201.2.2/24 dev vb
for l in "$A va" "$R ra" "$R rb" "$B vb"; do set -- $l; ip -n "$1" link set "$2" up; done
ip -n "$A" route add default via 10.201.1.2
ip -n "$B" route add default via 10.201.2.1
ip netns exec "$R" sysctl -qw net.ipv4.ip_forward=1

if ip netns exec "$R" tc qdisc add dev ra root netem delay 1ms 2>/dev/null; then
  ip netns exec "$R" tc qdisc del dev ra root
  NETEM=1
else
  NETEM=0
  echo "this kernel has no sch_netem (CONFIG_NET_SCH_NETEM): the delay shapes are skipped" >&2
fi
if [[ -z ${SHAPES:-} ]]; then
  SHAPES="none|tbf rate 100mbit burst 64kbit latency 50ms"
  command -v nft >/dev/null && SHAPES="$SHAPES|nft loss 5%"
  [[ $NETEM == 1 ]] && SHAPES="$SHAPES|netem delay 25ms|netem delay 25ms 5ms"
  # without netem, delay through the tests' netfilter-queue delay line (HostsDelayLine) when it can run
  command -v iptables >/dev/null && command -v python3 >/dev/null && SHAPES="$SHAPES|queue delay 25ms 25ms"
fi

DL_PID=
stop_delay_line() {
  ip netns exec "$R" iptables -F FORWARD 2>/dev/null || true
  if [[ -n $DL_PID ]]; then kill "$DL_PID" 2>/dev/null || true; wait "$DL_PID" 2>/dev/null || true; DL_PID=; fi
}
# The delay line's program, taken from the test that owns it (a Java text block: dedented, \\ unescaped).
delay_line_program() {
  python3 - cli/src/test/java/dev/jnet/cli/HostsDelayLine.java >"$WORK/delay-line.py" <<'PY'
import re, sys, textwrap
src = open(sys.argv[1]).read()
body = re.search(r'SCRIPT =\s*"""\n(.*?)\n\s*""";', src, re.S).group(1)
print(textwrap.dedent(body).replace('\\\\', '\\'))
PY
}

gso_segs() {
  local segs=$1 l
  for l in "$A va" "$R ra" "$R rb" "$B vb"; do set -- $l; ip -n "$1" link set dev "$2" gso_max_segs "$segs"; done
}

shape() {
  stop_delay_line
  ip netns exec "$R" nft delete table inet jnet_faults 2>/dev/null || true
  gso_segs 65535
  for dev in ra rb; do
    ip netns exec "$R" tc qdisc del dev "$dev" root 2>/dev/null || true
  done
  case $1 in
    none) ;;
    "queue delay "*)
      # 25ms 25ms: each packet leaves R 0-50 ms late (each way), released by a program that reads only
      # the packets' ids
      local d j
      read -r d j <<<"${1#queue delay }"
      delay_line_program
      ip netns exec "$R" python3 "$WORK/delay-line.py" 0 "${d%ms}" "${j%ms}" 0 \
        < <(sleep 100000) >"$WORK/delay-line.out" 2>&1 &
      DL_PID=$!
      for _ in $(seq 100); do grep -q '^ready$' "$WORK/delay-line.out" 2>/dev/null && break; sleep 0.1; done
      grep -q '^ready$' "$WORK/delay-line.out" ||
        { echo "the delay line did not start:" >&2; cat "$WORK/delay-line.out" >&2; return 1; }
      ip netns exec "$R" iptables -A FORWARD -j NFQUEUE --queue-num 0 ;;
    "nft loss "*)
      local pct=${1#nft loss }; pct=${pct%\%}
      gso_segs 1
      ip netns exec "$R" nft "add table inet jnet_faults; add chain inet jnet_faults forward { type filter hook forward priority 0 ; };
        add rule inet jnet_faults forward numgen random mod 100 < $pct counter drop" ;;
    *)
      for dev in ra rb; do
        # shellcheck disable=SC2086
        ip netns exec "$R" tc qdisc add dev "$dev" root $1
      done ;;
  esac
}

start_server() {
  local out="$WORK/server.$RANDOM.out"
  # shellcheck disable=SC2086
  ip netns exec "$B" java $JAVA_OPTS -cp "$CP" dev.jnet.message.bench.BenchServer echo tcp://10.201.2.2:7000 >"$out" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 100); do
    grep -q '^READY ' "$out" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "the server did not start:" >&2; cat "$out" >&2; return 1
}

: >"$WORK/results"
IFS='|' read -r -a shapes <<<"$SHAPES"
for rep in $(seq "$REPS"); do
  for s in "${shapes[@]}"; do
    shape "$s"
    start_server
    for w in $WINDOWS; do
      # shellcheck disable=SC2086
      r=$(ip netns exec "$A" timeout 120 java $JAVA_OPTS -cp "$CP" dev.jnet.message.bench.BenchClient rate \
        tcp://10.201.2.2:7000 "$WARMUP_S" "$MEASURE_S" "$w" | awk '/^RESULT rate/{print $3}') || true
      echo "rep $rep  $s  window $w  ${r:-FAILED} messages/s" >&2
      [[ -n $r ]] && echo "$s|$w|$r" >>"$WORK/results"
    done
    kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
  done
done

echo
echo "Machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; $(java -version 2>&1 | head -1);" \
  "$REPS reps, mean shown (each rep in brackets); 64-byte messages, length-prefixed, echoed."
echo
echo "| link (tc on both router interfaces) | window | messages/s | bound WINDOW/RTT |"
echo "|---|---:|---:|---:|"
awk -F'|' '
  { k = $1 "|" $2; sum[k] += $3; n[k]++; reps[k] = reps[k] (reps[k] == "" ? "" : " / ") sprintf("%.0fk", $3 / 1000)
    if (!(k in seen)) { seen[k] = 1; order[++m] = k } }
  END {
    for (i = 1; i <= m; i++) {
      k = order[i]; split(k, p, "|"); bound = "-"
      if (match(p[1], /delay [0-9]+ms/)) { d = substr(p[1], RSTART + 6, RLENGTH - 8); bound = sprintf("%.0f", p[2] / (2 * d / 1000)) }
      printf "| %s | %s | %.0f (%s) | %s |\n", p[1], p[2], sum[k] / n[k], reps[k], bound
    }
  }' "$WORK/results"
