'use strict';
// Forks child.js with serialization 'advanced' (the child runs on
// IPC_CHILD_EXEC, else this runtime), sends every value, and prints what
// comes back. Then a net.Server travels with a message, as a handle.
const { fork } = require('child_process');
const net = require('net');
const { values, show } = require('./values.js');

const c = fork(__dirname + '/child.js', [], {
  serialization: 'advanced',
  execPath: process.env.IPC_CHILD_EXEC || process.execPath,
  stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
});
const got = [];
c.on('message', (m, handle) => {
  if (m === 'done') {
    for (const g of got) console.log('child->parent', show(g));
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      c.send({ server: new Map([['port', 'sent']]) }, server, () => server.close());
    });
    return;
  }
  if (m && m.handleBack) {
    console.log('handle round trip', show(m), handle === undefined);
    c.disconnect();
    return;
  }
  got.push(m);
});
c.on('exit', (code) => console.log('child exit', code));
for (const v of values()) c.send(v);
c.send('done');
