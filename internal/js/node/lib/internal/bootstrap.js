'use strict';
// Evaluated once by the Go runtime (js/runtime) before any user code. It
// builds the loader for lib files, polyfills the V8-only Error APIs npm
// packages rely on, installs Node's globals and exports the hooks the Go
// side calls: runMain, runEval, processTicksAndRejections, runTicks,
// processRejections, onUncaughtException, emitBeforeExit, emitExit,
// builtinExportNames, cjsExportNames.

const natives = internalBinding('natives');

// ---- lib file loader -------------------------------------------------------

const libCache = new Map();

function requireLib(id) {
  if (id.startsWith('node:')) id = id.slice(5);
  const cached = libCache.get(id);
  if (cached !== undefined) return cached.exports;
  const fn = natives.compile(id);
  if (fn === undefined) {
    const err = new Error(`Cannot find module '${id}'`);
    err.code = 'MODULE_NOT_FOUND';
    throw err;
  }
  const mod = { id, exports: {}, loaded: false };
  libCache.set(id, mod);
  try {
    fn.call(mod.exports, mod.exports, requireLib, mod, internalBinding, undefined);
  } catch (e) {
    libCache.delete(id);
    throw e;
  }
  mod.loaded = true;
  return mod.exports;
}

// tryLib loads a lib file that may not exist yet (others' work in
// progress): the runtime degrades instead of failing to start.
function tryLib(id) {
  return natives.exists(id) ? requireLib(id) : undefined;
}

tryLib('internal/engine_fixes');
tryLib('internal/json_fast');

// ---- Error: V8's stack format and stack-trace APIs -------------------------
//
// QuickJS's err.stack holds only the frames ("    at f (file:1:2)"); V8
// puts "Name: message" first and offers Error.captureStackTrace,
// Error.stackTraceLimit and Error.prepareStackTrace (callsite objects),
// which depd, express and others use. Each native error constructor is
// wrapped so constructed errors get V8's shape; the prototypes stay the
// same, so engine-thrown errors are still instanceof the wrappers.

const OrigError = Error;
const kFrameRE = /^\s*at (?:(.*?) \()?(.*?)(?::(\d+))?(?::(\d+))?\)?$/;

function headerOf(err) {
  let name, message;
  try { name = err.name; } catch { name = undefined; }
  try { message = err.message; } catch { message = undefined; }
  name = name === undefined ? 'Error' : String(name);
  message = message === undefined ? '' : String(message);
  if (!name) return message;
  if (!message) return name;
  return `${name}: ${message}`;
}

class CallSite {
  constructor(fn, file, line, col, native) {
    this._fn = fn; this._file = file; this._line = line; this._col = col; this._native = native;
  }
  getThis() { return undefined; }
  getTypeName() { return null; }
  getFunction() { return undefined; }
  getFunctionName() { return this._fn || null; }
  getMethodName() { return null; }
  getFileName() { return this._file || undefined; }
  getLineNumber() { return this._line; }
  getColumnNumber() { return this._col; }
  getEvalOrigin() { return undefined; }
  getScriptNameOrSourceURL() { return this._file; }
  isToplevel() { return !this._fn; }
  isEval() { return false; }
  isNative() { return this._native; }
  isConstructor() { return false; }
  isAsync() { return false; }
  isPromiseAll() { return false; }
  getPromiseIndex() { return null; }
  toString() {
    const loc = this._native ? 'native' : `${this._file}:${this._line}:${this._col}`;
    return this._fn ? `${this._fn} (${loc})` : loc;
  }
}

let modBinding;
function moduleBinding() {
  return modBinding || (modBinding = internalBinding('module'));
}

function parseFrames(stack) {
  const out = [];
  for (const line of String(stack || '').split('\n')) {
    if (!/^\s*at /.test(line)) continue;
    const m = kFrameRE.exec(line);
    if (!m) continue;
    let fn = m[1];
    let file = m[2];
    if (m[1] === undefined && !line.includes('(')) { fn = undefined; }
    if (fn === '<eval>' || fn === '<anonymous>') fn = undefined;
    const native = file === 'native';
    let lineNo = m[3] ? +m[3] : null;
    let col = m[4] ? +m[4] : null;
    if (!native && lineNo !== null && /\.[cm]?tsx?$/.test(file)) {
      // TypeScript runs stripped: map back to the .ts source lines.
      const pos = moduleBinding().mapPosition(file, lineNo, col || 1);
      if (pos) [lineNo, col] = pos;
    }
    out.push({ line, fn, file: native ? undefined : file, lineNo, col, native });
  }
  return out;
}

