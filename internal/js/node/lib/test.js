'use strict';
// node:test (reachable only as "node:test", as in Node): test(),
// describe()/it()/suite(), hooks, subtests through the test context,
// skip/todo/only, callback and promise tests, timeouts, plans, mock.fn and
// mock.method, and Node 20's default reporters: TAP when stdout is not a
// terminal, spec when it is. The summary is printed when the event loop
// empties (beforeExit) and the exit code becomes 1 when a test failed.
//
// Tests run one at a time, in the order they were declared, like Node's
// default concurrency. A test's report (its subtests first) is written when
// the test ends; Node writes through an asynchronous stream, so console
// output inside tests interleaves with the report differently.

const { internalFormatters } = require('test/reporters');
const assertModule = require('assert');

const kTestCodeFailure = 'testCodeFailure';
const kHookFailure = 'hookFailed';
const kSubtestsFailed = 'subtestsFailed';
const kCancelledByParent = 'cancelledByParent';
const kCallbackAndPromisePresent = 'callbackAndPromisePresent';
const kTestTimeoutFailure = 'testTimeoutFailure';
const kParentAlreadyFinished = 'parentAlreadyFinished';

function testFailure(cause, failureType, message) {
  if (message === undefined) {
    message = cause !== null && typeof cause === 'object' && 'message' in cause ? String(cause.message) : String(cause);
  }
  const e = new Error(message);
  e.code = 'ERR_TEST_FAILURE';
  e.failureType = failureType;
  if (cause !== undefined) e.cause = cause;
  return e;
}

function invalidArgType(name, expected, actual) {
  const e = new TypeError(`The "${name}" argument must be ${expected}. Received ${actual === null ? 'null' : typeof actual}`);
  e.code = 'ERR_INVALID_ARG_TYPE';
  return e;
}

function now() {
  return Number(process.hrtime.bigint()) / 1e6;
}

function round(ms) {
  return Math.round(ms * 1e6) / 1e6;
}

// callSite finds where test()/it()/describe() was called: the first stack
// frame outside this module.
function callSite() {
  const stack = new Error().stack || '';
  for (const line of stack.split('\n')) {
    const m = /^\s*at (?:.*? \()?(.*?):(\d+):(\d+)\)?$/.exec(line);
    if (!m) continue;
    const file = m[1];
    if (file.startsWith('node:') || file === 'native' || file.startsWith('<')) continue;
    const path = file.startsWith('file://') ? decodeURIComponent(file.slice(7)) : file;
    return { file: path, line: +m[2], column: calleeColumn(path, +m[2], +m[3]) };
  }
  return undefined;
}

// calleeColumn converts QuickJS's column of a call (its "(") to V8's (the
// start of the called name: "it" in it(...), "skip" in test.skip(...)).
const sourceLines = new Map();
function calleeColumn(file, line, column) {
  let lines = sourceLines.get(file);
  if (lines === undefined) {
    try {
      lines = require('fs').readFileSync(file, 'utf8').split('\n');
    } catch {
      lines = null;
    }
    sourceLines.set(file, lines);
  }
  const text = lines && lines[line - 1];
  if (typeof text !== 'string' || text[column - 1] !== '(') return column;
  let i = column - 2;
  while (i >= 0 && /\s/.test(text[i])) i--;
  let j = i;
  while (j >= 0 && /[\w$]/.test(text[j])) j--;
  return j < i ? j + 2 : column;
}

// ---- reporting -------------------------------------------------------------

// A file run by run() (or gnode --test) reports its events to the parent
// on stdout, one marked line each (v8-serialized, base64), instead of
// printing a report.
const childMode = process.env.GNODE_TEST_CHILD === '1';
if (childMode) delete process.env.GNODE_TEST_CHILD;
const kEventMark = '\u001bgnode-test:';

let format;
function emit(type, data) {
  if (childMode) {
    process.stdout.write(`${kEventMark}${encodeEvent({ type, data })}\n`);
    return;
  }
  if (format === undefined) {
    const useSpec = !!(process.stdout && process.stdout.isTTY);
    format = useSpec
      ? internalFormatters.spec({ colors: process.stdout.hasColors ? process.stdout.hasColors() : false })
      : internalFormatters.tap();
  }
  const s = format({ type, data });
  if (s) process.stdout.write(s);
}

const counts = { tests: 0, suites: 0, pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 };

// countEvent adds a finished test's verdict to the summary counts.
function countEvent(type, data) {
  if (type !== 'test:pass' && type !== 'test:fail') return;
  const d = data.details || {};
  if (d.type === 'suite') {
    counts.suites++;
    return;
  }
  counts.tests++;
  const ft = d.error && d.error.failureType;
  if (data.todo !== undefined) counts.todo++;
  else if (data.skip !== undefined) counts.skipped++;
  else if (ft === kCancelledByParent || ft === kTestTimeoutFailure) counts.cancelled++;
  else if (type === 'test:fail') counts.fail++;
  else counts.pass++;
}

