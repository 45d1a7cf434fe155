'use strict';
// querystring: Node's legacy query string parser and serializer. parse is
// a single pass over the char codes that only decodes keys and values that
// actually contain an escape (or '+'), and falls back to a byte-wise
// unescape when decodeURIComponent rejects malformed input.

const { codes: { ERR_INVALID_URI } } = require('internal/errors');

// escape and parse run in Go (internalBinding('url'), whatwgurl's
// QSEscape/QSParse) for well-formed strings; the JavaScript below is the
// fallback and what runs where the binding lacks them (libtest's shim).
const urlBinding = internalBinding('url');
const nativeEscape = urlBinding.qsEscape;
const nativeParse = urlBinding.qsParse;
const nativeParseObject = urlBinding.qsParseObject;
const nativeStringify = urlBinding.qsStringify;

const hexTable = new Array(256);
for (let i = 0; i < 256; ++i) hexTable[i] = `%${(i < 16 ? '0' : '') + i.toString(16).toUpperCase()}`;

// Characters escape() leaves alone: A-Z a-z 0-9 ! ' ( ) * - . _ ~
const noEscape = new Int8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!'()*-._~") {
  noEscape[c.charCodeAt(0)] = 1;
}

const unhexTable = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) unhexTable[48 + i] = i;
for (let i = 0; i < 6; i++) {
  unhexTable[65 + i] = 10 + i;
  unhexTable[97 + i] = 10 + i;
}

const isHexTable = new Int8Array(256);
for (let i = 0; i < 256; i++) isHexTable[i] = unhexTable[i] >= 0 ? 1 : 0;

function encodeStr(str, noEscapeTable, table) {
  const len = str.length;
  if (len === 0) return '';
  let out = '';
  let lastPos = 0;
  let i = 0;
  outer:
  for (; i < len; i++) {
    let c = str.charCodeAt(i);
    // ASCII
    while (c < 0x80) {
      if (noEscapeTable[c] !== 1) {
        if (lastPos < i) out += str.slice(lastPos, i);
        lastPos = i + 1;
        out += table[c];
      }
      if (++i === len) break outer;
      c = str.charCodeAt(i);
    }
    if (lastPos < i) out += str.slice(lastPos, i);
    // Multi-byte characters ...
    if (c < 0x800) {
      lastPos = i + 1;
      out += table[0xC0 | (c >> 6)] + table[0x80 | (c & 0x3F)];
      continue;
    }
    if (c < 0xD800 || c >= 0xE000) {
      lastPos = i + 1;
      out += table[0xE0 | (c >> 12)] + table[0x80 | ((c >> 6) & 0x3F)] + table[0x80 | (c & 0x3F)];
      continue;
    }
    // Surrogate pair. A lone surrogate pairs with whatever follows, as in
    // Node; only one at the very end is an error.
    ++i;
    if (i >= len) throw new ERR_INVALID_URI();
    const c2 = str.charCodeAt(i) & 0x3FF;
    lastPos = i + 1;
    c = 0x10000 + (((c & 0x3FF) << 10) | c2);
    out += table[0xF0 | (c >> 18)] + table[0x80 | ((c >> 12) & 0x3F)] +
      table[0x80 | ((c >> 6) & 0x3F)] + table[0x80 | (c & 0x3F)];
  }
  if (lastPos === 0) return str;
  if (lastPos < len) return out + str.slice(lastPos);
  return out;
}

