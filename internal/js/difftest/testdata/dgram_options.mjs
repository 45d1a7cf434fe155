import dgram, { createSocket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import * as te from 'node:trace_events';
console.log(typeof dgram.createSocket, typeof createSocket, typeof lookup, typeof te.createTracing);
const a = createSocket({ type: 'udp4', reuseAddr: true });
a.bind({ port: 0, address: '127.0.0.1', exclusive: false }, () => {
  const port = a.address().port;
  const b = createSocket({ type: 'udp4', reuseAddr: true });
  b.on('error', (e) => console.log('b error', e.code));
  b.bind(port, '127.0.0.1', () => {
    console.log('reuse ok', b.address().port === port);
    b.close(); a.close();
    const six = createSocket('udp6');
    six.on('message', (m, r) => { console.log('six got', m.toString(), r.family, r.address); six.close(); });
    six.bind(0, () => {
      const c = createSocket('udp4');
      c.send('v4-to-dual', six.address().port, '127.0.0.1', () => c.close());
    });
  });
});
const ac = new AbortController();
const s = createSocket({ type: 'udp4', signal: ac.signal });
s.on('close', () => console.log('aborted close'));
s.bind(0, () => ac.abort());
const only = createSocket({ type: 'udp6', ipv6Only: true });
only.bind(0, '::', () => { console.log('v6only', only.address().family); only.close(); });
