'use strict';
// URL's getters, toString and toJSON on every kind of receiver: plain URLs
// (gnode reads them natively), subclasses, URLs with own properties, frozen
// or re-prototyped URLs, URLs changed by setters, IDNA hosts (the
// JavaScript parser's records), and objects that are not URLs (Node's
// TypeErrors), plus the accessors' own names, lengths and descriptors.
const names = ['href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname', 'port',
  'pathname', 'search', 'hash'];
const all = (u) => names.map((k) => `${k}=${JSON.stringify(u[k])}`).join(' ');

const inputs = [
  'https://user:pw@example.com:8080/a/c?x=1#frag',
  'http://example.com',
  'http://example.com:80/',
  'https://example.com:443/p',
  'ws://h:81/x?y#z', 'wss://h/', 'ftp://u@h:21/f', 'ftp://h:2121/f',
  'http://:pw@h/', 'http://u:@h/', 'http://u@h/', 'http://@h/',
  'http://h/?', 'http://h/#', 'http://h/?#', 'http://h/p?#x', 'http://h/p?q#',
  'http://[::1]:3000/a', 'http://192.168.0.1/', 'http://0x7f.1/', 'http://h/%7Efoo/ bar?a b#c d',
  'file:///etc/passwd', 'file://host/share/x', 'file:///C:/x/y?q#f',
  'blob:https://example.com:444/uuid', 'blob:http://h/x', 'blob:file:///x', 'blob:ftp://h/x', 'blob:nothing',
  'data:text/plain,hello world', 'javascript:alert(1)', 'mailto:a@b.c', 'about:blank',
  'foo://bar/baz', 'foo:/x', 'foo://', 'foo:', 'non-special://u:p@h:1/p?q#f',
  'sc://ñ.test/', 'http://ÉXAMPLE.com/ä?ö#ü', 'http://xn--nxasmq6b.com/', 'https://münchen.de:8443/straße',
  'http://example.com/' + 'a'.repeat(300) + '?' + 'q'.repeat(100),
  'HTTP://EXAMPLE.COM/UPPER', 'http://h/a/./b/../c', 'http://h\\x\\y',
];
for (const s of inputs) {
  let u;
  try {
    u = new URL(s);
  } catch (e) {
    console.log('invalid', JSON.stringify(s), e.code);
    continue;
  }
  console.log(all(u), String(u), JSON.stringify(u), u.toJSON(), u.searchParams.toString());
}

// Relative inputs against a base.
for (const [i, b] of [['../x?y', 'http://h/a/b/c'], ['//other:9/p', 'https://h/'], ['#f', 'file:///a/b'], ['?q', 'http://h/x?old#f'], ['', 'foo://h/p#x']]) {
  console.log(all(new URL(i, b)));
}

// Setters change what the getters read; searchParams stays the same object.
{
  const u = new URL('http://u:p@h:1/p?q=1#f');
  const sp = u.searchParams;
  for (const [k, v] of [['protocol', 'https'], ['username', 'x y'], ['password', ''], ['host', 'other:99'],
    ['hostname', 'münchen.de'], ['port', '443'], ['pathname', '/a b/c'], ['search', 'z=2&w'], ['hash', 'h h'],
    ['href', 'ftp://f/x?a=b'], ['search', ''], ['hash', '']]) {
    u[k] = v;
    console.log(k, all(u), u.searchParams === sp, sp.toString());
  }
  sp.append('k', 'v');
  console.log(all(u));
}

// Subclasses, own properties, frozen, sealed, another prototype.
class MyURL extends URL {
  get pathname() { return 'sub:' + super.pathname; }
}
const variants = {
  subclass: () => new MyURL('http://h:5/p?q#f'),
  ownProp: () => { const u = new URL('http://h:5/p?q#f'); u.extra = 1; return u; },
  frozen: () => Object.freeze(new URL('http://h:5/p?q#f')),
  sealed: () => Object.seal(new URL('http://h:5/p?q#f')),
  nonExtensible: () => Object.preventExtensions(new URL('http://h:5/p?q#f')),
  reproto: () => Object.setPrototypeOf(new URL('http://h:5/p?q#f'), Object.create(URL.prototype)),
  afterDelete: () => { const u = new URL('http://h:5/p?q#f'); u.tmp = 1; delete u.tmp; return u; },
  symbolProp: () => { const u = new URL('http://h:5/p?q#f'); u[Symbol('s')] = 1; return u; },
};
for (const [name, mk] of Object.entries(variants)) {
  const u = mk();
  console.log(name, all(u), String(u), JSON.stringify({ u }), u.searchParams.get('q'));
  u.search = '?q=2';
  console.log(name, u.href, u.search, u.searchParams.get('q'));
}

// Receivers that are not URLs: Node's TypeErrors (names, messages).
const proto = URL.prototype;
const receivers = [undefined, null, {}, Object.create(URL.prototype), new URLSearchParams('a=1'), 1, 'http://h/',
  new Proxy(new URL('http://h/'), {})];
for (const k of [...names, 'searchParams']) {
  const get = Object.getOwnPropertyDescriptor(proto, k).get;
  for (const r of receivers) {
    try {
      console.log(k, typeof r, get.call(r));
    } catch (e) {
      console.log(k, typeof r, e.name, e.message);
    }
  }
}
for (const m of ['toString', 'toJSON']) {
  for (const r of receivers) {
    try {
      console.log(m, typeof r, proto[m].call(r));
    } catch (e) {
      console.log(m, typeof r, e.name, e.message);
    }
  }
}

// The accessors themselves.
for (const k of [...names, 'searchParams']) {
  const d = Object.getOwnPropertyDescriptor(proto, k);
  console.log(k, typeof d.get, d.get.name, d.get.length, typeof d.set, d.set && d.set.name, d.enumerable, d.configurable);
}
for (const m of ['toString', 'toJSON']) {
  const d = Object.getOwnPropertyDescriptor(proto, m);
  console.log(m, d.value.name, d.value.length, d.enumerable, d.configurable, d.writable);
}
console.log(Object.keys(new URL('http://h/')), Object.getOwnPropertyNames(new URL('http://h/')));
console.log(JSON.stringify(Object.keys(proto)));

// Many URLs read in a loop (each parse, then every getter).
let acc = 0;
for (let i = 0; i < 2000; i++) {
  const u = new URL(`https://u${i % 3 ? '' : ':p'}@h${i}.example.com:${1000 + i}/p/${i}?a=${i}#${i % 2 ? 'x' : ''}`);
  acc += all(u).length + u.searchParams.get('a').length;
}
console.log(acc);

// A getter result is an ordinary string.
const u = new URL('http://example.com/path?x#y');
const p = u.pathname;
console.log(p === '/path', typeof p, p.length, p + '!', u.origin === 'http://example.com', u.host === u.hostname);
