'use strict';
// The iterator-helper operators Node 20 puts on Readable.prototype
// (map, filter, forEach, toArray, some, every, find, reduce, take, drop,
// flatMap, asIndexedPairs). They run one item at a time: the concurrency
// option is accepted and validated but not used for parallelism.

const {
  AbortError,
  codes: { ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE, ERR_MISSING_ARGS, ERR_OUT_OF_RANGE },
} = require('internal/errors');

const kEmpty = Symbol('kEmpty');

function validateFn(fn, name) {
  if (typeof fn !== 'function') throw new ERR_INVALID_ARG_TYPE(name, ['Function', 'AsyncFunction'], fn);
}

function validateOptions(options) {
  if ((options !== null && options !== void 0) && typeof options !== 'object') throw new ERR_INVALID_ARG_TYPE('options', 'Object', options);
  if (options && options.signal != null && (typeof options.signal !== 'object' || !('aborted' in options.signal))) {
    throw new ERR_INVALID_ARG_TYPE('options.signal', 'AbortSignal', options.signal);
  }
  if (options && options.concurrency != null) {
    const c = options.concurrency;
    if (typeof c !== 'number') throw new ERR_INVALID_ARG_TYPE('options.concurrency', 'number', c);
    if (!(c >= 1)) throw new ERR_OUT_OF_RANGE('options.concurrency', '>= 1', c);
  }
}

function checkAbort(options) {
  if (options && options.signal && options.signal.aborted) {
    throw new AbortError(undefined, { cause: options.signal.reason });
  }
}

function map(fn, options) {
  validateFn(fn, 'fn');
  validateOptions(options);
  const stream = this;
  return (async function* map() {
    checkAbort(options);
    for await (const val of stream) {
      checkAbort(options);
      const r = await fn(val, { signal: options && options.signal });
      if (r === kEmpty) continue;
      yield r;
    }
  })();
}

function filter(fn, options) {
  validateFn(fn, 'fn');
  validateOptions(options);
  async function filterFn(value, opts) {
    return (await fn(value, opts)) ? value : kEmpty;
  }
  return map.call(this, filterFn, options);
}

function flatMap(fn, options) {
  validateFn(fn, 'fn');
  validateOptions(options);
  const values = map.call(this, fn, options);
  return (async function* flatMap() {
    for await (const val of values) {
      if ((val !== null && val !== void 0) && (typeof val[Symbol.asyncIterator] === 'function' || typeof val[Symbol.iterator] === 'function') && typeof val !== 'string') {
        yield* val;
      } else {
        yield val;
      }
    }
  })();
}

function take(number, options) {
  validateOptions(options);
  number = toIntegerOrInfinity(number);
  const stream = this;
  return (async function* take() {
    checkAbort(options);
    if (number <= 0) return;
    for await (const val of stream) {
      checkAbort(options);
      if (number-- > 0) yield val;
      if (number <= 0) return;
    }
  })();
}

function drop(number, options) {
  validateOptions(options);
  number = toIntegerOrInfinity(number);
  const stream = this;
  return (async function* drop() {
    checkAbort(options);
    for await (const val of stream) {
      checkAbort(options);
      if (number-- <= 0) yield val;
    }
  })();
}

function asIndexedPairs(options) {
  validateOptions(options);
  const stream = this;
  return (async function* asIndexedPairs() {
    let index = 0;
    for await (const val of stream) {
      checkAbort(options);
      yield [index++, val];
    }
  })();
}

function toIntegerOrInfinity(number) {
  number = Number(number);
  if (Number.isNaN(number)) return 0;
  if (number < 0) throw new ERR_OUT_OF_RANGE('number', '>= 0', number);
  return number;
}

async function forEach(fn, options) {
  validateFn(fn, 'fn');
  async function forEachFn(value, opts) {
    await fn(value, opts);
    return kEmpty;
  }
  // eslint-disable-next-line no-unused-vars
  for await (const unused of map.call(this, forEachFn, options));
}

async function toArray(options) {
  validateOptions(options);
  const result = [];
  for await (const val of this) {
    checkAbort(options);
    result.push(val);
  }
  return result;
}

async function some(fn, options) {
  validateFn(fn, 'fn');
  for await (const unused of filter.call(this, fn, options)) { // eslint-disable-line no-unused-vars
    return true;
  }
  return false;
}

async function every(fn, options) {
  validateFn(fn, 'fn');
  return !(await some.call(this, async (...args) => !(await fn(...args)), options));
}

async function find(fn, options) {
  for await (const result of filter.call(this, fn, options)) return result;
  return undefined;
}

async function reduce(reducer, initialValue, options) {
  validateFn(reducer, 'reducer');
  validateOptions(options);
  let hasInitialValue = arguments.length > 1;
  checkAbort(options);
  let gotAnyItemFromStream = false;
  for await (const value of this) {
    gotAnyItemFromStream = true;
    checkAbort(options);
    if (!hasInitialValue) {
      initialValue = value;
      hasInitialValue = true;
    } else {
      initialValue = await reducer(initialValue, value, { signal: options && options.signal });
    }
  }
  if (!gotAnyItemFromStream && !hasInitialValue) {
    const err = new TypeError('Reduce of an empty stream requires an initial value');
    err.code = 'ERR_INVALID_ARGS';
    throw err;
  }
  return initialValue;
}

void ERR_INVALID_ARG_VALUE;
void ERR_MISSING_ARGS;

module.exports = {
  streamReturningOperators: { asIndexedPairs, drop, filter, flatMap, map, take },
  promiseReturningOperators: { every, forEach, reduce, toArray, some, find },
};
