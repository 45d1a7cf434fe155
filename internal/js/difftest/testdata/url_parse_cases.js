'use strict';
// Legacy url.parse on hand-picked tricky inputs (gnode parses the common
// ones in Go, the rest in lib/url.js): auth, ports, IPv6, javascript:,
// backslashes, spaces and control characters, unicode hosts (punycode),
// slashesDenoteHost, parseQueryString, percent-encoding, __proto__ keys;
// each with url.format of the result, url.resolve, the Url's own keys and
// prototype, and the same input through WHATWG URL.
const url = require('url');
const util = require('util');
process.on('warning', (w) => console.log('warning', w.code));

const inputs = [
  // Plain and with every part.
  'http://example.com', 'http://example.com/', 'https://user:pw@example.com:8080/a/b/../c?x=1&y=2#frag',
  'HTTP://EXAMPLE.COM/Path?Q=1#H', 'http://a.b.c.d.e/f', 'ftp://ftp.example.com/pub/file.txt',
  // Auth.
  'http://user@h/', 'http://:pw@h/', 'http://u:@h/', 'http://@h/', 'http://a@b@c/', 'http://a:b:c@h/',
  'http://u%20x:p%40w@h/', 'http://us"er@h/', 'http://é:ü@h/', 'http://user:pass@/nohost', 'http://u@',
  // Ports.
  'http://h:0/', 'http://h:80/', 'http://h:65535/', 'http://h:65536/', 'http://h:/', 'http://h:x/', 'http://h:8080',
  'http://h:1:2/', 'http://h:080/', 'https://h:443', 'http://h:-1/',
  // IPv6 and IPv4.
  'http://[::1]/', 'http://[::1]:3000/a', 'http://[FE80::1%25eth0]/', 'http://[::ffff:1.2.3.4]/', 'http://[::1/',
  'http://::1]/', 'http://[v1.x]/', 'http://127.0.0.1:8/', 'http://0x7f.1/', 'http://1.2.3/', 'http://999.1.1.1/',
  // Schemes without slashes, javascript:, data:, mailto:.
  'javascript:alert(1)', 'JavaScript:void(0)', 'javascript://comment%0aalert(1)', 'mailto:a@b.c?subject=hi',
  'data:text/plain;base64,SGVsbG8=', 'about:blank', 'urn:isbn:0451450523', 'news:comp.lang', 'tel:+1-555',
  'file:///etc/passwd', 'file://host/share/x', 'file:/x/y', 'file:C:/x', 'file:///C:/x/y?q#f',
  'foo://bar/baz', 'foo:/x', 'foo:bar', 'x-y.z+w://h/p', '1http://h/', '-x://h/',
  // Backslashes.
  'http:\\\\h\\a\\b', 'http://h\\a\\b?c\\d#e\\f', '\\\\h\\share', 'http:/\\h/p', '\\/h/p', '/\\h/p',
  // Spaces, tabs, newlines, control and other odd characters.
  ' http://h/ ', '\thttp://h/\n', 'http://h/a b', 'http://h/a\tb\nc', 'http://h/?a b#c d', 'http://h /p',
  'http://h/\u0000x', 'http://h/\u00a0x', '\ufeffhttp://h/', 'http://h/"<>^`{|}', "http://h/'x'", 'http://h/%',
  'http://h/%zz%4', 'http://h/%2e%2E/x', 'http://h/a;b=c', 'http://h/a,b', 'http://h/*', 'http://h/~u',
  // Unicode hosts (punycode) and paths.
  'http://bücher.de/', 'http://ÉXAMPLE.com/', 'http://例え.テスト/パス', 'http://xn--nxasmq6b.com/', 'http://münchen.de:8080/straße',
  'http://☃.net/', 'http://a.b\u3002c/', 'http://ａｂｃ.com/', 'http://h/ä?ö=ü#ß', 'http://xn--/', 'http://xn--a.xn--b/',
  'http://' + 'a'.repeat(64) + '.com/', 'http://' + 'x'.repeat(256) + '/',
  // Hosts with characters the legacy parser stops at or escapes.
  'http://a!b$c/', 'http://h;x/', 'http://h"q/', "http://h'q/", 'http://h<q>/', 'http://h^q/', 'http://h`q/', 'http://h{q}/',
  'http://h|q/', 'http://h~q/', 'http://h(q)/', 'http://h=q,q+/', 'http://ex_ample.com/', 'http://-a-.com/', 'http://a..b/',
  'http://.a/', 'http://a./', 'http://h%41/', 'http://H%2541/',
  // Relative and host-less.
  '', '/', '//', '///', '//h/p', '///h/p', '//h', '/p?q#f', 'p/q', '?q=1', '#f', '.', '..', './a/../b', 'a:b', 'localhost:3000',
  'example.com', 'example.com/path', 'www.example.com:80/x', '//user:pw@h:1/p',
  // Queries: repeated, empty, __proto__ and friends, encoded.
  'http://h/?a=1&a=2&a=3', 'http://h/?a&b=&=c&==&&', 'http://h/?__proto__=1&b=2', 'http://h/?__proto__[x]=1',
  'http://h/?constructor=1&hasOwnProperty=2&toString=3', 'http://h/?x=%20y+z&%E2%82%AC=%e2%82%ac', 'http://h/?a=%zz&b=%',
  'http://h/?1=a&0=b', 'http://h/??a=1', 'http://h/?a=b?c', 'http://h/#a?b', 'http://h/?#', 'http://h/?a=1#',
  'http://h/p?' + 'k=v&'.repeat(200),
];

