'use strict';
// node:string_decoder. Decodes a stream of byte chunks into strings without
// splitting multi-byte characters: a UTF-8 sequence, a UTF-16 code unit or
// surrogate pair, or a base64 3-byte group cut at a chunk boundary is held
// back (at most 4 bytes) until the next write or end().

const { Buffer } = require('buffer');
const { getEncodingOps, normalizeEncoding: normEnc, FastBuffer, binding } =
  require('buffer')[Symbol.for('gnode.buffer.internal')];
const { utf8Slice } = binding;
const {
  codes: { ERR_INVALID_ARG_TYPE, ERR_UNKNOWN_ENCODING },
} = require('internal/errors');

const kState = Symbol('kState');

function normalizeEncoding(enc) {
  const n = normEnc(enc);
  if (n === undefined) {
    if (Buffer.isEncoding === undefined || !Buffer.isEncoding(enc)) {
      throw new ERR_UNKNOWN_ENCODING(enc);
    }
    return enc;
  }
  return n;
}

// Leading byte → total length of the UTF-8 sequence it starts (0: none).
function utf8SeqLength(b) {
  if ((b & 0xe0) === 0xc0) return 2;
  if ((b & 0xf0) === 0xe0) return 3;
  if ((b & 0xf8) === 0xf0) return 4;
  return 0;
}

// A plain constructor function rather than a class: packages such as
// iconv-lite inherit from it with `StringDecoder.call(this, enc)`, which a
// class constructor refuses.
function StringDecoder(encoding) {
  this.encoding = normalizeEncoding(encoding);
  this[kState] = {
    chars: new FastBuffer(4), // the held-back bytes
    buffered: 0,
    missing: 0,
    ops: getEncodingOps(this.encoding),
  };
}

// The methods are written in a class body for readability and copied onto
// StringDecoder.prototype, enumerable as node's are.
class StringDecoderMethods {

  write(buf) {
    if (typeof buf === 'string') return buf;
    let data;
    if (buf instanceof Uint8Array) {
      data = buf; // read as it is: no view to make
    } else if (ArrayBuffer.isView(buf)) {
      data = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    } else {
      throw new ERR_INVALID_ARG_TYPE('buf', ['Buffer', 'TypedArray', 'DataView'], buf);
    }
    const st = this[kState];
    const enc = this.encoding;
    if (enc === 'utf8' && st.missing === 0) {
      // Nothing held back and the chunk ends in ASCII: the whole chunk
      // decodes as it is (the common case for text streams).
      const n = data.length;
      if (n === 0) return '';
      if (data[n - 1] < 0x80) return utf8Slice(data, 0, n);
    }
    if (enc !== 'utf8' && enc !== 'utf16le' && enc !== 'base64' && enc !== 'base64url') {
      return st.ops.slice(data, 0, data.length);
    }
    let prepend = '';
    if (st.missing > 0) {
      let take = Math.min(data.length, st.missing);
      if (enc === 'utf8') {
        // A byte that is not a continuation ends the held-back character
        // early; it starts a new one.
        for (let i = 0; i < take; i++) {
          if ((data[i] & 0xc0) !== 0x80) {
            st.missing = 0;
            take = i;
            break;
          }
        }
      }
      st.chars.set(data.subarray(0, take), st.buffered);
      st.buffered += take;
      data = data.subarray(take);
      if (st.missing > 0) st.missing -= take;
      if (st.missing === 0) {
        prepend = st.ops.slice(st.chars, 0, st.buffered);
        st.buffered = 0;
      }
    }
    if (data.length === 0) return prepend;

    let n = data.length;
    if (enc === 'utf8') {
      if (data[n - 1] & 0x80) {
        // Walk back to the lead byte of the last character.
        for (let i = n - 1; ; i--) {
          st.buffered++;
          if ((data[i] & 0xc0) === 0x80) {
            if (st.buffered >= 4 || i === 0) {
              st.buffered = 0;
              break;
            }
          } else {
            st.missing = utf8SeqLength(data[i]);
            if (st.missing === 0) {
              st.buffered = 0;
              break;
            }
            if (st.buffered >= st.missing) {
              st.missing = 0;
              st.buffered = 0;
            }
            st.missing -= st.buffered;
            break;
          }
        }
      }
    } else if (enc === 'utf16le') {
      if (n % 2 === 1) {
        st.buffered = 1;
        st.missing = 1;
      } else if ((data[n - 1] & 0xfc) === 0xd8) {
        st.buffered = 2;
        st.missing = 2;
      }
    } else {
      st.buffered = n % 3;
      if (st.buffered > 0) st.missing = 3 - st.buffered;
    }
    if (st.buffered > 0) {
      n -= st.buffered;
      st.chars.set(data.subarray(n, n + st.buffered), 0);
    }
    const body = n > 0 ? st.ops.slice(data, 0, n) : '';
    return prepend + body;
  }

  end(buf) {
    let ret = '';
    if (buf !== undefined) ret = this.write(buf);
    const st = this[kState];
    if (st.buffered > 0) ret += flush(this);
    return ret;
  }

  text(buf, offset) {
    const st = this[kState];
    st.missing = 0;
    st.buffered = 0;
    return this.write(buf.slice(offset));
  }

  get lastChar() {
    return this[kState].chars;
  }

  get lastNeed() {
    return this[kState].missing;
  }

  get lastTotal() {
    return this[kState].buffered + this[kState].missing;
  }
}

function flush(dec) {
  const st = dec[kState];
  if (dec.encoding === 'utf16le' && st.buffered % 2 === 1) {
    // A lone trailing byte of UTF-16 is dropped.
    st.missing--;
    st.buffered--;
  }
  if (st.buffered === 0) return '';
  const s = st.ops.slice(st.chars, 0, st.buffered);
  st.missing = 0;
  st.buffered = 0;
  return s;
}

for (const k of ['write', 'end', 'text', 'lastChar', 'lastNeed', 'lastTotal']) {
  Object.defineProperty(StringDecoder.prototype, k, {
    ...Object.getOwnPropertyDescriptor(StringDecoderMethods.prototype, k), enumerable: true,
  });
}

module.exports = { StringDecoder };
