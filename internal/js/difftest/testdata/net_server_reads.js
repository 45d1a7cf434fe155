// An accepted socket nobody reads still sees the client's FIN: after
// end() it closes and server.close() completes, as in node.
const net = require('net');
const server = net.createServer((s) => { s.end('x'); server.close(() => console.log('server closed')); });
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.on('data', (d) => console.log('client data', String(d)));
  c.on('end', () => { console.log('client end'); c.end(); });
});
setTimeout(() => { console.log('timeout'); process.exit(2); }, 3000).unref();
