'use strict';
// The async context behind AsyncLocalStorage and AsyncResource. QuickJS
// has no promise hooks, so the context is carried by hand:
//
// - the current frame is a Map (AsyncLocalStorage → store), or null;
// - install() wraps the functions that schedule callbacks (setTimeout,
//   setInterval, setImmediate, process.nextTick, queueMicrotask and the
//   timers module's copies) so a callback runs in the frame it was
//   scheduled in, as Node's async resources do;
// - promise reactions: Promise.prototype.then becomes an accessor whose
//   getter captures the frame at the moment `then` is looked up, and the
//   reaction runs in it. For `await` to look `then` up at all, the global
//   Promise (and Promise.prototype.constructor) become a transparent
//   Proxy of the intrinsic one: `await p` then no longer recognizes p as
//   an intrinsic promise and resolves it through p.then, synchronously
//   looked up in the awaiting function's frame. The reaction that resumes
//   the async function leaves its frame current ("sticky") when it
//   returns, so the code after the await sees it; a nextTick queued then
//   (it runs once the microtask queue is empty) clears it before the next
//   macrotask.
//
// Limits: awaiting a non-promise value
// (await null, await 42) does not carry the frame: the code after it sees
// the frame of whatever reaction ran last (the engine calls no user code
// there); awaits take two more microtask ticks than in V8 once install()
// ran, which only changes interleaving between independent promise chains
// (Node prints a,1,b,2,c for a two-step then chain beside a two-await
// async function, gnode a,1,2,b,c). install() runs on the
// first AsyncLocalStorage or AsyncResource and the Promise proxy goes in
// when a frame is first entered (run, enterWith), so programs that never
// enter one keep V8's ordering and speed. Code that saved the global
// Promise before that sees p.constructor !== its saved Promise.

let current = null;
let installed = false;
// entered turns true the first time a frame becomes current; until then
// promise reactions need no wrapping (programs that create an
// AsyncLocalStorage at load time but never run() pay little).
let entered = false;
let swapPromise = null; // set by install()

// firstEnter: callbacks run once, when a frame is first entered (net.js
// starts running socket events in frames then).
let firstEnter = [];
function onFirstEnter(fn) {
  if (entered) fn();
  else firstEnter.push(fn);
}

function enter() {
  entered = true;
  if (swapPromise !== null) swapPromise();
  const fns = firstEnter;
  firstEnter = [];
  for (const fn of fns) fn();
}
let clearQueued = false;
let origNextTick;

function getFrame() { return current; }

function setFrame(f) {
  if (f !== null && !entered) enter();
  current = f;
}

function runInFrame(frame, fn, thisArg, args) {
  if (frame !== null && !entered) enter();
  const prev = current;
  current = frame;
  try {
    return Reflect.apply(fn, thisArg, args);
  } finally {
    current = prev;
  }
}

// AsyncResource#runInAsyncScope: runInFrame for the resource's frame
// (this._frame).
const runInAsyncScope = function runInAsyncScope(fn, thisArg, ...args) {
  return runInFrame(this._frame, fn, thisArg, args);
};

// bindFrame returns fn running in frame (default: the current one).
function bindFrame(fn, frame = current) {
  if (typeof fn !== 'function') return fn;
  const bound = function (...args) { return runInFrame(frame, fn, this, args); };
  return bound;
}

// bindCurrent is bindFrame for callbacks handed to the Go side (fs, dns,
// zlib, crypto bindings): it returns fn itself when no frame is current,
// which is always the case in programs that never entered an
// AsyncLocalStorage, so they pay one call and one comparison.
function bindCurrent(fn) {
  if (current === null || typeof fn !== 'function') return fn;
  const frame = current;
  return function (a, b, c) {
    const prev = current;
    current = frame;
    try {
      switch (arguments.length) {
        case 0: return fn.call(this);
        case 1: return fn.call(this, a);
        case 2: return fn.call(this, a, b);
        case 3: return fn.call(this, a, b, c);
        default: return Reflect.apply(fn, this, arguments);
      }
    } finally {
      current = prev;
    }
  };
}

function clearSticky() {
  clearQueued = false;
  current = null;
}

// enterSticky makes frame current until the microtask queue drains.
function enterSticky(frame) {
  current = frame;
  if (frame !== null && !clearQueued && origNextTick) {
    clearQueued = true;
    origNextTick(clearSticky);
  }
}

