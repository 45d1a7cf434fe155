// ES modules: built-ins with named exports, CommonJS interop, import.meta,
// dynamic import and top-level await.
import fs, { readFileSync } from 'node:fs';
import path from 'path';
import cjs, { named } from './fixtures/cjs_lib.cjs';
import { value } from './fixtures/esm_lib.mjs';
console.log(typeof fs.readFile, typeof readFileSync, cjs.named, named, value);
console.log(path.basename(import.meta.filename), path.basename(import.meta.dirname), import.meta.url.startsWith('file:///'));
const dyn = await import('./fixtures/esm_lib.mjs');
console.log('dynamic', dyn.value, dyn.default);
await new Promise((r) => setTimeout(r, 2));
console.log('after tla');
