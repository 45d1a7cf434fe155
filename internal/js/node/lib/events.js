'use strict';
// events: Node's EventEmitter and the static helpers (once, on,
// getEventListeners, setMaxListeners, addAbortListener).
//
// The emitter keeps Node's observable layout: _events (a null-prototype
// object holding a function or an array per event), _eventsCount and
// _maxListeners, so code that peeks at them keeps working.

const {
  codes: {
    ERR_INVALID_ARG_TYPE,
    ERR_OUT_OF_RANGE,
    ERR_UNHANDLED_ERROR,
  },
  AbortError,
  genericNodeError,
} = require('internal/errors');
const { inspect } = require('internal/util/inspect');

const kCapture = Symbol('kCapture');
const kErrorMonitor = Symbol('events.errorMonitor');
const kShapeMode = Symbol('shapeMode');
const kRejection = Symbol.for('nodejs.rejection');

let eventTargetModule;
function lazyEventTarget() {
  if (eventTargetModule === void 0) {
    try {
      eventTargetModule = require('internal/event_target');
    } catch {
      eventTargetModule = null;
    }
  }
  return eventTargetModule;
}

// Shared with internal/event_target when it exists, so events.setMaxListeners
// reaches EventTargets too.
const kMaxEventTargetListeners = (lazyEventTarget() && lazyEventTarget().kMaxEventTargetListeners) ||
  Symbol('events.maxEventTargetListeners');
const kMaxEventTargetListenersWarned = (lazyEventTarget() &&
  lazyEventTarget().kMaxEventTargetListenersWarned) ||
  Symbol('events.maxEventTargetListenersWarned');

let defaultMaxListeners = 10;

function checkListener(listener) {
  if (typeof listener !== 'function') throw new ERR_INVALID_ARG_TYPE('listener', 'Function', listener);
}

function validateNumberNonNegative(n, name) {
  if (typeof n !== 'number') throw new ERR_INVALID_ARG_TYPE(name, 'number', n);
  if (n < 0 || Number.isNaN(n)) throw new ERR_OUT_OF_RANGE(name, '>= 0', n);
}

function validateObject(value, name) {
  if (value === null || typeof value !== 'object') throw new ERR_INVALID_ARG_TYPE(name, 'Object', value);
}

function validateAbortSignal(signal, name) {
  if (signal !== void 0 && (signal === null || typeof signal !== 'object' || !('aborted' in signal))) {
    throw new ERR_INVALID_ARG_TYPE(name, 'AbortSignal', signal);
  }
}

function validateBoolean(value, name) {
  if (typeof value !== 'boolean') throw new ERR_INVALID_ARG_TYPE(name, 'boolean', value);
}

function nextTick(fn, ...args) {
  if (typeof process === 'object' && process && typeof process.nextTick === 'function') {
    process.nextTick(fn, ...args);
  } else {
    queueMicrotask(() => fn(...args));
  }
}

function EventEmitter(opts) {
  EventEmitter.init.call(this, opts);
}

EventEmitter.prototype._events = undefined;
EventEmitter.prototype._eventsCount = 0;
EventEmitter.prototype._maxListeners = undefined;

Object.defineProperties(EventEmitter, {
  captureRejections: {
    get() {
      return EventEmitter.prototype[kCapture];
    },
    set(value) {
      validateBoolean(value, 'EventEmitter.captureRejections');
      EventEmitter.prototype[kCapture] = value;
    },
    enumerable: true,
  },
  defaultMaxListeners: {
    enumerable: true,
    get() {
      return defaultMaxListeners;
    },
    set(arg) {
      validateNumberNonNegative(arg, 'defaultMaxListeners');
      defaultMaxListeners = arg;
    },
  },
  kMaxEventTargetListeners: {
    value: kMaxEventTargetListeners, enumerable: false, configurable: false, writable: false,
  },
  kMaxEventTargetListenersWarned: {
    value: kMaxEventTargetListenersWarned, enumerable: false, configurable: false, writable: false,
  },
});

EventEmitter.prototype[kCapture] = false;

