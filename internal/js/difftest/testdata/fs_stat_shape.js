// fs.Stats and BigIntStats: shape (own keys, prototype chain, enumerable
// methods), util.inspect output, instanceof, Date fields, is*() for each
// kind of file, bigint exactness, every stat entry point (sync, callback,
// promises, FileHandle, fstat, lstat), utimes precision and birthtime.
const fs = require('fs');
const os = require('os');
const path = require('path');
const util = require('util');
const net = require('net');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gnode-stat-'));
const f = path.join(dir, 'a.txt');
fs.writeFileSync(f, 'hello world');

// Deterministic fields only: times set by utimes, sizes, kinds.
function show(label, s, untimed) {
  const keys = Object.keys(s);
  console.log(label, s.constructor.name, s instanceof fs.Stats, keys.join(','));
  if (!untimed) {
    console.log(' ', typeof s.size, String(s.size), String(s.nlink), String(Number(s.mode) & 0o170000));
    console.log(' ', String(s.atimeMs), String(s.mtimeMs), s.atime.toISOString(), s.mtime.toISOString());
  }
  console.log(' ', s.isFile(), s.isDirectory(), s.isSymbolicLink(), s.isFIFO(), s.isSocket(), s.isBlockDevice(), s.isCharacterDevice());
  console.log(' ', s.atime instanceof Date, s.atime !== s.mtime, s.birthtime instanceof Date, s.ctime instanceof Date);
}

// Times with exact binary fractions, and one that libuv truncates to
// microseconds.
fs.utimesSync(f, 1700000000.5, 1700000001.25);
show('statSync', fs.statSync(f));
fs.utimesSync(f, new Date(1600000000123), 1700000000.123456789);
show('statSync µs', fs.statSync(f));
const big = fs.statSync(f, { bigint: true });
show('bigint', big);
console.log(' ', big.atimeNs, big.mtimeNs, big.mtimeMs, typeof big.dev, typeof big.ino, typeof big.blocks);
console.log(' ', big.ctimeNs / 1000000n === big.ctimeMs, big.birthtimeNs / 1000000n === big.birthtimeMs);
const plain = fs.statSync(f);
console.log(' ', Number(big.size) === plain.size, Number(big.ino) === plain.ino, Number(big.ctimeMs) === Math.floor(plain.ctimeMs));
console.log(' birthtime', plain.birthtimeMs === 0 || plain.birthtimeMs <= plain.ctimeMs, plain.birthtime.getTime() === Math.round(plain.birthtimeMs));

// Kinds of files.
fs.mkdirSync(path.join(dir, 'sub'));
fs.symlinkSync(f, path.join(dir, 'link'));
fs.utimesSync(path.join(dir, 'sub'), 1500000000, 1500000000.75);
show('dir', fs.statSync(path.join(dir, 'sub')));
show('lstat link', fs.lstatSync(path.join(dir, 'link')), true);
show('stat link', fs.statSync(path.join(dir, 'link')));
show('bigint dir', fs.statSync(path.join(dir, 'sub'), { bigint: true }));
// lutimes sets the link's own times, utimes the target's; futimes works
// on the descriptor even after the file was renamed.
fs.utimesSync(f, 1600000000, 1600000000);
fs.lutimesSync(path.join(dir, 'link'), 1400000000.25, 1400000000.5);
console.log('lutimes', fs.lstatSync(path.join(dir, 'link')).mtimeMs, fs.statSync(f).mtimeMs);
{
  const moved = path.join(dir, 'moved.txt');
  fs.writeFileSync(moved, 'x');
  const fd = fs.openSync(moved, 'r');
  fs.renameSync(moved, `${moved}.2`);
  fs.futimesSync(fd, 1300000000.000001, new Date(1300000000777));
  console.log('futimes', fs.fstatSync(fd).atimeMs, fs.fstatSync(fd).mtimeMs, String(fs.fstatSync(fd, { bigint: true }).atimeNs));
  fs.closeSync(fd);
}
// Time arguments: numeric strings, negative numbers (now), Dates, and
// the errors for the rest (futimes names its arguments).
for (const v of ['12', '-5', '', new Date(-5000), -3, NaN, Infinity, 'abc', null, undefined, {}]) {
  try {
    fs.utimesSync(f, v, 1000);
    const a = fs.statSync(f).atimeMs;
    console.log('time', typeof v, v instanceof Date ? v.toISOString() : String(v), Math.abs(a - Date.now()) < 60000 ? 'now' : a);
  } catch (e) {
    console.log('time', typeof v, v instanceof Date ? v.toISOString() : String(v), e.code, e.message);
  }
}
{
  const fd = fs.openSync(f, 'r');
  for (const args of [[NaN, 1], [1, NaN]]) {
    try { fs.futimesSync(fd, ...args); } catch (e) { console.log('futimes', e.message); }
  }
  fs.closeSync(fd);
}
try { fs.lutimesSync(path.join(dir, 'nope'), 1, 1); } catch (e) { console.log('lutimes', e.code, e.syscall); }
fs.utimesSync(f, new Date(1600000000123), 1700000000.123456789);

