'use strict';
// Node's legacy url.parse (with and without parseQueryString and
// slashesDenoteHost), url.format of its result, url.resolve and the
// DEP0170 warning, on generated inputs, one line per case;
// node_diff_test.go compares the lines printed by node and by gnode (whose
// url.parse takes whatwgurl.LegacyParse for the common inputs).
const url = require('url');
const util = require('util');

const warnings = [];
process.on('warning', (w) => warnings.push(`${w.name} ${w.code} ${w.message}`));

let seed = 4242;
function rand() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (a) => a[Math.floor(rand() * a.length)];

const schemes = ['http:', 'https:', 'HTTP:', 'Https:', 'ftp:', 'file:', 'ws:', 'wss:', 'gopher:', 'mailto:', 'javascript:',
  'JavaScript:', 'foo:', 'x-y.z+w:', 'a1:', '', '', '', '1:', '-:', 'urn:isbn:', 'data:'];
const slashes = ['//', '//', '/', '///', '', '\\\\', '/\\'];
const auths = ['', '', '', 'user@', 'user:pw@', 'u%20x@', 'a@b@', ':@', '@', 'us"er@', 'a:b:c@', 'x%@', 'é@', 'a{b}@'];
const hosts = ['example.com', 'EXAMPLE.COM', 'a', 'a.b.c', 'localhost', '127.0.0.1', '[::1]', '[::1', '::1]', '[FE80::1]',
  'xn--nxasmq6b.com', 'ex_ample.com', 'a-b', '', 'a!b$c', 'ex ample.com', 'h\tost', 'bücher.de', 'a*b', 'x'.repeat(256),
  'a%41b', 'a]b', 'a[b', 'host;x', 'h"q', "h'q", 'h<q', 'h^q', 'h`q', 'h{q', 'h|q', 'h}q', 'h~q', 'h(q)', 'h=q,q+'];
const ports = ['', '', '', ':80', ':8080', ':', ':x', ':1:2', ':0', ':65536', ':a1'];
const segs = ['a', 'b', '..', '.', '', 'c d', 'x"y', "x'y", 'x<y>', 'x^y', 'x`y', 'x{y}', 'x|y', '%2F', 'é', '~u', 'a;b',
  'a=b', 'a@b', 'a:b', 'x\\y', 'i.html', '\u2028', 'x\u00a0y'];
const queries = ['', '', '?', '?a=1', '?a=1&b=2', '?a=1&a=2&a=3', '?x=%20y+z', '?q="<>"', '?a=%zz', '?__proto__=1&b=2',
  '?a&b&', '?==&&', '?a=b?c', '?a=%E2%82%AC', '?a={b}|c', '?a=\u00e9', '?hasOwnProperty=1&toString=2', '?1=a&0=b'];
const hashes = ['', '', '#', '#frag', '#a?b', '#a#b', '#x y', '#"q"', '#{x}'];
const wss = ['', '', '', '', ' ', '\t', '\n ', '\u00a0', '\ufeff'];

function gen() {
  const kind = rand();
  if (kind < 0.12) {
    // Relative and odd shapes.
    let s = pick(['/', '//', '///', '', './', '../', '?', '#', 'a/', '/a', '//a@b', '//a/b@c', '@', 'x:']);
    const n = Math.floor(rand() * 4);
    for (let i = 0; i < n; i++) s += pick(segs) + pick(['/', '/', '']);
    return pick(wss) + s + pick(queries) + pick(hashes) + pick(wss);
  }
  let s = pick(schemes) + pick(slashes) + pick(auths) + pick(hosts) + pick(ports);
  const n = Math.floor(rand() * 4);
  for (let i = 0; i < n; i++) s += '/' + pick(segs);
  if (rand() < 0.2) s += '/';
  s += pick(queries) + pick(hashes);
  if (rand() < 0.1) s = pick(wss) + s + pick(wss);
  return s;
}

const inputs = [
  'https://user:pw@example.com:8080/a/b/../c?x=1#frag', 'http://a.com', 'http://a.com/', '/a/b?c=d', '/a/b', '//a/b',
  '///a', '', ' ', 'HTTP://EXAMPLE.com/P?Q#H', 'mailto:a@b.c', 'javascript:alert(1)', 'javascript://x/y', 'a/b',
  'http://[::1]:80/x', 'http://a@b@c/d', 'http://x/a"b|c', 'file:///etc/passwd', 'file:/x', 'file:x', 'foo:bar',
  'http://a:b:c/d', 'http:a/b', 'http:/a/b', 'HTTP:a', '?x=1', '#h', 'x?a#b?c', 'http://a?b', 'http://a#b',
  'http://' + 'x'.repeat(300) + '/p', 'http://a/' + 'p'.repeat(5000), 'http://Ex.COM:08/', 'http://a/b?x=1&x=2&__proto__=3',
];
for (let i = 0; i < 3000; i++) inputs.push(gen());

const out = [];
const show = (v) => util.inspect(v, { depth: 3, breakLength: Infinity });
const run = (label, fn) => {
  let v;
  try {
    v = fn();
  } catch (e) {
    v = `threw ${e.name} ${e.code} ${e.message}`;
  }
  out.push(label + ' ' + v);
};
for (const s of inputs) {
  const k = JSON.stringify(s);
  for (const [q, sl] of [[false, false], [true, false], [false, true], [true, true]]) {
    run(`parse ${k} ${q} ${sl}`, () => {
      const u = url.parse(s, q, sl);
      const proto = Object.getPrototypeOf(u) === url.Url.prototype;
      const qproto = u.query !== null && typeof u.query === 'object' ? Object.getPrototypeOf(u.query) : 'n/a';
      return `${show(u)} keys=${Object.keys(u)} proto=${proto} qproto=${qproto} format=${url.format(u)}`;
    });
  }
  run(`parse undefined ${k}`, () => show(url.parse(s, undefined, 1)));
  run(`resolve ${k}`, () => url.resolve('http://base.com/a/b?x#y', s));
  run(`resolve from ${k}`, () => url.resolve(s, '../c/d?e'));
  run(`Url#parse ${k}`, () => show(new url.Url().parse(s)));
}
run('parse non-string', () => url.parse(5));
run('parse Url', () => { const u = url.parse('http://a/b'); return url.parse(u) === u; });
run('mutate', () => { const u = url.parse('http://a/b?c=d', true); u.query.e = 'f'; u.search = null; return url.format(u); });
setImmediate(() => {
  out.push(...warnings);
  process.stdout.write(out.join('\n') + '\n');
});
