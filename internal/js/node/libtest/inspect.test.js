'use strict';
// util.inspect / util.format against Node's, string for string.
const t = require('./t.js');

const values = [];
function add(label, v) {
  values.push([label, v]);
}

// Primitives.
for (const v of [0, -0, 1, -1.5, 1e21, 1e-7, NaN, Infinity, -Infinity, 123456789, 1234.5678,
  0n, 123n, -12345678901234567890n, true, false, undefined, null, Symbol(), Symbol('desc'),
  Symbol.iterator, Symbol('with\nnewline')]) add(typeof v, v);
for (const s of ['', 'a', "it's", 'say "hi"', `both ' and "`, "all ' \" `", 'tab\there', 'nl\nnl',
  'back\\slash', '\x00\x01\x1f\x7f\x80\x9f', 'emoji 😀', 'lone \ud800 surrogate', '\udc00x',
  'x'.repeat(100), 'line one\nline two\nline three that is long enough to split the string here',
  'ÿ', 'a${b}\'"', 'x'.repeat(20000), '\u001b[31mred\u001b[39m']) add('string', s);

// Arrays.
add('empty array', []);
add('small array', [1, 2, 3]);
add('nested arrays', [[1, [2, [3, [4, [5]]]]]]);
add('mixed array', [1, 'two', { three: 3 }, [4], null, undefined]);
for (const n of [5, 6, 7, 10, 26, 27, 50, 99, 100, 101, 150, 1000]) {
  add(`numbers ${n}`, Array.from({ length: n }, (_, i) => i));
  add(`squares ${n}`, Array.from({ length: n }, (_, i) => i * i * 37));
  add(`strings ${n}`, Array.from({ length: n }, (_, i) => `s${'x'.repeat(i % 7)}`));
  add(`objects ${n}`, Array.from({ length: Math.min(n, 30) }, (_, i) => ({ id: i, name: `n${i}` })));
}
add('bigint array', Array.from({ length: 12 }, (_, i) => BigInt(i) ** 5n));
add('sparse', [, 1, , , 2, , ]);
add('sparse big', (() => { const a = []; a[5] = 1; a[200] = 2; return a; })());
add('array with props', Object.assign([1, 2], { extra: true, 'odd key': 1 }));
add('array negative prop', Object.assign([1], { '-1': 'neg' }));
add('long words', ['aaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbbbbbbbbbb', 'cccccccccccccccccccccccccccc']);
add('array of long strings', Array.from({ length: 8 }, (_, i) => 'word'.repeat(i + 1)));
add('uneven', [1, 22, 333, 4444, 55555, 666666, 7777777, 88888888, 999999999, 1, 2, 3]);
add('array in obj', { list: Array.from({ length: 30 }, (_, i) => i) });

// Objects.
add('empty obj', {});
add('simple obj', { a: 1, b: 'two', c: [3], d: { e: null } });
add('quoted keys', { 'a-b': 1, '0': 2, 'has space': 3, '': 4, 'ünï': 5, __proto__x: 6, $d: 7 });
add('__proto__ key', JSON.parse('{"__proto__": 1}'));
add('deep', { l1: { l2: { l3: { l4: { l5: 1 } } } } });
add('wide obj', Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`key${i}`, i])));
add('long values', { a: 'x'.repeat(60), b: 'y'.repeat(60) });
add('fits 80', { alpha: 'aaaaaaaaaa', beta: 'bbbbbbbbbb', gamma: 'cccccccccc', delta: 'dddd' });
add('just over 80', { alpha: 'aaaaaaaaaaaa', beta: 'bbbbbbbbbbbb', gamma: 'cccccccccccc', delta: 'ddddddd' });
add('nested objs compact', { a: { b: 1, c: { d: 2 } }, e: [1, 2, { f: 3 }] });
add('four levels', { a: { b: { c: {} } } });
add('symbol keys', { [Symbol('s')]: 1, [Symbol.iterator]: 2, regular: 3 });
add('null proto', Object.assign(Object.create(null), { a: 1 }));
add('null proto empty', Object.create(null));
add('obj with fn', { fn() {}, arrow: () => {}, named: function named() {} });
add('getters', { get a() { return 1; }, set b(v) {}, get c() { return 2; }, set c(v) {} });
add('non-enumerable', Object.defineProperty({ a: 1 }, 'hidden', { value: 2, enumerable: false }));
add('string with newline in obj', { text: 'line1\nline2', other: 1 });
add('many short keys', Object.fromEntries('abcdefghijklmnopqrstuvwxyz'.split('').map((c, i) => [c, i])));

