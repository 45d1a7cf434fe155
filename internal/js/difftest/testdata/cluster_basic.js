// cluster: a primary forks two workers that serve HTTP on one shared port
// (listen(0) gives both the same port), workers and primary exchange
// messages, then cluster.disconnect() ends them. Events are collected and
// printed per worker: their relative order across workers races, and so
// does a worker's 'disconnect' against its 'exit' (printed sorted).
const cluster = require('cluster');
const http = require('http');

if (cluster.isPrimary) {
  console.log('primary', cluster.isPrimary, cluster.isMaster, cluster.isWorker, cluster.worker);
  const log = { 1: [], 2: [] };
  const ends = { 1: [], 2: [] };
  const ports = new Set();
  let listening = 0;
  cluster.on('fork', (w) => log[w.id].push('fork'));
  cluster.on('online', (w) => log[w.id].push('online'));
  cluster.on('message', (w, m) => log[w.id].push('cluster message ' + JSON.stringify(m)));
  cluster.on('disconnect', (w) => ends[w.id].push('disconnect ' + w.exitedAfterDisconnect));
  cluster.on('exit', (w, code, signal) => {
    ends[w.id].push(`exit ${code} ${signal} ${w.exitedAfterDisconnect} ${w.state} ${w.isDead()}`);
  });
  cluster.on('listening', (w, address) => {
    log[w.id].push(`listening ${address.address} ${address.addressType} ${w.state}`);
    ports.add(address.port);
    if (++listening < 2) return;
    console.log('one port', ports.size);
    const port = [...ports][0];
    let n = 0;
    const bodies = new Set();
    const next = () => http.get({ host: '127.0.0.1', port, path: '/' + n, agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => body += d);
      res.on('end', () => {
        bodies.add(body.replace(/\d+$/, 'N'));
        if (++n < 10) return next();
        console.log('responses', n, [...bodies]);
        for (const id in cluster.workers) cluster.workers[id].send({ bye: +id });
      });
    });
    next();
  });
  let replies = 0;
  const workers = [cluster.fork({ WORKER_TAG: 'a' }), cluster.fork({ WORKER_TAG: 'b' })];
  console.log('workers', Object.keys(cluster.workers), workers.map((w) => w.id), workers[0] instanceof cluster.Worker);
  for (const w of workers) {
    w.on('message', (m) => {
      if (m.byeBack && ++replies === 2) {
        cluster.disconnect(() => {
          console.log('disconnected', Object.keys(cluster.workers).length);
        });
      }
    });
  }
  process.on('exit', () => {
    for (const id of [1, 2]) console.log('worker', id, log[id].join('; '), '|', ends[id].sort().join('; '));
  });
} else {
  http.createServer((req, res) => res.end('hello from worker ' + cluster.worker.id)).listen(0, '127.0.0.1');
  process.send({ tag: process.env.WORKER_TAG, id: cluster.worker.id, isWorker: cluster.isWorker, unique: process.env.NODE_UNIQUE_ID });
  process.on('message', (m) => process.send({ byeBack: m.bye === cluster.worker.id }));
}
