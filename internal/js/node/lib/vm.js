'use strict';
// node:vm: Script, runInThisContext/runInContext/runInNewContext,
// createContext/isContext, compileFunction and vm.constants.
//
// A context is a second QuickJS realm (internalBinding('vm').newContext):
// its own global object and intrinsics, on the same heap, so values cross
// freely. Node backs a context's global with the sandbox object through V8
// interceptors; QuickJS has none (and a Proxy in the global's prototype
// chain would swallow ReferenceErrors), so gnode links the two objects:
//
// - Before each run, every sandbox property the inner global lacks becomes
//   an accessor on the inner global that reads and writes the sandbox, so
//   those names stay live, from callbacks too. A sandbox property named
//   like one of the realm's own globals (Object, Array, ...) replaces it,
//   as in Node.
// - After each run, what the code added to the inner global (`var` and
//   `function` declarations, undeclared assignments, `this.x = ...`) and
//   the realm's globals it replaced are copied to the sandbox; the
//   configurable ones then become live links too. Declarations are not
//   configurable, so a declaration that a callback changes later reaches
//   the sandbox only at the next run.
// - Properties added to the sandbox from outside become visible inside at
//   the next run.

const binding = internalBinding('vm');
const { codes: { ERR_INVALID_ARG_TYPE } } = require('internal/errors');

const kRecord = new WeakMap(); // sandbox (or bare global) -> context record
const kAnchorDesc = 'gnode.vm.realm'; // qjs.NewContext's anchor symbol

const constants = Object.freeze(Object.setPrototypeOf({
  USE_MAIN_CONTEXT_DEFAULT_LOADER: Symbol('vm_dynamic_import_main_context_default'),
  DONT_CONTEXTIFY: Symbol('vm_context_no_contextify'),
}, null));

function nodeError(Base, code, message) {
  const e = new Base(message);
  e.code = code;
  Object.defineProperty(e, 'toString', {
    value() { return `${this.name} [${code}]: ${this.message}`; },
    enumerable: false, writable: true, configurable: true,
  });
  return e;
}

function validateObject(v, name) {
  if (v === null || (typeof v !== 'object' && typeof v !== 'function')) {
    throw new ERR_INVALID_ARG_TYPE(name, 'Object', v);
  }
}

function validateString(v, name) {
  if (typeof v !== 'string') throw new ERR_INVALID_ARG_TYPE(name, 'string', v);
}

function isAnchor(k) {
  return typeof k === 'symbol' && k.description === kAnchorDesc;
}

function noop() {}

function makeContext(sandbox, contextify) {
  const [global, evaluate] = binding.newContext();
  const rec = { global, evaluate, sandbox, intrinsics: new Map(), linked: new Set() };
  // V8 gives every context a console that reports to the inspector only:
  // calls print nothing.
  const innerObjectProto = Object.getPrototypeOf(global);
  const console = Object.create(innerObjectProto);
  for (const m of ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'dirxml', 'table', 'group',
    'groupCollapsed', 'groupEnd', 'clear', 'count', 'countReset', 'assert', 'profile', 'profileEnd',
    'time', 'timeLog', 'timeEnd', 'timeStamp', 'context']) {
    console[m] = noop;
  }
  Object.defineProperty(global, 'console', { value: console, writable: true, enumerable: false, configurable: true });
  if (!contextify) return rec;
  for (const k of Reflect.ownKeys(global)) {
    if (isAnchor(k)) continue;
    const d = Object.getOwnPropertyDescriptor(global, k);
    rec.intrinsics.set(k, d && 'value' in d ? d.value : undefined);
  }
  return rec;
}

// link makes global[k] an accessor over sandbox[k].
function link(rec, k) {
  const { global, sandbox } = rec;
  Object.defineProperty(global, k, {
    get() { return sandbox[k]; },
    set(v) { sandbox[k] = v; },
    enumerable: true,
    configurable: true,
  });
  rec.linked.add(k);
}