function report(t) {
  const base = { name: t.name, nesting: t.nesting };
  if (t.loc) Object.assign(base, t.loc);
  emit('test:start', base);
  for (const s of t.subtests) report(s);
  if (t.subtests.length) emit('test:plan', { nesting: t.nesting + 1, count: t.subtests.length });
  const data = { ...base, testNumber: t.testNumber, details: { duration_ms: round(t.duration) } };
  if (t.kind === 'suite') data.details.type = 'suite';
  if (t.skipped !== undefined) data.skip = t.skipped;
  if (t.todo !== undefined) data.todo = t.todo;
  if (t.error) data.details.error = t.error;
  emit(t.error ? 'test:fail' : 'test:pass', data);
  for (const msg of t.diagnostics) emit('test:diagnostic', { nesting: t.nesting, message: msg });
  countEvent(t.error ? 'test:fail' : 'test:pass', data);
}

// ---- tests -------------------------------------------------------------------

let current; // the test or suite whose function is running synchronously

class Test {
  constructor({ name, fn, options = {}, parent, kind, loc }) {
    this.name = name;
    this.fn = fn;
    this.parent = parent;
    this.kind = kind;
    this.loc = loc;
    this.nesting = parent ? parent.nesting + 1 : -1;
    this.subtests = [];
    this.pending = [];
    this.running = null;
    this.hooks = { before: [], after: [], beforeEach: [], afterEach: [] };
    this.beforeRan = false;
    this.diagnostics = [];
    this.skipped = options.skip ? (typeof options.skip === 'string' ? options.skip : true) : undefined;
    this.todo = options.todo ? (typeof options.todo === 'string' ? options.todo : true) : undefined;
    if (this.skipped === undefined && parent && parent.skipped !== undefined && kind !== 'root' && parent.kind === 'suite') {
      this.skipped = true;
    }
    this.timeout = typeof options.timeout === 'number' ? options.timeout : (parent && parent.kind !== 'root' ? parent.timeout : Infinity);
    this.only = !!options.only;
    if (this.only) this.diagnostics.push("'only' and 'runOnly' require the --test-only command-line option.");
    this.error = null;
    this.finished = false;
    this.cancelled = false;
    this.duration = 0;
    this.planned = undefined;
    this.assertions = 0;
    this.controller = new AbortController();
    this.mock = null;
    this.testNumber = 0;
    let resolve;
    this.done = new Promise((r) => { resolve = r; });
    this.resolveDone = resolve;
    if (parent) {
      parent.subtests.push(this);
      this.testNumber = parent.subtests.length;
    }
  }

  get fullName() {
    const names = [];
    for (let t = this; t && t.kind !== 'root'; t = t.parent) names.unshift(t.name);
    return names.join(' > ');
  }

  fail(error) {
    if (!this.error) this.error = error;
  }

  // enqueue schedules a subtest: it starts now when nothing else of this
  // parent runs, after the running one otherwise.
  enqueue(sub) {
    if (this.finished && this.kind !== 'root') {
      sub.fail(testFailure(undefined, kParentAlreadyFinished, 'test could not be started because its parent finished'));
      sub.finish();
      return sub.done;
    }
    this.pending.push(sub);
    if (this.kind !== 'suite') this.drain();
    return sub.done;
  }

  drain() {
    if (this.running || !this.pending.length) return;
    const next = this.pending.shift();
    this.running = next;
    next.run().then(() => {
      this.running = null;
      this.drain();
    });
  }

  async runHooks(kind, ctx) {
    for (const h of this.hooks[kind]) await runFn(h.fn, ctx, h.timeout, 2);
  }

  // eachHooks runs the beforeEach (outermost first) or afterEach
  // (innermost first) hooks of the ancestors of this test.
  async eachHooks(kind) {
    const chain = [];
    for (let p = this.parent; p; p = p.parent) chain.push(p);
    if (kind === 'beforeEach') chain.reverse();
    for (const p of chain) {
      for (const h of p.hooks[kind]) await runFn(h.fn, this.context(), h.timeout, 2);
    }
  }

  context() {
    if (!this.ctx) this.ctx = this.kind === 'suite' ? new SuiteContext(this) : new TestContext(this);
    return this.ctx;
  }

  async run() {
    const start = now();
    this.startTime = start;
    if (this.skipped !== undefined) {
      this.finish(start);
      return;
    }
    const parent = this.parent;
    try {
      if (parent && !parent.beforeRan) {
        parent.beforeRan = true;
        await parent.runHooks('before', parent.context());
      }
    } catch (e) {
      this.fail(testFailure(e, kHookFailure));
    }
    if (!this.error && this.kind !== 'suite') {
      try {
        await this.eachHooks('beforeEach');
      } catch (e) {
        this.fail(testFailure(e, kHookFailure));
      }
    }
    if (!this.error) {
      if (this.kind === 'suite') await this.runSuite();
      else await this.runTest();
    }
    if (this.cancelled) return;
    if (this.kind !== 'suite') {
      try {
        await this.eachHooks('afterEach');
      } catch (e) {
        this.fail(testFailure(e, kHookFailure));
      }
      try {
        await this.runHooks('after', this.context());
      } catch (e) {
        this.fail(testFailure(e, kHookFailure));
      }
    }
    this.finish(start);
  }

