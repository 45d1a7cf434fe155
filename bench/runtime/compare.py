#!/usr/bin/env python3
"""Alternating node/gnode runs of bench/runtime/micro.js cases, for a
loaded machine: each round runs every case once under node and once under
gnode, back to back, so load changes hit both sides alike.

    bench/runtime/compare.py [--gnode BIN] [--rounds N] case...

Prints every run and, per case, the medians and gnode/node ratio."""
import argparse, os, statistics, subprocess

here = os.path.dirname(os.path.abspath(__file__))


def once(binary, case):
    out = subprocess.run([binary, os.path.join(here, "micro.js"), case], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        name, _, ms = line.partition("\t")
        if name == case:
            return float(ms)
    raise SystemExit(f"{binary}: no result for {case}: {out!r}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gnode", default=os.path.join(os.path.dirname(os.path.dirname(here)), "bin", "gnode"))
    ap.add_argument("--node", default="node")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("cases", nargs="+")
    a = ap.parse_args()
    runs = {c: ([], []) for c in a.cases}
    for r in range(a.rounds):
        for c in a.cases:
            n, g = once(a.node, c), once(a.gnode, c)
            runs[c][0].append(n)
            runs[c][1].append(g)
            print(f"round {r + 1} {c}: node {n:.1f} gnode {g:.1f}", flush=True)
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    print(f"\n| case | node ms (median) | gnode ms (median) | gnode / node |\n|---|---|---|---|")
    for c, (ns, gs) in runs.items():
        nm, gm = statistics.median(ns), statistics.median(gs)
        print(f"| {c} | {nm:.1f} | {gm:.1f} | {gm / nm:.2f}x |")
    print(f"\n{a.rounds} alternating rounds; load average at the end {load}")


main()
