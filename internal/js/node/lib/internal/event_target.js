'use strict';
// Event, CustomEvent and EventTarget as in the DOM standard, with Node's
// single-tree behaviour (no capture/bubble path: listeners run at target),
// Node's error codes, and listener errors reported asynchronously as
// uncaught exceptions (like Node does) instead of thrown from dispatchEvent.

const {
  codes: {
    ERR_INVALID_ARG_TYPE,
    ERR_EVENT_RECURSION,
    ERR_MISSING_ARGS,
    ERR_INVALID_THIS,
  },
} = require('internal/errors');

const customInspect = Symbol.for('nodejs.util.inspect.custom');
const kEvents = Symbol('kEvents');
const kStop = Symbol('kStop');
const kTarget = Symbol('kTarget');
const kIsBeingDispatched = Symbol('kIsBeingDispatched');
const kType = Symbol('type');
const kDetail = Symbol('detail');
const kEventState = Symbol('event state');
const kTrustEvent = Symbol('kTrustEvent');
const kMaxEventTargetListeners = Symbol('events.maxEventTargetListeners');
const kMaxEventTargetListenersWarned = Symbol('events.maxEventTargetListenersWarned');
const kHybridDispatch = Symbol('kHybridDispatch');
const kWeakHandler = Symbol('kWeakHandler');
const kNewListener = Symbol('kNewListener');
const kRemoveListener = Symbol('kRemoveListener');

function isEvent(value) {
  return value != null && typeof value === 'object' && value[kEventState] !== undefined;
}

function st(self) {
  if (!isEvent(self)) throw new ERR_INVALID_THIS('Event');
  return self[kEventState];
}

class Event {
  constructor(type, options = undefined) {
    if (arguments.length === 0) throw new ERR_MISSING_ARGS('type');
    if (options != null && typeof options !== 'object' && typeof options !== 'function') {
      throw new ERR_INVALID_ARG_TYPE('options', 'object', options);
    }
    const o = options || {};
    this[kEventState] = {
      type: `${type}`,
      bubbles: !!o.bubbles,
      cancelable: !!o.cancelable,
      composed: !!o.composed,
      defaultPrevented: false,
      timestamp: typeof performance === 'object' && performance && typeof performance.now === 'function'
        ? performance.now() : Date.now(),
      propagationStopped: false,
      immediateStopped: false,
      target: null,
      currentTarget: null,
      dispatching: false,
      trusted: !!(options && options[kTrustEvent]),
    };
    this[kTarget] = null;
    this[kIsBeingDispatched] = false;
  }

  [customInspect](depth, options) {
    const name = this.constructor.name;
    if (depth < 0) return name;
    const s = st(this);
    const obj = {
      type: s.type,
      defaultPrevented: s.defaultPrevented,
      cancelable: s.cancelable,
      timeStamp: s.timestamp,
    };
    const inspect = require('util').inspect;
    return `${name} ${inspect(obj, { ...options, depth: options && Number.isInteger(options.depth) ? options.depth - 1 : 1 })}`;
  }

  initEvent(type, bubbles = false, cancelable = false) {
    if (arguments.length === 0) throw new ERR_MISSING_ARGS('type');
    const s = st(this);
    if (s.dispatching) return;
    s.type = `${type}`;
    s.bubbles = !!bubbles;
    s.cancelable = !!cancelable;
  }

  stopImmediatePropagation() {
    const s = st(this);
    s.immediateStopped = true;
    s.propagationStopped = true;
  }

  preventDefault() {
    const s = st(this);
    if (s.cancelable) s.defaultPrevented = true;
  }

  get target() { return st(this).target; }
  get currentTarget() { return st(this).currentTarget; }
  get srcElement() { return st(this).target; }
  get type() { return st(this).type; }
  get cancelable() { return st(this).cancelable; }
  get defaultPrevented() { const s = st(this); return s.cancelable && s.defaultPrevented; }
  get timeStamp() { return st(this).timestamp; }
  composedPath() { const s = st(this); return s.dispatching ? [s.currentTarget] : []; }
  get returnValue() { const s = st(this); return !(s.cancelable && s.defaultPrevented); }
  get bubbles() { return st(this).bubbles; }
  get composed() { return st(this).composed; }
  get eventPhase() { return st(this).dispatching ? Event.AT_TARGET : Event.NONE; }
  get cancelBubble() { return st(this).propagationStopped; }
  set cancelBubble(value) { if (value) st(this).propagationStopped = true; }
  stopPropagation() { st(this).propagationStopped = true; }
}

const isTrustedGetter = function isTrusted() {
  return !!(this && this[kEventState] && this[kEventState].trusted);
};
Object.defineProperty(Event.prototype, 'isTrusted', {
  get: isTrustedGetter, enumerable: true, configurable: false,
});

