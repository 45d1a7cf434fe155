// Error shapes: stack header, captureStackTrace, prepareStackTrace.
const e = new Error('msg');
console.log(e.stack.split('\n')[0], e instanceof Error, e.constructor === Error);
class MyErr extends Error {
  constructor(m) { super(m); this.name = 'MyErr'; }
}
const m = new MyErr('custom');
console.log(m instanceof MyErr, m instanceof Error, String(m), m.stack.split('\n')[0]);
const o = {};
Error.captureStackTrace(o);
console.log(typeof o.stack, o.stack.split('\n')[0]);
const prev = Error.prepareStackTrace;
Error.prepareStackTrace = (err, sites) => sites;
function where() { const x = {}; Error.captureStackTrace(x, where); return x.stack; }
const sites = where();
Error.prepareStackTrace = prev;
console.log(Array.isArray(sites), typeof sites[0].getFileName(), typeof sites[0].getLineNumber());
try { null.x; } catch (err) { console.log(err instanceof TypeError, err.name); }
console.log(typeof Error.stackTraceLimit);
