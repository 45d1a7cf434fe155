'use strict';
// util: Node's util module over internal/util/inspect, internal/util/types
// and internal/util/comparisons.

const {
  codes: {
    ERR_INVALID_ARG_TYPE,
    ERR_INVALID_ARG_VALUE,
    ERR_FALSY_VALUE_REJECTION,
    ERR_OUT_OF_RANGE,
  },
  errnoName,
  getSystemErrorMap,
  AbortError,
} = require('internal/errors');
const {
  inspect,
  format,
  formatWithOptions,
  stripVTControlCharacters,
} = require('internal/util/inspect');
const types = require('util/types');
const { isDeepStrictEqual } = require('internal/util/comparisons');
const { parseArgs } = require('internal/util/parse_args');

function validateFunction(value, name) {
  if (typeof value !== 'function') throw new ERR_INVALID_ARG_TYPE(name, 'Function', value);
}

// --- promisify / callbackify ------------------------------------------------

const kCustomPromisifiedSymbol = Symbol.for('nodejs.util.promisify.custom');
const kCustomPromisifyArgsSymbol = Symbol.for('nodejs.util.promisify.customArgs');

function promisify(original) {
  validateFunction(original, 'original');
  if (original[kCustomPromisifiedSymbol]) {
    const fn = original[kCustomPromisifiedSymbol];
    validateFunction(fn, 'util.promisify.custom');
    return Object.defineProperty(fn, kCustomPromisifiedSymbol, {
      value: fn, enumerable: false, writable: false, configurable: true,
    });
  }
  // Functions like fs.exists callback with several values: name them.
  const argumentNames = original[kCustomPromisifyArgsSymbol];
  function fn(...args) {
    return new Promise((resolve, reject) => {
      args.push((err, ...values) => {
        if (err) return reject(err);
        if (argumentNames !== undefined && values.length > 1) {
          const obj = {};
          for (let i = 0; i < argumentNames.length; i++) obj[argumentNames[i]] = values[i];
          resolve(obj);
        } else {
          resolve(values[0]);
        }
      });
      Reflect.apply(original, this, args);
    });
  }
  Object.setPrototypeOf(fn, Object.getPrototypeOf(original));
  Object.defineProperty(fn, kCustomPromisifiedSymbol, {
    value: fn, enumerable: false, writable: false, configurable: true,
  });
  const descriptors = Object.getOwnPropertyDescriptors(original);
  const propertiesValues = Object.values(descriptors);
  for (let i = 0; i < propertiesValues.length; i++) {
    // Avoid prototype pollution when copying.
    Object.setPrototypeOf(propertiesValues[i], null);
  }
  return Object.defineProperties(fn, descriptors);
}
promisify.custom = kCustomPromisifiedSymbol;

function callbackifyOnRejected(reason, cb) {
  // A falsy rejection reason would read as success to the callback: wrap it.
  if (!reason) {
    const newReason = new ERR_FALSY_VALUE_REJECTION(reason);
    newReason.reason = reason;
    reason = newReason;
  }
  return cb(reason);
}

function callbackify(original) {
  validateFunction(original, 'original');
  function callbackified(...args) {
    const maybeCb = args.pop();
    validateFunction(maybeCb, 'last argument');
    const cb = maybeCb.bind(this);
    Reflect.apply(original, this, args)
      .then((ret) => nextTick(cb, null, ret),
        (rej) => nextTick(callbackifyOnRejected, rej, cb));
  }
  const descriptors = Object.getOwnPropertyDescriptors(original);
  if (typeof descriptors.length.value === 'number') descriptors.length.value++;
  if (typeof descriptors.name.value === 'string') descriptors.name.value += 'Callbackified';
  const propertiesValues = Object.values(descriptors);
  for (let i = 0; i < propertiesValues.length; i++) Object.setPrototypeOf(propertiesValues[i], null);
  Object.defineProperties(callbackified, descriptors);
  return callbackified;
}

function nextTick(fn, ...args) {
  if (typeof process === 'object' && process && typeof process.nextTick === 'function') {
    process.nextTick(fn, ...args);
  } else {
    queueMicrotask(() => fn(...args));
  }
}

// --- inherits / deprecate ---------------------------------------------------

function inherits(ctor, superCtor) {
  if (ctor === undefined || ctor === null) throw new ERR_INVALID_ARG_TYPE('ctor', 'Function', ctor);
  if (superCtor === undefined || superCtor === null) {
    throw new ERR_INVALID_ARG_TYPE('superCtor', 'Function', superCtor);
  }
  if (superCtor.prototype === undefined) {
    throw new ERR_INVALID_ARG_TYPE('superCtor.prototype', 'Object', superCtor.prototype);
  }
  Object.defineProperty(ctor, 'super_', {
    value: superCtor, writable: true, configurable: true,
  });
  Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
}

const codesWarned = new Set();

