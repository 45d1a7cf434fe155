'use strict';
// fetch, Headers, Request, Response and FormData as in Node 20 (undici):
// the WHATWG Fetch classes over internalBinding('fetch') (a Go net/http
// client, see lib/bindings/fetch.md). install(globalThis) defines the
// globals. Bodies are bytes (Uint8Array) until someone asks for .body,
// which becomes a ReadableStream; a network body is a ReadableStream whose
// pull asks Go for the next chunk.

const { Blob, File, isBlob } = require('internal/blob');
const { TextEncoder, TextDecoder } = require('internal/encoding');

let rsMod;
function webstreams() {
  return rsMod || (rsMod = require('internal/webstreams/readablestream'));
}

const kHeaders = Symbol('headers list');
const kGuard = Symbol('guard');
const kBody = Symbol('body');
const kState = Symbol('state');

const encoder = new TextEncoder();
const utf8 = (bytes) => new TextDecoder('utf-8').decode(bytes);

// ---- Headers ---------------------------------------------------------------

const kTokenRE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const kHttpWS = /^[\t\n\r ]+|[\t\n\r ]+$/g;

function normalizeValue(v) {
  return `${v}`.replace(kHttpWS, '');
}

function checkName(name, where) {
  if (!kTokenRE.test(name)) throw new TypeError(`${where}: "${name}" is an invalid header name.`);
}

function checkValue(value, where) {
  if (/[\0\r\n]/.test(value)) throw new TypeError(`${where}: "${value}" is an invalid header value.`);
}

class Headers {
  constructor(init = undefined) {
    this[kHeaders] = new Map(); // lowercase name → { name, values: [] }
    this[kGuard] = 'none';
    if (init === undefined || init === null) {
      if (init === null) throw new TypeError("Headers constructor: Argument 1 could not be converted to one of: sequence<sequence<ByteString>>, record<ByteString, ByteString>.");
      return;
    }
    fillHeaders(this, init);
  }

  append(name, value) {
    if (arguments.length < 2) throw new TypeError(`Headers.append: 2 arguments required, but only ${arguments.length} present.`);
    appendHeader(this, `${name}`, `${value}`, 'Headers.append');
  }

  delete(name) {
    name = `${name}`;
    checkName(name, 'Headers.delete');
    if (this[kGuard] === 'immutable') throw new TypeError('immutable');
    this[kHeaders].delete(name.toLowerCase());
  }

  get(name) {
    name = `${name}`;
    checkName(name, 'Headers.get');
    const e = this[kHeaders].get(name.toLowerCase());
    if (e === undefined) return null;
    return e.values.join(', ');
  }

  getSetCookie() {
    const e = this[kHeaders].get('set-cookie');
    return e === undefined ? [] : e.values.slice();
  }

  has(name) {
    name = `${name}`;
    checkName(name, 'Headers.has');
    return this[kHeaders].has(name.toLowerCase());
  }

  set(name, value) {
    name = `${name}`;
    value = normalizeValue(value);
    checkName(name, 'Headers.set');
    checkValue(value, 'Headers.set');
    if (this[kGuard] === 'immutable') throw new TypeError('immutable');
    this[kHeaders].set(name.toLowerCase(), { name, values: [value] });
  }

  forEach(callback, thisArg = undefined) {
    if (typeof callback !== 'function') {
      throw new TypeError("Failed to execute 'forEach' on 'Headers': parameter 1 is not of type 'Function'.");
    }
    for (const [k, v] of this) callback.call(thisArg, v, k, this);
  }

  *keys() { for (const [k] of sortedEntries(this)) yield k; }
  *values() { for (const [, v] of sortedEntries(this)) yield v; }
  *entries() { yield* sortedEntries(this); }
  [Symbol.iterator]() { return this.entries(); }

  [Symbol.for('nodejs.util.inspect.custom')](depth, options) {
    // undici shows the header list in insertion order with the first
    // spelling of each name, not sorted.
    const obj = {};
    for (const e of this[kHeaders].values()) obj[e.name] = e.values.join(', ');
    return `Headers ${require('util').inspect(obj, options)}`;
  }
}
Object.defineProperty(Headers.prototype, Symbol.toStringTag, { value: 'Headers', configurable: true });

