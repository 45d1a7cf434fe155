'use strict';
// The tar package (minizlib over node:zlib) creating and extracting .tgz
// archives, synchronously and as streams; run by packages_test.go under
// node and gnode, each extracting what the other created.
//   app.js create SRC OUT.tgz sync|stream
//   app.js extract IN.tgz DIR sync|stream
const tar = require('tar');
const fs = require('fs');
const [mode, a, b, how] = process.argv.slice(2);
if (mode === 'create') {
  if (how === 'sync') tar.c({ gzip: true, file: b, cwd: a, sync: true }, ['.']);
  else tar.c({ gzip: { level: 9 }, cwd: a }, ['.']).pipe(fs.createWriteStream(b)).on('close', () => console.log('created'));
} else {
  fs.mkdirSync(b, { recursive: true });
  if (how === 'sync') tar.x({ file: a, cwd: b, sync: true });
  else fs.createReadStream(a).pipe(tar.x({ cwd: b })).on('finish', () => console.log('extracted'));
}
