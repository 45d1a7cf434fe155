// Per-call CPU of the path and fs calls a static-file route makes (send /
// serve-static serving a small file), for bench/runtime/pathfs_ab.py.
// Usage: pathfs.js [name...] — prints "name<TAB>microseconds of CPU per
// call" for each case (all cases without arguments). CPU is the process's
// user+system time (process.cpuUsage), not wall time, so other load on
// the machine moves it less.
'use strict';
const path = require('path');
const fs = require('fs');
const os = require('os');
const { Writable } = require('stream');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pathfs-'));
const file = path.join(dir, 'page.html');
fs.writeFileSync(file, 'x'.repeat(4096));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

// A sync case is {n, fn}: fn() runs n times. An async case is {n, run}:
// run(done) runs n times one after another (each waits for the previous).
const cases = {
  path_extname: { n: 2e5, fn: () => path.extname('/tmp/bs/static/page.html') },
  path_basename: { n: 2e5, fn: () => path.basename('/tmp/bs/static/page.html') },
  path_dirname: { n: 2e5, fn: () => path.dirname('/tmp/bs/static/page.html') },
  path_resolve_abs: { n: 1e5, fn: () => path.resolve('/tmp/bs/static') },
  path_resolve_rel: { n: 1e5, fn: () => path.resolve('static/page.html') },
  path_resolve_two: { n: 1e5, fn: () => path.resolve('/srv/app', '../public/index.html') },
  path_normalize_send: { n: 1e5, fn: () => path.normalize('.' + '/' + '/page.html') },
  path_normalize_abs: { n: 1e5, fn: () => path.normalize('/tmp/bs/static/page.html') },
  path_normalize_dots: { n: 1e5, fn: () => path.normalize('/tmp/bs/./static/../static//page.html') },
  path_join: { n: 1e5, fn: () => path.join('/tmp/bs/static', 'page.html') },
  path_join_dots: { n: 1e5, fn: () => path.join('/tmp/bs/static', '../x/./page.html') },
  path_relative: { n: 1e5, fn: () => path.relative('/srv/app/lib', '/srv/app/public/index.html') },
  path_parse: { n: 1e5, fn: () => path.parse('/tmp/bs/static/page.html') },
  path_isabsolute: { n: 2e5, fn: () => path.isAbsolute('/tmp/bs/static/page.html') },
  process_cwd: { n: 2e5, fn: () => process.cwd() },
  stats_new: { n: 5e4, fn: () => new fs.Stats(2049, 33188, 1, 0, 0, 0, 4096, 1234, 4096, 8, 1.7e12, 1.7e12, 1.7e12, 1.7e12) },
  stats_mtime: { n: 5e4, fn: () => new fs.Stats(2049, 33188, 1, 0, 0, 0, 4096, 1234, 4096, 8, 1.7e12, 1.7e12, 1.7e12, 1.7e12).mtime },
  statsync: { n: 3e4, fn: () => fs.statSync(file) },
  statsync_isfile: { n: 3e4, fn: () => fs.statSync(file).isFile() },
  stat_cb: { n: 1e4, run: (done) => fs.stat(file, done) },
  readstream_pipe: {
    n: 3000,
    run(done) {
      const w = new Writable({ write(chunk, enc, cb) { cb(); } });
      w.on('finish', done);
      fs.createReadStream(file).pipe(w);
    },
  },
  // send's sequence: stat, then a ranged stream piped to the destination.
  send_like: {
    n: 3000,
    run(done) {
      fs.stat(file, (err, st) => {
        if (err) throw err;
        const w = new Writable({ write(chunk, enc, cb) { cb(); } });
        w.on('finish', done);
        fs.createReadStream(file, { start: 0, end: st.size - 1 }).pipe(w);
      });
    },
  },
};

require('./percall')(cases);
