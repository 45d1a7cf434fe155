#!/usr/bin/env python3
"""Drives bench/http.sh: each HTTP case is served by node and by gnode in
turn (REPS rounds, node and gnode alternating), loaded with the same wrk
command, and reported as medians: requests/s, p50/p99 latency, server CPU
per request (utime+stime of the server's process tree over the requests wrk
completed) and RSS after the load. The idle case opens COUNT keep-alive
connections (bench/http_idle_client.js) and reports the server's RSS while
they sit idle. Prints Markdown tables for docs/BENCHMARKS.md."""
import argparse, os, re, signal, socket, statistics, subprocess, tempfile, time

TICK = os.sysconf("SC_CLK_TCK")
next_port = [21100]  # below the ephemeral range: the idle client holds 10k ports


def port():
    next_port[0] += 1
    return next_port[0]


def tree(pid):
    """The server's processes: it runs in its own session (cluster workers,
    gnode's run process)."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == pid:  # session id
            out.append(int(d))
    return out


def cpu_ticks(pid):
    total = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except OSError:
            pass
    return total


def rss_kb(pid):
    total = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                m = re.search(r"VmRSS:\s+(\d+)", f.read())
            total += int(m.group(1)) if m else 0
        except OSError:
            pass
    return total


def wait_port(p, proc, timeout=20):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            proc.errlog.seek(0)
            err = proc.errlog.read().decode(errors="replace")[-2000:]
            raise SystemExit(f"server {proc.args} exited with {proc.returncode}:\n{err}")
        try:
            socket.create_connection(("127.0.0.1", p), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"server on port {p} did not start")


def start(cmd, env, cwd):
    p = port()
    errlog = tempfile.TemporaryFile()
    proc = subprocess.Popen(cmd, env=dict(env, PORT=str(p)), cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=errlog, start_new_session=True)
    proc.errlog = errlog
    wait_port(p, proc)
    return proc, p


def stop(proc):
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def ms(v):
    n = float(re.match(r"[\d.]+", v).group(0))
    return n / 1000 if v.endswith("us") else n * 1000 if v.endswith("s") and not v.endswith("ms") else n


def wrk(args, url):
    out = subprocess.run(["wrk"] + args + ["--latency", url], capture_output=True, text=True).stdout
    try:
        req = int(re.search(r"(\d+) requests in", out).group(1))
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        p50 = ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
        p99 = ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    except (AttributeError, ValueError) as e:
        raise SystemExit(f"cannot read wrk's output ({e}):\n{out}")
    errs = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return req, rps, p50, p99, int(errs.group(1)) if errs else 0


def load(cmd, env, cwd, path, wrk_args, secs):
    proc, p = start(cmd, env, cwd)
    try:
        url = f"http://127.0.0.1:{p}{path}"
        wrk(wrk_args + ["-d1s"], url)  # warm-up
        t0 = cpu_ticks(proc.pid)
        req, rps, p50, p99, bad = wrk(wrk_args + [f"-d{secs}s"], url)
        cpu_us = (cpu_ticks(proc.pid) - t0) * 1e6 / TICK / max(req, 1)
        rss = rss_kb(proc.pid) / 1024
        if bad:
            raise SystemExit(f"{cmd}: {bad} responses were not 2xx/3xx")
        return rps, p50, p99, cpu_us, rss
    finally:
        stop(proc)


def loaded_rss(cmd, env, cwd, wrk_args, secs=2):
    """The server's RSS (MB, all its processes) after secs of wrk load."""
    proc, p = start(cmd, env, cwd)
    try:
        wrk(wrk_args + [f"-d{secs}s"], f"http://127.0.0.1:{p}/")
        return rss_kb(proc.pid) / 1024
    finally:
        stop(proc)


def idle(cmd, env, cwd, client, count):
    proc, p = start(cmd, dict(env, KEEPALIVE_MS="600000"), cwd)
    try:
        base = rss_kb(proc.pid) / 1024
        c = subprocess.Popen(["node", client, str(p), str(count)], stdout=subprocess.PIPE, text=True)
        line = c.stdout.readline().split()
        if not line or line[0] != "ready" or int(line[1]) != count:
            raise SystemExit(f"idle client: {line}")
        time.sleep(5)  # idle readers park (gnode) and the heap settles
        rss = rss_kb(proc.pid) / 1024
        c.kill()
        c.wait()
        return base, rss
    finally:
        stop(proc)


