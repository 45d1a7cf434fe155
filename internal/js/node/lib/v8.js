'use strict';
// node:v8 on QuickJS. serialize/deserialize, Serializer and Deserializer
// write and read V8's structured-serialization wire format (version 15,
// what Node 20 writes) for the values structured clone supports, with
// Node's host-object encoding of Buffers and typed arrays; so bytes made by
// node's v8.serialize read back here and the other way round. Heap figures
// come from the engine's own accounting (JS_ComputeMemoryUsage); the
// heap-snapshot, coverage and code-cache functions, which need V8, say so.

const { Buffer } = require('buffer');
const binding = internalBinding('vm');
const { codes: { ERR_INVALID_ARG_TYPE } } = require('internal/errors');

const kLatestVersion = 15;

// Wire tags (V8's SerializationTag).
const T = {
  version: 0xFF, padding: 0x00, verifyCount: 0x3F /* ? */, hole: 0x2D /* - */,
  undefined: 0x5F /* _ */, null: 0x30 /* 0 */, true: 0x54 /* T */, false: 0x46 /* F */,
  int32: 0x49 /* I */, uint32: 0x55 /* U */, double: 0x4E /* N */, bigint: 0x5A /* Z */,
  utf8: 0x53 /* S */, oneByte: 0x22 /* " */, twoByte: 0x63 /* c */,
  ref: 0x5E /* ^ */, beginObject: 0x6F /* o */, endObject: 0x7B /* { */,
  beginSparse: 0x61 /* a */, endSparse: 0x40 /* @ */, beginDense: 0x41 /* A */, endDense: 0x24 /* $ */,
  date: 0x44 /* D */, trueObject: 0x79 /* y */, falseObject: 0x78 /* x */, numberObject: 0x6E /* n */,
  bigintObject: 0x7A /* z */, stringObject: 0x73 /* s */, regexp: 0x52 /* R */,
  beginMap: 0x3B /* ; */, endMap: 0x3A /* : */, beginSet: 0x27 /* ' */, endSet: 0x2C /* , */,
  arrayBuffer: 0x42 /* B */, view: 0x56 /* V */, host: 0x5C /* \ */, error: 0x72 /* r */,
};

// Error sub-tags.
const E = {
  eval: 0x45, range: 0x52, reference: 0x46, syntax: 0x53, type: 0x54, uri: 0x55,
  message: 0x6D, cause: 0x63, stack: 0x73, end: 0x2E,
};
const errorTags = new Map([[EvalError, E.eval], [RangeError, E.range], [ReferenceError, E.reference],
  [SyntaxError, E.syntax], [TypeError, E.type], [URIError, E.uri]]);
const errorCtors = new Map([...errorTags].map(([c, t]) => [t, c]));

const regexpFlags = [['g', 1], ['i', 2], ['m', 4], ['y', 8], ['u', 16], ['s', 32], ['d', 128], ['v', 256]];

// Node's DefaultSerializer numbers ArrayBufferView types this way.
const viewTypes = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array,
  Uint32Array, Float32Array, Float64Array, DataView, Buffer, BigInt64Array, BigUint64Array];
// V8's own view sub-tags (when views are not host objects).
const viewSubtags = new Map([[Int8Array, 0x62], [Uint8Array, 0x42], [Uint8ClampedArray, 0x43], [Int16Array, 0x77],
  [Uint16Array, 0x57], [Int32Array, 0x64], [Uint32Array, 0x44], [Float32Array, 0x66], [Float64Array, 0x46],
  [BigInt64Array, 0x71], [BigUint64Array, 0x51], [DataView, 0x3F]]);
const viewCtors = new Map([...viewSubtags].map(([c, t]) => [t, c]));

const toStringTag = Object.prototype.toString;
const isArrayBufferView = ArrayBuffer.isView;

function describe(v) {
  if (typeof v === 'symbol') return v.toString();
  if (typeof v === 'function') {
    try { return Function.prototype.toString.call(v); } catch { return 'function'; }
  }
  if (v && typeof v === 'object') return `#<${(v.constructor && v.constructor.name) || 'Object'}>`;
  return String(v);
}