  async runTest() {
    const ctx = this.context();
    try {
      await runFn(this.fn, ctx, this.timeout, 2, true);
    } catch (e) {
      if (this.cancelled) return;
      this.fail(e && e.code === 'ERR_TEST_FAILURE' && e.failureType ? e : testFailure(e, kTestCodeFailure));
    }
    if (this.cancelled) return;
    // Subtests still running or queued when the test's function is done
    // are cancelled, as in Node.
    const left = [];
    if (this.running) left.push(this.running);
    left.push(...this.pending);
    this.pending = [];
    for (const s of left) s.cancel(kCancelledByParent, 'test did not finish before its parent and was cancelled');
    if (!this.error && this.planned !== undefined && this.planned !== this.assertions) {
      this.fail(testFailure(undefined, kTestCodeFailure,
        `plan expected ${this.planned} assertions but received ${this.assertions}`));
    }
  }

  async runSuite() {
    try {
      await this.built;
    } catch (e) {
      this.fail(testFailure(e, kTestCodeFailure));
      return;
    }
    try {
      if (!this.beforeRan) {
        this.beforeRan = true;
        await this.runHooks('before', this.context());
      }
    } catch (e) {
      this.fail(testFailure(e, kHookFailure));
    }
    const subs = this.pending;
    this.pending = [];
    for (const s of subs) {
      if (this.error) {
        s.fail(testFailure(undefined, kCancelledByParent, 'test did not finish before its parent and was cancelled'));
        s.finish();
        continue;
      }
      this.running = s;
      await s.run();
      this.running = null;
    }
    try {
      await this.runHooks('after', this.context());
    } catch (e) {
      this.fail(testFailure(e, kHookFailure));
    }
  }

  cancel(failureType, message) {
    if (this.finished) return;
    if (this.running) this.running.cancel(failureType, message);
    for (const s of this.pending) s.cancel(failureType, message);
    this.pending = [];
    this.fail(testFailure(undefined, failureType, message));
    this.cancelled = true;
    this.controller.abort();
    this.finish(this.startTime);
  }

  finish(start) {
    if (this.finished) return;
    this.finished = true;
    this.duration = start === undefined ? 0 : now() - start;
    if (this.mock) this.mock.restoreAll();
    if (!this.error && this.skipped === undefined) {
      const failed = this.subtests.filter((s) => s.error && s.todo === undefined).length;
      if (failed) {
        this.fail(testFailure(undefined, kSubtestsFailed, `${failed} subtest${failed === 1 ? '' : 's'} failed`));
      }
    }
    if (this.parent && this.parent.kind === 'root') report(this);
    this.resolveDone();
  }
}

// runFn calls a test or hook function, with a done callback when it
// declares one (arity > cbArity - 1), and applies the timeout.
function runFn(fn, ctx, timeout, cbArity, isTest) {
  return new Promise((resolve, reject) => {
    let timer;
    let settled = false;
    const settle = (err) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      if (err !== undefined) reject(err);
      else resolve();
    };
    if (timeout !== Infinity && timeout > 0) {
      timer = setTimeout(() => {
        settle(testFailure(undefined, kTestTimeoutFailure, `test timed out after ${timeout}ms`));
      }, timeout);
      if (timer.unref) timer.unref();
    }
    const prev = current;
    current = ctx[kTest];
    try {
      if (fn.length >= cbArity) {
        let called = false;
        let early;
        let returned = false;
        const done = (err) => {
          if (called) return;
          called = true;
          if (!returned) early = [err];
          else settle(err || undefined);
        };
        const r = fn.call(ctx, ctx, done);
        returned = true;
        if (r && typeof r.then === 'function') {
          r.then(() => {}, () => {});
          settle(testFailure(undefined, kCallbackAndPromisePresent, 'passed a callback but also returned a Promise'));
        } else if (early) {
          settle(early[0] || undefined);
        }
      } else {
        const r = fn.call(ctx, ctx);
        if (r && typeof r.then === 'function') {
          r.then(() => settle(), (e) => settle(e === undefined ? testFailure(e, kTestCodeFailure) : e));
        } else {
          settle();
        }
      }
    } catch (e) {
      settle(e === undefined ? testFailure(e, kTestCodeFailure) : e);
    } finally {
      current = prev;
    }
    void isTest;
  });
}

// ---- contexts ----------------------------------------------------------------

const kTest = Symbol('kTest');

class TestContext {
  constructor(test) {
    this[kTest] = test;
  }

  get name() { return this[kTest].name; }
  get fullName() { return this[kTest].fullName; }
  get signal() { return this[kTest].controller.signal; }
  get filePath() { return this[kTest].loc ? this[kTest].loc.file : undefined; }

  get mock() {
    if (!this[kTest].mock) this[kTest].mock = new MockTracker();
    return this[kTest].mock;
  }

  get assert() {
    if (!this._assert) {
      const t = this[kTest];
      const a = {};
      for (const k of Object.keys(assertModule)) {
        if (typeof assertModule[k] !== 'function' || k === 'AssertionError' || k === 'CallTracker') continue;
        a[k] = (...args) => {
          t.assertions++;
          return assertModule[k](...args);
        };
      }
      this._assert = a;
    }
    return this._assert;
  }

