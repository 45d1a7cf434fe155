// The server's headersTimeout and requestTimeout: a client that never
// finishes its request head, or its body, gets a 408 and the connection
// closes; with a 'clientError' listener the listener decides. Complete
// requests are unaffected.
const http = require('http');
const net = require('net');

function rawClient(port, text) {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1', () => c.write(text));
    let got = '';
    c.setEncoding('utf8');
    c.on('data', (d) => { got += d; });
    c.on('error', (e) => { got += ' [' + e.code + ']'; });
    c.on('close', () => resolve(got.replace(/Date: .*\r\n/, '')));
  });
}

async function main() {
  const events = [];
  const server = http.createServer({ headersTimeout: 200, requestTimeout: 400, connectionsCheckingInterval: 50 }, (req, res) => {
    events.push('request ' + req.url);
    req.resume();
    req.on('end', () => res.end('done ' + req.url));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  console.log('complete:', JSON.stringify(await rawClient(port, 'GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')));
  console.log('partial head:', JSON.stringify(await rawClient(port, 'GET /slow HTTP/1.1\r\nHost: x\r\n')));
  console.log('partial body:', JSON.stringify(await rawClient(port, 'POST /body HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc')));
  // The events are printed once the server's side of the connection has
  // closed too: its end of stream (inside a head: a second clientError)
  // may come before or after the client's 'close'.
  let serverClosed = null;
  server.on('clientError', (err, socket) => {
    events.push('clientError ' + err.code + ' ' + err.message);
    if (serverClosed === null) serverClosed = new Promise((r) => socket.on('close', r));
    socket.end('HTTP/1.1 418 Custom\r\nConnection: close\r\n\r\n');
  });
  console.log('with clientError:', JSON.stringify(await rawClient(port, 'GET /slow2 HTTP/1.1\r\n')));
  await serverClosed;
  console.log(events.join('\n'));
  server.close(() => console.log('closed'));
}
main();
