// node:inspector without an open inspector: url() is undefined and the
// module's shape is Node's. (Whether open() works differs: gnode has no
// inspector at all, so only its error code is checked when it throws.)
const inspector = require('inspector');
console.log(inspector.url());
console.log(typeof inspector.open, typeof inspector.close, typeof inspector.Session, typeof inspector.waitForDebugger);
console.log(inspector.console === console || typeof inspector.console.log);
const s = new inspector.Session();
console.log(typeof s.on, typeof s.post, typeof s.connect);
const ip = require('inspector/promises');
console.log(typeof ip.Session, ip.url());
console.log(require('module').isBuiltin('inspector'), require('module').isBuiltin('node:inspector/promises'));