// shapeModeSeen: some emitter was initialised in shape mode (its _events
// already given when EventEmitter.init ran, as a subclass can do). Only
// init sets kShapeMode true and the symbol is this module's, so until
// then removeListener need not read it: a symbol-keyed read costs about
// a thousand instructions under the interpreter, and a static file
// response removes some ten listeners.
let shapeModeSeen = false;

EventEmitter.init = function init(opts) {
  if (this._events === void 0 || this._events === Object.getPrototypeOf(this)._events) {
    this._events = { __proto__: null };
    this._eventsCount = 0;
    this[kShapeMode] = false;
  } else {
    this[kShapeMode] = true;
    shapeModeSeen = true;
  }
  this._maxListeners = this._maxListeners || undefined;
  if (opts && opts.captureRejections) {
    validateBoolean(opts.captureRejections, 'options.captureRejections');
    this[kCapture] = Boolean(opts.captureRejections);
  } else {
    // Assigning the kCapture property directly saves an expensive
    // lookup of the prototype chain on every emit.
    this[kCapture] = EventEmitter.prototype[kCapture];
  }
};

function addCatch(that, promise, type, args) {
  if (!that[kCapture]) return;
  // Handle rejections of async listeners when captureRejections is on.
  try {
    const then = promise.then;
    if (typeof then === 'function') {
      then.call(promise, undefined, (err) => {
        nextTick(emitUnhandledRejectionOrErr, that, err, type, args);
      });
    }
  } catch (err) {
    that.emit('error', err);
  }
}

function emitUnhandledRejectionOrErr(ee, err, type, args) {
  if (typeof ee[kRejection] === 'function') {
    ee[kRejection](err, type, ...args);
  } else {
    // Disable captureRejections while emitting 'error' to avoid loops.
    const prev = ee[kCapture];
    try {
      ee[kCapture] = false;
      ee.emit('error', err);
    } finally {
      ee[kCapture] = prev;
    }
  }
}

EventEmitter.prototype.setMaxListeners = function setMaxListeners(n) {
  validateNumberNonNegative(n, 'setMaxListeners');
  this._maxListeners = n;
  return this;
};

function _getMaxListeners(that) {
  if (that._maxListeners === void 0) return defaultMaxListeners;
  return that._maxListeners;
}

EventEmitter.prototype.getMaxListeners = function getMaxListeners() {
  return _getMaxListeners(this);
};

// The hot methods below declare their locals with var: under QuickJS
// every let/const costs an operation when the function is entered (the
// variable is marked uninitialised) and a checked read afterwards.
EventEmitter.prototype.emit = function emit(type, ...args) {
  var events = this._events;
  // 'error' first reaches kErrorMonitor, then throws without a listener.
  if (type === 'error' && !hasErrorListener(this, events, args)) {
    var er = args.length > 0 ? args[0] : undefined;
    if (er instanceof Error) throw er; // Unhandled 'error' event
    var err = new ERR_UNHANDLED_ERROR(inspectQuietly(er));
    err.context = er;
    throw err; // Unhandled 'error' event
  }
  if (events === void 0) return false;
  var handler = events[type];
  if (handler === void 0) return false;
  if (typeof handler === 'function') {
    // Function.prototype.call with the arguments spelled out is cheaper
    // in QuickJS than Reflect.apply over the rest array.
    var n = args.length;
    var result;
    if (n === 0) result = handler.call(this);
    else if (n === 1) result = handler.call(this, args[0]);
    else if (n === 2) result = handler.call(this, args[0], args[1]);
    else result = Reflect.apply(handler, this, args);
    if (result !== void 0 && result !== null) addCatch(this, result, type, args);
    return true;
  }
  var len = handler.length;
  // The listeners are copied first (a listener may add or remove
  // listeners); two, the usual case, without an array.
  if (len === 2) {
    var l1 = handler[1];
    emitTo(this, handler[0], type, args);
    emitTo(this, l1, type, args);
  } else {
    var listeners = handler.slice();
    for (var i = 0; i < len; ++i) emitTo(this, listeners[i], type, args);
  }
  return true;
};

