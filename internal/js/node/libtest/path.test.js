'use strict';
// path (posix and win32) against Node's path on generated paths.
const t = require('./t.js');

// A small deterministic PRNG so failures reproduce.
let seed = 12345;
function rnd(n) {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
}
const segs = ['a', 'b', 'foo', '..', '.', '', 'foo.js', '.x', '..a', 'a.', 'C:', 'c:', 'server',
  'share', '?', 'file.tar.gz', ' ', '...', 'a.b.', '.', '..', 'x..', 'D:', 'é', 'a b'];
const seps = ['/', '\\', '//', '\\\\', '/\\'];

function genPath(win) {
  const n = rnd(6);
  let p = '';
  const lead = rnd(8);
  if (lead === 0) p = '/';
  else if (lead === 1) p = win ? '\\\\' : '//';
  else if (lead === 2 && win) p = ['C:', 'c:\\', 'C:/', '\\\\server\\share', '//server/share/', '\\\\?\\', '\\\\.\\'][rnd(7)];
  for (let i = 0; i < n; i++) {
    p += segs[rnd(segs.length)];
    if (i < n - 1 || rnd(3) === 0) p += win ? seps[rnd(seps.length)] : ['/', '//', '/'][rnd(3)];
  }
  return p;
}

const fixed = ['', '/', '//', '///', '.', '..', './', '../', 'a', 'a/', '/a', '/a/', '/a/b', 'a/b/c/../..',
  '/..', '/../..', 'a/../../b', '.x', '..x', 'x.', 'x..', '.x.y', 'x.y.z', '/a/.b', '/a/b.', 'C:', 'C:\\',
  'C:/', 'c:a', 'C:\\a\\b', '\\\\server\\share', '\\\\server\\share\\', '\\\\server\\share\\a\\b',
  '\\\\?\\C:\\a', '\\\\.\\pipe\\x', '\\', '\\\\', '\\\\\\', '//server/share/x', 'a\\b', 'a:b', 'a:b:c',
  '/foo/bar//baz/asdf/quux/..', 'foo/bar.html', '.profile', '.profile.sh', 'a/b/', 'file.', '...',
  '....', '.../x', 'x/...', 'C:..', 'C:.', 'C:\\..\\..', '\\\\server', '\\\\server\\', 'c:\\.', 'c:/.'];

const N = Number(process.env.PATH_CASES || 1500);
for (const flavour of ['posix', 'win32']) {
  const win = flavour === 'win32';
  const inputs = fixed.concat(Array.from({ length: N }, () => genPath(win)));
  for (const p of inputs) {
    for (const fn of ['normalize', 'isAbsolute', 'dirname', 'basename', 'extname', 'parse', 'toNamespacedPath']) {
      t.diff(`${flavour}.${fn}`, 'path', (m) => m[flavour][fn](p), p);
    }
    t.diff(`${flavour}.basename ext`, 'path', (m) => m[flavour].basename(p, '.js'), p);
    t.diff(`${flavour}.basename ext2`, 'path', (m) => m[flavour].basename(p, p.slice(-2)), p);
    t.diff(`${flavour}.resolve`, 'path', (m) => m[flavour].resolve(p), p);
    t.diff(`${flavour}.format(parse)`, 'path', (m) => m[flavour].format(m[flavour].parse(p)), p);
  }
  for (let i = 0; i < N; i++) {
    const a = inputs[rnd(inputs.length)];
    const b = inputs[rnd(inputs.length)];
    const c = inputs[rnd(inputs.length)];
    t.diff(`${flavour}.join`, 'path', (m) => m[flavour].join(a, b, c), [a, b, c]);
    t.diff(`${flavour}.join2`, 'path', (m) => m[flavour].join(a, b), [a, b]);
    t.diff(`${flavour}.resolve3`, 'path', (m) => m[flavour].resolve(a, b, c), [a, b, c]);
    t.diff(`${flavour}.relative`, 'path', (m) => m[flavour].relative(a, b), [a, b]);
  }
  for (const obj of [{}, { root: '/' }, { dir: 'a', base: 'b' }, { root: '/', base: 'x' }, { name: 'n', ext: 'e' },
    { name: 'n', ext: '.e' }, { dir: '/x', name: 'n', ext: '.e', base: 'over' }, { root: 'C:\\', dir: 'C:\\', base: 'f' },
    { dir: 'd' }, { root: '/r', dir: '/r' }]) {
    t.diff(`${flavour}.format`, 'path', (m) => m[flavour].format(obj), obj);
  }
  for (const bad of [null, 1, undefined, {}, true]) {
    t.diff(`${flavour} invalid join`, 'path', (m) => m[flavour].join('a', bad), bad);
    t.diff(`${flavour} invalid resolve`, 'path', (m) => m[flavour].resolve('a', bad), bad);
    t.diff(`${flavour} invalid basename ext`, 'path', (m) => m[flavour].basename('a', bad), bad);
    t.diff(`${flavour} invalid format`, 'path', (m) => m[flavour].format(bad), bad);
    t.diff(`${flavour} invalid relative`, 'path', (m) => m[flavour].relative(bad, 'a'), bad);
    t.diff(`${flavour} toNamespacedPath nonstring`, 'path', (m) => m[flavour].toNamespacedPath(bad), bad);
  }
  t.diff(`${flavour} sep/delimiter`, 'path', (m) => [m[flavour].sep, m[flavour].delimiter]);
  t.diff(`${flavour} join()`, 'path', (m) => m[flavour].join());
}
t.diff('default is posix here', 'path', (m) => m === m.posix);
t.diff('cross links', 'path', (m) => [m.posix.win32 === m.win32, m.win32.posix === m.posix]);
t.ok('path/posix', t.lib('path/posix') === t.lib('path').posix);
t.ok('path/win32', t.lib('path/win32') === t.lib('path').win32);

// matchesGlob (experimental in Node 20): patterns x paths, both flavours.
const globPatterns = ['*', '*.js', '**', '**/*.js', 'a/**', 'a/**/b', 'a/*/c', '?.js', '[ab].js', '[!ab].js',
  '*.{js,ts}', '{a,b}/*', 'a/**/*.{js,json}', '.*', 'a/.*', '**/.x', 'a/b', '/a/**', 'a?c', 'a*c', '**/c',
  'a/**/**/c', '*/', 'a\\*b', 'x/**/y/*.js', '[a-c]*', '*[0-9]'];
const globPaths = ['a.js', 'b.js', 'c.js', '.js', 'a/b', 'a/b/c', 'a/.b', 'a/b/.c', '.x', 'a/.x', 'a/b/.x',
  'x.ts', 'a/b/c.js', 'a/b/c.json', '/a/b', 'abc', 'ac', 'a/', 'a*b', 'x/y/z.js', 'x/m/y/z.js', 'a1', 'b9',
  'c/d', '', 'a\\b', 'a', '/', 'a/b/', 'a//b', '/a', 'a/b/c/'];
for (const flavour of ['posix', 'win32']) {
  for (const pat of globPatterns) {
    for (const p of globPaths) {
      t.diff(`${flavour}.matchesGlob`, 'path', (m) => m[flavour].matchesGlob(p, pat), [p, pat]);
    }
  }
}
t.diff('keys', 'path', (m) => [Object.keys(m), Object.keys(m.win32)]);
