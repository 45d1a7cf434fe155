'use strict';
// WHATWG URL (https://url.spec.whatwg.org/): the basic URL parser as the
// spec's state machine over code points, host parsing (IPv4 with hex/octal
// parts, IPv6 with compression, IDNA through Punycode), percent-encode sets,
// URL and URLSearchParams with the live searchParams link, and Node's file
// URL helpers. The same parser runs natively through internalBinding('url')
// (internal/js/whatwgurl); this one handles what that one leaves to it.

// ---- IDNA: Punycode (RFC 3492) and the parts of UTS #46 processing the URL parser
// needs (domain to ASCII / Unicode, non-transitional, no STD3 rules, no DNS
// length check). The UTS #46 mapping table is approximated by NFKC plus
// lower-casing plus the dot and ignored-character mappings, which matches it
// for the characters hosts use in practice.

const base = 36;
const tMin = 1;
const tMax = 26;
const skew = 38;
const damp = 700;
const initialBias = 72;
const initialN = 128;
const maxInt = 0x7fffffff;

function adapt(delta, numPoints, firstTime) {
  let k = 0;
  delta = firstTime ? Math.floor(delta / damp) : delta >> 1;
  delta += Math.floor(delta / numPoints);
  for (; delta > ((base - tMin) * tMax) >> 1; k += base) {
    delta = Math.floor(delta / (base - tMin));
  }
  return Math.floor(k + ((base - tMin + 1) * delta) / (delta + skew));
}

function digitToBasic(d) {
  return d + 22 + 75 * (d < 26);
}

function basicToDigit(c) {
  if (c >= 0x30 && c < 0x3a) return 26 + (c - 0x30);
  if (c >= 0x41 && c < 0x5b) return c - 0x41;
  if (c >= 0x61 && c < 0x7b) return c - 0x61;
  return base;
}

// encode returns the Punycode of a string of code points, or null on
// overflow.
function punycodeEncode(input) {
  const cps = Array.from(input, (ch) => ch.codePointAt(0));
  let out = '';
  for (const c of cps) if (c < 0x80) out += String.fromCharCode(c);
  const basicLength = out.length;
  let handled = basicLength;
  if (basicLength) out += '-';
  let n = initialN;
  let delta = 0;
  let bias = initialBias;
  while (handled < cps.length) {
    let m = maxInt;
    for (const c of cps) if (c >= n && c < m) m = c;
    if (m - n > Math.floor((maxInt - delta) / (handled + 1))) return null;
    delta += (m - n) * (handled + 1);
    n = m;
    for (const c of cps) {
      if (c < n && ++delta > maxInt) return null;
      if (c === n) {
        let q = delta;
        for (let k = base; ; k += base) {
          const t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias);
          if (q < t) break;
          out += String.fromCharCode(digitToBasic(t + ((q - t) % (base - t))));
          q = Math.floor((q - t) / (base - t));
        }
        out += String.fromCharCode(digitToBasic(q));
        bias = adapt(delta, handled + 1, handled === basicLength);
        delta = 0;
        handled++;
      }
    }
    delta++;
    n++;
  }
  return out;
}

// decode returns the string a Punycode label encodes, or null when invalid.
function punycodeDecode(input) {
  const output = [];
  let basic = input.lastIndexOf('-');
  if (basic < 0) basic = 0;
  for (let j = 0; j < basic; j++) {
    const c = input.charCodeAt(j);
    if (c >= 0x80) return null;
    output.push(c);
  }
  let n = initialN;
  let bias = initialBias;
  let i = 0;
  for (let index = basic > 0 ? basic + 1 : 0; index < input.length;) {
    const oldi = i;
    for (let w = 1, k = base; ; k += base) {
      if (index >= input.length) return null;
      const digit = basicToDigit(input.charCodeAt(index++));
      if (digit >= base) return null;
      if (digit > Math.floor((maxInt - i) / w)) return null;
      i += digit * w;
      const t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias);
      if (digit < t) break;
      if (w > Math.floor(maxInt / (base - t))) return null;
      w *= base - t;
    }
    const out = output.length + 1;
    bias = adapt(i - oldi, out, oldi === 0);
    if (Math.floor(i / out) > maxInt - n) return null;
    n += Math.floor(i / out);
    i %= out;
    if (n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return null;
    output.splice(i++, 0, n);
  }
  return String.fromCodePoint(...output);
}

// Characters UTS #46 maps to nothing.
const ignored = /[\u00ad\u034f\u180b-\u180d\u180f\u200b\u2060\u2064\ufe00-\ufe0f\ufeff\u{e0100}-\u{e01ef}]/gu;
// Characters UTS #46 disallows outright (a practical subset): controls,
// spaces, private use, surrogates, noncharacters, replacement char.
const disallowed = /[\u0080-\u009f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ud800-\udfff\ue000-\uf8ff\ufdd0-\ufdef\ufff9-\ufffd\u{f0000}-\u{10ffff}]|[\ufffe\uffff]/u;

function mapDomain(domain) {
  let s = domain.replace(ignored, '');
  s = s.normalize('NFKC').toLowerCase().normalize('NFKC');
  // Ideographic and fullwidth full stops separate labels.
  s = s.replace(/[\u3002\uff0e\uff61]/g, '.');
  return s;
}

// toASCII runs UTS #46 ToASCII; returns null on failure.
function idnaToASCII(domain, beStrict = false) {
  // Common case: an ASCII host name with no Punycode labels.
  if (/^[A-Za-z0-9._-]*$/.test(domain) && !/(^|\.)xn--/i.test(domain)) {
    return beStrict && domain.length > 253 ? null : domain.toLowerCase();
  }
  // Pure-ASCII input only needs lower-casing and xn-- label checks.
  const ascii = !/[^\x00-\x7f]/.test(domain);
  const mapped = ascii ? domain.toLowerCase() : mapDomain(domain);
  const labels = mapped.split('.');
  const out = [];
  for (const label of labels) {
    if (label.startsWith('xn--')) {
      if (/[^\x00-\x7f]/.test(label)) return null;
      const dec = punycodeDecode(label.slice(4));
      if (dec === null || dec === '' || !/[^\x00-\x7f]/.test(dec)) return null;
      if (dec.normalize('NFC') !== dec || disallowed.test(dec) || dec !== mapDomain(dec)) return null;
      if (dec.includes('.')) return null;
      out.push(label);
      continue;
    }
    if (!/[^\x00-\x7f]/.test(label)) {
      out.push(label);
      continue;
    }
    if (disallowed.test(label)) return null;
    // Labels may not start with a combining mark.
    if (/^\p{M}/u.test(label)) return null;
    const enc = punycodeEncode(label);
    if (enc === null) return null;
    out.push('xn--' + enc);
  }
  const result = out.join('.');
  if (beStrict && result.length > 253) return null;
  return result;
}

// toUnicode decodes xn-- labels; invalid labels are left as they are.
function idnaToUnicode(domain) {
  return domain.split('.').map((label) => {
    const l = label.toLowerCase();
    if (l.startsWith('xn--')) {
      const dec = punycodeDecode(l.slice(4));
      if (dec !== null) return dec;
    }
    return mapDomain(label);
  }).join('.');
}


// ---- WHATWG URL parser (https://url.spec.whatwg.org/#concept-basic-url-parser)

const specialPorts = { __proto__: null, 'ftp:': 21, 'file:': null, 'http:': 80, 'https:': 443, 'ws:': 80, 'wss:': 443 };
const specialSchemes = { __proto__: null, ftp: 21, file: null, http: 80, https: 443, ws: 80, wss: 443 };

function isSpecialScheme(s) {
  switch (s) {
    case 'http': case 'https': case 'file': case 'ws': case 'wss': case 'ftp': return true;
  }
  return false;
}

const FAILURE = Symbol('failure');

// Percent-encode sets as predicates over a code point.
function inC0Control(c) { return c < 0x20 || c > 0x7e; }
function inFragmentSet(c) { return inC0Control(c) || c === 0x20 || c === 0x22 || c === 0x3c || c === 0x3e || c === 0x60; }
function inQuerySet(c) { return inC0Control(c) || c === 0x20 || c === 0x22 || c === 0x23 || c === 0x3c || c === 0x3e; }
function inSpecialQuerySet(c) { return inQuerySet(c) || c === 0x27; }
function inPathSet(c) { return inQuerySet(c) || c === 0x3f || c === 0x60 || c === 0x7b || c === 0x7d; }
function inUserinfoSet(c) {
  return inPathSet(c) || c === 0x2f || c === 0x3a || c === 0x3b || c === 0x3d || c === 0x40 ||
    (c >= 0x5b && c <= 0x5e) || c === 0x7c;
}
function inComponentSet(c) {
  return inUserinfoSet(c) || (c >= 0x24 && c <= 0x26) || c === 0x2b || c === 0x2c;
}
function inFormSet(c) {
  return inComponentSet(c) || c === 0x21 || (c >= 0x27 && c <= 0x29) || c === 0x7e;
}

const hexTable = [];
for (let i = 0; i < 256; i++) hexTable.push('%' + (i < 16 ? '0' : '') + i.toString(16).toUpperCase());

function utf8Bytes(cp) {
  if (cp < 0x80) return [cp];
  if (cp < 0x800) return [0xc0 | (cp >> 6), 0x80 | (cp & 63)];
  if (cp < 0x10000) return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
  return [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
}

// percentEncodeCP encodes one code point (a string) if it is in the set.
// codePoints splits a string into code points (faster than Array.from).
function codePoints(s) {
  const out = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out.push(0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00));
        i++;
        continue;
      }
    }
    out.push(c);
  }
  return out;
}

// percentEncodeCode encodes code point c when it is in the set.
function percentEncodeCode(c, inSet) {
  if (!inSet(c)) return c < 0x10000 ? String.fromCharCode(c) : String.fromCodePoint(c);
  if (c < 0x80) return hexTable[c];
  let out = '';
  for (const b of utf8Bytes(c)) out += hexTable[b];
  return out;
}

function percentEncodeCP(ch, inSet) {
  const cp = ch.codePointAt(0);
  if (!inSet(cp)) return ch;
  let out = '';
  for (const b of utf8Bytes(cp)) out += hexTable[b];
  return out;
}

function percentEncodeString(s, inSet, spaceAsPlus = false) {
  let out = '';
  for (const ch of s) {
    if (spaceAsPlus && ch === ' ') out += '+';
    else out += percentEncodeCP(ch, inSet);
  }
  return out;
}

function isHex(c) {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

// percentDecodeBytes decodes %XX escapes of a string's UTF-8 bytes.
function percentDecodeBytes(s) {
  const bytes = utf8EncodeString(s);
  const out = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x25 && i + 2 < bytes.length && isHex(bytes[i + 1]) && isHex(bytes[i + 2])) {
      out.push(parseInt(String.fromCharCode(bytes[i + 1], bytes[i + 2]), 16));
      i += 2;
    } else {
      out.push(b);
    }
  }
  return out;
}

