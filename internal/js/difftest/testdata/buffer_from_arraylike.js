// Buffer.from(array-like): the length goes through ToLength (negative, NaN and fractions), a non-number length is an empty buffer, one above kMaxLength is a RangeError (not a length taken modulo 2^32), elements are converted like Uint8Array's.
const out = [];
const show = (x) => `${x.constructor.name} ${x.length} ${x.toString('hex')}`;
const cases = [
  { length: -1 }, { length: -Infinity }, { length: NaN }, { length: 0.5 }, { length: 1.5, 0: 7 },
  { length: '2', 0: 1, 1: 2 }, { length: null }, { length: 3, 0: 1, 1: '2', 2: 300 },
  { length: 2, 0: -1, 1: 1.9 }, [1, , 3], { length: 2 ** 32 + 1 }, { length: 2 ** 53 }, { length: 2 ** 60 },
  { length: Infinity }, { type: 'Buffer', data: [1, 2, 255] }, { type: 'Buffer', data: 'ab' },
  new Uint16Array([1, 258]), { buffer: new ArrayBuffer(2), length: 2, 0: 9 },
];
for (const c of cases) {
  try { out.push(show(Buffer.from(c))); } catch (e) { out.push(`${e.name} ${e.code} ${e.message}`); }
}
console.log(out.join('\n'));
