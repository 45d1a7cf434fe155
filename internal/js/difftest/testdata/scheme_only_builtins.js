// test, sea and sqlite are built-ins only as node:test, node:sea and
// node:sqlite: a bare require loads the npm package of that name from
// node_modules (querystring-es3's suite requires the "test" package).
const path = require('path');
const m = require('module');
const r = m.createRequire(path.join(__dirname, 'fixtures/pkg/index.js'));
for (const id of ['test', 'sea', 'sqlite']) {
  console.log(id, r(id), m.isBuiltin(id), m.builtinModules.includes(id), path.relative(__dirname, r.resolve(id)));
}
console.log(m.isBuiltin('node:test'), r.resolve('node:test'));
import(path.join(__dirname, 'fixtures/pkg/scheme_only.mjs')).then((ns) => console.log(ns.default));
