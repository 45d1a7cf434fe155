// A child that sends many messages and ends: every message reaches the
// parent before the child's 'exit' (its channel is read to the end first).
const { fork } = require('child_process');
if (process.argv[2]) { for (let i = 0; i < 300; i++) process.send({ i, pad: 'x'.repeat(200) }); }
else {
  let n = 0; const c = fork(__filename, ['x']);
  c.on('message', () => n++);
  c.on('exit', (code) => console.log('at exit', n, code));
  c.on('close', () => console.log('at close', n));
}