function hasErrorListener(target, events, args) {
  if (events === void 0) return false;
  if (events[kErrorMonitor] !== void 0) target.emit(kErrorMonitor, ...args);
  return events.error !== void 0;
}

function inspectQuietly(er) {
  try {
    return inspect(er);
  } catch {
    return er;
  }
}

function emitTo(target, listener, type, args) {
  var n = args.length;
  var result;
  if (n === 0) result = listener.call(target);
  else if (n === 1) result = listener.call(target, args[0]);
  else if (n === 2) result = listener.call(target, args[0], args[1]);
  else result = Reflect.apply(listener, target, args);
  if (result !== void 0 && result !== null) addCatch(target, result, type, args);
}

function _addListener(target, type, listener, prepend) {
  if (typeof listener !== 'function') throw new ERR_INVALID_ARG_TYPE('listener', 'Function', listener);
  var events = target._events;
  var existing;
  if (events === void 0) {
    events = target._events = { __proto__: null };
    target._eventsCount = 0;
  } else {
    // Emit 'newListener' before adding, so a listener for it does not see
    // itself.
    if (events.newListener !== void 0) {
      target.emit('newListener', type, listener.listener ?? listener);
      events = target._events;
    }
    existing = events[type];
  }
  if (existing === void 0) {
    events[type] = listener;
    ++target._eventsCount;
    return target;
  }
  if (typeof existing === 'function') {
    existing = events[type] = prepend ? [listener, existing] : [existing, listener];
  } else if (prepend) {
    existing.unshift(listener);
  } else {
    existing.push(listener);
  }
  var m = target._maxListeners === void 0 ? defaultMaxListeners : target._maxListeners;
  if (m > 0 && existing.length > m && !existing.warned) {
    existing.warned = true;
    var w = genericNodeError(
      `Possible EventEmitter memory leak detected. ${existing.length} ${String(type)} listeners ` +
      `added to ${inspect(target, { depth: -1 })}. MaxListeners is ${m}. Use emitter.setMaxListeners() to increase limit`,
      { name: 'MaxListenersExceededWarning', emitter: target, type, count: existing.length });
    if (typeof process === 'object' && process && typeof process.emitWarning === 'function') {
      process.emitWarning(w);
    }
  }
  return target;
}

EventEmitter.prototype.addListener = function addListener(type, listener) {
  // The usual case, a first listener for the event with nobody watching
  // 'newListener', without the general path's call.
  // A second one becomes the pair array here too, unless a maximum of
  // fewer than two listeners asks for _addListener's warning.
  var events = this._events;
  if (events !== void 0 && typeof listener === 'function' && events.newListener === void 0) {
    var existing = events[type];
    if (existing === void 0) {
      events[type] = listener;
      ++this._eventsCount;
      return this;
    }
    if (typeof existing === 'function') {
      var m = this._maxListeners === void 0 ? defaultMaxListeners : this._maxListeners;
      if (!(m > 0 && m < 2)) {
        events[type] = [existing, listener];
        return this;
      }
    }
  }
  return _addListener(this, type, listener, false);
};

EventEmitter.prototype.on = EventEmitter.prototype.addListener;

EventEmitter.prototype.prependListener = function prependListener(type, listener) {
  return _addListener(this, type, listener, true);
};

// The once wrapper is a closure rather than Node's onceWrapper.bind(state)
// (a bound function costs twice a closure to make and to call in
// QuickJS). It is a method so that its name is Node's 'bound onceWrapper',
// which util.inspect shows for an emitter's _events.
function _onceWrap(target, type, listener) {
  let fired = false;
  const wrapped = {
    'bound onceWrapper'(...args) {
      if (fired) return undefined;
      target.removeListener(type, wrapped);
      fired = true;
      if (args.length === 0) return listener.call(target);
      return Reflect.apply(listener, target, args);
    },
  }['bound onceWrapper'];
  wrapped.listener = listener;
  return wrapped;
}

EventEmitter.prototype.once = function once(type, listener) {
  checkListener(listener);
  this.on(type, _onceWrap(this, type, listener));
  return this;
};