function isIndexKey(k) {
  return /^(?:0|[1-9]\d*)$/.test(k) && Number(k) < 4294967295;
}

class Serializer {
  constructor() {
    this._buf = new Uint8Array(64);
    this._len = 0;
    this._ids = new Map();
    this._nextId = 0;
    this._transfers = new Map();
    this._viewsAsHost = false;
  }

  _reserve(n) {
    if (this._len + n <= this._buf.length) return;
    let size = this._buf.length * 2;
    while (size < this._len + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this._buf.subarray(0, this._len));
    this._buf = b;
  }

  _byte(b) {
    this._reserve(1);
    this._buf[this._len++] = b;
  }

  writeHeader() {
    this._byte(T.version);
    this._byte(kLatestVersion);
  }

  writeUint32(n) {
    n >>>= 0;
    do {
      let b = n & 0x7F;
      n >>>= 7;
      if (n) b |= 0x80;
      this._byte(b);
    } while (n);
  }

  writeUint64(hi, lo) {
    let n = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
    do {
      let b = Number(n & 0x7Fn);
      n >>= 7n;
      if (n) b |= 0x80;
      this._byte(b);
    } while (n);
  }

  writeDouble(d) {
    this._reserve(8);
    new DataView(this._buf.buffer, this._buf.byteOffset + this._len, 8).setFloat64(0, d, true);
    this._len += 8;
  }

  writeRawBytes(source) {
    if (!isArrayBufferView(source)) throw new ERR_INVALID_ARG_TYPE('source', ['Buffer', 'TypedArray', 'DataView'], source);
    const bytes = new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
    this._reserve(bytes.length);
    this._buf.set(bytes, this._len);
    this._len += bytes.length;
  }

  releaseBuffer() {
    const out = Buffer.from(this._buf.buffer, 0, this._len);
    this._buf = new Uint8Array(64);
    this._len = 0;
    return out;
  }

  transferArrayBuffer(id, arrayBuffer) {
    this._transfers.set(arrayBuffer, id >>> 0);
  }

  _setTreatArrayBufferViewsAsHostObjects(flag) {
    this._viewsAsHost = !!flag;
  }

  _getDataCloneError(message) {
    return new Error(message);
  }

  _writeHostObject(object) {
    throw this._getDataCloneError(`Unserializable host object: ${describe(object)}`);
  }

  _getSharedArrayBufferId() {
    throw this._getDataCloneError('SharedArrayBuffer could not be cloned.');
  }