// unescapeBytes decodes %XX escapes (and '+' when decodeSpaces) into bytes;
// other characters keep their low 8 bits, as Node's Buffer-based version.
function unescapeBytes(s, decodeSpaces) {
  const out = new Uint8Array(s.length);
  let index = 0;
  let outIndex = 0;
  let currentChar;
  let nextChar;
  let hexHigh;
  let hexLow;
  const maxLength = s.length - 2;
  while (index < s.length) {
    currentChar = s.charCodeAt(index);
    if (currentChar === 43 /* '+' */ && decodeSpaces) {
      out[outIndex++] = 32;
      index++;
      continue;
    }
    if (currentChar === 37 /* '%' */ && index < maxLength) {
      currentChar = s.charCodeAt(++index);
      hexHigh = currentChar < 256 ? unhexTable[currentChar] : -1;
      if (!(hexHigh >= 0)) {
        out[outIndex++] = 37;
        continue;
      } else {
        nextChar = s.charCodeAt(++index);
        hexLow = nextChar < 256 ? unhexTable[nextChar] : -1;
        if (!(hexLow >= 0)) {
          out[outIndex++] = 37;
          index--;
        } else {
          currentChar = hexHigh * 16 + hexLow;
        }
      }
    }
    out[outIndex++] = currentChar;
    index++;
  }
  return out.subarray(0, outIndex);
}

function unescapeBuffer(s, decodeSpaces) {
  const { Buffer } = require('buffer');
  return Buffer.from(unescapeBytes(String(s), decodeSpaces));
}

// utf8Decode decodes bytes with U+FFFD for invalid sequences (the WHATWG
// "maximal subpart" rule Buffer#toString follows).
function utf8Decode(bytes) {
  let out = '';
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i++;
      continue;
    }
    let need = 0;
    let cp = 0;
    let lower = 0x80;
    let upper = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      need = 1;
      cp = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
      need = 2;
      cp = b & 0x0F;
      if (b === 0xE0) lower = 0xA0;
      if (b === 0xED) upper = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      need = 3;
      cp = b & 0x07;
      if (b === 0xF0) lower = 0x90;
      if (b === 0xF4) upper = 0x8F;
    } else {
      out += '\ufffd';
      i++;
      continue;
    }
    let j = 1;
    for (; j <= need; j++) {
      const c = bytes[i + j];
      if (i + j >= n || c < lower || c > upper) break;
      lower = 0x80;
      upper = 0xBF;
      cp = (cp << 6) | (c & 0x3F);
    }
    if (j <= need) {
      out += '\ufffd';
      i += j;
      continue;
    }
    out += String.fromCodePoint(cp);
    i += need + 1;
  }
  return out;
}

function qsUnescape(s, decodeSpaces) {
  try {
    return decodeURIComponent(s);
  } catch {
    return utf8Decode(unescapeBytes(String(s), decodeSpaces));
  }
}

function qsEscape(str) {
  if (typeof str !== 'string') {
    if (typeof str === 'object') str = String(str);
    else str += '';
  }
  // A call into Go costs about what two characters of the loop do.
  if (nativeEscape !== undefined && str.length > 2) {
    const out = nativeEscape(str);
    if (out !== undefined) return out;
  }
  return encodeStr(str, noEscape, hexTable);
}

function stringifyPrimitive(v) {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return `${v}`;
  if (typeof v === 'bigint') return `${v}`;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return '';
}

function encodeStringified(v, encode) {
  if (typeof v === 'string') return (v.length ? encode(v) : '');
  if (typeof v === 'number' && Number.isFinite(v)) {
    // 1e21 and up print with a '+' that needs escaping.
    return (Math.abs(v) < 1e21 ? `${v}` : encode(`${v}`));
  }
  if (typeof v === 'bigint') return `${v}`;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return '';
}

function encodeStringifiedCustom(v, encode) {
  return encode(stringifyPrimitive(v));
}

