// http server and client on 127.0.0.1: keep-alive reuse, chunked bodies in
// both directions, HEAD, 204, custom status, headers, trailers, 404.
const http = require('http');
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString();
    if (req.url === '/chunked') {
      res.setHeader('Content-Type', 'text/plain');
      res.write('one,');
      res.write(Buffer.from('two,'));
      res.end('three');
    } else if (req.url === '/echo') {
      res.writeHead(201, 'Made', { 'X-Len': String(body.length), 'X-Multi': ['a', 'b'] });
      res.end(body.toUpperCase());
    } else if (req.url === '/empty') {
      res.statusCode = 204;
      res.end();
    } else if (req.url === '/trailers') {
      res.writeHead(200, { Trailer: 'X-Sum' });
      res.write('data');
      res.addTrailers({ 'X-Sum': '42' });
      res.end();
    } else if (req.url === '/head') {
      res.setHeader('Content-Length', 5);
      res.end();
    } else {
      res.statusCode = 404;
      res.end(JSON.stringify({ missing: req.url, method: req.method, te: req.headers['transfer-encoding'] || null, headerSent: res.headersSent }));
    }
  });
});
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function call(method, path, body, chunked) {
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, port: server.address().port, host: '127.0.0.1', method, path }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { data += d; });
      res.on('end', () => resolve({
        status: res.statusCode, message: res.statusMessage, data,
        te: res.headers['transfer-encoding'], len: res.headers['content-length'],
        xlen: res.headers['x-len'], multi: res.headers['x-multi'], trailers: res.trailers,
        reused: req.reusedSocket, ka: res.headers.connection,
      }));
    });
    req.on('error', reject);
    if (body && chunked) { req.write(body.slice(0, 3)); req.write(body.slice(3)); }
    else if (body) req.setHeader('Content-Length', Buffer.byteLength(body)), req.write(body);
    req.end();
  });
}
server.listen(0, '127.0.0.1', async () => {
  for (const [m, p, b, c] of [
    ['GET', '/chunked'], ['POST', '/echo', 'hello body', false], ['POST', '/echo', 'chunked body', true],
    ['GET', '/empty'], ['GET', '/trailers'], ['HEAD', '/head'], ['DELETE', '/nothing/here'], ['PUT', '/x', 'abc', true],
  ]) {
    console.log(m, p, JSON.stringify(await call(m, p, b, c)));
  }
  agent.destroy();
  server.close(() => console.log('closed'));
});
