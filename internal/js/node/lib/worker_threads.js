'use strict';
// worker_threads: each Worker is a separate gnode run (its own VM, event
// loop and goroutine; internalBinding('worker'), bindings/worker.md).
// Messages cross threads as strings made by serialize() below, which
// follows the structured clone algorithm for the types Node programs send.

const EventEmitter = require('events');
const binding = internalBinding('worker');
const { info } = binding;

const isMainThread = info.isMainThread;
const threadId = info.threadId;

function dataCloneError(msg) {
  const DOMException = globalThis.DOMException;
  if (typeof DOMException === 'function') return new DOMException(msg, 'DataCloneError');
  const e = new Error(msg);
  e.name = 'DataCloneError';
  return e;
}

const typedArrayNames = ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array',
  'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array'];
const TypedArray = Object.getPrototypeOf(Uint8Array);
const errorNames = new Set(['Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError']);

function bytesToLatin1(u8) {
  let s = '';
  for (let i = 0; i < u8.length; i += 8192) s += String.fromCharCode.apply(null, u8.subarray(i, i + 8192));
  return s;
}

function latin1ToBuffer(s) {
  const ab = new ArrayBuffer(s.length);
  const u8 = new Uint8Array(ab);
  for (let i = 0; i < s.length; i++) u8[i] = s.charCodeAt(i);
  return ab;
}

// serialize returns the wire string of value; ArrayBuffers in transferList
// are detached afterwards, as transfer does.
function serialize(value, transferList) {
  const seen = new Map();
  const enc = (v) => {
    switch (typeof v) {
      case 'string': case 'boolean': return v;
      case 'number': return Number.isFinite(v) && !Object.is(v, -0) ? v : { t: 'n', v: String(Object.is(v, -0) ? '-0' : v) };
      case 'undefined': return { t: 'u' };
      case 'bigint': return { t: 'b', v: v.toString() };
      case 'symbol': throw dataCloneError(`${String(v)} could not be cloned.`);
      case 'function': throw dataCloneError(`${v.toString().slice(0, 60)} could not be cloned.`);
    }
    if (v === null) return null;
    if (seen.has(v)) return { t: 'r', i: seen.get(v) };
    const id = seen.size;
    seen.set(v, id);
    if (Array.isArray(v)) {
      const out = [];
      for (let i = 0; i < v.length; i++) out.push(enc(v[i]));
      return { t: 'a', i: id, v: out };
    }
    if (v instanceof ArrayBuffer) return { t: 'ab', i: id, v: bytesToLatin1(new Uint8Array(v)) };
    if (ArrayBuffer.isView(v)) {
      const name = v instanceof DataView ? 'DataView' : typedArrayNames.find((n) => v instanceof globalThis[n]) || 'Uint8Array';
      const len = v instanceof DataView ? v.byteLength : v.length;
      return { t: 'ta', i: id, c: name, b: enc(v.buffer), o: v.byteOffset, l: len };
    }
    if (v instanceof Date) return { t: 'd', i: id, v: v.getTime() };
    if (v instanceof RegExp) return { t: 'x', i: id, s: v.source, f: v.flags };
    if (v instanceof Map) {
      const out = { t: 'm', i: id, v: [] };
      for (const [k, x] of v) out.v.push(enc(k), enc(x));
      return out;
    }
    if (v instanceof Set) {
      const out = { t: 's', i: id, v: [] };
      for (const x of v) out.v.push(enc(x));
      return out;
    }
    if (v instanceof Error) {
      const out = { t: 'e', i: id, n: errorNames.has(v.name) ? v.name : 'Error', m: String(v.message), s: String(v.stack) };
      if ('cause' in v) out.c = enc(v.cause);
      if (v.code !== undefined) out.k = enc(v.code);
      return out;
    }
    if (v instanceof Promise || v instanceof WeakMap || v instanceof WeakSet) {
      throw dataCloneError(`#<${v.constructor.name}> could not be cloned.`);
    }
    if (v instanceof Boolean || v instanceof Number || v instanceof String) {
      return { t: 'w', i: id, v: enc(v.valueOf()) };
    }
    const out = { t: 'o', i: id, v: {} };
    for (const k of Object.keys(v)) out.v[k] = enc(v[k]);
    return out;
  };
  const s = JSON.stringify(enc(value));
  if (transferList) {
    for (const t of transferList) {
      if (t instanceof ArrayBuffer) t.transfer();
      else if (t instanceof MessagePort) throw dataCloneError('transferring a MessagePort to another thread is not supported by gnode yet');
    }
  }
  return s;
}

