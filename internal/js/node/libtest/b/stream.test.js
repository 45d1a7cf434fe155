'use strict';
// Differential test of lib/stream.js: the same scenario scripts run against
// node's stream module and gnode's, each recording the sequence of events,
// callbacks, return values and errors; the recorded logs must be equal.
const t = require('../t.js');
const { rng } = require('./rand.js');
const rand = rng(2024);

const settle = () => new Promise((resolve) => setTimeout(resolve, 2));
const tick = () => new Promise((resolve) => setImmediate(resolve));

// scenario runs body(S, log) for each module and compares logs.
function scenario(label, body) {
  return t.diffAsync(label, 'stream', async (S) => {
    const log = [];
    const fmt = (x) => {
      if (x instanceof Error) return `${x.name}:${x.code || x.message}`;
      if (x instanceof Uint8Array) return `<${Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString()}>`;
      if (typeof x === 'object' && x !== null && !Array.isArray(x)) return JSON.stringify(x);
      return String(x);
    };
    const L = (...a) => log.push(a.map(fmt).join(' '));
    try {
      await body(S, L);
    } catch (e) {
      L('threw', e);
    }
    await settle();
    await tick();
    return log;
  });
}

function watch(stream, L, name, events = ['data', 'end', 'finish', 'prefinish', 'close', 'error', 'drain', 'pause', 'resume', 'readable', 'pipe', 'unpipe']) {
  for (const ev of events) {
    if (ev === 'readable' || ev === 'data') continue; // these change the mode; attach explicitly
    stream.on(ev, (a) => L(name, ev, ev === 'error' ? a : ev === 'pipe' || ev === 'unpipe' ? '' : a === undefined ? '' : a));
  }
}

const scenarios = [];
const S = (label, body) => scenarios.push([label, body]);

S('readable sync push data/end/close', (St, L) => {
  const r = new St.Readable({ read() {} });
  watch(r, L, 'r');
  r.on('data', (d) => L('data', d));
  r.push('a');
  r.push('b');
  r.push(null);
  L('sync done');
});

S('readable async read()', async (St, L) => {
  let i = 0;
  const r = new St.Readable({
    read() {
      L('_read', i);
      setTimeout(() => this.push(i < 3 ? String(i++) : null), 1);
    },
  });
  watch(r, L, 'r');
  r.on('data', (d) => L('data', d));
  await new Promise((res) => r.on('close', res));
});

S('readable paused mode with read(n)', async (St, L) => {
  const r = new St.Readable({ read() {}, highWaterMark: 4 });
  watch(r, L, 'r');
  L('push', r.push('abcdef'));
  L('push', r.push('gh'));
  r.on('readable', () => {
    L('readable', r.readableLength);
    let c;
    while ((c = r.read(3)) !== null) L('read3', c);
    L('after', r.readableLength, r.read(0), r.readableLength);
  });
  await tick();
  r.push('ij');
  r.push(null);
  await new Promise((res) => r.on('close', res));
});

S('read() variants', (St, L) => {
  const r = new St.Readable({ read() {} });
  r.push('hello');
  r.push('world');
  L(r.read(2), r.read(0), r.read(20), r.read(), r.readableLength);
  r.push(null);
  L(r.read(3), r.read(), r.read(), r.readableEnded);
  watch(r, L, 'r');
});

S('setEncoding multibyte split', async (St, L) => {
  const r = new St.Readable({ read() {} });
  r.setEncoding('utf8');
  const bytes = Buffer.from('h€llo😀');
  for (let i = 0; i < bytes.length; i += 2) r.push(bytes.subarray(i, i + 2));
  r.push(null);
  r.on('data', (d) => L('data', JSON.stringify(d)));
  watch(r, L, 'r');
  await new Promise((res) => r.on('close', res));
});

S('setEncoding after buffering', (St, L) => {
  const r = new St.Readable({ read() {} });
  r.push(Buffer.from([0xe2, 0x82]));
  r.push(Buffer.from([0xac, 0x41]));
  r.setEncoding('utf8');
  L(JSON.stringify(r.read()), r.readableEncoding);
});

