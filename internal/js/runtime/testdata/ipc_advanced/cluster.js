'use strict';
// A cluster with serialization 'advanced': one worker (run on
// IPC_CHILD_EXEC, else this runtime) listens through the primary, the
// primary connects to it, and both sides exchange values JSON cannot carry.
const cluster = require('cluster');
const net = require('net');
const util = require('util');

cluster.schedulingPolicy = cluster.SCHED_NONE;
if (cluster.isPrimary) {
  cluster.setupPrimary({ serialization: 'advanced', execPath: process.env.IPC_CHILD_EXEC || process.execPath });
  const w = cluster.fork();
  w.on('message', (m) => {
    console.log('primary got', util.inspect(m));
    w.send({ back: new Set([1n, new Date(0)]) });
  });
  w.on('listening', (addr) => {
    console.log('listening', typeof addr.port);
    net.connect(addr.port, '127.0.0.1').on('data', (d) => console.log('from worker', String(d)));
  });
  w.on('exit', (code) => console.log('worker exit', code));
} else {
  const server = net.createServer((s) => s.end('hi'));
  server.listen(0, '127.0.0.1', () => {
    process.send({ map: new Map([['id', cluster.worker.id]]), big: 2n ** 70n, buf: Buffer.from('x') });
  });
  process.on('message', (m) => {
    console.log('worker got', util.inspect(m));
    setTimeout(() => process.exit(0), 200);
  });
}
