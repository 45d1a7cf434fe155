// Workers that end themselves: one calls cluster.worker.disconnect() from
// its listen callback (its servers close, the primary sees an intended
// exit and no 'listening', as the server closed first), one is killed
// with SIGKILL. Lines are printed at exit, sorted: the workers race.
const cluster = require('cluster');
const net = require('net');
if (cluster.isPrimary) {
  const lines = [];
  const w = cluster.fork();
  const ev = [];
  w.on('listening', () => ev.push('listening'));
  w.on('disconnect', () => ev.push('disconnect ' + w.exitedAfterDisconnect));
  w.on('exit', (c, s) => {
    ev.push(`exit ${c} ${s} ${w.exitedAfterDisconnect}`);
    lines.push('w1 ' + ev.sort().join('; '));
  });
  const w2 = cluster.fork();
  w2.on('online', () => w2.kill('SIGKILL'));
  w2.on('exit', (c, s) => lines.push(`w2 exit ${c} ${s} ${w2.exitedAfterDisconnect} ${w2.state}`));
  process.on('exit', () => console.log(lines.sort().join('\n')));
} else if (cluster.worker.id === 1) {
  const srv = net.createServer().listen(0, '127.0.0.1', () => {
    cluster.worker.disconnect();
  });
} else {
  setInterval(() => {}, 1000);
}
