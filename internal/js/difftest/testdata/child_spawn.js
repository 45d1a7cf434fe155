// child_process: spawn with piped stdio, exit codes and signals, exec,
// execFile, the sync variants and a missing command.
const cp = require('child_process');
const util = require('util');
function spawnP(cmd, args, input) {
  return new Promise((resolve) => {
    const c = cp.spawn(cmd, args);
    let out = '', err = '';
    c.stdout.on('data', (d) => { out += d; });
    c.stderr.on('data', (d) => { err += d; });
    const events = [];
    c.on('exit', (code, sig) => events.push(`exit ${code} ${sig}`));
    c.on('close', (code, sig) => {
      events.push(`close ${code} ${sig}`);
      resolve({ out, err, events, pid: typeof c.pid });
    });
    if (input !== undefined) c.stdin.end(input);
  });
}
(async () => {
  console.log(JSON.stringify(await spawnP('sh', ['-c', 'echo out; echo err 1>&2; exit 3'])));
  console.log(JSON.stringify(await spawnP('sh', ['-c', 'read a; read b; echo "$b $a"'], 'first\nsecond\n')));
  console.log(JSON.stringify(await spawnP('sh', ['-c', 'kill -TERM $$'])));
  const big = await spawnP('sh', ['-c', 'head -c 300000 /dev/zero | tr "\\0" x']);
  console.log('big', big.out.length, big.events.join(','));
  const { stdout } = await util.promisify(cp.exec)('echo "$0" | tr a-z A-Z');
  console.log('exec', JSON.stringify(stdout));
  await new Promise((r) => cp.exec('echo partial; exit 7', (err, so, se) => {
    console.log('exec fail', err.code, err.killed, err.signal, JSON.stringify(err.message), JSON.stringify(so));
    r();
  }));
  await new Promise((r) => cp.execFile('printf', ['%s-%s', 'a', 'b'], (err, so) => { console.log('execFile', err, so); r(); }));
  await new Promise((r) => cp.exec('exec sleep 5', { timeout: 50 }, (err) => { console.log('timeout', err.killed, err.signal, err.code); r(); }));
  const k = cp.spawn('sleep', ['5']);
  await new Promise((r) => { k.on('close', (code, sig) => { console.log('kill', code, sig, k.killed, k.signalCode); r(); }); k.kill('SIGKILL'); });
  console.log('execSync', JSON.stringify(cp.execSync('echo sync; echo warn 1>&2', { stdio: 'pipe' }).toString()));
  console.log('execFileSync', JSON.stringify(cp.execFileSync('sh', ['-c', 'echo $X'], { env: { X: 'envvar', PATH: process.env.PATH }, encoding: 'utf8' })));
  try { cp.execSync('exit 5', { stdio: 'pipe' }); } catch (e) { console.log('execSync throws', e.status, e.signal, e.message); }
  const s = cp.spawnSync('sh', ['-c', 'cat; echo done 1>&2'], { input: 'in', encoding: 'utf8' });
  console.log('spawnSync', s.status, s.signal, JSON.stringify(s.stdout), JSON.stringify(s.stderr), s.output.length);
  const m = cp.spawnSync('no-such-command-rth');
  console.log('spawnSync missing', m.error.code, m.error.message, m.status);
  cp.spawn('no-such-command-rth', ['x']).on('error', (e) => console.log('spawn missing', e.code, e.errno, e.syscall, e.path, JSON.stringify(e.spawnargs)))
    .on('close', (code, sig) => console.log('missing close', code, sig));
})();
