'use strict';
// node:buffer. Buffer is a Uint8Array subclass; byte/string conversion goes
// through internalBinding('buffer') (see bindings/buffer.md), everything else
// is JavaScript over typed arrays.

const binding = internalBinding('buffer');
// The binding functions as locals: a property lookup per call is measurable
// on the small-buffer paths.
const {
  utf8Slice, latin1Slice, hexSlice, base64Slice,
  utf8Write, latin1Write, hexWrite, base64Write, byteLengthUtf8,
} = binding;
// indexOfString is newer than the libtest shim of the binding: without it,
// encode the needle here (lone surrogates then match U+FFFD's bytes).
const indexOfString = binding.indexOfString ||
  ((buf, str, from, forward) => binding.indexOf(buf, fromString(str, 'utf8'), from, forward));
const bindingCompare = binding.compare;
// Whole-buffer equals/compare in one call each, undefined when an argument
// is not a Uint8Array (newer than the libtest shim: absent there).
const bindingEquals = binding.equals || (() => undefined);
const bindingCompareAll = binding.compareAll || (() => undefined);
const {
  codes: {
    ERR_INVALID_ARG_TYPE,
    ERR_INVALID_ARG_VALUE,
    ERR_OUT_OF_RANGE,
    ERR_UNKNOWN_ENCODING,
    ERR_BUFFER_OUT_OF_BOUNDS,
    ERR_INVALID_BUFFER_SIZE,
    ERR_MISSING_ARGS,
  },
} = require('internal/errors');

const kMaxLength = 2 ** 32;
const kStringMaxLength = 536870888;
const constants = Object.defineProperties({}, {
  MAX_LENGTH: { value: kMaxLength, writable: false, enumerable: true },
  MAX_STRING_LENGTH: { value: kStringMaxLength, writable: false, enumerable: true },
});
let INSPECT_MAX_BYTES = 50;
const customInspect = Symbol.for('nodejs.util.inspect.custom');

// Only the Uint8Array constructor forms are used internally. No explicit
// constructor: QuickJS runs a class's implicit derived constructor faster
// than one written out (measured: 0.77 against 1.04 µs per construction).
class FastBuffer extends Uint8Array {}

// The legacy callable constructor: Buffer(x) / new Buffer(x).
function Buffer(arg, encodingOrOffset, length) {
  if (typeof arg === 'number') {
    if (typeof encodingOrOffset === 'string') {
      throw new ERR_INVALID_ARG_TYPE('string', 'string', arg);
    }
    return Buffer.alloc(arg);
  }
  return Buffer.from(arg, encodingOrOffset, length);
}
Object.defineProperty(Buffer, 'name', { value: 'Buffer' });
Buffer.prototype = FastBuffer.prototype;
Object.defineProperty(FastBuffer.prototype, 'constructor', {
  value: Buffer, writable: true, enumerable: false, configurable: true,
});
Object.setPrototypeOf(Buffer, Uint8Array);

// ---- pool --------------------------------------------------------------

Buffer.poolSize = 8 * 1024;
let poolSize;
let poolOffset;
let allocPool;
let allocPoolBytes; // a Uint8Array over allocPool, for writing into it directly

function createPool() {
  poolSize = Buffer.poolSize;
  allocPool = new ArrayBuffer(poolSize);
  allocPoolBytes = new Uint8Array(allocPool);
  poolOffset = 0;
}
createPool();

function alignPool() {
  poolOffset = (poolOffset + 7) & ~7;
}

// Buffers from 2 MiB up live in Go's heap (binding.allocBuffer): it
// reuses freed pages, where the engine maps fresh ones for each large
// block and pays a page fault per 4 KiB while zeroing them. Below that the
// engine's allocator wins: Go's heap adds collections (measured on 1 MB
// base64/hex decodes, 4 MB concats; /work/notes/bench-buf.md).
const kGoHeapMin = 2 * 1024 * 1024;
const allocBuffer = binding.allocBuffer;

// poolAlloc(size) takes size bytes from the pool the native methods share
// (set at the end of this file when the binding has fastMethods).
let poolAlloc;

function allocate(size) {
  if (size <= 0) return new FastBuffer();
  if (size < (Buffer.poolSize >>> 1)) {
    if (poolAlloc !== undefined) {
      const b = poolAlloc(size);
      if (b !== undefined) return b;
    }
    if (size > (poolSize - poolOffset)) createPool();
    const b = new FastBuffer(allocPool, poolOffset, size);
    poolOffset += size;
    alignPool();
    return b;
  }
  return newBuffer(size);
}

// newBuffer is a zero-filled Buffer of its own (not from the pool).
function newBuffer(size) {
  if (size >= kGoHeapMin && allocBuffer !== undefined) return new FastBuffer(allocBuffer(size), 0, size);
  return new FastBuffer(size);
}

// ---- validation helpers ------------------------------------------------

function validateNumber(value, name, min, max) {
  if (typeof value !== 'number') throw new ERR_INVALID_ARG_TYPE(name, 'number', value);
  if ((min != null && value < min) || (max != null && value > max) ||
      ((min != null || max != null) && Number.isNaN(value))) {
    throw new ERR_OUT_OF_RANGE(name,
      `${min != null ? `>= ${min}` : ''}${min != null && max != null ? ' && ' : ''}${max != null ? `<= ${max}` : ''}`,
      value);
  }
}

function validateSize(size) {
  if (typeof size !== 'number') throw new ERR_INVALID_ARG_TYPE('size', 'number', size);
  if (!(size >= 0 && size <= kMaxLength)) {
    throw new ERR_OUT_OF_RANGE('size', `>= 0 && <= ${kMaxLength}`, size);
  }
}

function validateOffset(value, name, min = 0, max = kMaxLength) {
  if (typeof value !== 'number') throw new ERR_INVALID_ARG_TYPE(name, 'number', value);
  if (!Number.isInteger(value)) throw new ERR_OUT_OF_RANGE(name, 'an integer', value);
  if (value < min || value > max) throw new ERR_OUT_OF_RANGE(name, `>= ${min} && <= ${max}`, value);
}

function isUint8Array(v) {
  return ArrayBuffer.isView(v) && Object.prototype.toString.call(v) === '[object Uint8Array]';
}

function isAnyArrayBuffer(v) {
  if (v instanceof ArrayBuffer) return true;
  if (typeof SharedArrayBuffer === 'function' && v instanceof SharedArrayBuffer) return true;
  const tag = Object.prototype.toString.call(v);
  return tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]';
}

// ---- encodings ---------------------------------------------------------

function base64ByteLength(str, n) {
  if (n > 0 && str.charCodeAt(n - 1) === 0x3d) n--;
  if (n > 1 && str.charCodeAt(n - 1) === 0x3d) n--;
  return (n * 3) >>> 2;
}

function makeOps(name, byteLength, write, slice) {
  return { encoding: name, byteLength, write, slice };
}

const utf8Ops = makeOps('utf8', (s) => binding.byteLengthUtf8(s),
  (buf, s, off, len) => binding.utf8Write(s, buf, off, len),
  (buf, start, end) => binding.utf8Slice(buf, start, end));
const ucs2Ops = makeOps('utf16le', (s) => s.length * 2,
  (buf, s, off, len) => binding.ucs2Write(s, buf, off, len),
  (buf, start, end) => binding.ucs2Slice(buf, start, end));
const latin1Ops = makeOps('latin1', (s) => s.length,
  (buf, s, off, len) => binding.latin1Write(s, buf, off, len),
  (buf, start, end) => binding.latin1Slice(buf, start, end));
const asciiOps = makeOps('ascii', (s) => s.length,
  (buf, s, off, len) => binding.latin1Write(s, buf, off, len),
  (buf, start, end) => binding.asciiSlice(buf, start, end));
const base64Ops = makeOps('base64', (s) => base64ByteLength(s, s.length),
  (buf, s, off, len) => binding.base64Write(s, buf, off, len),
  (buf, start, end) => binding.base64Slice(buf, start, end, false));
const base64urlOps = makeOps('base64url', (s) => base64ByteLength(s, s.length),
  (buf, s, off, len) => binding.base64Write(s, buf, off, len),
  (buf, start, end) => binding.base64Slice(buf, start, end, true));
const hexOps = makeOps('hex', (s) => s.length >>> 1,
  (buf, s, off, len) => binding.hexWrite(s, buf, off, len),
  (buf, start, end) => binding.hexSlice(buf, start, end));

// Returns the ops for an encoding name, or undefined when unknown.
function getEncodingOps(enc) {
  switch (enc) {
    case 'utf8': case 'utf-8': return utf8Ops;
    case 'hex': return hexOps;
    case 'base64': return base64Ops;
    case 'latin1': case 'binary': return latin1Ops;
    case 'ucs2': case 'ucs-2': case 'utf16le': case 'utf-16le': return ucs2Ops;
    case 'ascii': return asciiOps;
    case 'base64url': return base64urlOps;
  }
  if (typeof enc !== 'string') return undefined;
  const lower = enc.toLowerCase();
  if (lower === enc) return undefined;
  return getEncodingOps(lower);
}

