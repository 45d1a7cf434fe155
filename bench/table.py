#!/usr/bin/env python3
"""Read JSON result lines (from measure.py) and print a Markdown table of medians.

Labels are "fixture/scenario/tool"; each cell is: median wall s (x fastest) · median CPU s · median peak RSS MB.
"""
import json, statistics, sys
from collections import defaultdict

rows = defaultdict(list)
tools = []
for line in open(sys.argv[1]):
    r = json.loads(line)
    fixture, scenario, tool = r["label"].split("/")
    if tool not in tools:
        tools.append(tool)
    rows[(fixture, scenario, tool)].append(r)

keys = []
for (f, s, _t) in rows:
    if (f, s) not in keys:
        keys.append((f, s))

print("| fixture | scenario | " + " | ".join(tools) + " |")
print("|---|---|" + "---|" * len(tools))
for f, s in keys:
    med = {}
    for t in tools:
        rs = [r for r in rows.get((f, s, t), []) if r["exit"] == 0]
        if rs:
            med[t] = (statistics.median(r["wall"] for r in rs), statistics.median(r["cpu"] for r in rs), statistics.median(r["rss_mb"] for r in rs))
    fastest = min((m[0] for m in med.values()), default=None)
    cells = []
    for t in tools:
        if t not in med:
            failed = len(rows.get((f, s, t), []))
            cells.append(f"failed ({failed} runs)" if failed else "-")
            continue
        w, c, m = med[t]
        cells.append(f"{w:.2f} s ({w / fastest:.1f}x) · {c:.2f} · {m:.0f} MB")
    print(f"| {f} | {s} | " + " | ".join(cells) + " |")
