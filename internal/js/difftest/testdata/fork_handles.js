// send(message, handle): the parent accepts a connection (pauseOnConnect)
// and hands the socket to the child, which answers on it; then it hands
// over a listening server and closes its own copy, and the child serves
// connections on the same port. Lines are printed sorted at the end: the
// client's reads race the child's messages.
// FORK_EXEC_PATH (set by the runtime package's Go test) picks the child's
// binary.
const { fork } = require('child_process');
const net = require('net');

if (process.argv[2] === 'child') {
  process.on('message', (m, handle) => {
    if (m.kind === 'socket') {
      handle.end(`child answers ${m.n} (${handle instanceof net.Socket})`);
      process.send({ got: 'socket' });
    } else if (m.kind === 'server') {
      const a = handle.address();
      handle.on('connection', (s) => {
        // resume(): gnode's server sockets see the client's FIN only while
        // reading (node's read from the start), see docs/COMPATIBILITY.md.
        s.resume();
        s.end('served by child');
        handle.close(() => process.send({ closed: true }));
      });
      process.send({ got: 'server', listening: handle.listening, samePort: a.port === m.port });
    } else if (m === 'bye') {
      process.disconnect();
    }
  });
} else {
  const lines = [];
  const log = (...a) => lines.push(a.join(' '));
  const child = fork(__filename, ['child'], { execPath: process.env.FORK_EXEC_PATH || process.execPath });
  const read = (port, cb) => {
    const c = net.connect(port, '127.0.0.1');
    let got = '';
    c.on('data', (d) => got += d);
    c.on('end', () => cb(got));
  };
  const server = net.createServer({ pauseOnConnect: true }, (socket) => {
    child.send({ kind: 'socket', n: 1 }, socket, (err) => {
      log('socket sent', err);
    });
  });
  child.on('message', (m) => {
    log('child says', JSON.stringify(m));
    if (m.got === 'server') {
      read(port, (got) => log('client got', JSON.stringify(got)));
    }
    if (m.closed) child.send('bye');
  });
  child.on('exit', (code) => {
    log('exit', code);
    console.log(lines.sort().join('\n'));
  });
  let port;
  server.listen(0, '127.0.0.1', () => {
    port = server.address().port;
    read(port, (got) => {
      log('client got', JSON.stringify(got));
      // From here only the child accepts on the port.
      child.send({ kind: 'server', port }, server, () => server.close(() => log('parent server closed')));
      try { child.send('x', {}); } catch (e) { log('bad handle', e.code, e.message); }
    });
  });
}
