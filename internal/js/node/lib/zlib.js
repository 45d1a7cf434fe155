'use strict';
// node:zlib over internalBinding('zlib') (klauspost/compress for deflate,
// Go's compress/* for inflate, a pure-Go brotli; see lib/bindings/zlib.md).
// The streams are Transforms whose chunks over 16 KB are compressed on a
// goroutine (Node's thread pool); the *Sync functions run inline and the
// callback forms make one trip off the loop. Compressed bytes differ from
// Node's (another deflate implementation) but each side reads the other's
// output.

const { Buffer } = require('buffer');
const { bindCurrent } = require('internal/async_context');
const { Transform } = require('stream');
const binding = internalBinding('zlib');
const {
  codes: {
    ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE, ERR_BUFFER_TOO_LARGE, ERR_BROTLI_INVALID_PARAM,
    ERR_INVALID_ARG_VALUE,
  },
} = require('internal/errors');

const constants = Object.assign(Object.create(null), {
  Z_NO_FLUSH: 0, Z_PARTIAL_FLUSH: 1, Z_SYNC_FLUSH: 2, Z_FULL_FLUSH: 3, Z_FINISH: 4, Z_BLOCK: 5,
  Z_OK: 0, Z_STREAM_END: 1, Z_NEED_DICT: 2, Z_ERRNO: -1, Z_STREAM_ERROR: -2, Z_DATA_ERROR: -3,
  Z_MEM_ERROR: -4, Z_BUF_ERROR: -5, Z_VERSION_ERROR: -6,
  Z_NO_COMPRESSION: 0, Z_BEST_SPEED: 1, Z_BEST_COMPRESSION: 9, Z_DEFAULT_COMPRESSION: -1,
  Z_FILTERED: 1, Z_HUFFMAN_ONLY: 2, Z_RLE: 3, Z_FIXED: 4, Z_DEFAULT_STRATEGY: 0, ZLIB_VERNUM: 4880,
  DEFLATE: 1, INFLATE: 2, GZIP: 3, GUNZIP: 4, DEFLATERAW: 5, INFLATERAW: 6, UNZIP: 7,
  BROTLI_DECODE: 8, BROTLI_ENCODE: 9,
  Z_MIN_WINDOWBITS: 8, Z_MAX_WINDOWBITS: 15, Z_DEFAULT_WINDOWBITS: 15,
  Z_MIN_CHUNK: 64, Z_MAX_CHUNK: Infinity, Z_DEFAULT_CHUNK: 16384,
  Z_MIN_MEMLEVEL: 1, Z_MAX_MEMLEVEL: 9, Z_DEFAULT_MEMLEVEL: 8,
  Z_MIN_LEVEL: -1, Z_MAX_LEVEL: 9, Z_DEFAULT_LEVEL: -1,
  BROTLI_OPERATION_PROCESS: 0, BROTLI_OPERATION_FLUSH: 1, BROTLI_OPERATION_FINISH: 2,
  BROTLI_OPERATION_EMIT_METADATA: 3,
  BROTLI_PARAM_MODE: 0, BROTLI_MODE_GENERIC: 0, BROTLI_MODE_TEXT: 1, BROTLI_MODE_FONT: 2,
  BROTLI_DEFAULT_MODE: 0, BROTLI_PARAM_QUALITY: 1, BROTLI_MIN_QUALITY: 0, BROTLI_MAX_QUALITY: 11,
  BROTLI_DEFAULT_QUALITY: 11, BROTLI_PARAM_LGWIN: 2, BROTLI_MIN_WINDOW_BITS: 10,
  BROTLI_MAX_WINDOW_BITS: 24, BROTLI_LARGE_MAX_WINDOW_BITS: 30, BROTLI_DEFAULT_WINDOW: 22,
  BROTLI_PARAM_LGBLOCK: 3, BROTLI_MIN_INPUT_BLOCK_BITS: 16, BROTLI_MAX_INPUT_BLOCK_BITS: 24,
  BROTLI_PARAM_DISABLE_LITERAL_CONTEXT_MODELING: 4, BROTLI_PARAM_SIZE_HINT: 5,
  BROTLI_PARAM_LARGE_WINDOW: 6, BROTLI_PARAM_NPOSTFIX: 7, BROTLI_PARAM_NDIRECT: 8,
  BROTLI_DECODER_RESULT_ERROR: 0, BROTLI_DECODER_RESULT_SUCCESS: 1,
  BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT: 2, BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT: 3,
  BROTLI_DECODER_PARAM_DISABLE_RING_BUFFER_REALLOCATION: 0, BROTLI_DECODER_PARAM_LARGE_WINDOW: 1,
  BROTLI_DECODER_NO_ERROR: 0, BROTLI_DECODER_SUCCESS: 1, BROTLI_DECODER_NEEDS_MORE_INPUT: 2,
  BROTLI_DECODER_NEEDS_MORE_OUTPUT: 3,
  BROTLI_DECODER_ERROR_FORMAT_EXUBERANT_NIBBLE: -1, BROTLI_DECODER_ERROR_FORMAT_RESERVED: -2,
  BROTLI_DECODER_ERROR_FORMAT_EXUBERANT_META_NIBBLE: -3,
  BROTLI_DECODER_ERROR_FORMAT_SIMPLE_HUFFMAN_ALPHABET: -4,
  BROTLI_DECODER_ERROR_FORMAT_SIMPLE_HUFFMAN_SAME: -5, BROTLI_DECODER_ERROR_FORMAT_CL_SPACE: -6,
  BROTLI_DECODER_ERROR_FORMAT_HUFFMAN_SPACE: -7, BROTLI_DECODER_ERROR_FORMAT_CONTEXT_MAP_REPEAT: -8,
  BROTLI_DECODER_ERROR_FORMAT_BLOCK_LENGTH_1: -9, BROTLI_DECODER_ERROR_FORMAT_BLOCK_LENGTH_2: -10,
  BROTLI_DECODER_ERROR_FORMAT_TRANSFORM: -11, BROTLI_DECODER_ERROR_FORMAT_DICTIONARY: -12,
  BROTLI_DECODER_ERROR_FORMAT_WINDOW_BITS: -13, BROTLI_DECODER_ERROR_FORMAT_PADDING_1: -14,
  BROTLI_DECODER_ERROR_FORMAT_PADDING_2: -15, BROTLI_DECODER_ERROR_FORMAT_DISTANCE: -16,
  BROTLI_DECODER_ERROR_DICTIONARY_NOT_SET: -19, BROTLI_DECODER_ERROR_INVALID_ARGUMENTS: -20,
  BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MODES: -21, BROTLI_DECODER_ERROR_ALLOC_TREE_GROUPS: -22,
  BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MAP: -25, BROTLI_DECODER_ERROR_ALLOC_RING_BUFFER_1: -26,
  BROTLI_DECODER_ERROR_ALLOC_RING_BUFFER_2: -27, BROTLI_DECODER_ERROR_ALLOC_BLOCK_TYPE_TREES: -30,
  BROTLI_DECODER_ERROR_UNREACHABLE: -31,
});
Object.freeze(constants);