// sortedEntries is undici's iteration order: names sorted, lowercase,
// set-cookie once per value, other values combined.
function sortedEntries(h) {
  const names = [...h[kHeaders].keys()].sort();
  const out = [];
  for (const n of names) {
    const e = h[kHeaders].get(n);
    if (n === 'set-cookie') for (const v of e.values) out.push([n, v]);
    else out.push([n, e.values.join(', ')]);
  }
  return out;
}

function appendHeader(h, name, value, where) {
  value = normalizeValue(value);
  checkName(name, where);
  checkValue(value, where);
  if (h[kGuard] === 'immutable') throw new TypeError('immutable');
  const key = name.toLowerCase();
  const e = h[kHeaders].get(key);
  if (e === undefined) h[kHeaders].set(key, { name, values: [value] });
  else e.values.push(value);
}

function fillHeaders(h, init) {
  if (typeof init !== 'object' && typeof init !== 'function') {
    throw new TypeError("Headers constructor: Argument 1 could not be converted to one of: sequence<sequence<ByteString>>, record<ByteString, ByteString>.");
  }
  if (init instanceof Headers) {
    for (const [k, e] of init[kHeaders]) h[kHeaders].set(k, { name: e.name, values: e.values.slice() });
    return;
  }
  if (typeof init[Symbol.iterator] === 'function') {
    for (const pair of init) {
      const arr = [...pair];
      if (arr.length !== 2) throw new TypeError('Headers constructor: expected name/value pair to be length 2, found ' + arr.length + '.');
      appendHeader(h, `${arr[0]}`, `${arr[1]}`, 'Headers.append');
    }
    return;
  }
  for (const k of Reflect.ownKeys(init)) {
    if (typeof k === 'symbol') continue;
    const d = Reflect.getOwnPropertyDescriptor(init, k);
    if (d && d.enumerable) appendHeader(h, k, `${init[k]}`, 'Headers.append');
  }
}

function headerPairs(h) {
  const out = [];
  for (const [k, e] of h[kHeaders]) for (const v of e.values) out.push(k, v);
  return out;
}

// ---- FormData --------------------------------------------------------------

const kEntries = Symbol('entries');

function toEntryValue(value, filename, argc) {
  if (isBlob(value)) {
    if (value instanceof File && filename === undefined) return value;
    const name = filename !== undefined ? `${filename}` : (value instanceof File ? value.name : 'blob');
    return new File([value], name, { type: value.type, lastModified: value instanceof File ? value.lastModified : undefined });
  }
  if (argc > 2) throw new TypeError("Failed to execute 'append' on 'FormData': parameter 2 is not of type 'Blob'");
  return `${value}`;
}

class FormData {
  constructor(form = undefined) {
    if (form !== undefined) throw new TypeError("FormData constructor: Argument 1 could not be converted to: undefined.");
    this[kEntries] = [];
  }

  append(name, value, filename = undefined) {
    if (arguments.length < 2) throw new TypeError(`FormData.append: 2 arguments required, but only ${arguments.length} present.`);
    this[kEntries].push([`${name}`, toEntryValue(value, filename, arguments.length)]);
  }

  delete(name) {
    name = `${name}`;
    this[kEntries] = this[kEntries].filter((e) => e[0] !== name);
  }

  get(name) {
    name = `${name}`;
    const e = this[kEntries].find((x) => x[0] === name);
    return e === undefined ? null : e[1];
  }

  getAll(name) {
    name = `${name}`;
    return this[kEntries].filter((e) => e[0] === name).map((e) => e[1]);
  }

  has(name) {
    name = `${name}`;
    return this[kEntries].some((e) => e[0] === name);
  }

  set(name, value, filename = undefined) {
    if (arguments.length < 2) throw new TypeError(`FormData.set: 2 arguments required, but only ${arguments.length} present.`);
    name = `${name}`;
    const entry = [name, toEntryValue(value, filename, arguments.length)];
    const i = this[kEntries].findIndex((e) => e[0] === name);
    if (i < 0) { this[kEntries].push(entry); return; }
    this[kEntries][i] = entry;
    this[kEntries] = this[kEntries].filter((e, j) => j <= i || e[0] !== name);
  }

  forEach(callback, thisArg = undefined) {
    for (const [k, v] of this) callback.call(thisArg, v, k, this);
  }

