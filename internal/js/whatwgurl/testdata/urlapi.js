'use strict';
// The URL API as the runtime exposes it, printed one JSON line per check;
// node_diff_test.go runs this under node and under gnode and compares the
// lines. Inputs come from a seeded generator so both see the same ones;
// most take the Go fast path (special and file URLs of plain characters),
// the rest the state machine or the JavaScript parser (IDNA hosts).
const util = require('util');
const url = require('url');

let seed = 12345;
function rand() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (a) => a[Math.floor(rand() * a.length)];

const out = [];
const emit = (label, fn) => {
  let v;
  try {
    v = fn();
  } catch (e) {
    v = { threw: e.constructor.name, code: e.code, message: e.message };
  }
  out.push(label + ' ' + JSON.stringify(v));
};
const parts = (u) => [u.href, u.origin, u.protocol, u.username, u.password, u.host, u.hostname, u.port,
  u.pathname, u.search, u.hash, [...u.searchParams]];

const schemes = ['http', 'https', 'HTTPS', 'ws', 'wss', 'ftp', 'file', 'FiLe', 'foo', 'blob'];
const users = ['', '', '', 'u@', 'u:p@', ':p@', 'u:@', ':@', 'u%41:p~@'];
const hosts = ['example.com', 'EXAMPLE.com', 'a-b.c_d', 'h', 'h.', 'xn--nxasmq6b', 'ÉX.com', '1.2.3.4', 'h.09',
  '[::1]', 'a.xn--b', 'localhost', 'h.0x1f'];
const ports = ['', '', ':', ':80', ':443', ':21', ':0', ':08', ':65535', ':65536', ':8080'];
const paths = ['', '/', '/a/b', '/a/./b/../c', '/..', '/a/..', '/a/.', '//x//', '/~u/p;x=1,2/(a)*!$', '/a%20b',
  '/C:/x', '/c|/y', '/a b', '/é', '/%2e/'];
const queries = ['', '', '?', '?a=1&b=2', '?q=%zz&x', '?a=b?c', "?'", '?a+b=c d'];
const frags = ['', '', '#', '#f', '#a#b', '#`'];
const inputs = [];
for (let i = 0; i < 1500; i++) {
  const s = pick(schemes);
  const slashes = s.toLowerCase() === 'file' && rand() < 0.7 ? '///' : pick(['//', '//', '//', '/', '///']);
  const authority = s.toLowerCase() === 'file' && slashes === '///' ? '' : pick(users) + pick(hosts) + pick(ports);
  inputs.push(s + ':' + slashes + authority + pick(paths) + pick(queries) + pick(frags));
}
inputs.push('https://user:pw@example.com:8080/a/b/../c?x=1#frag', 'http://h', 'HTTP://H:80/A?B#C', 'file:///',
  'file:///a/b/c.js', 'file://host/x', 'file:////x', 'http:///h', 'http:h', 'sc:/.//p', 'mailto:a@b', 'data:,x',
  'blob:https://a.com/uuid', 'blob:foo', ' http://h/ ', 'http://h/\t\nx', 'http://a@b@c/', 'http://h:1x/', '');

for (const input of inputs) emit(`URL ${JSON.stringify(input)}`, () => parts(new URL(input)));
for (const input of inputs.slice(0, 300)) emit(`canParse ${JSON.stringify(input)}`, () => URL.canParse(input));
const bases = ['file:///work/src/index.js', 'http://h/a/b?q#f', 'https://u:p@h:8/a/'];
const relBases = ['file:///work/src/index.js', 'file:///', 'file://host/share/f', 'http://u:p@h:8/a/b/c?q#f', 'https://h',
  'ws://h/a/', 'file:///C:/x/y', 'foo://h/a/b'];
const segs = ['a', 'b.js', '.', '..', '', 'x y', '%2e', 'c:d', 'C|', '~u', 'é'];
for (let i = 0; i < 400; i++) {
  let rel = rand() < 0.2 ? '/' : rand() < 0.3 ? './' : '';
  const n = 1 + Math.floor(rand() * 4);
  for (let k = 0; k < n; k++) rel += (k ? '/' : '') + pick(segs);
  rel += pick(['', '', '?q=1', '#h', '?#']);
  const b = pick(relBases);
  emit(`rel ${JSON.stringify(rel)} base ${b}`, () => parts(new URL(rel, b)));
}
for (const rel of ['./x.js', '../y', '/abs', '?q', '#f', '//other/p', 'x/./y/../z', 'http://new/', '']) {
  for (const b of bases) emit(`URL ${JSON.stringify(rel)} base ${b}`, () => parts(new URL(rel, b)));
}

