'use strict';
// Differential round trips for node:zlib, run under node and under gnode by
// cross_test.go. Compressed bytes differ between the two (different deflate
// and brotli encoders), so what is compared is that each runtime reads what
// the other wrote, in every form, and that behaviour (errors, options,
// crc32, stream bookkeeping) prints the same.
//
//   cross.js compress IN OUT     compress every file of IN, every method,
//                                form and option set, into OUT
//   cross.js decompress IN OUT   decompress every file of OUT (written by
//                                the other runtime) and print "label\tok"
//                                when it equals its input
//   cross.js print IN OUT        deterministic behaviour, including reading
//                                OUT's compressed files made by node

const zlib = require('zlib');
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const out = [];
function line(label, value) { out.push(`${label}\t${value}`); }
function show(v) {
  if (Buffer.isBuffer(v)) return `buf:${v.length}:${crypto.createHash('sha256').update(v).digest('hex').slice(0, 16)}`;
  if (v instanceof Error) return `err:${v.name}|${v.code}|${v.errno}|${v.message}`;
  return `${typeof v}:${JSON.stringify(v)}`;
}
function tryShow(f) {
  try { return show(f()); } catch (e) { return show(e); }
}

function rng(seed) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
  next.int = (n) => Math.floor(next() * n);
  return next;
}

const { constants: C } = zlib;
// method → [compress name, decompress names, option sets]
const methods = {
  gzip: ['gzip', ['gunzip', 'unzip'], [{}, { level: 1 }, { level: 9 }, { level: 0 }, { strategy: C.Z_HUFFMAN_ONLY }, { chunkSize: 64 }, { level: 7 }]],
  deflate: ['deflate', ['inflate', 'unzip'], [{}, { level: 1 }, { level: 9, memLevel: 9 }, { dictionary: Buffer.from('hello world the quick brown fox') },
    { level: 4 }, { level: 6 }, { level: 8 }, { strategy: C.Z_RLE }, { strategy: C.Z_FIXED }]],
  deflateRaw: ['deflateRaw', ['inflateRaw'], [{}, { level: 2 }, { windowBits: 15 }, { dictionary: Buffer.from('"id":,"user":"text":') }, { level: 5, strategy: C.Z_FILTERED }]],
  brotli: ['brotliCompress', ['brotliDecompress'], [{}, { params: { [C.BROTLI_PARAM_QUALITY]: 4 } }, { params: { [C.BROTLI_PARAM_QUALITY]: 11, [C.BROTLI_PARAM_LGWIN]: 18 } }]],
};
const forms = ['sync', 'cb', 'stream'];
const cap = (s) => s[0].toUpperCase() + s.slice(1);

function viaStream(name, input, opts, r) {
  return new Promise((resolve, reject) => {
    const s = zlib[`create${cap(name)}`](opts);
    const chunks = [];
    s.on('data', (c) => chunks.push(c));
    s.on('error', reject);
    s.on('end', () => resolve(Buffer.concat(chunks)));
    let i = 0;
    const step = () => {
      if (i >= input.length) {
        s.end();
        return;
      }
      const n = 1 + r.int(Math.max(1, Math.min(input.length, 70000)));
      const piece = input.subarray(i, i + n);
      i += n;
      if (r() < 0.1 && !name.startsWith('brotli')) {
        s.write(piece);
        s.flush(C.Z_SYNC_FLUSH, step);
      } else if (s.write(piece)) {
        step();
      } else {
        s.once('drain', step);
      }
    };
    step();
  });
}

function run(name, form, input, opts, r) {
  if (form === 'sync') return Promise.resolve(zlib[`${name}Sync`](input, opts));
  if (form === 'cb') {
    return new Promise((resolve, reject) => zlib[name](input, opts, (e, b) => (e ? reject(e) : resolve(b))));
  }
  return viaStream(name, input, opts, r);
}

function inputs(dir) {
  return fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f))]);
}