  _string(s) {
    let oneByte = true;
    for (let i = 0; i < s.length; i++) {
      if (s.charCodeAt(i) > 0xFF) { oneByte = false; break; }
    }
    if (oneByte) {
      this._byte(T.oneByte);
      this.writeUint32(s.length);
      this._reserve(s.length);
      for (let i = 0; i < s.length; i++) this._buf[this._len++] = s.charCodeAt(i);
      return;
    }
    const n = s.length * 2;
    // Two-byte data is kept 2-aligned in the buffer, as V8 does.
    let varintLen = 1;
    for (let v = n >>> 7; v; v >>>= 7) varintLen++;
    if ((this._len + 1 + varintLen) & 1) this._byte(T.padding);
    this._byte(T.twoByte);
    this.writeUint32(n);
    this._reserve(n);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      this._buf[this._len++] = c & 0xFF;
      this._buf[this._len++] = c >>> 8;
    }
  }

  _bigintBody(v) {
    const neg = v < 0n;
    let m = neg ? -v : v;
    const digits = [];
    while (m > 0n) {
      digits.push(m & 0xFFFFFFFFFFFFFFFFn);
      m >>= 64n;
    }
    this.writeUint32((digits.length * 8) * 2 + (neg ? 1 : 0));
    this._reserve(digits.length * 8);
    for (const d of digits) {
      new DataView(this._buf.buffer, this._buf.byteOffset + this._len, 8).setBigUint64(0, d, true);
      this._len += 8;
    }
  }

  _number(v) {
    if (Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 && !Object.is(v, -0)) {
      this._byte(T.int32);
      this.writeUint32(((v << 1) ^ (v >> 31)) >>> 0);
    } else {
      this._byte(T.double);
      this.writeDouble(v);
    }
  }

  _key(k) {
    if (isIndexKey(k)) this._number(Number(k));
    else this._string(k);
  }

  // _properties writes own enumerable string-keyed properties (skipping
  // array indices below skipBelow) and returns how many were written.
  _properties(obj, keys) {
    let n = 0;
    for (const k of keys) {
      if (!Object.prototype.propertyIsEnumerable.call(obj, k)) continue;
      this._key(k);
      this.writeValue(obj[k]);
      n++;
    }
    return n;
  }

  writeValue(v) {
    switch (typeof v) {
      case 'undefined': this._byte(T.undefined); return true;
      case 'boolean': this._byte(v ? T.true : T.false); return true;
      case 'number': this._number(v); return true;
      case 'bigint': this._byte(T.bigint); this._bigintBody(v); return true;
      case 'string': this._string(v); return true;
      case 'symbol':
      case 'function':
        throw this._getDataCloneError(`${describe(v)} could not be cloned.`);
    }
    if (v === null) {
      this._byte(T.null);
      return true;
    }
    const id = this._ids.get(v);
    if (id !== undefined) {
      this._byte(T.ref);
      this.writeUint32(id);
      return true;
    }
    this._object(v);
    return true;
  }

  _object(v) {
    if (isArrayBufferView(v) && this._viewsAsHost) {
      this._ids.set(v, this._nextId++);
      this._byte(T.host);
      this._writeHostObject(v);
      return;
    }
    const tag = toStringTag.call(v);
    if (v instanceof ArrayBuffer || tag === '[object ArrayBuffer]') {
      const transfer = this._transfers.get(v);
      this._ids.set(v, this._nextId++);
      if (transfer !== undefined) {
        this._byte(0x74 /* t */);
        this.writeUint32(transfer);
        return;
      }
      this._byte(T.arrayBuffer);
      this.writeUint32(v.byteLength);
      this.writeRawBytes(new Uint8Array(v));
      return;
    }
    if (isArrayBufferView(v)) {
      if (!this._ids.has(v.buffer)) this._object(v.buffer);
      else { this._byte(T.ref); this.writeUint32(this._ids.get(v.buffer)); }
      this._ids.set(v, this._nextId++);
      let ctor = DataView;
      for (const c of viewSubtags.keys()) if (v instanceof c) { ctor = c; break; }
      this._byte(T.view);
      this._byte(viewSubtags.get(ctor));
      this.writeUint32(v.byteOffset);
      this.writeUint32(v.byteLength);
      this.writeUint32(0);
      return;
    }
    this._ids.set(v, this._nextId++);
    if (Array.isArray(v)) {
      const len = v.length;
      let dense = true;
      for (let i = 0; i < len; i++) if (!(i in v)) { dense = false; break; }
      const keys = Object.keys(v);
      if (dense) {
        this._byte(T.beginDense);
        this.writeUint32(len);
        for (let i = 0; i < len; i++) this.writeValue(v[i]);
        const n = this._properties(v, keys.filter((k) => !(isIndexKey(k) && Number(k) < len)));
        this._byte(T.endDense);
        this.writeUint32(n);
        this.writeUint32(len);
      } else {
        this._byte(T.beginSparse);
        this.writeUint32(len);
        const n = this._properties(v, keys);
        this._byte(T.endSparse);
        this.writeUint32(n);
        this.writeUint32(len);
      }
      return;
    }
    switch (tag) {
      case '[object Date]':
        this._byte(T.date);
        this.writeDouble(v.getTime());
        return;
      case '[object RegExp]': {
        this._byte(T.regexp);
        this._string(v.source);
        let f = 0;
        for (const [c, bit] of regexpFlags) if (v.flags.includes(c)) f |= bit;
        this.writeUint32(f);
        return;
      }
      case '[object Map]':
        this._byte(T.beginMap);
        for (const [k, val] of Map.prototype.entries.call(v)) {
          this.writeValue(k);
          this.writeValue(val);
        }
        this._byte(T.endMap);
        this.writeUint32(v.size * 2);
        return;
      case '[object Set]':
        this._byte(T.beginSet);
        for (const k of Set.prototype.values.call(v)) this.writeValue(k);
        this._byte(T.endSet);
        this.writeUint32(v.size);
        return;
      case '[object Boolean]':
        this._byte(Boolean.prototype.valueOf.call(v) ? T.trueObject : T.falseObject);
        return;
      case '[object Number]':
        this._byte(T.numberObject);
        this.writeDouble(Number.prototype.valueOf.call(v));
        return;
      case '[object String]':
        this._byte(T.stringObject);
        this._string(String.prototype.valueOf.call(v));
        return;
      case '[object BigInt]':
        this._byte(T.bigintObject);
        this._bigintBody(BigInt.prototype.valueOf.call(v));
        return;
      case '[object Error]': {
        this._byte(T.error);
        for (let p = Object.getPrototypeOf(v); p; p = Object.getPrototypeOf(p)) {
          const t = errorTags.get(p.constructor);
          if (t !== undefined && p === p.constructor.prototype) { this._byte(t); break; }
        }
        const md = Object.getOwnPropertyDescriptor(v, 'message');
        if (md && 'value' in md) {
          this._byte(E.message);
          this._string(String(md.value));
        }
        if (Object.prototype.hasOwnProperty.call(v, 'cause')) {
          this._byte(E.cause);
          this.writeValue(v.cause);
        }
        const stack = v.stack;
        if (typeof stack === 'string') {
          this._byte(E.stack);
          this._string(stack);
        }
        this._byte(E.end);
        return;
      }
      case '[object SharedArrayBuffer]':
        this._getSharedArrayBufferId(v);
        return;
    }
    if (isPlatformObject(v)) throw this._getDataCloneError(`${describe(v)} could not be cloned.`);
    this._byte(T.beginObject);
    const n = this._properties(v, Object.keys(v));
    this._byte(T.endObject);
    this.writeUint32(n);
  }
}