// QuickJS frames read "at <eval> (file:1:2)" for top-level code; V8 says
// "at Object.<anonymous> (file:1:2)" in a CommonJS module and
// "at file:1:2" in an ES module. Keep QuickJS's own wording except for
// <eval>, which user code never sees in Node.
function frameText(f) {
  if (f.native) return `    at ${f.fn || '<anonymous>'} (native)`;
  const loc = `${f.file}:${f.lineNo}${f.col != null ? `:${f.col}` : ''}`;
  return f.fn ? `    at ${f.fn} (${loc})` : `    at ${loc}`;
}

// dropInternalFrames removes the frames of the wrapper constructors (and
// the native frames under them) from the top of a stack.
function dropInternalFrames(frames) {
  let i = 0;
  while (i < frames.length && (frames[i].native || frames[i].file === 'node:internal/bootstrap')) i++;
  return frames.slice(i);
}

let inPrepare = false;
function buildStack(err, frames) {
  const limit = OrigError.stackTraceLimit;
  if (typeof limit === 'number' && limit >= 0 && frames.length > limit) frames = frames.slice(0, limit);
  const prep = OrigError.prepareStackTrace;
  if (typeof prep === 'function' && !inPrepare) {
    inPrepare = true;
    try {
      return prep(err, frames.map((f) => new CallSite(f.fn, f.file, f.lineNo, f.col, f.native)));
    } finally {
      inPrepare = false;
    }
  }
  let s = headerOf(err);
  for (const f of frames) s += '\n' + frameText(f);
  return s;
}

function setStack(err, stack) {
  try {
    Object.defineProperty(err, 'stack', { value: stack, writable: true, configurable: true, enumerable: false });
  } catch { /* frozen objects keep theirs */ }
}

// lazyStack formats err.stack on first access, as V8 does: a name set
// after construction (this.name = 'MyErr' in a subclass) shows in the
// header, and Error.prepareStackTrace runs then. raw is QuickJS's stack
// text or already parsed frames.
function lazyStack(err, raw) {
  let value;
  let done = false;
  try {
    Object.defineProperty(err, 'stack', {
      get() {
        if (!done) {
          done = true;
          const frames = typeof raw === 'string' ? dropInternalFrames(parseFrames(raw)) : raw;
          raw = undefined;
          value = buildStack(err, frames);
        }
        return value;
      },
      set(v) {
        done = true;
        raw = undefined;
        value = v;
      },
      configurable: true,
      enumerable: false,
    });
  } catch { /* frozen objects keep theirs */ }
}

OrigError.stackTraceLimit = 10;

function wrapErrorClass(Orig, name) {
  const Wrapped = {
    [name]: function (...args) {
      const target = new.target || Wrapped;
      const err = Reflect.construct(Orig, args, target === Wrapped ? Orig : target);
      lazyStack(err, err.stack);
      return err;
    },
  }[name];
  Object.defineProperty(Wrapped, 'length', { value: Orig.length });
  Wrapped.prototype = Orig.prototype;
  Object.defineProperty(Orig.prototype, 'constructor', { value: Wrapped, writable: true, configurable: true, enumerable: false });
  if (Orig !== OrigError) Object.setPrototypeOf(Wrapped, globalThis.Error);
  for (const k of Object.getOwnPropertyNames(Orig)) {
    if (k === 'prototype' || k === 'length' || k === 'name') continue;
    Object.defineProperty(Wrapped, k, Object.getOwnPropertyDescriptor(Orig, k));
  }
  Object.defineProperty(globalThis, name, { value: Wrapped, writable: true, configurable: true, enumerable: false });
  return Wrapped;
}

const NodeError = wrapErrorClass(OrigError, 'Error');
// stackTraceLimit and prepareStackTrace are read from the original; make
// the wrapper's properties write through.
for (const k of ['stackTraceLimit', 'prepareStackTrace']) {
  Object.defineProperty(NodeError, k, {
    get() { return OrigError[k]; },
    set(v) { OrigError[k] = v; },
    enumerable: k === 'stackTraceLimit', configurable: true,
  });
}
for (const n of ['TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError']) {
  if (typeof globalThis[n] === 'function') wrapErrorClass(globalThis[n], n);
}

