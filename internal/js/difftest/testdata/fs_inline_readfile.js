// The page: 4,096 bytes in a temp file, written first.
const pageFile = require('path').join(require('os').tmpdir(), 'fs_inline_page_' + process.pid + '.html');
require('fs').writeFileSync(pageFile, Buffer.alloc(4096, 'abcdefgh'));
process.on('exit', () => require('fs').unlinkSync(pageFile));
const fs = require('fs');
const out = [];
fs.readFile(pageFile, (e, b) => out.push('rf ' + (e ? e.code : b.length + ' ' + b.constructor.name)));
fs.readFile(pageFile, 'latin1', (e, s) => out.push('rf str ' + (e ? e.code : s.length)));
fs.readFile('/nonexistent', (e) => out.push('rf missing ' + e.code + ' ' + e.syscall));
fs.readFile('/tmp', (e) => out.push('rf dir ' + e.code + ' ' + e.syscall));
fs.readFile('/proc/self/status', (e, b) => out.push('rf proc ' + (e ? e.code : b.length > 0)));
fs.promises.readFile(pageFile).then((b) => out.push('prf ' + b.length));
fs.promises.stat(pageFile).then((s) => out.push('pstat ' + s.size + ' ' + (s.mtime.getTime() === fs.statSync(pageFile).mtimeMs - fs.statSync(pageFile).mtimeMs % 1)));
fs.stat(pageFile, (e, s) => { const t = fs.statSync(pageFile); out.push('stat ' + (s.ino === t.ino) + ' ' + (s.mtimeMs === t.mtimeMs) + ' ' + s.mode.toString(8)); });
process.once('beforeExit', () => console.log(out.sort().join('\n')));
