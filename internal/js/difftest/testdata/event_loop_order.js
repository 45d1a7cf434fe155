// Ordering of nextTick, microtasks, timers, immediates and I/O callbacks.
// (A timeout and an immediate both set in the main module race in Node
// too, so they are only compared inside an I/O callback.)
const fs = require('fs');
const log = (s) => console.log(s);
log('sync 1');
process.nextTick(() => log('tick 1'));
Promise.resolve().then(() => {
  log('micro 1');
  process.nextTick(() => log('tick from micro'));
  Promise.resolve().then(() => log('micro nested'));
});
queueMicrotask(() => log('queueMicrotask'));
process.nextTick(() => {
  log('tick 2');
  Promise.resolve().then(() => log('micro from tick'));
  process.nextTick(() => log('tick nested'));
});
fs.readFile(__filename, () => {
  log('readFile cb');
  setTimeout(() => log('timeout from io'), 0);
  setImmediate(() => log('immediate from io'));
  process.nextTick(() => log('tick from io'));
});
log('sync 2');
