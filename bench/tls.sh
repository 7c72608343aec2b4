#!/usr/bin/env bash
# TLS echo servers side by side in one run: `jnet echo --tls` against Node's `tls` echo (`socket.pipe(socket)`), and,
# for handshakes, `openssl s_server` (it cannot echo a byte stream, so it has no bulk figure). All present the same
# EC P-256 certificate (made here by openssl); the client is `jnet bench --tls --insecure` for every server (bulk
# MiB/s over one connection, and full handshakes per second: connect, handshake, close), plus `openssl s_time` for
# handshakes as a second, independent client. Servers alternate rep by rep: quote the ratios of one run.
#
#   bench/tls.sh [--reps 3] [--duration 3s] [--warmup 5s]   (each jnet bench warms its JIT up first)
#
# Needs openssl, node and python3.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
reps=3
duration=3s
warmup=5s
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) reps=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/tls.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
for tool in openssl node python3; do
  command -v "$tool" >/dev/null || { echo "bench/tls.sh: needs $tool" >&2; exit 1; }
done

"$root/jnet" --version >/dev/null # builds the jar once, outside the measurements
dir=$(mktemp -d /tmp/jnet-tls-bench.XXXXXX)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$dir/key.pem" -out "$dir/cert.pem" \
  -days 2 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 2>/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
await_port() { # await_port PORT NAME
  local i
  for ((i = 0; i < 400; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "bench/tls.sh: $2 did not start listening on $1" >&2
  exit 1
}

jnet_port=$(free_port)
"$root/jnet" echo -q --cert "$dir/cert.pem" --key "$dir/key.pem" "tcp://127.0.0.1:$jnet_port" 2>"$dir/jnet.err" &
pids+=($!)
node_port=$(free_port)
node -e '
const tls=require("tls"),fs=require("fs");
tls.createServer({key:fs.readFileSync(process.argv[1]),cert:fs.readFileSync(process.argv[2])},s=>{s.on("error",()=>{});s.pipe(s);})
  .on("tlsClientError",()=>{}).listen(+process.argv[3],"127.0.0.1");' "$dir/key.pem" "$dir/cert.pem" "$node_port" &
pids+=($!)
openssl_port=$(free_port)
openssl s_server -quiet -naccept 1000000 -key "$dir/key.pem" -cert "$dir/cert.pem" -accept "127.0.0.1:$openssl_port" \
  </dev/null >/dev/null 2>&1 &
pids+=($!)
await_port "$jnet_port" jnet
await_port "$node_port" node
await_port "$openssl_port" openssl

: >"$dir/results.jsonl"
for rep in $(seq 1 "$reps"); do
  for server in jnet node openssl; do
    port_var=${server}_port
    port=${!port_var}
    only=throughput,connect
    [ "$server" = openssl ] && only=connect
    "$root/jnet" bench --tls --insecure --only "$only" --format json --warmup "$warmup" --duration "$duration" "tcp://127.0.0.1:$port" |
      python3 -c 'import json,sys; r=json.load(sys.stdin); r["rep"]='"$rep"'; r["server"]="'"$server"'"; print(json.dumps(r))' \
        >>"$dir/results.jsonl"
    secs=${duration%s}
    # "N connections in S real seconds": full handshakes one after the other from OpenSSL's own client
    s_time=$(openssl s_time -connect "127.0.0.1:$port" -new -time "${secs%.*}" 2>/dev/null |
      sed -n 's/^\([0-9]*\) connections in \([0-9]*\) real seconds.*/\1 \2/p' | head -1 |
      awk '{ if ($2 > 0) printf "%.1f", $1 / $2; else print 0 }')
    python3 -c 'import json; print(json.dumps({"rep":'"$rep"',"server":"'"$server"'","s_time":'"${s_time:-0}"'}))' \
      >>"$dir/results.jsonl"
  done
done

python3 - "$dir/results.jsonl" "$reps" "$duration" <<'PY'
import json, statistics, sys, datetime
rows = [json.loads(l) for l in open(sys.argv[1])]
def med(server, get):
    v = [get(r) for r in rows if r["server"] == server]
    v = [x for x in v if x is not None]
    return statistics.median(v) if v else None
figures = [("bulk MiB/s (jnet bench --tls)", lambda r: r.get("throughput", {}).get("mibPerSec")),
           ("handshakes/s (openssl s_time -new: one client, one at a time)", lambda r: r.get("s_time")),
           ("handshakes/s (jnet bench --tls: bound by its own JVM client)", lambda r: r.get("connect", {}).get("perSec"))]
print(f"Medians of {sys.argv[2]} rep(s) of {sys.argv[3]} each, {datetime.date.today()}:")
print("| figure | jnet echo --tls | Node tls | openssl s_server | jnet/Node | jnet/openssl |")
print("|---|---|---|---|---|---|")
for name, get in figures:
    j, n, o = (med(s, get) for s in ("jnet", "node", "openssl"))
    f = lambda x: "-" if not x else f"{x:g}"
    r = lambda a, b: f"{a / b:.2f}x" if a and b else "-"
    print(f"| {name} | {f(j)} | {f(n)} | {f(o)} | {r(j, n)} | {r(j, o)} |")
PY
