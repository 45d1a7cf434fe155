// A connection whose request timed out is reported once: the timeout
// checker does not fire again for it, a 'clientError' listener's write
// after end goes nowhere, and the end of stream inside the unfinished head
// is its own clientError (HPE_INVALID_EOF_STATE), as in node.
const http = require('http');
const net = require('net');
const events = [];
const server = http.createServer({ headersTimeout: 200, requestTimeout: 400, connectionsCheckingInterval: 50 }, (req, res) => res.end('x'));
server.on('clientError', (err, socket) => {
  events.push('clientError ' + err.code + ' ' + err.message);
  socket.end('HTTP/1.1 418 Custom\r\nConnection: close\r\n\r\n');
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect({ port: server.address().port, host: '127.0.0.1', allowHalfOpen: true }, () => c.write('GET /slow HTTP/1.1\r\n'));
  let got = '';
  c.setEncoding('utf8');
  c.on('data', (d) => { got += d; });
  // The client keeps its side open past several checker intervals.
  c.on('end', () => setTimeout(() => c.end(), 150));
  c.on('close', () => setTimeout(() => {
    console.log(JSON.stringify(got));
    console.log(events.join('\n'));
    server.close(() => console.log('closed'));
  }, 100));
});
