// Timeout objects, intervals, refresh, unref, clear by primitive id.
const order = [];
const t1 = setTimeout(() => order.push('t1'), 5);
const t2 = setTimeout(() => order.push('never'), 5);
clearTimeout(t2);
console.log(typeof t1.ref, typeof t1.unref, t1.hasRef(), typeof t1[Symbol.toPrimitive]());
const t3 = setTimeout(() => order.push('by id'), 1);
clearTimeout(+t3);
let n = 0;
const iv = setInterval(() => {
  n++;
  order.push('iv' + n);
  if (n === 3) clearInterval(iv);
}, 2);
const u = setTimeout(() => console.log('unref fired?!'), 100000);
u.unref();
console.log(u.hasRef());
setTimeout((a, b) => order.push(`args ${a} ${b}`), 1, 'x', 'y');
let refreshed = 0;
const r = setTimeout(() => {
  refreshed++;
  if (refreshed < 2) r.refresh();
  else order.push('refreshed twice');
}, 3);
const im = setImmediate(() => order.push('cleared immediate'));
clearImmediate(im);
// Printed when the loop has nothing left to do (a fixed 50 ms timer flaked under
// load: a late first run of r refreshed it past that timer).
process.once('beforeExit', () => {
  console.log(order.filter((x) => x !== 't1' && !x.startsWith('iv')).join(','));
  console.log(order.filter((x) => x.startsWith('iv')).join(','), order.includes('t1'));
});
process.on('exit', (code) => console.log('exit', code));