  diagnostic(message) {
    this[kTest].diagnostics.push(String(message));
  }

  plan(count) {
    if (typeof count !== 'number') throw invalidArgType('count', 'of type number', count);
    this[kTest].planned = count;
  }

  skip(message) {
    this[kTest].skipped = message === undefined ? true : String(message);
  }

  todo(message) {
    this[kTest].todo = message === undefined ? true : String(message);
  }

  runOnly() {}

  test(name, options, fn) {
    const t = this[kTest];
    const sub = create(t, 'test', name, options, fn);
    if (t.planned !== undefined) t.assertions++;
    return t.enqueue(sub).then(() => undefined);
  }

  before(fn, options) { addHook(this[kTest], 'before', fn, options); }
  after(fn, options) { addHook(this[kTest], 'after', fn, options); }
  beforeEach(fn, options) { addHook(this[kTest], 'beforeEach', fn, options); }
  afterEach(fn, options) { addHook(this[kTest], 'afterEach', fn, options); }
}

class SuiteContext {
  constructor(test) {
    this[kTest] = test;
  }

  get name() { return this[kTest].name; }
  get fullName() { return this[kTest].fullName; }
  get signal() { return this[kTest].controller.signal; }
  get filePath() { return this[kTest].loc ? this[kTest].loc.file : undefined; }
}

function addHook(test, kind, fn, options) {
  if (typeof fn !== 'function') throw invalidArgType('fn', 'of type function', fn);
  const timeout = options && typeof options.timeout === 'number' ? options.timeout : Infinity;
  test.hooks[kind].push({ fn, timeout });
}

// ---- the root and the public functions ---------------------------------------

let root;
let started = false;
let rootLive = false;

function getRoot() {
  if (root) return root;
  root = new Test({ name: '<root>', kind: 'root', fn: undefined });
  root.startTime = now();
  // Errors thrown or rejections left unhandled while a test runs fail that
  // test (failureType uncaughtException / unhandledRejection), as in Node.
  const onAsyncError = (failureType) => (err) => {
    let t = root.running;
    while (t && t.running && !t.running.finished) t = t.running;
    if (t && !t.finished) {
      t.fail(testFailure(err, failureType));
      return;
    }
    process.exitCode = 1;
    process.stderr.write(`${failureType === 'uncaughtException' ? 'Uncaught' : 'Unhandled rejection'} outside of a test: ${
      err && err.stack ? err.stack : String(err)}\n`);
  };
  process.on('uncaughtException', onAsyncError('uncaughtException'));
  process.on('unhandledRejection', onAsyncError('unhandledRejection'));
  let ended = false;
  process.on('beforeExit', () => {
    if (ended) return;
    ended = true;
    // Tests still waiting now can never finish: the event loop is empty.
    if (root.running) {
      root.running.cancel(kCancelledByParent, 'Promise resolution is still pending but the event loop has already resolved');
    }
    for (const s of root.pending) s.cancel(kCancelledByParent, 'Promise resolution is still pending but the event loop has already resolved');
    root.pending = [];
    if (childMode) {
      // The parent prints the plan and the summary of all files.
      if (counts.fail + counts.cancelled > 0) process.exitCode = 1;
      return;
    }
    const n = root.subtests.length;
    emit('test:plan', { nesting: 0, count: n });
    const dur = round(now() - root.startTime);
    for (const k of ['tests', 'suites', 'pass', 'fail', 'cancelled', 'skipped', 'todo']) {
      emit('test:diagnostic', { nesting: 0, message: `${k} ${counts[k]}` });
    }
    emit('test:diagnostic', { nesting: 0, message: `duration_ms ${dur}` });
    emit('test:summary', { success: counts.fail + counts.cancelled === 0 });
    if (counts.fail + counts.cancelled > 0) process.exitCode = 1;
  });
  return root;
}

function parseArgs(name, options, fn) {
  if (typeof name === 'function') {
    fn = name;
    name = fn.name || '<anonymous>';
    options = {};
  } else if (name !== null && typeof name === 'object') {
    fn = options;
    options = name;
    name = (fn && fn.name) || '<anonymous>';
  } else {
    name = name === undefined ? (typeof fn === 'function' && fn.name) || (typeof options === 'function' && options.name) || '<anonymous>' : String(name);
  }
  if (typeof options === 'function') {
    fn = options;
    options = {};
  }
  if (options === undefined || options === null) options = {};
  if (fn === undefined) fn = noop;
  if (typeof fn !== 'function') throw invalidArgType('fn', 'of type function', fn);
  return { name, options, fn };
}

function noop() {}

function create(parent, kind, name, options, fn) {
  const a = parseArgs(name, options, fn);
  return new Test({ name: a.name, fn: a.fn, options: a.options, parent, kind, loc: callSite() });
}

// parentForNew is the suite whose body is running, the test whose function
// is running synchronously, or the root.
function parentForNew() {
  if (current) return current;
  // An async describe body that awaited: its it() calls come from a
  // microtask, after the file's synchronous code. Node finds the suite
  // through async context tracking; gnode takes the innermost suite body
  // still running (a test created meanwhile by unrelated async code would
  // land there too).
  if (!syncPhase && building.length) return building[building.length - 1];
  return getRoot();
}