// QuickJS throws InternalError where V8 throws RangeError (stack
// overflow, too many arguments). Make those errors RangeErrors by
// prototype and name; the message stays QuickJS's ("stack overflow").
// Node has no InternalError global.
if (typeof globalThis.InternalError === 'function') {
  const IE = globalThis.InternalError;
  Object.setPrototypeOf(IE.prototype, globalThis.RangeError.prototype);
  Object.defineProperty(IE.prototype, 'name', { value: 'RangeError', writable: true, configurable: true, enumerable: false });
  delete globalThis.InternalError;
}

NodeError.captureStackTrace = function captureStackTrace(obj, fn) {
  if (obj === null || (typeof obj !== 'object' && typeof obj !== 'function')) {
    throw new TypeError('The "obj" argument must be of type object');
  }
  let frames = dropInternalFrames(parseFrames(new OrigError().stack));
  if (typeof fn === 'function' && fn.name) {
    const i = frames.findIndex((f) => f.fn === fn.name || (f.fn && f.fn.endsWith('.' + fn.name)));
    if (i >= 0) frames = frames.slice(i + 1);
  }
  lazyStack(obj, frames);
};

// Engine-thrown errors (TypeError from null.x, SyntaxError from eval) did
// not pass through a wrapper: give them V8's header when first needed.
function normalizeStack(err) {
  if (err === null || typeof err !== 'object') return;
  let s;
  try { s = err.stack; } catch { return; }
  if (typeof s === 'string' && (s === '' || /^\s+at /.test(s))) {
    setStack(err, buildStack(err, parseFrames(s)));
  }
}

// ---- globals ---------------------------------------------------------------

function defineGlobal(name, value, enumerable = false) {
  Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable });
}

// lazyGlobal defines a global computed on first access (keeps start-up
// fast and tolerates lib files that are not there yet).
function lazyGlobal(name, get, enumerable = false) {
  Object.defineProperty(globalThis, name, {
    configurable: true,
    enumerable,
    get() {
      const v = get();
      defineGlobal(name, v, enumerable);
      return v;
    },
    set(v) { defineGlobal(name, v, enumerable); },
  });
}

defineGlobal('global', globalThis, true);

const process = requireLib('process');
defineGlobal('process', process);

const timers = requireLib('timers');
for (const k of ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate']) {
  defineGlobal(k, timers[k], true);
}
defineGlobal('queueMicrotask', process._queueMicrotask, true);

lazyGlobal('Buffer', () => { const b = tryLib('buffer'); return b && b.Buffer; });
lazyGlobal('atob', () => { const b = tryLib('buffer'); return b && b.atob; }, true);
lazyGlobal('btoa', () => { const b = tryLib('buffer'); return b && b.btoa; }, true);
lazyGlobal('Blob', () => { const b = tryLib('buffer'); return b && b.Blob; });
defineGlobal('console', requireLib('console'));
lazyGlobal('URL', () => { const u = tryLib('url'); return u && u.URL; });
lazyGlobal('URLSearchParams', () => { const u = tryLib('url'); return u && u.URLSearchParams; });
lazyGlobal('TextEncoder', () => { const u = tryLib('util') || tryLib('internal/encoding'); return u && u.TextEncoder; });
lazyGlobal('TextDecoder', () => { const u = tryLib('util') || tryLib('internal/encoding'); return u && u.TextDecoder; });
lazyGlobal('AbortController', () => { const m = tryLib('internal/abort_controller'); return m && m.AbortController; });
lazyGlobal('AbortSignal', () => { const m = tryLib('internal/abort_controller'); return m && m.AbortSignal; });
lazyGlobal('EventTarget', () => { const m = tryLib('internal/event_target'); return m && m.EventTarget; });
lazyGlobal('Event', () => { const m = tryLib('internal/event_target'); return m && m.Event; });
lazyGlobal('CustomEvent', () => { const m = tryLib('internal/event_target'); return m && m.CustomEvent; });
lazyGlobal('DOMException', () => tryLib('internal/dom_exception'));
lazyGlobal('File', () => { const b = tryLib('buffer'); return b && b.File; });
// fetch and its classes come from lib/internal/fetch.js; Node defines fetch
// enumerable and the classes not.
for (const name of ['fetch', 'Headers', 'Request', 'Response', 'FormData']) {
  lazyGlobal(name, () => { const f = tryLib('internal/fetch'); return f && f[name]; }, name === 'fetch');
}
lazyGlobal('structuredClone', () => {
  const m = tryLib('internal/structured_clone');
  return (m && (m.structuredClone || m)) || fallbackStructuredClone;
}, true);
lazyGlobal('performance', () => {
  const p = tryLib('perf_hooks');
  return (p && p.performance) || fallbackPerformance();
}, true);
// The global crypto is the crypto module's web crypto (with subtle), as in
// Node; webCrypto is the fallback while the module cannot load.
lazyGlobal('crypto', () => { const c = tryLib('crypto'); return (c && c.webcrypto) || webCrypto(); }, true);
for (const k of ['Crypto', 'CryptoKey', 'SubtleCrypto']) {
  lazyGlobal(k, () => { const c = tryLib('crypto'); const g = c && c[Symbol.for('gnode.crypto.webGlobals')]; return g && g[k]; });
}
for (const name of ['ReadableStream', 'ReadableStreamDefaultReader', 'ReadableStreamBYOBReader',
  'ReadableStreamBYOBRequest', 'ReadableByteStreamController', 'ReadableStreamDefaultController',
  'TransformStream', 'TransformStreamDefaultController', 'WritableStream',
  'WritableStreamDefaultWriter', 'WritableStreamDefaultController', 'ByteLengthQueuingStrategy',
  'CountQueuingStrategy', 'TextEncoderStream', 'TextDecoderStream']) {
  lazyGlobal(name, () => { const w = tryLib('stream/web'); return w && w[name]; });
}

