'use strict';
// internalBinding('zlib') (lib/bindings/zlib.md) over real Node's zlib:
// a handle is one of Node's zlib streams driven synchronously through its
// chunk processor, so lib/zlib.js can be tested differentially under node.

const nodeZlib = require('zlib');

const ctors = {
  1: nodeZlib.Deflate, 2: nodeZlib.Inflate, 3: nodeZlib.Gzip, 4: nodeZlib.Gunzip, 5: nodeZlib.DeflateRaw,
  6: nodeZlib.InflateRaw, 7: nodeZlib.Unzip, 8: nodeZlib.BrotliDecompress, 9: nodeZlib.BrotliCompress,
};
const C = nodeZlib.constants;

class Handle {
  constructor(mode, level, strategy, dictionary, brotli) {
    this.args = [mode, level, strategy, dictionary, brotli];
    this.open();
  }

  open() {
    const [mode, level, strategy, dictionary, brotli] = this.args;
    let opts;
    if (mode === 8) {
      opts = {};
    } else if (mode === 9) {
      const [q, lgwin, m, hint] = brotli || [11, 22, 0, 0];
      opts = { params: { [C.BROTLI_PARAM_QUALITY]: q, [C.BROTLI_PARAM_LGWIN]: lgwin, [C.BROTLI_PARAM_MODE]: m, [C.BROTLI_PARAM_SIZE_HINT]: hint } };
    } else {
      opts = { level, strategy };
      if (dictionary) opts.dictionary = Buffer.from(dictionary);
    }
    this.mode = mode;
    this.s = new ctors[mode](opts);
    this.done = false;
  }

  // write drives Node's native zlib handle directly (its writeSync, as
  // Node's own synchronous path does) so a stream can take many
  // synchronous writes; errors come through the handle's onerror.
  write(bytes, flush) {
    if (this.done) return new Uint8Array(0);
    // Brotli streams take BROTLI_OPERATION_* values.
    const flag = this.mode >= 8 ? (flush === 4 ? C.BROTLI_OPERATION_FINISH : flush === 0 ? C.BROTLI_OPERATION_PROCESS : C.BROTLI_OPERATION_FLUSH) : flush;
    const handle = this.s._handle;
    const state = this.s._writeState;
    let err = null;
    handle.onerror = (message, errno, code) => { err = Object.assign(new Error(message), { errno, code }); };
    const input = Buffer.from(bytes);
    const outs = [];
    let inOff = 0;
    let inLen = input.length;
    for (;;) {
      const out = Buffer.alloc(16384);
      handle.writeSync(flag, input, inOff, inLen, out, 0, out.length);
      if (err) throw err;
      const have = out.length - state[0];
      if (have > 0) outs.push(out.subarray(0, have));
      inOff += inLen - state[1];
      inLen = state[1];
      if (state[0] !== 0) break;
    }
    if (flush === 4) this.done = true;
    const out = Buffer.concat(outs);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  }
}

module.exports = {
  create(mode, level, strategy, dictionary, brotli) { return new Handle(mode, level, strategy, dictionary, brotli); },
  // The callback form feeds the handle's Node stream (Node's synchronous
  // chunk processor closes the stream after one call, fine for the one-shot
  // *Sync functions only) and returns what it emitted.
  write(h, bytes, flush, cb) {
    if (typeof cb !== 'function') return h.write(bytes, flush);
    const s = h.s;
    if (!h.collect) {
      h.collect = [];
      h.failed = null;
      s.on('data', (c) => h.collect.push(c));
      s.on('error', (e) => { h.failed = e; });
    }
    let settled = false;
    const settle = () => !settled && (settled = true) && setImmediate(() => {
      const out = Buffer.concat(h.collect);
      h.collect.length = 0;
      if (h.failed) {
        const e = h.failed;
        h.failed = null;
        cb(e);
        return;
      }
      cb(null, new Uint8Array(out.buffer, out.byteOffset, out.byteLength));
    });
    if (h.done) {
      settle();
    } else if (flush === 4) {
      h.done = true;
      s.once('end', settle);
      s.once('error', settle);
      s.end(Buffer.from(bytes));
    } else {
      s.once('error', settle);
      const flag = h.mode >= 8 ? (flush === 0 ? C.BROTLI_OPERATION_PROCESS : C.BROTLI_OPERATION_FLUSH) : flush;
      s.write(Buffer.from(bytes));
      if (flag === 0) s.write(Buffer.alloc(0), settle);
      else s.flush(flag, settle);
    }
    return undefined;
  },
  close(h) { if (h.s) { h.s.close(); h.done = true; } },
  reset(h) { h.s.close(); h.open(); },
  crc32(bytes, initial) { return nodeZlib.crc32(bytes, initial); },
};
