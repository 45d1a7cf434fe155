'use strict';
// Predicates over Node streams and stream-likes, shared by finished,
// pipeline and the stream classes.

const kDestroyed = Symbol('kDestroyed');
const kIsErrored = Symbol('kIsErrored');
const kIsReadable = Symbol('kIsReadable');
const kIsWritable = Symbol('kIsWritable');
const kIsDisturbed = Symbol('kIsDisturbed');
const kIsClosedPromise = Symbol.for('nodejs.webstream.isClosedPromise');
const kControllerErrorFunction = Symbol.for('nodejs.webstream.controllerErrorFunction');

function isReadableNodeStream(obj, strict = false) {
  return !!(obj && typeof obj.pipe === 'function' && typeof obj.on === 'function' &&
    (!strict || (typeof obj.pause === 'function' && typeof obj.resume === 'function')) &&
    (!obj._writableState || (obj._readableState && obj._readableState.readable !== false)) &&
    (!obj._writableState || obj._readableState));
}

function isWritableNodeStream(obj) {
  return !!(obj && typeof obj.write === 'function' && typeof obj.on === 'function' &&
    (!obj._readableState || (obj._writableState && obj._writableState.writable !== false)));
}

function isDuplexNodeStream(obj) {
  return !!(obj && typeof obj.pipe === 'function' && obj._readableState &&
    typeof obj.on === 'function' && typeof obj.write === 'function');
}

function isNodeStream(obj) {
  return !!obj && (obj._readableState || obj._writableState ||
    (typeof obj.write === 'function' && typeof obj.on === 'function') ||
    (typeof obj.pipe === 'function' && typeof obj.on === 'function'));
}

function isReadableStream(obj) {
  return !!(obj && !isNodeStream(obj) && typeof obj.pipeThrough === 'function' &&
    typeof obj.getReader === 'function' && typeof obj.cancel === 'function');
}

function isWritableStream(obj) {
  return !!(obj && !isNodeStream(obj) && typeof obj.getWriter === 'function' && typeof obj.abort === 'function');
}

function isTransformStream(obj) {
  return !!(obj && !isNodeStream(obj) && typeof obj.readable === 'object' && typeof obj.writable === 'object');
}

function isWebStream(obj) {
  return isReadableStream(obj) || isWritableStream(obj) || isTransformStream(obj);
}

function isIterable(obj, isAsync) {
  if (obj === null || obj === void 0) return false;
  if (isAsync === true) return typeof obj[Symbol.asyncIterator] === 'function';
  if (isAsync === false) return typeof obj[Symbol.iterator] === 'function';
  return typeof obj[Symbol.asyncIterator] === 'function' || typeof obj[Symbol.iterator] === 'function';
}

function isDestroyed(stream) {
  if (!isNodeStream(stream)) return null;
  const wState = stream._writableState;
  const rState = stream._readableState;
  const state = wState || rState;
  return !!(stream.destroyed || stream[kDestroyed] || (state && state.destroyed));
}

function isWritableEnded(stream) {
  if (!isWritableNodeStream(stream)) return null;
  if (stream.writableEnded === true) return true;
  const wState = stream._writableState;
  if (wState && wState.errored) return false;
  if (typeof (wState && wState.ended) !== 'boolean') return null;
  return wState.ended;
}

function isWritableFinished(stream, strict) {
  if (!isWritableNodeStream(stream)) return null;
  if (stream.writableFinished === true) return true;
  const wState = stream._writableState;
  if (wState && wState.errored) return false;
  if (typeof (wState && wState.finished) !== 'boolean') return null;
  return !!(wState.finished || (strict === false && wState.ended === true && wState.length === 0));
}

function isReadableEnded(stream) {
  if (!isReadableNodeStream(stream)) return null;
  if (stream.readableEnded === true) return true;
  const rState = stream._readableState;
  if (!rState || rState.errored) return false;
  if (typeof (rState && rState.ended) !== 'boolean') return null;
  return rState.ended;
}

function isReadableFinished(stream, strict) {
  if (!isReadableNodeStream(stream)) return null;
  const rState = stream._readableState;
  if (!rState || rState.errored) return false;
  if (typeof (rState && rState.endEmitted) !== 'boolean') return null;
  return !!(rState.endEmitted || (strict === false && rState.ended === true && rState.length === 0));
}

function isReadable(stream) {
  if (stream && stream[kIsReadable] != null) return stream[kIsReadable];
  if (typeof (stream && stream.readable) !== 'boolean') return null;
  if (isDestroyed(stream)) return false;
  return isReadableNodeStream(stream) && stream.readable && !isReadableFinished(stream);
}

function isWritable(stream) {
  if (stream && stream[kIsWritable] != null) return stream[kIsWritable];
  if (typeof (stream && stream.writable) !== 'boolean') return null;
  if (isDestroyed(stream)) return false;
  return isWritableNodeStream(stream) && stream.writable && !isWritableEnded(stream);
}

function isFinished(stream, opts) {
  if (!isNodeStream(stream)) return null;
  if (isDestroyed(stream)) return true;
  if ((!opts || opts.readable !== false) && isReadable(stream)) return false;
  if ((!opts || opts.writable !== false) && isWritable(stream)) return false;
  return true;
}

