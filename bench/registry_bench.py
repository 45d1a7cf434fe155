#!/usr/bin/env python3
"""Drives bench/registry.sh: publishes fixtures to each registry, runs wrk,
and prints one Markdown table. Server CPU per request is the delta of the
server process's utime+stime over the requests wrk completed."""
import argparse, base64, concurrent.futures, gzip, hashlib, io, json, os, re, subprocess, tarfile, time, urllib.request

def tgz(name, version):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for fname, content in (("package.json", json.dumps({"name": name, "version": version, "description": "bench"})), ("index.js", "module.exports = 1\n")):
            data = content.encode()
            info = tarfile.TarInfo("package/" + fname); info.size = len(data); info.mode = 0o644
            tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()

def publish_body(name, version):
    data = tgz(name, version)
    integ = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    return json.dumps({"_id": name, "name": name, "dist-tags": {"latest": version},
        "versions": {version: {"name": name, "version": version, "_id": f"{name}@{version}", "description": "bench",
            "dist": {"integrity": integ, "shasum": hashlib.sha1(data).hexdigest(), "tarball": "http://x/x.tgz"}}},
        "_attachments": {f"{name}-{version}.tgz": {"content_type": "application/octet-stream", "data": base64.b64encode(data).decode(), "length": len(data)}}}).encode()

def req(method, url, body=None, token=None, headers=None):
    r = urllib.request.Request(url, data=body, method=method)
    r.add_header("content-type", "application/json")
    if token: r.add_header("authorization", "Bearer " + token)
    for k, v in (headers or {}).items(): r.add_header(k, v)
    try:
        with urllib.request.urlopen(r, timeout=60) as resp: return resp.status, resp.read()
    except urllib.error.HTTPError as e: return e.code, e.read()

def login(base):
    body = json.dumps({"name": "bench", "password": "bench-password-1", "email": "b@example.com", "type": "user", "roles": []}).encode()
    st, out = req("PUT", base + "-/user/org.couchdb.user:bench", body)
    return json.loads(out)["token"]

def cpu_seconds(pid):
    f = open(f"/proc/{pid}/stat").read().split(")")[-1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")

def rss_mb(pid, field="VmRSS"):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(field + ":"): return int(line.split()[1]) / 1024
    return 0

def rss(pid):
    """VmRSS with its split: anonymous memory (the process's own) and
    file-backed pages (mostly the mapped executable, shared page cache)."""
    return f"{rss_mb(pid):.0f} ({rss_mb(pid, 'RssAnon'):.0f} anon + {rss_mb(pid, 'RssFile'):.0f} file)"

def percentile_ms(out, pct):
    m = re.search(pct + r"%\s+([\d.]+)(us|ms|s)", out)
    return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]

def wrk(url, secs, headers, args=("-t2", "-c50")):
    cmd = ["wrk", *args, f"-d{secs}s", "--latency"]
    for k, v in headers.items(): cmd += ["-H", f"{k}: {v}"]
    out = subprocess.run(cmd + [url], capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, percentile_ms(out, "50"), percentile_ms(out, "99"), total, int(errors.group(1)) if errors else 0

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--secs", type=int, default=10)
    ap.add_argument("--target", action="append")
    ap.add_argument("--idle", type=int, default=25, help="seconds of silence before an idle RSS reading")
    ap.add_argument("--bounded-lua", help="wrk script whose delay() bounds each connection's request rate")
    a = ap.parse_args()
    targets = []
    for t in a.target:
        name, rest = t.split("=", 1)
        url, pid = rest.rsplit(":", 1)
        targets.append((name, url, int(pid)))
    rows = {}
    for name, base, pid in targets:
        r = rows.setdefault(name, {})
        r["idle RSS MB after start-up"] = rss(pid)
        tok = login(base)
        req("PUT", base + "bench-small", publish_body("bench-small", "1.0.0"), tok)
        t0 = time.monotonic()
        for i in range(50):
            st, out = req("PUT", base + "bench-seq", publish_body("bench-seq", f"1.0.{i}"), tok)
            assert st in (200, 201), (name, st, out)
        r["50 sequential publishes s"] = f"{time.monotonic() - t0:.2f}"
        for i in range(50, 100):
            req("PUT", base + "bench-seq", publish_body("bench-seq", f"1.0.{i}"), tok)
        with concurrent.futures.ThreadPoolExecutor(20) as ex:
            statuses = list(ex.map(lambda i: req("PUT", base + "bench-race", publish_body("bench-race", f"1.0.{i}"), tok)[0], range(20)))
        accepted = sum(1 for st in statuses if st in (200, 201))
        st, doc = req("GET", base + "bench-race", headers={"accept": "application/json"})
        kept = len(json.loads(doc).get("versions", {}))
        r["20 concurrent publishes: accepted / kept"] = f"{accepted} / {kept}"
        corgi = {"accept": "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*"}
        full = {"accept": "application/json"}
        cases = [("full packument, 1 version", "bench-small", full), ("full packument, 100 versions", "bench-seq", full),
                 ("abbreviated, 100 versions", "bench-seq", corgi), ("full 100 versions + gzip", "bench-seq", {**full, "accept-encoding": "gzip"}),
                 ("tarball", "bench-seq/-/bench-seq-1.0.7.tgz", {})]
        for label, path, hdr in cases:
            c0 = cpu_seconds(pid)
            rps, p50, p99, total, errs = wrk(base + path, a.secs, hdr)
            cpu = (cpu_seconds(pid) - c0) / max(total, 1) * 1e6
            r[label] = f"{rps:,.0f} req/s · p99 {p99:.1f} ms · {cpu:.0f} µs CPU/req" + (f" · {errs} errors" if errs else "")
        if a.bounded_lua:
            # Bounded load: 8 connections, each waiting between requests
            # (wrk's delay()), so latency is measured below saturation.
            for label, hdr in (("bounded -c8, full 100 versions", full), ("bounded -c8, abbreviated 100 versions", corgi)):
                rps, p50, p99, total, errs = wrk(base + "bench-seq", a.secs, hdr, ("-t1", "-c8", "-s", a.bounded_lua))
                r[label] = f"{rps:,.0f} req/s · p50 {p50:.2f} ms · p99 {p99:.2f} ms" + (f" · {errs} errors" if errs else "")
        r["RSS under load MB"] = rss(pid)
        time.sleep(a.idle)
        r[f"RSS after {a.idle} s idle MB"] = rss(pid)
    names = [t[0] for t in targets]
    print("| measure | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for key in rows[names[0]]:
        print(f"| {key} | " + " | ".join(rows[n].get(key, "-") for n in names) + " |")

main()
