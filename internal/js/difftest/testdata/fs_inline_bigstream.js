const fs = require('fs');
const out = [];
// A 300,000-byte file of a fixed pseudo-random pattern, written first.
const f = require('path').join(require('os').tmpdir(), 'fs_inline_big_' + process.pid + '.bin');
{
  const b = Buffer.alloc(300000);
  let x = 12345;
  for (let i = 0; i < b.length; i++) { x = (x * 1103515245 + 12345) >>> 0; b[i] = x >>> 24; }
  fs.writeFileSync(f, b);
  process.on('exit', () => fs.unlinkSync(f));
}
function run(name, opts) {
  return new Promise((res) => {
    const sizes = [];
    const s = fs.createReadStream(f, opts);
    let total = 0;
    const h = require('crypto').createHash('sha1');
    s.on('data', (c) => { sizes.push(c.length); h.update(c); });
    s.on('end', () => out.push(name + ' ' + sizes.join(',') + ' ' + h.digest('hex')));
    s.on('close', res);
  });
}
(async () => {
  await run('whole');
  await run('range', { start: 1000, end: 250000 });
  await run('hwm', { highWaterMark: 100000 });
  await run('start', { start: 299990 });
  await run('enc', { start: 5, end: 20, encoding: 'hex' });
  fs.open(f, 'r', (e, fd) => {
    const b = Buffer.alloc(70000);
    fs.read(fd, b, 0, 70000, 250000, (e, n) => {
      out.push('fs.read ' + n);
      fs.close(fd, () => console.log(out.join('\n')));
    });
  });
})();
