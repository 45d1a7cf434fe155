'use strict';
// Differential: pipe's listener bookkeeping, flow's end tick, ReadStream chunks.
const { Readable, Writable, PassThrough } = require('stream');
const fs = require('fs');
const os = require('os');
const path = require('path');
const out = [];
const log = (...a) => out.push(a.join(' '));
const counts = (e, names) => names.map((n) => `${n}:${e.listenerCount(n)}`).join(',');
const ev = ['close', 'finish', 'error', 'unpipe', 'drain', 'end', 'data', 'readable'];
const steps = [];
function step(name, fn) { steps.push([name, fn]); }
function run(i) {
  if (i >= steps.length) { console.log(out.join('\n')); return; }
  const [name, fn] = steps[i];
  log('--', name);
  fn(() => setImmediate(run, i + 1));
}
function sink(opts) {
  return new Writable(Object.assign({ write(c, e, cb) { cb(); } }, opts));
}
step('end normally', (done) => {
  const r = new Readable({ read() {} });
  const w = sink();
  r.pipe(w);
  log('piped src', counts(r, ev), 'dest', counts(w, ev));
  r.push('abc'); r.push(null);
  w.on('finish', () => log('finish src', counts(r, ev), 'dest', counts(w, ev)));
  w.on('close', () => { log('close src', counts(r, ev), 'dest', counts(w, ev)); done(); });
});
step('unpipe early', (done) => {
  const r = new Readable({ read() {} });
  const w = sink();
  r.pipe(w);
  r.unpipe(w);
  log('after unpipe src', counts(r, ev), 'dest', counts(w, ev));
  done();
});
step('dest closes first', (done) => {
  const r = new Readable({ read() {} });
  const w = sink();
  r.pipe(w);
  w.destroy();
  w.on('close', () => { log('dest close src', counts(r, ev), 'dest', counts(w, ev)); r.destroy(); done(); });
});
step('dest errors', (done) => {
  const r = new Readable({ read() {} });
  const w = sink({ write(c, e, cb) { cb(new Error('boom')); } });
  w.on('error', (e) => log('error', e.message));
  r.pipe(w);
  r.push('x');
  setTimeout(() => { log('after error src', counts(r, ev), 'dest', counts(w, ev)); done(); }, 5);
});
step('end listener order with ticks from data', (done) => {
  const r = new Readable({ read() {} });
  r.push('a'); r.push(null);
  r.on('data', (c) => { log('data', c); process.nextTick(() => log('tick from data')); });
  r.on('end', () => { log('end'); process.nextTick(() => log('tick from end')); });
  r.on('close', () => { log('close'); done(); });
});
step('read override sees calls', (done) => {
  let n = 0;
  class R extends Readable { read(k) { n++; return super.read(k); } }
  const r = new R({ read() {} });
  r.push('a'); r.push('b'); r.push(null);
  r.on('data', () => {});
  r.on('end', () => log('end'));
  r.on('close', () => { log('reads', n); done(); });
});
step('pipe twice to one dest then end', (done) => {
  const r = new Readable({ read() {} });
  const a = sink(); const b = new PassThrough(); b.resume();
  r.pipe(a); r.pipe(b);
  r.push('q'); r.push(null);
  b.on('close', () => { log('two dests src', counts(r, ev), 'a', counts(a, ev), 'b', counts(b, ev)); done(); });
});
step('fs ReadStream chunk', (done) => {
  const f = path.join(os.tmpdir(), `gnode-pc-${process.pid}.txt`);
  fs.writeFileSync(f, 'hello world');
  const rs = fs.createReadStream(f, { start: 2, end: 7 });
  const seen = [];
  rs.on('open', () => seen.push('open'));
  rs.on('ready', () => seen.push('ready'));
  rs.on('data', (c) => seen.push(`data ${Buffer.isBuffer(c)} ${c.constructor.name} ${JSON.stringify(c.toString())} ${c.length} ${c.byteLength}`));
  rs.on('end', () => seen.push(`end ${rs.bytesRead}`));
  rs.on('close', () => {
    seen.push('close');
    log(seen.join(' | '));
    const w = sink();
    const rs2 = fs.createReadStream(f);
    rs2.pipe(w);
    w.on('finish', () => log('fs finish src', counts(rs2, ev), 'dest', counts(w, ev)));
    rs2.on('close', () => { log('fs close src', counts(rs2, ev)); fs.unlinkSync(f); done(); });
  });
});
step('emit override sees internal events', (done) => {
  const seen = [];
  class R extends Readable { emit(t, ...a) { if (typeof t === 'string') seen.push(t); return super.emit(t, ...a); } }
  class W extends Writable { emit(t, ...a) { if (typeof t === 'string') seen.push('w:' + t); return super.emit(t, ...a); } }
  const r = new R({ read() {} });
  const w = new W({ write(c, e, cb) { cb(); } });
  r.pipe(w);
  r.push('z'); r.push(null);
  w.on('close', () => { log(seen.join(',')); done(); });
});
step('fs readable listener', (done) => {
  const f = path.join(os.tmpdir(), `gnode-pc3-${process.pid}.txt`);
  fs.writeFileSync(f, 'x'.repeat(100));
  const rs = fs.createReadStream(f);
  const seen = [];
  rs.on('readable', () => { seen.push('readable'); let c; while ((c = rs.read()) !== null) seen.push(`chunk ${c.length}`); });
  rs.on('end', () => seen.push('end'));
  rs.on('close', () => { log(seen.join(',')); fs.unlinkSync(f); done(); });
});
step('fs data ticks and end', (done) => {
  const f = path.join(os.tmpdir(), `gnode-pc4-${process.pid}.txt`);
  fs.writeFileSync(f, 'y'.repeat(100));
  const seen = [];
  const one = (opts, next) => {
    const rs = fs.createReadStream(f, opts);
    rs.on('data', (c) => { seen.push(`data ${c.length}`); process.nextTick(() => seen.push('tick')); setImmediate(() => seen.push('immediate')); });
    rs.on('end', () => seen.push('end'));
    rs.on('close', () => { seen.push('close'); setTimeout(next, 5); });
  };
  one({}, () => one({ start: 10, end: 49 }, () => { log(seen.join(',')); fs.unlinkSync(f); done(); }));
});
step('read name', (done) => { log(JSON.stringify(Readable.prototype.read.name), typeof Readable.prototype.read); done(); });
run(0);
