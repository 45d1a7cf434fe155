'use strict';
// destroy()/undestroy()/errorOrDestroy and _construct support shared by
// Readable and Writable: 'error' then 'close' on the next tick, each at most
// once.

const {
  AbortError,
  codes: { ERR_MULTIPLE_CALLBACK },
} = require('internal/errors');
const {
  kDestroyed, isDestroyed, isFinished, isServerRequest, tick1, tickTail, EEemit,
} = require('internal/streams/utils');

const kDestroy = Symbol('kDestroy');
// The callbacks waiting for _construct: one function, or an array for a
// Duplex (its Readable and Writable halves each wait), by stream. Node
// keeps them as 'once' listeners of an internal symbol event; a WeakMap
// entry costs a fraction of a once wrapper, its listener bookkeeping and
// the emit, and like them adds nothing util.inspect shows.
const constructCbs = new WeakMap();

function checkError(err, w, r) {
  if (err) {
    err.stack; // eslint-disable-line no-unused-expressions
    if (w && !w.errored) w.errored = err;
    if (r && !r.errored) r.errored = err;
  }
}

function aggregateTwoErrors(inner, outer) {
  if (inner && outer && inner !== outer) {
    if (Array.isArray(outer.errors)) {
      outer.errors.push(inner);
      return outer;
    }
    const err = new AggregateError([outer, inner], outer.message);
    err.code = outer.code;
    return err;
  }
  return inner || outer;
}

function destroy(err, cb) {
  const r = this._readableState;
  const w = this._writableState;
  const s = w || r;
  if ((w && w.destroyed) || (r && r.destroyed)) {
    if (typeof cb === 'function') cb();
    return this;
  }
  if (err) checkError(err, w, r);
  if (w) w.destroyed = true;
  if (r) r.destroyed = true;
  if (!s.constructed) {
    this.once(kDestroy, function (er) {
      _destroy(this, aggregateTwoErrors(er, err), cb);
    });
  } else {
    _destroy(this, err, cb);
  }
  return this;
}

function _destroy(self, err, cb) {
  let called = false;
  function onDestroy(err) {
    if (called) return;
    called = true;
    const r = self._readableState;
    const w = self._writableState;
    if (err) checkError(err, w, r);
    if (w) w.closed = true;
    if (r) r.closed = true;
    if (typeof cb === 'function') cb(err);
    if (err) process.nextTick(emitErrorCloseNT, self, err);
    else tick1(emitCloseNT, self);
  }
  try {
    self._destroy(err || null, onDestroy);
  } catch (err) {
    onDestroy(err);
  }
}

function emitErrorCloseNT(self, err) {
  emitErrorNT(self, err);
  emitCloseNT(self);
}

function emitCloseNT(self) {
  const r = self._readableState;
  const w = self._writableState;
  if (w) w.closeEmitted = true;
  if (r) r.closeEmitted = true;
  if ((w && w.emitClose) || (r && r.emitClose)) {
    const ev = self._events; // see EEemit in internal/streams/utils
    if (self.emit !== EEemit || (ev !== void 0 && ev.close !== void 0)) self.emit('close');
  }
}

function emitErrorNT(self, err) {
  const r = self._readableState;
  const w = self._writableState;
  if ((w && w.errorEmitted) || (r && r.errorEmitted)) return;
  if (w) w.errorEmitted = true;
  if (r) r.errorEmitted = true;
  self.emit('error', err);
}

function undestroy() {
  const r = this._readableState;
  const w = this._writableState;
  if (r) {
    r.constructed = true;
    r.closed = false;
    r.closeEmitted = false;
    r.destroyed = false;
    r.errored = null;
    r.errorEmitted = false;
    r.reading = false;
    r.ended = r.readable === false;
    r.endEmitted = r.readable === false;
  }
  if (w) {
    w.constructed = true;
    w.destroyed = false;
    w.closed = false;
    w.closeEmitted = false;
    w.errored = null;
    w.errorEmitted = false;
    w.finalCalled = false;
    w.prefinished = false;
    w.ended = w.writable === false;
    w.ending = w.writable === false;
    w.finished = w.writable === false;
  }
}

