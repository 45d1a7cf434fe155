// server.close() while a connection's request body is still arriving: the
// connection is not idle then, so close() leaves it; once the body is in
// it waits for its next request and times out after keepAliveTimeout, as
// an idle connection does, and close's callback runs.
const http = require('http'), net = require('net');
const srv = http.createServer((req, res) => { res.end('ok'); });
srv.keepAliveTimeout = 300;
srv.listen(0, '127.0.0.1', () => {
  const s = net.connect(srv.address().port, '127.0.0.1', () => {
    s.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2000\r\n\r\n' + 'x'.repeat(1000));
  });
  let got = '';
  s.on('data', (d) => {
    const first = got === '';
    got += d;
    if (!first) return;
    srv.close(() => console.log('server closed'));
    setTimeout(() => { console.log('rest of the body'); s.write('y'.repeat(1000)); }, 50);
  });
  s.on('end', () => console.log('client end', /200 OK/.test(got)));
  s.on('close', () => console.log('client close'));
});
