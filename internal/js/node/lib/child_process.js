'use strict';
// child_process over internalBinding('process_wrap') (Go os/exec). Piped
// stdio are net.Sockets of the tcp binding; 'exit' comes from the Go side
// when the process is reaped, 'close' once 'exit' happened and every piped
// stream closed. fork() (and 'ipc' in stdio) opens an IPC channel: see
// internal/child_process_ipc.js.

const EventEmitter = require('events');
const net = require('net');
const { Buffer } = require('buffer');
const { bindCurrent } = require('internal/async_context');
const { setupChannel } = require('internal/child_process_ipc');
const {
  codes: {
    ERR_INVALID_ARG_TYPE, ERR_CHILD_PROCESS_STDIO_MAXBUFFER, ERR_INVALID_ARG_VALUE,
    ERR_CHILD_PROCESS_IPC_REQUIRED, ERR_IPC_ONE_PIPE, ERR_IPC_SYNC_FORK,
  },
  errnoByCode, uvErrmapGet, genericNodeError,
} = require('internal/errors');

const binding = internalBinding('process_wrap');
const kHandle = net._kHandle;
const EV_EXIT = 12;

function spawnError(errno, code, file, args, path, syscall = 'spawn') {
  errno = errno || errnoByCode(code) || -2;
  const entry = uvErrmapGet(errno);
  code = code || (entry ? entry[0] : 'UNKNOWN');
  const err = new Error(`${syscall} ${file} ${code}`);
  err.errno = errno;
  err.code = code;
  err.syscall = syscall + ' ' + file;
  err.path = path;
  err.spawnargs = args.slice(1);
  return err;
}

// ipcIndex returns the position of 'ipc' in an stdio array (-1: none).
function ipcIndex(stdio, sync) {
  if (!Array.isArray(stdio)) return -1;
  let at = -1;
  for (let i = 0; i < stdio.length; i++) {
    if (stdio[i] !== 'ipc') continue;
    if (sync) throw new ERR_IPC_SYNC_FORK();
    if (at !== -1) throw new ERR_IPC_ONE_PIPE();
    at = i;
  }
  if (at >= 0 && at < 3) {
    throw new ERR_INVALID_ARG_VALUE('options.stdio', stdio, 'has the IPC channel at a standard stream, which gnode does not support (use index 3 or later)');
  }
  return at;
}

function normalizeStdio(stdio) {
  if (stdio === undefined || stdio === null) return ['pipe', 'pipe', 'pipe'];
  if (typeof stdio === 'string') return [stdio, stdio, stdio];
  const out = [];
  for (let i = 0; i < 3; i++) {
    let s = stdio[i];
    if (s === undefined || s === null || s === 'overlapped') s = 'pipe';
    if (s === process.stdin || s === process.stdout || s === process.stderr || s === 0 || s === 1 || s === 2) s = 'inherit';
    if (typeof s !== 'string') s = 'pipe';
    out.push(s);
  }
  return out;
}

function normalizeSpawnArguments(file, args, options, sync) {
  if (typeof file !== 'string') throw new ERR_INVALID_ARG_TYPE('file', 'string', file);
  if (file.length === 0) throw new ERR_INVALID_ARG_VALUE('file', file, 'cannot be empty');
  if (Array.isArray(args)) args = args.slice();
  else if (args == null) args = [];
  else if (typeof args !== 'object') throw new ERR_INVALID_ARG_TYPE('args', 'object', args);
  else { options = args; args = []; }
  options = { ...options };
  if (options.shell) {
    const command = args.length ? file + ' ' + args.join(' ') : file;
    file = typeof options.shell === 'string' ? options.shell : '/bin/sh';
    args = ['-c', command];
  }
  const argv0 = typeof options.argv0 === 'string' ? options.argv0 : file;
  const env = options.env || process.env;
  const envPairs = [];
  for (const k of Object.keys(env)) if (env[k] !== undefined) envPairs.push(k + '=' + env[k]);
  const ipc = ipcIndex(options.stdio, sync);
  const serialization = options.serialization === undefined ? 'json' : options.serialization;
  if (serialization !== 'json' && serialization !== 'advanced') {
    throw new ERR_INVALID_ARG_VALUE('options.serialization', options.serialization, "must be one of: undefined, 'json', 'advanced'");
  }
  if (ipc >= 0) {
    envPairs.push('NODE_CHANNEL_FD=' + ipc, 'NODE_CHANNEL_SERIALIZATION_MODE=' + serialization);
  }
  let cwd = options.cwd;
  if (cwd instanceof URL) cwd = require('url').fileURLToPath(cwd);
  return {
    file,
    args: [argv0, ...args],
    cwd: cwd == null ? undefined : String(cwd),
    envPairs,
    stdio: normalizeStdio(options.stdio),
    detached: !!options.detached,
    ipc,
    serialization,
    options,
  };
}