  *entries() { for (const e of this[kEntries]) yield [e[0], e[1]]; }
  *keys() { for (const e of this[kEntries]) yield e[0]; }
  *values() { for (const e of this[kEntries]) yield e[1]; }
  [Symbol.iterator]() { return this.entries(); }
}
Object.defineProperty(FormData.prototype, Symbol.toStringTag, { value: 'FormData', configurable: true });

function escapeFormName(s, isFilename) {
  s = s.replace(/\r\n|\r(?!\n)|(?<!\r)\n/g, isFilename ? '%0D%0A' : '\r\n');
  return s.replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/"/g, '%22');
}

function serializeFormData(fd) {
  let boundary = '----formdata-undici-0';
  for (let i = 0; i < 11; i++) boundary += Math.floor(Math.random() * 10);
  const parts = [];
  for (const [name, value] of fd[kEntries]) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${escapeFormName(name)}"`;
    if (typeof value === 'string') {
      parts.push(encoder.encode(`${head}\r\n\r\n${value.replace(/\r(?!\n)|(?<!\r)\n/g, '\r\n')}\r\n`));
    } else {
      head += `; filename="${escapeFormName(value.name, true)}"\r\nContent-Type: ${value.type || 'application/octet-stream'}\r\n\r\n`;
      parts.push(encoder.encode(head), blobBytes(value), encoder.encode('\r\n'));
    }
  }
  parts.push(encoder.encode(`--${boundary}--\r\n`));
  return { bytes: concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

function blobBytes(b) {
  // Blob keeps its bytes under a private symbol; slice() copies them out.
  const syms = Object.getOwnPropertySymbols(b);
  for (const s of syms) if (b[s] instanceof Uint8Array) return b[s];
  return new Uint8Array(0);
}

function concat(parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) { out.set(p, off); off += p.length; }
  return out;
}

function indexOfBytes(hay, needle, from) {
  outer: for (let i = from; i <= hay.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function parseMultipart(bytes, boundary) {
  const fd = new FormData();
  const delim = encoder.encode(`--${boundary}`);
  let pos = indexOfBytes(bytes, delim, 0);
  if (pos < 0) throw new TypeError('Failed to parse body as FormData.');
  for (;;) {
    pos += delim.length;
    if (bytes[pos] === 45 && bytes[pos + 1] === 45) break; // "--"
    pos += 2; // CRLF
    const headEnd = indexOfBytes(bytes, encoder.encode('\r\n\r\n'), pos);
    if (headEnd < 0) throw new TypeError('Failed to parse body as FormData.');
    const head = utf8(bytes.subarray(pos, headEnd));
    const next = indexOfBytes(bytes, encoder.encode(`\r\n--${boundary}`), headEnd + 4);
    if (next < 0) throw new TypeError('Failed to parse body as FormData.');
    const content = bytes.slice(headEnd + 4, next);
    const name = /name="([^"]*)"/i.exec(head);
    const filename = /filename="([^"]*)"/i.exec(head);
    const ctype = /content-type:\s*([^\r\n]*)/i.exec(head);
    if (!name) throw new TypeError('Failed to parse body as FormData.');
    const unescape = (x) => x.replace(/%22/g, '"').replace(/%0D/g, '\r').replace(/%0A/g, '\n');
    if (filename) fd.append(unescape(name[1]), new File([content], unescape(filename[1]), { type: ctype ? ctype[1] : '' }));
    else fd.append(unescape(name[1]), utf8(content));
    pos = next + 2;
  }
  return fd;
}

// ---- bodies ----------------------------------------------------------------

