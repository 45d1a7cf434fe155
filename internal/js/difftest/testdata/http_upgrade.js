// An HTTP upgrade handshake: the server takes over the socket in 'upgrade'
// (with the bytes that came after the head), the client gets 'upgrade'.
const http = require('http');
const server = http.createServer((req, res) => res.end('plain'));
server.on('upgrade', (req, socket, head) => {
  console.log('server upgrade', req.method, req.url, req.headers.upgrade, JSON.stringify(head.toString()));
  socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n');
  socket.write('welcome;');
  socket.on('data', (d) => {
    socket.write('echo:' + d);
    if (String(d).includes('bye')) socket.end();
  });
});
server.listen(0, '127.0.0.1', () => {
  const req = http.request({
    port: server.address().port, host: '127.0.0.1', path: '/chat',
    headers: { Connection: 'Upgrade', Upgrade: 'echo' },
  });
  req.on('upgrade', (res, socket, head) => {
    console.log('client upgrade', res.statusCode, res.headers.upgrade);
    let got = head.toString();
    socket.on('data', (d) => {
      got += d;
      if (got.endsWith('echo:bye')) {
        console.log('client got', got);
      }
    });
    socket.on('end', () => {
      console.log('client end');
      server.close(() => console.log('closed'));
    });
    socket.write('bye');
  });
  req.end();
});
