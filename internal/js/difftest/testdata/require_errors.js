// MODULE_NOT_FOUND shape and node: built-ins.
try {
  require('./fixtures/does-not-exist');
} catch (e) {
  console.log(e.code, e.message.split('\n')[0], Array.isArray(e.requireStack), e.requireStack.length);
}
try {
  require('no-such-package-xyz');
} catch (e) {
  console.log(e.code, e.message.split('\n')[0]);
}
console.log(require('node:fs') === require('fs'), typeof require('node:path').join);
try {
  require('node:no-such-builtin');
} catch (e) {
  console.log(e.code);
}
console.log(require('module').isBuiltin('fs'), require('module').isBuiltin('node:fs'), require('module').isBuiltin('nope'));
const { createRequire } = require('module');
const r2 = createRequire(__dirname + '/fixtures/');
console.log(r2('./data.json').name);
