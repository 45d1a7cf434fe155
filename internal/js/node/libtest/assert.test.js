'use strict';
// assert against Node's: which calls throw, and the AssertionError's
// message (diff included), code, operator, generatedMessage, stack header.
const t = require('./t.js');

function outcome(fn) {
  try {
    const r = fn();
    return ['ok', r];
  } catch (e) {
    // Errors printed inside messages carry engine-specific frames.
    return ['throws', e && e.name, e && e.code, t.frames(e && e.message), e && e.generatedMessage,
      e && e.operator, typeof e?.stack === 'string' ? e.stack.split('\n')[0] : undefined,
      e && Object.keys(e), t.frames(e && String(e))];
  }
}

const sym = Symbol('s');
const values = [
  0, -0, 1, 2, '1', '', 'a', 'abc', 'a'.repeat(40), NaN, null, undefined, true, false, 10n, sym,
  {}, { a: 1 }, { a: 1, b: 2 }, { b: 2, a: 1 }, { a: '1' }, { a: { b: { c: [1, 2, 3] } } },
  { a: { b: { c: [1, 2, 4] } } }, [], [1, 2, 3], [1, 2, 4], ['1', '2', '3'], [1, 2, 3, 4],
  Array.from({ length: 40 }, (_, i) => i), Array.from({ length: 40 }, (_, i) => (i === 20 ? -1 : i)),
  new Date(0), new Date(1), /a/g, /a/i, new Map([[1, 2]]), new Map([[1, 3]]), new Map([['1', 2]]),
  new Set([1, 2]), new Set([2, 1]), new Set(['1', 2]), new Uint8Array([1, 2]), new Int8Array([1, 2]),
  new Float64Array([0]), new Float64Array([-0]), new Error('x'), new TypeError('x'), new Error('y'),
  Object.create(null), Object.assign(Object.create(null), { a: 1 }), new Number(1), new String('a'),
  { [sym]: 1 }, [undefined], [, ], { a: undefined }, { a: [{ b: 1 }, { c: 2 }] },
  { config: { name: 'x', list: [1, 2, 3], nested: { deep: true } }, other: 'value' },
  { config: { name: 'y', list: [1, 2, 3], nested: { deep: true } }, other: 'value' },
  'line1\nline2\nline3', 'line1\nline2\nlineX', function f() {}, () => {},
];

const ops = ['equal', 'notEqual', 'strictEqual', 'notStrictEqual', 'deepEqual', 'notDeepEqual',
  'deepStrictEqual', 'notDeepStrictEqual'];
for (let i = 0; i < values.length; i++) {
  for (let j = 0; j < values.length; j++) {
    if (i !== j && (i + j) % 3 !== 0 && Math.abs(i - j) > 2) continue; // keep the matrix near the diagonal
    const a = values[i];
    const b = values[j];
    for (const op of ops) {
      t.diff(`assert.${op}`, 'assert', (m) => outcome(() => m[op](a, b)), [op, a, b]);
    }
    t.diff('strict.equal', 'assert', (m) => outcome(() => m.strict.equal(a, b)), [a, b]);
    t.diff('strict.deepEqual', 'assert', (m) => outcome(() => m.strict.deepEqual(a, b)), [a, b]);
    t.diff('isDeepStrictEqual', 'util', (m) => m.isDeepStrictEqual(a, b), [a, b]);
  }
}
// Cycles.
const c1 = { a: 1 };
c1.self = c1;
const c2 = { a: 1 };
c2.self = c2;
const c3 = { a: 1, self: { a: 1 } };
c3.self.self = c3;
t.diff('cycles equal', 'util', (m) => [m.isDeepStrictEqual(c1, c2), m.isDeepStrictEqual(c1, c3)]);

for (const op of ops) {
  t.diff(`${op} custom message`, 'assert', (m) => outcome(() => m[op](1, op.startsWith('not') ? 1 : 2, 'custom msg')));
  t.diff(`${op} error message`, 'assert', (m) => outcome(() => m[op](1, op.startsWith('not') ? 1 : 2, new RangeError('own'))));
  t.diff(`${op} missing args`, 'assert', (m) => outcome(() => m[op](1)));
}

