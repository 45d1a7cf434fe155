'use strict';
// path: Node's posix and win32 path functions. Both flavours are always
// available (path.posix, path.win32); the default export is the host's.

const { codes: { ERR_INVALID_ARG_TYPE } } = require('internal/errors');

const CHAR_DOT = 46;
const CHAR_FORWARD_SLASH = 47;
const CHAR_BACKWARD_SLASH = 92;
const CHAR_COLON = 58;
const CHAR_QUESTION_MARK = 63;

function validateString(value, name) {
  if (typeof value !== 'string') throw new ERR_INVALID_ARG_TYPE(name, 'string', value);
}

function validateObject(value, name) {
  if (value === null || typeof value !== 'object') {
    throw new ERR_INVALID_ARG_TYPE(name, 'Object', value);
  }
}

function isPosixSep(code) {
  return code === CHAR_FORWARD_SLASH;
}

function isWinSep(code) {
  return code === CHAR_FORWARD_SLASH || code === CHAR_BACKWARD_SLASH;
}

function isDriveLetter(code) {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

// collapse resolves '.' and '..' segments of a path without its root.
// Leading '..' segments are kept only when allowAboveRoot (relative paths).
// It splits with indexOf rather than a per-character loop: on the
// interpreter every charCodeAt is a costly step. win32 paths are first
// turned to '/' separators (segments never hold one, and the result is
// joined with sep).
function collapse(path, allowAboveRoot, sep, isSep) {
  if (isSep !== isPosixSep && path.indexOf('\\') !== -1) path = path.replace(BACKSLASHES, '/');
  let out = '';
  let depth = 0; // segments in out that are not '..'
  let segStart = 0;
  const len = path.length;
  while (segStart <= len) {
    let end = path.indexOf('/', segStart);
    if (end === -1) end = len;
    const n = end - segStart;
    if (n === 0 || (n === 1 && path.charCodeAt(segStart) === CHAR_DOT)) {
      segStart = end + 1;
      continue;
    }
    if (n === 2 && path.charCodeAt(segStart) === CHAR_DOT &&
      path.charCodeAt(segStart + 1) === CHAR_DOT) {
      if (depth > 0) {
        const cut = out.lastIndexOf(sep);
        out = cut === -1 ? '' : out.slice(0, cut);
        depth--;
      } else if (allowAboveRoot) {
        out = out.length === 0 ? '..' : `${out}${sep}..`;
      }
      segStart = end + 1;
      continue;
    }
    const seg = path.slice(segStart, end);
    out = out.length === 0 ? seg : `${out}${sep}${seg}`;
    depth++;
    segStart = end + 1;
  }
  return out;
}

const BACKSLASHES = /\\/g;

// collapsePosix is collapse for '/' paths: one split, then the segments
// are compacted in place and joined once (three native calls for the
// whole path instead of several per segment).
function collapsePosix(path, allowAboveRoot) {
  const parts = path.split('/');
  let n = 0;
  let depth = 0; // segments kept that are not '..'
  for (let i = 0; i < parts.length; i++) {
    const seg = parts[i];
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (depth > 0) {
        n--;
        depth--;
      } else if (allowAboveRoot) {
        parts[n++] = '..';
      }
      continue;
    }
    parts[n++] = seg;
    depth++;
  }
  if (n === 0) return '';
  if (n === 1) return parts[0];
  parts.length = n;
  return parts.join('/');
}

// Results of the posix functions' slow paths (paths with '.', '..' or
// repeated '/' segments), by the string collapsed: servers normalize the
// same few paths on every request. Each result is a function of its key
// alone (resolve's key already holds the working directory it used).
// Bounded: emptied when full.
const kCacheMax = 512;
const kCacheKeyMax = 1024;
const normalizeCache = new Map();
const resolveCache = new Map();

function remember(cache, key, value) {
  if (key.length <= kCacheKeyMax) {
    if (cache.size >= kCacheMax) cache.clear();
    cache.set(key, value);
  }
  return value;
}

// isNormalPosix: whether posix normalization leaves path (not empty) as it
// is: no repeated '/', no '.' or '..' segment. Built on indexOf, not a
// regex: on the interpreter one RegExp test costs several indexOf calls,
// and most paths have no '/.' at all.
function isNormalPosix(path) {
  if (path.indexOf('//') !== -1) return false;
  if (path.charCodeAt(0) === CHAR_DOT && isDotSegment(path, 0)) return false;
  for (let i = path.indexOf('/.'); i !== -1; i = path.indexOf('/.', i + 2)) {
    if (isDotSegment(path, i + 1)) return false;
  }
  return true;
}

// isResolvedPosix: whether posix.resolve(path) is path itself (absolute,
// normal, no trailing '/' unless it is the root).
function isResolvedPosix(path) {
  const last = path.length - 1;
  return last >= 0 && path.charCodeAt(0) === CHAR_FORWARD_SLASH &&
    (last === 0 || path.charCodeAt(last) !== CHAR_FORWARD_SLASH) && isNormalPosix(path);
}

