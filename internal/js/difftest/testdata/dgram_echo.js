const dgram = require('dgram');
const srv = dgram.createSocket('udp4');
srv.on('message', (msg, rinfo) => {
  console.log('server got', msg.toString(), rinfo.address, rinfo.family, rinfo.size, typeof rinfo.port);
  srv.send(Buffer.from('echo:' + msg), rinfo.port, rinfo.address);
});
srv.on('listening', () => {
  const a = srv.address();
  console.log('listening', a.address, a.family, a.port > 0);
  const cli = dgram.createSocket({ type: 'udp4' });
  cli.on('message', (m, r) => {
    console.log('client got', m.toString(), r.port === a.port);
    if (m.toString() === 'echo:abcdef') {
      cli.connect(a.port, '127.0.0.1', () => {
        console.log('connected', cli.remoteAddress().port === a.port);
        try { cli.send('x', a.port, '127.0.0.1'); } catch (e) { console.log(e.code, e.message); }
        cli.send(['con', Buffer.from('nected')], (err, n) => console.log('connected send', err, n));
        try { cli.connect(1, '127.0.0.1'); } catch (e) { console.log(e.code, e.message); }
      });
    } else if (m.toString() === 'echo:connected') {
      cli.disconnect();
      try { cli.remoteAddress(); } catch (e) { console.log(e.code, e.message); }
      try { cli.disconnect(); } catch (e) { console.log(e.code, e.message); }
      cli.close(() => { console.log('cli closed'); srv.close(); });
    }
  });
  cli.send('hello', a.port, '127.0.0.1', (err, n) => {
    console.log('sent', err, n);
    cli.send(Buffer.from('xxabcdefyy'), 2, 6, a.port, '127.0.0.1');
  });
});
srv.on('close', () => console.log('srv close'));
srv.bind(0, '127.0.0.1');