function isPlatformObject(v) {
  const tag = toStringTag.call(v);
  return tag === '[object Promise]' || tag === '[object WeakMap]' || tag === '[object WeakSet]' ||
    tag === '[object WeakRef]' || tag === '[object Generator]';
}

class Deserializer {
  constructor(buffer) {
    if (!isArrayBufferView(buffer)) throw new ERR_INVALID_ARG_TYPE('buffer', ['Buffer', 'TypedArray', 'DataView'], buffer);
    this.buffer = buffer;
    this._bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    this._pos = 0;
    this._objects = [];
    this._version = 0;
    this._transfers = new Map();
  }

  _fail() {
    return new Error('Unable to deserialize cloned data.');
  }

  _peek() {
    if (this._pos >= this._bytes.length) throw this._fail();
    return this._bytes[this._pos];
  }

  _byte() {
    if (this._pos >= this._bytes.length) throw this._fail();
    return this._bytes[this._pos++];
  }

  readHeader() {
    if (this._peek() === T.version) {
      this._pos++;
      this._version = this.readUint32();
      if (this._version > kLatestVersion) {
        throw new Error(`Unable to deserialize cloned data due to invalid or unsupported version.`);
      }
    }
    return true;
  }

  getWireFormatVersion() {
    return this._version;
  }

  readUint32() {
    let n = 0;
    let shift = 0;
    for (;;) {
      const b = this._byte();
      if (shift < 32) n |= (b & 0x7F) << shift;
      shift += 7;
      if (!(b & 0x80)) break;
    }
    return n >>> 0;
  }

  readUint64() {
    let n = 0n;
    let shift = 0n;
    for (;;) {
      const b = this._byte();
      n |= BigInt(b & 0x7F) << shift;
      shift += 7n;
      if (!(b & 0x80)) break;
    }
    return [Number(n >> 32n) >>> 0, Number(n & 0xFFFFFFFFn) >>> 0];
  }

  readDouble() {
    if (this._pos + 8 > this._bytes.length) throw this._fail();
    const d = new DataView(this._bytes.buffer, this._bytes.byteOffset + this._pos, 8).getFloat64(0, true);
    this._pos += 8;
    return d;
  }

  _readRaw(n) {
    if (this._pos + n > this._bytes.length) throw this._fail();
    const out = this._bytes.subarray(this._pos, this._pos + n);
    this._pos += n;
    return out;
  }

