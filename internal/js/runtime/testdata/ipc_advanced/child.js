'use strict';
const net = require('net');
const { values, show } = require('./values.js');

const got = [];
process.on('message', (m, handle) => {
  if (m === 'done') {
    for (const g of got) console.log('parent->child', show(g));
    for (const v of values()) process.send(v);
    process.send('done');
    return;
  }
  if (m && m.server) {
    console.log('child got', show(m), handle instanceof net.Server);
    const port = handle.address().port;
    handle.close();
    process.send({ handleBack: new Set([typeof port]) });
    return;
  }
  got.push(m);
});
process.on('disconnect', () => console.log('child disconnected'));
