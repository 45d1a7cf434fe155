#!/usr/bin/env python3
"""Interleaved install A/B between gnode binaries and bun.

    bench/install_ab.py ROUNDS FIXTURE cold|warm|hot name=gnode:/path/to/gnode name2=bun:/path/to/bun ...

Each round runs every lane once (the order rotates), on a fixture of
bench/fixtures, in work folders on tmpfs (/dev/shm/ab, or AB_DIR): cold
starts from an empty cache and no lockfile, warm keeps cache and lockfile
and drops node_modules, hot changes nothing. Prints each round (wall, CPU
of the process and its children, peak RSS, exit code) and per lane the
median and minimum wall, median CPU and RSS. Old folders are moved to a
trash folder and deleted before the next timed run.

Run it under `chrt -f 10` on a busy machine, one such run at a time: two
real-time Go processes can livelock the cores, and about one gnode run in
ten under SCHED_FIFO takes seconds while Go's background sweeper yields
in a loop to a thread the FIFO policy never lets run (medians absorb it;
means and maximums do not).

Copy every binary (gnode's and bun's) with `cp` right before a run: a file
the Go linker just wrote sits in the page cache in small folios and runs a
warm express-app install ~1 ms slower than a copy of the same bytes
(kernel 6.18; pages also drift back to small folios over an hour)."""
import os, sys, json, time, shutil, subprocess, statistics
rounds=int(sys.argv[1]); fixture=sys.argv[2]; scen=sys.argv[3]
lanes=[a.split('=',1) for a in sys.argv[4:]]
here=os.path.dirname(os.path.abspath(__file__))
fixdir=os.path.join(here,'fixtures',fixture)
base=os.environ.get('AB_DIR','/dev/shm/ab')
trash=base+'/trash'; os.makedirs(trash,exist_ok=True)
def aside(p):
    if os.path.exists(p): os.rename(p, f"{trash}/{time.time_ns()}")
def cmd(kind,binp,cache):
    if kind=='gnode': return ['env',f'GNODE_CACHE_DIR={cache}',binp,'install','--ignore-scripts']
    if kind=='bun': return ['env',f'BUN_INSTALL_CACHE_DIR={cache}',binp,'install','--ignore-scripts']
res={n:[] for n,_ in lanes}
def run(name,spec,final):
    kind,binp=spec.split(':',1)
    d=f"{base}/{name}/dir"; c=f"{base}/{name}/cache"
    fresh=scen=='cold' or not os.path.exists(d+'/package.json')
    if not fresh and open(d+'/package.json','rb').read()!=open(fixdir+'/package.json','rb').read():
        fresh=True  # another fixture's folder from an earlier run
    if fresh:
        aside(d); aside(c); os.makedirs(d); os.makedirs(c)
        shutil.copy(fixdir+'/package.json', d)
        if scen!='cold':
            subprocess.run(cmd(kind,binp,c),cwd=d,stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL)
    if scen=='warm': aside(d+'/node_modules')
    # The previous run's folders go before the clock starts: left until the
    # end they filled tmpfs, and every later run wrote into fresh pages
    # (CPU rose from 1.3 to 2.0-2.4 s per cold install for every lane).
    shutil.rmtree(trash, ignore_errors=True); os.makedirs(trash,exist_ok=True)
    t=time.monotonic()
    p=subprocess.Popen(cmd(kind,binp,c),cwd=d,stdout=subprocess.DEVNULL,stderr=open(d+'/../err','w'))
    _,st,ru=os.wait4(p.pid,0); w=time.monotonic()-t
    r=(w, ru.ru_utime+ru.ru_stime, ru.ru_maxrss/1024, os.waitstatus_to_exitcode(st))
    if final: res[name].append(r)
    return r
for i in range(rounds):
    order=lanes[i%len(lanes):]+lanes[:i%len(lanes)]
    line=[]
    for n,s in order:
        r=run(n,s,True); line.append(f"{n} {r[0]:.4f}s cpu {r[1]:.4f} rss {r[2]:.0f} rc {r[3]}")
    print(f"round {i+1} load {os.getloadavg()[0]:.1f}: "+' | '.join(line), flush=True)
for n,_ in lanes:
    rs=res[n]
    print(f"{n}: median wall {statistics.median(r[0] for r in rs):.4f} min {min(r[0] for r in rs):.4f} cpu {statistics.median(r[1] for r in rs):.4f} min {min(r[1] for r in rs):.4f} rss {statistics.median(r[2] for r in rs):.0f}")
shutil.rmtree(trash, ignore_errors=True)
