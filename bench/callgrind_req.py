#!/usr/bin/env python3
"""Instructions per request of a gnode server, counted by callgrind
(load-independent, unlike CPU time on a shared machine).

    bench/callgrind_req.py N PATH lane ...     (lane: name=BINARY)

e.g. `bench/callgrind_req.py 300 /static/page.html base=/tmp/old/gnode new=/tmp/new/gnode`.
Each lane starts bench/http_express.js (APP=... another server script
reading PORT) under `valgrind --tool=callgrind` with
GODEBUG=asyncpreemptoff=1, sends 50 warm-up requests on one keep-alive
connection, zeroes the counters (callgrind_control -z), sends N more
requests, dumps (callgrind_control -d) and prints the instructions per
request of that window. Express comes from DEPS (default
/tmp/http-cpureq/deps, as bench/http_cpureq.py makes it)."""
import os, sys, subprocess, time, socket, http.client, tempfile, glob, re
here = os.path.dirname(os.path.abspath(__file__))
deps = os.environ.get('DEPS', '/tmp/http-cpureq/deps')
static = os.path.join(os.path.dirname(deps), 'static')
n = int(sys.argv[1]); path = sys.argv[2]
lanes = [a.split('=', 1) for a in sys.argv[3:]]
app = os.environ.get('APP') or os.path.join(here, 'http_express.js')

def freeport():
    s = socket.socket(); s.bind(('127.0.0.1', 0)); p = s.getsockname()[1]; s.close(); return p

def requests(port, k):
    c = http.client.HTTPConnection('127.0.0.1', port, timeout=120)
    for _ in range(k):
        c.request('GET', path); r = c.getresponse(); r.read()
        if r.status != 200: sys.exit(f'status {r.status} for {path}')
    c.close()

for name, binp in lanes:
    d = tempfile.mkdtemp(prefix='cgreq.')
    port = freeport()
    env = dict(os.environ, PORT=str(port), STATIC_DIR=static, BENCH_DEPS=deps, GODEBUG='asyncpreemptoff=1')
    p = subprocess.Popen(['valgrind', '--tool=callgrind', f'--callgrind-out-file={d}/cg.out', binp, app],
                         env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(1200):
        try: socket.create_connection(('127.0.0.1', port)).close(); break
        except OSError: time.sleep(0.1)
    requests(port, 50)
    subprocess.run(['callgrind_control', '-z', str(p.pid)], check=True, stdout=subprocess.DEVNULL)
    requests(port, n)
    subprocess.run(['callgrind_control', '-d', str(p.pid)], check=True, stdout=subprocess.DEVNULL)
    p.terminate(); p.wait()
    # The dump after -z holds exactly the N requests' window.
    dumps = sorted(f for f in glob.glob(d + '/cg.out*') if f != d + '/cg.out')
    ir = None
    for line in open(dumps[-1]):
        m = re.match(r'(?:summary|totals):\s+(\d+)', line)
        if m: ir = int(m.group(1))
    print(f'{name}: {ir / n:,.0f} instructions/request ({n} requests, {ir:,} Ir)', flush=True)
    subprocess.run(['rm', '-rf', d])
