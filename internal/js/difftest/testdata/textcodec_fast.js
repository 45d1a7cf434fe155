'use strict';
// TextDecoder/TextEncoder edge cases around the one-call fast paths: BOMs,
// fatal mode, streaming with split sequences, lone surrogates, encodeInto
// with small destinations, and the kinds of input views.

function hex(u8) {
  return Array.from(u8, (b) => b.toString(16).padStart(2, '0')).join(' ');
}
function show(s) {
  return JSON.stringify(s) + ' ' + Array.from(s, (c) => c.codePointAt(0).toString(16)).join(',');
}
function tryDecode(label, dec, input, opts) {
  try {
    console.log(label, show(opts === undefined ? dec.decode(input) : dec.decode(input, opts)));
  } catch (e) {
    console.log(label, 'throws', e.name, e.code, e.message);
  }
}

const u8 = (...b) => new Uint8Array(b);
const cases = [
  ['empty', u8()],
  ['ascii', u8(0x68, 0x69)],
  ['bom only', u8(0xef, 0xbb, 0xbf)],
  ['bom+text', u8(0xef, 0xbb, 0xbf, 0x61)],
  ['two boms', u8(0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x62)],
  ['partial bom', u8(0xef, 0xbb)],
  ['2-byte', u8(0xc3, 0xa9)],
  ['4-byte', u8(0xf0, 0x9f, 0x98, 0x80)],
  ['invalid ff', u8(0x61, 0xff, 0x62)],
  ['truncated 3', u8(0xe2, 0x82)],
  ['overlong', u8(0xc0, 0xaf)],
  ['surrogate bytes', u8(0xed, 0xa0, 0x80)],
  ['too big', u8(0xf4, 0x90, 0x80, 0x80)],
  ['bom then bad', u8(0xef, 0xbb, 0xbf, 0x80)],
  ['real fffd', u8(0xef, 0xbf, 0xbd)],
  ['fffd then bad', u8(0x61, 0xef, 0xbf, 0xbd, 0xc3)],
];
for (const opts of [undefined, { fatal: true }, { ignoreBOM: true }, { fatal: true, ignoreBOM: true }]) {
  const d = new TextDecoder('utf-8', opts);
  console.log('--- utf-8', JSON.stringify(opts), d.fatal, d.ignoreBOM);
  for (const [name, b] of cases) tryDecode(name, d, b);
  // The decoder is reusable after an error.
  tryDecode('after', d, u8(0xef, 0xbb, 0xbf, 0x7a));
}

// Input kinds: every view kind, ArrayBuffer, SharedArrayBuffer, Buffer,
// offset views, DataView.
{
  const d = new TextDecoder();
  const ab = new ArrayBuffer(8);
  new Uint8Array(ab).set([0xef, 0xbb, 0xbf, 0x41, 0x42, 0xc3, 0xa9, 0x43]);
  const sab = new SharedArrayBuffer(4);
  new Uint8Array(sab).set([0x73, 0x61, 0x62, 0xe2]);
  const inputs = [
    ['arraybuffer', ab],
    ['sharedarraybuffer', sab],
    ['shared view', new Uint8Array(sab, 1, 2)],
    ['offset u8', new Uint8Array(ab, 3, 4)],
    ['offset u8 bom', new Uint8Array(ab, 0, 5)],
    ['dataview', new DataView(ab, 3, 5)],
    ['dataview bom', new DataView(ab)],
    ['u16', new Uint16Array(ab, 2, 2)],
    ['i8', new Int8Array(ab)],
    ['clamped', new Uint8ClampedArray(ab)],
    ['f32', new Float32Array(ab, 4, 1)],
    ['buffer', Buffer.from('buf\u00e9')],
    ['buffer slice', Buffer.from('\ufeffxyz').subarray(0, 4)],
    ['undefined', undefined],
  ];
  for (const [name, v] of inputs) tryDecode(name, d, v);
  for (const bad of [null, 'str', 42, {}, [1, 2]]) tryDecode('bad ' + JSON.stringify(bad), d, bad);
  for (const o of ['x', 42, true]) tryDecode('primitive options ' + o, d, u8(0x61, 0xe2), o);
  const fnOpts = () => {};
  fnOpts.stream = true;
  tryDecode('function options', d, u8(0x61, 0xe2), fnOpts);
  tryDecode('after function options', d, u8(0x82, 0xac));
  tryDecode('null options', d, u8(0x61), null);
  // Options after a decoder has streamed, and for UTF-16: null does not
  // flush, primitives throw.
  for (const label of ['utf-8', 'utf-16le']) {
    const fresh = new TextDecoder(label);
    const one = label === 'utf-8' ? u8(0xe2) : u8(0x3d);
    const rest = label === 'utf-8' ? u8(0x82, 0xac) : u8(0xd8, 0x3d, 0xde);
    tryDecode(label + ' fresh null', fresh, one, null);
    tryDecode(label + ' fresh rest', fresh, rest);
    tryDecode(label + ' fresh primitive', fresh, u8(0x61, 0x00), 'x');
    const streamed = new TextDecoder(label);
    streamed.decode(u8(0x61, 0x00), { stream: true });
    streamed.decode();
    tryDecode(label + ' streamed primitive', streamed, u8(0x61, 0x00), 7);
    tryDecode(label + ' streamed null', streamed, one, null);
    tryDecode(label + ' streamed rest', streamed, rest);
    tryDecode(label + ' streamed end', streamed);
  }
  tryDecode('stream false', d, u8(0xef, 0xbb, 0xbf, 0x61), { stream: false });
  try {
    TextDecoder.prototype.decode.call({}, u8(0x61));
  } catch (e) {
    console.log('bad this', e.name, e.code);
  }
}

