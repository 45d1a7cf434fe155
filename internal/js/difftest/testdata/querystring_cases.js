'use strict';
// querystring.stringify and parse on tricky inputs: what gnode writes
// natively (plain objects read from the engine) must match node's
// JavaScript for every key and value kind, and anything unusual (getters,
// Proxies, integer keys, BigInt, lone surrogates, a replaced escape) must
// take node's path. Then parse with its options, and round trips.
const qs = require('querystring');

function show(label, f) {
  try {
    console.log(label, JSON.stringify(f()));
  } catch (e) {
    console.log(label, 'throws', e.name, e.code, e.message);
  }
}

const sym = Symbol('s');
const values = {
  str: 'hello world', empty: '', unreserved: "AZaz09-._~!'()*", reserved: ' "#$%&+,/:;<=>?@[\\]^`{|}',
  latin1: 'café ÿ \u0080\u00a0', bmp: 'Ω€中', astral: '😀𝌆', pair: '\ud83d\ude00',
  loneHigh: 'a\ud800b', loneLow: 'a\udc00b', trailingHigh: 'x\ud800', ctrl: '\u0000\u0001\t\n\r\u007f',
  int: 42, neg: -7, zero: 0, negZero: -0, big: 2 ** 31, bigger: 2 ** 53, float: 1.5, small: 1e-7, smaller: 1.5e-7,
  tiny: 5e-324, e20: 1e20, e21: 1e21, e21neg: -1e21, max: Number.MAX_VALUE, third: 1 / 3, nan: NaN, inf: Infinity, ninf: -Infinity,
  t: true, f: false, nul: null, undef: undefined, sym, fn() {}, arrow: () => 1, obj: { a: 1 }, date: new Date(0),
  re: /x/, map: new Map([[1, 2]]), boxedStr: new String('boxed'), boxedNum: new Number(3), bigint: 10n,
  arr: ['a', 'b c'], arrEmpty: [], arrOne: [1], arrMixed: [1, 'x', true, null, undefined, NaN, 1e21, { o: 1 }, ['n'], sym, () => 1],
  arrHoles: [1, , 3], arrSparse: Object.assign([], { 5: 'x' }), arrBig: [10n], arrLone: ['\ud800'],
  proxyArr: new Proxy(['p', 'q'], {}), proxyObj: new Proxy({ a: 1 }, {}),
};
for (const [k, v] of Object.entries(values)) {
  show(`value ${k}`, () => qs.stringify({ k: v }));
  show(`value ${k} between`, () => qs.stringify({ a: 1, k: v, z: 2 }));
  show(`value ${k} seps`, () => qs.stringify({ a: 1, k: v, z: 2 }, ';', ':'));
  show(`key ${k}`, () => qs.stringify({ [typeof v === 'string' ? v : k]: 'v' }));
}
show('all', () => qs.stringify(values));
show('all seps', () => qs.stringify(values, '&amp;', '=='));
show('all unicode seps', () => qs.stringify({ a: 1, b: ['x', 'y'] }, '€', '→'));
show('empty array first', () => qs.stringify({ e: [], a: 1 }));
show('empty arrays only', () => qs.stringify({ e: [], f: [] }));
show('empty array last', () => qs.stringify({ a: 1, e: [] }));
show('empty key', () => qs.stringify({ '': '', ' ': ' ' }));

