'use strict';
// node:process. The process object over internalBinding('process') (see
// bindings/process.md): argv, env, exit codes, nextTick and the
// tick/microtask/rejection processing the event loop runs after every
// callback.

const binding = internalBinding('process');

let EventEmitter;
try {
  const ev = internalBinding('natives').exists('events') ? require('events') : null;
  EventEmitter = ev && (ev.EventEmitter || ev);
} catch {
  EventEmitter = null;
}
if (typeof EventEmitter !== 'function') EventEmitter = MiniEmitter();

// MiniEmitter is used until lib/events.js exists: the subset process needs.
function MiniEmitter() {
  function Emitter() { this._events = Object.create(null); }
  Emitter.prototype.on = function on(name, fn) {
    if (!this._events) this._events = Object.create(null);
    (this._events[name] || (this._events[name] = [])).push(fn);
    return this;
  };
  Emitter.prototype.addListener = Emitter.prototype.on;
  Emitter.prototype.prependListener = function prependListener(name, fn) {
    if (!this._events) this._events = Object.create(null);
    (this._events[name] || (this._events[name] = [])).unshift(fn);
    return this;
  };
  Emitter.prototype.once = function once(name, fn) {
    const self = this;
    function wrapper(...args) { self.removeListener(name, wrapper); return fn.apply(this, args); }
    wrapper.listener = fn;
    return this.on(name, wrapper);
  };
  Emitter.prototype.off = Emitter.prototype.removeListener = function removeListener(name, fn) {
    const l = this._events && this._events[name];
    if (!l) return this;
    const i = l.findIndex((f) => f === fn || f.listener === fn);
    if (i >= 0) l.splice(i, 1);
    return this;
  };
  Emitter.prototype.removeAllListeners = function removeAllListeners(name) {
    if (name === undefined) this._events = Object.create(null);
    else if (this._events) delete this._events[name];
    return this;
  };
  Emitter.prototype.emit = function emit(name, ...args) {
    const l = this._events && this._events[name];
    if (!l || l.length === 0) {
      if (name === 'error') throw args[0];
      return false;
    }
    for (const fn of l.slice()) fn.apply(this, args);
    return true;
  };
  Emitter.prototype.listenerCount = function listenerCount(name) {
    const l = this._events && this._events[name];
    return l ? l.length : 0;
  };
  Emitter.prototype.listeners = function listeners(name) {
    const l = this._events && this._events[name];
    return l ? l.map((f) => f.listener || f) : [];
  };
  Emitter.prototype.rawListeners = function rawListeners(name) {
    return (this._events && this._events[name] || []).slice();
  };
  Emitter.prototype.eventNames = function eventNames() {
    return Object.keys(this._events || {}).filter((k) => this._events[k].length);
  };
  Emitter.prototype.setMaxListeners = function setMaxListeners() { return this; };
  Emitter.prototype.getMaxListeners = function getMaxListeners() { return 10; };
  return Emitter;
}

const process = Object.create(EventEmitter.prototype);
EventEmitter.call(process);
Object.defineProperty(process, Symbol.toStringTag, { value: 'process', configurable: true });

process.title = 'gnode';
process.argv = binding.argv;
process.argv0 = 'node';
process.execArgv = binding.execArgv;
process.execPath = binding.execPath;
process.pid = binding.pid;
process.ppid = binding.ppid;
process.platform = binding.platform;
process.arch = binding.arch;
process.version = binding.version;
process.versions = {
  node: binding.version.slice(1),
  gnode: '0.1.0',
  quickjs: '2026-06-04',
  modules: '127',
  uv: '1.49.1',
  v8: '12.4.254.21-node.21',
};
process.release = { name: 'node', lts: 'Jod' };
process.features = { inspector: false, debug: false, uv: true, ipv6: true, tls_alpn: false, tls_sni: false, tls_ocsp: false, tls: false, cached_builtins: true, require_module: true, typescript: 'strip' };
process.config = { variables: {} };
process.moduleLoadList = [];
process.noDeprecation = false;
process.throwDeprecation = false;
process.traceDeprecation = false;
process.allowedNodeEnvironmentFlags = new Set();

