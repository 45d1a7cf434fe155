'use strict';
// Differential test of lib/string_decoder.js against node's: random byte
// streams (rich in multi-byte and invalid UTF-8) cut into random chunks,
// per-chunk outputs and the decoder's lastNeed/lastTotal compared.
const t = require('../t.js');
const { rng } = require('./rand.js');
const rand = rng(777);

const encs = ['utf8', 'utf-8', 'utf16le', 'ucs2', 'base64', 'base64url', 'hex', 'latin1', 'ascii', 'binary', undefined];
const interesting = [0x41, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0xed, 0xa0, 0xbd, 0xd8, 0x3d,
  0xde, 0x00, 0xff, 0xc0, 0x80, 0xbf, 0xf4, 0x90, 0xe0, 0xf8];

for (let i = 0; i < 4000; i++) {
  const enc = rand.pick(encs);
  const n = rand.int(14);
  const bytes = [];
  for (let j = 0; j < n; j++) bytes.push(rand() < 0.8 ? rand.pick(interesting) : rand.int(256));
  const cuts = [];
  let p = 0;
  while (p < n) {
    const c = 1 + rand.int(4);
    cuts.push(bytes.slice(p, p + c));
    p += c;
  }
  const endArg = rand() < 0.3 ? [0xe2, 0x82] : undefined;
  t.diff(`${enc} ${JSON.stringify(cuts)} end(${endArg})`, 'string_decoder', (m) => {
    const d = new m.StringDecoder(enc);
    const out = [];
    for (const c of cuts) out.push(d.write(Buffer.from(c)), d.lastNeed, d.lastTotal);
    out.push(d.end(endArg && Buffer.from(endArg)), d.lastNeed);
    return out;
  });
}
t.diff('text()', 'string_decoder', (m) => {
  const d = new m.StringDecoder('utf8');
  return [d.write(Buffer.from([0xe2])), d.text(Buffer.from('héllo'), 2), d.end()];
});
t.diff('lastChar', 'string_decoder', (m) => {
  const d = new m.StringDecoder('utf8');
  d.write(Buffer.from([0xf0, 0x9f]));
  return [d.lastChar.length, d.lastChar[0], d.lastChar[1], d.lastNeed, d.lastTotal];
});
for (const e of ['nope', 'UTF8', 'Hex', 1, null, '']) {
  t.diff(`new ${e}`, 'string_decoder', (m) => new m.StringDecoder(e).encoding);
}
for (const a of ['str', 5, null, {}, new Uint16Array([0x41, 0x42]), new DataView(new Uint8Array([0x61]).buffer)]) {
  t.diff(`write ${typeof a}`, 'string_decoder', (m) => new m.StringDecoder('utf8').write(a));
}
t.diff('keys', 'string_decoder', (m) => Object.keys(new m.StringDecoder('utf8')));
