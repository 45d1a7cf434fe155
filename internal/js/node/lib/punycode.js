'use strict';
// punycode: the deprecated Punycode (RFC 3492) and IDNA label helpers that
// packages such as whatwg-url still require. Written from the RFC; error
// messages and the domain/e-mail splitting match the module Node ships.

const maxInt = 2147483647; // 2^31 - 1: every intermediate must stay below
const base = 36;
const tMin = 1;
const tMax = 26;
const skew = 38;
const damp = 700;
const initialBias = 72;
const initialN = 128;

const messages = {
  'overflow': 'Overflow: input needs wider integers to process',
  'not-basic': 'Illegal input >= 0x80 (not a basic code point)',
  'invalid-input': 'Invalid input',
};

function fail(kind) {
  throw new RangeError(messages[kind]);
}

// Bias adaptation, RFC 3492 section 6.1.
function adapt(delta, numPoints, firstTime) {
  delta = firstTime ? Math.floor(delta / damp) : delta >> 1;
  delta += Math.floor(delta / numPoints);
  let k = 0;
  while (delta > (((base - tMin) * tMax) >> 1)) {
    delta = Math.floor(delta / (base - tMin));
    k += base;
  }
  return Math.floor(k + ((base - tMin + 1) * delta) / (delta + skew));
}

function threshold(k, bias) {
  if (k <= bias) return tMin;
  if (k >= bias + tMax) return tMax;
  return k - bias;
}

// digitValue maps a basic code point to its digit (0-35), or base when it
// is not a digit: a-z/A-Z are 0-25, 0-9 are 26-35.
function digitValue(c) {
  if (c >= 0x30 && c <= 0x39) return c - 0x30 + 26;
  if (c >= 0x41 && c <= 0x5a) return c - 0x41;
  if (c >= 0x61 && c <= 0x7a) return c - 0x61;
  return base;
}

// digitChar is the lowercase basic code point of digit d.
function digitChar(d) {
  return d < 26 ? 0x61 + d : 0x30 + d - 26;
}

// ucs2decode splits a JavaScript string into code points, joining
// surrogate pairs; lone surrogates stay as they are.
function ucs2decode(str) {
  const out = [];
  const len = str.length;
  for (let i = 0; i < len; i++) {
    const hi = str.charCodeAt(i);
    if (hi >= 0xd800 && hi <= 0xdbff && i + 1 < len) {
      const lo = str.charCodeAt(i + 1);
      if ((lo & 0xfc00) === 0xdc00) {
        out.push(((hi & 0x3ff) << 10) + (lo & 0x3ff) + 0x10000);
        i++;
        continue;
      }
    }
    out.push(hi);
  }
  return out;
}

// fromCodePoints is String.fromCodePoint over an array, checking each
// value first so the RangeError reads the same on every engine
// ("Invalid code point 1114112"), and building long strings in slices so no
// engine's argument-count limit is hit.
function fromCodePoints(codePoints) {
  let out = '';
  for (let i = 0; i < codePoints.length; i += 4096) {
    const slice = codePoints.slice(i, i + 4096);
    for (let j = 0; j < slice.length; j++) {
      const n = Number(slice[j]);
      if (!Number.isInteger(n) || n < 0 || n > 0x10ffff) throw new RangeError(`Invalid code point ${n}`);
      slice[j] = n;
    }
    out += String.fromCodePoint(...slice);
  }
  return out;
}

function ucs2encode(codePoints) {
  return fromCodePoints(codePoints);
}

function decode(input) {
  const out = [];
  const len = input.length;
  let basic = input.lastIndexOf('-');
  if (basic < 0) basic = 0;
  for (let j = 0; j < basic; j++) {
    const c = input.charCodeAt(j);
    if (c >= 0x80) fail('not-basic');
    out.push(c);
  }
  let n = initialN;
  let bias = initialBias;
  let i = 0;
  for (let pos = basic > 0 ? basic + 1 : 0; pos < len;) {
    const oldI = i;
    for (let w = 1, k = base; ; k += base) {
      if (pos >= len) fail('invalid-input');
      const digit = digitValue(input.charCodeAt(pos++));
      if (digit >= base) fail('invalid-input');
      if (digit > Math.floor((maxInt - i) / w)) fail('overflow');
      i += digit * w;
      const t = threshold(k, bias);
      if (digit < t) break;
      if (w > Math.floor(maxInt / (base - t))) fail('overflow');
      w *= base - t;
    }
    const count = out.length + 1;
    bias = adapt(i - oldI, count, oldI === 0);
    if (Math.floor(i / count) > maxInt - n) fail('overflow');
    n += Math.floor(i / count);
    i %= count;
    out.splice(i++, 0, n);
  }
  return fromCodePoints(out);
}

function encode(input) {
  const cps = ucs2decode(input);
  const out = [];
  for (const c of cps) {
    if (c < 0x80) out.push(String.fromCharCode(c));
  }
  const basicLen = out.length;
  let handled = basicLen;
  if (basicLen > 0) out.push('-');
  let n = initialN;
  let delta = 0;
  let bias = initialBias;
  while (handled < cps.length) {
    let m = maxInt;
    for (const c of cps) {
      if (c >= n && c < m) m = c;
    }
    const step = handled + 1;
    if (m - n > Math.floor((maxInt - delta) / step)) fail('overflow');
    delta += (m - n) * step;
    n = m;
    for (const c of cps) {
      if (c < n && ++delta > maxInt) fail('overflow');
      if (c === n) {
        let q = delta;
        for (let k = base; ; k += base) {
          const t = threshold(k, bias);
          if (q < t) break;
          out.push(String.fromCharCode(digitChar(t + ((q - t) % (base - t)))));
          q = Math.floor((q - t) / (base - t));
        }
        out.push(String.fromCharCode(digitChar(q)));
        bias = adapt(delta, step, handled === basicLen);
        delta = 0;
        handled++;
      }
    }
    delta++;
    n++;
  }
  return out.join('');
}

// mapDomain applies fn to each label of a domain; in an e-mail address only
// the part after the first '@' is a domain (anything after a second '@'
// is dropped, as Node's module does).
function mapDomain(str, fn) {
  const parts = str.split('@');
  let prefix = '';
  if (parts.length > 1) {
    prefix = parts[0] + '@';
    str = parts[1];
  }
  const labels = str.replace(/[\x2E\u3002\uFF0E\uFF61]/g, '.').split('.');
  return prefix + labels.map(fn).join('.');
}

function toUnicode(input) {
  return mapDomain(input, (label) => (/^xn--/.test(label) ? decode(label.slice(4).toLowerCase()) : label));
}

function toASCII(input) {
  return mapDomain(input, (label) => (/[^\0-\x7F]/.test(label) ? 'xn--' + encode(label) : label));
}

module.exports = {
  version: '2.1.0',
  ucs2: { decode: ucs2decode, encode: ucs2encode },
  decode,
  encode,
  toASCII,
  toUnicode,
};