// syncPhase is true while the file that loaded node:test runs its
// synchronous code; building lists the async describe bodies still running.
let syncPhase = true;
queueMicrotask(() => { syncPhase = false; });
const building = [];

function startRoot() {
  if (started) return;
  started = true;
  queueMicrotask(() => {
    rootLive = true;
    root.drain();
  });
}

function queueTop(t) {
  startRoot();
  root.pending.push(t);
  if (rootLive) root.drain();
  return t.done.then(() => undefined);
}

function test(name, options, fn) {
  const parent = parentForNew();
  const t = create(parent, 'test', name, options, fn);
  if (parent.kind === 'suite') {
    parent.pending.push(t);
    return Promise.resolve();
  }
  if (parent.kind === 'root') return queueTop(t);
  return parent.enqueue(t).then(() => undefined);
}

const kSkipBody = Symbol('skip');

function describe(name, options, fn) {
  const parent = parentForNew();
  const s = create(parent, 'suite', name, options, fn);
  // The suite's body runs now, collecting its tests and hooks (a skipped
  // suite's body never runs, as in Node).
  const prev = current;
  current = s;
  try {
    if (s.skipped !== undefined) throw kSkipBody;
    const r = s.fn.call(s.context(), s.context());
    if (r && typeof r.then === 'function') {
      building.push(s);
      const done = () => {
        const i = building.indexOf(s);
        if (i >= 0) building.splice(i, 1);
      };
      s.built = Promise.resolve(r).finally(done);
    } else {
      s.built = Promise.resolve();
    }
  } catch (e) {
    if (e === kSkipBody) {
      s.built = Promise.resolve();
    } else {
      s.built = Promise.reject(e);
      s.built.catch(() => {});
    }
  } finally {
    current = prev;
  }
  if (parent.kind === 'root') return queueTop(s);
  if (parent.kind === 'suite') {
    parent.pending.push(s);
    return Promise.resolve();
  }
  return parent.enqueue(s).then(() => undefined);
}

function withFlag(f, flag) {
  return function (name, options, fn) {
    const a = parseArgs(name, options, fn);
    return f(a.name, { ...a.options, [flag]: a.options[flag] === undefined ? true : a.options[flag] }, a.fn);
  };
}

for (const f of [test, describe]) {
  f.skip = withFlag(f, 'skip');
  f.todo = withFlag(f, 'todo');
  f.only = withFlag(f, 'only');
}

function it(name, options, fn) {
  return test(name, options, fn);
}
it.skip = test.skip;
it.todo = test.todo;
it.only = test.only;

function hook(kind) {
  return function (fn, options) {
    addHook(parentForNew(), kind, fn, options);
  };
}

// ---- mocks ---------------------------------------------------------------------

class MockFunctionContext {
  constructor(impl, restore, times) {
    this._calls = [];
    this._impl = impl;
    this._once = new Map();
    this._restore = restore;
    this._times = times;
  }

  get calls() { return this._calls.slice(); }
  callCount() { return this._calls.length; }
  mockImplementation(fn) { this._impl = fn; }
  mockImplementationOnce(fn, onCall) { this._once.set(onCall === undefined ? this._calls.length : onCall, fn); }
  resetCalls() { this._calls = []; }
  restore() { if (this._restore) this._restore(); }

  nextImpl(original) {
    const n = this._calls.length;
    if (this._once.has(n)) {
      const f = this._once.get(n);
      this._once.delete(n);
      return f;
    }
    if (this._times !== undefined && n >= this._times) return original;
    return this._impl;
  }
}

class MockTracker {
  constructor() {
    this._mocks = [];
  }

  fn(original = function () {}, implementation = original, options = {}) {
    if (implementation !== null && typeof implementation === 'object') {
      options = implementation;
      implementation = original;
    }
    const ctx = new MockFunctionContext(implementation, undefined, options.times);
    const proxy = this._wrap(original, ctx);
    this._mocks.push(ctx);
    return proxy;
  }

  _wrap(original, ctx) {
    return new Proxy(original, {
      get(target, k, receiver) {
        if (k === 'mock') return ctx;
        return Reflect.get(target, k, receiver);
      },
      apply(target, thisArg, args) {
        const impl = ctx.nextImpl(original);
        const call = { arguments: args, error: undefined, result: undefined, stack: new Error(), target: undefined, this: thisArg };
        try {
          call.result = Reflect.apply(impl, thisArg, args);
        } catch (e) {
          call.error = e;
          ctx._calls.push(call);
          throw e;
        }
        ctx._calls.push(call);
        return call.result;
      },
      construct(target, args, newTarget) {
        const impl = ctx.nextImpl(original);
        const call = { arguments: args, error: undefined, result: undefined, stack: new Error(), target: newTarget, this: undefined };
        try {
          call.result = Reflect.construct(impl, args, newTarget);
          call.this = call.result;
        } catch (e) {
          call.error = e;
          ctx._calls.push(call);
          throw e;
        }
        ctx._calls.push(call);
        return call.result;
      },
    });
  }

