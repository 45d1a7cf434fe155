// queueMicrotask callbacks that throw, mixed with promise jobs and ticks:
// the error reaches 'uncaughtException' and the queue carries on in order.
const log = [];
process.on('uncaughtException', (e) => { log.push('caught ' + e.message); });
Promise.resolve().then(() => log.push('p1'));
queueMicrotask(() => { log.push('q1'); throw new Error('boom1'); });
Promise.resolve().then(() => { log.push('p2'); queueMicrotask(() => log.push('q-inner')); });
queueMicrotask(() => log.push('q2'));
process.nextTick(() => log.push('tick'));
setTimeout(() => {
  queueMicrotask(() => { throw new Error('boom2'); });
  Promise.resolve().then(() => log.push('after boom2'));
  setImmediate(() => console.log(log.join('\n')));
}, 0);
