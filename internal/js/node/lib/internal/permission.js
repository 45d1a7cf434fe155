'use strict';
// Per-package capabilities (gnode-policy.json) in the module loader. When
// a policy applies, a package in node_modules that lacks a capability gets,
// for each core module carrying it (child_process, net/http/https/tls/
// dgram/http2/dns, fs, worker_threads/cluster), a facade whose functions
// throw ERR_GNODE_PERMISSION naming the package, the capability and how to
// grant it. Application code (outside node_modules) is not restricted by
// the policy. See docs/SECURITY.md for what this does and does not stop.

const binding = internalBinding('permission');
const policy = binding.policy;

// Intrinsics are captured before any user code runs, so a package cannot
// swap them to mislead the checks below.
const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
const ownKeys = Reflect.ownKeys;
const defineProperty = Object.defineProperty;
const create = Object.create;
const getPrototypeOf = Object.getPrototypeOf;
const isArray = Array.isArray;
const ObjectPrototype = Object.prototype;
const freeze = Object.freeze;
const apply = Reflect.apply;
const captureStackTrace = Error.captureStackTrace;
const StringPrototypeSplit = String.prototype.split;
const StringPrototypeLastIndexOf = String.prototype.lastIndexOf;
const StringPrototypeIndexOf = String.prototype.indexOf;
const StringPrototypeSlice = String.prototype.slice;
const StringPrototypeStartsWith = String.prototype.startsWith;
const ArrayPrototypeIncludes = Array.prototype.includes;
const SafeMap = Map;
const mapGet = Map.prototype.get;
const mapSet = Map.prototype.set;

const split = (s, sep) => apply(StringPrototypeSplit, s, [sep]);
const lastIndexOf = (s, x) => apply(StringPrototypeLastIndexOf, s, [x]);
const indexOf = (s, x, from) => apply(StringPrototypeIndexOf, s, [x, from]);
const slice = (s, a, b) => apply(StringPrototypeSlice, s, [a, b]);
const startsWith = (s, x) => apply(StringPrototypeStartsWith, s, [x]);
const includes = (a, x) => apply(ArrayPrototypeIncludes, a, [x]);

const active = policy !== null && policy !== undefined;
const policyFile = active ? binding.policyFile : '';
const moduleCaps = active ? binding.moduleCaps : {};

// packageOf returns the package a module file belongs to: the folder after
// the last node_modules segment (two for a scope), '' for application code.
// trust/capability.PackageOf is the same rule in Go.
function packageOf(file) {
  if (typeof file !== 'string') return '';
  if (startsWith(file, 'file://')) file = slice(file, 7);
  const i = lastIndexOf(file, '/node_modules/');
  if (i < 0) return '';
  const rest = slice(file, i + 14);
  const j = indexOf(rest, '/', 0);
  if (j <= 0) return '';
  const first = slice(rest, 0, j);
  if (first[0] === '.') return '';
  if (first[0] !== '@') return first;
  const k = indexOf(rest, '/', j + 1);
  if (k <= j + 1) return '';
  return slice(rest, 0, k);
}

function grants(pkg, cap) {
  const caps = getOwnPropertyDescriptor(policy, pkg);
  return caps !== undefined && includes(caps.value, cap);
}

// callerFile returns the file of the nearest frame on the call stack that
// is not gnode's own JavaScript (node:*). The stack is the engine's own
// text of an error the engine threw, which user code cannot format
// (Error.prepareStackTrace only sees errors built by the Error
// constructors). Only the loader's entry points that do not know their
// caller use it (see module.js); a module's own require knows its module.
function callerFile() {
  let stack;
  try {
    null.x; // eslint-disable-line no-unused-expressions
  } catch (e) {
    const d = getOwnPropertyDescriptor(e, 'stack');
    stack = d && typeof d.value === 'string' ? d.value : '';
  }
  const lines = split(stack, '\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    // "    at name (file:line:col)": the location is in the last
    // parentheses, so a function named "x (/app/a.js:1:1)" cannot pose
    // as another file.
    const open = lastIndexOf(line, '(');
    let loc = open >= 0 ? slice(line, open + 1, line.length - 1) : slice(line, indexOf(line, 'at ', 0) + 3);
    if (loc === 'native' || loc === '' || startsWith(loc, 'node:') || startsWith(loc, '<')) continue;
    if (startsWith(loc, 'file://')) loc = slice(loc, 7);
    // Drop ":line:col".
    let end = loc.length;
    for (let n = 0; n < 2; n++) {
      const c = lastIndexOf(slice(loc, 0, end), ':');
      if (c <= 0) break;
      end = c;
    }
    return slice(loc, 0, end);
  }
  return '';
}

// fsWrite lists the fs functions that change the file system (they need
// fs.write); every other fs function reads (fs.read). open, openSync and
// the FileHandle open of fs/promises decide by their flags.
const fsWrite = new Set([
  'writeFile', 'appendFile', 'mkdir', 'mkdtemp', 'rm', 'rmdir', 'unlink', 'rename', 'copyFile', 'cp',
  'symlink', 'link', 'chmod', 'lchmod', 'fchmod', 'chown', 'lchown', 'fchown', 'utimes', 'lutimes',
  'futimes', 'truncate', 'ftruncate', 'write', 'writev', 'fsync', 'fdatasync', 'createWriteStream',
  'WriteStream', 'FileWriteStream',
]);