function emitWarning(...args) {
  if (typeof process === 'object' && process && typeof process.emitWarning === 'function') {
    process.emitWarning(...args);
  }
}

function deprecate(fn, msg, code) {
  if (typeof process === 'object' && process && process.noDeprecation === true) return fn;
  if (code !== undefined && typeof code !== 'string') {
    throw new ERR_INVALID_ARG_TYPE('code', 'string', code);
  }
  let warned = false;
  function deprecated(...args) {
    if (!warned && !(typeof process === 'object' && process && process.noDeprecation)) {
      warned = true;
      if (code !== undefined) {
        if (!codesWarned.has(code)) {
          emitWarning(msg, 'DeprecationWarning', code, deprecated);
          codesWarned.add(code);
        }
      } else {
        emitWarning(msg, 'DeprecationWarning', deprecated);
      }
    }
    if (new.target) return Reflect.construct(fn, args, new.target);
    return Reflect.apply(fn, this, args);
  }
  // The wrapper is a stand-in for fn, prototype included.
  Object.setPrototypeOf(deprecated, fn);
  if (fn.prototype) deprecated.prototype = fn.prototype;
  return deprecated;
}

// --- debuglog -------------------------------------------------------------------

const debugEnabled = new Map();
function debugEnvMatches(set) {
  const env = typeof process === 'object' && process && process.env ? process.env.NODE_DEBUG : '';
  if (!env) return false;
  const patterns = env.split(/[\s,]+/).filter(Boolean).map((p) =>
    new RegExp(`^${p.replace(/[|\\{}()[\]^$+?.]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i'));
  return patterns.some((re) => re.test(set));
}

function debuglog(set, cb) {
  set = String(set).toUpperCase();
  let enabled;
  function isEnabled() {
    if (enabled === undefined) {
      if (!debugEnabled.has(set)) debugEnabled.set(set, debugEnvMatches(set));
      enabled = debugEnabled.get(set);
    }
    return enabled;
  }
  function logger(...args) {
    if (typeof cb === 'function') {
      const once = cb;
      cb = undefined;
      once(logger);
    }
    if (!isEnabled()) return;
    const pid = typeof process === 'object' && process ? process.pid : 0;
    const msg = formatWithOptions({ colors: false }, ...args);
    if (typeof process === 'object' && process && process.stderr && process.stderr.write) {
      process.stderr.write(`${set} ${pid}: ${msg}\n`);
    }
  }
  Object.defineProperty(logger, 'enabled', {
    get: isEnabled, configurable: true, enumerable: true,
  });
  return logger;
}

// --- misc -------------------------------------------------------------------

function getSystemErrorName(err) {
  if (typeof err !== 'number') throw new ERR_INVALID_ARG_TYPE('err', 'number', err);
  if (err >= 0 || !Number.isSafeInteger(err)) {
    throw new ERR_OUT_OF_RANGE('err', 'a negative integer', err);
  }
  return errnoName(err);
}

function toUSVString(input) {
  const str = String(input);
  if (typeof str.toWellFormed === 'function') return str.toWellFormed();
  return str.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

function isArray(v) {
  return Array.isArray(v);
}

function aborted(signal, resource) {
  if (signal === undefined || signal === null || typeof signal !== 'object' ||
    !('aborted' in signal)) {
    throw new ERR_INVALID_ARG_TYPE('signal', 'AbortSignal', signal);
  }
  if (resource === null || (typeof resource !== 'object' && typeof resource !== 'function')) {
    throw new ERR_INVALID_ARG_TYPE('resource', 'Object', resource);
  }
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

// styleText(format, text, { validateStream, stream }): text wrapped in the
// SGR codes of format (a style name or an array of them), unless the
// stream (process.stdout by default) should not get colors.
function shouldColorize(stream) {
  const env = typeof process === 'object' && process && process.env ? process.env : {};
  if (env.FORCE_COLOR !== undefined) {
    return !['0', 'false'].includes(env.FORCE_COLOR);
  }
  if (env.NO_COLOR !== undefined || env.NODE_DISABLE_COLORS !== undefined) return false;
  if (!stream || !stream.isTTY) return false;
  return typeof stream.getColorDepth === 'function' ? stream.getColorDepth() > 2 : true;
}

function styleText(fmt, text, { validateStream = true, stream = typeof process === 'object' && process ? process.stdout : undefined } = {}) {
  if (typeof text !== 'string') throw new ERR_INVALID_ARG_TYPE('text', 'string', text);
  const formats = Array.isArray(fmt) ? fmt : [fmt];
  let left = '';
  let right = '';
  for (const key of formats) {
    const code = inspect.colors[key];
    if (code === undefined) {
      throw new ERR_INVALID_ARG_VALUE('format', key,
        `must be one of: ${Object.keys(inspect.colors).map((k) => `'${k}'`).join(', ')}`);
    }
    left += `\u001b[${code[0]}m`;
    right = `\u001b[${code[1]}m${right}`;
  }
  // Node 20 colors arrays of formats whatever the stream.
  if (!Array.isArray(fmt) && validateStream && !shouldColorize(stream)) return text;
  return `${left}${text}${right}`;
}

// Legacy type checks, deprecated in Node but still exported.
const legacy = {
  isBoolean: (v) => typeof v === 'boolean',
  isBuffer: (v) => typeof Buffer === 'function' && Buffer.isBuffer(v),
  isNull: (v) => v === null,
  isNullOrUndefined: (v) => v === undefined || v === null,
  isNumber: (v) => typeof v === 'number',
  isString: (v) => typeof v === 'string',
  isSymbol: (v) => typeof v === 'symbol',
  isUndefined: (v) => v === undefined,
  isRegExp: types.isRegExp,
  isObject: (v) => v !== null && typeof v === 'object',
  isDate: types.isDate,
  isError: (e) => types.isNativeError(e) || e instanceof Error,
  isFunction: (v) => typeof v === 'function',
  isPrimitive: (v) => v === null || (typeof v !== 'object' && typeof v !== 'function'),
};

function pad(n) {
  return n.toString().padStart(2, '0');
}
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
function log(...args) {
  const d = new Date();
  const time = [pad(d.getHours()), pad(d.getMinutes()), pad(d.getSeconds())].join(':');
  if (typeof console === 'object') console.log('%s - %s', `${d.getDate()} ${months[d.getMonth()]} ${time}`, format(...args));
}

function _extend(target, source) {
  if (source === null || typeof source !== 'object') return target;
  const keys = Object.keys(source);
  let i = keys.length;
  while (i--) target[keys[i]] = source[keys[i]];
  return target;
}

// parseEnv parses dotenv text (KEY=value lines, quotes, export prefix,
// # comments) into an object, as util.parseEnv does.
function parseEnv(content) {
  if (typeof content !== 'string') throw new ERR_INVALID_ARG_TYPE('content', 'string', content);
  const out = {};
  const lines = content.replace(/\r\n?/g, '\n');
  const re = /^\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\n]+)?\s*(?:#.*)?$/mg;
  let m;
  while ((m = re.exec(lines)) !== null) {
    const key = m[1];
    let value = (m[2] || '').trim();
    const q = value[0];
    value = value.replace(/^(['"`])([\s\S]*)\1$/m, '$2');
    if (q === '"') value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
    out[key] = value;
  }
  return out;
}

