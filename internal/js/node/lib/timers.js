'use strict';
// node:timers. Timeout and Immediate objects as Node shapes them; the
// schedule itself is the Go event loop's (internalBinding('timers'), see
// bindings/timers.md), which calls back onTimer(id) / onImmediate(id).

const binding = internalBinding('timers');
const TIMEOUT_MAX = 2 ** 31 - 1;

const timeouts = new Map(); // id -> Timeout
const immediates = new Map(); // id -> Immediate

function invalidCallback(cb) {
  const e = new TypeError(`The "callback" argument must be of type function. Received ${cb === null || cb === undefined ? String(cb) : typeof cb === 'object' ? 'an instance of ' + ((cb.constructor && cb.constructor.name) || 'Object') : `type ${typeof cb} (${typeof cb === 'string' ? `'${cb}'` : String(cb)})`}`);
  e.code = 'ERR_INVALID_ARG_TYPE';
  return e;
}

function coerceDelay(after) {
  after *= 1;
  if (!(after >= 1 && after <= TIMEOUT_MAX)) {
    if (after > TIMEOUT_MAX) {
      process.emitWarning(`${after} does not fit into a 32-bit signed integer.\nTimeout duration was set to 1.`, 'TimeoutOverflowWarning');
    }
    after = 1;
  }
  return after;
}

class Timeout {
  constructor(callback, after, args, isRepeat, isRefed) {
    after = coerceDelay(after);
    this._idleTimeout = after;
    this._idlePrev = this;
    this._idleNext = this;
    this._idleStart = binding.now();
    this._onTimeout = callback;
    this._timerArgs = args;
    this._repeat = isRepeat ? after : null;
    this._destroyed = false;
    this[kRefed] = isRefed;
    this[kId] = binding.start(after, !!isRepeat);
    timeouts.set(this[kId], this);
    if (!isRefed) binding.ref(this[kId], false);
  }

  refresh() {
    if (!this[kCleared]) {
      this._destroyed = false;
      this._idleStart = binding.now();
      binding.refresh(this[kId]);
      timeouts.set(this[kId], this);
    }
    return this;
  }

  unref() {
    this[kRefed] = false;
    binding.ref(this[kId], false);
    return this;
  }

  ref() {
    this[kRefed] = true;
    binding.ref(this[kId], true);
    return this;
  }

  hasRef() {
    return this[kRefed];
  }

  close() {
    clearTimeout(this);
    return this;
  }

  [Symbol.toPrimitive]() {
    return this[kId];
  }

  [Symbol.dispose]() {
    clearTimeout(this);
  }
}
const kId = Symbol('asyncId');
const kRefed = Symbol('refed');
const kCleared = Symbol('cleared');

class Immediate {
  constructor(callback, args) {
    this._idleNext = null;
    this._idlePrev = null;
    this._onImmediate = callback;
    this._argv = args;
    this._destroyed = false;
    this[kRefed] = true;
    this[kId] = binding.immediate();
    immediates.set(this[kId], this);
  }

  ref() {
    this[kRefed] = true;
    binding.refImmediate(this[kId], true);
    return this;
  }

  unref() {
    this[kRefed] = false;
    binding.refImmediate(this[kId], false);
    return this;
  }

  hasRef() {
    return this[kRefed];
  }

  [Symbol.dispose]() {
    clearImmediate(this);
  }
}

function onTimer(id) {
  const t = timeouts.get(id);
  if (t === undefined) return;
  if (t._repeat === null) timeouts.delete(id);
  const args = t._timerArgs;
  try {
    if (args === undefined) t._onTimeout();
    else t._onTimeout(...args);
  } finally {
    // A timeout refreshed by its own callback is scheduled again.
    if (t._repeat === null && !timeouts.has(id)) t._destroyed = true;
  }
}

function onImmediate(id) {
  const im = immediates.get(id);
  if (im === undefined) return;
  immediates.delete(id);
  im._destroyed = true;
  const args = im._argv;
  if (args === undefined) im._onImmediate();
  else im._onImmediate(...args);
}

binding.setup(onTimer, onImmediate);

// asyncContext is internal/async_context once AsyncLocalStorage or
// AsyncResource was first used (see _setAsyncContext below): a callback
// scheduled while a frame is current runs in it. The schedulers check it
// themselves rather than being wrapped, so with no frame current they
// cost one comparison more, and functions saved before async_hooks was
// loaded carry frames too.
let asyncContext = null;
function inFrame(callback) {
  return asyncContext.getFrame() === null ? callback : asyncContext.bindCurrent(callback);
}

function setTimeout(callback, after, ...args) {
  if (typeof callback !== 'function') throw invalidCallback(callback);
  if (asyncContext !== null) callback = inFrame(callback);
  return new Timeout(callback, after, args.length ? args : undefined, false, true);
}

function setInterval(callback, repeat, ...args) {
  if (typeof callback !== 'function') throw invalidCallback(callback);
  if (asyncContext !== null) callback = inFrame(callback);
  return new Timeout(callback, repeat, args.length ? args : undefined, true, true);
}

function clearTimeout(timer) {
  if (timer && timer[kId] !== undefined) {
    timer._destroyed = true;
    timer[kCleared] = true;
    timeouts.delete(timer[kId]);
    binding.clear(timer[kId]);
    return;
  }
  if (typeof timer === 'number' || typeof timer === 'string') {
    const t = timeouts.get(+timer);
    if (t) clearTimeout(t);
  }
}

function setImmediate(callback, ...args) {
  if (typeof callback !== 'function') throw invalidCallback(callback);
  if (asyncContext !== null) callback = inFrame(callback);
  return new Immediate(callback, args.length ? args : undefined);
}

function clearImmediate(immediate) {
  if (!immediate || immediate._destroyed || immediate[kId] === undefined) return;
  immediate._destroyed = true;
  immediates.delete(immediate[kId]);
  binding.clearImmediate(immediate[kId]);
}

let promises;
module.exports = {
  setTimeout,
  clearTimeout,
  setInterval,
  clearInterval: clearTimeout,
  setImmediate,
  clearImmediate,
  get promises() {
    return promises || (promises = require('timers/promises'));
  },
  // Legacy, kept for packages that still call them.
  active(t) { if (t && t.refresh) t.refresh(); },
  unenroll(t) { clearTimeout(t); },
  enroll() {},
};
module.exports._Timeout = Timeout;
module.exports._Immediate = Immediate;
Object.defineProperty(module.exports, '_setAsyncContext', { value(ctx) { asyncContext = ctx; }, configurable: true, writable: true });

// queueMicrotask's native twin (runtime/bind_timers.go): the callback goes
// straight onto the engine's job queue, in the same FIFO as promise jobs,
// instead of a reaction on a resolved promise (a closure, a derived promise
// and its resolving functions per call: ~5 µs here against node's 0.6).
// Bootstrap defines the queueMicrotask global from process._queueMicrotask
// after loading this file, so the twin replaces it there; process.js's
// version stays as the fallback that throws for a non-function (and is the
// only one under the libtest shim, which has no microtask binding).
if (binding.microtask !== undefined && typeof process._queueMicrotask === 'function') {
  const queueMicrotask = binding.microtask(process._queueMicrotask);
  if (queueMicrotask !== undefined) process._queueMicrotask = queueMicrotask;
}
