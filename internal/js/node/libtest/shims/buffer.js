'use strict';
// Shim of internalBinding('buffer') (see lib/bindings/buffer.md) over the
// real Node's Buffer, so gnode's buffer.js can be tested differentially.
const NB = globalThis.Buffer;

function view(u8) {
  return NB.from(u8.buffer, u8.byteOffset, u8.length);
}
function clampRange(u8, start, end) {
  start = Math.max(0, Math.min(start | 0, u8.length));
  end = Math.max(start, Math.min(end | 0, u8.length));
  return [start, end];
}
function slicer(enc) {
  return (buf, start, end) => {
    [start, end] = clampRange(buf, start, end);
    return view(buf).toString(enc, start, end);
  };
}
function writer(enc) {
  return (str, buf, offset, max) => {
    offset = Math.max(0, Math.min(offset | 0, buf.length));
    max = Math.max(0, Math.min(max | 0, buf.length - offset));
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
};