// isDotSegment: whether the segment starting at i (a '.') is '.' or '..';
// sep is the separator's code.
function isDotSegment(path, i, sep = CHAR_FORWARD_SLASH) {
  const len = path.length;
  if (i + 1 === len || path.charCodeAt(i + 1) === sep) return true;
  return path.charCodeAt(i + 1) === CHAR_DOT &&
    (i + 2 === len || path.charCodeAt(i + 2) === sep);
}

// isNormalWin32: whether win32.normalize leaves path (two characters or
// more) as it is, for the common shapes only: "X:\\rest" or a path
// without any ':', with '\\' separators only, none repeated, and no '.' or
// '..' segment. Anything else (UNC roots, '/', streams) takes the full
// parse.
function isNormalWin32(path) {
  if (path.indexOf('/') !== -1 || path.indexOf('\\\\') !== -1) return false;
  let start = 0;
  const colon = path.indexOf(':');
  if (colon !== -1) {
    if (colon !== 1 || !isDriveLetter(path.charCodeAt(0)) ||
      path.charCodeAt(2) !== CHAR_BACKWARD_SLASH || path.indexOf(':', 2) !== -1) return false;
    start = 3;
  }
  if (path.charCodeAt(start) === CHAR_DOT && isDotSegment(path, start, CHAR_BACKWARD_SLASH)) {
    return false;
  }
  for (let i = path.indexOf('\\.', start); i !== -1; i = path.indexOf('\\.', i + 2)) {
    if (isDotSegment(path, i + 1, CHAR_BACKWARD_SLASH)) return false;
  }
  return true;
}

function formatPath(sep, pathObject) {
  validateObject(pathObject, 'pathObject');
  const dir = pathObject.dir || pathObject.root;
  const base = pathObject.base ||
    `${pathObject.name || ''}${formatExt(pathObject.ext)}`;
  if (!dir) return base;
  return dir === pathObject.root ? `${dir}${base}` : `${dir}${sep}${base}`;
}

function formatExt(ext) {
  return ext ? `${ext[0] === '.' ? '' : '.'}${ext}` : '';
}

function cwd() {
  return typeof process === 'object' && process && typeof process.cwd === 'function'
    ? process.cwd() : '/';
}

// ---------------------------------------------------------------------------
// posix

