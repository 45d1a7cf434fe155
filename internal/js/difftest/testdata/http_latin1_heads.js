// Message heads are read one byte per character (Latin-1), as node's
// parser hands them over: a raw 0xE9 is "é", the UTF-8 bytes of "é" are
// two characters. Request headers on a server, response status text,
// headers and trailers on a client.
const http = require('http'), net = require('net');
const show = (s) => Array.from(String(s), (c) => c.charCodeAt(0).toString(16)).join(' ');
const srv = http.createServer((req, res) => {
  console.log('x-latin', show(req.headers['x-latin']));
  console.log('x-utf8', show(req.headers['x-utf8']));
  console.log('raw', req.rawHeaders.map(show).join(' | '));
  res.end('ok');
});
const raw = net.createServer((s) => {
  s.once('data', () => {
    s.end(Buffer.concat([
      Buffer.from('HTTP/1.1 200 Caf'), Buffer.from([0xe9]),
      Buffer.from('\r\nTransfer-Encoding: chunked\r\nX-Back: caf'), Buffer.from([0xc3, 0xa9]),
      Buffer.from('\r\nConnection: close\r\n\r\n2\r\nhi\r\n0\r\nX-Trail: caf'), Buffer.from([0xe9]),
      Buffer.from('\r\n\r\n')]));
  });
});
srv.listen(0, '127.0.0.1', () => {
  const s = net.connect(srv.address().port, '127.0.0.1', () => {
    s.write(Buffer.concat([
      Buffer.from('GET /cafe HTTP/1.1\r\nHost: x\r\nX-Latin: caf'), Buffer.from([0xe9]),
      Buffer.from('\r\nX-Utf8: caf'), Buffer.from([0xc3, 0xa9]), Buffer.from('\r\nConnection: close\r\n\r\n')]));
  });
  s.resume();
  s.on('close', () => {
    srv.close();
    raw.listen(0, '127.0.0.1', () => {
      http.get({ port: raw.address().port, host: '127.0.0.1' }, (res) => {
        console.log('status', show(res.statusMessage));
        console.log('x-back', show(res.headers['x-back']));
        res.resume();
        res.on('end', () => {
          console.log('x-trail', show(res.trailers['x-trail']));
          raw.close();
        });
      });
    });
  });
});
