'use strict';
// node:module and the CommonJS loader: Module, require closures per module,
// require.cache/resolve, createRequire, JSON modules, cycles, node:
// built-ins, MODULE_NOT_FOUND with requireStack, and require() of ES
// modules as Node 22 allows. Resolution and compilation are native
// (internalBinding('module'), see bindings/module.md).

const binding = internalBinding('module');
const natives = internalBinding('natives');
const permission = require('internal/permission');

function dirname(p) {
  if (p === '/') return '/';
  const i = p.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  return p.slice(0, i);
}

function nodeModulePaths(from) {
  const out = [];
  let dir = from;
  for (;;) {
    if (!dir.endsWith('/node_modules')) out.push(dir === '/' ? '/node_modules' : dir + '/node_modules');
    if (dir === '/' || dir === '.' || dir === '') break;
    dir = dirname(dir);
  }
  return out;
}

function invalidArgType(name, expected, actual) {
  let received;
  if (actual == null) received = ` Received ${actual}`;
  else if (typeof actual === 'function') received = ` Received function ${actual.name}`;
  else if (typeof actual === 'object') received = ` Received an instance of ${(actual.constructor && actual.constructor.name) || 'Object'}`;
  else {
    let s = typeof actual === 'string' ? `'${actual}'` : String(actual);
    if (s.length > 28) s = s.slice(0, 25) + '...';
    received = ` Received type ${typeof actual} (${s})`;
  }
  const e = new TypeError(`The "${name}" argument must be ${expected}.${received}`);
  e.code = 'ERR_INVALID_ARG_TYPE';
  return e;
}

const builtinIds = new Set(binding.builtinModules);
// Built-ins gnode cannot provide (wasi: no WebAssembly in QuickJS), with
// the reason. They are not in builtinModules and isBuiltin() is false for
// them, but require() names the reason instead of searching node_modules.
const unavailable = binding.unavailableBuiltins;

function unavailableError(id) {
  const e = new Error(unavailable[id]);
  e.code = 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM';
  return e;
}
const schemeOnly = new Set(['test', 'test/reporters', 'sea', 'sqlite']);

function isBuiltin(id) {
  if (typeof id !== 'string') return false;
  if (id.startsWith('node:')) return builtinIds.has(id.slice(5)) || schemeOnly.has(id.slice(5));
  return builtinIds.has(id);
}

// node:sea answers for single-executable applications; a gnode program
// never is one, so it is Node's module as seen from a plain script.
let seaModule;
function sea() {
  if (seaModule) return seaModule;
  const notSea = (name) => ({
    [name](key) {
      if (typeof key !== 'string') throw invalidArgType('key', 'of type string', key);
      const e = new Error('Operation cannot be invoked when not in a single-executable application');
      e.code = 'ERR_NOT_IN_SINGLE_EXECUTABLE_APPLICATION';
      throw e;
    },
  })[name];
  seaModule = {
    isSea: function isSea() { return false; },
    getAsset: notSea('getAsset'),
    getRawAsset: notSea('getRawAsset'),
    getAssetAsBlob: notSea('getAssetAsBlob'),
  };
  return seaModule;
}

function requireBuiltin(id) {
  if (id.startsWith('node:')) id = id.slice(5);
  if (id === 'module') return Module;
  if (id === 'sea' && !natives.exists(id)) return sea();
  if (Object.hasOwn(unavailable, id)) throw unavailableError(id);
  if (natives.exists(id)) return require(id);
  if (!builtinIds.has(id) && !schemeOnly.has(id)) {
    const e = new Error(`No such built-in module: node:${id}`);
    e.code = 'ERR_UNKNOWN_BUILTIN_MODULE';
    throw e;
  }
  const e = new Error(`gnode does not implement the built-in module '${id}' yet`);
  e.code = 'ERR_NOT_IMPLEMENTED';
  throw e;
}

function Module(id = '', parent) {
  this.id = id;
  this.path = dirname(id);
  Object.defineProperty(this, 'exports', { value: {}, writable: true, enumerable: true, configurable: true });
  this.filename = null;
  this.loaded = false;
  this.children = [];
  this.paths = [];
  Object.defineProperty(this, 'parent', { value: parent, writable: true, enumerable: false, configurable: true });
  if (parent && parent.children) parent.children.push(this);
}

