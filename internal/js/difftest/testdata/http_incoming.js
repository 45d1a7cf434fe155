// IncomingMessage as a stream: subclassed through createServer's
// IncomingMessage option, requests with and without a body read as
// streams, and 'close' after the response, as node does.
const http = require('http');
const { Readable } = require('stream');
class MyReq extends http.IncomingMessage {
  constructor(s) { super(s); this.mine = 1; }
}
const closes = [];
const srv = http.createServer({ IncomingMessage: MyReq }, (req, res) => {
  const out = [req instanceof Readable, req instanceof http.IncomingMessage, req.constructor.name, req.mine, req.readableEnded];
  req.on('close', () => closes.push('req close ' + req.url + ' ' + req.destroyed));
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (d) => { body += d; });
  req.on('end', () => { out.push(body, req.readableEnded, req.complete); res.end(JSON.stringify(out)); });
});
const plain = http.createServer((req, res) => {
  // Nobody reads this request: the response alone completes it.
  res.end(req.method + ' ' + req.url + ' ' + req.headers['content-length']);
});
srv.listen(0, '127.0.0.1', () => plain.listen(0, '127.0.0.1', async () => {
  const p = srv.address().port;
  for (const [m, b] of [['GET', null], ['POST', 'hello']]) {
    const r = await fetch(`http://127.0.0.1:${p}/${m}`, { method: m, body: b });
    console.log(await r.text());
  }
  for (const [m, b] of [['GET', null], ['POST', 'x'.repeat(100000)]]) {
    const r = await fetch(`http://127.0.0.1:${plain.address().port}/unread`, { method: m, body: b });
    console.log(await r.text());
  }
  srv.close();
  plain.close(() => console.log(closes.sort().join('\n')));
}));
