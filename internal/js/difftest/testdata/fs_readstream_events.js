// fs.ReadStream: event order, chunking by highWaterMark, start/end,
// encodings, empty and missing files, fd and autoClose options, a subclass
// with its own _read, pause/resume, destroy before open, and pipe.
const fs = require('fs');
const path = require('path');
const os = require('os');
const { Writable, PassThrough } = require('stream');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-'));
const small = path.join(dir, 'small.txt');
const big = path.join(dir, 'big.bin');
const empty = path.join(dir, 'empty.txt');
fs.writeFileSync(small, 'hello, read stream\n');
fs.writeFileSync(big, Buffer.alloc(200000, 'abcdefghij'));
fs.writeFileSync(empty, '');

function watch(name, s, done) {
  const log = [];
  const show = (c) => (typeof c === 'string' ? JSON.stringify(c) : `${c.constructor.name}(${c.length})`);
  for (const ev of ['open', 'ready', 'data', 'end', 'close', 'error', 'pause', 'resume']) {
    s.on(ev, (x) => {
      if (ev === 'data') log.push(`data ${show(x)}`);
      else if (ev === 'error') log.push(`error ${x.code} ${x.syscall}`);
      else if (ev === 'open') log.push(`open ${typeof x}`);
      else log.push(ev);
      if (ev === 'close') {
        console.log(name, '|', log.join(', '), '| bytesRead', s.bytesRead, 'pending', s.pending, 'destroyed', s.destroyed);
        done();
      }
    });
  }
}

const cases = [
  (done) => watch('small', fs.createReadStream(small), done),
  (done) => watch('small start/end', fs.createReadStream(small, { start: 7, end: 10 }), done),
  (done) => watch('small start only', fs.createReadStream(small, { start: 14 }), done),
  (done) => watch('small end beyond', fs.createReadStream(small, { start: 0, end: 1000 }), done),
  (done) => watch('small utf8', fs.createReadStream(small, { encoding: 'utf8' }), done),
  (done) => watch('small hwm 4', fs.createReadStream(small, { highWaterMark: 4 }), done),
  (done) => watch('big', fs.createReadStream(big), done),
  (done) => watch('big hwm 100000 start', fs.createReadStream(big, { highWaterMark: 100000, start: 5 }), done),
  (done) => watch('empty', fs.createReadStream(empty), done),
  (done) => watch('missing', fs.createReadStream(path.join(dir, 'nope')), done),
  (done) => watch('directory', fs.createReadStream(dir), done),
  (done) => {
    const fd = fs.openSync(small, 'r');
    watch('fd option', fs.createReadStream(null, { fd, start: 1, end: 3 }), done);
  },
  (done) => {
    const fd = fs.openSync(small, 'r');
    const s = fs.createReadStream(null, { fd, autoClose: false });
    let n = 0;
    s.on('data', (c) => { n += c.length; });
    s.on('close', () => console.log('autoClose false: close'));
    s.on('end', () => setImmediate(() => {
      console.log('autoClose false: end', n, 'destroyed', s.destroyed, 'fd open', fs.fstatSync(fd).size);
      fs.closeSync(fd);
      done();
    }));
  },
  (done) => {
    class Upper extends fs.ReadStream {
      _read(n) {
        fs.read(this.fd, Buffer.alloc(8), 0, 8, null, (err, k, b) => {
          if (err) return this.destroy(err);
          this.push(k ? b.subarray(0, k).toString().toUpperCase() : null);
        });
      }
    }
    watch('subclass _read', new Upper(small), done);
  },
  (done) => {
    const s = fs.createReadStream(small);
    s.destroy();
    watch('destroy at once', s, done);
  },
  (done) => {
    const s = fs.createReadStream(small);
    s.on('open', () => s.destroy());
    watch('destroy on open', s, done);
  },
  (done) => {
    const s = fs.createReadStream(big, { highWaterMark: 65536 });
    s.pause();
    watch('paused then resumed', s, done);
    // Resumed after 'open' whatever the machine's speed: a fixed timer
    // could fire before the open completes on a loaded machine.
    s.once('open', () => setTimeout(() => s.resume(), 20));
  },
  (done) => {
    const s = fs.createReadStream(small);
    s.on('readable', function () {
      let c;
      while ((c = this.read(5)) !== null) console.log('readable read', JSON.stringify(c.toString()));
    });
    watch('readable mode', s, done);
  },
  (done) => {
    const got = [];
    const w = new Writable({ write(c, e, cb) { got.push(c.length); cb(); } });
    const s = fs.createReadStream(big, { start: 10, end: 150000 });
    w.on('finish', () => console.log('pipe finish', got.join(','), 'total', got.reduce((a, b) => a + b, 0)));
    watch('pipe', s, done);
    s.pipe(w);
  },
  (done) => {
    const s = fs.createReadStream(small, { start: 3, end: 8 });
    const p = new PassThrough();
    let out = '';
    p.on('data', (d) => { out += d; });
    p.on('end', () => console.log('passthrough', JSON.stringify(out)));
    watch('pipe to passthrough', s, done);
    s.pipe(p);
  },
  async (done) => {
    let n = 0;
    for await (const c of fs.createReadStream(big, { highWaterMark: 32768 })) n += c.length;
    console.log('async iterator', n);
    done();
  },
  (done) => {
    try { fs.createReadStream(small, { start: 5, end: 2 }); } catch (e) { console.log('start > end', e.code); }
    done();
  },
];

(function run(i) {
  if (i === cases.length) {
    fs.rmSync(dir, { recursive: true });
    console.log('done');
    return;
  }
  cases[i](() => setImmediate(run, i + 1));
})(0);