// Key kinds and order.
show('integer keys', () => qs.stringify({ b: 1, 2: 'two', a: 3, 1: 'one' }));
show('big index keys', () => qs.stringify({ b: 1, 4294967294: 'x', 4294967295: 'y', 2147483648: 'z', a: 2 }));
show('numeric-like keys', () => qs.stringify({ '-1': 1, '1.5': 2, '01': 3, '1e3': 4 }));
show('symbol key', () => qs.stringify({ a: 1, [Symbol('k')]: 2, b: 3 }));
show('proto key', () => qs.stringify(JSON.parse('{"__proto__": "p", "a": 1}')));
show('constructor key', () => qs.stringify({ constructor: 'c', toString: 't', hasOwnProperty: 'h' }));
show('deleted key', () => { const o = { a: 1, b: 2, c: 3 }; delete o.b; o.b = 4; return qs.stringify(o); });
show('non-enumerable', () => qs.stringify(Object.defineProperty({ a: 1 }, 'h', { value: 2, enumerable: false })));
show('getter', () => qs.stringify({ a: 1, get g() { return 'got'; } }));
show('hidden getter', () => qs.stringify(Object.defineProperty({ a: 1 }, 'g', { get() { return 'x'; } })));
show('setter only', () => qs.stringify({ a: 1, set s(v) {} }));
show('getter changes later', () => { let n = 0; return qs.stringify({ get a() { n++; return n; }, b: 2, get c() { return n; } }); });
show('null proto', () => qs.stringify(Object.assign(Object.create(null), { a: 1, b: 'x y' })));
show('inherited', () => qs.stringify(Object.assign(Object.create({ inh: 1 }), { own: 2 })));
show('class instance', () => qs.stringify(new (class { constructor() { this.a = 1; this.b = [2, 3]; } })()));
show('frozen', () => qs.stringify(Object.freeze({ a: 1, b: 'z' })));
show('many keys', () => qs.stringify(Object.fromEntries(Array.from({ length: 300 }, (_, i) => ['k' + i, i % 7 ? 'v' + i : [i, i + 1]]))));
show('long value', () => qs.stringify({ a: 'x€ '.repeat(5000) }).length);
show('rope value', () => { let s = ''; for (let i = 0; i < 200; i++) s += 'ab' + i; return qs.stringify({ r: s, q: [s + s] }); });

// Objects that are not plain: node's own rules.
for (const [name, o] of Object.entries({
  array: ['a', 'b'], string: new String('ab'), fn: Object.assign(() => 1, { a: 1 }), date: new Date(0),
  map: new Map([['a', 1]]), proxy: new Proxy({ a: 1, b: [2] }, {}), args: (function () { return arguments; })(1, 2),
  typed: new Uint8Array([1, 2]), err: Object.assign(new Error('e'), { a: 1 }),
})) {
  show(`obj ${name}`, () => qs.stringify(o));
}
for (const v of [undefined, null, 0, 1, 'str', true, Symbol('x'), 10n]) {
  show(`prim ${typeof v}`, () => qs.stringify(v));
}

// Arguments and options.
const o = { a: 'x y', b: ['1', '2'], c: '€' };
show('sep only', () => qs.stringify(o, ';'));
show('eq only', () => qs.stringify(o, undefined, ':'));
show('empty seps', () => qs.stringify(o, '', ''));
show('number seps', () => qs.stringify(o, 1, 2));
show('null seps', () => qs.stringify(o, null, null));
show('options undefined', () => qs.stringify(o, undefined, undefined, undefined));
show('options {}', () => qs.stringify(o, undefined, undefined, {}));
show('custom encoder', () => qs.stringify(o, null, null, { encodeURIComponent: (s) => `<${s}>` }));
show('non-function encoder', () => qs.stringify(o, null, null, { encodeURIComponent: 'no' }));
show('encode alias', () => qs.encode === qs.stringify && qs.encode(o));
show('entry shape', () => [qs.stringify.name, qs.stringify.length, typeof qs.stringify, Object.keys(qs)]);
show('call with this', () => qs.stringify.call({}, { a: 1 }));
show('apply extra args', () => qs.stringify.apply(null, [{ a: 1 }, undefined, undefined, undefined, 'extra']));
show('no args', () => qs.stringify());

// A replaced escape is used by stringify (node reads it at each call).
const orig = qs.escape;
qs.escape = (s) => `[${s}]`;
show('replaced escape', () => qs.stringify({ a: 'x y', b: [1, 2] }));
qs.escape = orig;
show('restored escape', () => qs.stringify({ a: 'x y', b: [1, 2] }));
show('escape direct', () => [qs.escape('a b'), qs.escape('€'), qs.escape(12), qs.escape({ toString() { return 'o k'; } })]);
show('escape lone', () => qs.escape('\ud800'));