const show = (v) => JSON.stringify(v, (k, x) => (x === undefined ? '<undef>' : x));
for (const s of inputs) {
  const lines = [];
  for (const [pq, sdh] of [[false, false], [true, false], [false, true], [true, true]]) {
    try {
      const u = url.parse(s, pq, sdh);
      const q = u.query;
      lines.push(`${pq}/${sdh} ${show(Object.entries(u))} proto=${Object.getPrototypeOf(u) === url.Url.prototype}` +
        ` qproto=${q && typeof q === 'object' ? Object.getPrototypeOf(q) : typeof q} format=${url.format(u)}` +
        ` formatAgain=${url.format(url.parse(url.format(u), pq, sdh))}`);
    } catch (e) {
      lines.push(`${pq}/${sdh} throws ${e.name} ${e.code} ${e.message}`);
    }
  }
  try {
    lines.push(`resolve ${url.resolve('http://base.example/a/b?q#f', s)} | ${url.resolve(s, '../x?y#z')} | ${url.resolve(s, '//other/p')}`);
  } catch (e) {
    lines.push(`resolve throws ${e.name} ${e.code}`);
  }
  try {
    const w = new URL(s);
    lines.push(`URL ${w.href} ${w.origin} ${w.host} ${w.pathname} ${w.search} ${w.hash} ${url.format(w, { auth: false, search: false, fragment: false })}`);
  } catch (e) {
    lines.push(`URL throws ${e.code}`);
  }
  console.log(JSON.stringify(s).slice(0, 120));
  for (const l of lines) console.log('  ' + l);
}

// A Url object: its class, inspect output, key order, and it round trips.
const u = url.parse('https://user:pw@example.com:8080/a/b?x=1&y=2#frag', true);
console.log(util.inspect(u), Object.keys(u).join(), u instanceof url.Url, u.constructor.name);
console.log(url.format({ protocol: 'http', host: 'h', pathname: '/p', query: { a: [1, 2], b: 'x y' } }));
console.log(url.format('http://h/p?q#f'), url.format(new URL('http://u:p@h/p?q#f'), { auth: false }));
for (const bad of [undefined, null, 1, {}, [], true]) {
  try {
    url.parse(bad);
  } catch (e) {
    console.log('parse', typeof bad, e.name, e.code);
  }
}