async function compress(inDir, outDir) {
  const r = rng(7);
  for (const [file, data] of inputs(inDir)) {
    for (const [m, [cname, , optsets]] of Object.entries(methods)) {
      for (const form of forms) {
        for (let oi = 0; oi < optsets.length; oi++) {
          const z = await run(cname, form, data, optsets[oi], r);
          fs.writeFileSync(path.join(outDir, `${file}~${m}~${form}~${oi}`), z);
        }
      }
    }
  }
}

async function decompress(inDir, outDir) {
  const r = rng(11);
  const originals = new Map(inputs(inDir));
  for (const f of fs.readdirSync(outDir).sort()) {
    const [file, m, form, oi] = f.split('~');
    const z = fs.readFileSync(path.join(outDir, f));
    const [, dnames, optsets] = methods[m];
    const opts = optsets[Number(oi)].dictionary ? { dictionary: optsets[Number(oi)].dictionary } : {};
    for (const d of dnames) {
      for (const dform of forms) {
        const label = `${f} ${d} ${dform}`;
        try {
          const back = await run(d, dform, z, opts, r);
          line(label, back.equals(originals.get(file)) ? 'ok' : `differs (${back.length} vs ${originals.get(file).length} bytes)`);
        } catch (e) {
          line(label, show(e));
        }
      }
    }
  }
}