function transferableAbortSignal(signal) {
  if (signal === null || typeof signal !== 'object' || !('aborted' in signal)) {
    throw new ERR_INVALID_ARG_TYPE('signal', 'AbortSignal', signal);
  }
  return signal;
}

function transferableAbortController() {
  return new AbortController();
}

const errorsModule = require('internal/errors');

// Keys in Node's order (Object.keys(require('util')) is observable).
module.exports = {
  _errnoException: errorsModule.ErrnoException,
  _exceptionWithHostPort: errorsModule.ExceptionWithHostPort,
  _extend,
  callbackify,
  debug: debuglog,
  debuglog,
  deprecate,
  format,
  styleText,
  formatWithOptions,
  getSystemErrorMap,
  getSystemErrorName,
  inherits,
  inspect,
  isArray,
  isBoolean: legacy.isBoolean,
  isBuffer: legacy.isBuffer,
  isDeepStrictEqual,
  isNull: legacy.isNull,
  isNullOrUndefined: legacy.isNullOrUndefined,
  isNumber: legacy.isNumber,
  isString: legacy.isString,
  isSymbol: legacy.isSymbol,
  isUndefined: legacy.isUndefined,
  isRegExp: legacy.isRegExp,
  isObject: legacy.isObject,
  isDate: legacy.isDate,
  isError: legacy.isError,
  isFunction: legacy.isFunction,
  isPrimitive: legacy.isPrimitive,
  log,
  promisify,
  stripVTControlCharacters,
  toUSVString,
  transferableAbortSignal,
  transferableAbortController,
  aborted,
  types,
  parseEnv,
  parseArgs,
};

// TextDecoder/TextEncoder come from internal/encoding when present, else
// from the global scope; MIMEType/MIMEParams from internal/util/mime.
for (const [name, from] of [['TextDecoder', 'internal/encoding'], ['TextEncoder', 'internal/encoding'],
  ['MIMEType', 'internal/util/mime'], ['MIMEParams', 'internal/util/mime']]) {
  Object.defineProperty(module.exports, name, {
    enumerable: true,
    configurable: true,
    get() {
      let mod = null;
      try {
        mod = require(from);
      } catch {
        mod = null;
      }
      if (mod && mod[name]) return mod[name];
      return globalThis[name];
    },
  });
}

Object.defineProperty(module.exports, 'AbortError', {
  value: AbortError, enumerable: false, configurable: true, writable: true,
});