// sandboxKeys lists the sandbox's own and inherited property names, up to
// Object.prototype (a class instance's getters and methods count, as V8's
// interceptor sees them).
function sandboxKeys(sandbox) {
  const keys = new Set();
  for (let o = sandbox; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const k of Reflect.ownKeys(o)) {
      if (o !== sandbox && k === 'constructor') continue;
      keys.add(k);
    }
  }
  return keys;
}

// copyIn links the sandbox's properties into the inner global.
function copyIn(rec) {
  const { global, sandbox, linked } = rec;
  if (sandbox === global) return;
  for (const k of sandboxKeys(sandbox)) {
    if (linked.has(k)) continue;
    const d = Object.getOwnPropertyDescriptor(global, k);
    if (!d || d.configurable) {
      link(rec, k);
    } else if ('value' in d && d.writable) {
      const v = sandbox[k];
      if (!Object.is(d.value, v)) global[k] = v;
    }
  }
}

// copyOut reflects declarations and changed globals into the sandbox.
// Function declarations go first: the specification (and V8) creates them
// before var bindings, QuickJS the other way round.
function copyOut(rec) {
  const { global, sandbox, intrinsics, linked } = rec;
  if (sandbox === global) return;
  // A linked name deleted inside (`delete x`) is deleted from the sandbox.
  for (const k of linked) {
    if (!Object.prototype.hasOwnProperty.call(global, k)) {
      linked.delete(k);
      delete sandbox[k];
    }
  }
  const later = [];
  for (const k of Reflect.ownKeys(global)) {
    if (linked.has(k) || isAnchor(k)) continue;
    const d = Object.getOwnPropertyDescriptor(global, k);
    if (!d || !('value' in d)) continue;
    if (intrinsics.has(k) && Object.is(intrinsics.get(k), d.value)) continue;
    if (typeof d.value === 'function' && !d.configurable) copyKey(rec, k, d);
    else later.push([k, d]);
  }
  for (const [k, d] of later) copyKey(rec, k, d);
}

function copyKey(rec, k, d) {
  const { sandbox } = rec;
  if (!Object.prototype.hasOwnProperty.call(sandbox, k) || !Object.is(sandbox[k], d.value)) {
    try { sandbox[k] = d.value; } catch { return; /* a read-only sandbox property keeps its value */ }
  }
  if (d.configurable && d.enumerable) link(rec, k);
}

function createContext(contextObject = {}, options = undefined) {
  if (contextObject === constants.DONT_CONTEXTIFY) {
    const rec = makeContext(undefined, false);
    rec.sandbox = rec.global;
    kRecord.set(rec.global, rec);
    return rec.global;
  }
  validateObject(contextObject, 'contextObject');
  if (options !== undefined) validateObject(options, 'options');
  if (kRecord.has(contextObject)) return contextObject;
  kRecord.set(contextObject, makeContext(contextObject, true));
  return contextObject;
}

function isContext(object) {
  validateObject(object, 'object');
  return kRecord.has(object);
}

function recordOf(contextifiedObject) {
  validateObject(contextifiedObject, 'contextifiedObject');
  const rec = kRecord.get(contextifiedObject);
  if (rec === undefined) {
    throw new ERR_INVALID_ARG_TYPE('contextifiedObject', 'vm.Context', contextifiedObject);
  }
  return rec;
}

function runOptions(options) {
  if (typeof options === 'string') return { filename: options };
  if (options === undefined || options === null) return {};
  validateObject(options, 'options');
  return options;
}

function timeoutOf(options) {
  const t = options.timeout;
  if (t === undefined) return undefined;
  if (typeof t !== 'number' || !Number.isInteger(t) || t <= 0) {
    const e = nodeError(RangeError, 'ERR_OUT_OF_RANGE',
      `The value of "options.timeout" is out of range. It must be >= 1 && <= 4294967295. Received ${t}`);
    throw e;
  }
  return t;
}

function runIn(rec, code, filename, timeout) {
  copyIn(rec);
  try {
    return rec.evaluate(code, filename, timeout);
  } finally {
    copyOut(rec);
  }
}

const kCode = Symbol('kCode');
const kFilename = Symbol('kFilename');

