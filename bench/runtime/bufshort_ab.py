#!/usr/bin/env python3
"""Alternating node / gnode (/ older gnode) runs of bench/runtime/bufshort.js
cases, as compare.py does for micro.js: each round runs every case once per
binary, back to back, so load changes hit all of them alike.

    bench/runtime/bufshort_ab.py --gnode BIN [--before OLDBIN] [--rounds N] [case...]

Prints, per case, the least CPU time of the rounds (ms for the loop), the
per-operation figure and the ratios to node."""
import argparse, os, subprocess

here = os.path.dirname(os.path.abspath(__file__))
script = os.path.join(here, "bufshort.js")


def once(binary, cases):
    out = subprocess.run([binary, script, *cases], capture_output=True, text=True, check=True).stdout
    res = {}
    for line in out.splitlines():
        name, ms, n = line.split("\t")
        res[name] = (float(ms), int(n))
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gnode", required=True)
    ap.add_argument("--node", default="node")
    ap.add_argument("--before")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("cases", nargs="*")
    a = ap.parse_args()
    cases = a.cases or subprocess.run([a.node, script, "--list"], capture_output=True, text=True, check=True).stdout.split()
    bins = [("node", a.node), ("gnode", a.gnode)] + ([("before", a.before)] if a.before else [])
    best = {b: {} for b, _ in bins}
    iters = {}
    for _ in range(a.rounds):
        for label, binary in bins:
            for c, (ms, n) in once(binary, cases).items():
                best[label][c] = min(best[label].get(c, ms), ms)
                iters[c] = n
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    ns = lambda label, c: best[label][c] * 1e6 / iters[c]
    if a.before:
        print("| case | node ns/op | before ns/op | before/node | gnode ns/op | gnode/node |\n|---|---|---|---|---|---|")
        for c in cases:
            n, b, g = ns("node", c), ns("before", c), ns("gnode", c)
            print(f"| {c} | {n:.0f} | {b:.0f} | {b / n:.1f}x | {g:.0f} | {g / n:.1f}x |")
    else:
        print("| case | node ns/op | gnode ns/op | gnode/node |\n|---|---|---|---|")
        for c in cases:
            n, g = ns("node", c), ns("gnode", c)
            print(f"| {c} | {n:.0f} | {g:.0f} | {g / n:.1f}x |")
    print(f"\n{a.rounds} alternating rounds, least CPU time of each; load average at the end {load}")


main()
