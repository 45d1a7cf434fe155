// Where a piped fs.ReadStream's 'close' falls among the destination's
// events. Node closes the file on its thread pool, so 'close' comes in a
// later poll phase: after a destination's 'finish' whose write callback
// ran on the next tick or in setImmediate, without waiting for a
// destination that is still writing. Each case starts from an fs callback (a poll-phase
// callback), where Node's order does not depend on the thread pool's speed
// (no case races a timer against it).
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const { Writable, PassThrough } = require('stream');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gnode-close-'));
const small = path.join(dir, 'small.txt');
const big = path.join(dir, 'big.bin');
const empty = path.join(dir, 'empty.txt');
fs.writeFileSync(small, 'hello close order\n');
fs.writeFileSync(big, Buffer.alloc(200 * 1024, 7));
fs.writeFileSync(empty, '');

function track(log, name, em, events) {
  for (const ev of events) em.on(ev, () => log.push(`${name} ${ev}`));
}

const writers = {
  sync: () => new Writable({ write(c, e, cb) { cb(); } }),
  tick: () => new Writable({ write(c, e, cb) { process.nextTick(cb); } }),
  immediate: () => new Writable({ write(c, e, cb) { setImmediate(cb); } }),
  // A write that completes only once the source has closed: 'close' must
  // not wait for the destination.
  waits: (rs) => new Writable({ write(c, e, cb) { if (rs.closed) cb(); else rs.once('close', () => cb()); } }),
  final: () => new Writable({ write(c, e, cb) { cb(); }, final(cb) { setImmediate(cb); } }),
  passthrough: () => { const p = new PassThrough(); p.resume(); return p; },
};

const cases = [];
for (const file of [small, big, empty]) {
  for (const [kind, make] of Object.entries(writers)) {
    // A 'waits' destination would hold a big file's stream back forever
    // (backpressure): small files only.
    if (kind === 'waits' && file === big) continue;
    cases.push({ label: `${path.basename(file)} ${kind}`, file, make });
  }
}
cases.push({ label: 'small ranged immediate', file: small, make: writers.immediate, opts: { start: 2, end: 9 } });
cases.push({ label: 'big hwm immediate', file: big, make: writers.immediate, opts: { highWaterMark: 64 * 1024 } });

function runCase(c, next) {
  fs.stat(c.file, () => {
    const log = [];
    const rs = fs.createReadStream(c.file, c.opts);
    const w = c.make(rs);
    track(log, 'rs', rs, ['open', 'ready', 'end', 'close']);
    track(log, 'w', w, ['prefinish', 'finish', 'unpipe', 'close']);
    rs.pipe(w);
    whenBoth(rs, w, () => {
      console.log(`${c.label}: ${log.join(', ')}`);
      next();
    });
  });
}

// whenBoth calls done once a and b have both emitted 'close' (and a turn
// of the loop has passed, for anything queued behind them).
function whenBoth(a, b, done) {
  let left = 2;
  const one = () => { if (--left === 0) setImmediate(done); };
  a.once('close', one);
  b.once('close', one);
}

function destroyCase(next) {
  // destroy() from a poll-phase callback: a setImmediate queued after it
  // runs before 'close'.
  fs.stat(small, () => {
    const log = [];
    const rs = fs.createReadStream(small);
    rs.on('open', () => {
      fs.stat(small, () => {
        rs.destroy();
        setImmediate(() => log.push('immediate'));
        process.nextTick(() => log.push('tick'));
      });
    });
    track(log, 'rs', rs, ['close']);
    rs.once('close', () => setImmediate(() => {
      console.log(`destroy: ${log.join(', ')}`);
      next();
    }));
  });
}

function httpCase(next) {
  const log = [];
  // The server closes once the events are printed and the client has
  // read the whole response.
  let left = 2;
  // A keep-alive agent: with agent: false (Connection: close) node
  // sometimes closed the response before it was written (about 1 run in
  // 40 under load), leaving the piped file stream paused forever.
  const agent = new http.Agent({ keepAlive: true });
  const closeServer = () => { if (--left === 0) { agent.destroy(); srv.close(next); } };
  const srv = http.createServer((req, res) => {
    fs.stat(small, (err, st) => {
      res.setHeader('Content-Length', st.size);
      const rs = fs.createReadStream(small);
      track(log, 'rs', rs, ['end', 'close']);
      track(log, 'res', res, ['finish', 'close']);
      rs.pipe(res);
      whenBoth(rs, res, () => {
        console.log(`http: ${log.join(', ')}`);
        closeServer();
      });
    });
  }).listen(0, '127.0.0.1', () => {
    http.get({ port: srv.address().port, host: '127.0.0.1', agent }, (r) => {
      r.resume();
      r.on('end', closeServer);
    });
  });
}

let i = 0;
function step() {
  if (i < cases.length) return runCase(cases[i++], step);
  destroyCase(() => httpCase(() => fs.rmSync(dir, { recursive: true, force: true })));
}
step();