// Streaming: split multi-byte sequences and BOMs at every cut.
{
  const text = '\ufeffa\u00e9\u20ac\ud83d\ude00z\ufffd';
  const bytes = new TextEncoder().encode(text);
  for (const fatal of [false, true]) {
    for (let cut = 0; cut <= bytes.length; cut++) {
      const d = new TextDecoder('utf-8', { fatal });
      const a = d.decode(bytes.subarray(0, cut), { stream: true });
      const b = d.decode(bytes.subarray(cut));
      console.log('split', fatal, cut, show(a + '|' + b));
    }
  }
  // Byte by byte, then reuse with a BOM after a non-streaming end.
  const d = new TextDecoder();
  let s = '';
  for (const b of bytes) s += d.decode(u8(b), { stream: true });
  s += d.decode();
  console.log('bytewise', show(s));
  console.log('reuse', show(d.decode(u8(0xef, 0xbb, 0xbf, 0x71))));
  // A BOM seen while streaming is not stripped again by the final call.
  const d2 = new TextDecoder();
  console.log('bom stream', show(d2.decode(u8(0x61), { stream: true })), show(d2.decode(u8(0xef, 0xbb, 0xbf))));
  const d3 = new TextDecoder();
  console.log('bom first stream', show(d3.decode(u8(0xef, 0xbb), { stream: true })),
    show(d3.decode(u8(0xbf, 0x62))));
  // A truncated sequence at the end of the stream.
  const d4 = new TextDecoder();
  console.log('trunc end', show(d4.decode(u8(0x61, 0xf0, 0x9f), { stream: true })), show(d4.decode()));
  const d5 = new TextDecoder('utf-8', { fatal: true });
  d5.decode(u8(0xf0, 0x9f), { stream: true });
  tryDecode('fatal trunc end', d5, undefined);
  tryDecode('fatal after', d5, u8(0x6f, 0x6b));
  // Invalid continuation while streaming.
  const d6 = new TextDecoder();
  console.log('bad cont', show(d6.decode(u8(0xe2, 0x82), { stream: true })), show(d6.decode(u8(0x41))));
}

// UTF-16LE and latin1 labels (bytes 0x80..0x9f avoided in one-shot latin1
// decodes: node 20 differs there between one-shot and streaming).
{
  for (const label of ['utf-16le', 'utf-16']) {
    const d = new TextDecoder(label);
    console.log(label, d.encoding);
    tryDecode('bom', d, u8(0xff, 0xfe, 0x61, 0x00));
    tryDecode('lone lead', d, u8(0x3d, 0xd8, 0x61, 0x00));
    tryDecode('odd', d, u8(0x61, 0x00, 0x62));
    const parts = [u8(0xff), u8(0xfe, 0x3d), u8(0xd8, 0x00), u8(0xde, 0x41, 0x00)];
    let s = '';
    for (const p of parts) s += d.decode(p, { stream: true });
    s += d.decode();
    console.log('stream', show(s));
    const f = new TextDecoder(label, { fatal: true });
    tryDecode('fatal lone', f, u8(0x00, 0xdc));
    tryDecode('fatal odd', f, u8(0x61));
  }
  for (const label of ['latin1', 'ascii', 'windows-1252']) {
    const d = new TextDecoder(label);
    tryDecode(label, d, u8(0x41, 0xe9, 0xff, 0xa0));
  }
}

// TextEncoder: lone surrogates, pairs, encodeInto with small destinations.
{
  const te = new TextEncoder();
  const strs = ['', 'abc', '\u00e9', '\u20ac', '\ud83d\ude00', '\ud800', '\udc00', 'a\ud800b', '\ude00\ud83d',
    'x'.repeat(300) + '\u00e9', 'mixed \u00e9\u20ac\ud83d\ude00 end'];
  for (const s of strs) {
    const e = te.encode(s);
    console.log('encode', JSON.stringify(s).slice(0, 20), e.length, e.buffer.byteLength, hex(e.subarray(0, 16)));
  }
  console.log('encode undefined', hex(te.encode()), 'number', hex(te.encode(12)), 'obj', hex(te.encode({})));
  for (const s of strs) {
    for (const size of [0, 1, 2, 3, 4, 5, 7, 64]) {
      const dest = new Uint8Array(size).fill(0xaa);
      const r = te.encodeInto(s, dest);
      console.log('into', JSON.stringify(s).slice(0, 20), size, r.read, r.written, hex(dest.subarray(0, 8)));
    }
  }
  const buf = new ArrayBuffer(10);
  const off = new Uint8Array(buf, 3, 4);
  console.log('into offset', JSON.stringify(te.encodeInto('h\u00e9llo', off)), hex(new Uint8Array(buf)));
  const shared = new Uint8Array(new SharedArrayBuffer(6));
  console.log('into shared', JSON.stringify(te.encodeInto('\u20acab', shared)), hex(shared));
  console.log('into buffer', JSON.stringify(te.encodeInto('xyz', Buffer.alloc(2))));
  for (const bad of [new Uint16Array(4), new DataView(new ArrayBuffer(4)), [], undefined]) {
    try {
      te.encodeInto('a', bad);
      console.log('into accepted', Object.prototype.toString.call(bad));
    } catch (e) {
      console.log('into rejects', Object.prototype.toString.call(bad), e.name, e.code);
    }
  }
}
