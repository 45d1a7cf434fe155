'use strict';
// The messages both ends send with serialization 'advanced', and how the
// receiver prints each one: util.inspect, except where node's own output
// depends on its read buffers (a DataView shows its whole ArrayBuffer) or
// on the sender's call stack (an Error's stack).
const util = require('util');

module.exports.values = () => {
  const circular = { x: 1 };
  circular.self = circular;
  const list = [1];
  list.push(list);
  return [
    { a: 1, s: 'str', n: null, u: undefined, sparse: [1, , 3] },
    new Map([[1, 'one'], ['k', { v: [1, 2] }]]),
    new Set([1, 'two', 3n]),
    new Date(1700000000000),
    /ab+c/gi,
    { big: 12345678901234567890n, neg: -5n, zero: 0n },
    new Uint8Array([1, 2, 3]),
    new Uint8ClampedArray([255]),
    new Int8Array([-1]),
    new Uint16Array([1, 65535]),
    new Int16Array([-2]),
    new Uint32Array([4294967295]),
    new Float32Array([0.5]),
    new Float64Array([1.5, -2]),
    new Int32Array([-1, 2]),
    new BigInt64Array([1n, -2n]),
    new BigUint64Array([18446744073709551615n]),
    Buffer.from('héllo'),
    { buf: Buffer.from([0, 255]), views: [new Uint8Array(new ArrayBuffer(16), 4, 8)] },
    new DataView(new Uint8Array([9, 8, 7, 6]).buffer, 1, 2),
    circular,
    list,
    [undefined, null, NaN, -0, Infinity, -Infinity],
    'plain string', 'ünïcödé ✓', 42, 1.25, -7, true, false, null,
    { nested: { map: new Map([[new Set([1]), new Date(0)]]) } },
    new ArrayBuffer(3),
    Object.assign(new RangeError('boom'), { code: 'E1' }),
    { cmd: 'NOT_INTERNAL', arr: new Array(3) },
    { long: 'x'.repeat(100000) },
  ];
};

module.exports.show = (m) => {
  if (m instanceof DataView) {
    return `DataView ${m.byteLength} ${Buffer.from(m.buffer, m.byteOffset, m.byteLength).toString('hex')}`;
  }
  if (m instanceof Error) {
    return `${m.constructor.name} ${m.name} ${m.message} ${util.inspect(m.code)} ${Object.keys(m)}`;
  }
  if (m && typeof m.long === 'string') return `long ${m.long.length}`;
  return util.inspect(m, { depth: 6 });
};