S('objectMode readable', async (St, L) => {
  const r = new St.Readable({ objectMode: true, read() {} });
  r.push({ a: 1 });
  r.push(0);
  r.push('');
  r.push(false);
  r.push(null);
  r.on('data', (d) => L('data', JSON.stringify(d)));
  watch(r, L, 'r');
  await new Promise((res) => r.on('close', res));
});

S('push after EOF', async (St, L) => {
  const r = new St.Readable({ read() {} });
  watch(r, L, 'r');
  r.push(null);
  r.push('x');
  r.resume();
});

S('push invalid chunk', async (St, L) => {
  const r = new St.Readable({ read() {} });
  watch(r, L, 'r');
  r.push(5);
});

S('unshift', (St, L) => {
  const r = new St.Readable({ read() {} });
  r.push('world');
  r.unshift('hello ');
  L(String(r.read()));
});

S('writable backpressure and drain', async (St, L) => {
  const w = new St.Writable({
    highWaterMark: 3,
    write(chunk, enc, cb) {
      L('_write', chunk, enc);
      setTimeout(cb, 1);
    },
  });
  watch(w, L, 'w');
  for (const c of ['a', 'bb', 'c', 'dddd']) L('write', c, w.write(c, () => L('cb', c)), w.writableLength, w.writableNeedDrain);
  w.end('z', () => L('end cb'));
  L('ended', w.writableEnded, w.writableFinished);
  await new Promise((res) => w.on('close', res));
  L('after', w.writableFinished, w.destroyed, w.closed);
});

S('writable sync callbacks', async (St, L) => {
  const w = new St.Writable({
    write(chunk, enc, cb) {
      L('_write', chunk);
      cb();
    },
  });
  watch(w, L, 'w');
  w.write('a', () => L('cb a'));
  w.write('b', () => L('cb b'));
  w.end(() => L('end cb'));
  L('sync done');
});

S('writable cork/writev', async (St, L) => {
  const w = new St.Writable({
    write(chunk, enc, cb) { L('_write', chunk); cb(); },
    writev(chunks, cb) { L('_writev', chunks.map((c) => c.chunk.toString()).join('|')); cb(); },
  });
  watch(w, L, 'w');
  w.cork();
  w.write('a');
  w.write('b');
  w.write('c', () => L('cb c'));
  L('corked', w.writableCorked, w.writableLength);
  process.nextTick(() => w.uncork());
  await tick();
  w.end();
});

S('write after end', async (St, L) => {
  const w = new St.Writable({ write(c, e, cb) { cb(); } });
  watch(w, L, 'w');
  w.end();
  L('ret', w.write('x', (err) => L('cb', err)));
});

S('end twice', async (St, L) => {
  const w = new St.Writable({ write(c, e, cb) { cb(); } });
  watch(w, L, 'w');
  w.end(() => L('cb1'));
  await settle();
  w.end((err) => L('cb2', err));
});

S('write null and bad chunk', (St, L) => {
  const w = new St.Writable({ write(c, e, cb) { cb(); } });
  try { w.write(null); } catch (e) { L('null', e); }
  try { w.write(5); } catch (e) { L('num', e); }
  try { w.write('x', 'bogus'); } catch (e) { L('enc', e); }
});

S('final and error in final', async (St, L) => {
  const w = new St.Writable({
    write(c, e, cb) { cb(); },
    final(cb) { L('_final'); setTimeout(() => cb(new Error('final failed')), 1); },
  });
  watch(w, L, 'w');
  w.end('x', (err) => L('end cb', err));
  await new Promise((res) => w.on('close', res));
});

S('write error async', async (St, L) => {
  const w = new St.Writable({
    write(c, e, cb) { setTimeout(() => cb(new Error('boom')), 1); },
  });
  watch(w, L, 'w');
  w.write('a', (err) => L('cb a', err));
  w.write('b', (err) => L('cb b', err));
  await new Promise((res) => w.on('close', res));
  L('state', w.destroyed, w.errored && w.errored.message, w.writable);
});