function fsNeeds(name, args) {
  const base = name.length > 4 && slice(name, name.length - 4) === 'Sync' ? slice(name, 0, name.length - 4) : name;
  if (base === 'open') {
    const flags = args[1];
    if (flags === undefined || flags === null || flags === 'r' || flags === 'rs' || flags === 'sr' || flags === 0) return 'fs.read';
    return 'fs.write';
  }
  return fsWrite.has(base) ? 'fs.write' : 'fs.read';
}

function denied(pkg, id, what, cap) {
  const file = policyFile || 'gnode-policy.json';
  const e = new Error(
    `gnode: package "${pkg}" is not allowed to use ${what}: it needs the "${cap}" capability, ` +
    `which ${file} does not grant to "${pkg}". If "${pkg}" should have it, add "${cap}" to its ` +
    `entry in ${file}, or review the package and regenerate the policy with \`gnode policy generate\`; ` +
    `\`gnode --no-policy\` runs without the policy.`);
  e.code = 'ERR_GNODE_PERMISSION';
  e.package = pkg;
  e.capability = cap;
  e.module = id;
  return e;
}

// stub is a function standing for the core function `what`: it throws
// unless need(args) names a capability the package has (only fs's open
// depends on its arguments).
function stub(orig, id, what, pkg, need) {
  const name = typeof orig.name === 'string' ? orig.name : '';
  const f = {
    [name]: function (...args) {
      const cap = need(args);
      if (!new.target && grants(pkg, cap)) return apply(orig, this, args);
      const e = denied(pkg, id, `${what}()`, cap);
      // The stack starts at the package's call, as for a core function's
      // own errors.
      if (typeof captureStackTrace === 'function') captureStackTrace(e, f);
      throw e;
    },
  }[name];
  defineProperty(f, 'length', { value: orig.length });
  return f;
}

// missingCap returns the first capability of id that pkg lacks.
function missingCap(id, pkg) {
  const caps = moduleCaps[id];
  for (let j = 0; j < caps.length; j++) if (!grants(pkg, caps[j])) return caps[j];
  return '';
}

// facade copies the module object m for pkg, replacing the functions pkg
// may not call by stubs; nested objects (fs.promises, http.globalAgent)
// are copied the same way. It is a frozen snapshot without a prototype,
// so the real functions cannot be reached through it.
function facade(m, id, path, pkg, depth, seen) {
  // Plain objects and arrays keep their prototypes (code calls
  // hasOwnProperty or map on them); instances of other classes
  // (http.globalAgent) get none, so their methods stay out of reach.
  const proto = getPrototypeOf(m);
  const out = isArray(m) ? [] : create(proto === ObjectPrototype || typeof m === 'function' ? ObjectPrototype : null);
  mapSet.call(seen, m, out);
  const keys = ownKeys(m);
  const isFS = id === 'fs' || id === 'fs/promises';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    let v;
    try {
      v = m[k];
    } catch {
      continue;
    }
    const what = typeof k === 'symbol' ? `${path}[symbol]` : `${path}.${k}`;
    if (typeof v === 'function') {
      const key = typeof k === 'string' ? k : '';
      if (isFS && (key === 'open' || key === 'openSync')) {
        v = stub(v, id, what, pkg, (args) => fsNeeds(key, args));
      } else {
        const cap = isFS ? fsNeeds(key, []) : missingCap(id, pkg);
        if (!isFS || !grants(pkg, cap)) v = stub(v, id, what, pkg, () => cap);
      }
    } else if (v !== null && typeof v === 'object') {
      const done = mapGet.call(seen, v);
      if (done !== undefined) v = done;
      else if (depth < 3) v = facade(v, id, what, pkg, depth + 1, seen);
      else v = undefined;
    }
    if (isArray(m) && k === 'length') continue;
    const d = getOwnPropertyDescriptor(m, k);
    defineProperty(out, k, { value: v, enumerable: d ? d.enumerable : true, writable: false, configurable: false });
  }
  return freeze(out);
}

const facades = new SafeMap();

// gate returns what pkg gets for the core module id whose real exports are
// m: m itself when pkg may use everything id carries (or pkg is the
// application, ''), else pkg's facade.
function gate(id, m, pkg) {
  if (!active || pkg === '') return m;
  if (startsWith(id, 'node:')) id = slice(id, 5);
  const caps = getOwnPropertyDescriptor(moduleCaps, id);
  if (caps === undefined) return m;
  let all = true;
  for (let i = 0; i < caps.value.length; i++) if (!grants(pkg, caps.value[i])) all = false;
  if (all) return m;
  const key = pkg + '\0' + id;
  let f = mapGet.call(facades, key);
  if (f === undefined) {
    f = facade(m, id, id, pkg, 0, new SafeMap());
    mapSet.call(facades, key, f);
  }
  return f;
}

// checkNative refuses loading an addon of a package without "native".
function checkNative(filename) {
  if (!active) return;
  const pkg = packageOf(filename);
  if (pkg !== '' && !grants(pkg, 'native')) throw denied(pkg, 'module', `the native addon ${filename}`, 'native');
}

module.exports = { active, packageOf, callerFile, gate, checkNative };