// Normalised encoding name ('utf8', 'utf16le', ...) or undefined.
function normalizeEncoding(enc) {
  if (enc == null || enc === '') return 'utf8';
  const ops = getEncodingOps(`${enc}`);
  return ops ? ops.encoding : undefined;
}

function opsOrThrow(encoding) {
  if (encoding === undefined || encoding === null) return utf8Ops;
  const ops = typeof encoding === 'string' ? getEncodingOps(encoding) : getEncodingOps(`${encoding}`);
  if (ops === undefined) {
    if (encoding === '') return utf8Ops;
    throw new ERR_UNKNOWN_ENCODING(encoding);
  }
  return ops;
}

// ---- construction ------------------------------------------------------

// fromString encodes a string into a new Buffer. Short strings in the
// common encodings are written straight into the pool with one native call:
// the room reserved is an upper bound on the bytes (3 per UTF-16 unit for
// UTF-8, 3 per 4 characters for base64, 1 per 2 for hex, 1 per character
// for latin1), and only what was written is taken from the pool.
function fromString(string, encoding) {
  const n = string.length;
  let write;
  let room;
  switch (encoding) {
    case undefined: case 'utf8': case 'utf-8': write = utf8Write; room = n * 3; break;
    case 'base64': case 'base64url': write = base64Write; room = (n * 3) >>> 2; break;
    case 'hex': write = hexWrite; room = n >>> 1; break;
    case 'latin1': case 'binary': case 'ascii': write = latin1Write; room = n; break;
  }
  if (write !== undefined && n !== 0 && room < (Buffer.poolSize >>> 1)) {
    if (room > poolSize - poolOffset) createPool();
    // (The fifth argument lets base64Write scribble past its result.)
    const actual = write(string, allocPoolBytes, poolOffset, room, true);
    const b = new FastBuffer(allocPool, poolOffset, actual);
    poolOffset += actual;
    alignPool();
    return b;
  }
  let ops;
  if (typeof encoding !== 'string' || encoding.length === 0) {
    if (n === 0) return new FastBuffer();
    ops = utf8Ops;
  } else {
    ops = getEncodingOps(encoding);
    if (ops === undefined) throw new ERR_UNKNOWN_ENCODING(encoding);
    if (n === 0) return new FastBuffer();
  }
  const length = ops.byteLength(string);
  let buf = allocate(length);
  const actual = ops === base64Ops || ops === base64urlOps ?
    base64Write(string, buf, 0, length, true) : ops.write(buf, string, 0, length);
  if (actual !== length) {
    // Only base64/hex can decode to fewer bytes than estimated: give the
    // unused tail back to the pool when it is the most recent allocation.
    if (buf.buffer === allocPool && poolOffset !== 0) {
      // Roll the pool back to just after the bytes actually used.
      poolOffset = buf.byteOffset + actual;
      alignPool();
    }
    buf = new FastBuffer(buf.buffer, buf.byteOffset, actual);
  }
  return buf;
}

function fromArrayLike(obj) {
  // Node makes these a Uint8Array from the array-like: its length goes
  // through ToLength (negative and NaN are 0, fractions truncate), and one
  // above kMaxLength is a RangeError, not a length taken modulo 2^32.
  let len = obj.length;
  if (!(len > 0)) return new FastBuffer();
  len = Math.floor(len);
  if (len === 0) return new FastBuffer();
  if (len > kMaxLength) {
    // V8's wording, which Node shows here.
    throw new RangeError(`Invalid typed array length: ${len > Number.MAX_SAFE_INTEGER ? Number.MAX_SAFE_INTEGER : len}`);
  }
  const b = allocate(len);
  if (isUint8Array(obj)) {
    b.set(obj, 0);
  } else {
    for (let i = 0; i < len; i++) b[i] = obj[i];
  }
  return b;
}

function fromArrayBuffer(obj, byteOffset, length) {
  if (byteOffset === undefined) {
    byteOffset = 0;
  } else {
    byteOffset = +byteOffset;
    if (Number.isNaN(byteOffset)) byteOffset = 0;
  }
  const maxLength = obj.byteLength - byteOffset;
  if (maxLength < 0) throw new ERR_BUFFER_OUT_OF_BOUNDS('offset');
  if (length === undefined) {
    length = maxLength;
  } else {
    length = +length;
    if (length > 0) {
      if (length > maxLength) throw new ERR_BUFFER_OUT_OF_BOUNDS('length');
    } else {
      length = 0;
    }
  }
  if (byteOffset < 0) {
    // V8's wording, which Node shows here (engines differ).
    throw new RangeError(`Start offset ${byteOffset} is outside the bounds of the buffer`);
  }
  return new FastBuffer(obj, byteOffset, length);
}

function fromObject(obj) {
  if (obj.length !== undefined || isAnyArrayBuffer(obj.buffer)) {
    if (typeof obj.length !== 'number') return new FastBuffer();
    return fromArrayLike(obj);
  }
  if (obj.type === 'Buffer' && Array.isArray(obj.data)) return fromArrayLike(obj.data);
  return undefined;
}

const objectValueOf = Object.prototype.valueOf;

Buffer.from = function from(value, encodingOrOffset, length) {
  if (typeof value === 'string') return fromString(value, encodingOrOffset);
  if (value instanceof Uint8Array && value.valueOf === objectValueOf) {
    // A copy of a Buffer or Uint8Array, without the generic object walk
    // below (what it would do for one, done directly).
    const len = value.length;
    if (len === 0) return new FastBuffer();
    const b = allocate(len);
    b.set(value, 0);
    return b;
  }
  if (typeof value === 'object' && value !== null) {
    if (isAnyArrayBuffer(value)) return fromArrayBuffer(value, encodingOrOffset, length);
    const valueOf = value.valueOf && value.valueOf();
    if (valueOf != null && valueOf !== value &&
        (typeof valueOf === 'string' || typeof valueOf === 'object')) {
      return from(valueOf, encodingOrOffset, length);
    }
    const b = fromObject(value);
    if (b) return b;
    if (typeof value[Symbol.toPrimitive] === 'function') {
      const primitive = value[Symbol.toPrimitive]('string');
      if (typeof primitive === 'string') return fromString(primitive, encodingOrOffset);
    }
  }
  throw new ERR_INVALID_ARG_TYPE('first argument',
    ['string', 'Buffer', 'ArrayBuffer', 'Array', 'Array-like Object'], value);
};

Buffer.copyBytesFrom = function copyBytesFrom(view, offset, length) {
  if (!ArrayBuffer.isView(view) || view instanceof DataView) {
    throw new ERR_INVALID_ARG_TYPE('view', ['TypedArray'], view);
  }
  const viewLength = view.length;
  if (viewLength === 0) return Buffer.alloc(0);
  if (offset !== undefined || length !== undefined) {
    if (offset !== undefined) {
      validateNumber(offset, 'offset', 0);
      if (offset >= viewLength) return Buffer.alloc(0);
    } else {
      offset = 0;
    }
    let end;
    if (length !== undefined) {
      validateNumber(length, 'length', 0);
      end = offset + length;
    } else {
      end = viewLength;
    }
    view = view.subarray(offset, end);
  }
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  return fromArrayLike(bytes);
};

Buffer.of = function of(...items) {
  const b = allocate(items.length);
  for (let i = 0; i < items.length; i++) b[i] = items[i];
  return b;
};

Buffer.alloc = function alloc(size, fill, encoding) {
  validateSize(size);
  if (fill !== undefined && fill !== 0 && size > 0) {
    const buf = newBuffer(size);
    return _fill(buf, fill, 0, buf.length, encoding);
  }
  return newBuffer(size);
};

Buffer.allocUnsafe = function allocUnsafe(size) {
  if ((size | 0) === size && size > 0 && size < (Buffer.poolSize >>> 1) && size <= poolSize - poolOffset) {
    // A small integer size with room left in the pool (the common case).
    const b = new FastBuffer(allocPool, poolOffset, size);
    poolOffset = (poolOffset + size + 7) & ~7;
    return b;
  }
  validateSize(size);
  return allocate(size);
};

Buffer.allocUnsafeSlow = function allocUnsafeSlow(size) {
  validateSize(size);
  return newBuffer(size);
};

function SlowBuffer(size) {
  validateSize(size);
  return newBuffer(size);
}
Object.setPrototypeOf(SlowBuffer.prototype, Uint8Array.prototype);
Object.setPrototypeOf(SlowBuffer, Uint8Array);

Buffer.isBuffer = function isBuffer(b) {
  return b instanceof Buffer;
};

Buffer.compare = function compare(a, b) {
  const r = bindingCompareAll(a, b);
  if (r !== undefined) return r;
  if (!(a instanceof Uint8Array) && !isUint8Array(a)) throw new ERR_INVALID_ARG_TYPE('buf1', ['Buffer', 'Uint8Array'], a);
  if (!(b instanceof Uint8Array) && !isUint8Array(b)) throw new ERR_INVALID_ARG_TYPE('buf2', ['Buffer', 'Uint8Array'], b);
  if (a === b) return 0;
  return bindingCompare(a, 0, a.length, b, 0, b.length);
};

Buffer.isEncoding = function isEncoding(encoding) {
  return typeof encoding === 'string' && encoding.length !== 0 &&
    getEncodingOps(encoding) !== undefined;
};
Buffer[Symbol.for('kIsEncodingSymbol')] = Buffer.isEncoding;