def main():
    ap = argparse.ArgumentParser()
    for a in ("gnode", "node", "deps", "static", "bench"):
        ap.add_argument("--" + a)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--secs", type=int, default=10)
    ap.add_argument("--idle", type=int, default=10000)
    ap.add_argument("--cases", default="hello,express,static,workers,idle")
    a = ap.parse_args()
    env = dict(os.environ, BENCH_DEPS=a.deps, STATIC_DIR=a.static)
    b = a.bench
    hello, express = os.path.join(b, "http_hello.js"), os.path.join(b, "http_express.js")
    w1 = ["-t1", "-c50"]
    cases = {
        "hello": ("hello world, 1 loop", [a.node, hello], [a.gnode, hello], "/", w1),
        "express": ("Express JSON route", [a.node, express], [a.gnode, express], "/json", w1),
        "static": ("Express static file (4 KiB)", [a.node, express], [a.gnode, express], "/static/page.html", w1),
        "workers": ("hello world, 2 loops: node cluster (2 workers) vs gnode --workers 2",
                    [a.node, os.path.join(b, "http_cluster.js")],
                    [a.gnode, "run", "--workers", "2", hello], "/", ["-t2", "-c50"]),
    }
    want = a.cases.split(",")
    rows = []
    for key in ("hello", "express", "static", "workers"):
        if key not in want:
            continue
        label, ncmd, gcmd, path, wargs = cases[key]
        res = {"node": [], "gnode": []}
        for _ in range(a.reps):
            res["node"].append(load(ncmd, env, a.deps, path, wargs, a.secs))
            res["gnode"].append(load(gcmd, env, a.deps, path, wargs, a.secs))
        med = {k: [statistics.median(x[i] for x in v) for i in range(5)] for k, v in res.items()}
        rows.append((label, " ".join(wargs), med, res))
    if rows:
        print(f"wrk {a.secs} s per run, {a.reps} runs per side (node and gnode alternating); medians.")
        print()
        print("| case | wrk | node req/s | gnode req/s | gnode/node | node p50 / p99 ms | gnode p50 / p99 ms | node CPU µs/req | gnode CPU µs/req | node RSS MB | gnode RSS MB |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for label, wa, m, _ in rows:
            n, g = m["node"], m["gnode"]
            print(f"| {label} | `{wa}` | {n[0]:,.0f} | {g[0]:,.0f} | {g[0] / n[0]:.2f} | {n[1]:.2f} / {n[2]:.2f} | "
                  f"{g[1]:.2f} / {g[2]:.2f} | {n[3]:.0f} | {g[3]:.0f} | {n[4]:.0f} | {g[4]:.0f} |")
        print()
        print("Every run (req/s):")
        for label, _, _, r in rows:
            print(f"- {label}: node " + ", ".join(f"{x[0]:,.0f}" for x in r["node"]) +
                  "; gnode " + ", ".join(f"{x[0]:,.0f}" for x in r["gnode"]))
    if "workers" in want:
        # Memory per extra worker (the issue asks for it): RSS of the whole
        # server after 2 s of the workers case's load, for 1, 2 and 4
        # workers; node's cluster counts its primary and every worker
        # process, gnode its one process.
        ns = (1, 2, 4)
        mem = {"node": [], "gnode": []}
        for n in ns:
            mem["node"].append(statistics.median(
                loaded_rss([a.node, os.path.join(b, "http_cluster.js")], dict(env, WORKERS=str(n)), a.deps, ["-t2", "-c50"])
                for _ in range(a.reps)))
            mem["gnode"].append(statistics.median(
                loaded_rss([a.gnode, "run", "--workers", str(n), hello], env, a.deps, ["-t2", "-c50"])
                for _ in range(a.reps)))
        print()
        print("| RSS after 2 s of `wrk -t2 -c50`, MB | " + " | ".join(f"{n} worker{'s' if n > 1 else ''}" for n in ns) +
              " | per extra worker |")
        print("|---|" + "---|" * (len(ns) + 1))
        for k, label in (("node", "node cluster"), ("gnode", "gnode run --workers N")):
            m = mem[k]
            per = (m[-1] - m[0]) / (ns[-1] - ns[0])
            print(f"| {label} | " + " | ".join(f"{x:.0f}" for x in m) + f" | {per:.1f} |")
    if "idle" in want:
        out = {"node": [], "gnode": []}
        for _ in range(a.reps):
            out["node"].append(idle([a.node, hello], env, a.deps, os.path.join(b, "http_idle_client.js"), a.idle))
            out["gnode"].append(idle([a.gnode, hello], env, a.deps, os.path.join(b, "http_idle_client.js"), a.idle))
        print()
        print(f"| {a.idle:,} idle keep-alive connections | RSS before MB | RSS with the connections MB |")
        print("|---|---|---|")
        for k in ("node", "gnode"):
            print(f"| {k} | {statistics.median(x[0] for x in out[k]):.0f} | {statistics.median(x[1] for x in out[k]):.0f} |")


if __name__ == "__main__":
    main()