// Classes and instances.
class Foo { constructor() { this.x = 1; } }
class Bar extends Foo { constructor() { super(); this.y = [1, 2]; } }
class Empty {}
class Tagged { get [Symbol.toStringTag]() { return 'TagName'; } }
class SelfTag { constructor() { this[Symbol.toStringTag] = 'Own'; } }
add('class Foo', Foo);
add('class Bar', Bar);
add('anon class', class {});
add('class extends null', class N extends Object {});
add('instance Foo', new Foo());
add('instance Bar', new Bar());
add('instance Empty', new Empty());
add('tagged', new Tagged());
add('own tag', new SelfTag());
add('obj tag', { [Symbol.toStringTag]: 'X' });
add('proto obj', Object.create({ inherited: 1 }));
add('proto null class', Object.setPrototypeOf(new Foo(), null));
add('object with constructor prop', { constructor: 'not a function' });
const noName = function () {};
add('anon fn', noName);
add('fn with props', Object.assign(function withProps() {}, { a: 1 }));
add('generator fn', function* gen() {});
add('async fn', async function af() {});
add('async gen', async function* ag() {});
add('bound', function b() {}.bind(null));
add('builtin fn', Math.max);
add('fn null proto', Object.setPrototypeOf(function np() {}, null));
add('class with static', class S { static x = 1; });

