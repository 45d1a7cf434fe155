'use strict';
// The paths a static-file response takes, as code outside the library sees
// them: EventEmitter's second listener of an event and its removal (the
// pair array, 'removeListener' events, once wrappers, a maximum of 1),
// Readable#on/removeListener for other events than 'data'/'readable' (a
// 'newListener' watcher, a patched EventEmitter.prototype.on, errors),
// AsyncResource (runInAsyncScope's this, arguments, frame and errors),
// url.Url objects (new, a subclass, Url.call),
// and an HTTP server writing a file: res.write's first chunk with a stored
// Content-Length (HEAD, a write callback, a string, no Content-Length),
// a ReadStream piped into a response (the events of both ends in order),
// a source that fails mid-stream, and back-pressure from a slow client.
const EventEmitter = require('events');
const { Readable, Writable } = require('stream');
const { AsyncResource, AsyncLocalStorage } = require('async_hooks');
const http = require('http');
const fs = require('fs');
const os = require('os');
const path = require('path');

const steps = [];
function step(name, fn) { steps.push([name, fn]); }
function run(i) {
  if (i >= steps.length) return;
  const [name, fn] = steps[i];
  console.log('--', name);
  fn(() => setImmediate(run, i + 1));
}
function errStr(e) { return e ? `${e.name}:${e.code || ''}:${e.message}` : String(e); }
function shape(ee, type) {
  const raw = ee._events[type];
  const kind = raw === undefined ? 'none' : typeof raw === 'function' ? 'fn' : 'array' + raw.length;
  return `${type}:${kind}:${ee.listenerCount(type)}:[${ee.listeners(type).map((f) => f.name).join(',')}]`;
}

step('pair add and remove', (done) => {
  const e = new EventEmitter();
  function a() {} function b() {} function c() {}
  e.on('x', a); e.on('x', b);
  console.log(shape(e, 'x'), e.eventNames().join(','));
  e.removeListener('x', c);
  console.log('absent', shape(e, 'x'));
  e.removeListener('x', b);
  console.log('second gone', shape(e, 'x'));
  e.on('x', b); e.removeListener('x', a);
  console.log('first gone', shape(e, 'x'));
  e.on('x', b);
  e.removeListener('x', b);
  console.log('same twice', shape(e, 'x'));
  e.removeListener('x', b);
  console.log('empty', shape(e, 'x'), e.eventNames().length, e._eventsCount);
  e.once('y', a); e.once('y', b);
  e.removeListener('y', a);
  console.log('once pair', shape(e, 'y'), typeof e._events.y, e.rawListeners('y')[0].listener === b);
  e.emit('y');
  console.log('after emit', shape(e, 'y'));
  const w = new EventEmitter();
  w.on('removeListener', (t, l) => console.log('removeListener event', t, l.name));
  w.on('z', a); w.on('z', b); w.removeListener('z', a); w.on('z', c); w.removeListener('z', c);
  console.log(shape(w, 'z'));
  // A listener removed by the one before it still runs in that emit.
  const v = new EventEmitter();
  v.on('q', () => { console.log('q1'); v.removeListener('q', q2); });
  function q2() { console.log('q2'); }
  v.on('q', q2);
  v.emit('q'); v.emit('q');
  done();
});

step('maxListeners below two', (done) => {
  const onWarning = (w) => console.log('warning', w.name, w.count, w.type);
  process.on('warning', onWarning);
  const e = new EventEmitter();
  e.setMaxListeners(1);
  e.on('x', () => {}); e.on('x', () => {});
  console.log(shape(e, 'x'));
  const f = new EventEmitter();
  f.setMaxListeners(0);
  f.on('x', () => {}); f.on('x', () => {});
  const g = new EventEmitter();
  g.setMaxListeners(1.5);
  g.on('x', () => {}); g.on('x', () => {});
  setTimeout(() => { process.removeListener('warning', onWarning); done(); }, 5);
});