const codes = {
  Z_OK: 0, Z_STREAM_END: 1, Z_NEED_DICT: 2, Z_ERRNO: -1, Z_STREAM_ERROR: -2, Z_DATA_ERROR: -3,
  Z_MEM_ERROR: -4, Z_BUF_ERROR: -5, Z_VERSION_ERROR: -6,
};
for (const k of Object.keys(codes)) codes[codes[k]] = k;
Object.freeze(codes);

const {
  DEFLATE, INFLATE, GZIP, GUNZIP, DEFLATERAW, INFLATERAW, UNZIP, BROTLI_DECODE, BROTLI_ENCODE,
  Z_NO_FLUSH, Z_FULL_FLUSH, Z_FINISH, Z_SYNC_FLUSH, Z_PARTIAL_FLUSH, Z_BLOCK,
  BROTLI_OPERATION_PROCESS, BROTLI_OPERATION_FLUSH, BROTLI_OPERATION_FINISH,
} = constants;

// Brotli operations map onto the binding's zlib flush values.
const brotliFlush = { 0: Z_NO_FLUSH, 1: Z_SYNC_FLUSH, 2: Z_FINISH, 3: Z_NO_FLUSH };

function checkRange(opts, name, lower, upper, def) {
  const v = opts[name];
  if (v === undefined) return def;
  if (typeof v !== 'number') throw new ERR_INVALID_ARG_TYPE(`options.${name}`, 'number', v);
  if (!Number.isFinite(v)) {
    if (Number.isNaN(v)) return def;
    throw new ERR_OUT_OF_RANGE(`options.${name}`, 'a finite number', v);
  }
  if (v < lower || v > upper) {
    throw new ERR_OUT_OF_RANGE(`options.${name}`, upper === Infinity ? `>= ${lower}` : `>= ${lower} and <= ${upper}`, v);
  }
  return v;
}