// ok / assert().
for (const v of [true, 1, 'x', {}, false, 0, '', null, undefined, NaN]) {
  t.diff('ok with message', 'assert', (m) => outcome(() => m.ok(v, 'msg')), v);
  t.diff('assert() with message', 'assert', (m) => outcome(() => m(v, 'msg')), v);
}
t.diff('ok no args', 'assert', (m) => outcome(() => m.ok()));
t.diff('ok error message', 'assert', (m) => outcome(() => m.ok(false, new TypeError('te'))));
// The failing expression's source is read with lib fs; under node that
// needs a whole fs shim (shims/fs.js is only the streams' cloneShaped).
const fsShim = require('path').join(__dirname, 'shims', 'fs.js');
if (t.gnode || (require('fs').existsSync(fsShim) && !require(fsShim).libtestPartial)) {
  t.diff('ok source', 'assert', (m) => outcome(() => m.ok(1 === 2)));
  t.diff('assert source', 'assert', (m) => outcome(() => m(typeof 1 === 'string')));
  t.diff('strict source', 'assert', (m) => outcome(() => m.strict(null)));
  t.diff('ok multiline source', 'assert', (m) => outcome(() => m.ok(
    [1, 2].includes(3),
  )));
} else {
  console.log('note: ok() source messages not compared: shims/fs.js is missing');
}

// fail.
t.diff('fail()', 'assert', (m) => outcome(() => m.fail()));
t.diff('fail(msg)', 'assert', (m) => outcome(() => m.fail('boom')));
t.diff('fail(err)', 'assert', (m) => outcome(() => m.fail(new TypeError('te'))));
const savedEmit = process.emitWarning;
process.emitWarning = () => {};
t.diff('fail(a, b)', 'assert', (m) => outcome(() => m.fail(1, 2)));
t.diff('fail(a, b, msg, op)', 'assert', (m) => outcome(() => m.fail(1, 2, undefined, '>')));
t.diff('fail(a, b, msg)', 'assert', (m) => outcome(() => m.fail(1, 2, 'm')));
process.emitWarning = savedEmit;

// throws / doesNotThrow.
class CustomError extends Error {}
const throwers = {
  typeError: () => { throw new TypeError('Wrong value'); },
  custom: () => { throw Object.assign(new CustomError('custom fail'), { code: 'E_CUSTOM', info: { a: 1 } }); },
  string: () => { throw 'a string'; },
  nothing: () => {},
  nullThrow: () => { throw null; },
  object: () => { throw { message: 'obj', code: 42 }; },
};
const expectations = [undefined, TypeError, Error, RangeError, CustomError, /Wrong/, /nomatch/,
  { message: 'Wrong value' }, { message: 'other' }, { name: 'TypeError', message: /Wrong/ },
  { code: 'E_CUSTOM', info: { a: 1 } }, { code: 'E_CUSTOM', info: { a: 2 } }, new TypeError('Wrong value'),
  (e) => e instanceof TypeError, function validate(e) { return e === 'x'; }, () => 'not true', {},
  'message string', 42, null];
for (const [name, fn] of Object.entries(throwers)) {
  for (const exp of expectations) {
    // Error used as a validation function puts engine frames in the
    // message: compare its first line only.
    const cut = (o) => (exp === Error && o[0] === 'throws' ? o[3].split('\n')[0] : o);
    t.diff(`throws ${name}`, 'assert', (m) => cut(outcome(() => m.throws(fn, exp))), [name, exp]);
    t.diff(`throws ${name} msg`, 'assert', (m) => outcome(() => m.throws(fn, exp, 'my message')), [name, exp]);
    t.diff(`doesNotThrow ${name}`, 'assert', (m) => outcome(() => m.doesNotThrow(fn, exp)), [name, exp]);
  }
}
t.diff('throws non-function', 'assert', (m) => outcome(() => m.throws('x')));
t.diff('throws ambiguous', 'assert', (m) => outcome(() => m.throws(() => { throw new Error('same'); }, 'same')));
t.diff('throws ambiguous primitive', 'assert', (m) => outcome(() => m.throws(() => { throw 'same'; }, 'same')));
t.diff('doesNotThrow msg', 'assert', (m) => outcome(() => m.doesNotThrow(throwers.typeError, 'extra')));

