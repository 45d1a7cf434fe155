// CommonJS cycles return partial exports; require.cache and resolve.
const a = require('./fixtures/cycle_a');
console.log('a.done', a.done, 'a.sawB', a.sawB);
console.log(Object.keys(require.cache).map((k) => require('path').basename(k)).sort().join(','));
console.log(require.resolve('./fixtures/cycle_b').endsWith('cycle_b.js'));
console.log(require('./fixtures/data.json').name, require('./fixtures/data').list.length);
console.log(require.main === module, module.id, typeof module.paths);
console.log(__filename.endsWith('require_cycle.js'), require('path').basename(__dirname));