for (const k of ['initEvent', 'stopImmediatePropagation', 'preventDefault', 'target', 'currentTarget', 'srcElement',
  'type', 'cancelable', 'defaultPrevented', 'timeStamp', 'composedPath', 'returnValue', 'bubbles',
  'composed', 'eventPhase', 'cancelBubble', 'stopPropagation']) {
  Object.defineProperty(Event.prototype, k, { enumerable: true });
}
Object.defineProperty(Event.prototype, Symbol.toStringTag, {
  value: 'Event', writable: false, enumerable: false, configurable: true,
});
const phases = { NONE: 0, CAPTURING_PHASE: 1, AT_TARGET: 2, BUBBLING_PHASE: 3 };
for (const [k, v] of Object.entries(phases)) {
  const d = { value: v, writable: false, enumerable: true, configurable: false };
  Object.defineProperty(Event, k, d);
}

class CustomEvent extends Event {
  constructor(type, options = undefined) {
    if (arguments.length === 0) throw new ERR_MISSING_ARGS('type');
    super(type, options);
    this[kDetail] = options != null && options.detail !== undefined ? options.detail : null;
  }

  get detail() {
    if (!isEvent(this) || !(kDetail in this)) throw new ERR_INVALID_THIS('CustomEvent');
    return this[kDetail];
  }
}
Object.defineProperty(CustomEvent.prototype, 'detail', { enumerable: true });
Object.defineProperty(CustomEvent.prototype, Symbol.toStringTag, {
  value: 'CustomEvent', writable: false, enumerable: false, configurable: true,
});

function validateListener(listener) {
  if (typeof listener === 'function' ||
      (listener != null && typeof listener === 'object' && typeof listener.handleEvent === 'function')) {
    return true;
  }
  if (listener == null) return false;
  if (typeof listener === 'object') return true; // handleEvent may be added later
  throw new ERR_INVALID_ARG_TYPE('listener', 'EventListener', listener);
}

function flattenOptions(options) {
  if (options == null) return { once: false, capture: false, passive: false, signal: undefined };
  if (typeof options === 'boolean') return { once: false, capture: options, passive: false, signal: undefined };
  if (typeof options !== 'object' && typeof options !== 'function') {
    throw new ERR_INVALID_ARG_TYPE('options', 'object', options);
  }
  return {
    once: !!options.once,
    capture: !!options.capture,
    passive: !!options.passive,
    signal: options.signal,
    isNodeStyleListener: !!options[Symbol.for('nodejs.event_target.isNodeStyleListener')],
  };
}

function isEventTarget(obj) {
  return obj != null && typeof obj === 'object' && obj[kEvents] !== undefined;
}

function emitUncaught(err) {
  if (typeof process === 'object' && process && typeof process.nextTick === 'function') {
    process.nextTick(() => { throw err; });
  } else {
    setTimeout(() => { throw err; }, 0);
  }
}

class EventTarget {
  constructor() {
    this[kEvents] = new Map();
    this[kMaxEventTargetListeners] = 10;
    this[kMaxEventTargetListenersWarned] = false;
  }

  addEventListener(type, listener, options = undefined) {
    if (!isEventTarget(this)) throw new ERR_INVALID_THIS('EventTarget');
    if (arguments.length < 2) throw new ERR_MISSING_ARGS('type', 'listener');
    const { once, capture, passive, signal, isNodeStyleListener } = flattenOptions(options);
    if (!validateListener(listener)) {
      if (typeof process === 'object' && process && typeof process.emitWarning === 'function') {
        const w = new Error(`addEventListener called with ${listener} which has no effect.`);
        w.name = 'AddEventListenerArgumentTypeWarning';
        w.target = this;
        w.type = type;
        process.emitWarning(w);
      }
      return;
    }
    type = typeof type === 'symbol' ? type : `${type}`;
    if (signal) {
      if (signal.aborted) return;
      signal.addEventListener('abort', () => {
        this.removeEventListener(type, listener, options);
      }, { once: true, [kWeakHandler]: this });
    }
    let list = this[kEvents].get(type);
    if (!list) {
      list = [];
      this[kEvents].set(type, list);
    }
    for (const l of list) {
      if (l.listener === listener && l.capture === capture && !l.removed) return;
    }
    list.push({ listener, capture, once, passive, removed: false, isNodeStyleListener });
    if (this[kMaxEventTargetListeners] > 0 && list.length > this[kMaxEventTargetListeners] &&
        !this[kMaxEventTargetListenersWarned]) {
      this[kMaxEventTargetListenersWarned] = true;
      if (typeof process === 'object' && process && typeof process.emitWarning === 'function') {
        const w = new Error('Possible EventTarget memory leak detected. ' +
          `${list.length} ${String(type)} listeners added to ${this.constructor.name === 'EventTarget' ? 'EventTarget' : this.constructor.name}. ` +
          'MaxListeners is ' + this[kMaxEventTargetListeners] + '. Use events.setMaxListeners() to increase limit');
        w.name = 'MaxListenersExceededWarning';
        w.target = this;
        w.type = type;
        w.count = list.length;
        process.emitWarning(w);
      }
    }
    if (typeof this[kNewListener] === 'function') this[kNewListener](list.length, type, listener, once, capture, passive);
  }