Module._cache = Object.create(null);
Module._pathCache = Object.create(null);
Module._extensions = Object.create(null);
Module.globalPaths = binding.globalPaths.slice();
// Module._initPaths() re-reads NODE_PATH and HOME; programs that set
// process.env.NODE_PATH at run time call it to make bare requires see the
// new folders.
Module._initPaths = function _initPaths() {
  const paths = [];
  const home = process.env.HOME;
  const nodePath = process.env.NODE_PATH;
  if (nodePath) {
    for (const p of nodePath.split(':')) if (p) paths.push(p);
  }
  if (home) paths.push(home + '/.node_modules', home + '/.node_libraries');
  paths.push(dirname(dirname(process.execPath)) + '/lib/node');
  binding.setGlobalPaths(paths);
  Module.globalPaths = paths.slice();
};
Module.builtinModules = binding.builtinModules.slice();
Module.isBuiltin = isBuiltin;
Module.wrapper = ['(function (exports, require, module, __filename, __dirname) { ', '\n});'];
Module.wrap = (script) => Module.wrapper[0] + script + Module.wrapper[1];
Module._nodeModulePaths = nodeModulePaths;
Module.syncBuiltinESMExports = function syncBuiltinESMExports() {};
Module.findSourceMap = function findSourceMap() { return undefined; };
Module.register = function register() {};
Module.enableCompileCache = function enableCompileCache() { return { status: 0 }; };
Module.getCompileCacheDir = function getCompileCacheDir() { return undefined; };
Module.constants = { compileCacheStatus: { FAILED: 0, ENABLED: 1, ALREADY_ENABLED: 2, DISABLED: 3 } };
Module.Module = Module;

Module._resolveFilename = function _resolveFilename(request, parent, isMain, options) {
  if (typeof request !== 'string') throw invalidArgType('id', 'of type string', request);
  if (isBuiltin(request)) return request;
  const parentFile = parent && parent.filename ? parent.filename : process.cwd() + '/[eval]';
  try {
    if (options && Array.isArray(options.paths)) {
      return binding.resolve(request, parentFile, false, options.paths);
    }
    return binding.resolve(request, parentFile, false);
  } catch (e) {
    if (e && e.code === 'MODULE_NOT_FOUND') {
      const requireStack = [];
      for (let c = parent; c; c = c.parent) requireStack.push(c.filename || c.id);
      let msg = `Cannot find module '${request}'`;
      if (requireStack.length) msg += '\nRequire stack:\n- ' + requireStack.join('\n- ');
      const err = new Error(msg);
      err.code = 'MODULE_NOT_FOUND';
      err.requireStack = requireStack;
      throw err;
    }
    throw e;
  }
};

// boundCaller is the module whose own require function (makeRequire) is
// calling Module._load right now. A built-in required that way is gated
// by that module's package; one reaching _load any other way
// (process.mainModule.require, Module._load, createRequire) is gated by
// the package of the calling code on the stack. unboundCreator is the
// package that compiled the calling module when the loader did not (see
// _compile): its grants bound that module's too.
let boundCaller;
let unboundCreator;

function loadBuiltin(id, parent, caller, creator) {
  const m = requireBuiltin(id);
  if (!permission.active) return m;
  if (caller !== undefined && caller === parent) return permission.gate(id, m, permission.packageOf(parent.filename));
  const g = permission.gate(id, m, permission.packageOf(permission.callerFile()));
  if (g === m && creator) return permission.gate(id, m, creator);
  return g;
}

Module._load = function _load(request, parent, isMain) {
  const caller = boundCaller;
  const creator = unboundCreator;
  boundCaller = unboundCreator = undefined;
  if (Object.hasOwn(unavailable, request)) throw unavailableError(request);
  if (request.startsWith('node:') || (isBuiltin(request) && !isMain)) return loadBuiltin(request, parent, caller, creator);
  const filename = Module._resolveFilename(request, parent, isMain);
  if (isBuiltin(filename)) return loadBuiltin(filename, parent, caller, creator);
  const cached = Module._cache[filename];
  if (cached !== undefined) {
    if (parent && parent.children && !parent.children.includes(cached)) parent.children.push(cached);
    if (!cached.loaded && cached[kESM]) {
      const e = new Error(`Cannot require() ES Module ${filename} in a cycle.`);
      e.code = 'ERR_REQUIRE_CYCLE_MODULE';
      throw e;
    }
    return cached.exports;
  }
  const module = new Module(filename, parent);
  if (isMain) {
    process.mainModule = module;
    module.id = '.';
    mainModule = module;
  }
  Module._cache[filename] = module;
  let threw = true;
  try {
    module.load(filename);
    threw = false;
  } finally {
    if (threw) {
      delete Module._cache[filename];
      if (parent && parent.children) {
        const i = parent.children.indexOf(module);
        if (i >= 0) parent.children.splice(i, 1);
      }
    }
  }
  return module.exports;
};

