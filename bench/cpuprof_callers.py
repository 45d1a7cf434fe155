#!/usr/bin/env python3
# bench/cpuprof_callers.py FILE NAME [DEPTH]: self time of functions named NAME split by their caller chain (DEPTH frames up)
import json, sys, collections, re
d = json.load(open(sys.argv[1])); name = sys.argv[2]; depth = int(sys.argv[3]) if len(sys.argv) > 3 else 2
nodes = {n['id']: n for n in d['nodes']}; parent = {}
for n in d['nodes']:
    for c in n.get('children', []): parent[c] = n['id']
ts = []; t = d['startTime']
for dt in d['timeDeltas']: t += dt; ts.append(t)
dur = [(ts[i+1] if i+1 < len(ts) else d['endTime']) - ts[i] for i in range(len(ts))]
def lab(i):
    f = nodes[i]['callFrame']; u = f['url']
    m = re.search(r'node_modules/(.*)$', u); u = m.group(1) if m else u.replace('file://','')
    return f"{f['functionName'] or '(anon)'}@{u}:{f['lineNumber']+1}" if u else f['functionName']
c = collections.Counter(); tot = 0; alltime = sum(dur)
for s, du in zip(d['samples'], dur):
    if nodes[s]['callFrame']['functionName'] != name: continue
    chain = []; i = parent.get(s)
    while i is not None and len(chain) < depth: chain.append(lab(i)); i = parent.get(i)
    c[' <- '.join(chain)] += du; tot += du
print(f'{name}: {tot/alltime*100:.2f}% self')
for k, v in c.most_common(15): print(f'  {v/alltime*100:5.2f}%  {k}')
