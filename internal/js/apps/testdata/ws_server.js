// A ws WebSocket echo server.
const { WebSocketServer } = require('ws');
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 }, () => console.log('PORT ' + wss.address().port));
wss.on('connection', (ws, req) => {
  ws.send('welcome ' + req.url);
  ws.on('message', (data, isBinary) => ws.send(isBinary ? data : 'echo: ' + data.toString(), { binary: isBinary }));
});