S('write error sync', async (St, L) => {
  const w = new St.Writable({
    write(c, e, cb) { cb(new Error('sync boom')); },
  });
  watch(w, L, 'w');
  L('ret', w.write('a', (err) => L('cb a', err)));
});

S('destroy readable with error', async (St, L) => {
  const r = new St.Readable({ read() {} });
  watch(r, L, 'r');
  r.push('a');
  r.destroy(new Error('bad'));
  L('destroyed', r.destroyed, r.readable);
  r.destroy(new Error('second'));
});

S('destroy writable with pending writes', async (St, L) => {
  const w = new St.Writable({ write(c, e, cb) { setTimeout(cb, 5); } });
  watch(w, L, 'w');
  const ended = new Promise((res) => {
    w.write('a', (err) => L('cb a', err));
    w.write('b', (err) => L('cb b', err));
    w.end((err) => { L('end cb', err); res(); });
  });
  w.destroy();
  await ended;
  await new Promise((res) => setTimeout(res, 10)); // the in-flight write completes
});

S('destroy with callback and _destroy', async (St, L) => {
  const r = new St.Readable({
    read() {},
    destroy(err, cb) { L('_destroy', err); setTimeout(() => cb(err), 1); },
  });
  watch(r, L, 'r');
  r.destroy(null, (err) => L('destroy cb', err));
});

S('emitClose false / autoDestroy false', async (St, L) => {
  const r = new St.Readable({ read() {}, emitClose: false });
  watch(r, L, 'r');
  r.resume();
  r.push(null);
  const w = new St.Writable({ write(c, e, cb) { cb(); }, autoDestroy: false });
  watch(w, L, 'w');
  w.end();
  await settle();
  L('w destroyed', w.destroyed);
});

S('transform upper + flush', async (St, L) => {
  const t2 = new St.Transform({
    transform(chunk, enc, cb) { cb(null, chunk.toString().toUpperCase()); },
    flush(cb) { L('_flush'); cb(null, '!'); },
  });
  watch(t2, L, 't');
  t2.on('data', (d) => L('data', d));
  t2.write('ab');
  t2.write('cd');
  t2.end('ef');
  await new Promise((res) => t2.on('close', res));
});

S('transform error', async (St, L) => {
  const t2 = new St.Transform({ transform(chunk, enc, cb) { cb(new Error('tx')); } });
  watch(t2, L, 't');
  t2.write('x', (err) => L('write cb', err));
});

S('transform backpressure objectMode', async (St, L) => {
  const t2 = new St.Transform({
    objectMode: true,
    highWaterMark: 2,
    transform(chunk, enc, cb) { this.push(chunk); this.push(chunk * 10); cb(); },
  });
  for (let i = 1; i <= 5; i++) L('write', i, t2.write(i));
  L('lengths', t2.readableLength, t2.writableLength);
  const out = [];
  t2.on('data', (d) => out.push(d));
  t2.end();
  await new Promise((res) => t2.on('end', res));
  L('out', out.join(','));
});

S('passthrough pipe chain with slow sink', async (St, L) => {
  const src = new St.Readable({ read() {}, highWaterMark: 2 });
  const pt = new St.PassThrough({ highWaterMark: 2 });
  const sink = new St.Writable({
    highWaterMark: 2,
    write(c, e, cb) { L('sink', c); setTimeout(cb, 1); },
  });
  watch(src, L, 'src');
  watch(pt, L, 'pt');
  watch(sink, L, 'sink');
  src.pipe(pt).pipe(sink);
  for (const c of ['aa', 'bb', 'cc', 'dd']) L('push', c, src.push(c));
  src.push(null);
  await new Promise((res) => sink.on('close', res));
});

S('pipe end:false and unpipe', async (St, L) => {
  const src = new St.Readable({ read() {} });
  const sink = new St.Writable({ write(c, e, cb) { L('sink', c); cb(); } });
  watch(src, L, 'src');
  watch(sink, L, 'sink');
  src.pipe(sink, { end: false });
  src.push('a');
  await tick();
  src.unpipe(sink);
  src.push('b');
  await tick();
  L('flowing', src.readableFlowing);
  src.push(null);
  src.resume();
});