// process.env converts what is stored to strings, as Node's does.
process.env = new Proxy(binding.env, {
  set(target, key, value) {
    if (typeof key === 'symbol') return false;
    target[key] = String(value);
    return true;
  },
  defineProperty(target, key, desc) {
    if ('value' in desc) target[key] = String(desc.value);
    return true;
  },
});

process.cwd = function cwd() { return binding.cwd(); };
process.chdir = function chdir(dir) {
  if (typeof dir !== 'string') {
    const e = new TypeError(`The "directory" argument must be of type string. Received ${describe(dir)}`);
    e.code = 'ERR_INVALID_ARG_TYPE';
    throw e;
  }
  binding.chdir(dir);
};
process.umask = function umask() { return binding.umask(); };
process.getuid = binding.getuid;
process.geteuid = binding.getuid;
process.getgid = binding.getgid;
process.getegid = binding.getgid;
process.uptime = function uptime() { return binding.uptime(); };
process.memoryUsage = function memoryUsage() { return binding.memoryUsage(); };
process.memoryUsage.rss = function rss() { return binding.memoryUsage().rss; };
process.cpuUsage = function cpuUsage(prev) {
  const r = binding.rusage();
  const user = r[0], system = r[1];
  if (prev === undefined) return { user, system };
  if (prev === null || typeof prev !== 'object') {
    const e = new TypeError(`The "prevValue" argument must be of type object. Received ${describe(prev)}`);
    e.code = 'ERR_INVALID_ARG_TYPE';
    throw e;
  }
  for (const k of ['user', 'system']) {
    const v = prev[k];
    if (typeof v !== 'number') {
      const e = new TypeError(`The "prevValue.${k}" property must be of type number. Received ${describe(v)}`);
      e.code = 'ERR_INVALID_ARG_TYPE';
      throw e;
    }
    if (!(v >= 0 && v <= Number.MAX_SAFE_INTEGER)) {
      const e = new RangeError(`The property 'prevValue.${k}' is invalid. Received ${v}`);
      e.code = 'ERR_INVALID_ARG_VALUE';
      throw e;
    }
  }
  return { user: user - prev.user, system: system - prev.system };
};
process.resourceUsage = function resourceUsage() {
  const r = binding.rusage();
  return {
    userCPUTime: r[0], systemCPUTime: r[1], maxRSS: r[2], sharedMemorySize: r[3],
    unsharedDataSize: r[4], unsharedStackSize: r[5], minorPageFault: r[6], majorPageFault: r[7],
    swappedOut: r[8], fsRead: r[9], fsWrite: r[10], ipcSent: r[11], ipcReceived: r[12],
    signalsCount: r[13], voluntaryContextSwitches: r[14], involuntaryContextSwitches: r[15],
  };
};
process.kill = function kill(pid, sig = 'SIGTERM') {
  const signals = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGUSR1: 10, SIGUSR2: 12, SIGTERM: 15 };
  binding.kill(pid, typeof sig === 'number' ? sig : signals[sig] || 15);
  return true;
};
// No domain is active until the domain module enters one (node: null).
if (!('domain' in process)) process.domain = null;
process.abort = function abort() { binding.reallyExit(134); };
process.binding = function binding_(name) {
  // Old packages still read the constants through the deprecated
  // process.binding; the other internal bindings are not exposed.
  if (name === 'constants') {
    return {
      os: require('os').constants,
      fs: require('fs').constants,
      crypto: require('crypto').constants,
      zlib: require('zlib').constants,
      trace: { TRACE_EVENT_PHASE_BEGIN: 66, TRACE_EVENT_PHASE_END: 69, TRACE_EVENT_PHASE_INSTANT: 73 },
    };
  }
  const e = new Error(`No such module: ${name}`);
  e.code = 'ERR_INVALID_MODULE';
  throw e;
};

