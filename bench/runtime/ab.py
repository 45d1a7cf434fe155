#!/usr/bin/env python3
"""Interleaved rounds of a per-call case file's cases (CPU microseconds per
call; a script that takes case names and prints "name<TAB>µs" lines, such
as bench/runtime/pathfs.js or streams.js) under several binaries, for a
loaded machine: each round runs every case once per binary, back to back,
so load changes hit all alike.

    bench/runtime/ab.py --script pathfs.js [--rounds N] [--stat min|median|both] \\
        --bin node=node --bin before=/tmp/old/gnode --bin new=/tmp/new/gnode case...

Prints the chosen statistic per case and binary, and each binary's ratio
to the first one."""
import argparse, os, statistics, subprocess

here = os.path.dirname(os.path.abspath(__file__))


def once(binary, script, cases):
    out = subprocess.run([binary, os.path.join(here, script), *cases], capture_output=True, text=True, check=True).stdout
    res = {}
    for line in out.splitlines():
        name, _, us = line.partition("\t")
        res[name] = float(us)
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--script", required=True, help="case file, relative to bench/runtime (pathfs.js, streams.js)")
    ap.add_argument("--bin", action="append", required=True, help="label=path")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--stat", choices=("median", "min", "both"), default="min")
    ap.add_argument("cases", nargs="+")
    a = ap.parse_args()
    bins = [b.split("=", 1) for b in a.bin]
    runs = {(c, l): [] for c in a.cases for l, _ in bins}
    for r in range(a.rounds):
        order = bins if r % 2 == 0 else bins[::-1]
        for label, path in order:
            for c, v in once(path, a.script, a.cases).items():
                runs[(c, label)].append(v)
        print(f"round {r + 1} done", flush=True)
    labels = [l for l, _ in bins]
    for stat in ([a.stat] if a.stat != "both" else ["min", "median"]):
        table(runs, labels, a.cases, stat)
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    print(f"\n{a.rounds} alternating rounds; load average at the end {load}")


def table(runs, labels, cases, stat):
    pick = min if stat == "min" else statistics.median
    print(f"\n{stat}:\n| case | " + " | ".join(f"{l} µs" for l in labels) + " | " + " | ".join(f"{l}/{labels[0]}" for l in labels[1:]) + " |")
    print("|---" * (1 + 2 * len(labels) - 1) + "|")
    for c in cases:
        vals = [pick(runs[(c, l)]) for l in labels]
        print(f"| {c} | " + " | ".join(f"{v:.2f}" for v in vals) + " | " + " | ".join(f"{v / vals[0]:.2f}x" for v in vals[1:]) + " |")


main()
