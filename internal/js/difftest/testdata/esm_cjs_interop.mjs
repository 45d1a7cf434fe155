// Importing CommonJS: default is module.exports, named exports detected
// statically; require() from ESM via createRequire; import() from CJS.
import { createRequire } from 'module';
import cjs, { alpha, beta } from './fixtures/interop_cjs.js';
import * as ns from './fixtures/interop_cjs.js';
const require = createRequire(import.meta.url);
console.log(alpha, beta, typeof cjs, Object.keys(ns).sort().join(','));
const loader = require('./fixtures/interop_dyn.cjs');
loader.load().then((m) => console.log('dynamic from cjs', m.value));
console.log(require('./fixtures/data.json').name);
