// The order of a constructed stream's steps against the program's own
// ticks, microtasks and immediates: _construct's callback (sync, on a
// later tick, from an immediate), with user ticks queued before and after
// it and from the stream's events, for a Readable, a Writable, a Duplex
// and an fs.ReadStream (open, ready, data, end, close).
const fs = require('fs');
const os = require('os');
const path = require('path');
const { Readable, Writable, Duplex } = require('stream');

const log = [];
function mark(s) {
  log.push(s);
  process.nextTick(() => log.push('  tick<' + s + '>'));
  Promise.resolve().then(() => log.push('  micro<' + s + '>'));
}

function readable(name, when, done) {
  const r = new Readable({
    construct(cb) {
      mark(name + ' construct');
      if (when === 'sync') cb();
      else if (when === 'tick') process.nextTick(() => { mark(name + ' cb'); cb(); mark(name + ' after cb'); });
      else setImmediate(() => { mark(name + ' cb'); cb(); });
    },
    read() { mark(name + ' read'); this.push('x'); this.push(null); },
  });
  r.on('data', () => mark(name + ' data'));
  r.on('end', () => mark(name + ' end'));
  r.on('close', () => { mark(name + ' close'); setImmediate(done); });
}

function writable(name, done) {
  const w = new Writable({
    construct(cb) { setImmediate(() => { mark(name + ' cb'); cb(); }); },
    write(c, e, cb) { mark(name + ' write ' + c); cb(); },
  });
  w.write('a');
  w.end('b');
  w.on('finish', () => mark(name + ' finish'));
  w.on('close', () => { mark(name + ' close'); setImmediate(done); });
}

function duplex(name, done) {
  const d = new Duplex({
    construct(cb) { setImmediate(() => { mark(name + ' cb'); cb(); }); },
    read() { mark(name + ' read'); this.push('r'); this.push(null); },
    write(c, e, cb) { mark(name + ' write ' + c); cb(); },
  });
  d.on('data', () => mark(name + ' data'));
  d.write('w');
  d.end();
  let n = 0;
  const both = () => { if (++n === 2) setImmediate(done); };
  d.on('end', () => { mark(name + ' end'); both(); });
  d.on('finish', () => { mark(name + ' finish'); both(); });
}

function file(name, done) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sct-'));
  const f = path.join(dir, 'f.txt');
  fs.writeFileSync(f, 'hello');
  const rs = fs.createReadStream(f, { start: 0, end: 4 });
  mark(name + ' created');
  for (const ev of ['open', 'ready', 'end', 'pause', 'resume']) rs.on(ev, () => mark(name + ' ' + ev));
  rs.on('data', (d) => mark(name + ' data ' + d));
  rs.on('close', () => {
    mark(name + ' close');
    fs.rmSync(dir, { recursive: true, force: true });
    setImmediate(done);
  });
}

// Immediates queued from 'open' and 'end' run before the stream's next
// steps ('data', 'close'), whose reads and close answer from the loop.
function fileImmediates(name, done) {
  const order = [];
  const rs = fs.createReadStream(__filename, { start: 0, end: 9 });
  rs.on('open', () => { order.push('open'); setImmediate(() => order.push('imm from open')); });
  rs.on('data', () => order.push('data'));
  rs.on('end', () => { order.push('end'); setImmediate(() => order.push('imm from end')); });
  rs.on('close', () => {
    order.push('close');
    setImmediate(() => { log.push(name + ': ' + order.join(', ')); done(); });
  });
}

const runs = [
  (d) => fileImmediates('fs immediates', d),
  (d) => readable('sync', 'sync', d),
  (d) => readable('tick', 'tick', d),
  (d) => readable('imm', 'imm', d),
  (d) => writable('w', d),
  (d) => duplex('dx', d),
  (d) => file('fs', d),
  (d) => { process.nextTick(() => mark('user tick first')); file('fs2', d); },
];
let i = 0;
(function next() {
  if (i === runs.length) {
    console.log(log.join('\n'));
    return;
  }
  log.push('--');
  runs[i++](next);
})();
