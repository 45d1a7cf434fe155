'use strict';
// node:fs: the synchronous, callback and promise APIs over
// internalBinding('fs') (see bindings/fs.md). Every binding function runs
// synchronously, or on a Go goroutine when its last argument is a
// callback; errors arrive in Node's shape (code, errno, syscall, path).

const binding = internalBinding('fs');
const bufferBinding = internalBinding('buffer');
const { constants } = binding;
const kType = Symbol('type');

// ---- helpers ---------------------------------------------------------------

function makeError(Ctor, code, msg) {
  const e = new Ctor(msg);
  e.code = code;
  return e;
}

function describe(v) {
  if (v === null || v === void 0) return String(v);
  if (typeof v === 'function') return `function ${v.name}`;
  if (typeof v === 'object') return 'an instance of ' + ((v.constructor && v.constructor.name) || 'Object');
  let s = typeof v === 'string' ? `'${v}'` : String(v);
  if (s.length > 28) s = s.slice(0, 25) + '...';
  return `type ${typeof v} (${s})`;
}

function invalidArgType(name, expected, v) {
  return makeError(TypeError, 'ERR_INVALID_ARG_TYPE', `The "${name}" argument must be ${expected}. Received ${describe(v)}`);
}

function getPath(p, name = 'path') {
  if (typeof p === 'string') {
    if (p.includes('\u0000')) throw makeError(TypeError, 'ERR_INVALID_ARG_VALUE', `The argument '${name}' must be a string, Uint8Array, or URL without null bytes. Received ${JSON.stringify(p).replace(/"/g, "'")}`);
    return p;
  }
  if (p instanceof Uint8Array) return p;
  if ((p !== null && p !== void 0) && typeof p === 'object' && typeof p.href === 'string' && p.protocol !== void 0) {
    if (p.protocol !== 'file:') throw makeError(TypeError, 'ERR_INVALID_URL_SCHEME', 'The URL must be of scheme file');
    return decodeURIComponent(p.pathname);
  }
  throw invalidArgType(name, 'of type string or an instance of Buffer or URL', p);
}

function getFd(fd) {
  if (!Number.isInteger(fd)) throw invalidArgType('fd', 'of type number', fd);
  if (fd < 0 || fd > 2147483647) throw makeError(RangeError, 'ERR_OUT_OF_RANGE', `The value of "fd" is out of range. It must be >= 0 && <= 2147483647. Received ${fd}`);
  return fd;
}

// callbackOf checks a callback and binds it to the AsyncLocalStorage
// frame current when the operation starts, as Node's request objects do
// (the Go side calls it from the loop, outside any frame); with no frame
// current it returns cb itself.
const { bindCurrent } = require('internal/async_context');
function callbackOf(cb) {
  if (typeof cb !== 'function') throw invalidArgType('cb', 'of type function', cb);
  return bindCurrent(cb);
}

function toBuffer(u8) {
  const B = globalThis.Buffer;
  return B ? B.from(u8.buffer, u8.byteOffset, u8.length) : u8;
}

function decode(u8, encoding) {
  if (!encoding || encoding === 'buffer') return toBuffer(u8);
  const B = globalThis.Buffer;
  if (B) return B.from(u8.buffer, u8.byteOffset, u8.length).toString(encoding);
  return bufferBinding.utf8Slice(u8, 0, u8.length);
}