function hrtime(prev) {
  const t = binding.hrtimeBigInt();
  let sec = Number(t / 1000000000n);
  let nsec = Number(t % 1000000000n);
  if (prev) {
    sec -= prev[0];
    nsec -= prev[1];
    if (nsec < 0) { sec--; nsec += 1e9; }
  }
  return [sec, nsec];
}
hrtime.bigint = function bigint() { return binding.hrtimeBigInt(); };
process.hrtime = hrtime;

// ---- exit ------------------------------------------------------------------

let exitCode;
Object.defineProperty(process, 'exitCode', {
  get() { return exitCode; },
  set(v) {
    if (v !== undefined && v !== null) {
      const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
      if (typeof n !== 'number' || !Number.isInteger(n)) {
        const e = new TypeError(`The "code" argument must be of type number. Received ${describe(v)}`);
        e.code = 'ERR_INVALID_ARG_TYPE';
        throw e;
      }
      exitCode = n;
      binding.setExitCode(n);
    } else {
      exitCode = v;
      binding.setExitCode(0);
    }
  },
  enumerable: true, configurable: false,
});

process._exiting = false;
process._emitExit = function emitExit() {
  if (process._exiting) return;
  process._exiting = true;
  process.emit('exit', process.exitCode || 0);
};

process.exit = function exit(code) {
  if (code !== undefined) process.exitCode = code;
  if (!process._exiting) {
    process._exiting = true;
    process.emit('exit', process.exitCode || 0);
  }
  binding.reallyExit(process.exitCode || 0);
};
process.reallyExit = function reallyExit(code) { binding.reallyExit(code | 0); };

// ---- stdio -------------------------------------------------------------------

function makeWriter(fd, write) {
  const w = Object.create(EventEmitter.prototype);
  EventEmitter.call(w);
  Object.assign(w, {
    fd,
    writable: true,
    isTTY: false,
    columns: undefined,
    _isStdio: true,
    write(chunk, encoding, cb) {
      if (typeof encoding === 'function') { cb = encoding; encoding = undefined; }
      if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) {
        const e = new TypeError('The "chunk" argument must be of type string or an instance of Buffer or Uint8Array.' + ` Received ${describe(chunk)}`);
        e.code = 'ERR_INVALID_ARG_TYPE';
        throw e;
      }
      if (typeof chunk === 'string' && encoding && encoding !== 'utf8' && encoding !== 'utf-8' && globalThis.Buffer) {
        chunk = globalThis.Buffer.from(chunk, encoding);
      }
      write(chunk);
      if (typeof cb === 'function') nextTick(cb);
      return true;
    },
    end(chunk, encoding, cb) {
      if (typeof chunk === 'function') { cb = chunk; chunk = undefined; }
      if (chunk != null) this.write(chunk, encoding);
      if (typeof cb === 'function') nextTick(cb);
      return this;
    },
    cork() {}, uncork() {},
    setDefaultEncoding() { return this; },
    getColorDepth() { return 1; },
    hasColors() { return false; },
    get writableLength() { return 0; },
    get writableHighWaterMark() { return 16384; },
    get writableEnded() { return false; },
    get writableFinished() { return false; },
    destroy() { return this; },
    _destroy() {},
  });
  return w;
}

let streamMod;
function stream() {
  if (streamMod === undefined) {
    try {
      streamMod = internalBinding('natives').exists('stream') ? require('stream') : null;
    } catch {
      streamMod = null;
    }
  }
  return streamMod;
}

// Standard output and error are Writable streams whose writes are
// synchronous, as Node's are for files and pipes.
// writeError is node's error for a failed write to fd 1 or 2 (e.g.
// 'write EPIPE' once the reading end of a pipe is closed).
function writeError(errno) {
  return require('internal/errors').ErrnoException(errno, 'write');
}

