// Response bodies as raw bytes on the wire: end(Buffer) and end(string)
// with and without stored headers, a first write(Buffer) that carries the
// head, write callbacks, HEAD, a piped file, mixed-case and repeated header
// names (the header-name cache), invalid names and values after valid ones,
// and 'finish'/'close' order. Date and Last-Modified/ETag are masked.
const http = require('http');
const net = require('net');
const fs = require('fs');
const os = require('os');
const path = require('path');

const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gnode-bodies-')), 'page.txt');
fs.writeFileSync(file, 'file body\n'.repeat(50));
const events = [];

const routes = {
  '/end-buffer': (req, res) => { res.end(Buffer.from('buffer body')); },
  '/end-buffer-headers': (req, res) => {
    res.setHeader('Content-Type', 'text/plain');
    res.setHeader('X-Mixed-Case', 'a');
    res.setHeader('x-mixed-case', 'b');
    res.end(Buffer.from('héllo'));
  },
  '/end-u8': (req, res) => { res.setHeader('X-A', 1); res.end(new Uint8Array([104, 105])); },
  '/end-empty-buffer': (req, res) => { res.setHeader('X-B', 'b'); res.end(Buffer.alloc(0)); },
  '/end-string-headers': (req, res) => { res.setHeader('Content-Type', 'text/plain; charset=utf-8'); res.end('ünïcode'); },
  '/end-latin1': (req, res) => { res.setHeader('X-C', 'c'); res.end('caf\u00e9', 'latin1'); },
  '/write-buffer': (req, res) => {
    res.setHeader('Content-Length', 6);
    res.write(Buffer.from('abc'));
    res.write(Buffer.from('def'));
    res.end();
  },
  '/write-buffer-cb': (req, res) => {
    res.write(Buffer.from('with callback'), (err) => { events.push('write cb ' + err); res.end(); });
  },
  '/write-chunked': (req, res) => { res.write(Buffer.from('one')); res.end(Buffer.from('two')); },
  '/writehead-buffer': (req, res) => { res.writeHead(201, { 'X-D': ['1', '2'] }); res.end(Buffer.from('created')); },
  '/pipe': (req, res) => {
    res.setHeader('Content-Type', 'text/plain');
    res.setHeader('Content-Length', fs.statSync(file).size);
    fs.createReadStream(file).pipe(res);
  },
  '/bad-name': (req, res) => {
    const out = [];
    res.setHeader('X-Good', 'g');
    for (const [n, v] of [['X-Good', 'again'], ['Bad Name', 'x'], ['', 'x'], [5, 'x'], ['X-Val', 'a\nb'], ['X-Undef', undefined]]) {
      try { res.setHeader(n, v); out.push('ok ' + n); } catch (e) { out.push(e.code); }
    }
    out.push(res.getHeader('x-good'), res.getHeader('X-GOOD'), res.hasHeader('X-Good'), res.getHeader('nope'));
    res.end(Buffer.from(out.join(',')));
  },
  '/events': (req, res) => {
    res.on('finish', () => events.push('finish'));
    res.on('close', () => events.push('close'));
    res.end(Buffer.from('events'), () => events.push('end cb'));
  },
};

const srv = http.createServer((req, res) => routes[req.url](req, res));
srv.listen(0, '127.0.0.1', () => {
  const port = srv.address().port;
  const paths = Object.keys(routes);
  const reqs = paths.map((p) => `GET ${p} HTTP/1.1\r\nHost: x\r\n\r\n`).join('') +
    'HEAD /end-buffer-headers HTTP/1.1\r\nHost: x\r\n\r\n' +
    'GET /end-buffer HTTP/1.0\r\n\r\n';
  // The last request (HTTP/1.0) makes the server close the connection.
  const sock = net.connect(port, '127.0.0.1', () => sock.write(reqs));
  const chunks = [];
  sock.on('data', (d) => chunks.push(d));
  sock.on('close', () => {
    const text = Buffer.concat(chunks).toString('latin1')
      .replace(/^(Date|Last-Modified|ETag): .*$/gmi, '$1: X');
    console.log(text);
    console.log(events.join('\n'));
    srv.close();
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });
});
