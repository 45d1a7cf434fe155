package runtime

import (
	"os"
	"path/filepath"
	"testing"
)

// TestBufferDifferential runs bufferDiffScript under the real node and
// under gnode and compares every line: Buffer.from/toString/write/
// byteLength in each encoding (invalid base64 with whitespace, missing
// padding and garbage, odd-length and non-hex text, invalid UTF-8, lone
// surrogates, short strings through the allocation pool and long ones
// over 4 KB), TextEncoder/TextDecoder, StringDecoder fed in pieces,
// indexOf/lastIndexOf/includes, equals/compare, slice/subarray, concat,
// and the fixed-width number readers and writers with bad offsets and
// out-of-range values.
func TestBufferDifferential(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "buffer_diff.js")
	if err := os.WriteFile(script, []byte(bufferDiffScript), 0o644); err != nil {
		t.Fatal(err)
	}
	diffAgainstNode(t, script, dir, 10000)
}

// bufferDiffScript prints one line per case: the call and what it returned
// (strings with their code units, buffers in hex, long values as a length
// and hash) or threw (code and message). Random inputs come from a fixed
// xorshift seed, so node and gnode see the same ones.
const bufferDiffScript = `'use strict';
// Prints one line per case: what Buffer/TextEncoder/TextDecoder/StringDecoder
// return (or throw) for a fixed set of tricky inputs plus seeded random ones.
const { StringDecoder } = require('string_decoder');
let seed = 12345;
const rnd = (n) => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) % n; };
const out = [];
const hash = (codes) => { let h = 2166136261; for (const c of codes) h = Math.imul(h ^ c, 16777619) >>> 0; return h.toString(16); };
const show = (v) => {
  if (typeof v === 'string' && v.length > 300) return 'S#' + v.length + ':' + hash(Array.from({ length: v.length }, (_, i) => v.charCodeAt(i)));
  if (v instanceof Uint8Array && v.length > 300) return 'B#' + v.length + ':' + hash(v);
  if (typeof v === 'string') return 'S' + JSON.stringify(v) + ':' + Array.from(v, (c) => c.charCodeAt(0).toString(16)).join(',');
  if (v instanceof Uint8Array) return (Buffer.isBuffer(v) ? 'B' : 'U') + Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
  return JSON.stringify(v);
};
function run(label, fn) {
  let r;
  try { r = show(fn()); } catch (e) { r = 'throw ' + (e.code || e.name) + ' ' + e.message.split('\n')[0]; }
  out.push(label + ' => ' + r);
}
const strs = ['', 'a', 'hello', 'Zm9v', 'Zm9vYg', 'Zm9vYg=', 'Zm9vYg==', 'Zm9vYmE=', ' Zm 9v\nYmFy ', 'Zm9v!!YmFy', 'Zm=9vYmFy',
  '====', 'Z', 'Zm', 'Zm9', '-_-_', '+/+/', 'a-b_c+d/', 'QUJD\r\nREVG', 'QUJD=REVG', 'QUJDREVG=QUJD', '\u0141\u0142QUJD', 'ąćęł',
  '0', '00', '0g', 'g0', 'abcdef0123', 'ABCDEF', '12zz34', 'zz12', '1', '123', '\u0130\u0131', 'aa\u0100bb',
  '\ud800', '\udc00', 'a\ud800b', '\ud83d\ude00', '\ude00\ud83d', 'é', 'ÿ\u0080', '✓ check', '😀😀😀', 'x'.repeat(300) + '\ud800',
  'é'.repeat(100), 'abc'.repeat(700) + '€', 'A'.repeat(4095) + 'é', 'QUJD'.repeat(500) + '\n' + 'QUJD'.repeat(10) + 'QQ'];
{
  // Long strings take other paths (engine strings over 4 KB, whole
  // 8-byte words, the pool bypassed).
  let w = '';
  for (let i = 0; i < 20000; i++) w += String.fromCharCode(rnd(5) === 0 ? 0xd800 + rnd(0x800) : rnd(4) === 0 ? rnd(0x10000) : rnd(0x100));
  let l = '';
  for (let i = 0; i < 20000; i++) l += String.fromCharCode(rnd(8) === 0 ? 0x80 + rnd(0x80) : 0x20 + rnd(0x5f));
  let b64 = '';
  for (let i = 0; i < 20000; i++) b64 += 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'[rnd(64)];
  strs.push(w, l, b64, b64 + '=', b64.slice(0, 9999) + '\n' + b64.slice(9999) + '==', b64.slice(0, 19998) + '!Q', 'ab'.repeat(10000) + 'zz' + 'cd'.repeat(10), 'x'.repeat(8191) + 'é');
}
for (let k = 0; k < 60; k++) {
  let s = '';
  const len = rnd(40);
  const pool = rnd(4);
  for (let i = 0; i < len; i++) {
    if (pool === 0) s += 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \n!'[rnd(71)];
    else if (pool === 1) s += '0123456789abcdefABCDEFxz'[rnd(24)];
    else if (pool === 2) s += String.fromCharCode(rnd(0x100));
    else s += String.fromCharCode(rnd(3) === 0 ? 0xd800 + rnd(0x800) : rnd(0x3000));
  }
  strs.push(s);
}
const encs = ['utf8', 'base64', 'base64url', 'hex', 'latin1', 'ascii', 'utf16le', 'binary', 'UTF-8', 'Hex'];
for (const s of strs) {
  for (const e of encs) {
    run('from ' + (show(s)) + ' ' + (e), () => Buffer.from(s, e));
    run('byteLength ' + (show(s)) + ' ' + (e), () => Buffer.byteLength(s, e));
    run('write ' + (show(s)) + ' ' + (e), () => { const b = Buffer.alloc(11, 0xaa); const n = b.write(s, 1, 7, e); return [n, b.toString('hex')]; });
  }
  run('te ' + (show(s)), () => new TextEncoder().encode(s));
  run('teInto ' + (show(s)), () => { const d = new Uint8Array(5); const r = new TextEncoder().encodeInto(s, d); return [r.read, r.written, Buffer.from(d).toString('hex')]; });
  run('indexOf ' + (show(s)), () => Buffer.from('xx hello é ✓ Zm9v 😀 ' + s + ' tail').indexOf(s));
  run('lastIndexOf ' + (show(s)), () => Buffer.from('Zm9v a hello Zm9v ' + s + ' a').lastIndexOf(s, 9));
  run('includes ' + (show(s)), () => Buffer.from('hello world').includes(s, 2));
}
const bufs = [[], [0], [0x41], [0xff], [0xc3], [0xc3, 0xa9], [0xe2, 0x9c], [0xe2, 0x9c, 0x93], [0xf0, 0x9f, 0x98], [0xf0, 0x9f, 0x98, 0x80],
  [0xed, 0xa0, 0x80], [0xc0, 0x80], [0xe0, 0x80, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf8], [0x80, 0x80], [0x61, 0xf0, 0x9f, 0x62],
  [0xef, 0xbb, 0xbf, 0x61], [0xfe, 0xff], [0xff, 0xfe, 0x41, 0x00], [0x3d, 0xd8, 0x00, 0xde], [0x00, 0xd8]];
for (let k = 0; k < 80; k++) {
  const len = rnd(24);
  const b = [];
  for (let i = 0; i < len; i++) b.push(rnd(3) === 0 ? 0x80 + rnd(0x80) : rnd(3) === 0 ? 0xc0 + rnd(0x40) : rnd(0x80));
  bufs.push(b);
}
{
  const big = [];
  for (let i = 0; i < 30000; i++) big.push(rnd(4) === 0 ? 0x80 + rnd(0x80) : rnd(6) === 0 ? 0xc0 + rnd(0x40) : rnd(0x80));
  bufs.push(big, Array.from({ length: 9000 }, (_, i) => 0x41 + (i % 26)));
}
for (const arr of bufs) {
  const b = Buffer.from(arr);
  for (const e of encs) {
    run('toString ' + (b.toString('hex')) + ' ' + (e), () => b.toString(e));
    run('toString ' + (b.toString('hex')) + ' ' + (e) + ' 1 -1', () => b.toString(e, 1, b.length - 1));
  }
  run('td ' + (b.toString('hex')), () => new TextDecoder().decode(b));
  run('tdfatal ' + (b.toString('hex')), () => new TextDecoder('utf-8', { fatal: true }).decode(b));
  run('td16 ' + (b.toString('hex')), () => new TextDecoder('utf-16le').decode(b));
  run('tdstream ' + (b.toString('hex')), () => { const d = new TextDecoder(); let s = ''; for (let i = 0; i < b.length; i++) s += d.decode(b.subarray(i, i + 1), { stream: true }); return s + d.decode(); });
  for (const e of ['utf8', 'utf16le', 'base64', 'base64url', 'hex', 'latin1']) {
    run('sd ' + (b.toString('hex')) + ' ' + (e), () => { const d = new StringDecoder(e); const parts = []; for (let i = 0; i < b.length; i += 1 + (i % 3)) parts.push(d.write(b.subarray(i, i + 1 + (i % 3)))); parts.push(d.end()); return parts.join('|'); });
  }
  run('isUtf8 ' + (b.toString('hex')), () => require('buffer').isUtf8(b));
  run('equals ' + (b.toString('hex')), () => [b.equals(Buffer.from(arr)), b.equals(Buffer.from([1, 2])), Buffer.compare(b, Buffer.from([0xc3])), b.compare(Buffer.from([0x41, 0]), 0, 1)]);
  run('slice ' + (b.toString('hex')), () => [b.slice(1, 3), b.subarray(-2), b.slice(-5, -1), b.subarray(2.7, 100), b.slice('1', '3'), b.subarray(NaN, 2)]);
  run('concat ' + (b.toString('hex')), () => [Buffer.concat([b, b]), Buffer.concat([b, Buffer.from([1])], 3), Buffer.concat([b], 40).length]);
  run('indexOfBuf ' + (b.toString('hex')), () => [b.indexOf(0xc3), b.indexOf(0x1c3), b.lastIndexOf(0x80), b.indexOf(b.subarray(1, 3)), b.indexOf('', 2), b.includes(Buffer.from([0x80, 0x80]))]);
}
// numbers
const nb = Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 0xff, 0xfe, 0x80, 0x7f]);
const offs = [0, 1, 4, 8, 9, 11, 12, -1, 1.5, NaN, '1', undefined, null, true, 2 ** 32, Infinity];
for (const m of ['readUInt8', 'readInt8', 'readUInt16LE', 'readUInt16BE', 'readInt16LE', 'readInt16BE', 'readUInt32LE', 'readUInt32BE',
  'readInt32LE', 'readInt32BE', 'readFloatLE', 'readFloatBE', 'readDoubleLE', 'readDoubleBE', 'readUint32LE', 'readBigUInt64LE']) {
  for (const o of offs) run((m) + ' ' + (String(o)), () => nb[m](o));
}
const vals = [0, 1, -1, 255, 256, -128, -129, 65535, 65536, -32768, 0xffffffff, 2 ** 32, -(2 ** 31), 2 ** 31, 1.5, -0.5, NaN, Infinity, '7', 3n, 1e20, -1e-300];
for (const m of ['writeUInt8', 'writeInt8', 'writeUInt16LE', 'writeUInt16BE', 'writeInt16LE', 'writeInt16BE', 'writeUInt32LE', 'writeUInt32BE',
  'writeInt32LE', 'writeInt32BE', 'writeFloatLE', 'writeFloatBE', 'writeDoubleLE', 'writeDoubleBE', 'writeUint16LE']) {
  for (const v of vals) {
    for (const o of [0, 3, 8, 10, 1.5, '1', undefined, -1]) {
      run((m) + ' ' + (String(v)) + ' ' + (String(o)), () => { const b = Buffer.alloc(12, 0x55); const r = b[m](v, o); return [r, b]; });
    }
  }
}
// Many short strings in a row walk the allocation pool over its edge.
run('pool', () => { const out = []; for (let i = 0; i < 3000; i++) { const b = Buffer.from('k' + i + 'é'.repeat(i % 7)); out.push(b.length, b[0], b[b.length - 1]); } return hash(out); });
run('lone surrogate needle', () => [Buffer.from([0x61, 0xed, 0xa0, 0x80, 0x62]).indexOf('\ud800'), Buffer.from([0x61, 0xed, 0xa0, 0x80, 0x62]).indexOf('a\ud800b'), Buffer.from('a\ud800b').indexOf('\ud800'), Buffer.from([0xed, 0xa0, 0x80]).lastIndexOf('\ud800', 2)]);
// Arguments that are not Uint8Arrays take the validating path.
for (const [label, other] of [['u16', new Uint16Array([1, 2])], ['u8c', new Uint8ClampedArray([1])], ['dv', new DataView(new ArrayBuffer(2))],
  ['obj', { length: 2 }], ['str', 'ab'], ['u8', new Uint8Array([0x61, 0x62])], ['null', null]]) {
  run('eq ' + label, () => Buffer.from('ab').equals(other));
  run('cmp ' + label, () => Buffer.compare(Buffer.from('ab'), other));
  run('cmp2 ' + label, () => Buffer.compare(other, Buffer.from('ab')));
  run('pcmp ' + label, () => Buffer.from('ab').compare(other));
  run('pcmp range ' + label, () => Buffer.from('ab').compare(other, 0, 1));
}
run('from views', () => { const u = new Uint8Array([1, 2, 3]); const v = new Uint8Array([9, 8]); v.valueOf = () => 'hi'; const w = Buffer.from('xyz'); const c = Buffer.from(w); c[0] = 0; return [Buffer.from(u), Buffer.from(v), Buffer.from(new Uint8Array(0)), w, c, Buffer.from(new Uint16Array([258, 3])), Buffer.from(u.subarray(1))]; });
run('indexOf views', () => { const b = Buffer.from('abcabc'); return [b.indexOf(new Uint8Array([98, 99])), b.indexOf(new Uint8Array(0)), Buffer.alloc(0).indexOf(new Uint8Array(0)), b.indexOf(Buffer.from('cab')), b.indexOf(new Uint8Array([120])), b.includes(Buffer.from('ca'))]; });
run('indexOf u16', () => Buffer.from('abc').indexOf(new Uint16Array([1])));
{
  const a = Buffer.from('abc'), b = new Uint8Array([1, 2]), e = Buffer.alloc(0);
  const lists = [[a, b], [a, e, b, a], [e], [a, [1, 2]], [a, 'str'], [a, new Uint16Array([1])], [null], [a, {}], [a, new Uint8ClampedArray([5])],
    new Proxy([a, b], {}), Array.from({ length: 40 }, (_, i) => Buffer.from('x' + i))];
  for (let k = 0; k < lists.length; k++) {
    for (const len of [undefined, 0, 2, 4, 100, -1, 1.5, '3']) {
      run('concat list' + k + ' ' + String(len), () => Buffer.concat(lists[k], len));
    }
  }
  run('concat big', () => Buffer.concat([Buffer.alloc(3 << 20, 'ab'), Buffer.from('tail')]));
}
run('equals call', () => Buffer.prototype.equals.call(new Uint8Array([1]), Buffer.from([1])));
run('names', () => ['readUInt32LE', 'writeUInt16BE', 'writeInt32LE', 'slice', 'subarray', 'toString', 'writeDoubleLE'].map((k) => Buffer.prototype[k].name));
process.stdout.write(out.join('\n') + '\n');
`
