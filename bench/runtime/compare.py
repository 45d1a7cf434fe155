#!/usr/bin/env python3
"""Alternating node/gnode runs of bench/runtime/micro.js cases, for a
loaded machine: each round runs every case once under node and once under
gnode, back to back, so load changes hit both sides alike.

    bench/runtime/compare.py [--gnode BIN] [--before BIN] [--rounds N] case...

Prints every run and, per case, the medians and gnode/node ratio. With
--before, an older gnode binary runs in the same rounds, for before/after
figures taken under the same load."""
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
    ap.add_argument("--before", help="an older gnode binary to run in the same rounds")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--stat", choices=("median", "min"), default="median",
                    help="min approximates an idle machine when the load comes and goes")
    ap.add_argument("cases", nargs="+")
    a = ap.parse_args()
    runs = {c: ([], [], []) for c in a.cases}
    for r in range(a.rounds):
        for c in a.cases:
            n, g = once(a.node, c), once(a.gnode, c)
            b = once(a.before, c) if a.before else float("nan")
            runs[c][0].append(n)
            runs[c][1].append(g)
            runs[c][2].append(b)
            extra = f" before {b:.1f}" if a.before else ""
            print(f"round {r + 1} {c}: node {n:.1f} gnode {g:.1f}{extra}", flush=True)
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    if a.before:
        print("\n| case | node ms | gnode before ms | before / node | gnode ms | gnode / node |\n|---|---|---|---|---|---|")
    else:
        print("\n| case | node ms | gnode ms | gnode / node |\n|---|---|---|---|")
    for c, (ns, gs, bs) in runs.items():
        pick = min if a.stat == "min" else statistics.median
        nm, gm = pick(ns), pick(gs)
        if a.before:
            bm = pick(bs)
            print(f"| {c} | {nm:.1f} | {bm:.1f} | {bm / nm:.2f}x | {gm:.1f} | {gm / nm:.2f}x |")
        else:
            print(f"| {c} | {nm:.1f} | {gm:.1f} | {gm / nm:.2f}x |")
    print(f"\n{a.rounds} alternating rounds, {a.stat} of each; load average at the end {load}")


main()
