'use strict';
// node:fs/promises: the promise API and FileHandle over internalBinding('fs').

const binding = internalBinding('fs');
const fs = require('fs');
const {
  getPath, getFd, stringToFlags, parseMode, getOptions, encode, decode, makeStats,
  readdirResult, readdirRecursive, toSeconds, invalidArgType,
} = fs._internals;
const { constants } = binding;

// call runs binding[name](...args, cb) as a promise.
function call(name, ...args) {
  return new Promise((resolve, reject) => {
    binding[name](...args, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

const kFd = Symbol('kFd');

class FileHandle {
  constructor(fd) {
    this[kFd] = fd;
    this._closed = false;
  }
  get fd() { return this[kFd]; }
  async close() {
    if (this._closed) return;
    this._closed = true;
    await call('close', this[kFd]);
    this[kFd] = -1;
  }
  async [Symbol.asyncDispose]() { return this.close(); }
  async read(buffer, offset, length, position) {
    if (buffer == null || (typeof buffer === 'object' && !ArrayBuffer.isView(buffer))) {
      const o = buffer || {};
      const B = globalThis.Buffer;
      buffer = o.buffer || (B ? B.alloc(16384) : new Uint8Array(16384));
      offset = o.offset || 0;
      length = o.length ?? buffer.byteLength - offset;
      position = o.position ?? null;
    } else if (offset !== null && typeof offset === 'object') {
      ({ offset = 0, length = buffer.byteLength - offset, position = null } = offset);
    }
    if (offset == null) offset = 0;
    if (length == null) length = buffer.byteLength - offset;
    const u8 = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    const bytesRead = length === 0 ? 0 : await call('read', this[kFd], u8, offset, length, position ?? null);
    return { bytesRead, buffer };
  }
  async write(buffer, offset, length, position) {
    if (typeof buffer === 'string') {
      const data = encode(buffer, typeof length === 'string' ? length : 'utf8');
      const pos = typeof offset === 'number' ? offset : null;
      const n = await call('write', this[kFd], data, 0, typeof data === 'string' ? 0 : data.length, pos);
      return { bytesWritten: n, buffer };
    }
    if (offset !== null && typeof offset === 'object') ({ offset = 0, length, position = null } = offset);
    const u8 = encode(buffer);
    if (offset == null) offset = 0;
    if (length == null) length = u8.byteLength - offset;
    const n = await call('write', this[kFd], u8, offset, length, position ?? null);
    return { bytesWritten: n, buffer };
  }
  async readFile(options) {
    options = getOptions(options, {});
    return decode(await call('readFile', this[kFd], 0), options.encoding);
  }
  async writeFile(data, options) {
    options = getOptions(options, { encoding: 'utf8' });
    await call('writeFile', this[kFd], encode(data, options.encoding), 0, 0);
  }
  async appendFile(data, options) { return this.writeFile(data, options); }
  async stat(options) { return makeStats(await call('fstat', this[kFd], true, !!(options && options.bigint)), options); }
  async truncate(len = 0) { await call('ftruncate', this[kFd], len); }
  async sync() { await call('fsync', this[kFd]); }
  async datasync() { await call('fsync', this[kFd]); }
  async chmod(mode) { await call('fchmod', this[kFd], parseMode(mode)); }
  async chown() {}
  async utimes(atime, mtime) { await call('futimes', this[kFd], toSeconds(atime, 'atime'), toSeconds(mtime, 'mtime')); }
  async readLines(options) {
    const text = await this.readFile({ encoding: (options && options.encoding) || 'utf8' });
    const lines = text.split(/\r?\n/);
    if (lines[lines.length - 1] === '') lines.pop();
    return (async function* gen() { yield* lines; })();
  }
  createReadStream(options) { return fs.createReadStream(null, { ...options, fd: this }); }
  createWriteStream(options) { return fs.createWriteStream(null, { ...options, fd: this }); }
}

async function open(path, flags, mode) {
  const fd = await call('open', getPath(path), stringToFlags(flags), parseMode(mode, 0o666));
  return new FileHandle(fd);
}

function target(path) {
  if (path instanceof FileHandle) return path.fd;
  return typeof path === 'number' ? getFd(path) : getPath(path);
}

async function readFile(path, options) {
  options = getOptions(options, { flag: 'r' });
  if (options.signal && options.signal.aborted) {
    const e = new Error('The operation was aborted');
    e.name = 'AbortError';
    e.code = 'ABORT_ERR';
    throw e;
  }
  return decode(await call('readFile', target(path), stringToFlags(options.flag)), options.encoding);
}

async function writeFile(path, data, options) {
  options = getOptions(options, { encoding: 'utf8', mode: 0o666, flag: 'w' });
  if (data != null && typeof data === 'object' && !ArrayBuffer.isView(data) && (typeof data[Symbol.asyncIterator] === 'function' || typeof data[Symbol.iterator] === 'function')) {
    const parts = [];
    for await (const chunk of data) parts.push(typeof chunk === 'string' ? chunk : decode(encode(chunk), 'utf8'));
    data = parts.join('');
  }
  await call('writeFile', target(path), encode(data, options.encoding), stringToFlags(options.flag), parseMode(options.mode, 0o666));
}

async function appendFile(path, data, options) {
  options = getOptions(options, { encoding: 'utf8', mode: 0o666, flag: 'a' });
  return writeFile(path, data, options);
}

async function access(path, mode = constants.F_OK) { await call('access', getPath(path), mode); }
async function stat(path, options) { return makeStats(await call('stat', getPath(path), true, !!(options && options.bigint)), options); }
async function lstat(path, options) { return makeStats(await call('lstat', getPath(path), true, !!(options && options.bigint)), options); }
async function readdir(path, options) {
  options = getOptions(options, {});
  path = getPath(path);
  if (options.recursive) return readdirRecursive(path, options);
  return readdirResult(await call('readdir', path, !!options.withFileTypes), path, options);
}
async function mkdir(path, options) {
  let mode = 0o777;
  let recursive = false;
  if (typeof options === 'number' || typeof options === 'string') mode = parseMode(options, 0o777);
  else if (options) { recursive = !!options.recursive; mode = parseMode(options.mode, 0o777); }
  return call('mkdir', getPath(path), recursive, mode);
}
async function rmdir(path, options) {
  if (options && options.recursive) return void await call('rm', getPath(path), true, false);
  await call('rmdir', getPath(path));
}
async function rm(path, options) { await call('rm', getPath(path), !!(options && options.recursive), !!(options && options.force)); }
async function unlink(path) { await call('unlink', getPath(path)); }
async function rename(a, b) { await call('rename', getPath(a, 'oldPath'), getPath(b, 'newPath')); }
async function link(a, b) { await call('link', getPath(a, 'existingPath'), getPath(b, 'newPath')); }
async function symlink(t, p, type) { await call('symlink', getPath(t, 'target'), getPath(p), type); }
async function copyFile(a, b, mode = 0) { await call('copyFile', getPath(a, 'src'), getPath(b, 'dest'), mode); }
async function cp(a, b, options = {}) { await call('cp', getPath(a, 'src'), getPath(b, 'dest'), !!options.recursive, options.force !== false, !!options.errorOnExist); }
async function readlink(path) { return call('readlink', getPath(path)); }
async function realpath(path) { return call('realpath', getPath(path)); }
async function chmod(path, mode) { await call('chmod', getPath(path), parseMode(mode)); }
async function lchmod() {}
async function chown() {}
async function lchown() {}
async function utimes(path, a, m) { await call('utimes', getPath(path), toSeconds(a), toSeconds(m)); }
async function lutimes(path, a, m) { await call('utimes', getPath(path), toSeconds(a), toSeconds(m), true); }
async function mkdtemp(prefix) { return call('mkdtemp', getPath(prefix, 'prefix')); }
async function truncate(path, len = 0) { await call('truncate', getPath(path), len); }
async function opendir(path, options) {
  path = getPath(path);
  const { Dir, makeDirents, pathString } = fs._internals;
  if (options && options.recursive) return new Dir(pathString(path), readdirRecursive(path, { withFileTypes: true }));
  return new Dir(pathString(path), makeDirents(await call('readdir', path, true), path));
}

async function* watch(filename, options = {}) {
  const w = fs.watch(filename, options);
  const queue = [];
  let wake = null;
  w.on('change', (eventType, name) => {
    queue.push({ eventType, filename: name });
    if (wake) { const f = wake; wake = null; f(); }
  });
  try {
    for (;;) {
      if (queue.length === 0) await new Promise((r) => { wake = r; });
      while (queue.length) yield queue.shift();
    }
  } finally {
    w.close();
  }
}

module.exports = {
  open, readFile, writeFile, appendFile, access, stat, lstat, readdir, mkdir, rmdir, rm,
  unlink, rename, link, symlink, copyFile, cp, readlink, realpath, chmod, lchmod, chown,
  lchown, utimes, lutimes, mkdtemp, truncate, watch, opendir, constants, FileHandle,
};
void invalidArgType;
