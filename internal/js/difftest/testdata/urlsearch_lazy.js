'use strict';
// URLSearchParams keeps query text unparsed until the list is needed and
// has native get/getAll/has/append/set/toString: every method in either
// state, the link with a URL both ways, live iterators, odd arguments and
// receivers, and text that is not already serialized.
const texts = ['', '?', '??a=1', 'a=1&b=2&a=3', 'a+b=c+d&a%20b=e', '%41=%42&A=C', '&&a&&=&=x&', 'a=%zz&b=%E2%82&c=%C3%A9%',
  'é=ü&€=%E2%82%AC&%F0%9F%98%80=1', 'a=\ud800&\udc00=b', 'x=%FF%FE&y=%ED%A0%80', 'k=v=w&k', 'z=1&b=2&a=3&b=1&c=x',
  '\ufffd=1&\ue000=2&\u{1F600}=3&a=4', 'a=1;b=2', '+=+&%2B=%2B', 'name=a%26b%3Dc', 'a=1&A=2&a=3&a=4'];
const names = ['a', 'b', 'A', 'a b', '', 'zz', 'é', '€', '\u{1F600}', '\ud800', '\udc00', '\ufffd', 'k', 'x', 'name', '+', ' '];

function state(sp) {
  return JSON.stringify([sp.toString(), sp.size, [...sp]]);
}

for (const t of texts) {
  const sp = new URLSearchParams(t);
  const parts = [];
  for (const n of names) parts.push(JSON.stringify([sp.get(n), sp.getAll(n), sp.has(n), sp.has(n, '1'), sp.has(n, undefined)]));
  console.log(JSON.stringify(t), parts.join(' '));
  console.log(' toString', JSON.stringify(new URLSearchParams(t).toString()), state(sp));
  const m = new URLSearchParams(t);
  m.append('a', 'new 1');
  m.set('b', 'B+b');
  console.log(' modified', state(m), m.get('a'), m.getAll('b'));
  const s2 = new URLSearchParams(t);
  s2.sort();
  console.log(' sorted', state(s2));
  const s3 = new URLSearchParams(t);
  s3.set('a', 'only');
  s3.delete('b');
  console.log(' set/delete', state(s3));
  console.log(' copy', state(new URLSearchParams(new URLSearchParams(t))), state(new URLSearchParams(sp)));
}

// Arguments that need conversion go through the JavaScript methods.
const sp = new URLSearchParams('1=one&null=n&undefined=u&[object Object]=o&true=t');
for (const arg of [1, null, undefined, {}, true, { toString() { return 'true'; } }]) {
  console.log('arg', String(arg), sp.get(arg), sp.getAll(arg), sp.has(arg), sp.has(arg, 'n'));
}
for (const call of [() => sp.get(), () => sp.getAll(), () => sp.has(), () => sp.append('a'), () => sp.set('a'), () => sp.get(Symbol('s')),
  () => sp.append(Symbol('s'), 1), () => sp.set('a', Symbol('s'))]) {
  try {
    console.log('call', call());
  } catch (e) {
    console.log('throws', e.name, e.code, e.message);
  }
}
sp.append('extra', 'args', 'ignored');
sp.set('1', 'uno', 'ignored');
console.log(sp.toString());
for (const recv of [{}, null, undefined, 1, 'a=1', new URL('http://x/?a=1'), Object.create(URLSearchParams.prototype)]) {
  for (const m of ['get', 'getAll', 'has', 'append', 'set', 'toString', 'sort', 'delete', 'forEach', 'entries']) {
    try {
      const r = URLSearchParams.prototype[m].call(recv, 'a', 'b');
      console.log('recv', m, typeof r);
    } catch (e) {
      console.log('recv', m, e.name, e.code);
    }
  }
}
for (const m of ['get', 'getAll', 'has', 'append', 'set', 'toString', 'sort', 'delete']) {
  const f = URLSearchParams.prototype[m];
  const d = Object.getOwnPropertyDescriptor(URLSearchParams.prototype, m);
  console.log('method', m, f.name, f.length, d.writable, d.enumerable, d.configurable, typeof d.value);
}