// Values that change between two calls (shapes reused).
for (let i = 0; i < 3; i++) {
  show(`loop ${i}`, () => qs.stringify({ id: i, name: 'n' + i, list: i ? [i, i * 1.5] : [], flag: i % 2 === 0 }));
}
let total = 0;
for (let i = 0; i < 3000; i++) total += qs.stringify({ id: i, f: i / 7, s: 'x' + i, e: i % 3 ? [] : ['a', i] }).length;
console.log('total', total);

// parse: separators, eq, maxKeys, decoders, '+', repeated keys, odd keys.
const parseInputs = [
  'a=1&b=2', 'a=1&a=2&a=3', 'a&b=&=c&==&&', 'a=%20b+c&%zz=%&%E2%82%AC=%e2%82%ac', '%F0%9F%98%80=x&%ED%A0%80=y',
  '__proto__=1&constructor=2&hasOwnProperty=3&toString=4', '__proto__=1&__proto__=2', 'a[]=1&a[]=2&a[b]=3',
  'a=1;b=2&c=3', '  a = 1 ', 'a=b=c', '+=+&++=++', '%=%25&%2=%2G', 'x='.repeat(3) + 'y', 'é=è&ü=%FC',
  '&&&a=1&&&', '?a=1', '#a=1', 'a=1#frag', 'k=' + 'v'.repeat(3000),
];
for (const s of parseInputs) {
  show(`parse ${JSON.stringify(s).slice(0, 60)}`, () => qs.parse(s));
  show(`parse keys ${JSON.stringify(s).slice(0, 60)}`, () => Object.getOwnPropertyNames(qs.parse(s)));
  show(`parse proto ${JSON.stringify(s).slice(0, 40)}`, () => Object.getPrototypeOf(qs.parse(s)));
}
for (const [sep, eq] of [[';', ':'], ['&&', '=='], [', ', ': '], ['', ''], [null, null], [1, 2], ['€', '→'], ['&', '&']]) {
  show(`parse seps ${sep} ${eq}`, () => qs.parse('a:1;b:2&&c==3, d: 4€e→5&f=6', sep, eq));
}
for (const maxKeys of [0, 1, 2, 3, -1, 1.5, NaN, Infinity, '2', null, undefined, 2 ** 32 + 1]) {
  show(`parse maxKeys ${maxKeys}`, () => qs.parse('a=1&b=2&c=3&a=4', null, null, { maxKeys }));
}
show('parse custom decode', () => qs.parse('a=%41&b=x+y', null, null, { decodeURIComponent: (s) => s.toUpperCase() }));
show('parse throwing decode', () => qs.parse('a=1', null, null, { decodeURIComponent() { throw new Error('d'); } }));
show('parse non-string', () => [qs.parse(undefined), qs.parse(null), qs.parse(12), qs.parse({})].map((x) => Object.keys(x)));
show('parse decode alias', () => qs.decode === qs.parse);
show('unescape', () => [qs.unescape('%41%zz+%E2%82%AC'), qs.unescape('%ED%A0%80'), qs.unescapeBuffer('%41%ff').toString('hex')]);

// Round trips.
for (const s of parseInputs.slice(0, 12)) {
  show(`round ${JSON.stringify(s).slice(0, 40)}`, () => qs.stringify(qs.parse(s)));
}

// Numbers of every magnitude, as String(n) prints them (gnode formats
// them in Go): random bit patterns from a fixed sequence (built from bits,
// since engines' ** can differ in the last place), plus integers.
{
  let seed = 12345;
  const rnd32 = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed;
  };
  const f64 = new Float64Array(1);
  const u32 = new Uint32Array(f64.buffer);
  const nums = [];
  for (let i = 0; i < 1500; i++) {
    u32[0] = rnd32();
    u32[1] = rnd32();
    let n = f64[0];
    if (i % 5 === 0) n = (rnd32() * 2 ** 21 + (rnd32() >>> 11)) * (i % 2 ? -1 : 1);
    if (i % 11 === 0) n = Math.fround(n);
    if (i % 13 === 0) n = rnd32() / 2 ** (i % 40);
    nums.push(n);
  }
  const out = [];
  for (let i = 0; i < nums.length; i += 10) out.push(qs.stringify({ n: nums.slice(i, i + 10), x: nums[i] }));
  console.log(out.join('\n'));
}
