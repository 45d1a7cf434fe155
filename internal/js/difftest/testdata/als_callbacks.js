'use strict';
// AsyncLocalStorage stores through the callbacks of fs, fs.promises,
// timers, ticks, microtasks and promises, as node carries them;
// EventEmitter listeners run in the emitter's caller's store (no
// propagation), and the callbacks of Go-side work (crypto, zlib,
// dns.lookup, child_process.exec). Lines are sorted before printing: the
// order in which the different operations complete is not the point here.
// net and http events are in als_net_http.js. Not yet here, since gnode
// still loses the store there: the code after `await null` (see
// internal/async_context.js).
const { AsyncLocalStorage, AsyncResource } = require('async_hooks');
const fs = require('fs');
const { EventEmitter } = require('events');

const als = new AsyncLocalStorage();
const other = new AsyncLocalStorage();
const lines = [];
const log = (k, extra) => lines.push(`${k}: ${String(als.getStore())}${extra === undefined ? '' : ' ' + extra}`);
let pending = 0;
function start() { pending++; }
function done() { if (--pending === 0) setImmediate(finish); }

als.run('stat', () => { start(); fs.stat(__filename, (err, st) => { log('fs.stat', st.isFile()); done(); }); });
als.run('lstat', () => { start(); fs.lstat(__filename, () => { log('fs.lstat'); done(); }); });
als.run('readFile', () => { start(); fs.readFile(__filename, 'utf8', (err, s) => { log('fs.readFile', s.length > 0); done(); }); });
als.run('readdir', () => { start(); fs.readdir(__dirname, () => { log('fs.readdir'); done(); }); });
als.run('access', () => { start(); fs.access(__filename, () => { log('fs.access'); done(); }); });
als.run('exists', () => { start(); fs.exists(__filename, (ok) => { log('fs.exists', ok); done(); }); });
als.run('enoent', () => { start(); fs.stat(__filename + '.missing', (err) => { log('fs.stat ENOENT', err.code); done(); }); });
als.run('open', () => {
  start();
  fs.open(__filename, 'r', (err, fd) => {
    log('fs.open');
    als.run('read', () => {
      fs.read(fd, Buffer.alloc(8), 0, 8, 0, (err2, n) => {
        log('fs.read', n);
        fs.close(fd, () => { log('fs.close'); done(); });
      });
    });
  });
});
als.run('stream', () => {
  start();
  let chunks = 0;
  fs.createReadStream(__filename, { highWaterMark: 256 })
    .on('data', () => { if (chunks++ === 0) log('ReadStream data'); })
    .on('end', () => { log('ReadStream end'); done(); });
});
als.run('promises', async () => {
  start();
  await fs.promises.stat(__filename);
  log('fs.promises await');
  const s = await fs.promises.readFile(__filename, 'utf8');
  log('fs.promises readFile', s.length > 0);
  done();
});
als.run('promises.then', () => { start(); fs.promises.access(__filename).then(() => { log('fs.promises then'); done(); }); });

als.run('timeout', () => { start(); setTimeout((a) => { log('setTimeout', a); done(); }, 1, 'arg'); });
als.run('interval', () => {
  start();
  const t = setInterval(() => { log('setInterval'); clearInterval(t); done(); }, 1);
});
als.run('immediate', () => { start(); setImmediate((a, b) => { log('setImmediate', `${a}${b}`); done(); }, 'x', 'y'); });
als.run('nextTick', () => { start(); process.nextTick((a, b, c) => { log('nextTick', `${a}${b}${c}`); done(); }, 1, 2, 3); });
als.run('microtask', () => { start(); queueMicrotask(() => { log('queueMicrotask'); done(); }); });
als.run('promise', () => { start(); Promise.resolve(1).then(() => { log('promise then'); done(); }); });
als.run('async', async () => { start(); await Promise.resolve(); await new Promise((r) => setTimeout(r, 1)); log('async await'); done(); });

const ee = new EventEmitter();
als.run('listener-added', () => ee.on('ev', () => log('EventEmitter listener')));
als.run('emitter', () => ee.emit('ev'));
ee.emit('ev');


als.run('outer', () => {
  other.run('o', () => {
    als.run('inner', () => { start(); setTimeout(() => { log('nested inner', other.getStore()); done(); }, 1); });
    start();
    setImmediate(() => { log('nested outer', other.getStore()); done(); });
    als.exit(() => { start(); process.nextTick(() => { log('exit', other.getStore()); done(); }); });
  });
});

start();
setTimeout(() => {
  als.enterWith('entered');
  log('enterWith sync');
  setImmediate(() => { log('enterWith immediate'); done(); });
}, 1);

// Callbacks of Go-side work keep the store too.
for (const [name, go] of [
  ['dns.lookup', (cb) => require('dns').lookup('localhost', cb)],
  ['zlib.gzip', (cb) => require('zlib').gzip('abc', cb)],
  ['crypto.randomBytes', (cb) => require('crypto').randomBytes(8, cb)],
  ['crypto.pbkdf2', (cb) => require('crypto').pbkdf2('a', 'b', 1, 8, 'sha256', cb)],
  ['crypto.scrypt', (cb) => require('crypto').scrypt('a', 'b', 8, cb)],
  ['child_process.exec', (cb) => require('child_process').exec('true', cb)],
]) {
  start();
  als.run(name, () => go(() => { log(name); done(); }));
}

const res = als.run('resource', () => new AsyncResource('T'));
res.runInAsyncScope(() => log('AsyncResource scope'));
log('top level');

function finish() {
  for (const l of lines.sort()) console.log(l);
}
