'use strict';
// update-data.js regenerates the locale data block of lib/internal/intl.js
// in place (the lines between "// BEGIN GENERATED LOCALE DATA" and
// "// END GENERATED LOCALE DATA") from gen-data.js run on this node:
//   node update-data.js
// then run intl.test.js and review the diff.
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const target = path.join(__dirname, '..', '..', 'lib', 'internal', 'intl.js');
const data = execFileSync(process.execPath, [path.join(__dirname, 'gen-data.js')], { encoding: 'utf8', maxBuffer: 64 << 20 });
const src = fs.readFileSync(target, 'utf8');
const begin = src.indexOf('// BEGIN GENERATED LOCALE DATA');
const end = src.indexOf('// END GENERATED LOCALE DATA');
if (begin < 0 || end < begin) throw new Error(`${target}: generated-data markers not found`);
const beginLineEnd = src.indexOf('\n', begin) + 1;
const out = src.slice(0, beginLineEnd) + data + src.slice(end);
fs.writeFileSync(target + '.tmp', out);
fs.renameSync(target + '.tmp', target);
console.log(`updated ${target} (${data.length} bytes of data)`);
