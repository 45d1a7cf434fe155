// Synchronous fs operations and their error shapes.
const fs = require('fs');
const os = require('os');
const path = require('path');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gnode-fs-'));
const f = path.join(dir, 'a.txt');
fs.writeFileSync(f, 'hello');
fs.appendFileSync(f, ' world');
console.log(fs.readFileSync(f, 'utf8'), fs.readFileSync(f).length, fs.existsSync(f));
const st = fs.statSync(f);
console.log(st.isFile(), st.isDirectory(), st.size, st.mtime instanceof Date);
fs.mkdirSync(path.join(dir, 'x/y/z'), { recursive: true });
fs.writeFileSync(path.join(dir, 'x/y/z/deep.txt'), 'deep');
console.log(fs.readdirSync(dir).join(','));
console.log(fs.readdirSync(dir, { withFileTypes: true }).map((d) => `${d.name}:${d.isDirectory()}`).join(','));
fs.renameSync(f, path.join(dir, 'b.txt'));
fs.copyFileSync(path.join(dir, 'b.txt'), path.join(dir, 'c.txt'));
fs.symlinkSync(path.join(dir, 'c.txt'), path.join(dir, 'link'));
console.log(fs.lstatSync(path.join(dir, 'link')).isSymbolicLink(), fs.readlinkSync(path.join(dir, 'link')) === path.join(dir, 'c.txt'));
console.log(fs.realpathSync(path.join(dir, 'link')) === fs.realpathSync(path.join(dir, 'c.txt')));
for (const op of [
  () => fs.readFileSync(path.join(dir, 'missing.txt')),
  () => fs.mkdirSync(path.join(dir, 'x')),
  () => fs.rmdirSync(path.join(dir, 'x')),
  () => fs.readdirSync(path.join(dir, 'b.txt')),
  () => fs.unlinkSync(path.join(dir, 'nope')),
]) {
  try {
    op();
  } catch (e) {
    console.log(e.code, e.syscall, e.errno, e.message.replace(dir, '<dir>'));
  }
}
const fd = fs.openSync(path.join(dir, 'b.txt'), 'r+');
const buf = new Uint8Array(5);
console.log(fs.readSync(fd, buf, 0, 5, 0), String.fromCharCode(...buf));
fs.writeSync(fd, 'HELLO', 0);
fs.closeSync(fd);
console.log(fs.readFileSync(path.join(dir, 'b.txt'), 'utf8'));
fs.rmSync(dir, { recursive: true, force: true });
console.log(fs.existsSync(dir));