const posix = {
  sep: '/',
  delimiter: ':',

  resolve(...args) {
    let resolved = '';
    let absolute = false;
    for (let i = args.length - 1; i >= -1 && !absolute; i--) {
      const p = i >= 0 ? args[i] : posixCwd();
      // The name is built only on failure: a template per call is costly.
      if (typeof p !== 'string') validateString(p, `paths[${i}]`);
      if (p.length === 0) continue;
      resolved = resolved.length === 0 ? p : `${p}/${resolved}`;
      absolute = p.charCodeAt(0) === CHAR_FORWARD_SLASH;
    }
    if (absolute && isNormalPosix(resolved)) {
      // Already normal: at most one trailing '/' to drop.
      const last = resolved.length - 1;
      return last > 0 && resolved.charCodeAt(last) === CHAR_FORWARD_SLASH
        ? resolved.slice(0, last) : resolved;
    }
    const hit = resolveCache.get(resolved);
    if (hit !== void 0) return hit;
    // resolved starts with '/' exactly when absolute: the key says which.
    const out = collapsePosix(resolved, !absolute);
    if (absolute) return remember(resolveCache, resolved, `/${out}`);
    return remember(resolveCache, resolved, out.length > 0 ? out : '.');
  },

  normalize(path) {
    if (typeof path !== 'string') validateString(path, 'path');
    if (path.length === 0) return '.';
    if (isNormalPosix(path)) return path;
    const hit = normalizeCache.get(path);
    if (hit !== void 0) return hit;
    return remember(normalizeCache, path, normalizePosixSlow(path));
  },

  isAbsolute(path) {
    validateString(path, 'path');
    return path.length > 0 && path.charCodeAt(0) === CHAR_FORWARD_SLASH;
  },

  join(...args) {
    let joined = '';
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (typeof arg !== 'string') validateString(arg, 'path');
      if (arg.length > 0) joined = joined.length === 0 ? arg : `${joined}/${arg}`;
    }
    if (joined.length === 0) return '.';
    if (isNormalPosix(joined)) return joined;
    const hit = normalizeCache.get(joined);
    if (hit !== void 0) return hit;
    return remember(normalizeCache, joined, normalizePosixSlow(joined));
  },

  relative(from, to) {
    validateString(from, 'from');
    validateString(to, 'to');
    if (from === to) return '';
    if (!isResolvedPosix(from)) from = posix.resolve(from);
    if (!isResolvedPosix(to)) to = posix.resolve(to);
    if (from === to) return '';
    // Both are normal and absolute, without a trailing '/' unless root.
    // With a '/' after each, every segment ends in one: step over the
    // common segments, then climb one '..' per segment left in from.
    const f = from.length === 1 ? from : `${from}/`;
    const t = to.length === 1 ? to : `${to}/`;
    let common = 1;
    for (;;) {
      const end = f.indexOf('/', common);
      if (end === -1 || end >= t.length || t.charCodeAt(end) !== CHAR_FORWARD_SLASH ||
        !t.startsWith(f.slice(common, end), common)) break;
      common = end + 1;
    }
    let out = '';
    for (let i = f.indexOf('/', common); i !== -1; i = f.indexOf('/', i + 1)) {
      out = out.length === 0 ? '..' : `${out}/..`;
    }
    const rest = t.slice(common, t.length - 1);
    if (out.length === 0) return rest;
    return rest.length === 0 ? out : `${out}/${rest}`;
  },

  toNamespacedPath(path) {
    return path;
  },

  dirname(path) {
    if (typeof path !== 'string') validateString(path, 'path');
    if (path.length === 0) return '.';
    const i = path.lastIndexOf('/');
    if (i !== path.length - 1) {
      // No trailing '/': the directory ends at the last '/' unless a run of
      // them is there (then the slow scan below).
      if (i === -1) return '.';
      if (i === 0) return '/';
      if (path.charCodeAt(i - 1) !== CHAR_FORWARD_SLASH) return path.slice(0, i);
    }
    const hasRoot = path.charCodeAt(0) === CHAR_FORWARD_SLASH;
    let end = -1;
    let matchedSlash = true;
    for (let i = path.length - 1; i >= 1; --i) {
      if (path.charCodeAt(i) === CHAR_FORWARD_SLASH) {
        if (!matchedSlash) {
          end = i;
          break;
        }
      } else {
        matchedSlash = false;
      }
    }
    if (end === -1) return hasRoot ? '/' : '.';
    if (hasRoot && end === 1) return '//';
    return path.slice(0, end);
  },

  basename(path, suffix) {
    if (suffix !== void 0) validateString(suffix, 'suffix');
    if (typeof path !== 'string') validateString(path, 'path');
    const last = path.length - 1;
    const sl = path.lastIndexOf('/');
    if (last >= 0 && sl !== last) {
      const base = sl === -1 ? path : path.slice(sl + 1);
      if (suffix === void 0 || suffix.length === 0 || suffix.length > path.length) return base;
      if (suffix === path) return '';
      // Node strips a suffix that ends the segment but is not all of it.
      return base.length > suffix.length && base.endsWith(suffix)
        ? base.slice(0, base.length - suffix.length) : base;
    }
    return baseOf(path, 0, suffix, isPosixSep);
  },

  extname(path) {
    if (typeof path !== 'string') validateString(path, 'path');
    const last = path.length - 1;
    const sl = path.lastIndexOf('/');
    if (last >= 0 && sl !== last) {
      // The segment is path[start..]; it has an extension when its last
      // '.' has something before it in the segment, unless it is '..'.
      const start = sl + 1;
      const dot = path.lastIndexOf('.');
      if (dot <= start || (dot === last && dot === start + 1 &&
        path.charCodeAt(start) === CHAR_DOT)) return '';
      return path.slice(dot);
    }
    return extOf(path, 0, isPosixSep);
  },

  format: formatPath.bind(null, '/'),

  parse(path) {
    validateString(path, 'path');
    const last = path.length - 1;
    const sl = path.lastIndexOf('/');
    // Fast when there is no trailing '/' and the last '/' is not the root
    // (parse('/..') has Node's quirk, left to the scan below). The object
    // is built once with its final values: each later store costs a step.
    if (last >= 0 && sl !== last && sl !== 0) {
      const start = sl + 1;
      const root = path.charCodeAt(0) === CHAR_FORWARD_SLASH ? '/' : '';
      const dir = sl === -1 ? '' : path.slice(0, sl);
      const base = sl === -1 ? path : path.slice(start);
      const dot = path.lastIndexOf('.');
      if (dot <= start || (dot === last && dot === start + 1 &&
        path.charCodeAt(start) === CHAR_DOT)) {
        return { root, dir, base, ext: '', name: base };
      }
      return { root, dir, base, ext: path.slice(dot), name: path.slice(start, dot) };
    }
    const ret = { root: '', dir: '', base: '', ext: '', name: '' };
    if (path.length === 0) return ret;
    const isAbsolute = path.charCodeAt(0) === CHAR_FORWARD_SLASH;
    if (isAbsolute) ret.root = '/';
    // startPart starts at 0 even for absolute paths: Node's quirk that makes
    // parse('/..').ext '.'.
    const s = scanTail(path, isAbsolute ? 1 : 0, 0, isPosixSep);
    fillBaseNameExt(ret, path, s, s.startPart === 0 && isAbsolute ? 1 : s.startPart);
    if (s.startPart > 0) ret.dir = path.slice(0, s.startPart - 1);
    else if (isAbsolute) ret.dir = '/';
    return ret;
  },

  matchesGlob(path, pattern) {
    return matchesGlob(path, pattern, false);
  },
};