// extractBody turns a BodyInit into { source: Uint8Array|ReadableStream, type }.
function extractBody(init) {
  if (typeof init === 'string') return { source: encoder.encode(init), type: 'text/plain;charset=UTF-8' };
  const { URLSearchParams } = require('internal/url');
  if (init instanceof URLSearchParams) {
    return { source: encoder.encode(init.toString()), type: 'application/x-www-form-urlencoded;charset=UTF-8' };
  }
  if (init instanceof ArrayBuffer || (typeof SharedArrayBuffer === 'function' && init instanceof SharedArrayBuffer)) {
    return { source: new Uint8Array(init.slice(0)), type: null };
  }
  if (ArrayBuffer.isView(init)) {
    return { source: new Uint8Array(init.buffer.slice(init.byteOffset, init.byteOffset + init.byteLength)), type: null };
  }
  if (isBlob(init)) return { source: blobBytes(init).slice(), type: init.type || null };
  if (init instanceof FormData) {
    const { bytes, type } = serializeFormData(init);
    return { source: bytes, type };
  }
  if (webstreams().isReadableStream(init)) {
    if (init.locked || init[webstreams().kState].disturbed) throw new TypeError('Response body object should not be disturbed or locked');
    return { source: init, type: null };
  }
  if (init !== null && typeof init === 'object' && typeof init[Symbol.asyncIterator] === 'function') {
    const it = init[Symbol.asyncIterator]();
    const stream = new (webstreams().ReadableStream)({
      async pull(c) {
        const { value, done } = await it.next();
        if (done) c.close(); else c.enqueue(typeof value === 'string' ? encoder.encode(value) : new Uint8Array(value));
      },
    });
    return { source: stream, type: null };
  }
  return { source: encoder.encode(`${init}`), type: 'text/plain;charset=UTF-8' };
}

function bytesStream(bytes) {
  let done = false;
  return new (webstreams().ReadableStream)({
    type: 'bytes',
    pull(c) {
      if (!done && bytes.length > 0) c.enqueue(bytes);
      done = true;
      c.close();
    },
  });
}

// The body state of a Request or Response: { bytes } or { stream }, and used.
function bodyStream(self) {
  const b = self[kBody];
  if (b === null) return null;
  if (b.stream === undefined) {
    b.stream = bytesStream(b.bytes);
    b.bytes = undefined;
  }
  return b.stream;
}

function isUsed(self) {
  const b = self[kBody];
  if (b === null) return false;
  if (b.used) return true;
  return b.stream !== undefined && b.stream[webstreams().kState].disturbed === true;
}

async function consumeBytes(self) {
  const b = self[kBody];
  if (b === null) return new Uint8Array(0);
  if (isUsed(self) || (b.stream !== undefined && b.stream.locked)) {
    throw new TypeError('Body is unusable: Body has already been read');
  }
  b.used = true;
  if (b.stream === undefined) { const bytes = b.bytes; b.bytes = new Uint8Array(0); return bytes; }
  const reader = b.stream.getReader();
  const parts = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    if (!(value instanceof Uint8Array)) throw new TypeError('Received non-Uint8Array chunk');
    parts.push(value);
  }
  return concat(parts);
}

function contentType(self) {
  return self[kState].headers.get('content-type') || '';
}

const bodyMixin = {
  get body() { return bodyStream(this); },
  get bodyUsed() { return isUsed(this); },
  async arrayBuffer() { const b = await consumeBytes(this); return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength); },
  async blob() { const b = await consumeBytes(this); return new Blob([b], { type: contentType(this) }); },
  async bytes() { const b = await consumeBytes(this); return new Uint8Array(b); },
  async text() { return utf8(await consumeBytes(this)); },
  async json() { return JSON.parse(utf8(await consumeBytes(this))); },
  async formData() {
    const type = contentType(this);
    const bytes = await consumeBytes(this);
    const m = /^multipart\/form-data;.*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(type);
    if (m) return parseMultipart(bytes, m[1] || m[2]);
    if (/^application\/x-www-form-urlencoded/i.test(type)) {
      const { URLSearchParams } = require('internal/url');
      const fd = new FormData();
      for (const [k, v] of new URLSearchParams(utf8(bytes))) fd.append(k, v);
      return fd;
    }
    throw new TypeError('Content-Type was not one of "multipart/form-data" or "application/x-www-form-urlencoded".');
  },
};

function mixBody(C) {
  for (const k of Object.getOwnPropertyNames(bodyMixin)) {
    const d = Object.getOwnPropertyDescriptor(bodyMixin, k);
    d.enumerable = true;
    Object.defineProperty(C.prototype, k, d);
  }
}

function cloneBody(self) {
  const b = self[kBody];
  if (b === null) return null;
  if (isUsed(self) || (b.stream !== undefined && b.stream.locked)) throw new TypeError('Response.clone: Body has already been consumed.');
  if (b.stream === undefined) return { bytes: b.bytes.slice() };
  const [s1, s2] = b.stream.tee();
  b.stream = s1;
  return { stream: s2 };
}