  method(object, methodName, implementation, options = {}) {
    if (implementation !== null && typeof implementation === 'object' && typeof implementation !== 'function') {
      options = implementation;
      implementation = undefined;
    }
    const desc = findDescriptor(object, methodName);
    if (!desc) throw invalidArgType('methodName', 'an existing property', undefined);
    const kind = options.getter ? 'get' : options.setter ? 'set' : 'value';
    const original = desc[kind];
    if (typeof original !== 'function') {
      const e = new TypeError(`The argument 'methodName' must be a method. Received ${String(original)}`);
      e.code = 'ERR_INVALID_ARG_VALUE';
      throw e;
    }
    const own = Object.prototype.hasOwnProperty.call(object, methodName);
    const ownDesc = own ? Object.getOwnPropertyDescriptor(object, methodName) : undefined;
    const restore = () => {
      if (ownDesc) Object.defineProperty(object, methodName, ownDesc);
      else delete object[methodName];
    };
    const ctx = new MockFunctionContext(implementation === undefined ? original : implementation, restore, options.times);
    const mocked = this._wrap(original, ctx);
    Object.defineProperty(object, methodName, { ...desc, [kind]: mocked, configurable: true });
    this._mocks.push(ctx);
    return mocked;
  }

  getter(object, methodName, implementation, options = {}) {
    return this.method(object, methodName, implementation, { ...options, getter: true });
  }

  setter(object, methodName, implementation, options = {}) {
    return this.method(object, methodName, implementation, { ...options, setter: true });
  }

  reset() {
    this.restoreAll();
    this._mocks = [];
  }

  restoreAll() {
    for (const m of this._mocks) m.restore();
    if (this._timers) this._timers.reset();
  }

  get timers() {
    if (!this._timers) this._timers = new MockTimers();
    return this._timers;
  }
}

// MockTimers replaces setTimeout, setInterval, setImmediate (and their
// clear functions, globally and in node:timers) and Date with versions
// driven by tick(), runAll() and setTime().
const kTimerApis = ['setTimeout', 'setInterval', 'setImmediate', 'Date'];
let timersWarned = false;

class MockTimers {
  constructor() {
    this._enabled = false;
    this._now = 0;
    this._queue = [];
    this._seq = 0;
    this._restore = [];
  }

  enable(options = {}) {
    if (this._enabled) {
      const e = new Error('MockTimers is already enabled!');
      e.code = 'ERR_INVALID_STATE';
      throw e;
    }
    if (!timersWarned) {
      timersWarned = true;
      process.emitWarning('The MockTimers API is an experimental feature and might change at any time', 'ExperimentalWarning');
    }
    const apis = Array.isArray(options) ? options : (options.apis || kTimerApis);
    for (const a of apis) {
      if (!kTimerApis.includes(a)) {
        const e = new TypeError(`The property 'options.apis' option ${a} is not supported. Received ${JSON.stringify(apis)}`);
        e.code = 'ERR_INVALID_ARG_VALUE';
        throw e;
      }
    }
    this._now = Array.isArray(options) ? 0 : Number(options.now instanceof Date ? options.now.getTime() : options.now || 0);
    this._enabled = true;
    const timers = require('timers');
    const swap = (name, fn) => {
      for (const holder of [globalThis, timers]) {
        const old = holder[name];
        holder[name] = fn;
        this._restore.push(() => { holder[name] = old; });
      }
    };
    const clear = (h) => {
      const i = this._queue.findIndex((t) => t === h || t.id === h || (h && t.id === +h));
      if (i >= 0) this._queue.splice(i, 1);
    };
    if (apis.includes('setTimeout')) {
      swap('setTimeout', (cb, ms, ...args) => this._add(cb, ms, args, false));
      swap('clearTimeout', clear);
    }
    if (apis.includes('setInterval')) {
      swap('setInterval', (cb, ms, ...args) => this._add(cb, ms, args, true));
      swap('clearInterval', clear);
    }
    if (apis.includes('setImmediate')) {
      swap('setImmediate', (cb, ...args) => this._add(cb, 0, args, false));
      swap('clearImmediate', clear);
    }
    if (apis.includes('Date')) {
      const self = this;
      const RealDate = globalThis.Date;
      function MockDate(...args) {
        if (!new.target) return new RealDate(self._now).toString();
        return args.length ? Reflect.construct(RealDate, args, new.target) : Reflect.construct(RealDate, [self._now], new.target);
      }
      Object.setPrototypeOf(MockDate, RealDate);
      MockDate.prototype = RealDate.prototype;
      MockDate.now = () => self._now;
      globalThis.Date = MockDate;
      this._restore.push(() => { globalThis.Date = RealDate; });
    }
  }

  _add(cb, ms, args, repeat) {
    if (typeof cb !== 'function') throw invalidArgType('callback', 'of type function', cb);
    const delay = Math.max(1, Math.trunc(Number(ms)) || 0);
    const timer = {
      id: ++this._seq, seq: this._seq, cb, args, repeat, delay: ms === 0 && !repeat ? 0 : delay,
      runAt: 0, ref() { return this; }, unref() { return this; }, hasRef() { return true; },
      refresh: () => { timer.runAt = this._now + timer.delay; return timer; },
      [Symbol.toPrimitive]() { return this.id; },
    };
    timer.runAt = this._now + timer.delay;
    this._queue.push(timer);
    return timer;
  }