  readRawBytes(length) {
    const start = this._pos;
    this._readRaw(length);
    return this._bytes.byteOffset + start;
  }

  _readHostObject() {
    throw this._fail();
  }

  transferArrayBuffer(id, arrayBuffer) {
    this._transfers.set(id >>> 0, arrayBuffer);
  }

  _stringOf(tag) {
    const n = this.readUint32();
    const b = this._readRaw(n);
    if (tag === T.oneByte) {
      let s = '';
      for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode.apply(null, b.subarray(i, i + 8192));
      return s;
    }
    if (tag === T.utf8) return Buffer.from(b).toString('utf8');
    let s = '';
    const units = [];
    for (let i = 0; i + 1 < b.length; i += 2) {
      units.push(b[i] | (b[i + 1] << 8));
      if (units.length === 8192) { s += String.fromCharCode.apply(null, units); units.length = 0; }
    }
    return s + String.fromCharCode.apply(null, units);
  }

  _bigintBody() {
    const bits = this.readUint32();
    const n = bits >>> 1;
    const raw = this._readRaw(n);
    let v = 0n;
    for (let i = raw.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(raw[i]);
    return bits & 1 ? -v : v;
  }

  _tag() {
    let t;
    do { t = this._byte(); } while (t === T.padding || t === T.verifyCount && this._skipCount());
    return t;
  }

  _skipCount() {
    this.readUint32();
    return true;
  }

  _id(obj) {
    this._objects.push(obj);
    return obj;
  }

  _readProps(obj, endTag) {
    let n = 0;
    for (;;) {
      while (this._peek() === T.padding) this._pos++;
      if (this._peek() === endTag) {
        this._pos++;
        return n;
      }
      const k = this.readValue();
      obj[k] = this.readValue();
      n++;
    }
  }

  readValue() {
    const t = this._tag();
    switch (t) {
      case T.undefined: return undefined;
      case T.null: return null;
      case T.true: return true;
      case T.false: return false;
      case T.int32: {
        const z = this.readUint32();
        return (z >>> 1) ^ -(z & 1);
      }
      case T.uint32: return this.readUint32();
      case T.double: return this.readDouble();
      case T.bigint: return this._bigintBody();
      case T.oneByte:
      case T.twoByte:
      case T.utf8:
        return this._stringOf(t);
      case T.ref: {
        const id = this.readUint32();
        if (id >= this._objects.length) throw this._fail();
        return this._objects[id];
      }
      case T.beginObject: {
        const o = this._id({});
        this._readProps(o, T.endObject);
        this.readUint32();
        return o;
      }
      case T.beginDense: {
        const len = this.readUint32();
        const a = this._id(new Array(len));
        for (let i = 0; i < len; i++) {
          if (this._peek() === T.hole) { this._pos++; continue; }
          a[i] = this.readValue();
        }
        this._readProps(a, T.endDense);
        this.readUint32();
        this.readUint32();
        return a;
      }
      case T.beginSparse: {
        const len = this.readUint32();
        const a = this._id(new Array(len));
        this._readProps(a, T.endSparse);
        this.readUint32();
        this.readUint32();
        return a;
      }
      case T.date: return this._id(new Date(this.readDouble()));
      case T.trueObject: return this._id(Object(true));
      case T.falseObject: return this._id(Object(false));
      case T.numberObject: return this._id(Object(this.readDouble()));
      case T.bigintObject: return this._id(Object(this._bigintBody()));
      case T.stringObject: {
        const id = this._objects.length;
        this._objects.push(undefined);
        const s = Object(this.readValue());
        this._objects[id] = s;
        return s;
      }
      case T.regexp: {
        const id = this._objects.length;
        this._objects.push(undefined);
        const source = this.readValue();
        const bits = this.readUint32();
        let flags = '';
        for (const [c, bit] of [['d', 128], ['g', 1], ['i', 2], ['m', 4], ['s', 32], ['u', 16], ['v', 256], ['y', 8]]) {
          if (bits & bit) flags += c;
        }
        const r = new RegExp(source, flags);
        this._objects[id] = r;
        return r;
      }
      case T.beginMap: {
        const m = this._id(new Map());
        for (;;) {
          if (this._peek() === T.endMap) { this._pos++; break; }
          const k = this.readValue();
          m.set(k, this.readValue());
        }
        this.readUint32();
        return m;
      }
      case T.beginSet: {
        const s = this._id(new Set());
        for (;;) {
          if (this._peek() === T.endSet) { this._pos++; break; }
          s.add(this.readValue());
        }
        this.readUint32();
        return s;
      }
      case T.arrayBuffer: {
        const n = this.readUint32();
        const ab = this._readRaw(n).slice().buffer;
        this._id(ab);
        return this._maybeView(ab);
      }
      case 0x74: /* t: transferred */ {
        const ab = this._transfers.get(this.readUint32());
        if (ab === undefined) throw this._fail();
        this._id(ab);
        return this._maybeView(ab);
      }
      case T.host: {
        const id = this._objects.length;
        this._objects.push(undefined);
        const v = this._readHostObject();
        this._objects[id] = v;
        return v;
      }
      case T.error: return this._error();
      default:
        throw this._fail();
    }
  }

  _maybeView(ab) {
    if (this._pos < this._bytes.length && this._bytes[this._pos] === T.view) {
      this._pos++;
      const sub = this._byte();
      const off = this.readUint32();
      const len = this.readUint32();
      if (this._version >= 14) this.readUint32();
      const C = viewCtors.get(sub);
      if (!C) throw this._fail();
      const v = C === DataView ? new DataView(ab, off, len) : new C(ab, off, len / C.BYTES_PER_ELEMENT);
      return this._id(v);
    }
    return ab;
  }

  _error() {
    const id = this._objects.length;
    this._objects.push(undefined);
    let Ctor = Error;
    let message;
    let stack;
    let hasCause = false;
    let cause;
    for (;;) {
      const t = this._byte();
      if (t === E.end) break;
      if (errorCtors.has(t)) Ctor = errorCtors.get(t);
      else if (t === E.message) message = this.readValue();
      else if (t === E.stack) stack = this.readValue();
      else if (t === E.cause) { hasCause = true; cause = this.readValue(); }
      else throw this._fail();
    }
    const e = Object.create(Ctor.prototype);
    if (message !== undefined) {
      Object.defineProperty(e, 'message', { value: message, writable: true, enumerable: false, configurable: true });
    }
    if (stack !== undefined) {
      Object.defineProperty(e, 'stack', { value: stack, writable: true, enumerable: false, configurable: true });
    }
    if (hasCause) {
      Object.defineProperty(e, 'cause', { value: cause, writable: true, enumerable: false, configurable: true });
    }
    this._objects[id] = e;
    return e;
  }
}

// Node's defaults: ArrayBufferViews (Buffer included) travel as host
// objects tagged with their type, so they come back as the same type.
class DefaultSerializer extends Serializer {
  constructor() {
    super();
    this._setTreatArrayBufferViewsAsHostObjects(true);
  }

