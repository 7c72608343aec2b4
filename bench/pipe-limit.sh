#!/usr/bin/env bash
# The kernel's own bulk echo over a FIFO pair against a Unix socket, in C (bench/pipe-limit.c), alternating rep by
# rep: the ceiling of pipe:/unix: bulk on this machine. A pipe holds 64 KiB unless F_SETPIPE_SZ grows it, which Java
# 17 cannot ask for without native code of its own; the third column shows what 1 MiB pipes would give.
#
#   bench/pipe-limit.sh [--reps 3] [--mib 4096] [--chunk 65536]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
reps=3
mib=4096
chunk=65536
while [[ $# -gt 0 ]]; do
  case $1 in
    --reps) reps=$2; shift 2 ;;
    --mib) mib=$2; shift 2 ;;
    --chunk) chunk=$2; shift 2 ;;
    *) echo "usage: bench/pipe-limit.sh [--reps N] [--mib MIB] [--chunk BYTES]" >&2; exit 2 ;;
  esac
done
work=$(mktemp -d /tmp/jnet-pipe-limit.XXXXXX)
trap 'rm -rf "$work"' EXIT
gcc -O2 -Wall -o "$work/pipe-limit" "$root/bench/pipe-limit.c"
echo "| rep | two pipes MiB/s | socketpair MiB/s | pipes/socket | two 1 MiB pipes MiB/s |"
echo "|---|---|---|---|---|"
for rep in $(seq 1 "$reps"); do
  p=$("$work/pipe-limit" 0 "$mib" "$chunk")
  s=$("$work/pipe-limit" 1 "$mib" "$chunk")
  b=$("$work/pipe-limit" 0 "$mib" "$chunk" 1048576)
  echo "| $rep | $p | $s | $(awk -v p="$p" -v s="$s" 'BEGIN {printf "%.2fx", p / s}') | $b |"
done
echo
echo "echo of ${mib} MiB in ${chunk}-byte writes, $(date +%F), $(nproc) cores, kernel $(uname -r)"
