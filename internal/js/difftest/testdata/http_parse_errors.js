// clientError's error for malformed requests and for a connection that
// ends inside a head: message, code and reason as node gives them.
const http = require('http');
const net = require('net');
const inputs = [
  'GET / HTTP/1.1\r\nHost: x\r\n',            // ends inside the head
  'GET / HTTP/1.1\r\nHo st: x\r\n\r\n',       // bad header name
  'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n',
  'BREW / HTTP/1.1\r\n\r\n',                  // not one of http.METHODS
  'get / HTTP/1.1\r\n\r\n',
  'GET / HTTP/1.1\r\nContent-Length: abc\r\n\r\n',
  'GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx',
  'GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n',
  'GET / HTTP/1.1\r\nContent-Length: +1\r\n\r\nx',
  'GET / HTTP/1.1\r\nContent-Length: 1 2\r\n\r\n',
  'GET / HTTP/1.1\r\nContent-Length: \r\n\r\n',
  // request smuggling guards: which header came first decides the error
  'GET / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
  'GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\n0\r\n\r\n',
];
let i = 0;
const server = http.createServer((req, res) => res.end('ok'));
server.on('clientError', (err, socket) => {
  console.log(i, JSON.stringify(err.message), err.code, err.reason);
  socket.destroy();
});
function next() {
  if (i === inputs.length) return server.close();
  const c = net.connect(server.address().port, () => c.end(inputs[i]));
  c.on('data', () => {});
  c.on('close', () => setTimeout(() => { i++; next(); }, 20));
}
server.listen(0, '127.0.0.1', next);