class ChildProcess extends EventEmitter {
  constructor() {
    super();
    this._handle = null;
    this._closesNeeded = 1;
    this._closesGot = 0;
    this.connected = false;
    this.signalCode = null;
    this.exitCode = null;
    this.killed = false;
    this.spawnfile = null;
    this.stdin = null;
    this.stdout = null;
    this.stderr = null;
    this.stdio = [null, null, null];
    this.pid = undefined;
  }

  spawn(opts) {
    this.spawnfile = opts.file;
    this.spawnargs = opts.args;
    const res = binding.spawn(opts);
    if (res[0] === 0) {
      const err = spawnError(res[1], res[2], opts.file, opts.args, opts.file);
      this.exitCode = err.errno;
      process.nextTick(() => {
        this._closesGot = this._closesNeeded - 1;
        this.emit('error', err);
        this._maybeClose();
      });
      return err;
    }
    this.pid = res[0];
    this._handle = res[1];
    net._registerHandle(this._handle, this);
    for (let i = 0; i < 3; i++) {
      const id = res[2 + i];
      if (!id) continue;
      const s = new net.Socket({ [kHandle]: id, readable: i !== 0, writable: i === 0 });
      this.stdio[i] = s;
      this._closesNeeded++;
      s.on('close', () => this._maybeClose());
    }
    [this.stdin, this.stdout, this.stderr] = this.stdio;
    if (res[5]) {
      this._closesNeeded++;
      setupChannel(this, res[5], {
        onClose: () => process.nextTick(() => this._maybeClose()),
        serialization: opts.serialization,
      });
    }
    process.nextTick(() => this.emit('spawn'));
    return null;
  }

  _onEvent(kind, code, signal) {
    if (kind !== EV_EXIT) return;
    net._unregisterHandle(this._handle);
    this._handle = null;
    if (signal) this.signalCode = signal;
    else this.exitCode = code;
    if (this.stdin) this.stdin.destroy();
    this.emit('exit', this.exitCode, this.signalCode);
    // Unread output would keep the pipes (and 'close') waiting: flow it
    // away, as Node's flushStdio does.
    for (let i = 1; i < this.stdio.length; i++) {
      const s = this.stdio[i];
      if (s && s.readable && !s._readableState.readableListening) s.resume();
    }
    process.nextTick(() => this._maybeClose());
  }

  _maybeClose() {
    this._closesGot++;
    if (this._closesGot === this._closesNeeded) this.emit('close', this.exitCode, this.signalCode);
  }

  kill(sig) {
    const signal = sig === 0 ? 0 : (typeof sig === 'number' ? numberToSignal(sig) : (sig || 'SIGTERM'));
    if (this._handle === null) return false;
    if (signal === 0) return true;
    const err = binding.kill(this._handle, signal);
    if (err === 0) {
      this.killed = true;
      return true;
    }
    return false;
  }

  ref() { if (this._handle !== null) net._binding.ref(this._handle, true); }
  unref() { if (this._handle !== null) net._binding.ref(this._handle, false); }
  [Symbol.dispose]() { if (!this.killed) this.kill(); }
}

function numberToSignal(n) {
  const sigs = require('os').constants.signals;
  for (const k of Object.keys(sigs)) if (sigs[k] === n) return k;
  return 'SIGTERM';
}

function spawn(file, args, options) {
  const opts = normalizeSpawnArguments(file, args, options);
  const child = new ChildProcess();
  child.spawn(opts);
  const o = opts.options;
  if (o.timeout > 0) {
    let t = setTimeout(() => {
      if (t) {
        child.kill(o.killSignal || 'SIGTERM');
        t = null;
      }
    }, o.timeout);
    child.once('exit', () => { if (t) { clearTimeout(t); t = null; } });
  }
  if (o.signal) {
    const onAbort = () => {
      if (child.kill(o.killSignal || 'SIGTERM')) {
        const { AbortError } = require('internal/errors');
        child.emit('error', new AbortError(undefined, { cause: o.signal.reason }));
      }
    };
    if (o.signal.aborted) process.nextTick(onAbort);
    else {
      o.signal.addEventListener('abort', onAbort, { once: true });
      child.once('exit', () => o.signal.removeEventListener('abort', onAbort));
    }
  }
  return child;
}