function makeStdioWriter(fd, write) {
  const s = stream();
  if (!s) return makeWriter(fd, write);
  const w = new s.Writable({
    decodeStrings: false,
    write(chunk, encoding, cb) {
      if (typeof chunk === 'string' && encoding && encoding !== 'utf8' && encoding !== 'utf-8' && encoding !== 'buffer' && globalThis.Buffer) {
        chunk = globalThis.Buffer.from(chunk, encoding);
      }
      const errno = write(chunk);
      cb(errno === undefined ? undefined : writeError(errno));
    },
    writev(chunks, cb) {
      for (const { chunk } of chunks) {
        const errno = write(chunk);
        if (errno !== undefined) { cb(writeError(errno)); return; }
      }
      cb();
    },
  });
  w.fd = fd;
  w.isTTY = binding.isatty(fd);
  w._isStdio = true;
  if (w.isTTY) {
    Object.defineProperty(w, 'columns', { get() { const s = binding.termSize(fd); return s ? s[0] : 80; }, enumerable: true, configurable: true });
    Object.defineProperty(w, 'rows', { get() { const s = binding.termSize(fd); return s ? s[1] : 24; }, enumerable: true, configurable: true });
    w.getWindowSize = () => binding.termSize(fd) || [80, 24];
  }
  w.destroySoon = w.destroy;
  // Node never closes fds 1 and 2 when the stream ends.
  w._destroy = function _destroy(err, cb) { cb(err); };
  w.getColorDepth = (env = process.env) => colorDepth(w.isTTY, env);
  w.hasColors = (count = 16, env = process.env) => {
    if (typeof count === 'object') { env = count; count = 16; }
    return 2 ** colorDepth(w.isTTY, env) >= count;
  };
  return w;
}

// colorDepth follows Node's tty.WriteStream#getColorDepth for the common
// cases: FORCE_COLOR and NO_COLOR first, then the terminal type.
function colorDepth(isTTY, env) {
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '' || force === '1' || force === 'true') return 4;
    if (force === '2') return 8;
    if (force === '3') return 24;
    return 1;
  }
  if (env.NODE_DISABLE_COLORS !== undefined || env.NO_COLOR !== undefined || env.TERM === 'dumb' || !isTTY) return 1;
  if (env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit') return 24;
  if (env.TERM && /256/.test(env.TERM)) return 8;
  return 4;
}

// process.stdin reads fd 0 on a goroutine, chunk by chunk.
function makeStdin() {
  const s = stream();
  if (!s) return makeLegacyStdin();
  const fsb = internalBinding('fs');
  const r = new s.Readable({
    highWaterMark: 65536,
    read(n) {
      const B = globalThis.Buffer;
      const buf = B ? B.allocUnsafe(65536) : new Uint8Array(65536);
      fsb.read(0, buf, 0, 65536, null, (err, bytes) => {
        if (err) return this.destroy(err);
        if (bytes === 0) return this.push(null);
        this.push(bytes === buf.length ? buf : buf.subarray(0, bytes));
      });
    },
  });
  r.fd = 0;
  r.isTTY = binding.isatty(0);
  r.setRawMode = function setRawMode() { return this; };
  r.ref = function ref() { return this; };
  r.unref = function unref() { return this; };
  return r;
}

let stdout, stderr, stdin;
Object.defineProperty(process, 'stdout', {
  get() { return stdout || (stdout = makeStdioWriter(1, binding.writeStdout)); },
  configurable: true, enumerable: true,
});
Object.defineProperty(process, 'stderr', {
  get() { return stderr || (stderr = makeStdioWriter(2, binding.writeStderr)); },
  configurable: true, enumerable: true,
});
Object.defineProperty(process, 'stdin', {
  get() { return stdin || (stdin = makeStdin()); },
  configurable: true, enumerable: true,
});

function makeLegacyStdin() {
  const stdin = Object.create(EventEmitter.prototype);
  EventEmitter.call(stdin);
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    const { setImmediate } = require('timers');
    setImmediate(() => {
      const data = binding.readStdin();
      const B = globalThis.Buffer;
      const chunk = B ? B.from(data.buffer, data.byteOffset, data.length) : data;
      if (data.length) stdin.emit('data', stdin._encoding ? chunk.toString(stdin._encoding) : chunk);
      stdin.emit('end');
      stdin.emit('close');
    });
  };
  Object.assign(stdin, {
    fd: 0,
    isTTY: false,
    readable: true,
    setEncoding(enc) { this._encoding = enc; return this; },
    resume() { start(); return this; },
    pause() { return this; },
    setRawMode() { return this; },
    ref() { return this; },
    unref() { return this; },
  });
  const on = stdin.on;
  stdin.on = stdin.addListener = function (name, fn) {
    if (name === 'data' || name === 'end' || name === 'readable') start();
    return on.call(this, name, fn);
  };
  return stdin;
}