S('pipe dest error', async (St, L) => {
  const src = new St.Readable({ read() {} });
  const sink = new St.Writable({ write(c, e, cb) { cb(new Error('sink fail')); } });
  watch(src, L, 'src');
  watch(sink, L, 'sink');
  src.pipe(sink);
  src.push('a');
});

S('pipeline success', async (St, L) => {
  const src = St.Readable.from(['a', 'b', 'c']);
  const up = new St.Transform({ transform(c, e, cb) { cb(null, String(c).toUpperCase()); } });
  const out = [];
  const sink = new St.Writable({ write(c, e, cb) { out.push(String(c)); cb(); } });
  watch(src, L, 'src');
  watch(up, L, 'up');
  watch(sink, L, 'sink');
  await new Promise((res) => St.pipeline(src, up, sink, (err) => { L('pipeline cb', err, out.join('')); res(); }));
});

S('pipeline failure destroys all', async (St, L) => {
  const src = new St.Readable({ read() {} });
  const mid = new St.PassThrough();
  const sink = new St.Writable({ write(c, e, cb) { cb(); } });
  watch(src, L, 'src');
  watch(mid, L, 'mid');
  watch(sink, L, 'sink');
  St.pipeline(src, mid, sink, (err) => L('pipeline cb', err));
  src.push('x');
  await tick();
  mid.destroy(new Error('mid broke'));
  await settle();
  L('destroyed', src.destroyed, mid.destroyed, sink.destroyed);
});

S('pipeline premature close', async (St, L) => {
  const src = new St.Readable({ read() {} });
  const sink = new St.Writable({ write(c, e, cb) { cb(); } });
  St.pipeline(src, sink, (err) => L('pipeline cb', err));
  src.push('x');
  await tick();
  src.destroy();
});

S('pipeline with generators', async (St, L) => {
  const out = await new Promise((res) => {
    St.pipeline(
      function* () { yield 'a'; yield 'b'; },
      async function* (source) { for await (const c of source) yield String(c) + String(c); },
      async function (source) { let s = ''; for await (const c of source) s += c; return s; },
      (err, val) => res([err ? err.message : null, val]),
    );
  });
  L('result', out.join(','));
});

S('pipeline args', async (St, L) => {
  try { St.pipeline(new St.PassThrough()); } catch (e) { L('one', e); }
  try { St.pipeline(new St.PassThrough(), new St.PassThrough()); } catch (e) { L('nocb', e); }
});

S('promises.pipeline and finished', async (St, L) => {
  const src = St.Readable.from(['x', 'y']);
  let s = '';
  const sink = new St.Writable({ write(c, e, cb) { s += c; cb(); } });
  await St.promises.pipeline(src, sink);
  L('piped', s);
  const r = new St.Readable({ read() {} });
  const p = St.promises.finished(r);
  r.destroy(new Error('fin'));
  try { await p; } catch (e) { L('finished rejected', e); }
});

S('finished callbacks', async (St, L) => {
  const r = new St.Readable({ read() {} });
  St.finished(r, (err) => L('r finished', err));
  r.resume();
  r.push(null);
  const w = new St.Writable({ write(c, e, cb) { cb(); } });
  St.finished(w, (err) => L('w finished', err));
  w.end('x');
  const r2 = new St.Readable({ read() {} });
  St.finished(r2, (err) => L('r2 finished', err));
  r2.destroy();
  const d = new St.Duplex({ read() {}, write(c, e, cb) { cb(); } });
  St.finished(d, { readable: false }, (err) => L('d finished', err));
  d.end();
  await settle();
  const done = new St.PassThrough();
  done.end();
  done.resume();
  await settle();
  St.finished(done, (err) => L('late finished', err));
});

S('Readable.from and async iteration', async (St, L) => {
  const r = St.Readable.from((async function* () { yield 1; yield 2; yield 3; })());
  for await (const v of r) L('v', v);
  L('after', r.destroyed, r.readableEnded);
  const s = St.Readable.from('whole string');
  for await (const v of s) L('s', v);
  const b = St.Readable.from(Buffer.from('buf'));
  for await (const v of b) L('b', v);
});