function utf8EncodeString(s) {
  const out = [];
  for (const ch of s) {
    const cp = ch.codePointAt(0);
    const bs = utf8Bytes(cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp);
    for (const b of bs) out.push(b);
  }
  return out;
}

// utf8DecodeBytes decodes UTF-8 without BOM handling, replacing errors.
function utf8DecodeBytes(bytes) {
  let out = '';
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) { out += String.fromCharCode(b); i++; continue; }
    let need = 0;
    let cp = 0;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) { need = 1; cp = b & 0x1f; }
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2; cp = b & 0xf;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3; cp = b & 0x7;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else { out += '\ufffd'; i++; continue; }
    let j = i + 1;
    let ok = true;
    for (let k = 0; k < need; k++, j++) {
      const c = bytes[j];
      if (j >= n || c < lo || c > hi) { ok = false; break; }
      lo = 0x80; hi = 0xbf;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (!ok) { out += '\ufffd'; i = j; continue; }
    out += String.fromCodePoint(cp);
    i = j;
  }
  return out;
}

function toUSVString(s) {
  if (typeof s.isWellFormed === 'function' ? s.isWellFormed() : !/[\ud800-\udfff]/.test(s)) return s;
  return typeof s.toWellFormed === 'function' ? s.toWellFormed()
    : s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

function isAsciiAlpha(c) { return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a); }
function isAsciiDigit(c) { return c >= 0x30 && c <= 0x39; }
function isAsciiAlnum(c) { return isAsciiAlpha(c) || isAsciiDigit(c); }

function isForbiddenHostCP(c) {
  return c === 0x00 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x20 || c === 0x23 ||
    c === 0x2f || c === 0x3a || c === 0x3c || c === 0x3e || c === 0x3f || c === 0x40 ||
    c === 0x5b || c === 0x5c || c === 0x5d || c === 0x5e || c === 0x7c;
}
function isForbiddenDomainCP(c) {
  return isForbiddenHostCP(c) || c <= 0x1f || c === 0x25 || c === 0x7f;
}

// ---- hosts

function parseIPv4Number(s) {
  if (s === '') return FAILURE;
  let r = 10;
  if (s.length >= 2 && s[0] === '0' && (s[1] === 'x' || s[1] === 'X')) {
    r = 16;
    s = s.slice(2);
  } else if (s.length >= 2 && s[0] === '0') {
    r = 8;
    s = s.slice(1);
  }
  if (s === '') return 0;
  const re = r === 10 ? /^[0-9]+$/ : r === 16 ? /^[0-9a-fA-F]+$/ : /^[0-7]+$/;
  if (!re.test(s)) return FAILURE;
  // Big values only need to compare as too large.
  return parseInt(s, r);
}

function endsInANumber(input) {
  // Only a last label of digits or 0x-hex can make a host an IPv4 address.
  let tail = input.charCodeAt(input.length - 1);
  if (tail === 0x2e) tail = input.charCodeAt(input.length - 2);
  if (!((tail >= 0x30 && tail <= 0x39) || (tail >= 0x61 && tail <= 0x66) || (tail >= 0x41 && tail <= 0x46) ||
      tail === 0x78 || tail === 0x58)) {
    return false;
  }
  const parts = input.split('.');
  if (parts[parts.length - 1] === '') {
    if (parts.length === 1) return false;
    parts.pop();
  }
  const last = parts[parts.length - 1];
  if (last !== '' && /^[0-9]+$/.test(last)) return true;
  return parseIPv4Number(last) !== FAILURE;
}

function parseIPv4(input) {
  const parts = input.split('.');
  if (parts[parts.length - 1] === '' && parts.length > 1) parts.pop();
  if (parts.length > 4) return FAILURE;
  const nums = [];
  for (const p of parts) {
    const n = parseIPv4Number(p);
    if (n === FAILURE) return FAILURE;
    nums.push(n);
  }
  for (let i = 0; i < nums.length - 1; i++) if (nums[i] > 255) return FAILURE;
  if (nums[nums.length - 1] >= 256 ** (5 - nums.length)) return FAILURE;
  let ipv4 = nums[nums.length - 1];
  for (let i = 0; i < nums.length - 1; i++) ipv4 += nums[i] * 256 ** (3 - i);
  return ipv4;
}

function serializeIPv4(n) {
  const out = [];
  for (let i = 0; i < 4; i++) {
    out.unshift(String(n % 256));
    n = Math.floor(n / 256);
  }
  return out.join('.');
}

function parseIPv6(input) {
  const address = [0, 0, 0, 0, 0, 0, 0, 0];
  let pieceIndex = 0;
  let compress = null;
  let p = 0;
  const cps = codePoints(input);
  const c = (i) => (i < cps.length ? cps[i] : undefined);
  if (c(p) === 0x3a) {
    if (c(p + 1) !== 0x3a) return FAILURE;
    p += 2;
    pieceIndex++;
    compress = pieceIndex;
  }
  while (c(p) !== undefined) {
    if (pieceIndex === 8) return FAILURE;
    if (c(p) === 0x3a) {
      if (compress !== null) return FAILURE;
      p++;
      pieceIndex++;
      compress = pieceIndex;
      continue;
    }
    let value = 0;
    let length = 0;
    while (length < 4 && c(p) !== undefined && isHex(c(p))) {
      value = value * 0x10 + parseInt(String.fromCharCode(c(p)), 16);
      p++;
      length++;
    }
    if (c(p) === 0x2e) {
      if (length === 0) return FAILURE;
      p -= length;
      if (pieceIndex > 6) return FAILURE;
      let numbersSeen = 0;
      while (c(p) !== undefined) {
        let ipv4Piece = null;
        if (numbersSeen > 0) {
          if (c(p) === 0x2e && numbersSeen < 4) p++;
          else return FAILURE;
        }
        if (c(p) === undefined || !isAsciiDigit(c(p))) return FAILURE;
        while (c(p) !== undefined && isAsciiDigit(c(p))) {
          const number = c(p) - 0x30;
          if (ipv4Piece === null) ipv4Piece = number;
          else if (ipv4Piece === 0) return FAILURE;
          else ipv4Piece = ipv4Piece * 10 + number;
          if (ipv4Piece > 255) return FAILURE;
          p++;
        }
        address[pieceIndex] = address[pieceIndex] * 0x100 + ipv4Piece;
        numbersSeen++;
        if (numbersSeen === 2 || numbersSeen === 4) pieceIndex++;
      }
      if (numbersSeen !== 4) return FAILURE;
      break;
    } else if (c(p) === 0x3a) {
      p++;
      if (c(p) === undefined) return FAILURE;
    } else if (c(p) !== undefined) {
      return FAILURE;
    }
    address[pieceIndex] = value;
    pieceIndex++;
  }
  if (compress !== null) {
    let swaps = pieceIndex - compress;
    pieceIndex = 7;
    while (pieceIndex !== 0 && swaps > 0) {
      const t = address[pieceIndex];
      address[pieceIndex] = address[compress + swaps - 1];
      address[compress + swaps - 1] = t;
      pieceIndex--;
      swaps--;
    }
  } else if (pieceIndex !== 8) {
    return FAILURE;
  }
  return address;
}

function serializeIPv6(address) {
  // The first longest run of two or more zero pieces is compressed.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (address[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && address[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  let out = '';
  let ignore0 = false;
  for (let i = 0; i < 8; i++) {
    if (ignore0 && address[i] === 0) continue;
    ignore0 = false;
    if (best === i) {
      out += i === 0 ? '::' : ':';
      ignore0 = true;
      continue;
    }
    out += address[i].toString(16);
    if (i !== 7) out += ':';
  }
  return out;
}

function parseOpaqueHost(input) {
  for (const ch of input) {
    const c = ch.codePointAt(0);
    if (c !== 0x25 && isForbiddenHostCP(c)) return FAILURE;
  }
  return percentEncodeString(input, inC0Control);
}

// parseHost returns the serialized host or FAILURE.
function parseHost(input, isOpaque) {
  if (input.startsWith('[')) {
    if (!input.endsWith(']')) return FAILURE;
    const a = parseIPv6(input.slice(1, -1));
    if (a === FAILURE) return FAILURE;
    return '[' + serializeIPv6(a) + ']';
  }
  if (isOpaque) return parseOpaqueHost(input);
  // Plain ASCII without escapes needs no percent-decoding.
  const domain = /[%\u0080-\uffff]/.test(input) ? utf8DecodeBytes(percentDecodeBytes(input)) : input;
  const asciiDomain = idnaToASCII(domain, false);
  if (asciiDomain === null || asciiDomain === '') return FAILURE;
  for (let i = 0; i < asciiDomain.length; i++) {
    if (isForbiddenDomainCP(asciiDomain.charCodeAt(i))) return FAILURE;
  }
  if (endsInANumber(asciiDomain)) {
    const v4 = parseIPv4(asciiDomain);
    if (v4 === FAILURE) return FAILURE;
    return serializeIPv4(v4);
  }
  return asciiDomain;
}

// ---- the record and the state machine

function newRecord() {
  return {
    scheme: '',
    username: '',
    password: '',
    host: null,
    port: null,
    path: [],
    opaque: false, // path is a single opaque string in path[0]
    query: null,
    fragment: null,
  };
}

function copyRecord(r) {
  return { ...r, path: r.path.slice() };
}

function isSpecial(r) {
  return isSpecialScheme(r.scheme);
}

function isWindowsDriveLetter(s, normalizedOnly) {
  return s.length === 2 && isAsciiAlpha(s.charCodeAt(0)) &&
    (s[1] === ':' || (!normalizedOnly && s[1] === '|'));
}

function startsWithWindowsDriveLetter(cps, p) {
  if (cps.length - p < 2) return false;
  if (!isAsciiAlpha(cps[p]) || (cps[p + 1] !== 0x3a && cps[p + 1] !== 0x7c)) return false;
  if (cps.length - p === 2) return true;
  const c = cps[p + 2];
  return c === 0x2f || c === 0x5c || c === 0x3f || c === 0x23;
}

function shortenPath(r) {
  const path = r.path;
  // Node (Ada) keeps any single segment that starts with a normalized
  // drive letter ("a:b"), not only a drive letter itself.
  if (r.scheme === 'file' && path.length === 1 && isWindowsDriveLetter(path[0].slice(0, 2), true)) return;
  path.pop();
}

function isSingleDot(s) {
  return s === '.' || s.toLowerCase() === '%2e';
}
function isDoubleDot(s) {
  switch (s.toLowerCase()) {
    case '..': case '.%2e': case '%2e.': case '%2e%2e': return true;
  }
  return false;
}