// concatLength/concatCopy do Buffer.concat's loops natively (absent from
// the libtest shim: then the JavaScript loops below run).
const { concatLength, concatCopy } = binding;

Buffer.concat = function concat(list, length) {
  if (!Array.isArray(list)) throw new ERR_INVALID_ARG_TYPE('list', 'Array', list);
  if (list.length === 0) return new FastBuffer();
  if (concatCopy !== undefined) {
    let total = length;
    if (total === undefined) {
      total = concatLength(list);
    } else {
      validateOffset(total, 'length');
    }
    if (total >= 0) {
      const buffer = allocate(total);
      const pos = concatCopy(list, buffer);
      if (pos >= 0) {
        if (pos < total) buffer.fill(0, pos, total);
        return buffer;
      }
    }
    // An element is not a Uint8Array: the loops below throw Node's error.
  }
  if (length === undefined) {
    length = 0;
    for (let i = 0; i < list.length; i++) {
      const el = list[i];
      // V8's wording, which Node shows (QuickJS words it differently).
      if (el == null) throw new TypeError(`Cannot read properties of ${el} (reading 'length')`);
      if (el.length) length += el.length;
    }
  } else {
    validateOffset(length, 'length');
  }
  const buffer = allocate(length);
  let pos = 0;
  for (let i = 0; i < list.length; i++) {
    const buf = list[i];
    // instanceof first: the tag check behind isUint8Array is two native
    // calls, and http joins a response's head and body here.
    if (!(buf instanceof Uint8Array) && !isUint8Array(buf)) {
      throw new ERR_INVALID_ARG_TYPE(`list[${i}]`, ['Buffer', 'Uint8Array'], list[i]);
    }
    const n = buf.length;
    if (pos + n <= length) {
      if (n > 0) buffer.set(buf, pos);
      pos += n;
    } else {
      pos += _copyActual(buf, buffer, pos, 0, n);
    }
  }
  if (pos < length) buffer.fill(0, pos, length);
  return buffer;
};

Buffer.byteLength = function byteLength(string, encoding) {
  if (encoding === undefined && typeof string === 'string') return byteLengthUtf8(string);
  if (typeof string !== 'string') {
    if (ArrayBuffer.isView(string) || isAnyArrayBuffer(string)) return string.byteLength;
    throw new ERR_INVALID_ARG_TYPE('string', ['string', 'Buffer', 'ArrayBuffer'], string);
  }
  const len = string.length;
  if (len === 0) return 0;
  if (!encoding || encoding === 'utf8') return binding.byteLengthUtf8(string);
  const ops = getEncodingOps(`${encoding}`);
  if (ops === undefined) return binding.byteLengthUtf8(string);
  return ops.byteLength(string);
};

// ---- prototype ---------------------------------------------------------

const proto = Buffer.prototype;

Object.defineProperty(proto, 'parent', {
  enumerable: true,
  configurable: true,
  get() {
    if (!(this instanceof Buffer)) return undefined;
    return this.buffer;
  },
});
Object.defineProperty(proto, 'offset', {
  enumerable: true,
  configurable: true,
  get() {
    if (!(this instanceof Buffer)) return undefined;
    return this.byteOffset;
  },
});

for (const [name, ops] of [['ascii', asciiOps], ['base64', base64Ops],
  ['base64url', base64urlOps], ['latin1', latin1Ops], ['hex', hexOps],
  ['ucs2', ucs2Ops], ['utf8', utf8Ops]]) {
  proto[name + 'Slice'] = function (start = 0, end = this.length) {
    if (start < 0 || start > this.length || end > this.length) {
      throw new ERR_OUT_OF_RANGE('start', `>= 0 && <= ${this.length}`, start);
    }
    if (end < start) end = start;
    return ops.slice(this, start, end);
  };
  proto[name + 'Write'] = function (string, offset = 0, length = this.length - offset) {
    if (offset < 0 || offset > this.length) throw new ERR_BUFFER_OUT_OF_BOUNDS('offset');
    if (length > this.length - offset) length = this.length - offset;
    if (length < 0) length = 0;
    return ops.write(this, `${string}`, offset, length);
  };
}

proto.copy = function copy(target, targetStart, sourceStart, sourceEnd) {
  return _copy(this, target, targetStart, sourceStart, sourceEnd);
};

function toInteger(n, defaultVal) {
  n = +n;
  if (!Number.isNaN(n) && n >= Number.MIN_SAFE_INTEGER && n <= Number.MAX_SAFE_INTEGER) {
    return ((n % 1) === 0 ? n : Math.floor(n));
  }
  return defaultVal;
}

function _copy(source, target, targetStart, sourceStart, sourceEnd) {
  if (!isUint8Array(source)) throw new ERR_INVALID_ARG_TYPE('source', ['Buffer', 'Uint8Array'], source);
  if (!isUint8Array(target)) throw new ERR_INVALID_ARG_TYPE('target', ['Buffer', 'Uint8Array'], target);
  if (targetStart === undefined) {
    targetStart = 0;
  } else {
    targetStart = toInteger(targetStart, 0);
    if (targetStart < 0) throw new ERR_OUT_OF_RANGE('targetStart', '>= 0', targetStart);
  }
  if (sourceStart === undefined) {
    sourceStart = 0;
  } else {
    sourceStart = toInteger(sourceStart, 0);
    if (sourceStart < 0 || sourceStart > source.length) {
      throw new ERR_OUT_OF_RANGE('sourceStart', `>= 0 && <= ${source.length}`, sourceStart);
    }
  }
  if (sourceEnd === undefined) {
    sourceEnd = source.length;
  } else {
    sourceEnd = toInteger(sourceEnd, 0);
    if (sourceEnd < 0) throw new ERR_OUT_OF_RANGE('sourceEnd', '>= 0', sourceEnd);
  }
  if (targetStart >= target.length || sourceStart >= sourceEnd) return 0;
  return _copyActual(source, target, targetStart, sourceStart, sourceEnd);
}

function _copyActual(source, target, targetStart, sourceStart, sourceEnd) {
  if (sourceEnd - sourceStart > target.length - targetStart) {
    sourceEnd = sourceStart + target.length - targetStart;
  }
  let n = sourceEnd - sourceStart;
  const sourceLen = source.length - sourceStart;
  if (n > sourceLen) n = sourceLen;
  if (n <= 0) return 0;
  if (sourceStart !== 0 || sourceEnd < source.length) {
    source = new Uint8Array(source.buffer, source.byteOffset + sourceStart, n);
  }
  target.set(source, targetStart);
  return n;
}

// toString is the hottest Buffer method: no `arguments` (QuickJS builds an
// object for it), the common encodings go straight to the binding, and
// whole-buffer calls skip the range arithmetic.
proto.toString = function toString(encoding, start, end) {
  const len = this.length;
  if (start === undefined && end === undefined) {
    if (len === 0) return ''; // before the encoding is checked, as in Node
    start = 0;
    end = len;
  } else {
    if (start <= 0) {
      start = 0;
    } else if (start >= len) {
      return '';
    } else {
      start = Math.trunc(start) || 0;
    }
    if (end === undefined || end > len) {
      end = len;
    } else {
      end = Math.trunc(end) || 0;
    }
    if (end <= start) return '';
  }
  switch (encoding) {
    case undefined: case 'utf8': case 'utf-8': return utf8Slice(this, start, end);
    case 'hex': return hexSlice(this, start, end);
    case 'base64': return base64Slice(this, start, end, false);
    case 'base64url': return base64Slice(this, start, end, true);
    case 'latin1': case 'binary': return latin1Slice(this, start, end);
  }
  const ops = getEncodingOps(encoding);
  if (ops === undefined) throw new ERR_UNKNOWN_ENCODING(encoding);
  return ops.slice(this, start, end);
};

proto.equals = function equals(otherBuffer) {
  const r = bindingEquals(this, otherBuffer);
  if (r !== undefined) return r;
  if (!(otherBuffer instanceof Uint8Array) && !isUint8Array(otherBuffer)) {
    throw new ERR_INVALID_ARG_TYPE('otherBuffer', ['Buffer', 'Uint8Array'], otherBuffer);
  }
  if (this === otherBuffer) return true;
  const len = this.byteLength;
  if (len !== otherBuffer.byteLength) return false;
  return len === 0 || bindingCompare(this, 0, len, otherBuffer, 0, len) === 0;
};

