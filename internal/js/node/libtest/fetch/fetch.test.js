'use strict';
// Differential test of lib/internal/fetch.js's classes (Headers, Request,
// Response, FormData) against node's own globals (undici), under node only:
// no network here (fetch() itself is compared in
// internal/js/runtime/fetch_rtf_test.go against a local server).
const t = require('../t.js');
const { rng } = require('../b/rand.js');
const rand = rng(7);

const pending = [];
function cmp(label, fn, mine, theirs) {
  if (t.gnode) return;
  const run = async (impl) => {
    try { return t.show(await fn(impl)); } catch (e) { return 'throws ' + (e && e.name) + ': ' + (e && e.message); }
  };
  pending.push(Promise.all([run(mine), run(theirs)]).then(([g, n]) => t.same(label, g, n)));
}

if (!t.gnode) {
  // Each side gets its own Blob, URLSearchParams and AbortController: the
  // lib's classes only recognize their own instances (as node's do).
  const F = { ...t.lib('internal/fetch'), Blob: t.lib('internal/blob').Blob, URLSearchParams: t.lib('internal/url').URLSearchParams,
    AbortController: t.lib('internal/abort_controller').AbortController, ReadableStream: t.lib('internal/webstreams/readablestream').ReadableStream };
  const N = { Headers, Request, Response, FormData, File, Blob, URLSearchParams, AbortController, ReadableStream };
  const both = (label, fn) => cmp(label, fn, F, N);

  // ---- Headers
  const names = ['a', 'B', 'content-type', 'Set-Cookie', 'x-Y', 'accept', 'Z', 'set-cookie', 'bad name', 'ü', ''];
  const values = ['1', ' spaced ', 'a, b', '', 'x\ny', 'tab\t', 'v'];
  for (let i = 0; i < 60; i++) {
    const ops = [];
    for (let j = 0; j < 6; j++) ops.push([rand.pick(['append', 'set', 'delete', 'get', 'has']), rand.pick(names), rand.pick(values)]);
    both(`headers ops ${i}`, (m) => {
      const h = new m.Headers();
      const out = [];
      for (const [op, n, v] of ops) {
        try { out.push(h[op](n, v)); } catch (e) { out.push('throws ' + e.name); }
      }
      return [out, [...h], h.getSetCookie()];
    });
  }
  both('headers init record', (m) => [...new m.Headers({ b: '2', A: '1', 'set-cookie': 'x' })]);
  both('headers init pairs', (m) => [...new m.Headers([['b', '2'], ['a', '1'], ['B', '3']])]);
  both('headers init bad pair', (m) => new m.Headers([['a']]));
  both('headers init null', (m) => new m.Headers(null));
  both('headers init number', (m) => new m.Headers(5));
  both('headers from headers', (m) => [...new m.Headers(new m.Headers({ q: '1' }))]);
  both('headers keys/values/forEach', (m) => {
    const h = new m.Headers({ b: '2', a: '1' });
    const seen = [];
    h.forEach((v, k) => seen.push(k, v));
    return [[...h.keys()], [...h.values()], seen, Object.prototype.toString.call(h)];
  });

  // ---- Response
  both('response defaults', (m) => {
    const r = new m.Response();
    return [r.status, r.ok, r.statusText, r.type, r.url, r.redirected, r.body, r.bodyUsed, [...r.headers]];
  });
  for (const [label, mk] of [
    ['string', () => 'text'], ['bytes', () => new Uint8Array([1, 2, 3])], ['arraybuffer', () => new ArrayBuffer(4)],
    ['blob', (m) => new m.Blob(['b'], { type: 'x/y' })], ['params', (m) => new m.URLSearchParams('a=1&b=2')],
    ['dataview', () => new DataView(new ArrayBuffer(2))], ['number', () => 42], ['null', () => null],
  ]) {
    both(`response body ${label}`, async (m) => {
      const r = new m.Response(mk(m), { status: 201, statusText: 'Made', headers: { 'x-a': '1' } });
      return [r.status, r.statusText, [...r.headers], r.bodyUsed, Array.from(new Uint8Array(await r.arrayBuffer())), r.bodyUsed];
    });
  }
  for (const status of [199, 200, 204, 299, 300, 599, 600, 1.5, '404']) {
    both(`response status ${status}`, (m) => { const r = new m.Response(null, { status }); return [r.status, r.ok]; });
  }
  both('response 204 with body', (m) => new m.Response('x', { status: 204 }));
  both('response json', async (m) => { const r = m.Response.json({ a: [1, 'b'] }, { status: 202 }); return [r.status, [...r.headers], await r.json()]; });
  both('response json undefined', (m) => m.Response.json(undefined));
  both('response error', (m) => { const r = m.Response.error(); return [r.type, r.status, r.ok, r.body]; });
  for (const s of [undefined, 301, 302, 303, 307, 308, 200, 399]) {
    both(`response redirect ${s}`, (m) => { const r = m.Response.redirect('http://h/p?q', s); return [r.status, r.headers.get('location')]; });
  }
  both('response redirect bad url', (m) => m.Response.redirect('nope'));
  both('response double read', async (m) => { const r = new m.Response('x'); await r.text(); return r.text(); });
  both('response clone', async (m) => { const r = new m.Response('abc'); const c = r.clone(); return [await c.text(), await r.text()]; });
  both('response clone after read', async (m) => { const r = new m.Response('abc'); await r.text(); return r.clone(); });
  both('response blob type', async (m) => { const b = await new m.Response('x', { headers: { 'content-type': 'text/x' } }).blob(); return [b.size, b.type]; });
  both('response formData urlencoded', async (m) => {
    const fd = await new m.Response(new m.URLSearchParams('a=1&b=x+y&a=2')).formData();
    return [...fd];
  });
  both('response formData bad', async (m) => new m.Response('x').formData());

  // ---- Request
  both('request defaults', (m) => {
    const r = new m.Request('http://example.test/a?b#c');
    return [r.method, r.url, r.redirect, r.mode, r.credentials, r.cache, r.referrer, r.integrity, r.keepalive, r.body, r.bodyUsed, [...r.headers], r.signal.aborted];
  });
  for (const method of ['get', 'post', 'Patch', 'delete', 'options', 'put', 'head', 'CONNECT', 'trace', 'bad method', 'custom']) {
    both(`request method ${method}`, (m) => new m.Request('http://h/', { method }).method);
  }
  both('request relative url', (m) => new m.Request('/relative'));
  both('request credentials url', (m) => new m.Request('http://u:p@h/'));
  both('request get body', (m) => new m.Request('http://h/', { body: 'x' }));
  both('request redirect bad', (m) => new m.Request('http://h/', { redirect: 'nope' }));
  both('request body', async (m) => {
    const r = new m.Request('http://h/', { method: 'POST', body: 'hello', headers: { 'x-a': 'b' } });
    return [[...r.headers], await r.text(), r.bodyUsed];
  });
  both('request from request', async (m) => {
    const a = new m.Request('http://h/x', { method: 'PUT', body: 'b', headers: { q: '1' } });
    const b = new m.Request(a, { headers: { z: '2' } });
    return [b.method, b.url, [...b.headers], await b.text(), a.bodyUsed];
  });
  both('request clone', async (m) => {
    const a = new m.Request('http://h/', { method: 'POST', body: 'cl' });
    const c = a.clone();
    return [await c.text(), await a.text()];
  });
  both('request stream without duplex', (m) => new m.Request('http://h/', { method: 'POST', body: new m.ReadableStream() }));
  both('request aborted signal', (m) => {
    const ac = new m.AbortController();
    ac.abort('r');
    const r = new m.Request('http://h/', { signal: ac.signal });
    return [r.signal.aborted, r.signal.reason];
  });

  // ---- FormData
  both('formdata ops', (m) => {
    const fd = new m.FormData();
    fd.append('a', '1'); fd.append('a', 2); fd.set('b', 'x'); fd.append('c', 'y'); fd.set('a', '3'); fd.delete('c');
    return [[...fd], fd.get('a'), fd.get('none'), fd.getAll('a'), fd.has('b'), [...fd.keys()], [...fd.values()]];
  });
  both('formdata blob', (m) => {
    const fd = new m.FormData();
    fd.append('f', new m.Blob(['abc'], { type: 't/x' }));
    fd.append('g', new m.Blob(['d']), 'name.txt');
    fd.append('h', new m.File(['e'], 'orig.txt'), 'renamed.txt');
    return fd.getAll('f').concat(fd.getAll('g'), fd.getAll('h')).map((f) => [f.constructor.name, f.name, f.size, f.type]);
  });
  both('formdata bad append', (m) => new m.FormData().append('a', 'b', 'c'));
  both('formdata round trip', async (m) => {
    const fd = new m.FormData();
    fd.append('a', 'line1\nline2');
    fd.append('quote"name', 'v');
    fd.append('f', new m.File(['xyz'], 'q"f.txt', { type: 'text/plain' }));
    const r = new m.Response(fd);
    const type = r.headers.get('content-type');
    const back = await r.formData();
    return [type.replace(/boundary=.*/, ''), [...back].map(([k, v]) => [k, typeof v === 'string' ? v : v.name])];
  });
}

Promise.all(pending).then(() => {
  // t.js prints the summary on exit.
});