function stringify(obj, sep, eq, options) {
  // The common call, stringify(obj), goes straight to Go.
  if (sep === undefined && eq === undefined && options === undefined && typeof obj === 'object' &&
      obj !== null && nativeStringify !== undefined && module.exports.escape === qsEscape) {
    const res = nativeStringify(obj, '&', '=');
    if (res !== undefined) return res;
  }
  sep = sep || '&';
  eq = eq || '=';
  let encode = module.exports.escape;
  if (options && typeof options.encodeURIComponent === 'function') {
    encode = options.encodeURIComponent;
  }
  const convert = (encode === qsEscape ? encodeStringified : encodeStringifiedCustom);
  if (obj !== null && typeof obj === 'object') {
    // Plain data with the default encoder is written in Go.
    if (encode === qsEscape && nativeStringify !== undefined && typeof sep === 'string' && typeof eq === 'string') {
      const res = nativeStringify(obj, sep, eq);
      if (res !== undefined) return res;
    }
    const keys = Object.keys(obj);
    const len = keys.length;
    let fields = '';
    for (let i = 0; i < len; ++i) {
      const k = keys[i];
      const v = obj[k];
      let ks = convert(k, encode);
      ks += eq;
      if (Array.isArray(v)) {
        const vlen = v.length;
        if (vlen === 0) continue;
        if (fields) fields += sep;
        for (let j = 0; j < vlen; ++j) {
          if (j) fields += sep;
          fields += ks;
          fields += convert(v[j], encode);
        }
      } else {
        if (fields) fields += sep;
        fields += ks;
        fields += convert(v, encode);
      }
    }
    return fields;
  }
  return '';
}

function charCodes(str) {
  if (str.length === 0) return [];
  if (str.length === 1) return [str.charCodeAt(0)];
  const ret = new Array(str.length);
  for (let i = 0; i < str.length; ++i) ret[i] = str.charCodeAt(i);
  return ret;
}
const defSepCodes = [38]; // &
const defEqCodes = [61]; // =

function addKeyVal(obj, key, value, keyEncoded, valEncoded, decode) {
  if (key.length > 0 && keyEncoded) key = decodeStr(key, decode);
  if (value.length > 0 && valEncoded) value = decodeStr(value, decode);
  if (obj[key] === undefined) {
    obj[key] = value;
  } else {
    const curValue = obj[key];
    if (curValue.pop) curValue[curValue.length] = value;
    else obj[key] = [curValue, value];
  }
}

// addDecoded is addKeyVal for a key and value already decoded.
function addDecoded(obj, key, value) {
  const curValue = obj[key];
  if (curValue === undefined) obj[key] = value;
  else if (curValue.pop) curValue[curValue.length] = value;
  else obj[key] = [curValue, value];
}

function decodeStr(s, decoder) {
  try {
    return decoder(s);
  } catch {
    return module.exports.unescape(s, true);
  }
}