const flushNames = ['flush', 'finishFlush'];

const kHandle = Symbol('kHandle');
const kInlineMax = 16 * 1024;
const kFlushFlag = Symbol('kFlushFlag');
const kError = Symbol('kError');

function ZlibBase(opts, mode, handleArgs, defaultFlush, finishFlush, fullFlush) {
  let chunkSize = constants.Z_DEFAULT_CHUNK;
  let maxOutputLength = 2 ** 32;
  if (opts != null && typeof opts === 'object') {
    chunkSize = checkRange(opts, 'chunkSize', constants.Z_MIN_CHUNK, Infinity, chunkSize);
    for (const n of flushNames) {
      if (opts[n] !== undefined) {
        const max = mode === BROTLI_DECODE || mode === BROTLI_ENCODE ? 3 : 5;
        checkRange(opts, n, 0, max, 0);
      }
    }
    if (opts.flush !== undefined) defaultFlush = opts.flush;
    if (opts.finishFlush !== undefined) finishFlush = opts.finishFlush;
    maxOutputLength = checkRange(opts, 'maxOutputLength', 1, 2 ** 32, maxOutputLength);
    opts = { ...opts, encoding: null, objectMode: false, writableObjectMode: false };
  } else {
    opts = {};
  }
  Transform.call(this, { autoDestroy: true, ...opts });
  this[kError] = null;
  this.bytesWritten = 0;
  this[kHandle] = binding.create(mode, ...handleArgs);
  this._handle = this[kHandle];
  this._mode = mode;
  this._handleArgs = handleArgs;
  this._chunkSize = chunkSize;
  this._defaultFlushFlag = defaultFlush;
  this._finishFlushFlag = finishFlush;
  this._defaultFullFlushFlag = fullFlush;
  this._maxOutputLength = maxOutputLength;
  this._brotli = mode === BROTLI_DECODE || mode === BROTLI_ENCODE;
  this.once('end', () => this.close());
}
Object.setPrototypeOf(ZlibBase.prototype, Transform.prototype);
Object.setPrototypeOf(ZlibBase, Transform);

// 'finish' comes as soon as the writable side ends, before the last output
// is flushed (Node's order: finish, then end).
ZlibBase.prototype._final = function _final(callback) { callback(); };

Object.defineProperty(ZlibBase.prototype, '_closed', {
  get() { return this[kHandle] === null; },
  configurable: true,
});

function toFlush(self, flag) {
  return self._brotli ? brotliFlush[flag] : flag;
}

ZlibBase.prototype.reset = function reset() {
  if (this[kHandle] === null) return;
  binding.reset(this[kHandle]);
};

ZlibBase.prototype.params = function params(level, strategy, callback) {
  // Go's writers cannot change level mid-stream: flush what is pending so
  // the call has Node's observable effect on output boundaries.
  this.flush(Z_SYNC_FLUSH, callback);
};

ZlibBase.prototype.flush = function flush(kind, callback) {
  if (typeof kind === 'function' || (kind === undefined && !callback)) {
    callback = kind;
    kind = this._defaultFullFlushFlag;
  }
  if (this.writableFinished) {
    if (callback) process.nextTick(callback);
  } else if (this.writableEnded) {
    if (callback) this.once('end', callback);
  } else {
    const chunk = Buffer.alloc(0);
    chunk[kFlushFlag] = kind;
    this.write(chunk, '', callback);
  }
};

ZlibBase.prototype.close = function close(callback) {
  if (callback) {
    if (this.destroyed || this[kHandle] === null) process.nextTick(callback);
    else this.once('close', callback);
  }
  if (this[kHandle] !== null) {
    binding.close(this[kHandle]);
    this[kHandle] = null;
    this._handle = null;
  }
  if (!this.destroyed) this.destroy();
};

ZlibBase.prototype._destroy = function _destroy(err, callback) {
  if (this[kHandle] !== null) {
    binding.close(this[kHandle]);
    this[kHandle] = null;
    this._handle = null;
  }
  callback(err);
};

