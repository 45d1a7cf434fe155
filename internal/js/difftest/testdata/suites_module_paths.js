// Module.globalPaths, Module._initPaths() after changing HOME and
// NODE_PATH, and requiring a file created after a failed require.
const fs = require('fs');
const path = require('path');
const Module = require('module');

const home = path.join(process.cwd(), 'home');
// node and gnode run in the same directory, one after the other.
fs.rmSync(home, { recursive: true, force: true });
fs.rmSync(path.join(process.cwd(), 'gen.js'), { force: true });
const show = (p) => p.split(home).join('<home>').split(path.dirname(path.dirname(process.execPath))).join('<prefix>');

console.log(Module.globalPaths.length, Module.globalPaths.map((p) => show(p).replace(process.env.HOME || '\0', '<HOME>')));

fs.mkdirSync(path.join(home, '.node_modules', 'hnm'), { recursive: true });
fs.writeFileSync(path.join(home, '.node_modules', 'hnm', 'index.js'), 'module.exports = "from .node_modules";');
fs.mkdirSync(path.join(home, '.node_libraries'), { recursive: true });
fs.writeFileSync(path.join(home, '.node_libraries', 'hnl.js'), 'module.exports = "from .node_libraries";');
fs.mkdirSync(path.join(home, 'np', 'npmod'), { recursive: true });
fs.writeFileSync(path.join(home, 'np', 'npmod', 'index.js'), 'module.exports = "from NODE_PATH";');

const tryReq = (id) => {
  try {
    return require(id);
  } catch (e) {
    return e.code;
  }
};
console.log('before init:', tryReq('hnm'), tryReq('hnl'), tryReq('npmod'));
process.env.HOME = home;
process.env.NODE_PATH = ['', path.join(home, 'np'), ''].join(path.delimiter);
Module._initPaths();
console.log(Module.globalPaths.map(show));
console.log('after init:', tryReq('hnm'), tryReq('hnl'), tryReq('npmod'));
console.log(show(require.resolve('hnm')));
console.log(module.paths.some((p) => p.includes('.node_modules')));

// A miss, then the file appears.
const gen = path.join(process.cwd(), 'gen.js');
console.log(tryReq(gen));
fs.writeFileSync(gen, 'module.exports = "generated";');
console.log(tryReq(gen));
console.log(tryReq('./' + path.relative(__dirname, gen).split(path.sep).join('/')) !== undefined);
