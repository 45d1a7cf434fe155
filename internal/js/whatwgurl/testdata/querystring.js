'use strict';
// querystring.parse/escape/stringify on generated strings, one JSON line
// per case; node_diff_test.go compares the lines printed by node and by
// gnode (whose parse and escape run in Go for well-formed strings).
const qs = require('querystring');

let seed = 777;
function rand() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (a) => a[Math.floor(rand() * a.length)];
const pieces = ['a', 'b', 'key', 'x', '1', '=', '=', '&', '&', '&&', '+', '%', '%2', '%20', '%41', '%4g', '%zz', '%C3%A9',
  '%C3', '%E2%82%AC', '%F0%9F%98%80', '%ED%A0%80', '%C0%80', '%FF', 'é', '€', '😀', '\ud800', '\udc00x', ' ', '~', "'()*!",
  '__proto__', 'pop', 'toString', '%2B', '%26', '%3D', '.', '-', '_'];
const out = [];
const emit = (label, fn) => {
  let v;
  try {
    v = fn();
  } catch (e) {
    v = { threw: e.constructor.name, code: e.code, message: e.message };
  }
  out.push(label + ' ' + JSON.stringify(v));
};
const entries = (o) => [Object.getPrototypeOf(o), Object.entries(o)];
for (let i = 0; i < 3000; i++) {
  let s = '';
  const n = 1 + Math.floor(rand() * 10);
  for (let k = 0; k < n; k++) s += pick(pieces);
  emit(`parse ${JSON.stringify(s)}`, () => entries(qs.parse(s)));
  if (i % 5 === 0) emit(`parse maxKeys ${JSON.stringify(s)}`, () => entries(qs.parse(s, null, null, { maxKeys: 2 })));
  if (i % 7 === 0) emit(`parse maxKeys0 ${JSON.stringify(s)}`, () => entries(qs.parse(s, '&', '=', { maxKeys: 0 })));
  emit(`escape ${JSON.stringify(s)}`, () => qs.escape(s));
  emit(`unescape ${JSON.stringify(s)}`, () => qs.unescape(s));
}
// Longer strings: many distinct keys, many repeats of a few, odd keys.
const keys = ['a', 'b', 'c', '__proto__', 'constructor', '0', '1', '10', '-1', '1.5', 'k%20x', 'k+y', '%E2%82%AC', 'é', 'toString'];
for (let i = 0; i < 300; i++) {
  const n = 1 + Math.floor(rand() * 60);
  const parts = [];
  for (let k = 0; k < n; k++) {
    const key = rand() < 0.5 ? pick(keys) : 'k' + Math.floor(rand() * 40);
    parts.push(rand() < 0.1 ? key : key + '=' + pick(pieces) + pick(pieces));
  }
  const s = parts.join(rand() < 0.9 ? '&' : '&&');
  emit(`parse long ${JSON.stringify(s)}`, () => entries(qs.parse(s)));
  if (i % 3 === 0) emit(`parse long maxKeys ${JSON.stringify(s)}`, () => entries(qs.parse(s, '&', '=', { maxKeys: 7 })));
}
emit('parse unescape override', () => {
  const orig = qs.unescape;
  qs.unescape = (s) => `[${s}]`;
  try {
    return entries(qs.parse('a%20=b%41&c=d'));
  } finally {
    qs.unescape = orig;
  }
});
// stringify of generated plain objects (Go writes those through qjs's JSON
// writer) and of everything it must leave to the JavaScript.
const values = [() => 'x y', () => '', () => 'é€😀', () => '\ud800', () => 'a\ud800b', () => '\udc00', () => 0, () => -0, () => 1.5,
  () => -2, () => 1e21, () => -1e21, () => 1e-7, () => 123456789012, () => NaN, () => Infinity, () => true, () => false,
  () => null, () => undefined, () => ({ a: 1 }), () => [], () => ['a', 'b c'], () => [1, [2], { x: 3 }, null, undefined, NaN],
  () => [, 'hole'], () => 5n, () => Symbol('s'), () => function f() {}, () => new Date(0), () => new String('boxed'),
  () => '\u0001\n"\\', () => 'pop', () => "'()*!-._~"];
const objKeys = ['a', 'b', 'a b', 'é', '', '__proto__', '0', '12', 'k+1', '\n', 'toJSON', 'constructor'];
for (let i = 0; i < 1500; i++) {
  const o = rand() < 0.1 ? { __proto__: null } : {};
  const n = Math.floor(rand() * 6);
  const desc = [];
  for (let k = 0; k < n; k++) {
    const key = pick(objKeys);
    const vi = Math.floor(rand() * values.length);
    if (key === '__proto__') Object.defineProperty(o, key, { value: values[vi](), enumerable: true, writable: true, configurable: true });
    else o[key] = values[vi]();
    desc.push(`${JSON.stringify(key)}:${vi}`);
  }
  const label = `stringify {${desc.join(',')}}${Object.getPrototypeOf(o) === null ? ' null-proto' : ''}`;
  emit(label, () => qs.stringify(o));
  if (i % 4 === 0) emit(label + ' ; :', () => qs.stringify(o, ';', ':'));
  if (i % 9 === 0) emit(label + ' seps', () => [qs.stringify(o, '', ''), qs.stringify(o, 1, 2), qs.stringify(o, '€&', '=é')]);
}
class Point { constructor() { this.x = 1; this.y = 'a b'; } }
emit('stringify class', () => qs.stringify(new Point()));
emit('stringify getter', () => qs.stringify({ get g() { return 'v w'; }, h: 1 }));
emit('stringify array', () => qs.stringify(['a', 'b']));
emit('stringify proxy', () => qs.stringify(new Proxy({ a: 'b c' }, {})));
emit('stringify symbol key', () => qs.stringify({ [Symbol('s')]: 1, a: 2 }));
emit('stringify non-enumerable', () => qs.stringify(Object.defineProperty({ a: 1 }, 'b', { value: 2 })));
emit('stringify escape override', () => {
  const orig = qs.escape;
  qs.escape = (s) => `<${s}>`;
  try {
    return qs.stringify({ a: 'b', c: [1, 2] });
  } finally {
    qs.escape = orig;
  }
});
emit('parse non-string', () => [entries(qs.parse(5)), entries(qs.parse('')), entries(qs.parse(null))]);
emit('parse custom sep', () => entries(qs.parse('a:1;b:2', ';', ':')));
emit('parse custom decode', () => entries(qs.parse('a=%41', null, null, { decodeURIComponent: (s) => `<${s}>` })));
emit('parse maxKeys -1', () => Object.keys(qs.parse('a&'.repeat(1200), null, null, { maxKeys: -1 })).length);
emit('parse default max', () => Object.keys(qs.parse(Array.from({ length: 1200 }, (_, i) => 'k' + i).join('&'))).length);
emit('stringify', () => [qs.stringify({ a: [1, 'x y', true], b: 'é/€', c: 1e21, d: null, e: undefined, f: 5n, g: NaN }),
  qs.stringify({ a: 'b' }, ';', ':'), qs.stringify({ w: 'a b' }, null, null, { encodeURIComponent: (s) => s.toUpperCase() })]);
emit('escape non-string', () => [qs.escape(12), qs.escape({ toString: () => 'a b' }), qs.escape(['x y', 'z'])]);
emit('escape lone surrogate', () => qs.escape('ab\ud800'));
emit('escape lone surrogate mid', () => qs.escape('ab\ud800cd'));
process.stdout.write(out.join('\n') + '\n');
