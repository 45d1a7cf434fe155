#!/usr/bin/env python3
"""Drives bench/runtime.sh: runs each case under node and gnode, REPS times,
and prints medians of wall time and peak RSS with gnode/node ratios."""
import argparse, math, os, statistics, subprocess, time

def run(cmd, cwd=None, env=None):
    start = time.monotonic()
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    return time.monotonic() - start, ru.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), out.decode(errors="replace")

def med(cmd, reps, **kw):
    walls, rss, code, out = [], [], 0, ""
    for _ in range(reps):
        w, r, code, out = run(cmd, **kw)
        walls.append(w); rss.append(r)
    return statistics.median(walls), statistics.median(rss), code, out

def main():
    ap = argparse.ArgumentParser()
    for a in ("gnode", "node", "work", "micro", "hello"):
        ap.add_argument("--" + a)
    ap.add_argument("--reps", type=int, default=5)
    a = ap.parse_args()
    env_cold = dict(os.environ, GNODE_CACHE_DIR=os.path.join(a.work, "cache-cold"))
    env_warm = dict(os.environ, GNODE_CACHE_DIR=os.path.join(a.work, "cache-warm"))
    rows = []
    def case(label, args, cwd=None, cold=False):
        nw, nr, nc, _ = med([a.node] + args, a.reps, cwd=cwd)
        if cold:
            walls, rss = [], []
            for i in range(a.reps):
                env = dict(os.environ, GNODE_CACHE_DIR=os.path.join(a.work, f"cache-cold-{label}-{i}"))
                w, r, gc, _ = run([a.gnode] + args, cwd=cwd, env=env)
                walls.append(w); rss.append(r)
            gw, gr = statistics.median(walls), statistics.median(rss)
        else:
            run([a.gnode] + args, cwd=cwd, env=env_warm)  # warm the cache
            gw, gr, gc, _ = med([a.gnode] + args, a.reps, cwd=cwd, env=env_warm)
        rows.append((label, nw * 1000, gw * 1000, nr, gr, nc, gc))
    case("start-up `-e 0`", ["-e", "0"])
    case("hello world", [a.hello])
    ts = os.path.join(a.work, "ts")
    case("require('typescript'), cold cache", ["-e", "require('typescript')"], cwd=ts, cold=True)
    case("require('typescript'), warm cache", ["-e", "require('typescript')"], cwd=ts)
    print("| case | node ms | gnode ms | ratio | node RSS MB | gnode RSS MB | RSS ratio |")
    print("|---|---|---|---|---|---|---|")
    for label, nw, gw, nr, gr, nc, gc in rows:
        flag = "" if gc == 0 else f" (exit {gc})"
        print(f"| {label} | {nw:.0f} | {gw:.0f}{flag} | {gw / nw:.2f}x | {nr:.0f} | {gr:.0f} | {gr / nr:.2f}x |")
    names = [l.split("\t")[0] for l in run([a.node, a.micro])[3].strip().splitlines()]
    # micro.js --kinds says which cases measure natively implemented work.
    kinds = dict(l.split("\t")[:2] for l in run([a.node, a.micro, "--kinds"])[3].strip().splitlines() if "\t" in l)
    native = {n for n, k in kinds.items() if k == "native"}
    print()
    print("| micro-benchmark | kind | node ms | gnode ms | gnode / node |")
    print("|---|---|---|---|---|")
    ratios = {"js": [], "native": []}
    for n in names:
        def times(binary, env=None):
            vals = []
            for _ in range(a.reps):
                out = run([binary, a.micro, n], env=env)[3]
                for line in out.splitlines():
                    if line.startswith(n + "\t"):
                        vals.append(float(line.split("\t")[1]))
            return statistics.median(vals) if vals else float("nan")
        nt, gt = times(a.node), times(a.gnode, env_warm)
        kind = "native" if n in native else "js"
        r = gt / nt if nt > 0 else float("nan")
        if not math.isnan(r):
            ratios[kind].append(r)
        print(f"| {n} | {kind} | {nt:.1f} | {gt:.1f} | {r:.1f}x |")
    for kind, rs in ratios.items():
        if rs:
            gm = math.exp(sum(math.log(x) for x in rs) / len(rs))
            print(f"| geometric mean ({kind}) | | | | {gm:.1f}x |")

main()
