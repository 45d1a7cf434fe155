'use strict';
// TextEncoder and TextDecoder (WHATWG Encoding): UTF-8, UTF-16LE and
// windows-1252 (the "latin1"/"ascii" labels), fatal and ignoreBOM options,
// streaming decode. Byte work goes through internalBinding('buffer').

const binding = internalBinding('buffer');
// Cached: the hot paths below call these once per encode/decode.
const { utf8Slice, utf8Write, byteLengthUtf8, isUtf8 } = binding;
const {
  codes: {
    ERR_ENCODING_NOT_SUPPORTED,
    ERR_ENCODING_INVALID_ENCODED_DATA,
    ERR_INVALID_ARG_TYPE,
    ERR_INVALID_THIS,
  },
} = require('internal/errors');

const customInspect = Symbol.for('nodejs.util.inspect.custom');

// Encoding labels (https://encoding.spec.whatwg.org/#names-and-labels) for
// the encodings supported here.
const labels = { __proto__: null };
for (const l of ['unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'utf-8', 'utf8', 'x-unicode20utf8']) {
  labels[l] = 'utf-8';
}
for (const l of ['csunicode', 'iso-10646-ucs-2', 'ucs-2', 'unicode', 'unicodefeff', 'utf-16', 'utf-16le']) {
  labels[l] = 'utf-16le';
}
for (const l of ['ansi_x3.4-1968', 'ascii', 'cp1252', 'cp819', 'csisolatin1', 'ibm819', 'iso-8859-1', 'iso-ir-100',
  'iso8859-1', 'iso88591', 'iso_8859-1', 'iso_8859-1:1987', 'l1', 'latin1', 'us-ascii', 'windows-1252',
  'x-cp1252']) {
  labels[l] = 'windows-1252';
}

function getEncodingFromLabel(label) {
  const enc = labels[`${label}`.trim().toLowerCase()];
  return enc;
}

// windows-1252 bytes 0x80..0x9F.
const cp1252 = [0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039,
  0x152, 0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122,
  0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178];

// The decoders' shared "nothing pending": never written to.
const kEmpty = new Uint8Array(0);
const isView = ArrayBuffer.isView;
// An end past any view's length: the binding clamps it to the view.
const kMaxEnd = Number.MAX_SAFE_INTEGER;

class TextEncoder {
  get encoding() {
    return 'utf-8';
  }

  encode(input = '') {
    if (typeof input !== 'string') input = `${input}`;
    const len = input.length;
    if (len === 0) return new Uint8Array(0);
    // (Writing into a scratch array and slicing the result out measured
    // slower than sizing first: the engine's slice costs more than the
    // byteLengthUtf8 call.)
    const n = byteLengthUtf8(input);
    const out = new Uint8Array(n);
    utf8Write(input, out, 0, n);
    return out;
  }

  encodeInto(src, dest) {
    if (typeof src !== 'string') src = `${src}`;
    if (!(dest instanceof Uint8Array)) throw new ERR_INVALID_ARG_TYPE('dest', 'Uint8Array', dest);
    const len = src.length;
    const written = utf8Write(src, dest, 0, dest.length);
    // Every UTF-16 unit is at most 3 bytes, so with room for that much the
    // whole string was written.
    if (dest.length >= len * 3) return { read: len, written };
    return { read: unitsForBytes(src, written), written };
  }

  [customInspect](depth, opts) {
    if (typeof depth === 'number' && depth < 0) return this;
    return `TextEncoder ${require('util').inspect({ encoding: 'utf-8' }, opts)}`;
  }
}
for (const k of ['encoding', 'encode', 'encodeInto']) {
  Object.defineProperty(TextEncoder.prototype, k, { enumerable: true });
}
Object.defineProperty(TextEncoder.prototype, Symbol.toStringTag, { value: 'TextEncoder', configurable: true });

const kState = Symbol('decoder state');
// The decoder's fastMode, on the decoder itself: the native decode reads it
// with one property lookup.
const kFast = Symbol('decoder fast mode');

// unitsForBytes counts the UTF-16 units of s whose UTF-8 form is the first
// n bytes utf8Write wrote (it writes whole characters only; a lone
// surrogate is U+FFFD's 3 bytes).
function unitsForBytes(s, n) {
  let read = 0;
  let bytes = 0;
  while (read < s.length && bytes < n) {
    const c = s.charCodeAt(read);
    if (c < 0x80) {
      bytes += 1;
      read += 1;
    } else if (c < 0x800) {
      bytes += 2;
      read += 1;
    } else if (c >= 0xd800 && c <= 0xdbff && read + 1 < s.length && (s.charCodeAt(read + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      read += 2;
    } else {
      bytes += 3;
      read += 1;
    }
  }
  return read;
}

function toBytes(input) {
  if (input === undefined) return kEmpty;
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const tag = Object.prototype.toString.call(input);
  if (tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]') return new Uint8Array(input);
  const err = new ERR_INVALID_ARG_TYPE('list', ['SharedArrayBuffer', 'ArrayBuffer', 'ArrayBufferView'], input);
  // Node's message for this one has no "Received" part.
  Object.defineProperty(err, 'message', {
    value: 'The "list" argument must be an instance of SharedArrayBuffer, ArrayBuffer or ArrayBufferView.',
    writable: true, enumerable: false, configurable: true,
  });
  throw err;
}

// utf8IncompleteTail returns how many trailing bytes form a valid but
// unfinished UTF-8 sequence (0..3).
function utf8IncompleteTail(b, n) {
  for (let k = 1; k <= 3 && k <= n; k++) {
    const lead = b[n - k];
    if ((lead & 0xc0) === 0x80) continue;
    let need;
    if (lead >= 0xc2 && lead <= 0xdf) need = 2;
    else if (lead >= 0xe0 && lead <= 0xef) need = 3;
    else if (lead >= 0xf0 && lead <= 0xf4) need = 4;
    else return 0;
    if (need <= k) return 0;
    if (k >= 2) {
      const second = b[n - k + 1];
      let lo = 0x80;
      let hi = 0xbf;
      if (lead === 0xe0) lo = 0xa0;
      else if (lead === 0xed) hi = 0x9f;
      else if (lead === 0xf0) lo = 0x90;
      else if (lead === 0xf4) hi = 0x8f;
      if (second < lo || second > hi) return 0;
    }
    return k;
  }
  return 0;
}

function concatBytes(a, b) {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

class TextDecoder {
  constructor(encoding = 'utf-8', options = undefined) {
    const enc = getEncodingFromLabel(encoding);
    if (enc === undefined) throw new ERR_ENCODING_NOT_SUPPORTED(`${encoding}`);
    if (options !== undefined && options !== null && typeof options !== 'object' && typeof options !== 'function') {
      throw new ERR_INVALID_ARG_TYPE('options', 'object', options);
    }
    this[kState] = {
      encoding: enc,
      utf8: enc === 'utf-8', // (a boolean test is cheaper than the string compare)
      fatal: options ? !!options.fatal : false,
      ignoreBOM: options ? !!options.ignoreBOM : false,
      pending: kEmpty,
      bomSeen: false,
      streamed: false, // see decode's options handling
    };
    this[kFast] = fastMode(this[kState]);
  }

  get encoding() {
    return st(this).encoding;
  }

  get fatal() {
    return st(this).fatal;
  }

  get ignoreBOM() {
    return st(this).ignoreBOM;
  }

  decode(input = undefined, options = undefined) {
    const s = this != null ? this[kState] : undefined;
    if (s === undefined) st(this); // throws ERR_INVALID_THIS
    // The native decode (when the binding has one) trusts this[kFast]: it
    // is 0 while this call may change the state, and says again what the
    // state is once the call returns (an exception leaves it 0).
    this[kFast] = 0;
    const out = decodeState(s, input, options);
    this[kFast] = fastMode(s);
    return out;
  }

  [customInspect](depth, opts) {
    if (typeof depth === 'number' && depth < 0) return this;
    const s = st(this);
    const obj = { encoding: s.encoding, fatal: s.fatal, ignoreBOM: s.ignoreBOM };
    return `TextDecoder ${require('util').inspect(obj, opts)}`;
  }
}

// fastMode is what the native decode needs to know about a decoder's
// state, as a small integer: 0 unless the decoder is UTF-8 with nothing
// pending and no byte-order mark seen; then bit 1, plus 2 when fatal and 4
// when ignoreBOM.
function fastMode(s) {
  if (!s.utf8 || s.pending !== kEmpty || s.bomSeen) return 0;
  return 1 | (s.fatal ? 2 : 0) | (s.ignoreBOM ? 4 : 0);
}

// decodeState is decode over a decoder's state s.
function decodeState(s, input, options) {
  // The common call, decode(view) on a UTF-8 decoder with nothing
  // pending: one native call reads the view's bytes in place (typed
  // arrays and DataViews alike), no allocation besides the string. A BOM
  // is the decoded string's first unit being U+FEFF (invalid bytes never
  // decode to it).
  if (options === undefined && s.utf8 && s.pending === kEmpty && isView(input)) {
    const out = utf8Slice(input, 0, kMaxEnd);
    // Invalid bytes always leave a U+FFFD, so only then is the input
    // checked again.
    if (s.fatal && out.indexOf('\ufffd') !== -1 && !isUtf8(input, 0, kMaxEnd)) {
      s.bomSeen = false;
      throw new ERR_ENCODING_INVALID_ENCODED_DATA('utf-8');
    }
    // (A BOM already seen by an earlier streaming call stays.)
    const keep = s.ignoreBOM || s.bomSeen;
    s.bomSeen = false;
    if (!keep && out.charCodeAt(0) === 0xfeff) return out.slice(1);
    return out;
  }
  let bytes = input instanceof Uint8Array && ArrayBuffer.isView(input) ? input : toBytes(input);
  // Node 20 has two decoders behind one object: a UTF-8 decoder that has
  // never streamed reads options?.stream and nothing else (a primitive
  // options is no error); once it has streamed, and always for the other
  // encodings, options must be an object or null, and null means "don't
  // flush", as stream: true does.
  let stream;
  if (s.encoding === 'utf-8' && !s.streamed) {
    stream = !!(options != null && options.stream);
    if (stream) s.streamed = true;
  } else {
    if (options !== undefined && options !== null && typeof options !== 'object' && typeof options !== 'function') {
      throw new ERR_INVALID_ARG_TYPE('options', 'object', options);
    }
    stream = options === null || !!(options !== undefined && options.stream);
  }
  bytes = concatBytes(s.pending, bytes);
  s.pending = kEmpty;
  let out;
  if (s.encoding === 'windows-1252') {
    // The spec's table (node 20's one-shot fast path decodes as
    // ISO-8859-1 instead, nodejs/node#60888; its streaming path and later
    // versions use this table).
    out = '';
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      out += String.fromCharCode(b >= 0x80 && b <= 0x9f ? cp1252[b - 0x80] : b);
    }
  } else if (s.utf8) {
    let n = bytes.length;
    if (stream && n > 0 && bytes[n - 1] >= 0x80) {
      const tail = utf8IncompleteTail(bytes, n);
      if (tail) {
        s.pending = bytes.slice(n - tail);
        n -= tail;
      }
    }
    out = utf8Slice(bytes, 0, n);
    // As in the fast path: only a U+FFFD in the text can mean bad bytes.
    if (s.fatal && out.indexOf('\ufffd') !== -1 && !isUtf8(bytes, 0, n)) {
      s.bomSeen = false;
      throw new ERR_ENCODING_INVALID_ENCODED_DATA('utf-8');
    }
    if (!s.ignoreBOM && !s.bomSeen && out.charCodeAt(0) === 0xfeff) out = out.slice(1);
    if (n > 0) s.bomSeen = true;
  } else {
    // UTF-16LE
    let n = bytes.length;
    if (n % 2 === 1) {
      if (stream) {
        s.pending = bytes.slice(n - 1);
        n -= 1;
      }
    }
    if (stream && n >= 2) {
      const last = bytes[n - 2] | (bytes[n - 1] << 8);
      if (last >= 0xd800 && last <= 0xdbff) {
        s.pending = concatBytes(bytes.slice(n - 2, n), s.pending);
        n -= 2;
      }
    }
    let str = binding.ucs2Slice(bytes, 0, n - (n % 2));
    const odd = n % 2 === 1;
    let bad = odd;
    // A lead surrogate followed by a lone final byte is one error.
    const lastUnit = str.charCodeAt(str.length - 1);
    if (odd && lastUnit >= 0xd800 && lastUnit <= 0xdbff) str = str.slice(0, -1);
    const fixed = str.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, () => {
      bad = true;
      return '\ufffd';
    });
    if (bad && s.fatal) {
      s.bomSeen = false;
      throw new ERR_ENCODING_INVALID_ENCODED_DATA('utf-16le');
    }
    str = fixed + (odd ? '\ufffd' : '');
    if (!s.ignoreBOM && !s.bomSeen && str.charCodeAt(0) === 0xfeff) str = str.slice(1);
    if (n > 0) s.bomSeen = true;
    out = str;
  }
  if (!stream) {
    s.bomSeen = false;
    s.pending = kEmpty;
  }
  return out;
}

function st(self) {
  if (self == null || typeof self !== 'object' || self[kState] === undefined) throw new ERR_INVALID_THIS('TextDecoder');
  return self[kState];
}

for (const k of ['encoding', 'fatal', 'ignoreBOM', 'decode']) {
  Object.defineProperty(TextDecoder.prototype, k, { enumerable: true });
}
Object.defineProperty(TextDecoder.prototype, Symbol.toStringTag, { value: 'TextDecoder', configurable: true });

// Native encode, encodeInto and decode for the common calls
// (runtime/bind_buffer_text.go), each calling the JavaScript version above
// for the rest. (Absent from the libtest shim of the binding.)
if (binding.textMethods !== undefined) {
  const enc = TextEncoder.prototype;
  const dec = TextDecoder.prototype;
  const fast = binding.textMethods({ encode: enc.encode, encodeInto: enc.encodeInto, decode: dec.decode },
    kFast, Uint8Array.prototype);
  for (const [proto, k] of [[enc, 'encode'], [enc, 'encodeInto'], [dec, 'decode']]) {
    if (fast[k] !== undefined) Object.defineProperty(proto, k, { value: fast[k] });
  }
}

module.exports = { TextEncoder, TextDecoder, getEncodingFromLabel };
