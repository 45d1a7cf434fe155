'use strict';
// Shared pieces of the HTTP modules. gnode parses HTTP/1.1 in Go (see
// bindings/tcp.md, setMode): a socket in an HTTP mode delivers message
// heads, body chunks and ends to socket._httpParser instead of 'data'.
// Comparisons with undefined are written `=== void 0`: the engine reads the
// identifier `undefined` as a global variable and compares through its
// slow path (~250 instructions), where `void 0` compiles to an is-undefined
// test (~45), and these modules run on every request.

const {
  codes: { ERR_INVALID_HTTP_TOKEN, ERR_HTTP_INVALID_HEADER_VALUE, ERR_INVALID_CHAR },
} = require('internal/errors');

const METHODS = [
  'ACL', 'BIND', 'CHECKOUT', 'CONNECT', 'COPY', 'DELETE', 'GET', 'HEAD', 'LINK',
  'LOCK', 'M-SEARCH', 'MERGE', 'MKACTIVITY', 'MKCALENDAR', 'MKCOL', 'MOVE',
  'NOTIFY', 'OPTIONS', 'PATCH', 'POST', 'PROPFIND', 'PROPPATCH', 'PURGE', 'PUT',
  'QUERY', 'REBIND', 'REPORT', 'SEARCH', 'SOURCE', 'SUBSCRIBE', 'TRACE', 'UNBIND',
  'UNLINK', 'UNLOCK', 'UNSUBSCRIBE',
];

const tokenRegExp = /^[\^_`a-zA-Z\-0-9!#$%&'*+.|~]+$/;
function checkIsHttpToken(val) {
  return typeof val === 'string' && tokenRegExp.test(val);
}

const headerCharRegex = /[^\t\x20-\x7e\x80-\xff]/;
function checkInvalidHeaderChar(val) {
  return headerCharRegex.test(val);
}

function validateHeaderName(name, label = 'Header name') {
  if (typeof name !== 'string' || !name || !checkIsHttpToken(name)) {
    throw new ERR_INVALID_HTTP_TOKEN(label, name);
  }
}

// Short string values already found valid (a server sends the same
// Content-Type, Cache-Control, X-Powered-By... on every response): a Set
// lookup costs a fraction of the regular expression. Cleared when full.
const validValues = new Set();

function validateHeaderValue(name, value) {
  // A number's text is always valid (the common Content-Length).
  if (typeof value === 'number') return;
  if (typeof value === 'string') {
    if (validValues.has(value)) return;
    if (headerCharRegex.test(value)) throw new ERR_INVALID_CHAR('header content', name);
    if (value.length <= 256) {
      if (validValues.size >= 512) validValues.clear();
      validValues.add(value);
    }
    return;
  }
  if (value === void 0) throw new ERR_HTTP_INVALID_HEADER_VALUE(value, name);
  if (checkInvalidHeaderChar(typeof value === 'string' ? value : String(value))) {
    throw new ERR_INVALID_CHAR('header content', name);
  }
}

// headerKey validates a header name and returns it lower-cased. Names
// already seen come from a cache (a server sets the same few names on every
// response; a regular expression test and toLowerCase cost several times a
// property lookup under an interpreter). The cache is bounded, so names
// made up per request cannot grow it without limit.
const headerKeys = { __proto__: null };
let headerKeyCount = 0;
function headerKey(name) {
  if (typeof name === 'string') {
    const k = headerKeys[name];
    if (k !== void 0) return k;
  }
  validateHeaderName(name);
  const k = name.toLowerCase();
  if (headerKeyCount < 1024) {
    headerKeys[name] = k;
    headerKeyCount++;
  }
  return k;
}

// lowerKey is headerKey without the validation, for lookups (getHeader,
// hasHeader): a name never set is lower-cased and not cached.
function lowerKey(name) {
  const k = headerKeys[name];
  return k !== void 0 ? k : name.toLowerCase();
}

// Header fields whose duplicates Node drops (the first wins) when building
// message.headers.
const dropDuplicates = new Set([
  'age', 'authorization', 'content-length', 'content-type', 'etag', 'expires',
  'from', 'host', 'if-modified-since', 'if-unmodified-since', 'last-modified',
  'location', 'max-forwards', 'proxy-authorization', 'referer', 'retry-after',
  'server', 'user-agent',
]);

const hasOwn = Object.hasOwn;
const rawKeys = { __proto__: null };
let rawKeyCount = 0;
// The native twin (runtime/bind_httpjs_headers.go; absent under the
// libtest shim) builds the object when no name repeats, in one call.
const nativeHeadersFromRaw = internalBinding('buffer').httpHeadersFromRaw;
function headersFromRaw(raw, joinDuplicates) {
  if (nativeHeadersFromRaw !== void 0) {
    const h = nativeHeadersFromRaw(raw);
    if (h !== void 0) return h;
  }
  const h = {};
  for (let i = 0; i < raw.length; i += 2) {
    // Names already seen come lower-cased from a cache (clients send the
    // same few names on every request). Kept apart from headerKey's, whose
    // entries mean "validated".
    const name = raw[i];
    let k = rawKeys[name];
    if (k === void 0) {
      k = name.toLowerCase();
      if (rawKeyCount < 1024) {
        rawKeys[name] = k;
        rawKeyCount++;
      }
    }
    const v = raw[i + 1];
    // A name such as "constructor" finds Object.prototype's member: only
    // an own value is an earlier header.
    let cur = h[k];
    if (cur !== void 0 && !hasOwn(h, k)) cur = undefined;
    if (cur === void 0) {
      h[k] = k === 'set-cookie' ? [v] : v;
    } else if (k === 'set-cookie') {
      cur.push(v);
    } else if (joinDuplicates || !dropDuplicates.has(k)) {
      h[k] = cur + (k === 'cookie' ? '; ' : ', ') + v;
    }
  }
  return h;
}

// loopNow is the time (ms since the epoch) when the current event loop
// callback started, published by the loop in memory shared with Go
// (runtime.go, publishClock): Date.now() is a system call in the engine,
// and the HTTP modules want the time twice per request (the Date header,
// the idle bookkeeping), where a callback's start time is close enough.
const clock = new Float64Array(internalBinding('ticks').buffer, 8, 1);
function loopNow() {
  return clock[0];
}

let dateCache = '';
let dateLineCache = '';
let dateCacheTime = 0;
function utcDate() {
  const now = clock[0];
  if (now - dateCacheTime >= 1000 || now < dateCacheTime || !dateCache) {
    dateCacheTime = now - (now % 1000);
    dateCache = new Date(now).toUTCString();
    dateLineCache = 'Date: ' + dateCache + '\r\n';
  }
  return dateCache;
}

// dateLine is the head line of utcDate(), the same string while the
// second lasts.
function dateLine() {
  const now = clock[0];
  if (now - dateCacheTime >= 1000 || now < dateCacheTime || !dateCache) utcDate();
  return dateLineCache;
}

module.exports = {
  METHODS: METHODS.slice(),
  checkIsHttpToken,
  checkInvalidHeaderChar,
  validateHeaderName,
  validateHeaderValue,
  headerKey,
  headerKeys,
  lowerKey,
  validValues,
  headersFromRaw,
  utcDate,
  dateLine,
  loopNow,
  chunkExpression: /(?:^|\W)chunked(?:$|\W)/i,
  continueExpression: /(?:^|\W)100-continue(?:$|\W)/i,
  HTTPParser: function HTTPParser() {},
  kIncomingMessage: Symbol('IncomingMessage'),
  kOutHeaders: Symbol('kOutHeaders'),
};
