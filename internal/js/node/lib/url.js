'use strict';
// node:url: the WHATWG URL API (internal/url.js) plus Node's legacy
// url.parse/format/resolve/resolveObject and the Url class. The legacy
// parser has no specification: its behaviour (what Node has always done)
// is reproduced here and pinned by differential tests.

const {
  URL,
  URLSearchParams,
  domainToASCII,
  domainToUnicode,
  fileURLToPath,
  pathToFileURL,
  urlToHttpOptions,
  basicParse,
  isURL,
} = require('internal/url');
const {
  codes: { ERR_INVALID_ARG_TYPE, ERR_INVALID_URL, ERR_INVALID_URI },
} = require('internal/errors');

let querystring;
function qs() {
  if (!querystring) querystring = require('querystring');
  return querystring;
}

// `new Url()` is cloned from a template when it can be (the fs binding's
// cloneShaped: one engine allocation with the template's shape and
// values) instead of twelve property additions, each a shape transition
// under the interpreter: parseurl, which Express, serve-static and
// finalhandler call on every request, makes two or three. A subclass's
// `this`, and Url.call(obj), get the fields added as usual.
// urlTemplate: undefined until first needed, null when cloning is refused.
let urlTemplate;
let cloneUrl;
function Url() {
  if (new.target === Url) {
    var t = urlTemplate;
    if (t === undefined) t = makeUrlTemplate();
    if (t !== null) return cloneUrl(t);
  }
  initUrl(this);
}

function makeUrlTemplate() {
  urlTemplate = null;
  const fsBinding = internalBinding('fs');
  const clone = fsBinding && fsBinding.cloneShaped;
  if (typeof clone !== 'function') return null;
  const t = Object.create(Url.prototype);
  initUrl(t);
  const probe = clone(t);
  if (probe === undefined || Object.getPrototypeOf(probe) !== Url.prototype ||
      Reflect.ownKeys(probe).join() !== Reflect.ownKeys(t).join() || !Object.values(probe).every((v) => v === null)) {
    return null;
  }
  cloneUrl = clone;
  urlTemplate = t;
  return t;
}

function initUrl(self) {
  self.protocol = null;
  self.slashes = null;
  self.auth = null;
  self.host = null;
  self.port = null;
  self.hostname = null;
  self.hash = null;
  self.search = null;
  self.query = null;
  self.pathname = null;
  self.path = null;
  self.href = null;
}

// Protocols that never have a host / that always get '//'.
const hostlessProtocol = new Set(['javascript', 'javascript:']);
const slashedProtocol = new Set(['http', 'http:', 'https', 'https:', 'ftp', 'ftp:', 'gopher', 'gopher:',
  'file', 'file:', 'ws', 'ws:', 'wss', 'wss:']);
const unsafeProtocol = new Set(['javascript', 'javascript:']);

