// node:sea from a plain script: not a single-executable application.
const sea = require('node:sea');
console.log(Object.keys(sea), sea.isSea(), require('node:sea') === sea);
for (const f of ['getAsset', 'getRawAsset', 'getAssetAsBlob']) {
  for (const key of ['x', 1, undefined]) {
    try {
      sea[f](key);
      console.log(f, 'returned');
    } catch (e) {
      console.log(f, e.name, e.code, e.message);
    }
  }
}
try {
  require('sea');
} catch (e) {
  console.log('bare', e.code);
}
console.log(require('module').isBuiltin('node:sea'), require('module').isBuiltin('sea'));