// ---- signals -------------------------------------------------------------------

const kSignals = new Set(['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGTERM', 'SIGUSR1', 'SIGUSR2', 'SIGPIPE', 'SIGWINCH', 'SIGCHLD', 'SIGCONT', 'SIGTSTP', 'SIGALRM']);
process.on('newListener', (name) => {
  if (kSignals.has(name) && process.listenerCount(name) === 0) binding.watchSignal(name, true);
});
process.on('removeListener', (name) => {
  if (kSignals.has(name) && process.listenerCount(name) === 0) binding.watchSignal(name, false);
});
process._emitSignal = function emitSignal(name) {
  process.emit(name, name);
};

// ---- warnings ----------------------------------------------------------------

const warned = new Set();
process.emitWarning = function emitWarning(warning, type, code, ctor) {
  let opts = {};
  if (type !== null && typeof type === 'object') { opts = type; type = opts.type; code = opts.code; }
  if (typeof warning === 'string') {
    const w = new Error(warning);
    w.name = type || 'Warning';
    if (code !== undefined) w.code = code;
    if (opts.detail !== undefined) w.detail = opts.detail;
    warning = w;
  }
  if (warning.name === 'DeprecationWarning') {
    if (process.noDeprecation) return;
    if (warning.code && warned.has(warning.code)) return;
    if (warning.code) warned.add(warning.code);
    if (process.throwDeprecation) throw warning;
  }
  nextTick(() => {
    process.emit('warning', warning);
  });
};

let warningOutputHooked = false;
function onWarning(w) {
  const code = w.code ? `[${w.code}] ` : '';
  let msg = `(node:${process.pid}) ${code}${w.name}: ${w.message}\n`;
  if (!warningOutputHooked) {
    warningOutputHooked = true;
    const flag = w.name === 'DeprecationWarning' ? '--trace-deprecation' : '--trace-warnings';
    msg += `(Use \`node ${flag} ...\` to show where the warning was created)\n`;
  }
  if (w.detail) msg += w.detail + '\n';
  binding.writeStderr(msg);
}
process.on('warning', onWarning);

// ---- nextTick, microtasks and promise rejections -----------------------------

// The queue holds two slots per tick: the callback and its one argument.
// A tick without arguments has kNoArg in the argument slot (a callback
// can tell f() from f(undefined)); one with two or more has callArgs as
// its callback and the arguments array, the callback appended, as its
// argument. No object is made per tick of up to one argument and the
// callback is called without a spread (both cost more than the call
// itself under an interpreter). tickInfo[0] tells the Go side
// (runtime.go, afterCallback) that ticks are queued.
const tickQueue = [];
let tickHead = 0;
const kNoArg = { __proto__: null };
function callArgs(args) {
  const callback = args.pop();
  if (args.length === 2) callback(args[0], args[1]);
  else if (args.length === 3) callback(args[0], args[1], args[2]);
  else Reflect.apply(callback, undefined, args);
}
const tickInfo = new Int32Array(internalBinding('ticks').buffer, 0, 2);