const protocolPattern = /^[a-z0-9.+-]+:/i;
const portPattern = /:[0-9]*$/;
const hostPattern = /^\/\/[^@/]+@[^@/]+/;
const simplePathPattern = /^(\/\/?(?!\/)[^?\s]*)(\?[^\s]*)?$/;
const forbiddenHostChars = /[\0\t\n\r #%/:<>?@[\\\]^|]/;
const forbiddenHostCharsIpv6 = /[\0\t\n\r #%/<>?@\\^|]/;
const hostnameMaxLen = 255;
// Url#parse scans with these instead of per-character loops (and calls
// exec: test and search cost more on QuickJS).
const wsRe = /[\x00-\x20\xa0\ufeff]/;
const backslashRe = /\\/g;
const hostEndRe = /[#/?]/;
const tabNewlineRe = /[\t\n\r]/;
const tabNewlineGlobalRe = /[\t\n\r]/g;
const nonHostRe = /[\t\n\r "%';<>\\^`{|}#/?]/g;
const hostnameEndRe = /[/\\#?:]/;
const nonAsciiRe = /[^\x00-\x7f]/;
const plainAuthRe = /^[!'()*\-.0-9:A-Z_a-z~]*$/;

// Characters escaped in the path/query/hash part even though
// encodeURIComponent would leave some of them alone.
const autoEscape = {
  '\t': '%09', '\n': '%0A', '\r': '%0D', ' ': '%20', '"': '%22', "'": '%27', '<': '%3C', '>': '%3E',
  '\\': '%5C', '^': '%5E', '`': '%60', '{': '%7B', '|': '%7C', '}': '%7D',
};
const autoEscapeRe = /[\t\n\r "'<>\\^`{|}]/g;
const autoEscapeTestRe = /[\t\n\r "'<>\\^`{|}]/;

// Go parses the common inputs and builds the Url object in one call
// (internalBinding('url').legacyParse, whatwgurl.LegacyParse); it declines
// (undefined) what only the JavaScript below handles. Absent under
// libtest's shim.
const nativeLegacyParse = internalBinding('url').legacyParse;
const UrlPrototype = Url.prototype;

function urlParse(url, parseQueryString, slashesDenoteHost) {
  if (url instanceof Url) return url;
  if (nativeLegacyParse !== undefined && typeof url === 'string') {
    const u = nativeLegacyParse(url, slashesDenoteHost, UrlPrototype);
    if (u !== undefined) {
      // querystring.parse is looked up now, as Url#parse does.
      if (parseQueryString) u.query = typeof u.query === 'string' ? qs().parse(u.query) : { __proto__: null };
      return u;
    }
  }
  const u = new Url();
  u.parse(url, parseQueryString, slashesDenoteHost);
  return u;
}

function isIpv6Hostname(hostname) {
  return hostname.charCodeAt(0) === 0x5b && hostname.charCodeAt(hostname.length - 1) === 0x5d;
}

Url.prototype.parse = function parse(url, parseQueryString, slashesDenoteHost) {
  if (typeof url !== 'string') throw new ERR_INVALID_ARG_TYPE('url', 'string', url);

  // Trim surrounding whitespace and turn backslashes before the first ?/#
  // into slashes. Native string searches do it for the common input with
  // no whitespace at all (a per-character loop costs ~0.4 µs a character
  // on the interpreter); anything else takes the loop.
  let hasHash = false;
  let hasAt = false;
  let rest = '';
  if (wsRe.exec(url) === null) {
    const q = url.indexOf('?');
    const h = url.indexOf('#');
    const split = q === -1 ? h : h === -1 || q < h ? q : h;
    const head = split === -1 ? url : url.slice(0, split);
    hasAt = head.includes('@');
    hasHash = split !== -1 && url.includes('#', split);
    rest = head.includes('\\') ? head.replace(backslashRe, '/') + (split === -1 ? '' : url.slice(split)) : url;
  } else {
    let start = -1;
    let end = -1;
    let lastPos = 0;
    for (let i = 0, inWs = false, split = false; i < url.length; ++i) {
      const code = url.charCodeAt(i);
      const isWs = code < 33 || code === 0xa0 || code === 0xfeff;
      if (start === -1) {
        if (isWs) continue;
        lastPos = start = i;
      } else if (inWs) {
        if (!isWs) {
          end = -1;
          inWs = false;
        }
      } else if (isWs) {
        end = i;
        inWs = true;
      }
      if (!split) {
        if (code === 0x40) {
          hasAt = true;
        } else if (code === 0x23) {
          hasHash = true;
          split = true;
        } else if (code === 0x3f) {
          split = true;
        } else if (code === 0x5c) {
          if (i - lastPos > 0) rest += url.slice(lastPos, i);
          rest += '/';
          lastPos = i + 1;
        }
      } else if (!hasHash && code === 0x23) {
        hasHash = true;
      }
    }
    if (start !== -1) {
      if (lastPos === start) {
        if (end === -1) rest = start === 0 ? url : url.slice(start);
        else rest = url.slice(start, end);
      } else if (end === -1 && lastPos < url.length) {
        rest += url.slice(lastPos);
      } else if (end !== -1 && lastPos < end) {
        rest += url.slice(lastPos, end);
      }
    }
  }

  if (!slashesDenoteHost && !hasHash && !hasAt) {
    const simplePath = simplePathPattern.exec(rest);
    if (simplePath) {
      this.path = rest;
      this.href = rest;
      this.pathname = simplePath[1];
      if (simplePath[2]) {
        this.search = simplePath[2];
        this.query = parseQueryString ? qs().parse(this.search.slice(1)) : this.search.slice(1);
      } else if (parseQueryString) {
        this.search = null;
        this.query = { __proto__: null };
      }
      return this;
    }
  }

  let proto = protocolPattern.exec(rest);
  let lowerProto;
  if (proto) {
    proto = proto[0];
    lowerProto = proto.toLowerCase();
    this.protocol = lowerProto;
    rest = rest.slice(proto.length);
  }

  let slashes;
  if (slashesDenoteHost || proto || hostPattern.test(rest)) {
    slashes = rest.charCodeAt(0) === 0x2f && rest.charCodeAt(1) === 0x2f;
    if (slashes && !(proto && hostlessProtocol.has(lowerProto))) {
      rest = rest.slice(2);
      this.slashes = true;
    }
  }

  if (!hostlessProtocol.has(lowerProto) && (slashes || (proto && !slashedProtocol.has(proto)))) {
    // The host ends at the first of / ? #; the last '@' before it ends the
    // auth, and the host part stops at the first character after that
    // '@' that cannot be in a host (nonHostRe, which includes / ? #).
    let hostEndMatch = hostEndRe.exec(rest);
    let hostEnd = hostEndMatch === null ? -1 : hostEndMatch.index;
    // Tabs and newlines before the host's end are dropped (as the WHATWG
    // parser drops them everywhere); after it they are escaped below.
    if (tabNewlineRe.exec(hostEnd === -1 ? rest : rest.slice(0, hostEnd)) !== null) {
      rest = hostEnd === -1 ? rest.replace(tabNewlineGlobalRe, '')
        : rest.slice(0, hostEnd).replace(tabNewlineGlobalRe, '') + rest.slice(hostEnd);
      hostEndMatch = hostEndRe.exec(rest);
      hostEnd = hostEndMatch === null ? -1 : hostEndMatch.index;
    }
    const atSign = hostEnd === -1 ? rest.lastIndexOf('@') : hostEnd === 0 ? -1 : rest.lastIndexOf('@', hostEnd - 1);
    nonHostRe.lastIndex = atSign + 1;
    const nonHostMatch = nonHostRe.exec(rest);
    const nonHost = nonHostMatch === null ? -1 : nonHostMatch.index;
    let hostStart = 0;
    if (atSign !== -1) {
      this.auth = decodeAuth(rest.slice(0, atSign));
      hostStart = atSign + 1;
    }
    if (nonHost === -1) {
      this.host = rest.slice(hostStart);
      rest = '';
    } else {
      this.host = rest.slice(hostStart, nonHost);
      rest = rest.slice(nonHost);
    }
    this.parseHost();
    if (typeof this.hostname !== 'string') this.hostname = '';
    const hostname = this.hostname;
    const ipv6Hostname = isIpv6Hostname(hostname);
    if (!ipv6Hostname) rest = splitHostname(this, rest, hostname, url);
    if (this.hostname.length > hostnameMaxLen) this.hostname = '';
    else this.hostname = this.hostname.toLowerCase();
    if (this.hostname !== '') {
      if (ipv6Hostname) {
        if (forbiddenHostCharsIpv6.test(this.hostname)) throw new ERR_INVALID_URL(url);
      } else {
        this.hostname = legacyToASCII(this.hostname, url);
        if (forbiddenHostChars.exec(this.hostname) !== null) throw new ERR_INVALID_URL(url);
      }
    }
    const p = this.port ? ':' + this.port : '';
    const h = this.hostname || '';
    this.host = h + p;
    if (ipv6Hostname) {
      this.hostname = this.hostname.slice(1, -1);
      if (rest[0] !== '/') rest = '/' + rest;
    }
  }

  // exec first: a global replace costs ~10x a failed exec on QuickJS even
  // when nothing matches.
  if (!unsafeProtocol.has(lowerProto) && autoEscapeTestRe.exec(rest) !== null) {
    rest = rest.replace(autoEscapeRe, (ch) => autoEscape[ch]);
  }

  const hashIdx = rest.indexOf('#');
  let questionIdx = rest.indexOf('?');
  if (hashIdx !== -1) {
    this.hash = rest.slice(hashIdx);
    if (questionIdx > hashIdx) questionIdx = -1;
  }
  if (questionIdx !== -1) {
    if (hashIdx === -1) {
      this.search = rest.slice(questionIdx);
      this.query = rest.slice(questionIdx + 1);
    } else {
      this.search = rest.slice(questionIdx, hashIdx);
      this.query = rest.slice(questionIdx + 1, hashIdx);
    }
    if (parseQueryString) this.query = qs().parse(this.query);
  } else if (parseQueryString) {
    this.search = null;
    this.query = { __proto__: null };
  }
  const useQuestionIdx = questionIdx !== -1 && (hashIdx === -1 || questionIdx < hashIdx);
  const firstIdx = useQuestionIdx ? questionIdx : hashIdx;
  if (firstIdx === -1) {
    if (rest.length > 0) this.pathname = rest;
  } else if (firstIdx > 0) {
    this.pathname = rest.slice(0, firstIdx);
  }
  if (slashedProtocol.has(lowerProto) && this.hostname && !this.pathname) this.pathname = '/';
  if (this.pathname || this.search) this.path = (this.pathname || '') + (this.search || '');
  this.href = this.format();
  return this;
};

// decodeAuth is decodeURIComponent with V8's message for malformed input
// (the engine's own message differs).
function decodeAuth(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new URIError('URI malformed');
  }
}

// A hostname ends at a character that cannot be in one; the rest moves to
// the path. A ':' there is a port that is not a number: node 20 warns
// (DEP0170, once per process) and goes on.
let warnedInvalidPort = false;
function splitHostname(self, rest, hostname, url) {
  const m = hostnameEndRe.exec(hostname);
  if (m === null) return rest;
  const i = m.index;
  if (!warnedInvalidPort && hostname.charCodeAt(i) === 0x3a) {
    warnedInvalidPort = true;
    process.emitWarning(`The URL ${url} is invalid. Future versions of Node.js will throw an error.`,
      'DeprecationWarning', 'DEP0170');
  }
  self.hostname = hostname.slice(0, i);
  return `/${hostname.slice(i)}${rest}`;
}

// IDNA for legacy hostnames; a name IDNA rejects makes the URL invalid.
function legacyToASCII(hostname, url) {
  // hostname is lower case here: includes() rules out most names before
  // the regular expressions run.
  if (!hostname.includes('xn--') && nonAsciiRe.exec(hostname) === null) return hostname;
  if (!nonAsciiRe.test(hostname) && !/(^|\.)xn--/.test(hostname)) return hostname;
  const r = domainToASCII(hostname);
  if (r === '') throw new ERR_INVALID_URL(url);
  return r;
}

Url.prototype.parseHost = function parseHost() {
  let host = this.host;
  let port = portPattern.exec(host);
  if (port) {
    port = port[0];
    if (port !== ':') this.port = port.slice(1);
    host = host.slice(0, host.length - port.length);
  }
  if (host) this.hostname = host;
};

// Characters left as they are in the auth part of format().
const noEscapeAuth = new Int8Array(128);
for (const ch of "!'()*-.0123456789:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~") {
  noEscapeAuth[ch.charCodeAt(0)] = 1;
}

function encodeAuth(str) {
  if (plainAuthRe.exec(str) !== null) return str;
  let out = '';
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    if (c < 0x80 && noEscapeAuth[c] === 1) {
      out += str[i];
      continue;
    }
    let cp = c;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = str.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) throw new ERR_INVALID_URI();
      cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      throw new ERR_INVALID_URI();
    }
    out += encodeURIComponent(String.fromCodePoint(cp)).replace(/[!'()*]/g, (x) => '%' + x.charCodeAt(0).toString(16).toUpperCase());
  }
  return out;
}

Url.prototype.format = function format() {
  let auth = this.auth || '';
  if (auth) {
    auth = encodeAuth(auth);
    auth += '@';
  }
  let protocol = this.protocol || '';
  let pathname = this.pathname || '';
  let hash = this.hash || '';
  let host = '';
  let query = '';
  if (this.host) {
    host = auth + this.host;
  } else if (this.hostname) {
    host = auth + (this.hostname.includes(':') && !isIpv6Hostname(this.hostname)
      ? '[' + this.hostname + ']' : this.hostname);
    if (this.port) host += ':' + this.port;
  }
  if (this.query !== null && typeof this.query === 'object') query = qs().stringify(this.query);
  let search = this.search || (query && ('?' + query)) || '';
  if (protocol && protocol.charCodeAt(protocol.length - 1) !== 0x3a) protocol += ':';
  if (pathname.includes('#') || pathname.includes('?')) {
    pathname = pathname.replace(/[#?]/g, (ch) => (ch === '#' ? '%23' : '%3F'));
  }
  if (this.slashes || slashedProtocol.has(protocol)) {
    if (this.slashes || host) {
      if (pathname && pathname.charCodeAt(0) !== 0x2f) pathname = '/' + pathname;
      host = '//' + host;
    } else if (protocol.length >= 4 && protocol.startsWith('file')) {
      host = '//';
    }
  }
  if (search.includes('#')) search = search.replace(/#/g, '%23');
  if (hash && hash.charCodeAt(0) !== 0x23) hash = '#' + hash;
  if (search && search.charCodeAt(0) !== 0x3f) search = '?' + search;
  return protocol + host + pathname + search + hash;
};

function urlFormat(urlObject, options) {
  if (typeof urlObject === 'string') {
    urlObject = urlParse(urlObject);
  } else if (typeof urlObject !== 'object' || urlObject === null) {
    throw new ERR_INVALID_ARG_TYPE('urlObject', ['Object', 'string'], urlObject);
  } else if (urlObject instanceof URL) {
    let fragment = true;
    let unicode = false;
    let search = true;
    let auth = true;
    if (options) {
      if (typeof options !== 'object') throw new ERR_INVALID_ARG_TYPE('options', 'Object', options);
      if (options.fragment != null) fragment = Boolean(options.fragment);
      if (options.unicode != null) unicode = Boolean(options.unicode);
      if (options.search != null) search = Boolean(options.search);
      if (options.auth != null) auth = Boolean(options.auth);
    }
    return formatWHATWG(urlObject, fragment, unicode, search, auth);
  }
  return Url.prototype.format.call(urlObject);
}

function formatWHATWG(u, fragment, unicode, search, auth) {
  let out = u.protocol;
  if (u.host !== '' || u.href.startsWith(u.protocol + '//')) {
    out += '//';
    if (auth && (u.username || u.password)) {
      out += u.username;
      if (u.password) out += ':' + u.password;
      out += '@';
    }
    out += unicode ? domainToUnicode(u.hostname) || u.hostname : u.hostname;
    if (u.port) out += ':' + u.port;
  }
  out += u.pathname;
  if (search && u.search) out += u.search;
  else if (search && u.href.includes('?') && u.search === '' && !u.href.slice(0, u.href.indexOf('#') >>> 0).endsWith(u.pathname)) out += '?';
  if (fragment && u.hash) out += u.hash;
  else if (fragment && u.href.endsWith('#')) out += '#';
  return out;
}

function urlResolve(source, relative) {
  return urlParse(source, false, true).resolve(relative);
}

Url.prototype.resolve = function resolve(relative) {
  return this.resolveObject(urlParse(relative, false, true)).format();
};

function urlResolveObject(source, relative) {
  if (!source) return relative;
  return urlParse(source, false, true).resolveObject(relative);
}

Url.prototype.resolveObject = function resolveObject(relative) {
  if (typeof relative === 'string') {
    const rel = new Url();
    rel.parse(relative, false, true);
    relative = rel;
  }
  const result = new Url();
  for (const k of Object.keys(this)) result[k] = this[k];
  result.hash = relative.hash;
  if (relative.href === '') {
    result.href = result.format();
    return result;
  }

  // '//host/path' keeps only the protocol of the base.
  if (relative.slashes && !relative.protocol) {
    for (const k of Object.keys(relative)) {
      if (k !== 'protocol') result[k] = relative[k];
    }
    if (slashedProtocol.has(result.protocol) && result.hostname && !result.pathname) {
      result.path = result.pathname = '/';
    }
    result.href = result.format();
    return result;
  }

  if (relative.protocol && relative.protocol !== result.protocol) {
    if (!slashedProtocol.has(relative.protocol)) {
      for (const k of Object.keys(relative)) result[k] = relative[k];
      result.href = result.format();
      return result;
    }
    result.protocol = relative.protocol;
    if (!relative.host && !/^file:?$/.test(relative.protocol) && !hostlessProtocol.has(relative.protocol)) {
      // 'http:path' takes its host from the first path segment.
      const relPath = (relative.pathname || '').split('/');
      while (relPath.length && !(relative.host = relPath.shift()));
      if (!relative.host) relative.host = '';
      if (!relative.hostname) relative.hostname = '';
      if (relPath[0] !== '') relPath.unshift('');
      if (relPath.length < 2) relPath.unshift('');
      result.pathname = relPath.join('/');
    } else {
      result.pathname = relative.pathname;
    }
    result.search = relative.search;
    result.query = relative.query;
    result.host = relative.host || '';
    result.auth = relative.auth;
    result.hostname = relative.hostname || relative.host;
    result.port = relative.port;
    if (result.pathname || result.search) result.path = (result.pathname || '') + (result.search || '');
    result.slashes = result.slashes || relative.slashes;
    result.href = result.format();
    return result;
  }

  const isSourceAbs = result.pathname && result.pathname.charAt(0) === '/';
  const isRelAbs = relative.host || (relative.pathname && relative.pathname.charAt(0) === '/');
  let mustEndAbs = isRelAbs || isSourceAbs || (result.host && relative.pathname);
  const removeAllDots = mustEndAbs;
  let srcPath = (result.pathname && result.pathname.split('/')) || [];
  const relPath = (relative.pathname && relative.pathname.split('/')) || [];
  const noLeadingSlashes = result.protocol && !slashedProtocol.has(result.protocol);

  // Non-slashed URLs (mailto: and the like) keep their "host" as the first
  // path segment while resolving, so ../ can climb up to it.
  if (noLeadingSlashes) {
    result.hostname = '';
    result.port = null;
    if (result.host) {
      if (srcPath[0] === '') srcPath[0] = result.host;
      else srcPath.unshift(result.host);
    }
    result.host = '';
    if (relative.protocol) {
      relative.hostname = null;
      relative.port = null;
      if (relative.host) {
        if (relPath[0] === '') relPath[0] = relative.host;
        else relPath.unshift(relative.host);
      }
      relative.host = null;
    }
    mustEndAbs = mustEndAbs && (relPath[0] === '' || srcPath[0] === '');
  }

  if (isRelAbs) {
    if (relative.host || relative.host === '') {
      if (result.host !== relative.host) result.auth = null;
      result.host = relative.host;
      result.port = relative.port;
    }
    if (relative.hostname || relative.hostname === '') {
      if (result.hostname !== relative.hostname) result.auth = null;
      result.hostname = relative.hostname;
    }
    result.search = relative.search;
    result.query = relative.query;
    srcPath = relPath;
  } else if (relPath.length) {
    srcPath.pop();
    srcPath = srcPath.concat(relPath);
    result.search = relative.search;
    result.query = relative.query;
  } else if (relative.search !== null && relative.search !== undefined) {
    if (noLeadingSlashes) {
      result.hostname = result.host = srcPath.shift();
      const authInHost = result.host && result.host.indexOf('@') > 0 ? result.host.split('@') : false;
      if (authInHost) {
        result.auth = authInHost.shift();
        result.host = result.hostname = authInHost.shift();
      }
    }
    result.search = relative.search;
    result.query = relative.query;
    if (result.pathname !== null || result.search !== null) {
      result.path = (result.pathname ? result.pathname : '') + (result.search ? result.search : '');
    }
    result.href = result.format();
    return result;
  }

  if (!srcPath.length) {
    result.pathname = null;
    result.path = result.search ? '/' + result.search : null;
    result.href = result.format();
    return result;
  }

  // A path ending in . or .. (or an empty segment) keeps a trailing slash.
  let last = srcPath.slice(-1)[0];
  const hasTrailingSlash = ((result.host || relative.host || srcPath.length > 1) &&
    (last === '.' || last === '..')) || last === '';
  let up = 0;
  for (let i = srcPath.length - 1; i >= 0; i--) {
    last = srcPath[i];
    if (last === '.') {
      srcPath.splice(i, 1);
    } else if (last === '..') {
      srcPath.splice(i, 1);
      up++;
    } else if (up) {
      srcPath.splice(i, 1);
      up--;
    }
  }
  if (!mustEndAbs && !removeAllDots) {
    while (up--) srcPath.unshift('..');
  }
  if (mustEndAbs && srcPath[0] !== '' && (!srcPath[0] || srcPath[0].charAt(0) !== '/')) srcPath.unshift('');
  if (hasTrailingSlash && srcPath.join('/').slice(-1) !== '/') srcPath.push('');
  const isAbsolute = srcPath[0] === '' || (srcPath[0] && srcPath[0].charAt(0) === '/');
  if (noLeadingSlashes) {
    result.hostname = result.host = isAbsolute ? '' : srcPath.length ? srcPath.shift() : '';
    const authInHost = result.host && result.host.indexOf('@') > 0 ? result.host.split('@') : false;
    if (authInHost) {
      result.auth = authInHost.shift();
      result.host = result.hostname = authInHost.shift();
    }
  }
  mustEndAbs = mustEndAbs || (result.host && srcPath.length);
  if (mustEndAbs && !isAbsolute) srcPath.unshift('');
  if (srcPath.length > 0) {
    result.pathname = srcPath.join('/');
  } else {
    result.pathname = null;
    result.path = null;
  }
  if (result.pathname !== null || result.search !== null) {
    result.path = (result.pathname ? result.pathname : '') + (result.search ? result.search : '');
  }
  result.auth = relative.auth || result.auth;
  result.slashes = result.slashes || relative.slashes;
  result.href = result.format();
  return result;
};

void basicParse;
void isURL;

module.exports = {
  Url,
  parse: urlParse,
  resolve: urlResolve,
  resolveObject: urlResolveObject,
  format: urlFormat,
  URL,
  URLSearchParams,
  domainToASCII,
  domainToUnicode,
  pathToFileURL,
  fileURLToPath,
  urlToHttpOptions,
};