function zlibError(err, self) {
  if (self[kHandle] !== null) {
    binding.close(self[kHandle]);
    self[kHandle] = null;
    self._handle = null;
  }
  return err;
}

ZlibBase.prototype._pushOut = function _pushOut(out) {
  const size = this._chunkSize;
  const buf = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  if (buf.length <= size) {
    if (buf.length > 0) this.push(buf);
    return;
  }
  for (let i = 0; i < buf.length; i += size) this.push(buf.subarray(i, i + size));
};

ZlibBase.prototype._transform = function _transform(chunk, encoding, cb) {
  let flag = this._defaultFlushFlag;
  if (typeof chunk[kFlushFlag] === 'number') flag = chunk[kFlushFlag];
  else if (this.writableEnded && this.writableLength === chunk.byteLength) flag = this._finishFlushFlag;
  this._process(chunk, flag, cb);
};

ZlibBase.prototype._flush = function _flush(cb) {
  this._process(Buffer.alloc(0), this._finishFlushFlag, cb);
};

ZlibBase.prototype._process = function _process(chunk, flag, cb) {
  const h = this[kHandle];
  if (h === null) {
    cb();
    return;
  }
  this.bytesWritten += chunk.byteLength;
  // Small chunks cost less inline than a trip to a goroutine and back
  // (measured: 10k 100-byte writes through gzip and gunzip); the callback
  // still comes asynchronously, as Node's does.
  if (chunk.byteLength <= kInlineMax) {
    let out;
    try {
      out = binding.write(h, chunk, toFlush(this, flag));
    } catch (err) {
      process.nextTick(cb, zlibError(err, this));
      return;
    }
    this._pushOut(out);
    process.nextTick(cb);
    return;
  }
  binding.write(h, chunk, toFlush(this, flag), (err, out) => {
    if (err) {
      cb(zlibError(err, this));
      return;
    }
    if (this.destroyed) {
      cb();
      return;
    }
    this._pushOut(out);
    cb();
  });
};

ZlibBase.prototype._processChunk = function _processChunk(chunk, flushFlag, cb) {
  if (typeof cb === 'function') {
    this._process(chunk, flushFlag, cb);
    return undefined;
  }
  const out = binding.write(this[kHandle], chunk, toFlush(this, flushFlag));
  this.bytesWritten += chunk.byteLength;
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
};

function zlibArgs(opts, mode) {
  let level = constants.Z_DEFAULT_COMPRESSION;
  let strategy = constants.Z_DEFAULT_STRATEGY;
  let dictionary;
  if (opts != null && typeof opts === 'object') {
    let wb = opts.windowBits;
    if (wb === 0 && (mode === INFLATE || mode === GUNZIP || mode === UNZIP)) wb = undefined;
    checkRange({ windowBits: wb }, 'windowBits', constants.Z_MIN_WINDOWBITS, constants.Z_MAX_WINDOWBITS, 15);
    level = checkRange(opts, 'level', constants.Z_MIN_LEVEL, constants.Z_MAX_LEVEL, level);
    checkRange(opts, 'memLevel', constants.Z_MIN_MEMLEVEL, constants.Z_MAX_MEMLEVEL, 8);
    strategy = checkRange(opts, 'strategy', constants.Z_DEFAULT_STRATEGY, constants.Z_FIXED, strategy);
    if (opts.dictionary !== undefined) {
      const d = opts.dictionary;
      if (!ArrayBuffer.isView(d) && !(d instanceof ArrayBuffer)) {
        throw new ERR_INVALID_ARG_TYPE('options.dictionary', ['Buffer', 'TypedArray', 'DataView', 'ArrayBuffer'], d);
      }
      dictionary = ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : new Uint8Array(d);
    }
  }
  return [level, strategy, dictionary, undefined];
}

function Zlib(opts, mode) {
  ZlibBase.call(this, opts, mode, zlibArgs(opts, mode), Z_NO_FLUSH, Z_FINISH, Z_FULL_FLUSH);
  this._level = opts && opts.level !== undefined ? opts.level : constants.Z_DEFAULT_COMPRESSION;
  this._strategy = opts && opts.strategy !== undefined ? opts.strategy : constants.Z_DEFAULT_STRATEGY;
}
Object.setPrototypeOf(Zlib.prototype, ZlibBase.prototype);
Object.setPrototypeOf(Zlib, ZlibBase);