function normalizeExecArgs(command, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  options = { ...options };
  options.shell = typeof options.shell === 'string' ? options.shell : true;
  return { file: command, options, callback };
}

function exec(command, options, callback) {
  const opts = normalizeExecArgs(command, options, callback);
  return execFile(opts.file, opts.options, opts.callback);
}

function execFile(file, args, options, callback) {
  if (typeof args === 'function') {
    callback = args;
    args = [];
    options = {};
  } else if (args != null && !Array.isArray(args) && typeof args === 'object') {
    callback = options;
    options = args;
    args = [];
  }
  if (typeof options === 'function') {
    callback = options;
    options = {};
  }
  if (typeof callback === 'function') callback = bindCurrent(callback);
  options = {
    encoding: 'utf8',
    timeout: 0,
    maxBuffer: 1024 * 1024,
    killSignal: 'SIGTERM',
    ...options,
  };
  args = args || [];
  const child = spawn(file, args, {
    cwd: options.cwd, env: options.env, shell: options.shell, signal: options.signal,
    argv0: options.argv0, detached: options.detached, stdio: options.stdio,
  });
  const encoding = options.encoding;
  const stdoutChunks = [];
  const stderrChunks = [];
  let stdoutLen = 0, stderrLen = 0;
  let killed = false;
  let exited = false;
  let ex = null;
  let timer = null;
  const cmd = [file, ...args].join(' ');

  const done = (code, signal) => {
    if (exited) return;
    exited = true;
    if (timer) clearTimeout(timer);
    if (!callback) return;
    const join = (chunks) => {
      const b = Buffer.concat(chunks);
      return encoding && encoding !== 'buffer' && Buffer.isEncoding(encoding) ? b.toString(encoding) : b;
    };
    const stdout = join(stdoutChunks);
    const stderr = join(stderrChunks);
    if (!ex && code === 0 && signal === null) {
      callback(null, stdout, stderr);
      return;
    }
    if (!ex) {
      ex = genericNodeError(`Command failed: ${cmd}\n${stderr}`, {
        code: code < 0 ? uvErrmapGet(code)[0] : code,
        killed: child.killed || killed,
        signal,
      });
    }
    ex.cmd = cmd;
    callback(ex, stdout, stderr);
  };
  const kill = () => {
    killed = true;
    try { child.kill(options.killSignal); } catch (e) { ex = e; done(); }
  };
  if (options.timeout > 0) {
    timer = setTimeout(() => { kill(); timer = null; }, options.timeout);
  }
  const collect = (stream, chunks, which) => {
    if (!stream) return;
    stream.on('data', (chunk) => {
      const len = which === 1 ? (stdoutLen += chunk.length) : (stderrLen += chunk.length);
      if (len > options.maxBuffer) {
        const keep = chunk.length - (len - options.maxBuffer);
        if (keep > 0) chunks.push(chunk.subarray(0, keep));
        ex = new ERR_CHILD_PROCESS_STDIO_MAXBUFFER(which === 1 ? 'stdout' : 'stderr');
        kill();
      } else {
        chunks.push(chunk);
      }
    });
  };
  collect(child.stdout, stdoutChunks, 1);
  collect(child.stderr, stderrChunks, 2);
  child.addListener('close', done);
  child.addListener('error', (e) => {
    ex = e;
    if (child.stdout) child.stdout.destroy();
    if (child.stderr) child.stderr.destroy();
    done(null, null);
  });
  return child;
}

const customPromiseExecFunction = (orig) => (...args) => {
  let resolve, reject;
  const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
  promise.child = orig(...args, (err, stdout, stderr) => {
    if (err !== null) {
      err.stdout = stdout;
      err.stderr = stderr;
      reject(err);
    } else {
      resolve({ stdout, stderr });
    }
  });
  return promise;
};
Object.defineProperty(exec, Symbol.for('nodejs.util.promisify.custom'), { enumerable: false, value: customPromiseExecFunction(exec) });
Object.defineProperty(execFile, Symbol.for('nodejs.util.promisify.custom'), { enumerable: false, value: customPromiseExecFunction(execFile) });