// asyncContext is internal/async_context once AsyncLocalStorage or
// AsyncResource was first used (it calls process._setAsyncContext): a tick
// queued while a frame is current runs in that frame. Checking here
// instead of wrapping process.nextTick keeps the common no-frame call at
// one comparison. The rest parameter stays: QuickJS allocates an
// arguments object just as it does the rest array, and named parameters
// alone would lose the difference between nextTick(f) and
// nextTick(f, undefined) that callbacks can observe; for two or more
// arguments the array is the one the queue keeps.
let asyncContext = null;
// framesOn turns true when an AsyncLocalStorage frame is first entered
// (async_context's onFirstEnter): until then no frame can be current, and
// the ticks queued here skip asking for it (a call per tick). Loading
// async_hooks (Express's on-finished makes an AsyncResource per request)
// sets asyncContext but enters no frame.
let framesOn = false;
function nextTick(callback, ...args) {
  if (typeof callback !== 'function') {
    var e = new TypeError(`The "callback" argument must be of type function. Received ${describe(callback)}`);
    e.code = 'ERR_INVALID_ARG_TYPE';
    throw e;
  }
  if (process._exiting) return;
  if (framesOn && asyncContext.getFrame() !== null) callback = asyncContext.bindCurrent(callback);
  var q = tickQueue;
  var len = q.length;
  var n = args.length;
  if (n === 1) {
    q[len] = callback;
    q[len + 1] = args[0];
  } else if (n === 0) {
    q[len] = callback;
    q[len + 1] = kNoArg;
  } else {
    args.push(callback);
    q[len] = callArgs;
    q[len + 1] = args;
  }
  tickInfo[0] = 1;
}
process.nextTick = nextTick;

// nextTick1 is nextTick(callback, arg) for lib code: no rest array, and
// index stores (appends to a plain array, in place) instead of a push
// call.
function nextTick1(callback, arg) {
  if (process._exiting) return;
  var q = tickQueue;
  var len = q.length;
  q[len] = callback;
  q[len + 1] = arg;
  tickInfo[0] = 1;
}

// tick1 is nextTick(callback, arg) for lib code (the stream internals,
// the HTTP server): no rest array, no argument checks, and the callback
// bound to the current AsyncLocalStorage frame only when one is current.
// Node's lib calls the process.nextTick property, so a program (or an
// instrumentation module) that replaced it sees those ticks: then the
// replacement is called.
function tick1(callback, arg) {
  if (process._exiting) return;
  if (process.nextTick !== nextTick) {
    process.nextTick(callback, arg);
    return;
  }
  if (framesOn && asyncContext.getFrame() !== null) callback = asyncContext.bindCurrent(callback);
  var q = tickQueue;
  var len = q.length;
  q[len] = callback;
  q[len + 1] = arg;
  tickInfo[0] = 1;
}

// tickTail(callback, arg) is tick1(callback, arg) for the very last step
// of a tick (nothing observable may follow it in the tick): when the tick
// running is the last one queued, callback(arg) would be the next thing to
// run (nothing runs between two ticks, and the microtasks wait for the
// queue to drain), so it is called at once: the queue's append and the
// loop's turn for it (some sixty bytecode ops) are saved. Not while an
// AsyncLocalStorage frame could be current (tick1 binds to it) or
// process.nextTick is replaced (its replacement sees the tick). An error
// thrown reaches runTicks as the queued tick's would (the stack holds the
// caller's frames too).
function tickTail(callback, arg) {
  if (draining && tickHead === tickQueue.length && !framesOn && process.nextTick === nextTick && !process._exiting) {
    callback(arg);
    return;
  }
  tick1(callback, arg);
}

// The fallback queueMicrotask, for runtimes whose timers binding has no
// native `microtask` (timers.js replaces this one with the native twin,
// which queues on the engine's job queue directly, when it loads): each
// job is a reaction on one already resolved promise, queued at once as one
// on a fresh Promise.resolve() would be, without a promise per call.
const resolvedPromise = Promise.resolve();

process._queueMicrotask = function queueMicrotask(callback) {
  if (typeof callback !== 'function') {
    const e = new TypeError(`The "callback" argument must be of type function. Received ${describe(callback)}`);
    e.code = 'ERR_INVALID_ARG_TYPE';
    throw e;
  }
  resolvedPromise.then(() => {
    try {
      callback();
    } catch (err) {
      process._onUncaughtException(err, 'uncaughtException');
    }
  });
};

