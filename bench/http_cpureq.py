#!/usr/bin/env python3
"""Server CPU per request of bench/http_express.js, lanes interleaved.

    bench/http_cpureq.py ROUNDS PATH SECS lane ...     (lane: name=ENV:BINARY)

e.g. `bench/http_cpureq.py 8 /json 4 base=:/tmp/old/gnode new=:/tmp/new/gnode node=:node`
or `gcoff=GOGC=off:/tmp/new/gnode` (ENV: comma-separated K=V). DEPS is a
folder where express is installed (default /tmp/http-cpureq/deps, made with
`gnode install` or npm when missing; GNODE_FOR_INSTALL picks the binary).
Each run starts the server on a free port, warms it up for 1 s, then
drives PATH with `wrk -t1 -c50 -dSECS --latency` and reads the server's
CPU time from /proc/PID/stat before and after: prints CPU µs per request,
requests/s, p99 and peak RSS per lane and round, then medians.
APP=bench/http_hello.js (any server script reading PORT) drives that app
instead of bench/http_express.js; a lane's ENV may set APP too. A lane's
BINARY may carry arguments before the script (`w2=:/tmp/new/gnode run
--workers 2`); CPU is summed over the server's process tree (node's
cluster workers included) and WRK_THREADS=2 loads it with wrk -t2."""
import os, sys, subprocess, time, re, socket, statistics
here=os.path.dirname(os.path.abspath(__file__))
deps=os.environ.get('DEPS','/tmp/http-cpureq/deps')
static=os.path.join(os.path.dirname(deps),'static')
def setup():
    if os.path.isdir(os.path.join(deps,'node_modules','express')): return
    os.makedirs(deps,exist_ok=True); os.makedirs(static,exist_ok=True)
    open(os.path.join(deps,'package.json'),'w').write('{"name":"http-cpureq","version":"1.0.0","private":true,"dependencies":{"express":"^4.21.0"}}')
    g=os.environ.get('GNODE_FOR_INSTALL')
    cmd=[g,'install'] if g else ['npm','install','--no-audit','--no-fund','--loglevel=error']
    subprocess.run(cmd,cwd=deps,check=True,stdout=subprocess.DEVNULL)
    line='<p>gnode serves this static page from express.static for bench/http.sh.</p>\n'
    open(os.path.join(static,'page.html'),'w').write(('<!doctype html>\n<title>bench</title>\n'+line*60)[:4096])
setup()
rounds=int(sys.argv[1]); path=sys.argv[2]; secs=sys.argv[3]
lanes=[]
for a in sys.argv[4:]:
    n,rest=a.split('=',1); env,binp=rest.rsplit(':',1); lanes.append((n,env,binp))
def freeport():
    s=socket.socket(); s.bind(('127.0.0.1',0)); p=s.getsockname()[1]; s.close(); return p
def tree(pid):
    out=[pid]
    for t in os.listdir(f'/proc/{pid}/task'):
        try: kids=open(f'/proc/{pid}/task/{t}/children').read().split()
        except OSError: kids=[]
        for k in kids: out+=tree(int(k))
    return out
def cpu(pid):
    tot=0
    for q in tree(pid):
        try: f=open(f'/proc/{q}/stat').read().rsplit(')',1)[1].split()
        except OSError: continue
        tot+=int(f[11])+int(f[12])
    return tot/os.sysconf('SC_CLK_TCK')
wt=os.environ.get('WRK_THREADS','1')
res={n:[] for n,_,_ in lanes}
for r in range(rounds):
    order=lanes[r%len(lanes):]+lanes[:r%len(lanes)]
    out=[]
    for n,env,binp in order:
        port=freeport(); e=dict(os.environ, PORT=str(port), STATIC_DIR=static, BENCH_DEPS=deps)
        for kv in filter(None, env.split(',')):
            k,v=kv.split('=',1); e[k]=v
        app=e.get('APP') or os.path.join(here,'http_express.js')
        p=subprocess.Popen(binp.split()+[app],env=e,stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL)
        for _ in range(100):
            try: socket.create_connection(('127.0.0.1',port)).close(); break
            except OSError: time.sleep(0.05)
        subprocess.run(['wrk','-t'+wt,'-c50','-d1s',f'http://127.0.0.1:{port}{path}'],capture_output=True)
        c0=cpu(p.pid)
        w=subprocess.run(['wrk','-t'+wt,'-c50',f'-d{secs}s','--latency',f'http://127.0.0.1:{port}{path}'],capture_output=True,text=True).stdout
        c1=cpu(p.pid); m=re.search(r"VmHWM:\s+(\d+)",open(f"/proc/{p.pid}/status").read()); rss=int(m.group(1))//1024 if m else -1
        p.terminate(); p.wait()
        reqs=int(re.search(r'(\d+) requests in',w).group(1)); rps=float(re.search(r'Requests/sec:\s+([\d.]+)',w).group(1))
        p99=re.search(r'99%\s+(\S+)',w).group(1)
        us=(c1-c0)/reqs*1e6; res[n].append((us,rps))
        out.append(f"{n} {us:.1f}us/req {rps:.0f}rps p99 {p99} rss {rss}")
    print(f"round {r+1} load {os.getloadavg()[0]:.1f}: "+' | '.join(out),flush=True)
for n,_,_ in lanes:
    print(f"{n}: median cpu/req {statistics.median(x[0] for x in res[n]):.1f} us, min {min(x[0] for x in res[n]):.1f}, median rps {statistics.median(x[1] for x in res[n]):.0f}")
