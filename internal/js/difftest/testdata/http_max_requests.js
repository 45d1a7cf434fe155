// server.maxRequestsPerSocket: Keep-Alive's max=, Connection: close on the
// last allowed response, 503 for a request past the limit; the
// createServer option is ignored by node 20.
const http = require('http'), net = require('net');
const clean = (s) => s.replace(/Date: .*\r\n/g, 'Date: X\r\n').replace(/\r\n/g, '|');
function run(label, options, setProp, sequential) {
  return new Promise((resolve) => {
    const server = http.createServer(options, (req, res) => res.end('ok ' + req.url));
    if (setProp) server.maxRequestsPerSocket = 2;
    server.listen(0, '127.0.0.1', () => {
      const c = net.connect(server.address().port, '127.0.0.1');
      let out = '';
      c.on('data', (d) => { out += d; });
      c.on('close', () => { console.log(label, clean(out)); server.close(resolve); });
      const req = (n) => `GET /${n} HTTP/1.1\r\nHost: x\r\n\r\n`;
      if (sequential) {
        c.write(req(1));
        setTimeout(() => c.write(req(2)), 60);
        setTimeout(() => { if (!c.destroyed) c.write(req(3)); }, 120);
      } else {
        c.write(req(1) + req(2) + req(3));
      }
      setTimeout(() => c.end(), 300);
    });
  });
}
(async () => {
  await run('pipelined', {}, true, false);
  await run('sequential', {}, true, true);
  await run('option only', { maxRequestsPerSocket: 2 }, false, false);
  await run('no limit', {}, false, true);
})();