S('async iteration break destroys', async (St, L) => {
  const r = new St.Readable({ objectMode: true, read() {} });
  watch(r, L, 'r');
  r.push(1);
  r.push(2);
  for await (const v of r) {
    L('v', v);
    break;
  }
  L('destroyed', r.destroyed);
});

S('async iteration error', async (St, L) => {
  const r = new St.Readable({ read() {} });
  setTimeout(() => r.destroy(new Error('iter err')), 1);
  try {
    for await (const v of r) L('v', v);
  } catch (e) {
    L('caught', e);
  }
});

S('Readable.from null value', async (St, L) => {
  const r = St.Readable.from([1, null, 2]);
  watch(r, L, 'r');
  r.on('data', (d) => L('data', d));
});

S('duplex allowHalfOpen false', async (St, L) => {
  const d = new St.Duplex({
    allowHalfOpen: false,
    read() {},
    write(c, e, cb) { L('_write', c); cb(); },
  });
  watch(d, L, 'd');
  d.resume();
  d.push(null);
  await new Promise((res) => d.on('close', res));
  L('state', d.writableEnded, d.writableFinished);
});

S('duplex readable:false', async (St, L) => {
  const d = new St.Duplex({ readable: false, write(c, e, cb) { cb(); } });
  watch(d, L, 'd');
  L('flags', d.readable, d.writable);
  d.end('x');
});

S('construct', async (St, L) => {
  const w = new St.Writable({
    construct(cb) { L('_construct'); setTimeout(cb, 1); },
    write(c, e, cb) { L('_write', c); cb(); },
  });
  watch(w, L, 'w');
  w.write('early');
  w.end();
  const r = new St.Readable({
    construct(cb) { L('r _construct'); cb(new Error('construct failed')); },
    read() { L('r _read'); },
  });
  watch(r, L, 'r');
});

S('addAbortSignal', async (St, L) => {
  const ac = new AbortController();
  const r = St.addAbortSignal(ac.signal, new St.Readable({ read() {} }));
  watch(r, L, 'r');
  ac.abort();
  try { St.addAbortSignal({}, r); } catch (e) { L('bad signal', e); }
  const r2 = new St.Readable({ read() {}, signal: AbortSignal.abort() });
  watch(r2, L, 'r2');
});

S('compose', async (St, L) => {
  const c = St.compose(
    new St.Transform({ transform(ch, e, cb) { cb(null, String(ch) + '1'); } }),
    new St.Transform({ transform(ch, e, cb) { cb(null, String(ch) + '2'); } }),
  );
  const out = [];
  c.on('data', (d) => out.push(String(d)));
  c.write('a');
  c.end('b');
  await new Promise((res) => c.on('end', res));
  L('out', out.join(','));
});

S('operators', async (St, L) => {
  const arr = await St.Readable.from([1, 2, 3, 4]).map((x) => x * 2).filter((x) => x > 2).toArray();
  L('arr', arr.join(','));
  L('some', await St.Readable.from([1, 2]).some((x) => x > 1));
  L('reduce', await St.Readable.from([1, 2, 3]).reduce((a, b) => a + b, 0));
  L('take', (await St.Readable.from([1, 2, 3]).take(2).toArray()).join(','));
});

S('Duplex.from', async (St, L) => {
  const d = St.Duplex.from(async function* (source) { for await (const c of source) yield String(c).toUpperCase(); });
  const out = [];
  d.on('data', (c) => out.push(String(c)));
  d.write('q');
  d.end('r');
  await new Promise((res) => d.on('end', res));
  L('out', out.join(','));
  const p = St.Duplex.from(Promise.resolve('value'));
  for await (const v of p) L('p', v);
  const it = St.Duplex.from(['i', 'j']);
  for await (const v of it) L('it', v);
});

S('readable event + resume interplay', async (St, L) => {
  const r = new St.Readable({ read() {} });
  r.on('readable', () => L('readable', String(r.read())));
  r.on('data', (d) => L('data', d));
  r.push('a');
  await tick();
  r.removeAllListeners('readable');
  await tick();
  r.push('b');
  r.push(null);
  watch(r, L, 'r');
});