function errorOrDestroy(stream, err, sync) {
  const r = stream._readableState;
  const w = stream._writableState;
  if ((w && w.destroyed) || (r && r.destroyed)) return;
  if ((r && r.autoDestroy) || (w && w.autoDestroy)) {
    stream.destroy(err);
  } else if (err) {
    err.stack; // eslint-disable-line no-unused-expressions
    if (w && !w.errored) w.errored = err;
    if (r && !r.errored) r.errored = err;
    if (sync) process.nextTick(emitErrorNT, stream, err);
    else emitErrorNT(stream, err);
  }
}

function construct(stream, cb) {
  if (typeof stream._construct !== 'function') return;
  const r = stream._readableState;
  const w = stream._writableState;
  if (r) r.constructed = false;
  if (w) w.constructed = false;
  const waiting = constructCbs.get(stream);
  if (typeof waiting === 'function') {
    constructCbs.set(stream, [waiting, cb]); // duplex: the open is already scheduled
    return;
  }
  if (waiting !== void 0) {
    waiting.push(cb);
    return;
  }
  constructCbs.set(stream, cb);
  tick1(constructNT, stream);
}

// Node's constructNT makes two closures per stream (onConstruct, which
// checks `called` when its tick runs, and the callback that queues it);
// here the callback checks `called` when it is called instead, which
// queues the same ticks in the same order (each call queues one, and only
// the first finds called false), with one closure over two variables.
function constructNT(stream) {
  var called = false;
  var done = (err) => {
    if (called) {
      process.nextTick(onConstructAgain, stream, err);
    } else {
      called = true;
      if (err) process.nextTick(onConstructError, stream, err);
      else tick1(onConstruct, stream);
    }
  };
  try {
    stream._construct(done);
  } catch (err) {
    done(err);
  }
}

// The first callback, without an error.
function onConstruct(stream) {
  const r = stream._readableState;
  const w = stream._writableState;
  if (r) r.constructed = true;
  if (w) w.constructed = true;
  if ((w || r).destroyed) stream.emit(kDestroy, undefined);
  else tickTail(emitConstructNT, stream);
}

// The first callback, with an error (named as node's tick function).
const onConstructError = function onConstruct(stream, err) {
  const r = stream._readableState;
  const w = stream._writableState;
  if (r) r.constructed = true;
  if (w) w.constructed = true;
  if ((w || r).destroyed) stream.emit(kDestroy, err);
  else errorOrDestroy(stream, err, true);
};

// A second (or later) callback.
const onConstructAgain = function onConstruct(stream, err) {
  errorOrDestroy(stream, (err !== null && err !== void 0) ? err : new ERR_MULTIPLE_CALLBACK());
};

function emitConstructNT(stream) {
  const waiting = constructCbs.get(stream);
  constructCbs.delete(stream);
  if (typeof waiting === 'function') {
    // The tick's last step (see tickTail in process.js).
    waiting.call(stream, true);
  } else if (waiting) {
    for (let i = 0; i < waiting.length; i++) waiting[i].call(stream);
  }
}

function isRequest(stream) {
  return stream && stream.setHeader && typeof stream.abort === 'function';
}

function emitCloseLegacy(stream) {
  stream.emit('close');
}

function emitErrorCloseLegacy(stream, err) {
  stream.emit('error', err);
  process.nextTick(emitCloseLegacy, stream);
}

// destroyer destroys any stream-like, also legacy ones without destroy().
function destroyer(stream, err) {
  if (!stream || isDestroyed(stream)) return;
  if (!err && !isFinished(stream)) err = new AbortError();
  if (isServerRequest(stream)) {
    stream.socket = null;
    stream.destroy(err);
  } else if (isRequest(stream)) {
    stream.abort();
  } else if (isRequest(stream.req)) {
    stream.req.abort();
  } else if (typeof stream.destroy === 'function') {
    stream.destroy(err);
  } else if (typeof stream.close === 'function') {
    stream.close();
  } else if (err) {
    process.nextTick(emitErrorCloseLegacy, stream, err);
  } else {
    process.nextTick(emitCloseLegacy, stream);
  }
  if (!stream.destroyed) stream[kDestroyed] = true;
}

module.exports = {
  construct, destroyer, destroy, undestroy, errorOrDestroy, aggregateTwoErrors, kDestroy,
};