  _next(limit) {
    let best = null;
    for (const t of this._queue) {
      if (t.runAt <= limit && (!best || t.runAt < best.runAt || (t.runAt === best.runAt && t.seq < best.seq))) best = t;
    }
    return best;
  }

  _fire(t) {
    if (t.repeat) {
      t.runAt += t.delay;
      t.seq = ++this._seq;
    } else {
      this._queue.splice(this._queue.indexOf(t), 1);
    }
    t.cb(...t.args);
  }

  tick(ms = 1) {
    this._assertEnabled();
    if (typeof ms !== 'number' || ms < 0) {
      const e = new RangeError(`The value of "milliseconds" is out of range. It must be >= 0. Received ${ms}`);
      e.code = 'ERR_OUT_OF_RANGE';
      throw e;
    }
    // As in Node, the clock moves first: callbacks see the new time and
    // timers they create count from it.
    const target = this._now + ms;
    this._now = target;
    for (let t = this._next(target); t; t = this._next(target)) this._fire(t);
  }

  // runAll advances the clock to the latest pending timer: everything due
  // by then runs (an interval as often as it fits).
  runAll() {
    this._assertEnabled();
    let last = this._now;
    for (const t of this._queue) last = Math.max(last, t.runAt);
    this.tick(last - this._now);
  }

  setTime(ms) {
    this._assertEnabled();
    this._now = ms;
  }

  _assertEnabled() {
    if (!this._enabled) {
      const e = new Error('You should enable MockTimers first by calling the .enable function');
      e.code = 'ERR_INVALID_STATE';
      throw e;
    }
  }

  reset() {
    for (const r of this._restore.reverse()) r();
    this._restore = [];
    this._queue = [];
    this._enabled = false;
  }

  [Symbol.dispose]() {
    this.reset();
  }
}

function findDescriptor(object, name) {
  for (let o = object; o !== null && o !== undefined; o = Object.getPrototypeOf(o)) {
    const d = Object.getOwnPropertyDescriptor(o, name);
    if (d) return d;
  }
  return undefined;
}

// ---- run(): test files in child processes -------------------------------------

function encodeEvent(ev) {
  const v8 = require('v8');
  const data = { ...ev.data };
  if (data.details && data.details.error) {
    data.details = { ...data.details, error: errorToWire(data.details.error) };
  }
  let bytes;
  try {
    bytes = v8.serialize({ type: ev.type, data });
  } catch {
    // expected/actual values that cannot be cloned travel as text.
    const e = data.details.error;
    if (e && e.cause && typeof e.cause === 'object') {
      const util = require('util');
      e.cause.expected = util.inspect(e.cause.expected);
      e.cause.actual = util.inspect(e.cause.actual);
    }
    bytes = v8.serialize({ type: ev.type, data });
  }
  return Buffer.from(bytes).toString('base64');
}

function errorToWire(err) {
  const w = { message: err.message, code: err.code, failureType: err.failureType, stack: err.stack };
  if ('exitCode' in err) Object.assign(w, { exitCode: err.exitCode, signal: err.signal });
  const c = err.cause;
  if (c !== null && typeof c === 'object') {
    w.cause = { isError: true, name: c.name, message: c.message, stack: c.stack, code: c.code };
    if ('expected' in c && 'actual' in c && 'operator' in c) {
      Object.assign(w.cause, { expected: c.expected, actual: c.actual, operator: c.operator });
    }
  } else {
    w.hasCause = 'cause' in err;
    w.cause = c;
  }
  return w;
}

function errorFromWire(w) {
  const e = new Error(w.message);
  e.code = w.code;
  e.failureType = w.failureType;
  e.stack = w.stack;
  if ('exitCode' in w) Object.assign(e, { exitCode: w.exitCode, signal: w.signal });
  if (w.cause && w.cause.isError) {
    const c = Object.create(Error.prototype);
    for (const k of Object.keys(w.cause)) if (k !== 'isError') c[k] = w.cause[k];
    e.cause = c;
  } else if (w.hasCause) {
    e.cause = w.cause;
  }
  return e;
}

function decodeEvent(line) {
  const ev = require('v8').deserialize(Buffer.from(line, 'base64'));
  if (ev.data && ev.data.details && ev.data.details.error) ev.data.details.error = errorFromWire(ev.data.details.error);
  return ev;
}

const kTestFileRE = /^(?:.*[.\-_])?test\.[cm]?js$|^test-.*\.[cm]?js$/;

// testFiles finds Node 20's default test files under dir: *.test.js,
// *-test.js, *_test.js, test-*.js, test.js (and .cjs/.mjs), and every
// script under a directory named test; node_modules and dot folders are
// skipped.
function testFiles(dir, inTestDir, out) {
  const fs = require('fs');
  const path = require('path');
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) testFiles(p, inTestDir || e.name === 'test', out);
    else if (kTestFileRE.test(e.name) || (inTestDir && /\.[cm]?js$/.test(e.name))) out.push(p);
  }
  return out;
}