function parse(qs, sep, eq, options) {
  if (typeof qs !== 'string' || qs.length === 0) return { __proto__: null };
  // The common call, parse(str), goes straight to Go.
  if (sep === undefined && eq === undefined && options === undefined && nativeParseObject !== undefined &&
    module.exports.unescape === qsUnescape) {
    const res = nativeParseObject(qs, 1000);
    if (res !== undefined) return res;
  }

  const sepStr = (!sep ? '&' : String(sep));
  const eqStr = (!eq ? '=' : String(eq));

  let pairs = 1000;
  if (options && typeof options.maxKeys === 'number') {
    // -1 never reaches 0 when decremented: unlimited.
    pairs = (options.maxKeys > 0 ? options.maxKeys : -1);
  }

  let decode = module.exports.unescape;
  if (options && typeof options.decodeURIComponent === 'function') {
    decode = options.decodeURIComponent;
  }
  const customDecode = (decode !== qsUnescape);

  if (nativeParseObject !== undefined && !customDecode) {
    // The whole object is built in Go, for any ASCII separators.
    // The binding counts in integers: a fractional (or huge) budget
    // never reaches 0 in the loop below either, so it is unlimited.
    const res = nativeParseObject(qs, (pairs | 0) === pairs ? pairs : -1, sepStr, eqStr);
    if (res !== undefined) return res;
  }
  if (nativeParse !== undefined && !customDecode && (!sep || sep === '&') && (!eq || eq === '=')) {
    const flat = nativeParse(qs, pairs);
    if (flat !== undefined) {
      const res = { __proto__: null };
      for (let i = 0; i < flat.length; i += 2) addDecoded(res, flat[i], flat[i + 1]);
      return res;
    }
  }

  const sepCodes = (!sep ? defSepCodes : charCodes(sepStr));
  const eqCodes = (!eq ? defEqCodes : charCodes(eqStr));
  const sepLen = sepCodes.length;
  const eqLen = eqCodes.length;
  const obj = { __proto__: null };
  let lastPos = 0;
  let sepIdx = 0;
  let eqIdx = 0;
  let key = '';
  let value = '';
  let keyEncoded = customDecode;
  let valEncoded = customDecode;
  const plusChar = (customDecode ? '%20' : ' ');
  let encodeCheck = 0;
  for (let i = 0; i < qs.length; ++i) {
    const code = qs.charCodeAt(i);
    // Try matching key/value pair separator (e.g. '&').
    if (code === sepCodes[sepIdx]) {
      if (++sepIdx === sepLen) {
        const end = i - sepIdx + 1;
        if (eqIdx < eqLen) {
          // We didn't find the (entire) key/value separator.
          if (lastPos < end) {
            key += qs.slice(lastPos, end);
          } else if (key.length === 0) {
            // An empty substring between separators.
            if (--pairs === 0) return obj;
            lastPos = i + 1;
            sepIdx = eqIdx = 0;
            continue;
          }
        } else if (lastPos < end) {
          value += qs.slice(lastPos, end);
        }
        addKeyVal(obj, key, value, keyEncoded, valEncoded, decode);
        if (--pairs === 0) return obj;
        keyEncoded = valEncoded = customDecode;
        key = value = '';
        encodeCheck = 0;
        lastPos = i + 1;
        sepIdx = eqIdx = 0;
      }
    } else {
      sepIdx = 0;
      // Try matching key/value separator (e.g. '=') if we haven't already.
      if (eqIdx < eqLen) {
        if (code === eqCodes[eqIdx]) {
          if (++eqIdx === eqLen) {
            const end = i - eqIdx + 1;
            if (lastPos < end) key += qs.slice(lastPos, end);
            encodeCheck = 0;
            lastPos = i + 1;
          }
          continue;
        } else {
          eqIdx = 0;
          if (!keyEncoded) {
            // Look for one valid %XX escape before paying for decoding.
            if (code === 37 /* % */) {
              encodeCheck = 1;
              continue;
            } else if (encodeCheck > 0) {
              if (isHexTable[code] === 1) {
                if (++encodeCheck === 3) keyEncoded = true;
                continue;
              } else {
                encodeCheck = 0;
              }
            }
          }
        }
        if (code === 43 /* + */) {
          if (lastPos < i) key += qs.slice(lastPos, i);
          key += plusChar;
          lastPos = i + 1;
          continue;
        }
      }
      if (code === 43 /* + */) {
        if (lastPos < i) value += qs.slice(lastPos, i);
        value += plusChar;
        lastPos = i + 1;
      } else if (!valEncoded) {
        if (code === 37 /* % */) {
          encodeCheck = 1;
        } else if (encodeCheck > 0) {
          if (isHexTable[code] === 1) {
            if (++encodeCheck === 3) valEncoded = true;
          } else {
            encodeCheck = 0;
          }
        }
      }
    }
  }

  // Deal with any leftover key or value data.
  if (lastPos < qs.length) {
    if (eqIdx < eqLen) key += qs.slice(lastPos);
    else if (sepIdx < sepLen) value += qs.slice(lastPos);
  } else if (eqIdx === 0 && key.length === 0) {
    // We ended on an empty substring.
    return obj;
  }
  addKeyVal(obj, key, value, keyEncoded, valEncoded, decode);
  return obj;
}

module.exports = {
  unescapeBuffer,
  unescape: qsUnescape,
  escape: qsEscape,
  stringify,
  encode: stringify,
  parse,
  decode: parse,
};

// stringify(obj) itself runs in Go where the binding has it (see
// bindings/url.md: qsStringifyEntry); other calls reach the function above.
if (urlBinding.qsStringifyEntry !== undefined) {
  const entry = urlBinding.qsStringifyEntry(stringify, module.exports, qsEscape);
  if (entry !== undefined) module.exports.stringify = module.exports.encode = entry;
}