function deserialize(s) {
  const objs = [];
  const dec = (v) => {
    if (v === null || typeof v !== 'object') return v;
    switch (v.t) {
      case 'n': return v.v === '-0' ? -0 : Number(v.v);
      case 'u': return undefined;
      case 'b': return BigInt(v.v);
      case 'r': return objs[v.i];
      case 'a': { const a = []; objs[v.i] = a; for (const x of v.v) a.push(dec(x)); return a; }
      case 'ab': return (objs[v.i] = latin1ToBuffer(v.v));
      case 'ta': { const b = dec(v.b); return (objs[v.i] = new globalThis[v.c](b, v.o, v.l)); }
      case 'd': return (objs[v.i] = new Date(v.v));
      case 'x': return (objs[v.i] = new RegExp(v.s, v.f));
      case 'm': { const m = new Map(); objs[v.i] = m; for (let i = 0; i < v.v.length; i += 2) m.set(dec(v.v[i]), dec(v.v[i + 1])); return m; }
      case 's': { const m = new Set(); objs[v.i] = m; for (const x of v.v) m.add(dec(x)); return m; }
      case 'e': {
        const E = globalThis[v.n] || Error;
        const e = Object.create(E.prototype);
        objs[v.i] = e;
        Object.defineProperty(e, 'message', { value: v.m, writable: true, configurable: true });
        Object.defineProperty(e, 'stack', { value: v.s, writable: true, configurable: true });
        if ('c' in v) Object.defineProperty(e, 'cause', { value: dec(v.c), writable: true, configurable: true });
        if ('k' in v) e.code = dec(v.k);
        return e;
      }
      case 'w': return (objs[v.i] = Object(dec(v.v)));
      case 'o': { const o = {}; objs[v.i] = o; for (const k of Object.keys(v.v)) o[k] = dec(v.v[k]); return o; }
    }
    return undefined;
  };
  return dec(JSON.parse(s));
}

// ---- MessagePort / MessageChannel (within one thread) ----------------------

const kOther = Symbol('kOther');
const kClosed = Symbol('kClosed');
const kQueue = Symbol('kQueue');
const kStarted = Symbol('kStarted');

class MessagePort extends EventEmitter {
  constructor() {
    super();
    this[kOther] = null;
    this[kClosed] = false;
    this[kQueue] = [];
    this[kStarted] = false;
    this.on('newListener', (name) => { if (name === 'message') queueMicrotask(() => this.start()); });
  }
  postMessage(value, transferList) {
    if (this[kClosed]) return;
    if (transferList !== undefined && !Array.isArray(transferList) && transferList && transferList.transfer) transferList = transferList.transfer;
    const wire = serialize(value, transferList);
    const other = this[kOther];
    if (!other || other[kClosed]) return;
    other[kQueue].push(wire);
    if (other[kStarted]) other._drainSoon();
  }
  start() {
    if (this[kStarted]) return;
    this[kStarted] = true;
    this._drainSoon();
  }
  _drainSoon() {
    if (this[kQueue].length === 0) return;
    setImmediate(() => {
      while (this[kQueue].length > 0 && !this[kClosed]) {
        const data = deserialize(this[kQueue].shift());
        this.emit('message', data);
      }
    });
  }
  close() {
    // The other side hears of it only once started (as in Node, a port
    // that never had a 'message' listener gets no 'close').
    for (const p of [this, this[kOther]]) {
      if (!p || p[kClosed] || (p !== this && !p[kStarted])) continue;
      p[kClosed] = true;
      setImmediate(() => p.emit('close'));
    }
  }
  ref() { return this; }
  unref() { return this; }
  addEventListener(name, fn) {
    const w = (data) => fn.call(this, { type: name, data, target: this });
    w.listener = fn;
    this.on(name, w);
  }
  removeEventListener(name, fn) {
    for (const l of this.rawListeners(name)) if (l.listener === fn) { this.removeListener(name, l); return; }
  }
  set onmessage(fn) { this.removeAllListeners('message'); if (typeof fn === 'function') this.addEventListener('message', fn); }
}

class MessageChannel {
  constructor() {
    this.port1 = new MessagePort();
    this.port2 = new MessagePort();
    this.port1[kOther] = this.port2;
    this.port2[kOther] = this.port1;
  }
}

// ---- parentPort (inside a worker) ------------------------------------------