class Script {
  constructor(code, options = {}) {
    code = `${code}`;
    options = runOptions(options);
    const {
      filename = 'evalmachine.<anonymous>',
      lineOffset = 0,
      cachedData,
      produceCachedData = false,
    } = options;
    validateString(filename, 'options.filename');
    if (typeof lineOffset !== 'number') throw new ERR_INVALID_ARG_TYPE('options.lineOffset', 'number', lineOffset);
    // QuickJS numbers lines from 1 only: a positive lineOffset is kept by
    // prefixing newlines.
    const source = lineOffset > 0 ? '\n'.repeat(lineOffset) + code : code;
    // Parsed once: the bytecode runs in whichever realm the script is run.
    this[kCode] = binding.compile(source, filename);
    this[kFilename] = filename;
    // gnode keeps no V8 code cache: supplied data is reported rejected.
    if (cachedData !== undefined) this.cachedDataRejected = true;
    if (produceCachedData) this.cachedDataProduced = false;
    this.sourceMapURL = undefined;
  }

  runInThisContext(options) {
    const o = runOptions(options);
    return binding.runInThisContext(this[kCode], this[kFilename], timeoutOf(o));
  }

  runInContext(contextifiedObject, options) {
    const rec = recordOf(contextifiedObject);
    return runIn(rec, this[kCode], this[kFilename], timeoutOf(runOptions(options)));
  }

  runInNewContext(contextObject, options) {
    const o = runOptions(options);
    const ctx = createContext(contextObject, o.contextName !== undefined ? { name: o.contextName } : undefined);
    return this.runInContext(ctx, o);
  }

  createCachedData() {
    return Buffer.alloc(0);
  }
}

function createScript(code, options) {
  return new Script(code, options);
}

function runInThisContext(code, options) {
  return new Script(code, options).runInThisContext(options);
}

function runInContext(code, contextifiedObject, options) {
  const o = runOptions(options);
  recordOf(contextifiedObject);
  return new Script(code, o).runInContext(contextifiedObject, o);
}

function runInNewContext(code, contextObject, options) {
  const o = runOptions(options);
  return new Script(code, o).runInNewContext(contextObject, o);
}

function compileFunction(code, params = [], options = {}) {
  validateString(code, 'code');
  if (!Array.isArray(params)) throw new ERR_INVALID_ARG_TYPE('params', 'Array', params);
  for (let i = 0; i < params.length; i++) {
    validateString(params[i], `params[${i}]`);
  }
  validateObject(options, 'options');
  const {
    filename = '',
    parsingContext = undefined,
    contextExtensions = [],
  } = options;
  validateString(filename, 'options.filename');
  if (!Array.isArray(contextExtensions)) {
    throw new ERR_INVALID_ARG_TYPE('options.contextExtensions', 'Array', contextExtensions);
  }
  const body = `(function (${params.join(', ')}) {${code}\n})`;
  let make = body;
  const exts = contextExtensions;
  if (exts.length) {
    // Extensions are scopes between the function and the global: with
    // blocks give exactly that (the function body stays as written).
    let open = '(function (__gnode_exts) {';
    let close = '';
    for (let i = 0; i < exts.length; i++) {
      open += ` with (__gnode_exts[${i}]) {`;
      close += ' }';
    }
    make = `${open} return ${body};${close} })`;
  }
  const rec = parsingContext === undefined ? undefined : recordOf(parsingContext);
  let fn;
  if (rec === undefined) {
    binding.check(body, filename);
    fn = binding.runInThisContext(make, filename);
  } else {
    fn = runIn(rec, make, filename);
  }
  if (exts.length) fn = fn(exts);
  return fn;
}

function measureMemory() {
  const h = binding.heapStatistics();
  return Promise.resolve({
    total: { jsMemoryEstimate: h.memoryUsed, jsMemoryRange: [h.memoryUsed, h.mallocSize] },
  });
}

module.exports = {
  Script,
  createContext,
  createScript,
  runInContext,
  runInNewContext,
  runInThisContext,
  isContext,
  compileFunction,
  measureMemory,
  constants,
};
