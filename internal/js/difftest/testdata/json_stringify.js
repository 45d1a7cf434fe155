// JSON.stringify over plain data (gnode's Go fast path) and everything the
// fast path hands back to the engine must match node byte for byte.
const cases = [
  {}, [], { a: 1, b: 'x', c: [1, 2, { d: null }], e: true, f: false },
  { u: undefined, s: Symbol('x'), fn() {}, k: 1 }, [undefined, Symbol('y'), () => 1, 3],
  'quote" back\\ nl\n tab\t ctl\u0001 \u007f café ☃ 😀 lone \ud800 end \udc00',
  [1.5, -0, 1e21, 1e-7, 123456789012345680000, 0.000001, NaN, -Infinity, 2 ** 53, 5e-324, 0.1 + 0.2],
  Object.assign(Object.create(null), { x: [1] }),
  { 1: 'int key first', a: 2, 0: 'zero' },
  { toJSON() { return { replaced: true }; } },
  { d: new Date(0), n: new Number(3), s: new String('s'), b: new Boolean(false) },
  { get g() { return 'getter'; }, m: new Map([[1, 2]]), set: new Set([1]) },
  new (class K { constructor() { this.a = 1; } })(),
  JSON.parse('{"z":1,"a":[{"b":"c"}],"n":-12.5e3,"__proto__":{"x":1}}'),
  Array.from({ length: 20 }, (_, i) => ({ i, s: 'v' + i, f: i / 7 })),
];
const sparse = [1, 2]; sparse.length = 4; cases.push(sparse);
const deleted = { a: 1, b: 2, c: 3 }; delete deleted.b; cases.push(deleted);
const hidden = {}; Object.defineProperty(hidden, 'h', { value: 1 }); hidden.v = 2; cases.push(hidden);
for (const c of cases) {
  for (const space of [undefined, 2, '\t', 'abcdefghijkl', 20, -1, new Number(3), new String('--')]) {
    console.log(JSON.stringify(c, null, space));
  }
  console.log(JSON.stringify(c, (k, v) => (typeof v === 'number' ? v + 1 : v)), JSON.stringify(c, ['a', 'i']));
}
const cyc = { a: 1 }; cyc.self = cyc;
try { JSON.stringify(cyc); } catch (e) { console.log(e.name); }
try { JSON.stringify({ big: 10n }); } catch (e) { console.log(e.name); }
Object.prototype.toJSON = function () { return 'proto'; };
console.log(JSON.stringify({ a: 1 }), JSON.stringify([1]));
delete Object.prototype.toJSON;
console.log(JSON.stringify.name, JSON.stringify.length, JSON.stringify(undefined), JSON.stringify(function () {}));