lazyGlobal('WebSocket', () => (tryLib('internal/websocket') || {}).WebSocket);
lazyGlobal('MessageEvent', () => (tryLib('internal/broadcast_channel') || {}).MessageEvent);
lazyGlobal('BroadcastChannel', () => (tryLib('internal/broadcast_channel') || {}).BroadcastChannel);

// webCrypto is the global crypto's random part (getRandomValues,
// randomUUID); crypto.subtle comes with the crypto module.
function webCrypto() {
  const rnd = internalBinding('random');
  const kInts = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, BigInt64Array, BigUint64Array];
  return {
    getRandomValues(array) {
      if (!kInts.some((C) => array instanceof C)) {
        const e = new (globalThis.DOMException || TypeError)("The data argument must be an integer-type TypedArray", 'TypeMismatchError');
        throw e;
      }
      if (array.byteLength > 65536) {
        throw new (globalThis.DOMException || RangeError)(`The ArrayBufferView's byte length (${array.byteLength}) exceeds the number of bytes of entropy available via this API (65536)`, 'QuotaExceededError');
      }
      rnd.fill(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
      return array;
    },
    randomUUID() {
      const b = new Uint8Array(16);
      rnd.fill(b);
      b[6] = (b[6] & 0x0f) | 0x40;
      b[8] = (b[8] & 0x3f) | 0x80;
      const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    },
  };
}

function fallbackStructuredClone(v) {
  const seen = new Map();
  const clone = (x) => {
    if (x === null || typeof x !== 'object') {
      if (typeof x === 'function' || typeof x === 'symbol') throw new (globalThis.DOMException || Error)(`${String(x)} could not be cloned.`, 'DataCloneError');
      return x;
    }
    if (seen.has(x)) return seen.get(x);
    let out;
    if (Array.isArray(x)) out = [];
    else if (x instanceof Date) return new Date(x.getTime());
    else if (x instanceof RegExp) return new RegExp(x.source, x.flags);
    else if (x instanceof Map) { out = new Map(); seen.set(x, out); for (const [k, v] of x) out.set(clone(k), clone(v)); return out; }
    else if (x instanceof Set) { out = new Set(); seen.set(x, out); for (const v of x) out.add(clone(v)); return out; }
    else if (ArrayBuffer.isView(x)) return new x.constructor(x);
    else if (x instanceof ArrayBuffer) return x.slice(0);
    else out = {};
    seen.set(x, out);
    for (const k of Object.keys(x)) out[k] = clone(x[k]);
    return out;
  };
  return clone(v);
}

function fallbackPerformance() {
  const origin = Date.now() - process.uptime() * 1000;
  const marks = new Map();
  return {
    timeOrigin: origin,
    now() { return process.uptime() * 1000; },
    mark(name) { marks.set(name, this.now()); },
    measure(name, a, b) { return { name, duration: (b ? marks.get(b) : this.now()) - (a ? marks.get(a) : 0) }; },
    toJSON() { return { timeOrigin: origin }; },
  };
}

