// The global WebSocket client against a small RFC 6455 server written here
// over http's 'upgrade': text and binary messages both ways (blob and
// arraybuffer binaryType, ArrayBuffer/view/Blob sends, a fragmented and a
// 70000-byte message), a subprotocol, ping/pong, the close handshake from
// either side, a refused connection, and the argument errors. Node 20 has the client only behind
// --experimental-websocket, so under node this program re-runs itself
// with that flag.
if (typeof WebSocket === 'undefined') {
  const r = require('child_process').spawnSync(process.execPath,
    ['--experimental-websocket', '--no-warnings', __filename, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status);
}
const http = require('http');
const crypto = require('crypto');

function frame(opcode, payload, fin = true) {
  const len = payload.length;
  const head = len < 126 ? Buffer.from([(fin ? 0x80 : 0) | opcode, len]) :
    len < 65536 ? Buffer.from([(fin ? 0x80 : 0) | opcode, 126, len >> 8, len & 255]) :
      Buffer.concat([Buffer.from([(fin ? 0x80 : 0) | opcode, 127, 0, 0, 0, 0]), Buffer.from([len >>> 24, (len >> 16) & 255, (len >> 8) & 255, len & 255])]);
  return Buffer.concat([head, payload]);
}

const log = [];
const server = http.createServer();
server.on('upgrade', (req, socket) => {
  const accept = crypto.createHash('sha1').update(req.headers['sec-websocket-key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
  const protos = (req.headers['sec-websocket-protocol'] || '').split(/, */).filter(Boolean);
  log.push(`server: ${req.url} version ${req.headers['sec-websocket-version']} protocols ${protos.join('+')}`);
  socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
    `Sec-WebSocket-Accept: ${accept}\r\n` + (protos.length ? `Sec-WebSocket-Protocol: ${protos[1] || protos[0]}\r\n` : '') + '\r\n');
  if (req.url === '/server-closes') {
    socket.write(frame(1, Buffer.from('bye soon')));
    const p = Buffer.alloc(2 + 6);
    p.writeUInt16BE(4001, 0);
    p.write('server', 2);
    socket.write(frame(8, p));
  }
  if (req.url === '/fragments') {
    socket.write(frame(1, Buffer.from('frag'), false));
    socket.write(frame(9, Buffer.from('ping!')));
    socket.write(frame(0, Buffer.from('mented'), true));
  }
  let buf = Buffer.alloc(0);
  socket.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    while (buf.length >= 2) {
      const opcode = buf[0] & 15;
      let len = buf[1] & 127, p = 2;
      if (!(buf[1] & 128)) log.push('server: unmasked frame');
      if (len === 126) { if (buf.length < 4) return; len = buf.readUInt16BE(2); p = 4; }
      else if (len === 127) { if (buf.length < 10) return; len = buf.readUInt32BE(6); p = 10; }
      if (buf.length < p + 4 + len) return;
      const mask = buf.subarray(p, p + 4);
      const data = Buffer.from(buf.subarray(p + 4, p + 4 + len)).map((b, i) => b ^ mask[i & 3]);
      buf = buf.subarray(p + 4 + len);
      if (opcode === 8) {
        log.push(`server: close ${data.length >= 2 ? data.readUInt16BE(0) : 'none'} ${JSON.stringify(data.subarray(2).toString())}`);
        socket.end(frame(8, data.subarray(0, 2)));
      } else if (opcode === 10) {
        log.push(`server: pong ${data.toString()}`);
      } else {
        log.push(`server: ${opcode === 1 ? 'text' : 'binary'} ${len}`);
        socket.write(frame(opcode, Buffer.from(data)));
      }
    }
  });
});

const steps = [];
server.listen(0, '127.0.0.1', async () => {
  const base = `ws://127.0.0.1:${server.address().port}`;
  for (const bad of [['http://x/#a'], ['ftp://x/'], ['not a url'], [base, ['a', 'a']], [base, 'a b']]) {
    try { new WebSocket(...bad); } catch (e) { console.log('throws', e.name, e.constructor.name); }
  }
  // 1. echo with a subprotocol, every kind of send, arraybuffer binaryType.
  await new Promise((resolve) => {
    const ws = new WebSocket(base + '/echo?x=1', ['chat', 'superchat']);
    console.log('new', ws.url.replace(/:\d+\//, ':PORT/'), ws.readyState, ws.binaryType, ws.protocol === '', ws.bufferedAmount, WebSocket.CONNECTING, ws.CLOSING);
    try { ws.send('too early'); } catch (e) { console.log('early send', e.name); }
    const got = [];
    ws.addEventListener('open', (ev) => {
      console.log('open', ev.constructor.name, ws.readyState, ws.protocol, ws.extensions === '');
      ws.binaryType = 'nonsense';
      console.log('binaryType', ws.binaryType);
      ws.binaryType = 'arraybuffer';
      ws.send('héllo');
      ws.send(new Uint8Array([1, 2, 3]).buffer);
      ws.send(new Uint16Array([258]));
      ws.send(new Blob(['blob!']));
      ws.send('x'.repeat(70000));
      ws.send('last');
    });
    ws.onmessage = (ev) => {
      const d = ev.data;
      got.push(typeof d === 'string' ? (d.length > 100 ? 'string ' + d.length : d) : d.constructor.name + ' ' + Buffer.from(d).toString('hex'));
      if (d === 'last') {
        console.log('messages', ev.constructor.name, ev.origin.replace(/:\d+$/, ':PORT'), JSON.stringify(got));
        for (const [c, r] of [[999], [1000, 'r'.repeat(124)]]) {
          try { ws.close(c, r); } catch (e) { console.log('close throws', e.name); }
        }
        ws.close(1000, 'done');
        console.log('closing', ws.readyState);
        ws.close();
      }
    };
    ws.onclose = (ev) => {
      console.log('close', ev.constructor.name, ev.wasClean, ev.code, ev.reason, ws.readyState);
      resolve();
    };
  });
  // 2. blob binaryType; the server closes first, with a code and reason.
  await new Promise((resolve) => {
    const ws = new WebSocket(base + '/server-closes');
    ws.onopen = () => ws.send(new Uint8Array([255]));
    ws.onmessage = async (ev) => console.log('message', typeof ev.data === 'string' ? ev.data : await ev.data.text());
    ws.onclose = (ev) => {
      console.log('close', ev.wasClean, ev.code, ev.reason, ws.readyState);
      resolve();
    };
  });
  // 3. a fragmented message with a ping between the fragments.
  await new Promise((resolve) => {
    const ws = new WebSocket(base + '/fragments', 'only');
    ws.onmessage = (ev) => { console.log('fragments', ev.data, ws.protocol); ws.close(); };
    ws.onclose = (ev) => { console.log('close', ev.wasClean, ev.code, JSON.stringify(ev.reason)); resolve(); };
  });
  // 4. nothing listening: an error event (node 20's client never follows
  // it with 'close', so the program does not wait for one).
  await new Promise((resolve) => {
    const probe = http.createServer().listen(0, '127.0.0.1', () => {
      const port = probe.address().port;
      probe.close(() => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
        ws.onerror = (ev) => { console.log('refused', ev.type, ev.constructor.name); resolve(); };
      });
    });
  });
  server.close();
  setTimeout(() => console.log(log.join('\n')), 50);
});