function brotliArgs(opts) {
  const p = [11, 22, 0, 0]; // quality, lgwin, mode, size hint
  // Non-object params are ignored (they have no keys), as in Node.
  if (opts != null && typeof opts === 'object' && opts.params) {
    const params = opts.params;
    for (const key of Object.keys(params)) {
      const k = Number(key);
      if (!Number.isInteger(k) || k < 0 || k > 8) throw new ERR_BROTLI_INVALID_PARAM(key);
      const v = params[key];
      if (typeof v !== 'number' && typeof v !== 'boolean') {
        throw new ERR_INVALID_ARG_TYPE('options.params[key]', 'number', v);
      }
      if (k === constants.BROTLI_PARAM_QUALITY) p[0] = Number(v);
      else if (k === constants.BROTLI_PARAM_LGWIN) p[1] = Number(v);
      else if (k === constants.BROTLI_PARAM_MODE) p[2] = Number(v);
      else if (k === constants.BROTLI_PARAM_SIZE_HINT) p[3] = Number(v);
    }
  }
  // The encoder clamps out-of-range quality and window, as brotli's does.
  p[0] = Math.min(11, Math.max(0, p[0]));
  p[1] = Math.min(24, Math.max(10, p[1]));
  return [0, 0, undefined, p];
}

function Brotli(opts, mode) {
  ZlibBase.call(this, opts, mode, brotliArgs(opts), BROTLI_OPERATION_PROCESS, BROTLI_OPERATION_FINISH, BROTLI_OPERATION_FLUSH);
}
Object.setPrototypeOf(Brotli.prototype, ZlibBase.prototype);
Object.setPrototypeOf(Brotli, ZlibBase);

function makeClass(name, Base, mode) {
  const C = {
    [name]: function (opts) {
      if (!new.target) return new C(opts);
      Base.call(this, opts, mode);
    },
  }[name];
  Object.setPrototypeOf(C.prototype, Base.prototype);
  Object.setPrototypeOf(C, Base);
  return C;
}

const Deflate = makeClass('Deflate', Zlib, DEFLATE);
const Inflate = makeClass('Inflate', Zlib, INFLATE);
const Gzip = makeClass('Gzip', Zlib, GZIP);
const Gunzip = makeClass('Gunzip', Zlib, GUNZIP);
const DeflateRaw = makeClass('DeflateRaw', Zlib, DEFLATERAW);
const InflateRaw = makeClass('InflateRaw', Zlib, INFLATERAW);
const Unzip = makeClass('Unzip', Zlib, UNZIP);
const BrotliCompress = makeClass('BrotliCompress', Brotli, BROTLI_ENCODE);
const BrotliDecompress = makeClass('BrotliDecompress', Brotli, BROTLI_DECODE);

// --- one-shot helpers ----------------------------------------------------------

function inputBuffer(buffer) {
  if (typeof buffer === 'string') return Buffer.from(buffer);
  if (ArrayBuffer.isView(buffer)) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer);
  throw new ERR_INVALID_ARG_TYPE('buffer', ['string', 'Buffer', 'TypedArray', 'DataView', 'ArrayBuffer'], buffer);
}

function oneShotSetup(C, mode, opts) {
  // Validation and handle creation exactly as the stream's.
  const isBrotli = mode === BROTLI_DECODE || mode === BROTLI_ENCODE;
  // Options that are not objects are ignored, as Node's are.
  if (opts === null || typeof opts !== 'object') opts = undefined;
  const o = opts || {};
  checkRange(o, 'chunkSize', constants.Z_MIN_CHUNK, Infinity, 0);
  if (o.flush !== undefined) checkRange(o, 'flush', 0, isBrotli ? 3 : 5, 0);
  const maxOutputLength = checkRange(o, 'maxOutputLength', 1, 2 ** 32, 2 ** 32);
  let finish = Z_FINISH;
  if (o.finishFlush !== undefined) {
    const f = checkRange(o, 'finishFlush', 0, isBrotli ? 3 : 5, isBrotli ? BROTLI_OPERATION_FINISH : Z_FINISH);
    finish = isBrotli ? brotliFlush[f] : f;
  }
  const args = isBrotli ? brotliArgs(opts) : zlibArgs(opts, mode);
  return { handle: binding.create(mode, ...args), maxOutputLength, finish };
}

