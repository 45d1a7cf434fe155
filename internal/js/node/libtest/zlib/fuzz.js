'use strict';
// fuzz.js MODE FILE SEED: decodes FILE with zlib's MODE (inflate, gunzip,
// unzip, inflateRaw, brotliDecompress) once in one call and once as a
// stream fed in pieces whose sizes come from SEED, and prints both
// outcomes as JSON lines: {"ok":true,"length":...,"sha256":...} or
// {"ok":false,"code":...}.
// Run by fuzz_test.go, which wants the two to agree.
const zlib = require('zlib');
const fs = require('fs');

const [mode, file, seedArg] = process.argv.slice(2);
const data = fs.readFileSync(file);
let seed = Number(seedArg) >>> 0 || 1;
const next = () => {
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed;
};
const sha = (b) => require('crypto').createHash('sha256').update(b).digest('hex');
const outcome = (err, buf) => JSON.stringify(err ? { ok: false, code: err.code } : { ok: true, length: buf.length, sha256: sha(buf) });

let once;
try {
  once = outcome(null, zlib[`${mode}Sync`](data));
} catch (e) {
  once = outcome(e);
}
const s = zlib[`create${mode[0].toUpperCase()}${mode.slice(1)}`]();
const parts = [];
let done = false;
const finish = (err) => {
  if (done) return;
  done = true;
  console.log(once);
  console.log(err ? outcome(err) : outcome(null, Buffer.concat(parts)));
};
s.on('data', (c) => parts.push(c));
s.on('error', finish);
s.on('end', () => finish(null));
let i = 0;
while (i < data.length) {
  const n = 1 + (next() % 4 === 0 ? next() % 20000 : next() % 64);
  s.write(data.subarray(i, i + n));
  i += n;
}
s.end();
