// A forked child's worker threads have no IPC channel (process.send is
// undefined there and NODE_CHANNEL_FD is gone), while the child's main
// thread keeps its own.
const { fork } = require('child_process');
if (process.argv[2] === 'child') {
  const { Worker } = require('worker_threads');
  const w = new Worker(`const { parentPort } = require('worker_threads');
    parentPort.postMessage([typeof process.send, String(process.connected), String(process.env.NODE_CHANNEL_FD)]);`, { eval: true });
  w.on('message', (m) => process.send({ fromWorker: m, main: [typeof process.send, process.connected] }));
} else {
  const c = fork(__filename, ['child']);
  c.on('message', (m) => console.log(JSON.stringify(m)));
  c.on('exit', (code, signal) => console.log('exit', code, signal));
}