let mainModule;
const kESM = Symbol('esm');
// loaderCompiling is the module Module.prototype.load is loading: only
// its _compile, called by the loader (or by a hook in Module._extensions),
// gets a require bound to its file's package. Code compiled by other code
// (new Module()._compile, recompiling a cached module) may carry any file
// name, so its require is gated by the calling code on the stack and by
// the package that compiled it.
let loaderCompiling;

function findExtension(filename) {
  const base = filename.slice(filename.lastIndexOf('/') + 1);
  let i = base.indexOf('.', 1);
  while (i > 0) {
    const ext = base.slice(i);
    if (Module._extensions[ext]) return ext;
    i = base.indexOf('.', i + 1);
  }
  return '.js';
}

Module.prototype.load = function load(filename) {
  this.filename = filename;
  this.paths = nodeModulePaths(dirname(filename));
  const ext = findExtension(filename);
  // Restored, not cleared: a hook that requires something before calling
  // _compile still gets its module trusted. A consumed token (see
  // _compile) is already undefined, so nothing is re-armed.
  const outer = loaderCompiling;
  loaderCompiling = this;
  try {
    Module._extensions[ext](this, filename);
  } finally {
    loaderCompiling = outer;
  }
  this.loaded = true;
};

Module.prototype.require = function require(id) {
  if (typeof id !== 'string') throw invalidArgType('id', 'of type string', id);
  if (id === '') {
    const e = new TypeError("The argument 'id' must be a non-empty string. Received ''");
    e.code = 'ERR_INVALID_ARG_VALUE';
    throw e;
  }
  return Module._load(id, this, false);
};

Module.prototype._compile = function _compile(content, filename) {
  const fn = binding.compile(content, filename);
  // The text is compiled: let it go before the body runs (typescript's
  // 8.7 MB string otherwise stays alive through its whole run).
  content = undefined;
  const trusted = loaderCompiling === this;
  loaderCompiling = undefined;
  const creator = trusted || !permission.active ? '' : permission.packageOf(permission.callerFile());
  const require = makeRequire(this, !trusted, creator);
  return fn.call(this.exports, this.exports, require, this, filename, dirname(filename));
};

function makeRequire(mod, unbound, creator) {
  function require(id) {
    if (unbound) {
      unboundCreator = creator;
      try {
        return mod.require(id);
      } finally {
        unboundCreator = undefined;
      }
    }
    boundCaller = mod;
    try {
      return mod.require(id);
    } finally {
      boundCaller = undefined;
    }
  }
  function resolve(request, options) {
    if (typeof request !== 'string') throw invalidArgType('request', 'of type string', request);
    return Module._resolveFilename(request, mod, false, options);
  }
  resolve.paths = function paths(request) {
    if (isBuiltin(request)) return null;
    if (request.startsWith('./') || request.startsWith('../') || request === '.' || request === '..') return [mod.path];
    return nodeModulePaths(mod.path);
  };
  require.resolve = resolve;
  Object.defineProperty(require, 'main', { get() { return mainModule; }, enumerable: true, configurable: true });
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return require;
}

function loadESMSync(module, filename) {
  module[kESM] = true;
  const promise = binding.importModule(filename);
  // Run the promise jobs until evaluation settles: require(esm) works for
  // graphs without top-level await on I/O, as in Node 22.
  let state = 'pending';
  let value;
  promise.then((ns) => { state = 'fulfilled'; value = ns; }, (e) => { state = 'rejected'; value = e; });
  internalBinding('process').runMicrotasks();
  if (state === 'rejected') throw value;
  if (state === 'pending') {
    const e = new Error(`require() cannot be used on an ESM graph with top-level await. Use import() instead. To see where the top-level await comes from, use --experimental-print-required-tla.\n  From ${module.parent && module.parent.filename || 'unknown'}\n  Requiring ${filename}`);
    e.code = 'ERR_REQUIRE_ASYNC_MODULE';
    throw e;
  }
  module.exports = value;
}

function isESMFile(filename) {
  if (filename.endsWith('.mjs') || filename.endsWith('.mts')) return true;
  if (!filename.endsWith('.js') && !filename.endsWith('.ts')) return false;
  const type = binding.packageType(filename);
  if (type === 'module') return true;
  return type === '' && binding.detectModule(filename);
}

Module._extensions['.js'] = function loadJS(module, filename) {
  if (isESMFile(filename)) return loadESMSync(module, filename);
  module._compile(binding.readSource(filename), filename);
};
Module._extensions['.ts'] = Module._extensions['.js'];

Module._extensions['.cjs'] = function loadCJS(module, filename) {
  module._compile(binding.readSource(filename), filename);
};
Module._extensions['.cts'] = Module._extensions['.cjs'];

