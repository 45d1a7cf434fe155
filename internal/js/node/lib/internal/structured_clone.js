'use strict';
// structuredClone (HTML "StructuredSerialize/Deserialize" done in one pass
// in JavaScript): primitives and wrappers, Date, RegExp, ArrayBuffer and
// views (buffer identity kept), Map, Set, Array, plain objects, Error types,
// cycles and shared references; functions, symbols and other platform
// objects throw DataCloneError.

const DOMException = require('internal/dom_exception');
const { codes: { ERR_INVALID_ARG_TYPE } } = require('internal/errors');

const toString = Object.prototype.toString;
const errorNames = new Set(['Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError']);
const typedArrays = {
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
};

function describe(v) {
  if (typeof v === 'symbol') return v.toString();
  if (typeof v === 'function') {
    try { return Function.prototype.toString.call(v); } catch { return 'function'; }
  }
  if (v && typeof v === 'object') return `#<${(v.constructor && v.constructor.name) || 'Object'}>`;
  return String(v);
}

function dataCloneError(v) {
  return new DOMException(`${describe(v)} could not be cloned.`, 'DataCloneError');
}

function structuredClone(value, options = undefined) {
  if (arguments.length === 0) {
    // Node's message here names the argument without quotes.
    const err = new TypeError('The value argument must be specified');
    err.code = 'ERR_MISSING_ARGS';
    throw err;
  }
  let transfer = [];
  if (options !== undefined && options !== null) {
    if (typeof options !== 'object') throw new ERR_INVALID_ARG_TYPE('options', 'Object', options);
    if (options.transfer !== undefined) {
      if (options.transfer === null || typeof options.transfer[Symbol.iterator] !== 'function') {
        throw new ERR_INVALID_ARG_TYPE('options.transfer', 'Iterable', options.transfer);
      }
      transfer = Array.from(options.transfer);
    }
  }
  const memory = new Map();
  for (const t of transfer) {
    if (toString.call(t) !== '[object ArrayBuffer]') throw dataCloneError(t);
    if (memory.has(t)) throw new DOMException('ArrayBuffer at index 1 is a duplicate of an earlier ArrayBuffer. Duplicate array buffers cannot be transferred.', 'DataCloneError');
    memory.set(t, null); // filled on first use
  }
  const transferred = new Map();
  for (const t of transfer) {
    let copy;
    if (typeof t.transfer === 'function') copy = t.transfer();
    else copy = t.slice(0);
    transferred.set(t, copy);
    memory.set(t, copy);
  }
  return clone(value, memory);
}

function clone(v, memory) {
  if (v === null || (typeof v !== 'object' && typeof v !== 'function')) {
    if (typeof v === 'symbol') throw dataCloneError(v);
    return v;
  }
  if (typeof v === 'function') throw dataCloneError(v);
  if (memory.has(v)) return memory.get(v);
  const tag = toString.call(v);
  let out;
  switch (tag) {
    case '[object Boolean]': out = Object(Boolean.prototype.valueOf.call(v)); break;
    case '[object Number]': out = Object(Number.prototype.valueOf.call(v)); break;
    case '[object String]': out = Object(String.prototype.valueOf.call(v)); break;
    case '[object BigInt]': out = Object(BigInt.prototype.valueOf.call(v)); break;
    case '[object Date]': out = new Date(Date.prototype.getTime.call(v)); break;
    case '[object RegExp]': out = new RegExp(v.source, v.flags); break;
    case '[object ArrayBuffer]': out = v.slice(0); break;
    case '[object SharedArrayBuffer]': out = v; break;
    case '[object DataView]': {
      const buf = clone(v.buffer, memory);
      out = new DataView(buf, v.byteOffset, v.byteLength);
      break;
    }
    case '[object Map]': {
      out = new Map();
      memory.set(v, out);
      for (const [k, x] of Map.prototype.entries.call(v)) out.set(clone(k, memory), clone(x, memory));
      return out;
    }
    case '[object Set]': {
      out = new Set();
      memory.set(v, out);
      for (const x of Set.prototype.values.call(v)) out.add(clone(x, memory));
      return out;
    }
    case '[object Error]': {
      let name = v.name;
      if (!errorNames.has(name)) name = 'Error';
      const Ctor = globalThis[name] || Error;
      out = new Ctor();
      memory.set(v, out);
      const msgDesc = Object.getOwnPropertyDescriptor(v, 'message');
      if (msgDesc && 'value' in msgDesc) {
        Object.defineProperty(out, 'message', { value: `${msgDesc.value}`, writable: true, configurable: true, enumerable: false });
      }
      if (typeof v.stack === 'string') {
        Object.defineProperty(out, 'stack', { value: v.stack, writable: true, configurable: true, enumerable: false });
      }
      if (Object.prototype.hasOwnProperty.call(v, 'cause')) {
        Object.defineProperty(out, 'cause', { value: clone(v.cause, memory), writable: true, configurable: true, enumerable: false });
      }
      return out;
    }
    case '[object Array]': {
      out = new Array(v.length);
      memory.set(v, out);
      for (const k of Object.keys(v)) out[k] = clone(v[k], memory);
      return out;
    }
    case '[object Object]': {
      if (isPlatformObject(v)) throw dataCloneError(v);
      out = {};
      memory.set(v, out);
      for (const k of Object.keys(v)) out[k] = clone(v[k], memory);
      return out;
    }
    default: {
      if (ArrayBuffer.isView(v)) {
        const name = tag.slice(8, -1);
        const Ctor = typedArrays[name];
        if (!Ctor) throw dataCloneError(v);
        const buf = clone(v.buffer, memory);
        out = new Ctor(buf, v.byteOffset, v.length);
        break;
      }
      if (isPlatformObject(v) || tag === '[object Promise]' || tag === '[object WeakMap]' ||
          tag === '[object WeakSet]' || tag === '[object WeakRef]' || tag === '[object Generator]') {
        throw dataCloneError(v);
      }
      out = {};
      memory.set(v, out);
      for (const k of Object.keys(v)) out[k] = clone(v[k], memory);
      return out;
    }
  }
  memory.set(v, out);
  return out;
}

// Host objects (EventTarget, streams, URL...) carry a toStringTag on their
// prototype; plain class instances do not.
function isPlatformObject(v) {
  const proto = Object.getPrototypeOf(v);
  if (proto === null || proto === Object.prototype) return false;
  return Object.prototype.hasOwnProperty.call(proto, Symbol.toStringTag) ||
    typeof v[Symbol.for('nodejs.util.inspect.custom')] === 'function';
}

module.exports = { structuredClone };
