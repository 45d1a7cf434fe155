// path's slow paths (inputs with '.', '..' or repeated separators) give
// the same answers when asked again, after many other inputs, after
// process.chdir (relative resolve), for long inputs, and interleaved with
// win32 calls: gnode remembers slow-path results, node does not.
const path = require('path');
const fs = require('fs');
const os = require('os');

const base = fs.realpathSync(fs.mkdtempSync(`${os.tmpdir()}/gnode-pathc-`));
const out = [];
const rel = (s) => (typeof s === 'string' ? s.split(base).join('<base>') : s);
function rec(label, fn) {
  let r;
  try {
    r = JSON.stringify(rel(fn()));
  } catch (e) {
    r = `throws ${e.code}: ${e.message}`;
  }
  out.push(`${label} -> ${r}`);
}

const slow = ['/srv/app/../public/index.html', './/page.html', './/x/../y', 'a/./b/../../..',
  '/a//b/./c/..', '../../x', '/..', '//', '.', './', 'a/..', 'a/../', '/a/b/../../../c/',
  'x/y/../../..//z/.', '/tmp/bs/./static/../static//page.html'];
function round(tag) {
  for (const p of slow) {
    rec(`${tag} normalize ${p}`, () => path.normalize(p));
    rec(`${tag} resolve ${p}`, () => path.resolve(p));
    rec(`${tag} resolve2 ${p}`, () => path.resolve('/root/x', p));
    rec(`${tag} join ${p}`, () => path.join('a/b', p));
    rec(`${tag} join3 ${p}`, () => path.join(p, '..', 'q'));
    rec(`${tag} relative ${p}`, () => path.relative(p, '/srv/app/x'));
    rec(`${tag} win32 normalize ${p}`, () => path.win32.normalize(p));
    rec(`${tag} win32 resolve ${p}`, () => path.win32.resolve('C:\\w', p));
    rec(`${tag} posix normalize ${p}`, () => path.posix.normalize(p));
  }
}

round('first');
round('again');

// Past the remembered set's size: many distinct inputs, then the first
// ones again.
for (let i = 0; i < 1500; i++) {
  const p = `/d${i % 37}/./e${i}/../f${i % 11}//g`;
  const a = path.normalize(p);
  const b = path.resolve(`x${i}/..`, p.slice(1));
  if (i % 150 === 0) out.push(`many ${i} ${a} ${rel(b)}`);
}
round('after many');

// Long inputs.
const long = `/${'seg/'.repeat(300)}../${'./'.repeat(50)}end`;
rec('long normalize', () => path.normalize(long).length);
rec('long normalize again', () => path.normalize(long).length);
rec('long resolve', () => path.resolve(long, '..', '..').length);

// Relative resolves follow the working directory.
fs.mkdirSync(`${base}/one/two`, { recursive: true });
process.chdir(`${base}/one`);
rec('cwd one resolve', () => path.resolve('two/../x/./y'));
rec('cwd one resolve dot', () => path.resolve('.'));
rec('cwd one relative', () => path.relative('two/..', 'x'));
process.chdir(`${base}/one/two`);
rec('cwd two resolve', () => path.resolve('two/../x/./y'));
rec('cwd two resolve dot', () => path.resolve('.'));
rec('cwd two relative', () => path.relative('two/..', 'x'));
process.chdir(`${base}/one`);
rec('cwd one again resolve', () => path.resolve('two/../x/./y'));
process.chdir(os.tmpdir());
fs.rmSync(base, { recursive: true, force: true });

console.log(out.join('\n'));
