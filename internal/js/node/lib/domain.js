'use strict';
// node:domain (deprecated in Node, still used by old servers and test
// tools). Loading the module turns domains on, as in Node:
//
// - An error that escapes to the uncaught-exception handler while a domain
//   is active (thrown inside domain.run(), or in a callback that runs in
//   the domain) is emitted as 'error' on that domain, with err.domain and
//   err.domainThrown set, instead of crashing the process.
// - Callbacks given to setTimeout, setInterval, setImmediate,
//   process.nextTick and queueMicrotask while a domain is active run in that
//   domain (Node tracks this through async_hooks; gnode wraps the callbacks
//   of the timer functions looked up after this module was loaded).
// - EventEmitters created while a domain is active, or added with
//   domain.add(), belong to it: their listeners run in it and an 'error'
//   event without listeners goes to the domain.
// Promise callbacks are not tracked, and rejections never reach domains,
// as in Node.

const EventEmitter = require('events');

const stack = [];

// process.domain and exports.active name the innermost entered domain.
function setActive(d) {
  exports.active = d;
  process.domain = d;
}

class Domain extends EventEmitter {
  constructor() {
    super();
    this.members = [];
  }

  enter() {
    setActive(this);
    stack.push(this);
  }

  exit() {
    const i = stack.lastIndexOf(this);
    if (i === -1) return;
    stack.length = i;
    // Node leaves undefined (the empty stack's top) here, null only after
    // an error unwound the stack.
    setActive(stack[stack.length - 1]);
  }

  run(fn, ...args) {
    this.enter();
    // No finally: an error thrown here must find this domain still active
    // when it reaches the uncaught-exception handler, as in Node.
    const ret = fn.apply(this, args);
    this.exit();
    return ret;
  }

  add(ee) {
    if (ee.domain === this) return;
    if (ee.domain) ee.domain.remove(ee);
    if (this.domain && ee instanceof Domain) {
      for (let d = this.domain; d; d = d.domain) if (ee === d) return;
    }
    ee.domain = this;
    this.members.push(ee);
  }

  remove(ee) {
    ee.domain = null;
    const i = this.members.indexOf(ee);
    if (i !== -1) this.members.splice(i, 1);
  }

  bind(cb) {
    const d = this;
    function bound(...args) {
      d.enter();
      const ret = cb.apply(this, args);
      d.exit();
      return ret;
    }
    bound.domain = this;
    return bound;
  }

  intercept(cb) {
    const d = this;
    function intercepted(err, ...args) {
      if (err instanceof Error) {
        err.domainBound = cb;
        err.domainThrown = false;
        err.domain = d;
        d.emit('error', err);
        return undefined;
      }
      d.enter();
      const ret = cb.apply(this, args);
      d.exit();
      return ret;
    }
    intercepted.domain = this;
    return intercepted;
  }

  dispose() {
    this.exit();
    this.members.length = 0;
    this.emit('dispose');
  }
}

function create() {
  return new Domain();
}

// ---- wiring ------------------------------------------------------------------

if (process.domain === undefined) process.domain = null;

// Uncaught errors go to the active domain first.
const fatal = process._onUncaughtException;
if (typeof fatal === 'function') {
  process._onUncaughtException = function onUncaughtException(err, origin) {
    const d = exports.active;
    if (d && !process._exiting && d.listenerCount('error') > 0) {
      if (err !== null && typeof err === 'object') {
        try {
          err.domain = d;
          err.domainThrown = true;
        } catch { /* frozen errors are emitted as they are */ }
      }
      // The domain stack unwinds before the handler runs, as in Node.
      stack.length = 0;
      setActive(undefined);
      try {
        d.emit('error', err);
      } catch (err2) {
        setActive(null);
        return fatal.call(this, err2, origin);
      }
      setActive(null);
      return undefined;
    }
    stack.length = 0;
    setActive(null);
    return fatal.call(this, err, origin);
  };
}

function wrapCallback(cb) {
  const d = exports.active;
  if (!d || typeof cb !== 'function') return cb;
  return function domainCallback(...args) {
    d.enter();
    const ret = cb.apply(this, args);
    d.exit();
    return ret;
  };
}

function patchScheduler(holder, name) {
  const orig = holder[name];
  if (typeof orig !== 'function' || orig.__domainWrapped) return;
  const wrapped = {
    [name](cb, ...rest) {
      return orig.call(this, wrapCallback(cb), ...rest);
    },
  }[name];
  Object.defineProperty(wrapped, '__domainWrapped', { value: true });
  for (const k of Object.keys(orig)) wrapped[k] = orig[k];
  const util = require('util');
  if (orig[util.promisify.custom]) wrapped[util.promisify.custom] = orig[util.promisify.custom];
  holder[name] = wrapped;
}

const timers = require('timers');
for (const name of ['setTimeout', 'setInterval', 'setImmediate']) {
  const same = globalThis[name] === timers[name];
  patchScheduler(timers, name);
  if (same) globalThis[name] = timers[name];
  else patchScheduler(globalThis, name);
}
patchScheduler(globalThis, 'queueMicrotask');
patchScheduler(process, 'nextTick');

EventEmitter.usingDomains = true;
const init = EventEmitter.init;
EventEmitter.init = function domainInit(opts) {
  const r = init.call(this, opts);
  // Not enumerable, so emitters look the same to Object.keys and inspect.
  const d = exports.active && this !== process && !(this instanceof Domain) ? exports.active : null;
  Object.defineProperty(this, 'domain', { value: d, writable: true, enumerable: false, configurable: true });
  return r;
};

const emit = EventEmitter.prototype.emit;
EventEmitter.prototype.emit = function domainEmit(type, ...args) {
  const d = this.domain;
  if (!d || d === this || this === process || this instanceof Domain) return emit.call(this, type, ...args);
  if (type === 'error' && this.listenerCount('error') === 0) {
    const er = args[0];
    if (er !== null && typeof er === 'object') {
      er.domainEmitter = this;
      er.domain = d;
      er.domainThrown = false;
    }
    d.emit('error', er);
    return false;
  }
  d.enter();
  const ret = emit.call(this, type, ...args);
  d.exit();
  return ret;
};

exports._stack = stack;
exports.Domain = Domain;
exports.createDomain = create;
exports.create = create;
exports.active = null;
