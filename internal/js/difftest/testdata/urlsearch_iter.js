'use strict';
// URLSearchParams iteration (gnode: native keys/values/entries/next that
// read the objects in place): unparsed and parsed lists, a URL's
// searchParams, changes during iteration, exhausted iterators, subclasses,
// frozen objects, odd receivers, and the methods' own shape.
const mk = {
  text: () => new URLSearchParams('a=1&b=2&a=3&c=%20x+y'),
  parsed: () => { const s = new URLSearchParams('a=1&b=2&a=3&c=%20x+y'); s.size; return s; },
  pairs: () => new URLSearchParams([['a', '1'], ['b', '2'], ['a', '3'], ['c', ' x y']]),
  record: () => new URLSearchParams({ a: '1', b: '2', c: ' x y' }),
  empty: () => new URLSearchParams(''),
  url: () => new URL('http://h/p?a=1&b=2&a=3&c=%20x+y#f').searchParams,
  sub: () => new (class S extends URLSearchParams {})('a=1&b=2'),
  frozen: () => Object.freeze(new URLSearchParams('a=1&b=2')),
  sealedIter: () => new URLSearchParams('a=1&b=2'),
};
for (const [name, f] of Object.entries(mk)) {
  const sp = f();
  const out = [];
  for (const [k, v] of sp) out.push(k + '=' + v);
  out.push('|', [...sp.keys()].join(), '|', [...sp.values()].join(), '|', JSON.stringify([...sp.entries()]));
  out.push('|', JSON.stringify(Array.from(sp)), [...sp[Symbol.iterator]()].length);
  const it = sp.keys();
  out.push(JSON.stringify(it.next()), JSON.stringify(it.next()));
  if (name === 'sealedIter') Object.seal(it);
  if (!Object.isFrozen(sp)) sp.append('z', '26');
  out.push(JSON.stringify([...it]), JSON.stringify(it.next()), JSON.stringify(it.next()));
  console.log(name, out.join(' '));
}

// Changes while iterating: deletes, appends, sort, set, the URL's search.
{
  const sp = new URLSearchParams('a=1&b=2&c=3&d=4');
  const seen = [];
  for (const [k] of sp) {
    seen.push(k);
    if (k === 'a') sp.delete('b');
    if (k === 'c') sp.append('e', '5');
    if (seen.length > 10) break;
  }
  console.log(seen.join(), sp.toString());
  const u = new URL('http://h/?x=1&y=2');
  const it = u.searchParams.entries();
  console.log(JSON.stringify(it.next()));
  u.search = '?p=9&q=8&r=7';
  console.log(JSON.stringify([...it]), u.href);
  const s2 = new URLSearchParams('z=1&a=2&m=3');
  const i2 = s2.values();
  i2.next();
  s2.sort();
  console.log(JSON.stringify([...i2]));
}

// Results are fresh plain objects; iterators are their own iterables.
{
  const sp = new URLSearchParams('a=1');
  const it = sp.entries();
  const r1 = it.next();
  const r2 = it.next();
  console.log(Object.getPrototypeOf(r1) === Object.prototype, Object.keys(r1).join(), r1 !== r2, JSON.stringify(r2),
    it[Symbol.iterator]() === it, Object.prototype.toString.call(it), typeof it.next, Object.keys(it).length);
  r1.value.push('extra');
  console.log(JSON.stringify([...sp]));
}

// Receivers that are not URLSearchParams or its iterators.
const proto = URLSearchParams.prototype;
const iterProto = Object.getPrototypeOf(new URLSearchParams().keys());
for (const m of ['keys', 'values', 'entries']) {
  for (const r of [undefined, null, {}, 1, Object.create(proto), new URL('http://h/')]) {
    try {
      console.log(m, typeof r, JSON.stringify([...proto[m].call(r)]));
    } catch (e) {
      console.log(m, typeof r, e.name, e.code, e.message);
    }
  }
}
for (const r of [undefined, null, {}, 1, Object.create(iterProto), new URLSearchParams('a=1')]) {
  try {
    console.log('next', typeof r, JSON.stringify(iterProto.next.call(r)));
  } catch (e) {
    console.log('next', typeof r, e.name, e.code, e.message);
  }
}
console.log(proto[Symbol.iterator] === proto.entries, proto.keys.name, proto.values.name, proto.entries.name,
  proto.keys.length, iterProto.next.name, iterProto.next.length, Object.keys(proto).join());
for (const m of ['keys', 'values', 'entries']) {
  const d = Object.getOwnPropertyDescriptor(proto, m);
  console.log(m, d.enumerable, d.writable, d.configurable);
}
const d = Object.getOwnPropertyDescriptor(proto, Symbol.iterator);
console.log('iterator', d.enumerable, d.writable, d.configurable);

// Many iterations (each a new object and two loops).
let n = 0;
for (let i = 0; i < 3000; i++) {
  const sp = new URLSearchParams('a=1&b=hello&c=' + i + '&d=4');
  for (const [k, v] of sp) n += k.length + v.length;
  for (const k of sp.keys()) n += k.length;
  for (const v of new URL('http://h/?q=' + i).searchParams.values()) n += v.length;
}
console.log(n);