S('pause/resume/isPaused', async (St, L) => {
  const r = new St.Readable({ read() {} });
  watch(r, L, 'r');
  L('initial', r.isPaused(), r.readableFlowing);
  r.pause();
  L('paused', r.isPaused(), r.readableFlowing);
  r.on('data', (d) => L('data', d));
  L('after on data', r.readableFlowing);
  r.resume();
  r.push('x');
  await tick();
  L('flowing', r.readableFlowing);
});

S('hwm validation', (St, L) => {
  for (const hwm of [-1, 1.5, 'x', NaN]) {
    try { new St.Readable({ highWaterMark: hwm }); L('ok', hwm); } catch (e) { L('hwm', hwm, e); }
  }
  L(St.getDefaultHighWaterMark(false), St.getDefaultHighWaterMark(true));
  L(new St.Readable().readableHighWaterMark, new St.Writable().writableHighWaterMark,
    new St.Readable({ objectMode: true }).readableHighWaterMark,
    new St.Duplex({ readableHighWaterMark: 7, writableObjectMode: true }).writableHighWaterMark,
    new St.Duplex({ readableHighWaterMark: 7 }).readableHighWaterMark);
});

S('not implemented', async (St, L) => {
  const r = new St.Readable();
  watch(r, L, 'r');
  r.read();
  const w = new St.Writable();
  watch(w, L, 'w');
  try { w.write('x'); } catch (e) { L('threw', e); }
});

S('writable cannot pipe', async (St, L) => {
  const w = new St.Writable({ write(c, e, cb) { cb(); } });
  watch(w, L, 'w');
  w.pipe(new St.Writable());
});

S('legacy Stream pipe', async (St, L) => {
  const src = new St.Stream();
  const dst = new St.Writable({ write(c, e, cb) { L('dst', c); cb(); } });
  src.pipe(dst);
  src.emit('data', 'legacy');
  src.emit('end');
  watch(dst, L, 'dst');
});

S('exports', (St, L) => {
  L(Object.keys(St).sort().join(','));
  L(typeof St.Readable.from, typeof St.Readable.prototype[Symbol.asyncIterator], St.Stream === St);
  L(new St.PassThrough() instanceof St.Duplex, new St.Duplex() instanceof St.Writable, new St.Transform() instanceof St.Readable);
});

// Generated: random writable workloads (hwm, sync/async callbacks, corking).
for (let i = 0; i < 100; i++) {
  const hwm = rand.pick([0, 1, 3, 8, 16384]);
  const objectMode = rand() < 0.3;
  const asyncCb = rand.pick(['sync', 'tick', 'immediate']);
  const writev = rand() < 0.3;
  const chunks = Array.from({ length: 1 + rand.int(6) }, () => 'x'.repeat(1 + rand.int(5)));
  const cork = rand() < 0.3;
  S(`gen writable #${i} hwm=${hwm} om=${objectMode} ${asyncCb} writev=${writev} cork=${cork} ${chunks}`, async (St, L) => {
    const done = (cb) => (asyncCb === 'sync' ? cb() : asyncCb === 'tick' ? process.nextTick(cb) : setImmediate(cb));
    const w = new St.Writable({
      highWaterMark: hwm,
      objectMode,
      write(c, e, cb) { L('_write', c, e); done(cb); },
      writev: writev ? function (cs, cb) { L('_writev', cs.length); done(cb); } : undefined,
    });
    watch(w, L, 'w');
    if (cork) w.cork();
    for (const c of chunks) L('write', w.write(c, () => L('cb', c)), w.writableLength, w.writableNeedDrain);
    if (cork) process.nextTick(() => w.uncork());
    w.end(() => L('end cb'));
    await new Promise((res) => w.on('close', res));
  });
}

