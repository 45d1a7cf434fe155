'use strict';
// querystring.parse results built natively: a null prototype, keys in
// node's order, one value or an array per key; objects with the same key
// sequence share a cached shape, so each must still be an independent
// ordinary object. Also custom separators and maxKeys (native for ASCII
// separators) against node's character loop.
const qs = require('querystring');

function show(label, o) {
  const keys = Object.keys(o);
  const desc = keys.map((k) => {
    const d = Object.getOwnPropertyDescriptor(o, k);
    return `${k}:${d.writable}${d.enumerable}${d.configurable}`;
  });
  console.log(label, JSON.stringify(o), Object.getPrototypeOf(o), JSON.stringify(keys), JSON.stringify(desc),
    Object.isExtensible(o), Object.getOwnPropertySymbols(o).length);
}

// The same key sequence many times: independent objects.
const made = [];
for (let i = 0; i < 5; i++) made.push(qs.parse(`a=${i}&b=x%20${i}&c=${i}&a=${i + 1}`));
made[0].extra = 1;
delete made[1].b;
made[2].a.push('pushed');
made[3].c = 'changed';
Object.freeze(made[4]);
for (const [i, o] of made.entries()) show(`same ${i}`, o);
show('after', qs.parse('a=9&b=x%209&c=9&a=10'));

// More key sequences than the cache keeps, then the first ones again.
for (let round = 0; round < 2; round++) {
  for (let n = 0; n < 45; n++) {
    const q = `k${n}=1&m${n % 7}=2&k${n}=3&z=${n}`;
    const o = qs.parse(q);
    if (n % 9 === 0 || round === 1 && n % 5 === 0) show(`seq ${round} ${n}`, o);
  }
}

// Keys that are special to objects or engines.
for (const q of ['__proto__=1&b=2', 'constructor=1&hasOwnProperty=2&toString=3', '0=a&b=1&1=c&-1=d&01=e&4294967295=f&4294967294=g',
  'length=3&0=x', '__proto__=1&__proto__=2', '=1&=2', '&&&', 'a', 'a=', '=a', 'é=ü&€=%E2%82%AC&%F0%9F%98%80=1',
  'a=\ud800&\udc00=b', 'x=%zz&y=%E2%82&z=%C3%A9%', '+a+=+b+&%2B=%20']) {
  show(JSON.stringify(q), qs.parse(q));
  show(JSON.stringify(q) + ' again', qs.parse(q));
}

// Long keys (beyond the cached length) and many keys.
const long = 'k'.repeat(300);
show('long', qs.parse(`${long}=1&${long}x=2`));
show('long again', qs.parse(`${long}=1&${long}x=2`));
let many = '';
for (let i = 0; i < 1200; i++) many += `k${i % 300}=${i}&`;
const m = qs.parse(many);
console.log('many', Object.keys(m).length, m.k0.length, m.k299.join(','));
console.log('many maxKeys 0', Object.keys(qs.parse(many, null, null, { maxKeys: 0 })).length);
console.log('many maxKeys 10', JSON.stringify(qs.parse(many, null, null, { maxKeys: 10 })));

// Custom separators, maxKeys and their corner cases.
const seps = ['&', ';', '; ', '&&', 'ab', '+', '%', '=', '==', 'x+', '&=', '%2', ', '];
const eqs = ['=', ':', '==', '+', '%', 'ab', '=+'];
const strs = ['a=1&b=2', 'a:1;b:hello%20world;c:3;d:x+y', 'a; b=1; c=%41', 'a&&b&&&c=1', 'aab=1ab', 'k+v+w',
  'x%2y%2z', 'a==b==c', 'x+y=1x+z', '%41%42ab%43=%zz', '', 'ab', '&=&=', 'é=€;ü:%E2%82%AC', 'a, b, c=d, e'];
for (const s of strs) {
  for (const sep of seps) {
    for (const eq of eqs) {
      for (const mk of [undefined, 2, 0, -1, 1.5, NaN, Infinity, 2 ** 32 + 1]) {
        const r = qs.parse(s, sep, eq, mk === undefined ? undefined : { maxKeys: mk });
        console.log(JSON.stringify([s, sep, eq, mk]), JSON.stringify(r), Object.getPrototypeOf(r));
      }
    }
  }
}

// Separators that are not strings, or not ASCII.
const odd = [[{ toString() { return ';'; } }, 1], [5, '5'], ['é', 'ü'], ['\u2028', '='], [null, undefined], [0, ''], [true, false]];
for (const [sep, eq] of odd) {
  console.log(JSON.stringify(String(sep)), JSON.stringify(qs.parse('a=1;b5c;déeü2é3&x\u2028y=z', sep, eq)));
}

// A custom decoder keeps the JavaScript path, with the same result shape.
show('decoder', qs.parse('a=1&b=2&a=3', null, null, { decodeURIComponent: (s) => s.toUpperCase() }));
