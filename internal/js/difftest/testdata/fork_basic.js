// child_process.fork: messages both ways over the IPC channel (JSON
// values, order kept), send callbacks, connected, disconnect from the
// parent, the child's 'disconnect', exit codes, and the channel errors.
// The child reports through messages: its own stdout would race the
// parent's lines. FORK_EXEC_PATH (set by the runtime package's Go test)
// picks the child's binary, to run a node parent with a gnode child.
const { fork } = require('child_process');

if (process.argv[2] === 'child') {
  const seen = [];
  process.on('message', (m) => {
    seen.push(m);
    if (m === 'report') {
      process.send({ seen, connected: process.connected, argv: process.argv.slice(3), hasChannel: !!process.channel });
    }
  });
  process.on('disconnect', () => {
    // The channel is gone; only the exit code tells the parent.
    process.exitCode = process.connected === false && process.channel == null ? 7 : 8;
  });
  process.send({ ready: true, env: process.env.NODE_CHANNEL_FD === undefined, extra: process.env.FORK_EXTRA });
} else {
  const child = fork(__filename, ['child', 'x', 'y'], {
    env: { ...process.env, FORK_EXTRA: 'yes' },
    execPath: process.env.FORK_EXEC_PATH || process.execPath,
  });
  console.log('parent', child.connected, typeof child.send, typeof child.disconnect, typeof child.channel.ref);
  const values = [1, 'two', null, true, [1, [2]], { a: { b: 'c' } }, 'ünï €', 1.5, -0, { u: undefined, f: 1 }];
  let sent = 0;
  child.on('message', (m) => {
    if (m.ready) {
      console.log('ready', m.env, m.extra);
      for (const v of values) child.send(v, (err) => { if (err === null) sent++; });
      child.send('report');
      return;
    }
    console.log('report', JSON.stringify(m.seen), m.connected, m.argv, m.hasChannel, 'callbacks', sent);
    child.disconnect();
    console.log('after disconnect', child.connected);
    child.send('late', (err) => console.log('late send', err.code, err.message));
    child.on('error', (err) => console.log('error event', err.code, err.message));
    child.disconnect();
  });
  child.on('disconnect', () => console.log('parent disconnect', child.connected, child.channel));
  child.on('exit', (code, signal) => console.log('exit', code, signal));
  try {
    fork(__filename, ['child'], { stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    console.log('no ipc', e.code, e.message);
  }
}
