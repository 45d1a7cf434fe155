'use strict';
// querystring.stringify(obj) goes to the binding for plain data; what JSON
// leaves out (undefined, functions, symbols), accessors, odd prototypes and
// shapes changed by delete must come out as node's JavaScript writes them.
const qs = require('querystring');

class K { constructor() { this.a = 1; } }
const withDeleted = { a: 1, b: 2, c: 3 };
delete withDeleted.b;
const nullProto = Object.create(null);
nullProto.x = 'y z';
const nonEnum = Object.defineProperty({ a: 1 }, 'hidden', { value: undefined, enumerable: false });
const symUndef = { a: 1, [Symbol('s')]: undefined };
const arr = ['a', 'b'];
arr.extra = 'c';
const cases = [
  { a: 1, b: undefined }, { a: () => 1, b: 2 }, { s: Symbol('x'), t: 1 }, symUndef, { a: [1, undefined, null, NaN, () => 1, Symbol('q')] },
  nonEnum, { get g() { return 5; }, a: 1 }, { x: { y: 1 }, z: null, w: true, v: -0, u: 1e21, big: 10n, f: 1.5, n: -7, inf: Infinity },
  withDeleted, nullProto, new K(), arr, [], {}, { '': '', ' ': ' ', 'é€😀': 'é€😀', '&=?#': '&=?#', "!'()*-._~": "!'()*-._~" },
  { a: ['x', 'y'], b: [], c: [[1, 2]], d: [{ e: 1 }] }, { 0: 'zero', 1: 'one', b: 'bee', 10: 'ten' }, { __proto__: { inherited: 1 }, own: 2 },
  { date: new Date(0) }, { re: /x/g }, { n: new Number(3), s: new String('s') }, { long: 'x'.repeat(5000) + ' ' },
  { lone: '\ud800x' }, { ok: '\ud83d\ude00' }, { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, j: 10, k: 11, l: 12, m: 13 },
];
for (const c of cases) {
  for (const args of [[], ['; ', ': '], [null, null], [undefined, undefined, { encodeURIComponent: (s) => `<${s}>` }]]) {
    try {
      console.log(JSON.stringify(qs.stringify(c, ...args)));
    } catch (e) {
      console.log('throws', e.name, e.code, e.message);
    }
  }
}
// The same shapes many times, and a shape changed between calls.
const o = { a: 1, b: 'two' };
for (let i = 0; i < 3; i++) console.log(qs.stringify(o));
o.c = undefined;
console.log(qs.stringify(o));
o.c = 'now';
console.log(qs.stringify(o));
Object.defineProperty(o, 'd', { get() { return 'got'; }, enumerable: true });
console.log(qs.stringify(o));
// A replaced escape is used by stringify, as in node.
const saved = qs.escape;
qs.escape = (s) => `[${s}]`;
console.log(qs.stringify({ a: 'b c', d: [1, 2] }));
qs.escape = saved;
console.log(qs.stringify({ a: 'b c', d: [1, 2] }));
