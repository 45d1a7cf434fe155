// A request-target with raw bytes of 0x80 or more: node's parser rejects
// it (400 Bad Request, the connection closed), and 'clientError' gets the
// parse error. Bytes >= 0x80 elsewhere (a header value) are accepted.
const http = require('http'), net = require('net');
const clean = (s) => s.replace(/Date: .*\r\n/g, '').replace(/\r\n/g, '|');

function run(label, raw, { listen = false } = {}) {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      res.end('ok ' + Buffer.from(req.url, 'latin1').toString('hex') + ' ' + JSON.stringify(req.headers['x-v'] || ''));
    });
    const errs = [];
    if (listen) {
      server.on('clientError', (err, socket) => {
        errs.push(err.code + ' / ' + err.message + ' / ' + err.reason);
        socket.end('HTTP/1.1 400 Bad Request\r\nX-From: listener\r\n\r\n');
      });
    }
    server.listen(0, '127.0.0.1', () => {
      const c = net.connect(server.address().port, '127.0.0.1');
      const chunks = [];
      // The client ends once the answer stopped coming (the server keeps
      // a good request's connection open), or after 3 s without one.
      let timer = setTimeout(() => c.end(), 3000);
      c.on('data', (d) => {
        chunks.push(d);
        clearTimeout(timer);
        timer = setTimeout(() => c.end(), 100);
      });
      c.on('error', () => {});
      c.on('close', () => {
        clearTimeout(timer);
        console.log(label, clean(Buffer.concat(chunks).toString('latin1')));
        if (listen) console.log('  clientError:', JSON.stringify(errs));
        server.close(resolve);
      });
      c.write(Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'latin1'));
    });
  });
}

const req = (target, extra = '') => Buffer.concat([Buffer.from('GET '), Buffer.from(target, 'latin1'), Buffer.from(' HTTP/1.1\r\nHost: x\r\n' + extra + '\r\n')]);
(async () => {
  await run('ascii path', req('/plain'));
  await run('latin1 byte in path', req('/caf\xe9'));
  await run('utf-8 bytes in path', Buffer.concat([Buffer.from('GET /caf'), Buffer.from('é', 'utf8'), Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n')]));
  await run('0x80 in query', req('/q?a=\x80'));
  await run('0xff first', req('\xff/'));
  await run('percent-encoded', req('/caf%C3%A9'));
  await run('high byte in a header value', req('/h', 'X-V: caf\xe9\r\n'));
  await run('second request bad', Buffer.concat([req('/one'), req('/tw\xf6')]));
  await run('with clientError listener', req('/\xe9'), { listen: true });
  await run('absolute form with high byte', req('http://x/\xe9'));
  await run('DEL in path', req('/a\x7fb'));
  // The reasons node's parser gives, through a clientError listener.
  const targets = ['/p\xe9?q', '/p?q=\xe9', '/p#\xe9', '/a\tb', '/a\x0cb', '/a\x01b', '\xe9', 'a', 'http:', 'http:/',
    'http:x//h/', '1http://h/', 'ftp+x://h/', 'http://h\xe9/', 'http://h#f', 'http://u@@h/', 'http://u@h@x/', 'http://h',
    'http://[::1]:80/p', 'HTTP://h/\xe9', '*', '*\xe9', '/a"<>\\^`{|}~', 'http://h|/'];
  for (const t of targets) await run('target ' + JSON.stringify(t), req(t), { listen: true });
  const connect = (target) => Buffer.from('CONNECT ' + target + ' HTTP/1.1\r\nHost: x\r\n\r\n', 'latin1');
  await run('CONNECT high byte', connect('h\xe9:443'), { listen: true });
  await run('CONNECT bad char', connect('h{:443'), { listen: true });
})();