// match.
for (const [s, re] of [['abc', /b/], ['abc', /x/], [123, /1/], [null, /x/], ['a\nb', /^b/], ['x', 'notre']]) {
  t.diff('match', 'assert', (m) => outcome(() => m.match(s, re)), [s, re]);
  t.diff('doesNotMatch', 'assert', (m) => outcome(() => m.doesNotMatch(s, re)), [s, re]);
  t.diff('match msg', 'assert', (m) => outcome(() => m.match(s, re, 'mm')), [s, re]);
}

// ifError.
for (const v of [null, undefined, new Error('e1'), 'str', 0, { message: '' }, new TypeError(''), { message: 'm' }]) {
  t.diff('ifError', 'assert', (m) => outcome(() => m.ifError(v)), v);
}

// AssertionError directly.
for (const opts of [{ message: 'm' }, { actual: 1, expected: 2, operator: 'strictEqual' },
  { actual: [1], expected: [2], operator: 'deepStrictEqual' }, { actual: 1, expected: 2, operator: '>' },
  { actual: { a: 1 }, expected: { a: 1 }, operator: 'notDeepStrictEqual' },
  { actual: 'x'.repeat(600), expected: 'y', operator: 'deepEqual' }, { actual: 1, expected: 1, operator: 'notStrictEqual' },
  { actual: {}, expected: {}, operator: 'notStrictEqual' }, { actual: [1, 2], expected: [1, 2], operator: 'notDeepEqual' }]) {
  t.diff('new AssertionError', 'assert', (m) => {
    const e = new m.AssertionError(opts);
    return [e.name, e.code, e.message, e.generatedMessage, e.operator, e.stack.split('\n')[0], String(e), Object.keys(e)];
  }, opts);
}
t.diff('AssertionError bad options', 'assert', (m) => outcome(() => new m.AssertionError(null)));
t.diff('inspect AssertionError', 'assert', (m) => {
  try {
    m.strictEqual('a'.repeat(20), 'b');
  } catch (e) {
    const s = t.lib('util').inspect(e);
    return s.slice(s.indexOf('{'));
  }
});

(async () => {
  const rejecting = () => Promise.reject(new TypeError('async wrong'));
  const resolving = () => Promise.resolve(1);
  for (const exp of [undefined, TypeError, RangeError, /async/, { message: 'async wrong' }]) {
    await t.diffAsync('rejects', 'assert', async (m) => {
      try {
        await m.rejects(rejecting, exp);
        return 'ok';
      } catch (e) {
        return [e.name, e.code, e.message, e.operator];
      }
    }, exp);
    await t.diffAsync('rejects resolving', 'assert', async (m) => {
      try {
        await m.rejects(resolving(), exp);
        return 'ok';
      } catch (e) {
        return [e.name, e.code, e.message, e.operator];
      }
    }, exp);
    await t.diffAsync('doesNotReject', 'assert', async (m) => {
      try {
        await m.doesNotReject(rejecting, exp);
        return 'ok';
      } catch (e) {
        return [e.name, e.code, e.message, e.operator];
      }
    }, exp);
  }
  await t.diffAsync('rejects non-promise', 'assert', async (m) => {
    try {
      await m.rejects(() => 1);
    } catch (e) {
      return [e.name, e.code, e.message];
    }
  });
  await t.diffAsync('rejects bad arg', 'assert', async (m) => {
    try {
      await m.rejects(1);
    } catch (e) {
      return [e.name, e.code, e.message];
    }
  });
})();

