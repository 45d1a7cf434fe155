'use strict';
// harness.js loads gnode's core-module sources (internal/js/node/lib/<id>.js)
// inside real Node, so they can be compared with Node's own modules.
//
// A lib file is a CommonJS body evaluated as
//   (function (exports, require, module, internalBinding) { ... })
// exactly as the gnode runtime does. Its `require` resolves other lib ids
// (cached, cycles return partial exports) and its `internalBinding(name)`
// returns the shim in ./shims/<name>.js, which implements the native binding
// documented in lib/bindings/<name>.md on top of real Node.

const fs = require('fs');
const path = require('path');
const vm = require('vm');
const Module = require('module');

const libRoot = path.resolve(__dirname, '..', 'lib');
const shimRoot = path.join(__dirname, 'shims');

const cache = new Map();
const bindingCache = new Map();

// Public builtins whose gnode implementation does not exist yet fall back to
// Node's own module so a lib file can be tested before its dependencies are
// written. Under gnode a missing lib file is an error instead; set
// LIBTEST_STRICT=1 to get that behaviour here.
const strict = process.env.LIBTEST_STRICT === '1';

function normalizeId(id) {
  if (typeof id !== 'string' || id === '') {
    throw new TypeError(`lib id must be a non-empty string, got ${typeof id}`);
  }
  return id.startsWith('node:') ? id.slice(5) : id;
}

function libFile(id) {
  return path.join(libRoot, ...id.split('/')) + '.js';
}

function hasLib(id) {
  return fs.existsSync(libFile(normalizeId(id)));
}

function internalBinding(name) {
  if (bindingCache.has(name)) return bindingCache.get(name);
  const file = path.join(shimRoot, `${name}.js`);
  if (!fs.existsSync(file)) {
    throw new Error(`libtest: no shim for internalBinding('${name}'): ` +
      `write ${path.relative(process.cwd(), file)} (see lib/bindings/${name}.md)`);
  }
  const b = require(file);
  bindingCache.set(name, b);
  return b;
}

function loadLib(rawId) {
  const id = normalizeId(rawId);
  const cached = cache.get(id);
  if (cached) return cached.exports;
  const file = libFile(id);
  if (!fs.existsSync(file)) {
    if (!strict && !id.startsWith('internal/') && Module.isBuiltin(id)) {
      return require(id);
    }
    const err = new Error(`Cannot find gnode lib module '${id}' (${file})`);
    err.code = 'MODULE_NOT_FOUND';
    throw err;
  }
  const module = { id, exports: {}, loaded: false, filename: file };
  cache.set(id, module);
  const src = fs.readFileSync(file, 'utf8');
  const wrapper = '(function (exports, require, module, internalBinding) {' +
    src + '\n})';
  let fn;
  try {
    fn = vm.runInThisContext(wrapper, { filename: file });
  } catch (e) {
    cache.delete(id);
    throw e;
  }
  const libRequire = (dep) => loadLib(dep);
  try {
    fn.call(module.exports, module.exports, libRequire, module, internalBinding);
  } catch (e) {
    cache.delete(id);
    throw e;
  }
  module.loaded = true;
  return module.exports;
}

// resetLib forgets every loaded lib module (tests that need a fresh copy).
function resetLib() {
  cache.clear();
}

module.exports = { loadLib, resetLib, hasLib, internalBinding, libRoot };
