'use strict';
// querystring against Node's on fixed and generated inputs.
const t = require('./t.js');

let seed = 4242;
function rnd(n) {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
}
const atoms = ['a', 'b', 'key', '=', '&', '==', '&&', '+', '%', '%2', '%20', '%41', '%zz', '%E2%82%AC',
  '%C3', '%FF', '%e9', 'é', '€', '😀', ';', ' ', '%2B', 'x%', '[]', 'a[b]', '__proto__', 'constructor',
  'hasOwnProperty', '%%', '%3D', '%26', '\ud800', '0', 'toString'];
function gen() {
  let s = '';
  const n = rnd(8);
  for (let i = 0; i < n; i++) s += atoms[rnd(atoms.length)];
  return s;
}

const fixed = ['', 'a', 'a=', '=a', 'a=b', 'a=b&c=d', 'a=1&a=2&a=3', 'a&b', '&&a=1&&', 'a=b=c', 'a+b=c+d',
  'a%20b=c%20d', 'a=%E2%82%AC', 'a=%zz', 'a=%', 'a=%2', '%=%', 'a[]=1&a[]=2', '__proto__=1',
  'toString=x', 'hasOwnProperty=1', 'a=%C3%A9&b=%C3', 'foo=bar&foo=baz&foo', 'a=b;c=d', 'a:b,c:d',
  '?a=b', '#a=b', 'a=b&', '&', '=', '==', '&=&', 'a=😀', 'a=%F0%9F%98%80', 'a=%ED%A0%80'];

const inputs = fixed.concat(Array.from({ length: 2000 }, gen));
for (const s of inputs) {
  t.diff('parse', 'querystring', (m) => ({ ...m.parse(s) }), s);
  t.diff('parse proto', 'querystring', (m) => Object.getPrototypeOf(m.parse(s)), s);
  t.diff('unescape', 'querystring', (m) => m.unescape(s), s);
  t.diff('unescape spaces', 'querystring', (m) => m.unescape(s, true), s);
  t.diff('escape', 'querystring', (m) => m.escape(s), s);
  const spaces = rnd(2) === 1; // drawn once: callbacks run once per module
  t.diff('unescapeBuffer', 'querystring', (m) => Array.from(m.unescapeBuffer(s, spaces)), s);
}
for (let i = 0; i < 300; i++) {
  const s = gen();
  t.diff('parse sep ;', 'querystring', (m) => ({ ...m.parse(s, ';', ':') }), s);
  t.diff('parse multi-char sep', 'querystring', (m) => ({ ...m.parse(s, '&&', '==') }), s);
  t.diff('parse maxKeys 2', 'querystring', (m) => ({ ...m.parse(s, null, null, { maxKeys: 2 }) }), s);
  t.diff('parse maxKeys 0', 'querystring', (m) => ({ ...m.parse(s, null, null, { maxKeys: 0 }) }), s);
  t.diff('parse custom decode', 'querystring', (m) => ({
    ...m.parse(s, null, null, { decodeURIComponent: (x) => `<${x}>` }),
  }), s);
  t.diff('parse throwing decode', 'querystring', (m) => ({
    ...m.parse(s, null, null, { decodeURIComponent: () => { throw new Error('no'); } }),
  }), s);
}
const objs = [{}, { a: 1 }, { a: 'b c', d: ['e', 'f'] }, { a: [] }, { a: [1, 2, 3], b: true, c: false },
  { n: NaN, i: Infinity, big: 1e21, neg: -1e22, bi: 12n, u: undefined, nul: null, o: {}, f() {} },
  { 'k e y': 'v&l=u', '€': '😀' }, { '': '' }, { a: '' }, { a: [null, undefined, 'x'] },
  Object.assign(Object.create({ inherited: 1 }), { own: 2 }), 'string', 42, null, [1, 2]];
for (const o of objs) {
  t.diff('stringify', 'querystring', (m) => m.stringify(o), o);
  t.diff('stringify sep', 'querystring', (m) => m.stringify(o, ';', ':'), o);
  t.diff('stringify custom encode', 'querystring', (m) => m.stringify(o, null, null, { encodeURIComponent: (x) => `[${x}]` }), o);
  t.diff('encode alias', 'querystring', (m) => m.encode(o), o);
}
for (const v of [1, true, null, undefined, { toString() { return 'a b'; } }, [1, 'a b'], 12n, '\ud800', '\ud800x', '\udc00']) {
  t.diff('escape non-string', 'querystring', (m) => m.escape(v), v);
}
t.diff('exports', 'querystring', (m) => Object.keys(m));
t.diff('aliases', 'querystring', (m) => [m.decode === m.parse, m.encode === m.stringify]);
