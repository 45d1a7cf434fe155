// Two socket.io clients join a room; one sends, both receive; acks come back.
const { io } = require('socket.io-client');
const url = 'http://127.0.0.1:' + process.argv[2];
const transports = process.argv[3] === 'polling' ? ['polling'] : ['websocket'];
const out = [];
function client(name) {
  return new Promise((resolve, reject) => {
    const s = io(url, { transports, reconnection: false });
    s.on('connect', () => resolve(s));
    s.on('connect_error', reject);
    s.on('chat', (m) => out.push(name + ' got ' + m.from + ': ' + m.text));
  });
}
(async () => {
  const a = await client('alice');
  const b = await client('bob');
  out.push(JSON.stringify(await a.emitWithAck('join', 'lobby')));
  out.push(JSON.stringify(await b.emitWithAck('join', 'lobby')));
  out.push(await a.emitWithAck('chat', { room: 'lobby', from: 'alice', text: 'hi bob' }));
  out.push(await b.emitWithAck('chat', { room: 'lobby', from: 'bob', text: 'hello alice ✓' }));
  await new Promise((r) => setTimeout(r, 100));
  a.disconnect();
  b.disconnect();
  out.sort();
  console.log(out.join('\n'));
})().catch((e) => { console.log('error ' + e.message); process.exit(1); });