// Conversion of arguments, missing arguments, failures.
emit('no args', () => new URL());
emit('undefined', () => new URL(undefined));
emit('null', () => new URL(null));
emit('object input', () => new URL({ toString: () => 'http://obj/' }).href);
emit('base undefined', () => new URL('http://a', undefined).href);
emit('bad base', () => new URL('x', 'nope'));
emit('symbol', () => new URL(Symbol('s')));
emit('symbol base', () => new URL('http://a/', Symbol('s')));
emit('symbol setter', () => { const u = new URL('http://a/'); u.pathname = Symbol('p'); });
emit('symbol href', () => { const u = new URL('http://a/'); u.href = Symbol('p'); });
emit('symbol canParse', () => URL.canParse(Symbol('p')));
emit('canParse none', () => URL.canParse());
emit('canParse undefined', () => URL.canParse(undefined));
emit('canParse rel', () => [URL.canParse('x', 'http://a/'), URL.canParse('x'), URL.canParse('x', 'bad')]);
emit('parse', () => [URL.parse('http://a/b').href, URL.parse('nope'), URL.parse('x', 'http://h/').href]);
emit('lengths', () => [URL.length, URL.parse.length, URL.canParse.length, URL.name]);

// The prototype as node defines it.
emit('proto names', () => Object.getOwnPropertyNames(URL.prototype));
emit('proto descriptors', () => Object.getOwnPropertyNames(URL.prototype).map((k) => {
  const d = Object.getOwnPropertyDescriptor(URL.prototype, k);
  return [k, typeof d.get, typeof d.set, typeof d.value, d.enumerable, d.configurable, d.writable];
}));
emit('static names', () => Object.getOwnPropertyNames(URL).sort());
emit('instance keys', () => {
  const u = new URL('http://a/?x=1');
  return [Object.keys(u), Object.getOwnPropertyNames(u), Object.getOwnPropertySymbols(u).length,
    JSON.stringify(u), JSON.stringify({ u }), String(u), `${u}`, u + '', Object.prototype.toString.call(u)];
});
emit('for-in', () => {
  const keys = [];
  for (const k in new URL('http://a/')) keys.push(k);
  return keys;
});

// util.inspect.
for (const u of ['https://u:p@a.com:8/p?x=1&y=2#h', 'file:///x', 'foo:bar', 'http://h/']) {
  emit(`inspect ${u}`, () => [util.inspect(new URL(u)), util.inspect(new URL(u), { depth: 0 }),
    util.inspect({ nested: { deeper: new URL(u) } }, { depth: 1 }), util.inspect([new URL(u)])]);
}

// Setters on URLs from the fast path, and searchParams kept in sync both ways.
const setters = {
  href: ['http://new/x?q=1', 'bad', 'file:///y'],
  protocol: ['ws', 'file', 'foo', 'HTTPS:'],
  username: ['me', 'a b', ''],
  password: ['s3cret', '@', ''],
  host: ['other.org:99', 'ÉX.com', '[::2]', ''],
  hostname: ['Other.Org', 'x:1', ''],
  port: ['99', '80', '', 'x', '70000'],
  pathname: ['/p/../q', 'r', '/a b'],
  search: ['?z=9', 'k=v', '', '?'],
  hash: ['#n', 'm', ''],
};
for (const base of ['https://u:p@example.com:8080/a/b?x=1#f', 'http://h/', 'file:///a/b']) {
  for (const [k, vals] of Object.entries(setters)) {
    for (const v of vals) {
      emit(`set ${k}=${JSON.stringify(v)} on ${base}`, () => {
        const u = new URL(base);
        const sp = u.searchParams;
        u[k] = v;
        return [parts(u), sp.toString(), sp === u.searchParams];
      });
    }
  }
}
emit('searchParams sync', () => {
  const u = new URL('http://a/p?x=1&y=2#h');
  const sp = u.searchParams;
  const log = [];
  sp.append('z', 'a b&c');
  log.push(u.href);
  sp.delete('x');
  log.push(u.href, u.search);
  u.search = '?q=9&q=8';
  log.push(sp.getAll('q'), sp.size);
  u.href = 'http://b/?k=v';
  log.push(sp.get('k'), [...sp]);
  sp.sort();
  sp.set('a', '1');
  log.push(u.href);
  for (const k of [...sp.keys()]) sp.delete(k);
  log.push(u.href, u.search);
  u.hash = '';
  log.push(u.href);
  return log;
});
emit('URLSearchParams methods', () => {
  const p = new URLSearchParams('a=1&b=2&a=3');
  const log = [];
  for (const k of ['append', 'delete', 'get', 'getAll', 'has', 'set', 'sort', 'toString', 'forEach', 'keys', 'values', 'entries']) {
    log.push([k, URLSearchParams.prototype[k].length, URLSearchParams.prototype[k].name]);
  }
  log.push(p.get('a'), p.get('zz'), p.get(undefined), p.getAll('a'), p.has('a'), p.has('a', '3'), p.has('a', undefined), p.has('q'));
  p.append('u', undefined);
  p.append(undefined, null);
  p.set('b', 7);
  p.delete('a', '1');
  log.push(p.toString());
  p.delete('a', undefined);
  log.push(p.toString(), p.size);
  return log;
});
for (const [m, args] of [['append', []], ['append', ['x']], ['delete', []], ['get', []], ['getAll', []], ['has', []], ['set', ['x']],
  ['get', [Symbol('s')]], ['append', ['a', Symbol('s')]]]) {
  emit(`URLSearchParams ${m} ${args.length} args`, () => new URLSearchParams('a=1')[m](...args));
}
emit('URLSearchParams bad this', () => URLSearchParams.prototype.get.call({}, 'a'));
for (const p of ['/a/b', '/a/b/', '/', '//x', '/a//b', '/a/./b', '/a/.', '/a/..', '/a/../b/', '/a/b.', '/a/..b', '/.a/', '/a b/c#d?e%f',
  '/tmp/é/ü', '/a\nb\tc\r', '/x\\y', 'rel/p', './x', '', '/a/b/../../..']) {
  emit(`pathToFileURL ${JSON.stringify(p)}`, () => {
    const u = url.pathToFileURL(p);
    return [u.href, url.fileURLToPath(u), url.fileURLToPath(u.href)];
  });
}
emit('pathToFileURL ASCII', () => {
  const out = [];
  for (let c = 1; c < 128; c++) {
    const ch = String.fromCharCode(c);
    out.push(url.pathToFileURL('/a' + ch + 'b').href, url.pathToFileURL('C:\\a' + ch + 'b', { windows: true }).href);
  }
  return out;
});
for (const f of ['file:///a%2fb', 'file:///a%2Fb', 'file:///a%5cb', 'file:///a%20b/%C3%A9', 'file://host/x', 'http://a/x']) {
  emit(`fileURLToPath ${f}`, () => url.fileURLToPath(f));
}
emit('searchParams identity', () => {
  const u = new URL('http://a/?x');
  return [u.searchParams === u.searchParams, util.inspect(u.searchParams)];
});