// ---- Request ---------------------------------------------------------------

const kForbiddenMethods = new Set(['CONNECT', 'TRACE', 'TRACK']);
const kNormalMethods = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

function parseURL(input, what) {
  const { URL } = require('internal/url');
  try {
    return new URL(`${input}`);
  } catch (e) {
    const err = new TypeError(`Failed to parse URL from ${input}`);
    err.cause = e;
    throw err;
  }
}

class Request {
  constructor(input, init = undefined) {
    if (arguments.length < 1) throw new TypeError('Request constructor: At least 1 argument required, but only 0 present.');
    if (init !== undefined && init !== null && typeof init !== 'object') {
      throw new TypeError("Request constructor: Expected init (\"Argument 2\") to be an instance of RequestInit.");
    }
    init = init || {};
    const st = {};
    let inputBody = null;
    if (input instanceof Request) {
      const o = input[kState];
      Object.assign(st, o, { headers: new Headers(o.headers) });
      inputBody = input[kBody];
      if (inputBody !== null && isUsed(input)) throw new TypeError('Cannot construct a Request with a Request object that has already been used.');
    } else {
      const u = parseURL(input);
      if (u.username || u.password) throw new TypeError(`Request cannot be constructed from a URL that includes credentials: ${input}`);
      Object.assign(st, {
        method: 'GET', url: u.href, headers: new Headers(), redirect: 'follow', signal: undefined,
        mode: 'cors', credentials: 'same-origin', cache: 'default', referrer: 'about:client',
        referrerPolicy: '', integrity: '', keepalive: false,
      });
    }
    if (init.method !== undefined) {
      let m = `${init.method}`;
      if (!kTokenRE.test(m)) throw new TypeError(`'${m}' is not a valid HTTP method.`);
      const up = m.toUpperCase();
      if (kForbiddenMethods.has(up)) throw new TypeError(`'${m}' HTTP method is unsupported.`);
      if (kNormalMethods.has(up)) m = up;
      st.method = m;
    }
    if (init.redirect !== undefined) {
      const r = `${init.redirect}`;
      if (r !== 'follow' && r !== 'manual' && r !== 'error') {
        throw new TypeError(`Request constructor: ${r} is not an accepted type. Expected one of follow, manual, error.`);
      }
      st.redirect = r;
    }
    for (const k of ['mode', 'credentials', 'cache', 'referrerPolicy', 'integrity']) if (init[k] !== undefined) st[k] = `${init[k]}`;
    if (init.keepalive !== undefined) st.keepalive = !!init.keepalive;
    if (init.signal !== undefined && init.signal !== null) {
      const { AbortSignal } = require('internal/abort_controller');
      if (!(init.signal instanceof AbortSignal)) {
        throw new TypeError("Request constructor: Expected signal (\"RequestInit.signal\") to be an instance of AbortSignal.");
      }
      st.signal = init.signal;
    }
    // Each Request has its own signal in undici; ours follows the given one.
    const { AbortController } = require('internal/abort_controller');
    const ac = new AbortController();
    const outer = st.signal;
    if (outer) {
      if (outer.aborted) ac.abort(outer.reason);
      else outer.addEventListener('abort', () => ac.abort(outer.reason), { once: true });
    }
    st.signal = ac.signal;
    if (init.headers !== undefined) {
      st.headers = new Headers(init.headers);
    }
    this[kState] = st;
    this[kBody] = inputBody === null ? null : { ...inputBody };
    if (init.body !== undefined && init.body !== null) {
      if (st.method === 'GET' || st.method === 'HEAD') throw new TypeError('Request with GET/HEAD method cannot have body.');
      const { source, type } = extractBody(init.body);
      if (webstreams().isReadableStream(source) && init.duplex !== 'half') {
        throw new TypeError('RequestInit: duplex option is required when sending a body.');
      }
      this[kBody] = webstreams().isReadableStream(source) ? { stream: source } : { bytes: source };
      if (type !== null && !st.headers.has('content-type')) st.headers.append('content-type', type);
    } else if (inputBody !== null && input instanceof Request) {
      input[kBody].used = true;
    }
  }

