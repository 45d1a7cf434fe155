'use strict';
// Blob and File (File API): immutable byte containers made of strings,
// buffers and other blobs; slice, text, arrayBuffer, stream.

const { codes: { ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE, ERR_INVALID_THIS, ERR_MISSING_ARGS } } =
  require('internal/errors');
const binding = internalBinding('buffer');

const customInspect = Symbol.for('nodejs.util.inspect.custom');
const kBytes = Symbol('bytes');
const kType = Symbol('type');

function partBytes(part, endings) {
  if (typeof part === 'string' || (part != null && typeof part === 'object' && !ArrayBuffer.isView(part) &&
      !(part instanceof Blob) && Object.prototype.toString.call(part) !== '[object ArrayBuffer]' &&
      Object.prototype.toString.call(part) !== '[object SharedArrayBuffer]')) {
    let s = `${part}`;
    if (endings === 'native') s = s.replace(/\r\n/g, '\n'); // as Node does on POSIX
    const n = binding.byteLengthUtf8(s);
    const out = new Uint8Array(n);
    binding.utf8Write(s, out, 0, n);
    return out;
  }
  if (part instanceof Blob) return part[kBytes];
  if (ArrayBuffer.isView(part)) return new Uint8Array(part.buffer.slice(part.byteOffset, part.byteOffset + part.byteLength));
  if (part != null && typeof part === 'object') return new Uint8Array(part.slice(0));
  const s = `${part}`;
  const out = new Uint8Array(binding.byteLengthUtf8(s));
  binding.utf8Write(s, out, 0, out.length);
  return out;
}

function normalizeType(type) {
  type = `${type}`;
  return /[^\u0020-\u007e]/.test(type) ? '' : type.toLowerCase();
}

class Blob {
  constructor(sources = [], options = undefined) {
    if (sources === null || typeof sources !== 'object' || typeof sources[Symbol.iterator] !== 'function' ||
        typeof sources === 'string') {
      throw new ERR_INVALID_ARG_TYPE('sources', 'a sequence', sources);
    }
    if (options !== undefined && (options === null || typeof options !== 'object')) {
      throw new ERR_INVALID_ARG_TYPE('options', 'Object', options);
    }
    const { type = '', endings = 'transparent' } = options || {};
    if (endings !== 'transparent' && endings !== 'native') {
      throw new ERR_INVALID_ARG_VALUE('options.endings', endings);
    }
    const parts = [];
    let length = 0;
    for (const src of sources) {
      const b = partBytes(src, `${endings}`);
      parts.push(b);
      length += b.length;
    }
    const bytes = new Uint8Array(length);
    let off = 0;
    for (const p of parts) {
      bytes.set(p, off);
      off += p.length;
    }
    this[kBytes] = bytes;
    this[kType] = normalizeType(type);
  }

  get size() {
    return bytesOf(this).length;
  }

  get type() {
    bytesOf(this);
    return this[kType];
  }

  slice(start = 0, end = undefined, contentType = '') {
    const bytes = bytesOf(this);
    const size = bytes.length;
    let s = Math.trunc(+start) || 0;
    let e = end === undefined ? size : Math.trunc(+end) || 0;
    if (s < 0) s = Math.max(size + s, 0); else s = Math.min(s, size);
    if (e < 0) e = Math.max(size + e, 0); else e = Math.min(e, size);
    const b = Object.create(Blob.prototype);
    b[kBytes] = bytes.slice(s, Math.max(s, e));
    b[kType] = normalizeType(contentType);
    return b;
  }

  async text() {
    const bytes = bytesOf(this);
    return binding.utf8Slice(bytes, 0, bytes.length);
  }

  async arrayBuffer() {
    const bytes = bytesOf(this);
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
  }

  async bytes() {
    return new Uint8Array(await this.arrayBuffer());
  }

  stream() {
    const bytes = bytesOf(this);
    const { ReadableStream } = require('internal/webstreams/readablestream');
    let offset = 0;
    const chunk = 65536;
    return new ReadableStream({
      type: 'bytes',
      pull(controller) {
        if (offset >= bytes.length) {
          controller.close();
          return;
        }
        const end = Math.min(offset + chunk, bytes.length);
        controller.enqueue(bytes.slice(offset, end));
        offset = end;
      },
    });
  }

  [customInspect](depth, options) {
    if (depth < 0) return this;
    return `Blob ${require('util').inspect({ size: this.size, type: this.type }, options)}`;
  }
}

function bytesOf(self) {
  if (self == null || typeof self !== 'object' || self[kBytes] === undefined) throw new ERR_INVALID_THIS('Blob');
  return self[kBytes];
}

for (const k of ['size', 'type', 'slice', 'text', 'arrayBuffer', 'stream']) {
  Object.defineProperty(Blob.prototype, k, { enumerable: true });
}
delete Blob.prototype.bytes; // Node 20 has no Blob#bytes
Object.defineProperty(Blob.prototype, Symbol.toStringTag, { value: 'Blob', configurable: true });

const kName = Symbol('name');
const kLastModified = Symbol('lastModified');

class File extends Blob {
  constructor(fileBits, fileName, options = {}) {
    if (arguments.length < 2) throw new ERR_MISSING_ARGS('fileBits', 'fileName');
    super(fileBits, options);
    const { lastModified } = options || {};
    this[kName] = `${fileName}`;
    this[kLastModified] = lastModified !== undefined ? Math.trunc(+lastModified) || 0 : Date.now();
  }

  get name() {
    return this[kName];
  }

  get lastModified() {
    return this[kLastModified];
  }

  [customInspect](depth, options) {
    if (depth < 0) return this;
    return `File ${require('util').inspect({ size: this.size, type: this.type, name: this.name, lastModified: this.lastModified }, options)}`;
  }
}
Object.defineProperty(File.prototype, Symbol.toStringTag, { value: 'File', configurable: true });

function resolveObjectURL(url) {
  url = `${url}`;
  try {
    const parsed = new (require('internal/url').URL)(url);
    const split = parsed.pathname.split(':');
    if (split.length !== 2 || split[0] !== 'nodedata') return undefined;
    const store = require('internal/url').blobURLStore();
    return store.get(split[1]);
  } catch {
    return undefined;
  }
}

function isBlob(v) {
  return v != null && typeof v === 'object' && v[kBytes] !== undefined;
}

module.exports = { Blob, File, resolveObjectURL, isBlob };
