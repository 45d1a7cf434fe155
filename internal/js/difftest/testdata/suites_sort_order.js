// Array.prototype.sort and toSorted with inconsistent comparators give
// V8's order (small arrays), and the comparator sees V8's call sequence.
'use strict';
const show = (a) => JSON.stringify(a, (k, v) => (v === undefined ? 'U' : v));
const cases = {
  minusOne: () => -1,
  plusOne: () => 1,
  zero: () => 0,
  boolean: (a, b) => a > b,
  booleanLess: (a, b) => a < b,
  nan: () => NaN,
  string: (a, b) => String(a - b),
  numeric: (a, b) => a - b,
  alternating: (() => { let i = 0; return () => (i++ % 3) - 1; })(),
};
const inputs = [
  [],
  [1],
  [2, 1],
  [1, 2],
  [3, 1, 2, 5, 4],
  [3, 1, 2, 5, 4, 9, 8, 7, 6, 0],
  [5, 5, 1, 5, 1, 2, 2, 9],
  Array.from({ length: 63 }, (_, i) => (i * 37) % 63),
];
for (const [name, cmp] of Object.entries(cases)) {
  for (const input of inputs) {
    const calls = [];
    const out = input.slice().sort((a, b) => {
      calls.push(a + ':' + b);
      return cmp(a, b);
    });
    console.log(name, show(out), calls.length, calls.slice(0, 12).join(' '));
  }
}
// Holes and undefined go last and are never passed to the comparator.
const holes = [3, , undefined, 1, , 2]; // eslint-disable-line no-sparse-arrays
const seen = [];
holes.sort((a, b) => { seen.push(a, b); return -1; });
console.log(show(holes), holes.length, 1 in holes, 4 in holes, 5 in holes, seen.includes(undefined));
console.log(show([3, , 1].toSorted(() => -1))); // eslint-disable-line no-sparse-arrays
console.log(show([4, 2, 3].toSorted((a, b) => a > b)));
// Objects as in json-stable-stringify: every object compares equal by <.
const keys = ['one', 'two', 'three'].map((key) => ({ key }));
console.log(keys.sort((a, b) => (a < b ? 1 : -1)).map((k) => k.key).join());
// Consistent comparators on long arrays agree with any stable sort.
const long = Array.from({ length: 300 }, (_, i) => ({ k: (i * 7919) % 13, i }));
console.log(long.sort((a, b) => a.k - b.k).map((o) => o.i).join(',').length, long[0].i, long[299].i);
// Errors and return values.
try { [2, 1].sort('nope'); } catch (e) { console.log(e.constructor.name); }
const arr = [2, 1];
console.log(arr.sort(() => -1) === arr, Array.prototype.sort.name, Array.prototype.sort.length);
try { Object.freeze([1]).sort(() => -1); console.log('frozen one ok'); } catch (e) { console.log('frozen one', e.constructor.name); }
try { Object.freeze([1, 2]).sort(() => -1); console.log('frozen two ok'); } catch (e) { console.log('frozen two', e.constructor.name); }
console.log(show(Array.prototype.sort.call({ length: 3, 0: 'c', 1: 'a', 2: 'b' }, (a, b) => (a < b ? -1 : 1))));