// normalizePosixSlow is posix.normalize of a non-empty path that is not
// already normal.
function normalizePosixSlow(path) {
  // './rest' and './/rest' (any number of '/') with a normal, relative
  // rest is rest: send normalizes every request's path as '.' + '/' +
  // '/file'.
  if (path.charCodeAt(0) === CHAR_DOT && path.charCodeAt(1) === CHAR_FORWARD_SLASH) {
    let i = 2;
    while (path.charCodeAt(i) === CHAR_FORWARD_SLASH) i++;
    if (i < path.length) {
      const rest = path.slice(i);
      if (isNormalPosix(rest)) return rest;
    }
  }
  const absolute = path.charCodeAt(0) === CHAR_FORWARD_SLASH;
  const trailing = path.charCodeAt(path.length - 1) === CHAR_FORWARD_SLASH;
  let out = collapsePosix(path, !absolute);
  if (out.length === 0) {
    if (absolute) return '/';
    return trailing ? './' : '.';
  }
  if (trailing) out += '/';
  return absolute ? `/${out}` : out;
}

function posixCwd() {
  const c = cwd();
  if (typeof process === 'object' && process && process.platform === 'win32') {
    // Resolve win32 cwd into a posix-looking path, as Node does.
    const p = c.replace(/\\/g, '/');
    return p.slice(p.indexOf('/'));
  }
  return c;
}

// scanTail walks path backwards from its end down to loopStart and finds
// the last segment (ignoring trailing separators) and its last dot, the way
// Node's basename/extname/parse do, quirks included:
//   end          index after the segment's last character (-1: no segment)
//   startPart    index of the segment's first character (startPartInit if
//                no separator was met)
//   startDot     index of the last '.' in the segment (-1: none)
//   preDotState  0: nothing but the dot before it, 1: only dots, -1: other
function scanTail(path, loopStart, startPartInit, isSep) {
  let startDot = -1;
  let startPart = startPartInit;
  let end = -1;
  let matchedSlash = true;
  let preDotState = 0;
  for (let i = path.length - 1; i >= loopStart; --i) {
    const code = path.charCodeAt(i);
    if (isSep(code)) {
      if (!matchedSlash) {
        startPart = i + 1;
        break;
      }
      continue;
    }
    if (end === -1) {
      matchedSlash = false;
      end = i + 1;
    }
    if (code === CHAR_DOT) {
      if (startDot === -1) startDot = i;
      else if (preDotState !== 1) preDotState = 1;
    } else if (startDot !== -1) {
      preDotState = -1;
    }
  }
  return { startDot, startPart, end, preDotState };
}

function noExt(s) {
  return s.startDot === -1 || s.preDotState === 0 ||
    (s.preDotState === 1 && s.startDot === s.end - 1 && s.startDot === s.startPart + 1);
}

function extOf(path, start, isSep) {
  const s = scanTail(path, start, start, isSep);
  if (s.end === -1 || noExt(s)) return '';
  return path.slice(s.startDot, s.end);
}

// baseOf is Node's basename scan: with a suffix it strips the suffix while
// matching it from the end, which gives Node's results for odd inputs
// ("///" with a suffix is "///").
function baseOf(path, start, suffix, isSep) {
  let begin = start;
  let end = -1;
  let matchedSlash = true;
  if (suffix !== void 0 && suffix.length > 0 && suffix.length <= path.length) {
    if (suffix === path) return '';
    let extIdx = suffix.length - 1;
    let firstNonSlashEnd = -1;
    for (let i = path.length - 1; i >= start; --i) {
      const code = path.charCodeAt(i);
      if (isSep(code)) {
        if (!matchedSlash) {
          begin = i + 1;
          break;
        }
      } else {
        if (firstNonSlashEnd === -1) {
          matchedSlash = false;
          firstNonSlashEnd = i + 1;
        }
        if (extIdx >= 0) {
          if (code === suffix.charCodeAt(extIdx)) {
            if (--extIdx === -1) end = i;
          } else {
            extIdx = -1;
            end = firstNonSlashEnd;
          }
        }
      }
    }
    if (begin === end) end = firstNonSlashEnd;
    else if (end === -1) end = path.length;
    return path.slice(begin, end);
  }
  for (let i = path.length - 1; i >= start; --i) {
    if (isSep(path.charCodeAt(i))) {
      if (!matchedSlash) {
        begin = i + 1;
        break;
      }
    } else if (end === -1) {
      matchedSlash = false;
      end = i + 1;
    }
  }
  if (end === -1) return '';
  return path.slice(begin, end);
}

function fillBaseNameExt(ret, path, s, start) {
  if (s.end === -1) return;
  if (noExt(s)) {
    ret.base = ret.name = path.slice(start, s.end);
  } else {
    ret.name = path.slice(start, s.startDot);
    ret.base = path.slice(start, s.end);
    ret.ext = path.slice(s.startDot, s.end);
  }
}