// Deep equality edge cases, both modes.
const edgePairs = [
  [new Error('a', { cause: 1 }), new Error('a', { cause: 2 })],
  [new Error('a', { cause: 1 }), new Error('a')],
  [new AggregateError([1], 'x'), new AggregateError([2], 'x')],
  [Object.assign(new Error('a'), { code: 1 }), Object.assign(new Error('a'), { code: 2 })],
  [new WeakMap(), new WeakMap()], [Promise.resolve(1), Promise.resolve(1)], [() => 1, () => 1],
  [new Proxy({ a: 1 }, {}), { a: 1 }], [{ get a() { return 1; } }, { a: 1 }],
  [Object.defineProperty({}, 'a', { value: 1, enumerable: false }), {}],
  [[1, 2, 3], Object.assign([1, 2, 3], { x: 1 })], [new Set([{ a: 1 }, { a: 2 }]), new Set([{ a: 2 }, { a: 1 }])],
  [new Map([[{ k: 1 }, 'v']]), new Map([[{ k: 1 }, 'v']])], [new Map([[1, 'a']]), new Map([['1', 'a']])],
  [new Set([1, '1']), new Set(['1', 1])], [new Set([null]), new Set([undefined])], [new Map([[null, 1]]), new Map([[undefined, 1]])],
  [new Set([1]), new Set(['1'])], [new Set([false]), new Set([0])], [[1, , 3], [1, undefined, 3]],
  [new Date(0), Object.assign(new Date(0), { x: 1 })], [/a/g, Object.assign(/a/g, { lastIndex: 3 })],
  [Object.create({ inherited: 1 }), {}], [new Number(1), 1], [new String('a'), 'a'], [Object(1n), Object(1n)],
  [Object(Symbol.iterator), Object(Symbol.iterator)], [new Uint8Array([1]), new Int8Array([1])],
  [new Float32Array([NaN]), new Float32Array([NaN])], [new Float64Array([0]), new Float64Array([-0])],
  [Buffer.from('ab'), new Uint8Array([97, 98])], [new ArrayBuffer(2), new SharedArrayBuffer(2)],
  [new DataView(new ArrayBuffer(2)), new DataView(new ArrayBuffer(2))], [[NaN], [NaN]], [{ a: NaN }, { a: NaN }],
  [0, -0], [[0], [-0]], [{ [Symbol.for('a')]: 1 }, { [Symbol.for('a')]: 2 }], [1n, 1], [null, undefined],
  [{ a: undefined }, {}], [[undefined], []], [new Set(), new Map()], [Object.create(null), {}],
  [(function () { return arguments; })(1), [1]], [(function () { return arguments; })(1), { 0: 1 }],
];
for (const [a, b] of edgePairs) {
  for (const op of ['deepEqual', 'deepStrictEqual', 'notDeepEqual', 'notDeepStrictEqual']) {
    t.diff(`edge ${op}`, 'assert', (m) => outcome(() => m[op](a, b)), [a, b]);
    t.diff(`edge ${op} reversed`, 'assert', (m) => outcome(() => m[op](b, a)), [b, a]);
  }
}

// Generated pairs: a structure and a slightly mutated copy, so the diff
// messages of deepStrictEqual/deepEqual cover many shapes.
let seed = 99;
function rnd(n) {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
}
const leafs = [0, 1, 2, 'a', 'b', 'long string value here', null, undefined, true, false, 1.5, -0];
function gen(depth) {
  const k = depth > 3 ? 0 : rnd(5);
  if (k === 1) return Array.from({ length: rnd(8) }, () => gen(depth + 1));
  if (k === 2) {
    const o = {};
    for (let i = rnd(6); i > 0; i--) o[`k${rnd(9)}`] = gen(depth + 1);
    return o;
  }
  if (k === 3) return new Map(Array.from({ length: rnd(3) }, (_, i) => [`m${i}`, gen(depth + 1)]));
  if (k === 4) return Array.from({ length: 20 + rnd(60) }, () => rnd(1000));
  return leafs[rnd(leafs.length)];
}
function clone(v) {
  if (Array.isArray(v)) return v.map(clone);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, clone(x)]));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)]));
  return v;
}
function mutate(v, depth = 0) {
  if (Array.isArray(v) && v.length && rnd(3)) {
    const i = rnd(v.length);
    v[i] = mutate(v[i], depth + 1);
    if (rnd(4) === 0) v.push(leafs[rnd(leafs.length)]);
    return v;
  }
  if (v instanceof Map && v.size && rnd(2)) {
    const k = [...v.keys()][rnd(v.size)];
    v.set(k, mutate(v.get(k), depth + 1));
    return v;
  }
  if (v && typeof v === 'object' && !(v instanceof Map) && Object.keys(v).length && rnd(3)) {
    const keys = Object.keys(v);
    const k = keys[rnd(keys.length)];
    if (rnd(5) === 0) delete v[k];
    else v[k] = mutate(v[k], depth + 1);
    return v;
  }
  return leafs[rnd(leafs.length)];
}
for (let i = 0; i < 300; i++) {
  const a = gen(0);
  const b = rnd(6) === 0 ? clone(a) : mutate(clone(a));
  for (const op of ['deepStrictEqual', 'deepEqual', 'strictEqual']) {
    t.diff(`generated ${op} #${i}`, 'assert', (m) => outcome(() => m[op](a, b)), [a, b]);
  }
}
