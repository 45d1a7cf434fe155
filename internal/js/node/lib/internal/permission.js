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
const ArrayPrototype = Array.prototype;
const hasOwnProperty = Object.prototype.hasOwnProperty;
const ProxyCtor = Proxy;
const PromiseReject = Promise.reject.bind(Promise);
const apply = Reflect.apply;
const captureStackTrace = Error.captureStackTrace;
const StringPrototypeSplit = String.prototype.split;
const StringPrototypeLastIndexOf = String.prototype.lastIndexOf;
const StringPrototypeIndexOf = String.prototype.indexOf;
const StringPrototypeSlice = String.prototype.slice;
const StringPrototypeStartsWith = String.prototype.startsWith;
const StringPrototypeEndsWith = String.prototype.endsWith;
const SafeMap = Map;
const pkgOfFile = new SafeMap();
const mapGet = Map.prototype.get;
const mapSet = Map.prototype.set;

const split = (s, sep) => apply(StringPrototypeSplit, s, [sep]);
const lastIndexOf = (s, x) => apply(StringPrototypeLastIndexOf, s, [x]);
const indexOf = (s, x, from) => apply(StringPrototypeIndexOf, s, [x, from]);
const slice = (s, a, b) => apply(StringPrototypeSlice, s, [a, b]);
const startsWith = (s, x) => apply(StringPrototypeStartsWith, s, [x]);
const endsWith = (s, x) => apply(StringPrototypeEndsWith, s, [x]);

const active = policy !== null && policy !== undefined;
const policyFile = active ? binding.policyFile : '';
// importToken proves a request comes from an ES module facade gnode
// generated (bind_permission.go); it never leaves this file.
const importToken = active ? binding.importToken : undefined;

function isImportToken(t) {
  return importToken !== undefined && t === importToken;
}
const moduleCaps = active ? binding.moduleCaps : {};

// packageOf returns the package a module file belongs to: the folder after
// the last node_modules segment (two for a scope), '' for application code.
// trust/capability.PackageOf is the same rule in Go.
function packageOf(file) {
  if (typeof file !== 'string') return '';
  let pkg = apply(mapGet, pkgOfFile, [file]);
  if (pkg === undefined) {
    pkg = computePackageOf(file);
    apply(mapSet, pkgOfFile, [file, pkg]);
  }
  return pkg;
}