// ---------------------------------------------------------------------------
// win32

// uncRoot parses "\\server\share" at the start of path (path[0] and path[1]
// are separators). It returns { firstPart, shareStart, j } where j is the
// index after the share name, or null when path has no complete UNC root.
function uncRoot(path) {
  const len = path.length;
  let j = 2;
  let last = j;
  while (j < len && !isWinSep(path.charCodeAt(j))) j++;
  if (j >= len || j === last) return null;
  const firstPart = path.slice(last, j);
  last = j;
  while (j < len && isWinSep(path.charCodeAt(j))) j++;
  if (j >= len || j === last) return null;
  last = j;
  while (j < len && !isWinSep(path.charCodeAt(j))) j++;
  return { firstPart, shareStart: last, j };
}

// isDeviceNamespace: the \\\\.\\ and \\\\?\\ roots, which Node keeps as a
// 4-character device prefix instead of a server\share pair.
function isDeviceNamespace(u) {
  return u.firstPart === '.' || u.firstPart === '?';
}

function hasDrive(path) {
  return path.length >= 2 && isDriveLetter(path.charCodeAt(0)) &&
    path.charCodeAt(1) === CHAR_COLON;
}

// winParseRoot: the device ("C:" or "\\server\share"), where the root ends
// and whether the path is absolute, as Node's win32.resolve sees them.
function winParseRoot(path) {
  const len = path.length;
  let rootEnd = 0;
  let device = '';
  let isAbsolute = false;
  const code = path.charCodeAt(0);
  if (len === 1) {
    if (isWinSep(code)) {
      rootEnd = 1;
      isAbsolute = true;
    }
  } else if (isWinSep(code)) {
    isAbsolute = true;
    rootEnd = 1;
    if (isWinSep(path.charCodeAt(1))) {
      const u = uncRoot(path);
      if (u !== null && isDeviceNamespace(u)) {
        device = `\\\\${u.firstPart}`;
        rootEnd = 4;
      } else if (u !== null && (u.j === len || u.j !== u.shareStart)) {
        device = `\\\\${u.firstPart}\\${path.slice(u.shareStart, u.j)}`;
        rootEnd = u.j;
      } else {
        rootEnd = 1;
      }
    }
  } else if (hasDrive(path)) {
    device = path.slice(0, 2);
    rootEnd = 2;
    if (len > 2 && isWinSep(path.charCodeAt(2))) {
      isAbsolute = true;
      rootEnd = 3;
    }
  }
  return { device, rootEnd, isAbsolute };
}

// winSegStart: where the last segment of a win32 path starts (after its
// last separator, and after a drive "X:"), or -1 when the path is empty or
// ends in a separator (the full scan handles those).
function winSegStart(path) {
  const last = path.length - 1;
  if (last < 0) return -1;
  const a = path.lastIndexOf('\\');
  const b = path.lastIndexOf('/');
  const sl = a > b ? a : b;
  if (sl === last) return -1;
  if (sl === -1 && last >= 1 && path.charCodeAt(1) === CHAR_COLON &&
    isDriveLetter(path.charCodeAt(0))) return 2;
  return sl + 1;
}