  get method() { return this[kState].method; }
  get url() { return this[kState].url; }
  get headers() { return this[kState].headers; }
  get redirect() { return this[kState].redirect; }
  get signal() { return this[kState].signal; }
  get mode() { return this[kState].mode; }
  get credentials() { return this[kState].credentials; }
  get cache() { return this[kState].cache; }
  get referrer() { return this[kState].referrer; }
  get referrerPolicy() { return this[kState].referrerPolicy; }
  get integrity() { return this[kState].integrity; }
  get keepalive() { return this[kState].keepalive; }
  get destination() { return ''; }
  get isReloadNavigation() { return false; }
  get isHistoryNavigation() { return false; }
  get duplex() { return 'half'; }

  clone() {
    const r = Object.create(Request.prototype);
    r[kState] = { ...this[kState], headers: new Headers(this[kState].headers) };
    r[kBody] = cloneBody(this);
    return r;
  }
}
mixBody(Request);
const kInspect = Symbol.for('nodejs.util.inspect.custom');
function inspectAs(name, obj, depth, options) {
  if (depth < 0) return `[${name}]`;
  const opts = { ...options, depth: options.depth == null ? null : options.depth };
  return `${name} ${require('util').inspect(obj, opts)}`;
}
Request.prototype[kInspect] = function (depth, options) {
  const o = {};
  for (const k of ['method', 'url', 'headers', 'destination', 'referrer', 'referrerPolicy', 'mode', 'credentials',
    'cache', 'redirect', 'integrity', 'keepalive', 'isReloadNavigation', 'isHistoryNavigation', 'signal']) o[k] = this[k];
  return inspectAs('Request', o, depth, options);
};
Object.defineProperty(Request.prototype, kInspect, { enumerable: false });
FormData.prototype[kInspect] = function (depth, options) {
  const o = {};
  for (const [k, v] of this[kEntries]) {
    if (!Object.prototype.hasOwnProperty.call(o, k)) o[k] = v;
    else if (Array.isArray(o[k])) o[k].push(v);
    else o[k] = [o[k], v];
  }
  return inspectAs('FormData', o, depth, options);
};
Object.defineProperty(FormData.prototype, kInspect, { enumerable: false });
Object.defineProperty(Request.prototype, Symbol.toStringTag, { value: 'Request', configurable: true });

// ---- Response --------------------------------------------------------------

const kNullBodyStatus = new Set([101, 103, 204, 205, 304]);
const kRedirectStatus = new Set([301, 302, 303, 307, 308]);

function initResponse(res, init, body) {
  init = init || {};
  const status = init.status !== undefined ? Number(init.status) : 200;
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    throw new RangeError('init["status"] must be in the range of 200 to 599, inclusive.');
  }
  const statusText = init.statusText !== undefined ? `${init.statusText}` : '';
  if (/[^\t\x20-\x7e\x80-\xff]/.test(statusText)) throw new TypeError('Invalid statusText');
  const headers = new Headers(init.headers !== undefined ? init.headers : undefined);
  res[kState] = { status, statusText, headers, type: 'default', url: '', redirected: false, urlList: [] };
  res[kBody] = null;
  if (body !== null && body !== undefined) {
    if (kNullBodyStatus.has(status)) throw new TypeError('Response constructor: Invalid response status code ' + status);
    const { source, type } = extractBody(body);
    res[kBody] = webstreams().isReadableStream(source) ? { stream: source } : { bytes: source };
    if (type !== null && !headers.has('content-type')) headers.append('content-type', type);
  }
}

class Response {
  constructor(body = null, init = undefined) {
    if (init !== undefined && init !== null && typeof init !== 'object') {
      throw new TypeError("Response constructor: Expected init (\"Argument 2\") to be an instance of ResponseInit.");
    }
    initResponse(this, init, body);
  }

  static error() {
    const r = Object.create(Response.prototype);
    r[kState] = { status: 0, statusText: '', headers: new Headers(), type: 'error', url: '', redirected: false };
    r[kState].headers[kGuard] = 'immutable';
    r[kBody] = null;
    return r;
  }