proto[customInspect] = function inspect(recurseTimes, ctx) {
  const max = INSPECT_MAX_BYTES;
  const actualMax = Math.min(max, this.length);
  const remaining = this.length - max;
  let str = binding.hexSlice(this, 0, actualMax).replace(/(.{2})/g, '$1 ').trim();
  if (remaining > 0) str += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`;
  // Own enumerable non-index properties, shown like Node does.
  if (ctx) {
    const keys = Object.keys(this).filter((k) => !/^\d+$/.test(k));
    if (keys.length) {
      let inspectFn;
      try { inspectFn = require('util').inspect; } catch { inspectFn = null; }
      if (inspectFn) {
        const extras = keys.map((k) => `${k}: ${inspectFn(this[k], { ...ctx, breakLength: Infinity, compact: true })}`);
        str += (str ? ', ' : '') + extras.join(', ');
      }
    }
  }
  return `<${this.constructor.name} ${str}>`;
};
proto.inspect = proto[customInspect];

proto.compare = function compare(target, targetStart, targetEnd, sourceStart, sourceEnd) {
  if (!(target instanceof Uint8Array) && !isUint8Array(target)) {
    throw new ERR_INVALID_ARG_TYPE('target', ['Buffer', 'Uint8Array'], target);
  }
  if (targetStart === undefined && targetEnd === undefined && sourceStart === undefined && sourceEnd === undefined) {
    const r = bindingCompareAll(this, target);
    return r !== undefined ? r : bindingCompare(this, 0, this.length, target, 0, target.length);
  }
  if (targetStart === undefined) targetStart = 0;
  else validateOffset(targetStart, 'targetStart');
  if (targetEnd === undefined) targetEnd = target.length;
  else validateOffset(targetEnd, 'targetEnd', 0, target.length);
  if (sourceStart === undefined) sourceStart = 0;
  else validateOffset(sourceStart, 'sourceStart');
  if (sourceEnd === undefined) sourceEnd = this.length;
  else validateOffset(sourceEnd, 'sourceEnd', 0, this.length);
  if (sourceStart >= sourceEnd) return (targetStart >= targetEnd ? 0 : -1);
  if (targetStart >= targetEnd) return 1;
  return binding.compare(this, sourceStart, sourceEnd, target, targetStart, targetEnd);
};

function bidirectionalIndexOf(buffer, val, byteOffset, encoding, dir) {
  if (typeof byteOffset === 'string') {
    encoding = byteOffset;
    byteOffset = undefined;
  } else if (byteOffset > 0x7fffffff) {
    byteOffset = 0x7fffffff;
  } else if (byteOffset < -0x80000000) {
    byteOffset = -0x80000000;
  }
  byteOffset = +byteOffset;
  if (Number.isNaN(byteOffset)) byteOffset = dir ? 0 : (buffer.length || buffer.byteLength);
  byteOffset = Math.trunc(byteOffset) + 0; // no -0
  const len = buffer.length;
  const ucs2 = typeof val !== 'number' && encoding !== undefined &&
    getEncodingOps(`${encoding}`) === ucs2Ops;

  if (typeof val === 'number') {
    const byte = (val >>> 0) & 0xff;
    let from = byteOffset < 0 ? len + byteOffset : byteOffset;
    if (dir) {
      if (from < 0) from = 0;
      if (from >= len) return -1;
      return Uint8Array.prototype.indexOf.call(buffer, byte, from);
    }
    if (from < 0) return -1;
    if (from >= len) from = len - 1;
    return Uint8Array.prototype.lastIndexOf.call(buffer, byte, from);
  }

  let needle;
  if (typeof val === 'string') {
    const ops = encoding === undefined ? utf8Ops : getEncodingOps(`${encoding}`);
    if (ops === undefined) throw new ERR_UNKNOWN_ENCODING(encoding);
    if (ops === utf8Ops && val.length !== 0) {
      // The binding encodes the needle itself (no Buffer for it).
      let from = byteOffset < 0 ? len + byteOffset : byteOffset;
      if (dir) {
        if (from < 0) from = 0;
        if (from > len) return -1;
      } else {
        if (from < 0) return -1;
        if (from > len) from = len;
      }
      return indexOfString(buffer, val, from, dir);
    }
    needle = fromString(val, ops.encoding);
  } else if (isUint8Array(val)) {
    needle = val;
  } else {
    throw new ERR_INVALID_ARG_TYPE('value', ['number', 'string', 'Buffer', 'Uint8Array'], val);
  }

  let from = byteOffset < 0 ? len + byteOffset : byteOffset;
  const nlen = needle.length;
  if (nlen === 0) {
    // An empty needle matches at the (clamped) start position.
    const top = ucs2 ? len - (len & 1) : len;
    if (from < 0) from = 0;
    if (from > top) from = top;
    return from;
  }
  if (dir) {
    if (from < 0) from = 0;
    if (from + nlen > len) return -1;
  } else {
    if (from < 0) return -1;
    if (from > len - nlen) from = len - nlen;
    if (from < 0) return -1;
  }
  if (ucs2 && (len < 2 || nlen < 2)) return -1;
  if (!ucs2) return binding.indexOf(buffer, needle, from, dir);
  // UTF-16 needles match only at even byte offsets, as in Node.
  let i = binding.indexOf(buffer, needle, from, dir);
  while (i !== -1 && (i & 1) !== 0) {
    const next = dir ? i + 1 : i - 1;
    if (next < 0 || next > len - nlen) return -1;
    i = binding.indexOf(buffer, needle, next, dir);
  }
  return i;
}

const u8IndexOf = Uint8Array.prototype.indexOf;
proto.indexOf = function indexOf(val, byteOffset, encoding) {
  if (byteOffset === undefined && encoding === undefined) {
    // The common forms, buf.indexOf('\n') and buf.indexOf(0x0a).
    if (typeof val === 'string') {
      if (val.length !== 0) return indexOfString(this, val, 0, true);
    } else if (typeof val === 'number') {
      return u8IndexOf.call(this, (val >>> 0) & 0xff, 0);
    } else if (val instanceof Uint8Array) {
      return val.length === 0 ? 0 : binding.indexOf(this, val, 0, true);
    }
  }
  return bidirectionalIndexOf(this, val, byteOffset, encoding, true);
};
proto.lastIndexOf = function lastIndexOf(val, byteOffset, encoding) {
  return bidirectionalIndexOf(this, val, byteOffset, encoding, false);
};
proto.includes = function includes(val, byteOffset, encoding) {
  return this.indexOf(val, byteOffset, encoding) !== -1;
};

proto.fill = function fill(value, offset, end, encoding) {
  return _fill(this, value, offset, end, encoding);
};

function _fill(buf, value, offset, end, encoding) {
  if (typeof value === 'string') {
    if (offset === undefined || typeof offset === 'string') {
      encoding = offset;
      offset = 0;
      end = buf.length;
    } else if (typeof end === 'string') {
      encoding = end;
      end = buf.length;
    }
    const normalized = normalizeEncoding(encoding);
    if (normalized === undefined) {
      if (typeof encoding !== 'string') throw new ERR_INVALID_ARG_TYPE('encoding', 'string', encoding);
      throw new ERR_UNKNOWN_ENCODING(encoding);
    }
    encoding = normalized;
    if (value.length === 0) {
      value = 0;
    } else if (value.length === 1) {
      if (encoding === 'utf8') {
        const code = value.charCodeAt(0);
        if (code < 128) value = code;
      } else if (encoding === 'latin1') {
        value = value.charCodeAt(0);
      }
    }
  } else {
    encoding = undefined;
  }

  if (offset === undefined) {
    offset = 0;
    end = buf.length;
  } else {
    validateOffset(offset, 'offset');
    if (end === undefined) {
      end = buf.length;
    } else {
      validateOffset(end, 'end', 0, buf.length);
    }
    if (offset >= end) return buf;
  }

  if (typeof value === 'number') {
    Uint8Array.prototype.fill.call(buf, value & 255, offset, end);
    return buf;
  }
  if (typeof value === 'boolean') {
    Uint8Array.prototype.fill.call(buf, +value, offset, end);
    return buf;
  }
  let bytes;
  if (typeof value === 'string') {
    bytes = fromString(value, encoding);
    if (bytes.length === 0) {
      throw new ERR_INVALID_ARG_VALUE('value', value);
    }
  } else if (ArrayBuffer.isView(value)) {
    bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    if (bytes.length === 0) throw new ERR_INVALID_ARG_VALUE('value', value);
  } else {
    Uint8Array.prototype.fill.call(buf, (+value) & 255 || 0, offset, end);
    return buf;
  }
  // Copy the pattern once, then double it with copyWithin.
  const total = end - offset;
  const first = Math.min(bytes.length, total);
  buf.set(first === bytes.length ? bytes : bytes.subarray(0, first), offset);
  let filled = first;
  while (filled < total) {
    const n = Math.min(filled, total - filled);
    buf.copyWithin(offset + filled, offset, offset + n);
    filled += n;
  }
  return buf;
}

proto.write = function write(string, offset, length, encoding) {
  if (typeof string !== 'string') throw new ERR_INVALID_ARG_TYPE('argument', 'string', string);
  if (offset === undefined) {
    return utf8Write(string, this, 0, this.length);
  }
  if (length === undefined && encoding === undefined && (offset | 0) === offset && offset >= 0) {
    // buf.write(str, offset): UTF-8 from a valid integer offset.
    const len = this.length;
    if (offset <= len) return utf8Write(string, this, offset, len - offset);
  }
  if (length === undefined && typeof offset === 'string') {
    encoding = offset;
    length = this.length;
    offset = 0;
  } else {
    validateOffset(offset, 'offset', 0, this.length);
    const remaining = this.length - offset;
    if (length === undefined) {
      length = remaining;
    } else if (typeof length === 'string') {
      encoding = length;
      length = remaining;
    } else {
      validateOffset(length, 'length', 0, this.length);
      if (length > remaining) length = remaining;
    }
  }
  if (!encoding || encoding === 'utf8') return binding.utf8Write(string, this, offset, length);
  const ops = getEncodingOps(`${encoding}`);
  if (ops === undefined) throw new ERR_UNKNOWN_ENCODING(encoding);
  return ops.write(this, string, offset, length);
};

proto.toJSON = function toJSON() {
  if (this.length > 0) {
    const data = new Array(this.length);
    for (let i = 0; i < this.length; ++i) data[i] = this[i];
    return { type: 'Buffer', data };
  }
  return { type: 'Buffer', data: [] };
};

function adjustOffset(offset, length) {
  offset = Math.trunc(offset);
  if (offset === 0 || Number.isNaN(offset)) return 0;
  if (offset < 0) {
    offset += length;
    return offset > 0 ? offset : 0;
  }
  if (offset < length) return offset;
  return length;
}

// subarray and slice are the same function body (slice does not call
// subarray: one call less on a hot path). Non-negative integer bounds, the
// common case, skip adjustOffset.
proto.subarray = function subarray(start, end) {
  const srcLength = this.length;
  if (start === undefined) start = 0;
  else if (!((start | 0) === start && start >= 0)) start = adjustOffset(start, srcLength);
  else if (start > srcLength) start = srcLength;
  if (end === undefined) end = srcLength;
  else if (!((end | 0) === end && end >= 0)) end = adjustOffset(end, srcLength);
  else if (end > srcLength) end = srcLength;
  return new FastBuffer(this.buffer, this.byteOffset + start, end > start ? end - start : 0);
};
proto.slice = function slice(start, end) {
  const srcLength = this.length;
  if (start === undefined) start = 0;
  else if (!((start | 0) === start && start >= 0)) start = adjustOffset(start, srcLength);
  else if (start > srcLength) start = srcLength;
  if (end === undefined) end = srcLength;
  else if (!((end | 0) === end && end >= 0)) end = adjustOffset(end, srcLength);
  else if (end > srcLength) end = srcLength;
  return new FastBuffer(this.buffer, this.byteOffset + start, end > start ? end - start : 0);
};

function swap(b, n, m) {
  const i = b[n];
  b[n] = b[m];
  b[m] = i;
}

proto.swap16 = function swap16() {
  const len = this.length;
  if (len % 2 !== 0) throw new ERR_INVALID_BUFFER_SIZE('16-bits');
  for (let i = 0; i < len; i += 2) swap(this, i, i + 1);
  return this;
};
proto.swap32 = function swap32() {
  const len = this.length;
  if (len % 4 !== 0) throw new ERR_INVALID_BUFFER_SIZE('32-bits');
  for (let i = 0; i < len; i += 4) {
    swap(this, i, i + 3);
    swap(this, i + 1, i + 2);
  }
  return this;
};
proto.swap64 = function swap64() {
  const len = this.length;
  if (len % 8 !== 0) throw new ERR_INVALID_BUFFER_SIZE('64-bits');
  for (let i = 0; i < len; i += 8) {
    swap(this, i, i + 7);
    swap(this, i + 1, i + 6);
    swap(this, i + 2, i + 5);
    swap(this, i + 3, i + 4);
  }
  return this;
};
proto.toLocaleString = proto.toString;

// ---- numbers -----------------------------------------------------------

const f32 = new Float32Array(1);
const f32u8 = new Uint8Array(f32.buffer);
const f64 = new Float64Array(1);
const f64u8 = new Uint8Array(f64.buffer);
const bigEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 0;

// Unary plus, but with V8's message for a BigInt (engines word it
// differently and programs see it).
function toNumberV8(value) {
  if (typeof value === 'bigint') throw new TypeError('Cannot convert a BigInt value to a number');
  return +value;
}

function checkBounds(buf, offset, byteLength) {
  if (typeof offset !== 'number') throw new ERR_INVALID_ARG_TYPE('offset', 'number', offset);
  if (buf[offset] === undefined || buf[offset + byteLength] === undefined) {
    boundsError(offset, buf.length - (byteLength + 1));
  }
}

function boundsError(value, length, type) {
  if (Math.floor(value) !== value) {
    if (typeof value !== 'number') throw new ERR_INVALID_ARG_TYPE(type || 'offset', 'number', value);
    throw new ERR_OUT_OF_RANGE(type || 'offset', 'an integer', value);
  }
  if (length < 0) throw new ERR_BUFFER_OUT_OF_BOUNDS();
  throw new ERR_OUT_OF_RANGE(type || 'offset', `>= ${type ? 1 : 0} and <= ${length}`, value);
}

function readCheck(buf, offset, size) {
  if (offset === undefined) offset = 0;
  if (typeof offset !== 'number') throw new ERR_INVALID_ARG_TYPE('offset', 'number', offset);
  const last = offset + size - 1;
  if (!Number.isInteger(offset) || offset < 0 || last >= buf.length) {
    boundsError(offset, buf.length - size);
  }
  return offset;
}

// outOfRange compares a value with BigInt or Number bounds without relying
// on mixed Number/BigInt comparison, which QuickJS gets wrong for some
// values (e.g. -1.5 < -(2n ** 63n) is true there).
function outOfRange(value, min, max) {
  if (typeof min !== 'bigint' || typeof value === 'bigint') return value > max || value < min;
  if (typeof value !== 'number' || Number.isNaN(value)) return false;
  if (value === Infinity || value === -Infinity) return true;
  const int = BigInt(Math.trunc(value));
  if (int > max || int < min) return true;
  // A fraction just beyond an integer bound is still out of range.
  return (int === max && value > Math.trunc(value)) || (int === min && value < Math.trunc(value));
}

function checkInt(value, min, max, buf, offset, byteLength) {
  if (outOfRange(value, min, max)) {
    const n = typeof min === 'bigint' ? 'n' : '';
    let range;
    if (byteLength > 3) {
      if (min === 0 || min === 0n) {
        range = `>= 0${n} and < 2${n} ** ${(byteLength + 1) * 8}${n}`;
      } else {
        range = `>= -(2${n} ** ${(byteLength + 1) * 8 - 1}${n}) and < 2${n} ** ` +
          `${(byteLength + 1) * 8 - 1}${n}`;
      }
    } else {
      range = `>= ${min}${n} and <= ${max}${n}`;
    }
    throw new ERR_OUT_OF_RANGE('value', range, value);
  }
  checkBounds(buf, offset, byteLength);
}

function writeCheck(buf, value, offset, size, min, max) {
  if (offset === undefined) offset = 0;
  value = +value;
  checkInt(value, min, max, buf, offset, size - 1);
  return [value, offset];
}

function defineNumberMethods() {
  const P = proto;
  P.readUInt8 = function readUInt8(offset = 0) {
    offset = readCheck(this, offset, 1);
    return this[offset];
  };
  P.readInt8 = function readInt8(offset = 0) {
    offset = readCheck(this, offset, 1);
    const v = this[offset];
    return v | (v & 0x80) * 0x1fffffe;
  };
  P.readUInt16LE = function readUInt16LE(offset = 0) {
    offset = readCheck(this, offset, 2);
    return this[offset] + this[offset + 1] * 0x100;
  };
  P.readUInt16BE = function readUInt16BE(offset = 0) {
    offset = readCheck(this, offset, 2);
    return this[offset] * 0x100 + this[offset + 1];
  };
  P.readInt16LE = function readInt16LE(offset = 0) {
    const v = this.readUInt16LE(offset);
    return v | (v & 0x8000) * 0x1fffe;
  };
  P.readInt16BE = function readInt16BE(offset = 0) {
    const v = this.readUInt16BE(offset);
    return v | (v & 0x8000) * 0x1fffe;
  };
  P.readUInt32LE = function readUInt32LE(offset = 0) {
    offset = readCheck(this, offset, 4);
    return this[offset] + this[offset + 1] * 0x100 + this[offset + 2] * 0x10000 +
      this[offset + 3] * 0x1000000;
  };
  P.readUInt32BE = function readUInt32BE(offset = 0) {
    offset = readCheck(this, offset, 4);
    return this[offset] * 0x1000000 + this[offset + 1] * 0x10000 +
      this[offset + 2] * 0x100 + this[offset + 3];
  };
  P.readInt32LE = function readInt32LE(offset = 0) {
    offset = readCheck(this, offset, 4);
    return this[offset] + this[offset + 1] * 0x100 + this[offset + 2] * 0x10000 +
      (this[offset + 3] << 24);
  };
  P.readInt32BE = function readInt32BE(offset = 0) {
    offset = readCheck(this, offset, 4);
    return (this[offset] << 24) + this[offset + 1] * 0x10000 +
      this[offset + 2] * 0x100 + this[offset + 3];
  };

  function checkByteLength(byteLength) {
    if (byteLength === undefined) throw new ERR_INVALID_ARG_TYPE('byteLength', 'number', byteLength);
    if (typeof byteLength !== 'number') throw new ERR_INVALID_ARG_TYPE('byteLength', 'number', byteLength);
    if (!Number.isInteger(byteLength)) throw new ERR_OUT_OF_RANGE('byteLength', 'an integer', byteLength);
    if (byteLength < 1 || byteLength > 6) {
      throw new ERR_OUT_OF_RANGE('byteLength', '>= 1 and <= 6', byteLength);
    }
  }

  P.readUIntLE = function readUIntLE(offset, byteLength) {
    if (offset === undefined) throw new ERR_INVALID_ARG_TYPE('offset', 'number', offset);
    checkByteLength(byteLength);
    offset = readCheck(this, offset, byteLength);
    let v = 0;
    let mul = 1;
    for (let i = 0; i < byteLength; i++) {
      v += this[offset + i] * mul;
      mul *= 0x100;
    }
    return v;
  };
  P.readUIntBE = function readUIntBE(offset, byteLength) {
    if (offset === undefined) throw new ERR_INVALID_ARG_TYPE('offset', 'number', offset);
    checkByteLength(byteLength);
    offset = readCheck(this, offset, byteLength);
    let v = 0;
    for (let i = 0; i < byteLength; i++) v = v * 0x100 + this[offset + i];
    return v;
  };
  P.readIntLE = function readIntLE(offset, byteLength) {
    const v = this.readUIntLE(offset, byteLength);
    const limit = 2 ** (byteLength * 8 - 1);
    return v >= limit ? v - limit * 2 : v;
  };
  P.readIntBE = function readIntBE(offset, byteLength) {
    const v = this.readUIntBE(offset, byteLength);
    const limit = 2 ** (byteLength * 8 - 1);
    return v >= limit ? v - limit * 2 : v;
  };

  function readFloat(buf, offset, size, le) {
    offset = readCheck(buf, offset, size);
    const u8 = size === 4 ? f32u8 : f64u8;
    const native = le !== bigEndianHost;
    for (let i = 0; i < size; i++) u8[native ? i : size - 1 - i] = buf[offset + i];
    return size === 4 ? f32[0] : f64[0];
  }
  P.readFloatLE = function readFloatLE(offset = 0) { return readFloat(this, offset, 4, true); };
  P.readFloatBE = function readFloatBE(offset = 0) { return readFloat(this, offset, 4, false); };
  P.readDoubleLE = function readDoubleLE(offset = 0) { return readFloat(this, offset, 8, true); };
  P.readDoubleBE = function readDoubleBE(offset = 0) { return readFloat(this, offset, 8, false); };

  function writeFloat(buf, value, offset, size, le) {
    if (offset === undefined) offset = 0;
    value = toNumberV8(value);
    checkBounds(buf, offset, size - 1);
    const u8 = size === 4 ? f32u8 : f64u8;
    if (size === 4) f32[0] = value; else f64[0] = value;
    const native = le !== bigEndianHost;
    for (let i = 0; i < size; i++) buf[offset + i] = u8[native ? i : size - 1 - i];
    return offset + size;
  }
  P.writeFloatLE = function writeFloatLE(v, o = 0) { return writeFloat(this, v, o, 4, true); };
  P.writeFloatBE = function writeFloatBE(v, o = 0) { return writeFloat(this, v, o, 4, false); };
  P.writeDoubleLE = function writeDoubleLE(v, o = 0) { return writeFloat(this, v, o, 8, true); };
  P.writeDoubleBE = function writeDoubleBE(v, o = 0) { return writeFloat(this, v, o, 8, false); };

  // Callers default offset to 0 where Node's public method does; the
  // variable-width writers pass it through so undefined is a type error.
  function writeU(buf, value, offset, size, le, min, max) {
    value = toNumberV8(value);
    if (size === 1) {
      if (typeof offset !== 'number') throw new ERR_INVALID_ARG_TYPE('offset', 'number', offset);
      if (value > max || value < min) throw new ERR_OUT_OF_RANGE('value', `>= ${min} and <= ${max}`, value);
      if (buf[offset] === undefined) boundsError(offset, buf.length - 1);
      buf[offset] = value;
      return offset + 1;
    }
    checkInt(value, min, max, buf, offset, size - 1);
    // Bytes as Node computes them: the low 32 bits through ToUint32, the
    // bits above through floor(value / 2**32) (matters for fractions).
    let lo = value >>> 0;
    const n = Math.min(size, 4);
    for (let i = 0; i < n; i++) {
      buf[le ? offset + i : offset + size - 1 - i] = lo & 0xff;
      lo >>>= 8;
    }
    if (size > 4) {
      let hi = Math.floor(value * 2 ** -32);
      for (let i = 4; i < size; i++) {
        buf[le ? offset + i : offset + size - 1 - i] = hi & 0xff;
        hi >>= 8;
      }
    }
    return offset + size;
  }
  P.writeUInt8 = function writeUInt8(v, o = 0) { return writeU(this, v, o, 1, true, 0, 0xff); };
  P.writeInt8 = function writeInt8(v, o = 0) { return writeU(this, v, o, 1, true, -0x80, 0x7f); };
  P.writeUInt16LE = function writeUInt16LE(v, o = 0) { return writeU(this, v, o, 2, true, 0, 0xffff); };
  P.writeUInt16BE = function writeUInt16BE(v, o = 0) { return writeU(this, v, o, 2, false, 0, 0xffff); };
  P.writeInt16LE = function writeInt16LE(v, o = 0) { return writeU(this, v, o, 2, true, -0x8000, 0x7fff); };
  P.writeInt16BE = function writeInt16BE(v, o = 0) { return writeU(this, v, o, 2, false, -0x8000, 0x7fff); };
  P.writeUInt32LE = function writeUInt32LE(v, o = 0) { return writeU(this, v, o, 4, true, 0, 0xffffffff); };
  P.writeUInt32BE = function writeUInt32BE(v, o = 0) { return writeU(this, v, o, 4, false, 0, 0xffffffff); };
  P.writeInt32LE = function writeInt32LE(v, o = 0) {
    return writeU(this, v, o, 4, true, -0x80000000, 0x7fffffff);
  };
  P.writeInt32BE = function writeInt32BE(v, o = 0) {
    return writeU(this, v, o, 4, false, -0x80000000, 0x7fffffff);
  };
  function writeVar(buf, value, offset, byteLength, le, signed) {
    if (!(byteLength >= 1 && byteLength <= 6 && Number.isInteger(byteLength))) {
      boundsError(byteLength, 6, 'byteLength');
    }
    const max = signed ? 2 ** (8 * byteLength - 1) - 1 : 2 ** (8 * byteLength) - 1;
    const min = signed ? -(2 ** (8 * byteLength - 1)) : 0;
    return writeU(buf, value, offset, byteLength, le, min, max);
  }
  P.writeUIntLE = function writeUIntLE(v, o, n) { return writeVar(this, v, o, n, true, false); };
  P.writeUIntBE = function writeUIntBE(v, o, n) { return writeVar(this, v, o, n, false, false); };
  P.writeIntLE = function writeIntLE(v, o, n) { return writeVar(this, v, o, n, true, true); };
  P.writeIntBE = function writeIntBE(v, o, n) { return writeVar(this, v, o, n, false, true); };

  function readBig(buf, offset, le, signed) {
    offset = readCheck(buf, offset, 8);
    let v = 0n;
    for (let i = 0; i < 8; i++) {
      v = (v << 8n) | BigInt(buf[le ? offset + 7 - i : offset + i]);
    }
    return signed ? BigInt.asIntN(64, v) : v;
  }
  P.readBigUInt64LE = function readBigUInt64LE(o = 0) { return readBig(this, o, true, false); };
  P.readBigUInt64BE = function readBigUInt64BE(o = 0) { return readBig(this, o, false, false); };
  P.readBigInt64LE = function readBigInt64LE(o = 0) { return readBig(this, o, true, true); };
  P.readBigInt64BE = function readBigInt64BE(o = 0) { return readBig(this, o, false, true); };

  function writeBig(buf, value, offset, le, signed) {
    if (offset === undefined) offset = 0;
    const min = signed ? -(2n ** 63n) : 0n;
    const max = signed ? 2n ** 63n - 1n : 2n ** 64n - 1n;
    checkInt(value, min, max, buf, offset, 7);
    // A number in range fails here as in Node (with V8's message on any engine).
    if (typeof value !== 'bigint') throw new TypeError('Cannot mix BigInt and other types, use explicit conversions');
    let v = BigInt.asUintN(64, value);
    for (let i = 0; i < 8; i++) {
      buf[le ? offset + i : offset + 7 - i] = Number(v & 0xffn);
      v >>= 8n;
    }
    return offset + 8;
  }
  P.writeBigUInt64LE = function writeBigUInt64LE(v, o = 0) { return writeBig(this, v, o, true, false); };
  P.writeBigUInt64BE = function writeBigUInt64BE(v, o = 0) { return writeBig(this, v, o, false, false); };
  P.writeBigInt64LE = function writeBigInt64LE(v, o = 0) { return writeBig(this, v, o, true, true); };
  P.writeBigInt64BE = function writeBigInt64BE(v, o = 0) { return writeBig(this, v, o, false, true); };

  defineFastNumberMethods(P);

  // Lower-case "Uint" aliases, as Node has.
  for (const name of Object.getOwnPropertyNames(P)) {
    if (/^(read|write)(Big)?UInt/.test(name)) {
      P[name.replace('UInt', 'Uint')] = P[name];
    }
  }
}
defineNumberMethods();

// Fast paths for the fixed-width readers and writers, which parsers call
// per field. Each handles the common case (a number offset inside the
// buffer, a number value in range) with plain indexed access; anything
// else goes to the generic method above, which throws Node's errors. The
// typeof test comes first: indexing with an object would run its
// toString, which Node never does. A non-integer offset reads undefined.
function defineFastNumberMethods(P) {
  const g = {};
  for (const k of Object.getOwnPropertyNames(P)) g[k] = P[k];
  if (bigEndianHost) return; // the float paths below assume a little-endian host

  P.readUInt8 = function readUInt8(offset = 0) {
    const v = typeof offset === 'number' ? this[offset] : undefined;
    return v === undefined ? g.readUInt8.call(this, offset) : v;
  };
  P.readInt8 = function readInt8(offset = 0) {
    const v = typeof offset === 'number' ? this[offset] : undefined;
    return v === undefined ? g.readInt8.call(this, offset) : (v << 24) >> 24;
  };
  P.readUInt16LE = function readUInt16LE(offset = 0) {
    if (typeof offset !== 'number') return g.readUInt16LE.call(this, offset);
    const a = this[offset], b = this[offset + 1];
    if (a === undefined || b === undefined) return g.readUInt16LE.call(this, offset);
    return a | (b << 8);
  };
  P.readUInt16BE = function readUInt16BE(offset = 0) {
    if (typeof offset !== 'number') return g.readUInt16BE.call(this, offset);
    const a = this[offset], b = this[offset + 1];
    if (a === undefined || b === undefined) return g.readUInt16BE.call(this, offset);
    return (a << 8) | b;
  };
  P.readInt16LE = function readInt16LE(offset = 0) {
    if (typeof offset !== 'number') return g.readInt16LE.call(this, offset);
    const a = this[offset], b = this[offset + 1];
    if (a === undefined || b === undefined) return g.readInt16LE.call(this, offset);
    return ((a | (b << 8)) << 16) >> 16;
  };
  P.readInt16BE = function readInt16BE(offset = 0) {
    if (typeof offset !== 'number') return g.readInt16BE.call(this, offset);
    const a = this[offset], b = this[offset + 1];
    if (a === undefined || b === undefined) return g.readInt16BE.call(this, offset);
    return (((a << 8) | b) << 16) >> 16;
  };
  P.readUInt32LE = function readUInt32LE(offset = 0) {
    if (typeof offset !== 'number') return g.readUInt32LE.call(this, offset);
    const a = this[offset], d = this[offset + 3];
    if (a === undefined || d === undefined) return g.readUInt32LE.call(this, offset);
    return (a | (this[offset + 1] << 8) | (this[offset + 2] << 16)) + d * 0x1000000;
  };
  P.readUInt32BE = function readUInt32BE(offset = 0) {
    if (typeof offset !== 'number') return g.readUInt32BE.call(this, offset);
    const a = this[offset], d = this[offset + 3];
    if (a === undefined || d === undefined) return g.readUInt32BE.call(this, offset);
    return a * 0x1000000 + ((this[offset + 1] << 16) | (this[offset + 2] << 8) | d);
  };
  P.readInt32LE = function readInt32LE(offset = 0) {
    if (typeof offset !== 'number') return g.readInt32LE.call(this, offset);
    const a = this[offset], d = this[offset + 3];
    if (a === undefined || d === undefined) return g.readInt32LE.call(this, offset);
    return a | (this[offset + 1] << 8) | (this[offset + 2] << 16) | (d << 24);
  };
  P.readInt32BE = function readInt32BE(offset = 0) {
    if (typeof offset !== 'number') return g.readInt32BE.call(this, offset);
    const a = this[offset], d = this[offset + 3];
    if (a === undefined || d === undefined) return g.readInt32BE.call(this, offset);
    return (a << 24) | (this[offset + 1] << 16) | (this[offset + 2] << 8) | d;
  };

  // Floats go through one shared 8-byte scratch. The functions carry
  // Node's names (readDoubleForwards...), which programs can see. (f64u8 and f32u8 alias
  // f64 and f32; the host is little-endian here).
  P.readDoubleLE = function readDoubleForwards(offset = 0) {
    if (typeof offset !== 'number') return g.readDoubleLE.call(this, offset);
    const a = this[offset], h = this[offset + 7];
    if (a === undefined || h === undefined) return g.readDoubleLE.call(this, offset);
    f64u8[0] = a; f64u8[1] = this[offset + 1]; f64u8[2] = this[offset + 2]; f64u8[3] = this[offset + 3];
    f64u8[4] = this[offset + 4]; f64u8[5] = this[offset + 5]; f64u8[6] = this[offset + 6]; f64u8[7] = h;
    return f64[0];
  };
  P.readDoubleBE = function readDoubleBackwards(offset = 0) {
    if (typeof offset !== 'number') return g.readDoubleBE.call(this, offset);
    const a = this[offset], h = this[offset + 7];
    if (a === undefined || h === undefined) return g.readDoubleBE.call(this, offset);
    f64u8[7] = a; f64u8[6] = this[offset + 1]; f64u8[5] = this[offset + 2]; f64u8[4] = this[offset + 3];
    f64u8[3] = this[offset + 4]; f64u8[2] = this[offset + 5]; f64u8[1] = this[offset + 6]; f64u8[0] = h;
    return f64[0];
  };
  P.readFloatLE = function readFloatForwards(offset = 0) {
    if (typeof offset !== 'number') return g.readFloatLE.call(this, offset);
    const a = this[offset], d = this[offset + 3];
    if (a === undefined || d === undefined) return g.readFloatLE.call(this, offset);
    f32u8[0] = a; f32u8[1] = this[offset + 1]; f32u8[2] = this[offset + 2]; f32u8[3] = d;
    return f32[0];
  };
  P.readFloatBE = function readFloatBackwards(offset = 0) {
    if (typeof offset !== 'number') return g.readFloatBE.call(this, offset);
    const a = this[offset], d = this[offset + 3];
    if (a === undefined || d === undefined) return g.readFloatBE.call(this, offset);
    f32u8[3] = a; f32u8[2] = this[offset + 1]; f32u8[1] = this[offset + 2]; f32u8[0] = d;
    return f32[0];
  };

  // Writers: a number value within the method's range. Storing into a
  // Uint8Array keeps the low 8 bits of the integer part, and >>> shifts
  // the 32-bit pattern, which is how Node's writers compute the bytes too.
  P.writeUInt8 = function writeUInt8(value, offset = 0) {
    if (typeof value !== 'number' || !(value >= 0 && value <= 0xff) || typeof offset !== 'number' ||
        this[offset] === undefined) return g.writeUInt8.call(this, value, offset);
    this[offset] = value;
    return offset + 1;
  };
  P.writeInt8 = function writeInt8(value, offset = 0) {
    if (typeof value !== 'number' || !(value >= -0x80 && value <= 0x7f) || typeof offset !== 'number' ||
        this[offset] === undefined) return g.writeInt8.call(this, value, offset);
    this[offset] = value;
    return offset + 1;
  };
  function fast16(name, min, max, le) {
    const slow = g[name];
    P[name] = {
      [name](value, offset = 0) {
        if (typeof value !== 'number' || !(value >= min && value <= max) || typeof offset !== 'number' ||
            this[offset] === undefined || this[offset + 1] === undefined) return slow.call(this, value, offset);
        if (le) {
          this[offset] = value;
          this[offset + 1] = value >>> 8;
        } else {
          this[offset] = value >>> 8;
          this[offset + 1] = value;
        }
        return offset + 2;
      },
    }[name];
  }
  fast16('writeUInt16LE', 0, 0xffff, true);
  fast16('writeUInt16BE', 0, 0xffff, false);
  fast16('writeInt16LE', -0x8000, 0x7fff, true);
  fast16('writeInt16BE', -0x8000, 0x7fff, false);
  function fast32(name, min, max, le) {
    const slow = g[name];
    P[name] = {
      [name](value, offset = 0) {
        if (typeof value !== 'number' || !(value >= min && value <= max) || typeof offset !== 'number' ||
            this[offset] === undefined || this[offset + 3] === undefined) return slow.call(this, value, offset);
        if (le) {
          this[offset] = value;
          this[offset + 1] = value >>> 8;
          this[offset + 2] = value >>> 16;
          this[offset + 3] = value >>> 24;
        } else {
          this[offset] = value >>> 24;
          this[offset + 1] = value >>> 16;
          this[offset + 2] = value >>> 8;
          this[offset + 3] = value;
        }
        return offset + 4;
      },
    }[name];
  }
  fast32('writeUInt32LE', 0, 0xffffffff, true);
  fast32('writeUInt32BE', 0, 0xffffffff, false);
  fast32('writeInt32LE', -0x80000000, 0x7fffffff, true);
  fast32('writeInt32BE', -0x80000000, 0x7fffffff, false);
  P.writeDoubleLE = function writeDoubleForwards(value, offset = 0) {
    if (typeof value !== 'number' || typeof offset !== 'number' || this[offset] === undefined ||
        this[offset + 7] === undefined) return g.writeDoubleLE.call(this, value, offset);
    f64[0] = value;
    this[offset] = f64u8[0]; this[offset + 1] = f64u8[1]; this[offset + 2] = f64u8[2]; this[offset + 3] = f64u8[3];
    this[offset + 4] = f64u8[4]; this[offset + 5] = f64u8[5]; this[offset + 6] = f64u8[6]; this[offset + 7] = f64u8[7];
    return offset + 8;
  };
  P.writeDoubleBE = function writeDoubleBackwards(value, offset = 0) {
    if (typeof value !== 'number' || typeof offset !== 'number' || this[offset] === undefined ||
        this[offset + 7] === undefined) return g.writeDoubleBE.call(this, value, offset);
    f64[0] = value;
    this[offset] = f64u8[7]; this[offset + 1] = f64u8[6]; this[offset + 2] = f64u8[5]; this[offset + 3] = f64u8[4];
    this[offset + 4] = f64u8[3]; this[offset + 5] = f64u8[2]; this[offset + 6] = f64u8[1]; this[offset + 7] = f64u8[0];
    return offset + 8;
  };
  P.writeFloatLE = function writeFloatForwards(value, offset = 0) {
    if (typeof value !== 'number' || typeof offset !== 'number' || this[offset] === undefined ||
        this[offset + 3] === undefined) return g.writeFloatLE.call(this, value, offset);
    f32[0] = value;
    this[offset] = f32u8[0]; this[offset + 1] = f32u8[1]; this[offset + 2] = f32u8[2]; this[offset + 3] = f32u8[3];
    return offset + 4;
  };
  P.writeFloatBE = function writeFloatBackwards(value, offset = 0) {
    if (typeof value !== 'number' || typeof offset !== 'number' || this[offset] === undefined ||
        this[offset + 3] === undefined) return g.writeFloatBE.call(this, value, offset);
    f32[0] = value;
    this[offset] = f32u8[3]; this[offset + 1] = f32u8[2]; this[offset + 2] = f32u8[1]; this[offset + 3] = f32u8[0];
    return offset + 4;
  };
}

// ---- atob / btoa -------------------------------------------------------

let DOMExceptionCtor;
function lazyDOMException(message, name) {
  if (!DOMExceptionCtor) DOMExceptionCtor = require('internal/dom_exception');
  return new DOMExceptionCtor(message, name);
}

const base64Alphabet = new Int8Array(128).fill(-1);
{
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < chars.length; i++) base64Alphabet[chars.charCodeAt(i)] = i;
}

function btoa(input) {
  if (arguments.length === 0) throw new ERR_MISSING_ARGS('input');
  input = `${input}`;
  for (let n = 0; n < input.length; n++) {
    if (input.charCodeAt(n) > 0xff) throw lazyDOMException('Invalid character', 'InvalidCharacterError');
  }
  const buf = Buffer.from(input, 'latin1');
  return binding.base64Slice(buf, 0, buf.length, false);
}

function atob(input) {
  if (arguments.length === 0) throw new ERR_MISSING_ARGS('input');
  input = `${input}`;
  let kept = '';
  let equals = 0;
  for (let n = 0; n < input.length; n++) {
    const c = input.charCodeAt(n);
    if (c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d || c === 0x20) continue;
    if (c === 0x3d) {
      equals++;
    } else if (c < 128 && base64Alphabet[c] !== -1 && equals === 0) {
      // An alphabet character after '=' is invalid (handled below).
    } else {
      throw lazyDOMException('Invalid character', 'InvalidCharacterError');
    }
    kept += input[n];
  }
  if (equals > 2) throw lazyDOMException('Invalid character', 'InvalidCharacterError');
  if ((kept.length - equals) % 4 === 1) {
    throw lazyDOMException('The string to be decoded is not correctly encoded.',
      'InvalidCharacterError');
  }
  if (equals > 0 && kept.length % 4 !== 0) {
    throw lazyDOMException('Invalid character', 'InvalidCharacterError');
  }
  const buf = Buffer.from(kept, 'base64');
  return binding.latin1Slice(buf, 0, buf.length);
}

// ---- misc exports ------------------------------------------------------

function isUtf8(input) {
  if (ArrayBuffer.isView(input)) {
    const u8 = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    return binding.isUtf8(u8, 0, u8.length);
  }
  if (isAnyArrayBuffer(input)) {
    const u8 = new Uint8Array(input);
    return binding.isUtf8(u8, 0, u8.length);
  }
  throw new ERR_INVALID_ARG_TYPE('input', ['ArrayBuffer', 'Buffer', 'TypedArray'], input);
}

function isAscii(input) {
  let u8;
  if (ArrayBuffer.isView(input)) u8 = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  else if (isAnyArrayBuffer(input)) u8 = new Uint8Array(input);
  else throw new ERR_INVALID_ARG_TYPE('input', ['ArrayBuffer', 'Buffer', 'TypedArray'], input);
  for (let i = 0; i < u8.length; i++) if (u8[i] > 0x7f) return false;
  return true;
}

// transcode between the encodings Node supports for it.
function transcode(source, fromEncoding, toEncoding) {
  if (!isUint8Array(source)) throw new ERR_INVALID_ARG_TYPE('source', ['Buffer', 'Uint8Array'], source);
  if (source.length === 0) return Buffer.alloc(0);
  const from = normalizeEncoding(fromEncoding) || fromEncoding;
  const to = normalizeEncoding(toEncoding) || toEncoding;
  const ok = ['ascii', 'latin1', 'utf8', 'utf16le'];
  if (!ok.includes(from) || !ok.includes(to)) {
    const err = new Error(`Unable to transcode Buffer [U_ILLEGAL_ARGUMENT_ERROR]`);
    err.code = 'U_ILLEGAL_ARGUMENT_ERROR';
    err.errno = 1;
    throw err;
  }
  const str = getEncodingOps(from).slice(source, 0, source.length);
  if (to === 'ascii' || to === 'latin1') {
    // Characters outside the target become '?'.
    const max = to === 'ascii' ? 0x7f : 0xff;
    let out = '';
    for (const ch of str) out += ch.codePointAt(0) > max ? '?' : ch;
    return Buffer.from(out, 'latin1');
  }
  return Buffer.from(str, to);
}

// Native versions of the hottest methods (runtime/bind_buffer_fast.go):
// each handles the common calls in one native call, as the JavaScript
// above does, and calls the JavaScript version for everything else. A
// JavaScript frame and each `this.length` cost more here than a short
// conversion itself. (The libtest shim has no fastMethods: the JavaScript
// versions stay.)
if (binding.fastMethods !== undefined) {
  const protoNames = ['toString', 'write', 'equals', 'compare', 'slice', 'subarray', 'indexOf', 'includes'];
  for (const t of ['UInt8', 'Int8', 'UInt16LE', 'UInt16BE', 'Int16LE', 'Int16BE', 'UInt32LE', 'UInt32BE',
    'Int32LE', 'Int32BE', 'FloatLE', 'FloatBE', 'DoubleLE', 'DoubleBE']) {
    protoNames.push(`read${t}`, `write${t}`);
  }
  for (const e of ['utf8', 'hex', 'base64', 'base64url', 'latin1', 'ascii']) protoNames.push(`${e}Slice`, `${e}Write`);
  const staticNames = ['from', 'byteLength', 'concat', 'alloc', 'allocUnsafe', 'isBuffer'];
  const slow = { objectValueOf, staticCompare: Buffer.compare };
  for (const k of protoNames) slow[k] = proto[k];
  for (const k of staticNames) slow[k] = Buffer[k];
  const fast = binding.fastMethods(Buffer, slow);
  for (const k of protoNames) {
    if (fast[k] === undefined) continue;
    proto[k] = fast[k];
    // The lower-case "Uint" aliases stay the same functions, as in Node.
    if (k.includes('UInt')) proto[k.replace('UInt', 'Uint')] = fast[k];
  }
  for (const k of staticNames) if (fast[k] !== undefined) Buffer[k] = fast[k];
  if (fast.staticCompare !== undefined) Buffer.compare = fast.staticCompare;
  proto.toLocaleString = proto.toString;
  poolAlloc = fast.poolAlloc;
}

let blobModule;
function lazyBlob() {
  if (!blobModule) blobModule = require('internal/blob');
  return blobModule;
}

module.exports = {
  Buffer,
  SlowBuffer,
  transcode,
  isUtf8,
  isAscii,
  kMaxLength,
  kStringMaxLength,
  btoa,
  atob,
  constants,
  INSPECT_MAX_BYTES: 50,
  Blob: undefined,
  resolveObjectURL: undefined,
  File: undefined,
};
Object.defineProperty(module.exports, 'INSPECT_MAX_BYTES', {
  configurable: true,
  enumerable: true,
  get() { return INSPECT_MAX_BYTES; },
  set(val) {
    validateNumber(val, 'INSPECT_MAX_BYTES', 0);
    INSPECT_MAX_BYTES = val;
  },
});
for (const name of ['Blob', 'File', 'resolveObjectURL']) {
  Object.defineProperty(module.exports, name, {
    configurable: true,
    enumerable: true,
    get() { return lazyBlob()[name]; },
  });
}

// Internal helpers shared with string_decoder and encoding.
Object.defineProperty(module.exports, Symbol.for('gnode.buffer.internal'), {
  enumerable: false,
  value: { FastBuffer, normalizeEncoding, getEncodingOps, binding },
});
