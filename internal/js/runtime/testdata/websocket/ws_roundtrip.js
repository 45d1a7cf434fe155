// The global WebSocket client against the ws package's server: a
// subprotocol, text/binary/large messages, a server ping, and a close the
// server starts. Server-side observations are printed at the end (their
// timing against the client's lines races).
const { WebSocketServer } = require('ws');
const seen = [];
const pongs = []; // the pong's place among the messages races: kept apart
const wss = new WebSocketServer({
  port: 0,
  host: '127.0.0.1',
  handleProtocols: (set) => (set.has('b') ? 'b' : false),
});
wss.on('connection', (sock, req) => {
  seen.push(`url ${req.url} version ${req.headers['sec-websocket-version']}`);
  sock.ping('p');
  sock.on('pong', (d) => pongs.push(`pong ${d}`));
  sock.on('message', (data, isBinary) => {
    seen.push(`${isBinary ? 'binary' : 'text'} ${data.length}`);
    if (!isBinary && String(data) === 'close') {
      sock.close(4000, 'bye');
      return;
    }
    sock.send(isBinary ? data : 'echo ' + data, { binary: isBinary });
  });
});
wss.on('listening', () => {
  const ws = new WebSocket(`ws://127.0.0.1:${wss.address().port}/path?q=1`, ['a', 'b']);
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => {
    console.log('open', ws.protocol, ws.readyState);
    ws.send('hi');
    ws.send(new Uint8Array([1, 2, 3]));
    ws.send('x'.repeat(100000));
    ws.send(new Blob(['blob']));
    ws.send('close');
  };
  ws.onmessage = (e) => console.log('message', typeof e.data === 'string' ?
    `${e.data.slice(0, 10)} ${e.data.length}` : Buffer.from(e.data).toString('hex'));
  ws.onclose = (e) => {
    console.log('close', e.code, e.reason, e.wasClean, ws.readyState);
    wss.close(() => console.log(seen.concat(pongs).join('\n')));
  };
});