step('Readable on/removeListener', (done) => {
  const r = new Readable({ read() {} });
  function a() {} function b() {}
  r.on('newListener', (t, l) => console.log('newListener', String(t), l.name));
  r.on('close', a); r.on('close', b); r.on('end', a);
  console.log(shape(r, 'close'), shape(r, 'end'));
  r.removeListener('close', a); r.off('end', a);
  console.log(shape(r, 'close'), shape(r, 'end'));
  try { r.on('close', 42); } catch (e) { console.log(errStr(e)); }
  try { r.removeListener('close', null); } catch (e) { console.log(errStr(e)); }
  console.log('chain', r.on('foo', a) === r, r.addListener('foo', b) === r, r.removeListener('foo', a) === r);
  const orig = EventEmitter.prototype.on;
  const seen = [];
  EventEmitter.prototype.on = function (t, l) { seen.push(t); return orig.call(this, t, l); };
  const s = new Readable({ read() {} });
  s.on('close', a);
  EventEmitter.prototype.on = orig;
  console.log('patched on saw', seen.join(','));
  s.on('close', b);
  console.log(shape(s, 'close'));
  const t = new Readable({ read() { this.push('x'); this.push(null); } });
  t.on('readable', () => { let c; while ((c = t.read()) !== null) console.log('read', String(c)); });
  t.on('end', () => { console.log('end'); done(); });
});

step('pipe cleaned up while its listeners are still due', (done) => {
  // An earlier listener of the same event unpipes: the emit still calls
  // pipe()'s listener it started with.
  const ev = ['close', 'finish', 'error', 'unpipe', 'drain', 'end', 'data'];
  const counts = (e) => ev.map((n) => `${n}:${e.listenerCount(n)}`).join(',');
  const mk = () => {
    const src = new Readable({ read() {} });
    const dest = new Writable({ write(c, e, cb) { cb(); } });
    dest.on('unpipe', () => console.log('  unpipe event'));
    return { src, dest };
  };
  {
    const { src, dest } = mk();
    dest.on('finish', () => { console.log('  user finish, unpipes'); src.unpipe(dest); });
    src.pipe(dest);
    dest.on('finish', () => console.log('  finish after', counts(src), '|', counts(dest)));
    dest.end('x');
    console.log('finish case piped', counts(src), '|', counts(dest));
  }
  setImmediate(() => {
    const { src, dest } = mk();
    dest.on('close', () => { console.log('  user close, unpipes'); src.unpipe(dest); });
    src.pipe(dest);
    dest.destroy();
    setImmediate(() => {
      console.log('close case', counts(src), '|', counts(dest));
      const { src: s2, dest: d2 } = mk();
      s2.on('end', () => { console.log('  user end, unpipes'); s2.unpipe(d2); });
      s2.pipe(d2);
      d2.on('finish', () => console.log('  dest finished', counts(s2), '|', counts(d2)));
      s2.push('a'); s2.push(null);
      setTimeout(() => {
        console.log('end case', counts(s2), '|', counts(d2), d2.writableEnded);
        // A second cleanup through a stray 'unpipe' event.
        const { src: s3, dest: d3 } = mk();
        s3.pipe(d3);
        const late = d3.listeners('unpipe');
        s3.unpipe(d3);
        for (const f of late) f.call(d3, s3, { hasUnpiped: false });
        console.log('stray unpipe', counts(s3), '|', counts(d3));
        done();
      }, 5);
    });
  });
});