function encode(data, encoding) {
  if (typeof data === 'string') {
    if (!encoding || encoding === 'utf8' || encoding === 'utf-8') return data;
    const B = globalThis.Buffer;
    return B ? B.from(data, encoding) : data;
  }
  if (ArrayBuffer.isView(data)) {
    return data instanceof Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  throw invalidArgType('data', 'of type string or an instance of Buffer, TypedArray, or DataView', data);
}

function getOptions(options, defaults) {
  if ((options === null || options === void 0) || typeof options === 'function') return defaults;
  if (typeof options === 'string') return { ...defaults, encoding: options };
  if (typeof options !== 'object') throw invalidArgType('options', 'one of type string or an instance of Object', options);
  return { ...defaults, ...options };
}

const flagTable = {
  r: constants.O_RDONLY,
  rs: constants.O_RDONLY | constants.O_SYNC,
  sr: constants.O_RDONLY | constants.O_SYNC,
  'r+': constants.O_RDWR,
  'rs+': constants.O_RDWR | constants.O_SYNC,
  'sr+': constants.O_RDWR | constants.O_SYNC,
  w: constants.O_TRUNC | constants.O_CREAT | constants.O_WRONLY,
  wx: constants.O_TRUNC | constants.O_CREAT | constants.O_WRONLY | constants.O_EXCL,
  xw: constants.O_TRUNC | constants.O_CREAT | constants.O_WRONLY | constants.O_EXCL,
  'w+': constants.O_TRUNC | constants.O_CREAT | constants.O_RDWR,
  'wx+': constants.O_TRUNC | constants.O_CREAT | constants.O_RDWR | constants.O_EXCL,
  'xw+': constants.O_TRUNC | constants.O_CREAT | constants.O_RDWR | constants.O_EXCL,
  a: constants.O_APPEND | constants.O_CREAT | constants.O_WRONLY,
  ax: constants.O_APPEND | constants.O_CREAT | constants.O_WRONLY | constants.O_EXCL,
  xa: constants.O_APPEND | constants.O_CREAT | constants.O_WRONLY | constants.O_EXCL,
  as: constants.O_APPEND | constants.O_CREAT | constants.O_WRONLY | constants.O_SYNC,
  sa: constants.O_APPEND | constants.O_CREAT | constants.O_WRONLY | constants.O_SYNC,
  'a+': constants.O_APPEND | constants.O_CREAT | constants.O_RDWR,
  'ax+': constants.O_APPEND | constants.O_CREAT | constants.O_RDWR | constants.O_EXCL,
  'xa+': constants.O_APPEND | constants.O_CREAT | constants.O_RDWR | constants.O_EXCL,
  'as+': constants.O_APPEND | constants.O_CREAT | constants.O_RDWR | constants.O_SYNC,
  'sa+': constants.O_APPEND | constants.O_CREAT | constants.O_RDWR | constants.O_SYNC,
};

function stringToFlags(flags, name = 'flags') {
  if (flags === null || flags === void 0) return constants.O_RDONLY;
  if (typeof flags === 'number') return flags;
  const f = flagTable[flags];
  if (f === void 0) throw makeError(TypeError, 'ERR_INVALID_ARG_VALUE', `The argument '${name}' is invalid. Received '${flags}'`);
  return f;
}

function parseMode(mode, def) {
  if (mode === null || mode === void 0) return def;
  if (typeof mode === 'string') {
    if (!/^[0-7]+$/.test(mode)) throw makeError(TypeError, 'ERR_INVALID_ARG_VALUE', `The argument 'mode' must be a 32-bit unsigned integer or an octal string. Received '${mode}'`);
    return parseInt(mode, 8);
  }
  if (!Number.isInteger(mode)) throw invalidArgType('mode', 'of type number', mode);
  return mode;
}

// ---- Stats and Dirent ----------------------------------------------------------

function dateFromMs(ms) { return new Date(Math.round(ms)); }

const { S_IFMT, S_IFREG, S_IFDIR, S_IFBLK, S_IFCHR, S_IFLNK, S_IFIFO, S_IFSOCK } = constants;

// Stats, BigIntStats and StatsBase have Node 20's shape: constructor
// functions, the fields as own data properties in Node's order (the Dates
// too, built at once as Node 20 does), the is*() methods as enumerable
// prototype properties going through _checkModeProperty.
function StatsBase(dev, mode, nlink, uid, gid, rdev, blksize, ino, size, blocks) {
  this.dev = dev;
  this.mode = mode;
  this.nlink = nlink;
  this.uid = uid;
  this.gid = gid;
  this.rdev = rdev;
  this.blksize = blksize;
  this.ino = ino;
  this.size = size;
  this.blocks = blocks;
}
StatsBase.prototype.isDirectory = function () { return this._checkModeProperty(S_IFDIR); };
StatsBase.prototype.isFile = function () { return this._checkModeProperty(S_IFREG); };
StatsBase.prototype.isBlockDevice = function () { return this._checkModeProperty(S_IFBLK); };
StatsBase.prototype.isCharacterDevice = function () { return this._checkModeProperty(S_IFCHR); };
StatsBase.prototype.isSymbolicLink = function () { return this._checkModeProperty(S_IFLNK); };
StatsBase.prototype.isFIFO = function () { return this._checkModeProperty(S_IFIFO); };
StatsBase.prototype.isSocket = function () { return this._checkModeProperty(S_IFSOCK); };

function Stats(dev, mode, nlink, uid, gid, rdev, blksize, ino, size, blocks, atimeMs, mtimeMs, ctimeMs, birthtimeMs) {
  // StatsBase's assignments inline: a call less per Stats.
  this.dev = dev;
  this.mode = mode;
  this.nlink = nlink;
  this.uid = uid;
  this.gid = gid;
  this.rdev = rdev;
  this.blksize = blksize;
  this.ino = ino;
  this.size = size;
  this.blocks = blocks;
  this.atimeMs = atimeMs;
  this.mtimeMs = mtimeMs;
  this.ctimeMs = ctimeMs;
  this.birthtimeMs = birthtimeMs;
  this.atime = dateFromMs(atimeMs);
  this.mtime = dateFromMs(mtimeMs);
  this.ctime = dateFromMs(ctimeMs);
  this.birthtime = dateFromMs(birthtimeMs);
}
Object.setPrototypeOf(Stats.prototype, StatsBase.prototype);
Object.setPrototypeOf(Stats, StatsBase);
Stats.prototype.isFile = function () { return (this.mode & S_IFMT) === S_IFREG; };
Stats.prototype._checkModeProperty = function (property) { return (this.mode & S_IFMT) === property; };

// StatsOf builds a Stats from the binding's array (see bind_fs.go's
// statResult): the same object as new Stats(...a), where a[14..17] are
// the four times already rounded for the Dates.
function StatsOf(a) {
  this.dev = a[0];
  this.mode = a[1];
  this.nlink = a[2];
  this.uid = a[3];
  this.gid = a[4];
  this.rdev = a[5];
  this.blksize = a[6];
  this.ino = a[7];
  this.size = a[8];
  this.blocks = a[9];
  this.atimeMs = a[10];
  this.mtimeMs = a[11];
  this.ctimeMs = a[12];
  this.birthtimeMs = a[13];
  this.atime = new Date(a[14]);
  this.mtime = new Date(a[15]);
  this.ctime = new Date(a[16]);
  this.birthtime = new Date(a[17]);
}
StatsOf.prototype = Stats.prototype;

// statsOf(a) is new StatsOf(a), cloned from a template StatsOf made (the
// binding's cloneShaped: one engine allocation instead of eighteen
// property additions, each a shape transition and often a reallocation
// under the interpreter); every field is given, so nothing is shared.
// undefined: not built yet; null: constructed.
let statsTemplate;
let statsClone;
function statsOf(a) {
  var t = statsTemplate;
  if (t === void 0) t = makeStatsTemplate();
  if (t === null) return new StatsOf(a);
  return statsClone(t, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12],
    a[13], new Date(a[14]), new Date(a[15]), new Date(a[16]), new Date(a[17]));
}

