// node:v8: serialize writes V8's wire format (compared byte for byte with
// node's), deserialize reads it back, and the heap figures have Node's shape.
const v8 = require('v8');
const util = require('util');
const hex = (v) => v8.serialize(v).toString('hex');
const o = {};
const sparse = [1, , 3];
const withProp = [1];
withProp.x = 2;
const values = [
  undefined, null, true, false, 0, 1, -1, 1.5, -0, 2 ** 31, 2 ** 31 - 1, -(2 ** 31), 2 ** 30, NaN, Infinity,
  '', 'abc', '\u00e9t\u00e9', 'ab\u20ac', '\u{1F600}', 'x'.repeat(300),
  10n, -10n, 0n, 2n ** 70n,
  { a: 1, b: 'x', 1: 2 }, [1, 2, 3], sparse, withProp, [o, o], { nested: { deep: [null] } },
  new Map([[1, 'one'], ['k', { v: 2 }]]), new Set([1, 'two']), new Date(0), /a.b/gimsuy,
  Buffer.from('hi'), new Uint8Array([1, 2]), new Uint16Array([1, 65535]), new Float64Array([0.5]),
  new BigInt64Array([-1n]), new DataView(new ArrayBuffer(3)), new ArrayBuffer(2),
  Object(1), Object('s'), Object(false), Object(true), Object(5n),
];
for (const v of values) {
  const bytes = hex(v);
  const back = v8.deserialize(v8.serialize(v));
  console.log(util.inspect(v, { depth: 4 }).slice(0, 60), bytes.slice(0, 120), util.isDeepStrictEqual(back, v) || util.inspect(back));
}
const cyc = { name: 'c' };
cyc.self = cyc;
const c2 = v8.deserialize(v8.serialize(cyc));
console.log(c2.self === c2, c2.name);
const e = v8.deserialize(v8.serialize(new TypeError('bad', { cause: 7 })));
console.log(e instanceof TypeError, e.message, e.cause, typeof e.stack);
const shared = v8.deserialize(v8.serialize([o, o]));
console.log(shared[0] === shared[1]);
console.log(Buffer.isBuffer(v8.deserialize(v8.serialize(Buffer.from('a')))));
for (const bad of [() => 1, Symbol('s'), Promise.resolve()]) {
  try { v8.serialize(bad); } catch (err) { console.log(err.constructor.name, err.message.replace(/\s+/g, ' ')); }
}
const ser = new v8.Serializer();
ser.writeHeader();
ser.writeValue({ x: 1 });
ser.writeUint32(300);
ser.writeDouble(2.5);
const buf = ser.releaseBuffer();
console.log(buf.toString('hex'));
const des = new v8.Deserializer(buf);
des.readHeader();
console.log(des.getWireFormatVersion(), des.readValue(), des.readUint32(), des.readDouble());
const h = v8.getHeapStatistics();
console.log(Object.keys(h).join(), Object.values(h).every((n) => typeof n === 'number'), h.used_heap_size > 0, h.heap_size_limit > h.used_heap_size);
console.log(v8.getHeapSpaceStatistics().every((s) => typeof s.space_name === 'string' && typeof s.space_used_size === 'number'));
console.log(typeof v8.cachedDataVersionTag(), v8.cachedDataVersionTag() === v8.cachedDataVersionTag(), v8.setFlagsFromString('--no-opt'));
