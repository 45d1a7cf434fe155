// worker_threads: an uncaught exception becomes the Worker's 'error' event
// and exit code 1; process.exit(n) ends only the worker; terminate().
const { Worker } = require('worker_threads');
const steps = [
  () => new Worker('throw new RangeError("boom")', { eval: true }),
  () => new Worker('process.exitCode = 3', { eval: true }),
  () => new Worker('process.exit(7); console.log("never")', { eval: true }),
  () => new Worker('Promise.reject(new Error("late"))', { eval: true }),
  () => {
    const w = new Worker('require("worker_threads").parentPort.postMessage("up"); while (true) {}', { eval: true });
    w.on('message', async (m) => {
      console.log('spinning worker says', m);
      console.log('terminate resolves', await w.terminate());
    });
    return w;
  },
  () => new Worker('setInterval(() => {}, 1000); require("worker_threads").parentPort.postMessage("x")', { eval: true }),
];
let i = 0;
function next() {
  if (i >= steps.length) return console.log('done');
  const n = i++;
  const w = steps[n]();
  w.on('error', (e) => console.log(n, 'error', e.name, e.message, e instanceof Error));
  w.on('exit', (c) => { console.log(n, 'exit', c); next(); });
  if (n === 5) w.on('message', () => w.terminate());
}
next();
try { new Worker('x.js'); } catch (e) { console.log(e.code); }