const dev = fs.statSync('/dev/null');
console.log('dev/null', dev.isCharacterDevice(), dev.isFile(), fs.statSync('/dev/null', { bigint: true }).isCharacterDevice());
console.log('missing', fs.statSync(path.join(dir, 'nope'), { throwIfNoEntry: false }),
  fs.lstatSync(path.join(dir, 'nope'), { throwIfNoEntry: false, bigint: true }));
try { fs.statSync(path.join(dir, 'nope')); } catch (e) { console.log(e.code, e.syscall, e.errno, e.message.replace(dir, '<dir>')); }

// Shape of the classes.
const S = fs.Stats;
const Base = Object.getPrototypeOf(S);
const BigS = Object.getPrototypeOf(big).constructor;
console.log('classes', S.name, S.length, Base.name, BigS.name, BigS.length, Object.getPrototypeOf(BigS) === Base);
console.log(' ', Object.keys(S.prototype).join(','), Object.keys(Base.prototype).join(','), Object.keys(BigS.prototype).join(','));
console.log(' ', Object.getOwnPropertyNames(S.prototype).join(','), Object.getOwnPropertyNames(BigS.prototype).join(','));
console.log(' ', Object.getPrototypeOf(S.prototype) === Base.prototype, Object.getPrototypeOf(BigS.prototype) === Base.prototype);
console.log(' ', S.prototype.isFile.name === '', typeof S.prototype._checkModeProperty, big instanceof fs.Stats);
const forIn = [];
for (const k in fs.statSync(f)) forIn.push(k);
console.log(' for-in', forIn.join(','));

// Constructed by hand: inspect output, rounding of the Date fields.
const made = new fs.Stats(2049, 33188, 1, 1000, 1000, 0, 4096, 1234, 11, 8,
  1700000000000.5, 1700000000000.4999, -1.5, 0);
console.log(util.inspect(made));
console.log(JSON.stringify(made));
console.log(util.inspect(new fs.Stats()));
console.log(made.isFile(), made.isDirectory(), new fs.Stats(0, 0o040755).isDirectory());
console.log(util.inspect(new BigS(1n, 33188n, 1n, 0n, 0n, 0n, 4096n, 7n, 11n, 8n,
  1700000000123456789n, 1700000000999999999n, 0n, 5n)));
const withTimes = fs.statSync(f);
withTimes.atime = 'changed';
console.log('writable', withTimes.atime, Object.getOwnPropertyDescriptor(withTimes, 'mtime').writable);

// The asynchronous entry points give the same objects.
fs.stat(f, (err, s) => {
  show('stat cb', s);
  fs.stat(f, { bigint: true }, (err2, b) => {
    console.log('stat cb bigint', b.constructor.name, b.mtimeNs);
    fs.lstat(path.join(dir, 'link'), (err3, l) => {
      console.log('lstat cb', l.isSymbolicLink());
      const fd = fs.openSync(f, 'r');
      show('fstatSync', fs.fstatSync(fd));
      console.log('fstat bigint', fs.fstatSync(fd, { bigint: true }).mtimeNs);
      fs.fstat(fd, (err4, s4) => {
        show('fstat cb', s4);
        fs.closeSync(fd);
        promises();
      });
    });
  });
});

async function promises() {
  show('promises', await fs.promises.stat(f));
  console.log('promises bigint', (await fs.promises.stat(f, { bigint: true })).mtimeNs);
  console.log('promises lstat', (await fs.promises.lstat(path.join(dir, 'link'))).isSymbolicLink());
  const h = await fs.promises.open(f);
  show('filehandle', await h.stat());
  console.log('filehandle bigint', (await h.stat({ bigint: true })).mtimeNs);
  await h.close();
  try { await fs.promises.stat(path.join(dir, 'nope')); } catch (e) { console.log('promises', e.code); }
  // A socket and a FIFO-free check of isSocket through a Unix socket.
  const sock = path.join(dir, 's.sock');
  const srv = net.createServer().listen(sock, () => {
    const s = fs.statSync(sock);
    console.log('socket', s.isSocket(), s.isFile(), fs.statSync(sock, { bigint: true }).isSocket());
    srv.close(() => fs.rmSync(dir, { recursive: true, force: true }));
  });
}