function computePackageOf(file) {
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

// grantSets caches each package's grants as an object keyed by capability.
const grantSets = new SafeMap();

function grants(pkg, cap) {
  let set = apply(mapGet, grantSets, [pkg]);
  if (set === undefined) {
    set = create(null);
    const caps = getOwnPropertyDescriptor(policy, pkg);
    if (caps !== undefined && isArray(caps.value)) {
      for (let i = 0; i < caps.value.length; i++) set[caps.value[i]] = true;
    }
    apply(mapSet, grantSets, [pkg, set]);
  }
  return set[cap] === true;
}

// frameFile returns the file of the nearest frame on the call stack that
// is not native and not this file (nor, with skipNode, any of gnode's own
// node:* JavaScript). The stack is the engine's own text of an error the
// engine threw, which user code cannot format (Error.prepareStackTrace
// only sees errors built by the Error constructors).
function frameFile(skipNode) {
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
    if (loc === 'native' || loc === '' || startsWith(loc, '<') || startsWith(loc, 'node:internal/permission')) continue;
    if (startsWith(loc, 'node:')) {
      if (skipNode) continue;
      return loc;
    }
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

// callerFile returns the file of the nearest frame that is not gnode's own
// JavaScript. Only the loader's entry points that do not know their caller
// use it (see module.js); a module's own require knows its module.
function callerFile() {
  return frameFile(true);
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
function stub(orig, id, what, pkg, need, promises) {
  const name = typeof orig.name === 'string' ? orig.name : '';
  const f = {
    [name]: function (...args) {
      const cap = need(args);
      if (!new.target && grants(pkg, cap)) return apply(orig, this, args);
      const e = denied(pkg, id, `${what}()`, cap);
      // The stack starts at the package's call, as for a core function's
      // own errors.
      if (typeof captureStackTrace === 'function') captureStackTrace(e, f);
      // The promise APIs (fs.promises, dns/promises) reject, as they do
      // for their other errors.
      if (promises && !new.target) return PromiseReject(e);
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

// facade stands for the module object m as pkg sees it: a proxy over an
// empty target that reads m lazily, turning the functions pkg may not call
// into stubs (made on first access) and nested objects (fs.promises,
// http.globalAgent) into facades too. Plain objects and arrays keep their
// prototypes (code calls hasOwnProperty or map on them); instances of
// other classes get none, so their methods stay out of reach. Writes fail
// as on a frozen object. Nothing of m is copied up front: a facade costs
// the same whatever the size of the module.
function facade(m, id, path, pkg, depth) {
  const proto = getPrototypeOf(m);
  const arr = isArray(m);
  const exposed = arr ? ArrayPrototype : proto === ObjectPrototype ? ObjectPrototype : null;
  const target = arr ? [] : create(exposed);
  if (arr) target.length = m.length;
  const cache = new SafeMap();
  const isFS = id === 'fs' || id === 'fs/promises';
  const promises = endsWith(id, '/promises') || endsWith(path, '.promises') || indexOf(path, '.promises.', 0) >= 0;
  const own = (k) => apply(hasOwnProperty, m, [k]);
  function value(k) {
    if (!own(k)) return exposed === null ? undefined : exposed[k];
    const hit = apply(mapGet, cache, [k]);
    if (hit !== undefined) return hit.v;
    let v;
    try {
      v = m[k];
    } catch {
      v = undefined;
    }
    const what = typeof k === 'symbol' ? `${path}[symbol]` : `${path}.${k}`;
    if (typeof v === 'function') {
      const key = typeof k === 'string' ? k : '';
      if (isFS && (key === 'open' || key === 'openSync')) {
        v = stub(v, id, what, pkg, (args) => fsNeeds(key, args), promises);
      } else {
        const cap = isFS ? fsNeeds(key, []) : missingCap(id, pkg);
        if (!isFS || !grants(pkg, cap)) v = stub(v, id, what, pkg, () => cap, promises);
      }
    } else if (v !== null && typeof v === 'object') {
      v = depth < 3 ? facade(v, id, what, pkg, depth + 1) : undefined;
    }
    apply(mapSet, cache, [k, { v }]);
    return v;
  }
  return new ProxyCtor(target, {
    get: (t, k) => value(k),
    has: (t, k) => own(k) || (exposed !== null && k in exposed),
    ownKeys: () => ownKeys(m),
    getOwnPropertyDescriptor(t, k) {
      if (arr && k === 'length') return getOwnPropertyDescriptor(t, k);
      const d = getOwnPropertyDescriptor(m, k);
      if (d === undefined) return undefined;
      return { value: value(k), enumerable: d.enumerable, writable: false, configurable: true };
    },
    getPrototypeOf: () => exposed,
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
    setPrototypeOf: () => false,
    preventExtensions: () => false,
  });
}

// decided caches gate's answer per package and module: the policy and
// the core modules do not change during a run.
const decided = new SafeMap();

// gate returns what pkg gets for the core module id whose real exports are
// m: m itself when pkg may use everything id carries (or pkg is the
// application, ''), else pkg's facade.
function gate(id, m, pkg) {
  if (!active || pkg === '') return m;
  if (startsWith(id, 'node:')) id = slice(id, 5);
  const key = pkg + '\0' + id;
  let f = apply(mapGet, decided, [key]);
  if (f !== undefined) return f;
  f = m;
  const caps = getOwnPropertyDescriptor(moduleCaps, id);
  if (caps !== undefined) {
    for (let i = 0; i < caps.value.length; i++) {
      if (!grants(pkg, caps.value[i])) {
        f = facade(m, id, id, pkg, 0);
        break;
      }
    }
  }
  apply(mapSet, decided, [key, f]);
  return f;
}

// checkNative refuses loading an addon of a package without "native".
function checkNative(filename) {
  if (!active) return;
  const pkg = packageOf(filename);
  if (pkg !== '' && !grants(pkg, 'native')) throw denied(pkg, 'module', `the native addon ${filename}`, 'native');
}

// envReader returns the package whose own code is touching process.env:
// the first frame past this file's traps. When that frame is gnode's own
// JavaScript (console's colour detection, os.homedir, ...) the read is
// gnode's, made for whoever called it, and is allowed: '' is returned.
function envReader() {
  const loc = frameFile(false);
  return startsWith(loc, 'node:') ? '' : packageOf(loc);
}

function checkEnv(what) {
  const pkg = envReader();
  if (pkg !== '' && !grants(pkg, 'env')) {
    const e = denied(pkg, 'process', what, 'env');
    if (typeof captureStackTrace === 'function') captureStackTrace(e, checkEnv);
    throw e;
  }
}

// With a policy, process.env answers a package only when the policy
// grants it "env"; the application and gnode's own code read it freely.
// Each access pays one stack capture, so this is installed only when a
// policy is active.
if (active && typeof process === 'object' && process.env) {
  const inner = process.env;
  const name = (key) => (typeof key === 'string' ? `process.env.${key}` : 'process.env');
  process.env = new ProxyCtor(inner, {
    get(t, key, r) { if (typeof key === 'string') checkEnv(name(key)); return Reflect.get(t, key); },
    has(t, key) { checkEnv(name(key)); return Reflect.has(t, key); },
    ownKeys(t) { checkEnv('process.env'); return ownKeys(t); },
    getOwnPropertyDescriptor(t, key) { checkEnv(name(key)); return getOwnPropertyDescriptor(t, key); },
    set(t, key, v) { checkEnv(name(key)); return Reflect.set(t, key, v); },
    deleteProperty(t, key) { checkEnv(name(key)); return Reflect.deleteProperty(t, key); },
    defineProperty(t, key, d) { checkEnv(name(key)); return Reflect.defineProperty(t, key, d); },
  });
}

module.exports = { active, packageOf, callerFile, gate, checkNative, isImportToken };