step('AsyncResource', (done) => {
  console.log(AsyncResource.length, AsyncResource.prototype.runInAsyncScope.length,
    Object.keys(AsyncResource.prototype).length, AsyncResource.prototype.runInAsyncScope.name);
  const als = new AsyncLocalStorage();
  let res;
  als.run('outer', () => { res = new AsyncResource('T', { triggerAsyncId: 7 }); });
  console.log('trigger', res.triggerAsyncId());
  console.log('run', JSON.stringify(res.runInAsyncScope(function (x, y) { return [this, x, y, als.getStore()]; }, 'self', 1, 2)));
  console.log('no args', res.runInAsyncScope(() => als.getStore()));
  als.run('inner', () => {
    try {
      res.runInAsyncScope(() => { throw new Error('inside ' + als.getStore()); });
    } catch (e) { console.log('caught', e.message, 'store', als.getStore()); }
  });
  const plain = new AsyncResource('P');
  console.log('plain', plain.runInAsyncScope((a) => a + (als.getStore() === undefined), null, 'x'));
  const bound = res.bind(function () { return als.getStore(); });
  console.log('bound', bound(), bound.length, typeof bound.asyncResource);
  try { new AsyncResource(5); } catch (e) { console.log(errStr(e)); }
  // Not a function, though it has a call method: a TypeError.
  try { plain.runInAsyncScope({ call() { return 'called'; } }); } catch (e) { console.log('not callable', e instanceof TypeError); }
  done();
});

step('url.Url objects', (done) => {
  // parseurl (Express, serve-static) makes these with `new Url()`.
  const { Url, parse } = require('url');
  const a = new Url();
  const b = new Url();
  a.pathname = '/x';
  console.log(JSON.stringify(Object.keys(a)), a.pathname, b.pathname, a !== b, a instanceof Url, a.constructor === Url);
  class Sub extends Url { constructor() { super(); this.extra = 1; } }
  const s = new Sub();
  console.log(Object.keys(s).join(), s instanceof Sub, Object.getPrototypeOf(s) === Sub.prototype);
  const o = {};
  Url.call(o);
  console.log(Object.keys(o).length, o.href);
  const r = Reflect.construct(Url, [], Sub);
  console.log(Object.getPrototypeOf(r) === Sub.prototype, Object.keys(r).length);
  console.log(parse('/static/page.html?a=1').query, parse('http://h.test:8/p#f').port);
  done();
});

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'static-route-'));
const small = path.join(dir, 'small.html');
const big = path.join(dir, 'big.bin');
fs.writeFileSync(small, 'x'.repeat(4096));
fs.writeFileSync(big, Buffer.alloc(4 << 20, 7));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

// serve(handler, requests, done): one server, the requests one after
// another, each response's status, chosen headers and body length printed
// after the server's own log lines for it.
function serve(handler, requests, done) {
  const srv = http.createServer((req, res) => {
    const log = [];
    res.on('close', () => { log.push('res close'); });
    handler(req, res, log);
    req.log = log;
    srv.last = log;
  });
  // A keep-alive agent: the client never closes a connection before the
  // server has finished its response.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  srv.listen(0, '127.0.0.1', () => {
    const port = srv.address().port;
    const next = (i) => {
      if (i >= requests.length) { agent.destroy(); srv.close(done); return; }
      const rq = requests[i];
      const creq = http.request({ port, host: '127.0.0.1', method: rq.method || 'GET', path: rq.path || '/',
        headers: rq.headers || {}, agent }, (cres) => {
        let n = 0;
        // Printed once the server's response and source (if any) are
        // closed, or after a second.
        const settled = () => {
          const l = srv.last;
          return l.includes('res close') && (!l.some((x) => x.startsWith('src')) || l.includes('src close'));
        };
        const finish = (tries = 0) => {
          if (!settled() && tries < 100) { setTimeout(finish, 10, tries + 1); return; }
          setTimeout(() => {
            console.log(rq.name, cres.statusCode, ['content-length', 'content-type', 'transfer-encoding', 'x-test']
              .map((h) => `${h}=${cres.headers[h]}`).join(' '), 'body', n);
            console.log('  server:', srv.last.join(', '));
            next(i + 1);
          }, 30);
        };
        if (rq.slow) {
          cres.pause();
          setTimeout(() => { cres.on('data', (c) => { n += c.length; }); cres.resume(); }, 100);
        } else {
          cres.on('data', (c) => { n += c.length; });
        }
        cres.on('end', finish);
        cres.on('error', (e) => { console.log(rq.name, 'client error', e.code); finish(); });
      });
      creq.on('error', (e) => { console.log(rq.name, 'request error', e.code); next(i + 1); });
      creq.end();
    };
    next(0);
  });
}