EventEmitter.prototype.prependOnceListener = function prependOnceListener(type, listener) {
  checkListener(listener);
  this.prependListener(type, _onceWrap(this, type, listener));
  return this;
};

EventEmitter.prototype.removeListener = function removeListener(type, listener) {
  if (typeof listener !== 'function') throw new ERR_INVALID_ARG_TYPE('listener', 'Function', listener);
  var events = this._events;
  if (events === void 0) return this;
  var list = events[type];
  if (list === void 0) return this;
  // An array of listeners is told from a single one by typeof first: an
  // array has no .listener to look up.
  if (list === listener || (typeof list === 'function' && list.listener === listener)) {
    this._eventsCount -= 1;
    if (shapeModeSeen && this[kShapeMode]) {
      events[type] = undefined;
    } else if (this._eventsCount === 0) {
      this._events = { __proto__: null };
    } else {
      delete events[type];
      if (events.removeListener) this.emit('removeListener', type, list.listener || listener);
    }
  } else if (typeof list !== 'function') {
    if (list.length === 2) {
      // A pair goes back to its other listener without splicing the
      // array first (the array is dropped either way; the last match is
      // the one removed, as below).
      var l1 = list[1];
      if (l1 === listener || l1.listener === listener) {
        events[type] = list[0];
      } else {
        var l0 = list[0];
        if (l0 !== listener && l0.listener !== listener) return this;
        events[type] = l1;
      }
      if (events.removeListener !== void 0) this.emit('removeListener', type, listener);
      return this;
    }
    var position = -1;
    for (var i = list.length - 1; i >= 0; i--) {
      var l = list[i];
      if (l === listener || l.listener === listener) {
        position = i;
        break;
      }
    }
    if (position < 0) return this;
    if (position === 0) list.shift();
    else list.splice(position, 1);
    if (list.length === 1) events[type] = list[0];
    if (events.removeListener !== void 0) this.emit('removeListener', type, listener);
  }
  return this;
};

EventEmitter.prototype.off = EventEmitter.prototype.removeListener;

EventEmitter.prototype.removeAllListeners = function removeAllListeners(type) {
  const events = this._events;
  if (events === void 0) return this;
  // Not listening for removeListener, no need to emit.
  if (events.removeListener === void 0) {
    if (arguments.length === 0) {
      this._events = { __proto__: null };
      this._eventsCount = 0;
    } else if (events[type] !== void 0) {
      if (--this._eventsCount === 0) this._events = { __proto__: null };
      else delete events[type];
    }
    this[kShapeMode] = false;
    return this;
  }
  // Emit removeListener for all listeners on all events.
  if (arguments.length === 0) {
    for (const key of Reflect.ownKeys(events)) {
      if (key === 'removeListener') continue;
      this.removeAllListeners(key);
    }
    this.removeAllListeners('removeListener');
    this._events = { __proto__: null };
    this._eventsCount = 0;
    this[kShapeMode] = false;
    return this;
  }
  const listeners = events[type];
  if (typeof listeners === 'function') {
    this.removeListener(type, listeners);
  } else if (listeners !== void 0) {
    // LIFO order.
    for (let i = listeners.length - 1; i >= 0; i--) this.removeListener(type, listeners[i]);
  }
  return this;
};

function unwrapListeners(arr) {
  const ret = new Array(arr.length);
  for (let i = 0; i < ret.length; ++i) {
    const orig = arr[i].listener;
    ret[i] = typeof orig === 'function' ? orig : arr[i];
  }
  return ret;
}

function _listeners(target, type, unwrap) {
  const events = target._events;
  if (events === void 0) return [];
  const evlistener = events[type];
  if (evlistener === void 0) return [];
  if (typeof evlistener === 'function') {
    return unwrap ? [evlistener.listener || evlistener] : [evlistener];
  }
  return unwrap ? unwrapListeners(evlistener) : evlistener.slice();
}

EventEmitter.prototype.listeners = function listeners(type) {
  return _listeners(this, type, true);
};

