// node:domain: errors thrown in callbacks that run inside a domain
// (timers, nextTick, setImmediate, emitters, bind, intercept) reach the
// domain's 'error' handler instead of crashing the process.
const domain = require('domain');
const EventEmitter = require('events');
const log = (...a) => console.log(...a);

log('process.domain initially', process.domain);
const d = domain.create();
log(Object.keys(domain).sort().join(), d instanceof EventEmitter, Array.isArray(d.members));
d.on('error', (err) => {
  log('caught:', err.message, err.domain === d, err.domainThrown, err.domainEmitter ? 'emitter' : '-', err.domainThrown ? process.domain === d : '');
});

log('run returns', d.run((a, b) => {
  log('inside run, active:', process.domain === d, domain.active === d);
  setTimeout(() => { throw new Error('from setTimeout'); }, 150);
  setImmediate(() => { throw new Error('from setImmediate'); });
  process.nextTick(() => { throw new Error('from nextTick'); });
  const ee = new EventEmitter();
  log('emitter joined', ee.domain === d);
  setTimeout(() => ee.emit('error', new Error('emitted error')), 200);
  return a + b;
}, 1, 2));
log('after run, active:', process.domain);

const d2 = domain.create();
d2.on('error', (err) => log('d2 caught:', err.message, err.domainThrown, err.domainBound === cbIntercepted));
function cbIntercepted(x, y) { log('intercept got', x, y); }
const i = d2.intercept(cbIntercepted);
i(null, 'a', 'b');
i(new Error('intercepted error'));
const bound = d2.bind((v) => { log('bound sees d2:', process.domain === d2, v); });
bound(42);
const thrower = d2.bind(() => { throw new Error('thrown in bound'); });
setTimeout(thrower, 250);

const d3 = domain.create();
d3.on('error', (err) => log('d3 caught:', err.message));
const ee3 = new EventEmitter();
d3.add(ee3);
log('added', ee3.domain === d3, d3.members.length);
ee3.emit('error', new Error('added emitter error'));
d3.remove(ee3);
log('removed', ee3.domain, d3.members.length);

const outer = domain.create();
const inner = domain.create();
outer.run(() => {
  inner.run(() => log('nested active is inner:', process.domain === inner, domain._stack.length));
  log('back to outer:', process.domain === outer);
});
setTimeout(() => {
  log('end, active:', process.domain);
  const d4 = domain.create();
  d4.on('error', (e) => log('d4 caught sync throw:', e.message));
  d4.run(() => { throw new Error('sync throw in run'); });
  log('not reached');
}, 400);
process.on('exit', (c) => log('exit', c));
