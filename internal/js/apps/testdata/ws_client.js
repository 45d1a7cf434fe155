// A ws client: text, binary and a large message, then a clean close.
const WebSocket = require('ws');
const ws = new WebSocket('ws://127.0.0.1:' + process.argv[2] + '/chat?x=1');
const got = [];
const sends = [() => ws.send('hello'), () => ws.send(Buffer.from([1, 2, 3, 250])), () => ws.send('x'.repeat(70000))];
ws.on('message', (data, isBinary) => {
  got.push(isBinary ? 'binary ' + Buffer.from(data).toString('hex') : 'text ' + (data.length > 100 ? data.length + ' chars' : data.toString()));
  const next = sends.shift();
  if (next) next(); else ws.close(1000, 'done');
});
ws.on('close', (code, reason) => { got.push('close ' + code + ' ' + reason); console.log(got.join('\n')); });
ws.on('error', (e) => { console.log('error ' + e.message); process.exit(1); });