EventEmitter.prototype.rawListeners = function rawListeners(type) {
  return _listeners(this, type, false);
};

function listenerCount(type, listener) {
  const events = this._events;
  if (events !== void 0) {
    const evlistener = events[type];
    if (typeof evlistener === 'function') {
      if (listener !== null && listener !== void 0) {
        return listener === evlistener || listener === evlistener.listener ? 1 : 0;
      }
      return 1;
    } else if (evlistener !== void 0) {
      if (listener !== null && listener !== void 0) {
        let matching = 0;
        for (let i = 0, l = evlistener.length; i < l; i++) {
          if (evlistener[i] === listener || evlistener[i].listener === listener) matching++;
        }
        return matching;
      }
      return evlistener.length;
    }
  }
  return 0;
}

EventEmitter.prototype.listenerCount = listenerCount;

EventEmitter.listenerCount = function (emitter, type) {
  if (typeof emitter.listenerCount === 'function') return emitter.listenerCount(type);
  return listenerCount.call(emitter, type);
};

EventEmitter.prototype.eventNames = function eventNames() {
  return this._eventsCount > 0 ? Reflect.ownKeys(this._events) : [];
};

// --- static helpers ------------------------------------------------------------

function isEventTarget(obj) {
  const et = lazyEventTarget();
  if (et && typeof et.isEventTarget === 'function') return et.isEventTarget(obj);
  return (obj !== null && obj !== void 0) && typeof obj.addEventListener === 'function' &&
    typeof obj.dispatchEvent === 'function';
}

function getEventListeners(emitterOrTarget, type) {
  // First check if EventEmitter.
  if (typeof emitterOrTarget.listeners === 'function') return emitterOrTarget.listeners(type);
  const et = lazyEventTarget();
  if (et && et.isEventTarget(emitterOrTarget)) {
    const list = emitterOrTarget[et.kEvents].get(typeof type === 'symbol' ? type : `${type}`);
    if (!list) return [];
    return list.filter((l) => !l.removed).map((l) => l.listener);
  }
  throw new ERR_INVALID_ARG_TYPE('emitter', ['EventEmitter', 'EventTarget'], emitterOrTarget);
}

function getMaxListeners(emitterOrTarget) {
  if (typeof emitterOrTarget?.getMaxListeners === 'function') {
    return _getMaxListeners(emitterOrTarget);
  } else if (emitterOrTarget?.[kMaxEventTargetListeners]) {
    return emitterOrTarget[kMaxEventTargetListeners];
  }
  throw new ERR_INVALID_ARG_TYPE('emitter', ['EventEmitter', 'EventTarget'], emitterOrTarget);
}

function setMaxListeners(n = defaultMaxListeners, ...eventTargets) {
  validateNumberNonNegative(n, 'setMaxListeners');
  if (eventTargets.length === 0) {
    defaultMaxListeners = n;
  } else {
    for (let i = 0; i < eventTargets.length; i++) {
      const target = eventTargets[i];
      if (isEventTarget(target)) {
        target[kMaxEventTargetListeners] = n;
        target[kMaxEventTargetListenersWarned] = false;
      } else if (typeof target.setMaxListeners === 'function') {
        target.setMaxListeners(n);
      } else {
        throw new ERR_INVALID_ARG_TYPE('eventTargets', ['EventEmitter', 'EventTarget'], target);
      }
    }
  }
}

function eventTargetAgnosticRemoveListener(emitter, name, listener, flags) {
  if (typeof emitter.removeListener === 'function') {
    emitter.removeListener(name, listener);
  } else if (typeof emitter.removeEventListener === 'function') {
    emitter.removeEventListener(name, listener, flags);
  } else {
    throw new ERR_INVALID_ARG_TYPE('emitter', 'EventEmitter', emitter);
  }
}

function eventTargetAgnosticAddListener(emitter, name, listener, flags) {
  if (typeof emitter.on === 'function') {
    if (flags && flags.once) emitter.once(name, listener);
    else emitter.on(name, listener);
  } else if (typeof emitter.addEventListener === 'function') {
    emitter.addEventListener(name, listener, flags);
  } else {
    throw new ERR_INVALID_ARG_TYPE('emitter', 'EventEmitter', emitter);
  }
}

