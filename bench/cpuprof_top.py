#!/usr/bin/env python3
# bench/cpuprof_top.py FILE [N [REQUESTS]]: checks a .cpuprofile's invariants (as DevTools needs them) and prints
# self and total time per function and per package (DevTools' attribution: a sample owns
# the time until the next one). Times in % of the sampled time and µs per request if REQS given.
import json, sys, collections, re, os
d = json.load(open(sys.argv[1]))
N = int(sys.argv[2]) if len(sys.argv) > 2 else 40
reqs = int(sys.argv[3]) if len(sys.argv) > 3 else 0
nodes = {n['id']: n for n in d['nodes']}
assert len(nodes) == len(d['nodes']), 'duplicate ids'
parent = {}
for n in d['nodes']:
    for c in n.get('children', []):
        assert c in nodes, f'child {c} missing'
        assert c not in parent, f'{c} has two parents'
        parent[c] = n['id']
roots = [i for i in nodes if i not in parent]
assert len(roots) == 1 and nodes[roots[0]]['callFrame']['functionName'] == '(root)', roots
assert len(d['samples']) == len(d['timeDeltas'])
for s in d['samples']: assert s in nodes
assert all(t >= 0 for t in d['timeDeltas'])
hits = collections.Counter(d['samples'])
for i, n in nodes.items(): assert n['hitCount'] == hits.get(i, 0), (i, n['hitCount'], hits.get(i))
assert d['startTime'] <= d['endTime']
ts = []; t = d['startTime']
for dt in d['timeDeltas']: t += dt; ts.append(t)
dur = [(ts[i+1] if i+1 < len(ts) else d['endTime']) - ts[i] for i in range(len(ts))]
def pkg(u):
    if u.startswith('node:'): return 'gnode lib'
    if u == '': return 'native'
    m = re.search(r'node_modules/((?:@[^/]+/)?[^/]+)/', u)
    if m: return m.group(1)
    return 'app'
def short(u):
    m = re.search(r'node_modules/((?:@[^/]+/)?[^/]+/.*)$', u)
    if m: return m.group(1)
    return u.replace('file://', '')
def key(n):
    f = n['callFrame']
    return (f['functionName'] or '(anonymous)', f['url'], f['lineNumber'] + 1 if f['lineNumber'] >= 0 else 0)
selft = collections.Counter(); total = collections.Counter(); pself = collections.Counter(); ptotal = collections.Counter()
startup = 0
def under_main(s):
    i = s
    while i is not None:
        f = nodes[i]['callFrame']
        if f['functionName'] == 'runMain' and f['url'].startswith('node:'): return True
        i = parent.get(i)
    return False
for s, du in zip(d['samples'], dur):
    if not os.environ.get('KEEPMAIN') and under_main(s):  # the main script's first run (require, compile): not a request
        startup += du; continue
    k = key(nodes[s]); selft[k] += du; pself[pkg(k[1]) if k[1] or not k[0].startswith('(') else k[0]] += du
    seen = set(); pseen = set(); i = s
    while i is not None:
        k = key(nodes[i])
        if k not in seen: total[k] += du; seen.add(k)
        p = pkg(k[1])
        if k[1] and p not in pseen: ptotal[p] += du; pseen.add(p)
        i = parent.get(i)
alltime = sum(dur) - startup
print(f'start-up (main script, excluded): {startup/1e3:.0f} ms')
print(f'checked: {len(nodes)} nodes, {len(d["samples"])} samples, {alltime/1e3:.0f} ms sampled of {(d["endTime"]-d["startTime"])/1e3:.0f} ms profiled')
def fmt(v):
    s = f'{v/alltime*100:6.2f}%'
    if reqs: s += f' {v/reqs:7.1f}µs/req'
    return s
print(f'--- by package (self; total = time with any function of the package on the stack)')
for p, v in pself.most_common():
    print(f'{fmt(v)}  self  {p:22s} total {ptotal.get(p,0)/alltime*100:6.2f}%')
for title, c in (('self', selft), ('total', total)):
    print(f'--- top {N} functions by {title} time')
    for k, v in c.most_common(N):
        loc = f'{short(k[1])}:{k[2]}' if k[1] else ''
        print(f'{fmt(v)}  {pkg(k[1]) if k[1] else "native":14s} {k[0]:32s} {loc}')
if os.environ.get('BYPKG'):
    print(f'--- the top {N} by self time and the top {N} by total time, grouped by package (self | total per request)')
    top = set(k for k, _ in selft.most_common(N)) | set(k for k, _ in total.most_common(N))
    groups = collections.defaultdict(list)
    for k in top:
        groups[pkg(k[1]) if k[1] else 'native / pseudo'].append(k)
    for g in sorted(groups, key=lambda g: -sum(selft[k] for k in groups[g])):
        print(f'[{g}]')
        for k in sorted(groups[g], key=lambda k: -selft[k]):
            loc = f'{short(k[1])}:{k[2]}' if k[1] else ''
            a = f'{selft[k]/reqs:6.1f}' if reqs else f'{selft[k]/alltime*100:5.2f}%'
            b = f'{total[k]/reqs:6.1f}' if reqs else f'{total[k]/alltime*100:5.2f}%'
            print(f'  {a} | {b}  {k[0]:30s} {loc}')
