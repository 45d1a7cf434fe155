'use strict';
// Differential test of the legacy url API in lib/url.js (parse, format,
// resolve, resolveObject, Url) against node's, on generated inputs.
const t = require('../t.js');
const { rng } = require('./rand.js');
const rand = rng(8080);

const protos = ['http:', 'HTTPS:', 'ftp:', 'file:', 'mailto:', 'javascript:', 'foo:', 'xmpp:', 'ws:', '', '', ''];
const slashes = ['//', '//', '/', '', '\\\\', '///'];
const auths = ['', '', 'user@', 'user:pw@', 'a%20b:c@', 'x@y@', '@'];
const hosts = ['example.com', 'EXAMPLE.com', 'localhost', '127.0.0.1', '[::1]', '[fe80::1%25eth0]', 'ÉX.com',
  'a_b.c', 'host name', 'a.b.c.', 'x'.repeat(70) + '.com', 'h:8', 'xn--nxasmq6b', '', 'a"b', 'ex%41'];
const ports = ['', '', ':80', ':8080', ':', ':abc'];
const paths = ['', '/', '/a/b', '/a b', '/a\\b', '/%7e', "/{x}|^`'", '/a/../b', '/é', '/a?b', 'rel/path', '/;p'];
const queries = ['', '', '?a=1&b=2', '?a=1&a=2', '?x', '?', '?q="<>"', '?a=é'];
const frags = ['', '', '#h', '#', '#a b', '#é'];

function gen() {
  let s = rand.pick(protos) + rand.pick(slashes) + rand.pick(auths) + rand.pick(hosts) + rand.pick(ports) +
    rand.pick(paths) + rand.pick(queries) + rand.pick(frags);
  if (rand() < 0.15) s = '  \t' + s + ' \n';
  return s;
}

const fields = (u) => Object.keys(u).map((k) => [k, u[k] && typeof u[k] === 'object' ? Object.entries(u[k]) : u[k]]);

for (let i = 0; i < 4000; i++) {
  const s = gen();
  const pq = rand() < 0.3;
  const sdh = rand() < 0.3;
  t.diff(`parse ${JSON.stringify(s)} ${pq} ${sdh}`, 'url', (m) => fields(m.parse(s, pq, sdh)));
  if (rand() < 0.3) t.diff(`format(string) ${JSON.stringify(s)}`, 'url', (m) => m.format(s));
}
for (const s of ['/just/path?x=1', '//host/path', 'a', '', ' ', '?q', '#h', 'http://a/b#c?d', '\\\\server\\share',
  'http://user:p@ss@host/', 'http://[::1]:3000/p', 'HTTP://A.COM', 'javascript:alert(1)', 'mailto:x@y.com',
  'http://a.com:65536/', 'http://ex ample.com/', 'http://a.com\\b\\c?d\\e', 'http://a.com/%zz', 'http://\u0000/']) {
  t.diff(`parse fixed ${JSON.stringify(s)}`, 'url', (m) => fields(m.parse(s)));
  t.diff(`parse fixed qs ${JSON.stringify(s)}`, 'url', (m) => fields(m.parse(s, true, true)));
}
t.diff('parse non-string', 'url', (m) => m.parse(5));

// resolve
const bases = ['http://a/b/c/d;p?q', 'http://a.com/x/', 'https://u:p@h:8/p/q?r#s', 'mailto:a@b.com', 'file:///C:/x/y',
  'foo://h/a/b', 'http://a', '/rel/base', 'rel/base', 'http://h/a/../b/', 'javascript:void(0)', 'xmpp:u@h/r'];
const rels = ['g', './g', 'g/', '/g', '//g', '?y', 'g?y', '#s', 'g#s', 'g?y#s', ';x', 'g;x', '', '.', './', '..',
  '../', '../g', '../..', '../../', '../../g', '../../../g', '/./g', '/../g', 'g.', '.g', 'g..', '..g', './../g',
  './g/.', 'g/./h', 'g/../h', 'http:g', 'http://other/x', 'https:', 'mailto:z@w', 'file:/x', '\\\\back\\slash',
  'http://a/b/c/g', '//', 'g?a=1#x', 'a@b', 'local2@domain2'];
for (const b of bases) {
  for (const r of rels) {
    t.diff(`resolve ${b} + ${r}`, 'url', (m) => m.resolve(b, r));
    t.diff(`resolveObject ${b} + ${r}`, 'url', (m) => fields(m.resolveObject(b, r)));
  }
}

// format of objects
const objs = [
  { protocol: 'http', host: 'a.com', pathname: '/x', search: '?y' },
  { protocol: 'https:', hostname: 'a.com', port: 8080, pathname: 'x y#z?w', query: { a: [1, 2], b: 'c d' } },
  { protocol: 'mailto', pathname: 'a@b' },
  { protocol: 'file', pathname: '/etc' },
  { protocol: 'file:', slashes: false, pathname: 'x' },
  { hostname: '::1', port: '3' },
  { auth: 'us er:p@ss/é', host: 'h' },
  { hash: 'frag', search: 'q=1' },
  { protocol: 'foo', slashes: true, host: 'h', pathname: 'p' },
  {},
];
for (const o of objs) t.diff(`format ${JSON.stringify(o)}`, 'url', (m) => m.format(o));
t.diff('format bad', 'url', (m) => m.format(5));
t.diff('format auth lone surrogate', 'url', (m) => m.format({ auth: '\ud800', host: 'h' }));
for (const [u, o] of [['http://u:p@a.com:8/p?q#f', undefined], ['http://u:p@a.com:8/p?q#f', { auth: false, search: false, fragment: false }],
  ['http://xn--xample-9ua.com/', { unicode: true }], ['http://a.com/?', {}], ['http://a.com/#', {}], ['file:///x', {}], ['foo:bar', {}]]) {
  t.diff(`format URL ${u} ${JSON.stringify(o)}`, 'url', (m) => m.format(new m.URL(u), o));
}
t.diff('Url class', 'url', (m) => { const u = new m.Url(); return [Object.keys(u), u.parse('http://x/y').href, u instanceof m.Url]; });
t.diff('exports', 'url', (m) => Object.keys(m).sort());