async function once(emitter, name, options = {}) {
  validateObject(options, 'options');
  const signal = options?.signal;
  validateAbortSignal(signal, 'options.signal');
  if (signal?.aborted) throw new AbortError(undefined, { cause: signal?.reason });
  return new Promise((resolve, reject) => {
    const errorListener = (err) => {
      emitter.removeListener(name, resolver);
      if (signal !== null && signal !== void 0) eventTargetAgnosticRemoveListener(signal, 'abort', abortListener);
      reject(err);
    };
    const resolver = (...args) => {
      if (typeof emitter.removeListener === 'function') {
        emitter.removeListener('error', errorListener);
      }
      if (signal !== null && signal !== void 0) eventTargetAgnosticRemoveListener(signal, 'abort', abortListener);
      resolve(args);
    };
    eventTargetAgnosticAddListener(emitter, name, resolver, { once: true });
    // EventTargets have no 'error' semantics: listen only on emitters.
    if (name !== 'error' && typeof emitter.once === 'function') emitter.once('error', errorListener);
    function abortListener() {
      eventTargetAgnosticRemoveListener(emitter, name, resolver);
      eventTargetAgnosticRemoveListener(emitter, 'error', errorListener);
      reject(new AbortError(undefined, { cause: signal?.reason }));
    }
    if (signal !== null && signal !== void 0) eventTargetAgnosticAddListener(signal, 'abort', abortListener, { once: true });
  });
}

const AsyncIteratorPrototype = Object.getPrototypeOf(
  Object.getPrototypeOf(async function* () {}).prototype);

function createIterResult(value, done) {
  return { value, done };
}

