'use strict';
// util (everything but inspect/format, which inspect.test.js covers).
const t = require('./t.js');

t.diff('export keys', 'util', (m) => Object.keys(m));
t.diff('types keys', 'util', (m) => Object.keys(m.types));

// util.types on many values.
class MyErr extends Error {}
const probe = [
  1, 'a', null, undefined, {}, [], new Date(), new Date(NaN), /x/, Object.create(RegExp.prototype),
  RegExp.prototype, new Map(), new Set(), new WeakMap(), new WeakSet(), new Map().keys(), new Set().values(),
  new ArrayBuffer(1), new SharedArrayBuffer(1), new DataView(new ArrayBuffer(1)), new Uint8Array(1),
  new Int32Array(1), new Float64Array(1), new BigInt64Array(1), new Uint8ClampedArray(1),
  Promise.resolve(), { then() {} }, new Proxy({}, {}), new Proxy([], {}), new Error('e'), new MyErr(),
  Object.create(Error.prototype), { [Symbol.toStringTag]: 'Error' }, new Number(1), new String('s'),
  new Boolean(true), Object(1n), Object(Symbol('s')), async () => {}, async function* ag() {},
  function* g() {}, () => {}, (function* g2() {})(), (function () { return arguments; })(),
  { [Symbol.toStringTag]: 'Arguments' }, Object.setPrototypeOf(async () => {}, Function.prototype),
];
const typeNames = Object.keys(require('util').types);
for (let i = 0; i < probe.length; i++) {
  t.diff('types', 'util', (m) => typeNames.map((n) => `${n}=${m.types[n](probe[i])}`).join(' '), i);
}

// Legacy is* helpers.
for (const v of [1, 'a', null, undefined, true, Symbol('x'), {}, [], () => {}, new Date(), /r/, new Error('x'), Buffer.alloc(1)]) {
  t.diff('legacy is*', 'util', (m) => ['isArray', 'isBoolean', 'isBuffer', 'isNull', 'isNullOrUndefined', 'isNumber',
    'isString', 'isSymbol', 'isUndefined', 'isRegExp', 'isObject', 'isDate', 'isError', 'isFunction', 'isPrimitive']
    .map((n) => m[n](v)), v);
}

// inherits.
t.diff('inherits', 'util', (m) => {
  function A() {}
  A.prototype.hello = () => 'hi';
  function B() {}
  m.inherits(B, A);
  return [new B().hello(), B.super_ === A, Object.getOwnPropertyDescriptor(B, 'super_').enumerable,
    new B() instanceof A];
});
for (const [a, b] of [[null, function () {}], [function () {}, null], [function () {}, Object.create(null)], [function () {}, () => {}]]) {
  t.diff('inherits errors', 'util', (m) => m.inherits(a, b), [a, b]);
}

// promisify / callbackify.
(async () => {
  await t.diffAsync('promisify resolve', 'util', async (m) => {
    const f = (a, b, cb) => setTimeout(() => cb(null, a + b), 1);
    const p = m.promisify(f);
    return [await p(1, 2), p.length, p.name, typeof p, m.promisify(p) === p];
  });
  await t.diffAsync('promisify reject', 'util', async (m) => {
    const f = (cb) => cb(new Error('nope'));
    try {
      await m.promisify(f)();
    } catch (e) {
      return e.message;
    }
  });
  await t.diffAsync('promisify this', 'util', async (m) => {
    const o = { v: 5, get(cb) { cb(null, this.v); } };
    o.pget = m.promisify(o.get);
    return o.pget();
  });
  await t.diffAsync('promisify custom', 'util', async (m) => {
    const f = () => {};
    const custom = () => Promise.resolve('custom');
    f[m.promisify.custom] = custom;
    return [m.promisify(f) === custom, await m.promisify(f)(), m.promisify.custom === Symbol.for('nodejs.util.promisify.custom')];
  });
  await t.diffAsync('promisify multiple values', 'util', async (m) => m.promisify((cb) => cb(null, 1, 2))());
  await t.diffAsync('promisify props copied', 'util', async (m) => {
    function f(cb) { cb(null); }
    f.extra = 1;
    return m.promisify(f).extra;
  });
  t.diff('promisify non-function', 'util', (m) => m.promisify(1));
  t.diff('promisify bad custom', 'util', (m) => {
    const f = () => {};
    f[Symbol.for('nodejs.util.promisify.custom')] = 1;
    return m.promisify(f);
  });
  await t.diffAsync('callbackify', 'util', async (m) => {
    const cbf = m.callbackify(async (a) => a * 2);
    const out = await new Promise((resolve) => cbf(21, (err, v) => resolve([err, v])));
    return [out, cbf.name, cbf.length];
  });
  await t.diffAsync('callbackify reject', 'util', async (m) => {
    const cbf = m.callbackify(async () => { throw new TypeError('bad'); });
    return new Promise((resolve) => cbf((err) => resolve([err.name, err.message])));
  });
  await t.diffAsync('callbackify falsy reject', 'util', async (m) => {
    const cbf = m.callbackify(() => Promise.reject(null));
    return new Promise((resolve) => cbf((err) => resolve([err.code, err.message, err.reason])));
  });
  t.diff('callbackify no cb', 'util', (m) => m.callbackify(async () => 1)());
  t.diff('callbackify non-function', 'util', (m) => m.callbackify('x'));
})();

