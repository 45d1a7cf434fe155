// CPU micro-benchmarks run by bench/runtime.sh under node and gnode.
// Usage: micro.js [name]  — prints "name<TAB>milliseconds" per benchmark;
// micro.js --kinds prints "name<TAB>kind" (js or native) for each.
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
  // Many small Buffer operations on short strings and buffers (headers,
  // tokens, ids, binary protocol fields): where each JavaScript-to-Go
  // crossing and each interpreted wrapper counts, not the byte loops.
  bufsmall: {
    setup: () => Array.from({ length: 64 }, (_, i) => Buffer.from(`user:${i}:token-${'x'.repeat(i)}`)),
    run(parts) {
      const hdr = Buffer.alloc(16);
      let n = 0;
      for (let i = 0; i < 2e4; i++) {
        const b = parts[i & 63];
        const s = b.toString();
        n += Buffer.from(s).length + Buffer.byteLength(s);
        n += Buffer.from(b.toString('base64'), 'base64').length + b.toString('hex').length;
        n += b.subarray(2, 10).length + b.indexOf(':') + (b.equals(parts[(i + 1) & 63]) ? 1 : 0);
        hdr.writeUInt32LE(i, 0);
        hdr.writeUInt16BE(i & 0xffff, 4);
        n += hdr.readUInt32LE(0) + hdr.readUInt16BE(4) + Buffer.concat([b, hdr]).length;
      }
      return n;
    },
  },
  // 1 MB text through utf8 and latin1 both ways and TextEncoder/TextDecoder.
  bufconv: {
    setup: () => Buffer.from('héllo wörld, ✓ plain ascii text 😀 '.repeat(30000)),
    run(buf) {
      const te = new TextEncoder();
      const td = new TextDecoder();
      let n = 0;
      for (let i = 0; i < 10; i++) {
        const s = buf.toString();
        n += Buffer.from(s).length + Buffer.from(buf.toString('latin1'), 'latin1').length;
        n += te.encode(s).length + td.decode(buf).length;
      }
      return n;
    },
  },
  urlparse() {
    let n = 0;
    for (let i = 0; i < 2e4; i++) n += new URL('https://user:pw@example.com:8080/a/b/../c?x=' + i + '#frag').pathname.length;
    return n;
  },
  urllegacy() {
    const url = require('url');
    let n = 0;
    for (let i = 0; i < 2e4; i++) n += url.parse('https://user:pw@example.com:8080/a/b/../c?x=' + i + '#frag').pathname.length;
    return n;
  },
  qsparse() {
    const qs = require('querystring');
    let n = 0;
    for (let i = 0; i < 2e4; i++) n += Object.keys(qs.parse('a=1&b=hello%20world&c=' + i + '&d=x+y&e=%E2%82%AC')).length;
    return n;
  },
  qsstringify() {
    const qs = require('querystring');
    let n = 0;
    for (let i = 0; i < 2e4; i++) n += qs.stringify({ a: 1, b: 'hello world', c: i, d: ['x', 'y'], e: '€' }).length;
    return n;
  },
  // Reading a parsed URL's parts (each a getter).
  urlgetters() {
    const u = new URL('https://user:pw@example.com:8080/a/c?x=1#frag');
    let n = 0;
    for (let i = 0; i < 2e4; i++) {
      n += (u.protocol + u.host + u.hostname + u.port + u.pathname + u.search + u.hash + u.origin + u.username).length;
    }
    return n;
  },
  // JSON of a large document: stringify 200k records, parse the text back.
  // Building the records is interpreter work (the objects case measures
  // that), so setup does it outside the timed part.
  jsonbig: {
    setup: () => Array.from({ length: 2e5 }, (_, i) => ({ i, s: 'value' + i })),
    run(records) {
      const big = JSON.stringify(records);
      return JSON.parse(big).length;
    },
  },
  // Hashing and compression. setup() builds the inputs and loads the
  // modules outside the timed part (loading is start-up cost, measured by
  // the start-up cases), so the figure is the built-in's work alone.
  hash: {
    setup: () => ({ crypto: require('crypto'), buf: Buffer.from(textMB()) }),
    run({ crypto, buf }) {
      let n = 0;
      for (let i = 0; i < 10; i++) {
        for (const alg of ['sha256', 'sha1', 'md5']) n += crypto.createHash(alg).update(buf).digest().length;
      }
      return n;
    },
  },
  // Many digests of short strings: ETags, cache keys, content ids.
  hashsmall: {
    setup: () => require('crypto'),
    run(crypto) {
      let n = 0;
      for (let i = 0; i < 5e4; i++) {
        n += crypto.createHash('sha1').update('/static/app.' + i + '.js').digest('base64').length;
        n += crypto.createHash('md5').update('user:' + i).digest('hex').length;
      }
      return n;
    },
  },
  hmac: {
    setup: () => ({ crypto: require('crypto'), buf: Buffer.from(textMB()) }),
    run({ crypto, buf }) {
      let n = 0;
      // Cookie and token signatures: short messages under one key.
      for (let i = 0; i < 3e4; i++) n += crypto.createHmac('sha256', 'secret key').update('session=' + i).digest('base64url').length;
      for (let i = 0; i < 10; i++) n += crypto.createHmac('sha256', 'secret key').update(buf).digest().length;
      return n;
    },
  },
  gzip: {
    setup: () => ({ zlib: require('zlib'), buf: Buffer.from(textMB()) }),
    run({ zlib, buf }) {
      let n = 0;
      for (let i = 0; i < 3; i++) n += zlib.gunzipSync(zlib.gzipSync(buf)).length;
      return n;
    },
  },
  // Compression middleware: many small responses, each its own stream.
  gzipsmall: {
    setup: () => {
      const buf = Buffer.from(textMB());
      return { zlib: require('zlib'), parts: Array.from({ length: 64 }, (_, i) => buf.subarray(i * 8192, (i + 1) * 8192)) };
    },
    run({ zlib, parts }) {
      let n = 0;
      for (let i = 0; i < 1000; i++) n += zlib.gunzipSync(zlib.gzipSync(parts[i % parts.length])).length;
      return n;
    },
  },
  deflatestream: {
    setup: () => ({ zlib: require('zlib'), stream: require('stream'), buf: Buffer.from(textMB()) }),
    async run({ zlib, stream, buf }) {
      const { pipeline, Readable, Writable } = stream;
      let n = 0;
      for (let r = 0; r < 3; r++) {
        await new Promise((resolve, reject) => {
          const chunks = [];
          for (let i = 0; i < buf.length; i += 16384) chunks.push(buf.subarray(i, i + 16384));
          pipeline(Readable.from(chunks), zlib.createDeflate(), zlib.createInflate(),
            new Writable({ write(c, _e, cb) { n += c.length; cb(); } }),
            (err) => (err ? reject(err) : resolve()));
        });
      }
      return n;
    },
  },
  brotli: {
    setup: () => ({ zlib: require('zlib'), buf: Buffer.from(textMB()) }),
    run({ zlib, buf }) {
      // Quality 4, a common choice for compressing responses on the fly
      // (the default, 11, is meant for static assets compressed once).
      const opts = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } };
      let n = 0;
      for (let i = 0; i < 2; i++) n += zlib.brotliDecompressSync(zlib.brotliCompressSync(buf, opts)).length;
      return n;
    },
  },
  pbkdf2: {
    setup: () => require('crypto'),
    run(crypto) {
      let n = 0;
      for (let i = 0; i < 2; i++) {
        n += crypto.pbkdf2Sync('password' + i, 'salt', 1e5, 32, 'sha256').length;
        n += crypto.pbkdf2Sync('password' + i, 'salt', 5e4, 64, 'sha512').length;
      }
      return n;
    },
  },
  scrypt: {
    setup: () => require('crypto'),
    run(crypto) {
      let n = 0;
      for (let i = 0; i < 4; i++) n += crypto.scryptSync('password' + i, 'salt', 64).length;
      return n;
    },
  },
};

