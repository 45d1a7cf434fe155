'use strict';
// node:async_hooks: AsyncLocalStorage and AsyncResource over the frames of
// internal/async_context (no engine promise hooks: see that file for what
// is carried and the limits). createHook returns hooks that never fire.

const ctx = require('internal/async_context');
const { codes: { ERR_INVALID_ARG_TYPE } } = require('internal/errors');

let nextAsyncId = 1;

class AsyncLocalStorage {
  constructor() {
    ctx.install();
    this._enabled = false;
  }

  static bind(fn) {
    ctx.install();
    if (typeof fn !== 'function') throw new ERR_INVALID_ARG_TYPE('fn', 'Function', fn);
    return ctx.bindFrame(fn, ctx.getFrame());
  }

  static snapshot() {
    ctx.install();
    const frame = ctx.getFrame();
    return function runInAsyncScope(fn, ...args) {
      return ctx.runInFrame(frame, fn, this, args);
    };
  }

  disable() {
    if (!this._enabled) return;
    this._enabled = false;
    const f = ctx.getFrame();
    if (f !== null && f.has(this)) {
      const n = new Map(f);
      n.delete(this);
      ctx.setFrame(n.size ? n : null);
    }
  }

  getStore() {
    if (!this._enabled) return undefined;
    const f = ctx.getFrame();
    return f === null ? undefined : f.get(this);
  }

  _with(store) {
    this._enabled = true;
    const n = new Map(ctx.getFrame() || undefined);
    n.set(this, store);
    return n;
  }

  enterWith(store) {
    ctx.setFrame(this._with(store));
  }

  run(store, callback, ...args) {
    return ctx.runInFrame(this._with(store), callback, undefined, args);
  }

  exit(callback, ...args) {
    if (!this._enabled) return Reflect.apply(callback, undefined, args);
    const f = ctx.getFrame();
    let n = null;
    if (f !== null) {
      n = new Map(f);
      n.delete(this);
      if (n.size === 0) n = null;
    }
    return ctx.runInFrame(n, callback, undefined, args);
  }
}

// installed: ctx.install() ran (it returns at once after its first call,
// but a call costs here: on-finished makes a resource per response).
let installed = false;

class AsyncResource {
  // opts defaults to undefined, not a new object (the length stays 1).
  constructor(type, opts = undefined) {
    if (!installed) {
      ctx.install();
      installed = true;
    }
    if (typeof type !== 'string') throw new ERR_INVALID_ARG_TYPE('type', 'string', type);
    this._frame = ctx.getFrame();
    this._asyncId = ++nextAsyncId;
    const trigger = typeof opts === 'number' ? opts : opts && opts.triggerAsyncId;
    this._trigger = trigger !== void 0 ? trigger : 1;
  }

  // Replaced below by internal/async_context's copy, which switches the
  // frame itself (no runInFrame call per run).
  runInAsyncScope(fn, thisArg, ...args) {
    return ctx.runInFrame(this._frame, fn, thisArg, args);
  }

  emitDestroy() { return this; }
  asyncId() { return this._asyncId; }
  triggerAsyncId() { return this._trigger; }

  bind(fn, thisArg) {
    if (typeof fn !== 'function') throw new ERR_INVALID_ARG_TYPE('fn', 'Function', fn);
    const self = this;
    const bound = thisArg === void 0
      ? function (...args) { return self.runInAsyncScope(fn, this, ...args); }
      : function (...args) { return self.runInAsyncScope(fn, thisArg, ...args); };
    Object.defineProperties(bound, {
      length: { configurable: true, enumerable: false, value: fn.length, writable: false },
      asyncResource: { configurable: true, enumerable: true, value: this, writable: true },
    });
    return bound;
  }

  static bind(fn, type, thisArg) {
    type = type || fn.name || 'bound-anonymous-fn';
    return (new AsyncResource(type)).bind(fn, thisArg);
  }
}

Object.defineProperty(AsyncResource.prototype, 'runInAsyncScope', {
  value: ctx.runInAsyncScope, writable: true, enumerable: false, configurable: true,
});

function createHook(hooks) {
  if (hooks === null || typeof hooks !== 'object') throw new ERR_INVALID_ARG_TYPE('options', 'Object', hooks);
  return { enable() { return this; }, disable() { return this; } };
}

module.exports = {
  AsyncLocalStorage,
  createHook,
  executionAsyncId() { return 1; },
  triggerAsyncId() { return 0; },
  executionAsyncResource() { return {}; },
  asyncWrapProviders: {},
  AsyncResource,
};