// URLSearchParams from generated strings: the constructor's string path,
// get/has/getAll (lone surrogates in names included), toString (Go
// serializes the list through qjs's JSON writer), size and iteration.
const spPieces = ['a', 'b', 'é', '€', '😀', '=', '=', '&', '&', '+', '%', '%2', '%20', '%41', '%zz', '%C3%A9', '%C3',
  '%FF', '%ED%A0%80', '\ud800', '\udc00', '?', ' ', '*', '~', "'", '\u0000', '#', '__proto__'];
for (let i = 0; i < 400; i++) {
  let s = '';
  const n = Math.floor(rand() * 10);
  for (let k = 0; k < n; k++) s += pick(spPieces);
  const names = ['a', 'b', 'é', '\ud800', '\ufffd', '__proto__', '', 'zz', 'a b'];
  emit(`URLSearchParams ${JSON.stringify(s)}`, () => {
    const p = new URLSearchParams(s);
    return [p.toString(), p.size, [...p], names.map((k) => [p.get(k), p.has(k), p.getAll(k)]), String(new URLSearchParams('?' + s))];
  });
}
emit('URLSearchParams odd inits', () => [new URLSearchParams(5).toString(), new URLSearchParams(true).toString(),
  new URLSearchParams('').size, new URLSearchParams('?').size, new URLSearchParams('??a=b').toString(),
  new URLSearchParams({ 'x y': '\ud800', z: 1 }).toString(), new URLSearchParams([['a', 'b'], ['\udc00', 'c']]).toString()]);
emit('URLSearchParams get/has args', () => {
  const p = new URLSearchParams('undefined=1&null=2&1=3');
  return [p.get(undefined), p.get(null), p.get(1), p.has(undefined), p.has(1, '3'), p.has('1', 3), p.has('1', 4)];
});
emit('URLSearchParams get symbol', () => new URLSearchParams('a=1').get(Symbol('x')));
emit('URLSearchParams has symbol', () => new URLSearchParams('a=1').has(Symbol('x')));
for (const [name, recv] of [['object', {}], ['null', null], ['number', 1], ['string', 'a=1']]) {
  emit(`URLSearchParams get on ${name}`, () => URLSearchParams.prototype.get.call(recv, 'a'));
  emit(`URLSearchParams has on ${name}`, () => URLSearchParams.prototype.has.call(recv, 'a'));
  emit(`URLSearchParams toString on ${name}`, () => URLSearchParams.prototype.toString.call(recv));
}
emit('URLSearchParams appended', () => {
  const p = new URLSearchParams('x=1');
  p.append('\ud800k', 'v\udfff');
  p.append('sp ace', 'a+b&c=d');
  return [p.toString(), p.get('\ufffdk')];
});

// Members on other receivers.
for (const k of ['href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname', 'port', 'pathname',
  'search', 'searchParams', 'hash']) {
  const d = Object.getOwnPropertyDescriptor(URL.prototype, k);
  for (const [name, recv] of [['object', {}], ['null', null], ['undefined', undefined], ['number', 1], ['proto', URL.prototype]]) {
    emit(`get ${k} on ${name}`, () => d.get.call(recv));
    if (d.set) emit(`set ${k} on ${name}`, () => d.set.call(recv, 'x'));
  }
}
for (const k of ['toString', 'toJSON']) emit(`${k} on object`, () => URL.prototype[k].call({}));
emit('inspect proto', () => util.inspect(URL.prototype));

process.stdout.write(out.join('\n') + '\n');
