// When a forked child exits: without 'message' listeners the channel does
// not hold it; with one it stays until the listener goes or the parent
// disconnects; process.channel.unref() releases it. silent: true pipes
// the child's stdio. 'close' follows 'exit' when the child ends the
// channel.
const { fork } = require('child_process');
const mode = process.argv[2];

if (mode === 'plain') {
  process.send({ mode });
} else if (mode === 'listener') {
  process.on('message', function onMessage(m) {
    if (m === 'stop') process.removeListener('message', onMessage);
  });
  process.send({ mode });
} else if (mode === 'unref') {
  process.on('message', () => {});
  process.channel.unref();
  process.send({ mode });
} else if (mode === 'silent') {
  console.log('to stdout');
  console.error('to stderr');
  process.send({ mode });
} else {
  const run = (m, opts, then) => {
    const child = fork(__filename, [m], opts);
    const log = [];
    child.on('message', (msg) => {
      log.push('message ' + msg.mode);
      if (m === 'listener') child.send('stop');
    });
    if (child.stdout) {
      // Two pipes: which one's data arrives first races, so each is kept.
      let out = '', err = '';
      child.stdout.on('data', (d) => out += d);
      child.stderr.on('data', (d) => err += d);
      child.on('close', () => log.push('stdio ' + JSON.stringify(out + err)));
    }
    child.on('exit', (code, sig) => log.push(`exit ${code} ${sig}`));
    child.on('close', (code) => {
      log.push('close ' + code);
      console.log(m, log.join(', '));
      then();
    });
  };
  run('plain', {}, () => run('listener', {}, () => run('unref', {}, () => run('silent', { silent: true }, () => console.log('done')))));
}