const win32 = {
  sep: '\\',
  delimiter: ';',

  resolve(...args) {
    let resolvedDevice = '';
    let resolvedTail = '';
    let resolvedAbsolute = false;
    for (let i = args.length - 1; i >= -1; i--) {
      let path;
      if (i >= 0) {
        path = args[i];
        validateString(path, `paths[${i}]`);
        if (path.length === 0) continue;
      } else if (resolvedDevice.length === 0) {
        path = cwd();
      } else {
        // The per-drive cwd (Windows keeps it in the "=C:" variable); the
        // drive root when it is unknown or names another drive.
        const env = typeof process === 'object' && process && process.env ? process.env : {};
        path = env[`=${resolvedDevice}`] || cwd();
        if (path === void 0 ||
          (path.slice(0, 2).toLowerCase() !== resolvedDevice.toLowerCase() &&
            path.charCodeAt(2) === CHAR_BACKWARD_SLASH)) {
          path = `${resolvedDevice}\\`;
        }
      }
      const { device, rootEnd, isAbsolute } = winParseRoot(path);
      if (device.length > 0) {
        if (resolvedDevice.length > 0) {
          if (device.toLowerCase() !== resolvedDevice.toLowerCase()) continue;
        } else {
          resolvedDevice = device;
        }
      }
      if (resolvedAbsolute) {
        if (resolvedDevice.length > 0) break;
      } else {
        resolvedTail = `${path.slice(rootEnd)}\\${resolvedTail}`;
        resolvedAbsolute = isAbsolute;
        if (isAbsolute && resolvedDevice.length > 0) break;
      }
    }
    resolvedTail = collapse(resolvedTail, !resolvedAbsolute, '\\', isWinSep);
    return resolvedAbsolute
      ? `${resolvedDevice}\\${resolvedTail}`
      : `${resolvedDevice}${resolvedTail}` || '.';
  },

  normalize(path) {
    validateString(path, 'path');
    const len = path.length;
    if (len === 0) return '.';
    let rootEnd = 0;
    let device;
    let isAbsolute = false;
    const code = path.charCodeAt(0);
    if (len === 1) return code === CHAR_FORWARD_SLASH ? '\\' : path;
    if (isNormalWin32(path)) return path;
    if (isWinSep(code)) {
      isAbsolute = true;
      rootEnd = 1;
      if (isWinSep(path.charCodeAt(1))) {
        const u = uncRoot(path);
        if (u !== null && isDeviceNamespace(u)) {
          device = `\\\\${u.firstPart}`;
          rootEnd = 4;
        } else if (u !== null) {
          if (u.j === len) return `\\\\${u.firstPart}\\${path.slice(u.shareStart)}\\`;
          if (u.j !== u.shareStart) {
            device = `\\\\${u.firstPart}\\${path.slice(u.shareStart, u.j)}`;
            rootEnd = u.j;
          }
        }
      }
    } else if (hasDrive(path)) {
      device = path.slice(0, 2);
      rootEnd = 2;
      if (len > 2 && isWinSep(path.charCodeAt(2))) {
        isAbsolute = true;
        rootEnd = 3;
      }
    }
    let tail = rootEnd < len
      ? collapse(path.slice(rootEnd), !isAbsolute, '\\', isWinSep)
      : '';
    if (tail.length === 0 && !isAbsolute) tail = '.';
    if (tail.length > 0 && isWinSep(path.charCodeAt(len - 1))) tail += '\\';
    if (!isAbsolute && device === void 0 && path.includes(':')) {
      // A relative result must not read as a drive or stream path
      // ("a\\..\\b:" would become "b:"): Node prefixes ".\\" then.
      if (tail.length >= 2 && hasDrive(tail)) return `.\\${tail}`;
      let index = path.indexOf(':');
      do {
        if (index === len - 1 || isWinSep(path.charCodeAt(index + 1))) return `.\\${tail}`;
      } while ((index = path.indexOf(':', index + 1)) !== -1);
    }
    if (device === void 0) return isAbsolute ? `\\${tail}` : tail;
    return isAbsolute ? `${device}\\${tail}` : `${device}${tail}`;
  },

  isAbsolute(path) {
    validateString(path, 'path');
    const len = path.length;
    if (len === 0) return false;
    const code = path.charCodeAt(0);
    return isWinSep(code) ||
      (len > 2 && hasDrive(path) && isWinSep(path.charCodeAt(2)));
  },

  join(...args) {
    if (args.length === 0) return '.';
    let joined;
    let firstPart;
    for (let i = 0; i < args.length; ++i) {
      const arg = args[i];
      validateString(arg, 'path');
      if (arg.length > 0) {
        if (joined === void 0) joined = firstPart = arg;
        else joined += `\\${arg}`;
      }
    }
    if (joined === void 0) return '.';
    // join must not turn "//" + "server" into a UNC root unless the first
    // argument already was one: collapse the leading separators to one.
    let needsReplace = true;
    let slashCount = 0;
    if (isWinSep(firstPart.charCodeAt(0))) {
      ++slashCount;
      const firstLen = firstPart.length;
      if (firstLen > 1 && isWinSep(firstPart.charCodeAt(1))) {
        ++slashCount;
        if (firstLen > 2) {
          if (isWinSep(firstPart.charCodeAt(2))) ++slashCount;
          else needsReplace = false;
        }
      }
    }
    if (needsReplace) {
      while (slashCount < joined.length && isWinSep(joined.charCodeAt(slashCount))) slashCount++;
      if (slashCount >= 2) joined = `\\${joined.slice(slashCount)}`;
    }
    return win32.normalize(joined);
  },

  relative(from, to) {
    validateString(from, 'from');
    validateString(to, 'to');
    if (from === to) return '';
    const fromOrig = win32.resolve(from);
    const toOrig = win32.resolve(to);
    if (fromOrig === toOrig) return '';
    from = fromOrig.toLowerCase();
    to = toOrig.toLowerCase();
    if (from === to) return '';
    let fromStart = 0;
    while (fromStart < from.length && from.charCodeAt(fromStart) === CHAR_BACKWARD_SLASH) fromStart++;
    let fromEnd = from.length;
    while (fromEnd - 1 > fromStart && from.charCodeAt(fromEnd - 1) === CHAR_BACKWARD_SLASH) fromEnd--;
    const fromLen = fromEnd - fromStart;
    let toStart = 0;
    while (toStart < to.length && to.charCodeAt(toStart) === CHAR_BACKWARD_SLASH) toStart++;
    let toEnd = to.length;
    while (toEnd - 1 > toStart && to.charCodeAt(toEnd - 1) === CHAR_BACKWARD_SLASH) toEnd--;
    const toLen = toEnd - toStart;
    const length = fromLen < toLen ? fromLen : toLen;
    let lastCommonSep = -1;
    let i = 0;
    for (; i < length; i++) {
      const fromCode = from.charCodeAt(fromStart + i);
      if (fromCode !== to.charCodeAt(toStart + i)) break;
      else if (fromCode === CHAR_BACKWARD_SLASH) lastCommonSep = i;
    }
    if (i !== length) {
      if (lastCommonSep === -1) return toOrig;
    } else {
      if (toLen > length) {
        if (to.charCodeAt(toStart + i) === CHAR_BACKWARD_SLASH) {
          return toOrig.slice(toStart + i + 1);
        }
        if (i === 2) return toOrig.slice(toStart + i);
      }
      if (fromLen > length) {
        if (from.charCodeAt(fromStart + i) === CHAR_BACKWARD_SLASH) lastCommonSep = i;
        else if (i === 2) lastCommonSep = 3;
      }
      if (lastCommonSep === -1) lastCommonSep = 0;
    }
    let out = '';
    for (i = fromStart + lastCommonSep + 1; i <= fromEnd; ++i) {
      if (i === fromEnd || from.charCodeAt(i) === CHAR_BACKWARD_SLASH) {
        out += out.length === 0 ? '..' : '\\..';
      }
    }
    toStart += lastCommonSep;
    if (out.length > 0) return `${out}${toOrig.slice(toStart, toEnd)}`;
    if (toOrig.charCodeAt(toStart) === CHAR_BACKWARD_SLASH) ++toStart;
    return toOrig.slice(toStart, toEnd);
  },

  toNamespacedPath(path) {
    if (typeof path !== 'string' || path.length === 0) return path;
    const resolvedPath = win32.resolve(path);
    if (resolvedPath.length <= 2) return path;
    if (resolvedPath.charCodeAt(0) === CHAR_BACKWARD_SLASH) {
      if (resolvedPath.charCodeAt(1) === CHAR_BACKWARD_SLASH) {
        const code = resolvedPath.charCodeAt(2);
        if (code !== CHAR_QUESTION_MARK && code !== CHAR_DOT) {
          return `\\\\?\\UNC\\${resolvedPath.slice(2)}`;
        }
      }
    } else if (hasDrive(resolvedPath) && resolvedPath.charCodeAt(2) === CHAR_BACKWARD_SLASH) {
      return `\\\\?\\${resolvedPath}`;
    }
    return resolvedPath;
  },

  dirname(path) {
    validateString(path, 'path');
    const len = path.length;
    if (len === 0) return '.';
    let rootEnd = -1;
    let offset = 0;
    const code = path.charCodeAt(0);
    if (len === 1) return isWinSep(code) ? path : '.';
    if (isWinSep(code)) {
      rootEnd = offset = 1;
      if (isWinSep(path.charCodeAt(1))) {
        const u = uncRoot(path);
        if (u !== null) {
          if (u.j === len) return path;
          if (u.j !== u.shareStart) rootEnd = offset = u.j + 1;
        }
      }
    } else if (hasDrive(path)) {
      rootEnd = len > 2 && isWinSep(path.charCodeAt(2)) ? 3 : 2;
      offset = rootEnd;
    }
    let end = -1;
    let matchedSlash = true;
    for (let i = len - 1; i >= offset; --i) {
      if (isWinSep(path.charCodeAt(i))) {
        if (!matchedSlash) {
          end = i;
          break;
        }
      } else {
        matchedSlash = false;
      }
    }
    if (end === -1) {
      if (rootEnd === -1) return '.';
      end = rootEnd;
    }
    return path.slice(0, end);
  },

  basename(path, suffix) {
    if (suffix !== void 0) validateString(suffix, 'suffix');
    if (typeof path !== 'string') validateString(path, 'path');
    const start = winSegStart(path);
    if (start >= 0) {
      const base = path.slice(start);
      if (suffix === void 0 || suffix.length === 0 || suffix.length > path.length) return base;
      if (suffix === path) return '';
      return base.length > suffix.length && base.endsWith(suffix)
        ? base.slice(0, base.length - suffix.length) : base;
    }
    return baseOf(path, hasDrive(path) ? 2 : 0, suffix, isWinSep);
  },

  extname(path) {
    if (typeof path !== 'string') validateString(path, 'path');
    const start = winSegStart(path);
    if (start >= 0) {
      const last = path.length - 1;
      const dot = path.lastIndexOf('.');
      if (dot <= start || (dot === last && dot === start + 1 &&
        path.charCodeAt(start) === CHAR_DOT)) return '';
      return path.slice(dot);
    }
    return extOf(path, hasDrive(path) ? 2 : 0, isWinSep);
  },

  format: formatPath.bind(null, '\\'),

  parse(path) {
    validateString(path, 'path');
    const ret = { root: '', dir: '', base: '', ext: '', name: '' };
    if (path.length === 0) return ret;
    const len = path.length;
    let rootEnd = 0;
    const code = path.charCodeAt(0);
    if (len === 1) {
      if (isWinSep(code)) {
        ret.root = ret.dir = path;
        return ret;
      }
      ret.base = ret.name = path;
      return ret;
    }
    if (isWinSep(code)) {
      rootEnd = 1;
      if (isWinSep(path.charCodeAt(1))) {
        const u = uncRoot(path);
        if (u !== null) {
          if (u.j === len) rootEnd = u.j;
          else if (u.j !== u.shareStart) rootEnd = u.j + 1;
        }
      }
    } else if (hasDrive(path)) {
      if (len <= 2) {
        ret.root = ret.dir = path;
        return ret;
      }
      rootEnd = 2;
      if (isWinSep(path.charCodeAt(2))) {
        if (len === 3) {
          ret.root = ret.dir = path;
          return ret;
        }
        rootEnd = 3;
      }
    }
    if (rootEnd > 0) ret.root = path.slice(0, rootEnd);
    const s = scanTail(path, rootEnd, rootEnd, isWinSep);
    fillBaseNameExt(ret, path, s, s.startPart);
    if (s.startPart > 0 && s.startPart !== rootEnd) ret.dir = path.slice(0, s.startPart - 1);
    else ret.dir = ret.root;
    return ret;
  },

  matchesGlob(path, pattern) {
    return matchesGlob(path, pattern, true);
  },
};