Module._extensions['.mjs'] = function loadMJS(module, filename) {
  loadESMSync(module, filename);
};
Module._extensions['.mts'] = Module._extensions['.mjs'];

Module._extensions['.json'] = function loadJSON(module, filename) {
  const content = binding.readSource(filename);
  try {
    module.exports = JSON.parse(content);
  } catch (err) {
    err.message = filename + ': ' + err.message;
    throw err;
  }
};

Module._extensions['.node'] = function loadNative(module, filename) {
  permission.checkNative(filename);
  const e = new Error(`gnode cannot load native addons (${filename}): they are compiled for V8's C++ API`);
  e.code = 'ERR_DLOPEN_FAILED';
  throw e;
};

Module.createRequire = function createRequire(filename) {
  if (typeof filename === 'object' && filename !== null && typeof filename.href === 'string') filename = filename.href;
  if (typeof filename !== 'string') throw invalidArgType('filename', 'a file URL object, file URL string, or absolute path string', filename);
  if (filename.startsWith('file://')) filename = decodeURIComponent(filename.slice(7));
  if (!filename.startsWith('/')) {
    const e = new TypeError(`The argument 'filename' must be a file URL object, file URL string, or absolute path string. Received '${filename}'`);
    e.code = 'ERR_INVALID_ARG_VALUE';
    throw e;
  }
  const proxy = filename.endsWith('/') ? filename + 'noop.js' : filename;
  const m = new Module(proxy, null);
  m.filename = proxy;
  m.paths = nodeModulePaths(dirname(proxy));
  return makeRequire(m, true);
};

// runMain loads the entry point: ES module or CommonJS by extension and
// package.json "type", as Node decides.
Module.runMain = function runMain(file) {
  let filename;
  try {
    filename = binding.resolve(file, '', false);
  } catch (e) {
    if (e && e.code === 'MODULE_NOT_FOUND') {
      const err = new Error(`Cannot find module '${file}'`);
      err.code = 'MODULE_NOT_FOUND';
      err.requireStack = [];
      throw err;
    }
    throw e;
  }
  if (isESMFile(filename)) {
    const m = new Module(filename, null);
    m.id = '.';
    m.filename = filename;
    mainModule = m;
    binding.importModule(filename).then(undefined, (err) => {
      process._onUncaughtException(err, 'uncaughtException');
    });
    return;
  }
  Module._load(filename, null, true);
};

// _evalScript runs -e / -p / stdin code as Node does: a script in the
// global scope with require, module, exports, __filename and __dirname.
Module._evalScript = function _evalScript(code) {
  if (binding.inputType === 'module' || (binding.inputType !== 'commonjs' && binding.hasModuleSyntax(code))) {
    binding.evalModule(code).then(undefined, (err) => {
      process._onUncaughtException(err, 'uncaughtException');
    });
    return undefined;
  }
  const filename = process.cwd() + '/[eval]';
  const m = new Module('[eval]', null);
  m.filename = filename;
  m.paths = nodeModulePaths(process.cwd());
  const req = makeRequire(m);
  globalThis.module = m;
  globalThis.exports = m.exports;
  globalThis.require = req;
  globalThis.__filename = '[eval]';
  globalThis.__dirname = '.';
  return binding.evalScript(code, '[eval]');
};

// _requireForImport serves the generated ES module facades: a built-in id
// or an absolute CommonJS file. "fs?gnode-package=x&gnode-token=T" is
// built-in fs as package x may use it (x = '' for importers the policy
// does not restrict), asked for by a facade gnode generated (T is the
// run's token, see bind_permission.go). Without the token the request
// comes from code calling this hook directly: the calling code on the
// stack is checked too, so naming another package gains nothing.
Module._requireForImport = function requireForImport(id) {
  const q = id.indexOf('?gnode-package=');
  if (q > 0) {
    const base = id.slice(0, q);
    let named = id.slice(q + 15);
    const t = named.indexOf('&gnode-token=');
    const fromFacade = t >= 0 && permission.isImportToken(named.slice(t + 13));
    if (t >= 0) named = named.slice(0, t);
    const m = requireBuiltin(base);
    const forNamed = permission.gate(base, m, named);
    if (fromFacade) return forNamed;
    const caller = permission.packageOf(permission.callerFile());
    if (caller === '' || caller === named) return forNamed;
    const forCaller = permission.gate(base, m, caller);
    return forCaller !== m ? forCaller : forNamed;
  }
  if (isBuiltin(id)) return loadBuiltin(id, null, undefined);
  return Module._load(id, null, false);
};
Module._requireBuiltin = function _requireBuiltin(id) {
  return loadBuiltin(id, null, undefined);
};

module.exports = Module;
