#!/usr/bin/env python3
"""Reads the Markdown rows of ../shared/bench/run.sh (several servers, several reps, one run) on stdin and prints
one table: each figure's median per server, and jnet's ratio to the C reference and to Node.

    bench/echo.sh ... | tee rows.md; bench/ratios.py < rows.md
    bench/ratios.py SUBJECT OTHER... < rows.md      # ratios of another server (default: jnet c node)

Figures (lower is better unless marked): bulk MiB/s (higher), server CPU s per GiB echoed, ping-pong p50 us,
server CPU us per round trip, pipelined msg/s (higher), connections/s (higher), server CPU us per connection,
time until listening (ms), RSS after start (MiB), idle bytes per connection. A ratio is jnet / other: above 1 means
jnet has more of it (better for the marked figures, worse for the others).
"""
import re
import statistics
import sys
from collections import defaultdict

# (mode, regex on the result and detail columns, figure name, higher is better)
FIGURES = [
    ("bulk", r"^([\d.]+) MiB/s", "bulk MiB/s", True),
    ("bulk", r"srv ([\d.]+) cpu-s/GiB", "server CPU s/GiB", False),
    ("pingpong", r"^p50 ([\d.]+) us", "ping-pong p50 us", False),
    ("pingpong", r"srv ([\d.]+) cpu-us/rt", "server CPU us/round trip", False),
    ("pipeline", r"^([\d.]+) msg/s", "pipelined msg/s", True),
    ("pipeline", r"srv ([\d.]+) cpu-us/msg", "server CPU us/msg", False),
    ("connrate", r"^([\d.]+) conn/s", "connections/s", True),
    ("connrate", r"srv ([\d.]+) cpu-us/conn", "server CPU us/connection", False),
    ("mem", r"ready ([\d.]+) ms", "time until listening ms", False),
    ("mem", r"RSS after start ([\d.]+) MiB", "RSS after start MiB", False),
    ("mem", r"^peak ([\d.]+) MiB", "peak RSS MiB", False),
    ("idle", r"^([\d.]+) B/conn", "idle bytes/connection", False),
]
ORDER = ["c", "jnet", "node", "netty"]


def main():
    values = defaultdict(list)  # (transport, figure, server) -> [value per rep]
    servers = set()
    for line in sys.stdin:
        line = re.sub(r"\x1b\[[0-9;]*m", "", line)  # a build's colour codes may precede a row
        if "|" not in line:
            continue
        cells = [c.strip() for c in line[line.index("|"):].strip().strip("|").split("|")]
        if len(cells) < 6 or cells[0] in ("server", "---"):
            continue
        server, transport, _rep, mode, result, detail = cells[:6]
        mode = "idle" if mode.startswith("idle") else mode
        servers.add(server)
        for fmode, regex, name, _ in FIGURES:
            if fmode != mode:
                continue
            m = re.search(regex, result) or re.search(regex, detail)
            if m:
                values[(transport, name, server)].append(float(m.group(1)))
    subject, others = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("jnet", ["c", "node"])
    order = [subject] + others + ORDER
    cols = [s for s in dict.fromkeys(order) if s in servers] + sorted(servers - set(order))
    ratios = [s for s in others if s in servers and subject in servers]
    print("| transport | figure | " + " | ".join(cols) + " | " + " | ".join(f"{subject}/{s}" for s in ratios) + " |")
    print("|---" * (2 + len(cols) + len(ratios)) + "|")
    for transport in sorted({k[0] for k in values}):
        for _, _, name, higher in FIGURES:
            med = {s: statistics.median(values[(transport, name, s)]) for s in cols if values.get((transport, name, s))}
            if not med:
                continue
            row = [transport, name + (" (higher is better)" if higher else "")]
            row += [fmt(med.get(s)) for s in cols]
            row += [f"{med[subject] / med[s]:.2f}x" if subject in med and med.get(s) else "-" for s in ratios]
            print("| " + " | ".join(row) + " |")


def fmt(v):
    if v is None:
        return "-"
    return f"{v:,.0f}" if v >= 100 else f"{v:.2f}"


if __name__ == "__main__":
    main()