function makeStatsTemplate() {
  var t = statsTemplate = null;
  if (typeof binding.cloneShaped === 'function') {
    const tpl = new StatsOf([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    if (binding.cloneShaped(tpl) !== void 0) {
      t = statsTemplate = tpl;
      statsClone = binding.cloneShaped;
    }
  }
  return t;
}

const kNsPerMs = 1000000n;
function BigIntStats(dev, mode, nlink, uid, gid, rdev, blksize, ino, size, blocks, atimeNs, mtimeNs, ctimeNs, birthtimeNs) {
  StatsBase.call(this, dev, mode, nlink, uid, gid, rdev, blksize, ino, size, blocks);
  this.atimeMs = atimeNs / kNsPerMs;
  this.mtimeMs = mtimeNs / kNsPerMs;
  this.ctimeMs = ctimeNs / kNsPerMs;
  this.birthtimeMs = birthtimeNs / kNsPerMs;
  this.atimeNs = atimeNs;
  this.mtimeNs = mtimeNs;
  this.ctimeNs = ctimeNs;
  this.birthtimeNs = birthtimeNs;
  this.atime = dateFromMs(Number(this.atimeMs));
  this.mtime = dateFromMs(Number(this.mtimeMs));
  this.ctime = dateFromMs(Number(this.ctimeMs));
  this.birthtime = dateFromMs(Number(this.birthtimeMs));
}
Object.setPrototypeOf(BigIntStats.prototype, StatsBase.prototype);
Object.setPrototypeOf(BigIntStats, StatsBase);
BigIntStats.prototype._checkModeProperty = function (property) {
  return (this.mode & BigInt(S_IFMT)) === BigInt(property);
};

function makeStats(a, options) {
  if (a === void 0) return undefined;
  if (options && options.bigint) {
    // The binding answers with BigInts when asked (exact ns and inodes).
    return new BigIntStats(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[14], a[15], a[16], a[17]);
  }
  return statsOf(a);
}

class Dirent {
  constructor(name, type, path) {
    this.name = name;
    this.parentPath = path;
    this.path = path;
    this[kType] = type;
  }
  isDirectory() { return this[kType] === constants.UV_DIRENT_DIR; }
  isFile() { return this[kType] === constants.UV_DIRENT_FILE; }
  isBlockDevice() { return this[kType] === constants.UV_DIRENT_BLOCK; }
  isCharacterDevice() { return this[kType] === constants.UV_DIRENT_CHAR; }
  isSymbolicLink() { return this[kType] === constants.UV_DIRENT_LINK; }
  isFIFO() { return this[kType] === constants.UV_DIRENT_FIFO; }
  isSocket() { return this[kType] === constants.UV_DIRENT_SOCKET; }
}

function pathString(p) {
  return typeof p === 'string' ? p : decode(p, 'utf8');
}

function joinPath(a, b) {
  return a.endsWith('/') ? a + b : a + '/' + b;
}

function makeDirents(res, dir, encoding) {
  const [names, types] = res;
  return names.map((n, i) => new Dirent(encoding === 'buffer' ? toBufferString(n) : n, types[i], pathString(dir)));
}

function toBufferString(s) {
  const B = globalThis.Buffer;
  return B ? B.from(s) : s;
}

function readdirResult(res, path, options) {
  if (options.withFileTypes) return makeDirents(res, path, options.encoding);
  if (options.encoding === 'buffer') return res.map(toBufferString);
  return res;
}

function readdirRecursive(path, options) {
  const out = [];
  const base = pathString(path);
  const walk = (rel) => {
    const dir = rel ? joinPath(base, rel) : base;
    const [names, types] = binding.readdir(dir, true);
    names.forEach((n, i) => {
      const r = rel ? rel + '/' + n : n;
      if (options.withFileTypes) out.push(new Dirent(n, types[i], dir));
      else out.push(r);
      if (types[i] === constants.UV_DIRENT_DIR) walk(r);
    });
  };
  walk('');
  return out;
}

// ---- synchronous API -----------------------------------------------------------

function existsSync(path) {
  try {
    path = getPath(path);
  } catch {
    return false;
  }
  return binding.existsSync(path);
}

function accessSync(path, mode = constants.F_OK) {
  binding.access(getPath(path), mode);
}

function openSync(path, flags, mode) {
  return binding.open(getPath(path), stringToFlags(flags), parseMode(mode, 0o666));
}

function closeSync(fd) {
  binding.close(getFd(fd));
}

function readArgs(fd, buffer, offsetOrOptions, length, position) {
  getFd(fd);
  let offset = offsetOrOptions;
  if (offsetOrOptions !== null && typeof offsetOrOptions === 'object') {
    ({ offset = 0, length = buffer.byteLength - offset, position = null } = offsetOrOptions);
  }
  if (!ArrayBuffer.isView(buffer)) throw invalidArgType('buffer', 'an instance of Buffer, TypedArray, or DataView', buffer);
  if (offset === null || offset === void 0) offset = 0;
  if (length === void 0) length = buffer.byteLength - offset;
  if (position === void 0) position = null;
  const u8 = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if (typeof position === 'bigint') position = Number(position);
  return [fd, u8, offset, length, position];
}

function readSync(fd, buffer, offsetOrOptions, length, position) {
  const a = readArgs(fd, buffer, offsetOrOptions, length, position);
  if (a[3] === 0) return 0;
  return binding.read(...a);
}

function writeSync(fd, buffer, offsetOrOptions, length, position) {
  getFd(fd);
  if (typeof buffer === 'string') {
    const enc = typeof length === 'string' ? length : 'utf8';
    const data = encode(buffer, enc);
    const pos = typeof offsetOrOptions === 'number' ? offsetOrOptions : null;
    if (typeof data === 'string') return binding.write(fd, data, 0, 0, pos);
    return binding.write(fd, data, 0, data.length, pos);
  }
  let offset = offsetOrOptions;
  if (offsetOrOptions !== null && typeof offsetOrOptions === 'object') ({ offset = 0, length, position = null } = offsetOrOptions);
  const u8 = encode(buffer);
  if (offset === null || offset === void 0) offset = 0;
  if (length === null || length === void 0) length = u8.byteLength - offset;
  return binding.write(fd, u8, offset, length, (position === null || position === void 0) ? null : position);
}

function readFileSync(path, options) {
  options = getOptions(options, { flag: 'r' });
  const target = typeof path === 'number' ? getFd(path) : getPath(path);
  return decode(binding.readFile(target, stringToFlags(options.flag)), options.encoding);
}

function writeFileSync(path, data, options) {
  options = getOptions(options, { encoding: 'utf8', mode: 0o666, flag: 'w' });
  const target = typeof path === 'number' ? getFd(path) : getPath(path);
  binding.writeFile(target, encode(data, options.encoding), stringToFlags(options.flag), parseMode(options.mode, 0o666));
}

function appendFileSync(path, data, options) {
  options = getOptions(options, { encoding: 'utf8', mode: 0o666, flag: 'a' });
  writeFileSync(path, data, options);
}

function statSync(path, options) {
  if (options === void 0) return makeStats(binding.stat(getPath(path), true, false));
  return makeStats(binding.stat(getPath(path), !(options && options.throwIfNoEntry === false), isBigint(options)), options);
}

function lstatSync(path, options) {
  return makeStats(binding.lstat(getPath(path), !(options && options.throwIfNoEntry === false), isBigint(options)), options);
}

function fstatSync(fd, options) {
  return makeStats(binding.fstat(getFd(fd), true, isBigint(options)), options);
}

function isBigint(options) {
  return !!(options && options.bigint);
}

function readdirSync(path, options) {
  options = getOptions(options, {});
  path = getPath(path);
  if (options.recursive) return readdirRecursive(path, options);
  return readdirResult(binding.readdir(path, !!options.withFileTypes), path, options);
}

function mkdirSync(path, options) {
  let mode = 0o777;
  let recursive = false;
  if (typeof options === 'number' || typeof options === 'string') mode = parseMode(options, 0o777);
  else if (options) {
    recursive = !!options.recursive;
    mode = parseMode(options.mode, 0o777);
  }
  return binding.mkdir(getPath(path), recursive, mode);
}

function rmdirSync(path, options) {
  if (options && options.recursive) return binding.rm(getPath(path), true, false);
  binding.rmdir(getPath(path));
}

function rmSync(path, options) {
  binding.rm(getPath(path), !!(options && options.recursive), !!(options && options.force));
}

function unlinkSync(path) { binding.unlink(getPath(path)); }
function renameSync(a, b) { binding.rename(getPath(a, 'oldPath'), getPath(b, 'newPath')); }
function linkSync(a, b) { binding.link(getPath(a, 'existingPath'), getPath(b, 'newPath')); }
function symlinkSync(target, path, type) { binding.symlink(getPath(target, 'target'), getPath(path), type); }
function copyFileSync(a, b, mode = 0) { binding.copyFile(getPath(a, 'src'), getPath(b, 'dest'), mode); }
function cpSync(src, dest, options = {}) {
  binding.cp(getPath(src, 'src'), getPath(dest, 'dest'), !!options.recursive, options.force !== false, !!options.errorOnExist);
}
function readlinkSync(path, options) {
  const s = binding.readlink(getPath(path));
  return getOptions(options, {}).encoding === 'buffer' ? toBufferString(s) : s;
}
function realpathSync(path, options) {
  const s = binding.realpath(getPath(path));
  return getOptions(options, {}).encoding === 'buffer' ? toBufferString(s) : s;
}
realpathSync.native = realpathSync;
function chmodSync(path, mode) { binding.chmod(getPath(path), parseMode(mode)); }
function fchmodSync(fd, mode) { binding.fchmod(getFd(fd), parseMode(mode)); }
function lchmodSync() {}
function chownSync() {}
function fchownSync() {}
function lchownSync() {}
// toSeconds is Node's toUnixTimestamp: numeric strings and finite
// numbers (a negative one means now), Dates; anything else throws with
// the argument's name ('time', or 'atime'/'mtime' for futimes).
function toSeconds(t, name = 'time') {
  if (typeof t === 'string' && +t == t) return +t;
  if (Number.isFinite(t)) return t < 0 ? Date.now() / 1000 : t;
  if (t instanceof Date) return t.getTime() / 1000;
  throw invalidArgType(name, 'an instance of Date or an Time in seconds', t);
}
function utimesSync(path, atime, mtime) { binding.utimes(getPath(path), toSeconds(atime), toSeconds(mtime)); }
function futimesSync(fd, atime, mtime) { binding.futimes(getFd(fd), toSeconds(atime, 'atime'), toSeconds(mtime, 'mtime')); }
function lutimesSync(path, atime, mtime) { binding.utimes(getPath(path), toSeconds(atime), toSeconds(mtime), true); }
function mkdtempSync(prefix, options) {
  const s = binding.mkdtemp(getPath(prefix, 'prefix'));
  return getOptions(options, {}).encoding === 'buffer' ? toBufferString(s) : s;
}
function truncateSync(path, len = 0) {
  if (typeof path === 'number') return binding.ftruncate(getFd(path), len);
  binding.truncate(getPath(path), len);
}
function ftruncateSync(fd, len = 0) { binding.ftruncate(getFd(fd), len); }
function fsyncSync(fd) { binding.fsync(getFd(fd)); }
function fdatasyncSync(fd) { binding.fsync(getFd(fd)); }

// ---- callback API ------------------------------------------------------------

// cbify runs fn(...args, done) where done turns the binding's (err, raw)
// into the user's (err, result).
function wrapCb(cb, map) {
  cb = callbackOf(cb);
  return (err, res) => {
    if (err) cb(err);
    else cb(null, map ? map(res) : res);
  };
}

function lastCb(args) {
  const cb = args[args.length - 1];
  if (typeof cb !== 'function') throw invalidArgType('cb', 'of type function', cb);
  return bindCurrent(cb);
}

// deferError reports a validation error to the callback on the next tick,
// as Node's callback API does for errors that come from the system, while
// argument type errors are thrown synchronously.
function access(path, mode, cb) {
  if (typeof mode === 'function') { cb = mode; mode = constants.F_OK; }
  binding.access(getPath(path), mode ?? constants.F_OK, wrapCb(cb));
}

function exists(path, cb) {
  cb = callbackOf(cb);
  let ok;
  try { ok = existsSync(path); } catch { ok = false; }
  process.nextTick(cb, ok);
}

function open(path, flags, mode, cb) {
  if (typeof flags === 'function') { cb = flags; flags = 'r'; mode = 0o666; } else if (typeof mode === 'function') { cb = mode; mode = 0o666; }
  binding.open(getPath(path), stringToFlags(flags), parseMode(mode, 0o666), wrapCb(cb));
}

function close(fd, cb = () => {}) {
  binding.close(getFd(fd), wrapCb(cb));
}

function read(fd, buffer, offset, length, position, cb) {
  if (typeof buffer === 'function') {
    cb = buffer;
    const B = globalThis.Buffer;
    buffer = B ? B.alloc(16384) : new Uint8Array(16384);
    offset = 0; length = buffer.length; position = null;
  } else if (typeof offset === 'function') {
    cb = offset; offset = 0; length = buffer.byteLength; position = null;
  } else if (offset !== null && typeof offset === 'object' && typeof length === 'function') {
    cb = length;
    ({ offset = 0, length = buffer.byteLength - offset, position = null } = offset);
  }
  const a = readArgs(fd, buffer, offset, length, position);
  cb = callbackOf(cb);
  if (a[3] === 0) { process.nextTick(cb, null, 0, buffer); return; }
  binding.read(...a, (err, n) => (err ? cb(err) : cb(null, n, buffer)));
}

function write(fd, buffer, offset, length, position, cb) {
  getFd(fd);
  const args = [offset, length, position, cb];
  cb = lastCb([buffer, ...args].filter((x) => x !== void 0));
  if (typeof buffer === 'string') {
    const pos = typeof offset === 'number' ? offset : null;
    const enc = typeof length === 'string' ? length : 'utf8';
    const data = encode(buffer, enc);
    const len = typeof data === 'string' ? 0 : data.length;
    binding.write(fd, data, 0, len, pos, (err, n) => (err ? cb(err) : cb(null, n, buffer)));
    return;
  }
  if (typeof offset === 'function') { offset = 0; length = undefined; position = null; }
  else if (typeof length === 'function') { length = undefined; position = null; }
  else if (typeof position === 'function') position = null;
  if (offset !== null && typeof offset === 'object') ({ offset = 0, length, position = null } = offset);
  const u8 = encode(buffer);
  if (offset === null || offset === void 0) offset = 0;
  if (length === null || length === void 0) length = u8.byteLength - offset;
  binding.write(fd, u8, offset, length, position ?? null, (err, n) => (err ? cb(err) : cb(null, n, buffer)));
}

function readFile(path, options, cb) {
  if (typeof options === 'function') { cb = options; options = undefined; }
  cb = callbackOf(cb);
  options = getOptions(options, { flag: 'r' });
  const target = typeof path === 'number' ? getFd(path) : getPath(path);
  binding.readFile(target, stringToFlags(options.flag), (err, u8) => {
    if (err) return cb(err);
    let res;
    try { res = decode(u8, options.encoding); } catch (e) { return cb(e); }
    cb(null, res);
  });
}

function writeFile(path, data, options, cb) {
  if (typeof options === 'function') { cb = options; options = undefined; }
  cb = callbackOf(cb);
  options = getOptions(options, { encoding: 'utf8', mode: 0o666, flag: 'w' });
  const target = typeof path === 'number' ? getFd(path) : getPath(path);
  binding.writeFile(target, encode(data, options.encoding), stringToFlags(options.flag), parseMode(options.mode, 0o666), wrapCb(cb));
}

function appendFile(path, data, options, cb) {
  if (typeof options === 'function') { cb = options; options = undefined; }
  options = getOptions(options, { encoding: 'utf8', mode: 0o666, flag: 'a' });
  writeFile(path, data, options, cb);
}

function statLike(fn) {
  return (path, options, cb) => {
    if (typeof options === 'function') { cb = options; options = undefined; }
    const target = fn === binding.fstat ? getFd(path) : getPath(path);
    cb = callbackOf(cb);
    const big = isBigint(options);
    if (big) {
      fn(target, true, true, (err, a) => (err ? cb(err) : cb(null, makeStats(a, options))));
      return;
    }
    // With the template the binding answers with the Stats object itself
    // (cloned from it natively, Dates included); an array (no template,
    // or one it refused) still goes through statsOf.
    var t = statsTemplate;
    if (t === void 0) t = makeStatsTemplate();
    if (t === null) {
      fn(target, true, false, (err, a) => (err ? cb(err) : cb(null, statsOf(a))));
      return;
    }
    fn(target, true, false, t, (err, s) => (err ? cb(err) : cb(null, s.dev === void 0 ? statsOf(s) : s)));
  };
}
const stat = statLike(binding.stat);
const lstat = statLike(binding.lstat);
const fstat = statLike(binding.fstat);

function readdir(path, options, cb) {
  if (typeof options === 'function') { cb = options; options = undefined; }
  options = getOptions(options, {});
  cb = callbackOf(cb);
  path = getPath(path);
  if (options.recursive) {
    let res;
    try { res = readdirRecursive(path, options); } catch (e) { process.nextTick(cb, e); return; }
    process.nextTick(cb, null, res);
    return;
  }
  binding.readdir(path, !!options.withFileTypes, wrapCb(cb, (res) => readdirResult(res, path, options)));
}

function mkdir(path, options, cb) {
  if (typeof options === 'function') { cb = options; options = undefined; }
  let mode = 0o777;
  let recursive = false;
  if (typeof options === 'number' || typeof options === 'string') mode = parseMode(options, 0o777);
  else if (options) { recursive = !!options.recursive; mode = parseMode(options.mode, 0o777); }
  binding.mkdir(getPath(path), recursive, mode, wrapCb(cb));
}

function simpleCb(fn, ...names) {
  return (...args) => {
    const cb = args.pop();
    const paths = names.map((n, i) => getPath(args[i], n));
    fn(...paths, wrapCb(cb));
  };
}

const unlink = simpleCb(binding.unlink, 'path');
const rename = simpleCb(binding.rename, 'oldPath', 'newPath');
const link = simpleCb(binding.link, 'existingPath', 'newPath');

function rmdir(path, options, cb) {
  if (typeof options === 'function') { cb = options; options = undefined; }
  if (options && options.recursive) return binding.rm(getPath(path), true, false, wrapCb(cb));
  binding.rmdir(getPath(path), wrapCb(cb));
}

function rm(path, options, cb) {
  if (typeof options === 'function') { cb = options; options = undefined; }
  binding.rm(getPath(path), !!(options && options.recursive), !!(options && options.force), wrapCb(cb));
}

function symlink(target, path, type, cb) {
  if (typeof type === 'function') { cb = type; type = undefined; }
  binding.symlink(getPath(target, 'target'), getPath(path), type, wrapCb(cb));
}

function copyFile(src, dest, mode, cb) {
  if (typeof mode === 'function') { cb = mode; mode = 0; }
  binding.copyFile(getPath(src, 'src'), getPath(dest, 'dest'), mode || 0, wrapCb(cb));
}

function cp(src, dest, options, cb) {
  if (typeof options === 'function') { cb = options; options = {}; }
  options = options || {};
  binding.cp(getPath(src, 'src'), getPath(dest, 'dest'), !!options.recursive, options.force !== false, !!options.errorOnExist, wrapCb(cb));
}

function readlink(path, options, cb) {
  if (typeof options === 'function') { cb = options; options = undefined; }
  binding.readlink(getPath(path), wrapCb(cb));
}

function realpath(path, options, cb) {
  if (typeof options === 'function') { cb = options; options = undefined; }
  binding.realpath(getPath(path), wrapCb(cb));
}
realpath.native = realpath;

function chmod(path, mode, cb) { binding.chmod(getPath(path), parseMode(mode), wrapCb(cb)); }
function fchmod(fd, mode, cb) { binding.fchmod(getFd(fd), parseMode(mode), wrapCb(cb)); }
function chown(path, uid, gid, cb) { getPath(path); process.nextTick(callbackOf(cb), null); }
function fchown(fd, uid, gid, cb) { process.nextTick(callbackOf(cb), null); }
function lchown(path, uid, gid, cb) { process.nextTick(callbackOf(cb), null); }
function utimes(path, atime, mtime, cb) { binding.utimes(getPath(path), toSeconds(atime), toSeconds(mtime), wrapCb(cb)); }
function futimes(fd, atime, mtime, cb) { binding.futimes(getFd(fd), toSeconds(atime, 'atime'), toSeconds(mtime, 'mtime'), wrapCb(cb)); }
function lutimes(path, atime, mtime, cb) { binding.utimes(getPath(path), toSeconds(atime), toSeconds(mtime), true, wrapCb(cb)); }
function mkdtemp(prefix, options, cb) {
  if (typeof options === 'function') { cb = options; options = undefined; }
  binding.mkdtemp(getPath(prefix, 'prefix'), wrapCb(cb));
}
function truncate(path, len, cb) {
  if (typeof len === 'function') { cb = len; len = 0; }
  if (typeof path === 'number') return binding.ftruncate(getFd(path), len, wrapCb(cb));
  binding.truncate(getPath(path), len, wrapCb(cb));
}
function ftruncate(fd, len, cb) {
  if (typeof len === 'function') { cb = len; len = 0; }
  binding.ftruncate(getFd(fd), len, wrapCb(cb));
}
function fsync(fd, cb) { binding.fsync(getFd(fd), wrapCb(cb)); }
const fdatasync = fsync;

// ---- directories as streams of entries ------------------------------------------

// Dir reads a directory listing taken when it is opened (gnode lists the
// directory at once instead of in chunks; the entries are the same).
class Dir {
  constructor(path, entries) {
    this.path = path;
    this._entries = entries;
    this._closed = false;
  }
  readSync() {
    if (this._closed) throw makeError(Error, 'ERR_DIR_CLOSED', 'Directory handle was closed');
    return this._entries.length ? this._entries.shift() : null;
  }
  read(cb) {
    if (typeof cb === 'function') {
      let e;
      try { e = this.readSync(); } catch (err) { process.nextTick(cb, err); return; }
      process.nextTick(cb, null, e);
      return;
    }
    return new Promise((resolve, reject) => this.read((err, e) => (err ? reject(err) : resolve(e))));
  }
  closeSync() {
    if (this._closed) throw makeError(Error, 'ERR_DIR_CLOSED', 'Directory handle was closed');
    this._closed = true;
  }
  close(cb) {
    if (typeof cb === 'function') {
      try { this.closeSync(); } catch (err) { process.nextTick(cb, err); return; }
      process.nextTick(cb, null);
      return;
    }
    return new Promise((resolve, reject) => this.close((err) => (err ? reject(err) : resolve())));
  }
  async *entries() {
    try {
      let e;
      while ((e = this.readSync()) !== null) yield e;
    } finally {
      if (!this._closed) this._closed = true;
    }
  }
  [Symbol.asyncIterator]() { return this.entries(); }
}

function opendirSync(path, options) {
  path = getPath(path);
  options = getOptions(options, {});
  const entries = options.recursive ? readdirRecursive(path, { withFileTypes: true }) : makeDirents(binding.readdir(path, true), path);
  return new Dir(pathString(path), entries);
}

function opendir(path, options, cb) {
  if (typeof options === 'function') { cb = options; options = undefined; }
  cb = callbackOf(cb);
  path = getPath(path);
  binding.readdir(path, true, (err, res) => (err ? cb(err) : cb(null, new Dir(pathString(path), makeDirents(res, path)))));
}

// ---- watching (polling: the platform watchers are not wired yet) ---------------

const watchers = new Map();
function watchFile(filename, options, listener) {
  if (typeof options === 'function') { listener = options; options = {}; }
  const path = pathString(getPath(filename));
  const interval = (options && options.interval) || 5007;
  let prev = statSync(path, { throwIfNoEntry: false }) || new Stats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  const t = setInterval(() => {
    const cur = statSync(path, { throwIfNoEntry: false }) || new Stats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    if (cur.mtimeMs !== prev.mtimeMs || cur.size !== prev.size || cur.ino !== prev.ino) {
      const p = prev;
      prev = cur;
      listener(cur, p);
    }
  }, interval);
  if (options && options.persistent === false) t.unref();
  watchers.set(path, t);
}
function unwatchFile(filename) {
  const path = pathString(getPath(filename));
  const t = watchers.get(path);
  if (t) { clearInterval(t); watchers.delete(path); }
}

function watch(filename, options, listener) {
  if (typeof options === 'function') { listener = options; options = {}; }
  const { EventEmitter } = require('events');
  const w = new EventEmitter();
  const path = pathString(getPath(filename));
  if (listener) w.on('change', listener);
  const snapshot = () => {
    const m = new Map();
    try {
      const st = statSync(path);
      if (st.isDirectory()) for (const n of readdirSync(path)) m.set(n, statSync(joinPath(path, n), { throwIfNoEntry: false }));
      else m.set(path.slice(path.lastIndexOf('/') + 1), st);
    } catch { /* vanished */ }
    return m;
  };
  let prev = snapshot();
  const t = setInterval(() => {
    const cur = snapshot();
    for (const [n, st] of cur) {
      const p = prev.get(n);
      if (!p) w.emit('change', 'rename', n);
      else if (st && p && (st.mtimeMs !== p.mtimeMs || st.size !== p.size)) w.emit('change', 'change', n);
    }
    for (const n of prev.keys()) if (!cur.has(n)) w.emit('change', 'rename', n);
    prev = cur;
  }, (options && options.interval) || 100);
  if (options && options.persistent === false) t.unref();
  w.close = () => { clearInterval(t); w.emit('close'); };
  w.ref = () => { t.ref(); return w; };
  w.unref = () => { t.unref(); return w; };
  return w;
}

// ---- streams -------------------------------------------------------------------

let ReadStream;
let WriteStream;
let FastBuffer;
let readableInit;
let readableStateFor;
let readableConstruct;
let initReadStream;
let EE;
let EEproto;
let kCaptureKey;
let cloneShaped;
// undefined: not built yet; null: streams are constructed, not cloned.
let rsTemplate;
let EEemit;
let tick1;
const kPrefetch = Symbol('kPrefetch');
const kNoOptions = Object.freeze({ __proto__: null });
const kRegularFile = Symbol('kRegularFile');
// kPrefetch's value once the data went out and the end is still to come.
const kEofNext = [];

function streamClasses() {
  if (ReadStream) return;
  const { Readable, Writable } = require('stream');
  // Readable's constructor body for a stream known to be a Readable and no
  // Duplex (set by internal/streams/readable, which 'stream' loaded).
  ({ readableInit, EEemit, tick1, readableStateFor, readableConstruct } = require('internal/streams/utils'));
  EE = require('events');
  const internal = globalThis.Buffer && require('buffer')[Symbol.for('gnode.buffer.internal')];
  FastBuffer = internal ? internal.FastBuffer : null;

  ReadStream = function ReadStream(path, options) {
    // `new ReadStream()` needs no instanceof (a native call here); a call
    // without new, or ReadStream.call(obj) from an old-style subclass, does.
    if (new.target === void 0 && !(this instanceof ReadStream)) return new ReadStream(path, options);
    // The stream itself is cloned when it can be (see readStreamTemplate),
    // for `new ReadStream` as for createReadStream; a subclass's `this`
    // is initialised as it is.
    return initReadStream(new.target === ReadStream ? undefined : this, path, options);
  };
  // self: the object to initialise, or undefined to clone a new stream
  // (falling back to Object.create when it cannot be).
  initReadStream = function initReadStream(self, path, options) {
    // The options are only read here, so an object is used as it is
    // (getOptions would copy it: a spread per stream).
    if ((options === null || options === void 0) || typeof options === 'function') options = kNoOptions;
    else if (typeof options !== 'object') options = getOptions(options, kNoOptions);
    const autoClose = options.autoClose === void 0 ? true : options.autoClose;
    // Validate before Readable.call, which already schedules the open.
    const start = options.start;
    const end = options.end === void 0 ? Infinity : options.end;
    // validateStreamPos's common case written out (send passes both).
    if (start !== void 0 && !(typeof start === 'number' && start % 1 === 0 && start >= 0 && start <= 9007199254740991)) {
      validateStreamPos(start, 'start');
    }
    if (end !== Infinity && !(typeof end === 'number' && end % 1 === 0 && end >= 0 && end <= 9007199254740991)) {
      validateStreamPos(end, 'end');
    }
    if (start !== void 0 && start > end) {
      const { ERR_OUT_OF_RANGE } = require('internal/errors').codes;
      throw new ERR_OUT_OF_RANGE('start', `<= "end" (here: ${end})`, start);
    }
    const highWaterMark = options.highWaterMark === void 0 ? 64 * 1024 : options.highWaterMark;
    const encoding = options.encoding;
    const signal = options.signal;
    const emitClose = options.emitClose !== false;
    // Node ends a stream that keeps its descriptor without destroying it.
    const autoDestroy = options.autoDestroy === void 0 ? autoClose : options.autoDestroy;
    if (self === void 0) {
      let t = rsTemplate;
      if (t === void 0) t = rsTemplate = readStreamTemplate();
      if (t !== null && !signal && typeof path === 'string') {
        // readableInit's steps for these options, with EventEmitter.init's
        // values (a new object finds _events undefined on its prototypes;
        // no captureRejections option) given to the clone.
        const state = readableStateFor(highWaterMark, encoding, emitClose, autoDestroy);
        if (state !== void 0) {
          const stream = cloneShaped(t, state, { __proto__: null }, 0, false,
            ReadStream.prototype._maxListeners || undefined, EEproto[kCaptureKey], path,
            options.fd === void 0 ? null : (options.fd && typeof options.fd === 'object' ? options.fd.fd : options.fd),
            options.flags === void 0 ? 'r' : options.flags,
            options.mode === void 0 ? 0o666 : options.mode,
            start, end, start, 0, autoClose);
          readableConstruct(stream);
          return stream;
        }
      }
      self = Object.create(ReadStream.prototype);
    }
    readableInit(self, { highWaterMark, encoding, signal, emitClose, autoDestroy }, false);
    self.path = typeof path === 'string' || (path === null || path === void 0) ? path : pathString(getPath(path));
    self.fd = options.fd === void 0 ? null : (options.fd && typeof options.fd === 'object' ? options.fd.fd : options.fd);
    self.flags = options.flags === void 0 ? 'r' : options.flags;
    self.mode = options.mode === void 0 ? 0o666 : options.mode;
    self.start = start;
    self.end = end;
    self.pos = self.start;
    self.bytesRead = 0;
    self.autoClose = autoClose;
    return self;
  };
  // The template a stream is cloned from (the fs binding's cloneShaped,
  // one engine allocation): the own properties a constructed stream gets,
  // in their order (_readableState, EventEmitter.init's five, then the
  // ReadStream fields), and kPrefetch and kRegularFile, non-enumerable
  // (util.inspect does not list them; a constructed stream adds them as
  // it reads). Each of those ~17 additions costs a shape transition and
  // often a reallocation under the interpreter. The clone is given the
  // first 15 values; the template is checked to have them in that order
  // (EventEmitter.init is events.js's), else streams are constructed.
  function readStreamTemplate() {
    const clone = binding.cloneShaped;
    if (typeof clone !== 'function') return null;
    const t = Object.create(ReadStream.prototype);
    t._readableState = null;
    EE.init.call(t);
    t.path = null;
    t.fd = null;
    t.flags = 'r';
    t.mode = 0o666;
    t.start = undefined;
    t.end = Infinity;
    t.pos = undefined;
    t.bytesRead = 0;
    t.autoClose = true;
    const hidden = { value: undefined, writable: true, enumerable: false, configurable: true };
    Object.defineProperty(t, kPrefetch, hidden);
    Object.defineProperty(t, kRegularFile, hidden);
    const syms = Object.getOwnPropertySymbols(t);
    const shapeKey = syms.find((k) => k.description === 'shapeMode');
    kCaptureKey = syms.find((k) => k.description === 'kCapture');
    const order = ['_readableState', '_events', '_eventsCount', shapeKey, '_maxListeners', kCaptureKey,
      'path', 'fd', 'flags', 'mode', 'start', 'end', 'pos', 'bytesRead', 'autoClose'];
    const marks = order.map((_, i) => [i]);
    const probe = clone(t, ...marks);
    if (probe === void 0 || Object.getPrototypeOf(probe) !== ReadStream.prototype ||
        Reflect.ownKeys(probe).length !== Reflect.ownKeys(t).length || syms.length !== 4) return null;
    for (let i = 0; i < order.length; i++) {
      if (order[i] === void 0 || probe[order[i]] !== marks[i]) return null;
    }
    EEproto = EE.prototype;
    cloneShaped = clone;
    return t;
  }
  Object.setPrototypeOf(ReadStream.prototype, Readable.prototype);
  Object.setPrototypeOf(ReadStream, Readable);
  // pending is true until the stream has a descriptor and again once it
  // is closed, as Node's getter answers.
  const pending = { get() { return this.fd === null; }, enumerable: false, configurable: true };
  Object.defineProperty(ReadStream.prototype, 'pending', pending);
  // Open and the first read share one trip to the thread pool (openRead):
  // a small file then needs no second hand-off before its data flows. The
  // chunk waits in kPrefetch for the first _read. A subclass or instance
  // with its own _read gets the plain open, since it reads by itself.
  ReadStream.prototype._construct = function _construct(cb) {
    if (this.fd !== null) return cb();
    if (typeof binding.openRead !== 'function' || this._read !== readStreamRead) {
      return openThen(this, cb);
    }
    let len = this.readableHighWaterMark;
    if (this.end !== Infinity) {
      const left = this.end - (this.pos ?? 0) + 1;
      if (left < len) len = left > 0 ? left : 0;
    }
    // The default flags and mode without the general parsers' calls.
    const flags = this.flags === 'r' ? constants.O_RDONLY : stringToFlags(this.flags);
    const mode = this.mode === 0o666 ? 0o666 : parseMode(this.mode, 0o666);
    binding.openRead(getPath(this.path), flags, mode, len,
      this.pos === void 0 ? null : this.pos, FastBuffer ? FastBuffer.prototype : null, bindCurrent((err, res) => {
        if (err) return cb(err);
        this.fd = res[0];
        if (res[1] !== null) {
          // Read ahead only happens for a regular file, which is what lets
          // _destroy close it on the loop.
          this[kPrefetch] = res;
          this[kRegularFile] = true;
        }
        opened(this, cb);
      }));
  };
  function openThen(stream, cb) {
    open(stream.path, stream.flags, stream.mode, (err, fd) => {
      if (err) return cb(err);
      stream.fd = fd;
      opened(stream, cb);
    });
  }
  function opened(stream, cb) {
    cb();
    // See EEemit in internal/streams/utils: no call for an event nobody
    // listens to.
    let ev = stream._events;
    if (stream.emit !== EEemit || (ev !== void 0 && ev.open !== void 0)) stream.emit('open', stream.fd);
    ev = stream._events;
    if (stream.emit !== EEemit || (ev !== void 0 && ev.ready !== void 0)) stream.emit('ready');
  }
  function readStreamRead(n) {
    const pre = this[kPrefetch];
    if (pre !== void 0) {
      if (pre === kEofNext) {
        // The end openRead found: from the loop's completion queue, where
        // node's second read answers (handlers of 'data' run their ticks
        // and immediates before 'end', and a destination's setImmediate
        // work before the stream's 'close', as under node).
        this[kPrefetch] = undefined;
        if (typeof binding.callLater === 'function') binding.callLater(bindCurrent(pushEof), this);
        else setImmediate(pushEof, this);
        return;
      }
      // The first chunk came with the open. Node's first read answers
      // from the thread pool, outside _read and after the microtasks of
      // the open's callback ('open' and 'ready' handlers' promise work runs
      // before 'data'): the chunk is handed over from the loop's completion
      // queue where that answer would come, and 'data' goes out from the
      // push itself.
      if (typeof binding.callLater === 'function') binding.callLater(bindCurrent(pushPrefetch), this);
      else tick1(pushPrefetch, this);
      return;
    }
    let len = n;
    if (this.end !== Infinity) {
      const left = this.end - (this.pos ?? this.bytesRead) + 1;
      if (left <= 0) return this.push(null);
      len = Math.min(n, left);
    }
    const B = globalThis.Buffer;
    const buf = FastBuffer ? new FastBuffer(len) : (B ? B.allocUnsafeSlow(len) : new Uint8Array(len));
    binding.read(this.fd, buf, 0, len, this.pos === void 0 ? null : this.pos, bindCurrent((err, bytes) => {
      if (err) return this.destroy(err);
      if (bytes === 0) return this.push(null);
      if (this.pos !== void 0) this.pos += bytes;
      this.bytesRead += bytes;
      this.push(bytes === len ? buf : buf.subarray(0, bytes));
    }));
  }
  function pushEof(stream) {
    stream.push(null);
  }
  // pre is [fd, chunk, eof, length]; the chunk is already a Buffer when
  // the binding could give it Buffer's prototype.
  function pushPrefetch(stream) {
    const pre = stream[kPrefetch];
    stream[kPrefetch] = undefined;
    if (pre === void 0 || pre === kEofNext) return;
    const u8 = pre[1];
    const bytes = pre[3];
    if (bytes > 0) {
      if (stream.pos !== void 0) stream.pos += bytes;
      stream.bytesRead += bytes;
      // An end found by the same trip comes from the next _read.
      if (pre[2]) stream[kPrefetch] = kEofNext;
      stream.push(u8.constructor === Uint8Array ? new FastBuffer(u8.buffer, u8.byteOffset, bytes) : u8);
    } else if (pre[2]) {
      stream.push(null);
    }
  }
  ReadStream.prototype._read = readStreamRead;
  // A regular file the stream opened itself is closed at once on the loop
  // (closing a file that was only read does not wait on the disk), and
  // destroy's callback comes from the loop's completion queue, where the
  // thread pool's answer would: one hand-off fewer per stream, and 'close'
  // keeps Node's place after the work queued before it (a piped
  // destination's 'finish' after an asynchronous write callback). Anything
  // else (a FIFO, a tty, a descriptor passed in) closes on the pool: Go's
  // close waits for a read still blocked on the descriptor.
  ReadStream.prototype._destroy = function _destroy(err, cb) {
    if (this.fd !== null && this.autoClose && typeof this.fd === 'number') {
      const fd = this.fd;
      this.fd = null;
      // closeLater calls its callback with the close's error or null, so
      // without an err of destroy's, cb(err || err2) is cb(err2): cb
      // itself, with no closure.
      if (this[kRegularFile] && typeof binding.closeLater === 'function') {
        binding.closeLater(fd, bindCurrent(err ? (err2) => cb(err || err2) : cb));
      } else {
        binding.close(fd, bindCurrent((err2) => cb(err || err2)));
      }
      return;
    }
    cb(err);
  };
  ReadStream.prototype.close = function close(cb) {
    if (typeof cb === 'function') this.once('close', cb);
    this.destroy();
  };

  WriteStream = function WriteStream(path, options) {
    if (!(this instanceof WriteStream)) return new WriteStream(path, options);
    options = getOptions(options, {});
    Writable.call(this, { highWaterMark: options.highWaterMark, decodeStrings: true, emitClose: options.emitClose !== false, signal: options.signal });
    this.path = typeof path === 'string' || (path === null || path === void 0) ? path : pathString(getPath(path));
    this.fd = options.fd === void 0 ? null : (options.fd && typeof options.fd === 'object' ? options.fd.fd : options.fd);
    this.flags = options.flags === void 0 ? 'w' : options.flags;
    this.mode = options.mode === void 0 ? 0o666 : options.mode;
    this.start = options.start;
    this.pos = this.start;
    this.bytesWritten = 0;
    this.autoClose = options.autoClose === void 0 ? true : options.autoClose;
    if (options.encoding) this.setDefaultEncoding(options.encoding);
  };
  Object.setPrototypeOf(WriteStream.prototype, Writable.prototype);
  Object.setPrototypeOf(WriteStream, Writable);
  Object.defineProperty(WriteStream.prototype, 'pending', pending);
  WriteStream.prototype._construct = function _construct(cb) {
    if (this.fd !== null) return cb();
    openThen(this, cb);
  };
  WriteStream.prototype._write = function _write(chunk, encoding, cb) {
    const data = typeof chunk === 'string' ? encode(chunk, encoding) : chunk;
    const len = typeof data === 'string' ? 0 : data.length;
    binding.write(this.fd, data, 0, len, this.pos === void 0 ? null : this.pos, bindCurrent((err, bytes) => {
      if (err) return cb(err);
      this.bytesWritten += bytes;
      if (this.pos !== void 0) this.pos += bytes;
      cb();
    }));
  };
  WriteStream.prototype._destroy = function _destroy(err, cb) {
    if (this.fd !== null && this.autoClose && typeof this.fd === 'number') {
      const fd = this.fd;
      this.fd = null;
      binding.close(fd, bindCurrent((err2) => cb(err || err2)));
      return;
    }
    cb(err);
  };
  WriteStream.prototype._final = function _final(cb) { cb(); };
  WriteStream.prototype.close = function close(cb) {
    if (typeof cb === 'function') this.once('close', cb);
    if (!this.writableEnded) this.end();
    this.once('finish', () => this.destroy());
  };
  WriteStream.prototype.destroySoon = WriteStream.prototype.end;
}

function validateStreamPos(v, name) {
  // The common case with arithmetic only (v % 1 is 0 exactly for the
  // finite integers): a native call less per stream option.
  if (typeof v === 'number' && v % 1 === 0 && v >= 0 && v <= 9007199254740991) return;
  if (typeof v !== 'number') throw invalidArgType(name, 'of type number', v);
  if (!Number.isInteger(v)) throw new (require('internal/errors').codes.ERR_OUT_OF_RANGE)(name, 'an integer', v);
  if (v < 0 || v > Number.MAX_SAFE_INTEGER) {
    throw new (require('internal/errors').codes.ERR_OUT_OF_RANGE)(name, `>= 0 && <= ${Number.MAX_SAFE_INTEGER}`, v);
  }
}

// The classes are checked for before the call: streamClasses's inner
// function declarations are made (a closure and its variable records
// each) whenever it is entered, even when it returns at once.
function createReadStream(path, options) {
  if (ReadStream === void 0) streamClasses();
  return initReadStream(undefined, path, options);
}

function createWriteStream(path, options) {
  if (WriteStream === void 0) streamClasses();
  return new WriteStream(path, options);
}

let promises;

module.exports = {
  constants,
  Stats,
  Dirent,
  F_OK: constants.F_OK, R_OK: constants.R_OK, W_OK: constants.W_OK, X_OK: constants.X_OK,
  existsSync, accessSync, openSync, closeSync, readSync, writeSync, readFileSync, writeFileSync,
  appendFileSync, statSync, lstatSync, fstatSync, readdirSync, mkdirSync, rmdirSync, rmSync,
  unlinkSync, renameSync, linkSync, symlinkSync, copyFileSync, cpSync, readlinkSync, realpathSync,
  chmodSync, fchmodSync, lchmodSync, chownSync, fchownSync, lchownSync, utimesSync, futimesSync,
  lutimesSync, mkdtempSync, truncateSync, ftruncateSync, fsyncSync, fdatasyncSync,
  access, exists, open, close, read, write, readFile, writeFile, appendFile, stat, lstat, fstat,
  readdir, mkdir, rmdir, rm, unlink, rename, link, symlink, copyFile, cp, readlink, realpath,
  chmod, fchmod, chown, fchown, lchown, utimes, futimes, lutimes, mkdtemp, truncate, ftruncate,
  fsync, fdatasync, watch, watchFile, unwatchFile, createReadStream, createWriteStream,
  Dir, opendir, opendirSync,
  get promises() {
    return promises || (promises = require('fs/promises'));
  },
  get ReadStream() { if (ReadStream === void 0) streamClasses(); return ReadStream; },
  get WriteStream() { if (WriteStream === void 0) streamClasses(); return WriteStream; },
};
module.exports._toBuffer = toBuffer;
module.exports._internals = { Dir, makeDirents, pathString, getPath, getFd, stringToFlags, parseMode, getOptions, encode, decode, makeStats, readdirResult, readdirRecursive, toSeconds, invalidArgType };