// Generated: random readable read() patterns.
for (let i = 0; i < 100; i++) {
  const hwm = rand.pick([0, 2, 5, 16384]);
  const pushes = Array.from({ length: 1 + rand.int(5) }, () => 'y'.repeat(1 + rand.int(6)));
  const reads = Array.from({ length: 1 + rand.int(6) }, () => rand.pick([undefined, 0, 1, 2, 4, 7, 100]));
  const mode = rand.pick(['readable', 'data', 'sync-read']);
  S(`gen readable #${i} hwm=${hwm} ${mode} pushes=${pushes} reads=${reads}`, async (St, L) => {
    let p = 0;
    const r = new St.Readable({
      highWaterMark: hwm,
      read(n) {
        L('_read', n);
        if (p < pushes.length) {
          const c = pushes[p++];
          process.nextTick(() => L('push', c, r.push(c)));
        } else if (p === pushes.length) {
          p++;
          process.nextTick(() => r.push(null));
        }
      },
    });
    watch(r, L, 'r');
    if (mode === 'readable') {
      let k = 0;
      r.on('readable', () => {
        const n = reads[k++ % reads.length];
        L('readable', r.readableLength, 'read', n, String(r.read(n)));
      });
    } else if (mode === 'data') {
      r.on('data', (d) => L('data', d));
    } else {
      for (const n of reads) L('read', n, String(r.read(n)));
      r.resume();
    }
    // A 'readable' handler that only reads 0 bytes stalls the stream (in
    // node too); such a run is cut off and compared up to that point.
    await new Promise((res) => {
      const timer = setTimeout(() => { L('stalled', r.readableLength); res(); }, 100);
      r.on('close', () => { clearTimeout(timer); res(); });
    });
  });
}

// Generated: pipe/pipeline chains with random high-water marks, sink speeds
// and failure points.
for (let i = 0; i < 150; i++) {
  const srcHwm = rand.pick([1, 4, 16384]);
  const midHwm = rand.pick([1, 4, 16384]);
  const sinkHwm = rand.pick([1, 4, 16384]);
  const speed = rand.pick(['sync', 'tick', 'immediate']);
  const n = 1 + rand.int(6);
  const failAt = rand() < 0.3 ? rand.int(n + 1) : -1;
  const how = rand.pick(['pipe', 'pipeline', 'promises']);
  const objectMode = rand() < 0.3;
  S(`gen chain #${i} ${how} hwm=${srcHwm}/${midHwm}/${sinkHwm} ${speed} n=${n} failAt=${failAt} om=${objectMode}`, async (St, L) => {
    const done = (cb, err) => (speed === 'sync' ? cb(err) : speed === 'tick' ? process.nextTick(cb, err) : setImmediate(cb, err));
    let k = 0;
    const src = new St.Readable({
      highWaterMark: srcHwm,
      objectMode,
      read() {
        if (k < n) this.push(`c${k++}`);
        else this.push(null);
      },
    });
    const mid = new St.Transform({
      highWaterMark: midHwm,
      objectMode,
      transform(c, e, cb) { done(cb, null); L('mid', c); this.push(String(c).toUpperCase()); },
    });
    let w = 0;
    const sink = new St.Writable({
      highWaterMark: sinkHwm,
      objectMode,
      write(c, e, cb) {
        L('sink', c);
        done(cb, w++ === failAt ? new Error('sink failed') : null);
      },
    });
    watch(src, L, 'src', ['end', 'close', 'error']);
    watch(mid, L, 'mid', ['end', 'finish', 'close', 'error']);
    watch(sink, L, 'sink', ['finish', 'close', 'error', 'drain']);
    if (how === 'pipe') {
      src.pipe(mid).pipe(sink);
      await new Promise((res) => { sink.on('close', res); });
    } else if (how === 'pipeline') {
      await new Promise((res) => St.pipeline(src, mid, sink, (err) => { L('cb', err); res(); }));
    } else {
      try {
        await St.promises.pipeline(src, mid, sink);
        L('resolved');
      } catch (e) {
        L('rejected', e);
      }
    }
  });
}

let ran = 0;
process.on('beforeExit', () => {
  if (ran !== scenarios.length) {
    t.fail('scenarios', new Error(`only ${ran} of ${scenarios.length} scenarios finished (one never settled)`));
  }
});
(async () => {
  for (const [label, body] of scenarios) {
    if (process.env.STREAM_DEBUG) console.log('scenario', label);
    await scenario(label, body);
    ran++;
  }
})();