async function print(inDir, outDir) {
  const r = rng(3);
  // Node-made compressed files read by this runtime (print runs with OUT
  // holding node's output): results are compared across runtimes.
  let n = 0;
  for (const f of fs.readdirSync(outDir).sort()) {
    if (n++ % 7 !== 0) continue;
    const [, m, , oi] = f.split('~');
    const z = fs.readFileSync(path.join(outDir, f));
    const [, dnames, optsets] = methods[m];
    const opts = optsets[Number(oi)].dictionary ? { dictionary: optsets[Number(oi)].dictionary } : {};
    line(`read ${f}`, tryShow(() => zlib[`${dnames[0]}Sync`](z, opts)));
    if (z.length > 20) {
      line(`truncated ${f}`, tryShow(() => zlib[`${dnames[0]}Sync`](z.subarray(0, z.length - 9), opts)));
      const bad = Buffer.from(z);
      bad[Math.floor(bad.length / 2)] ^= 0xff;
      line(`corrupt-ok ${f}`, tryShow(() => { try { zlib[`${dnames[0]}Sync`](bad, opts); return 'no error'; } catch (e) { return e instanceof Error && typeof e.code === 'string'; } }));
    }
  }
  const garbage = [Buffer.from('garbage'), Buffer.alloc(0), Buffer.from([0x1f]), Buffer.from([0x78, 0x9c]), Buffer.from([0xff, 0xff, 0xff])];
  for (const g of garbage) {
    for (const d of ['inflate', 'gunzip', 'unzip', 'inflateRaw']) {
      line(`garbage ${g.toString('hex')} ${d}`, tryShow(() => zlib[`${d}Sync`](g)));
    }
  }
  line('brotli garbage', tryShow(() => zlib.brotliDecompressSync(Buffer.from('garbage'))));
  line('gunzip trailing garbage', tryShow(() => zlib.gunzipSync(Buffer.concat([zlib.gzipSync('hello'), Buffer.from('xx')]))));
  line('gunzip two members', tryShow(() => zlib.gunzipSync(Buffer.concat([zlib.gzipSync('hello'), zlib.gzipSync(' world')])).toString()));
  line('inflate trailing', tryShow(() => zlib.inflateSync(Buffer.concat([zlib.deflateSync('hello'), Buffer.from('xx')])).toString()));
  line('missing dictionary', tryShow(() => zlib.inflateSync(zlib.deflateSync('hi', { dictionary: Buffer.from('hi') }))));
  line('maxOutputLength', tryShow(() => zlib.inflateSync(zlib.deflateSync('hello'), { maxOutputLength: 2 })));
  line('info', tryShow(() => Object.keys(zlib.deflateSync('x', { info: true }))));
  for (const [k, v] of [['level', 10], ['level', -2], ['level', 'x'], ['windowBits', 7], ['windowBits', 16], ['chunkSize', 10], ['memLevel', 0], ['strategy', 5], ['flush', 9], ['finishFlush', -1], ['level', NaN], ['chunkSize', Infinity]]) {
    line(`opt ${k}=${v}`, tryShow(() => zlib.deflateSync('x', { [k]: v }).length > 0));
  }
  line('inflate windowBits 0', tryShow(() => zlib.inflateSync(zlib.deflateSync('abc'), { windowBits: 0 }).toString()));
  line('bad input type', tryShow(() => zlib.gzipSync(5)));
  line('bad options', tryShow(() => zlib.gunzipSync(zlib.gzipSync('x', 'y')).toString()));
  line('no callback', tryShow(() => zlib.gzip('x')));
  line('brotli bad param', tryShow(() => zlib.brotliCompressSync('x', { params: { 99: 1 } })));
  line('brotli bad quality', tryShow(() => zlib.brotliCompressSync('x', { params: { [C.BROTLI_PARAM_QUALITY]: 12 } })));
  line('inputs', tryShow(() => [
    zlib.inflateSync(zlib.deflateSync(new Uint16Array([1, 2, 3]))).length,
    zlib.inflateSync(zlib.deflateSync(new DataView(new ArrayBuffer(5)))).length,
    zlib.inflateSync(zlib.deflateSync(new ArrayBuffer(6))).length,
    zlib.gunzipSync(zlib.gzipSync('héllo')).toString(),
  ]));
  for (let i = 0; i < 30; i++) {
    const b = Buffer.alloc(r.int(300));
    for (let j = 0; j < b.length; j++) b[j] = r.int(256);
    const init = r() < 0.5 ? 0 : r.int(2 ** 32);
    line(`crc32 ${b.length} ${init}`, tryShow(() => zlib.crc32(b, init)));
  }
  line('crc32 string', tryShow(() => [zlib.crc32('hello'), zlib.crc32('héllo'), zlib.crc32('', 5)]));
  line('crc32 bad', tryShow(() => zlib.crc32(5)));
  line('crc32 bad value', tryShow(() => zlib.crc32('a', -1)));
  line('constants', tryShow(() => Object.keys(zlib.constants).length));
  line('constants sample', tryShow(() => [C.Z_BEST_COMPRESSION, C.BROTLI_PARAM_QUALITY, C.Z_MAX_CHUNK, C.GZIP]));
  line('codes', tryShow(() => zlib.codes));
  line('exports', tryShow(() => Object.keys(zlib).sort()));
  line('classes', tryShow(() => [zlib.createGzip() instanceof zlib.Gzip, zlib.Gzip() instanceof zlib.Gzip, typeof zlib.Gzip.prototype.flush, zlib.createGzip() instanceof require('stream').Transform]));
  const g = zlib.createGzip({ level: 3 });
  line('stream props', tryShow(() => [g._level, g._strategy, g._chunkSize, g.bytesWritten, g._defaultFlushFlag, g._finishFlushFlag, g._maxOutputLength]));
  await new Promise((resolve) => {
    const s = zlib.createDeflate();
    const seen = [];
    s.on('data', () => { if (!seen.includes('data')) seen.push('data'); });
    s.on('end', () => seen.push('end'));
    s.on('finish', () => seen.push('finish'));
    s.on('close', () => { seen.push('close'); line('stream events', JSON.stringify(seen) + ' ' + s.bytesWritten); resolve(); });
    s.write('abc');
    s.end('def');
  });
  await new Promise((resolve) => {
    const s = zlib.createGunzip();
    s.on('error', (e) => { line('stream error', show(e)); resolve(); });
    s.on('data', () => {});
    s.end(Buffer.from('not gzip data at all'));
  });
  await new Promise((resolve) => {
    const s = zlib.createInflate();
    const parts = [];
    s.on('data', (c) => parts.push(c));
    s.on('end', () => { line('stream chunkSize default', JSON.stringify([parts.length, Buffer.concat(parts).length])); resolve(); });
    s.end(zlib.deflateSync(Buffer.alloc(100000, 'a')));
  });
  await new Promise((resolve) => {
    const s = zlib.createInflate({ chunkSize: 1024 });
    const parts = [];
    s.on('data', (c) => parts.push(c.length));
    s.on('end', () => { line('stream chunkSize 1024', JSON.stringify([Math.max(...parts), parts.reduce((a, b) => a + b, 0)])); resolve(); });
    s.end(zlib.deflateSync(Buffer.alloc(50000, 'b')));
  });
  await new Promise((resolve) => {
    const d = zlib.createDeflate();
    const parts = [];
    d.on('data', (c) => parts.push(c));
    d.write('partial');
    d.flush(() => {
      line('flush makes readable prefix', tryShow(() => zlib.inflateSync(Buffer.concat(parts), { finishFlush: C.Z_SYNC_FLUSH }).toString()));
      d.close(() => { line('close callback', 'called'); resolve(); });
    });
  });
  await new Promise((resolve) => {
    zlib.gunzip(Buffer.from('nope'), (e) => { line('callback error', show(e)); resolve(); });
  });
  await new Promise((resolve) => {
    const { pipeline, Readable } = require('stream');
    const src = Readable.from([Buffer.from('a'.repeat(1000)), Buffer.from('b'.repeat(1000))]);
    const parts = [];
    pipeline(src, zlib.createGzip(), zlib.createGunzip(), async function* (s) { for await (const c of s) parts.push(c); }, (err) => {
      line('pipeline', err ? show(err) : Buffer.concat(parts).toString().length);
      resolve();
    });
  });
}