function on(emitter, event, options = {}) {
  validateObject(options, 'options');
  const signal = options.signal;
  validateAbortSignal(signal, 'options.signal');
  if (signal?.aborted) throw new AbortError(undefined, { cause: signal?.reason });
  const closeEvents = options.close;

  const unconsumedEvents = [];
  const unconsumedPromises = [];
  let error = null;
  let finished = false;

  const iterator = Object.setPrototypeOf({
    next() {
      // First, we consume all unread events.
      if (unconsumedEvents.length > 0) {
        return Promise.resolve(createIterResult(unconsumedEvents.shift(), false));
      }
      // Then we error, if an error happened.
      if (error) {
        const p = Promise.reject(error);
        error = null;
        return p;
      }
      if (finished) return closeHandler();
      return new Promise((resolve, reject) => {
        unconsumedPromises.push({ resolve, reject });
      });
    },
    return() {
      return closeHandler();
    },
    throw(err) {
      if (!err || !(err instanceof Error)) {
        throw new ERR_INVALID_ARG_TYPE('EventEmitter.AsyncIterator', 'Error', err);
      }
      errorHandler(err);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  }, AsyncIteratorPrototype);

  eventTargetAgnosticAddListener(emitter, event, eventHandler);
  if (event !== 'error' && typeof emitter.on === 'function') emitter.on('error', errorHandler);
  if (closeEvents && closeEvents.length) {
    for (const name of closeEvents) eventTargetAgnosticAddListener(emitter, name, closeHandler);
  }
  if (signal) eventTargetAgnosticAddListener(signal, 'abort', abortListener, { once: true });
  return iterator;

  function removeAll() {
    eventTargetAgnosticRemoveListener(emitter, event, eventHandler);
    if (event !== 'error' && typeof emitter.removeListener === 'function') {
      emitter.removeListener('error', errorHandler);
    }
    if (closeEvents && closeEvents.length) {
      for (const name of closeEvents) eventTargetAgnosticRemoveListener(emitter, name, closeHandler);
    }
    if (signal) eventTargetAgnosticRemoveListener(signal, 'abort', abortListener);
  }

  function abortListener() {
    errorHandler(new AbortError(undefined, { cause: signal?.reason }));
  }

  function eventHandler(...args) {
    const pending = unconsumedPromises.shift();
    if (pending) pending.resolve(createIterResult(args, false));
    else unconsumedEvents.push(args);
  }

  function errorHandler(err) {
    const pending = unconsumedPromises.shift();
    if (pending) pending.reject(err);
    else error = err;
    closeHandler();
  }

  function closeHandler() {
    removeAll();
    finished = true;
    const doneResult = createIterResult(undefined, true);
    while (unconsumedPromises.length > 0) unconsumedPromises.shift().resolve(doneResult);
    return Promise.resolve(doneResult);
  }
}

// addAbortListener(signal, listener): run listener once when signal aborts;
// returns a disposable that removes it.
function addAbortListener(signal, listener) {
  if (signal === void 0) throw new ERR_INVALID_ARG_TYPE('signal', 'AbortSignal', signal);
  validateAbortSignal(signal, 'signal');
  if (typeof listener !== 'function') throw new ERR_INVALID_ARG_TYPE('listener', 'Function', listener);
  let removeEventListener;
  if (signal.aborted) {
    queueMicrotask(() => listener());
  } else {
    signal.addEventListener('abort', listener, { once: true });
    removeEventListener = () => {
      signal.removeEventListener('abort', listener);
    };
  }
  const disposable = {
    [Symbol.dispose || Symbol.for('nodejs.dispose')]() {
      removeEventListener?.();
    },
  };
  return disposable;
}

Object.defineProperties(EventEmitter, {
  addAbortListener: { value: addAbortListener, writable: true, enumerable: true, configurable: true },
  once: { value: once, writable: true, enumerable: true, configurable: true },
  on: { value: on, writable: true, enumerable: true, configurable: true },
  getEventListeners: { value: getEventListeners, writable: true, enumerable: true, configurable: true },
  getMaxListeners: { value: getMaxListeners, writable: true, enumerable: true, configurable: true },
  EventEmitter: { value: EventEmitter, writable: true, enumerable: true, configurable: true },
  usingDomains: { value: false, writable: true, enumerable: true, configurable: true },
  captureRejectionSymbol: { value: kRejection, writable: false, enumerable: true, configurable: true },
  errorMonitor: { value: kErrorMonitor, writable: false, enumerable: true, configurable: true },
  setMaxListeners: { value: setMaxListeners, writable: true, enumerable: true, configurable: true },
  init: { value: EventEmitter.init, writable: true, enumerable: true, configurable: true },
});

// EventEmitterAsyncResource needs async_hooks; it loads on first use.
Object.defineProperty(EventEmitter, 'EventEmitterAsyncResource', {
  enumerable: true,
  configurable: true,
  get() {
    const { AsyncResource } = require('async_hooks');
    class EventEmitterAsyncResource extends EventEmitter {
      constructor(options = undefined) {
        let name;
        if (typeof options === 'string') {
          name = options;
          options = undefined;
        } else {
          name = options?.name || new.target.name;
        }
        super(options);
        this.asyncResource = new AsyncResource(name, options);
      }

      emit(event, ...args) {
        return this.asyncResource.runInAsyncScope(super.emit, this, event, ...args);
      }

      emitDestroy() {
        this.asyncResource.emitDestroy();
      }

      get asyncId() {
        return this.asyncResource.asyncId();
      }

      get triggerAsyncId() {
        return this.asyncResource.triggerAsyncId();
      }
    }
    Object.defineProperty(EventEmitter, 'EventEmitterAsyncResource', {
      value: EventEmitterAsyncResource, enumerable: true, configurable: true, writable: true,
    });
    return EventEmitterAsyncResource;
  },
});

// Event and EventTarget live in internal/event_target; events re-exports
// them as non-enumerable members for code that reaches for them there.
if (lazyEventTarget()) {
  for (const name of ['Event', 'EventTarget', 'CustomEvent', 'NodeEventTarget']) {
    if (lazyEventTarget()[name]) {
      Object.defineProperty(EventEmitter, name, {
        value: lazyEventTarget()[name], enumerable: false, configurable: true, writable: true,
      });
    }
  }
}

module.exports = EventEmitter;