let parentPort = null;
let workerData;
if (!isMainThread) {
  workerData = deserialize(info.workerData);
  parentPort = new EventEmitter();
  parentPort.postMessage = (value, transferList) => {
    if (transferList !== undefined && !Array.isArray(transferList) && transferList && transferList.transfer) transferList = transferList.transfer;
    binding.postToParent(serialize(value, transferList));
  };
  parentPort.close = () => binding.refParent(false);
  parentPort.ref = () => binding.refParent(parentPort.listenerCount('message') > 0);
  parentPort.unref = () => binding.refParent(false);
  parentPort.start = () => {};
  parentPort.addEventListener = MessagePort.prototype.addEventListener;
  parentPort.removeEventListener = MessagePort.prototype.removeEventListener;
  const refresh = () => queueMicrotask(() => binding.refParent(parentPort.listenerCount('message') > 0));
  parentPort.on('newListener', (n) => { if (n === 'message') binding.refParent(true); });
  parentPort.on('removeListener', (n) => { if (n === 'message') refresh(); });
  binding.setParentHandler((kind, payload) => {
    if (kind === 'message') parentPort.emit('message', deserialize(payload));
  });
}

// ---- Worker ----------------------------------------------------------------

const workers = new Map();
let handlerSet = false;

function onWorkerEvent(id, kind, payload) {
  const w = workers.get(id);
  if (!w) return;
  switch (kind) {
    case 'online': w.emit('online'); break;
    case 'message': w.emit('message', deserialize(payload)); break;
    case 'error': w._errored = true; w.emit('error', deserialize(payload)); break;
    case 'exit': {
      workers.delete(id);
      const code = Number(payload);
      w.threadId = -1;
      w.emit('exit', code);
      for (const r of w._terminating) r(code);
      w._terminating = [];
      break;
    }
  }
}

class Worker extends EventEmitter {
  constructor(filename, options = {}) {
    super();
    if (typeof filename !== 'string' && !(filename instanceof URL)) {
      const { ERR_INVALID_ARG_TYPE } = require('internal/errors').codes;
      throw new ERR_INVALID_ARG_TYPE('filename', ['string', 'URL'], filename);
    }
    let isEval = !!options.eval;
    if (filename instanceof URL) {
      if (filename.protocol === 'data:') throw new Error('data: URLs are not supported by gnode workers yet');
      filename = require('url').fileURLToPath(filename);
    } else if (!isEval && !require('path').isAbsolute(filename) && !/^\.\.?[\\/]/.test(filename)) {
      const e = new TypeError(`The worker script or module filename must be an absolute path or a relative path starting with './' or '../'. Received "${filename}"`);
      e.code = 'ERR_WORKER_PATH';
      throw e;
    }
    const data = serialize(options.workerData, options.transferList);
    const argv = Array.isArray(options.argv) ? options.argv.map(String) : [];
    if (!handlerSet) {
      handlerSet = true;
      binding.setWorkerHandler(onWorkerEvent);
    }
    this._terminating = [];
    this.threadId = binding.spawn(filename, isEval, data, JSON.stringify(argv));
    workers.set(this.threadId, this);
  }
  postMessage(value, transferList) {
    if (transferList !== undefined && !Array.isArray(transferList) && transferList && transferList.transfer) transferList = transferList.transfer;
    if (this.threadId < 0) return;
    binding.post(this.threadId, serialize(value, transferList));
  }
  terminate(cb) {
    const p = new Promise((resolve) => {
      if (this.threadId < 0) { resolve(undefined); return; }
      this._terminating.push(resolve);
      binding.terminate(this.threadId);
    });
    if (typeof cb === 'function') p.then((c) => cb(null, c), cb);
    return p;
  }
  ref() { if (this.threadId >= 0) binding.ref(this.threadId, true); }
  unref() { if (this.threadId >= 0) binding.ref(this.threadId, false); }
}

function markAsUntransferable() {}
function receiveMessageOnPort(port) {
  if (!(port instanceof MessagePort)) {
    const { ERR_INVALID_ARG_TYPE } = require('internal/errors').codes;
    throw new ERR_INVALID_ARG_TYPE('port', 'MessagePort', port);
  }
  if (port[kQueue].length === 0) return undefined;
  return { message: deserialize(port[kQueue].shift()) };
}

const environmentData = new Map();

module.exports = {
  isMainThread,
  threadId,
  parentPort,
  workerData,
  resourceLimits: {},
  SHARE_ENV: Symbol.for('nodejs.worker_threads.SHARE_ENV'),
  Worker,
  MessageChannel,
  MessagePort,
  BroadcastChannel: require('internal/broadcast_channel').BroadcastChannel,
  markAsUntransferable,
  moveMessagePortToContext: undefined,
  receiveMessageOnPort,
  getEnvironmentData: (k) => environmentData.get(k),
  setEnvironmentData: (k, v) => { if (v === undefined) environmentData.delete(k); else environmentData.set(k, v); },
  _serialize: serialize,
  _deserialize: deserialize,
};
