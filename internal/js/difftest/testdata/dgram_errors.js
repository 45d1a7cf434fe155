const dgram = require('dgram');
function t(name, f) { try { const r = f(); console.log(name, 'ok', r); } catch (e) { console.log(name, e.name, e.code, e.message); } }
t('badtype', () => dgram.createSocket('udp5'));
t('badtype2', () => dgram.createSocket({}));
t('badlookup', () => dgram.createSocket({ type: 'udp4', lookup: 1 }));
t('badbuf', () => dgram.createSocket({ type: 'udp4', recvBufferSize: -1 }));
const s = dgram.createSocket('udp4');
t('address unbound', () => s.address());
t('setBroadcast unbound', () => s.setBroadcast(true));
t('setTTL unbound', () => s.setTTL(5));
t('setTTL type', () => s.setTTL('5'));
t('getRecvBufferSize unbound', () => s.getRecvBufferSize());
t('remoteAddress', () => s.remoteAddress());
t('send badport', () => s.send('x', 0, '127.0.0.1'));
t('send badport2', () => s.send('x', 70000, '127.0.0.1'));
t('send badbuf', () => s.send(5, 1234, '127.0.0.1'));
t('send badlist', () => s.send([5], 1234, '127.0.0.1'));
t('send oob', () => s.send(Buffer.alloc(4), 5, 1, 1234, '127.0.0.1'));
t('send oob2', () => s.send(Buffer.alloc(4), 2, 3, 1234, '127.0.0.1'));
t('connect badport', () => s.connect(0));
t('membership missing', () => s.addMembership());
t('ssm', () => s.addSourceSpecificMembership(1, '224.0.0.1'));
s.bind(0, '127.0.0.1', () => {
  const port = s.address().port;
  t('bind again', () => s.bind(0));
  t('setBroadcast', () => s.setBroadcast(true));
  t('setTTL', () => s.setTTL(64));
  t('setTTL 0', () => s.setTTL(0));
  t('setMulticastTTL', () => s.setMulticastTTL(3));
  t('setMulticastLoopback', () => s.setMulticastLoopback(false));
  t('setMulticastInterface', () => s.setMulticastInterface('127.0.0.1'));
  t('addMembership', () => s.addMembership('224.0.0.114', '127.0.0.1'));
  t('dropMembership', () => s.dropMembership('224.0.0.114', '127.0.0.1'));
  t('addMembership bad', () => s.addMembership('10.0.0.1'));
  t('recv>0', () => s.getRecvBufferSize() > 0);
  t('send>0', () => s.getSendBufferSize() > 0);
  t('setRecv', () => { s.setRecvBufferSize(8192); return s.getRecvBufferSize(); });
  t('queue', () => [s.getSendQueueSize(), s.getSendQueueCount()]);
  const s2 = dgram.createSocket('udp4');
  s2.on('error', (e) => {
    console.log('s2 error', e.code, e.syscall, e.address, e.port === port, e.message === 'bind EADDRINUSE 127.0.0.1:' + port);
    s2.close();
    const s3 = dgram.createSocket({ type: 'udp4', lookup: (h, f, cb) => { console.log('lookup', h, f); cb(null, '127.0.0.1', 4); } });
    s3.send('via lookup', port, 'example.invalid', (err, n) => {
      console.log('s3 sent', err, n);
      s3.close();
    });
  });
  s2.bind(port, '127.0.0.1');
  s.on('message', (m, r) => {
    console.log('msg', m.toString());
    s.close();
    t('after close', () => s.address());
    t('close twice', () => s.close());
    // an unref'd bound socket must not hold the loop
    const u = dgram.createSocket('udp4');
    u.bind(0, () => { console.log('u bound'); u.unref(); });
    const w = dgram.createSocket('udp6');
    w.bind(0, '::1', () => { console.log('w', w.address().family, w.address().address); w.unref(); });
  });
});
process.on('exit', (c) => console.log('exit', c));
