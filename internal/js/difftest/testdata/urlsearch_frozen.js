'use strict';
// A frozen (or non-extensible) URLSearchParams works as in node, whose
// state is in private fields that freezing does not touch: every method
// on unparsed and parsed lists and on a URL's searchParams.
for (const mk of [() => new URLSearchParams('a=1&b=2'), () => { const s = new URLSearchParams('a=1&b=2'); s.size; return s; }, () => new URL('http://h/?a=1&b=2').searchParams]) {
  const sp = Object.freeze(mk());
  const out = [];
  out.push(sp.get('a'), sp.has('b'), sp.getAll('a').join(), sp.size, [...sp].join('|'), String(sp));
  sp.append('c', '3'); out.push(String(sp), sp.get('c'));
  sp.set('a', 'x'); out.push(String(sp), sp.get('a'));
  sp.delete('b'); out.push(String(sp), sp.has('b'));
  sp.sort(); out.push(String(sp), [...sp.keys()].join());
  const it = sp.values(); sp.append('d', '4'); out.push([...it].join());
  sp.forEach((v, k) => out.push(k + v));
  out.push(new URLSearchParams(sp).toString(), Object.isFrozen(sp));
  console.log(JSON.stringify(out));
}
const u = new URL('http://h/?q=1'); Object.freeze(u.searchParams); u.search = '?z=9'; console.log(u.searchParams.get('z'), String(u.searchParams));
u.searchParams.append('y', '8'); console.log(u.href); u.href = 'http://h/?w=7'; console.log(u.searchParams.get('w'), u.searchParams.get('y'));
const ne = Object.preventExtensions(new URLSearchParams('p=1')); ne.append('q', '2'); console.log(String(ne), ne.get('q'));
