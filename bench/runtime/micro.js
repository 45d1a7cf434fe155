// CPU micro-benchmarks run by bench/runtime.sh under node and gnode.
// Usage: micro.js [name]  — prints "name<TAB>milliseconds" per benchmark.
'use strict';
const benches = {
  calls() {
    function add(a, b) { return a + b; }
    let s = 0;
    for (let i = 0; i < 3e6; i++) s = add(s, i) | 0;
    return s;
  },
  json() {
    const doc = { users: [] };
    for (let i = 0; i < 2000; i++) doc.users.push({ id: i, name: 'user' + i, tags: ['a', 'b', 'c'], active: i % 2 === 0, score: i * 1.5 });
    let n = 0;
    for (let i = 0; i < 10; i++) n += JSON.parse(JSON.stringify(doc)).users.length;
    return n;
  },
  regex() {
    const re = /([a-z]+)@([a-z]+)\.(com|org)/g;
    const text = 'mail alice@example.com and bob@test.org now '.repeat(2000);
    let n = 0;
    for (let i = 0; i < 5; i++) for (const m of text.matchAll(re)) n += m[1].length;
    return n;
  },
  strings() {
    let s = '';
    for (let i = 0; i < 2e5; i++) s += String.fromCharCode(97 + (i % 26));
    return s.length + s.split('a').length + s.toUpperCase().indexOf('Z');
  },
  mapset() {
    const m = new Map();
    const st = new Set();
    for (let i = 0; i < 2e5; i++) { m.set('k' + i, i); st.add(i * 7); }
    let n = 0;
    for (let i = 0; i < 2e5; i++) n += (m.get('k' + i) || 0) + (st.has(i) ? 1 : 0);
    return n;
  },
  typedarrays() {
    const a = new Float64Array(1e5);
    const b = new Uint8Array(1e5);
    let s = 0;
    for (let r = 0; r < 10; r++) for (let i = 0; i < a.length; i++) { a[i] = i * 0.5 + r; b[i] = i & 255; s += a[i] + b[i]; }
    return s;
  },
  promises() {
    // Measured synchronously up to the first await; the chain runs in the
    // microtask queue and the harness awaits it.
    let p = Promise.resolve(0);
    for (let i = 0; i < 1e5; i++) p = p.then((v) => v + 1);
    return p;
  },
  objects() {
    let arr = [];
    for (let i = 0; i < 3e5; i++) arr.push({ x: i, y: i * 2, z: String(i) });
    return arr.filter((o) => o.x % 3 === 0).map((o) => o.y).reduce((a, b) => a + b, 0);
  },
  // Native built-ins: what gnode implements in Go.
  buffer() {
    const buf = Buffer.alloc(1 << 20, 'abc');
    let n = 0;
    for (let i = 0; i < 20; i++) n += Buffer.from(buf.toString('base64'), 'base64').length + buf.toString('hex').length;
    return n;
  },
  urlparse() {
    let n = 0;
    for (let i = 0; i < 2e4; i++) n += new URL('https://user:pw@example.com:8080/a/b/../c?x=' + i + '#frag').pathname.length;
    return n;
  },
  jsonbig() {
    const big = JSON.stringify(Array.from({ length: 2e5 }, (_, i) => ({ i, s: 'value' + i })));
    return JSON.parse(big).length;
  },
};

(async () => {
  const only = process.argv[2];
  for (const [name, fn] of Object.entries(benches)) {
    if (only && only !== name) continue;
    const t0 = performance.now();
    await fn();
    const ms = performance.now() - t0;
    console.log(`${name}\t${ms.toFixed(1)}`);
  }
})();