// A URL's searchParams, kept in sync both ways.
const u = new URL('https://h.example/p?q=1&r=%20x&q=2#frag');
const usp = u.searchParams;
console.log(usp.get('q'), usp.getAll('q'), usp.has('r'), usp.toString(), u.href);
usp.append('s', 'a b');
console.log(u.href, u.search);
usp.set('q', 'only');
console.log(u.href);
u.search = '?t=9&t=10';
console.log(usp.get('t'), usp.getAll('t'), usp.toString(), usp.size);
u.href = 'https://other.example/?x=%41';
console.log(usp.get('x'), usp.has('t'), [...usp]);
usp.sort();
console.log(u.href);
usp.delete('x');
console.log(u.href, JSON.stringify(u.search));
u.search = '';
console.log(usp.size, usp.toString(), u.href);
const u2 = new URL('https://h/?b=2&a=1');
u2.searchParams.sort();
console.log(u2.href);
const u3 = new URL('https://h/??a=1');
console.log(u3.searchParams.get('?a'), u3.searchParams.toString());

// Iterators index into the current list.
const live = new URLSearchParams('a=1&b=2&c=3');
const it = live.entries();
console.log(JSON.stringify(it.next()));
live.append('d', '4');
live.delete('b');
console.log(JSON.stringify([...it]));
const kit = live.keys();
const vit = live.values();
live.set('a', 'x');
console.log(JSON.stringify([...kit]), JSON.stringify([...vit]), Object.prototype.toString.call(kit));
const lazyIt = new URLSearchParams('p=1&q=2').values();
console.log(JSON.stringify([...lazyIt]), JSON.stringify(lazyIt.next()));
const linked = new URL('https://h/?m=1&n=2');
const lit = linked.searchParams.keys();
console.log(JSON.stringify(lit.next()));
linked.search = '?o=3&p=4&q=5';
console.log(JSON.stringify([...lit]));
try {
  it.next.call({});
} catch (e) {
  console.log('next', e.name, e.code);
}
const fe = new URLSearchParams('a=1&b=2&c=3');
fe.forEach((v, k, o) => {
  console.log('forEach', k, v, o === fe);
  if (k === 'a') fe.append('z', '26');
  if (k === 'b') fe.delete('c');
});

// Inspection and construction from other inits.
console.log(new URLSearchParams('a=1&b=%20'), new URLSearchParams(''), new URLSearchParams('a=1').entries());
console.log(new URLSearchParams({ a: 1, b: [2, 3], a2: 'x' }).toString(), new URLSearchParams([['x', 'y'], ['x', 'z']]).getAll('x'));
console.log(new URLSearchParams(new Map([['m', 'n']])).get('m'), new URLSearchParams(12).toString(), new URLSearchParams(null).size);

// Many pairs (past the lists built in one allocation).
let big = '';
for (let i = 0; i < 100; i++) big += `k${i % 10}=${i}&`;
const bsp = new URLSearchParams(big);
console.log(bsp.getAll('k3').join(','), bsp.get('k9'), bsp.size);
bsp.sort();
console.log(bsp.toString().slice(0, 80), bsp.size);
bsp.append('k0', 'last');
bsp.set('k1', 'one');
console.log(bsp.getAll('k0').length, bsp.getAll('k1'), bsp.size);

// Node keeps the state in private fields: nothing to see or compare.
const util = require('util');
const ea = new URLSearchParams('a=1');
const eb = new URLSearchParams('a=2');
const ec = new URLSearchParams('a=1');
ec.get('a');
console.log(ec.size, util.isDeepStrictEqual(ea, eb), util.isDeepStrictEqual(ea, ec), util.isDeepStrictEqual(new URLSearchParams(), new URLSearchParams('')));
console.log(Object.keys(ea), JSON.stringify(ea), Object.getOwnPropertyNames(ea), JSON.stringify({ ...new URL('http://h/?x=1').searchParams }));