function isWritableErrored(stream) {
  if (!isNodeStream(stream)) return null;
  if (stream.writableErrored) return stream.writableErrored;
  const e = stream._writableState && stream._writableState.errored;
  return e === void 0 ? null : e;
}

function isReadableErrored(stream) {
  if (!isNodeStream(stream)) return null;
  if (stream.readableErrored) return stream.readableErrored;
  const e = stream._readableState && stream._readableState.errored;
  return e === void 0 ? null : e;
}

function isClosed(stream) {
  if (!isNodeStream(stream)) return null;
  const wState = stream._writableState;
  const rState = stream._readableState;
  if (typeof (wState && wState.closed) === 'boolean' || typeof (rState && rState.closed) === 'boolean') {
    return (wState && wState.closed) || (rState && rState.closed);
  }
  if (typeof stream.closed === 'boolean' && isOutgoingMessage(stream)) return stream.closed;
  return null;
}

function isOutgoingMessage(stream) {
  return typeof stream._closed === 'boolean' && typeof stream._defaultKeepAlive === 'boolean' &&
    typeof stream._removedConnection === 'boolean' && typeof stream._removedContLen === 'boolean';
}

function isServerResponse(stream) {
  return typeof stream._sent100 === 'boolean' && isOutgoingMessage(stream);
}

function isServerRequest(stream) {
  return typeof stream._consuming === 'boolean' && typeof stream._dumped === 'boolean' &&
    stream.req && stream.req.upgradeOrConnect === void 0;
}

function willEmitClose(stream) {
  if (!isNodeStream(stream)) return null;
  const wState = stream._writableState;
  const rState = stream._readableState;
  const state = wState || rState;
  return (!state && isServerResponse(stream)) || !!(state && state.autoDestroy && state.emitClose && state.closed === false);
}

function isDisturbed(stream) {
  return !!(stream && (stream[kIsDisturbed] != null ? stream[kIsDisturbed]
    : (stream.readableDidRead || stream.readableAborted)));
}

function isErrored(stream) {
  return !!(stream && (stream[kIsErrored] != null ? stream[kIsErrored]
    : (stream.readableErrored || stream.writableErrored ||
      (stream._readableState && stream._readableState.errorEmitted) ||
      (stream._writableState && stream._writableState.errorEmitted) ||
      (stream._readableState && stream._readableState.errored) ||
      (stream._writableState && stream._writableState.errored))));
}

// tick1(fn, arg) is process.nextTick(fn, arg) for the stream internals:
// process._tick1 (process.js) appends to the tick queue itself, without a
// rest array or argument checks, and binds fn to the current
// AsyncLocalStorage frame only when one is current, as process.nextTick
// does. Node's own streams never go through a user's replacement of the
// process.nextTick property either. The fallback, for a process object
// without it, is the wrapper this used to be.
const tick1 = process._tick1 || (function () {
  const { getFrame } = require('internal/async_context');
  const nextTick1 = process._nextTick1;
  return function tick1(fn, arg) {
    if (getFrame() === null && nextTick1 !== void 0) nextTick1(fn, arg);
    else process.nextTick(fn, arg);
  };
})();

// tickTail(fn, arg) is tick1(fn, arg) as the very last step of a tick: fn
// runs at once when nothing else is queued (process.js's tickTail).
const tickTail = process._tickTail || tick1;

// EEemit is EventEmitter's own emit. Its emit of a non-'error' event
// nobody listens to only returns false, after a call and a rest-argument
// array (about 0.45 µs here); the stream internals emit several such
// events per stream ('resume', 'readable', 'pause', 'open', 'ready',
// 'close', 'pipe'), so they test first, written out at each site:
//   const ev = s._events;
//   if (s.emit !== EEemit || (ev !== void 0 && ev.x !== void 0)) s.emit('x');
// An emit other than EventEmitter's (an override, or a wrapper put on
// EventEmitter.prototype after this module loaded) is always called.
const EEemit = require('events').prototype.emit;

// Defines each of defaults' own keys (strings and symbols) on proto as a
// writable, non-enumerable data property: the starting value of a field
// that instances only get as their own once they change it.
function protoDefaults(proto, defaults) {
  for (const key of Reflect.ownKeys(defaults)) {
    Object.defineProperty(proto, key, { value: defaults[key], writable: true, enumerable: false, configurable: true });
  }
}

module.exports = {
  tick1, tickTail, protoDefaults, EEemit,
  kDestroyed, kIsErrored, kIsReadable, kIsWritable, kIsDisturbed, kIsClosedPromise, kControllerErrorFunction,
  isReadableNodeStream, isWritableNodeStream, isDuplexNodeStream, isNodeStream, isReadableStream,
  isWritableStream, isTransformStream, isWebStream, isIterable, isDestroyed, isWritableEnded,
  isWritableFinished, isReadableEnded, isReadableFinished, isReadable, isWritable, isFinished,
  isWritableErrored, isReadableErrored, isClosed, isOutgoingMessage, isServerResponse, isServerRequest,
  willEmitClose, isDisturbed, isErrored,
};