// deprecate.
t.diff('deprecate', 'util', (m) => {
  const warnings = [];
  const orig = process.emitWarning;
  process.emitWarning = (...args) => warnings.push(args.map((a) => (typeof a === 'function' ? 'fn' : String(a))));
  try {
    const f = m.deprecate((x) => x + 1, 'f is deprecated', 'DEP_TEST_1');
    const g = m.deprecate(function G() { this.v = 1; }, 'G is deprecated');
    const r = [f(1), f(2), new g().v];
    const f2 = m.deprecate(() => 0, 'same code', 'DEP_TEST_1');
    f2();
    return [r, warnings];
  } finally {
    process.emitWarning = orig;
  }
});
t.diff('deprecate bad code', 'util', (m) => m.deprecate(() => {}, 'm', 5));

// parseArgs.
const argCases = [
  [{ args: ['-f', '--bar', 'b'], options: { foo: { type: 'boolean', short: 'f' }, bar: { type: 'string' } } }],
  [{ args: ['--foo=1', 'pos'], options: { foo: { type: 'string' } }, allowPositionals: true }],
  [{ args: ['--foo', '1', '--foo', '2'], options: { foo: { type: 'string', multiple: true } } }],
  [{ args: ['-abc'], options: { a: { type: 'boolean' }, b: { type: 'boolean' }, c: { type: 'boolean' } } }],
  [{ args: ['-abvalue'], options: { a: { type: 'boolean' }, b: { type: 'string' } } }],
  [{ args: ['-bvalue'], options: { b: { type: 'string', short: 'b' } } }],
  [{ args: ['--unknown'], options: {} }],
  [{ args: ['--unknown'], options: {}, strict: false }],
  [{ args: ['pos'], options: {} }],
  [{ args: ['--', '--foo', 'x'], options: { foo: { type: 'boolean' } }, allowPositionals: true }],
  [{ args: ['--foo'], options: { foo: { type: 'string' } } }],
  [{ args: ['--foo=x'], options: { foo: { type: 'boolean' } } }],
  [{ args: ['--foo', '-b'], options: { foo: { type: 'string' }, b: { type: 'boolean' } } }],
  [{ args: ['-f', '-b'], options: { foo: { type: 'string', short: 'f' }, b: { type: 'boolean' } } }],
  [{ args: [], options: { foo: { type: 'string', default: 'd' }, m: { type: 'boolean', multiple: true, default: [true] } } }],
  [{ args: ['-f', 'x'], options: { foo: { type: 'string', short: 'f' } }, tokens: true }],
  [{ args: ['-ab', '--c=1', 'p', '--', 'q'], options: { a: { type: 'boolean' }, b: { type: 'boolean' }, c: { type: 'string' } }, tokens: true, allowPositionals: true }],
  [{ args: ['--__proto__', 'x'], options: { __proto__: null, ['__proto__']: { type: 'string' } } }],
  [{ args: 'notarray' }],
  [{ args: [], options: { x: { type: 'number' } } }],
  [{ args: [], options: { x: { type: 'string', short: 'xx' } } }],
  [{ args: [], options: { x: { type: 'string', default: 1 } } }],
  [{ args: [], options: { x: { type: 'string', multiple: true, default: ['a', 2] } } }],
  [{ args: [], strict: 'yes' }],
  [{ args: ['-'], options: {}, allowPositionals: true }],
  [{ args: ['---x'], options: {}, strict: false }],
  [{ args: ['-f=x'], options: { f: { type: 'string' } } }],
  [null],
  [],
];
for (const args of argCases) {
  t.diff('parseArgs', 'util', (m) => {
    const r = m.parseArgs(...args);
    return { ...r, values: { ...r.values }, proto: Object.getPrototypeOf(r.values) };
  }, args);
}