  static json(data, init = undefined) {
    const text = JSON.stringify(data);
    if (text === undefined) throw new TypeError('Value is not JSON serializable');
    const r = Object.create(Response.prototype);
    initResponse(r, init, null);
    r[kBody] = { bytes: encoder.encode(text) };
    if (!r[kState].headers.has('content-type')) r[kState].headers.append('content-type', 'application/json');
    return r;
  }

  static redirect(url, status = 302) {
    const u = parseURL(url);
    status = Number(status);
    if (!kRedirectStatus.has(status)) throw new RangeError(`Invalid status code ${status}`);
    const r = Object.create(Response.prototype);
    r[kState] = { status, statusText: '', headers: new Headers({ location: u.href }), type: 'default', url: '', redirected: false };
    r[kState].headers[kGuard] = 'immutable';
    r[kBody] = null;
    return r;
  }

  get type() { return this[kState].type; }
  get url() { return this[kState].url; }
  get redirected() { return this[kState].redirected; }
  get status() { return this[kState].status; }
  get ok() { return this[kState].status >= 200 && this[kState].status <= 299; }
  get statusText() { return this[kState].statusText; }
  get headers() { return this[kState].headers; }

  clone() {
    if (isUsed(this)) throw new TypeError('Response.clone: Body has already been consumed.');
    const r = Object.create(Response.prototype);
    const h = new Headers(this[kState].headers);
    h[kGuard] = this[kState].headers[kGuard];
    r[kState] = { ...this[kState], headers: h };
    r[kBody] = cloneBody(this);
    return r;
  }
}
mixBody(Response);
Response.prototype[kInspect] = function (depth, options) {
  const o = {};
  for (const k of ['status', 'statusText', 'headers', 'body', 'bodyUsed', 'ok', 'redirected', 'type', 'url']) o[k] = this[k];
  return inspectAs('Response', o, depth, options);
};
Object.defineProperty(Response.prototype, kInspect, { enumerable: false });
Object.defineProperty(Response.prototype, Symbol.toStringTag, { value: 'Response', configurable: true });

// ---- fetch -----------------------------------------------------------------

let binding;
const pending = new Map(); // id → handler

function getBinding() {
  if (binding === undefined) {
    binding = internalBinding('fetch');
    binding.setDispatch((id, kind, a, b, c, d, e, f) => {
      const h = pending.get(id);
      if (h === undefined) return;
      switch (kind) {
        case 1: h.onHead(a, b, c, d, e); break;
        case 2: h.onChunk(a); break;
        case 3: pending.delete(id); h.onError(a, b, c, d, e, f); break;
        case 4: pending.delete(id); h.onEnd(); break;
      }
    });
  }
  return binding;
}

function networkError(message, code, errno, syscall, address, port) {
  const cause = new Error(message);
  // undici's own errors carry their class name.
  const undiciName = { UND_ERR_SOCKET: 'SocketError', UND_ERR_HEADERS_TIMEOUT: 'HeadersTimeoutError' }[code];
  if (undiciName) Object.defineProperty(cause, 'name', { value: undiciName, writable: true, configurable: true, enumerable: false });
  if (code) cause.code = code;
  if (errno) cause.errno = errno;
  if (syscall) cause.syscall = syscall;
  if (address) { cause.address = address; cause.port = port; }
  const err = new TypeError('fetch failed');
  err.cause = cause;
  return err;
}

function abortReason(signal) {
  if (signal.reason !== undefined) return signal.reason;
  const DOMException = require('internal/dom_exception');
  return new DOMException('This operation was aborted', 'AbortError');
}

const kDefaultHeaders = [
  ['accept', '*/*'], ['accept-language', '*'], ['sec-fetch-mode', 'cors'],
  ['user-agent', 'node'], ['accept-encoding', 'gzip, deflate'],
];

