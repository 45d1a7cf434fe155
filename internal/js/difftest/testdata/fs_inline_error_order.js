// Errors and results of concurrent fs calls (order not compared: a thread pool answers in any order).
// The page: 4,096 bytes in a temp file, written first.
const pageFile = require('path').join(require('os').tmpdir(), 'fs_inline_page_' + process.pid + '.html');
require('fs').writeFileSync(pageFile, Buffer.alloc(4096, 'abcdefgh'));
process.on('exit', () => require('fs').unlinkSync(pageFile));
const fs = require('fs');
const out = [];
const ok = pageFile;
fs.stat('/nonexistent-a', (e) => out.push('1 ' + e.code + ' ' + e.syscall + ' ' + e.path + ' ' + e.errno + ' ' + e.message));
fs.stat(ok, (e, s) => out.push('2 ' + s.size));
fs.lstat('/nonexistent-b/x', (e) => out.push('3 ' + e.code + ' ' + e.message));
fs.stat(ok + '/x', (e) => out.push('4 ' + e.code + ' ' + e.message));
fs.promises.stat('/nonexistent-c').catch((e) => out.push('5 ' + e.code + ' ' + e.message));
fs.open('/nonexistent-d', 'r', (e) => out.push('6 ' + e.code + ' ' + e.message));
fs.createReadStream('/nonexistent-e').on('error', (e) => out.push('7 ' + e.code + ' ' + e.message));
fs.open(ok, 'r', (e, fd) => { out.push('8 ' + typeof fd); fs.close(fd, () => {}); });
try { fs.statSync('/nonexistent-f', { throwIfNoEntry: false }); } catch (e) { out.push('x'); }
fs.stat('/nonexistent-g', { throwIfNoEntry: false }, (e, s) => out.push('9 ' + e + ' ' + s));
process.once('beforeExit', () => console.log(out.sort().join('\n').split(pageFile).join('<page>')));
