const m = require('module');
const repl = require('repl');
const libs = repl._builtinLibs;
console.log(Array.isArray(libs), libs.every((x) => !x.startsWith('_')));
// every listed built-in loads (wasi is listed by node but not by gnode: see below)
const failed = m.builtinModules.filter((id) => { try { require(id); return false; } catch { return true; } });
console.log('failed', failed);
for (const id of ['dgram', 'dns/promises', 'trace_events', '_tls_common', '_tls_wrap', 'node:dgram']) console.log(id, m.isBuiltin(id), m.builtinModules.includes(id.replace('node:', '')));
const mine = m.builtinModules.filter((x) => x !== 'wasi' && x !== '_stream_wrap');
console.log(mine.length, libs.filter((x) => x !== 'wasi').length);
console.log(mine.join(' '));
console.log(libs.filter((x) => x !== 'wasi').join(' '));
