'use strict';
// Duplex.from(body): the basic cases — an existing stream, a
// Promise, an (async) iterable or generator function, a { readable,
// writable } pair, a Blob, or an async function consuming the source.

const {
  codes: { ERR_INVALID_ARG_TYPE, ERR_INVALID_RETURN_VALUE },
  AbortError,
} = require('internal/errors');
const { isReadableNodeStream, isWritableNodeStream, isDuplexNodeStream, isIterable, isNodeStream } =
  require('internal/streams/utils');
const eos = require('internal/streams/end-of-stream');
const { destroyer } = require('internal/streams/destroy');

let Duplex;
let Readable;

function duplexify(body, name) {
  if (!Duplex) Duplex = require('internal/streams/duplex');
  if (!Readable) Readable = require('internal/streams/readable');
  if (isDuplexNodeStream(body)) return body;
  if (isReadableNodeStream(body)) return pairToDuplex({ readable: body });
  if (isWritableNodeStream(body)) return pairToDuplex({ writable: body });
  if (isNodeStream(body)) return pairToDuplex({ writable: false, readable: false });
  if (typeof body === 'function') {
    const { value, write, final, destroy } = fromAsyncGen(body);
    if (isIterable(value)) {
      return from(Duplex, value, { objectMode: true, write, final, destroy });
    }
    const then = value && value.then;
    if (typeof then === 'function') {
      let d;
      const promise = then.call(value, (val) => {
        if (val !== null && val !== void 0) throw new ERR_INVALID_RETURN_VALUE('nully', 'body', val);
      }, (err) => {
        destroyer(d, err);
      });
      d = new Duplex({
        objectMode: true,
        readable: false,
        write,
        final(cb) {
          final(async () => {
            try {
              await promise;
              process.nextTick(cb, null);
            } catch (err) {
              process.nextTick(cb, err);
            }
          });
        },
        destroy,
      });
      return d;
    }
    throw new ERR_INVALID_RETURN_VALUE('Iterable, AsyncIterable or AsyncFunction', name, value);
  }
  if (body && typeof body === 'object' && typeof body.arrayBuffer === 'function' && typeof body.stream === 'function') {
    return duplexify(body.arrayBuffer(), name);
  }
  if (isIterable(body)) return from(Duplex, body, { objectMode: true, writable: false });
  if (body && typeof body === 'object' && (body.readable !== void 0 || body.writable !== void 0)) {
    const readable = body.readable ? (isReadableNodeStream(body.readable) ? body.readable : duplexify(body.readable)) : undefined;
    const writable = body.writable ? (isWritableNodeStream(body.writable) ? body.writable : duplexify(body.writable)) : undefined;
    return pairToDuplex({ readable, writable });
  }
  const then = body && body.then;
  if (typeof then === 'function') {
    let d;
    then.call(body, (val) => {
      if (val !== null && val !== void 0) d.push(val);
      d.push(null);
    }, (err) => {
      destroyer(d, err);
    });
    d = new Duplex({ objectMode: true, writable: false, read() {} });
    return d;
  }
  throw new ERR_INVALID_ARG_TYPE(name,
    ['Blob', 'ReadableStream', 'WritableStream', 'Stream', 'Iterable', 'AsyncIterable', 'Function',
      '{ readable, writable } pair', 'Promise'], body);
}

function from(D, iterable, opts) {
  const r = Readable.from(iterable, { objectMode: true });
  const d = new D({
    ...opts,
    read() {
      r.resume();
    },
  });
  r.on('data', (chunk) => {
    if (!d.push(chunk)) r.pause();
  });
  r.on('end', () => d.push(null));
  r.on('error', (err) => d.destroy(err));
  r.pause();
  return d;
}

function fromAsyncGen(fn) {
  let { promise, resolve } = withResolvers();
  const ac = new (require('internal/abort_controller').AbortController)();
  const signal = ac.signal;
  const value = fn((async function* () {
    while (true) {
      const _promise = promise;
      promise = null;
      const { chunk, done, cb } = await _promise;
      process.nextTick(cb);
      if (done) return;
      if (signal.aborted) throw new AbortError(undefined, { cause: signal.reason });
      ({ promise, resolve } = withResolvers());
      yield chunk;
    }
  })(), { signal });
  return {
    value,
    write(chunk, encoding, cb) {
      const _resolve = resolve;
      resolve = null;
      _resolve({ chunk, done: false, cb });
    },
    final(cb) {
      const _resolve = resolve;
      resolve = null;
      _resolve({ done: true, cb });
    },
    destroy(err, cb) {
      ac.abort();
      cb(err);
    },
  };
}

function withResolvers() {
  let resolve;
  let reject;
  const promise = new Promise((a, b) => {
    resolve = a;
    reject = b;
  });
  return { promise, resolve, reject };
}

function pairToDuplex(pair) {
  const r = pair.readable && typeof pair.readable.read !== 'function' ? Readable.wrap(pair.readable) : pair.readable;
  const w = pair.writable;
  let readable = !!isReadableNodeStream(r);
  let writable = !!isWritableNodeStream(w);
  let ondrain;
  let onfinish;
  let onreadable;
  let onclose;
  let d;
  function onfinished(err) {
    const cb = onclose;
    onclose = null;
    if (cb) cb(err);
    else if (err) d.destroy(err);
  }
  d = new Duplex({
    readableObjectMode: !!(r && r.readableObjectMode),
    writableObjectMode: !!(w && w.writableObjectMode),
    readable,
    writable,
  });
  if (writable) {
    eos(w, (err) => {
      writable = false;
      if (err) destroyer(r, err);
      onfinished(err);
    });
    d._write = function (chunk, encoding, callback) {
      if (w.write(chunk, encoding)) callback();
      else ondrain = callback;
    };
    d._final = function (callback) {
      w.end();
      onfinish = callback;
    };
    w.on('drain', () => {
      if (ondrain) {
        const cb = ondrain;
        ondrain = null;
        cb();
      }
    });
    w.on('finish', () => {
      if (onfinish) {
        const cb = onfinish;
        onfinish = null;
        cb();
      }
    });
  }
  if (readable) {
    eos(r, (err) => {
      readable = false;
      if (err) destroyer(r, err);
      onfinished(err);
    });
    r.on('readable', () => {
      if (onreadable) {
        const cb = onreadable;
        onreadable = null;
        cb();
      }
    });
    r.on('end', () => {
      d.push(null);
    });
    d._read = function () {
      while (true) {
        const buf = r.read();
        if (buf === null) {
          onreadable = d._read;
          return;
        }
        if (!d.push(buf)) return;
      }
    };
  }
  d._destroy = function (err, callback) {
    if (!err && onclose !== null) err = new AbortError();
    onreadable = null;
    ondrain = null;
    onfinish = null;
    if (onclose === null) {
      callback(err);
    } else {
      onclose = callback;
      destroyer(w, err);
      destroyer(r, err);
    }
  };
  return d;
}

module.exports = duplexify;
