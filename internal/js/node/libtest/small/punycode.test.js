'use strict';
// punycode against Node's deprecated module on fixed and generated inputs:
// encode/decode, toASCII/toUnicode, ucs2 helpers and the RangeErrors.
const t = require('../t.js');

let seed = 9001;
function rnd(n) {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
}

const pieces = ['a', 'Z', '0', '9', '-', '.', '@', '!', ' ', 'xn--', 'é', 'ñ', 'ü', '€', '☃', '⌘', '中', '文',
  '😀', '𝌆', '\ud800', '\udc00', '\u3002', '\uff0e', '\uff61', '\x7f', '\x80', 'ß', 'Ω'];
function gen() {
  let s = '';
  const n = rnd(10);
  for (let i = 0; i < n; i++) s += pieces[rnd(pieces.length)];
  return s;
}
// Punycode-looking strings: ASCII letters, digits and '-' in any order,
// which exercise every decode error path.
const asciiAlphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789----!~é';
function genAscii() {
  let s = '';
  const n = rnd(14);
  for (let i = 0; i < n; i++) s += asciiAlphabet[rnd(asciiAlphabet.length)];
  return s;
}

const fixedUnicode = ['', 'abc', 'mañana', 'bücher', '☃-⌘', 'ليهمابتكلموشعربي؟', '他们为什么不说中文',
  'Pročprostěnemluvíčesky', 'почемужеонинеговорятпорусски', ' ', '-', '--', 'a-', '-a', '😀😀', '\ud800',
  'mañana.com', 'user@mañana.com', 'a@b@ñ.com', 'ñ\u3002ü\uff0eé\uff61x', '\x7f', '\x7fé', 'xn--abc'];
const fixedPuny = ['', 'abc', 'maana-pta', 'bcher-kva', '--dqo34k', 'egbpdaj6bu4bxfgehfvwxn', 'ihqwcrb4cv8a8dqg056pqjye',
  '-', '--', 'a-', 'a-b', '99999999999a', 'zzzzzzzzzz', '!', 'a-!', 'é-a', 'ab-1', '-é', 'ls8h', 'xn--maana-pta',
  'xn--maana-pta.com', 'user@xn--maana-pta.com', 'XN--MAANA-PTA.com', 'xn--.x', 'xn--zz', 'a.xn--', 'xn--a-'];

const unicode = fixedUnicode.concat(Array.from({ length: 1500 }, gen));
const puny = fixedPuny.concat(Array.from({ length: 1500 }, genAscii));

t.diff('version', 'punycode', (p) => p.version);
t.diff('keys', 'punycode', (p) => Object.keys(p).sort().concat(Object.keys(p.ucs2).sort()));
for (const s of unicode) {
  t.diff('encode', 'punycode', (p) => p.encode(s), s);
  t.diff('toASCII', 'punycode', (p) => p.toASCII(s), s);
  t.diff('toUnicode', 'punycode', (p) => p.toUnicode(s), s);
  t.diff('ucs2.decode', 'punycode', (p) => p.ucs2.decode(s), s);
  t.diff('roundtrip', 'punycode', (p) => p.decode(p.encode(s)) === s, s);
}
for (const s of puny) {
  t.diff('decode', 'punycode', (p) => p.decode(s), s);
  t.diff('toUnicode puny', 'punycode', (p) => p.toUnicode(s), s);
  t.diff('toUnicode xn--', 'punycode', (p) => p.toUnicode('xn--' + s + '.example'), s);
}
const codePointLists = [[], [0x61], [0x1f600, 0x61], [0xd800], [0xd800, 0xdc00], [0x10ffff], [0x110000], [-1], [1.5]];
for (let i = 0; i < 200; i++) {
  const n = rnd(5);
  const l = [];
  for (let j = 0; j < n; j++) l.push(rnd(3) === 0 ? rnd(0x110000) : rnd(0x800));
  codePointLists.push(l);
}
for (const l of codePointLists) {
  t.diff('ucs2.encode', 'punycode', (p) => p.ucs2.encode(l), l);
}