// Intl (lib/internal/intl.js) loads on first use: through the global, or
// through the locale-sensitive methods it replaces.
let intlState = 0; // 0 not loaded, 1 loading or loaded
const intlStubs = new Map();
function ensureIntl() {
  if (intlState !== 0) return;
  intlState = 1;
  delete globalThis.Intl;
  for (const [proto, name, orig] of intlStubs.values()) {
    Object.defineProperty(proto, name, { value: orig, writable: true, configurable: true });
  }
  const m = tryLib('internal/intl');
  if (!m) return;
  const ib = internalBinding('intl');
  m.install(globalThis, {
    timeZone: ib.timeZone(),
    timeZoneOffset: (zone, ms) => ib.offset(zone, ms),
    canonicalZone: ib.canonicalZone ? (zone) => ib.canonicalZone(zone) : undefined,
  });
}
Object.defineProperty(globalThis, 'Intl', {
  configurable: true,
  enumerable: false,
  get() { ensureIntl(); return globalThis.Intl; },
  set(v) { ensureIntl(); defineGlobal('Intl', v); },
});
for (const [proto, name] of [
  [Number.prototype, 'toLocaleString'], [BigInt.prototype, 'toLocaleString'],
  [Date.prototype, 'toLocaleString'], [Date.prototype, 'toLocaleDateString'],
  [Date.prototype, 'toLocaleTimeString'], [String.prototype, 'localeCompare'],
]) {
  const orig = proto[name];
  const stub = { [name](...args) { ensureIntl(); return proto[name].apply(this, args); } }[name];
  Object.defineProperty(stub, 'length', { value: orig.length });
  intlStubs.set(stub, [proto, name, orig]);
  Object.defineProperty(proto, name, { value: stub, writable: true, configurable: true });
}

