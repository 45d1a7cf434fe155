// node_modules lookup: main, exports with conditions and subpaths.
const path = require('path');
const r = require('module').createRequire(path.join(__dirname, 'fixtures/pkg/index.js'));
console.log(r('plain').name);
console.log(r('exp').kind, r('exp/feature').feature);
try {
  r('exp/private');
} catch (e) {
  console.log(e.code);
}
console.log(path.relative(__dirname, r.resolve('exp')));
