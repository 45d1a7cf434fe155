// server.maxRequestsPerSocket changed while a keep-alive connection is
// open: node counts a connection's requests only while the limit is a
// positive number (and only HTTP/1.1 ones), so a limit lowered after some
// requests counts from there; past it a request gets 503 and the server
// emits 'dropRequest'. Also Keep-Alive's max= for odd limits, and a 503
// before an Expect header is looked at. Each request is sent once the
// previous response arrived (no timing).
const http = require('http'), net = require('net');
const clean = (s) => s.replace(/Date: .*\r\n/g, '').replace(/\r\n/g, '|');

function run(label, { initial, lowered, at = 2, n = 4, version = '1.1', extra = '', mode = 'end' }) {
  return new Promise((resolve) => {
    const drops = [];
    const server = http.createServer((req, res) => {
      if (req.url === '/' + at && lowered !== undefined) server.maxRequestsPerSocket = lowered;
      // Three ways to the head: end() alone, writeHead with headers,
      // write() (chunked).
      if (mode === 'writeHead') res.writeHead(200, { 'X-Mode': mode });
      else if (mode === 'setHeader') res.setHeader('X-Mode', mode);
      if (mode === 'write') { res.write('ok '); res.end(req.url); } else res.end('ok ' + req.url);
    });
    server.on('dropRequest', (req, socket) => drops.push(req.url + (socket === req.socket ? ' same socket' : '')));
    if (initial !== undefined) server.maxRequestsPerSocket = initial;
    server.listen(0, '127.0.0.1', () => {
      const c = net.connect(server.address().port, '127.0.0.1');
      let out = '', sent = 0, ended = false;
      const next = () => {
        if (sent === n) { if (!ended) { ended = true; c.end(); } return; }
        sent++;
        c.write(`GET /${sent} HTTP/${version}\r\nHost: x\r\nConnection: keep-alive\r\n${extra}\r\n`);
      };
      c.on('data', (d) => {
        out += d;
        if (out.endsWith('ok /' + sent) || out.endsWith('0\r\n\r\n') || out.endsWith('\r\n\r\n') && /^HTTP\/1.1 (100|417)/m.test(out.slice(out.lastIndexOf('HTTP/1.1')))) next();
      });
      c.on('error', () => {});
      c.on('close', () => {
        console.log(label, clean(out));
        console.log('  dropRequest:', JSON.stringify(drops));
        server.close(resolve);
      });
      next();
    });
  });
}

(async () => {
  await run('0 -> 1', { lowered: 1 });
  await run('0 -> 2', { initial: 0, lowered: 2 });
  await run('5 -> 1', { initial: 5, lowered: 1 });
  await run('5 -> 2', { initial: 5, lowered: 2 });
  await run('5 -> 3', { initial: 5, lowered: 3, n: 5 });
  await run('3 -> 0', { initial: 3, lowered: 0, n: 5 });
  await run('2 -> 5', { initial: 2, lowered: 5, at: 1, n: 6 });
  await run('0 -> 1 at 1', { lowered: 1, at: 1, n: 3 });
  await run('HTTP/1.0 limit 1', { initial: 1, n: 3, version: '1.0' });
  await run('limit -1', { initial: -1, n: 2 });
  await run('limit "2" (a string)', { initial: '2', n: 3 });
  await run('limit 1.5', { initial: 1.5, n: 3 });
  await run('limit 3e9', { initial: 3e9, n: 2 });
  await run('limit -1, writeHead', { initial: -1, n: 2, mode: 'writeHead' });
  await run('5 -> 2, setHeader', { initial: 5, lowered: 2, mode: 'setHeader' });
  await run('0 -> 1, write', { lowered: 1, mode: 'write' });
  await run('expect past the limit', { initial: 1, n: 2, extra: 'Expect: 100-continue\r\n' });
})();
