// A TCP echo server and client: data both ways, half-close, addresses,
// connection errors with Node's codes, server close after the last socket.
const net = require('net');
const server = net.createServer({ allowHalfOpen: true }, (s) => {
  console.log('server: connection from', s.remoteAddress, typeof s.remotePort);
  const parts = [];
  s.on('data', (d) => parts.push(d));
  s.on('end', () => {
    const text = Buffer.concat(parts).toString();
    console.log('server: got', JSON.stringify(text), 'bytesRead', s.bytesRead);
    s.end(text.split('').reverse().join(''));
  });
  // Whether the server's socket or the client sees its close first is a
  // race between two sockets: the line is printed after the client's.
  s.on('close', (hadError) => serverSocketClosed(hadError));
});
let serverSocketClosed;
const serverSocketClose = new Promise((resolve) => { serverSocketClosed = resolve; });
server.on('listening', () => console.log('listening', server.listening, server.address().family));
server.listen({ port: 0, host: '127.0.0.1' }, () => {
  let connected = '';
  const c = net.createConnection({ port: server.address().port, host: '127.0.0.1' });
  c.on('connect', () => {
    connected = ['client: connected', c.remoteAddress, c.remoteFamily, c.localAddress].join(' ');
    // Printed with the end line: whether the write completes before the
    // server's 'connection' event runs is a race between two sockets.
    c.write('hello ', () => { connected += ' (write done)'; });
    c.end(Buffer.from('world'));
  });
  c.setEncoding('utf8');
  let got = '';
  c.on('data', (d) => { got += d; });
  c.on('end', () => console.log(connected, '/ client: end', JSON.stringify(got)));
  c.on('close', async (hadError) => {
    console.log('client: close', hadError, c.bytesWritten);
    console.log('server: socket close', await serverSocketClose);
    server.close(() => {
      console.log('server closed', server.address());
      const bad = net.connect({ port: 1, host: '127.0.0.1' });
      bad.on('error', (e) => console.log('error', e.code, e.syscall, e.address, e.port, e.message));
      bad.on('close', (hadError) => {
        console.log('bad close', hadError);
        const s2 = net.createServer();
        s2.listen(0, '127.0.0.1', () => {
          const s3 = net.createServer();
          s3.on('error', (e) => { console.log('listen error', e.code, e.syscall); s2.close(); });
          s3.listen(s2.address().port, '127.0.0.1');
        });
      });
    });
  });
});
