'use strict';
// Differential test of lib/zlib.js against node's zlib: option validation,
// argument types, error shapes, round trips in the sync, callback and
// stream forms, and stream bookkeeping. Compressed bytes are never
// compared (gnode's encoders differ from Node's); decompressed ones are.
const t = require('../t.js');
const { rng } = require('../b/rand.js');
const rand = rng(99);

const oddValues = () => [undefined, null, 0, 1, -1, 7, 8, 15, 16, 64, 63, 1e9, 'x', '9', true, {}, [], NaN, Infinity, 1.5, () => {}];
const oddName = (v) => (typeof v === 'function' ? 'fn' : Object.prototype.toString.call(v) + String(v));
const odd = oddValues();
const optNames = ['level', 'windowBits', 'memLevel', 'strategy', 'chunkSize', 'flush', 'finishFlush', 'dictionary', 'info'];
// maxOutputLength limits the output, so it is tried where the output is the
// same in both (decompression; compressed sizes differ).
odd.forEach((v, i) => {
  t.diff(`inflateSync maxOutputLength=${oddName(v)}`, 'zlib', (m) => m.inflateSync(m.deflateSync('hello hello hello hello'), { maxOutputLength: oddValues()[i] }).toString());
});
for (const name of optNames) {
  odd.forEach((v, i) => {
    t.diff(`deflateSync ${name}=${oddName(v)}`, 'zlib', (m) => {
      const z = m.deflateSync('hello hello', { [name]: oddValues()[i] });
      const b = Buffer.isBuffer(z) || z instanceof Uint8Array ? z : z.buffer;
      return m.inflateSync(b, name === 'dictionary' ? { dictionary: oddValues()[i] } : undefined).toString();
    });
  });
}
for (const name of ['chunkSize', 'flush', 'finishFlush', 'maxOutputLength']) {
  odd.forEach((v, i) => {
    t.diff(`brotliCompressSync ${name}=${oddName(v)}`, 'zlib', (m) => m.brotliDecompressSync(m.brotliCompressSync('hi', { [name]: oddValues()[i] })).toString());
  });
}
odd.forEach((v, i) => {
  t.diff(`brotli param quality=${oddName(v)}`, 'zlib', (m) => m.brotliDecompressSync(m.brotliCompressSync('hi', { params: { [m.constants.BROTLI_PARAM_QUALITY]: oddValues()[i] } })).toString());
  t.diff(`gzipSync input ${oddName(v)}`, 'zlib', (m) => m.gunzipSync(m.gzipSync(oddValues()[i])).toString());
  t.diff(`gzip callback ${oddName(v)}`, 'zlib', (m) => m.gzip('x', {}, oddValues()[i]));
  t.diff(`crc32 ${oddName(v)}`, 'zlib', (m) => m.crc32(oddValues()[i]));
  t.diff(`crc32 value ${oddName(v)}`, 'zlib', (m) => m.crc32('abc', oddValues()[i]));
  t.diff(`createGzip ${oddName(v)}`, 'zlib', (m) => { const g = m.createGzip(oddValues()[i]); return [g._level, g._chunkSize, g._defaultFlushFlag, g._finishFlushFlag]; });
});
t.diff('brotli bad param key', 'zlib', (m) => m.brotliCompressSync('x', { params: { 100: 1 } }));
t.diff('brotli params not object', 'zlib', (m) => m.brotliCompressSync('x', { params: 5 }));

const methods = [['deflateSync', 'inflateSync'], ['gzipSync', 'gunzipSync'], ['deflateRawSync', 'inflateRawSync'],
  ['brotliCompressSync', 'brotliDecompressSync'], ['gzipSync', 'unzipSync'], ['deflateSync', 'unzipSync']];