// runTicks runs the queued ticks, including those they queue. Every
// bytecode operation here is paid per tick (the interpreter's price per
// operation is the HTTP server's main cost), so: one try around the loop
// rather than one per tick (a throw is reported and the loop re-entered),
// one comparison to tell a one-argument tick (stream and HTTP internals)
// from one without, and no clearing of consumed slots (the whole queue
// is dropped when it drains; a long one, of ticks that keep queueing
// ticks, loses its consumed half past 4096 slots). tickHead is read
// afresh for every tick, so the loop stays right even if a tick were to
// run the queue itself. (Locals are var in the functions here: a let or
// const costs an operation more when the function is entered.)
// draining: runTicks is running (for tickTail).
var draining = false;
function runTicks() {
  var q = tickQueue;
  var outer = draining;
  draining = true;
  try {
    for (;;) {
      try {
        var i;
        while ((i = tickHead) < q.length) {
          var callback = q[i];
          var arg = q[i + 1];
          tickHead = i + 2;
          if (i > 4094 && i * 2 > q.length) {
            q.splice(0, i + 2);
            tickHead = 0;
          }
          if (arg !== kNoArg) callback(arg);
          else callback();
        }
        break;
      } catch (err) {
        process._onUncaughtException(err, 'uncaughtException');
      }
    }
  } finally {
    draining = outer;
  }
  q.length = 0;
  tickHead = 0;
  tickInfo[0] = 0;
}

// Node's processTicksAndRejections: run every queued tick, then the
// microtasks, then report unhandled rejections; repeat until all three
// are quiet. The event loop runs the same steps from Go (runTicks and
// processPromiseRejections are its hooks).
process._processTicksAndRejections = function processTicksAndRejections() {
  do {
    runTicks();
    binding.runMicrotasks();
  } while (tickHead < tickQueue.length || processPromiseRejections());
};
// The Go side's hooks (bootstrap.js exports them), nextTick1 and tick1 for
// lib code, hidden from Object.keys(process).
Object.defineProperty(process, '_nextTick1', { value: nextTick1, configurable: true, writable: true });
Object.defineProperty(process, '_tick1', { value: tick1, configurable: true, writable: true });
Object.defineProperty(process, '_tickTail', { value: tickTail, configurable: true, writable: true });
Object.defineProperty(process, '_setAsyncContext', {
  value(ctx) {
    asyncContext = ctx;
    if (typeof ctx.onFirstEnter === 'function') ctx.onFirstEnter(() => { framesOn = true; });
    else framesOn = true;
  },
  configurable: true,
  writable: true,
});
Object.defineProperty(process, '_runTicks', { value: runTicks, configurable: true, writable: true });
Object.defineProperty(process, '_processPromiseRejections', { value: processPromiseRejections, configurable: true, writable: true });

const pendingRejections = new Map();
const reportedRejections = new WeakSet();

function processPromiseRejections() {
  if (!binding.hasRejections()) return false;
  const list = binding.takeRejections();
  for (let i = 0; i < list.length; i += 3) {
    const promise = list[i];
    const reason = list[i + 1];
    const handled = list[i + 2];
    if (!handled) {
      pendingRejections.set(promise, reason);
    } else if (pendingRejections.has(promise)) {
      pendingRejections.delete(promise);
    } else if (reportedRejections.has(promise)) {
      nextTick(() => process.emit('rejectionHandled', promise));
    }
  }
  let any = false;
  for (const [promise, reason] of pendingRejections) {
    pendingRejections.delete(promise);
    reportedRejections.add(promise);
    any = true;
    if (process.listenerCount('unhandledRejection') > 0) {
      try {
        process.emit('unhandledRejection', reason, promise);
      } catch (err) {
        process._onUncaughtException(err, 'uncaughtException');
      }
      continue;
    }
    // Node's default --unhandled-rejections=throw.
    let err = reason;
    if (!(reason instanceof Error)) {
      err = new Error('This error originated either by throwing inside of an async function without a catch block, ' +
        'or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason ' +
        `"${inspectValue(reason)}".`);
      err.name = 'UnhandledPromiseRejection';
      err.code = 'ERR_UNHANDLED_REJECTION';
      setStackOnly(err, `${err.name}: ${err.message}`);
    }
    process._onUncaughtException(err, 'unhandledRejection');
  }
  return any;
}