step('res.write with a stored Content-Length', (done) => {
  const body = Buffer.from('hello world');
  serve((req, res, log) => {
    res.on('finish', () => log.push('finish'));
    res.on('prefinish', () => log.push('prefinish'));
    res.setHeader('X-Test', 'yes');
    const mode = req.url.slice(1);
    if (mode !== 'nolen') res.setHeader('Content-Length', mode === 'strlen' ? String(body.length) : body.length);
    let r;
    if (mode === 'cb') r = res.write(body, () => log.push('write cb'));
    else if (mode === 'string') r = res.write(body.toString());
    else if (mode === 'empty') { r = res.write(Buffer.alloc(0)); res.write(body); }
    else r = res.write(body);
    log.push('write ' + r + ' headersSent ' + res.headersSent);
    setImmediate(() => res.end());
  }, [
    { name: 'buffer', path: '/buffer' },
    { name: 'string length', path: '/strlen' },
    { name: 'HEAD', method: 'HEAD', path: '/buffer' },
    { name: 'callback', path: '/cb' },
    { name: 'string', path: '/string' },
    { name: 'empty first', path: '/empty' },
    { name: 'no length', path: '/nolen' },
  ], done);
});

// Flow events ('pause', 'resume', 'drain') are left out for the big
// file: when res.write reports back-pressure differs (gnode's write
// returns false only when the socket cannot take the chunk at once).
function pipeLogged(res, log, file, opts, quiet) {
  const src = fs.createReadStream(file, opts);
  for (const e of quiet ? ['open', 'ready', 'end', 'close', 'error'] : ['open', 'ready', 'end', 'close', 'error', 'pause', 'resume']) {
    src.on(e, (x) => log.push('src ' + e + (e === 'error' ? ' ' + x.code : '')));
  }
  let chunks = 0;
  src.on('data', () => { chunks++; });
  for (const e of quiet ? ['pipe', 'unpipe', 'finish'] : ['pipe', 'unpipe', 'finish', 'drain']) res.on(e, () => log.push('res ' + e + (e === 'unpipe' ? ' chunks ' + chunks : '')));
  res.on('error', (e) => log.push('res error ' + e.code));
  return src;
}

step('ReadStream piped into a response', (done) => {
  serve((req, res, log) => {
    const file = req.url === '/big' || req.url === '/slow' ? big : small;
    fs.stat(file, (err, st) => {
      res.setHeader('Content-Type', 'text/html');
      if (req.url === '/range') {
        res.statusCode = 206;
        res.setHeader('Content-Length', 100);
        pipeLogged(res, log, file, { start: 10, end: 109 }).pipe(res);
        return;
      }
      res.setHeader('Content-Length', st.size);
      if (req.method === 'HEAD') { res.end(); return; }
      const src = pipeLogged(res, log, file, undefined, file === big);
      if (req.url === '/fail') {
        // The source fails after its first chunk: the response is cut off.
        src.once('data', () => {
          src.destroy(Object.assign(new Error('disk'), { code: 'EDISK' }));
          setImmediate(() => res.destroy());
        });
      }
      src.pipe(res);
    });
  }, [
    { name: 'small', path: '/small' },
    { name: 'HEAD small', method: 'HEAD', path: '/small' },
    { name: 'range', path: '/range' },
    { name: 'big', path: '/big' },
    { name: 'slow client', path: '/slow', slow: true },
    { name: 'fails mid-stream', path: '/fail' },
  ], done);
});

step('304 and errors before the pipe', (done) => {
  serve((req, res, log) => {
    const etag = '"abc"';
    res.setHeader('ETag', etag);
    if (req.headers['if-none-match'] === etag) {
      res.statusCode = 304;
      res.end();
      return;
    }
    const src = pipeLogged(res, log, path.join(dir, 'missing.html'));
    src.on('error', () => { res.statusCode = 404; res.end('nope'); });
    src.pipe(res);
  }, [
    { name: 'not modified', headers: { 'If-None-Match': '"abc"' } },
    { name: 'missing file' },
  ], done);
});

run(0);
