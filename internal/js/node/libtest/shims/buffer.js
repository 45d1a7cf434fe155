'use strict';
// Shim of internalBinding('buffer') (see lib/bindings/buffer.md) over the
// real Node's Buffer, so gnode's buffer.js can be tested differentially.
const NB = globalThis.Buffer;

const { isUint8Array, isAnyArrayBuffer } = require('util').types;

// view gives a Buffer over the bytes of any view (typed array, DataView)
// or ArrayBuffer, as the native typedBytes does.
function view(u8) {
  if (isAnyArrayBuffer(u8)) return NB.from(u8);
  return NB.from(u8.buffer, u8.byteOffset, u8.byteLength);
}
// toInt converts a number as the native side's Int does (truncating; NaN
// and non-numbers are 0), so huge ends such as Number.MAX_SAFE_INTEGER
// clamp to the length instead of wrapping as `| 0` would.
function toInt(x) {
  const n = Math.trunc(Number(x));
  return Number.isFinite(n) ? n : 0;
}
function clampRange(u8, start, end) {
  const len = view(u8).length;
  start = Math.max(0, Math.min(toInt(start), len));
  end = Math.max(start, Math.min(toInt(end), len));
  return [start, end];
}
// wtf8 is the UTF-8 form of s with each lone surrogate as its own 3-byte
// sequence (ED A0 80 for U+D800), which is what indexOfString searches for.
function wtf8(s) {
  const out = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
      out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    } else if (c < 0x80) {
      out.push(c);
    } else if (c < 0x800) {
      out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    } else {
      out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    }
  }
  return NB.from(out);
}
function slicer(enc) {
  return (buf, start, end) => {
    [start, end] = clampRange(buf, start, end);
    return view(buf).toString(enc, start, end);
  };
}
function writer(enc) {
  return (str, buf, offset, max) => {
    const len = view(buf).length;
    offset = Math.max(0, Math.min(toInt(offset), len));
    max = Math.max(0, Math.min(toInt(max), len - offset));
    if (max === 0) return 0;
    return view(buf).write(String(str), offset, max, enc);
  };
}

module.exports = {
  utf8Slice: slicer('utf8'),
  latin1Slice: slicer('latin1'),
  asciiSlice: slicer('ascii'),
  ucs2Slice: slicer('ucs2'),
  hexSlice: slicer('hex'),
  base64Slice(buf, start, end, url) {
    [start, end] = clampRange(buf, start, end);
    return view(buf).toString(url ? 'base64url' : 'base64', start, end);
  },
  utf8Write: writer('utf8'),
  latin1Write: writer('latin1'),
  ucs2Write: writer('ucs2'),
  hexWrite: writer('hex'),
  base64Write: writer('base64'),
  byteLengthUtf8(str) {
    return NB.byteLength(String(str), 'utf8');
  },
  compare(a, aStart, aEnd, b, bStart, bEnd) {
    return NB.compare(view(a).subarray(aStart, aEnd), view(b).subarray(bStart, bEnd));
  },
  indexOf(hay, needle, from, forward) {
    const h = view(hay);
    const n = view(needle);
    return forward ? h.indexOf(n, from) : h.lastIndexOf(n, from);
  },
  isUtf8(buf, start, end) {
    [start, end] = clampRange(buf, start, end);
    return require('buffer').isUtf8(view(buf).subarray(start, end));
  },
  indexOfString(hay, str, from, forward) {
    const needle = wtf8(String(str));
    if (needle.length === 0) return -1;
    const h = view(hay);
    from = Math.max(0, Math.min(toInt(from), h.length));
    return forward ? h.indexOf(needle, from) : h.lastIndexOf(needle, from);
  },
  equals(a, b) {
    if (!isUint8Array(a) || !isUint8Array(b)) return undefined;
    return view(a).equals(view(b));
  },
  compareAll(a, b) {
    if (!isUint8Array(a) || !isUint8Array(b)) return undefined;
    return NB.compare(view(a), view(b));
  },
  concatLength(list) {
    let total = 0;
    for (let i = 0; i < list.length; i++) {
      const el = list[i];
      if (!isUint8Array(el)) return -(i + 1);
      total += el.length;
    }
    return total;
  },
  concatCopy(list, target) {
    let pos = 0;
    for (let i = 0; i < list.length; i++) {
      const el = list[i];
      if (!isUint8Array(el)) return -(i + 1);
      const dst = view(target);
      pos += view(el).copy(dst, Math.min(pos, dst.length));
    }
    return pos;
  },
  allocBuffer(n) {
    n = toInt(n);
    return new ArrayBuffer(n > 0 ? n : 0);
  },
};
