// Readable.prototype.pipe's less common paths, whose helpers gnode writes
// into the listeners: backpressure (pause, 'drain', resume), a destination
// that already needs a drain when piped, two destinations with different
// speeds, { end: false }, unpipe while paused, and a destination error.
// Each case logs events and the listener counts left afterwards.
const { Readable, Writable, PassThrough } = require('stream');

const out = [];
const counts = (s, evs) => evs.map((e) => e + ':' + s.listenerCount(e)).join(' ');

function source(tag, n, size) {
  let i = 0;
  return new Readable({
    highWaterMark: 4,
    read() {
      if (i < n) this.push(Buffer.alloc(size, 97 + (i++ % 26)));
      else this.push(null);
    },
  });
}

function sink(tag, hwm, delay) {
  const got = [];
  const w = new Writable({
    highWaterMark: hwm,
    write(c, e, cb) {
      got.push(c.length);
      if (delay === 'sync') cb();
      else if (delay === 'tick') process.nextTick(cb);
      else setImmediate(cb);
    },
  });
  w.got = got;
  for (const ev of ['pipe', 'unpipe', 'drain', 'finish', 'close']) w.on(ev, () => out.push(tag + ' ' + ev));
  return w;
}

const cases = {
  backpressure: () => new Promise((resolve) => {
    const r = source('bp', 6, 5);
    const w = sink('bp', 3, 'immediate');
    r.on('pause', () => out.push('bp r pause'));
    r.on('resume', () => out.push('bp r resume'));
    w.on('close', () => { out.push('bp got ' + w.got.join(',')); resolve(); });
    r.pipe(w);
  }),
  needDrainAtStart: () => new Promise((resolve) => {
    const w = sink('nd', 2, 'immediate');
    w.write(Buffer.alloc(8));
    out.push('nd needDrain ' + w.writableNeedDrain);
    const r = source('nd', 3, 3);
    r.on('pause', () => out.push('nd r pause'));
    r.on('resume', () => out.push('nd r resume'));
    w.on('close', () => { out.push('nd got ' + w.got.join(',')); resolve(); });
    r.pipe(w);
    out.push('nd flowing ' + r.readableFlowing + ' ' + counts(w, ['drain', 'error', 'close', 'finish', 'unpipe']));
  }),
  twoDests: () => new Promise((resolve) => {
    const r = source('two', 5, 4);
    const fast = sink('two fast', 100, 'sync');
    const slow = sink('two slow', 2, 'immediate');
    let closed = 0;
    const done = () => {
      if (++closed === 2) {
        out.push('two got ' + fast.got.join(',') + ' / ' + slow.got.join(','));
        resolve();
      }
    };
    fast.on('close', done);
    slow.on('close', done);
    r.pipe(fast);
    r.pipe(slow);
  }),
  endFalse: () => new Promise((resolve) => {
    const r = source('ef', 2, 3);
    const w = sink('ef', 10, 'sync');
    r.on('end', () => setImmediate(() => {
      out.push('ef after end ' + w.writableEnded + ' ' + counts(r, ['end', 'data']) + ' ' +
        counts(w, ['unpipe', 'error', 'close', 'finish']));
      w.end(resolve);
    }));
    r.pipe(w, { end: false });
  }),
  unpipePaused: () => new Promise((resolve) => {
    const r = source('up', 10, 5);
    const w = sink('up', 2, 'immediate');
    r.pipe(w);
    setImmediate(() => {
      r.unpipe(w);
      out.push('up unpiped flowing ' + r.readableFlowing + ' ' + counts(w, ['drain', 'error', 'close', 'finish', 'unpipe']) +
        ' ' + counts(r, ['data', 'end']));
      w.end();
      w.on('close', resolve);
    });
  }),
  destError: () => new Promise((resolve) => {
    const r = source('de', 5, 5);
    const w = new Writable({ write(c, e, cb) { cb(new Error('nope')); } });
    w.on('error', (e) => out.push('de error ' + e.message + ' ' + counts(r, ['data', 'end'])));
    w.on('close', () => { out.push('de close'); resolve(); });
    r.pipe(w);
  }),
  passThroughChain: () => new Promise((resolve) => {
    const r = source('pt', 4, 2);
    const w = sink('pt', 1, 'tick');
    w.on('close', () => { out.push('pt got ' + w.got.join(',')); resolve(); });
    r.pipe(new PassThrough({ highWaterMark: 1 })).pipe(w);
  }),
};

(async () => {
  for (const [name, run] of Object.entries(cases)) {
    out.push('== ' + name);
    await run();
  }
  console.log(out.join('\n'));
})();