const S = {
  SCHEME_START: 1, SCHEME: 2, NO_SCHEME: 3, SPECIAL_RELATIVE_OR_AUTHORITY: 4,
  PATH_OR_AUTHORITY: 5, RELATIVE: 6, RELATIVE_SLASH: 7, SPECIAL_AUTHORITY_SLASHES: 8,
  SPECIAL_AUTHORITY_IGNORE_SLASHES: 9, AUTHORITY: 10, HOST: 11, HOSTNAME: 12, PORT: 13,
  FILE: 14, FILE_SLASH: 15, FILE_HOST: 16, PATH_START: 17, PATH: 18, OPAQUE_PATH: 19,
  QUERY: 20, FRAGMENT: 21,
};

// basicParse implements the basic URL parser. With url and stateOverride
// it modifies url (setters) and returns undefined or FAILURE; otherwise it
// returns a new record or FAILURE.
// fastParse handles the common shape "http(s)|ws(s)|ftp://host[:port]/path
// [?query][#fragment]" made only of characters that need no encoding, with
// no dot segments, credentials, IP or IDNA hosts, in one regular
// expression; anything else returns null and takes the state machine. It
// exists because a per-character state machine is slow on an interpreter.
const fastURLPattern = /^([A-Za-z]+):\/\/([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.?)(?::([0-9]{1,5}))?(\/[A-Za-z0-9\-._~!$&()*+,;=:@/]*)?(?:\?([A-Za-z0-9\-._~!$&()*+,;=:@/?]*))?(?:#([A-Za-z0-9\-._~!$&()*+,;=:@/?#]*))?$/;
const dotSegment = /(^|\/)\.\.?(\/|$)/;

function fastParse(input) {
  const m = fastURLPattern.exec(input);
  if (m === null) return null;
  const scheme = m[1].toLowerCase();
  if (scheme !== 'http' && scheme !== 'https' && scheme !== 'ws' && scheme !== 'wss' && scheme !== 'ftp') return null;
  const host = m[2].toLowerCase();
  if (/(^|\.)xn--/.test(host) || endsInANumber(host)) return null;
  let port = null;
  if (m[3] !== undefined) {
    port = parseInt(m[3], 10);
    if (port > 65535) return null;
    if (port === specialSchemes[scheme]) port = null;
  }
  const pathStr = m[4] === undefined ? '/' : m[4];
  if (dotSegment.test(pathStr)) return null;
  const r = newRecord();
  r.scheme = scheme;
  r.host = host;
  r.port = port;
  r.path = pathStr.slice(1).split('/');
  r.query = m[5] === undefined ? null : m[5];
  r.fragment = m[6] === undefined ? null : m[6];
  return r;
}

const fastFilePattern = /^[Ff][Ii][Ll][Ee]:\/\/(\/[A-Za-z0-9\-._~!$&()*+,;=:@/]*)(?:\?([A-Za-z0-9\-._~!$&()*+,;=:@/?]*))?(?:#([A-Za-z0-9\-._~!$&()*+,;=:@/?#]*))?$/;
const fastRelativePattern = /^([A-Za-z0-9\-._~!$&()*+,;=:@/]*)(?:\?([A-Za-z0-9\-._~!$&()*+,;=:@/?]*))?(?:#([A-Za-z0-9\-._~!$&()*+,;=:@/?#]*))?$/;
const driveLetterStart = /^\/?[A-Za-z][:|](\/|$)/;

// fastFileParse: file:///path with plain characters, no dot segments and
// no Windows drive letter.
function fastFileParse(input) {
  const m = fastFilePattern.exec(input);
  if (m === null || dotSegment.test(m[1]) || driveLetterStart.test(m[1])) return null;
  const r = newRecord();
  r.scheme = 'file';
  r.host = '';
  r.path = m[1].slice(1).split('/');
  r.query = m[2] === undefined ? null : m[2];
  r.fragment = m[3] === undefined ? null : m[3];
  return r;
}

// fastRelativeParse resolves a plain relative reference ("./x.js", "a/b",
// "/abs", "?q", "#f") against a special, hierarchical base.
function fastRelativeParse(input, base) {
  if (base == null || base.opaque || !isSpecial(base) || input === '' || input.startsWith('//')) return null;
  const m = fastRelativePattern.exec(input);
  if (m === null) return null;
  const pathPart = m[1];
  const firstSlash = pathPart.indexOf('/');
  const first = firstSlash === -1 ? pathPart : pathPart.slice(0, firstSlash);
  if (first.includes(':')) return null; // could be a scheme
  if (base.scheme === 'file' && (driveLetterStart.test(pathPart) || (base.path.length && isWindowsDriveLetter(base.path[0], false)))) {
    return null;
  }
  const r = newRecord();
  r.scheme = base.scheme;
  r.username = base.username;
  r.password = base.password;
  r.host = base.host;
  r.port = base.port;
  r.fragment = m[3] === undefined ? null : m[3];
  if (pathPart === '') {
    r.path = base.path.slice();
    r.query = m[2] !== undefined ? m[2] : (base.query === '' ? null : base.query);
    return r;
  }
  r.query = m[2] === undefined ? null : m[2];
  const segs = pathPart[0] === '/' ? pathPart.slice(1).split('/') : pathPart.split('/');
  const path = pathPart[0] === '/' ? [] : base.path.slice(0, -1);
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    const last = i === segs.length - 1;
    if (seg === '..') {
      path.pop();
      if (last) path.push('');
    } else if (seg === '.') {
      if (last) path.push('');
    } else {
      path.push(seg);
    }
  }
  r.path = path;
  return r;
}

function basicParse(input, base, url, stateOverride) {
  if (!url) {
    const fast = fastParse(input) || fastFileParse(input) || fastRelativeParse(input, base);
    if (fast !== null) return fast;
    url = newRecord();
    // Strip leading/trailing C0 controls and spaces.
    if (input.charCodeAt(0) <= 0x20 || input.charCodeAt(input.length - 1) <= 0x20) {
      input = input.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
    }
  }
  if (/[\t\n\r]/.test(input)) input = input.replace(/[\t\n\r]/g, '');
  let state = stateOverride || S.SCHEME_START;
  let buffer = '';
  let atSignSeen = false;
  let insideBrackets = false;
  let passwordTokenSeen = false;
  const cps = codePoints(input);
  const EOF = undefined;

  for (let p = 0; ; p++) {
    const c = cps[p];
    const ch = c === EOF ? '' : c < 0x10000 ? String.fromCharCode(c) : String.fromCodePoint(c);
    switch (state) {
      case S.SCHEME_START:
        if (c !== EOF && isAsciiAlpha(c)) {
          buffer += ch.toLowerCase();
          state = S.SCHEME;
        } else if (!stateOverride) {
          state = S.NO_SCHEME;
          p--;
        } else {
          return FAILURE;
        }
        break;

      case S.SCHEME:
        if (c !== EOF && (isAsciiAlnum(c) || c === 0x2b || c === 0x2d || c === 0x2e)) {
          buffer += ch.toLowerCase();
        } else if (c === 0x3a) {
          if (stateOverride) {
            if (isSpecialScheme(url.scheme) !== isSpecialScheme(buffer)) return undefined;
            if ((url.username !== '' || url.password !== '' || url.port !== null) && buffer === 'file') return undefined;
            if (url.scheme === 'file' && url.host === '') return undefined;
          }
          url.scheme = buffer;
          if (stateOverride) {
            if (url.port === specialSchemes[url.scheme]) url.port = null;
            return undefined;
          }
          buffer = '';
          if (url.scheme === 'file') {
            state = S.FILE;
          } else if (isSpecial(url) && base && base.scheme === url.scheme) {
            state = S.SPECIAL_RELATIVE_OR_AUTHORITY;
          } else if (isSpecial(url)) {
            state = S.SPECIAL_AUTHORITY_SLASHES;
          } else if (cps[p + 1] === 0x2f) {
            state = S.PATH_OR_AUTHORITY;
            p++;
          } else {
            url.opaque = true;
            url.path = [''];
            state = S.OPAQUE_PATH;
          }
        } else if (!stateOverride) {
          buffer = '';
          state = S.NO_SCHEME;
          p = -1;
        } else {
          return FAILURE;
        }
        break;

      case S.NO_SCHEME:
        if (!base || (base.opaque && c !== 0x23)) return FAILURE;
        if (base.opaque && c === 0x23) {
          url.scheme = base.scheme;
          url.path = base.path.slice();
          url.opaque = true;
          url.query = base.query === '' ? null : base.query; // Node (Ada) drops a base's empty query
          url.fragment = '';
          state = S.FRAGMENT;
        } else if (base.scheme !== 'file') {
          state = S.RELATIVE;
          p--;
        } else {
          state = S.FILE;
          p--;
        }
        break;

      case S.SPECIAL_RELATIVE_OR_AUTHORITY:
        if (c === 0x2f && cps[p + 1] === 0x2f) {
          state = S.SPECIAL_AUTHORITY_IGNORE_SLASHES;
          p++;
        } else {
          state = S.RELATIVE;
          p--;
        }
        break;

      case S.PATH_OR_AUTHORITY:
        if (c === 0x2f) {
          state = S.AUTHORITY;
        } else {
          state = S.PATH;
          p--;
        }
        break;

      case S.RELATIVE:
        url.scheme = base.scheme;
        if (c === 0x2f) {
          state = S.RELATIVE_SLASH;
        } else if (isSpecial(url) && c === 0x5c) {
          state = S.RELATIVE_SLASH;
        } else {
          url.username = base.username;
          url.password = base.password;
          url.host = base.host;
          url.port = base.port;
          url.path = base.path.slice();
          url.query = base.query === '' ? null : base.query; // Node (Ada) drops a base's empty query
          if (c === 0x3f) {
            url.query = '';
            state = S.QUERY;
          } else if (c === 0x23) {
            url.fragment = '';
            state = S.FRAGMENT;
          } else if (c !== EOF) {
            url.query = null;
            shortenPath(url);
            state = S.PATH;
            p--;
          }
        }
        break;

      case S.RELATIVE_SLASH:
        if (isSpecial(url) && (c === 0x2f || c === 0x5c)) {
          state = S.SPECIAL_AUTHORITY_IGNORE_SLASHES;
        } else if (c === 0x2f) {
          state = S.AUTHORITY;
        } else {
          url.username = base.username;
          url.password = base.password;
          url.host = base.host;
          url.port = base.port;
          state = S.PATH;
          p--;
        }
        break;

      case S.SPECIAL_AUTHORITY_SLASHES:
        if (c === 0x2f && cps[p + 1] === 0x2f) {
          state = S.SPECIAL_AUTHORITY_IGNORE_SLASHES;
          p++;
        } else {
          state = S.SPECIAL_AUTHORITY_IGNORE_SLASHES;
          p--;
        }
        break;

      case S.SPECIAL_AUTHORITY_IGNORE_SLASHES:
        if (c !== 0x2f && c !== 0x5c) {
          state = S.AUTHORITY;
          p--;
        }
        break;

      case S.AUTHORITY:
        if (c === 0x40) {
          if (atSignSeen) buffer = '%40' + buffer;
          atSignSeen = true;
          for (const bch of buffer) {
            if (bch === ':' && !passwordTokenSeen) {
              passwordTokenSeen = true;
              continue;
            }
            const enc = percentEncodeCP(bch, inUserinfoSet);
            if (passwordTokenSeen) url.password += enc;
            else url.username += enc;
          }
          buffer = '';
        } else if (c === EOF || c === 0x2f || c === 0x3f || c === 0x23 || (isSpecial(url) && c === 0x5c)) {
          if (atSignSeen && buffer === '') return FAILURE;
          p -= Array.from(buffer).length + 1;
          buffer = '';
          state = S.HOST;
        } else {
          buffer += ch;
        }
        break;

      case S.HOST:
      case S.HOSTNAME:
        if (stateOverride && url.scheme === 'file') {
          p--;
          state = S.FILE_HOST;
        } else if (c === 0x3a && !insideBrackets) {
          if (buffer === '') return FAILURE;
          if (stateOverride === S.HOSTNAME) return FAILURE;
          const host = parseHost(buffer, !isSpecial(url));
          if (host === FAILURE) return FAILURE;
          url.host = host;
          buffer = '';
          state = S.PORT;
        } else if (c === EOF || c === 0x2f || c === 0x3f || c === 0x23 || (isSpecial(url) && c === 0x5c)) {
          p--;
          if (isSpecial(url) && buffer === '') return FAILURE;
          if (stateOverride && buffer === '' && (url.username !== '' || url.password !== '' || url.port !== null)) {
            return FAILURE;
          }
          const host = parseHost(buffer, !isSpecial(url));
          if (host === FAILURE) return FAILURE;
          url.host = host;
          buffer = '';
          state = S.PATH_START;
          if (stateOverride) return undefined;
        } else {
          if (c === 0x5b) insideBrackets = true;
          if (c === 0x5d) insideBrackets = false;
          buffer += ch;
        }
        break;

      case S.PORT:
        if (c !== EOF && isAsciiDigit(c)) {
          buffer += ch;
        } else if (c === EOF || c === 0x2f || c === 0x3f || c === 0x23 || (isSpecial(url) && c === 0x5c) || stateOverride) {
          if (buffer !== '') {
            const port = parseInt(buffer, 10);
            if (port > 65535) return FAILURE;
            url.port = specialSchemes[url.scheme] === port ? null : port;
            buffer = '';
            if (stateOverride) return undefined;
          }
          // The Standard fails here; Node (Ada) keeps what the setter
          // parsed so far (the host of "host:x").
          if (stateOverride) return undefined;
          state = S.PATH_START;
          p--;
        } else {
          return FAILURE;
        }
        break;

      case S.FILE:
        url.scheme = 'file';
        url.host = '';
        if (c === 0x2f || c === 0x5c) {
          state = S.FILE_SLASH;
        } else if (base && base.scheme === 'file') {
          url.host = base.host;
          url.path = base.path.slice();
          url.query = base.query === '' ? null : base.query; // Node (Ada) drops a base's empty query
          if (c === 0x3f) {
            url.query = '';
            state = S.QUERY;
          } else if (c === 0x23) {
            url.fragment = '';
            state = S.FRAGMENT;
          } else if (c !== EOF) {
            url.query = null;
            if (!startsWithWindowsDriveLetter(cps, p)) {
              shortenPath(url);
            } else {
              url.path = [];
            }
            state = S.PATH;
            p--;
          }
        } else {
          state = S.PATH;
          p--;
        }
        break;

      case S.FILE_SLASH:
        if (c === 0x2f || c === 0x5c) {
          state = S.FILE_HOST;
        } else {
          if (base && base.scheme === 'file') {
            url.host = base.host;
            if (!startsWithWindowsDriveLetter(cps, p) && base.path.length > 0 &&
                isWindowsDriveLetter(base.path[0], true)) {
              url.path.push(base.path[0]);
            }
          }
          state = S.PATH;
          p--;
        }
        break;

      case S.FILE_HOST:
        if (c === EOF || c === 0x2f || c === 0x5c || c === 0x3f || c === 0x23) {
          p--;
          if (!stateOverride && isWindowsDriveLetter(buffer, false)) {
            state = S.PATH;
          } else if (buffer === '') {
            url.host = '';
            if (stateOverride) return undefined;
            state = S.PATH_START;
          } else {
            let host = parseHost(buffer, false);
            if (host === FAILURE) return FAILURE;
            if (host === 'localhost') host = '';
            url.host = host;
            if (stateOverride) return undefined;
            buffer = '';
            state = S.PATH_START;
          }
        } else {
          buffer += ch;
        }
        break;

      case S.PATH_START:
        if (isSpecial(url)) {
          state = S.PATH;
          if (c !== 0x2f && c !== 0x5c) p--;
        } else if (!stateOverride && c === 0x3f) {
          url.query = '';
          state = S.QUERY;
        } else if (!stateOverride && c === 0x23) {
          url.fragment = '';
          state = S.FRAGMENT;
        } else if (c !== EOF) {
          state = S.PATH;
          if (c !== 0x2f) p--;
        } else if (stateOverride && url.host === null) {
          url.path.push('');
        }
        break;

      case S.PATH:
        if (c === EOF || c === 0x2f || (isSpecial(url) && c === 0x5c) ||
            (!stateOverride && (c === 0x3f || c === 0x23))) {
          const slash = c === 0x2f || (isSpecial(url) && c === 0x5c);
          if (isDoubleDot(buffer)) {
            // Node (Ada) leaves a non-special URL's empty path empty here.
            const had = url.path.length;
            shortenPath(url);
            if (!slash && (isSpecial(url) || had > 0)) url.path.push('');
          } else if (isSingleDot(buffer) && !slash) {
            url.path.push('');
          } else if (!isSingleDot(buffer)) {
            if (url.scheme === 'file' && url.path.length === 0 && isWindowsDriveLetter(buffer, false)) {
              buffer = buffer[0] + ':';
            }
            url.path.push(buffer);
          }
          buffer = '';
          if (c === 0x3f) {
            url.query = '';
            state = S.QUERY;
          }
          if (c === 0x23) {
            url.fragment = '';
            state = S.FRAGMENT;
          }
        } else {
          buffer += percentEncodeCode(c, inPathSet);
        }
        break;

      case S.OPAQUE_PATH:
        if (c === 0x3f) {
          url.query = '';
          state = S.QUERY;
        } else if (c === 0x23) {
          url.fragment = '';
          state = S.FRAGMENT;
        } else if (c !== EOF) {
          url.path[0] += percentEncodeCode(c, inC0Control);
        }
        break;

      case S.QUERY:
        if ((!stateOverride && c === 0x23) || c === EOF) {
          const set = isSpecial(url) ? inSpecialQuerySet : inQuerySet;
          url.query += percentEncodeString(buffer, set);
          buffer = '';
          if (c === 0x23) {
            url.fragment = '';
            state = S.FRAGMENT;
          }
        } else if (c !== EOF) {
          buffer += ch;
        }
        break;

      case S.FRAGMENT:
        if (c !== EOF) url.fragment += percentEncodeCode(c, inFragmentSet);
        break;
    }
    // Stop once the pointer is past the end (a state may have stepped
    // back to re-read the end of input in another state).
    if (c === EOF && p >= cps.length) break;
  }
  return stateOverride ? undefined : url;
}

function serializePath(r) {
  if (r.opaque) return r.path[0];
  let out = '';
  for (const seg of r.path) out += '/' + seg;
  return out;
}

// ---- URL and URLSearchParams classes

const {
  codes: {
    ERR_INVALID_URL,
    ERR_MISSING_ARGS,
    ERR_INVALID_ARG_TYPE,
    ERR_INVALID_ARG_VALUE,
    ERR_INVALID_THIS,
    ERR_INVALID_TUPLE,
    ERR_ARG_NOT_ITERABLE,
    ERR_INVALID_URL_SCHEME,
    ERR_INVALID_FILE_URL_HOST,
    ERR_INVALID_FILE_URL_PATH,
  },
} = require('internal/errors');

const customInspect = Symbol.for('nodejs.util.inspect.custom');
const kList = Symbol('query list');
const kURL = Symbol('owning url');

function lazyInspect() {
  return require('util').inspect;
}

function invalidURL(input, base) {
  return new ERR_INVALID_URL(input, base);
}

// The parser runs natively (internalBinding('url'), Go, see
// bindings/url.md); parseWithBaseJS is the JavaScript parser it declines
// to (hosts that need IDNA) and the one the setters fall back to.
const binding = internalBinding('url');
// Read once: the constructor would otherwise look them up on every call.
const bindingParse = binding.parse;
const bindingCanParse = binding.canParse;

function parseWithBaseJS(input, base) {
  let baseRecord = null;
  if (base !== undefined) {
    baseRecord = basicParse(toUSVString(base), null);
    if (baseRecord === FAILURE) return FAILURE;
  }
  return basicParse(toUSVString(input), baseRecord);
}

// A URL holds its serialization and the offsets of its parts, the record
// array internalBinding('url').parse returns (see bindings/url.md), as
// Node's Ada-backed URL keeps an href and its component offsets:
// [href, schemeEnd, userEnd, hostStart, hostEnd, pathStart, queryStart
// (-1: no query), fragmentStart (-1: no fragment)]. A URL without a host
// has userEnd = hostStart = hostEnd = pathStart, so the authority getters
// need no flag. Getters slice the href; setters run in Go over the href,
// or in JavaScript over a record parsed back from it when Go declines
// (hosts that need IDNA). Slot R_SEARCH_PARAMS, set only in JavaScript,
// holds the URL's URLSearchParams once `searchParams` was read.
const R_HREF = 0;
const R_SCHEME_END = 1;
const R_USER_END = 2;
const R_HOST_START = 3;
const R_HOST_END = 4;
const R_PATH_START = 5;
const R_QUERY_START = 6;
const R_FRAGMENT_START = 7;
const R_SEARCH_PARAMS = 8;

// recordFromParsed serializes a parser record (the JavaScript parser's)
// into the array form.
function recordFromParsed(r) {
  let href = r.scheme + ':';
  const schemeEnd = href.length;
  let userEnd;
  let hostStart;
  let hostEnd;
  if (r.host !== null) {
    href += '//';
    userEnd = href.length;
    if (r.username !== '' || r.password !== '') {
      href += r.username;
      userEnd = href.length;
      if (r.password !== '') href += ':' + r.password;
      href += '@';
    }
    hostStart = href.length;
    href += r.host;
    hostEnd = href.length;
    if (r.port !== null) href += ':' + r.port;
  } else if (!r.opaque && r.path.length > 1 && r.path[0] === '') {
    href += '/.';
  }
  const pathStart = href.length;
  if (r.host === null) userEnd = hostStart = hostEnd = pathStart;
  href += serializePath(r);
  let queryStart = -1;
  let fragmentStart = -1;
  if (r.query !== null) {
    queryStart = href.length;
    href += '?' + r.query;
  }
  if (r.fragment !== null) {
    fragmentStart = href.length;
    href += '#' + r.fragment;
  }
  return [href, schemeEnd, userEnd, hostStart, hostEnd, pathStart, queryStart, fragmentStart];
}

// parseRecord returns the record of input against base, or false; both
// are strings (base may be undefined).
function parseRecord(input, base) {
  const res = binding.parse(input, base);
  if (res !== undefined) return res;
  const r = parseWithBaseJS(input, base);
  return r === FAILURE ? false : recordFromParsed(r);
}

function pathEnd(c) {
  return c[R_QUERY_START] >= 0 ? c[R_QUERY_START] : c[R_FRAGMENT_START] >= 0 ? c[R_FRAGMENT_START] : c[R_HREF].length;
}

// queryOf returns the query without '?', or null.
function queryOf(c) {
  const q = c[R_QUERY_START];
  if (q < 0) return null;
  const f = c[R_FRAGMENT_START];
  return c[R_HREF].slice(q + 1, f >= 0 ? f : c[R_HREF].length);
}

function schemeOf(c) {
  return c[R_HREF].slice(0, c[R_SCHEME_END] - 1);
}

// An opaque path is a hostless one that does not start with '/' (a
// hostless path starting with "//" is serialized after "/.").
function hasOpaquePath(c) {
  const href = c[R_HREF];
  const s = c[R_SCHEME_END];
  if (href.charCodeAt(s) === 0x2f && href.charCodeAt(s + 1) === 0x2f) return false;
  return href.charCodeAt(c[R_PATH_START]) !== 0x2f;
}

function originOf(c) {
  const scheme = schemeOf(c);
  switch (scheme) {
    case 'blob': {
      if (hasOpaquePath(c)) {
        const inner = parseRecord(c[R_HREF].slice(c[R_PATH_START], pathEnd(c)), undefined);
        if (inner !== false) {
          const s = schemeOf(inner);
          if (s === 'http' || s === 'https') return originOf(inner);
        }
      }
      return 'null';
    }
    case 'ftp': case 'http': case 'https': case 'ws': case 'wss':
      return scheme + '://' + c[R_HREF].slice(c[R_HOST_START], c[R_PATH_START]);
    default:
      return 'null';
  }
}

// invalidReceiver is the TypeError V8 throws where Node's URL reads a
// private field ('#context', '#searchParams') or checks its brand ('URL')
// on another object.
function invalidReceiver(self, member) {
  if (self == null) return new TypeError(`Cannot read properties of ${self} (reading '${member}')`);
  if (member === 'URL') return new TypeError('Receiver must be an instance of class URL');
  return new TypeError(`Cannot read private member ${member} from an object whose class did not declare it`);
}

function cannotHaveCredentialsOrPort(r) {
  return r.host === null || r.host === '' || r.scheme === 'file';
}

function stripTrailingSpacesFromOpaquePath(r) {
  if (!r.opaque || r.fragment !== null || r.query !== null) return;
  r.path[0] = r.path[0].replace(/ +$/, '');
}

// Node (Ada) gives a non-special URL without a host, or with an empty one,
// only a host name from the host/hostname setters (a port is ignored) and
// ignores an empty one.
function setHostOnHostless(r, value, hostnameOnly) {
  if (isSpecial(r) || (r.host !== null && r.host !== '')) return false;
  const v = value.replace(/[\t\n\r]/g, '');
  const m = /^(\[[^\]]*\]|[^:/?#[]*)/.exec(v);
  const name = m[0];
  if (name === '') return true;
  if (hostnameOnly && v[name.length] === ':') return true;
  const host = parseHost(name, true);
  if (host !== FAILURE) r.host = host;
  return true;
}

// The setters over a record, used when Go declines; value is a USV string.
// Their order is the binding's setter numbering.
const jsSetters = [
  function protocol(r, value) {
    basicParse(value + ':', null, r, S.SCHEME_START);
  },
  function username(r, value) {
    if (cannotHaveCredentialsOrPort(r)) return;
    r.username = percentEncodeString(value, inUserinfoSet);
  },
  function password(r, value) {
    if (cannotHaveCredentialsOrPort(r)) return;
    r.password = percentEncodeString(value, inUserinfoSet);
  },
  function host(r, value) {
    if (r.opaque) return;
    if (setHostOnHostless(r, value)) return;
    const copy = copyRecord(r);
    if (basicParse(value, null, copy, S.HOST) !== FAILURE) Object.assign(r, copy);
  },
  function hostname(r, value) {
    if (r.opaque) return;
    if (setHostOnHostless(r, value, true)) return;
    const copy = copyRecord(r);
    if (basicParse(value, null, copy, S.HOSTNAME) !== FAILURE) Object.assign(r, copy);
  },
  function port(r, value) {
    if (cannotHaveCredentialsOrPort(r)) return;
    // Node (Ada) clears the port for a value of only tabs and newlines.
    if (/^[\t\n\r]*$/.test(value)) {
      r.port = null;
      return;
    }
    const copy = copyRecord(r);
    if (basicParse(value, null, copy, S.PORT) !== FAILURE) Object.assign(r, copy);
  },
  function pathname(r, value) {
    if (r.opaque) return;
    const copy = copyRecord(r);
    copy.path = [];
    if (basicParse(value, null, copy, S.PATH_START) !== FAILURE) Object.assign(r, copy);
  },
  function search(r, value) {
    if (value === '') {
      r.query = null;
      stripTrailingSpacesFromOpaquePath(r);
      return;
    }
    r.query = '';
    basicParse(value[0] === '?' ? value.slice(1) : value, null, r, S.QUERY);
  },
  function hash(r, value) {
    if (value === '') {
      r.fragment = null;
      stripTrailingSpacesFromOpaquePath(r);
      return;
    }
    r.fragment = '';
    basicParse(value[0] === '#' ? value.slice(1) : value, null, r, S.FRAGMENT);
  },
];
const SET_PROTOCOL = 0;
const SET_USERNAME = 1;
const SET_PASSWORD = 2;
const SET_HOST = 3;
const SET_HOSTNAME = 4;
const SET_PORT = 5;
const SET_PATHNAME = 6;
const SET_SEARCH = 7;
const SET_HASH = 8;

// setterRecord returns the record after setter `which` with a string
// value, on a URL whose record is c.
function setterRecord(c, which, value) {
  const res = binding.set(c[R_HREF], which, value);
  if (res !== undefined) return res;
  const r = parseWithBaseJS(c[R_HREF], undefined);
  jsSetters[which](r, toUSVString(value));
  return recordFromParsed(r);
}

// stringArg converts an argument as `${value}` does, with V8's message for
// a Symbol (QuickJS words it differently).
function stringArg(value) {
  if (typeof value === 'symbol') throw new TypeError('Cannot convert a Symbol value to a string');
  return `${value}`;
}

// The URL's record is a private field, as Node's #context is: only the
// class body can read it, so what the module outside needs goes through
// these (set in the static block).
let recordOf; // (url, member) -> record, or throws Node's TypeError
let replaceRecord; // (url, record): keeps the URL's URLSearchParams
let isURLInstance; // (value): a real URL (has the private record), for util's deep equality

class URL {
  #c;

  // Rest parameters instead of `arguments` (which QuickJS builds on entry
  // to every call of a function that mentions it): the constructor must
  // tell `new URL()` from `new URL(undefined)`. URL.length is set to 1
  // below, as Node's is.
  constructor(...args) {
    if (args.length === 0) throw new ERR_MISSING_ARGS('url');
    let input = args[0];
    let base = args[1];
    if (typeof input !== 'string') input = stringArg(input);
    if (base !== undefined && typeof base !== 'string') base = stringArg(base);
    let c = bindingParse(input, base);
    if (c === undefined) c = parseRecord(input, base);
    if (c === false) throw invalidURL(input, base);
    this.#c = c;
  }

  static {
    isURLInstance = (v) => v !== null && typeof v === 'object' && #c in v;
    recordOf = (url, member) => {
      try {
        return url.#c;
      } catch {
        throw invalidReceiver(url, member);
      }
    };
    replaceRecord = (url, c) => {
      const sp = url.#c[R_SEARCH_PARAMS];
      if (sp !== undefined) c[R_SEARCH_PARAMS] = sp;
      url.#c = c;
    };
  }

  static parse(...args) {
    if (args.length === 0) throw new ERR_MISSING_ARGS('url');
    try {
      return new URL(args[0], args[1]);
    } catch {
      return null;
    }
  }

  static canParse(...args) {
    if (args.length === 0) throw new ERR_MISSING_ARGS('url');
    let input = args[0];
    let base = args[1];
    if (typeof input !== 'string') input = stringArg(input);
    if (base !== undefined && typeof base !== 'string') base = stringArg(base);
    const res = bindingCanParse(input, base);
    if (res !== undefined) return res;
    return parseWithBaseJS(input, base) !== FAILURE;
  }

  static createObjectURL(obj) {
    return lazyBlobURLs().createObjectURL(obj);
  }

  static revokeObjectURL(url) {
    return lazyBlobURLs().revokeObjectURL(url);
  }

  [customInspect](depth, opts) {
    if (typeof depth === 'number' && depth < 0) return this;
    const Ctor = class URL {};
    const obj = new Ctor();
    obj.href = this.href;
    obj.origin = this.origin;
    obj.protocol = this.protocol;
    obj.username = this.username;
    obj.password = this.password;
    obj.host = this.host;
    obj.hostname = this.hostname;
    obj.port = this.port;
    obj.pathname = this.pathname;
    obj.search = this.search;
    obj.searchParams = this.searchParams;
    obj.hash = this.hash;
    return lazyInspect()(obj, { ...opts, customInspect: true });
  }

  // The getters read #c in a try block rather than through recordOf: a
  // call costs more than the getter's own work on the interpreter.
  toString() {
    try {
      return this.#c[R_HREF];
    } catch {
      throw invalidReceiver(this, 'URL');
    }
  }

  get href() {
    try {
      return this.#c[R_HREF];
    } catch {
      throw invalidReceiver(this, 'URL');
    }
  }

  set href(value) {
    recordOf(this, '#context');
    value = stringArg(value);
    const c = parseRecord(value, undefined);
    if (c === false) throw invalidURL(value);
    replaceRecord(this, c);
    const sp = c[R_SEARCH_PARAMS];
    if (sp !== undefined) setList(sp, queryOf(c) || '');
  }

  get origin() {
    let c;
    try {
      c = this.#c;
    } catch {
      throw invalidReceiver(this, '#context');
    }
    return originOf(c);
  }

  get protocol() {
    let c;
    try {
      c = this.#c;
    } catch {
      throw invalidReceiver(this, '#context');
    }
    return c[R_HREF].slice(0, c[R_SCHEME_END]);
  }

  set protocol(value) {
    runSetter(this, SET_PROTOCOL, value);
  }

  get username() {
    let c;
    try {
      c = this.#c;
    } catch {
      throw invalidReceiver(this, '#context');
    }
    const start = c[R_SCHEME_END] + 2;
    return c[R_USER_END] > start ? c[R_HREF].slice(start, c[R_USER_END]) : '';
  }

  set username(value) {
    runSetter(this, SET_USERNAME, value);
  }

  get password() {
    let c;
    try {
      c = this.#c;
    } catch {
      throw invalidReceiver(this, '#context');
    }
    const end = c[R_HOST_START] - 1;
    return end > c[R_USER_END] ? c[R_HREF].slice(c[R_USER_END] + 1, end) : '';
  }

  set password(value) {
    runSetter(this, SET_PASSWORD, value);
  }

  get host() {
    let c;
    try {
      c = this.#c;
    } catch {
      throw invalidReceiver(this, '#context');
    }
    return c[R_HREF].slice(c[R_HOST_START], c[R_PATH_START]);
  }

  set host(value) {
    runSetter(this, SET_HOST, value);
  }

  get hostname() {
    let c;
    try {
      c = this.#c;
    } catch {
      throw invalidReceiver(this, '#context');
    }
    return c[R_HREF].slice(c[R_HOST_START], c[R_HOST_END]);
  }

  set hostname(value) {
    runSetter(this, SET_HOSTNAME, value);
  }

  get port() {
    let c;
    try {
      c = this.#c;
    } catch {
      throw invalidReceiver(this, '#context');
    }
    return c[R_HOST_END] < c[R_PATH_START] ? c[R_HREF].slice(c[R_HOST_END] + 1, c[R_PATH_START]) : '';
  }

  set port(value) {
    runSetter(this, SET_PORT, value);
  }

  get pathname() {
    let c;
    try {
      c = this.#c;
    } catch {
      throw invalidReceiver(this, '#context');
    }
    const q = c[R_QUERY_START];
    const f = c[R_FRAGMENT_START];
    return c[R_HREF].slice(c[R_PATH_START], q >= 0 ? q : f >= 0 ? f : c[R_HREF].length);
  }

  set pathname(value) {
    runSetter(this, SET_PATHNAME, value);
  }

  get search() {
    let c;
    try {
      c = this.#c;
    } catch {
      throw invalidReceiver(this, 'URL');
    }
    const q = c[R_QUERY_START];
    if (q < 0) return '';
    const f = c[R_FRAGMENT_START];
    const end = f >= 0 ? f : c[R_HREF].length;
    return end - q <= 1 ? '' : c[R_HREF].slice(q, end);
  }

  set search(value) {
    recordOf(this, '#context');
    value = toUSVString(stringArg(value));
    runSetter(this, SET_SEARCH, value);
    const sp = recordOf(this)[R_SEARCH_PARAMS];
    if (sp !== undefined) {
      setList(sp, value === '' ? [] : value[0] === '?' ? value.slice(1) : value);
    }
  }

  get searchParams() {
    let c;
    try {
      c = this.#c;
    } catch {
      throw invalidReceiver(this, '#searchParams');
    }
    let sp = c[R_SEARCH_PARAMS];
    if (sp === undefined) {
      // What new URLSearchParams(query) makes (it would drop a second
      // '?'), without the constructor's checks.
      sp = ObjectCreate(URLSearchParamsPrototype);
      hide(sp, kList, queryOf(c) || '');
      // A weak link back: the URL holds its searchParams, and a cycle
      // would leave both to the engine's cycle collector (about 1 µs per
      // pair on the interpreter); nothing can observe a URL that is gone.
      hide(sp, kURL, new WeakRef(this));
      c[R_SEARCH_PARAMS] = sp;
    }
    return sp;
  }

  get hash() {
    let c;
    try {
      c = this.#c;
    } catch {
      throw invalidReceiver(this, '#context');
    }
    const f = c[R_FRAGMENT_START];
    return f < 0 || f === c[R_HREF].length - 1 ? '' : c[R_HREF].slice(f);
  }

  set hash(value) {
    runSetter(this, SET_HASH, value);
  }

  toJSON() {
    try {
      return this.#c[R_HREF];
    } catch {
      throw invalidReceiver(this, 'URL');
    }
  }
}

// runSetter applies setter `which` (value converted with `${}`) to a URL.
function runSetter(self, which, value) {
  const c = recordOf(self, '#context');
  replaceRecord(self, setterRecord(c, which, stringArg(value)));
}

for (const k of ['toString', 'href', 'origin', 'protocol', 'username', 'password', 'host',
  'hostname', 'port', 'pathname', 'search', 'searchParams', 'hash', 'toJSON']) {
  Object.defineProperty(URL.prototype, k, { enumerable: true });
}

Object.defineProperty(URL.prototype, Symbol.toStringTag, { value: 'URL', configurable: true });
Object.defineProperty(URL.prototype, customInspect, { enumerable: false });
// Node's URL, URL.parse and URL.canParse declare (input, base = undefined).
for (const f of [URL, URL.parse, URL.canParse]) Object.defineProperty(f, 'length', { value: 1 });

let blobURLs;
function lazyBlobURLs() {
  if (!blobURLs) {
    const store = new Map();
    let counter = 0;
    blobURLs = {
      store,
      createObjectURL(obj) {
        const { Blob } = require('internal/blob');
        if (!(obj instanceof Blob)) throw new ERR_INVALID_ARG_TYPE('obj', 'Blob', obj);
        const hex = () => Math.floor(Math.random() * 0x100000000).toString(16).padStart(8, '0');
        const id = `${hex()}-${hex().slice(0, 4)}-4${hex().slice(0, 3)}-${hex().slice(0, 4)}-${hex()}${hex().slice(0, 4)}`;
        counter++;
        store.set(id, obj);
        return `blob:nodedata:${id}`;
      },
      revokeObjectURL(url) {
        if (arguments.length === 0) throw new ERR_MISSING_ARGS('url');
        const s = `${url}`;
        if (s.startsWith('blob:nodedata:')) store.delete(s.slice('blob:nodedata:'.length));
      },
    };
  }
  return blobURLs;
}

// ---- application/x-www-form-urlencoded

// Node 20 decodes each name and value of a query string as
// querystring.unescape does, not as the URL Standard says: only when it
// holds a valid %XX (not counting '+' signs), with decodeURIComponent,
// and where that throws, byte by byte: escapes become bytes, every other
// code unit keeps its low byte, and the bytes are read as UTF-8. The two
// differ only for raw non-ASCII next to a malformed escape.
const plusRe = /\+/g;
const validEscapeRe = /%[0-9A-Fa-f]{2}/;
function decodeFormPart(s) {
  const hasPlus = s.includes('+');
  const spaced = hasPlus ? s.replace(plusRe, ' ') : s;
  if (validEscapeRe.exec(hasPlus ? s.replace(plusRe, '') : s) === null) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    // Byte by byte, below.
  }
  const bytes = [];
  for (let i = 0; i < spaced.length; i++) {
    const c = spaced.charCodeAt(i);
    if (c === 0x25 && i + 2 < spaced.length && isHex(spaced.charCodeAt(i + 1)) && isHex(spaced.charCodeAt(i + 2))) {
      bytes.push(parseInt(spaced.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(c & 0xff);
    }
  }
  return utf8DecodeBytes(bytes);
}

// A URLSearchParams keeps its list in this[kList] as Node does, flat:
// [name, value, name, value, ...]. Until something needs the list, it is
// the query text instead (a string, without the leading '?'), which
// get/getAll/has search and toString serializes without building it:
// parsing is most of the cost of `new URLSearchParams(str).get(name)`.
// this[kURL] is a WeakRef to the URL whose searchParams it is (unset
// otherwise).

// parseQuery returns the flat list of query text.
function parseQuery(input) {
  if (input === '') return [];
  const res = binding.parseQuery(input);
  if (res !== undefined) return res;
  input = toUSVString(input);
  const out = [];
  for (const seq of input.split('&')) {
    if (seq === '') continue;
    const eq = seq.indexOf('=');
    const name = eq === -1 ? seq : seq.slice(0, eq);
    const value = eq === -1 ? '' : seq.slice(eq + 1);
    out.push(decodeFormPart(name), decodeFormPart(value));
  }
  return out;
}

// serializeQuery serializes a flat list, or query text as its list
// would serialize.
function serializeQuery(list) {
  if (list.length === 0) return '';
  const res = binding.serializeQuery(list);
  if (res !== undefined) return res;
  if (typeof list === 'string') list = parseQuery(list);
  let out = '';
  for (let i = 0; i < list.length; i += 2) {
    if (i) out += '&';
    out += percentEncodeString(list[i], inFormSet, true) + '=' +
      percentEncodeString(list[i + 1], inFormSet, true);
  }
  return out;
}

// The state properties are not enumerable: node keeps them in private
// fields, which Object.keys, JSON and util.isDeepStrictEqual do not see
// (two URLSearchParams are deep-equal whatever they hold). hide defines
// one (the binding's, or Object.defineProperty); later stores assign.
const ObjectDefineProperty = Object.defineProperty;
const hiddenDesc = { __proto__: null, value: undefined, writable: true, enumerable: false, configurable: true };
let hide = (obj, key, value) => {
  hiddenDesc.value = value;
  ObjectDefineProperty(obj, key, hiddenDesc);
  hiddenDesc.value = undefined;
};

// spList returns the list of a URLSearchParams, parsing its text first.
function spList(self) {
  const list = self != null && typeof self === 'object' ? self[kList] : undefined;
  if (list === undefined) throw new ERR_INVALID_THIS('URLSearchParams');
  if (anyFrozen) {
    const held = frozenLists.get(self);
    if (typeof held === 'string') return setList(self, parseQuery(held));
    if (held !== undefined) return held;
  }
  if (typeof list === 'string') return setList(self, parseQuery(list));
  return list;
}

// setList stores a URLSearchParams's list (or text). A frozen one cannot
// take it (node's private fields do not freeze): its state lives in
// frozenLists from then on, which spList reads first once any exists, and
// the native methods leave objects that are not extensible to these.
const frozenLists = new WeakMap();
let anyFrozen = false;
const ReflectSet = Reflect.set;
function setList(self, list) {
  if (!ReflectSet(self, kList, list)) {
    anyFrozen = true;
    frozenLists.set(self, list);
  } else if (anyFrozen) {
    frozenLists.delete(self);
  }
  return list;
}

function updateURL(sp) {
  const ref = sp[kURL];
  const url = ref && ref.deref();
  if (!url) return;
  // The serialized list needs no more encoding, so the search setter
  // stores it as it is (and an empty one removes the query).
  runSetter(url, SET_SEARCH, serializeQuery(spList(sp)));
}

class URLSearchParams {
  constructor(init = undefined) {
    // A string, the common case, is kept as it is until the list is
    // needed (parsing makes it a USV string).
    if (typeof init === 'string') {
      hide(this, kList, init.charCodeAt(0) === 0x3f ? init.slice(1) : init);
      return;
    }
    hide(this, kList, []);
    if (init === undefined || init === null) {
      // empty
    } else if (typeof init === 'object' || typeof init === 'function') {
      const method = init[Symbol.iterator];
      if (method === this[Symbol.iterator] && init[kList] !== undefined) {
        const other = anyFrozen ? spList(init) : init[kList];
        this[kList] = typeof other === 'string' ? other : other.slice();
      } else if (method != null) {
        if (typeof method !== 'function') throw new ERR_ARG_NOT_ITERABLE('Query pairs');
        const list = this[kList];
        for (const pair of init) {
          if (pair == null || (typeof pair !== 'object' && typeof pair !== 'function') ||
              typeof pair[Symbol.iterator] !== 'function') {
            throw new ERR_INVALID_TUPLE('Each query pair', '[name, value]');
          }
          const arr = Array.from(pair);
          if (arr.length !== 2) throw new ERR_INVALID_TUPLE('Each query pair', '[name, value]');
          list.push(toUSVString(`${arr[0]}`), toUSVString(`${arr[1]}`));
        }
      } else {
        const list = this[kList];
        const keys = Reflect.ownKeys(init);
        for (const key of keys) {
          if (typeof key !== 'string') continue;
          const desc = Reflect.getOwnPropertyDescriptor(init, key);
          if (desc !== undefined && desc.enumerable) {
            const k = toUSVString(key);
            const v = toUSVString(`${init[key]}`);
            let i = 0;
            while (i < list.length && list[i] !== k) i += 2;
            if (i < list.length) list[i + 1] = v;
            else list.push(k, v);
          }
        }
      }
    } else {
      init = toUSVString(`${init}`);
      this[kList] = init[0] === '?' ? init.slice(1) : init;
    }
  }

  [customInspect](recurseTimes, ctx) {
    const list = spList(this);
    if (typeof recurseTimes === 'number' && recurseTimes < 0) return ctx && ctx.stylize ? ctx.stylize('[Object]', 'special') : '[Object]';
    const inspect = lazyInspect();
    const opts = { ...ctx, depth: typeof recurseTimes === 'number' ? recurseTimes : 2 };
    const parts = [];
    for (let i = 0; i < list.length; i += 2) parts.push(`${inspect(list[i], opts)} => ${inspect(list[i + 1], opts)}`);
    const name = 'URLSearchParams';
    if (parts.length === 0) return `${name} {}`;
    const oneLine = `${name} { ${parts.join(', ')} }`;
    const breakLength = ctx && typeof ctx.breakLength === 'number' ? ctx.breakLength : 80;
    if (oneLine.length <= breakLength) return oneLine;
    return `${name} {\n  ${parts.join(',\n  ')} }`;
  }

  get size() {
    return spList(this).length / 2;
  }

  // The methods take rest parameters rather than reading `arguments`
  // (which QuickJS builds on every call); their lengths are set below.
  // get, getAll and has are replaced by native methods below where the
  // binding has them (these are what they call for what they do not
  // handle themselves).
  append(...args) {
    const list = spList(this);
    if (args.length < 2) throw new ERR_MISSING_ARGS('name', 'value');
    list.push(toUSVString(stringArg(args[0])), toUSVString(stringArg(args[1])));
    updateURL(this);
  }

  delete(...args) {
    const list = spList(this);
    if (args.length < 1) throw new ERR_MISSING_ARGS('name');
    const name = toUSVString(stringArg(args[0]));
    let value = args[1];
    const out = [];
    if (value !== undefined) {
      value = toUSVString(stringArg(value));
      for (let i = 0; i < list.length; i += 2) {
        if (list[i] !== name || list[i + 1] !== value) out.push(list[i], list[i + 1]);
      }
    } else {
      for (let i = 0; i < list.length; i += 2) {
        if (list[i] !== name) out.push(list[i], list[i + 1]);
      }
    }
    setList(this, out);
    updateURL(this);
  }

  get(...args) {
    const list = spList(this);
    if (args.length < 1) throw new ERR_MISSING_ARGS('name');
    const name = toUSVString(stringArg(args[0]));
    for (let i = 0; i < list.length; i += 2) {
      if (list[i] === name) return list[i + 1];
    }
    return null;
  }

  getAll(...args) {
    const list = spList(this);
    if (args.length < 1) throw new ERR_MISSING_ARGS('name');
    const name = toUSVString(stringArg(args[0]));
    const out = [];
    for (let i = 0; i < list.length; i += 2) {
      if (list[i] === name) out.push(list[i + 1]);
    }
    return out;
  }

  has(...args) {
    const list = spList(this);
    if (args.length < 1) throw new ERR_MISSING_ARGS('name');
    const name = toUSVString(stringArg(args[0]));
    let value = args[1];
    if (value !== undefined) value = toUSVString(stringArg(value));
    for (let i = 0; i < list.length; i += 2) {
      if (list[i] === name && (value === undefined || list[i + 1] === value)) return true;
    }
    return false;
  }

  set(...args) {
    const list = spList(this);
    if (args.length < 2) throw new ERR_MISSING_ARGS('name', 'value');
    const name = toUSVString(stringArg(args[0]));
    const value = toUSVString(stringArg(args[1]));
    // The first pair named name takes the value, later ones go.
    let i = 0;
    while (i < list.length && list[i] !== name) i += 2;
    if (i === list.length) {
      list.push(name, value);
    } else {
      list[i + 1] = value;
      let j = i + 2;
      for (let k = i + 2; k < list.length; k += 2) {
        if (list[k] !== name) {
          list[j] = list[k];
          list[j + 1] = list[k + 1];
          j += 2;
        }
      }
      list.length = j;
    }
    updateURL(this);
  }

  sort() {
    const list = this != null && typeof this === 'object' ? this[kList] : undefined;
    if (list === undefined) throw new ERR_INVALID_THIS('URLSearchParams');
    // Stable, by the UTF-16 code units of the names; query text is
    // sorted without being made a list first.
    setList(this, sortQuery(anyFrozen ? spList(this) : list));
    updateURL(this);
  }

  entries() {
    const list = this != null && typeof this === 'object' ? this[kList] : undefined;
    if (typeof list !== 'object') spList(this);
    return new URLSearchParamsIterator(this, ITER_ENTRIES);
  }

  forEach(callback, thisArg = undefined) {
    let list = spList(this);
    if (typeof callback !== 'function') throw new ERR_INVALID_ARG_TYPE('callback', 'Function', callback);
    // The list is read again after each call: the callback may change it.
    for (let i = 0; i < list.length; i += 2) {
      callback.call(thisArg, list[i + 1], list[i], this);
      list = spList(this);
    }
  }

  keys() {
    const list = this != null && typeof this === 'object' ? this[kList] : undefined;
    if (typeof list !== 'object') spList(this);
    return new URLSearchParamsIterator(this, ITER_KEYS);
  }

  values() {
    const list = this != null && typeof this === 'object' ? this[kList] : undefined;
    if (typeof list !== 'object') spList(this);
    return new URLSearchParamsIterator(this, ITER_VALUES);
  }

  toString() {
    const list = this != null && typeof this === 'object' ? this[kList] : undefined;
    if (typeof list === 'string' && !anyFrozen) return list === '' ? '' : serializeQuery(list);
    return serializeQuery(spList(this));
  }
}

function sortQuery(list) {
  if (binding.sortQuery !== undefined) return binding.sortQuery(list);
  if (typeof list === 'string') list = parseQuery(list);
  const pairs = [];
  for (let i = 0; i < list.length; i += 2) pairs.push([list[i], list[i + 1], i]);
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[2] - b[2]));
  const out = [];
  for (const p of pairs) out.push(p[0], p[1]);
  return out;
}

for (const k of ['size', 'append', 'delete', 'get', 'getAll', 'has', 'set', 'sort', 'entries',
  'forEach', 'keys', 'values', 'toString']) {
  Object.defineProperty(URLSearchParams.prototype, k, { enumerable: true });
}
for (const [k, n] of [['append', 2], ['delete', 1], ['get', 1], ['getAll', 1], ['has', 1], ['set', 2]]) {
  Object.defineProperty(URLSearchParams.prototype[k], 'length', { value: n });
}
Object.defineProperty(URLSearchParams.prototype, Symbol.iterator, {
  value: URLSearchParams.prototype.entries, writable: true, configurable: true,
});
Object.defineProperty(URLSearchParams.prototype, Symbol.toStringTag, {
  value: 'URLSearchParams', configurable: true,
});
const URLSearchParamsPrototype = URLSearchParams.prototype;
const ObjectCreate = Object.create;

const kIterTarget = Symbol('target');
const kIterState = Symbol('state');
// An iterator's state is one number, index << 2 | kind (one property
// read and one write per step: each costs about as much as the rest of
// next() on the interpreter).
const ITER_KEYS = 0;
const ITER_VALUES = 1;
const ITER_ENTRIES = 2;

// The iterators are live: they index into the current list on each next().
const URLSearchParamsIteratorPrototype = Object.create(
  Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())));
// Called with new: the object gets its prototype as it is made.
function URLSearchParamsIterator(target, kind) {
  this[kIterTarget] = target;
  this[kIterState] = kind;
}
URLSearchParamsIterator.prototype = URLSearchParamsIteratorPrototype;
Object.defineProperties(URLSearchParamsIteratorPrototype, {
  next: {
    enumerable: true,
    writable: true,
    configurable: true,
    value: function next() {
      const target = this != null && typeof this === 'object' ? this[kIterTarget] : undefined;
      if (target === undefined) throw new ERR_INVALID_THIS('URLSearchParamsIterator');
      let list = target[kList];
      if (typeof list !== 'object' || anyFrozen) list = spList(target);
      const state = this[kIterState];
      const i = state >>> 2;
      if (i >= list.length) return { value: undefined, done: true };
      this[kIterState] = state + 8;
      const kind = state & 3;
      return { value: kind === ITER_KEYS ? list[i] : kind === ITER_VALUES ? list[i + 1] : [list[i], list[i + 1]], done: false };
    },
  },
  [Symbol.toStringTag]: { value: 'URLSearchParams Iterator', configurable: true },
  [customInspect]: {
    value: function inspect(recurseTimes, ctx) {
      const list = spList(this[kIterTarget]);
      const kind = this[kIterState] & 3;
      const insp = lazyInspect();
      const items = [];
      for (let i = this[kIterState] >>> 2; i < list.length; i += 2) {
        items.push(kind === ITER_KEYS ? insp(list[i]) : kind === ITER_VALUES ? insp(list[i + 1]) :
          `[ ${insp(list[i])}, ${insp(list[i + 1])} ]`);
      }
      return `URLSearchParams Iterator { ${items.join(', ')}${items.length ? ' ' : ''}}`;
    },
  },
});

{
  // Native get, getAll, has, append, set, toString, sort and the
  // iterators' next (see bindings/url.md), falling back to the
  // JavaScript ones.
  const proto = URLSearchParams.prototype;
  // Samples of the objects the natives read in place, for their shapes:
  // what the constructor, the URL's searchParams getter, the iterator
  // methods and next make.
  const urlSP = ObjectCreate(URLSearchParamsPrototype);
  hide(urlSP, kList, '');
  hide(urlSP, kURL, undefined);
  const natives = binding.searchParamsMethods !== undefined ?
    binding.searchParamsMethods(kList, kURL, updateURL, proto.get, proto.getAll, proto.has, proto.append, proto.set,
      proto.toString, kIterTarget, kIterState, URLSearchParamsIteratorPrototype.next, proto.sort,
      new URLSearchParams(''), urlSP, new URLSearchParamsIterator(urlSP, ITER_KEYS), { value: undefined, done: false },
      proto.keys, proto.values, proto.entries) : undefined;
  if (natives !== undefined) {
    proto.get = natives[0];
    proto.getAll = natives[1];
    proto.has = natives[2];
    proto.append = natives[3];
    proto.set = natives[4];
    proto.toString = natives[5];
    URLSearchParamsIteratorPrototype.next = natives[6];
    proto.sort = natives[7];
    hide = natives[8];
    proto.keys = natives[9];
    proto.values = natives[10];
    proto.entries = natives[11];
    ObjectDefineProperty(proto, Symbol.iterator, { value: natives[11] });
  }
}

// Native getters, toString and toJSON (see bindings/url.md: urlAccessors),
// each falling back to the JavaScript one above for what it does not
// handle (other receivers, subclasses, URLs with own properties). The
// searchParams getter makes the object as the one above does.
if (binding.urlAccessors !== undefined) {
  const proto = URL.prototype;
  const getters = ['href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname', 'port',
    'pathname', 'search', 'hash', 'searchParams'];
  const slow = getters.map((k) => Object.getOwnPropertyDescriptor(proto, k).get);
  // What the searchParams getter makes, for its shape.
  const spTemplate = ObjectCreate(URLSearchParamsPrototype);
  hide(spTemplate, kList, '');
  hide(spTemplate, kURL, undefined);
  const natives = binding.urlAccessors(new URL('http://a/'), ...slow, proto.toString, proto.toJSON, spTemplate,
    WeakRef);
  if (natives !== undefined) {
    getters.forEach((k, i) => Object.defineProperty(proto, k, { get: natives[i] }));
    Object.defineProperty(proto, 'toString', { value: natives[getters.length] });
    Object.defineProperty(proto, 'toJSON', { value: natives[getters.length + 1] });
  }
}

// ---- file URLs and helpers

function isURLLike(u) {
  return u != null && typeof u === 'object' && typeof u.href === 'string' &&
    typeof u.protocol === 'string' && u.auth === undefined && u.path === undefined;
}

function fileURLToPath(path, options = undefined) {
  const windows = options && options.windows !== undefined ? !!options.windows : isWindowsHost();
  let url;
  if (typeof path === 'string') url = new URL(path);
  else if (isURLLike(path)) url = path;
  else throw new ERR_INVALID_ARG_TYPE('path', ['string', 'URL'], path);
  if (url.protocol !== 'file:') throw new ERR_INVALID_URL_SCHEME('file');
  return windows ? fileURLToWindowsPath(url) : fileURLToPosixPath(url);
}

const encodedSlashRe = /%2f/i;
const encodedSlashOrBackslashRe = /%2f|%5c/i;

function fileURLToPosixPath(url) {
  if (url.hostname !== '') throw new ERR_INVALID_FILE_URL_HOST(hostPlatform());
  const pathname = url.pathname;
  // One native search, not a loop over the characters (slow on QuickJS).
  if (pathname.includes('%') && encodedSlashRe.exec(pathname) !== null) {
    throw new ERR_INVALID_FILE_URL_PATH('must not include encoded / characters');
  }
  return pathname.includes('%') ? decodeURIComponent(pathname) : pathname;
}

function fileURLToWindowsPath(url) {
  const hostname = url.hostname;
  let pathname = url.pathname;
  if (pathname.includes('%') && encodedSlashOrBackslashRe.exec(pathname) !== null) {
    throw new ERR_INVALID_FILE_URL_PATH('must not include encoded \\ or / characters');
  }
  pathname = pathname.replace(/\//g, '\\');
  pathname = decodeURIComponent(pathname);
  if (hostname !== '') return `\\\\${domainToUnicode(hostname)}${pathname}`;
  const letter = pathname.codePointAt(1) | 0x20;
  const sep = pathname[2];
  if (letter < 97 || letter > 122 || sep !== ':') {
    throw new ERR_INVALID_FILE_URL_PATH('must be absolute');
  }
  return pathname.slice(1);
}

function isWindowsHost() {
  return hostPlatform() === 'win32';
}

function hostPlatform() {
  return typeof process === 'object' && process && process.platform ? process.platform : 'linux';
}

const extraPathChars = { __proto__: null, '[': '%5B', ']': '%5D', '^': '%5E', '|': '%7C', '~': '%7E' };
const extraPathCharsRe = /[[\]^|~]/;
const extraPathCharsReG = /[[\]^|~]/g;

function encodePathChars(filepath, windows) {
  if (filepath.includes('%')) filepath = filepath.replace(/%/g, '%25');
  if (!windows && filepath.includes('\\')) filepath = filepath.replace(/\\/g, '%5C');
  if (filepath.includes('\n')) filepath = filepath.replace(/\n/g, '%0A');
  if (filepath.includes('\r')) filepath = filepath.replace(/\r/g, '%0D');
  if (filepath.includes('\t')) filepath = filepath.replace(/\t/g, '%09');
  // Node 20 also encodes these, which the URL path setter would keep.
  if (extraPathCharsRe.exec(filepath) !== null) filepath = filepath.replace(extraPathCharsReG, (ch) => extraPathChars[ch]);
  return filepath;
}

const notNormalizedRe = /\/\/|\/\.\.?(?:\/|$)/;

function pathToFileURL(filepath, options = undefined) {
  const windows = options && options.windows !== undefined ? !!options.windows : isWindowsHost();
  if (typeof filepath !== 'string') throw new ERR_INVALID_ARG_TYPE('path', 'string', filepath);
  const path = require('path');
  if (windows && filepath.startsWith('\\\\')) {
    // UNC path: \\server\share\file
    const outURL = new URL('file://');
    const hostnameEndIndex = filepath.indexOf('\\', 2);
    if (hostnameEndIndex === -1) {
      throw new ERR_INVALID_ARG_VALUE('path', filepath, 'Missing UNC resource path');
    }
    if (hostnameEndIndex === 2) {
      throw new ERR_INVALID_ARG_VALUE('path', filepath, 'Empty UNC servername');
    }
    const hostname = filepath.slice(2, hostnameEndIndex);
    outURL.hostname = domainToASCII(hostname);
    outURL.pathname = encodePathChars(filepath.slice(hostnameEndIndex).replace(/\\/g, '/'), windows);
    return outURL;
  }
  let resolved;
  if (!windows && filepath.charCodeAt(0) === 0x2f && notNormalizedRe.exec(filepath) === null) {
    // An absolute path with no empty, '.' or '..' segment is what
    // path.posix.resolve (plus the trailing slash kept below) returns for
    // it; resolve walks it a character at a time, slow on the interpreter.
    resolved = filepath;
  } else {
    resolved = windows ? path.win32.resolve(filepath) : path.posix.resolve(filepath);
    const last = filepath.charCodeAt(filepath.length - 1);
    if ((last === 0x2f || (windows && last === 0x5c)) && resolved[resolved.length - 1] !== path.sep &&
        resolved[resolved.length - 1] !== (windows ? '\\' : '/')) {
      resolved += '/';
    }
  }
  resolved = encodePathChars(resolved, windows);
  if (resolved.includes('?')) resolved = resolved.replace(/\?/g, '%3F');
  if (resolved.includes('#')) resolved = resolved.replace(/#/g, '%23');
  if (windows) {
    resolved = resolved.replace(/\\/g, '/');
    if (resolved[0] !== '/') resolved = '/' + resolved;
  }
  return new URL(`file://${resolved}`);
}

function toPathIfFileURL(fileURLOrPath) {
  if (!isURLLike(fileURLOrPath)) return fileURLOrPath;
  return fileURLToPath(fileURLOrPath);
}

function urlToHttpOptions(url) {
  const { hostname, pathname, port, username, password, search } = url;
  const options = {
    __proto__: null,
    ...url,
    protocol: url.protocol,
    hostname: hostname && hostname[0] === '[' ? hostname.slice(1, -1) : hostname,
    hash: url.hash,
    search,
    pathname,
    path: `${pathname || ''}${search || ''}`,
    href: url.href,
  };
  if (port !== '') options.port = Number(port);
  if (username || password) {
    options.auth = `${decodeURIComponent(username)}:${decodeURIComponent(password)}`;
  }
  return options;
}

function domainToASCII(domain) {
  if (arguments.length < 1) throw new ERR_MISSING_ARGS('domain');
  const r = parseHost(toUSVString(`${domain}`), false);
  return r === FAILURE ? '' : r;
}

function domainToUnicode(domain) {
  if (arguments.length < 1) throw new ERR_MISSING_ARGS('domain');
  const r = parseHost(toUSVString(`${domain}`), false);
  if (r === FAILURE) return '';
  return r[0] === '[' ? r : idnaToUnicode(r);
}

module.exports = {
  punycodeEncode,
  punycodeDecode,
  URL,
  URLSearchParams,
  fileURLToPath,
  pathToFileURL,
  toPathIfFileURL,
  urlToHttpOptions,
  domainToASCII,
  domainToUnicode,
  isURL: isURLLike,
  isURLInstance: (v) => isURLInstance(v),
  // for tests and the legacy parser
  basicParse: (input, base) => {
    const r = parseWithBaseJS(input, base);
    return r === FAILURE ? null : r;
  },
  percentEncodeString,
  inUserinfoSet,
  blobURLStore: () => lazyBlobURLs().store,
};