  _writeHostObject(abView) {
    let i = 0;
    if (Buffer.isBuffer(abView)) {
      i = 10;
    } else {
      for (; i < viewTypes.length; i++) {
        if (i !== 10 && abView instanceof viewTypes[i]) break;
      }
    }
    if (i === viewTypes.length) throw this._getDataCloneError(`Unserializable host object: ${describe(abView)}`);
    this.writeUint32(i);
    this.writeUint32(abView.byteLength);
    this.writeRawBytes(new Uint8Array(abView.buffer, abView.byteOffset, abView.byteLength));
  }
}

class DefaultDeserializer extends Deserializer {
  _readHostObject() {
    const typeIndex = this.readUint32();
    const byteLength = this.readUint32();
    const bytes = this._readRaw(byteLength);
    const Ctor = viewTypes[typeIndex];
    if (Ctor === undefined) throw this._fail();
    const copy = bytes.slice();
    if (Ctor === Buffer) return Buffer.from(copy.buffer, 0, byteLength);
    if (Ctor === DataView) return new DataView(copy.buffer);
    return new Ctor(copy.buffer, 0, byteLength / Ctor.BYTES_PER_ELEMENT);
  }
}

function serialize(value) {
  const ser = new DefaultSerializer();
  ser.writeHeader();
  ser.writeValue(value);
  return ser.releaseBuffer();
}

function deserialize(buffer) {
  const der = new DefaultDeserializer(buffer);
  der.readHeader();
  return der.readValue();
}

// ---- heap figures ------------------------------------------------------------

// Without a memory limit QuickJS has none to report; V8's default for a
// 64-bit process is about 4 GiB, which is what tools dividing by it expect.
const kDefaultHeapLimit = 4345298944;

function getHeapStatistics() {
  const h = binding.heapStatistics();
  const limit = h.mallocLimit > 0 ? h.mallocLimit : kDefaultHeapLimit;
  return {
    total_heap_size: h.mallocSize,
    total_heap_size_executable: 0,
    total_physical_size: h.mallocSize,
    total_available_size: Math.max(0, limit - h.mallocSize),
    used_heap_size: h.memoryUsed,
    heap_size_limit: limit,
    malloced_memory: h.mallocSize,
    peak_malloced_memory: h.mallocSize,
    does_zap_garbage: 0,
    number_of_native_contexts: 1,
    number_of_detached_contexts: 0,
    total_global_handles_size: 0,
    used_global_handles_size: 0,
    external_memory: 0,
  };
}

const kSpaces = ['read_only_space', 'new_space', 'old_space', 'code_space', 'shared_space',
  'new_large_object_space', 'large_object_space', 'code_large_object_space', 'shared_large_object_space'];

// QuickJS has one heap: it is reported as old_space, the other V8 spaces
// are empty.
function getHeapSpaceStatistics() {
  const h = binding.heapStatistics();
  return kSpaces.map((name) => {
    const main = name === 'old_space';
    return {
      space_name: name,
      space_size: main ? h.mallocSize : 0,
      space_used_size: main ? h.memoryUsed : 0,
      space_available_size: main ? Math.max(0, h.mallocSize - h.memoryUsed) : 0,
      physical_space_size: main ? h.mallocSize : 0,
    };
  });
}

function getHeapCodeStatistics() {
  return {
    code_and_metadata_size: 0,
    bytecode_and_metadata_size: 0,
    external_script_source_size: 0,
    cpu_profiler_metadata_size: 0,
  };
}

// cachedDataVersionTag identifies the engine build for code caches: a hash
// of the version gnode reports, stable across runs.
function cachedDataVersionTag() {
  let h = 0x811C9DC5;
  const s = `gnode-quickjs-${process.version}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function setFlagsFromString(flags) {
  if (typeof flags !== 'string') throw new ERR_INVALID_ARG_TYPE('flags', 'string', flags);
  // V8 flags mean nothing to QuickJS.
}

function notAvailable(name) {
  return function () {
    const e = new Error(`v8.${name}() is not available in gnode: QuickJS has no V8 heap snapshots or profiler`);
    e.code = 'ERR_NOT_IMPLEMENTED';
    throw e;
  };
}

function noop() {}

const promiseHooks = {
  onInit() { return noop; },
  onSettled() { return noop; },
  onBefore() { return noop; },
  onAfter() { return noop; },
  createHook() { return noop; },
};

const startupSnapshot = {
  isBuildingSnapshot() { return false; },
  addSerializeCallback: notAvailable('startupSnapshot.addSerializeCallback'),
  addDeserializeCallback: notAvailable('startupSnapshot.addDeserializeCallback'),
  setDeserializeMainFunction: notAvailable('startupSnapshot.setDeserializeMainFunction'),
};

class GCProfiler {
  start() {}

  stop() {
    return undefined;
  }
}

module.exports = {
  cachedDataVersionTag,
  getHeapSnapshot: notAvailable('getHeapSnapshot'),
  getHeapStatistics,
  getHeapSpaceStatistics,
  getHeapCodeStatistics,
  setFlagsFromString,
  Serializer,
  Deserializer,
  DefaultSerializer,
  DefaultDeserializer,
  deserialize,
  takeCoverage: noop,
  stopCoverage: noop,
  serialize,
  writeHeapSnapshot: notAvailable('writeHeapSnapshot'),
  promiseHooks,
  queryObjects: notAvailable('queryObjects'),
  startupSnapshot,
  setHeapSnapshotNearHeapLimit: noop,
  GCProfiler,
};