function finishResult(out, s, opts) {
  binding.close(s.handle);
  if (out.byteLength > s.maxOutputLength) throw new ERR_BUFFER_TOO_LARGE(s.maxOutputLength);
  const buf = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  if (opts && opts.info) return { buffer: buf, engine: { bytesWritten: 0 } };
  return buf;
}

function defineOneShot(name, C, mode) {
  const sync = function (buffer, opts) {
    const input = inputBuffer(buffer);
    const s = oneShotSetup(C, mode, opts);
    let out;
    try {
      out = binding.write(s.handle, input, s.finish);
    } catch (e) {
      binding.close(s.handle);
      throw e;
    }
    return finishResult(out, s, opts);
  };
  const async = function (buffer, opts, callback) {
    if (typeof opts === 'function') {
      callback = opts;
      opts = {};
    }
    if (typeof callback !== 'function') throw new ERR_INVALID_ARG_TYPE('callback', 'Function', callback);
    callback = bindCurrent(callback);
    const input = inputBuffer(buffer);
    const s = oneShotSetup(C, mode, opts);
    binding.write(s.handle, input, s.finish, (err, out) => {
      if (err) {
        binding.close(s.handle);
        callback(err);
        return;
      }
      let res;
      try {
        res = finishResult(out, s, opts);
      } catch (e) {
        callback(e);
        return;
      }
      callback(null, res);
    });
  };
  // Node's wrappers carry these names (zlib.gzip.name is 'asyncBufferWrapper').
  Object.defineProperty(sync, 'name', { value: 'syncBufferWrapper' });
  Object.defineProperty(async, 'name', { value: 'asyncBufferWrapper' });
  return [async, sync];
}

function crc32(data, value = 0) {
  if (typeof data !== 'string' && !ArrayBuffer.isView(data)) {
    throw new ERR_INVALID_ARG_TYPE('data', ['Buffer', 'TypedArray', 'DataView', 'string'], data);
  }
  if (typeof value !== 'number') throw new ERR_INVALID_ARG_TYPE('value', 'number', value);
  if (!Number.isInteger(value)) throw new ERR_OUT_OF_RANGE('value', 'an integer', value);
  if (value < 0 || value > 4294967295) {
    throw new ERR_OUT_OF_RANGE('value', '>= 0 && <= 4294967295', value);
  }
  const bytes = typeof data === 'string' ? Buffer.from(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return binding.crc32(bytes, value);
}

const zlib = {
  crc32,
  Deflate, Inflate, Gzip, Gunzip, DeflateRaw, InflateRaw, Unzip, BrotliCompress, BrotliDecompress,
};
const table = [
  ['deflate', Deflate, DEFLATE], ['gzip', Gzip, GZIP], ['deflateRaw', DeflateRaw, DEFLATERAW],
  ['unzip', Unzip, UNZIP], ['inflate', Inflate, INFLATE], ['gunzip', Gunzip, GUNZIP],
  ['inflateRaw', InflateRaw, INFLATERAW], ['brotliCompress', BrotliCompress, BROTLI_ENCODE],
  ['brotliDecompress', BrotliDecompress, BROTLI_DECODE],
];
for (const [name, C, mode] of table) {
  const [a, s] = defineOneShot(name, C, mode);
  zlib[name] = a;
  zlib[`${name}Sync`] = s;
}
for (const [name, C] of [['Deflate', Deflate], ['Inflate', Inflate], ['DeflateRaw', DeflateRaw],
  ['InflateRaw', InflateRaw], ['Gzip', Gzip], ['Gunzip', Gunzip], ['Unzip', Unzip],
  ['BrotliCompress', BrotliCompress], ['BrotliDecompress', BrotliDecompress]]) {
  // Named 'value' as Node's are (defined through a property descriptor).
  zlib[`create${name}`] = { value(o) { return new C(o); } }.value;
}
Object.defineProperty(zlib, 'constants', { value: constants, enumerable: true, writable: false, configurable: false });
Object.defineProperty(zlib, 'codes', { value: codes, enumerable: true, writable: false, configurable: false });

void ERR_INVALID_ARG_VALUE;
void Z_PARTIAL_FLUSH;
void Z_BLOCK;
void BROTLI_OPERATION_FLUSH;

module.exports = zlib;