function setStackOnly(err, stack) {
  Object.defineProperty(err, 'stack', { value: stack, writable: true, configurable: true });
}

// ---- uncaught exceptions -------------------------------------------------------

let handlingUncaught = false;
process._onUncaughtException = function onUncaughtException(err, origin) {
  if (process._exiting) return;
  if (typeof process._normalizeStack === 'function') process._normalizeStack(err);
  if (process.listenerCount('uncaughtException') > 0 && !handlingUncaught) {
    handlingUncaught = true;
    try {
      process.emit('uncaughtException', err, origin);
    } catch (err2) {
      // Node exits with 7 at once, without 'exit' events.
      handlingUncaught = false;
      if (typeof process._normalizeStack === 'function') process._normalizeStack(err2);
      printUncaught(err2);
      process._exiting = true;
      binding.reallyExit(7);
    }
    handlingUncaught = false;
    return;
  }
  // In a worker thread the parent's Worker emits 'error' instead.
  if (typeof process._workerFatal === 'function') process._workerFatal(err);
  else printUncaught(err, origin);
  process.exitCode = 1;
  process.exit(1);
};

function printUncaught(err, origin) {
  let out = '';
  const loc = throwLocation(err);
  if (loc) out += loc + '\n';
  if (err instanceof Error || (err && typeof err === 'object' && typeof err.stack === 'string')) {
    let body = typeof err.stack === 'string' ? err.stack : String(err);
    const extra = extraProps(err);
    if (extra) body += ' ' + extra;
    out += body + '\n';
  } else {
    out += `Uncaught ${inspectValue(err)}\n`;
    if (origin !== 'unhandledRejection') out += '(Use `node --trace-uncaught ...` to show where the exception was thrown)\n';
  }
  out += `\nNode.js ${process.version}\n`;
  binding.writeStderr(out);
}

// throwLocation renders "file:line\nsource\n   ^\n" from the first frame.
function throwLocation(err) {
  if (!err || typeof err !== 'object' || typeof err.stack !== 'string') return '';
  const m = /\n\s+at (?:.*? \()?((?:\/|node:|file:|\[)[^()]*?):(\d+)(?::(\d+))?\)?$/.exec('\n' + err.stack.split('\n').filter((l) => /^\s+at /.test(l))[0]);
  if (!m) return '';
  const file = m[1];
  const line = +m[2];
  const col = m[3] ? +m[3] : 1;
  const src = binding.readSourceLine(file, line);
  if (src === undefined) return '';
  return `${file}:${line}\n${src}\n${' '.repeat(Math.max(0, col - 1))}^\n`;
}

function extraProps(err) {
  const keys = Object.keys(err).filter((k) => k !== 'stack' && k !== 'message');
  if (keys.length === 0) return '';
  try {
    const util = require('util');
    if (util && typeof util.inspect === 'function') {
      const s = util.inspect(err);
      const i = s.lastIndexOf(' {\n');
      return i >= 0 ? s.slice(i + 1) : '';
    }
  } catch { /* fall back below */ }
  return '{\n' + keys.map((k) => `  ${k}: ${inspectValue(err[k])}`).join(',\n') + '\n}';
}

function inspectValue(v) {
  try {
    const util = require('util');
    if (util && typeof util.inspect === 'function') return util.inspect(v);
  } catch { /* fall back below */ }
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'symbol') return v.toString();
  if (v && typeof v === 'object') {
    try { return JSON.stringify(v); } catch { return String(v); }
  }
  return String(v);
}

function describe(v) {
  if (v == null) return String(v);
  if (typeof v === 'function') return `function ${v.name}`;
  if (typeof v === 'object') return 'an instance of ' + ((v.constructor && v.constructor.name) || 'Object');
  let s = typeof v === 'string' ? `'${v}'` : String(v);
  if (s.length > 28) s = s.slice(0, 25) + '...';
  return `type ${typeof v} (${s})`;
}

module.exports = process;