async function fetch(input, init = undefined) {
  if (arguments.length < 1) throw new TypeError("Failed to execute 'fetch' on 'Window': 1 argument required, but only 0 present.");
  const request = new Request(input, init);
  const st = request[kState];
  const signal = st.signal;
  if (signal.aborted) throw abortReason(signal);
  const u = new (require('internal/url').URL)(st.url);
  if (u.protocol === 'data:') return dataResponse(u);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw networkError(u.protocol === 'blob:' ? 'invalid method' : 'unknown scheme');
  }
  if (u.port === '1' || u.port === '7' || u.port === '9') throw networkError('bad port');
  let bytes;
  if (request[kBody] !== null) bytes = await consumeBytes(request);
  const headers = headerPairs(st.headers);
  for (const [k, v] of kDefaultHeaders) if (!st.headers.has(k)) headers.push(k, v);
  const b = getBinding();
  return new Promise((resolve, reject) => {
    let response = null;
    let controller = null;
    let waiter = null;
    const wake = () => { const w = waiter; waiter = null; if (w) w(); };
    let finished = false;
    const id = b.request(st.method, st.url, headers, bytes, st.redirect, process.env.NODE_TLS_REJECT_UNAUTHORIZED === '0');
    const onAbort = () => {
      if (finished) return;
      finished = true;
      pending.delete(id);
      b.abort(id);
      const reason = abortReason(signal);
      if (controller !== null) { try { controller.error(reason); } catch { /* closed */ } }
      else reject(reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const done = () => { finished = true; signal.removeEventListener('abort', onAbort); };
    pending.set(id, {
      onHead(status, statusText, flat, url, redirected) {
        const h = new Headers();
        for (let i = 0; i + 1 < flat.length; i += 2) {
          const e = h[kHeaders].get(flat[i]);
          if (e === undefined) h[kHeaders].set(flat[i], { name: flat[i], values: [flat[i + 1]] });
          else e.values.push(flat[i + 1]);
        }
        h[kGuard] = 'immutable';
        response = Object.create(Response.prototype);
        response[kState] = { status, statusText, headers: h, type: 'basic', url, redirected };
        if (st.method === 'HEAD' || kNullBodyStatus.has(status)) {
          response[kBody] = null;
          pending.delete(id);
          b.abort(id);
          done();
        } else {
          const stream = new (webstreams().ReadableStream)({
            start(c) { controller = c; },
            pull() {
              return new Promise((res) => {
                waiter = res;
                if (!b.read(id)) { waiter = null; res(); }
              });
            },
            cancel() {
              pending.delete(id);
              b.abort(id);
              done();
            },
          }, { highWaterMark: 0 });
          const src = stream;
          response[kBody] = { stream: src };
        }
        resolve(response);
      },
      onChunk(chunk) {
        controller.enqueue(chunk);
        wake();
      },
      onEnd() {
        done();
        if (controller !== null) controller.close();
        wake();
      },
      onError(message, code, errno, syscall, address, port) {
        done();
        if (code === 'ABORT_ERR') return;
        const err = networkError(message, code, errno, syscall, address, port);
        if (controller !== null) {
          const t = new TypeError('terminated');
          t.cause = err.cause;
          controller.error(t);
          wake();
        } else reject(err);
      },
    });
  });
}

function dataResponse(u) {
  const href = u.href;
  const comma = href.indexOf(',');
  if (comma < 0) throw networkError('invalid data: URL');
  let meta = href.slice(5, comma);
  const data = href.slice(comma + 1);
  const base64 = /;\s*base64\s*$/i.test(meta);
  if (base64) meta = meta.replace(/;\s*base64\s*$/i, '');
  let bytes;
  if (base64) {
    const bin = atob(decodeURIComponent(data).replace(/\s+/g, ''));
    bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } else {
    const { Buffer } = require('buffer');
    bytes = new Uint8Array(Buffer.from(decodeURIComponent(data), 'latin1'));
  }
  const type = meta.trim() || 'text/plain;charset=US-ASCII';
  const r = Object.create(Response.prototype);
  r[kState] = { status: 200, statusText: 'OK', headers: new Headers({ 'content-type': type.startsWith(';') ? 'text/plain' + type : type }), type: 'basic', url: href, redirected: false };
  r[kState].headers[kGuard] = 'immutable';
  r[kBody] = { bytes };
  return r;
}

// install defines the globals as Node's bootstrap does: writable,
// configurable, not enumerable (fetch is enumerable in Node).
function install(g) {
  const def = (name, value, enumerable) => Object.defineProperty(g, name, { value, writable: true, configurable: true, enumerable });
  def('fetch', fetch, true);
  def('Headers', Headers, false);
  def('Request', Request, false);
  def('Response', Response, false);
  def('FormData', FormData, false);
  def('File', File, false);
}

module.exports = { fetch, Headers, Request, Response, FormData, File, install };