// JSON.parse errors carry V8's messages ("Expected property name or '}'
// in JSON at position 1"): programs and frameworks (body-parser) pass them
// to clients. QuickJS's own texts differ and have no position, so on
// failure (never on success) the text is scanned again to find V8's.
{
  const parse = JSON.parse;
  const jsonError = (text) => {
    const len = text.length;
    let i = 0;
    const fail = (msg) => { throw new SyntaxError(msg); };
    const at = (msg) => fail(`${msg} in JSON at position ${i}`);
    const unexpected = () => {
      if (i >= len) fail('Unexpected end of JSON input');
      let snip;
      if (len <= 20) snip = `"${text}"`;
      else {
        const a = Math.max(0, i - 10), b = Math.min(len, i + 10);
        snip = `${a > 0 ? '...' : ''}"${text.slice(a, b)}"${b < len ? '...' : ''}`;
      }
      fail(`Unexpected token '${text[i]}', ${snip} is not valid JSON`);
    };
    const ws = () => { while (i < len && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++; };
    const digit = () => i < len && text[i] >= '0' && text[i] <= '9';
    const str = () => {
      i++;
      for (;;) {
        if (i >= len) at('Unterminated string');
        const c = text.charCodeAt(i);
        if (c === 34) { i++; return; }
        if (c < 0x20) at('Bad control character in string literal');
        if (c === 92) {
          i++;
          if (i >= len) fail('Unexpected end of JSON input');
          const e = text[i];
          if (e === 'u') {
            for (let k = 0; k < 4; k++) {
              i++;
              if (i >= len) fail('Unexpected end of JSON input');
              if (!/[0-9a-fA-F]/.test(text[i])) at('Bad Unicode escape');
            }
          } else if (!'"\\/bfnrt'.includes(e)) at('Bad escaped character');
        }
        i++;
      }
    };
    const value = () => {
      ws();
      if (i >= len) fail('Unexpected end of JSON input');
      const c = text[i];
      if (c === '"') return str();
      if (c === '{') {
        i++; ws();
        if (text[i] === '}') { i++; return; }
        if (text[i] !== '"') at("Expected property name or '}'");
        for (;;) {
          str(); ws();
          if (text[i] !== ':') at("Expected ':' after property name");
          i++; value(); ws();
          if (text[i] === '}') { i++; return; }
          if (text[i] !== ',') at("Expected ',' or '}' after property value");
          i++; ws();
          if (text[i] !== '"') at('Expected double-quoted property name');
        }
      }
      if (c === '[') {
        i++; ws();
        if (text[i] === ']') { i++; return; }
        for (;;) {
          value(); ws();
          if (text[i] === ']') { i++; return; }
          if (text[i] !== ',') at("Expected ',' or ']' after array element");
          i++;
        }
      }
      if (c === '-' || digit()) {
        if (c === '-') { i++; if (!digit()) at('No number after minus sign'); }
        if (text[i] === '0') { i++; if (digit()) at('Unexpected number'); } else while (digit()) i++;
        if (text[i] === '.') { i++; if (!digit()) at('Unterminated fractional number'); while (digit()) i++; }
        if (text[i] === 'e' || text[i] === 'E') {
          i++;
          if (text[i] === '+' || text[i] === '-') i++;
          if (!digit()) at('Exponent part is missing a number');
          while (digit()) i++;
        }
        return;
      }
      for (const lit of ['true', 'false', 'null']) {
        if (c !== lit[0]) continue;
        for (let k = 0; k < lit.length; k++, i++) if (text[i] !== lit[k]) unexpected();
        return;
      }
      unexpected();
    };
    value(); ws();
    if (i < len) fail(`Unexpected non-whitespace character after JSON at position ${i}`);
  };
  const jsonParse = {
    parse(text, reviver) {
      try {
        return parse(text, reviver);
      } catch (err) {
        if (!(err instanceof SyntaxError)) throw err;
        if (text === undefined) throw new SyntaxError('"undefined" is not valid JSON');
        try { jsonError(String(text)); } catch (e) { if (e instanceof SyntaxError) throw e; }
        throw err;
      }
    },
  }.parse;
  Object.defineProperty(jsonParse, 'length', { value: 2 });
  Object.defineProperty(JSON, 'parse', { value: jsonParse, writable: true, configurable: true, enumerable: false });
}

// A worker thread's uncaught exception goes to its parent's Worker as an
// 'error' event (lib/worker_threads.js serializes it).
if (!internalBinding('worker').info.isMainThread) {
  process._workerFatal = (err) => {
    const w = requireLib('worker_threads');
    let wire;
    try { wire = w._serialize(err); } catch { wire = w._serialize(String(err)); }
    internalBinding('worker').reportError(wire);
  };
}

// ---- modules ---------------------------------------------------------------

const Module = requireLib('module');

// Generated ES module facades (node:fs, CommonJS files imported by ESM)
// reach CommonJS and built-ins through this symbol-keyed global.
Object.defineProperty(globalThis, Symbol.for('gnode.require'), {
  value: (id) => Module._requireForImport(id),
  enumerable: false, configurable: false, writable: false,
});

// A forked child's IPC channel (child_process.fork, cluster workers).
if (process.env.NODE_CHANNEL_FD !== undefined) requireLib('internal/child_process_ipc').setupChild();

function exportNames(obj) {
  if (obj === null || (typeof obj !== 'object' && typeof obj !== 'function')) return [];
  return Object.keys(obj);
}

// ---- hooks for the Go side -------------------------------------------------

exports.runMain = function runMain(file) {
  Module.runMain(file);
};

exports.preload = function preload(request) {
  const parent = new Module(process.cwd() + '/[preload]', null);
  parent.filename = parent.id;
  parent.paths = Module._nodeModulePaths(process.cwd());
  Module._load(request, parent, false);
};

exports.runEval = function runEval(code, print) {
  const result = Module._evalScript(code);
  if (print) console.log(result);
};

exports.processTicksAndRejections = process._processTicksAndRejections;
exports.runTicks = process._runTicks;
exports.processRejections = process._processPromiseRejections;

exports.onUncaughtException = function onUncaughtException(err) {
  normalizeStack(err);
  process._onUncaughtException(err, 'uncaughtException');
};

exports.emitBeforeExit = function emitBeforeExit() {
  process.emit('beforeExit', process.exitCode || 0);
};

exports.emitExit = function emitExit() {
  process._emitExit();
};

exports.emitSignal = function emitSignal(name) {
  process._emitSignal(name);
};

exports.builtinExportNames = function builtinExportNames(id) {
  return exportNames(Module._requireBuiltin(id));
};

exports.cjsExportNames = function cjsExportNames(file) {
  return exportNames(Module._requireForImport(file));
};

// The libtest harness (internal/js/node/libtest) runs its differential
// tests under gnode through this hook, set only for its runs.
if (process.env.LIBTEST_GOLDEN) {
  Object.defineProperty(globalThis, '__gnodeLibtest', {
    value: { loadLib: (id) => requireLib(id) },
    enumerable: false, configurable: true, writable: true,
  });
}

process._normalizeStack = normalizeStack;
process._requireLib = requireLib;
process._tryLib = tryLib;