// The kind of each benchmark: 'native' where gnode does the work in Go
// (held to "within 2x of node"), 'js' for interpreted JavaScript. Printed
// by `micro.js --kinds`.
const native = new Set(['buffer', 'bufsmall', 'bufconv', 'urlparse', 'urllegacy', 'qsparse', 'jsonbig', 'hash', 'hashsmall', 'hmac', 'gzip', 'gzipsmall', 'deflatestream', 'brotli', 'pbkdf2', 'scrypt']);
for (const name of ['qsstringify', 'urlgetters']) native.add(name);

// textMB is about 1 MiB of JSON text like an API response: varied records
// from a fixed pseudo-random sequence, so it compresses as real text does
// (about 4-6x), not as a repeated string would.
function textMB() {
  let seed = 2463534242;
  const rnd = (n) => { // xorshift32
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet',
    'kilo', 'lima', 'mike', 'november', 'oscar', 'papa', 'quebec', 'romeo', 'sierra', 'tango', 'uniform',
    'victor', 'whiskey', 'xray', 'yankee', 'zulu', 'the', 'of', 'and', 'to', 'in', 'is', 'for', 'on'];
  const rows = [];
  let size = 0;
  for (let i = 0; size < 1 << 20; i++) {
    let text = '';
    for (let w = 3 + rnd(12); w > 0; w--) text += words[rnd(words.length)] + ' ';
    const row = JSON.stringify({ id: i, user: 'u' + rnd(100000), score: rnd(1e6) / 100, tags: [words[rnd(34)], words[rnd(34)]], text, ok: rnd(2) === 1 });
    rows.push(row);
    size += row.length + 1;
  }
  return '[' + rows.join(',') + ']';
}

(async () => {
  const only = process.argv[2];
  if (only === '--kinds') {
    for (const name of Object.keys(benches)) console.log(`${name}\t${native.has(name) ? 'native' : 'js'}`);
    return;
  }
  for (const [name, b] of Object.entries(benches)) {
    if (only && only !== name) continue;
    // A benchmark is a function, or {setup, run}: run(setup()) is timed.
    const input = typeof b === 'function' ? undefined : b.setup();
    const fn = typeof b === 'function' ? b : b.run;
    const t0 = performance.now();
    await fn(input);
    const ms = performance.now() - t0;
    console.log(`${name}\t${ms.toFixed(1)}`);
  }
})();
