// worker_threads: a Worker on this file, workerData and messages cloned
// both ways, transfer detaching the sender's ArrayBuffer, exit codes.
// The worker prints nothing itself: its stdout reaches node's parent
// asynchronously, so its lines would race the parent's. It reports through
// messages, which are ordered.
const { Worker, isMainThread, parentPort, workerData, threadId } = require('worker_threads');
if (isMainThread) {
  console.log('main', isMainThread, threadId);
  const ab = new ArrayBuffer(4);
  new Uint8Array(ab).set([1, 2, 3, 4]);
  const cyc = { name: 'c' };
  cyc.self = cyc;
  const w = new Worker(__filename, {
    workerData: { n: 21, m: new Map([[1, 'a']]), s: new Set(['x']), d: new Date(0), big: 10n,
      u8: new Uint8Array([9, 8]), re: /a+/gi, nested: [1, [2, [3]]], cyc, neg0: -0, inf: -Infinity, u: undefined },
  });
  w.on('message', (m) => {
    if (m.report) {
      console.log(...m.report);
      return;
    }
    const { err, ...rest } = m;
    console.log('parent got', rest);
    if (err) console.log('error cloned', err instanceof TypeError, err.message);
    if (m.done) w.postMessage('bye');
  });
  w.on('exit', (c) => console.log('exit', c, w.threadId));
  w.postMessage(ab, [ab]);
  console.log('after transfer', ab.byteLength);
} else {
  const d = workerData;
  const { inspect } = require('util');
  const say = (...a) => parentPort.postMessage({ report: a.map((x) => (typeof x === 'string' ? x : inspect(x))) });
  say('worker', threadId > 0, d.n, d.m, d.s, d.d.toISOString(), d.big, d.u8, d.re, JSON.stringify(d.nested));
  say('cycle kept', d.cyc.self === d.cyc, Object.is(d.neg0, -0), d.inf, 'u' in d);
  parentPort.on('message', (m) => {
    if (m === 'bye') {
      parentPort.close();
      return;
    }
    say('worker got', new Uint8Array(m));
    parentPort.postMessage({ doubled: d.n * 2, done: true, nan: NaN, err: new TypeError('bad') });
  });
}