// Misc.
for (const e of [-2, -13, -1, -4095, -99999, 2, 0, 'x', 1.5, -1.5]) {
  t.diff('getSystemErrorName', 'util', (m) => m.getSystemErrorName(e), e);
}
t.diff('getSystemErrorMap', 'util', (m) => [...m.getSystemErrorMap()].slice(0, 20));
for (const s of ['abc', 'a\ud800b', '\udc00', '\ud83d\ude00', '']) {
  t.diff('toUSVString', 'util', (m) => m.toUSVString(s), s);
}
for (const s of ['\u001b[1mbold\u001b[22m', 'plain', '\u001b]8;;url\u0007x\u001b]8;;\u0007', '\u009b31mx']) {
  t.diff('stripVTControlCharacters', 'util', (m) => m.stripVTControlCharacters(s), s);
}
t.diff('stripVT non-string', 'util', (m) => m.stripVTControlCharacters(1));
for (const f of ['red', ['bold', 'underline'], 'bgBlue', 'nope', 'grey', 'italic']) {
  t.diff('styleText', 'util', (m) => m.styleText(f, 'txt'), f);
}
t.diff('styleText non-string', 'util', (m) => m.styleText('red', 1));
for (const s of ['A=1\nB="two words"\n# c\nexport C=3\nD=\'single\'\nE=`back`\nF="multi\\nline"\nG=x # comment\nH=',
  'KEY=value\r\nOTHER=x', '  SPACED  =  y  ', 'BAD LINE', '']) {
  t.diff('parseEnv', 'util', (m) => ({ ...m.parseEnv(s) }), s);
}
t.diff('isDeepStrictEqual basics', 'util', (m) => [m.isDeepStrictEqual({ a: [1] }, { a: [1] }),
  m.isDeepStrictEqual([1], ['1']), m.isDeepStrictEqual(NaN, NaN), m.isDeepStrictEqual(0, -0)]);
t.diff('debuglog disabled', 'util', (m) => {
  const d = m.debuglog('gnode_test_section');
  d('hidden %s', 1);
  return [typeof d, d.enabled];
});
t.diff('TextEncoder', 'util', (m) => typeof m.TextEncoder === 'function' && Array.from(new m.TextEncoder().encode('é')));
t.diff('TextDecoder', 'util', (m) => new m.TextDecoder().decode(new Uint8Array([0xc3, 0xa9])));
t.diff('_extend', 'util', (m) => m._extend({ a: 1 }, { b: 2 }));

// MIMEType / MIMEParams.
const mimeInputs = ['text/html', 'Text/HTML; Charset="utf-8"; foo=bar; foo=baz; a="x y";b=;c', '', 'text',
  'text/', '/x', 'te xt/html', 'text/ht ml', ' text/plain ', 'text/plain;;a=b', 'x/y;a="\\"q"',
  'x/y;A="unterminated', 'x/y;a="trailing\\', 'x/y; a = b', 'x/y;a=b ;c=d', 'x/y;é=1;b=é', 'x/y\t;\ta=1',
  'application/vnd.api+json;  q=0.5', 'x/y;a=', 'x/y;=b', 'x/y;a="";b="c"', 'a/b;k="v;w";k2=v2'];
for (const s of mimeInputs) {
  t.diff('MIMEType', 'util', (m) => {
    const mt = new m.MIMEType(s);
    return [String(mt), mt.essence, mt.type, mt.subtype, [...mt.params], JSON.stringify(mt), mt.params.toString()];
  }, s);
}
t.diff('MIMEType setters', 'util', (m) => {
  const mt = new m.MIMEType('text/plain;a=1');
  const out = [];
  for (const [k, v] of [['type', 'IMAGE'], ['subtype', 'PNG'], ['type', 'a b'], ['subtype', ''], ['type', 'é']]) {
    try {
      mt[k] = v;
      out.push(String(mt));
    } catch (e) {
      out.push([e.code, e.message]);
    }
  }
  for (const [k, v] of [['Q', 'a b'], ['bad key', 'v'], ['k', 'bad\u0001'], ['', 'x'], ['z', ''], ['w', 'q"\\']]) {
    try {
      mt.params.set(k, v);
      out.push(String(mt));
    } catch (e) {
      out.push([e.code, e.message]);
    }
  }
  out.push(mt.params.get('Q'), mt.params.get('missing'), mt.params.has('a'), [...mt.params.keys()], [...mt.params.values()]);
  mt.params.delete('a');
  out.push(String(mt), Object.keys(mt), String(Object.getOwnPropertyNames(Object.getPrototypeOf(mt))));
  return out;
});
t.diff('MIMEParams standalone', 'util', (m) => {
  const p = new m.MIMEParams();
  p.set('a', '1');
  return [String(p), JSON.stringify(p), [...p], String(Object.getOwnPropertyNames(m.MIMEParams.prototype))];
});
t.diff('MIMEType inspect', 'util', (m) => [m.inspect(new m.MIMEType('text/html;a=b')), m.inspect(new m.MIMEType('a/b').params)]);
