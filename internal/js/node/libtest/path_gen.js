'use strict';
// path_gen.js: prints, one line each, what every posix and win32 path
// function returns (or throws) for many generated inputs. The runtime's
// TestPathDifferential runs it under node and under gnode and compares the
// output line by line; run it by hand with `node path_gen.js [cases]`.
const path = require('path');

// A small deterministic PRNG so both engines see the same inputs.
let seed = 20261126;
function rnd(n) {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
}

const segs = ['', '.', '..', '...', 'a', 'b', '.a', 'a.', 'a.b', 'a.b.c', '..a', 'a..', '.a.b',
  'x\\y', 'C:', 'c:', 'C:\\', 'C:.', 'C:..', 'a:b', ':', 'srv', 'share', '?', 'é.js', 'a b',
  'index.html', '.js', 'file.tar.gz', '\\', '\\\\', '.\\', '..\\', 'UNC'];
const seps = ['/', '//', '/', '\\', '\\\\', '/\\', '///'];
const leads = ['', '', '', '/', '//', '///', '\\', '\\\\', '\\\\srv\\share', '//srv/share/',
  '\\\\?\\', '\\\\.\\', 'C:', 'C:\\', 'c:/', './', '../', '.', '..'];

function gen() {
  let p = leads[rnd(leads.length)];
  const n = rnd(6);
  for (let i = 0; i < n; i++) {
    p += segs[rnd(segs.length)];
    if (i < n - 1 || rnd(3) === 0) p += seps[rnd(seps.length)];
  }
  return p;
}

const fixed = ['', '/', '//', '///', '.', '..', './', '../', '/.', '/..', '/../..', 'a', 'a/', '/a',
  '/a/', '/a/b', 'a/b/c/../..', 'a/../../b', '/srv/www/public/index.html', '/srv/www/./x',
  '/srv/www/../x', '/.well-known/x', '/a/.b', '/a/..b', '/a/b..', 'x..', '.x.y', '..', '...',
  '/...', '/a/..', '/a/.', 'C:', 'C:\\', 'C:/', 'c:a', 'C:\\a\\b', '\\\\srv\\share',
  '\\\\srv\\share\\', '\\\\srv\\share\\a\\b', '\\\\?\\C:\\a', '\\\\.\\pipe\\x', '\\', '\\\\',
  '\\\\\\', 'a\\b', 'a:b', 'a:b:c', 'a\\..\\b:', 'b:', 'C:..', 'C:.', 'c:\\.', 'c:/.'];

const N = Number(process.argv[2] || 2500);
const inputs = fixed.concat(Array.from({ length: N }, gen));
const bad = [undefined, null, 1, {}, true];

const out = [];
function show(v) {
  return v === undefined ? 'undefined' : JSON.stringify(v);
}
function rec(label, fn) {
  let r;
  try {
    r = show(fn());
  } catch (e) {
    r = `throws ${e && e.code} ${e && e.name}: ${e && e.message}`;
  }
  out.push(`${label} -> ${r}`);
}

for (const flavour of ['posix', 'win32']) {
  const m = path[flavour];
  for (const p of inputs) {
    const q = show(p);
    rec(`${flavour}.normalize(${q})`, () => m.normalize(p));
    rec(`${flavour}.isAbsolute(${q})`, () => m.isAbsolute(p));
    rec(`${flavour}.dirname(${q})`, () => m.dirname(p));
    rec(`${flavour}.basename(${q})`, () => m.basename(p));
    rec(`${flavour}.extname(${q})`, () => m.extname(p));
    rec(`${flavour}.parse(${q})`, () => m.parse(p));
    rec(`${flavour}.format(parse(${q}))`, () => m.format(m.parse(p)));
    rec(`${flavour}.resolve(${q})`, () => m.resolve(p));
    rec(`${flavour}.toNamespacedPath(${q})`, () => m.toNamespacedPath(p));
    const suffix = [p.slice(-2), p.slice(-3), '.js', '.html', p, '', 'b'][rnd(7)];
    rec(`${flavour}.basename(${q}, ${show(suffix)})`, () => m.basename(p, suffix));
  }
  for (let i = 0; i < N; i++) {
    const a = inputs[rnd(inputs.length)];
    const b = inputs[rnd(inputs.length)];
    const c = inputs[rnd(inputs.length)];
    const args = `${show(a)}, ${show(b)}`;
    rec(`${flavour}.join(${args})`, () => m.join(a, b));
    rec(`${flavour}.join(${args}, ${show(c)})`, () => m.join(a, b, c));
    rec(`${flavour}.resolve(${args})`, () => m.resolve(a, b));
    rec(`${flavour}.resolve(${args}, ${show(c)})`, () => m.resolve(a, b, c));
    rec(`${flavour}.relative(${args})`, () => m.relative(a, b));
    rec(`${flavour}.format(${args}, ${show(c)})`,
      () => m.format({ root: a.slice(0, 2), dir: a, base: rnd(2) ? b : undefined, name: b, ext: c }));
  }
  rec(`${flavour}.join()`, () => m.join());
  rec(`${flavour}.resolve()`, () => m.resolve());
  for (const v of bad) {
    const s = show(v);
    for (const fn of ['normalize', 'isAbsolute', 'dirname', 'basename', 'extname', 'parse',
      'toNamespacedPath', 'join', 'resolve']) {
      rec(`${flavour}.${fn}(${s})`, () => m[fn](v));
    }
    rec(`${flavour}.join('a', ${s})`, () => m.join('a', v));
    rec(`${flavour}.resolve('a', ${s}, 'b')`, () => m.resolve('a', v, 'b'));
    rec(`${flavour}.relative(${s}, 'a')`, () => m.relative(v, 'a'));
    rec(`${flavour}.relative('a', ${s})`, () => m.relative('a', v));
    rec(`${flavour}.basename('a.js', ${s})`, () => m.basename('a.js', v));
    rec(`${flavour}.basename(${s}, ${s})`, () => m.basename(v, v));
    rec(`${flavour}.format(${s})`, () => m.format(v));
  }
}
process.stdout.write(`${out.join('\n')}\n`);
