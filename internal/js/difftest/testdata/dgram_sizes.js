const dgram = require('dgram');
const s = dgram.createSocket('udp4');
let n = 0;
s.on('message', (m, r) => {
  console.log('got', m.length, r.size, Buffer.isBuffer(m));
  if (++n === 2) s.close();
});
s.bind(0, '127.0.0.1', () => {
  const port = s.address().port;
  const c = dgram.createSocket('udp4');
  c.send(Buffer.alloc(0), port, '127.0.0.1', (err, bytes) => {
    console.log('empty', err, bytes);
    c.send(Buffer.alloc(70000), port, '127.0.0.1', (err) => {
      console.log('big', err.code, err.syscall, err.message === 'send EMSGSIZE 127.0.0.1:' + port, err.address, err.port === port);
      c.send([Buffer.from('ab'), 'cd', new Uint8Array([101])], port, '127.0.0.1', (err, bytes) => {
        console.log('list', err, bytes);
        c.close();
      });
    });
  });
});
