package runtime

import (
	"os"
	"path/filepath"
	"testing"
)

// TestBufferFastDifferential runs bufferFastScript under node and gnode and
// compares every line. It drives the native Buffer methods
// (bind_buffer_fast.go) through every argument form they take and the
// forms they hand back to buffer.js (other encodings, strings and NaN as
// bounds, negative and fractional offsets, non-buffer arguments, a
// changed Buffer.poolSize, plain Uint8Arrays as this), so a wrong decision
// about which side handles a call shows up as a difference.
func TestBufferFastDifferential(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "buffer_fast.js")
	if err := os.WriteFile(script, []byte(bufferFastScript), 0o644); err != nil {
		t.Fatal(err)
	}
	diffAgainstNode(t, script, dir, 10000)
}

const bufferFastScript = `'use strict';
const show = (v) => {
  if (typeof v === 'string') return 'S' + JSON.stringify(v) + ':' + Array.from(v, (c) => c.codePointAt(0).toString(16)).join(',');
  if (v instanceof Uint8Array) {
    return (Buffer.isBuffer(v) ? 'B' : 'U') + v.length + ':' + Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex') +
      (Object.getPrototypeOf(v) === Buffer.prototype ? '' : ':proto');
  }
  if (v && typeof v === 'object') return JSON.stringify(v);
  return String(v);
};
const run = (label, f) => {
  let r;
  try { r = show(f()); } catch (e) { r = 'throws ' + (e.code || e.name) + ' ' + e.message; }
  console.log(label + ' => ' + r);
};
const bufs = {
  ascii: Buffer.from('hello, world! 123456'),
  mixed: Buffer.from('héllo wörld ✓ 😀'),
  invalid: Buffer.from([0x61, 0xff, 0xc3, 0x28, 0xe2, 0x82, 0x62, 0xf0, 0x9f, 0x98]),
  empty: Buffer.alloc(0),
  sub: Buffer.from('0123456789abcdef').subarray(3, 11),
  u8: new Uint8Array([104, 105, 0xe9, 0x80]),
};
const encs = [undefined, 'utf8', 'utf-8', 'hex', 'base64', 'base64url', 'latin1', 'binary', 'ascii', 'UTF8', 'ucs2', 'utf16le', '', 'bogus', null, 7];
const ranges = [[], [undefined, undefined], [0], [2], [2, 5], [-1, 3], [1.7, 4.2], [NaN, 3], [3, NaN], [5, 2],
  [100], [0, 100], ['1', '3'], [null, 3], [Infinity], [-Infinity, 2], [undefined, 4], [3, undefined], [0, -1], [-0, 2]];
// (Node's methods throw for a plain Uint8Array as this, where buffer.js's
// work: not compared here.)
for (const [name, b] of Object.entries(bufs)) {
  if (name === 'u8') continue;
  for (const e of encs) {
    for (const r of ranges) {
      run('toString ' + name + ' ' + String(e) + ' ' + JSON.stringify(r), () => Buffer.prototype.toString.call(b, e, ...r));
    }
  }
  run('toLocaleString ' + name, () => Buffer.prototype.toLocaleString.call(b));
  run('toString 4 args ' + name, () => Buffer.prototype.toString.call(b, 'hex', 1, 3, 'x'));
}
run('toString same fn', () => Buffer.prototype.toString === Buffer.prototype.toLocaleString);
run('names', () => [Buffer.prototype.toString, Buffer.prototype.write, Buffer.prototype.equals, Buffer.prototype.compare,
  Buffer.prototype.slice, Buffer.prototype.subarray, Buffer.from, Buffer.byteLength, Buffer.concat, Buffer.alloc,
  Buffer.allocUnsafe].map((f) => f.name + '/' + f.length).join(' '));

const strs = ['hi', 'héllo', '✓ snow', 'a\ud800b', '', '68656c6c6f', '6g', 'aGVsbG8=', 'aGVsbG8', 'a-_b', ' aGk= '];
const writeArgs = [[], [0], [3], [3, 2], [3, 100], [30], [-1], [1.5], ['hex'], ['latin1'], [0, 'hex'], [2, 'base64'],
  [1, 4, 'ascii'], [0, 3, 'utf8'], [undefined, 3], [undefined, undefined, 'hex'], [0, undefined, 'hex'], [0, '3'],
  ['1'], [null], [2, 3, 'bogus'], ['bogus'], [0, 0], [0, 8, 'base64url']];
for (const s of strs) {
  for (const a of writeArgs) {
    run('write ' + JSON.stringify(s) + ' ' + JSON.stringify(a), () => {
      const b = Buffer.alloc(10, 0x2e);
      const n = b.write(s, ...a);
      return n + ' ' + b.toString('hex');
    });
  }
}
run('write non-string', () => { try { Buffer.alloc(4).write(5); } catch (e) { return e.code; } });

for (const e of ['utf8', 'hex', 'base64', 'base64url', 'latin1', 'ascii']) {
  for (const [name, b] of Object.entries(bufs)) {
    if (name === 'u8') continue;
    for (const r of [[], [0], [1], [1, 3], [0, b.length], [2, 1], [b.length], [b.length, b.length]]) {
      // (Out of range, node's own methods and buffer.js's differ: not compared.)
      if (r.some((x) => x > b.length)) continue;
      run(e + 'Slice ' + name + ' ' + JSON.stringify(r), () => b[e + 'Slice'](...r));
    }
  }
  for (const s of strs) {
    for (const a of [[], [0], [2], [2, 3], [0, 10], [10], [3, 0], [4, 100]]) {
      run(e + 'Write ' + JSON.stringify(s) + ' ' + JSON.stringify(a), () => {
        const b = Buffer.alloc(10, 0x2e);
        return b[e + 'Write'](s, ...a) + ' ' + b.toString('hex');
      });
    }
  }
}

for (const [name, b] of Object.entries(bufs)) {
  if (name === 'u8') continue;
  for (const v of ['l', 'lo', 'wörld', '✓', '😀', 'zzz', '', 'a\ud800', 0x6c, 108.5, -148, 256 + 0x6c, 1e10, NaN, Buffer.from('ld'),
    new Uint8Array([0x6f]), new Uint8Array(0), new Uint16Array([0x6c6c]), null, {}]) {
    run('indexOf ' + name + ' ' + show(v), () => b.indexOf(v));
    run('includes ' + name + ' ' + show(v), () => b.includes(v));
    run('indexOf from ' + name + ' ' + show(v), () => b.indexOf(v, 2));
  }
}

const others = [bufs.ascii, Buffer.from('hello, world! 123456'), Buffer.from('hello'), new Uint8Array([1, 2]), new Uint16Array(2), 'str', null, {}, bufs.sub];
for (const o of others) {
  run('equals ' + show(o), () => bufs.ascii.equals(o));
  run('compare ' + show(o), () => bufs.ascii.compare(o));
  run('compare ranged ' + show(o), () => bufs.ascii.compare(o, 0, 2, 0, 2));
  run('compare undefined ' + show(o), () => bufs.ascii.compare(o, undefined));
  run('Buffer.compare ' + show(o), () => Buffer.compare(bufs.ascii, o));
}

const bounds = [[], [2], [2, 6], [0, 0], [6, 2], [-3], [-3, -1], [1.5, 4], ['2', 5], [NaN], [100], [2, 100],
  [undefined, 3], [2 ** 31], [2 ** 31 - 1], [null, 2], [0, -0], [3, 3]];
for (const [name, b] of Object.entries(bufs)) {
  if (name === 'u8') continue;
  for (const r of bounds) {
    for (const m of ['slice', 'subarray']) {
      run(m + ' ' + name + ' ' + JSON.stringify(r), () => {
        const v = Buffer.prototype[m].apply(b, r);
        return [show(v), v.byteOffset - b.byteOffset, v.buffer === b.buffer].join(' ');
      });
    }
  }
}

for (const s of strs) {
  for (const e of encs) {
    run('from ' + JSON.stringify(s) + ' ' + String(e), () => Buffer.from(s, e));
    run('byteLength ' + JSON.stringify(s) + ' ' + String(e), () => Buffer.byteLength(s, e));
  }
  run('from 3 args ' + JSON.stringify(s), () => Buffer.from(s, 'utf8', 2));
}
run('from long', () => Buffer.from('x'.repeat(5000)).length);
run('from long hex', () => Buffer.from('ab'.repeat(5000), 'hex').length);
run('from long base64', () => Buffer.from('QUJD'.repeat(3000), 'base64').length);
run('from non-string', () => Buffer.from([1, 2, 3]));
class Sub extends Uint8Array {}
const withValueOf = Buffer.from('vo');
withValueOf.valueOf = () => 'other';
const nullProto = new Uint8Array([1, 2]);
Object.setPrototypeOf(nullProto, null);
for (const v of [bufs.ascii, bufs.sub, bufs.u8, bufs.empty, new Sub([5, 6]), withValueOf, new Uint16Array([1, 2]), new DataView(new ArrayBuffer(2))]) {
  run('from view ' + show(v), () => Buffer.from(v));
  run('from view args ' + show(v), () => Buffer.from(v, 1, 1));
}
run('from null proto', () => { try { return Buffer.from(nullProto); } catch (e) { return e.code; } });
run('from copy is a copy', () => { const a = Buffer.from('abc'); const b = Buffer.from(a); b[0] = 0x7a; return a.toString() + b.toString(); });
run('from number', () => Buffer.from(5));
run('byteLength buffer', () => Buffer.byteLength(bufs.ascii));
run('byteLength number', () => Buffer.byteLength(5));
run('pooled', () => { const a = Buffer.from('abc'); const b = Buffer.from('def'); return [a.buffer === b.buffer, a.buffer.byteLength, b.byteOffset - a.byteOffset].join(' '); });

const lists = [[], [bufs.ascii], [bufs.ascii, bufs.sub], [bufs.empty], [bufs.u8, bufs.ascii], [bufs.ascii, 'x'], [null],
  [new Uint16Array(2)], Array(3).fill(bufs.sub)];
for (const l of lists) {
  run('concat ' + l.length, () => Buffer.concat(l));
  run('concat len ' + l.length, () => Buffer.concat(l, 5));
}
run('concat non-array', () => Buffer.concat('abc'));
run('concat proxy', () => Buffer.concat(new Proxy([bufs.ascii], {})));
run('concat array-like', () => Buffer.concat({ length: 1, 0: bufs.ascii }));
run('concat 100', () => Buffer.concat(Array(100).fill(bufs.sub)).length);
run('concat large', () => Buffer.concat([Buffer.alloc(5000, 1), Buffer.alloc(5000, 2)]).length);

for (const n of [0, 1, 16, 4095, 4096, 5000, -1, 1.5, '8', NaN, undefined, 2 ** 32 + 1]) {
  run('alloc ' + String(n), () => Buffer.alloc(n).length);
  run('allocUnsafe ' + String(n), () => Buffer.allocUnsafe(n).length);
}
run('alloc fill', () => Buffer.alloc(4, 'ab'));
run('alloc fill enc', () => Buffer.alloc(4, '6162', 'hex'));
run('alloc zero', () => Buffer.alloc(8));
run('allocUnsafe pooled', () => { const a = Buffer.allocUnsafe(10); const b = Buffer.allocUnsafe(10); return [a.buffer === b.buffer, b.byteOffset - a.byteOffset].join(' '); });

const types = ['UInt8', 'Int8', 'UInt16LE', 'UInt16BE', 'Int16LE', 'Int16BE', 'UInt32LE', 'UInt32BE', 'Int32LE', 'Int32BE',
  'FloatLE', 'FloatBE', 'DoubleLE', 'DoubleBE', 'Uint32LE', 'Uint16BE'];
const offsets = [undefined, 0, 1, 3, 4, 7, 8, 12, 15, 16, -1, -0, 1.5, '2', null, NaN, 2 ** 40];
const values = [0, 1, -1, 127, 128, 255, 256, -128, -129, 65535, 65536, -32768, 0x7fffffff, 0x80000000, 0xffffffff,
  2 ** 32, -(2 ** 31), -(2 ** 31) - 1, 1.5, -1.5, 200.7, NaN, Infinity, -0, Math.PI, 1e-40, '5', null, undefined, 5n];
const nb = Buffer.from(Array.from({ length: 16 }, (_, i) => i * 37 + 11));
for (const t of types) {
  for (const o of offsets) {
    run('read' + t + ' ' + String(o), () => nb['read' + t](o));
    for (const v of values) {
      run('write' + t + ' ' + String(v) + ' ' + String(o), () => {
        const b = Buffer.alloc(16);
        const r = o === undefined ? b['write' + t](v) : b['write' + t](v, o);
        return r + ' ' + b.toString('hex');
      });
    }
  }
  run('read' + t + ' no args on 2 bytes', () => Buffer.alloc(2)['read' + t]());
  run('read' + t + ' extra arg', () => nb['read' + t](0, 1));
}

Buffer.poolSize = 64;
run('small pool', () => { const a = Buffer.from('x'.repeat(40)); const b = Buffer.from('abc'); return [a.buffer.byteLength, b.buffer.byteLength, a.buffer === b.buffer].join(' '); });
run('small pool concat', () => Buffer.concat([Buffer.from('ab'), Buffer.from('cd')]).buffer.byteLength);
Buffer.poolSize = '8192';
run('string pool size', () => Buffer.from('abc').buffer.byteLength);
Buffer.poolSize = undefined;
run('no pool size', () => Buffer.from('abc').buffer.byteLength);
Buffer.poolSize = 8192;
run('detached pool', () => { const a = Buffer.from('abc'); structuredClone(a.buffer, { transfer: [a.buffer] }); const b = Buffer.from('def'); return [b.toString(), b.buffer.byteLength].join(' '); });
`
