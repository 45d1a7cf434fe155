// querystring, URLSearchParams and WHATWG URL cases (issue 3: what gnode
// implements natively within 2x of node), measured in CPU time.
// Usage: urlqs.js [name] — prints "name<TAB>milliseconds" per case, the
// process's user+system CPU (process.cpuUsage) while the case ran: the
// machine these run on is shared, and wall time mostly measures waiting
// for a core. node's figure includes its compiler and GC threads.
// The output is micro.js's, so bench/runtime/compare.py can drive it
// (from a copy of compare.py next to a micro.js link to this file).
'use strict';
const qs = require('querystring');

const N = 2e4;
const cases = {
  // querystring.parse: escapes, '+', a number per iteration (micro.js's
  // qsparse).
  qsparse() {
    let n = 0;
    for (let i = 0; i < N; i++) n += Object.keys(qs.parse('a=1&b=hello%20world&c=' + i + '&d=x+y&e=%E2%82%AC')).length;
    return n;
  },
  // querystring.parse of a plain query (no '%' or '+'), values read.
  qsparseplain() {
    let n = 0;
    for (let i = 0; i < N; i++) {
      const q = qs.parse('id=' + i + '&name=foo&sort=asc&page=2&limit=50');
      n += q.id.length + q.name.length;
    }
    return n;
  },
  // querystring.parse with repeated keys (arrays).
  qsparsedup() {
    let n = 0;
    for (let i = 0; i < N; i++) {
      const q = qs.parse('tag=a&tag=b&id=' + i + '&tag=c%20d&x=1');
      n += q.tag.length + q.id.length;
    }
    return n;
  },
  // querystring.parse with custom separators and maxKeys.
  qsparseopts() {
    let n = 0;
    for (let i = 0; i < N; i++) {
      const q = qs.parse('a:1;b:hello%20world;c:' + i + ';d:x+y', ';', ':', { maxKeys: 10 });
      n += q.c.length + q.b.length;
    }
    return n;
  },
  // querystring.stringify: numbers, a space, an array, non-ASCII.
  qsstringify() {
    let n = 0;
    for (let i = 0; i < N; i++) n += qs.stringify({ a: 1, b: 'hello world', c: i, d: ['x', 'y'], e: '€' }).length;
    return n;
  },
  // querystring.stringify of a plain object that needs no escaping.
  qsstringifyplain() {
    let n = 0;
    for (let i = 0; i < N; i++) n += qs.stringify({ id: i, name: 'foo', sort: 'asc', page: 2 }).length;
    return n;
  },
  // URLSearchParams from a string, one get.
  spget() {
    let n = 0;
    for (let i = 0; i < N; i++) n += new URLSearchParams('a=1&b=hello%20world&c=' + i).get('b').length;
    return n;
  },
  // URLSearchParams: construct, getAll, has, get of a missing name.
  splookup() {
    let n = 0;
    for (let i = 0; i < N; i++) {
      const sp = new URLSearchParams('?tag=a&tag=b&id=' + i + '&q=x+y');
      n += sp.getAll('tag').length + (sp.has('id') ? 1 : 0) + (sp.get('zz') === null ? 1 : 0) + sp.get('q').length;
    }
    return n;
  },
  // URLSearchParams: append, set, toString.
  spmodify() {
    let n = 0;
    for (let i = 0; i < N; i++) {
      const sp = new URLSearchParams('a=1&b=2');
      sp.append('c', 'x y' + i);
      sp.set('a', 'é');
      n += sp.toString().length;
    }
    return n;
  },
  // URLSearchParams: iteration with for...of and keys().
  spiterate() {
    let n = 0;
    for (let i = 0; i < N; i++) {
      const sp = new URLSearchParams('a=1&b=hello&c=' + i + '&d=4');
      for (const [k, v] of sp) n += k.length + v.length;
      for (const k of sp.keys()) n += k.length;
    }
    return n;
  },
  // URLSearchParams: sort and serialize.
  spsort() {
    let n = 0;
    for (let i = 0; i < N; i++) {
      const sp = new URLSearchParams('z=1&b=2&a=' + i + '&b=1&c=x');
      sp.sort();
      n += sp.toString().length;
    }
    return n;
  },
  // new URL and its pathname (micro.js's urlparse).
  urlnew() {
    let n = 0;
    for (let i = 0; i < N; i++) n += new URL('https://user:pw@example.com:8080/a/b/../c?x=' + i + '#frag').pathname.length;
    return n;
  },
  // The getters of one URL.
  urlgetters() {
    let n = 0;
    const u = new URL('https://user:pw@example.com:8080/a/c?x=1#frag');
    for (let i = 0; i < N; i++) {
      n += (u.protocol + u.host + u.hostname + u.port + u.pathname + u.search + u.hash + u.origin + u.username).length;
    }
    return n;
  },
  // href of a parsed URL, and searchParams.get.
  urlsearch() {
    let n = 0;
    for (let i = 0; i < N; i++) {
      const u = new URL('https://example.com/p?a=1&b=' + i);
      n += u.href.length + u.searchParams.get('b').length;
    }
    return n;
  },
};

for (const [name, fn] of Object.entries(cases)) {
  if (process.argv[2] && process.argv[2] !== name) continue;
  const t0 = process.cpuUsage();
  const r = fn();
  const t = process.cpuUsage(t0);
  if (r < 0) console.log(r);
  console.log(`${name}\t${((t.user + t.system) / 1000).toFixed(1)}`);
}