function wrapScheduler(orig, cbIndex) {
  // With no frame current (the usual case once an AsyncResource or an
  // unused AsyncLocalStorage exists) up to three arguments are passed on
  // as they are: no rest array, no Reflect.apply. The wrapper keeps the
  // caller's argument count, which nextTick and setTimeout read.
  const wrapped = {
    [orig.name](a, b, c) {
      const n = arguments.length;
      if (current === null && n <= 3) {
        switch (n) {
          case 0: return orig.call(this);
          case 1: return orig.call(this, a);
          case 2: return orig.call(this, a, b);
          default: return orig.call(this, a, b, c);
        }
      }
      const args = Array.prototype.slice.call(arguments);
      if (current !== null && typeof args[cbIndex] === 'function') args[cbIndex] = bindCurrent(args[cbIndex]);
      return Reflect.apply(orig, this, args);
    },
  }[orig.name];
  for (const k of Reflect.ownKeys(orig)) {
    if (k === 'length' || k === 'name' || k === 'prototype') continue;
    try { Object.defineProperty(wrapped, k, Object.getOwnPropertyDescriptor(orig, k)); } catch { /* keep going */ }
  }
  Object.defineProperty(wrapped, 'length', { value: orig.length });
  return wrapped;
}

function install() {
  if (installed) return;
  installed = true;
  // The timers module and process.nextTick check the frame themselves
  // once told about this module (no wrapper on their hot path); anything
  // without that hook is wrapped.
  const timers = require('timers');
  if (typeof timers._setAsyncContext === 'function') {
    timers._setAsyncContext(module.exports);
  } else {
    for (const name of ['setTimeout', 'setInterval', 'setImmediate']) {
      const orig = timers[name];
      if (typeof orig !== 'function') continue;
      const w = wrapScheduler(orig, 0);
      try { timers[name] = w; } catch { /* frozen */ }
      if (globalThis[name] === orig) globalThis[name] = w;
    }
  }
  if (typeof globalThis.queueMicrotask === 'function') {
    globalThis.queueMicrotask = wrapScheduler(globalThis.queueMicrotask, 0);
  }
  // clearSticky must not itself be bound to the frame it clears, so it is
  // queued through the raw nextTick1.
  const tick1 = process._nextTick1;
  if (typeof process._setAsyncContext === 'function' && typeof tick1 === 'function') {
    process._setAsyncContext(module.exports);
    origNextTick = (fn) => tick1(fn, undefined);
  } else {
    origNextTick = process.nextTick;
    process.nextTick = wrapScheduler(origNextTick, 0);
  }

  const Intrinsic = Promise;
  const proto = Intrinsic.prototype;
  const origThen = proto.then;
  // then looked up with a frame current runs its reactions in that frame.
  // A reaction first queues a job that makes its frame current again and
  // only then calls the handler: when the handler is the resolve function
  // of an await, the async function's continuation is queued right behind
  // that job, so it resumes in its own frame even when other frames'
  // continuations are interleaved with it.
  const resolved = Intrinsic.resolve();
  const thenCache = new WeakMap();
  const thenIn = (frame) => {
    const setter = frame === null ? () => { current = null; } : () => enterSticky(frame);
    return function then(onFulfilled, onRejected) {
      const f = typeof onFulfilled === 'function'
        ? (v) => { enterSticky(frame); Reflect.apply(origThen, resolved, [setter]); return onFulfilled(v); } : onFulfilled;
      const r = typeof onRejected === 'function'
        ? (e) => { enterSticky(frame); Reflect.apply(origThen, resolved, [setter]); return onRejected(e); } : onRejected;
      return Reflect.apply(origThen, this, [f, r]);
    };
  };
  const rootThen = thenIn(null);
  let userThen = null;
  Object.defineProperty(proto, 'then', {
    configurable: true,
    enumerable: false,
    get() {
      if (userThen !== null) return userThen;
      if (!entered) return origThen;
      if (current === null) return rootThen;
      let fn = thenCache.get(current);
      if (fn === void 0) {
        fn = thenIn(current);
        thenCache.set(current, fn);
      }
      return fn;
    },
    set(v) { userThen = v; },
  });
  // The Proxy goes in when a frame is first entered, not before: awaits
  // through it cost two more jobs each.
  swapPromise = () => {
    swapPromise = null;
    const P = new Proxy(Intrinsic, {});
    Object.defineProperty(proto, 'constructor', { value: P, writable: true, configurable: true, enumerable: false });
    if (globalThis.Promise === Intrinsic) {
      Object.defineProperty(globalThis, 'Promise', { value: P, writable: true, configurable: true, enumerable: false });
    }
  };
  if (entered) swapPromise();
}

module.exports = { getFrame, setFrame, runInFrame, runInAsyncScope, bindFrame, bindCurrent, install, onFirstEnter };