// lifecycle: streams closed or destroyed while a chunk is in work (a big
// chunk goes to the thread pool), and a decoder fed one byte at a time.
async function lifecycle() {
  // Encoders are reused between streams of one configuration: the header
  // and the output of a second stream must be a fresh stream's.
  line('gzip OS byte twice', tryShow(() => [zlib.gzipSync('a')[9], zlib.gzipSync('b')[9], zlib.gzipSync('c', { level: 1 })[9]]));
  const again = [];
  for (let i = 0; i < 3; i++) {
    for (const [c, d] of [['gzip', 'gunzip'], ['deflate', 'inflate'], ['deflateRaw', 'inflateRaw'], ['brotliCompress', 'brotliDecompress']]) {
      const text = Buffer.from(`round ${i} ${c} `.repeat(50 + i));
      again.push(zlib[`${d}Sync`](zlib[`${c}Sync`](text)).equals(text));
    }
  }
  line('encoders reused', again.join(','));
  const big = Buffer.alloc(400000);
  for (let i = 0; i < big.length; i++) big[i] = (i * 7919) % 251;
  const gz = zlib.gzipSync(big);
  for (const how of ['destroy', 'close']) {
    await new Promise((resolve) => {
      const s = zlib.createGunzip();
      let bytes = 0;
      s.on('data', (c) => { bytes += c.length; });
      s.on('error', (e) => line(`${how} mid-chunk error`, show(e)));
      s.on('close', () => { line(`${how} mid-chunk`, `closed ${bytes <= big.length}`); resolve(); });
      s.write(gz);
      s[how]();
    });
  }
  await new Promise((resolve) => {
    const s = zlib.createInflate();
    const parts = [];
    s.on('data', (c) => parts.push(c));
    s.on('end', () => { line('inflate byte by byte', show(Buffer.concat(parts))); resolve(); });
    const z = zlib.deflateSync(big.subarray(0, 20000));
    let i = 0;
    const step = () => {
      if (i >= z.length) { s.end(); return; }
      s.write(z.subarray(i, i + 1));
      i++;
      if (i % 500 === 0) setImmediate(step); else step();
    };
    step();
  });
  await new Promise((resolve) => {
    const s = zlib.createGunzip();
    const parts = [];
    s.on('data', (c) => parts.push(c));
    s.on('end', () => { line('gunzip big chunks', show(Buffer.concat(parts))); resolve(); });
    s.write(gz.subarray(0, 100000));
    s.write(gz.subarray(100000));
    s.end();
  });
}

async function main() {
  const [mode, inDir, outDir] = process.argv.slice(2);
  if (mode === 'compress') await compress(inDir, outDir);
  else if (mode === 'decompress') await decompress(inDir, outDir);
  else {
    await print(inDir, outDir);
    await lifecycle();
  }
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((e) => { console.error(e); process.exit(1); });
