'use strict';
// AbortController and AbortSignal (DOM standard): abort reasons,
// AbortSignal.abort/timeout/any, throwIfAborted, onabort.

const { EventTarget, Event, kTrustEvent } = require('internal/event_target');
const DOMException = require('internal/dom_exception');
const {
  codes: { ERR_ILLEGAL_CONSTRUCTOR, ERR_INVALID_ARG_TYPE, ERR_INVALID_THIS, ERR_OUT_OF_RANGE },
} = require('internal/errors');

const customInspect = Symbol.for('nodejs.util.inspect.custom');
const kAborted = Symbol('kAborted');
const kReason = Symbol('kReason');
const kOnabort = Symbol('onabort');
const kDependants = Symbol('dependants');
const kSourceSignals = Symbol('sources');
let constructing = false;

function validateAbortSignal(signal, name) {
  if (signal !== undefined && (signal === null || typeof signal !== 'object' || !('aborted' in signal))) {
    throw new ERR_INVALID_ARG_TYPE(name, 'AbortSignal', signal);
  }
}

function checkThis(self) {
  if (self == null || typeof self !== 'object' || !(kAborted in self)) throw new ERR_INVALID_THIS('AbortSignal');
}

class AbortSignal extends EventTarget {
  constructor() {
    if (!constructing) throw new ERR_ILLEGAL_CONSTRUCTOR();
    super();
    this[kAborted] = false;
    this[kReason] = undefined;
    this[kOnabort] = null;
  }

  get aborted() {
    checkThis(this);
    return this[kAborted];
  }

  get reason() {
    checkThis(this);
    return this[kReason];
  }

  throwIfAborted() {
    checkThis(this);
    if (this[kAborted]) throw this[kReason];
  }

  get onabort() {
    checkThis(this);
    return this[kOnabort];
  }

  set onabort(fn) {
    checkThis(this);
    if (this[kOnabort]) this.removeEventListener('abort', this[kOnabort]);
    this[kOnabort] = typeof fn === 'function' ? fn : null;
    if (this[kOnabort]) this.addEventListener('abort', this[kOnabort]);
  }

  [customInspect](depth, options) {
    return `AbortSignal ${require('util').inspect({ aborted: this[kAborted] }, options)}`;
  }

  static abort(reason = new DOMException('This operation was aborted', 'AbortError')) {
    const s = createAbortSignal();
    s[kAborted] = true;
    s[kReason] = reason;
    return s;
  }

  static timeout(delay) {
    if (typeof delay !== 'number') throw new ERR_INVALID_ARG_TYPE('delay', 'number', delay);
    if (!Number.isInteger(delay)) throw new ERR_OUT_OF_RANGE('delay', 'an integer', delay);
    if (delay < 0 || delay > 4294967295) throw new ERR_OUT_OF_RANGE('delay', '>= 0 && <= 4294967295', delay);
    const s = createAbortSignal();
    const t = setTimeout(() => {
      abortSignal(s, new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    }, delay);
    // A pending timeout signal does not keep the process alive.
    if (t && typeof t.unref === 'function') t.unref();
    return s;
  }

  static any(signals) {
    if (!Array.isArray(signals) && (signals == null || typeof signals[Symbol.iterator] !== 'function')) {
      throw new ERR_INVALID_ARG_TYPE('signals', 'AbortSignal[]', signals);
    }
    const list = Array.from(signals);
    list.forEach((sig, i) => validateAbortSignal(sig, `signals[${i}]`));
    const result = createAbortSignal();
    for (const sig of list) {
      if (sig.aborted) {
        result[kAborted] = true;
        result[kReason] = sig.reason;
        return result;
      }
    }
    result[kSourceSignals] = list;
    for (const sig of list) {
      if (!sig[kDependants]) sig[kDependants] = new Set();
      sig[kDependants].add(result);
    }
    return result;
  }
}

for (const k of ['aborted', 'reason', 'throwIfAborted', 'onabort']) {
  Object.defineProperty(AbortSignal.prototype, k, { enumerable: true });
}
Object.defineProperty(AbortSignal.prototype, Symbol.toStringTag, {
  value: 'AbortSignal', writable: false, enumerable: false, configurable: true,
});

function createAbortSignal() {
  constructing = true;
  try {
    return new AbortSignal();
  } finally {
    constructing = false;
  }
}

function abortSignal(signal, reason) {
  if (signal[kAborted]) return;
  signal[kAborted] = true;
  signal[kReason] = reason;
  const event = new Event('abort', { [kTrustEvent]: true });
  signal.dispatchEvent(event);
  const deps = signal[kDependants];
  if (deps) {
    signal[kDependants] = undefined;
    for (const dep of deps) abortSignal(dep, reason);
  }
}

const kSignal = Symbol('signal');

class AbortController {
  constructor() {
    this[kSignal] = undefined;
  }

  get signal() {
    if (this == null || !(kSignal in this)) throw new ERR_INVALID_THIS('AbortController');
    if (this[kSignal] === undefined) this[kSignal] = createAbortSignal();
    return this[kSignal];
  }

  abort(reason = new DOMException('This operation was aborted', 'AbortError')) {
    if (this == null || !(kSignal in this)) throw new ERR_INVALID_THIS('AbortController');
    abortSignal(this.signal, reason);
  }

  [customInspect](depth, options) {
    return `AbortController ${require('util').inspect({ signal: this.signal }, options)}`;
  }
}
for (const k of ['signal', 'abort']) {
  Object.defineProperty(AbortController.prototype, k, { enumerable: true });
}
Object.defineProperty(AbortController.prototype, Symbol.toStringTag, {
  value: 'AbortController', writable: false, enumerable: false, configurable: true,
});

function transferableAbortSignal(signal) {
  return signal;
}

function transferableAbortController() {
  return new AbortController();
}

module.exports = {
  AbortController,
  AbortSignal,
  abortSignal,
  createAbortSignal,
  validateAbortSignal,
  transferableAbortSignal,
  transferableAbortController,
  kAborted,
};