// Built-ins.
add('map', new Map([['a', 1], [{ k: 1 }, [1, 2]], [NaN, null]]));
add('map empty', new Map());
add('map nested', new Map([[1, new Map([[2, new Map([[3, new Map()]])]])]]));
add('set', new Set([1, 'a', { b: 2 }, [3]]));
add('set empty', new Set());
add('big set', new Set(Array.from({ length: 120 }, (_, i) => i)));
add('big map', new Map(Array.from({ length: 120 }, (_, i) => [i, `v${i}`])));
add('map with props', Object.assign(new Map([[1, 2]]), { extra: 1 }));
add('map iterator', new Map([[1, 2], [3, 4]]).entries());
add('map keys', new Map([[1, 2], [3, 4]]).keys());
add('map values', new Map([[1, 2]]).values());
add('set iterator', new Set([1, 2]).values());
add('set entries', new Set([1, 2]).entries());
add('weakmap', new WeakMap([[{}, 1]]));
add('weakset', new WeakSet([{}]));
for (const T of [Uint8Array, Int8Array, Uint16Array, Int16Array, Uint32Array, Int32Array, Float32Array,
  Float64Array, Uint8ClampedArray, BigInt64Array, BigUint64Array]) {
  const big = T === BigInt64Array || T === BigUint64Array;
  add(T.name, new T(big ? [1n, 2n, 3n] : [1, 2, 3.5, -1]));
  add(`${T.name} empty`, new T(0));
  add(`${T.name} 150`, new T(150));
}
add('buffer-like uint8', new Uint8Array([0, 255, 16]));
add('arraybuffer', new Uint8Array([1, 2, 255]).buffer);
add('arraybuffer empty', new ArrayBuffer(0));
add('arraybuffer big', new ArrayBuffer(120));
add('dataview', new DataView(new ArrayBuffer(4), 1, 2));
add('date', new Date(0));
add('date invalid', new Date(NaN));
add('date with prop', Object.assign(new Date(1e12), { tag: 'x' }));
add('regexp', /ab+c/gi);
add('regexp with prop', Object.assign(/x/, { extra: 1 }));
add('regexp escapes', /[\n]\/"'/u);
add('boxed number', new Number(-0));
add('boxed string', new String('abc'));
add('boxed string props', Object.assign(new String('ab'), { x: 1 }));
add('boxed bool', new Boolean(false));
add('boxed bigint', Object(5n));
add('boxed symbol', Object(Symbol('bs')));
add('promise resolved', Promise.resolve({ a: 1 }));
add('promise pending', new Promise(() => {}));
const rejected = Promise.reject(new Error('rej'));
rejected.catch(() => {});
add('promise rejected', Promise.reject(3).catch(() => {}) && (() => { const p = Promise.reject(3); p.catch(() => {}); return p; })());
add('promise with prop', Object.assign(Promise.resolve(1), { x: 2 }));
add('proxy obj', new Proxy({ a: 1 }, {}));
add('proxy fn', new Proxy(function pf() {}, {}));
add('proxy array', new Proxy([1, 2], {}));
const revocable = Proxy.revocable({}, {});
revocable.revoke();
add('revoked proxy', revocable.proxy);
add('arguments', (function () { return arguments; })(1, 'a'));
add('arguments empty', (function () { return arguments; })());
add('global Math', Math);
add('JSON', JSON);
add('generator object', (function* g() { yield 1; })());
add('weakref', new WeakRef({}));

// Errors.
function mkErr(E, msg, props) {
  const e = new E(msg);
  return Object.assign(e, props);
}
add('error', new Error('boom'));
add('type error', new TypeError('bad type'));
add('range error', new RangeError('range'));
add('error props', mkErr(Error, 'p', { code: 'E_X', errno: 5 }));
add('error no stack', Object.assign(new Error('ns'), { stack: undefined }));
add('error stack string only', Object.assign(new Error('x'), { stack: 'custom stack' }));
add('error name changed', Object.assign(new Error('n'), { name: 'CustomName' }));
add('error name Error suffix', Object.assign(new TypeError('n'), { name: 'FooError' }));
add('error cause', new Error('outer', { cause: new Error('inner') }));
add('error cause primitive', new Error('outer', { cause: 'why' }));
add('aggregate', new AggregateError([new Error('a'), new Error('b')], 'agg'));
class MyError extends Error {}
add('subclass error', new MyError('mine'));
class NamedError extends Error { constructor(m) { super(m); this.name = 'NamedError'; } }
add('named subclass', new NamedError('named'));
add('error multiline message', new Error('line1\nline2'));
add('error empty message', new Error(''));
add('error in object', { err: new Error('nested') });
add('error in array', [new Error('in array')]);
add('error null proto', Object.setPrototypeOf(new Error('np'), null));
add('error extra stack frames removed', { e: Object.assign(new Error('deep'), { info: { a: [1, 2, 3] } }) });

// Circular.
const circ = { name: 'c' };
circ.self = circ;
add('circular', circ);
const circArr = [1];
circArr.push(circArr);
add('circular array', circArr);
const a1 = { b: {} };
a1.b.a = a1;
a1.b.b = a1.b;
add('two circular', a1);
const cm = new Map();
cm.set('self', cm);
add('circular map', cm);

// Custom inspect.
add('custom', { [Symbol.for('nodejs.util.inspect.custom')]() { return 'CUSTOM'; } });
add('custom obj', { [Symbol.for('nodejs.util.inspect.custom')]() { return { replaced: true }; } });
add('custom depth', { inner: { [Symbol.for('nodejs.util.inspect.custom')](depth, opts) { return `depth=${depth} compact=${opts.compact}`; } } });
add('custom multiline', { x: { [Symbol.for('nodejs.util.inspect.custom')]() { return 'a\nb'; } } });
add('custom using inspect', { v: { [Symbol.for('nodejs.util.inspect.custom')](d, o, insp) { return insp({ z: 1 }, o); } } });
add('custom returns this', { a: 1, [Symbol.for('nodejs.util.inspect.custom')]() { return this; } });

// Mixed nesting.
add('config-like', {
  name: 'pkg', version: '1.0.0', scripts: { test: 'node test.js', build: 'tsc -p .' },
  dependencies: { a: '^1.0.0', b: '~2.3.4' }, files: ['lib', 'bin', 'README.md'], private: false,
});
add('matrix', [[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
add('list of maps', [new Map([[1, 2]]), new Set([3])]);
add('deep array', [[[[[[1]]]]]]);
add('obj with many arrays', { a: [1, 2, 3], b: ['x', 'y'], c: [], d: [[]] });
add('unicode wide array', Array.from({ length: 10 }, (_, i) => '漢字'.repeat(i % 3 + 1)));

const frames = t.frames;

const optionSets = [
  undefined, { depth: 0 }, { depth: 1 }, { depth: Infinity }, { depth: null }, { compact: false },
  { compact: true }, { compact: 1 }, { breakLength: Infinity }, { breakLength: 40 }, { colors: true },
  { sorted: true }, { showHidden: true }, { maxArrayLength: 3 }, { maxArrayLength: 0 },
  { maxStringLength: 4 }, { getters: true }, { getters: 'set' }, { numericSeparator: true },
  { showProxy: true }, { customInspect: false }, { compact: true, breakLength: 30 },
];

for (const [label, v] of values) {
  for (const opts of optionSets) {
    const optLabel = opts === undefined ? '' : JSON.stringify(opts);
    t.diff(`inspect ${label} ${optLabel}`, 'util', (m) => frames(m.inspect(v, opts)), `${label} ${optLabel}`);
  }
}

// Generated nested structures: the line-breaking and grouping rules on
// shapes nobody wrote by hand.
let seed = 777;
function rnd(n) {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
}
const leaves = [0, 1, -5, 3.25, 1e6, 123456789, 'x', 'word', 'a longer string value', '', "q'uote", null,
  undefined, true, 7n, Symbol('g')];
function genValue(depth) {
  const k = depth > 3 ? 0 : rnd(6);
  switch (k) {
    case 1: return Array.from({ length: rnd(12) }, () => genValue(depth + 1));
    case 2: {
      const o = {};
      const n = rnd(8);
      for (let i = 0; i < n; i++) o[['a', 'bb', 'key', 'longPropertyName', 'x-y', '1', 'z'][rnd(7)] + i] = genValue(depth + 1);
      return o;
    }
    case 3: return new Map(Array.from({ length: rnd(4) }, (_, i) => [i % 2 ? `k${i}` : i, genValue(depth + 1)]));
    case 4: return new Set(Array.from({ length: rnd(5) }, () => genValue(depth + 1)));
    case 5: return Array.from({ length: 6 + rnd(40) }, () => leaves[rnd(8)]);
    default: return leaves[rnd(leaves.length)];
  }
}
const generated = Array.from({ length: 400 }, () => genValue(0));
const genOptions = [undefined, { depth: Infinity }, { breakLength: 120 }, { compact: 1 }, { compact: 5, breakLength: 60 }];
for (let i = 0; i < generated.length; i++) {
  for (const opts of genOptions) {
    t.diff(`inspect generated #${i} ${JSON.stringify(opts)}`, 'util', (m) => m.inspect(generated[i], opts), generated[i]);
  }
}

// util.format.
const fmtCases = [
  ['%s', 'str'], ['%s', 42], ['%s', -0], ['%s', 12n], ['%s', null], ['%s', undefined], ['%s', Symbol('q')],
  ['%s', { a: 1 }], ['%s', [1, [2, [3]]]], ['%s', new Error('fmt')], ['%s', new Date(0)],
  ['%s', { toString() { return 'custom toString'; } }], ['%s', new Foo()], ['%s', () => 1],
  ['%d', '42'], ['%d', 42.5], ['%d', 12n], ['%d', {}], ['%d', Symbol('x')], ['%d', '0x10'],
  ['%i', '42.9'], ['%i', 12n], ['%i', 'abc'], ['%f', '1.5e3'], ['%f', Symbol('s')],
  ['%j', { a: [1] }], ['%j', 'str'], ['%j', circ], ['%O', { a: { b: { c: { d: {} } } } }],
  ['%o', { a: [1, 2], f() {} }], ['%o', [1, 2, 3]], ['%c', 'color: red'], ['%%'], ['%% %s', 'x'],
  ['%s %s', 'only one'], ['%x', 1], ['no format', 1, 'two', { three: 3 }], ['%s:%s', 'a', 'b', 'c', 'd'],
  [1, 2, 3], [{ a: 1 }, 'str'], ['trailing %'], ['%', 1], ['%s%', 'a'], ['a%sb%dc', 'X', 5],
  ['%s', 'a\nb'], [], ['%s', new Map([[1, 2]])], ['%s', Object.create(null)], ['%s', [undefined]],
  ['%s', new (class K { toString() { return 'K!'; } })()], ['%d %i %f', 1.5, 1.5, 1.5],
];
for (const args of fmtCases) {
  t.diff('format', 'util', (m) => frames(m.format(...args)), args);
}
t.diff('formatWithOptions colors', 'util', (m) => m.formatWithOptions({ colors: true }, '%O %s', { a: 1 }, 'x', [1]));
t.diff('formatWithOptions bad', 'util', (m) => m.formatWithOptions(null, 'x'));
t.diff('inspect legacy args', 'util', (m) => m.inspect({ a: { b: { c: { d: 1 } } } }, false, 0));
t.diff('inspect legacy showHidden', 'util', (m) => m.inspect([1], true));
t.diff('defaultOptions', 'util', (m) => ({ ...m.inspect.defaultOptions }));
t.diff('inspect.custom', 'util', (m) => m.inspect.custom === Symbol.for('nodejs.util.inspect.custom'));
t.diff('styles', 'util', (m) => ({ ...m.inspect.styles }));
t.diff('colors keys', 'util', (m) => Object.keys(m.inspect.colors));
t.diff('colors grey', 'util', (m) => m.inspect.colors.grey);
t.diff('stripVTControlCharacters', 'util', (m) => m.stripVTControlCharacters('\u001b[31mred\u001b[39m \u001b]8;;http://x\u0007link'));

// inspect.defaultOptions changes every later call; restored afterwards.
t.diff('defaultOptions set', 'util', (m) => {
  const saved = { ...m.inspect.defaultOptions };
  try {
    m.inspect.defaultOptions = { depth: 0, breakLength: 20 };
    const a = m.inspect({ a: { b: { c: 1 } }, list: [1, 2, 3, 4, 5, 6] });
    m.inspect.defaultOptions.compact = false;
    const b = m.inspect({ x: 1 });
    return [a, b, m.format('%O', { deep: { er: 1 } })];
  } finally {
    m.inspect.defaultOptions = saved;
  }
});
t.diff('defaultOptions bad', 'util', (m) => {
  m.inspect.defaultOptions = null;
});