for (let i = 0; i < 60; i++) {
  const [c, d] = rand.pick(methods);
  const n = rand.pick([0, 1, 10, 100, 5000, 70000]);
  const data = Buffer.alloc(n);
  for (let j = 0; j < n; j++) data[j] = rand() < 0.7 ? 97 + rand.int(3) : rand.int(256);
  const level = rand.pick([undefined, 0, 1, 6, 9]);
  t.diff(`roundtrip ${c} ${n} ${level}`, 'zlib', (m) => m[d](m[c](data, c.startsWith('brotli') ? {} : { level })).equals(data));
}
for (const g of ['garbage', '', '1f', '1f8b', '789c', 'ffffff', '1f8b0800000000000003']) {
  for (const d of ['inflateSync', 'gunzipSync', 'unzipSync', 'inflateRawSync', 'brotliDecompressSync']) {
    t.diff(`${d} ${g}`, 'zlib', (m) => m[d](Buffer.from(g === 'garbage' ? Buffer.from(g).toString('hex') : g, 'hex')));
  }
}
t.diff('constants', 'zlib', (m) => m.constants);
t.diff('codes', 'zlib', (m) => m.codes);
t.diff('keys', 'zlib', (m) => Object.keys(m).sort());
t.diff('class names', 'zlib', (m) => ['Gzip', 'Gunzip', 'Deflate', 'Inflate', 'DeflateRaw', 'InflateRaw', 'Unzip', 'BrotliCompress', 'BrotliDecompress'].map((n) => [m[n].name, typeof m[`create${n}`], m[`create${n}`].name]));
t.diff('function names', 'zlib', (m) => ['gzip', 'gzipSync', 'inflateRaw', 'brotliCompressSync'].map((n) => m[n].name));

(async () => {
  // bytesWritten counts input: compared only where the input is the same
  // in both (compressors), not for inflating each side's own output.
  const streamCase = (label, make, counts = false) => t.diffAsync(label, 'zlib', (m) => new Promise((resolve, reject) => {
    const events = [];
    const parts = [];
    const s = make(m, events);
    s.on('data', (c) => parts.push(c));
    s.on('error', (e) => { events.push('error'); resolve([events, e]); });
    s.on('finish', () => events.push('finish'));
    s.on('end', () => events.push('end'));
    s.on('close', () => { events.push('close'); resolve(counts ? [events, s.bytesWritten] : [events, Buffer.concat(parts).toString('latin1').length]); });
    void reject;
  }));
  await streamCase('inflate stream', (m) => { const s = m.createInflate(); s.end(m.deflateSync('abc'.repeat(1000))); return s; });
  await streamCase('gunzip stream chunks', (m) => {
    const s = m.createGunzip({ chunkSize: 64 });
    const z = m.gzipSync('hello world '.repeat(50));
    for (let i = 0; i < z.length; i += 7) s.write(z.subarray(i, i + 7));
    s.end();
    return s;
  });
  await streamCase('gunzip stream error', (m) => { const s = m.createGunzip(); s.end(Buffer.from('nope nope')); return s; });
  await streamCase('gzip stream bytesWritten', (m) => { const s = m.createGzip(); s.write('abc'); s.end('defgh'); return s; }, true);
  await streamCase('inflate truncated', (m) => { const s = m.createInflate(); s.end(m.deflateSync('abcdef'.repeat(100)).subarray(0, 10)); return s; });
  await streamCase('deflate then inflate', (m) => { const s = m.createDeflate(); const i = m.createInflate(); s.pipe(i); s.end('piped text'); return i; });
  await t.diffAsync('gunzip callback', 'zlib', (m) => new Promise((res) => m.gunzip(m.gzipSync('cb'), (e, b) => res([e, b && b.toString()]))));
  await t.diffAsync('gunzip callback error', 'zlib', (m) => new Promise((res) => m.gunzip(Buffer.from('x'), (e, b) => res([e, b]))));
  await t.diffAsync('inflate info', 'zlib', (m) => new Promise((res) => m.deflate('x', { info: true }, (e, r) => res([e, Object.keys(r)]))));
  await t.diffAsync('flush', 'zlib', (m) => new Promise((res) => {
    const d = m.createDeflate();
    const parts = [];
    d.on('data', (c) => parts.push(c));
    d.write('some text');
    d.flush(() => res(m.inflateSync(Buffer.concat(parts), { finishFlush: m.constants.Z_SYNC_FLUSH }).toString()));
  }));
  await t.diffAsync('close callback', 'zlib', (m) => new Promise((res) => { const d = m.createGzip(); d.close(() => res(['closed', d.destroyed])); }));
  asyncDone = true;
})();
// A stream case that never settles would end the process early and quietly.
let asyncDone = false;
process.on('exit', () => {
  if (!asyncDone) {
    console.log('FAIL zlib.test.js: async cases did not all settle');
    process.exitCode = 1;
  }
});
