// AsyncLocalStorage inside stream callbacks: the stream internals queue
// their ticks directly when no frame is active and through the frame when
// one is. Readable, a Readable with _construct piped into a Writable,
// destroy before construction ends, and a Duplex with _construct (both
// halves wait for it), with and without a store. (fs callbacks do not
// carry the store yet: fs.ReadStream is left out.)
const { AsyncLocalStorage } = require('async_hooks');
const { Readable, Writable, Duplex } = require('stream');

const als = new AsyncLocalStorage();
const log = [];
const note = (what) => log.push(what + ' ' + JSON.stringify(als.getStore()));

function readable(tag) {
  return new Promise((resolve) => {
    const r = new Readable({ read() {} });
    r.on('data', (d) => note(tag + ' data ' + d));
    r.on('end', () => note(tag + ' end'));
    r.on('close', () => { note(tag + ' close'); resolve(); });
    r.push('x');
    r.push(null);
  });
}

function file2writable(tag) {
  return new Promise((resolve) => {
    const rs = new Readable({
      construct(cb) { setImmediate(() => { this.emit('open'); this.emit('ready'); cb(); }); },
      read() { this.push('abcabc'); this.push(null); },
    });
    const chunks = [];
    const w = new Writable({ write(c, e, cb) { chunks.push(String(c)); note(tag + ' write'); cb(); } });
    rs.on('open', () => note(tag + ' open'));
    rs.on('ready', () => note(tag + ' ready'));
    rs.on('end', () => note(tag + ' end'));
    rs.on('close', () => note(tag + ' close'));
    w.on('finish', () => { note(tag + ' finish ' + chunks.join('')); resolve(); });
    rs.pipe(w);
  });
}

function duplex(tag) {
  return new Promise((resolve) => {
    const order = [];
    const d = new Duplex({
      construct(cb) { order.push('construct'); setImmediate(cb); },
      read() { order.push('read'); this.push('d'); this.push(null); },
      write(c, e, cb) { order.push('write ' + c); cb(); },
      final(cb) { order.push('final'); cb(); },
    });
    d.on('data', (c) => note(tag + ' duplex data ' + c));
    d.on('end', () => note(tag + ' duplex end'));
    d.on('finish', () => note(tag + ' duplex finish'));
    d.on('close', () => { note(tag + ' duplex close ' + order.join(',')); resolve(); });
    d.write('w');
    d.end();
  });
}

function destroyEarly(tag) {
  return new Promise((resolve) => {
    const rs = new Readable({ construct(cb) { setImmediate(cb); }, read() {} });
    rs.on('close', () => { note(tag + ' destroyed close ' + rs.destroyed); resolve(); });
    rs.destroy();
  });
}

async function all(tag) {
  await readable(tag);
  await file2writable(tag);
  await duplex(tag);
  await destroyEarly(tag);
}

(async () => {
  await all('none');
  await als.run({ id: 1 }, () => all('store1'));
  await all('after');
  console.log(log.join('\n'));
})();