function spawnSync(file, args, options) {
  const opts = normalizeSpawnArguments(file, args, options, true);
  const o = opts.options;
  let input = o.input;
  if (typeof input === 'string') input = Buffer.from(input, o.encoding && o.encoding !== 'buffer' ? o.encoding : 'utf8');
  const res = binding.spawnSync(opts, input || '', o.timeout || 0, o.killSignal || 'SIGTERM', o.maxBuffer);
  const out = { pid: res.pid || 0, output: null, stdout: null, stderr: null, status: null, signal: null };
  if (res.errno || res.code) {
    out.error = spawnError(res.errno, res.code, opts.file, opts.args, opts.file, 'spawnSync');
    if (res.code === 'ETIMEDOUT') {
      out.error = new Error(`spawnSync ${opts.file} ETIMEDOUT`);
      out.error.errno = res.errno;
      out.error.code = 'ETIMEDOUT';
      out.error.syscall = 'spawnSync ' + opts.file;
      out.error.path = opts.file;
      out.error.spawnargs = opts.args.slice(1);
    }
  }
  if (res.status !== undefined) out.status = res.status;
  if (res.signal !== undefined) out.signal = res.signal;
  const enc = o.encoding && o.encoding !== 'buffer' ? o.encoding : null;
  const conv = (u8) => {
    if (u8 === undefined) return null;
    const b = Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
    return enc ? b.toString(enc) : b;
  };
  out.stdout = conv(res.stdout);
  out.stderr = conv(res.stderr);
  out.output = [null, out.stdout, out.stderr];
  return out;
}

function checkExecSyncError(ret, args, cmd) {
  let err;
  if (ret.error) {
    err = ret.error;
    Object.assign(err, ret);
  } else if (ret.status !== 0) {
    let msg = 'Command failed: ';
    msg += cmd || args.join(' ');
    if (ret.stderr && ret.stderr.length > 0) msg += `\n${ret.stderr.toString()}`;
    err = genericNodeError(msg, ret);
  }
  return err;
}

function execFileSync(file, args, options) {
  if (args != null && !Array.isArray(args) && typeof args === 'object') {
    options = args;
    args = [];
  }
  options = { ...options };
  const inheritStderr = !options.stdio;
  const ret = spawnSync(file, args, options);
  if (inheritStderr && ret.stderr && ret.stderr.length) process.stderr.write(ret.stderr);
  const err = checkExecSyncError(ret, [file, ...(args || [])], undefined);
  if (err) throw err;
  return ret.stdout;
}

function execSync(command, options) {
  options = { ...options };
  const inheritStderr = !options.stdio;
  const ret = spawnSync(command, [], { ...options, shell: typeof options.shell === 'string' ? options.shell : true });
  if (inheritStderr && ret.stderr && ret.stderr.length) process.stderr.write(ret.stderr);
  const err = checkExecSyncError(ret, [], command);
  if (err) throw err;
  return ret.stdout;
}

function fork(modulePath, args, options) {
  if (modulePath instanceof URL) modulePath = require('url').fileURLToPath(modulePath);
  if (typeof modulePath !== 'string') throw new ERR_INVALID_ARG_TYPE('modulePath', ['string', 'URL'], modulePath);
  if (args == null) {
    args = [];
  } else if (typeof args === 'object' && !Array.isArray(args)) {
    options = args;
    args = [];
  } else if (!Array.isArray(args)) {
    throw new ERR_INVALID_ARG_TYPE('args', 'Array', args);
  }
  if (options != null && typeof options !== 'object') throw new ERR_INVALID_ARG_TYPE('options', 'Object', options);
  options = { ...options, shell: false };
  options.execPath = options.execPath || process.execPath;
  const execArgv = options.execArgv || process.execArgv;
  if (typeof options.stdio === 'string') {
    options.stdio = [options.stdio, options.stdio, options.stdio, 'ipc'];
  } else if (!Array.isArray(options.stdio)) {
    const s = options.silent ? 'pipe' : 'inherit';
    options.stdio = [s, s, s, 'ipc'];
  } else if (!options.stdio.includes('ipc')) {
    throw new ERR_CHILD_PROCESS_IPC_REQUIRED('options.stdio');
  }
  return spawn(options.execPath, [...execArgv, modulePath, ...args], options);
}

module.exports = {
  ChildProcess,
  exec,
  execFile,
  execFileSync,
  execSync,
  fork,
  spawn,
  spawnSync,
};