// matchesGlob: Node's experimental path.matchesGlob, a minimatch-style
// matcher: * and ? within a segment, ** across segments, [...] classes,
// {a,b} alternatives, and wildcards never match a leading "." of a segment.
let globWarned = false;
function matchesGlob(path, pattern, windows) {
  validateString(path, 'path');
  validateString(pattern, 'pattern');
  if (!globWarned) {
    globWarned = true;
    if (typeof process === 'object' && process && typeof process.emitWarning === 'function') {
      process.emitWarning('glob is an experimental feature and might change at any time',
        'ExperimentalWarning');
    }
  }
  // Backslashes in patterns are separators on every platform (minimatch's
  // windowsPathsNoEscape); in paths only for win32.
  // Repeated separators count as one; a trailing one in the path is optional.
  pattern = pattern.replace(/\\/g, '/').replace(/\/{2,}/g, '/');
  if (windows) path = path.replace(/\\/g, '/');
  path = path.replace(/\/{2,}/g, '/');
  return globToRegExp(pattern).test(path);
}

function globToRegExp(glob) {
  let re = '';
  let inGroup = 0;
  let segStart = true;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    const atSegStart = segStart;
    segStart = false;
    if (c === '*') {
      if (glob[i + 1] === '*' && atSegStart &&
        (i + 2 === glob.length || glob[i + 2] === '/')) {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          re += '(?:(?!\\.)[^/]*/)*';
          segStart = true;
        } else {
          re += '(?:(?!\\.)[^/]*(?:/(?!\\.)[^/]*)*)?';
        }
      } else {
        while (glob[i + 1] === '*') i++;
        // A segment that starts with * is not empty and not a dotfile.
        re += `${atSegStart ? '(?!\\.)(?=[^/])' : ''}[^/]*`;
      }
    } else if (c === '?') {
      re += `${atSegStart ? '(?!\\.)' : ''}[^/]`;
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) {
        re += '\\[';
      } else {
        let cls = glob.slice(i + 1, end);
        if (cls[0] === '!') cls = `^${cls.slice(1)}`;
        re += `${atSegStart ? '(?!\\.)' : ''}[${cls.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '{') {
      inGroup++;
      re += '(?:';
      segStart = atSegStart;
    } else if (c === '}' && inGroup > 0) {
      inGroup--;
      re += ')';
    } else if (c === ',' && inGroup > 0) {
      re += '|';
      segStart = atSegStart;
    } else if (c === '/') {
      re += '/';
      segStart = true;
    } else {
      re += c.replace(/[.+^$()|\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}/?$`);
}

// Key order as Node's (Object.keys(path) is observable).
function ordered(obj) {
  const out = {};
  for (const k of ['resolve', 'normalize', 'isAbsolute', 'join', 'relative', 'toNamespacedPath',
    'dirname', 'basename', 'extname', 'format', 'parse', 'matchesGlob', 'sep', 'delimiter']) {
    out[k] = obj[k];
  }
  return out;
}
const posixOrdered = ordered(posix);
const win32Ordered = ordered(win32);
Object.keys(posix).forEach((k) => delete posix[k]);
Object.keys(win32).forEach((k) => delete win32[k]);
Object.assign(posix, posixOrdered);
Object.assign(win32, win32Ordered);

posix.win32 = win32.win32 = win32;
posix.posix = win32.posix = posix;
posix._makeLong = posix.toNamespacedPath;
win32._makeLong = win32.toNamespacedPath;

const isWindows = typeof process === 'object' && process && process.platform === 'win32';
module.exports = isWindows ? win32 : posix;
