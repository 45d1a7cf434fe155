// node:test mock.timers: setTimeout/setInterval/setImmediate/Date driven by
// tick, runAll and setTime, restored after the test. The experimental
// warning goes to stderr, which is not compared.
let pending = '';
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  pending += String(chunk);
  const lines = pending.split('\n');
  pending = lines.pop();
  const out = lines.map((l) => l.replace(/duration_ms:? [\d.e+-]+/, 'duration_ms *') + '\n').join('');
  return out ? write(out, ...rest) : true;
};
const { test, mock } = require('node:test');
const assert = require('assert');
const log = [];
test('timers', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'setImmediate'] });
  setTimeout(() => log.push('t100'), 100);
  setTimeout((a, b) => log.push('t50 ' + a + b), 50, 'x', 'y');
  const iv = setInterval(() => log.push('iv30'), 30);
  const c = setTimeout(() => log.push('cleared'), 10);
  clearTimeout(c);
  setImmediate(() => log.push('imm'));
  t.mock.timers.tick(60);
  log.push('--');
  clearInterval(iv);
  t.mock.timers.tick(100);
  log.push('--');
  setTimeout(() => log.push('late'), 1000);
  t.mock.timers.runAll();
});
test('date', (t) => {
  t.mock.timers.enable({ apis: ['Date'], now: 1000 });
  log.push(Date.now(), new Date().getTime());
  t.mock.timers.tick(500);
  log.push(Date.now());
  t.mock.timers.setTime(5);
  log.push(Date.now(), new Date(0).getTime());
});
test('restored', () => {
  log.push(typeof setTimeout(() => {}, 0), Date.now() > 1e12);
});
process.on('exit', () => console.log(log.join('\n')));

test('runAll with interval', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
  setInterval(() => log.push('iv'), 40);
  setTimeout(() => log.push('t100'), 100);
  t.mock.timers.runAll();
  log.push('nested');
  setTimeout(() => { log.push('outer'); setTimeout(() => log.push('inner'), 10); }, 10);
  t.mock.timers.tick(30);
});