function resolveFiles(files, cwd) {
  const fs = require('fs');
  const path = require('path');
  if (!files || files.length === 0) return testFiles(cwd, false, []);
  const out = [];
  for (const f of files) {
    const p = path.resolve(cwd, f);
    let st;
    try { st = fs.statSync(p); } catch { st = null; }
    if (st && st.isDirectory()) testFiles(p, path.basename(p) === 'test', out);
    else out.push(p);
  }
  return out;
}

// runFile runs one test file in a child gnode and calls onEvent for each
// of its events and onLine for each other line it prints.
function runFile(file, onEvent, onLine) {
  const { spawn } = require('child_process');
  return new Promise((resolve) => {
    const start = now();
    const child = spawn(process.execPath, [file], {
      env: { ...process.env, GNODE_TEST_CHILD: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buf = '';
    let failed = false;
    let reported = 0;
    const onData = (chunk) => {
      buf += chunk;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        const at = line.indexOf(kEventMark);
        if (at >= 0) {
          if (at > 0) onLine(line.slice(0, at));
          const ev = decodeEvent(line.slice(at + kEventMark.length));
          if (ev.type === 'test:fail') failed = true;
          if (ev.data && ev.data.nesting === 0 && (ev.type === 'test:pass' || ev.type === 'test:fail')) reported++;
          onEvent(ev);
        } else {
          onLine(line);
        }
      }
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', onData);
    child.on('close', (code, signal) => {
      if (buf) onLine(buf);
      if ((code !== 0 || signal) && !failed) {
        // The file failed outside any test (a crash at load, process.exit).
        const error = testFailure(undefined, kTestCodeFailure, 'test failed');
        error.exitCode = code;
        error.signal = signal || null;
        onEvent({ type: 'test:start', data: { name: file, nesting: 0, file, line: 1, column: 1 } });
        onEvent({
          type: 'test:fail',
          data: { name: file, nesting: 0, file, line: 1, column: 1, details: { duration_ms: round(now() - start), error } },
        });
      } else if (reported === 0 && code === 0) {
        // A file without tests passes as one test named by its path.
        onEvent({ type: 'test:start', data: { name: file, nesting: 0 } });
        onEvent({ type: 'test:pass', data: { name: file, nesting: 0, details: { duration_ms: round(now() - start) } } });
      }
      resolve();
    });
  });
}

// run({ files }) runs test files, each in its own gnode process, and
// returns a readable stream of their events ({ type, data }), as Node's
// run() does; compose it with a reporter from node:test/reporters.
function run(options = {}) {
  if (options === null || typeof options !== 'object') throw invalidArgType('options', 'of type object', options);
  const { Readable } = require('stream');
  const files = resolveFiles(options.files, options.cwd || process.cwd());
  const stream = new Readable({ objectMode: true, read() {} });
  // Like Node's TestsStream, each event is also emitted under its type.
  const push = (ev) => {
    stream.push(ev);
    process.nextTick(() => stream.emit(ev.type, ev.data));
  };
  if (typeof stream.compose !== 'function') {
    stream.compose = function compose(reporter) {
      return Readable.from(reporter(this));
    };
  }
  let n = 0;
  (async () => {
    for (const file of files) {
      await runFile(file, (ev) => {
        if (ev.data && ev.data.nesting === 0 && (ev.type === 'test:pass' || ev.type === 'test:fail')) ev.data.testNumber = ++n;
        push(ev);
      }, (line) => push({ type: 'test:stdout', data: { file, message: line } }));
    }
    push({ type: 'test:plan', data: { nesting: 0, count: n } });
    stream.push(null);
  })();
  return stream;
}

// runMain is gnode --test: run the files, print the default report and
// the summary, and exit 1 when a test failed.
async function runMain(files) {
  const start = now();
  let n = 0;
  for (const file of resolveFiles(files, process.cwd())) {
    await runFile(file, (ev) => {
      if (ev.data && ev.data.nesting === 0 && (ev.type === 'test:pass' || ev.type === 'test:fail')) ev.data.testNumber = ++n;
      countEvent(ev.type, ev.data);
      emit(ev.type, ev.data);
    }, (line) => emit('test:diagnostic', { nesting: 0, message: line }));
  }
  emit('test:plan', { nesting: 0, count: n });
  for (const k of ['tests', 'suites', 'pass', 'fail', 'cancelled', 'skipped', 'todo']) {
    emit('test:diagnostic', { nesting: 0, message: `${k} ${counts[k]}` });
  }
  emit('test:diagnostic', { nesting: 0, message: `duration_ms ${round(now() - start)}` });
  emit('test:summary', { success: counts.fail + counts.cancelled === 0 });
  if (counts.fail + counts.cancelled > 0) process.exitCode = 1;
}

test.test = test;
test.describe = describe;
test.it = it;
test.suite = describe;
test.before = hook('before');
test.after = hook('after');
test.beforeEach = hook('beforeEach');
test.afterEach = hook('afterEach');
test.run = run;
test.mock = new MockTracker();

module.exports = test;

// The runtime's entry for `gnode --test [files]` (not part of Node's API).
Object.defineProperty(test, Symbol.for('gnode.test.runMain'), { value: runMain });
