// JSON.stringify writes array-index keys first in ascending order, also indices of 2^31 and above
// (string atoms in QuickJS, not tagged integers); 2^32-1 and non-canonical forms are plain strings.
const keys = ['b', '4294967294', 'a', '2147483648', '2147483647', '4294967295', '0123456789', '1e3', '10', '3000000000x', '9999999999', '٣'];
const o = {};
for (const k of keys) o[k] = k.length;
console.log(JSON.stringify(o));
console.log(Object.keys(o).join());
console.log(JSON.stringify(JSON.parse(JSON.stringify(o))));
const p = { z: 1 }; p[4294967290] = 2; p.y = 3;
console.log(JSON.stringify(p), JSON.stringify(p, null, 2).split('\n').length);
console.log(JSON.stringify([{ b: 1, 3000000000: { x: 1, 2200000000: 2 } }]));
