// Per-operation CPU of stream construction and a small pipe (issue #5: the
// static route spends most of its time in stream and events code), for
// bench/runtime/streams_ab.py. Usage: streams.js [name...] — prints
// "name<TAB>microseconds of CPU per operation" for each case (all cases
// without arguments). CPU is user+system (process.cpuUsage), not wall time.
'use strict';
const { Readable, Writable, PassThrough } = require('stream');
const EventEmitter = require('events');

const chunk = Buffer.alloc(4096, 120);
const noopWrite = (c, e, cb) => cb();

const cases = {
  ee_new: { n: 1e5, fn: () => new EventEmitter() },
  ee_on_emit: {
    n: 1e5,
    fn() {
      const e = new EventEmitter();
      e.on('x', noopWrite);
      e.emit('x', 1, 2, noopCb);
    },
  },
  readable_new: { n: 3e4, fn: () => new Readable() },
  readable_new_opts: { n: 3e4, fn: () => new Readable({ read() {} }) },
  writable_new: { n: 3e4, fn: () => new Writable() },
  writable_new_opts: { n: 3e4, fn: () => new Writable({ write: noopWrite }) },
  passthrough_new: { n: 2e4, fn: () => new PassThrough() },
  readable_push_read: {
    n: 2e4,
    fn() {
      const r = new Readable({ read() {} });
      r.push(chunk);
      r.read();
    },
  },
  writable_write_end: {
    n: 1e4,
    run(done) {
      const w = new Writable({ write: noopWrite });
      w.on('finish', done);
      w.write(chunk);
      w.end();
    },
  },
  // The brief's case: a plain Readable with one chunk piped into a Writable.
  pipe_small: {
    n: 5000,
    run(done) {
      const w = new Writable({ write: noopWrite });
      w.on('finish', done);
      const r = new Readable({ read() {} });
      r.push(chunk);
      r.push(null);
      r.pipe(w);
    },
  },
  pipe_lazy: {
    n: 5000,
    run(done) {
      let sent = false;
      const r = new Readable({
        read() {
          if (sent) this.push(null);
          else { sent = true; this.push(chunk); }
        },
      });
      const w = new Writable({ write: noopWrite });
      w.on('finish', done);
      r.pipe(w);
    },
  },
  data_flow: {
    n: 5000,
    run(done) {
      const r = new Readable({ read() {} });
      r.on('data', noopCb);
      r.on('end', done);
      r.push(chunk);
      r.push(null);
    },
  },
};

function noopCb() {}

require('./percall')(cases);