  removeEventListener(type, listener, options = undefined) {
    if (!isEventTarget(this)) throw new ERR_INVALID_THIS('EventTarget');
    if (arguments.length < 2) throw new ERR_MISSING_ARGS('type', 'listener');
    if (!validateListener(listener)) return;
    type = typeof type === 'symbol' ? type : `${type}`;
    const capture = options != null && (typeof options === 'boolean' ? options : !!options.capture);
    const list = this[kEvents].get(type);
    if (!list) return;
    for (let i = 0; i < list.length; i++) {
      const l = list[i];
      if (l.listener === listener && l.capture === capture) {
        l.removed = true;
        list.splice(i, 1);
        if (list.length === 0) this[kEvents].delete(type);
        if (typeof this[kRemoveListener] === 'function') this[kRemoveListener](list.length, type, listener, capture);
        return;
      }
    }
  }

  dispatchEvent(event) {
    if (!isEventTarget(this)) throw new ERR_INVALID_THIS('EventTarget');
    if (arguments.length < 1) throw new ERR_MISSING_ARGS('event');
    if (!isEvent(event)) throw new ERR_INVALID_ARG_TYPE('event', 'Event', event);
    const s = event[kEventState];
    if (s.dispatching) throw new ERR_EVENT_RECURSION(event.type);
    this[kHybridDispatch](event, event.type, event);
    return event.defaultPrevented !== true;
  }

  [kHybridDispatch](nodeValue, type, event) {
    const s = event ? event[kEventState] : null;
    if (s) {
      s.target = this;
      s.currentTarget = this;
      s.dispatching = true;
      event[kTarget] = this;
      event[kIsBeingDispatched] = true;
    }
    const list = this[kEvents].get(type);
    if (list) {
      for (const l of list.slice()) {
        if (l.removed) continue;
        if (l.once) this.removeEventListener(type, l.listener, { capture: l.capture });
        try {
          let arg = event;
          if (l.isNodeStyleListener) arg = nodeValue;
          let ret;
          const fn = l.listener;
          if (typeof fn === 'function') {
            ret = fn.call(this, arg);
          } else if (fn && typeof fn.handleEvent === 'function') {
            ret = fn.handleEvent(arg);
          }
          if (ret !== undefined && ret !== null && typeof ret.then === 'function') {
            ret.then(undefined, (err) => emitUncaught(err));
          }
        } catch (err) {
          emitUncaught(err);
        }
        if (s && s.immediateStopped) break;
      }
    }
    if (s) {
      s.currentTarget = null;
      s.dispatching = false;
      event[kIsBeingDispatched] = false;
    }
  }

  [customInspect](depth, options) {
    const name = this.constructor.name;
    if (depth < 0) return name;
    return `${name} ${require('util').inspect({}, options)}`;
  }
}


for (const k of ['addEventListener', 'removeEventListener', 'dispatchEvent']) {
  Object.defineProperty(EventTarget.prototype, k, { enumerable: true });
}
Object.defineProperty(EventTarget.prototype, Symbol.toStringTag, {
  value: 'EventTarget', writable: false, enumerable: false, configurable: true,
});

// NodeEventTarget: an EventTarget with a subset of the EventEmitter API.
class NodeEventTarget extends EventTarget {
  setMaxListeners(n) { this[kMaxEventTargetListeners] = n; }
  getMaxListeners() { return this[kMaxEventTargetListeners]; }
  eventNames() { return [...this[kEvents].keys()]; }
  listenerCount(type) { const l = this[kEvents].get(`${type}`); return l ? l.length : 0; }
  off(type, listener, options) { this.removeEventListener(type, listener, options); return this; }
  removeListener(type, listener, options) { this.removeEventListener(type, listener, options); return this; }
  on(type, listener) {
    this.addEventListener(type, listener, { [Symbol.for('nodejs.event_target.isNodeStyleListener')]: true });
    return this;
  }
  addListener(type, listener) { return this.on(type, listener); }
  emit(type, arg) {
    const hadListeners = this.listenerCount(type) > 0;
    this[kHybridDispatch](arg, `${type}`);
    return hadListeners;
  }
  once(type, listener) {
    this.addEventListener(type, listener, { once: true, [Symbol.for('nodejs.event_target.isNodeStyleListener')]: true });
    return this;
  }
  removeAllListeners(type) {
    if (type !== undefined) this[kEvents].delete(`${type}`);
    else this[kEvents].clear();
    return this;
  }
}

module.exports = {
  Event,
  CustomEvent,
  EventTarget,
  NodeEventTarget,
  isEventTarget,
  kEvents,
  kTrustEvent,
  kMaxEventTargetListeners,
  kMaxEventTargetListenersWarned,
  kWeakHandler,
  kNewListener,
  kRemoveListener,
};
